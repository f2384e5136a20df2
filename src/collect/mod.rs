//! The collectors and the runner that runs them once: claim the job's lease in the database (so replicas sharing
//! it run each job once), record a `job_run` row, run, renew the lease while running, record how it ended.
//! `schedule` decides when; `doberman collect` runs them by hand through the same runner.

pub mod airflow;
pub mod catalog;
pub mod cost;
pub mod usage;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_glue::config::SharedCredentialsProvider;
use chrono::{DateTime, Utc};
use tokio::sync::OnceCell;
use tokio_util::sync::CancellationToken;

use crate::aws::{self, Target};
use crate::config::{AwsConfig, Config};
use crate::store::{self, JobOutcome, JobStatus, Store};

/// A collector Doberman runs on a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// The Glue Data Catalog: databases, tables, columns, partitions, freshness.
    Catalog,
    /// Athena query history and which tables each query used.
    Usage,
    /// AWS cost from the Cost and Usage Report, aggregated by Athena.
    Cost,
    /// Airflow: DAGs, runs, failed task tries and import errors.
    Airflow,
    /// Data checks: the checks of `checks.dir` whose schedule fired, and Glue Data Quality results.
    Checks,
}

impl Job {
    /// Every job, in the order `collect all` runs them (usage resolves tables the catalog knows).
    pub const ALL: [Job; 5] = [
        Job::Catalog,
        Job::Usage,
        Job::Cost,
        Job::Airflow,
        Job::Checks,
    ];

    /// The name in `job_run`, `[schedule]` and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Job::Catalog => "catalog",
            Job::Usage => "usage",
            Job::Cost => "cost",
            Job::Airflow => "airflow",
            Job::Checks => "checks",
        }
    }

    /// What is missing from `config` for it to run (the key to set), or `None` when it can run.
    pub fn missing(self, config: &Config) -> Option<&'static str> {
        match self {
            Job::Cost if config.cost.database.is_empty() => Some("cost.database is not set"),
            Job::Airflow if config.airflow.instances.is_empty() => {
                Some("airflow.instances is empty")
            }
            Job::Checks if config.checks.checks.is_empty() && !config.checks.glue_data_quality => {
                Some("checks.dir declares no check and checks.glue_data_quality is off")
            }
            _ => None,
        }
    }

    /// What it does, for `doberman jobs`.
    pub fn summary(self) -> &'static str {
        match self {
            Job::Catalog => "Glue catalog: databases, tables, columns, partitions, freshness",
            Job::Usage => "Athena query history and the tables each query used",
            Job::Cost => "AWS cost from the Cost and Usage Report, aggregated by Athena",
            Job::Airflow => "Airflow: DAGs, runs, failed tasks and import errors",
            Job::Checks => "Data checks due (checks.dir) and Glue Data Quality results",
        }
    }

    /// The Superset dashboard of the data it writes.
    pub fn dashboard(self) -> &'static str {
        match self {
            Job::Catalog => "doberman-catalog",
            Job::Usage => "doberman-usage",
            Job::Cost => "doberman-cost",
            Job::Airflow => "doberman-airflow",
            Job::Checks => "doberman-quality",
        }
    }

    /// The job called `name`.
    pub fn parse(name: &str) -> Option<Job> {
        Job::ALL
            .into_iter()
            .find(|j| j.name().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Progress of a running collector, shown by `doberman collect` as bars; silent when scheduled.
pub trait Progress: Send + Sync {
    /// A new stage of `total` steps begins (e.g. the databases of one account and region).
    fn stage(&self, job: Job, label: &str, total: u64);
    /// `n` steps of the current stage are done.
    fn advance(&self, job: Job, n: u64);
}

/// Progress that shows nothing.
#[derive(Debug, Default)]
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _job: Job, _label: &str, _total: u64) {}
    fn advance(&self, _job: Job, _n: u64) {}
}

/// What a successful run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Rows inserted or updated.
    pub rows_written: u64,
    /// One line each of what it saw, for logs and the CLI summary.
    pub notes: Vec<String>,
}

