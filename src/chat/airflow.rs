//! `airflow` (today's board: failed, late, running, succeeded, worst first), `airflow failed [24h|7d]` (failed runs
//! with their failed tasks and log links) and `airflow dag <dag_id>` (schedule, owner, next run, the last runs with
//! durations and a trend), from what the airflow collector stores. Backfills are told apart: they are left out of
//! the board and marked where they are listed.

use chrono::{DateTime, Duration, Utc};

use super::commands::{Command, Context, FromArgs, RawArgs, first};
use super::help::{mistake, show};
use super::{Reply, View};
use crate::cards::kit;
use crate::cards::views::{AirflowCard, AirflowHeatmapCard, AirflowRow, Badge, Empty, Fact};
use crate::collect::Job;
use crate::store::{AirflowDagBrief, AirflowFailureBrief, AirflowRunBrief, Store, StoreError};
use crate::t;

/// Rows a card lists at most.
const ROWS: usize = 25;
/// Runs `airflow dag` lists.
const DAG_RUNS: u32 = 10;

/// How long, for people: `45s`, `12m 5s`, `2h 5m` / `45초`, `12분 5초`, `2시간 5분`.
fn span(secs: f64) -> String {
    let s = secs.max(0.0).round() as i64;
    match s {
        0..60 => t!("airflow-span-seconds", s = s),
        60..3_600 if s % 60 == 0 => t!("airflow-span-minutes", m = s / 60),
        60..3_600 => t!("airflow-span-minutes-seconds", m = s / 60, s = s % 60),
        _ if s % 3_600 < 60 => t!("airflow-span-hours", h = s / 3_600),
        _ => t!(
            "airflow-span-hours-minutes",
            h = s / 3_600,
            m = (s % 3_600) / 60
        ),
    }
}

fn local(at: DateTime<Utc>, view: &View) -> String {
    let t = at.with_timezone(&view.timezone);
    let today = view.now.with_timezone(&view.timezone).date_naive();
    let pattern = if t.date_naive() == today {
        t!("airflow-time-pattern")
    } else {
        t!("airflow-day-time-pattern")
    };
    t.format(&pattern).to_string()
}

/// A run's state in words: Airflow's `failed`, `success`, `running`, `queued`, or as Airflow writes it.
fn state_word(state: &str) -> String {
    t!("airflow-state", state = state)
}

fn badge(state: &str) -> Badge {
    let color = match state {
        "failed" => "attention",
        "success" => "good",
        "running" | "queued" => "accent",
        _ => "default",
    };
    Badge::new(state_word(state), color)
}

/// `09:05 KST · 2m 3s`, or `10:00 KST · running 12m`; `backfill` marked.
fn run_line(run: &AirflowRunBrief, view: &View) -> String {
    let mut parts = Vec::new();
    if let Some(at) = run.started_at.or(run.run_after) {
        parts.push(local(at, view));
    }
    match (run.duration_secs, run.started_at) {
        (Some(d), _) => parts.push(span(d)),
        (None, Some(s)) if run.state == "running" => {
            parts.push(t!(
                "airflow-running-for",
                span = span((view.now - s).num_seconds() as f64)
            ));
        }
        _ => {}
    }
    if run.run_type == "backfill" {
        parts.push(t!("airflow-backfill"));
    }
    parts.join(" · ")
}

/// `failed: explode (try 2), load (try 1)` and the first task's log.
fn failed_tasks(run: &AirflowRunBrief, failures: &[AirflowFailureBrief]) -> (String, String) {
    let mine: Vec<&AirflowFailureBrief> =
        failures.iter().filter(|f| f.dag_run_id == run.id).collect();
    if mine.is_empty() {
        return (String::new(), String::new());
    }
    let names: Vec<String> = mine
        .iter()
        .map(|f| {
            t!(
                "airflow-task-try",
                task = &f.task_id,
                attempt = f.try_number
            )
        })
        .collect();
    (
        t!("airflow-failed-tasks", tasks = names.join(", ")),
        mine[0].log_url.clone().unwrap_or_default(),
    )
}

