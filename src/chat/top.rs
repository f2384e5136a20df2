//! `top tables [Nd] [db <name>] [by queries|scanned]` and `top databases …`: what is queried most in Athena over
//! the last 1 to 90 days, from the daily roll-up (`fact_table_usage_daily`), with the trend against the period
//! before.

use chrono::Duration;

use super::commands::{Command, Context, FromArgs, RawArgs, first};
use super::help::show;
use super::{Reply, View};
use crate::cards::kit;
use crate::cards::views::{Badge, Empty, Fact, TopCard, TopRow};
use crate::collect::Job;
use crate::store::{Store, StoreError};
use crate::t;

/// Rows a card lists.
const ROWS: u32 = 10;
/// Athena's price per TB scanned, for the rough cost shown next to bytes.
const USD_PER_TB: f64 = 5.0;
/// The longest window one may ask for (`90d`).
pub const MAX_DAYS: i64 = 90;

/// Days of a window as typed, `14d` or `14일`: `Some(Ok(14))`; `Some(Err(()))` for a window out of 1..=[`MAX_DAYS`];
/// `None` when the word is not a window.
fn window(word: &str) -> Option<Result<i64, ()>> {
    let digits = word.strip_suffix('d').or_else(|| word.strip_suffix('일'))?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(
        digits
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_DAYS).contains(n))
            .ok_or(()),
    )
}

/// What `top` was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Days, ending today.
    pub days: i64,
    /// One database only.
    pub database: Option<String>,
    /// Rank by bytes scanned instead of queries.
    pub by_scanned: bool,
}

/// Reads the words after `top tables` / `top databases`.
pub fn parse_args(text: &str) -> Result<Options, String> {
    let mut options = Options {
        days: 7,
        database: None,
        by_scanned: false,
    };
    let words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].to_lowercase();
        let next = words.get(i + 1).map(|n| n.to_lowercase());
        if let Some(days) = window(&w) {
            options.days = days.map_err(|()| {
                t!(
                    "top-bad-days",
                    word = crate::cards::kit::quote(&words[i]),
                    max = MAX_DAYS
                )
            })?;
            i += 1;
            continue;
        }
        match (w.as_str(), next.as_deref()) {
            ("db" | "database" | "데이터베이스", Some(_)) => {
                let name = words[i + 1].to_lowercase();
                if name.is_empty()
                    || name.len() > 255
                    || !name
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
                {
                    return Err(t!(
                        "top-bad-database",
                        name = crate::cards::kit::quote(&words[i + 1])
                    ));
                }
                options.database = Some(name);
                i += 1;
            }
            ("by", Some("queries" | "query")) => {
                options.by_scanned = false;
                i += 1;
            }
            ("by", Some("scanned" | "bytes" | "scan")) => {
                options.by_scanned = true;
                i += 1;
            }
            ("쿼리순", _) => options.by_scanned = false,
            ("스캔순", _) => options.by_scanned = true,
            (other, _) => {
                return Err(t!(
                    "top-unknown-option",
                    word = crate::cards::kit::quote(other)
                ));
            }
        }
        i += 1;
    }
    Ok(options)
}

fn trend(before: i64, now: i64) -> Badge {
    match before {
        0 => Badge::new(t!("top-trend-new"), "warning"),
        b => {
            let pct = (now - b) as f64 / b as f64 * 100.0;
            if pct >= 0.5 {
                Badge::new(format!("▲ {pct:.0}%"), "attention")
            } else if pct <= -0.5 {
                Badge::new(format!("▼ {:.0}%", pct.abs()), "good")
            } else {
                Badge::new("=", "default")
            }
        }
    }
}

fn name_of(database: &str, table: &str, per_database: bool) -> String {
    match (per_database, database.is_empty()) {
        (true, true) => t!("top-no-database"),
        (true, false) => database.to_owned(),
        (false, true) => table.to_owned(),
        (false, false) => format!("{database}.{table}"),
    }
}

