//! Batched multi-row upserts, the bulk path of the collectors: one statement per chunk of rows, the dialect's
//! own conflict clause, every value bound.

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::Backend;

/// One bound value of a bulk row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Int(Option<i64>),
    Float(f64),
    Real(Option<f64>),
    Text(Option<String>),
    Time(Option<DateTime<Utc>>),
    Date(NaiveDate),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(Some(v))
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        Val::Int(v)
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Val {
        Val::Int(Some(i64::from(v)))
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(Some(v.to_owned()))
    }
}
impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::Text(Some(v))
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        Val::Text(v)
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Val {
        Val::Text(v.map(str::to_owned))
    }
}
impl From<DateTime<Utc>> for Val {
    fn from(v: DateTime<Utc>) -> Val {
        Val::Time(Some(v))
    }
}
impl From<Option<DateTime<Utc>>> for Val {
    fn from(v: Option<DateTime<Utc>>) -> Val {
        Val::Time(v)
    }
}
impl From<NaiveDate> for Val {
    fn from(v: NaiveDate) -> Val {
        Val::Date(v)
    }
}

/// Binds `$vals` (an iterator of `&Val`) to `$query`, on whichever backend the query is for.
macro_rules! bind_vals {
    ($query:expr, $vals:expr) => {{
        let mut q = $query;
        for v in $vals {
            q = match v {
                $crate::store::bulk::Val::Int(i) => q.bind(*i),
                $crate::store::bulk::Val::Float(f) => q.bind(*f),
                $crate::store::bulk::Val::Real(f) => q.bind(*f),
                $crate::store::bulk::Val::Text(t) => q.bind(t.as_deref()),
                $crate::store::bulk::Val::Time(t) => q.bind(*t),
                $crate::store::bulk::Val::Date(d) => q.bind(*d),
            };
        }
        q
    }};
}
pub(crate) use bind_vals;

/// Bound parameters per statement: under SQLite's 32,766 and MySQL's 65,535.
const MAX_PARAMS: usize = 30_000;
/// Rows per statement at most, however narrow the table.
const MAX_ROWS: usize = 1_000;

/// An `INSERT` that updates the row its key collides with.
pub(crate) struct Upsert<'a> {
    /// Table name (a constant of the store, never input).
    pub table: &'a str,
    /// Inserted columns, in row order.
    pub columns: &'a [&'a str],
    /// The columns of the unique key the conflict is on (SQLite names them); empty: a plain `INSERT` (rows
    /// with a surrogate key, which cannot collide).
    pub key: &'a [&'a str],
    /// Columns that take the new row's value on conflict; empty keeps the old row as it is.
    pub update: &'a [&'a str],
    /// Extra assignments on conflict, the same in both dialects (e.g. `dropped_at = NULL`).
    pub also: &'a [&'a str],
    /// Columns that add the new row's value to the old on conflict (counters kept by deltas).
    pub add: &'a [&'a str],
}

impl Upsert<'_> {
    /// Rows per statement for this width.
    pub fn chunk_rows(&self) -> usize {
        (MAX_PARAMS / self.columns.len().max(1)).clamp(1, MAX_ROWS)
    }

    /// The statement for `rows` rows.
    pub fn sql(&self, backend: Backend, rows: usize) -> String {
        let one = format!("({})", vec!["?"; self.columns.len()].join(", "));
        let values = vec![one.as_str(); rows].join(", ");
        let columns = self.columns.join(", ");
        let nothing = self.update.is_empty() && self.also.is_empty() && self.add.is_empty();
        if self.key.is_empty() {
            return format!("INSERT INTO {} ({columns}) VALUES {values}", self.table);
        }
        match backend {
            Backend::MySql if nothing => {
                // Not `INSERT IGNORE`, which would also turn data errors into warnings.
                let k = self.key[0];
                format!(
                    "INSERT INTO {} ({columns}) VALUES {values} ON DUPLICATE KEY UPDATE {k} = {k}",
                    self.table
                )
            }
            Backend::MySql => {
                let sets: Vec<String> = self
                    .update
                    .iter()
                    .map(|c| format!("{c} = VALUES({c})"))
                    .chain(self.add.iter().map(|c| format!("{c} = {c} + VALUES({c})")))
                    .chain(self.also.iter().map(|a| (*a).to_owned()))
                    .collect();
                format!(
                    "INSERT INTO {} ({columns}) VALUES {values} ON DUPLICATE KEY UPDATE {}",
                    self.table,
                    sets.join(", ")
                )
            }
            Backend::Sqlite => {
                let conflict = if nothing {
                    "DO NOTHING".to_owned()
                } else {
                    let sets: Vec<String> = self
                        .update
                        .iter()
                        .map(|c| format!("{c} = excluded.{c}"))
                        .chain(self.add.iter().map(|c| format!("{c} = {c} + excluded.{c}")))
                        .chain(self.also.iter().map(|a| (*a).to_owned()))
                        .collect();
                    format!("DO UPDATE SET {}", sets.join(", "))
                };
                format!(
                    "INSERT INTO {} ({columns}) VALUES {values} ON CONFLICT ({}) {conflict}",
                    self.table,
                    self.key.join(", ")
                )
            }
        }
    }
}