fn keys(runs: &[AirflowRunBrief]) -> Vec<i64> {
    runs.iter()
        .filter(|r| r.state == "failed")
        .map(|r| r.id)
        .collect()
}

/// What the cards say when nothing is collected, and the staleness warning.
struct Frame {
    subtitle: String,
    as_of: String,
    stale: String,
    collected: bool,
    /// When each instance was last collected.
    seen: std::collections::BTreeMap<String, DateTime<Utc>>,
}

async fn frame(store: &Store, view: &View) -> Result<Frame, StoreError> {
    let instances = store.airflow_instances().await?;
    let subtitle = instances
        .iter()
        .map(|i| format!("{} (Airflow {})", i.instance, i.version))
        .collect::<Vec<_>>()
        .join(", ");
    let as_of = instances
        .iter()
        .map(|i| i.collected_through)
        .min()
        .map(|at| kit::when(at, view.now, view.timezone))
        .unwrap_or_default();
    let last_success = store.last_job_success(Job::Airflow.name()).await?;
    let stale = match (view.period, last_success) {
        (Some(p), Some(at)) if view.now - at > p * 2 => {
            t!("airflow-stale", ago = kit::ago(at, view.now))
        }
        _ => String::new(),
    };
    Ok(Frame {
        subtitle,
        as_of,
        stale,
        collected: !instances.is_empty(),
        seen: instances
            .iter()
            .map(|i| (i.instance.clone(), i.collected_through))
            .collect(),
    })
}

fn not_collected() -> Empty {
    Empty::new(
        t!("airflow-not-collected"),
        t!("airflow-not-collected-hint"),
    )
}

fn several(dags: &[AirflowDagBrief]) -> bool {
    dags.iter().any(|d| d.instance != dags[0].instance)
}

/// Where a DAG row says it is: the instance (when there are several) and the owner.
fn place(instance: &str, owners: Option<&str>, show_instance: bool) -> String {
    let mut parts = Vec::new();
    if show_instance {
        parts.push(instance.to_owned());
    }
    if let Some(o) = owners.filter(|o| !o.is_empty()) {
        parts.push(t!("airflow-owner", owner = o));
    }
    parts.join(" · ")
}

