//! `catalog table <db.table | table>`, `catalog db <name>` and `catalog search <words>`: the Glue catalog as the
//! collector stored it, with freshness and who uses what, from the store only.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::commands::{Command, Context, FromArgs, RawArgs, Words, first};
use super::help::show;
use super::{Reply, View};
use crate::alerts::rules::{self, Judgement};
use crate::cards::kit;
use crate::cards::views::{
    Badge, CatalogColumn, CatalogListCard, CatalogReader, CatalogRow, CatalogTableCard, Empty, Fact,
};
use crate::collect::Job;
use crate::common::edit_distance;
use crate::store::{Store, StoreError, TableBrief, TableChanges, TableInfo, with_history};
use crate::t;

/// Columns a table card lists before "…and N more".
const MAX_COLUMNS: usize = 80;
/// Tables a list shows.
const MAX_ROWS: usize = 40;
/// Close matches offered for a name that is not exact.
const MAX_SUGGESTIONS: usize = 8;
/// Days of usage behind "who reads it most" and the queries column.
const USAGE_DAYS: i64 = 30;
/// Work groups listed as readers.
const MAX_READERS: i64 = 5;
/// Days without a change after which a database's list counts a table as not changed.
const STALE_DAYS: i64 = 7;

/// The last [`USAGE_DAYS`] local days, today included.
fn usage_days(view: &View) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let today = view.now.with_timezone(&view.timezone).date_naive();
    (today - Duration::days(USAGE_DAYS - 1), today)
}

/// A table name as typed: `db.table` or `table`, lower-cased, quotes and backticks removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableName {
    /// The database, when given.
    pub database: Option<String>,
    /// The table.
    pub table: String,
}

impl TableName {
    fn shown(&self) -> String {
        match &self.database {
            Some(d) => format!("{d}.{}", self.table),
            None => self.table.clone(),
        }
    }
}

fn valid_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 255
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
}

/// A name as typed, trimmed and lower-cased, without Athena's quotes and backticks.
fn unquoted(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !matches!(c, '`' | '"' | '\''))
        .collect::<String>()
        .to_lowercase()
}

/// Reads `db.table` or `table` (Athena's quoting allowed: `"db"."table"`, `` `db`.`table` ``).
pub fn parse_table(text: &str) -> Result<TableName, String> {
    let cleaned = unquoted(text);
    let parts: Vec<&str> = cleaned.split('.').collect();
    let (database, table) = match parts.as_slice() {
        [table] => (None, *table),
        [database, table] => (Some(*database), *table),
        // `awsdatacatalog.db.table`: the catalog is implied.
        [_, database, table] => (Some(*database), *table),
        _ => {
            return Err(t!("catalog-bad-table-parts", name = kit::quote(text)));
        }
    };
    if !valid_identifier(table) || database.is_some_and(|d| !valid_identifier(d)) {
        return Err(t!("catalog-bad-table-chars", name = kit::quote(text)));
    }
    Ok(TableName {
        database: database.map(str::to_owned),
        table: table.to_owned(),
    })
}

/// Reads a database name.
pub fn parse_database(text: &str) -> Result<String, String> {
    let name = unquoted(text);
    if valid_identifier(&name) {
        Ok(name)
    } else {
        Err(t!("catalog-bad-database", name = kit::quote(text)))
    }
}

/// The freshness badge of data last changed at `changed`.
pub fn freshness(
    judgement: Judgement,
    changed: Option<DateTime<Utc>>,
    is_view: bool,
    now: DateTime<Utc>,
) -> Badge {
    if is_view {
        return Badge::new(t!("catalog-fresh-view"), "default");
    }
    let Some(at) = changed else {
        return Badge::new(t!("catalog-unknown"), "default");
    };
    let ago = kit::ago(at, now);
    let (label, color) = match judgement {
        Judgement::OnTime { .. } => (t!("catalog-fresh-on-time", ago = ago), "good"),
        Judgement::Late { .. } => (t!("catalog-fresh-late", ago = ago), "attention"),
        // No expectation, no verdict: the freshness alerts would not call it stale either.
        Judgement::Unwatched => (t!("catalog-fresh-unwatched", ago = ago), "default"),
    };
    Badge::new(label, color)
}

