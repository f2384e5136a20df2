//! The Athena query history: `fact_athena_query`, `fact_athena_query_table` and the daily roll-ups
//! `fact_table_usage_daily`, `fact_database_usage_daily` and `fact_workgroup_usage_daily`, recomputed for every day
//! a write touched so "top tables" and "top databases" read a few rows a day, not the history.

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::bulk::{Upsert, Val, bind_vals, run_upsert};
use super::{BeginWrite, Store, StoreError, on_pool};

/// One query execution as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryRow {
    /// QueryExecutionId.
    pub query_id: String,
    /// Account name from `aws.accounts`.
    pub account: String,
    /// AWS region.
    pub region: String,
    /// Work group.
    pub work_group: String,
    /// QUEUED | RUNNING | SUCCEEDED | FAILED | CANCELLED.
    pub state: String,
    /// DDL | DML | UTILITY.
    pub statement_type: Option<String>,
    /// Catalog of the query context.
    pub query_catalog: Option<String>,
    /// Database of the query context.
    pub query_database: Option<String>,
    /// SubmissionDateTime.
    pub submitted_at: DateTime<Utc>,
    /// CompletionDateTime.
    pub completed_at: Option<DateTime<Utc>>,
    /// Local date of submission.
    pub usage_date: NaiveDate,
    /// Engine time.
    pub engine_ms: Option<i64>,
    /// Total time.
    pub total_ms: Option<i64>,
    /// Queue time.
    pub queue_ms: Option<i64>,
    /// Bytes scanned.
    pub bytes_scanned: Option<i64>,
    /// Engine version.
    pub engine_version: Option<String>,
    /// Why it failed or was cancelled.
    pub error_message: Option<String>,
    /// The kept part of the SQL text.
    pub sql_text: Option<String>,
    /// Length of the whole text.
    pub sql_bytes: i64,
    /// Whether `sql_text` is cut.
    pub sql_truncated: bool,
    /// Hash of the whole text, normalised.
    pub sql_hash: String,
    /// Why the tables could not be read from the text.
    pub tables_error: Option<String>,
    /// Tables read.
    pub reads: Vec<(String, String)>,
    /// Tables written.
    pub writes: Vec<(String, String)>,
}

/// States after which a query no longer changes.
pub const TERMINAL_STATES: [&str; 3] = ["SUCCEEDED", "FAILED", "CANCELLED"];

const QUERY_COLUMNS: &[&str] = &[
    "query_id",
    "account",
    "region",
    "work_group",
    "state",
    "statement_type",
    "query_catalog",
    "query_database",
    "submitted_at",
    "completed_at",
    "usage_date",
    "engine_ms",
    "total_ms",
    "queue_ms",
    "bytes_scanned",
    "engine_version",
    "error_message",
    "sql_text",
    "sql_bytes",
    "sql_truncated",
    "sql_hash",
    "tables_error",
    "collected_at",
];

/// Recomputes every roll-up of one day of one account and region from the stored queries, inside the transaction
/// `$tx`; evaluates to the rows written.
macro_rules! roll_up_day {
    ($tx:expr, $day:expr, $account:expr, $region:expr) => {
        async {
            let mut rows = 0u64;
            for delete in ROLL_UP_DELETE {
                sqlx::query(delete)
                    .bind($day)
                    .bind($account)
                    .bind($region)
                    .execute(&mut *$tx)
                    .await?;
            }
            for insert in ROLL_UP {
                rows += sqlx::query(insert)
                    .bind($day)
                    .bind($account)
                    .bind($region)
                    .execute(&mut *$tx)
                    .await?
                    .rows_affected();
            }
            Ok::<u64, sqlx::Error>(rows)
        }
        .await
    };
}

/// Clears one day of one account and region from every roll-up.
const ROLL_UP_DELETE: [&str; 3] = [
    "DELETE FROM fact_table_usage_daily WHERE usage_date = ? AND account = ? AND region = ?",
    "DELETE FROM fact_database_usage_daily WHERE usage_date = ? AND account = ? AND region = ?",
    "DELETE FROM fact_workgroup_usage_daily WHERE usage_date = ? AND account = ? AND region = ?",
];

