//! The rules: pure functions from what the store knows (and the time, passed in) to findings. Keep each finding's
//! detail stable while nothing changes: it is compared to tell a changed alert from a repeated one.
//!
//! A finding's title and detail are stored messages ([`Msg`], see [`super::said`]): each card is drawn in its
//! reader's language, its times in `schedule.timezone`, when it is sent. (The rules that took the zone to write
//! times still take it, unused, so that their callers need not change.)

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

use super::said::{joined, stored};
use crate::cards::kit;
use crate::config::RunLimit;
use crate::config::alerts::{Budget, FreshnessRule, glob_matches};
use crate::cost::Anomaly;
use crate::i18n::Msg;
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

fn finding(subject: impl Into<String>, severity: &str, title: &Msg, detail: &Msg) -> AlertFinding {
    AlertFinding {
        subject: subject.into(),
        severity: severity.to_owned(),
        title: title.to_stored(),
        detail: detail.to_stored(),
        owners: None,
    }
}

/// Human form of a duration in the current language: `26h`, `3d`, `90m`, `1.5h` (`26시간`, …).
pub fn span(d: Duration) -> String {
    // A span holds no times: the clock and zone it is drawn with do not matter.
    span_msg(d).render(DateTime::<Utc>::MIN_UTC, chrono_tz::UTC)
}

/// [`span`] as a message, to be drawn in its reader's language.
pub fn span_msg(d: Duration) -> Msg {
    let s = d.as_secs();
    if s.is_multiple_of(86_400) {
        Msg::new("fmt-span-days").num("n", (s / 86_400) as f64)
    } else if s.is_multiple_of(3_600) {
        Msg::new("fmt-span-hours").num("n", (s / 3_600) as f64)
    } else if s >= 3_600 {
        Msg::new("fmt-span-hours").text("n", format!("{:.1}", s as f64 / 3_600.0))
    } else {
        Msg::new("fmt-span-minutes").num("n", s.div_ceil(60) as f64)
    }
}