/// An expected interval as [`rules::span`] writes it (`1d`, `6h`, `1.5h`, `30m`), in the current language.
fn interval(d: std::time::Duration) -> String {
    let s = d.as_secs();
    if s.is_multiple_of(86_400) {
        t!("fmt-span-days", n = s / 86_400)
    } else if s.is_multiple_of(3_600) {
        t!("fmt-span-hours", n = s / 3_600)
    } else if s >= 3_600 {
        t!("fmt-span-hours", n = format!("{:.1}", s as f64 / 3_600.0))
    } else {
        t!("fmt-span-minutes", n = s.div_ceil(60))
    }
}

/// What a card says of a table's expected interval.
fn expectation(judgement: Judgement) -> String {
    match judgement {
        Judgement::OnTime { expected, learned } | Judgement::Late { expected, learned } => t!(
            "catalog-expected-every",
            span = interval(expected),
            source = if learned { "learned" } else { "rule" }
        ),
        Judgement::Unwatched => t!("catalog-not-watched"),
    }
}

/// Each table's freshness verdict by id, judged as the freshness alerts judge it (views are not judged).
async fn judgements(
    store: &Store,
    view: &View,
    tables: &[&TableBrief],
) -> Result<HashMap<i64, Judgement>, StoreError> {
    let tables: Vec<&TableBrief> = tables
        .iter()
        .copied()
        .filter(|t| t.table_format != "view")
        .collect();
    let history = if view.watch.learn && !tables.is_empty() {
        let ids: Vec<i64> = tables.iter().map(|t| t.id).collect();
        // Snapshots are named by the local day: in UTC, Seoul's morning is still yesterday, and its snapshot
        // would be left out.
        let today = view.now.with_timezone(&view.timezone).date_naive();
        let since = today - Duration::days(rules::LEARN_DAYS);
        store.change_history_of(&ids, since, today).await?
    } else {
        HashMap::new()
    };
    Ok(tables
        .into_iter()
        .map(|t| {
            let changes = with_history(
                TableChanges {
                    key: format!("{}/{}/{}.{}", t.account, t.region, t.database, t.name),
                    name: full_name(t),
                    changed_at: t.data_changed_at,
                    history: t.data_changed_at.into_iter().collect(),
                },
                history.get(&t.id),
            );
            (
                t.id,
                rules::judge(&changes, &view.watch.rules, view.watch.learn, view.now),
            )
        })
        .collect())
}

fn full_name(t: &TableBrief) -> String {
    format!("{}.{}", t.database, t.name)
}

fn short(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

/// Close matches to `typed` among `candidates`, closest first: an edit per four letters away (at least one),
/// or containing / contained in it.
fn closest(typed: &str, candidates: Vec<(String, TableBrief)>) -> Vec<TableBrief> {
    let budget = (typed.chars().count() / 4).max(1);
    let mut scored: Vec<(usize, String, TableBrief)> = candidates
        .into_iter()
        .filter_map(|(name, t)| {
            let d = edit_distance(typed, &name);
            let related =
                name.contains(typed) || (typed.contains(&name) && name.chars().count() >= 3);
            (d <= budget || related).then_some((d, name, t))
        })
        .collect();
    scored.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    scored.into_iter().map(|(_, _, t)| t).collect()
}

struct Common {
    as_of: String,
    stale: String,
}

async fn common(store: &Store, view: &View) -> Result<Common, StoreError> {
    let collected = store.catalog_collected_at().await?;
    let last_success = store.last_job_success(Job::Catalog.name()).await?;
    let stale = match (view.period, last_success) {
        (Some(p), Some(at)) if view.now - at > p * 2 => {
            t!("catalog-stale", ago = kit::ago(at, view.now))
        }
        _ => String::new(),
    };
    Ok(Common {
        as_of: collected
            .map(|at| kit::when(at, view.now, view.timezone))
            .unwrap_or_default(),
        stale,
    })
}

fn empty_catalog_hint() -> String {
    t!("catalog-empty-catalog")
}

/// Whether `name` is written as Glue writes names (ASCII letters, digits, `_` and `-`): a name to match
/// exactly or closely; anything else (a Korean word) is a word to search for.
fn glue_name(name: &TableName) -> bool {
    let glue = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
    };
    glue(&name.table) && name.database.as_deref().is_none_or(glue)
}