/// One day of one account and region, from the stored queries, each bound to (day, account, region). Each reads
/// only that day's queries (by `ix_fact_athena_query_date`) and their tables (by primary key).
const ROLL_UP: [&str; 3] = [
    // Per table: a query that reads and writes a table counts once for it, with its bytes.
    "INSERT INTO fact_table_usage_daily (usage_date, account, region, work_group, database_name, \
     table_name, queries, read_queries, write_queries, failed_queries, bytes_scanned, distinct_queries) \
     SELECT x.usage_date, x.account, x.region, x.work_group, x.database_name, x.table_name, COUNT(*), \
     SUM(x.did_read), SUM(x.did_write), \
     SUM(CASE WHEN x.state IN ('FAILED', 'CANCELLED') THEN 1 ELSE 0 END), \
     COALESCE(SUM(x.bytes_scanned), 0), COUNT(DISTINCT x.sql_hash) \
     FROM ( \
       SELECT q.usage_date, q.account, q.region, q.work_group, q.state, q.bytes_scanned, q.sql_hash, \
       t.database_name, t.table_name, \
       MAX(CASE WHEN t.access = 'read' THEN 1 ELSE 0 END) AS did_read, \
       MAX(CASE WHEN t.access = 'write' THEN 1 ELSE 0 END) AS did_write \
       FROM fact_athena_query q JOIN fact_athena_query_table t ON t.query_id = q.query_id \
       WHERE q.usage_date = ? AND q.account = ? AND q.region = ? \
       GROUP BY q.query_id, q.usage_date, q.account, q.region, q.work_group, q.state, q.bytes_scanned, \
       q.sql_hash, t.database_name, t.table_name \
     ) x \
     GROUP BY x.usage_date, x.account, x.region, x.work_group, x.database_name, x.table_name",
    // Per database: a query using several tables of a database counts once for it.
    "INSERT INTO fact_database_usage_daily (usage_date, account, region, work_group, database_name, queries, \
     failed_queries, bytes_scanned) \
     SELECT x.usage_date, x.account, x.region, x.work_group, x.database_name, COUNT(*), \
     SUM(CASE WHEN x.state IN ('FAILED', 'CANCELLED') THEN 1 ELSE 0 END), COALESCE(SUM(x.bytes_scanned), 0) \
     FROM ( \
       SELECT DISTINCT q.query_id, q.usage_date, q.account, q.region, q.work_group, q.state, q.bytes_scanned, \
       t.database_name \
       FROM fact_athena_query q JOIN fact_athena_query_table t ON t.query_id = q.query_id \
       WHERE q.usage_date = ? AND q.account = ? AND q.region = ? \
     ) x \
     GROUP BY x.usage_date, x.account, x.region, x.work_group, x.database_name",
    // Per work group: every query once, and apart those that used a known table.
    "INSERT INTO fact_workgroup_usage_daily (usage_date, account, region, work_group, queries, failed_queries, \
     bytes_scanned, table_queries, table_bytes_scanned) \
     SELECT x.usage_date, x.account, x.region, x.work_group, COUNT(*), \
     SUM(CASE WHEN x.state IN ('FAILED', 'CANCELLED') THEN 1 ELSE 0 END), COALESCE(SUM(x.bytes_scanned), 0), \
     SUM(x.has_tables), COALESCE(SUM(CASE WHEN x.has_tables = 1 THEN x.bytes_scanned ELSE 0 END), 0) \
     FROM ( \
       SELECT q.usage_date, q.account, q.region, q.work_group, q.state, q.bytes_scanned, \
       CASE WHEN EXISTS (SELECT 1 FROM fact_athena_query_table t WHERE t.query_id = q.query_id) \
       THEN 1 ELSE 0 END AS has_tables \
       FROM fact_athena_query q WHERE q.usage_date = ? AND q.account = ? AND q.region = ? \
     ) x \
     GROUP BY x.usage_date, x.account, x.region, x.work_group",
];

