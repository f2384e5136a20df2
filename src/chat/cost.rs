//! `cost [this month | last month | today | YYYY-MM] [by account | by service]`: the cost figures as a card, from
//! the store only.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::commands::{Command, Context, FromArgs, RawArgs, first};
use super::help::show;
use super::{Reply, View};
use crate::cards::kit;
use crate::cards::views::{Badge, ColoredLine, CostCard, CostRow, Empty, Fact};
use crate::collect::Job;
use crate::cost::{self, Mover};
use crate::store::{DailyCost, Store, StoreError};

/// Which days the answer is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// This month to date (the default).
    ThisMonth,
    /// All of last month.
    LastMonth,
    /// The latest day with data.
    Today,
    /// A month, by its first day.
    Month(NaiveDate),
}

/// How the costs are broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// By service (the default).
    Service,
    /// By account.
    Account,
}

/// Reads the words after `cost`; a word it does not know is a friendly problem.
pub fn parse_args(text: &str) -> Result<(Period, By), String> {
    let mut period = Period::ThisMonth;
    let mut by = By::Service;
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let (w, next) = (words[i], words.get(i + 1).copied());
        let two = next.map(|n| format!("{w} {n}"));
        match (w, two.as_deref()) {
            (_, Some("this month" | "이번 달")) => {
                period = Period::ThisMonth;
                i += 2;
            }
            (_, Some("last month" | "지난 달")) => {
                period = Period::LastMonth;
                i += 2;
            }
            (_, Some("by account" | "by accounts")) => {
                by = By::Account;
                i += 2;
            }
            (_, Some("by service" | "by services")) => {
                by = By::Service;
                i += 2;
            }
            ("이번달", _) => {
                period = Period::ThisMonth;
                i += 1;
            }
            ("지난달", _) => {
                period = Period::LastMonth;
                i += 1;
            }
            ("today" | "오늘", _) => {
                period = Period::Today;
                i += 1;
            }
            ("계정별", _) => {
                by = By::Account;
                i += 1;
            }
            ("서비스별", _) => {
                by = By::Service;
                i += 1;
            }
            (w, _) => {
                let month = NaiveDate::parse_from_str(&format!("{w}-01"), "%Y-%m-%d")
                    .ok()
                    .filter(|_| w.len() == 7);
                match month {
                    Some(m) => {
                        period = Period::Month(m);
                        i += 1;
                    }
                    None => {
                        return Err(format!(
                            "I don't know {} here. Try `cost`, `cost last month`, `cost today`, `cost 2026-10` or `cost by account` (비용 지난달 계정별)",
                            crate::cards::kit::quote(w)
                        ));
                    }
                }
            }
        }
    }
    Ok((period, by))
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("every month has a first day")
}

fn month_end(first: NaiveDate) -> NaiveDate {
    month_start(first + Duration::days(32)) - Duration::days(1)
}

fn month_name(first: NaiveDate) -> String {
    first.format("%B %Y").to_string()
}

fn group(costs: &[DailyCost], by: By, from: NaiveDate, to: NaiveDate) -> BTreeMap<String, f64> {
    let mut map = BTreeMap::new();
    for c in costs.iter().filter(|c| c.date >= from && c.date <= to) {
        let key = match by {
            By::Service => c.service.clone(),
            By::Account => match &c.account_name {
                Some(name) => format!("{name} ({})", c.account_id),
                None => c.account_id.clone(),
            },
        };
        *map.entry(key).or_insert(0.0) += c.amortized;
    }
    map
}

fn change(before: f64, after: f64) -> Badge {
    if before.abs() < 0.005 {
        if after.abs() < 0.005 {
            Badge::new("–", "default")
        } else {
            Badge::new("new", "warning")
        }
    } else {
        let pct = (after - before) / before.abs() * 100.0;
        let (arrow, color) = if pct >= 0.05 {
            ("▲", "attention")
        } else if pct <= -0.05 {
            ("▼", "good")
        } else {
            ("=", "default")
        };
        Badge::new(format!("{arrow} {:.1}%", pct.abs()), color)
    }
}

/// Ten blocks, filled for the share of the total, and the percentage.
fn bar(share: f64) -> String {
    let filled = (share * 10.0).round().clamp(0.0, 10.0) as usize;
    format!(
        "{}{} {:.0}%",
        "█".repeat(filled),
        "░".repeat(10 - filled),
        share * 100.0
    )
}