/// `catalog table …`.
pub async fn table(store: &Store, view: &View, name: &TableName) -> Result<Reply, StoreError> {
    let exact = store
        .tables_named(name.database.as_deref(), &name.table)
        .await?;
    if exact.len() == 1 {
        return table_card(store, view, &exact[0], "").await;
    }
    if let [first, rest @ ..] = exact.as_slice()
        && rest
            .iter()
            .all(|t| t.database == first.database && t.name == first.name)
    {
        // One db.table in several accounts or regions: show one, name the others.
        let others: Vec<String> = rest
            .iter()
            .map(|t| format!("{} · {}", t.account, t.region))
            .collect();
        let notice = t!(
            "catalog-also-in",
            name = full_name(first),
            places = others.join(", ")
        );
        return table_card(store, view, first, &notice).await;
    }
    let common = common(store, view).await?;
    if exact.len() > 1 {
        let title = t!(
            "catalog-same-name-title",
            n = exact.len(),
            name = name.shown()
        );
        return list_card(
            store,
            view,
            &common,
            ListCard {
                summary: title.clone(),
                title,
                subtitle: t!("catalog-same-name-subtitle"),
                notice: t!("catalog-same-name-notice"),
                facts: Vec::new(),
                tables: exact,
                total: None,
                empty: ("".to_owned(), "".to_owned()),
                usage: None,
            },
        )
        .await;
    }
    if !glue_name(name) {
        // Not a name Glue would give (a Korean word): what has that word, as `catalog search` finds it.
        return by_word(store, view, &common, name).await;
    }
    // Not exact: close names, in the database typed first, then anywhere.
    let typed = name.shown();
    let mut candidates = store
        .tables_like(name.database.as_deref(), &name.table, 500)
        .await?;
    if candidates.is_empty() && name.database.is_some() {
        candidates = store.tables_like(None, &name.table, 500).await?;
    }
    let keyed = candidates
        .into_iter()
        .map(|t| {
            let key = if name.database.is_some() {
                full_name(&t)
            } else {
                t.name.clone()
            };
            (key, t)
        })
        .collect();
    let mut matches = closest(
        if name.database.is_some() {
            &typed
        } else {
            &name.table
        },
        keyed,
    );
    matches.truncate(MAX_SUGGESTIONS);
    if matches.len() == 1 {
        let notice = t!("catalog-only-close-table", name = &typed);
        return table_card(store, view, &matches[0], &notice).await;
    }
    let hint = if common.as_of.is_empty() {
        empty_catalog_hint()
    } else {
        t!("catalog-no-table-hint", word = &name.table)
    };
    let title = t!("catalog-no-table", name = &typed);
    list_card(
        store,
        view,
        &common,
        ListCard {
            summary: title.clone(),
            title,
            subtitle: if matches.is_empty() {
                String::new()
            } else {
                t!("catalog-did-you-mean")
            },
            notice: String::new(),
            facts: Vec::new(),
            tables: matches,
            total: None,
            empty: (t!("catalog-no-table-empty", name = &typed), hint),
            usage: None,
        },
    )
    .await
}