/// The board: each DAG that is on (active, not paused) by its latest run, worst first.
pub async fn board(store: &Store, view: &View, late_after: Duration) -> Result<Reply, StoreError> {
    let frame = frame(store, view).await?;
    let dags: Vec<AirflowDagBrief> = store
        .airflow_dags(None)
        .await?
        .into_iter()
        .filter(|d| d.is_active && !d.is_paused)
        .collect();
    let latest = store.airflow_latest_runs().await?;
    let today = view
        .now
        .with_timezone(&view.timezone)
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(view.timezone).earliest())
        .map_or(view.now - Duration::days(1), |t| t.with_timezone(&Utc));
    let todays = store.airflow_run_states_since(today).await?;
    let failures = store.airflow_failures_of(&keys(&latest)).await?;
    let show_instance = !dags.is_empty() && several(&dags);
    // (rank, row): 0 failed, 1 late, 2 running, 3 succeeded, 4 no run yet.
    let mut ranked: Vec<(u8, String, AirflowRow)> = Vec::new();
    for dag in &dags {
        let run = latest
            .iter()
            .find(|r| r.instance == dag.instance && r.dag_id == dag.dag_id);
        // Judged as the `airflow` alerts judge it.
        let late = crate::alerts::rules::airflow_late(
            dag,
            run,
            late_after.to_std().unwrap_or_default(),
            frame.seen.get(&dag.instance).copied().unwrap_or(view.now),
            view.now,
        );
        let (rank, detail, url, state) = match (run, late) {
            (Some(r), _) if r.state == "failed" => {
                let (tasks, url) = failed_tasks(r, &failures);
                let line = [run_line(r, view), tasks]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                (0, line, url, badge("failed"))
            }
            (_, Some(due)) => (
                1,
                t!("airflow-due", time = local(due, view)),
                String::new(),
                Badge::new(
                    t!(
                        "airflow-late",
                        span = span((view.now - due).num_seconds() as f64)
                    ),
                    "warning",
                ),
            ),
            (Some(r), None) if matches!(r.state.as_str(), "running" | "queued") => {
                (2, run_line(r, view), String::new(), badge(&r.state))
            }
            (Some(r), None) => (3, run_line(r, view), String::new(), badge(&r.state)),
            (None, None) => (
                4,
                t!("airflow-no-run-yet"),
                String::new(),
                Badge::new(t!("airflow-no-runs"), "default"),
            ),
        };
        ranked.push((
            rank,
            dag.dag_id.clone(),
            AirflowRow {
                name: dag.dag_id.clone(),
                place: place(&dag.instance, dag.owners.as_deref(), show_instance),
                detail,
                url,
                state,
            },
        ));
    }
    for (instance, file, _) in store.airflow_import_errors().await? {
        ranked.push((
            0,
            String::new(),
            AirflowRow {
                name: file.rsplit('/').next().unwrap_or(&file).to_owned(),
                place: place(&instance, None, show_instance),
                detail: t!("airflow-import-failed", file = &file),
                url: String::new(),
                state: Badge::new(t!("airflow-import-error"), "attention"),
            },
        ));
    }
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let count = |rank: u8| ranked.iter().filter(|r| r.0 == rank).count();
    let (failed, late, running, succeeded) = (count(0), count(1), count(2), count(3));
    let status = if failed > 0 {
        Badge::new(t!("airflow-n-failed", n = failed), "attention")
    } else if late > 0 {
        Badge::new(t!("airflow-n-late", n = late), "warning")
    } else if frame.collected {
        Badge::new(t!("airflow-all-well"), "good")
    } else {
        Badge::default()
    };
    let mut facts = Vec::new();
    if frame.collected {
        let by = |s: &str| {
            todays
                .iter()
                .filter(|(state, _)| state == s)
                .map(|(_, n)| *n)
                .sum::<i64>()
        };
        let all: i64 = todays.iter().map(|(_, n)| *n).sum();
        facts.push(Fact::new(
            t!("airflow-today"),
            t!(
                "airflow-today-runs",
                n = all,
                zone = view
                    .now
                    .with_timezone(&view.timezone)
                    .format("%Z")
                    .to_string(),
                succeeded = by("success"),
                failed = by("failed"),
                running = by("running") + by("queued"),
            ),
        ));
    }
    let summary = if frame.collected {
        t!(
            "airflow-board-summary",
            failed = failed,
            late = late,
            running = running,
            succeeded = succeeded
        )
    } else {
        t!("airflow-not-collected")
    };
    let more = ranked.len().saturating_sub(ROWS);
    let rows: Vec<AirflowRow> = ranked.into_iter().take(ROWS).map(|r| r.2).collect();
    Ok(show(&AirflowCard {
        icon: "🌀".to_owned(),
        state_label: t!("airflow-state-label"),
        link_label: t!("airflow-log"),
        dashboard_label: t!("airflow-open-dashboard"),
        summary,
        title: t!("airflow-board-title"),
        subtitle: frame.subtitle,
        status,
        facts,
        name_label: "DAG".to_owned(),
        detail_label: t!("airflow-latest-run"),
        rows,
        empty: if frame.collected {
            Empty::new(t!("airflow-none-on"), t!("airflow-none-on-hint"))
        } else {
            not_collected()
        },
        more: if more > 0 {
            t!("airflow-board-more", n = more)
        } else {
            String::new()
        },
        stale: frame.stale,
        as_of: frame.as_of,
        superset_url: view.dashboard.clone().unwrap_or_default(),
    }))
}

/// `24h` (default) or `7d`, in English or Korean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window(pub i64);

impl FromArgs for Window {
    fn from_args(args: RawArgs) -> Result<Window, String> {
        match first(args).trim().to_lowercase().as_str() {
            "" | "24h" | "1d" | "24시간" | "하루" => Ok(Window(24)),
            "7d" | "7일" | "일주일" => Ok(Window(24 * 7)),
            other => Err(t!("airflow-window-unknown", typed = kit::quote(other))),
        }
    }
}

