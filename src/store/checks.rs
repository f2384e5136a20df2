//! Data checks: `dim_check` (the declared checks and Glue Data Quality rulesets, versioned by a hash) and
//! `fact_check_result` (what a check found for a day; a re-run of the day replaces its row). A result and the
//! check's pointers to it are written in one transaction.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use super::bulk::{Upsert, Val, run_upsert};
use super::{BeginWrite, BinText, Store, StoreError, on_pool};

/// A check as `dim_check` keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckRow {
    /// Unique name.
    pub name: String,
    /// `database.table`.
    pub table: String,
    /// Kind name.
    pub kind: String,
    /// `error` or `warn`.
    pub severity: String,
    /// Owner as written.
    pub owner: Option<String>,
    /// Cron.
    pub schedule: String,
    /// `athena`, a URL without password, or none.
    pub source: Option<String>,
    /// `athena`, a URL without password, or `glue`.
    pub lake: String,
    /// Check file, relative to `checks.dir`; none for Glue Data Quality.
    pub file: Option<String>,
    /// JSON definition.
    pub definition: String,
    /// Hash of the definition.
    pub version_hash: String,
}

/// What one run of a check found for a day.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckResultRow {
    /// The check.
    pub check_name: String,
    /// The day checked.
    pub day: NaiveDate,
    /// The definition's hash.
    pub version_hash: String,
    /// When the run ended.
    pub ran_at: DateTime<Utc>,
    /// `pass`, `fail` or `error`.
    pub status: String,
    /// The system of record's number.
    pub source_value: Option<f64>,
    /// The lake's number.
    pub lake_value: Option<f64>,
    /// How far apart, or outside the limit.
    pub difference: Option<f64>,
    /// JSON detail.
    pub detail: Option<String>,
    /// In words.
    pub message: Option<String>,
    /// Wall time.
    pub duration_ms: i64,
    /// Bytes Athena scanned.
    pub bytes_scanned: Option<i64>,
}

/// A check with its latest result, as `checks` and `catalog table` show it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CheckStatus {
    /// Name.
    #[sqlx(try_from = "BinText")]
    pub check_name: String,
    /// `database.table`.
    pub table_name: String,
    /// Kind.
    pub kind: String,
    /// `error` or `warn`.
    pub severity: String,
    /// Owner.
    pub owner: Option<String>,
    /// Cron.
    pub schedule: String,
    /// Source label.
    pub source: Option<String>,
    /// Lake label.
    pub lake: String,
    /// The hash of the definition now.
    pub version_hash: String,
    /// Latest result's day, if it ran.
    pub day_checked: Option<NaiveDate>,
    /// Its status.
    pub status: Option<String>,
    /// When it ran.
    pub ran_at: Option<DateTime<Utc>>,
    /// Numbers.
    pub source_value: Option<f64>,
    /// Numbers.
    pub lake_value: Option<f64>,
    /// Numbers.
    pub difference: Option<f64>,
    /// In words.
    pub message: Option<String>,
}

/// One stored result.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CheckResult {
    /// Id.
    pub id: i64,
    /// The check.
    #[sqlx(try_from = "BinText")]
    pub check_name: String,
    /// The day checked.
    pub day_checked: NaiveDate,
    /// Definition hash it ran.
    pub version_hash: String,
    /// When.
    pub ran_at: DateTime<Utc>,
    /// `pass`, `fail` or `error`.
    pub status: String,
    /// Numbers.
    pub source_value: Option<f64>,
    /// Numbers.
    pub lake_value: Option<f64>,
    /// Numbers.
    pub difference: Option<f64>,
    /// JSON.
    pub detail: Option<String>,
    /// In words.
    pub message: Option<String>,
    /// Wall time.
    pub duration_ms: i64,
    /// Athena bytes.
    pub bytes_scanned: Option<i64>,
}

/// When a check last ran on its schedule, and which definition is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSchedule {
    /// The schedule tick its latest scheduled run was for.
    pub last_due_at: Option<DateTime<Utc>>,
    /// The stored definition's hash.
    pub version_hash: String,
    /// Still declared.
    pub is_active: bool,
}

const STATUS_COLUMNS: &str = "c.check_name, c.table_name, c.kind, c.severity, c.owner, c.schedule, c.source, \
     c.lake, c.version_hash, r.day_checked, r.status, r.ran_at, r.source_value, r.lake_value, r.difference, \
     COALESCE(r.message_msg, r.message) AS message";
