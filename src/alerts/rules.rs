//! The rules: pure functions from what the store knows (and the time, passed in) to findings. Keep each finding's
//! detail stable while nothing changes: it is compared to tell a changed alert from a repeated one.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::cards::kit;
use crate::config::RunLimit;
use crate::config::alerts::{Budget, FreshnessRule, glob_matches};
use crate::cost::Anomaly;
use crate::store::{
    AirflowDagBrief, AirflowFailureBrief, AirflowRunBrief, AlertFinding, AthenaWindow, JobRun,
    JobStatus, TableChanges,
};

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
        owners: None,
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

/// How long a job run in progress keeps its job from being late.
pub const RUNNING_GRACE: chrono::Duration = chrono::Duration::hours(6);

/// `jobs`: a collector whose latest finished run failed (critical), or that has not succeeded within twice its
/// period (warning; counted from `since` when it never ran, so a fresh install is not alarmed at once; a run in
/// progress counts as alive for up to [`RUNNING_GRACE`]). `runs` holds each job's recent runs, newest first.
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
        // A run in progress is not a job that stopped (the checks job can run longer than two of its periods when
        // sources are slow): its start counts as a sign of life, for at most RUNNING_GRACE, after which a run
        // that never ended (hung, or its process killed) is late like any other. Skipped ticks do not count: a
        // hung run would make every tick a skip.
        let alive = runs
            .iter()
            .filter(|r| r.status == JobStatus::Running && now - r.started_at <= RUNNING_GRACE)
            .map(|r| now.min(r.started_at + RUNNING_GRACE - *period * 2))
            .max();
        let reference = last_success.max(alive).unwrap_or(since);
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

/// What the `airflow` rules read of the store.
#[derive(Debug, Clone, Default)]
pub struct AirflowFacts {
    /// The DAGs Airflow lists that are on (active, not paused).
    pub dags: Vec<AirflowDagBrief>,
    /// Per (instance, DAG): its latest run that is not a backfill (by due time).
    pub latest: BTreeMap<(String, String), AirflowRunBrief>,
    /// Per (instance, DAG): its recent runs that are not backfills, newest (by due time) first; read for the DAGs
    /// whose latest run did not succeed.
    pub recent: BTreeMap<(String, String), Vec<AirflowRunBrief>>,
    /// The failed tries of those runs.
    pub failures: Vec<AirflowFailureBrief>,
    /// Runs in progress that are not backfills.
    pub running: Vec<AirflowRunBrief>,
    /// Per (instance, DAG) with a run in progress: how long its last successful runs took (seconds).
    pub durations: BTreeMap<(String, String), Vec<f64>>,
    /// Files that fail to import: (instance, file, error).
    pub import_errors: Vec<(String, String, String)>,
    /// Per instance: when its last complete collection started (what the store knows is as of then).
    pub collected_through: BTreeMap<String, DateTime<Utc>>,
}

/// The `airflow` rules' settings (`[airflow]`).
#[derive(Debug, Clone)]
pub struct AirflowRules {
    /// `airflow.late_after`.
    pub late_after: Duration,
    /// `airflow.slow_factor`.
    pub slow_factor: f64,
    /// `airflow.run_limits`.
    pub run_limits: Vec<RunLimit>,
}

/// Successful runs a DAG needs before its usual duration is learned.
pub const AIRFLOW_LEARN_MIN_RUNS: usize = 5;
/// Successful runs the usual duration is learned from.
pub const AIRFLOW_LEARN_RUNS: u32 = 30;
/// A learned limit is never shorter than this: the collector looks every 5 minutes, and a run of seconds that
/// takes a minute is not news.
pub const AIRFLOW_MIN_LIMIT: Duration = Duration::from_secs(10 * 60);

/// How long, for people: `45s`, `12m`, `2h 5m`.
fn took(secs: f64) -> String {
    let s = secs.max(0.0).round() as i64;
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m", s / 60),
        _ if s % 3_600 < 60 => format!("{}h", s / 3_600),
        _ => format!("{}h {}m", s / 3_600, (s % 3_600) / 60),
    }
}