/// Failed runs of the last `hours`, newest first, with their failed tasks.
pub async fn failed(store: &Store, view: &View, hours: i64) -> Result<Reply, StoreError> {
    let frame = frame(store, view).await?;
    let since = view.now - Duration::hours(hours);
    let runs = store
        .airflow_runs_since(since, Some("failed"), (ROWS + 1) as u32)
        .await?;
    let failures = store.airflow_failures_of(&keys(&runs)).await?;
    let several = runs.iter().any(|r| r.instance != runs[0].instance);
    let period = if hours == 24 {
        t!("airflow-last-24h")
    } else {
        t!("airflow-last-days", days = hours / 24)
    };
    let more = runs.len() > ROWS;
    let rows: Vec<AirflowRow> = runs
        .iter()
        .take(ROWS)
        .map(|r| {
            let (tasks, url) = failed_tasks(r, &failures);
            let detail = [run_line(r, view), tasks]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            AirflowRow {
                name: r.dag_id.clone(),
                place: place(&r.instance, None, several),
                detail,
                url,
                state: badge(&r.state),
            }
        })
        .collect();
    let summary = match rows.len() {
        0 if frame.collected => t!("airflow-failed-none", period = &period),
        0 => t!("airflow-not-collected"),
        n => t!("airflow-failed-summary", n = n, period = &period),
    };
    Ok(show(&AirflowCard {
        icon: "🌀".to_owned(),
        state_label: t!("airflow-state-label"),
        link_label: t!("airflow-log"),
        dashboard_label: t!("airflow-open-dashboard"),
        summary,
        title: t!("airflow-failed-title", period = &period),
        subtitle: frame.subtitle,
        status: match rows.len() {
            0 if frame.collected => Badge::new(t!("airflow-none-failed"), "good"),
            0 => Badge::default(),
            n => Badge::new(t!("airflow-n-failed", n = n), "attention"),
        },
        facts: Vec::new(),
        name_label: "DAG".to_owned(),
        detail_label: t!("airflow-run"),
        rows,
        empty: if frame.collected {
            Empty::new(
                t!("airflow-failed-none", period = &period),
                if hours == 24 {
                    t!("airflow-failed-hint-week")
                } else {
                    t!("airflow-failed-hint-board")
                },
            )
        } else {
            not_collected()
        },
        more: if more {
            t!("airflow-failed-more", n = ROWS)
        } else {
            String::new()
        },
        stale: frame.stale,
        as_of: frame.as_of,
        superset_url: view.dashboard.clone().unwrap_or_default(),
    }))
}

/// A DAG id as typed: Airflow's own alphabet (letters of any script, digits, `_`, `.`, `-`), at most 250.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DagId(pub String);

impl FromArgs for DagId {
    fn from_args(args: RawArgs) -> Result<DagId, String> {
        let id = first(args).trim().to_owned();
        if id.is_empty() {
            return Err(t!("airflow-dag-which"));
        }
        if id.chars().count() > 250
            || !id
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '/'))
        {
            return Err(t!("airflow-dag-not-id", typed = kit::quote(&id)));
        }
        Ok(DagId(id))
    }
}

/// The heatmap's arguments: a window of days and, optionally, one instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatmapArgs {
    /// 7 or 30.
    pub days: i64,
    /// One instance, or all.
    pub instance: Option<String>,
}

fn heatmap_days(word: &str) -> Option<i64> {
    match word {
        "" | "7d" | "7일" | "일주일" | "1w" => Some(7),
        "30d" | "30일" | "한달" | "한 달" | "1m" => Some(30),
        _ => None,
    }
}

