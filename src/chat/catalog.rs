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
            return Err(format!(
                "{} is not a table name; write db.table, e.g. catalog table sales.orders",
                kit::quote(text)
            ));
        }
    };
    if !valid_identifier(table) || database.is_some_and(|d| !valid_identifier(d)) {
        return Err(format!(
            "{} is not a table name: names have letters, digits, _ and -; e.g. catalog table sales.orders",
            kit::quote(text)
        ));
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
        Err(format!(
            "{} is not a database name: names have letters, digits, _ and -; e.g. catalog db sales",
            kit::quote(text)
        ))
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
        return Badge::new("view", "default");
    }
    let Some(at) = changed else {
        return Badge::new("unknown", "default");
    };
    let (color, word) = match judgement {
        Judgement::OnTime { .. } => ("good", "fresh"),
        Judgement::Late { .. } => ("attention", "stale"),
        // No expectation, no verdict: the freshness alerts would not call it stale either.
        Judgement::Unwatched => ("default", "changed"),
    };
    Badge::new(format!("{word} · {}", kit::ago(at, now)), color)
}

/// What a card says of a table's expected interval.
fn expectation(judgement: Judgement) -> String {
    match judgement {
        Judgement::OnTime { expected, learned } | Judgement::Late { expected, learned } => format!(
            "every {} ({})",
            rules::span(expected),
            if learned {
                "learned from its changes"
            } else {
                "alerts.freshness"
            }
        ),
        Judgement::Unwatched => {
            "not watched: no alerts.freshness rule names it, and it changed too seldom to learn from".to_owned()
        }
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
        (Some(p), Some(at)) if view.now - at > p * 2 => format!(
            "The catalog collector last succeeded {}; the catalog may be behind.",
            kit::ago(at, view.now)
        ),
        _ => String::new(),
    };
    Ok(Common {
        as_of: collected
            .map(|at| kit::when(at, view.now, view.timezone))
            .unwrap_or_default(),
        stale,
    })
}