/// The 95th percentile (nearest rank) of `values`.
pub fn p95(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((v.len() as f64) * 0.95).ceil() as usize;
    Some(v[rank.clamp(1, v.len()) - 1])
}

/// How long a run of `dag_id` may take: the first matching `run_limits` entry, else `slow_factor` × the p95 of
/// its last successful runs (at least [`AIRFLOW_MIN_LIMIT`]) once it has [`AIRFLOW_LEARN_MIN_RUNS`]; with the
/// words that explain it.
pub fn airflow_run_limit(
    dag_id: &str,
    durations: &[f64],
    rules: &AirflowRules,
) -> Option<(Duration, String)> {
    if let Some(limit) = rules
        .run_limits
        .iter()
        .find(|l| glob_matches(&l.dags, dag_id))
    {
        let d = limit.limit();
        return Some((d, format!("its configured limit, {}", span(d))));
    }
    if durations.len() < AIRFLOW_LEARN_MIN_RUNS {
        return None;
    }
    let p = p95(durations)?;
    let secs = (p * rules.slow_factor).max(AIRFLOW_MIN_LIMIT.as_secs_f64());
    Some((
        Duration::from_secs_f64(secs),
        format!(
            "{} × the p95 of its last {} successful runs, {}",
            rules.slow_factor,
            durations.len(),
            took(p)
        ),
    ))
}

/// Whether a DAG is late: its next run was due (`next_run_after`) more than `late_after` before both `now` and
/// the instance's last collection, and its latest run is older than that due time. Judged as of the collection:
/// what was not seen cannot be said to be missing.
pub fn airflow_late(
    dag: &AirflowDagBrief,
    latest: Option<&AirflowRunBrief>,
    late_after: Duration,
    seen_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let due = dag.next_run_after?;
    let grace = chrono::Duration::from_std(late_after).unwrap_or_default();
    let deadline = due + grace;
    let created = latest.is_some_and(|r| r.run_after.is_some_and(|after| after >= due));
    (deadline < now && deadline < seen_at && !created).then_some(due)
}

/// `[task (try 2)](log)` of each failed try of `run`, newest try of a task only.
fn failed_tries(run: &AirflowRunBrief, failures: &[AirflowFailureBrief]) -> Vec<String> {
    let mut latest: BTreeMap<&str, &AirflowFailureBrief> = BTreeMap::new();
    for f in failures.iter().filter(|f| f.dag_run_id == run.id) {
        let e = latest.entry(f.task_id.as_str()).or_insert(f);
        if f.try_number > e.try_number {
            *e = f;
        }
    }
    latest
        .values()
        .map(|f| {
            let name = format!("{} (try {})", f.task_id, f.try_number);
            match &f.log_url {
                Some(url) => format!("[{name}]({url})"),
                None => name,
            }
        })
        .collect()
}

fn dag_key(d: &AirflowDagBrief) -> (String, String) {
    (d.instance.clone(), d.dag_id.clone())
}