impl FromArgs for HeatmapArgs {
    fn from_args(args: RawArgs) -> Result<HeatmapArgs, String> {
        let words: Vec<String> = args
            .into_iter()
            .map(|a| a.unwrap_or_default().trim().to_lowercase())
            .collect();
        let (first, second) = (
            words.first().cloned().unwrap_or_default(),
            words.get(1).cloned().unwrap_or_default(),
        );
        // `airflow heatmap prod` as well as `airflow heatmap 30d prod`.
        // A period Doberman does not draw (`90d`, `2주`) is not an instance's name.
        let looks_like_period = first.chars().next().is_some_and(|c| c.is_ascii_digit())
            && first
                .trim_start_matches(|c: char| c.is_ascii_digit())
                .chars()
                .count()
                <= 2;
        let (days, instance) = match (heatmap_days(&first), second.is_empty()) {
            (Some(days), _) => (days, second),
            (None, true) if !looks_like_period => (7, first),
            (None, _) => {
                return Err(t!(
                    "airflow-heatmap-period-unknown",
                    typed = kit::quote(&first)
                ));
            }
        };
        let instance_ok = instance.len() <= 64
            && instance
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
        if !instance_ok {
            return Err(t!(
                "airflow-heatmap-not-instance",
                typed = kit::quote(&instance)
            ));
        }
        Ok(HeatmapArgs {
            days,
            instance: (!instance.is_empty()).then_some(instance),
        })
    }
}

/// The schedule heatmap: per local weekday and hour, the DAG runs (not backfills) in progress and their run
/// minutes over the last `days`, from the collector's hourly rollup plus the runs in progress now; an image, the
/// busiest hours in words, and the same in the alt text.
pub async fn heatmap(
    store: &Store,
    view: &View,
    days: i64,
    instance: Option<&str>,
) -> Result<Reply, StoreError> {
    use crate::cards::heatmap::{Cell, Grid, render};
    use chrono::{Datelike, DurationRound, Timelike};
    let frame = frame(store, view).await?;
    if let Some(name) = instance
        && !frame.seen.contains_key(name)
    {
        let suggestions: Vec<String> = frame
            .seen
            .keys()
            .map(|k| format!("`airflow heatmap {k}`"))
            .collect();
        let fix = if frame.collected {
            t!("airflow-heatmap-all")
        } else {
            t!("airflow-not-collected-fix")
        };
        return Ok(mistake(
            &t!("airflow-no-instance-title"),
            &t!("airflow-no-instance", name = kit::quote(name)),
            &fix,
            suggestions,
        ));
    }
    let until = view
        .now
        .duration_trunc(Duration::hours(1))
        .unwrap_or(view.now)
        + Duration::hours(1);
    let since = until - Duration::days(days);
    let mut hours: std::collections::HashMap<DateTime<Utc>, (i64, i64)> =
        std::collections::HashMap::new();
    for h in store.airflow_run_hours(since, until, instance).await? {
        let e = hours.entry(h.hour_utc).or_default();
        e.0 += h.runs;
        e.1 += h.run_secs;
    }
    // Runs in progress are not in the rollup until they end.
    let running = store
        .airflow_runs_since(view.now - Duration::days(30), Some("running"), 1_000)
        .await?;
    for r in running
        .iter()
        .filter(|r| r.run_type != "backfill" && instance.is_none_or(|i| r.instance == i))
    {
        if let Some(start) = r.started_at {
            crate::store::add_run_hours(&mut hours, start.max(since), view.now, 1);
        }
    }
    let mut grid: Grid = [[Cell::default(); 24]; 7];
    let mut total_runs = 0;
    for (hour, (runs, secs)) in &hours {
        if *hour < since || *hour >= until {
            continue;
        }
        let local = hour.with_timezone(&view.timezone);
        let cell =
            &mut grid[local.weekday().num_days_from_monday() as usize][local.hour() as usize];
        cell.runs += runs;
        cell.minutes += *secs as f64 / 60.0;
        total_runs += runs;
    }
    let period = t!(
        "airflow-heatmap-period",
        days = days,
        zone = view.timezone.name()
    );
    let scope = instance.map_or_else(|| frame.subtitle.clone(), str::to_owned);
    let mut cells: Vec<(usize, usize, Cell)> = grid
        .iter()
        .enumerate()
        .flat_map(|(d, row)| row.iter().enumerate().map(move |(h, c)| (d, h, *c)))
        .filter(|(_, _, c)| c.runs > 0)
        .collect();
    cells.sort_by(|a, b| {
        b.2.minutes
            .total_cmp(&a.2.minutes)
            .then(b.2.runs.cmp(&a.2.runs))
    });
    let name = |d: usize, h: usize| {
        format!(
            "{} {h:02}:00–{:02}:00",
            t!("airflow-weekday", day = d),
            (h + 1) % 24
        )
    };
    let busiest: Vec<Fact> = cells
        .iter()
        .take(3)
        .map(|(d, h, c)| {
            Fact::new(
                name(*d, *h),
                t!(
                    "airflow-heatmap-busy",
                    runs = c.runs,
                    minutes = c.minutes.round() as i64
                ),
            )
        })
        .collect();
    let quietest: Vec<String> = {
        let mut empty: Vec<String> = Vec::new();
        for (d, row) in grid.iter().enumerate() {
            for (h, c) in row.iter().enumerate() {
                if c.runs == 0 && empty.len() < 3 {
                    empty.push(name(d, h));
                }
            }
        }
        empty
    };
    let described: Vec<String> = busiest
        .iter()
        .map(|f| format!("{} ({})", f.title, f.value))
        .collect();
    let alt_text = if cells.is_empty() {
        String::new()
    } else {
        let mut alt = t!(
            "airflow-heatmap-alt",
            zone = view.timezone.name(),
            period = &period,
            runs = total_runs,
            hours = cells.len(),
            busiest = described.join("; "),
        );
        if !quietest.is_empty() {
            alt.push(' ');
            alt.push_str(&t!("airflow-heatmap-quiet", hours = quietest.join(", ")));
        }
        alt
    };
    let image = if cells.is_empty() {
        String::new()
    } else {
        use base64::Engine as _;
        format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(render(&grid))
        )
    };
    let summary = match busiest.first() {
        Some(top) => t!(
            "airflow-heatmap-summary",
            period = &period,
            hour = &top.title,
            value = &top.value
        ),
        None => t!("airflow-heatmap-summary-none", period = &period),
    };
    Ok(show(&AirflowHeatmapCard {
        summary,
        title: t!("airflow-heatmap-title"),
        subtitle: [period.clone(), scope]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        image,
        alt_text,
        busiest,
        empty: if frame.collected {
            Empty::new(
                t!(
                    "airflow-heatmap-empty",
                    period = t!("airflow-last-days", days = days)
                ),
                t!("airflow-heatmap-empty-hint"),
            )
        } else {
            not_collected()
        },
        stale: frame.stale,
        as_of: frame.as_of,
        superset_url: view.dashboard.clone().unwrap_or_default(),
    }))
}

