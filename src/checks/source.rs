//! The databases checks read (systems of record, or a lake served by MySQL/PostgreSQL): one small pool per URL,
//! every query in a read-only transaction with a server-side statement limit and a client-side timeout, its
//! parameters bound, its values read whatever their SQL type. A connection whose query timed out or failed is
//! closed, never handed back to the pool mid-statement.

use std::collections::HashMap;
use std::str::FromStr;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use futures_util::TryStreamExt;
use sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions, MySqlRow};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{Column, MySqlPool, PgPool, Row};
use tokio::sync::Mutex;

use super::{Answer, Value};
use crate::sql::params::Bound;

/// Why a source query gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The URL or its password variable is wrong.
    #[error("{0}")]
    Setup(String),
    /// No connection within the timeout, or the database refused it.
    #[error("cannot connect to {host}: {detail}")]
    Connect {
        /// Host (never the password).
        host: String,
        /// The driver's reason.
        detail: String,
    },
    /// The query ran past the timeout; its connection was closed.
    #[error("{host} did not answer within {timeout:?}; the query was stopped")]
    Timeout {
        /// Host.
        host: String,
        /// The limit.
        timeout: Duration,
    },
    /// The database refused or failed the query (a write in the read-only transaction lands here).
    #[error("{host} refused the query: {detail}")]
    Query {
        /// Host.
        host: String,
        /// The database's message.
        detail: String,
    },
}

#[derive(Clone)]
enum SourcePool {
    MySql(MySqlPool),
    Pg(PgPool),
}

/// The pools of the sources checks read, made on first use.
pub struct Sources {
    pools: Mutex<HashMap<String, SourcePool>>,
    per_source: u32,
}

impl std::fmt::Debug for Sources {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sources")
            .field("per_source", &self.per_source)
            .finish_non_exhaustive()
    }
}

/// The host a URL names, for messages (never the user or password).
pub fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_owned(),
            })
        })
        .unwrap_or_else(|| "the source".to_owned())
}

/// The values a check's parameters take for one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayValues {
    /// `:day`.
    pub day: NaiveDate,
    /// `:from`: the day's midnight.
    pub from: NaiveDateTime,
    /// `:to`: the next day's midnight.
    pub to: NaiveDateTime,
}

impl DayValues {
    /// The values of `day`.
    pub fn of(day: NaiveDate) -> DayValues {
        let from = day.and_hms_opt(0, 0, 0).expect("midnight exists");
        DayValues {
            day,
            from,
            to: from + chrono::Duration::days(1),
        }
    }

    /// `name`'s value as an Athena literal (`ExecutionParameters` take literals): `:day` is the text
    /// `'2026-12-05'` (lake partitions are usually strings), `:from`/`:to` are timestamps.
    pub fn athena_literal(&self, name: &str) -> String {
        match name {
            "day" => format!("'{}'", self.day.format("%Y-%m-%d")),
            "from" => format!("TIMESTAMP '{}'", self.from.format("%Y-%m-%d %H:%M:%S")),
            _ => format!("TIMESTAMP '{}'", self.to.format("%Y-%m-%d %H:%M:%S")),
        }
    }
}

macro_rules! bind_day_values {
    ($query:expr, $names:expr, $values:expr) => {{
        let mut q = $query;
        for name in $names {
            q = match *name {
                "day" => q.bind($values.day),
                "from" => q.bind($values.from),
                _ => q.bind($values.to),
            };
        }
        q
    }};
}

impl Sources {
    /// Pools of at most `per_source` connections each.
    pub fn new(per_source: u32) -> Sources {
        Sources {
            pools: Mutex::new(HashMap::new()),
            per_source: per_source.max(1),
        }
    }

    async fn pool(
        &self,
        url: &str,
        password_env: Option<&str>,
        timeout: Duration,
    ) -> Result<SourcePool, SourceError> {
        let key = format!("{url}\u{0}{}", password_env.unwrap_or_default());
        let mut pools = self.pools.lock().await;
        if let Some(p) = pools.get(&key) {
            return Ok(p.clone());
        }
        let password = match password_env {
            None => None,
            Some(var) => Some(std::env::var(var).map_err(|_| {
                SourceError::Setup(format!(
                    "the environment variable {var} (password_env of {}) is not set",
                    host_of(url)
                ))
            })?),
        };
        let bad = |e: sqlx::Error| {
            SourceError::Setup(format!("{} is not a usable URL: {e}", host_of(url)))
        };
        let pool = if url.starts_with("postgres") {
            let mut options = PgConnectOptions::from_str(url).map_err(bad)?;
            if let Some(p) = &password {
                options = options.password(p);
            }
            SourcePool::Pg(
                PgPoolOptions::new()
                    .max_connections(self.per_source)
                    .min_connections(0)
                    .acquire_timeout(timeout)
                    .idle_timeout(Duration::from_secs(300))
                    .connect_lazy_with(options.application_name("doberman-checks")),
            )
        } else {
            let url = url.replacen("mariadb://", "mysql://", 1);
            let mut options = MySqlConnectOptions::from_str(&url).map_err(bad)?;
            if let Some(p) = &password {
                options = options.password(p);
            }
            SourcePool::MySql(
                MySqlPoolOptions::new()
                    .max_connections(self.per_source)
                    .min_connections(0)
                    .acquire_timeout(timeout)
                    .idle_timeout(Duration::from_secs(300))
                    .connect_lazy_with(options.charset("utf8mb4")),
            )
        };
        pools.insert(key, pool.clone());
        Ok(pool)
    }