/// Money as [`kit::money`] writes it, to be drawn in its reader's language (`USD 62.50`, `1,234원`).
fn money(amount: f64, currency: &str) -> Msg {
    let decimals = crate::i18n::fmt::currency_decimals(currency);
    let scale = 10f64.powi(decimals as i32);
    let units = (amount * scale).round() as i64;
    let sign = if units < 0 { "-" } else { "" };
    let units = units.unsigned_abs();
    let whole = kit::count((units / scale as u64) as i64);
    let figure = if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{:0decimals$}", units % scale as u64)
    };
    Msg::new("fmt-money")
        .text("currency", currency)
        .text("amount", figure)
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
    _tz: Tz,
) -> Vec<AlertFinding> {
    let mut out = Vec::new();
    for (job, period) in periods {
        let empty = Vec::new();
        let runs = runs.get(job).unwrap_or(&empty);
        let latest = runs
            .iter()
            .find(|r| matches!(r.status, JobStatus::Succeeded | JobStatus::Failed));
        if let Some(run) = latest.filter(|r| r.status == JobStatus::Failed) {
            let error = match run.error_text.as_deref().and_then(|e| e.lines().next()) {
                Some(line) => line.chars().take(300).collect(),
                None => stored(&Msg::new("alerts-jobs-no-error")),
            };
            out.push(finding(
                job.clone(),
                "critical",
                &Msg::new("alerts-jobs-failed").text("job", job),
                &Msg::new("alerts-jobs-failed-detail")
                    .time("at", run.started_at)
                    .text("error", error),
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
            let every = stored(&span_msg(period.to_std().unwrap_or_default()));
            let detail = match last_success {
                Some(at) => Msg::new("alerts-jobs-late-detail")
                    .time("at", at)
                    .text("every", every),
                None => Msg::new("alerts-jobs-late-detail-never").text("every", every),
            };
            out.push(finding(
                job.clone(),
                "warning",
                &Msg::new("alerts-jobs-late").text("job", job),
                &detail,
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
    _tz: Tz,
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
                &Msg::new("alerts-freshness-stale").text("table", &table.name),
                &Msg::new("alerts-freshness-stale-detail")
                    .time("at", changed)
                    .text("every", stored(&span_msg(interval)))
                    .text("how", how),
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
            &Msg::new("alerts-cost-budget")
                .text("name", name)
                .num("level", f64::from(level))
                .num("month", f64::from(month.month())),
            &Msg::new("alerts-cost-budget-detail")
                .text("spent", stored(&money(spent, currency)))
                .text("budget", stored(&money(budget.monthly, currency)))
                .text("pct", format!("{:.0}", share * 100.0)),
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
        &Msg::new("alerts-cost-anomaly").text("day", a.day.to_string()),
        &Msg::new("alerts-cost-anomaly-detail")
            .text("total", stored(&money(a.total, currency)))
            .text("mean", stored(&money(a.mean, currency)))
            .text("score", format!("{:.1}", a.score)),
    )]
}

/// `athena`: the failed share of the last hour at or above `failed_pct` (with enough queries, and at least twice
/// the week's share), and single queries of the last day that scanned too much.
pub fn athena(
    window: &AthenaWindow,
    failed_pct: u32,
    max_bytes: i64,
    _tz: Tz,
) -> Vec<AlertFinding> {
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
                &Msg::new("alerts-athena-failing"),
                &Msg::new("alerts-athena-failing-detail")
                    .text("failed", failed.to_string())
                    .text("total", total.to_string())
                    .text("pct", format!("{:.0}", share * 100.0))
                    .text("usual", format!("{:.0}", usual * 100.0)),
            ));
        }
    }
    if max_bytes > 0 {
        for (query, work_group, bytes, at) in &window.big_scans {
            out.push(finding(
                format!("scan/{query}"),
                "warning",
                &Msg::new("alerts-athena-scan")
                    .text("workgroup", work_group)
                    .text("bytes", kit::bytes(*bytes as u64)),
                &Msg::new("alerts-athena-scan-detail")
                    .text("query", query)
                    .time("at", *at),
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

/// How long, for people: `45s`, `12m`, `2h 5m` (`45초`, `12분`, `2시간 5분`).
fn took(secs: f64) -> Msg {
    let s = secs.max(0.0).round() as i64;
    match s {
        0..60 => Msg::new("alerts-took-seconds").num("n", s as f64),
        60..3_600 => Msg::new("fmt-span-minutes").num("n", (s / 60) as f64),
        _ if s % 3_600 < 60 => Msg::new("fmt-span-hours").num("n", (s / 3_600) as f64),
        _ => Msg::new("alerts-took-hours-minutes")
            .num("h", (s / 3_600) as f64)
            .num("m", ((s % 3_600) / 60) as f64),
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
) -> Option<(Duration, Msg)> {
    if let Some(limit) = rules
        .run_limits
        .iter()
        .find(|l| glob_matches(&l.dags, dag_id))
    {
        let d = limit.limit();
        return Some((
            d,
            Msg::new("alerts-airflow-limit-configured").text("limit", stored(&span_msg(d))),
        ));
    }
    if durations.len() < AIRFLOW_LEARN_MIN_RUNS {
        return None;
    }
    let p = p95(durations)?;
    let secs = (p * rules.slow_factor).max(AIRFLOW_MIN_LIMIT.as_secs_f64());
    Some((
        Duration::from_secs_f64(secs),
        Msg::new("alerts-airflow-limit-learned")
            .text("factor", rules.slow_factor.to_string())
            .num("runs", durations.len() as f64)
            .text("p95", stored(&took(p))),
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

/// `[task (try 2)](log)` of each failed try of `run`, newest try of a task only (stored messages).
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
            let tried = Msg::new("alerts-airflow-try")
                .text("task", &f.task_id)
                .num("try", f.try_number as f64);
            stored(&match &f.log_url {
                Some(url) => Msg::new("alerts-airflow-try-link")
                    .text("tried", stored(&tried))
                    .text("url", url),
                None => tried,
            })
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
    _tz: Tz,
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
            let when = failed.ended_at.or(failed.started_at).or(failed.run_after);
            let run = Msg::new(match (streak.is_empty(), when) {
                (true, _) => "alerts-airflow-retrying",
                (false, Some(_)) => "alerts-airflow-failed-run",
                (false, None) => "alerts-airflow-failed-run-undated",
            })
            .text("run", &failed.run_id);
            let run = match when {
                Some(at) if !streak.is_empty() => run.time("at", at),
                _ => run,
            };
            let mut parts = vec![if tasks.is_empty() {
                stored(&run)
            } else {
                joined(&[stored(&run), joined(&tasks, ", ")], ": ")
            }];
            if streak.len() > 1 {
                parts.push(stored(
                    &Msg::new("alerts-airflow-streak").num("n", streak.len() as f64),
                ));
            }
            if let Some(next) = in_progress.filter(|_| !streak.is_empty()) {
                if retried.is_some() {
                    parts.push(stored(
                        &Msg::new("alerts-airflow-next-retried").text("run", &next.run_id),
                    ));
                } else if let Some(started) = next.started_at.or(next.run_after) {
                    parts.push(stored(
                        &Msg::new("alerts-airflow-next-state")
                            .text("run", &next.run_id)
                            .text("state", &next.state)
                            .time("at", started),
                    ));
                }
            }
            out.push(AlertFinding {
                subject: format!("failed/{}/{}", dag.instance, dag.dag_id),
                severity: "critical".to_owned(),
                title: stored(&Msg::new("alerts-airflow-failed").text("dag", name(dag))),
                detail: joined(&parts, " · "),
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
                    title: stored(&Msg::new("alerts-airflow-slow").text("dag", name(dag))),
                    detail: stored(
                        &Msg::new("alerts-airflow-slow-detail")
                            .text("run", &run.run_id)
                            .time("at", started)
                            .text("limit", stored(&took(limit.as_secs_f64())))
                            .text("why", stored(&why)),
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
                title: stored(&Msg::new("alerts-airflow-late").text("dag", name(dag))),
                detail: stored(
                    &Msg::new("alerts-airflow-late-detail")
                        .time("at", due)
                        .text("grace", stored(&span_msg(rules.late_after))),
                ),
                owners,
            });
        }
    }
    for (instance, file, error) in &facts.import_errors {
        let short = file.rsplit('/').next().unwrap_or(file);
        let line = match error.lines().map(str::trim).rfind(|l| !l.is_empty()) {
            Some(line) => line.chars().take(300).collect(),
            None => stored(&Msg::new("alerts-airflow-no-error-text")),
        };
        let title = if several {
            Msg::new("alerts-airflow-import-on").text("instance", instance)
        } else {
            Msg::new("alerts-airflow-import")
        };
        out.push(AlertFinding {
            subject: format!("import/{instance}/{file}"),
            severity: "critical".to_owned(),
            title: stored(&title.text("file", short)),
            detail: stored(
                &Msg::new("alerts-airflow-import-detail")
                    .text("file", file)
                    .text("error", line),
            ),
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
            "fail" if !warn => ("critical", "alerts-quality-failed"),
            "fail" => ("warning", "alerts-quality-failed"),
            _ => ("warning", "alerts-quality-error"),
        };
        let title = Msg::new(title).text("check", &c.check_name);
        // The verdict's message as the store keeps it (a stored message, drawn with the rest).
        let mut lines = vec![c.message.clone().unwrap_or_default()];
        let episode: Vec<&crate::store::CheckResult> = history
            .get(&c.check_name)
            .map(|h| h.iter().take_while(|r| r.status != "pass").collect())
            .unwrap_or_default();
        if episode.len() > 1 || episode.iter().any(|r| r.source_value.is_some()) {
            for r in episode.iter().take(QUALITY_DAYS_SHOWN) {
                let day = r.day_checked.format("%m-%d").to_string();
                let line = match (r.source_value, r.lake_value, r.difference) {
                    _ if r.status == "error" => {
                        Msg::new("alerts-quality-day-error").text("day", day)
                    }
                    (Some(s), Some(l), Some(d)) => Msg::new("alerts-quality-day-compare")
                        .text("day", day)
                        .text("lake", num(l))
                        .text("source", num(s))
                        .text(
                            "difference",
                            format!("{}{}", if d > 0.0 { "+" } else { "" }, num(d)),
                        ),
                    (None, Some(l), _) => Msg::new("alerts-quality-day-value")
                        .text("day", day)
                        .text("value", num(l)),
                    _ => Msg::new("alerts-quality-day-status")
                        .text("day", day)
                        .text("status", &r.status),
                };
                lines.push(stored(&line));
            }
            if episode.len() > QUALITY_DAYS_SHOWN {
                lines.push(stored(
                    &Msg::new("alerts-quality-streak").num("n", episode.len() as f64),
                ));
            }
        }
        out.push(AlertFinding {
            subject,
            severity: severity.to_owned(),
            title: stored(&title),
            detail: if lines.len() == 1 {
                lines.remove(0)
            } else {
                joined(&lines, " · ")
            },
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

    /// A stored title or detail as an English reader in UTC sees it at `now`.
    fn en(stored: &str, now: DateTime<Utc>) -> String {
        crate::i18n::sync_scope(crate::i18n::Lang::En, || {
            crate::alerts::said::draw(stored, now, UTC)
        })
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
        let detail = en(&found[0].detail, t(10));
        assert_eq!(
            detail, "Run of 2026-11-25 09:00 UTC (1h ago): Failed to page Glue tables of `sales`",
            "the first line only"
        );
        assert_eq!(
            en(&found[1].detail, t(10)),
            "Last success 2026-11-25 07:05 UTC (2h ago); it runs every 15m"
        );
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

        let names: Vec<String> = found.iter().map(|f| en(&f.title, t(48))).collect();
        assert_eq!(names, vec!["sales.orders is stale", "매출.일별 is stale"]);
        assert_eq!(
            en(&found[0].detail, t(48)),
            "Last changed 2026-11-25 00:00 UTC (2d ago); expected every 26h (configured)"
        );
        let learned = en(&found[1].detail, t(48));
        assert!(
            learned.contains("expected every 12h (learned)"),
            "{learned}"
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
        assert_eq!(
            en(&found[0].title, t(0)),
            "데이터 플랫폼 is over 80 % of its November budget"
        );
        assert_eq!(
            en(&found[0].detail, t(0)),
            "USD 850.00 of USD 1,000.00 spent (85 %)"
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
        assert_eq!(
            en(&found[1].title, t(2)),
            "A query in analysts scanned 3.0 TiB"
        );
        assert_eq!(
            en(&found[1].detail, t(2)),
            "Query q-1 at 2026-11-25 01:00 UTC (1h ago)"
        );

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
        assert_eq!(en(&found[0].title, t(40)), "주문_적재 failed");
        assert_eq!(found[0].owners.as_deref(), Some("민수, data-eng"));
        assert_eq!(
            en(&found[0].detail, t(40)),
            "Run scheduled__3 failed 2026-11-26 06:05 UTC (9h ago): \
             [load (try 2)](https://airflow.example.com/log/3/load/2) · 2 failed runs in a row"
        );

        // The failed run is cleared: in progress again with its failed tries on record; still firing, changed.
        f.recent.values_mut().next().unwrap()[0].state = "running".into();
        let retried = airflow(&f, &rules(), t(41), UTC);
        assert_eq!(retried.len(), 1);
        let detail = en(&retried[0].detail, t(41));
        assert!(
            detail.starts_with("Run scheduled__2 failed")
                && detail.contains("run scheduled__3 failed too and is being retried"),
            "{detail}"
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
        let detail = en(&found[0].detail, t(30));
        assert!(
            detail.contains("run scheduled__2 is running since 2026-11-26 06:00 UTC (just now)"),
            "{detail}"
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
            en(&found[0].detail, at(61)),
            "Run scheduled__7 started 2026-11-25 00:00 UTC (1h ago) and has run longer than 1h \
             (2 × the p95 of its last 21 successful runs, 30m)"
        );
        assert_eq!(
            en(&found[1].detail, at(61)),
            "Run scheduled__8 started 2026-11-25 00:00 UTC (1h ago) and has run longer than 20m \
             (its configured limit, 20m)"
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
            en(&late[0].detail, t(51)),
            "Its run due 2026-11-27 02:00 UTC (1h ago) had not started 30m later (the scheduler may be down, or the DAG stuck)"
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
        assert_eq!(
            en(&found[0].title, t(1)),
            "legacy_crm_sync.py fails to import"
        );
        assert_eq!(
            en(&found[0].detail, t(1)),
            "/opt/airflow/dags/legacy_crm_sync.py: ModuleNotFoundError: No module named 'crm' · the DAGs it \
             defines are not scheduled"
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