/// One DAG: its schedule, owner, next run, the last runs with durations and the trend, recent failures.
pub async fn dag(store: &Store, view: &View, id: &str) -> Result<Reply, StoreError> {
    let frame = frame(store, view).await?;
    let mut found = store.airflow_dags(Some(id)).await?;
    if found.is_empty() {
        let all = store.airflow_dags(None).await?;
        let lower = id.to_lowercase();
        let mut close: Vec<(usize, String)> = all
            .iter()
            .map(|d| {
                (
                    crate::common::edit_distance(&d.dag_id.to_lowercase(), &lower),
                    d.dag_id.clone(),
                )
            })
            .filter(|(d, name)| *d <= 3 || name.to_lowercase().contains(&lower))
            .collect();
        close.sort();
        close.dedup_by(|a, b| a.1 == b.1);
        let suggestions: Vec<String> = close
            .into_iter()
            .take(3)
            .map(|(_, n)| format!("`airflow dag {n}`"))
            .collect();
        let fix = if frame.collected {
            t!("airflow-no-dag-fix")
        } else {
            t!("airflow-not-collected-fix")
        };
        return Ok(mistake(
            &t!("airflow-no-dag-title"),
            &t!("airflow-no-dag", id = kit::quote(id)),
            &fix,
            suggestions,
        ));
    }
    let show_instance = found.len() > 1;
    let dag = found.remove(0);
    let runs = store
        .airflow_runs_of(&dag.instance, &dag.dag_id, DAG_RUNS * 2)
        .await?;
    let failures = store.airflow_failures_of(&keys(&runs)).await?;
    let mut facts = Vec::new();
    if show_instance {
        facts.push(Fact::new(
            t!("airflow-instance"),
            t!(
                "airflow-instance-also",
                instance = &dag.instance,
                n = found.len()
            ),
        ));
    }
    if let Some(o) = dag.owners.as_deref().filter(|o| !o.is_empty()) {
        facts.push(Fact::new(t!("airflow-owners"), o));
    }
    let schedule = match (&dag.schedule, &dag.schedule_description) {
        (Some(s), Some(d)) if s != d => format!("{s} ({d})"),
        (Some(s), _) => s.clone(),
        (None, Some(d)) => d.clone(),
        (None, None) => t!("airflow-schedule-none"),
    };
    facts.push(Fact::new(t!("airflow-schedule"), schedule));
    if let Some(next) = dag.next_run_after {
        facts.push(Fact::new(
            t!("airflow-next-run"),
            kit::when(next, view.now, view.timezone),
        ));
    }
    let durations = |runs: &[&AirflowRunBrief]| -> Option<f64> {
        let d: Vec<f64> = runs.iter().filter_map(|r| r.duration_secs).collect();
        (!d.is_empty()).then(|| d.iter().sum::<f64>() / d.len() as f64)
    };
    let successes: Vec<&AirflowRunBrief> = runs
        .iter()
        .filter(|r| r.state == "success" && r.run_type != "backfill")
        .collect();
    let half = successes.len().min(DAG_RUNS as usize);
    let recent = durations(&successes[..half]);
    let before = durations(&successes[half..]);
    if let Some(avg) = recent {
        let trend = match before {
            Some(b) if b > 0.0 => {
                let pct = (avg - b) / b * 100.0;
                let said = if pct.abs() < 0.5 {
                    t!("airflow-trend-same")
                } else if pct > 0.0 {
                    t!("airflow-trend-up", pct = format!("{pct:.0}"))
                } else {
                    t!("airflow-trend-down", pct = format!("{:.0}", pct.abs()))
                };
                format!(" ({said})")
            }
            _ => String::new(),
        };
        facts.push(Fact::new(
            t!("airflow-typical"),
            t!(
                "airflow-typical-value",
                span = span(avg),
                n = half,
                trend = trend
            ),
        ));
    }
    let mut status = if dag.is_paused {
        Badge::new(t!("airflow-paused"), "default")
    } else {
        runs.first().map_or_else(
            || Badge::new(t!("airflow-no-runs"), "default"),
            |r| badge(&r.state),
        )
    };
    if dag.has_import_errors {
        status = Badge::new(t!("airflow-import-error"), "attention");
    }
    let rows: Vec<AirflowRow> = runs
        .iter()
        .take(DAG_RUNS as usize)
        .map(|r| {
            let (tasks, url) = failed_tasks(r, &failures);
            AirflowRow {
                name: run_line(r, view),
                place: t!(
                    "airflow-run-type",
                    kind = r.run_type.as_str(),
                    shown = r.run_type.replace('_', " ")
                ),
                detail: tasks,
                url,
                state: badge(&r.state),
            }
        })
        .collect();
    let summary = t!(
        "airflow-dag-summary",
        dag = &dag.dag_id,
        on = if dag.is_paused {
            t!("airflow-paused")
        } else {
            t!("airflow-on")
        },
        last = runs
            .first()
            .map_or_else(|| t!("airflow-none"), |r| state_word(&r.state)),
    );
    Ok(show(&AirflowCard {
        icon: "🌀".to_owned(),
        state_label: t!("airflow-state-label"),
        link_label: t!("airflow-log"),
        dashboard_label: t!("airflow-open-dashboard"),
        summary,
        title: format!("DAG {}", dag.dag_id),
        subtitle: format!(
            "{} · {}",
            dag.instance,
            if dag.is_active {
                t!("airflow-in-files")
            } else {
                t!("airflow-gone")
            }
        ),
        status,
        facts,
        name_label: t!("airflow-run"),
        detail_label: t!("airflow-failed-tasks-label"),
        rows,
        empty: Empty::new(
            t!("airflow-no-runs-recorded"),
            t!("airflow-no-runs-recorded-hint"),
        ),
        more: String::new(),
        stale: frame.stale,
        as_of: frame.as_of,
        superset_url: view.dashboard.clone().unwrap_or_default(),
    }))
}

