//! The Athena query history collector: per account, region and work group, the ids Athena lists (newest first)
//! up to the first page holding an id already stored, plus stored queries that were still running; their details
//! 50 at a time; the tables each statement reads and writes (from `sql`); written oldest first, in batches, each
//! batch with its roll-up in one transaction. Because older queries are written first, a run that fails midway
//! leaves no gap: the next run lists down to the oldest stored id again.

use std::collections::HashSet;

use anyhow::Context;
use aws_sdk_athena::types::QueryExecution;
use chrono::{DateTime, Utc};

use super::{Ctx, Job, RunReport};
use crate::aws::athena::{self, ExecutionIdPages};
use crate::store::{self, QueryRow, USAGE_WINDOWS};

/// Queries fetched and written per transaction.
const BATCH: usize = 500;

/// One run over every account, region and work group.
pub async fn run_once(ctx: &Ctx) -> anyhow::Result<RunReport> {
    let mut report = RunReport::default();
    let mut failures = Vec::new();
    for target in ctx.targets().await {
        let athena_client = target.aws.athena();
        let work_groups = if ctx.work_groups().is_empty() {
            match athena::enabled_work_groups(athena_client).await {
                Ok(groups) => groups,
                Err(e) => {
                    failures.push(format!("{}: {e}", target.label()));
                    continue;
                }
            }
        } else {
            ctx.work_groups().to_vec()
        };
        ctx.progress.stage(
            Job::Usage,
            &format!("{}/{}", target.account, target.region),
            work_groups.len() as u64,
        );
        for work_group in work_groups {
            let scope = Scope {
                account: &target.account,
                region: &target.region,
                work_group: &work_group,
            };
            match collect_work_group(ctx, athena_client, &scope).await {
                Ok(part) => {
                    report.rows_written += part.rows_written;
                    report.notes.extend(part.notes);
                }
                Err(e) => failures.push(format!(
                    "{} work group {work_group}: {}",
                    target.label(),
                    crate::common::anyhow_chain(&e)
                )),
            }
            ctx.progress.advance(Job::Usage, 1);
        }
    }
    // The windows top tables reads, for a new day or for whatever was written since they were summed: by this
    // run, by a run that failed before it summed them, or by a failed refresh.
    let today = crate::clock::now()
        .with_timezone(&ctx.timezone)
        .date_naive();
    let due = match ctx.store.usage_windows_state(USAGE_WINDOWS[0]).await? {
        Some((through, refreshed_at)) => {
            through != today
                || ctx
                    .store
                    .usage_collected_at()
                    .await?
                    .is_some_and(|written| written >= refreshed_at)
        }
        None => true,
    };
    if due {
        report.rows_written += ctx
            .store
            .refresh_usage_windows(today)
            .await
            .context("Failed to recompute the usage windows")?;
    }
    if failures.is_empty() {
        Ok(report)
    } else {
        anyhow::bail!(
            "The Athena query history could not be read completely ({} rows written before the failure): {}",
            report.rows_written,
            failures.join("; ")
        )
    }
}

struct Scope<'a> {
    account: &'a str,
    region: &'a str,
    work_group: &'a str,
}

