//! `cost [period] [by service | by account | by team | by resource]`: the cost figures as a card, from the store
//! only, in the asker's language. Periods: `this month` (the default), `last month`, `today` (the latest day in
//! the report), `yesterday`, `this week`, `last week`, `this quarter`, `last quarter`, `YYYY-MM` and `last Nd`;
//! each is compared with the period before it of the same length, and the card says which.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use super::commands::{Command, Context, FromArgs, RawArgs, first};
use super::help::show;
use super::{Reply, View};
use crate::cards::kit;
use crate::cards::views::{Badge, ColoredLine, CostCard, CostRow, Empty, Fact};
use crate::collect::Job;
use crate::cost::{self, Mover};
use crate::i18n::fmt;
use crate::store::{DailyCost, ResourceRank, Store, StoreError};
use crate::t;

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
    /// The day before today.
    Yesterday,
    /// This week (from Monday) to date.
    ThisWeek,
    /// Last week, Monday to Sunday.
    LastWeek,
    /// This quarter to date.
    ThisQuarter,
    /// All of last quarter.
    LastQuarter,
    /// The last N days ([`MAX_DAYS`] at most), ending with the latest day with data.
    LastDays(u32),
}

/// How the costs are broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// By service (the default).
    Service,
    /// By account.
    Account,
    /// By the team owning the account (`dim_account.team`).
    Team,
    /// By resource (`fact_cost_resource_daily`).
    Resource,
}

impl By {
    /// The word the catalogs select on.
    fn key(self) -> &'static str {
        match self {
            By::Service => "service",
            By::Account => "account",
            By::Team => "team",
            By::Resource => "resource",
        }
    }
}

/// The longest `last Nd`: a quarter and a day; longer spans are asked for by quarter or month.
pub const MAX_DAYS: u32 = 92;

/// Rows the card lists.
const ROWS: usize = 8;

/// Money shown in another currency than the report's, at a configured rate (`cost.display_currency`,
/// `cost.exchange_rate`): the Cost and Usage Report carries no rate Doberman could use.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion {
    /// The currency shown (`KRW`).
    pub currency: String,
    /// Units of it per one unit of the report's currency.
    pub rate: f64,
}

impl Conversion {
    /// The conversion `[cost]` asks for, if any (the loader has checked that both or neither are set).
    pub fn from_config(cost: &crate::config::CostConfig) -> Option<Conversion> {
        Some(Conversion {
            currency: cost.display_currency.clone()?,
            rate: cost.exchange_rate?,
        })
    }
}