/// `airflow`: per DAG that is on, its latest ended run failed (critical; the card follows the failed streak and a
/// retry until a run succeeds), a run in progress past its limit (warning), its next run not started
/// `late_after` after it was due (warning); and each file that fails to import (critical).
pub fn airflow(
    facts: &AirflowFacts,
    rules: &AirflowRules,
    now: DateTime<Utc>,
    tz: Tz,
) -> Vec<AlertFinding> {
    let mut out = Vec::new();
    let several = facts.collected_through.len() > 1;
    let name = |d: &AirflowDagBrief| {
        if several {
            format!("{} ({})", d.dag_id, d.instance)
        } else {
            d.dag_id.clone()
        }
    };
    for dag in &facts.dags {
        let key = dag_key(dag);
        let owners = dag.owners.clone().filter(|o| !o.trim().is_empty());
        let recent = facts.recent.get(&key).map_or(&[][..], Vec::as_slice);
        // Newest first: the failed runs since the last success, and a run in progress after them.
        let mut streak: Vec<&AirflowRunBrief> = Vec::new();
        let mut in_progress: Option<&AirflowRunBrief> = None;
        for run in recent {
            match run.state.as_str() {
                "success" => break,
                "failed" => streak.push(run),
                _ if streak.is_empty() && in_progress.is_none() => in_progress = Some(run),
                _ => {}
            }
        }
        // A run cleared after it failed is in progress again, with its failed tries on record.
        let retried = in_progress.filter(|r| facts.failures.iter().any(|f| f.dag_run_id == r.id));
        if let Some(failed) = streak.first().copied().or(retried) {
            let tasks = failed_tries(failed, &facts.failures);
            let when = failed
                .ended_at
                .or(failed.started_at)
                .or(failed.run_after)
                .map(|at| local(at, tz))
                .unwrap_or_default();
            let mut detail = if streak.is_empty() {
                format!("Run {} failed and is being retried", failed.run_id)
            } else {
                format!("Run {} failed {when}", failed.run_id)
            };
            if !tasks.is_empty() {
                detail.push_str(&format!(": {}", tasks.join(", ")));
            }
            if streak.len() > 1 {
                detail.push_str(&format!(" · {} failed runs in a row", streak.len()));
            }
            if let Some(next) = in_progress.filter(|_| !streak.is_empty()) {
                if retried.is_some() {
                    detail.push_str(&format!(
                        " · run {} failed too and is being retried",
                        next.run_id
                    ));
                } else if let Some(started) = next.started_at.or(next.run_after) {
                    detail.push_str(&format!(
                        " · run {} is {} since {}",
                        next.run_id,
                        next.state,
                        local(started, tz)
                    ));
                }
            }
            out.push(AlertFinding {
                subject: format!("failed/{}/{}", dag.instance, dag.dag_id),
                severity: "critical".to_owned(),
                title: format!("{} failed", name(dag)),
                detail,
                owners: owners.clone(),
            });
        }
        for run in facts
            .running
            .iter()
            .filter(|r| r.instance == dag.instance && r.dag_id == dag.dag_id)
        {
            let Some(started) = run.started_at else {
                continue;
            };
            let durations = facts.durations.get(&key).map_or(&[][..], Vec::as_slice);
            let Some((limit, why)) = airflow_run_limit(&dag.dag_id, durations, rules) else {
                continue;
            };
            if (now - started).num_seconds() as f64 > limit.as_secs_f64() {
                out.push(AlertFinding {
                    subject: format!("slow/{}/{}", dag.instance, dag.dag_id),
                    severity: "warning".to_owned(),
                    title: format!("{} is running long", name(dag)),
                    detail: format!(
                        "Run {} started {} and has run longer than {} ({why})",
                        run.run_id,
                        local(started, tz),
                        took(limit.as_secs_f64())
                    ),
                    owners: owners.clone(),
                });
                break;
            }
        }
        let latest = facts.latest.get(&key);
        let seen_at = facts
            .collected_through
            .get(&dag.instance)
            .copied()
            .unwrap_or(now);
        if let Some(due) = airflow_late(dag, latest, rules.late_after, seen_at, now) {
            out.push(AlertFinding {
                subject: format!("late/{}/{}", dag.instance, dag.dag_id),
                severity: "warning".to_owned(),
                title: format!("{} did not start", name(dag)),
                detail: format!(
                    "Its run due {} had not started {} later (the scheduler may be down, or the DAG stuck)",
                    local(due, tz),
                    span(rules.late_after)
                ),
                owners,
            });
        }
    }
    for (instance, file, error) in &facts.import_errors {
        let short = file.rsplit('/').next().unwrap_or(file);
        let line = error
            .lines()
            .map(str::trim)
            .rfind(|l| !l.is_empty())
            .unwrap_or("no error text");
        let line: String = line.chars().take(300).collect();
        out.push(AlertFinding {
            subject: format!("import/{instance}/{file}"),
            severity: "critical".to_owned(),
            title: if several {
                format!("{short} fails to import ({instance})")
            } else {
                format!("{short} fails to import")
            },
            detail: format!("{file}: {line} · the DAGs it defines are not scheduled"),
            owners: None,
        });
    }
    out
}