/// `catalog table <word>` for a word that is no table's name: the one table having it, shown, or those having
/// it, listed as `catalog search` lists them.
async fn by_word(
    store: &Store,
    view: &View,
    common: &Common,
    name: &TableName,
) -> Result<Reply, StoreError> {
    let typed = name.shown();
    let found = searched(store, view, &typed).await?;
    if let [only] = found.tables.as_slice() {
        let notice = t!("catalog-word-only-match", name = &typed);
        return table_card(store, view, only, &notice).await;
    }
    let notice = if found.tables.is_empty() {
        String::new()
    } else {
        t!("catalog-word-matches", name = &typed)
    };
    search_card(store, view, common, found, notice).await
}

async fn table_card(
    store: &Store,
    view: &View,
    brief: &TableBrief,
    notice: &str,
) -> Result<Reply, StoreError> {
    let Some(info) = store.table_info(brief.id).await? else {
        // Dropped between the two reads: answer as if it had not been found.
        return Ok(super::help::mistake(
            &t!("catalog-gone-title"),
            &t!("catalog-gone-message", name = full_name(brief)),
            &t!("catalog-gone-fix"),
            Vec::new(),
        ));
    };
    let columns = store.table_columns(brief.id).await?;
    let (from, to) = usage_days(view);
    let readers = store
        .table_readers(&brief.database, &brief.name, from, to, MAX_READERS)
        .await?;
    let common = common(store, view).await?;
    let judgement = judgements(store, view, &[brief])
        .await?
        .remove(&brief.id)
        .unwrap_or(Judgement::Unwatched);
    let mut data = table_data(view, &info, &columns, &readers, notice, &common, judgement);
    if let Some(fact) =
        super::checks::table_fact(store, &format!("{}.{}", brief.database, brief.name)).await?
    {
        data.facts.push(fact);
    }
    Ok(show(&data))
}