/// The top groups with their change; with nothing to compare (`before` holds no data at all), the change is
/// "–", not "new" for every one.
fn rows(
    now: &BTreeMap<String, f64>,
    before: &BTreeMap<String, f64>,
    currency: &str,
) -> Vec<CostRow> {
    let compare = !before.is_empty();
    let total: f64 = now.values().sum();
    let mut ranked: Vec<(&String, &f64)> = now.iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(a.1).then_with(|| a.0.cmp(b.0)));
    ranked
        .into_iter()
        .take(8)
        .map(|(name, amount)| CostRow {
            name: name.clone(),
            amount: kit::money(*amount, currency),
            bar: bar(if total.abs() > 1e-9 {
                amount / total
            } else {
                0.0
            }),
            change: if compare {
                change(before.get(name).copied().unwrap_or(0.0), *amount)
            } else {
                Badge::new("–", "default")
            },
        })
        .collect()
}

fn mover_lines(movers: &[Mover], currency: &str) -> Vec<ColoredLine> {
    movers
        .iter()
        .map(|m| {
            let (arrow, color, sign) = if m.change >= 0.0 {
                ("▲", "attention", "+")
            } else {
                ("▼", "good", "−")
            };
            let pct = m
                .change_pct
                .map(|p| format!(" ({sign}{:.0}%)", p.abs()))
                .unwrap_or_else(|| " (new)".to_owned());
            ColoredLine {
                text: format!(
                    "{arrow} {} {sign}{}{pct}",
                    m.name,
                    kit::money(m.change.abs(), currency)
                ),
                color: color.to_owned(),
            }
        })
        .collect()
}

/// The header badge: the change, or none when there is nothing to compare with.
fn status(before: f64, after: f64) -> Badge {
    if before.abs() < 0.005 {
        Badge::new("", "default")
    } else {
        change(before, after)
    }
}