/// A rate as people read it: `1,380`, `1,380.25`, `0.000725`.
fn rate_text(rate: f64) -> String {
    if rate >= 1.0 {
        fmt::number(rate, None)
    } else {
        let s = format!("{rate:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

fn period_of(words: &str) -> Option<Period> {
    Some(match words {
        "today" | "오늘" => Period::Today,
        "yesterday" | "어제" => Period::Yesterday,
        "this week" | "이번 주" | "이번주" | "금주" => Period::ThisWeek,
        "last week" | "지난 주" | "지난주" | "저번 주" | "저번주" => Period::LastWeek,
        "this month" | "이번 달" | "이번달" => Period::ThisMonth,
        "last month" | "지난 달" | "지난달" | "저번 달" | "저번달" => Period::LastMonth,
        "this quarter" | "이번 분기" | "이번분기" => Period::ThisQuarter,
        "last quarter" | "지난 분기" | "지난분기" | "저번 분기" => Period::LastQuarter,
        _ => return None,
    })
}

fn by_of(words: &str) -> Option<By> {
    Some(match words {
        "by service" | "by services" | "서비스별" => By::Service,
        "by account" | "by accounts" | "계정별" => By::Account,
        "by team" | "by teams" | "팀별" => By::Team,
        "by resource" | "by resources" | "리소스별" => By::Resource,
        _ => return None,
    })
}

/// `last 30d`, `last 30 days`, `최근 30일`, `최근30일` at the start of `words`: the days and how many words they
/// took; an error when the number is out of range.
fn last_days(words: &[&str]) -> Option<Result<(u32, usize), String>> {
    let number = |s: &str, unit: &str| {
        s.strip_suffix(unit)
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            .map(str::to_owned)
    };
    let (digits, used) = match words {
        ["last", n, "days" | "day", ..] if n.chars().all(|c| c.is_ascii_digit()) => {
            ((*n).to_owned(), 3)
        }
        ["last", n, ..] => (number(n, "d")?, 2),
        ["최근" | "지난", n, ..] => (number(n, "일")?, 2),
        [w, ..] => (number(w.strip_prefix("최근")?, "일")?, 1),
        [] => return None,
    };
    let typed = words[..used].join(" ");
    Some(match digits.parse::<u32>() {
        Ok(n) if (1..=MAX_DAYS).contains(&n) => Ok((n, used)),
        _ => Err(t!(
            "cost-days-out-of-range",
            typed = kit::quote(&typed),
            max = MAX_DAYS
        )),
    })
}

/// Reads the words after `cost`, in any order; a word it does not know is a friendly problem.
pub fn parse_args(text: &str) -> Result<(Period, By), String> {
    let mut period = Period::ThisMonth;
    let mut by = By::Service;
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        if let Some(days) = last_days(&words[i..]) {
            let (n, used) = days?;
            period = Period::LastDays(n);
            i += used;
            continue;
        }
        let w = words[i];
        let two = words.get(i + 1).map(|n| format!("{w} {n}"));
        if let Some(p) = two.as_deref().and_then(period_of) {
            period = p;
            i += 2;
        } else if let Some(b) = two.as_deref().and_then(by_of) {
            by = b;
            i += 2;
        } else if let Some(p) = period_of(w) {
            period = p;
            i += 1;
        } else if let Some(b) = by_of(w) {
            by = b;
            i += 1;
        } else {
            let month = NaiveDate::parse_from_str(&format!("{w}-01"), "%Y-%m-%d")
                .ok()
                .filter(|_| w.len() == 7);
            match month {
                Some(m) => {
                    period = Period::Month(m);
                    i += 1;
                }
                None => return Err(t!("cost-unknown-word", word = kit::quote(w))),
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

/// January, …: the month's name without the year.
fn month_name(d: NaiveDate) -> String {
    t!("cost-month-name", month = d.month())
}

/// Jan, …: the month's short name.
fn month_short(d: NaiveDate) -> String {
    t!("cost-month-short", month = d.month())
}

fn quarter_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), (d.month() - 1) / 3 * 3 + 1, 1)
        .expect("a quarter's first day")
}

fn quarter_end(start: NaiveDate) -> NaiveDate {
    month_end(month_start(start + Duration::days(62)))
}

/// `Q4 2026` / `2026년 4분기`.
fn quarter_name(start: NaiveDate, id: &str) -> String {
    t!(
        id,
        quarter = (start.month() - 1) / 3 + 1,
        year = start.year().to_string()
    )
}

fn range_text(from: NaiveDate, to: NaiveDate) -> String {
    t!("cost-range", from = fmt::day(from), to = fmt::day(to))
}

fn account_label(id: &str, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{name} ({id})"),
        None => id.to_owned(),
    }
}

fn within(c: &DailyCost, (from, to): (NaiveDate, NaiveDate)) -> bool {
    c.date >= from && c.date <= to
}

fn group(costs: &[DailyCost], by: By, range: (NaiveDate, NaiveDate)) -> BTreeMap<String, f64> {
    let mut map = BTreeMap::new();
    for c in costs.iter().filter(|c| within(c, range)) {
        let key = match by {
            By::Service | By::Resource => c.service.clone(),
            By::Account => account_label(&c.account_id, c.account_name.as_deref()),
            By::Team => c.team.clone().unwrap_or_else(|| t!("cost-no-team")),
        };
        *map.entry(key).or_insert(0.0) += c.amortized;
    }
    map
}

fn total(costs: &[DailyCost], range: (NaiveDate, NaiveDate)) -> f64 {
    costs
        .iter()
        .filter(|c| within(c, range))
        .map(|c| c.amortized)
        .sum()
}

fn has_data(costs: &[DailyCost], range: (NaiveDate, NaiveDate)) -> bool {
    costs.iter().any(|c| within(c, range))
}

fn change(before: f64, after: f64) -> Badge {
    if before.abs() < 0.005 {
        if after.abs() < 0.005 {
            Badge::new("–", "default")
        } else {
            Badge::new(t!("cost-new"), "warning")
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

/// A group of the table before it is written: its name, what it is (a resource's service and account), and its
/// cost in the two periods.
struct Ranked {
    name: String,
    detail: String,
    amount: f64,
    before: f64,
}

/// The top groups of `now` with their change against `before`.
fn ranked(now: &BTreeMap<String, f64>, before: &BTreeMap<String, f64>) -> Vec<Ranked> {
    let mut ranked: Vec<(&String, &f64)> = now.iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(a.1).then_with(|| a.0.cmp(b.0)));
    ranked
        .into_iter()
        .take(ROWS)
        .map(|(name, amount)| Ranked {
            name: name.clone(),
            detail: String::new(),
            amount: *amount,
            before: before.get(name).copied().unwrap_or(0.0),
        })
        .collect()
}

/// The rows, each with its share of `total` and its change; with nothing to compare (`compare` false: the
/// period before holds no data at all), the change is "–", not "new" for every one.
fn rows(items: Vec<Ranked>, total: f64, compare: bool, currency: &str) -> Vec<CostRow> {
    items
        .into_iter()
        .map(|r| CostRow {
            bar: bar(if total.abs() > 1e-9 {
                r.amount / total
            } else {
                0.0
            }),
            amount: kit::money(r.amount, currency),
            change: if compare {
                change(r.before, r.amount)
            } else {
                Badge::new("–", "default")
            },
            name: r.name,
            detail: r.detail,
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
            let amount = kit::money(m.change.abs(), currency);
            let text = match m.change_pct {
                Some(p) => t!(
                    "cost-mover",
                    arrow = arrow,
                    name = m.name.as_str(),
                    sign = sign,
                    amount = amount,
                    pct = format!("{sign}{:.0}%", p.abs())
                ),
                None => t!(
                    "cost-mover-new",
                    arrow = arrow,
                    name = m.name.as_str(),
                    sign = sign,
                    amount = amount
                ),
            };
            ColoredLine {
                text,
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

/// "up 8.1% on the same days of October": how `after` compares with `before`, called `before_name`.
fn change_words(before: f64, after: f64, before_name: &str) -> String {
    let (dir, pct) = if before.abs() < 0.005 {
        ("none", 0.0)
    } else {
        let pct = (after - before) / before.abs() * 100.0;
        let dir = if pct.abs() < 0.05 {
            "same"
        } else if pct >= 0.0 {
            "up"
        } else {
            "down"
        };
        (dir, pct.abs())
    };
    t!(
        "cost-change",
        dir = dir,
        pct = format!("{pct:.1}"),
        before = before_name
    )
}

/// A period compared with the one before: the days of each and how the card names them.
struct Frame {
    /// The days asked about (clipped to the latest day with data when the period is still running).
    now: (NaiveDate, NaiveDate),
    /// The days compared with: the period before, the same number of days.
    before: (NaiveDate, NaiveDate),
    /// The period in the title and the summary: `last week`, `October 2026`.
    name: String,
    /// The period before in the summary: `the week before`, `September`.
    before_name: String,
    /// The facts' titles.
    now_fact: String,
    before_fact: String,
    /// The change column's header.
    change_label: String,
    /// The movers' header.
    movers_title: String,
    /// What the empty card suggests.
    hint: String,
}

/// The frame of a period other than this month to date and today; `today` in `schedule.timezone`, `latest` the
/// latest day with data.
fn frame(period: Period, today: NaiveDate, latest: NaiveDate) -> Frame {
    let day = Duration::days(1);
    // A period still running, or one the report has not finished, ends at the latest day with data and is
    // compared with the same days of the period before.
    let same_days =
        |from: NaiveDate, end: NaiveDate, before_from: NaiveDate, before_end: NaiveDate| {
            let to = end.min(latest).max(from);
            let before_to = (before_from + (to - from)).min(before_end);
            ((from, to), (before_from, before_to))
        };
    let range_hint = || t!("cost-empty-hint-range", latest = fmt::day(latest));
    match period {
        Period::ThisMonth | Period::LastMonth | Period::Month(_) => {
            let month = match period {
                Period::Month(m) => m,
                Period::LastMonth => month_start(month_start(today) - day),
                _ => month_start(today),
            };
            let before = month_start(month - day);
            Frame {
                now: (month, month_end(month)),
                before: (before, month_end(before)),
                name: fmt::month(month),
                before_name: month_name(before),
                now_fact: fmt::month(month),
                before_fact: fmt::month(before),
                change_label: t!("cost-vs-month", month = month_short(before)),
                movers_title: t!("cost-movers-month"),
                hint: t!("cost-empty-hint-month", latest = fmt::day(latest)),
            }
        }
        Period::Today | Period::Yesterday => {
            let d = if period == Period::Today {
                latest
            } else {
                today - day
            };
            Frame {
                now: (d, d),
                before: (d - day, d - day),
                name: if period == Period::Today {
                    fmt::day(d)
                } else {
                    t!("cost-name-yesterday", day = fmt::day(d))
                },
                before_name: t!("cost-before-day"),
                now_fact: fmt::day(d),
                before_fact: fmt::day(d - day),
                change_label: t!("cost-vs-day-before"),
                movers_title: t!("cost-movers-day"),
                hint: range_hint(),
            }
        }
        Period::ThisWeek | Period::LastWeek => {
            let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
            let from = if period == Period::ThisWeek {
                monday
            } else {
                monday - Duration::days(7)
            };
            let (now, before) = same_days(
                from,
                from + Duration::days(6),
                from - Duration::days(7),
                from - day,
            );
            let this = period == Period::ThisWeek;
            Frame {
                now,
                before,
                name: t!(if this {
                    "cost-name-this-week"
                } else {
                    "cost-name-last-week"
                }),
                before_name: t!(if this {
                    "cost-before-this-week"
                } else {
                    "cost-before-last-week"
                }),
                now_fact: t!(
                    if this {
                        "cost-fact-this-week"
                    } else {
                        "cost-fact-last-week"
                    },
                    range = range_text(now.0, now.1)
                ),
                before_fact: t!(
                    if this {
                        "cost-fact-this-week-before"
                    } else {
                        "cost-fact-last-week-before"
                    },
                    range = range_text(before.0, before.1)
                ),
                change_label: t!(if this {
                    "cost-vs-this-week-before"
                } else {
                    "cost-vs-last-week-before"
                }),
                movers_title: t!("cost-movers-week"),
                hint: range_hint(),
            }
        }
        Period::ThisQuarter | Period::LastQuarter => {
            let this = quarter_start(today);
            let from = if period == Period::ThisQuarter {
                this
            } else {
                quarter_start(this - day)
            };
            let before_from = quarter_start(from - day);
            let (now, before) = same_days(from, quarter_end(from), before_from, from - day);
            let to_date = period == Period::ThisQuarter;
            let before_full = before.1 == from - day;
            Frame {
                now,
                before,
                name: quarter_name(
                    from,
                    if to_date {
                        "cost-name-quarter-to-date"
                    } else {
                        "cost-name-quarter"
                    },
                ),
                before_name: quarter_name(
                    before_from,
                    if before_full {
                        "cost-name-quarter"
                    } else {
                        "cost-before-quarter-same-days"
                    },
                ),
                now_fact: t!(
                    "cost-fact-quarter",
                    quarter = quarter_name(from, "cost-name-quarter"),
                    range = range_text(now.0, now.1)
                ),
                before_fact: t!(
                    "cost-fact-quarter",
                    quarter = quarter_name(before_from, "cost-name-quarter"),
                    range = range_text(before.0, before.1)
                ),
                change_label: t!(
                    "cost-vs-quarter",
                    quarter = quarter_name(before_from, "cost-name-quarter")
                ),
                movers_title: t!("cost-movers-quarter"),
                hint: range_hint(),
            }
        }
        Period::LastDays(n) => {
            let length = Duration::days(i64::from(n));
            let from = latest - length + day;
            let before = (from - length, from - day);
            Frame {
                now: (from, latest),
                before,
                name: t!("cost-name-last-days", n = n),
                before_name: t!("cost-before-days", n = n),
                now_fact: t!(
                    "cost-fact-last-days",
                    n = n,
                    range = range_text(from, latest)
                ),
                before_fact: t!(
                    "cost-fact-days-before",
                    n = n,
                    range = range_text(before.0, before.1)
                ),
                change_label: t!("cost-vs-days-before", n = n),
                movers_title: t!("cost-movers-days", n = n),
                hint: range_hint(),
            }
        }
    }
}

/// What every path of [`answer`] shares.
struct Answer<'a> {
    store: &'a Store,
    by: By,
    /// The report's currency: what the store holds.
    report_currency: String,
    /// The currency shown.
    currency: String,
    /// Units shown per unit of the report's currency (1 without a conversion).
    rate: f64,
    /// The card before a period fills it.
    base: CostCard,
}

impl Answer<'_> {
    fn money(&self, v: f64) -> String {
        kit::money(v, &self.currency)
    }

    /// The day costs of `from..=to`, converted to the currency shown.
    async fn costs(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<DailyCost>, StoreError> {
        let mut costs = self
            .store
            .daily_costs(from, to, &self.report_currency)
            .await?;
        if self.rate != 1.0 {
            for c in &mut costs {
                c.amortized *= self.rate;
                c.unblended *= self.rate;
            }
        }
        Ok(costs)
    }

    fn card(&self, title: String, summary: String) -> CostCard {
        CostCard {
            title,
            summary,
            ..self.base.clone()
        }
    }

    /// The table of the groups of `now` against `before`.
    async fn rows(
        &self,
        costs: &[DailyCost],
        now: (NaiveDate, NaiveDate),
        before: (NaiveDate, NaiveDate),
    ) -> Result<Vec<CostRow>, StoreError> {
        let items = match self.by {
            By::Resource => self
                .store
                .resource_costs(
                    now,
                    before,
                    &self.report_currency,
                    ResourceRank::Cost,
                    ROWS as u32,
                )
                .await?
                .into_iter()
                .map(|r| Ranked {
                    detail: format!(
                        "{} · {}",
                        r.service,
                        account_label(&r.account_id, r.account_name.as_deref())
                    ),
                    name: short_resource(&r.resource_id),
                    amount: r.amortized * self.rate,
                    before: r.before * self.rate,
                })
                .collect(),
            by => ranked(&group(costs, by, now), &group(costs, by, before)),
        };
        Ok(rows(
            items,
            total(costs, now),
            has_data(costs, before),
            &self.currency,
        ))
    }

    /// The biggest movers from `before` to `now`, of the groups asked for.
    async fn movers(
        &self,
        costs: &[DailyCost],
        now: (NaiveDate, NaiveDate),
        before: (NaiveDate, NaiveDate),
    ) -> Result<Vec<Mover>, StoreError> {
        Ok(match self.by {
            By::Resource => self
                .store
                .resource_costs(
                    now,
                    before,
                    &self.report_currency,
                    ResourceRank::Change,
                    cost::TOP as u32,
                )
                .await?
                .into_iter()
                .map(|r| {
                    let (b, a) = (r.before * self.rate, r.amortized * self.rate);
                    Mover {
                        name: r.resource_id,
                        before: b,
                        after: a,
                        change: a - b,
                        change_pct: (b != 0.0).then(|| (a - b) / b * 100.0),
                    }
                })
                .collect(),
            by => cost::movers(&group(costs, by, before), &group(costs, by, now)),
        })
    }

    /// The card of a table whose groups are resources, when none is stored: not "no cost data".
    fn resources_empty(&self, data: &mut CostCard) {
        if self.by == By::Resource && data.rows.is_empty() {
            data.empty = Empty::new(t!("cost-empty-resources"), t!("cost-empty-resources-hint"));
        }
    }

    /// This month to date against the same days of last month, with the projection and the latest day.
    async fn this_month(
        &self,
        latest: NaiveDate,
        anomaly_from: NaiveDate,
    ) -> Result<CostCard, StoreError> {
        let this = month_start(latest);
        let last = month_start(this - Duration::days(1));
        let costs = self.costs(anomaly_from.min(last), latest).await?;
        let f = cost::figures(&costs, latest);
        let same_day = last
            .with_day(latest.day().min(month_end(last).day()))
            .expect("a day of last month");
        let name = t!("cost-name-month-to-date", month = fmt::month(this));
        let before_name = t!("cost-before-same-days", month = month_name(last));
        let mut data = self.card(
            t!("cost-title", period = name.as_str()),
            t!(
                "cost-summary",
                period = name.as_str(),
                total = self.money(f.month_to_date),
                change = change_words(f.same_days_last_month, f.month_to_date, &before_name)
            ),
        );
        data.status = status(f.same_days_last_month, f.month_to_date);
        let has_last = has_data(&costs, (last, month_end(last)));
        let or_none = |v: f64| {
            if has_last {
                self.money(v)
            } else {
                t!("cost-no-data")
            }
        };
        let mut facts = vec![
            Fact::new(
                t!("cost-fact-month-to-date", day = latest.day()),
                self.money(f.month_to_date),
            ),
            Fact::new(
                t!("cost-fact-same-days", month = month_name(last)),
                or_none(f.same_days_last_month),
            ),
            Fact::new(
                t!("cost-fact-projected", month = month_name(this)),
                self.money(f.projection),
            ),
            Fact::new(month_name(last), or_none(f.last_month_total)),
        ];
        if let Some(a) = &f.anomaly {
            facts.push(Fact::new(
                t!(
                    "cost-fact-latest-day",
                    day = latest.format(&t!("cost-month-day-pattern")).to_string()
                ),
                t!(
                    "cost-anomaly",
                    amount = self.money(a.total),
                    score = format!("{:.1}", a.score)
                ),
            ));
        }
        data.facts = facts;
        data.change_label = t!(
            "cost-vs-month-days",
            month = month_short(last),
            day = same_day.day()
        );
        data.rows = self.rows(&costs, (this, latest), (last, same_day)).await?;
        data.movers_title = t!("cost-movers-day");
        data.movers = mover_lines(&f.movers_day, &self.currency);
        self.resources_empty(&mut data);
        Ok(data)
    }

    /// The latest day in the report against the day before, with its anomaly score.
    async fn latest_day(
        &self,
        latest: NaiveDate,
        today: NaiveDate,
    ) -> Result<CostCard, StoreError> {
        let costs = self
            .costs(latest - Duration::days(cost::ANOMALY_DAYS + 1), latest)
            .await?;
        let f = cost::figures(&costs, latest);
        let day_before = latest - Duration::days(1);
        let has_before = has_data(&costs, (day_before, day_before));
        let total_now = total(&costs, (latest, latest));
        let before = total(&costs, (day_before, day_before));
        let summary = t!(
            "cost-summary-day",
            day = fmt::day(latest),
            total = self.money(total_now),
            change = change_words(before, total_now, &t!("cost-before-day"))
        );
        // The report lags about a day: "today" is the latest day it has, and the card says which.
        let summary = if latest < today {
            let lag = t!(
                "cost-today-lag",
                today = fmt::day(today),
                latest = fmt::day(latest)
            );
            format!("{lag} {summary}")
        } else {
            summary
        };
        let mut data = self.card(t!("cost-title-latest-day", day = fmt::day(latest)), summary);
        data.status = status(before, total_now);
        let mut facts = Vec::new();
        if latest < today {
            facts.push(Fact::new(
                t!("cost-fact-today", day = fmt::day(today)),
                t!("cost-today-not-in"),
            ));
        }
        facts.push(Fact::new(fmt::day(latest), self.money(total_now)));
        facts.push(Fact::new(
            fmt::day(day_before),
            if has_before {
                self.money(before)
            } else {
                t!("cost-no-data")
            },
        ));
        if let Some(a) = &f.anomaly {
            facts.push(Fact::new(
                t!("cost-fact-against-days", n = cost::ANOMALY_DAYS),
                t!(
                    "cost-mean-anomaly",
                    amount = self.money(a.mean),
                    score = format!("{:.1}", a.score)
                ),
            ));
        }
        data.facts = facts;
        data.change_label = t!("cost-vs-day-before");
        data.rows = self
            .rows(&costs, (latest, latest), (day_before, day_before))
            .await?;
        data.movers_title = t!("cost-movers-day");
        data.movers = mover_lines(&f.movers_day, &self.currency);
        self.resources_empty(&mut data);
        Ok(data)
    }

    /// A period against the one before it; a period the report has nothing for is "no data", not zero.
    async fn period(&self, f: Frame) -> Result<CostCard, StoreError> {
        let costs = self.costs(f.before.0, f.now.1).await?;
        if !has_data(&costs, f.now) {
            let mut data = self.card(
                t!("cost-title", period = f.name.as_str()),
                t!("cost-summary-empty", period = f.name.as_str()),
            );
            data.empty = Empty::new(t!("cost-empty-title", period = f.name.as_str()), f.hint);
            return Ok(data);
        }
        let total_now = total(&costs, f.now);
        let total_before = total(&costs, f.before);
        let has_before = has_data(&costs, f.before);
        let mut data = self.card(
            t!("cost-title", period = f.name.as_str()),
            t!(
                "cost-summary",
                period = f.name.as_str(),
                total = self.money(total_now),
                change = change_words(total_before, total_now, &f.before_name)
            ),
        );
        data.status = status(total_before, total_now);
        data.facts = vec![
            Fact::new(f.now_fact, self.money(total_now)),
            Fact::new(
                f.before_fact,
                if has_before {
                    self.money(total_before)
                } else {
                    t!("cost-no-data")
                },
            ),
        ];
        data.change_label = f.change_label;
        data.rows = self.rows(&costs, f.now, f.before).await?;
        if has_before {
            data.movers_title = f.movers_title;
            data.movers = mover_lines(&self.movers(&costs, f.now, f.before).await?, &self.currency);
        }
        self.resources_empty(&mut data);
        Ok(data)
    }
}

/// The answer, in the current language; `conversion` shows money in another currency than the report's.
pub async fn answer(
    store: &Store,
    view: &View,
    period: Period,
    by: By,
    conversion: Option<&Conversion>,
) -> Result<Reply, StoreError> {
    let report_currency = store
        .cost_currency()
        .await?
        .unwrap_or_else(|| "USD".to_owned());
    let (currency, rate, rate_note) = match conversion {
        Some(c) if c.currency != report_currency => (
            c.currency.clone(),
            c.rate,
            t!(
                "cost-rate",
                from = report_currency.as_str(),
                to = c.currency.as_str(),
                rate = rate_text(c.rate)
            ),
        ),
        _ => (report_currency.clone(), 1.0, String::new()),
    };
    let collected = store.cost_collected_at().await?;
    let today = view.now.with_timezone(&view.timezone).date_naive();
    let latest = store.cost_latest_day(&report_currency, today).await?;
    let last_success = store.last_job_success(Job::Cost.name()).await?;
    let stale = match (view.period, last_success) {
        (Some(p), Some(at)) if view.now - at > p * 2 => t!(
            "cost-stale",
            ago = kit::ago(at, view.now),
            hours = p.num_hours().max(1)
        ),
        (Some(_), None) if latest.is_some() => t!("cost-stale-never"),
        _ => String::new(),
    };
    let as_of = match (collected, latest) {
        (Some(at), Some(day)) => t!(
            "cost-as-of",
            when = kit::when(at, view.now, view.timezone),
            day = fmt::day(day)
        ),
        (Some(at), None) => kit::when(at, view.now, view.timezone),
        _ => String::new(),
    };
    let empty = Empty::new(
        t!("cost-empty-period"),
        if collected.is_none() {
            t!("cost-empty-hint-collect")
        } else {
            t!("cost-empty-hint-try")
        },
    );
    let a = Answer {
        store,
        by,
        report_currency,
        rate,
        base: CostCard {
            summary: String::new(),
            title: String::new(),
            subtitle: t!("cost-subtitle", by = by.key(), currency = currency.as_str()),
            rate: rate_note,
            status: Badge::new("", "default"),
            facts: Vec::new(),
            group_label: t!("cost-group", by = by.key()),
            change_label: t!("cost-change-header"),
            rows: Vec::new(),
            movers_title: String::new(),
            movers: Vec::new(),
            empty,
            stale,
            as_of,
            superset_url: view.dashboard.clone().unwrap_or_default(),
        },
        currency,
    };
    let Some(latest) = latest else {
        return Ok(show(
            &a.card(t!("cost-title-plain"), t!("cost-summary-nothing")),
        ));
    };
    // Enough history for the anomaly score of the latest day.
    let anomaly_from = latest - Duration::days(cost::ANOMALY_DAYS + 1);
    let data = match period {
        Period::ThisMonth if latest >= month_start(today) => {
            a.this_month(latest, anomaly_from).await?
        }
        Period::Today => a.latest_day(latest, today).await?,
        other => a.period(frame(other, today, latest)).await?,
    };
    Ok(show(&data))
}

/// `cost [period] [by service|account|team|resource]`, typed.
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
        answer(
            &cx.chat.store,
            &view,
            args.period,
            args.by,
            cx.chat.settings.cost_conversion.as_ref(),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{self, Lang};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn periods_and_groupings_are_read_in_english_and_korean_in_any_order() {
        let cases = [
            ("", (Period::ThisMonth, By::Service)),
            ("this month", (Period::ThisMonth, By::Service)),
            ("last month by account", (Period::LastMonth, By::Account)),
            ("by account last month", (Period::LastMonth, By::Account)),
            ("Today", (Period::Today, By::Service)),
            ("yesterday by team", (Period::Yesterday, By::Team)),
            ("this week", (Period::ThisWeek, By::Service)),
            ("by resource last week", (Period::LastWeek, By::Resource)),
            ("this quarter by team", (Period::ThisQuarter, By::Team)),
            ("last quarter", (Period::LastQuarter, By::Service)),
            ("last 30d by account", (Period::LastDays(30), By::Account)),
            ("by team last 7 days", (Period::LastDays(7), By::Team)),
            ("last 92d", (Period::LastDays(92), By::Service)),
            (
                "2026-10 by service",
                (Period::Month(d(2026, 10, 1)), By::Service),
            ),
            ("지난달 계정별", (Period::LastMonth, By::Account)),
            ("이번 달", (Period::ThisMonth, By::Service)),
            ("오늘 서비스별", (Period::Today, By::Service)),
            ("어제 팀별", (Period::Yesterday, By::Team)),
            ("지난주 리소스별", (Period::LastWeek, By::Resource)),
            ("이번 분기", (Period::ThisQuarter, By::Service)),
            ("최근 30일 계정별", (Period::LastDays(30), By::Account)),
            ("최근14일", (Period::LastDays(14), By::Service)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_args(text), Ok(expected), "{text:?}");
        }
        for bad in [
            "next year",
            "2026-13",
            "by tea",
            "20261",
            "last",
            "last year",
        ] {
            let e = parse_args(bad).expect_err(bad);
            assert!(e.contains("cost last month"), "{bad}: {e}");
        }
        for (bad, typed) in [
            ("last 0d", "“last 0d”"),
            ("last 93d", "“last 93d”"),
            ("최근 100일", "“최근 100일”"),
        ] {
            let e = parse_args(bad).expect_err(bad);
            assert!(e.contains(typed) && e.contains("92"), "{bad}: {e}");
        }
    }

    #[test]
    fn usage_problems_are_in_the_askers_language() {
        let unknown = i18n::sync_scope(Lang::Ko, || parse_args("다음 해").expect_err("unknown"));
        assert!(unknown.contains("알 수 없는 말입니다: “다음”"), "{unknown}");
        assert!(unknown.contains("`비용 지난달`"), "{unknown}");
        let long = i18n::sync_scope(Lang::Ko, || parse_args("최근 100일").expect_err("too long"));
        assert!(long.contains("1일부터 92일까지"), "{long}");
        for text in [unknown, long] {
            let words = i18n::english_words(&text);
            assert!(words.is_empty(), "{text}: {words:?}");
        }
    }

    #[test]
    fn frames_compare_with_the_period_before_of_the_same_length() {
        // Sunday 6 December 2026, the report through Friday the 4th.
        let (today, latest) = (d(2026, 12, 6), d(2026, 12, 4));
        let cases = [
            (
                Period::Yesterday,
                (d(2026, 12, 5), d(2026, 12, 5)),
                (d(2026, 12, 4), d(2026, 12, 4)),
            ),
            (
                Period::ThisWeek,
                (d(2026, 11, 30), d(2026, 12, 4)),
                (d(2026, 11, 23), d(2026, 11, 27)),
            ),
            (
                Period::LastWeek,
                (d(2026, 11, 23), d(2026, 11, 29)),
                (d(2026, 11, 16), d(2026, 11, 22)),
            ),
            (
                Period::ThisQuarter,
                (d(2026, 10, 1), d(2026, 12, 4)),
                (d(2026, 7, 1), d(2026, 9, 3)),
            ),
            (
                Period::LastQuarter,
                (d(2026, 7, 1), d(2026, 9, 30)),
                (d(2026, 4, 1), d(2026, 6, 30)),
            ),
            (
                Period::LastDays(7),
                (d(2026, 11, 28), d(2026, 12, 4)),
                (d(2026, 11, 21), d(2026, 11, 27)),
            ),
            (
                Period::LastMonth,
                (d(2026, 11, 1), d(2026, 11, 30)),
                (d(2026, 10, 1), d(2026, 10, 31)),
            ),
        ];
        for (period, now, before) in cases {
            let f = frame(period, today, latest);
            assert_eq!((f.now, f.before), (now, before), "{period:?}");
        }
        // A report that has not finished last week: its days so far against the same days of the week before.
        let f = frame(Period::LastWeek, d(2026, 11, 30), d(2026, 11, 27));
        assert_eq!(
            (f.now, f.before),
            (
                (d(2026, 11, 23), d(2026, 11, 27)),
                (d(2026, 11, 16), d(2026, 11, 20))
            )
        );
        assert_eq!(f.now_fact, "Last week (2026-11-23 – 2026-11-27)");
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
        assert_eq!(
            i18n::sync_scope(Lang::Ko, || change(0.0, 5.0)),
            Badge::new("신규", "warning")
        );
    }

    #[test]
    fn rates_are_written_as_people_read_them() {
        assert_eq!(rate_text(1380.0), "1,380");
        assert_eq!(rate_text(1380.25), "1,380.25");
        assert_eq!(rate_text(0.000725), "0.000725");
    }
}

/// A resource id as a narrow table column can show it: an ARN's resource part, and an id longer than
/// [`RESOURCE_CHARS`] as its head and tail around `…` (ids differ at both ends: `i-0a1b…5f67890`). The whole id is
/// in the cost dashboard.
fn short_resource(id: &str) -> String {
    let part = id.rsplit([':', '/']).find(|p| !p.is_empty()).unwrap_or(id);
    let chars: Vec<char> = part.chars().collect();
    if chars.len() <= RESOURCE_CHARS {
        return part.to_owned();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - (RESOURCE_CHARS - 5)..].iter().collect();
    format!("{head}…{tail}")
}

/// The longest resource id a row shows whole: what fits a third of a phone-wide card.
const RESOURCE_CHARS: usize = 14;

#[cfg(test)]
mod resource_tests {
    use super::*;

    #[test]
    fn long_resource_ids_keep_their_ends() {
        assert_eq!(short_resource("i-0a1b2c3d4e5f67890"), "i-0a…4e5f67890");
        assert_eq!(short_resource("arn:aws:s3:::lake-raw"), "lake-raw");
        assert_eq!(short_resource("vol-0123"), "vol-0123");
        assert_eq!(
            short_resource("arn:aws:rds:ap-northeast-2:111122223333:db:orders-replica-prod"),
            "orde…lica-prod"
        );
    }
}