const RESULT_COLUMNS: &str = "id, check_name, day_checked, version_hash, ran_at, status, source_value, \
     lake_value, difference, detail, COALESCE(message_msg, message) AS message, duration_ms, bytes_scanned";

const CHECK_UPSERT: Upsert<'static> = Upsert {
    table: "dim_check",
    columns: &[
        "check_name",
        "table_name",
        "kind",
        "severity",
        "owner",
        "schedule",
        "source",
        "lake",
        "file",
        "definition",
        "version_hash",
        "is_active",
        "first_seen_at",
        "updated_at",
    ],
    key: &["check_name"],
    update: &[
        "table_name",
        "kind",
        "severity",
        "owner",
        "schedule",
        "source",
        "lake",
        "file",
        "definition",
        "version_hash",
        "is_active",
        "updated_at",
    ],
    also: &[],
    add: &[],
};

const RESULT_UPSERT: Upsert<'static> = Upsert {
    table: "fact_check_result",
    columns: &[
        "check_name",
        "day_checked",
        "version_hash",
        "ran_at",
        "status",
        "source_value",
        "lake_value",
        "difference",
        "detail",
        "message",
        "message_msg",
        "duration_ms",
        "bytes_scanned",
    ],
    key: &["check_name", "day_checked"],
    update: &[
        "version_hash",
        "ran_at",
        "status",
        "source_value",
        "lake_value",
        "difference",
        "detail",
        "message",
        "message_msg",
        "duration_ms",
        "bytes_scanned",
    ],
    also: &[],
    add: &[],
};

fn result_vals(r: &CheckResultRow) -> Vec<Val> {
    // The message column keeps English for Superset; the stored message, drawn per reader, goes beside it.
    let (english, message) = match r
        .message
        .as_deref()
        .map(|m| crate::i18n::for_the_record(m, r.ran_at))
    {
        Some((english, message)) => (Some(english), message),
        None => (None, None),
    };
    vec![
        r.check_name.as_str().into(),
        r.day.into(),
        r.version_hash.as_str().into(),
        r.ran_at.into(),
        r.status.as_str().into(),
        Val::Real(r.source_value),
        Val::Real(r.lake_value),
        Val::Real(r.difference),
        r.detail.clone().into(),
        english.into(),
        message.into(),
        r.duration_ms.into(),
        r.bytes_scanned.into(),
    ]
}