impl Store {
    /// Which of `ids` are stored and finished: where an incremental listing (newest first) stops. The stored
    /// ids are the collector's high-water mark.
    pub async fn athena_finished_among(
        &self,
        ids: &[String],
    ) -> Result<HashSet<String>, StoreError> {
        if ids.is_empty() {
            return Ok(HashSet::new());
        }
        let sql = format!(
            "SELECT query_id FROM fact_athena_query WHERE state IN ('SUCCEEDED', 'FAILED', 'CANCELLED') \
             AND query_id IN ({})",
            vec!["?"; ids.len()].join(", ")
        );
        let found: Vec<String> = on_pool!(self, pool => {
            let mut q = sqlx::query_scalar(&sql);
            for id in ids {
                q = q.bind(id);
            }
            q.fetch_all(pool).await
        })
        .map_err(StoreError::query("look up stored Athena queries"))?;
        Ok(found.into_iter().collect())
    }

    /// Stored queries of `work_group` that were still queued or running: they are fetched again.
    pub async fn athena_unfinished_ids(
        &self,
        account: &str,
        region: &str,
        work_group: &str,
    ) -> Result<Vec<String>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT query_id FROM fact_athena_query WHERE account = ? AND region = ? AND work_group = ? \
             AND state NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED') ORDER BY submitted_at",
        )
        .bind(account)
        .bind(region)
        .bind(work_group)
        .fetch_all(pool)
        .await)
        .map_err(StoreError::query("read unfinished Athena queries"))
    }

    /// Writes `queries` (new or changed) with their tables and recomputes the daily roll-up of every day they
    /// fall on, in one transaction. Returns rows written.
    pub async fn write_athena_queries(
        &self,
        queries: &[QueryRow],
        collected_at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        if queries.is_empty() {
            return Ok(0);
        }
        let backend = self.backend();
        let context = "write Athena queries";
        let query_rows: Vec<Vec<Val>> = queries
            .iter()
            .map(|q| {
                vec![
                    q.query_id.as_str().into(),
                    q.account.as_str().into(),
                    q.region.as_str().into(),
                    q.work_group.as_str().into(),
                    q.state.as_str().into(),
                    q.statement_type.clone().into(),
                    q.query_catalog.clone().into(),
                    q.query_database.clone().into(),
                    q.submitted_at.into(),
                    q.completed_at.into(),
                    q.usage_date.into(),
                    q.engine_ms.into(),
                    q.total_ms.into(),
                    q.queue_ms.into(),
                    q.bytes_scanned.into(),
                    q.engine_version.clone().into(),
                    q.error_message.clone().into(),
                    q.sql_text.clone().into(),
                    q.sql_bytes.into(),
                    q.sql_truncated.into(),
                    q.sql_hash.as_str().into(),
                    q.tables_error.clone().into(),
                    collected_at.into(),
                ]
            })
            .collect();
        let table_rows: Vec<Vec<Val>> = queries
            .iter()
            .flat_map(|q| {
                let reads = q.reads.iter().map(move |(d, t)| (q, d, t, "read"));
                let writes = q.writes.iter().map(move |(d, t)| (q, d, t, "write"));
                reads.chain(writes)
            })
            .map(|(q, d, t, access)| {
                vec![
                    q.query_id.as_str().into(),
                    d.as_str().into(),
                    t.as_str().into(),
                    access.into(),
                ]
            })
            .collect();
        let query_upsert = Upsert {
            table: "fact_athena_query",
            columns: QUERY_COLUMNS,
            key: &["query_id"],
            update: &QUERY_COLUMNS[1..],
            also: &[],
            add: &[],
        };
        let table_upsert = Upsert {
            table: "fact_athena_query_table",
            columns: &["query_id", "database_name", "table_name", "access"],
            key: &["query_id", "database_name", "table_name", "access"],
            update: &[],
            also: &[],
            add: &[],
        };
        let days: BTreeSet<(&str, &str, NaiveDate)> = queries
            .iter()
            .map(|q| (q.account.as_str(), q.region.as_str(), q.usage_date))
            .collect();
        let ids: Vec<Val> = queries.iter().map(|q| q.query_id.as_str().into()).collect();
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await.map_err(StoreError::query(context))?;
            run_upsert!(backend, tx, query_upsert, &query_rows).map_err(StoreError::query(context))?;
            // A query's tables come from its text, which does not change: replace them all the same.
            for chunk in ids.chunks(1_000) {
                let sql = format!(
                    "DELETE FROM fact_athena_query_table WHERE query_id IN ({})",
                    vec!["?"; chunk.len()].join(", ")
                );
                bind_vals!(sqlx::query(&sql), chunk.iter())
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query(context))?;
            }
            run_upsert!(backend, tx, table_upsert, &table_rows).map_err(StoreError::query(context))?;
            let mut rolled = 0u64;
            for (account, region, day) in &days {
                rolled += roll_up_day!(tx, *day, *account, *region).map_err(StoreError::query(context))?;
            }
            tx.commit().await.map_err(StoreError::query(context))?;
            Ok::<u64, StoreError>((query_rows.len() + table_rows.len()) as u64 + rolled)
        }.await)
    }
}