/// Runs `$upsert` (an [`Upsert`]) over `$rows` (a slice of `Vec<Val>`) on `$conn` (a connection or transaction
/// of either backend), chunk by chunk; evaluates to the affected-row count or the driver's error.
macro_rules! run_upsert {
    ($backend:expr, $conn:expr, $upsert:expr, $rows:expr) => {{
        let upsert = &$upsert;
        let rows: &[Vec<$crate::store::bulk::Val>] = $rows;
        let mut affected: u64 = 0;
        let mut result: Result<u64, sqlx::Error> = Ok(0);
        for chunk in rows.chunks(upsert.chunk_rows()) {
            let sql = upsert.sql($backend, chunk.len());
            let q = $crate::store::bulk::bind_vals!(sqlx::query(&sql), chunk.iter().flatten());
            match q.execute(&mut *$conn).await {
                Ok(done) => affected += done.rows_affected(),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        result.map(|_| affected)
    }};
}
pub(crate) use run_upsert;

#[cfg(test)]
mod tests {
    use super::*;

    const UPSERT: Upsert<'static> = Upsert {
        table: "t",
        columns: &["k", "a", "seen"],
        key: &["k"],
        update: &["a"],
        also: &["dropped_at = NULL"],
        add: &[],
    };

    #[test]
    fn each_dialect_gets_its_own_conflict_clause() {
        assert_eq!(
            UPSERT.sql(Backend::MySql, 2),
            "INSERT INTO t (k, a, seen) VALUES (?, ?, ?), (?, ?, ?) ON DUPLICATE KEY UPDATE a = VALUES(a), dropped_at = NULL"
        );
        assert_eq!(
            UPSERT.sql(Backend::Sqlite, 1),
            "INSERT INTO t (k, a, seen) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET a = excluded.a, dropped_at = NULL"
        );
    }

    #[test]
    fn an_upsert_without_updates_keeps_the_old_row() {
        let keep = Upsert {
            update: &[],
            also: &[],
            add: &[],
            ..UPSERT
        };
        assert_eq!(
            keep.sql(Backend::MySql, 1),
            "INSERT INTO t (k, a, seen) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE k = k"
        );
        assert!(
            keep.sql(Backend::Sqlite, 1)
                .ends_with("ON CONFLICT (k) DO NOTHING")
        );
    }

    #[test]
    fn without_a_key_it_is_a_plain_insert() {
        let plain = Upsert {
            key: &[],
            update: &[],
            also: &[],
            add: &[],
            ..UPSERT
        };
        for backend in [Backend::MySql, Backend::Sqlite] {
            assert_eq!(
                plain.sql(backend, 1),
                "INSERT INTO t (k, a, seen) VALUES (?, ?, ?)"
            );
        }
    }

    #[test]
    fn chunks_stay_under_the_parameter_limits() {
        assert_eq!(UPSERT.chunk_rows(), 1_000, "narrow rows: the row cap");
        let wide = Upsert {
            columns: &["c"; 40],
            ..UPSERT
        };
        assert_eq!(wide.chunk_rows(), 750, "wide rows: the parameter cap");
    }
}