    /// Runs `bound` on the database at `url` in a read-only transaction, at most `timeout` from connecting to
    /// the last row; keeps the first `limit` rows (and says whether there were more).
    pub async fn query(
        &self,
        url: &str,
        password_env: Option<&str>,
        bound: &Bound,
        values: &DayValues,
        timeout: Duration,
        limit: usize,
    ) -> Result<Answer, SourceError> {
        let host = host_of(url);
        let started = Instant::now();
        let pool = self.pool(url, password_env, timeout).await?;
        let left = |started: Instant| timeout.saturating_sub(started.elapsed());
        let connect_error = |e: sqlx::Error| SourceError::Connect {
            host: host.clone(),
            detail: e.to_string(),
        };
        let query_error = |e: sqlx::Error| SourceError::Query {
            host: host.clone(),
            detail: e
                .as_database_error()
                .map_or_else(|| e.to_string(), |d| d.message().to_owned()),
        };
        let timed_out = || SourceError::Timeout {
            host: host.clone(),
            timeout,
        };
        match pool {
            SourcePool::Pg(pool) => {
                let mut guard = Open(Some(pool.acquire().await.map_err(connect_error)?));
                let conn = &mut **guard.conn();
                let ms = left(started).as_millis().max(1);
                let work = async {
                    sqlx::query("START TRANSACTION READ ONLY")
                        .execute(&mut *conn)
                        .await?;
                    // A literal (SET takes no parameters); a number of ours, not input.
                    sqlx::query(&format!("SET LOCAL statement_timeout = {ms}"))
                        .execute(&mut *conn)
                        .await?;
                    let q = bind_day_values!(sqlx::query(&bound.sql), &bound.names, values);
                    let rows: Vec<PgRow> = q.fetch(&mut *conn).take_n(limit + 1).await?;
                    sqlx::query("ROLLBACK").execute(&mut *conn).await?;
                    Ok::<_, sqlx::Error>(rows)
                };
                let outcome = tokio::time::timeout(left(started), work).await;
                settle(outcome, guard, timed_out, query_error)
                    .map(|rows| answer(&rows, limit, pg_value))
            }
            SourcePool::MySql(pool) => {
                let mut guard = Open(Some(pool.acquire().await.map_err(connect_error)?));
                let conn = &mut **guard.conn();
                let secs = left(started).as_secs_f64().max(0.001);
                let work = async {
                    // MariaDB's limit, else MySQL's (numbers of ours, not input); either may be missing.
                    if sqlx::query(&format!("SET SESSION max_statement_time = {secs:.3}"))
                        .execute(&mut *conn)
                        .await
                        .is_err()
                    {
                        let _ = sqlx::query(&format!(
                            "SET SESSION max_execution_time = {}",
                            (secs * 1000.0).ceil() as u64
                        ))
                        .execute(&mut *conn)
                        .await;
                    }
                    sqlx::query("START TRANSACTION READ ONLY")
                        .execute(&mut *conn)
                        .await?;
                    let q = bind_day_values!(sqlx::query(&bound.sql), &bound.names, values);
                    let rows: Vec<MySqlRow> = q.fetch(&mut *conn).take_n(limit + 1).await?;
                    sqlx::query("ROLLBACK").execute(&mut *conn).await?;
                    Ok::<_, sqlx::Error>(rows)
                };
                let outcome = tokio::time::timeout(left(started), work).await;
                settle(outcome, guard, timed_out, query_error)
                    .map(|rows| answer(&rows, limit, mysql_value))
            }
        }
    }
}

