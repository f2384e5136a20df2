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
use crate::store::{CheckResult, CheckStatus, Store, StoreError};

/// Rows the board lists at most.
const ROWS: usize = 25;
/// Days `check <name>` lists.
const HISTORY: u32 = 14;

fn badge(status: Option<&str>) -> Badge {
    match status {
        Some("pass") => Badge::new("pass", "good"),
        Some("fail") => Badge::new("fail", "attention"),
        Some("error") => Badge::new("error", "warning"),
        _ => Badge::new("not run", "default"),
    }
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
        (Some(s), Some(l), Some(d)) if d != 0.0 => format!(
            "source {} · lake {} ({}{})",
            num(s),
            num(l),
            if d > 0.0 { "+" } else { "" },
            num(d)
        ),
        (Some(s), Some(l), _) => format!("source {} · lake {}", num(s), num(l)),
        (None, Some(l), _) => num(l),
        _ => String::new(),
    }
}

fn place(c: &CheckStatus) -> String {
    let mut parts = vec![c.table_name.clone(), c.kind.clone()];
    if c.severity == "warn" {
        parts.push("warn".to_owned());
    }
    if let Some(o) = c.owner.as_deref().filter(|o| !o.is_empty()) {
        parts.push(format!("owner {o}"));
    }
    parts.join(" · ")
}

fn status_row(c: &CheckStatus) -> AirflowRow {
    let detail = match (&c.day_checked, &c.message) {
        (Some(day), Some(m)) => format!("{}: {m}", day.format("%m-%d")),
        (Some(day), None) => day.format("%m-%d").to_string(),
        _ => "has not run yet".to_owned(),
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
        state_label: "Status".to_owned(),
        link_label: "more".to_owned(),
        dashboard_label: "Open the data quality dashboard".to_owned(),
        summary: String::new(),
        title,
        subtitle,
        status: Badge::default(),
        facts: Vec::new(),
        name_label: "Check".to_owned(),
        detail_label: "Latest result".to_owned(),
        rows: Vec::new(),
        empty: Empty::new(
            "No data check is declared",
            "Write checks in checks.dir (checks/*.toml, `doberman check validate` reads them), or set \
             checks.glue_data_quality to read AWS Glue Data Quality results.",
        ),
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
        Badge::new(format!("{failed} failing"), "attention")
    } else if errors > 0 {
        Badge::new(format!("{errors} could not run"), "warning")
    } else if any {
        Badge::new("all pass", "good")
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
    let mut c = card(view, "Data checks · today".to_owned(), String::new());
    c.summary = if checks.is_empty() {
        "No data check is declared".to_owned()
    } else {
        format!(
            "Data checks: {failed} failing, {errors} could not run, {passed} passed, {not_run} not run yet"
        )
    };
    if !checks.is_empty() {
        c.subtitle = format!(
            "{} on {} · failing first",
            crate::cards::kit::plural(checks.len() as i64, "check", "checks"),
            crate::cards::kit::plural(tables as i64, "table", "tables")
        );
        c.facts.push(Fact::new(
            "Latest results",
            format!(
                "{failed} failed · {errors} could not run · {passed} passed{}",
                if not_run > 0 {
                    format!(" · {not_run} not run yet")
                } else {
                    String::new()
                }
            ),
        ));
        if let Some(at) = checks.iter().filter_map(|c| c.ran_at).max() {
            c.as_of = crate::cards::kit::when(at, view.now, view.timezone);
        }
    }
    c.status = overall(failed, errors, !checks.is_empty());
    let more = checks.len().saturating_sub(ROWS);
    c.rows = checks.iter().take(ROWS).map(status_row).collect();
    if more > 0 {
        c.more =
            format!("and {more} more that passed or have not run (check <table> lists a table's)");
    }
    Ok(show(&c))
}

fn result_row(r: &CheckResult) -> AirflowRow {
    let numbers = numbers(r.source_value, r.lake_value, r.difference);
    let message = r.message.clone().unwrap_or_default();
    AirflowRow {
        name: r.day_checked.format("%Y-%m-%d").to_string(),
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
        check
            .message
            .clone()
            .unwrap_or_else(|| "has not run yet".to_owned())
    );
    c.name_label = "Day checked".to_owned();
    c.detail_label = "What it found".to_owned();
    c.status = badge(check.status.as_deref());
    if let Some(n) = notice {
        c.facts.push(Fact::new("Now", n));
    }
    let mut sides = Vec::new();
    if let Some(s) = &check.source {
        sides.push(format!("source {s}"));
    }
    sides.push(format!("lake {}", check.lake));
    c.facts.push(Fact::new(
        "Runs",
        format!("{} · {}", check.schedule, sides.join(" · ")),
    ));
    if let Some(last_failure) = results.iter().find(|r| r.status != "pass") {
        c.facts.push(Fact::new(
            "Last failure",
            format!(
                "{}: {}",
                last_failure.day_checked,
                last_failure.message.clone().unwrap_or_default()
            ),
        ));
    }
    let passed = results.iter().filter(|r| r.status == "pass").count();
    if !results.is_empty() {
        c.facts.push(Fact::new(
            format!("Last {} days", results.len()),
            format!("{passed} passed · {} did not", results.len() - passed),
        ));
    }
    c.rows = results.iter().map(result_row).collect();
    c.empty = Empty::new(
        "It has not run yet",
        "It runs on its schedule; an admin can run it now with `check run <name>`.",
    );
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
            format!("Data checks · {}", sorted[0].table_name),
            String::new(),
        );
        c.summary = format!(
            "{}: {failed} failing, {errors} could not run, {passed} passed",
            sorted[0].table_name
        );
        c.status = overall(failed, errors, true);
        if let Some(at) = sorted.iter().filter_map(|c| c.ran_at).max() {
            c.as_of = crate::cards::kit::when(at, view.now, view.timezone);
        }
        c.rows = sorted.iter().map(status_row).collect();
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
        .map(|(_, n)| format!("check {n}"))
        .collect();
    Ok(mistake(
        "No such check",
        &format!("No check and no table with checks is called {typed}."),
        "`checks` lists every check; `check <name>` or `check <database.table>` shows one.",
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
            "Checks cannot run here",
            "This Doberman runs no checks.",
            "Set checks.dir.",
            Vec::new(),
        ));
    };
    let Some(def) = checker.config().find(typed) else {
        let suggestion =
            crate::common::closest(typed, checker.checks().iter().map(|c| c.name.as_str()));
        return Ok(mistake(
            "No such check",
            &format!("No check in checks.dir is called {}.", typed.trim()),
            "`checks` lists them; Glue Data Quality rulesets run in Glue, not here.",
            suggestion
                .map(|s| vec![format!("check run {s}")])
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
    let notice = format!(
        "ran for {day} in {}: {}",
        if result.duration_ms < 1_000 {
            format!("{} ms", result.duration_ms)
        } else {
            format!("{:.1} s", result.duration_ms as f64 / 1000.0)
        },
        result.status
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
        parts.push(format!("{failed} failing"));
    }
    if errors > 0 {
        parts.push(format!("{errors} could not run"));
    }
    if passed > 0 {
        parts.push(format!("{passed} passed"));
    }
    if not_run > 0 {
        parts.push(format!("{not_run} not run yet"));
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
    Ok(Some(Fact::new("Data checks", value)))
}

/// A check's name or a table (every word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target(pub String);

impl FromArgs for Target {
    fn from_args(args: RawArgs) -> Result<Target, String> {
        let t = first(args);
        if t.trim().is_empty() {
            Err("name a check or a table".to_owned())
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
