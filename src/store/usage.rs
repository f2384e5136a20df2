//! The Athena query history: `fact_athena_query`, `fact_athena_query_table` and the daily roll-up
//! `fact_table_usage_daily`, recomputed for every day a write touched so "top tables" is a cheap read.

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::bulk::{Upsert, Val, bind_vals, run_upsert};
use super::{Store, StoreError, on_pool};

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
        };
        let table_upsert = Upsert {
            table: "fact_athena_query_table",
            columns: &["query_id", "database_name", "table_name", "access"],
            key: &["query_id", "database_name", "table_name", "access"],
            update: &[],
            also: &[],
        };
        let days: BTreeSet<(&str, &str, NaiveDate)> = queries
            .iter()
            .map(|q| (q.account.as_str(), q.region.as_str(), q.usage_date))
            .collect();
        let ids: Vec<Val> = queries.iter().map(|q| q.query_id.as_str().into()).collect();
        on_pool!(self, pool => async {
            let mut tx = pool.begin().await.map_err(StoreError::query(context))?;
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
                sqlx::query(
                    "DELETE FROM fact_table_usage_daily WHERE usage_date = ? AND account = ? AND region = ?",
                )
                .bind(*day)
                .bind(*account)
                .bind(*region)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(context))?;
                rolled += sqlx::query(ROLL_UP)
                    .bind(*day)
                    .bind(*account)
                    .bind(*region)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query(context))?
                    .rows_affected();
            }
            tx.commit().await.map_err(StoreError::query(context))?;
            Ok::<u64, StoreError>((query_rows.len() + table_rows.len()) as u64 + rolled)
        }.await)
    }
}

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
        // Per table the daily roll-up is exact. Per database it is not (a query using two tables of one
        // database is in two table rows), so databases count each query once from the query tables.
        // The clauses are constants of this function, never input; values are bound.
        let sql = if per_database {
            format!(
                "SELECT database_name, '', \
                 CAST(SUM(CASE WHEN usage_date >= ? THEN 1 ELSE 0 END) AS SIGNED INTEGER) AS now_queries, \
                 CAST(SUM(CASE WHEN usage_date >= ? THEN COALESCE(bytes, 0) ELSE 0 END) AS SIGNED INTEGER) AS now_bytes, \
                 CAST(SUM(CASE WHEN usage_date < ? THEN 1 ELSE 0 END) AS SIGNED INTEGER) AS previous_queries \
                 FROM (SELECT t.database_name AS database_name, q.query_id, MAX(q.usage_date) AS usage_date, \
                 MAX(q.bytes_scanned) AS bytes \
                 FROM fact_athena_query q JOIN fact_athena_query_table t ON t.query_id = q.query_id \
                 WHERE q.usage_date >= ? AND q.usage_date <= ? AND (? IS NULL OR t.database_name = ?) \
                 GROUP BY t.database_name, q.query_id) x \
                 GROUP BY database_name HAVING now_queries > 0 ORDER BY {order}, database_name LIMIT ?"
            )
        } else {
            format!(
                "SELECT database_name, table_name, \
                 CAST(SUM(CASE WHEN usage_date >= ? THEN queries ELSE 0 END) AS SIGNED INTEGER) AS now_queries, \
                 CAST(SUM(CASE WHEN usage_date >= ? THEN bytes_scanned ELSE 0 END) AS SIGNED INTEGER) AS now_bytes, \
                 CAST(SUM(CASE WHEN usage_date < ? THEN queries ELSE 0 END) AS SIGNED INTEGER) AS previous_queries \
                 FROM fact_table_usage_daily \
                 WHERE usage_date >= ? AND usage_date <= ? AND (? IS NULL OR database_name = ?) \
                 GROUP BY database_name, table_name HAVING now_queries > 0 \
                 ORDER BY {order}, database_name, table_name LIMIT ?"
            )
        };
        let rows: Vec<(super::BinText, super::BinText, i64, i64, i64)> =
            on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(from)
            .bind(from)
            .bind(from)
            .bind(previous_from)
            .bind(to)
            .bind(database)
            .bind(database)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await)
            .map_err(StoreError::query("read table usage"))?;
        Ok(rows
            .into_iter()
            .map(
                |(database, table, queries, bytes_scanned, previous_queries)| UsageTotal {
                    database: database.0,
                    table: table.0,
                    queries,
                    bytes_scanned,
                    previous_queries,
                },
            )
            .collect())
    }

    /// Queries that used any table (of `database`, when given) from `from` to `to`, each counted once, and the
    /// bytes they scanned.
    pub async fn usage_overall(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        database: Option<&str>,
    ) -> Result<(i64, i64), StoreError> {
        on_pool!(self, pool => sqlx::query_as(
            "SELECT CAST(COUNT(*) AS SIGNED INTEGER), CAST(COALESCE(SUM(bytes), 0) AS SIGNED INTEGER) FROM ( \
             SELECT q.query_id, MAX(q.bytes_scanned) AS bytes FROM fact_athena_query q \
             JOIN fact_athena_query_table t ON t.query_id = q.query_id \
             WHERE q.usage_date >= ? AND q.usage_date <= ? AND (? IS NULL OR t.database_name = ?) \
             GROUP BY q.query_id) x",
        )
        .bind(from)
        .bind(to)
        .bind(database)
        .bind(database)
        .fetch_one(pool)
        .await)
        .map_err(StoreError::query("read overall usage"))
    }

    /// When the query history was last written.
    pub async fn usage_collected_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar("SELECT MAX(collected_at) FROM fact_athena_query")
            .fetch_one(pool)
            .await)
        .map_err(StoreError::query("read when usage was collected"))
    }
}

/// One day of one account and region, from the stored queries: a query that reads and writes a table counts
/// once for it, with its bytes.
const ROLL_UP: &str = "INSERT INTO fact_table_usage_daily (usage_date, account, region, work_group, database_name, \
     table_name, queries, read_queries, write_queries, failed_queries, bytes_scanned, distinct_queries) \
     SELECT q.usage_date, q.account, q.region, q.work_group, t.database_name, t.table_name, COUNT(*), \
     SUM(t.did_read), SUM(t.did_write), \
     SUM(CASE WHEN q.state IN ('FAILED', 'CANCELLED') THEN 1 ELSE 0 END), \
     COALESCE(SUM(q.bytes_scanned), 0), COUNT(DISTINCT q.sql_hash) \
     FROM fact_athena_query q JOIN ( \
       SELECT query_id, database_name, table_name, \
       MAX(CASE WHEN access = 'read' THEN 1 ELSE 0 END) AS did_read, \
       MAX(CASE WHEN access = 'write' THEN 1 ELSE 0 END) AS did_write \
       FROM fact_athena_query_table GROUP BY query_id, database_name, table_name \
     ) t ON t.query_id = q.query_id \
     WHERE q.usage_date = ? AND q.account = ? AND q.region = ? \
     GROUP BY q.usage_date, q.account, q.region, q.work_group, t.database_name, t.table_name";