impl Store {
    /// Makes `dim_check` hold `checks` as declared: new and changed ones are written (a change moves
    /// `updated_at`), and those of the same origin (`files`: from check files, else Glue Data Quality) that are
    /// no longer declared are marked inactive. Returns how many rows changed.
    pub async fn sync_checks(
        &self,
        checks: &[CheckRow],
        files: bool,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let stored = self.check_schedules().await?;
        let declared: BTreeSet<&str> = checks.iter().map(|c| c.name.as_str()).collect();
        let rows: Vec<Vec<Val>> = checks
            .iter()
            .filter(|c| {
                stored
                    .get(&c.name)
                    .is_none_or(|s| s.version_hash != c.version_hash || !s.is_active)
            })
            .map(|c| {
                vec![
                    c.name.as_str().into(),
                    c.table.as_str().into(),
                    c.kind.as_str().into(),
                    c.severity.as_str().into(),
                    c.owner.clone().into(),
                    c.schedule.as_str().into(),
                    c.source.clone().into(),
                    c.lake.as_str().into(),
                    c.file.clone().into(),
                    c.definition.as_str().into(),
                    c.version_hash.as_str().into(),
                    true.into(),
                    now.into(),
                    now.into(),
                ]
            })
            .collect();
        let origin: Vec<String> = self
            .check_origins()
            .await?
            .into_iter()
            .filter(|(name, from_file)| *from_file == files && !declared.contains(name.as_str()))
            .map(|(name, _)| name)
            .collect();
        if rows.is_empty() && origin.is_empty() {
            return Ok(0);
        }
        let backend = self.backend();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await.map_err(StoreError::query("begin writing checks"))?;
            let mut changed = run_upsert!(backend, tx, CHECK_UPSERT, &rows)
                .map_err(StoreError::query("write checks"))?;
            for chunk in origin.chunks(500) {
                let sql = format!(
                    "UPDATE dim_check SET is_active = 0 WHERE check_name IN ({})",
                    vec!["?"; chunk.len()].join(", ")
                );
                let mut q = sqlx::query(&sql);
                for name in chunk {
                    q = q.bind(name.as_str());
                }
                changed += q.execute(&mut *tx).await.map_err(StoreError::query("retire checks"))?.rows_affected();
            }
            tx.commit().await.map_err(StoreError::query("commit checks"))?;
            Ok(changed)
        })
    }

    /// Every active check's name → whether it comes from a file.
    async fn check_origins(&self) -> Result<Vec<(String, bool)>, StoreError> {
        let rows: Vec<(BinText, Option<String>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT check_name, file FROM dim_check WHERE is_active = 1 AND (file IS NULL OR file <> ?)")
            .bind(super::DEMO_CHECK_FILE)
            .fetch_all(pool)
            .await
            .map_err(StoreError::query("read the checks"))?);
        Ok(rows.into_iter().map(|(n, f)| (n.0, f.is_some())).collect())
    }

    /// Each stored check's schedule state, by name.
    pub async fn check_schedules(&self) -> Result<HashMap<String, CheckSchedule>, StoreError> {
        let rows: Vec<(BinText, Option<DateTime<Utc>>, String, bool)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT check_name, last_due_at, version_hash, is_active FROM dim_check")
            .fetch_all(pool)
            .await
            .map_err(StoreError::query("read the checks' schedules"))?);
        Ok(rows
            .into_iter()
            .map(|(n, last_due_at, version_hash, is_active)| {
                (
                    n.0,
                    CheckSchedule {
                        last_due_at,
                        version_hash,
                        is_active,
                    },
                )
            })
            .collect())
    }

    /// Records `result` (replacing an earlier result of the same check and day) and points the check at its
    /// latest result; `due_at` is the schedule tick the run was for (none for a run by hand or a backfill).
    pub async fn record_check_result(
        &self,
        result: &CheckResultRow,
        due_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let backend = self.backend();
        let rows = vec![result_vals(result)];
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await.map_err(StoreError::query("begin writing a check result"))?;
            run_upsert!(backend, tx, RESULT_UPSERT, &rows).map_err(StoreError::query("write a check result"))?;
            // One statement: the latest is read as the update locks the check, so two runs of one check (the
            // schedule and a backfill) cannot leave it pointing at the older.
            sqlx::query("UPDATE dim_check SET last_result_id = (SELECT id FROM fact_check_result \
                         WHERE check_name = ? ORDER BY day_checked DESC, ran_at DESC LIMIT 1), \
                         last_due_at = COALESCE(?, last_due_at) WHERE check_name = ?")
                .bind(result.check_name.as_str())
                .bind(due_at)
                .bind(result.check_name.as_str())
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("point a check at its latest result"))?;
            tx.commit().await.map_err(StoreError::query("commit a check result"))?;
            Ok(())
        })
    }

    /// Every active check with its latest result; only `table`'s when given. Failing first is the caller's order.
    pub async fn check_statuses(
        &self,
        table: Option<&str>,
    ) -> Result<Vec<CheckStatus>, StoreError> {
        let sql = format!(
            "SELECT {STATUS_COLUMNS} FROM dim_check c LEFT JOIN fact_check_result r ON r.id = c.last_result_id \
             WHERE c.is_active = 1{} ORDER BY c.table_name, c.check_name",
            if table.is_some() {
                " AND c.table_name = ?"
            } else {
                ""
            }
        );
        on_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql);
            if let Some(t) = table {
                q = q.bind(t);
            }
            q.fetch_all(pool).await.map_err(StoreError::query("read the checks"))
        })
    }

    /// The latest `limit` results of a check, newest day first.
    pub async fn check_history(
        &self,
        name: &str,
        limit: u32,
    ) -> Result<Vec<CheckResult>, StoreError> {
        let sql = format!(
            "SELECT {RESULT_COLUMNS} FROM fact_check_result WHERE check_name = ? \
             ORDER BY day_checked DESC, ran_at DESC LIMIT ?"
        );
        on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(name)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
            .map_err(StoreError::query("read a check's results")))
    }

    /// Counts of the results of checks run for days from `since`, by status: (pass, fail, error).
    pub async fn check_counts_since(
        &self,
        since: NaiveDate,
    ) -> Result<(i64, i64, i64), StoreError> {
        let rows: Vec<(String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT r.status, count(*) FROM dim_check c JOIN fact_check_result r ON r.id = c.last_result_id \
             WHERE c.is_active = 1 AND r.day_checked >= ? GROUP BY r.status")
            .bind(since)
            .fetch_all(pool)
            .await
            .map_err(StoreError::query("count the checks' results"))?);
        let get = |s: &str| rows.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
        Ok((get("pass"), get("fail"), get("error")))
    }
}