/// The answer; `per_database` for `top databases`.
pub async fn answer(
    store: &Store,
    view: &View,
    options: &Options,
    per_database: bool,
) -> Result<Reply, StoreError> {
    let today = view.now.with_timezone(&view.timezone).date_naive();
    let from = today - Duration::days(options.days - 1);
    let before_from = from - Duration::days(options.days);
    let db = options.database.as_deref();
    let top = store
        .usage_totals(
            before_from,
            from,
            today,
            db,
            per_database,
            options.by_scanned,
            ROWS,
        )
        .await?;
    let (total_queries, total_bytes) = store.usage_overall(from, today, db).await?;
    let collected = store.usage_collected_at().await?;
    let last_success = store.last_job_success(Job::Usage.name()).await?;
    let what = if per_database { "databases" } else { "tables" };
    let title = t!("top-title", what = what, days = options.days);
    let scope = match db {
        Some(d) => t!("top-scope-database", name = d),
        None => t!("top-scope-all"),
    };
    let subtitle = t!(
        "top-subtitle",
        by = if options.by_scanned {
            "scanned"
        } else {
            "queries"
        },
        scope = scope
    );
    let stale = match (view.period, last_success) {
        (Some(p), Some(at)) if view.now - at > p * 2 => {
            t!("top-stale", ago = kit::ago(at, view.now))
        }
        _ => String::new(),
    };
    let rows: Vec<TopRow> = top
        .iter()
        .enumerate()
        .map(|(i, u)| TopRow {
            rank: (i + 1).to_string(),
            name: name_of(&u.database, &u.table, per_database),
            queries: kit::count(u.queries),
            scanned: kit::bytes(u64::try_from(u.bytes_scanned).unwrap_or(0)),
            trend: trend(u.previous_queries, u.queries),
        })
        .collect();
    let summary = match top.first() {
        Some(first) => t!(
            "top-summary",
            title = &title,
            name = name_of(&first.database, &first.table, per_database),
            queries = t!("fmt-queries", n = first.queries)
        ),
        None => t!("top-summary-none", title = &title),
    };
    let facts = if top.is_empty() {
        Vec::new()
    } else {
        let tb = total_bytes as f64 / 1e12;
        vec![
            Fact::new(t!("top-fact-queries"), kit::count(total_queries)),
            Fact::new(
                t!("top-fact-scanned"),
                t!(
                    "top-scanned-cost",
                    bytes = kit::bytes(u64::try_from(total_bytes).unwrap_or(0)),
                    cost = kit::money(tb * USD_PER_TB, "USD"),
                    price = USD_PER_TB
                ),
            ),
        ]
    };
    let hint = if collected.is_none() {
        t!("top-hint-no-history")
    } else if db.is_some() {
        t!("top-hint-database", what = what)
    } else if options.days < MAX_DAYS {
        t!("top-hint-longer", what = what)
    } else {
        t!("top-hint-nothing")
    };
    Ok(show(&TopCard {
        summary,
        title,
        subtitle,
        facts,
        name_label: t!("top-name-label", what = what),
        trend_label: t!("top-trend-label", days = options.days),
        rows,
        empty: Empty::new(t!("top-empty", days = options.days), hint),
        stale,
        as_of: collected
            .map(|at| kit::when(at, view.now, view.timezone))
            .unwrap_or_default(),
        superset_url: view.dashboard.clone().unwrap_or_default(),
    }))
}

impl FromArgs for Options {
    fn from_args(args: RawArgs) -> Result<Options, String> {
        parse_args(&first(args))
    }
}

/// `top tables` and `top databases`.
pub struct Top {
    /// Databases instead of tables.
    pub per_database: bool,
}

impl Command for Top {
    type Args = Options;

    async fn run(&self, cx: &Context<'_>, options: Options) -> Result<Reply, StoreError> {
        let view = cx.chat.settings.view(Job::Usage);
        answer(&cx.chat.store, &view, &options, self.per_database).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_in_english_and_korean() {
        let o = |days, database: Option<&str>, by_scanned| Options {
            days,
            database: database.map(str::to_owned),
            by_scanned,
        };
        let cases = [
            ("", o(7, None, false)),
            ("30d", o(30, None, false)),
            ("90d db Sales by scanned", o(90, Some("sales"), true)),
            ("db 판매 30일 스캔순", o(30, Some("판매"), true)),
            ("by queries 7d", o(7, None, false)),
            ("14d", o(14, None, false)),
            ("1d by scanned", o(1, None, true)),
            ("45일", o(45, None, false)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_args(text), Ok(expected), "{text:?}");
        }
        for bad in ["yesterday", "db a;b", "by cost", "0d", "91d", "d", "1.5d"] {
            assert!(parse_args(bad).is_err(), "{bad}");
        }
        assert!(
            parse_args("120d").is_err_and(|e| e.contains("1d to 90d")),
            "a window too long says which ones there are"
        );
    }

    #[test]
    fn trends_compare_with_the_period_before() {
        assert_eq!(trend(100, 112).label, "▲ 12%");
        assert_eq!(trend(100, 80).label, "▼ 20%");
        assert_eq!(trend(0, 5).label, "new");
        assert_eq!(trend(100, 100).label, "=");
    }
}