/// `airflow`.
pub struct Board;

impl Command for Board {
    type Args = ();

    async fn run(&self, cx: &Context<'_>, (): ()) -> Result<Reply, StoreError> {
        let view = cx.chat.settings.view(Job::Airflow);
        board(&cx.chat.store, &view, cx.chat.settings.airflow_late_after).await
    }
}

/// `airflow failed`.
pub struct Failed;

impl Command for Failed {
    type Args = Window;

    async fn run(&self, cx: &Context<'_>, window: Window) -> Result<Reply, StoreError> {
        let view = cx.chat.settings.view(Job::Airflow);
        failed(&cx.chat.store, &view, window.0).await
    }
}

/// `airflow heatmap`.
pub struct Heatmap;

impl Command for Heatmap {
    type Args = HeatmapArgs;

    async fn run(&self, cx: &Context<'_>, args: HeatmapArgs) -> Result<Reply, StoreError> {
        let view = cx.chat.settings.view(Job::Airflow);
        heatmap(&cx.chat.store, &view, args.days, args.instance.as_deref()).await
    }
}

/// `airflow dag`.
pub struct Dag;

impl Command for Dag {
    type Args = DagId;

    async fn run(&self, cx: &Context<'_>, id: DagId) -> Result<Reply, StoreError> {
        let view = cx.chat.settings.view(Job::Airflow);
        dag(&cx.chat.store, &view, &id.0).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_as_people_say_them() {
        assert_eq!(span(45.4), "45s");
        assert_eq!(span(725.0), "12m 5s");
        assert_eq!(span(7_500.0), "2h 5m");
        assert_eq!(span(600.0), "10m");
        assert_eq!(span(7_200.0), "2h");
    }

    #[test]
    fn the_heatmap_takes_a_period_an_instance_or_both() {
        let args = |a: &str, b: &str| {
            HeatmapArgs::from_args(vec![
                (!a.is_empty()).then(|| a.to_owned()),
                (!b.is_empty()).then(|| b.to_owned()),
            ])
        };
        let ok = |days: i64, instance: Option<&str>| {
            Ok(HeatmapArgs {
                days,
                instance: instance.map(str::to_owned),
            })
        };
        assert_eq!(args("", ""), ok(7, None));
        assert_eq!(args("30d", ""), ok(30, None));
        assert_eq!(args("30일", "prod"), ok(30, Some("prod")));
        assert_eq!(args("prod", ""), ok(7, Some("prod")), "an instance alone");
        assert!(args("yesterday", "prod").is_err());
        assert!(
            args("90d", "").is_err_and(|e| e.contains("airflow heatmap 30d")),
            "a period it does not draw gets the periods it does"
        );
        assert!(args("2주", "").is_err());
        assert!(args("7d", "prod;drop").is_err());
    }

    #[test]
    fn windows_and_dag_ids_are_read_in_english_and_korean() {
        let one = |s: &str| vec![Some(s.to_owned())];
        assert_eq!(Window::from_args(one("")), Ok(Window(24)));
        assert_eq!(Window::from_args(one("7일")), Ok(Window(168)));
        assert!(Window::from_args(one("yesterday")).is_err());
        assert_eq!(
            DagId::from_args(one("주문_적재")),
            Ok(DagId("주문_적재".into()))
        );
        assert!(DagId::from_args(one("a;b")).is_err());
        assert!(DagId::from_args(vec![None]).is_err());
    }
}
