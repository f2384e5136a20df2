//! `checks` (today's data checks: failing first, then passed, by table), `check <name or table>` (a check's
//! history with the numbers of each side, or a table's checks) and `check run <name>` (admins: run it now and
//! answer with what it found), from `dim_check` / `fact_check_result`.

use std::sync::Arc;

use super::commands::{Command, Context, FromArgs, RawArgs, first};
use super::help::{mistake, show};
use super::{Reply, View};
use crate::cards::views::{AirflowCard, AirflowRow, Badge, Empty, Fact};
use crate::checks::judge::num;
use crate::collect::Job;
use crate::i18n::Msg;
use crate::store::{CheckResult, CheckStatus, Store, StoreError};
use crate::t;

/// Rows the board lists at most.
const ROWS: usize = 25;
/// Days `check <name>` lists.
const HISTORY: u32 = 14;

/// A status in words: `pass`, `fail`, `error`, `not run` (통과, 실패, 실행 불가, 미실행); any other is `not run`.
fn status_word(status: Option<&str>) -> String {
    t!("checks-status", status = status.unwrap_or("none"))
}

fn badge(status: Option<&str>) -> Badge {
    let color = match status {
        Some("pass") => "good",
        Some("fail") => "attention",
        Some("error") => "warning",
        _ => "default",
    };
    Badge::new(status_word(status), color)
}

/// What a check found, in the reader's language: a stored message written now, or old plain text as it is.
fn said(message: Option<&str>, view: &View) -> Option<String> {
    message.map(|m| Msg::render_stored(m, view.now, view.timezone))
}

/// A day checked, short: `12-05` / `12월 5일`.
fn short_day(day: chrono::NaiveDate) -> String {
    day.format(&t!("checks-day-pattern")).to_string()
}

fn rank(status: Option<&str>) -> u8 {
    match status {
        Some("fail") => 0,
        Some("error") => 1,
        None => 2,
        _ => 3,
    }
}

/// `source 1,204 · lake 1,198 (−6)`, or the lake's number alone.
fn numbers(source: Option<f64>, lake: Option<f64>, difference: Option<f64>) -> String {
    match (source, lake, difference) {
        (Some(s), Some(l), Some(d)) if d != 0.0 => t!(
            "checks-numbers",
            source = num(s),
            lake = num(l),
            diff = format!("{}{}", if d > 0.0 { "+" } else { "" }, num(d))
        ),
        (Some(s), Some(l), _) => t!("checks-numbers-same", source = num(s), lake = num(l)),
        (None, Some(l), _) => num(l),
        _ => String::new(),
    }
}

fn place(c: &CheckStatus) -> String {
    let mut parts = vec![c.table_name.clone(), c.kind.clone()];
    if c.severity == "warn" {
        parts.push(t!("checks-warn"));
    }
    if let Some(o) = c.owner.as_deref().filter(|o| !o.is_empty()) {
        parts.push(t!("checks-owner", owner = o));
    }
    parts.join(" · ")
}

fn status_row(c: &CheckStatus, view: &View) -> AirflowRow {
    let detail = match (c.day_checked, said(c.message.as_deref(), view)) {
        (Some(day), Some(m)) => format!("{}: {m}", short_day(day)),
        (Some(day), None) => short_day(day),
        _ => t!("checks-not-run-yet"),
    };
    AirflowRow {
        name: c.check_name.clone(),
        place: place(c),
        detail,
        url: String::new(),
        state: badge(c.status.as_deref()),
    }
}

fn card(view: &View, title: String, subtitle: String) -> AirflowCard {
    AirflowCard {
        icon: "🔎".to_owned(),
        state_label: t!("checks-status-label"),
        link_label: t!("checks-more-link"),
        dashboard_label: t!("checks-open-dashboard"),
        summary: String::new(),
        title,
        subtitle,
        status: Badge::default(),
        facts: Vec::new(),
        name_label: t!("checks-check-label"),
        detail_label: t!("checks-latest-result"),
        rows: Vec::new(),
        empty: Empty::new(t!("checks-none-declared"), t!("checks-none-declared-hint")),
        more: String::new(),
        stale: String::new(),
        as_of: String::new(),
        superset_url: view.dashboard.clone().unwrap_or_default(),
    }
}

