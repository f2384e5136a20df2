//! `status`: is Doberman alive and is its data current — version, uptime, each job's last run, and when each
//! fact family was last written, against twice its job's period.

use chrono::{DateTime, Utc};

use super::commands::{Command, Context};
use super::help::show;
use super::{Reply, Settings};
use crate::cards::kit;
use crate::cards::views::{Badge, Fact, StatusCard, StatusData, StatusJob};
use crate::collect::Job;
use crate::store::{JobStatus, Store, StoreError};

/// Which job writes each fact family, and how people call it.
const DATA: [(&str, Job, &str); 4] = [
    ("dim_table", Job::Catalog, "Glue catalog (dim_table)"),
    (
        "fact_athena_query",
        Job::Usage,
        "Athena queries (fact_athena_query)",
    ),
    ("fact_cost_daily", Job::Cost, "Cost (fact_cost_daily)"),
    (
        "fact_airflow_dag_run",
        Job::Airflow,
        "Airflow runs (fact_airflow_dag_run)",
    ),
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
                last_run: "never".to_owned(),
                result: if period.is_some() {
                    Badge::new("not run yet", "warning")
                } else {
                    Badge::new("not scheduled", "default")
                },
                rows: "–".to_owned(),
            },
            Some(run) => {
                let result = match run.status {
                    JobStatus::Succeeded => Badge::new("succeeded", "good"),
                    JobStatus::Running => Badge::new("running", "accent"),
                    JobStatus::Skipped => Badge::new("skipped (another replica)", "default"),
                    JobStatus::Failed => {
                        trouble += 1;
                        Badge::new(
                            format!(
                                "failed: {}",
                                first_line(
                                    run.error_text.as_deref().unwrap_or("no reason recorded")
                                )
                            ),
                            "attention",
                        )
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
                    Badge::new("behind", "warning")
                }
                (Some(_), Some(_)) => Badge::new("fresh", "good"),
                (Some(_), None) => Badge::new("not scheduled", "default"),
            };
            StatusData {
                name: (*label).to_owned(),
                at: at.map_or_else(|| "never".to_owned(), |at| kit::when(at, now, tz)),
                fresh,
            }
        })
        .collect();
    let version = env!("CARGO_PKG_VERSION");
    let firing = store.firing_alerts().await?;
    let open_alerts = if firing.is_empty() {
        "none".to_owned()
    } else {
        firing
            .iter()
            .map(|(topic, n)| format!("{topic} {}", kit::count(*n)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let alerts_open: i64 = firing.iter().map(|(_, n)| *n).sum();
    let (status, summary) = if trouble == 0 && alerts_open == 0 {
        (
            Badge::new("● healthy", "good"),
            format!("Doberman {version} is up, its data is current and no alert is open"),
        )
    } else if trouble == 0 {
        (
            Badge::new("● alerts open", "warning"),
            format!(
                "Doberman {version} is up and its data is current; {} open: {open_alerts}",
                kit::plural(alerts_open, "alert", "alerts")
            ),
        )
    } else {
        (
            Badge::new("● attention", "attention"),
            format!("Doberman {version} is up; {trouble} thing(s) need attention"),
        )
    };
    Ok(show(&StatusCard {
        summary,
        title: "Doberman status".to_owned(),
        subtitle: match settings.started_at {
            Some(at) => format!("up since {}", kit::when(at, now, tz)),
            // `doberman ask` reads the store; the server's uptime is its own.
            None => "asked from the command line: this is the store's view, not a running server's"
                .to_owned(),
        },
        status,
        facts: vec![
            Fact::new("Version", version),
            Fact::new("Database", store.backend().to_string()),
            Fact::new("Open alerts", open_alerts),
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