/// Results of a failing check shown on its card: the days of the episode, newest first.
pub const QUALITY_DAYS_SHOWN: usize = 7;

/// The `quality` rules: every active check whose latest result failed (critical for `error` checks, a warning for
/// `warn` ones) or could not tell (an `error` result: a warning, since a check that cannot run is a check that is
/// silent). `history` holds each such check's latest results, newest first: the card lists the numbers of each
/// day of the episode, so it is updated as the days go by and resolves when the check passes.
pub fn quality(
    statuses: &[crate::store::CheckStatus],
    history: &BTreeMap<String, Vec<crate::store::CheckResult>>,
) -> Vec<AlertFinding> {
    use crate::checks::judge::num;
    let mut out = Vec::new();
    for c in statuses {
        let Some(status) = c.status.as_deref() else {
            continue;
        };
        if status == "pass" {
            continue;
        }
        let warn = c.severity == "warn";
        let subject = format!(
            "{}/{}/{}",
            if warn { "warn" } else { "error" },
            c.table_name,
            c.check_name
        );
        let (severity, title) = match status {
            "fail" if !warn => ("critical", format!("{} failed", c.check_name)),
            "fail" => ("warning", format!("{} failed", c.check_name)),
            _ => ("warning", format!("{} could not run", c.check_name)),
        };
        let mut lines = vec![c.message.clone().unwrap_or_default()];
        let episode: Vec<&crate::store::CheckResult> = history
            .get(&c.check_name)
            .map(|h| h.iter().take_while(|r| r.status != "pass").collect())
            .unwrap_or_default();
        if episode.len() > 1 || episode.iter().any(|r| r.source_value.is_some()) {
            for r in episode.iter().take(QUALITY_DAYS_SHOWN) {
                let numbers = match (r.source_value, r.lake_value, r.difference) {
                    _ if r.status == "error" => "could not run".to_owned(),
                    (Some(s), Some(l), Some(d)) => format!(
                        "lake {} · source {} ({}{})",
                        num(l),
                        num(s),
                        if d > 0.0 { "+" } else { "" },
                        num(d)
                    ),
                    (None, Some(l), _) => num(l),
                    _ => r.status.clone(),
                };
                lines.push(format!("{}: {numbers}", r.day_checked.format("%m-%d")));
            }
            if episode.len() > QUALITY_DAYS_SHOWN {
                lines.push(format!("{} failing days in a row", episode.len()));
            }
        }
        out.push(AlertFinding {
            subject,
            severity: severity.to_owned(),
            title,
            detail: lines.join(" · "),
            owners: c.owner.clone(),
        });
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
    fn a_job_still_running_is_not_late_until_it_has_run_too_long() {
        let periods = BTreeMap::from([("checks".to_owned(), chrono::Duration::hours(1))]);
        // Started at hour 0 and still going at hour 5: each tick since was skipped for it.
        let mut running = vec![run("checks", JobStatus::Running, 0, None)];
        for hour in (1..=5).rev() {
            running.insert(0, run("checks", JobStatus::Skipped, hour, None));
        }
        let runs = BTreeMap::from([("checks".to_owned(), running)]);
        assert!(
            jobs(&periods, &runs, t(0), t(5), UTC).is_empty(),
            "a long run is alive"
        );
        // Still "running" 6 hours on (hung, or its process killed): late.
        assert_eq!(jobs(&periods, &runs, t(0), t(7), UTC).len(), 1);
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
    fn dag(id: &str, next_h: Option<i64>) -> AirflowDagBrief {
        AirflowDagBrief {
            instance: "prod".into(),
            dag_id: id.into(),
            owners: Some("민수, data-eng".into()),
            is_active: true,
            next_run_after: next_h.map(t),
            ..AirflowDagBrief::default()
        }
    }

    fn dag_run(id: i64, dag: &str, state: &str, due_h: i64) -> AirflowRunBrief {
        AirflowRunBrief {
            id,
            instance: "prod".into(),
            dag_id: dag.into(),
            run_id: format!("scheduled__{id}"),
            run_type: "scheduled".into(),
            state: state.into(),
            run_after: Some(t(due_h)),
            started_at: Some(t(due_h)),
            ended_at: (state == "success" || state == "failed")
                .then(|| t(due_h) + chrono::Duration::minutes(5)),
            duration_secs: None,
        }
    }

    fn failure(run: i64, task: &str, try_number: i64) -> AirflowFailureBrief {
        AirflowFailureBrief {
            dag_run_id: run,
            task_id: task.into(),
            try_number,
            log_url: Some(format!(
                "https://airflow.example.com/log/{run}/{task}/{try_number}"
            )),
            ..AirflowFailureBrief::default()
        }
    }

    fn rules() -> AirflowRules {
        AirflowRules {
            late_after: Duration::from_secs(30 * 60),
            slow_factor: 2.0,
            run_limits: Vec::new(),
        }
    }

    fn facts(dags: Vec<AirflowDagBrief>, runs: Vec<AirflowRunBrief>) -> AirflowFacts {
        let mut f = AirflowFacts {
            collected_through: BTreeMap::from([("prod".to_owned(), t(100))]),
            ..AirflowFacts::default()
        };
        for r in runs {
            let k = (r.instance.clone(), r.dag_id.clone());
            f.recent.entry(k.clone()).or_default().push(r.clone());
            f.latest.entry(k).or_insert(r);
        }
        f.dags = dags;
        f
    }

    #[test]
    fn a_failed_dag_fires_with_its_tasks_and_streak_and_follows_a_retry_until_it_succeeds() {
        // Newest first: two failed runs in a row after a success.
        let mut f = facts(
            vec![dag("주문_적재", None)],
            vec![
                dag_run(3, "주문_적재", "failed", 30),
                dag_run(2, "주문_적재", "failed", 20),
                dag_run(1, "주문_적재", "success", 10),
            ],
        );
        f.failures = vec![
            failure(3, "load", 1),
            failure(3, "load", 2),
            failure(2, "load", 2),
        ];

        let found = airflow(&f, &rules(), t(40), UTC);

        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].subject, "failed/prod/주문_적재");
        assert_eq!(found[0].severity, "critical");
        assert_eq!(found[0].title, "주문_적재 failed");
        assert_eq!(found[0].owners.as_deref(), Some("민수, data-eng"));
        assert_eq!(
            found[0].detail,
            "Run scheduled__3 failed 2026-11-26 06:05 UTC: \
             [load (try 2)](https://airflow.example.com/log/3/load/2) · 2 failed runs in a row"
        );

        // The failed run is cleared: in progress again with its failed tries on record; still firing, changed.
        f.recent.values_mut().next().unwrap()[0].state = "running".into();
        let retried = airflow(&f, &rules(), t(41), UTC);
        assert_eq!(retried.len(), 1);
        assert!(
            retried[0].detail.starts_with("Run scheduled__2 failed")
                && retried[0]
                    .detail
                    .contains("run scheduled__3 failed too and is being retried"),
            "{}",
            retried[0].detail
        );

        // It succeeds: nothing fires.
        f.recent.values_mut().next().unwrap()[0].state = "success".into();
        assert!(airflow(&f, &rules(), t(42), UTC).is_empty());
    }

    #[test]
    fn a_new_run_after_a_failure_keeps_the_alert_and_says_so() {
        let f = facts(
            vec![dag("d", None)],
            vec![
                dag_run(2, "d", "running", 30),
                dag_run(1, "d", "failed", 20),
            ],
        );
        let found = airflow(&f, &rules(), t(30), UTC);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .detail
                .contains("run scheduled__2 is running since 2026-11-26 06:00 UTC"),
            "{}",
            found[0].detail
        );
    }

    #[test]
    fn a_run_past_its_p95_times_the_factor_or_its_limit_is_slow() {
        let mut f = facts(vec![dag("etl", None), dag("limited", None)], vec![]);
        f.running = vec![
            dag_run(7, "etl", "running", 0),
            dag_run(8, "limited", "running", 0),
        ];
        f.latest
            .insert(("prod".into(), "etl".into()), f.running[0].clone());
        f.latest
            .insert(("prod".into(), "limited".into()), f.running[1].clone());
        // Twenty runs of 30 minutes and one of an hour: p95 is 30 minutes, the limit an hour.
        let mut durations = vec![1_800.0; 20];
        durations.push(3_600.0);
        f.durations.insert(("prod".into(), "etl".into()), durations);
        let mut r = rules();
        r.run_limits = vec![RunLimit {
            dags: "limit*".into(),
            limit: "20m".into(),
        }];

        let at = |minutes: i64| t(0) + chrono::Duration::minutes(minutes);
        let subjects = |found: Vec<AlertFinding>| -> Vec<String> {
            found.into_iter().map(|f| f.subject).collect()
        };
        assert_eq!(subjects(airflow(&f, &r, at(15), UTC)), Vec::<String>::new());
        assert_eq!(
            subjects(airflow(&f, &r, at(25), UTC)),
            ["slow/prod/limited"]
        );
        let found = airflow(&f, &r, at(61), UTC);
        assert_eq!(
            subjects(found.clone()),
            ["slow/prod/etl", "slow/prod/limited"]
        );
        assert_eq!(
            found[0].detail,
            "Run scheduled__7 started 2026-11-25 00:00 UTC and has run longer than 1h \
             (2 × the p95 of its last 21 successful runs, 30m)"
        );
        assert_eq!(
            airflow(&f, &r, at(62), UTC)[0].detail,
            found[0].detail,
            "stable while nothing changes"
        );
        // Too few successful runs to learn from: no judgement.
        f.durations
            .insert(("prod".into(), "etl".into()), vec![60.0; 4]);
        assert_eq!(
            subjects(airflow(&f, &r, at(600), UTC)),
            ["slow/prod/limited"]
        );
    }

    #[test]
    fn a_dag_is_late_only_when_a_collection_after_its_grace_still_saw_no_run() {
        // Due at hour 50; the grace ends at 50:30.
        let f = |collected_h: i64, latest_due_h: i64| {
            let mut f = facts(vec![dag("daily", Some(50))], vec![]);
            f.latest.insert(
                ("prod".into(), "daily".into()),
                dag_run(1, "daily", "success", latest_due_h),
            );
            f.collected_through.insert("prod".into(), t(collected_h));
            f
        };
        assert!(
            airflow(&f(51, 26), &rules(), t(50), UTC).is_empty(),
            "not yet due"
        );
        let late = airflow(&f(51, 26), &rules(), t(51), UTC);
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].subject, "late/prod/daily");
        assert_eq!(
            late[0].detail,
            "Its run due 2026-11-27 02:00 UTC had not started 30m later (the scheduler may be down, or the DAG stuck)"
        );
        assert!(
            airflow(&f(50, 26), &rules(), t(52), UTC).is_empty(),
            "the last look was before the grace ended: nothing is known to be missing"
        );
        assert!(
            airflow(&f(51, 50), &rules(), t(52), UTC).is_empty(),
            "the run was created"
        );
    }

    #[test]
    fn a_file_that_fails_to_import_fires_with_the_last_line_of_its_error() {
        let mut f = facts(vec![], vec![]);
        f.import_errors = vec![(
            "prod".into(),
            "/opt/airflow/dags/legacy_crm_sync.py".into(),
            "Traceback (most recent call last):\n  File \"x\", line 1\nModuleNotFoundError: No module named 'crm'\n".into(),
        )];
        let found = airflow(&f, &rules(), t(1), UTC);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].subject,
            "import/prod//opt/airflow/dags/legacy_crm_sync.py"
        );
        assert_eq!(found[0].title, "legacy_crm_sync.py fails to import");
        assert!(
            found[0]
                .detail
                .contains("ModuleNotFoundError: No module named 'crm'"),
            "{}",
            found[0].detail
        );
    }

    #[test]
    fn p95_is_the_nearest_rank() {
        assert_eq!(p95(&[]), None);
        assert_eq!(p95(&[5.0]), Some(5.0));
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(p95(&v), Some(95.0));
    }
}