async fn collect_work_group(
    ctx: &Ctx,
    athena_client: &aws_sdk_athena::Client,
    scope: &Scope<'_>,
) -> anyhow::Result<RunReport> {
    let store = &ctx.store;
    // Newest first, down to the first page that holds a stored, finished query.
    let mut new_ids = Vec::new();
    let mut pages = ExecutionIdPages::new(athena_client, scope.work_group);
    while let Some(page) = pages.next().await {
        let ids = page.context("Failed to list the query executions")?;
        let known = store
            .athena_finished_among(&ids)
            .await
            .context("Failed to look up stored queries")?;
        let reached_known = !known.is_empty();
        new_ids.extend(ids.into_iter().filter(|id| !known.contains(id)));
        if reached_known {
            break;
        }
    }
    let unfinished = store
        .athena_unfinished_ids(scope.account, scope.region, scope.work_group)
        .await
        .context("Failed to read the stored unfinished queries")?;
    let listed: HashSet<&String> = new_ids.iter().collect();
    let refresh: Vec<String> = unfinished
        .into_iter()
        .filter(|id| !listed.contains(id))
        .collect();
    // Oldest first: the unfinished ones are older than anything new, and the listing is newest first.
    let mut ids = refresh;
    ids.extend(new_ids.into_iter().rev());
    let mut rows_written = 0;
    let mut stored = 0usize;
    let mut unparsed = 0usize;
    let mut unprocessed = Vec::new();
    for batch in ids.chunks(BATCH) {
        let (executions, missing) = athena::executions(athena_client, batch)
            .await
            .context("Failed to read query details")?;
        unprocessed.extend(missing);
        let collected_at = store::now();
        let mut rows: Vec<QueryRow> = executions
            .iter()
            .filter_map(|e| query_row(e, scope, ctx, collected_at))
            .collect();
        // BatchGetQueryExecution answers in any order: keep the oldest-first promise within the batch too.
        rows.sort_by_key(|r| r.submitted_at);
        unparsed += rows.iter().filter(|r| r.tables_error.is_some()).count();
        stored += rows.len();
        rows_written += store
            .write_athena_queries(&rows, collected_at)
            .await
            .context("Failed to store query executions")?;
    }
    if !unprocessed.is_empty() {
        tracing::warn!(
            work_group = scope.work_group,
            count = unprocessed.len(),
            "Athena could not return some query executions; they are read again next run if still listed"
        );
    }
    Ok(RunReport {
        rows_written,
        notes: vec![format!(
            "{}/{}/{}: {stored} queries stored ({unparsed} whose tables could not be read from the SQL), {} not returned by Athena",
            scope.account,
            scope.region,
            scope.work_group,
            unprocessed.len()
        )],
    })
}

fn query_row(
    e: &QueryExecution,
    scope: &Scope<'_>,
    ctx: &Ctx,
    collected_at: DateTime<Utc>,
) -> Option<QueryRow> {
    let query_id = e.query_execution_id.clone()?;
    let status = e.status.as_ref();
    let state = status
        .and_then(|s| s.state.as_ref())
        .map_or("UNKNOWN", |s| s.as_str())
        .to_owned();
    let submitted_at = status
        .and_then(|s| s.submission_date_time.as_ref())
        .and_then(super::utc)
        .unwrap_or(collected_at);
    let completed_at = status
        .and_then(|s| s.completion_date_time.as_ref())
        .and_then(super::utc);
    let context = e.query_execution_context.as_ref();
    let query_database = context.and_then(|c| c.database.clone());
    let query_catalog = context.and_then(|c| c.catalog.clone());
    let sql = e.query.clone().unwrap_or_default();
    let stats = e.statistics.as_ref();
    let error_message = status.and_then(|s| {
        s.athena_error
            .as_ref()
            .and_then(|a| a.error_message.clone())
            .or_else(|| s.state_change_reason.clone())
    });
    let (reads, writes, tables_error) = tables_of(&sql, query_database.as_deref());
    let (sql_text, sql_truncated) = keep_sql(&sql, ctx.max_sql_bytes as usize);
    Some(QueryRow {
        query_id,
        account: scope.account.to_owned(),
        region: scope.region.to_owned(),
        work_group: scope.work_group.to_owned(),
        state,
        statement_type: e.statement_type.as_ref().map(|t| t.as_str().to_owned()),
        query_catalog,
        query_database,
        submitted_at,
        completed_at,
        usage_date: submitted_at.with_timezone(&ctx.timezone).date_naive(),
        engine_ms: stats.and_then(|s| s.engine_execution_time_in_millis),
        total_ms: stats.and_then(|s| s.total_execution_time_in_millis),
        queue_ms: stats.and_then(|s| s.query_queue_time_in_millis),
        bytes_scanned: stats.and_then(|s| s.data_scanned_in_bytes),
        engine_version: e
            .engine_version
            .as_ref()
            .and_then(|v| v.effective_engine_version.clone()),
        error_message,
        sql_text,
        sql_bytes: i64::try_from(sql.len()).unwrap_or(i64::MAX),
        sql_truncated,
        sql_hash: sql_hash(&sql),
        tables_error,
        reads,
        writes,
    })
}

