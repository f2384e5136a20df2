//! `job_run`: one row per scheduled job run.

use chrono::{DateTime, Utc};

use super::{Pool, Store, StoreError, on_pool};

/// The id of a `job_run` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct JobRunId(pub i64);

/// Where a job run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    /// Started, not finished (or the process died mid-run).
    Running,
    /// Finished without error.
    Succeeded,
    /// Finished with an error.
    Failed,
    /// Not run (another replica held the lease, or the previous run was still going).
    Skipped,
}

impl JobStatus {
    /// The value stored in `job_run.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Skipped => "skipped",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "running" => Some(JobStatus::Running),
            "succeeded" => Some(JobStatus::Succeeded),
            "failed" => Some(JobStatus::Failed),
            "skipped" => Some(JobStatus::Skipped),
            _ => None,
        }
    }
}

/// How a job run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobOutcome {
    /// Succeeded, failed or skipped.
    pub status: JobStatus,
    /// Rows inserted or updated.
    pub rows_written: i64,
    /// For failures: the error chain, outermost first.
    pub error_text: Option<String>,
}

/// One stored job run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRun {
    /// Row id.
    pub id: JobRunId,
    /// Job name.
    pub job: String,
    /// Start (UTC).
    pub started_at: DateTime<Utc>,
    /// End (UTC), if it ended.
    pub finished_at: Option<DateTime<Utc>>,
    /// Where it stands.
    pub status: JobStatus,
    /// Rows written.
    pub rows_written: i64,
    /// Error chain of a failure.
    pub error_text: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    job: String,
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    status: String,
    rows_written: i64,
    error_text: Option<String>,
}

impl Store {
    /// Records that `job` started; the returned id finishes it.
    pub async fn start_job_run(
        &self,
        job: &str,
        started_at: DateTime<Utc>,
    ) -> Result<JobRunId, StoreError> {
        const SQL: &str = "INSERT INTO job_run (job, started_at, status, rows_written) VALUES (?, ?, 'running', 0)";
        let id = match &self.pool {
            Pool::MySql(pool) => sqlx::query(SQL)
                .bind(job)
                .bind(started_at)
                .execute(pool)
                .await
                .map(|r| i64::try_from(r.last_insert_id()).unwrap_or(i64::MAX)),
            Pool::Sqlite(pool) => sqlx::query(SQL)
                .bind(job)
                .bind(started_at)
                .execute(pool)
                .await
                .map(|r| r.last_insert_rowid()),
        }
        .map_err(StoreError::query("record a job start"))?;
        Ok(JobRunId(id))
    }

    /// Records how a job run ended.
    pub async fn finish_job_run(
        &self,
        id: JobRunId,
        finished_at: DateTime<Utc>,
        outcome: &JobOutcome,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "UPDATE job_run SET finished_at = ?, status = ?, rows_written = ?, error_text = ? WHERE id = ?",
        )
        .bind(finished_at)
        .bind(outcome.status.as_str())
        .bind(outcome.rows_written)
        .bind(&outcome.error_text)
        .bind(id.0)
        .execute(pool)
        .await
        .map(|_| ()))
        .map_err(StoreError::query("record a job end"))
    }

    /// The latest runs of one job (or of every job), newest first.
    pub async fn recent_job_runs(
        &self,
        job: Option<&str>,
        limit: u32,
    ) -> Result<Vec<JobRun>, StoreError> {
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, job, started_at, finished_at, status, rows_written, error_text FROM job_run \
             WHERE job = ? OR ? IS NULL ORDER BY started_at DESC, id DESC LIMIT ?",
        )
        .bind(job)
        .bind(job)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)
        .map_err(StoreError::query("read job runs"))?;
        rows.into_iter()
            .map(|r| {
                let status = JobStatus::parse(&r.status).ok_or_else(|| StoreError::Query {
                    context: "read job runs",
                    source: sqlx::Error::Decode(
                        format!("unknown job status `{}`", r.status).into(),
                    ),
                })?;
                Ok(JobRun {
                    id: JobRunId(r.id),
                    job: r.job,
                    started_at: r.started_at,
                    finished_at: r.finished_at,
                    status,
                    rows_written: r.rows_written,
                    error_text: r.error_text,
                })
            })
            .collect()
    }
}

impl Store {
    /// When `job` last finished successfully.
    pub async fn last_job_success(&self, job: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT MAX(finished_at) FROM job_run WHERE job = ? AND status = 'succeeded'",
        )
        .bind(job)
        .fetch_one(pool)
        .await)
        .map_err(StoreError::query("read a job's last success"))
    }
}

impl Store {
    /// When each fact family was last written: the Glue catalog (`dim_table`), the query history
    /// (`fact_athena_query`) and cost (`fact_cost_daily`), by table name.
    pub async fn data_freshness(
        &self,
    ) -> Result<Vec<(&'static str, Option<DateTime<Utc>>)>, StoreError> {
        const TABLES: [(&str, &str); 4] = [
            ("dim_table", "SELECT MAX(last_seen_at) FROM dim_table"),
            (
                "fact_athena_query",
                "SELECT MAX(collected_at) FROM fact_athena_query",
            ),
            (
                "fact_cost_daily",
                "SELECT MAX(collected_at) FROM fact_cost_daily",
            ),
            // The start of the last complete collection: runs that did not change are not rewritten.
            (
                "fact_airflow_dag_run",
                "SELECT MAX(collected_through) FROM airflow_instance",
            ),
        ];
        let mut out = Vec::new();
        for (table, sql) in TABLES {
            let at: Option<DateTime<Utc>> =
                on_pool!(self, pool => sqlx::query_scalar(sql).fetch_one(pool).await)
                    .map_err(StoreError::query("read data freshness"))?;
            out.push((table, at));
        }
        Ok(out)
    }
}