/// The counts of a list of checks: (failed, could not run, not run yet, passed).
fn counts(checks: &[CheckStatus]) -> (usize, usize, usize, usize) {
    let n = |r: u8| {
        checks
            .iter()
            .filter(|c| rank(c.status.as_deref()) == r)
            .count()
    };
    (n(0), n(1), n(2), n(3))
}

fn overall(failed: usize, errors: usize, any: bool) -> Badge {
    if failed > 0 {
        Badge::new(t!("checks-n-failing", n = failed), "attention")
    } else if errors > 0 {
        Badge::new(t!("checks-n-could-not-run", n = errors), "warning")
    } else if any {
        Badge::new(t!("checks-all-pass"), "good")
    } else {
        Badge::default()
    }
}

/// The board: every active check by its latest result, failing first, then by table.
pub async fn board(store: &Store, view: &View) -> Result<Reply, StoreError> {
    let mut checks = store.check_statuses(None).await?;
    checks.sort_by(|a, b| {
        rank(a.status.as_deref())
            .cmp(&rank(b.status.as_deref()))
            .then_with(|| a.table_name.cmp(&b.table_name))
            .then_with(|| a.check_name.cmp(&b.check_name))
    });
    let (failed, errors, not_run, passed) = counts(&checks);
    let tables = checks
        .iter()
        .map(|c| c.table_name.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let mut c = card(view, t!("checks-board-title"), String::new());
    c.summary = if checks.is_empty() {
        t!("checks-none-declared")
    } else {
        t!(
            "checks-board-summary",
            failed = failed,
            errors = errors,
            passed = passed,
            notrun = not_run
        )
    };
    if !checks.is_empty() {
        c.subtitle = t!(
            "checks-board-subtitle",
            checks = checks.len(),
            tables = tables
        );
        let mut latest = t!(
            "checks-latest-results-value",
            failed = failed,
            errors = errors,
            passed = passed
        );
        if not_run > 0 {
            latest.push_str(" · ");
            latest.push_str(&t!("checks-n-not-run-yet", n = not_run));
        }
        c.facts.push(Fact::new(t!("checks-latest-results"), latest));
        if let Some(at) = checks.iter().filter_map(|c| c.ran_at).max() {
            c.as_of = crate::cards::kit::when(at, view.now, view.timezone);
        }
    }
    c.status = overall(failed, errors, !checks.is_empty());
    let more = checks.len().saturating_sub(ROWS);
    c.rows = checks
        .iter()
        .take(ROWS)
        .map(|c| status_row(c, view))
        .collect();
    if more > 0 {
        c.more = t!("checks-board-more", n = more);
    }
    Ok(show(&c))
}

fn result_row(r: &CheckResult, view: &View) -> AirflowRow {
    let numbers = numbers(r.source_value, r.lake_value, r.difference);
    let message = said(r.message.as_deref(), view).unwrap_or_default();
    AirflowRow {
        name: crate::i18n::fmt::day(r.day_checked),
        place: numbers,
        detail: message,
        url: String::new(),
        state: badge(Some(&r.status)),
    }
}

/// One check's history.
async fn history(
    store: &Store,
    view: &View,
    check: &CheckStatus,
    notice: Option<String>,
) -> Result<Reply, StoreError> {
    let results = store.check_history(&check.check_name, HISTORY).await?;
    let mut c = card(view, check.check_name.clone(), place(check));
    c.summary = format!(
        "{}: {}",
        check.check_name,
        said(check.message.as_deref(), view).unwrap_or_else(|| t!("checks-not-run-yet"))
    );
    c.name_label = t!("checks-day-checked");
    c.detail_label = t!("checks-found");
    c.status = badge(check.status.as_deref());
    if let Some(n) = notice {
        c.facts.push(Fact::new(t!("checks-now"), n));
    }
    let mut sides = Vec::new();
    if let Some(s) = &check.source {
        sides.push(t!("checks-source", source = s));
    }
    sides.push(t!("checks-lake", lake = &check.lake));
    c.facts.push(Fact::new(
        t!("checks-runs"),
        format!("{} · {}", check.schedule, sides.join(" · ")),
    ));
    if let Some(last_failure) = results.iter().find(|r| r.status != "pass") {
        c.facts.push(Fact::new(
            t!("checks-last-failure"),
            format!(
                "{}: {}",
                crate::i18n::fmt::day(last_failure.day_checked),
                said(last_failure.message.as_deref(), view).unwrap_or_default()
            ),
        ));
    }
    let passed = results.iter().filter(|r| r.status == "pass").count();
    if !results.is_empty() {
        c.facts.push(Fact::new(
            t!("checks-last-days", n = results.len()),
            t!(
                "checks-last-days-value",
                passed = passed,
                failed = results.len() - passed
            ),
        ));
    }
    c.rows = results.iter().map(|r| result_row(r, view)).collect();
    c.empty = Empty::new(t!("checks-not-run-title"), t!("checks-not-run-hint"));
    if let Some(at) = check.ran_at {
        c.as_of = crate::cards::kit::when(at, view.now, view.timezone);
    }
    Ok(show(&c))
}

/// `check <name or table>`.
pub async fn check(store: &Store, view: &View, typed: &str) -> Result<Reply, StoreError> {
    let typed = typed.trim();
    let all = store.check_statuses(None).await?;
    if let Some(found) = all.iter().find(|c| c.check_name == typed).or_else(|| {
        all.iter()
            .find(|c| c.check_name.to_lowercase() == typed.to_lowercase())
    }) {
        return history(store, view, found, None).await;
    }
    let of_table: Vec<CheckStatus> = all
        .iter()
        .filter(|c| c.table_name.eq_ignore_ascii_case(typed))
        .cloned()
        .collect();
    if !of_table.is_empty() {
        let mut sorted = of_table;
        sorted.sort_by(|a, b| {
            rank(a.status.as_deref())
                .cmp(&rank(b.status.as_deref()))
                .then_with(|| a.check_name.cmp(&b.check_name))
        });
        let (failed, errors, _, passed) = counts(&sorted);
        let mut c = card(
            view,
            t!("checks-table-title", table = &sorted[0].table_name),
            String::new(),
        );
        c.summary = t!(
            "checks-table-summary",
            table = &sorted[0].table_name,
            failed = failed,
            errors = errors,
            passed = passed
        );
        c.status = overall(failed, errors, true);
        if let Some(at) = sorted.iter().filter_map(|c| c.ran_at).max() {
            c.as_of = crate::cards::kit::when(at, view.now, view.timezone);
        }
        c.rows = sorted.iter().map(|c| status_row(c, view)).collect();
        return Ok(show(&c));
    }
    // Neither: the nearest names.
    let typed_lower = typed.to_lowercase();
    let mut near: Vec<(usize, &str)> = all
        .iter()
        .map(|c| c.check_name.as_str())
        .chain(all.iter().map(|c| c.table_name.as_str()))
        .map(|n| {
            let lower = n.to_lowercase();
            let d = if lower.contains(&typed_lower) {
                0
            } else {
                crate::common::edit_distance(&typed_lower, &lower)
            };
            (d, n)
        })
        .filter(|(d, n)| *d <= (n.chars().count() / 3).max(2))
        .collect();
    near.sort();
    near.dedup_by(|a, b| a.1 == b.1);
    let suggestions: Vec<String> = near
        .into_iter()
        .take(3)
        .map(|(_, n)| format!("`check {n}`"))
        .collect();
    Ok(mistake(
        &t!("checks-no-such-title"),
        &t!("checks-no-such", typed = crate::cards::kit::quote(typed)),
        &t!("checks-no-such-fix"),
        suggestions,
    ))
}

/// `check run <name>`: runs it for the day its schedule would check now, records it, and shows its history.
pub async fn run(
    store: &Store,
    view: &View,
    checker: Option<&Arc<crate::checks::Checker>>,
    typed: &str,
) -> Result<Reply, StoreError> {
    let Some(checker) = checker else {
        return Ok(mistake(
            &t!("checks-cannot-run-title"),
            &t!("checks-cannot-run"),
            &t!("checks-cannot-run-fix"),
            Vec::new(),
        ));
    };
    let Some(def) = checker.config().find(typed) else {
        let suggestion =
            crate::common::closest(typed, checker.checks().iter().map(|c| c.name.as_str()));
        return Ok(mistake(
            &t!("checks-no-such-title"),
            &t!(
                "checks-no-such-declared",
                typed = crate::cards::kit::quote(typed.trim())
            ),
            &t!("checks-no-such-declared-fix"),
            suggestion
                .map(|s| vec![format!("`check run {s}`")])
                .into_iter()
                .flatten()
                .collect(),
        ));
    };
    let tick = def
        .schedule
        .latest_at_or_before(view.now, view.timezone)
        .unwrap_or(view.now);
    let day = checker.day_for(def, tick);
    let result = checker.run_and_record(def, day).await?;
    let status = store
        .check_statuses(Some(&def.table))
        .await?
        .into_iter()
        .find(|c| c.check_name == def.name);
    let notice = t!(
        "checks-ran",
        day = crate::i18n::fmt::day(day),
        duration = if result.duration_ms < 1_000 {
            t!("checks-ms", ms = result.duration_ms)
        } else {
            t!(
                "checks-secs",
                s = format!("{:.1}", result.duration_ms as f64 / 1000.0)
            )
        },
        status = status_word(Some(result.status.as_str())),
    );
    match status {
        Some(s) => history(store, view, &s, Some(notice)).await,
        None => Ok(Reply::Text(notice)),
    }
}

/// The `Data checks` fact of `catalog table`: the table's checks by their latest result; `None` without any.
pub async fn table_fact(store: &Store, table: &str) -> Result<Option<Fact>, StoreError> {
    let checks = store.check_statuses(Some(table)).await?;
    if checks.is_empty() {
        return Ok(None);
    }
    let (failed, errors, not_run, passed) = counts(&checks);
    let mut parts = Vec::new();
    if failed > 0 {
        parts.push(t!("checks-n-failing", n = failed));
    }
    if errors > 0 {
        parts.push(t!("checks-n-could-not-run", n = errors));
    }
    if passed > 0 {
        parts.push(t!("checks-n-passed", n = passed));
    }
    if not_run > 0 {
        parts.push(t!("checks-n-not-run-yet", n = not_run));
    }
    let failing: Vec<&str> = checks
        .iter()
        .filter(|c| matches!(c.status.as_deref(), Some("fail" | "error")))
        .map(|c| c.check_name.as_str())
        .take(3)
        .collect();
    let mut value = parts.join(" · ");
    if !failing.is_empty() {
        value.push_str(&format!(": {}", failing.join(", ")));
    }
    Ok(Some(Fact::new(t!("checks-data-checks"), value)))
}

/// A check's name or a table (every word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target(pub String);

impl FromArgs for Target {
    fn from_args(args: RawArgs) -> Result<Target, String> {
        let t = first(args);
        if t.trim().is_empty() {
            Err(t!("checks-name-one"))
        } else {
            Ok(Target(t))
        }
    }
}

/// `checks`.
pub struct Board;

impl Command for Board {
    type Args = ();

    async fn run(&self, cx: &Context<'_>, (): ()) -> Result<Reply, StoreError> {
        board(&cx.chat.store, &cx.chat.settings.view(Job::Checks)).await
    }
}

/// `check <name or table>`.
pub struct Check;

impl Command for Check {
    type Args = Target;

    async fn run(&self, cx: &Context<'_>, target: Target) -> Result<Reply, StoreError> {
        check(
            &cx.chat.store,
            &cx.chat.settings.view(Job::Checks),
            &target.0,
        )
        .await
    }
}

/// `check run <name>`.
pub struct Run;

impl Command for Run {
    type Args = Target;

    async fn run(&self, cx: &Context<'_>, target: Target) -> Result<Reply, StoreError> {
        run(
            &cx.chat.store,
            &cx.chat.settings.view(Job::Checks),
            cx.chat.checker.as_ref(),
            &target.0,
        )
        .await
    }
}