/// The rows of a query that ended in time; otherwise the error, and the connection closed rather than handed back
/// to the pool with a statement (or a transaction) still open on it.
fn settle<DB: sqlx::Database, T>(
    outcome: Result<Result<T, sqlx::Error>, tokio::time::error::Elapsed>,
    mut guard: Open<DB>,
    timed_out: impl FnOnce() -> SourceError,
    query_error: impl FnOnce(sqlx::Error) -> SourceError,
) -> Result<T, SourceError> {
    match outcome {
        Ok(Ok(rows)) => {
            // Rolled back: back to the pool.
            drop(guard.0.take());
            Ok(rows)
        }
        // The guard closes the connection.
        Ok(Err(e)) => Err(if is_timeout(&e) {
            timed_out()
        } else {
            query_error(e)
        }),
        Err(_) => Err(timed_out()),
    }
}

/// A source connection in use: closed when dropped (a query that failed, timed out, or whose caller went away
/// mid-statement, e.g. at shutdown), unless taken back out after its transaction was rolled back. Returned to
/// the pool instead, it could stay idle inside the transaction, holding its locks on the source's tables.
struct Open<DB: sqlx::Database>(Option<sqlx::pool::PoolConnection<DB>>);

impl<DB: sqlx::Database> Open<DB> {
    fn conn(&mut self) -> &mut sqlx::pool::PoolConnection<DB> {
        self.0
            .as_mut()
            .expect("a connection is open until it is settled")
    }
}

impl<DB: sqlx::Database> Drop for Open<DB> {
    fn drop(&mut self) {
        if let Some(conn) = self.0.take() {
            drop(conn.detach());
        }
    }
}

/// Whether the database stopped the statement for its time limit (PostgreSQL 57014, MariaDB 1969, MySQL 3024).
fn is_timeout(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| {
        matches!(d.code().as_deref(), Some("57014" | "70100"))
            || d.message().contains("max_statement_time")
            || d.message().contains("maximum statement execution time")
    })
}

trait TakeN<T> {
    async fn take_n(self, n: usize) -> Result<Vec<T>, sqlx::Error>;
}

impl<T, S> TakeN<T> for S
where
    S: futures_util::Stream<Item = Result<T, sqlx::Error>> + Unpin,
{
    async fn take_n(mut self, n: usize) -> Result<Vec<T>, sqlx::Error> {
        let mut out = Vec::new();
        while out.len() < n {
            match self.try_next().await? {
                Some(row) => out.push(row),
                None => break,
            }
        }
        Ok(out)
    }
}

fn answer<R: Row>(rows: &[R], limit: usize, value: fn(&R, usize) -> Value) -> Answer {
    let columns = rows
        .first()
        .map(|r| r.columns().iter().map(|c| c.name().to_owned()).collect())
        .unwrap_or_default();
    Answer {
        columns,
        truncated: rows.len() > limit,
        rows: rows
            .iter()
            .take(limit)
            .map(|r| (0..r.len()).map(|i| value(r, i)).collect())
            .collect(),
        bytes_scanned: None,
    }
}

macro_rules! first_that_decodes {
    ($row:expr, $i:expr, $( $ty:ty => $conv:expr ),+ $(,)?) => {{
        $(
            if let Ok(v) = $row.try_get::<Option<$ty>, _>($i) {
                return match v {
                    None => Value::Null,
                    Some(v) => $conv(v),
                };
            }
        )+
        Value::Text("(a value of a type Doberman does not read)".to_owned())
    }};
}

fn decimal(d: sqlx::types::Decimal) -> Value {
    d.to_string()
        .parse()
        .map_or(Value::Text(d.to_string()), Value::Num)
}

fn pg_value(row: &PgRow, i: usize) -> Value {
    first_that_decodes!(row, i,
        i64 => |v: i64| Value::Num(v as f64),
        i32 => |v: i32| Value::Num(f64::from(v)),
        i16 => |v: i16| Value::Num(f64::from(v)),
        f64 => Value::Num,
        f32 => |v: f32| Value::Num(f64::from(v)),
        sqlx::types::Decimal => decimal,
        chrono::DateTime<chrono::Utc> => |v: chrono::DateTime<chrono::Utc>| Value::Time(v.naive_utc()),
        NaiveDateTime => Value::Time,
        NaiveDate => Value::Date,
        bool => Value::Bool,
        String => Value::Text,
    )
}

fn mysql_value(row: &MySqlRow, i: usize) -> Value {
    first_that_decodes!(row, i,
        i64 => |v: i64| Value::Num(v as f64),
        u64 => |v: u64| Value::Num(v as f64),
        f64 => Value::Num,
        f32 => |v: f32| Value::Num(f64::from(v)),
        sqlx::types::Decimal => decimal,
        chrono::DateTime<chrono::Utc> => |v: chrono::DateTime<chrono::Utc>| Value::Time(v.naive_utc()),
        NaiveDateTime => Value::Time,
        NaiveDate => Value::Date,
        String => Value::Text,
        Vec<u8> => |v: Vec<u8>| Value::Text(String::from_utf8_lossy(&v).into_owned()),
    )
}