/// The periods, in days ending today, that the window tables keep summed: what `top tables` offers.
pub const USAGE_WINDOWS: [i64; 3] = [7, 30, 90];

/// Use of one table (or database) over a period, from the daily roll-up, with the period before it.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageTotal {
    /// Database.
    pub database: String,
    /// Table; empty when totals are per database.
    pub table: String,
    /// Queries that read or wrote it.
    pub queries: i64,
    /// Bytes those queries scanned.
    pub bytes_scanned: i64,
    /// Its queries in the period before.
    pub previous_queries: i64,
}

/// A row of usage totals as read: database, table, queries, bytes scanned, previous queries.
type UsageRow = (super::BinText, super::BinText, i64, i64, i64);

fn usage_rows(rows: Vec<UsageRow>) -> Vec<UsageTotal> {
    rows.into_iter()
        .map(
            |(database, table, queries, bytes_scanned, previous_queries)| UsageTotal {
                database: database.0,
                table: table.0,
                queries,
                bytes_scanned,
                previous_queries,
            },
        )
        .collect()
}

impl Store {
    /// Use per table (or per database when `per_database`) from `from` to `to` (local dates, inclusive), with
    /// the queries of `previous_from` to the day before `from` for the trend, in one pass; in one database or
    /// all, most used first by queries or by bytes scanned; `limit` rows.
    #[allow(clippy::too_many_arguments)]
    pub async fn usage_totals(
        &self,
        previous_from: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
        database: Option<&str>,
        per_database: bool,
        by_bytes: bool,
        limit: u32,
    ) -> Result<Vec<UsageTotal>, StoreError> {
        let order = if by_bytes {
            "now_bytes DESC, now_queries DESC"
        } else {
            "now_queries DESC, now_bytes DESC"
        };
        // Per table and per database the daily roll-ups are exact: the database roll-up counts a query using
        // several tables of a database once. The clauses are constants of this function, never input; values
        // are bound. The database filter is left out when there is none, so the planner can use its index.
        let (roll_up, name, table) = if per_database {
            ("fact_database_usage_daily", "database_name", "''")
        } else {
            (
                "fact_table_usage_daily",
                "database_name, table_name",
                "table_name",
            )
        };
        let in_database = if database.is_some() {
            "AND database_name = ?"
        } else {
            ""
        };
        let days = (to - from).num_days() + 1;
        if from - previous_from == chrono::Duration::days(days)
            && USAGE_WINDOWS.contains(&days)
            && self.usage_windows_through(days).await? == Some(to)
        {
            return self
                .usage_window(days, database, per_database, by_bytes, limit)
                .await;
        }
        let sql = format!(
            "SELECT database_name, {table}, \
             CAST(SUM(CASE WHEN usage_date >= ? THEN queries ELSE 0 END) AS SIGNED INTEGER) AS now_queries, \
             CAST(SUM(CASE WHEN usage_date >= ? THEN bytes_scanned ELSE 0 END) AS SIGNED INTEGER) AS now_bytes, \
             CAST(SUM(CASE WHEN usage_date < ? THEN queries ELSE 0 END) AS SIGNED INTEGER) AS previous_queries \
             FROM {roll_up} \
             WHERE usage_date >= ? AND usage_date <= ? {in_database} \
             GROUP BY {name} HAVING now_queries > 0 \
             ORDER BY {order}, {name} LIMIT ?"
        );
        let rows: Vec<UsageRow> = on_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql)
                .bind(from)
                .bind(from)
                .bind(from)
                .bind(previous_from)
                .bind(to);
            if let Some(database) = database {
                q = q.bind(database);
            }
            q.bind(i64::from(limit)).fetch_all(pool).await
        })
        .map_err(StoreError::query("read table usage"))?;
        Ok(usage_rows(rows))
    }

    /// The last day the `days` window tables were recomputed for, if they were.
    pub async fn usage_windows_through(&self, days: i64) -> Result<Option<NaiveDate>, StoreError> {
        Ok(self
            .usage_windows_state(days)
            .await?
            .map(|(through, _)| through))
    }

    /// The day the `days` window tables end on and when they were recomputed, if they were.
    pub async fn usage_windows_state(
        &self,
        days: i64,
    ) -> Result<Option<(NaiveDate, DateTime<Utc>)>, StoreError> {
        on_pool!(self, pool => sqlx::query_as(
            "SELECT through_date, refreshed_at FROM usage_window_state WHERE window_days = ?",
        )
        .bind(days)
        .fetch_optional(pool)
        .await)
        .map_err(StoreError::query("read the usage windows' day"))
    }

    /// [`Store::usage_totals`] from the window tables: the first `limit` rows of an index in rank order.
    async fn usage_window(
        &self,
        days: i64,
        database: Option<&str>,
        per_database: bool,
        by_bytes: bool,
        limit: u32,
    ) -> Result<Vec<UsageTotal>, StoreError> {
        // Constants of this function, never input; values are bound. The ORDER BY is the order of the index
        // that serves it (ix_fact_*_usage_window_*), so a ranking reads `limit` index entries.
        let order = if by_bytes {
            "bytes_scanned DESC, queries DESC"
        } else {
            "queries DESC, bytes_scanned DESC"
        };
        let (window, table, name) = if per_database {
            ("fact_database_usage_window", "''", "database_name")
        } else {
            (
                "fact_table_usage_window",
                "table_name",
                "database_name, table_name",
            )
        };
        let (in_database, name) = match (database, per_database) {
            (Some(_), false) => ("AND database_name = ?", "table_name"),
            (Some(_), true) => ("AND database_name = ?", name),
            (None, _) => ("", name),
        };
        let sql = format!(
            "SELECT database_name, {table}, queries, bytes_scanned, previous_queries FROM {window} \
             WHERE window_days = ? {in_database} ORDER BY {order}, {name} LIMIT ?"
        );
        let rows: Vec<UsageRow> = on_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql).bind(days);
            if let Some(database) = database {
                q = q.bind(database);
            }
            q.bind(i64::from(limit)).fetch_all(pool).await
        })
        .map_err(StoreError::query("read table usage"))?;
        Ok(usage_rows(rows))
    }

    /// Recomputes the window tables ([`USAGE_WINDOWS`] days ending on `today`, per table and per database, with
    /// the period before) from the daily roll-ups, in one transaction: readers see the old windows or the new,
    /// never a mix. Returns rows written.
    pub async fn refresh_usage_windows(&self, today: NaiveDate) -> Result<u64, StoreError> {
        let context = "recompute the usage windows";
        let at = super::now();
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await?;
            for sql in [
                "DELETE FROM fact_table_usage_window",
                "DELETE FROM fact_database_usage_window",
                "DELETE FROM usage_window_state",
            ] {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            let mut rows = 0;
            for days in USAGE_WINDOWS {
                let from = today - chrono::Duration::days(days - 1);
                let previous_from = from - chrono::Duration::days(days);
                for (window, roll_up, names) in [
                    ("fact_table_usage_window", "fact_table_usage_daily", "database_name, table_name"),
                    ("fact_database_usage_window", "fact_database_usage_daily", "database_name"),
                ] {
                    let sql = format!(
                        "INSERT INTO {window} (window_days, {names}, queries, bytes_scanned, previous_queries) \
                         SELECT ?, {names}, \
                         CAST(SUM(CASE WHEN usage_date >= ? THEN queries ELSE 0 END) AS SIGNED INTEGER), \
                         CAST(SUM(CASE WHEN usage_date >= ? THEN bytes_scanned ELSE 0 END) AS SIGNED INTEGER), \
                         CAST(SUM(CASE WHEN usage_date < ? THEN queries ELSE 0 END) AS SIGNED INTEGER) \
                         FROM {roll_up} WHERE usage_date >= ? AND usage_date <= ? \
                         GROUP BY {names} HAVING SUM(CASE WHEN usage_date >= ? THEN queries ELSE 0 END) > 0"
                    );
                    rows += sqlx::query(&sql)
                        .bind(days)
                        .bind(from)
                        .bind(from)
                        .bind(from)
                        .bind(previous_from)
                        .bind(today)
                        .bind(from)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                }
                sqlx::query(
                    "INSERT INTO usage_window_state (window_days, through_date, refreshed_at) VALUES (?, ?, ?)",
                )
                .bind(days)
                .bind(today)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<u64, sqlx::Error>(rows)
        }.await)
        .map_err(StoreError::query(context))
    }

    /// Queries that used any table (of `database`, when given) from `from` to `to`, each counted once, and the
    /// bytes they scanned.
    pub async fn usage_overall(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        database: Option<&str>,
    ) -> Result<(i64, i64), StoreError> {
        let (queries, bytes): (Option<i64>, Option<i64>) = on_pool!(self, pool => match database {
            None => sqlx::query_as(
                "SELECT CAST(SUM(table_queries) AS SIGNED INTEGER), \
                 CAST(SUM(table_bytes_scanned) AS SIGNED INTEGER) \
                 FROM fact_workgroup_usage_daily WHERE usage_date >= ? AND usage_date <= ?",
            )
            .bind(from)
            .bind(to)
            .fetch_one(pool)
            .await,
            Some(database) => sqlx::query_as(
                "SELECT CAST(SUM(queries) AS SIGNED INTEGER), CAST(SUM(bytes_scanned) AS SIGNED INTEGER) \
                 FROM fact_database_usage_daily WHERE database_name = ? AND usage_date >= ? AND usage_date <= ?",
            )
            .bind(database)
            .bind(from)
            .bind(to)
            .fetch_one(pool)
            .await,
        })
        .map_err(StoreError::query("read overall usage"))?;
        Ok((queries.unwrap_or(0), bytes.unwrap_or(0)))
    }

    /// Recomputes the roll-ups of every day from `from` to `to` (inclusive) that has stored queries, a day of one
    /// account and region per transaction: for repairs, and for history written behind the store's back (the
    /// chat benchmark's generated lake). The window tables are set aside (answers read the roll-ups) until
    /// [`Store::refresh_usage_windows`] sums them again. Returns rows written.
    pub async fn roll_up_usage(&self, from: NaiveDate, to: NaiveDate) -> Result<u64, StoreError> {
        let context = "recompute the usage roll-ups";
        let days: Vec<(NaiveDate, String, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT DISTINCT usage_date, account, region FROM fact_athena_query \
             WHERE usage_date >= ? AND usage_date <= ? ORDER BY usage_date, account, region",
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await)
        .map_err(StoreError::query(context))?;
        let mut rows = 0;
        for (day, account, region) in &days {
            rows += on_pool!(self, pool => async {
                let mut tx = pool.begin_write().await?;
                // The windows were summed from what is being rewritten: read the roll-ups until they are again.
                sqlx::query("DELETE FROM usage_window_state").execute(&mut *tx).await?;
                let rows = roll_up_day!(tx, *day, account.as_str(), region.as_str())?;
                tx.commit().await?;
                Ok::<u64, sqlx::Error>(rows)
            }.await)
            .map_err(StoreError::query(context))?;
        }
        Ok(rows)
    }

    /// When the query history was last written.
    pub async fn usage_collected_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar("SELECT MAX(collected_at) FROM fact_athena_query")
            .fetch_one(pool)
            .await)
        .map_err(StoreError::query("read when usage was collected"))
    }
}
