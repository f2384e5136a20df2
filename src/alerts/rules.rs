//! The rules: pure functions from what the store knows (and the time, passed in) to findings. Keep each finding's
//! detail stable while nothing changes: it is compared to tell a changed alert from a repeated one.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::cards::kit;
use crate::config::alerts::{Budget, FreshnessRule, glob_matches};
use crate::cost::Anomaly;
use crate::store::{AlertFinding, AthenaWindow, JobRun, JobStatus, TableChanges};

/// Changes a table must show before its interval is learned.
pub const LEARN_MIN_CHANGES: usize = 4;
/// Days of snapshots the learned interval looks at.
pub const LEARN_DAYS: i64 = 30;
/// Queries in the last hour below which the failed share says nothing.
pub const ATHENA_MIN_QUERIES: i64 = 10;

fn finding(
    subject: impl Into<String>,
    severity: &str,
    title: String,
    detail: String,
) -> AlertFinding {
    AlertFinding {
        subject: subject.into(),
        severity: severity.to_owned(),
        title,
        detail,
    }
}

/// A time on an alert, in the zone of the rest of its card (`schedule.timezone`).
fn local(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

/// Human form of a duration: `26h`, `3d`, `90m`.
pub fn span(d: Duration) -> String {
    let s = d.as_secs();
    if s.is_multiple_of(86_400) {
        format!("{}d", s / 86_400)
    } else if s.is_multiple_of(3_600) {
        format!("{}h", s / 3_600)
    } else if s >= 3_600 {
        format!("{:.1}h", s as f64 / 3_600.0)
    } else {
        format!("{}m", s.div_ceil(60))
    }
}

/// `jobs`: a collector whose latest finished run failed (critical), or that has not succeeded within twice its
/// period (warning; counted from `since` when it never ran, so a fresh install is not alarmed at once).
/// `runs` holds each job's recent runs, newest first.
pub fn jobs(
    periods: &BTreeMap<String, chrono::Duration>,
    runs: &BTreeMap<String, Vec<JobRun>>,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Vec<AlertFinding> {
    let mut out = Vec::new();
    for (job, period) in periods {
        let empty = Vec::new();
        let runs = runs.get(job).unwrap_or(&empty);
        let latest = runs
            .iter()
            .find(|r| matches!(r.status, JobStatus::Succeeded | JobStatus::Failed));
        if let Some(run) = latest.filter(|r| r.status == JobStatus::Failed) {
            let error = run
                .error_text
                .as_deref()
                .and_then(|e| e.lines().next())
                .unwrap_or("no error recorded");
            let error: String = error.chars().take(300).collect();
            out.push(finding(
                job.clone(),
                "critical",
                format!("The {job} collector failed"),
                format!("Run of {}: {error}", local(run.started_at, tz)),
            ));
            continue;
        }
        let last_success = runs
            .iter()
            .filter(|r| r.status == JobStatus::Succeeded)
            .filter_map(|r| r.finished_at)
            .max();
        let reference = last_success.unwrap_or(since);
        if now - reference > *period * 2 {
            let detail = match last_success {
                Some(at) => format!(
                    "Last success {}; it runs every {}",
                    local(at, tz),
                    span(period.to_std().unwrap_or_default())
                ),
                None => format!(
                    "It never succeeded; it runs every {}",
                    span(period.to_std().unwrap_or_default())
                ),
            };
            out.push(finding(
                job.clone(),
                "warning",
                format!("The {job} collector did not run"),
                detail,
            ));
        }
    }
    out
}

/// How often a table is expected to change: the first rule whose glob matches its `database.table` (`None` for
/// `off`), else, when learning, twice the median gap of its recent changes.
pub fn expected_interval(
    table: &TableChanges,
    rules: &[FreshnessRule],
    learn: bool,
) -> Option<(Duration, bool)> {
    if let Some(rule) = rules.iter().find(|r| glob_matches(&r.tables, &table.name)) {
        return rule.interval().map(|d| (d, false));
    }
    if !learn || table.history.len() < LEARN_MIN_CHANGES {
        return None;
    }
    let mut gaps: Vec<i64> = table
        .history
        .windows(2)
        .map(|w| (w[1] - w[0]).num_seconds())
        .filter(|g| *g > 0)
        .collect();
    if gaps.len() + 1 < LEARN_MIN_CHANGES {
        return None;
    }
    gaps.sort_unstable();
    let median = gaps[gaps.len() / 2];
    // Never tighter than an hour: the catalog is read hourly.
    Some((Duration::from_secs((median as u64 * 2).max(3_600)), true))
}

/// Whether a table's data is on time: the one definition of stale that the freshness alerts, the heartbeat and
/// the catalog's cards share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// No expectation: no rule names it (or its rule is `off`) and it changed too seldom to learn from, or its
    /// data was never seen to change.
    Unwatched,
    /// Changed within its expected interval.
    OnTime {
        /// The interval.
        expected: Duration,
        /// Learned from its changes (not configured).
        learned: bool,
    },
    /// Not changed within its expected interval: stale.
    Late {
        /// The interval.
        expected: Duration,
        /// Learned from its changes (not configured).
        learned: bool,
    },
}

/// Judges `table` at `now` by `rules` (and, when `learn`, its change history).
pub fn judge(
    table: &TableChanges,
    rules: &[FreshnessRule],
    learn: bool,
    now: DateTime<Utc>,
) -> Judgement {
    let (Some((expected, learned)), Some(changed)) =
        (expected_interval(table, rules, learn), table.changed_at)
    else {
        return Judgement::Unwatched;
    };
    if (now - changed).num_seconds() > expected.as_secs() as i64 {
        Judgement::Late { expected, learned }
    } else {
        Judgement::OnTime { expected, learned }
    }
}

/// `freshness`: tables not changed within their expected interval.
pub fn freshness(
    tables: &[TableChanges],
    rules: &[FreshnessRule],
    learn: bool,
    now: DateTime<Utc>,
    tz: Tz,
) -> Vec<AlertFinding> {
    let mut out = Vec::new();
    for table in tables {
        if let Judgement::Late {
            expected: interval,
            learned,
        } = judge(table, rules, learn, now)
            && let Some(changed) = table.changed_at
        {
            let how = if learned { "learned" } else { "configured" };
            out.push(finding(
                table.key.clone(),
                "warning",
                format!("{} is stale", table.name),
                format!(
                    "Last changed {}; expected every {} ({how})",
                    local(changed, tz),
                    span(interval)
                ),
            ));
        }
    }
    out
}

/// `cost`, budgets: each account's month to date against its monthly budget, at 80 % (warning) and 100 %
/// (critical). `month_to_date` is by account id; `names` gives account names.
pub fn budgets(
    budgets: &[Budget],
    month_to_date: &BTreeMap<String, f64>,
    names: &BTreeMap<String, String>,
    month: NaiveDate,
    currency: &str,
) -> Vec<AlertFinding> {
    let mut out = Vec::new();
    for budget in budgets {
        let spent = month_to_date.get(&budget.account).copied().unwrap_or(0.0);
        let share = spent / budget.monthly;
        let name = names
            .get(&budget.account)
            .cloned()
            .unwrap_or_else(|| budget.account.clone());
        let (severity, level) = if share >= 1.0 {
            ("critical", 100)
        } else if share >= 0.8 {
            ("warning", 80)
        } else {
            continue;
        };
        out.push(finding(
            format!("budget/{}/{}", budget.account, month.format("%Y-%m")),
            severity,
            format!(
                "{name} is over {level} % of its {} budget",
                month.format("%B")
            ),
            format!(
                "{} of {} spent ({:.0} %)",
                kit::money(spent, currency),
                kit::money(budget.monthly, currency),
                share * 100.0
            ),
        ));
    }
    out
}

/// `cost`, anomaly: the latest day's total this many standard deviations above the days before it.
pub fn cost_anomaly(anomaly: Option<&Anomaly>, sigma: u32, currency: &str) -> Vec<AlertFinding> {
    let Some(a) = anomaly.filter(|a| sigma > 0 && a.score >= f64::from(sigma)) else {
        return Vec::new();
    };
    vec![finding(
        format!("daily/{}", a.day),
        if a.score >= f64::from(sigma) * 2.0 {
            "critical"
        } else {
            "warning"
        },
        format!("Cost on {} is unusually high", a.day),
        format!(
            "{} against {} a day on average ({:.1} standard deviations)",
            kit::money(a.total, currency),
            kit::money(a.mean, currency),
            a.score
        ),
    )]
}

/// `athena`: the failed share of the last hour at or above `failed_pct` (with enough queries, and at least twice
/// the week's share), and single queries of the last day that scanned too much.
pub fn athena(window: &AthenaWindow, failed_pct: u32, max_bytes: i64, tz: Tz) -> Vec<AlertFinding> {
    let mut out = Vec::new();
    let (total, failed) = window.hour;
    if failed_pct > 0 && total >= ATHENA_MIN_QUERIES {
        let share = failed as f64 / total as f64;
        let (week_total, week_failed) = window.week;
        let usual = if week_total > 0 {
            week_failed as f64 / week_total as f64
        } else {
            0.0
        };
        if share * 100.0 >= f64::from(failed_pct) && share >= usual * 2.0 {
            out.push(finding(
                "failed-queries",
                "warning",
                "Many Athena queries are failing".to_owned(),
                format!(
                    "{failed} of {total} in the last hour ({:.0} %; {:.0} % over the week)",
                    share * 100.0,
                    usual * 100.0
                ),
            ));
        }
    }
    if max_bytes > 0 {
        for (query, work_group, bytes, at) in &window.big_scans {
            out.push(finding(
                format!("scan/{query}"),
                "warning",
                format!(
                    "A query in {work_group} scanned {}",
                    kit::bytes(*bytes as u64)
                ),
                format!("Query {query} at {}", local(*at, tz)),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::JobRunId;
    use chrono::TimeZone;
    use chrono_tz::UTC;

    fn t(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap() + chrono::Duration::hours(h)
    }

    fn run(job: &str, status: JobStatus, started_h: i64, error: Option<&str>) -> JobRun {
        JobRun {
            id: JobRunId(started_h),
            job: job.into(),
            started_at: t(started_h),
            finished_at: Some(t(started_h) + chrono::Duration::minutes(5)),
            status,
            rows_written: 0,
            error_text: error.map(str::to_owned),
        }
    }

    fn table(name: &str, changed_h: Option<i64>, history_h: &[i64]) -> TableChanges {
        TableChanges {
            key: format!("prod/ap-northeast-2/{name}"),
            name: name.into(),
            changed_at: changed_h.map(t),
            history: history_h.iter().map(|h| t(*h)).collect(),
        }
    }

    #[test]
    fn a_failed_collector_is_critical_and_a_silent_one_a_warning() {
        let periods = BTreeMap::from([
            ("catalog".to_owned(), chrono::Duration::hours(1)),
            ("usage".to_owned(), chrono::Duration::minutes(15)),
            ("cost".to_owned(), chrono::Duration::hours(6)),
        ]);
        let runs = BTreeMap::from([
            (
                "catalog".to_owned(),
                vec![
                    run("catalog", JobStatus::Skipped, 10, None),
                    run(
                        "catalog",
                        JobStatus::Failed,
                        9,
                        Some("Failed to page Glue tables of `sales`\nmore"),
                    ),
                ],
            ),
            (
                "usage".to_owned(),
                vec![run("usage", JobStatus::Succeeded, 7, None)],
            ),
            (
                "cost".to_owned(),
                vec![run("cost", JobStatus::Succeeded, 6, None)],
            ),
        ]);

        let found = jobs(&periods, &runs, t(0), t(10), UTC);

        let subjects: Vec<(&str, &str)> = found
            .iter()
            .map(|f| (f.subject.as_str(), f.severity.as_str()))
            .collect();
        assert_eq!(
            subjects,
            vec![("catalog", "critical"), ("usage", "warning")],
            "{found:#?}"
        );
        assert!(
            found[0]
                .detail
                .contains("Failed to page Glue tables of `sales`")
        );
        assert!(!found[0].detail.contains("more"), "first line only");
    }

    #[test]
    fn a_job_that_never_ran_is_late_only_two_periods_after_start() {
        let periods = BTreeMap::from([("catalog".to_owned(), chrono::Duration::hours(1))]);
        let none = BTreeMap::new();
        assert!(jobs(&periods, &none, t(0), t(1), UTC).is_empty());
        assert_eq!(jobs(&periods, &none, t(0), t(3), UTC).len(), 1);
    }

    #[test]
    fn freshness_uses_the_first_matching_rule_then_learns_twice_the_median_gap() {
        let rules = vec![
            FreshnessRule {
                tables: "sales.*".into(),
                every: "26h".into(),
            },
            FreshnessRule {
                tables: "tmp.*".into(),
                every: "off".into(),
            },
        ];
        let tables = vec![
            table("sales.orders", Some(0), &[]),
            table("sales.fresh", Some(40), &[]),
            table("tmp.scratch", Some(-1000), &[]),
            // Changes every 6 hours: expected within 12h.
            table("매출.일별", Some(30), &[0, 6, 12, 18, 24, 30]),
            table("logs.hourly", Some(44), &[20, 26, 32, 38, 44]),
            // Too little history to learn from.
            table("new.table", Some(0), &[0, 10]),
        ];

        let found = freshness(&tables, &rules, true, t(48), UTC);

        let names: Vec<&str> = found.iter().map(|f| f.title.as_str()).collect();
        assert_eq!(names, vec!["sales.orders is stale", "매출.일별 is stale"]);
        assert!(
            found[0].detail.contains("expected every 26h (configured)"),
            "{}",
            found[0].detail
        );
        assert!(
            found[1].detail.contains("expected every 12h (learned)"),
            "{}",
            found[1].detail
        );
        assert_eq!(found[1].subject, "prod/ap-northeast-2/매출.일별");
        assert!(
            freshness(&tables, &rules, false, t(48), UTC).len() == 1,
            "learning off"
        );
    }

    #[test]
    fn budgets_fire_at_80_and_100_percent() {
        let limits = vec![
            Budget {
                account: "111111111111".into(),
                monthly: 1000.0,
            },
            Budget {
                account: "222222222222".into(),
                monthly: 1000.0,
            },
            Budget {
                account: "333333333333".into(),
                monthly: 1000.0,
            },
        ];
        let spent = BTreeMap::from([
            ("111111111111".to_owned(), 850.0),
            ("222222222222".to_owned(), 1200.0),
            ("333333333333".to_owned(), 100.0),
        ]);
        let names = BTreeMap::from([("111111111111".to_owned(), "데이터 플랫폼".to_owned())]);
        let month = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();

        let found = budgets(&limits, &spent, &names, month, "USD");

        assert_eq!(found.len(), 2);
        assert_eq!(found[0].severity, "warning");
        assert!(
            found[0].title.starts_with("데이터 플랫폼 is over 80 %"),
            "{}",
            found[0].title
        );
        assert_eq!(found[1].severity, "critical");
        assert_eq!(found[1].subject, "budget/222222222222/2026-11");
    }

    #[test]
    fn a_cost_spike_fires_and_a_normal_day_does_not() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let spike = Anomaly {
            day,
            total: 500.0,
            mean: 100.0,
            stddev: 50.0,
            score: 8.0,
        };
        let normal = Anomaly {
            score: 1.0,
            ..spike.clone()
        };
        assert_eq!(cost_anomaly(Some(&spike), 3, "USD")[0].severity, "critical");
        assert!(cost_anomaly(Some(&normal), 3, "USD").is_empty());
        assert!(
            cost_anomaly(Some(&spike), 0, "USD").is_empty(),
            "0 turns it off"
        );
    }

    #[test]
    fn athena_fires_on_a_failure_spike_and_big_scans() {
        let window = AthenaWindow {
            hour: (20, 8),
            week: (1000, 50),
            big_scans: vec![("q-1".into(), "analysts".into(), 3 << 40, t(1))],
        };
        let found = athena(&window, 20, 1 << 40, UTC);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].subject, "failed-queries");
        assert!(found[1].title.contains("3.0 TiB"), "{}", found[1].title);

        let usual = AthenaWindow {
            hour: (20, 8),
            week: (1000, 300),
            big_scans: Vec::new(),
        };
        assert!(
            athena(&usual, 20, 0, UTC).is_empty(),
            "failing as usual is not a spike"
        );
        let few = AthenaWindow {
            hour: (5, 5),
            ..AthenaWindow::default()
        };
        assert!(athena(&few, 20, 0, UTC).is_empty(), "too few queries");
    }
}
