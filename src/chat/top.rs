//! `top tables [7d|30d|90d] [db <name>] [by queries|scanned]` and `top databases …`: what is queried most in
//! Athena, from the daily roll-up (`fact_table_usage_daily`), with the trend against the period before.

use chrono::Duration;

use super::commands::{Command, Context, FromArgs, RawArgs, first};
use super::help::show;
use super::{Reply, View};
use crate::cards::kit;
use crate::cards::views::{Badge, Empty, Fact, TopCard, TopRow};
use crate::collect::Job;
use crate::store::{Store, StoreError};

/// Rows a card lists.
const ROWS: u32 = 10;
/// Athena's price per TB scanned, for the rough cost shown next to bytes.
const USD_PER_TB: f64 = 5.0;

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
        match (w.as_str(), next.as_deref()) {
            ("7d" | "7일", _) => options.days = 7,
            ("30d" | "30일", _) => options.days = 30,
            ("90d" | "90일", _) => options.days = 90,
            ("db" | "database" | "데이터베이스", Some(_)) => {
                let name = words[i + 1].to_lowercase();
                if name.is_empty()
                    || name.len() > 255
                    || !name
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
                {
                    return Err(format!(
                        "{} is not a database name",
                        crate::cards::kit::quote(&words[i + 1])
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
                return Err(format!(
                    "I don't know {} here. Try `top tables 30d`, `top tables db sales by scanned` or `top databases 90d` (인기 테이블 30일)",
                    crate::cards::kit::quote(other)
                ));
            }
        }
        i += 1;
    }
    Ok(options)
}

fn trend(before: i64, now: i64) -> Badge {
    match before {
        0 => Badge::new("new", "warning"),
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
        (true, true) => "(no database)".to_owned(),
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
    let title = format!("Top {what} · last {} days", options.days);
    let scope = match db {
        Some(d) => format!("database {d}"),
        None => "all databases".to_owned(),
    };
    let subtitle = format!(
        "by {} · {scope}",
        if options.by_scanned {
            "bytes scanned"
        } else {
            "queries"
        }
    );
    let stale = match (view.period, last_success) {
        (Some(p), Some(at)) if view.now - at > p * 2 => format!(
            "The usage collector last succeeded {}; these figures may be behind.",
            kit::ago(at, view.now)
        ),
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
        Some(first) => format!(
            "{title}: {} leads with {}",
            name_of(&first.database, &first.table, per_database),
            kit::plural(first.queries, "query", "queries")
        ),
        None => format!("{title}: no queries recorded"),
    };
    let facts = if top.is_empty() {
        Vec::new()
    } else {
        let tb = total_bytes as f64 / 1e12;
        vec![
            Fact::new("Queries", kit::count(total_queries)),
            Fact::new(
                "Scanned",
                format!(
                    "{} (≈ {} at USD {USD_PER_TB:.0}/TB)",
                    kit::bytes(u64::try_from(total_bytes).unwrap_or(0)),
                    kit::money(tb * USD_PER_TB, "USD")
                ),
            ),
        ]
    };
    let hint = if collected.is_none() {
        "No query history is stored yet: the usage collector fills it (doberman jobs, doberman collect usage)."
            .to_owned()
    } else if db.is_some() {
        format!(
            "Check the database name (top databases lists them), or try a longer period: top {what} 90d."
        )
    } else if options.days < 90 {
        format!("Try a longer period: top {what} 90d.")
    } else {
        "Nothing was queried in Athena in 90 days.".to_owned()
    };
    Ok(show(&TopCard {
        summary,
        title,
        subtitle,
        facts,
        name_label: if per_database { "Database" } else { "Table" }.to_owned(),
        trend_label: format!("vs previous {} days", options.days),
        rows,
        empty: Empty::new(
            format!("No queries recorded in the last {} days", options.days),
            hint,
        ),
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
        ];
        for (text, expected) in cases {
            assert_eq!(parse_args(text), Ok(expected), "{text:?}");
        }
        for bad in ["yesterday", "db a;b", "by cost"] {
            assert!(parse_args(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn trends_compare_with_the_period_before() {
        assert_eq!(trend(100, 112).label, "▲ 12%");
        assert_eq!(trend(100, 80).label, "▼ 20%");
        assert_eq!(trend(0, 5).label, "new");
        assert_eq!(trend(100, 100).label, "=");
    }
}