/// What the collectors need: the store, the AWS clients (built on first use, so a Doberman without AWS starts
/// without touching the credential chain), and their settings.
pub struct Ctx {
    /// The store.
    pub store: Store,
    aws_config: AwsConfig,
    credentials: Option<SharedCredentialsProvider>,
    targets: OnceCell<Vec<Target>>,
    /// Time zone of dates (snapshots, usage days).
    pub timezone: chrono_tz::Tz,
    /// `usage.max_sql_bytes`.
    pub max_sql_bytes: u32,
    cost: crate::config::CostConfig,
    airflow: crate::config::AirflowConfig,
    /// Jobs whose settings are missing (see [`Job::missing`]).
    unconfigured: Vec<Job>,
    /// Progress display.
    pub progress: Arc<dyn Progress>,
    /// Runs the data checks (shared with the chat's `check run`).
    pub checker: Arc<crate::checks::Checker>,
}

impl fmt::Debug for Ctx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ctx")
            .field("aws", &self.aws_config)
            .field("timezone", &self.timezone)
            .finish_non_exhaustive()
    }
}

impl Ctx {
    /// The context for `config`; `credentials` replaces the default chain's base credentials (tests).
    pub fn new(
        config: &Config,
        store: Store,
        credentials: Option<SharedCredentialsProvider>,
        progress: Arc<dyn Progress>,
    ) -> Ctx {
        let store_for_checks = store.clone();
        let credentials_for_checks = credentials.clone();
        Ctx {
            store,
            aws_config: config.aws.clone(),
            credentials,
            targets: OnceCell::new(),
            timezone: config.schedule.timezone,
            max_sql_bytes: config.usage.max_sql_bytes,
            cost: config.cost.clone(),
            airflow: config.airflow.clone(),
            unconfigured: Job::ALL
                .into_iter()
                .filter(|j| j.missing(config).is_some())
                .collect(),
            progress,
            checker: Arc::new(crate::checks::Checker::new(
                config,
                store_for_checks,
                credentials_for_checks,
            )),
        }
    }

    /// Every account and region, with clients.
    pub async fn targets(&self) -> &[Target] {
        self.targets
            .get_or_init(|| aws::targets(&self.aws_config, self.credentials.clone()))
            .await
    }

    /// `[cost]`.
    pub fn cost(&self) -> &crate::config::CostConfig {
        &self.cost
    }

    /// How to reach an MWAA environment: `aws.region` (or the chain's), `aws.endpoint_url` when set, and the
    /// credentials the collectors use (a chain without any signs with empty keys, which MWAA refuses clearly).
    pub async fn mwaa(&self, environment: &str) -> crate::airflow::Mwaa {
        let sdk = crate::aws::sdk_config(&self.aws_config, None, self.credentials.clone()).await;
        let region = sdk
            .region()
            .map(|r| r.as_ref().to_owned())
            .unwrap_or_default();
        crate::airflow::Mwaa {
            environment: environment.to_owned(),
            endpoint: crate::airflow::Mwaa::endpoint_of(
                &region,
                self.aws_config.endpoint_url.as_ref(),
            ),
            region,
            credentials: sdk.credentials_provider().unwrap_or_else(|| {
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    aws_credential_types::Credentials::new("", "", None, None, "none"),
                )
            }),
        }
    }

    /// `[airflow]`.
    pub fn airflow(&self) -> &crate::config::AirflowConfig {
        &self.airflow
    }

    /// Whether `job` has the settings it needs.
    pub fn configured(&self, job: Job) -> bool {
        !self.unconfigured.contains(&job)
    }

    /// `aws.work_groups`.
    pub fn work_groups(&self) -> &[String] {
        &self.aws_config.work_groups
    }
}

/// Why a run started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The schedule fired for this tick (the scheduled time): replicas firing for the same tick run it once.
    Scheduled(DateTime<Utc>),
    /// By hand (`doberman collect`).
    Manual,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    /// It ran and finished.
    Succeeded(RunReport),
    /// It ran and failed: the error chain.
    Failed(String),
    /// It did not run: why.
    Skipped(String),
}

/// Called after each run that ran (succeeded or failed): the alert rules look at what it wrote.
pub type AfterRun = Arc<dyn Fn(Job) -> futures_util::future::BoxFuture<'static, ()> + Send + Sync>;

/// Runs jobs once each call, with the lease and the `job_run` row around them.
pub struct Runner {
    ctx: Arc<Ctx>,
    holder: String,
    lease: Duration,
    running: Mutex<HashMap<Job, bool>>,
    after_run: Option<AfterRun>,
}

impl fmt::Debug for Runner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runner")
            .field("holder", &self.holder)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

