//! `status`: is Doberman alive and is its data current — version, uptime, each job's last run, and when each
//! fact family was last written, against twice its job's period.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::commands::{Command, Context};
use super::help::card;
use super::{Reply, Settings};
use crate::cards::kit;
use crate::collect::Job;
use crate::store::{JobStatus, Store, StoreError};

/// Which job writes each fact family, and how people call it.
const DATA: [(&str, Job, &str); 3] = [
    ("dim_table", Job::Catalog, "Glue catalog (dim_table)"),
    (
        "fact_athena_query",
        Job::Usage,
        "Athena queries (fact_athena_query)",
    ),
    ("fact_cost_daily", Job::Cost, "Cost (fact_cost_daily)"),
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
            None => json!({
                "name": job.name(),
                "lastRun": "never",
                "result": if period.is_some() {
                    json!({"label": "not run yet", "color": "warning"})
                } else {
                    json!({"label": "not scheduled", "color": "default"})
                },
                "rows": "–",
            }),
            Some(run) => {
                let result = match run.status {
                    JobStatus::Succeeded => json!({"label": "succeeded", "color": "good"}),
                    JobStatus::Running => json!({"label": "running", "color": "accent"}),
                    JobStatus::Skipped => {
                        json!({"label": "skipped (another replica)", "color": "default"})
                    }
                    JobStatus::Failed => {
                        trouble += 1;
                        json!({
                            "label": format!("failed: {}", first_line(run.error_text.as_deref().unwrap_or("no reason recorded"))),
                            "color": "attention",
                        })
                    }
                };
                json!({
                    "name": job.name(),
                    "lastRun": kit::when(run.started_at, now, tz),
                    "result": result,
                    "rows": kit::count(run.rows_written),
                })
            }
        };
        jobs.push(row);
    }
    let freshness = store.data_freshness().await?;
    let data: Vec<Value> = DATA
        .iter()
        .map(|(table, job, label)| {
            let at = freshness
                .iter()
                .find(|(t, _)| t == table)
                .and_then(|(_, at)| *at);
            let fresh = match (at, settings.period(job.name())) {
                (None, _) => json!({"label": "–", "color": "default"}),
                (Some(at), Some(p)) if now - at > p * 2 => {
                    trouble += 1;
                    json!({"label": "behind", "color": "warning"})
                }
                (Some(_), Some(_)) => json!({"label": "fresh", "color": "good"}),
                (Some(_), None) => json!({"label": "not scheduled", "color": "default"}),
            };
            json!({
                "name": label,
                "at": at.map_or_else(|| "never".to_owned(), |at| kit::when(at, now, tz)),
                "fresh": fresh,
            })
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
    let (status, summary) = if trouble == 0 {
        (
            json!({"label": "● healthy", "color": "good"}),
            format!("Doberman {version} is up and its data is current"),
        )
    } else {
        (
            json!({"label": "● attention", "color": "attention"}),
            format!("Doberman {version} is up; {trouble} thing(s) need attention"),
        )
    };
    Ok(card(
        "status",
        json!({
            "summary": summary,
            "title": "Doberman status",
            "subtitle": format!("up since {}", kit::when(settings.started_at, now, tz)),
            "status": status,
            "facts": [
                {"title": "Version", "value": version},
                {"title": "Database", "value": store.backend().to_string()},
                {"title": "Open alerts", "value": open_alerts},
            ],
            "jobs": jobs,
            "data": data,
        }),
    ))
}

/// `status`.
pub struct Status;

impl Command for Status {
    type Args = ();

    async fn run(&self, cx: &Context<'_>, (): ()) -> Result<Reply, StoreError> {
        answer(&cx.chat.store, &cx.chat.settings, crate::store::now()).await
    }
}