/// The answer.
pub async fn answer(
    store: &Store,
    view: &View,
    period: Period,
    by: By,
) -> Result<Reply, StoreError> {
    let currency = store
        .cost_currency()
        .await?
        .unwrap_or_else(|| "USD".to_owned());
    let collected = store.cost_collected_at().await?;
    let today = view.now.date_naive();
    let wanted_month = match period {
        Period::Month(m) => m,
        Period::LastMonth => month_start(month_start(today) - Duration::days(1)),
        Period::ThisMonth | Period::Today => month_start(today),
    };
    // Enough for the month asked, the month before it, and the anomaly window.
    let from = month_start(wanted_month - Duration::days(1))
        .min(today - Duration::days(cost::ANOMALY_DAYS + 1));
    let to = month_end(wanted_month).max(today);
    let costs = store.daily_costs(from, to, &currency).await?;
    let last_success = store.last_job_success(Job::Cost.name()).await?;
    let stale = match (view.period, last_success) {
        (Some(p), Some(at)) if view.now - at > p * 2 => format!(
            "The cost collector last succeeded {}; it runs every {}h, so these figures may be behind.",
            kit::ago(at, view.now),
            p.num_hours().max(1)
        ),
        (Some(_), None) if !costs.is_empty() => {
            "The cost collector has not succeeded yet on this store.".to_owned()
        }
        _ => String::new(),
    };
    let group_label = match by {
        By::Service => "Service",
        By::Account => "Account",
    };
    let subtitle = format!("by {} · {currency}, amortized", group_label.to_lowercase());
    let cur_through = costs.iter().map(|c| c.date).max();
    let as_of = match (collected, cur_through) {
        (Some(at), Some(day)) => format!(
            "{} · CUR through {day}",
            kit::when(at, view.now, view.timezone)
        ),
        (Some(at), None) => kit::when(at, view.now, view.timezone),
        _ => String::new(),
    };
    let empty = Empty::new(
        "No cost data for this period",
        if collected.is_none() {
            "The cost collector has not stored anything yet: set cost.database and run doberman collect cost (비용 데이터가 아직 없어요)."
        } else {
            "Try cost last month, or cost YYYY-MM for a month with data."
        },
    );
    let base = |title: String, summary: String| CostCard {
        summary,
        title,
        subtitle: subtitle.clone(),
        status: Badge::new("", "default"),
        facts: Vec::new(),
        group_label: group_label.to_owned(),
        change_label: "Change".to_owned(),
        rows: Vec::new(),
        movers_title: String::new(),
        movers: Vec::new(),
        empty: empty.clone(),
        stale: stale.clone(),
        as_of: as_of.clone(),
        superset_url: view.dashboard.clone().unwrap_or_default(),
    };
    let money = |v: f64| kit::money(v, &currency);
    let Some(latest) = cur_through.filter(|_| !costs.is_empty()) else {
        return Ok(show(&base(
            "AWS cost".into(),
            "No AWS cost data yet".into(),
        )));
    };
    let mut data;
    match period {
        Period::ThisMonth if latest >= wanted_month => {
            let f = cost::figures(&costs, latest);
            let this = month_start(latest);
            let last = month_start(this - Duration::days(1));
            let same_day = last
                .with_day(latest.day().min(month_end(last).day()))
                .expect("a day of last month");
            data = base(
                format!("AWS cost · {} to date", month_name(this)),
                format!(
                    "AWS cost, {} to date: {}, {} on the same days of {}",
                    month_name(this),
                    money(f.month_to_date),
                    describe_change(f.same_days_last_month, f.month_to_date),
                    last.format("%B")
                ),
            );
            data.status = status(f.same_days_last_month, f.month_to_date);
            let has_last = costs
                .iter()
                .any(|c| c.date >= last && c.date <= month_end(last));
            let or_none = |v: f64| {
                if has_last {
                    money(v)
                } else {
                    "no data".to_owned()
                }
            };
            let mut facts = vec![
                Fact::new(
                    format!("Month to date (1–{})", latest.day()),
                    money(f.month_to_date),
                ),
                Fact::new(
                    format!("Same days of {}", last.format("%B")),
                    or_none(f.same_days_last_month),
                ),
                Fact::new(
                    format!("Projected for {}", this.format("%B")),
                    money(f.projection),
                ),
                Fact::new(last.format("%B").to_string(), or_none(f.last_month_total)),
            ];
            if let Some(a) = &f.anomaly {
                facts.push(Fact::new(
                    format!("Latest day ({})", latest.format("%m-%d")),
                    format!("{} · anomaly score {:.1}", money(a.total), a.score),
                ));
            }
            data.facts = facts;
            data.change_label = format!("vs {} 1–{}", last.format("%b"), same_day.day());
            data.rows = rows(
                &group(&costs, by, this, latest),
                &group(&costs, by, last, same_day),
                &currency,
            );
            data.movers_title = "Biggest movers, day over day".to_owned();
            data.movers = mover_lines(&f.movers_day, &currency);
        }
        Period::Today => {
            let f = cost::figures(&costs, latest);
            let day_before = latest - Duration::days(1);
            let has_before = costs.iter().any(|c| c.date == day_before);
            let total = costs
                .iter()
                .filter(|c| c.date == latest)
                .map(|c| c.amortized)
                .sum::<f64>();
            let before = costs
                .iter()
                .filter(|c| c.date == day_before)
                .map(|c| c.amortized)
                .sum::<f64>();
            // The report lags about a day: "today" is the latest day it has, and the card says which.
            let lag = if latest < today {
                format!(
                    "Today ({today}) is not in the Cost and Usage Report yet; its latest day is {latest}. "
                )
            } else {
                String::new()
            };
            data = base(
                format!("AWS cost · {latest}, the latest day in"),
                format!(
                    "{lag}AWS cost on {latest}: {}, {} on the day before",
                    money(total),
                    describe_change(before, total)
                ),
            );
            data.status = status(before, total);
            let mut facts = Vec::new();
            if latest < today {
                facts.push(Fact::new(
                    format!("Today ({today})"),
                    "not in the report yet (it lags about a day)",
                ));
            }
            facts.push(Fact::new(latest.to_string(), money(total)));
            facts.push(Fact::new(
                day_before.to_string(),
                if has_before {
                    money(before)
                } else {
                    "no data".to_owned()
                },
            ));
            if let Some(a) = &f.anomaly {
                facts.push(Fact::new(
                    format!("Against the {} days before", cost::ANOMALY_DAYS),
                    format!("mean {} · anomaly score {:.1}", money(a.mean), a.score),
                ));
            }
            data.facts = facts;
            data.change_label = "vs the day before".to_owned();
            data.rows = rows(
                &group(&costs, by, latest, latest),
                &group(&costs, by, day_before, day_before),
                &currency,
            );
            data.movers_title = "Biggest movers, day over day".to_owned();
            data.movers = mover_lines(&f.movers_day, &currency);
        }
        _ => {
            let month = wanted_month;
            let before = month_start(month - Duration::days(1));
            let within = |first: NaiveDate| {
                costs
                    .iter()
                    .any(|c| c.date >= first && c.date <= month_end(first))
            };
            if !within(month) {
                // A month the report has nothing for is "no data", not zero.
                let mut data = base(
                    format!("AWS cost · {}", month_name(month)),
                    format!("No AWS cost data for {}", month_name(month)),
                );
                data.empty = Empty::new(
                    format!("No cost data for {}", month_name(month)),
                    format!(
                        "The stored report runs through {latest}. Try cost, cost last month, or cost YYYY-MM for a \
                         month with data."
                    ),
                );
                return Ok(show(&data));
            }
            let total_now: f64 = group(&costs, by, month, month_end(month)).values().sum();
            let total_before: f64 = group(&costs, by, before, month_end(before)).values().sum();
            let has_before = within(before);
            data = base(
                format!("AWS cost · {}", month_name(month)),
                format!(
                    "AWS cost, {}: {}, {} on {}",
                    month_name(month),
                    money(total_now),
                    describe_change(total_before, total_now),
                    before.format("%B")
                ),
            );
            data.status = status(total_before, total_now);
            data.facts = vec![
                Fact::new(month_name(month), money(total_now)),
                Fact::new(
                    month_name(before),
                    if has_before {
                        money(total_before)
                    } else {
                        "no data".to_owned()
                    },
                ),
            ];
            data.change_label = format!("vs {}", before.format("%b"));
            let now_groups = group(&costs, by, month, month_end(month));
            let before_groups = group(&costs, by, before, month_end(before));
            data.rows = rows(&now_groups, &before_groups, &currency);
            if has_before {
                let movers = cost::movers(&before_groups, &now_groups);
                data.movers_title = "Biggest movers, month over month".to_owned();
                data.movers = mover_lines(&movers, &currency);
            }
        }
    }
    Ok(show(&data))
}

