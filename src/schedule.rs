//! Cron wiring only — when, not what: each enabled job on its `[schedule]` cron in `schedule.timezone`
//! (tokio-cron-scheduler), a catch-up run at start for jobs whose last success is older than their period, and a
//! clean stop. What a run does, the lease and the `job_run` rows are the runner's (`collect`).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::Utc;
use tokio_cron_scheduler::JobScheduler;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::collect::{Job, Runner, Trigger};
use crate::config::{CronSpec, ScheduleConfig};

/// How far ahead of a tick a replica's clock may run and still name that tick: replicas whose clocks differ by
/// less than this agree on which scheduled time they are running.
const CLOCK_SLACK: chrono::Duration = chrono::Duration::seconds(5);

/// The enabled jobs with their cron expressions: those `configured` says have their settings (see
/// [`Job::missing`]).
pub fn jobs(config: &ScheduleConfig, configured: impl Fn(Job) -> bool) -> Vec<(Job, CronSpec)> {
    Job::ALL
        .into_iter()
        .filter(|job| configured(*job))
        .filter_map(|job| {
            let cron = match job {
                Job::Catalog => config.catalog.clone(),
                Job::Usage => config.usage.clone(),
                Job::Cost => config.cost.clone(),
                Job::Airflow => config.airflow.clone(),
                Job::Checks => config.checks.clone(),
            };
            cron.map(|c| (job, c))
        })
        .collect()
}

/// Each scheduled job's period (by job name) at `now`: staleness and the `jobs` alert rule measure by it. Empty
/// when `schedule.enabled` is false.
pub fn periods(
    config: &crate::config::Config,
    now: chrono::DateTime<Utc>,
) -> std::collections::BTreeMap<String, chrono::Duration> {
    let tz = config.schedule.timezone;
    jobs(&config.schedule, |job| job.missing(config).is_none())
        .into_iter()
        .filter(|_| config.schedule.enabled)
        .filter_map(|(job, cron)| cron.period(now, tz).map(|p| (job.name().to_owned(), p)))
        .collect()
}

/// The running schedule.
pub struct Schedule {
    scheduler: JobScheduler,
    runs: TaskTracker,
    cancel: CancellationToken,
}

impl std::fmt::Debug for Schedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Schedule").finish_non_exhaustive()
    }
}

impl Schedule {
    /// Starts every enabled job on its cron, then starts the catch-up runs in the background.
    pub async fn start(runner: Arc<Runner>, config: &ScheduleConfig) -> anyhow::Result<Schedule> {
        let scheduler = JobScheduler::new()
            .await
            .context("Failed to create the job scheduler")?;
        let runs = TaskTracker::new();
        let cancel = CancellationToken::new();
        let tz = config.timezone;
        let jobs = jobs(config, |job| runner.ctx().configured(job));
        for (job, cron) in &jobs {
            let (job, cron) = (*job, cron.clone());
            let (runner, runs, cancel) = (runner.clone(), runs.clone(), cancel.clone());
            let expression = cron.expression.clone();
            let scheduled = tokio_cron_scheduler::Job::new_async_tz(
                expression.as_str(),
                tz,
                move |_id, _scheduler| {
                    let (runner, runs, cancel, cron) =
                        (runner.clone(), runs.clone(), cancel.clone(), cron.clone());
                    Box::pin(async move {
                        let now = Utc::now();
                        let tick = cron
                            .latest_at_or_before(now + CLOCK_SLACK, tz)
                            .unwrap_or(now);
                        runs.track_future(async move {
                            runner.run(job, Trigger::Scheduled(tick), &cancel).await
                        })
                        .await;
                    })
                },
            )
            .with_context(|| format!("Failed to schedule {job} at `{expression}`"))?;
            scheduler
                .add(scheduled)
                .await
                .with_context(|| format!("Failed to schedule {job}"))?;
            tracing::info!(job = job.name(), cron = %expression, timezone = %tz.name(), "scheduled");
        }
        scheduler
            .start()
            .await
            .context("Failed to start the job scheduler")?;
        for (job, cron) in jobs {
            let (runner, cancel) = (runner.clone(), cancel.clone());
            runs.spawn(async move {
                catch_up(&runner, job, &cron, tz, &cancel).await;
            });
        }
        Ok(Schedule {
            scheduler,
            runs,
            cancel,
        })
    }

    /// Stops firing, interrupts running jobs (recorded as failed, their leases released) and waits for them up to
    /// `grace`.
    pub async fn stop(mut self, grace: Duration) {
        if let Err(e) = self.scheduler.shutdown().await {
            tracing::warn!(error = %e, "the job scheduler did not stop cleanly");
        }
        self.cancel.cancel();
        self.runs.close();
        if tokio::time::timeout(grace, self.runs.wait()).await.is_err() {
            tracing::warn!(?grace, "job runs did not stop in time");
        }
    }
}

/// Runs `job` now when it never succeeded or its last success is older than its period, as the scheduled run of
/// its latest tick (so replicas starting together catch up once).
async fn catch_up(
    runner: &Runner,
    job: Job,
    cron: &CronSpec,
    tz: chrono_tz::Tz,
    cancel: &CancellationToken,
) {
    let now = Utc::now();
    let last = match runner.ctx().store.last_job_success(job.name()).await {
        Ok(last) => last,
        Err(e) => {
            tracing::warn!(job = job.name(), error = %crate::common::error_chain(&e), "cannot read the last run; no catch-up");
            return;
        }
    };
    let Some(period) = cron.period(now, tz) else {
        return;
    };
    if last.is_some_and(|last| now - last <= period) {
        return;
    }
    let tick = cron.latest_at_or_before(now, tz).unwrap_or(now);
    tracing::info!(job = job.name(), last_success = ?last, "catching up: the last success is older than the job's period");
    runner.run(job, Trigger::Scheduled(tick), cancel).await;
}