fn table_data(
    view: &View,
    info: &TableInfo,
    columns: &[crate::store::ColumnRow],
    readers: &[crate::store::Reader],
    notice: &str,
    common: &Common,
    judgement: Judgement,
) -> CatalogTableCard {
    let t = &info.brief;
    let is_view = t.table_format == "view";
    let badge = freshness(judgement, t.data_changed_at, is_view, view.now);
    let mut facts = Vec::new();
    let mut fact = |title: String, value: String| {
        if !value.is_empty() {
            facts.push(Fact::new(title, value));
        }
    };
    fact(
        t!("catalog-fact-location"),
        info.location.clone().unwrap_or_default(),
    );
    let format = [
        Some(t.table_format.clone()),
        info.classification.clone(),
        info.serde_library
            .as_deref()
            .and_then(|s| s.rsplit('.').next())
            .map(str::to_owned),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    fact(t!("catalog-fact-format"), format);
    if !is_view {
        fact(t!("catalog-fact-expected"), expectation(judgement));
    }
    let keys: Vec<&str> = columns
        .iter()
        .filter(|c| c.is_partition_key)
        .map(|c| c.name.as_str())
        .collect();
    let partitions = match (t.partition_count, keys.is_empty()) {
        (_, true) => String::new(),
        (Some(n), false) => t!("catalog-partitions", n = n, keys = keys.join(", ")),
        (None, false) => t!("catalog-partitions-uncounted", keys = keys.join(", ")),
    };
    fact(t!("catalog-fact-partitions"), partitions);
    if let (Some(values), Some(at)) = (
        &info.newest_partition_values,
        info.newest_partition_created_at,
    ) {
        let values: Vec<String> = serde_json::from_str::<Vec<String>>(values).unwrap_or_default();
        let pairs: Vec<String> = keys
            .iter()
            .zip(&values)
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        fact(
            t!("catalog-fact-newest-partition"),
            format!(
                "{} · {}",
                pairs.join("/"),
                kit::when(at, view.now, view.timezone)
            ),
        );
    }
    if !is_view {
        fact(
            t!("catalog-fact-data-changed"),
            t.data_changed_at
                .map(|at| kit::when(at, view.now, view.timezone))
                .unwrap_or_else(|| t!("catalog-unknown")),
        );
    }
    if let Some(rows) = info.record_count.filter(|n| *n > 0) {
        fact(t!("catalog-fact-rows"), kit::count(rows));
    }
    if let Some(size) = info.size_bytes.filter(|n| *n > 0) {
        fact(
            t!("catalog-fact-size"),
            kit::bytes(u64::try_from(size).unwrap_or(0)),
        );
    }
    fact(
        t!("catalog-fact-owner"),
        info.owner.clone().unwrap_or_default(),
    );
    fact(
        t!("catalog-fact-account"),
        format!("{} · {}", t.account, t.region),
    );
    let shown: Vec<CatalogColumn> = columns
        .iter()
        .take(MAX_COLUMNS)
        .map(|c| CatalogColumn {
            name: c.name.clone(),
            kind: short(&c.data_type, 60),
            comment: c.comment.clone().unwrap_or_default(),
            key: c.is_partition_key,
        })
        .collect();
    let columns_more = if columns.len() > MAX_COLUMNS {
        t!("catalog-columns-more", n = columns.len() - MAX_COLUMNS)
    } else {
        String::new()
    };
    let total: i64 = readers.iter().map(|r| r.queries).sum();
    let readers_shown: Vec<CatalogReader> = readers
        .iter()
        .map(|r| CatalogReader {
            name: format!("{} · {}", r.work_group, r.account),
            queries: t!("fmt-queries", n = r.queries),
        })
        .collect();
    let name = full_name(t);
    // "iceberg table", "hive table"; a view is just a "view".
    let what = if is_view {
        t!("catalog-what-view")
    } else if t.table_format == "table" {
        t!("catalog-what-table")
    } else {
        t!("catalog-what-format-table", format = &t.table_format)
    };
    let column_count = t!("catalog-columns", n = columns.len());
    let summary = t!(
        "catalog-table-summary",
        name = &name,
        what = &what,
        columns = &column_count,
        fresh = &badge.label
    );
    CatalogTableCard {
        summary,
        title: name,
        subtitle: format!("{what} · {column_count}"),
        badge,
        notice: notice.to_owned(),
        description: t.description.clone().unwrap_or_default(),
        facts,
        columns_title: t!("catalog-columns-title", n = columns.len()),
        columns: shown,
        columns_more,
        readers_title: if total > 0 {
            t!(
                "catalog-readers-title",
                queries = t!("fmt-queries", n = total),
                days = USAGE_DAYS
            )
        } else {
            t!("catalog-readers-title-none", days = USAGE_DAYS)
        },
        readers: readers_shown,
        readers_empty: t!("catalog-readers-empty", days = USAGE_DAYS),
        stale: common.stale.clone(),
        as_of: common.as_of.clone(),
        superset_url: view.dashboard.clone().unwrap_or_default(),
    }
}

struct ListCard {
    summary: String,
    title: String,
    subtitle: String,
    notice: String,
    facts: Vec<Fact>,
    tables: Vec<TableBrief>,
    /// How many there are when more exist than listed.
    total: Option<i64>,
    /// The empty state: what is missing, what to try.
    empty: (String, String),
    /// Queries per table over the usage days, when the caller already read them.
    usage: Option<HashMap<(String, String), i64>>,
}

async fn list_card(
    store: &Store,
    view: &View,
    common: &Common,
    list: ListCard,
) -> Result<Reply, StoreError> {
    let (from, to) = usage_days(view);
    let names: Vec<(String, String)> = list
        .tables
        .iter()
        .take(MAX_ROWS)
        .map(|t| (t.database.clone(), t.name.clone()))
        .collect();
    let usage = match list.usage {
        Some(usage) => usage,
        None => store.queries_of_tables(&names, from, to).await?,
    };
    let shown = list.tables.len().min(MAX_ROWS);
    let listed: Vec<&TableBrief> = list.tables.iter().take(MAX_ROWS).collect();
    let verdicts = judgements(store, view, &listed).await?;
    let rows: Vec<CatalogRow> = list
        .tables
        .iter()
        .take(MAX_ROWS)
        .map(|t| {
            let mut about = t.table_format.clone();
            if let Some(n) = t.partition_count.filter(|n| *n > 0) {
                about.push_str(&format!(" · {}", t!("catalog-row-partitions", n = n)));
            }
            if let Some(d) = t.description.as_deref().filter(|d| !d.is_empty()) {
                about.push_str(&format!(" · {}", short(d, 60)));
            }
            let queries = usage
                .get(&(t.database.clone(), t.name.clone()))
                .copied()
                .unwrap_or(0);
            CatalogRow {
                name: full_name(t),
                about,
                fresh: freshness(
                    verdicts.get(&t.id).copied().unwrap_or(Judgement::Unwatched),
                    t.data_changed_at,
                    t.table_format == "view",
                    view.now,
                ),
                queries: kit::count(queries),
            }
        })
        .collect();
    let total = list.total.unwrap_or(list.tables.len() as i64);
    let more = if total > shown as i64 {
        t!("cards-and-more", n = total - shown as i64)
    } else {
        String::new()
    };
    Ok(show(&CatalogListCard {
        summary: list.summary,
        title: list.title,
        subtitle: list.subtitle,
        notice: list.notice,
        facts: list.facts,
        rows,
        more,
        empty: Empty::new(list.empty.0, list.empty.1),
        stale: common.stale.clone(),
        as_of: common.as_of.clone(),
        superset_url: view.dashboard.clone().unwrap_or_default(),
    }))
}

fn tables_count(n: i64) -> String {
    t!("catalog-tables", n = n)
}

/// `catalog db …`.
pub async fn database(store: &Store, view: &View, name: &str) -> Result<Reply, StoreError> {
    let common = common(store, view).await?;
    let mut found = store.databases_named(name).await?;
    let mut notice = String::new();
    if found.is_empty() {
        let mut close: Vec<(usize, String)> = store
            .databases_like(name)
            .await?
            .into_iter()
            .map(|d| (edit_distance(name, &d.name), d.name))
            .filter(|(d, n)| *d <= (name.chars().count() / 4).max(1) || n.contains(name))
            .collect();
        close.sort();
        close.dedup_by(|a, b| a.1 == b.1);
        if close.len() == 1 {
            notice = t!("catalog-only-close-database", name = name);
            found = store.databases_named(&close[0].1).await?;
        } else {
            let hint = if common.as_of.is_empty() {
                empty_catalog_hint()
            } else if close.is_empty() {
                t!("catalog-no-database-hint", name = name)
            } else {
                let names: Vec<String> = close
                    .iter()
                    .take(MAX_SUGGESTIONS)
                    .map(|(_, n)| t!("catalog-database-command", name = n))
                    .collect();
                t!("catalog-database-did-you-mean", names = names.join(", "))
            };
            let title = t!("catalog-no-database", name = name);
            return list_card(
                store,
                view,
                &common,
                ListCard {
                    summary: title.clone(),
                    title,
                    subtitle: String::new(),
                    notice: String::new(),
                    facts: Vec::new(),
                    tables: Vec::new(),
                    total: None,
                    empty: (t!("catalog-no-database-empty", name = name), hint),
                    usage: None,
                },
            )
            .await;
        }
    }
    let Some(first) = found.first() else {
        return Ok(super::help::internal());
    };
    let db_name = first.name.clone();
    let (tables, total) = store.database_tables(&db_name, MAX_ROWS as i64).await?;
    let stale = tables
        .iter()
        .filter(|t| {
            t.table_format != "view"
                && t.data_changed_at
                    .is_some_and(|at| view.now - at > Duration::days(STALE_DAYS))
        })
        .count();
    let mut facts = vec![Fact::new(t!("catalog-fact-tables"), kit::count(total))];
    if let Some(d) = first.description.as_deref().filter(|d| !d.is_empty()) {
        facts.push(Fact::new(t!("catalog-fact-about"), d));
    }
    if let Some(l) = first.location_uri.as_deref().filter(|l| !l.is_empty()) {
        facts.push(Fact::new(t!("catalog-fact-location"), l));
    }
    let places: Vec<String> = found
        .iter()
        .map(|d| format!("{} · {}", d.account, d.region))
        .collect();
    facts.push(Fact::new(t!("catalog-fact-account"), places.join(", ")));
    if total as usize <= MAX_ROWS && stale > 0 {
        facts.push(Fact::new(
            t!("catalog-fact-not-changed", days = STALE_DAYS),
            kit::count(stale as i64),
        ));
    }
    list_card(
        store,
        view,
        &common,
        ListCard {
            summary: t!(
                "catalog-database-summary",
                name = &db_name,
                tables = tables_count(total)
            ),
            title: t!("catalog-database-title", name = &db_name),
            subtitle: t!("catalog-database-subtitle", tables = tables_count(total)),
            notice,
            facts,
            tables,
            total: Some(total),
            empty: (
                t!("catalog-database-empty", name = &db_name),
                t!("catalog-database-empty-hint"),
            ),
            usage: None,
        },
    )
    .await
}

/// Tables found by words, best first, with their queries over the usage days.
struct Searched {
    /// The words searched for.
    words: Vec<String>,
    /// The tables, best first: name matches, then columns, then comments; most used first.
    tables: Vec<TableBrief>,
    /// Queries per table over the usage days.
    usage: HashMap<(String, String), i64>,
    /// Whether the words were too common to search every use of.
    truncated: bool,
}

/// The tables `text`'s words find, ranked.
async fn searched(store: &Store, view: &View, text: &str) -> Result<Searched, StoreError> {
    let words = crate::store::search_words(text);
    let search = store.search_tables(text).await?;
    let found = search.tables;
    let (from, to) = usage_days(view);
    let names: Vec<(String, String)> = found
        .iter()
        .map(|(t, _)| (t.database.clone(), t.name.clone()))
        .collect();
    let usage = store.queries_of_tables(&names, from, to).await?;
    let joined = words.join("_");
    let mut ranked: Vec<(i64, i64, TableBrief)> = found
        .into_iter()
        .map(|(t, score)| {
            let exact = if t.name == joined { 100 } else { 0 };
            let queries = usage
                .get(&(t.database.clone(), t.name.clone()))
                .copied()
                .unwrap_or(0);
            (score + exact, queries, t)
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then_with(|| full_name(&a.2).cmp(&full_name(&b.2)))
    });
    Ok(Searched {
        words,
        tables: ranked.into_iter().map(|(_, _, t)| t).collect(),
        usage,
        truncated: search.truncated,
    })
}

/// The list of what a search found, `notice` above it.
async fn search_card(
    store: &Store,
    view: &View,
    common: &Common,
    found: Searched,
    notice: String,
) -> Result<Reply, StoreError> {
    let count = found.tables.len();
    let shown_words = kit::echo(&found.words.join(" "));
    let hint = if common.as_of.is_empty() {
        empty_catalog_hint()
    } else {
        t!("catalog-search-hint")
    };
    let capped = if count >= 200 {
        "200+".to_owned()
    } else {
        count.to_string()
    };
    let mut notices = vec![notice];
    if found.truncated {
        notices.push(t!(
            "catalog-search-truncated",
            cap = crate::store::SEARCH_DRIVER_ROWS
        ));
    }
    list_card(
        store,
        view,
        common,
        ListCard {
            summary: t!(
                "catalog-search-summary",
                words = &shown_words,
                found = &capped
            ),
            title: t!("catalog-search-title", words = &shown_words),
            subtitle: t!("catalog-search-subtitle", found = &capped),
            notice: notices
                .into_iter()
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            facts: Vec::new(),
            tables: found.tables,
            total: None,
            empty: (t!("catalog-search-empty", words = &shown_words), hint),
            usage: Some(found.usage),
        },
    )
    .await
}

/// `catalog search …`.
pub async fn search(store: &Store, view: &View, text: &str) -> Result<Reply, StoreError> {
    let common = common(store, view).await?;
    if crate::store::search_words(text).is_empty() {
        return Ok(super::help::mistake(
            &t!("catalog-search-what-title"),
            &t!("catalog-search-what-message"),
            &t!("catalog-search-what-fix"),
            Vec::new(),
        ));
    }
    let found = searched(store, view, text).await?;
    search_card(store, view, &common, found, String::new()).await
}

impl FromArgs for TableName {
    fn from_args(args: RawArgs) -> Result<TableName, String> {
        parse_table(&first(args))
    }
}

/// A database name as typed, checked.
pub struct DatabaseName(String);

impl FromArgs for DatabaseName {
    fn from_args(args: RawArgs) -> Result<DatabaseName, String> {
        parse_database(&first(args)).map(DatabaseName)
    }
}

/// `catalog table <name>`.
pub struct Table;

impl Command for Table {
    type Args = TableName;

    async fn run(&self, cx: &Context<'_>, name: TableName) -> Result<Reply, StoreError> {
        let view = cx.chat.settings.view(Job::Catalog);
        table(&cx.chat.store, &view, &name).await
    }
}

/// `catalog db <name>`.
pub struct Database;

impl Command for Database {
    type Args = DatabaseName;

    async fn run(
        &self,
        cx: &Context<'_>,
        DatabaseName(name): DatabaseName,
    ) -> Result<Reply, StoreError> {
        let view = cx.chat.settings.view(Job::Catalog);
        database(&cx.chat.store, &view, &name).await
    }
}

/// `catalog search <words>`.
pub struct Search;

impl Command for Search {
    type Args = Words;

    async fn run(&self, cx: &Context<'_>, Words(words): Words) -> Result<Reply, StoreError> {
        let view = cx.chat.settings.view(Job::Catalog);
        search(&cx.chat.store, &view, &words).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_are_read_as_athena_writes_them() {
        let t = |d: Option<&str>, t: &str| TableName {
            database: d.map(str::to_owned),
            table: t.to_owned(),
        };
        let cases = [
            ("sales.orders", t(Some("sales"), "orders"), "db.table"),
            ("Orders", t(None, "orders"), "table alone, lower-cased"),
            ("`sales`.`orders`", t(Some("sales"), "orders"), "backticks"),
            (
                "\"sales\".\"orders\"",
                t(Some("sales"), "orders"),
                "double quotes",
            ),
            (
                "awsdatacatalog.sales.orders",
                t(Some("sales"), "orders"),
                "with the catalog",
            ),
            ("판매.주문", t(Some("판매"), "주문"), "Korean"),
        ];
        for (text, expected, case) in cases {
            assert_eq!(parse_table(text), Ok(expected), "{case}");
        }
        for bad in ["a.b.c.d", "sales.", "orders;drop", "a b"] {
            assert!(parse_table(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn the_badge_follows_the_alerts_verdict_not_the_age_alone() {
        let now = crate::clock::now();
        let day = std::time::Duration::from_secs(86_400);
        let late = Judgement::Late {
            expected: day,
            learned: false,
        };
        let on_time = Judgement::OnTime {
            expected: day * 60,
            learned: true,
        };
        let changed = Some(now - Duration::days(30));
        assert_eq!(
            freshness(late, changed, false, now).label,
            "stale · 30d ago"
        );
        assert_eq!(freshness(on_time, changed, false, now).color, "good");
        // 30 days without a change and no expectation: no verdict.
        let unwatched = freshness(Judgement::Unwatched, changed, false, now);
        assert_eq!(
            (unwatched.label.as_str(), unwatched.color.as_str()),
            ("changed · 30d ago", "default")
        );
        assert_eq!(freshness(late, None, false, now).label, "unknown");
        assert_eq!(freshness(late, changed, true, now).label, "view");
    }
}