/// Reads and writes as (database, table); a statement that cannot be parsed gives an error and no tables.
#[allow(clippy::type_complexity)]
fn tables_of(
    sql: &str,
    context_db: Option<&str>,
) -> (Vec<(String, String)>, Vec<(String, String)>, Option<String>) {
    match crate::sql::tables(sql, context_db) {
        Ok(t) => (
            t.reads.iter().map(|n| split_name(n)).collect(),
            t.writes.iter().map(|n| split_name(n)).collect(),
            None,
        ),
        Err(e) => (Vec::new(), Vec::new(), Some(e.0)),
    }
}

/// `db.table` → (`db`, `table`); `catalog.db.table` → (`catalog.db`, `table`); `table` → (``, `table`).
fn split_name(name: &str) -> (String, String) {
    match name.rsplit_once('.') {
        Some((db, table)) => (db.to_owned(), table.to_owned()),
        None => (String::new(), name.to_owned()),
    }
}

/// The first `max` bytes of `sql`, cut on a character boundary; `None` when nothing is kept.
fn keep_sql(sql: &str, max: usize) -> (Option<String>, bool) {
    if max == 0 {
        return (None, !sql.is_empty());
    }
    if sql.len() <= max {
        return (Some(sql.to_owned()), false);
    }
    let mut end = max;
    while !sql.is_char_boundary(end) {
        end -= 1;
    }
    (Some(sql[..end].to_owned()), true)
}

/// FNV-1a (64 bits) of the text with runs of whitespace collapsed: the same query reformatted counts once.
fn sql_hash(sql: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |b: u8| {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    };
    for (i, word) in sql.split_whitespace().enumerate() {
        if i > 0 {
            feed(b' ');
        }
        word.bytes().for_each(&mut feed);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_is_cut_on_a_character_boundary() {
        let sql = "SELECT '한글' FROM t";
        let (kept, cut) = keep_sql(sql, 9);
        assert_eq!(
            kept.as_deref(),
            Some("SELECT '"),
            "the first Korean letter would not fit whole"
        );
        assert!(cut);
        assert_eq!(keep_sql(sql, 1000), (Some(sql.to_owned()), false));
        assert_eq!(keep_sql(sql, 0), (None, true), "0 keeps nothing");
    }

    #[test]
    fn the_same_query_reformatted_has_the_same_hash() {
        assert_eq!(sql_hash("SELECT *\n  FROM t"), sql_hash("SELECT * FROM t "));
        assert_ne!(sql_hash("SELECT * FROM t"), sql_hash("SELECT * FROM u"));
        assert_eq!(sql_hash("").len(), 16);
    }

    #[test]
    fn names_split_into_database_and_table() {
        assert_eq!(
            split_name("sales.orders"),
            ("sales".into(), "orders".into())
        );
        assert_eq!(
            split_name("other.sales.orders"),
            ("other.sales".into(), "orders".into())
        );
        assert_eq!(split_name("orders"), (String::new(), "orders".into()));
    }

    #[test]
    fn an_unparsable_statement_gives_an_error_and_no_tables() {
        let (reads, writes, error) = tables_of("SELEC broken (((", Some("sales"));
        assert!(reads.is_empty() && writes.is_empty());
        assert!(error.is_some());
        let (reads, _, error) = tables_of("SELECT * FROM orders", Some("sales"));
        assert_eq!(reads, [("sales".to_owned(), "orders".to_owned())]);
        assert!(error.is_none());
    }
}