fn empty_catalog_hint() -> &'static str {
    "The catalog is empty: the catalog collector fills it (doberman jobs, doberman collect catalog), or try the demo data (doberman demo)."
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
        let notice = format!("{} is also in {}.", full_name(first), others.join(", "));
        return table_card(store, view, first, &notice).await;
    }
    let common = common(store, view).await?;
    if exact.len() > 1 {
        return list_card(
            store,
            view,
            &common,
            ListCard {
                summary: format!("{} tables are called {}", exact.len(), name.shown()),
                title: format!("{} tables are called {}", exact.len(), name.shown()),
                subtitle: "in several databases, accounts or regions".to_owned(),
                notice: "Ask for one as catalog table <db.table>.".to_owned(),
                facts: Vec::new(),
                tables: exact,
                total: None,
                empty: ("".to_owned(), "".to_owned()),
                usage: None,
            },
        )
        .await;
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
        let notice = format!("There is no table {typed}; this is the only close match.");
        return table_card(store, view, &matches[0], &notice).await;
    }
    let hint = if common.as_of.is_empty() {
        empty_catalog_hint().to_owned()
    } else {
        format!(
            "Check the spelling, list a database with catalog db <name>, or search words with catalog search {}.",
            name.table
        )
    };
    list_card(
        store,
        view,
        &common,
        ListCard {
            summary: format!("There is no table {typed}"),
            title: format!("There is no table {typed}"),
            subtitle: if matches.is_empty() {
                String::new()
            } else {
                "Did you mean one of these?".to_owned()
            },
            notice: String::new(),
            facts: Vec::new(),
            tables: matches,
            total: None,
            empty: (
                format!("No table is called {typed} or anything close"),
                hint,
            ),
            usage: None,
        },
    )
    .await
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
            "That table just went away",
            &format!("{} was dropped a moment ago.", full_name(brief)),
            "Ask again to see what is there now.",
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
    let kind = if is_view { "view" } else { "table" };
    let mut facts = Vec::new();
    let mut fact = |title: &str, value: String| {
        if !value.is_empty() {
            facts.push(Fact::new(title, value));
        }
    };
    fact("Location", info.location.clone().unwrap_or_default());
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
    fact("Format", format);
    if !is_view {
        fact("Expected to change", expectation(judgement));
    }
    let keys: Vec<&str> = columns
        .iter()
        .filter(|c| c.is_partition_key)
        .map(|c| c.name.as_str())
        .collect();
    let partitions = match (t.partition_count, keys.is_empty()) {
        (_, true) => String::new(),
        (Some(n), false) => format!("{} by {}", kit::count(n), keys.join(", ")),
        (None, false) => format!("not counted yet, by {}", keys.join(", ")),
    };
    fact("Partitions", partitions);
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
            "Newest partition",
            format!(
                "{} · {}",
                pairs.join("/"),
                kit::when(at, view.now, view.timezone)
            ),
        );
    }
    if !is_view {
        fact(
            "Data changed",
            t.data_changed_at
                .map(|at| kit::when(at, view.now, view.timezone))
                .unwrap_or_else(|| "unknown".to_owned()),
        );
    }
    if let Some(rows) = info.record_count.filter(|n| *n > 0) {
        fact("Rows", kit::count(rows));
    }
    if let Some(size) = info.size_bytes.filter(|n| *n > 0) {
        fact("Size", kit::bytes(u64::try_from(size).unwrap_or(0)));
    }
    fact("Owner", info.owner.clone().unwrap_or_default());
    fact("Account", format!("{} · {}", t.account, t.region));
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
        format!("…and {} more columns", columns.len() - MAX_COLUMNS)
    } else {
        String::new()
    };
    let total: i64 = readers.iter().map(|r| r.queries).sum();
    let readers_shown: Vec<CatalogReader> = readers
        .iter()
        .map(|r| CatalogReader {
            name: format!("{} · {}", r.work_group, r.account),
            queries: kit::plural(r.queries, "query", "queries"),
        })
        .collect();
    let name = full_name(t);
    // "iceberg table", "hive table"; a view is just a "view".
    let what = if t.table_format == kind {
        kind.to_owned()
    } else {
        format!("{} {kind}", t.table_format)
    };
    let column_count = kit::plural(columns.len() as i64, "column", "columns");
    let summary = format!("{name}: {what}, {column_count}, data {}", badge.label);
    CatalogTableCard {
        summary,
        title: name,
        subtitle: format!("{what} · {column_count}"),
        badge,
        notice: notice.to_owned(),
        description: t.description.clone().unwrap_or_default(),
        facts,
        columns_title: format!("Columns ({})", columns.len()),
        columns: shown,
        columns_more,
        readers_title: if total > 0 {
            format!(
                "Read most by · {} in {USAGE_DAYS} days",
                kit::plural(total, "query", "queries")
            )
        } else {
            format!("Read most by · last {USAGE_DAYS} days")
        },
        readers: readers_shown,
        readers_empty: format!("No Athena query used it in the last {USAGE_DAYS} days."),
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
                about.push_str(&format!(" · {} partitions", kit::count(n)));
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
        format!("…and {} more", kit::count(total - shown as i64))
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
    format!("{} table{}", kit::count(n), if n == 1 { "" } else { "s" })
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
            notice = format!("There is no database {name}; this is the only close match.");
            found = store.databases_named(&close[0].1).await?;
        } else {
            let hint = if common.as_of.is_empty() {
                empty_catalog_hint().to_owned()
            } else if close.is_empty() {
                format!("Check the spelling, or find tables by a word with catalog search {name}.")
            } else {
                let names: Vec<String> = close
                    .iter()
                    .take(MAX_SUGGESTIONS)
                    .map(|(_, n)| format!("catalog db {n}"))
                    .collect();
                format!("Did you mean: {}?", names.join(", "))
            };
            return list_card(
                store,
                view,
                &common,
                ListCard {
                    summary: format!("There is no database {name}"),
                    title: format!("There is no database {name}"),
                    subtitle: String::new(),
                    notice: String::new(),
                    facts: Vec::new(),
                    tables: Vec::new(),
                    total: None,
                    empty: (format!("No database is called {name}"), hint),
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
                    .is_some_and(|at| view.now - at > Duration::days(7))
        })
        .count();
    let mut facts = vec![Fact::new("Tables", kit::count(total))];
    if let Some(d) = first.description.as_deref().filter(|d| !d.is_empty()) {
        facts.push(Fact::new("About", d));
    }
    if let Some(l) = first.location_uri.as_deref().filter(|l| !l.is_empty()) {
        facts.push(Fact::new("Location", l));
    }
    let places: Vec<String> = found
        .iter()
        .map(|d| format!("{} · {}", d.account, d.region))
        .collect();
    facts.push(Fact::new("Account", places.join(", ")));
    if total as usize <= MAX_ROWS && stale > 0 {
        facts.push(Fact::new("Not changed in 7 days", kit::count(stale as i64)));
    }
    list_card(
        store,
        view,
        &common,
        ListCard {
            summary: format!("Database {db_name}: {}", tables_count(total)),
            title: format!("Database {db_name}"),
            subtitle: format!("{}, by name", tables_count(total)),
            notice,
            facts,
            tables,
            total: Some(total),
            empty: (
                format!("{db_name} has no tables"),
                "Tables appear after the next catalog run if they were created since.".to_owned(),
            ),
            usage: None,
        },
    )
    .await
}

/// `catalog search …`.
pub async fn search(store: &Store, view: &View, text: &str) -> Result<Reply, StoreError> {
    let common = common(store, view).await?;
    let words = crate::store::search_words(text);
    if words.is_empty() {
        return Ok(super::help::mistake(
            "Search for what?",
            "Give a word of a table or column name or comment.",
            "For example: catalog search customer, or catalog search 주문.",
            Vec::new(),
        ));
    }
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
    let count = ranked.len();
    let tables: Vec<TableBrief> = ranked.into_iter().map(|(_, _, t)| t).collect();
    let shown_words = kit::echo(&words.join(" "));
    let hint = if common.as_of.is_empty() {
        empty_catalog_hint().to_owned()
    } else {
        "Search finds tables whose names, column names or comments have words starting with each word you give; \
         try fewer or shorter words, or list a database with catalog db <name>."
            .to_owned()
    };
    let capped = if count >= 200 {
        "200+".to_owned()
    } else {
        count.to_string()
    };
    list_card(
        store,
        view,
        &common,
        ListCard {
            summary: format!("Catalog search “{shown_words}”: {capped} found"),
            title: format!("Tables matching “{shown_words}”"),
            subtitle: format!(
                "{capped} found · names first, then columns, then comments; most used first"
            ),
            notice: if search.truncated {
                let cap = kit::count(crate::store::SEARCH_DRIVER_ROWS);
                format!(
                    "Every word here is in more than {cap} places: these are the best of its first {cap} uses. \
                     Add a word, or a rarer one, to search them all."
                )
            } else {
                String::new()
            },
            facts: Vec::new(),
            tables,
            total: None,
            empty: (format!("Nothing matches “{shown_words}”"), hint),
            usage: Some(usage),
        },
    )
    .await
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