fn describe_change(before: f64, after: f64) -> String {
    if before.abs() < 0.005 {
        "with nothing to compare".to_owned()
    } else {
        let pct = (after - before) / before.abs() * 100.0;
        if pct >= 0.0 {
            format!("up {pct:.1}%")
        } else {
            format!("down {:.1}%", pct.abs())
        }
    }
}

/// `cost [period] [by account|service]`, typed.
pub struct CostArgs {
    period: Period,
    by: By,
}

impl FromArgs for CostArgs {
    fn from_args(args: RawArgs) -> Result<CostArgs, String> {
        parse_args(&first(args)).map(|(period, by)| CostArgs { period, by })
    }
}

/// `cost`.
pub struct Cost;

impl Command for Cost {
    type Args = CostArgs;

    async fn run(&self, cx: &Context<'_>, args: CostArgs) -> Result<Reply, StoreError> {
        let view = cx.chat.settings.view(Job::Cost);
        answer(&cx.chat.store, &view, args.period, args.by).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_and_groupings_are_read_in_english_and_korean() {
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1).expect("date");
        let cases = [
            ("", (Period::ThisMonth, By::Service)),
            ("this month", (Period::ThisMonth, By::Service)),
            ("last month by account", (Period::LastMonth, By::Account)),
            ("Today", (Period::Today, By::Service)),
            (
                "2026-10 by service",
                (Period::Month(d(2026, 10)), By::Service),
            ),
            ("지난달 계정별", (Period::LastMonth, By::Account)),
            ("이번 달", (Period::ThisMonth, By::Service)),
            ("오늘 서비스별", (Period::Today, By::Service)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_args(text), Ok(expected), "{text:?}");
        }
        for bad in ["next year", "2026-13", "by team", "20261"] {
            let e = parse_args(bad).expect_err(bad);
            assert!(e.contains("cost last month"), "{bad}: {e}");
        }
    }

    #[test]
    fn bars_show_the_share_in_ten_blocks() {
        assert_eq!(bar(0.58), "██████░░░░ 58%");
        assert_eq!(bar(0.0), "░░░░░░░░░░ 0%");
        assert_eq!(bar(1.0), "██████████ 100%");
    }

    #[test]
    fn changes_are_labelled_with_direction_and_colour() {
        assert_eq!(change(100.0, 112.0), Badge::new("▲ 12.0%", "attention"));
        assert_eq!(change(100.0, 90.0), Badge::new("▼ 10.0%", "good"));
        assert_eq!(change(0.0, 5.0), Badge::new("new", "warning"));
    }
}
