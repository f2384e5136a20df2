//! `status`: is Doberman alive and is its data current — version, uptime, each job's last run, and when each
//! fact family was last written, against twice its job's period. In the asker's language.

use chrono::{DateTime, Utc};

use super::commands::{Command, Context};
use super::help::show;
use super::{Reply, Settings};
use crate::cards::kit;
use crate::cards::views::{Badge, Fact, StatusCard, StatusData, StatusJob};
use crate::collect::Job;
use crate::store::{JobStatus, Store, StoreError};
use crate::t;

/// Which job writes each fact family, and the message people know it by.
const DATA: [(&str, Job, &str); 4] = [
    ("dim_table", Job::Catalog, "status-data-catalog"),
    ("fact_athena_query", Job::Usage, "status-data-usage"),
    ("fact_cost_daily", Job::Cost, "status-data-cost"),
    ("fact_airflow_dag_run", Job::Airflow, "status-data-airflow"),
];

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(80).collect();
    if line.chars().count() > 80 {
        short.push('…');
    }
    short
}

/// The answer.
pub async fn answer(
    store: &Store,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<Reply, StoreError> {
    let tz = settings.timezone;
    let mut trouble = 0;
    let mut jobs = Vec::new();
    for job in Job::ALL {
        let period = settings.period(job.name());
        let last = store.recent_job_runs(Some(job.name()), 1).await?;
        let row = match last.first() {
            None => StatusJob {
                name: job.name().to_owned(),
                last_run: t!("status-never"),
                result: if period.is_some() {
                    Badge::new(t!("status-not-run-yet"), "warning")
                } else {
                    Badge::new(t!("status-not-scheduled"), "default")
                },
                rows: "–".to_owned(),
            },
            Some(run) => {
                let result = match run.status {
                    JobStatus::Succeeded => Badge::new(t!("status-succeeded"), "good"),
                    JobStatus::Running => Badge::new(t!("status-running"), "accent"),
                    JobStatus::Skipped => Badge::new(t!("status-skipped"), "default"),
                    JobStatus::Failed => {
                        trouble += 1;
                        let reason = match run.error_text.as_deref() {
                            Some(text) => first_line(text),
                            None => t!("status-no-reason"),
                        };
                        Badge::new(t!("status-failed", reason = reason), "attention")
                    }
                };
                StatusJob {
                    name: job.name().to_owned(),
                    last_run: kit::when(run.started_at, now, tz),
                    result,
                    rows: kit::count(run.rows_written),
                }
            }
        };
        jobs.push(row);
    }
    let freshness = store.data_freshness().await?;
    let data: Vec<StatusData> = DATA
        .iter()
        .map(|(table, job, label)| {
            let at = freshness
                .iter()
                .find(|(t, _)| t == table)
                .and_then(|(_, at)| *at);
            let fresh = match (at, settings.period(job.name())) {
                (None, _) => Badge::new("–", "default"),
                (Some(at), Some(p)) if now - at > p * 2 => {
                    trouble += 1;
                    Badge::new(t!("status-behind"), "warning")
                }
                (Some(_), Some(_)) => Badge::new(t!("status-fresh"), "good"),
                (Some(_), None) => Badge::new(t!("status-not-scheduled"), "default"),
            };
            StatusData {
                name: t!(label, table = *table),
                at: at.map_or_else(|| t!("status-never"), |at| kit::when(at, now, tz)),
                fresh,
            }
        })
        .collect();
    let version = env!("CARGO_PKG_VERSION");
    let firing = store.firing_alerts().await?;
    let open_alerts = if firing.is_empty() {
        t!("status-no-alerts")
    } else {
        firing
            .iter()
            .map(|(topic, n)| {
                let topic = t!("alerts-topic-label", topic = topic.as_str());
                t!("status-alerts-firing", topic = topic, n = *n)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let alerts_open: i64 = firing.iter().map(|(_, n)| *n).sum();
    let (status, summary) = if trouble == 0 && alerts_open == 0 {
        (
            Badge::new(t!("status-healthy"), "good"),
            t!("status-summary-healthy", version = version),
        )
    } else if trouble == 0 {
        (
            Badge::new(t!("status-alerts-open"), "warning"),
            t!(
                "status-summary-alerts",
                version = version,
                n = alerts_open,
                alerts = open_alerts.as_str()
            ),
        )
    } else {
        (
            Badge::new(t!("status-attention"), "attention"),
            t!("status-summary-attention", version = version, n = trouble),
        )
    };
    Ok(show(&StatusCard {
        summary,
        title: t!("status-title"),
        subtitle: match settings.started_at {
            Some(at) => t!("status-up-since", when = kit::when(at, now, tz)),
            // `doberman ask` reads the store; the server's uptime is its own.
            None => t!("status-from-the-command-line"),
        },
        status,
        facts: vec![
            Fact::new(t!("status-version"), version),
            Fact::new(t!("status-database"), store.backend().to_string()),
            Fact::new(t!("status-open-alerts"), open_alerts),
        ],
        jobs,
        data,
    }))
}

/// `status`.
pub struct Status;

impl Command for Status {
    type Args = ();

    async fn run(&self, cx: &Context<'_>, (): ()) -> Result<Reply, StoreError> {
        answer(&cx.chat.store, &cx.chat.settings, crate::store::now()).await
    }
}