impl Runner {
    /// A runner whose claims last `lease` unless renewed (renewed every third of it while a run lasts).
    pub fn new(ctx: Arc<Ctx>, holder: String, lease: Duration) -> Runner {
        Runner {
            ctx,
            holder,
            lease,
            running: Mutex::new(HashMap::new()),
            after_run: None,
        }
    }

    /// The same runner calling `after_run` once each run that ran has been recorded.
    pub fn with_after_run(mut self, after_run: AfterRun) -> Runner {
        self.after_run = Some(after_run);
        self
    }

    /// The context.
    pub fn ctx(&self) -> &Arc<Ctx> {
        &self.ctx
    }

    /// Runs `job` once unless it is already running here or another replica holds it (or ran this tick).
    /// `cancel` stops a run midway (shutdown): it is recorded as failed and leaves what each collector
    /// guarantees for a failure.
    pub async fn run(&self, job: Job, trigger: Trigger, cancel: &CancellationToken) -> RunOutcome {
        let busy = {
            let mut running = self
                .running
                .lock()
                .expect("the running map is never poisoned");
            let flag = running.entry(job).or_default();
            std::mem::replace(flag, true)
        };
        if busy {
            let why = "the previous run of this job is still going".to_owned();
            self.record_skip(job, &why).await;
            return RunOutcome::Skipped(why);
        }
        let span = tracing::info_span!("job", job = job.name());
        let outcome =
            tracing::Instrument::instrument(self.run_claimed(job, trigger, cancel), span).await;
        self.running
            .lock()
            .expect("the running map is never poisoned")
            .insert(job, false);
        match &outcome {
            RunOutcome::Succeeded(report) => {
                tracing::info!(job = job.name(), ?trigger, rows = report.rows_written, notes = ?report.notes, "job succeeded");
            }
            RunOutcome::Failed(error) => {
                tracing::error!(job = job.name(), ?trigger, %error, "job failed");
            }
            RunOutcome::Skipped(why) => {
                tracing::info!(job = job.name(), ?trigger, %why, "job skipped")
            }
        }
        if let Some(after_run) = self
            .after_run
            .as_ref()
            .filter(|_| !matches!(outcome, RunOutcome::Skipped(_)))
        {
            after_run(job).await;
        }
        outcome
    }

