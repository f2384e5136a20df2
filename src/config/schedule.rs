//! `[schedule]`: when the collectors run, in which time zone, and their lease.

use super::{CronSpec, Loader};

/// `[schedule]` settings: when the collectors run.
#[derive(Debug, Clone)]
pub struct ScheduleConfig {
    /// `schedule.enabled`: false runs no job on its own (`doberman collect` still works).
    pub enabled: bool,
    /// `schedule.timezone`: the IANA time zone cron expressions and daily roll-ups are read in.
    pub timezone: chrono_tz::Tz,
    /// `schedule.catalog`: cron of the Glue catalog collector; empty disables it.
    pub catalog: Option<CronSpec>,
    /// `schedule.usage`: cron of the Athena query history collector; empty disables it.
    pub usage: Option<CronSpec>,
    /// `schedule.cost`: cron of the cost collector; empty disables it (so does an empty `cost.database`).
    pub cost: Option<CronSpec>,
    /// `schedule.airflow`: cron of the Airflow collector; empty disables it (so do no `airflow.instances`).
    pub airflow: Option<CronSpec>,
    /// `schedule.checks`: how often the data checks that are due are looked for (each check has its own
    /// schedule); empty disables them (so does a `checks.dir` without checks and no Glue Data Quality).
    pub checks: Option<CronSpec>,
    /// `schedule.lease_secs`: how long a replica's claim on a running job lasts without renewal; a replica that
    /// dies mid-run blocks the job at most this long.
    pub lease_secs: u32,
}

/// Loads `[schedule]`.
pub(super) fn load_schedule(l: &mut Loader) -> ScheduleConfig {
    ScheduleConfig {
        enabled: l.get("schedule.enabled", true, |_| Ok(())),
        timezone: l.get("schedule.timezone", chrono_tz::Asia::Seoul, |_| Ok(())),
        catalog: l.get(
            "schedule.catalog",
            Some("0 10 * * * *".parse().expect("the built-in cron is valid")),
            |_| Ok(()),
        ),
        usage: l.get(
            "schedule.usage",
            Some(
                "0 */15 * * * *"
                    .parse()
                    .expect("the built-in cron is valid"),
            ),
            |_| Ok(()),
        ),
        cost: l.get(
            "schedule.cost",
            Some(
                "0 40 */6 * * *"
                    .parse()
                    .expect("the built-in cron is valid"),
            ),
            |_| Ok(()),
        ),
        airflow: l.get(
            "schedule.airflow",
            Some("0 */5 * * * *".parse().expect("the built-in cron is valid")),
            |_| Ok(()),
        ),
        checks: l.get(
            "schedule.checks",
            Some("0 */5 * * * *".parse().expect("the built-in cron is valid")),
            |_| Ok(()),
        ),
        lease_secs: l.get("schedule.lease_secs", 300, |n| {
            if (10..=86_400).contains(n) {
                Ok(())
            } else {
                Err("expected seconds from 10 to 86400".into())
            }
        }),
    }
}