    async fn run_claimed(
        &self,
        job: Job,
        trigger: Trigger,
        cancel: &CancellationToken,
    ) -> RunOutcome {
        let store = &self.ctx.store;
        let now = store::now();
        let tick = match trigger {
            Trigger::Scheduled(tick) => Some(tick),
            Trigger::Manual => None,
        };
        match store
            .claim_job(
                job.name(),
                &self.holder,
                now,
                now + self.lease_chrono(),
                tick,
            )
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                let why = match store.job_holder(job.name(), now).await {
                    Ok(Some(h)) => format!(
                        "another replica ({}) is running it, its claim lasts until {}",
                        h.holder, h.expires_at
                    ),
                    _ => "another replica already ran it for this scheduled time".to_owned(),
                };
                self.record_skip(job, &why).await;
                return RunOutcome::Skipped(why);
            }
            Err(e) => return RunOutcome::Failed(crate::common::error_chain(&e)),
        }
        let started = Instant::now();
        let run_id = match store.start_job_run(job.name(), now).await {
            Ok(id) => id,
            Err(e) => {
                let _ = store
                    .release_job(job.name(), &self.holder, store::now())
                    .await;
                return RunOutcome::Failed(crate::common::error_chain(&e));
            }
        };
        let lost = CancellationToken::new();
        let renewal = self.keep_renewed(job, lost.clone());
        let result = tokio::select! {
            result = self.collect(job) => result,
            () = cancel.cancelled() => Err(anyhow::anyhow!("Interrupted by shutdown")),
            () = lost.cancelled() => Err(anyhow::anyhow!(
                "Lost the job lease (the database was unreachable longer than schedule.lease_secs); stopped so two replicas do not run it at once"
            )),
        };
        renewal.abort();
        let outcome = match result {
            Ok(report) => RunOutcome::Succeeded(report),
            Err(e) => RunOutcome::Failed(crate::common::anyhow_chain(&e)),
        };
        let record = match &outcome {
            RunOutcome::Succeeded(report) => JobOutcome {
                status: JobStatus::Succeeded,
                rows_written: i64::try_from(report.rows_written).unwrap_or(i64::MAX),
                error_text: None,
            },
            RunOutcome::Failed(error) => JobOutcome {
                status: JobStatus::Failed,
                rows_written: 0,
                error_text: Some(error.clone()),
            },
            RunOutcome::Skipped(_) => unreachable!("a claimed run is never skipped"),
        };
        if let Err(e) = store.finish_job_run(run_id, store::now(), &record).await {
            tracing::error!(job = job.name(), error = %crate::common::error_chain(&e), "cannot record the end of a job run");
        }
        if let Err(e) = store
            .release_job(job.name(), &self.holder, store::now())
            .await
        {
            tracing::warn!(job = job.name(), error = %crate::common::error_chain(&e), "cannot release the job lease; it lapses on its own");
        }
        tracing::debug!(job = job.name(), elapsed = ?started.elapsed(), "job run recorded");
        outcome
    }

    fn lease_chrono(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.lease).unwrap_or(chrono::Duration::seconds(300))
    }

    /// Renews the claim every third of the lease; cancels `lost` when the claim was taken over.
    fn keep_renewed(&self, job: Job, lost: CancellationToken) -> tokio::task::JoinHandle<()> {
        let store = self.ctx.store.clone();
        let holder = self.holder.clone();
        let lease = self.lease;
        let lease_chrono = self.lease_chrono();
        tokio::spawn(async move {
            let mut last_renewed = Instant::now();
            loop {
                tokio::time::sleep(lease / 3).await;
                match store
                    .renew_job(job.name(), &holder, store::now() + lease_chrono)
                    .await
                {
                    Ok(true) => last_renewed = Instant::now(),
                    Ok(false) => {
                        lost.cancel();
                        return;
                    }
                    Err(e) => {
                        tracing::warn!(job = job.name(), error = %crate::common::error_chain(&e), "cannot renew the job lease");
                        if last_renewed.elapsed() >= lease {
                            lost.cancel();
                            return;
                        }
                    }
                }
            }
        })
    }

    async fn record_skip(&self, job: Job, why: &str) {
        let store = &self.ctx.store;
        let now = store::now();
        let recorded = async {
            let id = store.start_job_run(job.name(), now).await?;
            store
                .finish_job_run(
                    id,
                    now,
                    &JobOutcome {
                        status: JobStatus::Skipped,
                        rows_written: 0,
                        error_text: Some(why.to_owned()),
                    },
                )
                .await
        }
        .await;
        if let Err(e) = recorded {
            tracing::warn!(job = job.name(), error = %crate::common::error_chain(&e), "cannot record a skipped run");
        }
    }

    async fn collect(&self, job: Job) -> anyhow::Result<RunReport> {
        match job {
            Job::Catalog => catalog::run_once(&self.ctx).await,
            Job::Usage => usage::run_once(&self.ctx).await,
            Job::Cost => cost::run_once(&self.ctx).await,
            Job::Airflow => airflow::run_once(&self.ctx).await,
            Job::Checks => {
                let report = self.ctx.checker.run_due(store::now()).await?;
                let mut notes = vec![format!(
                    "{} checks ran: {} passed, {} failed, {} could not tell",
                    report.passed + report.failed + report.errors,
                    report.passed,
                    report.failed,
                    report.errors
                )];
                if let Some(n) = report.glue_results {
                    notes.push(format!("{n} Glue Data Quality results read"));
                }
                Ok(RunReport {
                    rows_written: (report.passed + report.failed + report.errors) as u64
                        + report.glue_results.unwrap_or(0) as u64
                        + report.definitions_changed,
                    notes,
                })
            }
        }
    }
}

/// An AWS timestamp as the store keeps it (microseconds).
pub(crate) fn utc(t: &aws_sdk_glue::primitives::DateTime) -> Option<DateTime<Utc>> {
    use chrono::SubsecRound;
    DateTime::from_timestamp(t.secs(), t.subsec_nanos()).map(|t| t.trunc_subsecs(6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_are_found_by_name_in_any_case() {
        assert_eq!(Job::parse("catalog"), Some(Job::Catalog));
        assert_eq!(Job::parse(" Usage "), Some(Job::Usage));
        assert_eq!(Job::parse("cost"), Some(Job::Cost));
        assert_eq!(Job::parse("Airflow"), Some(Job::Airflow));
        assert_eq!(Job::parse("alerts"), None);
    }
}
