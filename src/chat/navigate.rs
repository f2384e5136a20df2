//! `navigate [word]`: the navigation document — which metric lives where. The operator's entries come from
//! `navigate.file` (read at start); Doberman adds its own tables and dashboards. Without a word: the index, by
//! group; with words: the entries that match, title and keyword hits ranked above description hits. Pure: no
//! store access.

use chrono::{DateTime, Utc};
use unicode_normalization::UnicodeNormalization;

use super::commands::{Command, Context, Words};
use super::help::show;
use super::{Reply, Settings};
use crate::cards::kit;
use crate::cards::views::{
    Empty, Line, NavigateButton, NavigateCard, NavigateEntry, NavigateGroup,
};
use crate::common::edit_distance;
use crate::config::navigate::{NavEntry, Place, PlaceKind};
use crate::store::StoreError;
use crate::t;

/// Entries the index shows per group; the rest are a `navigate <group>` away.
const PER_GROUP: usize = 6;
/// Matches a search shows.
const MATCHES: usize = 8;
/// Buttons under a card (Teams shows few).
const BUTTONS: usize = 3;
/// The group of Doberman's own entries.
pub const OWN_GROUP: &str = "Doberman";

/// The navigation document as loaded at start.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The operator's entries (`navigate.file`), in file order.
    pub entries: Vec<NavEntry>,
    /// The name of the file they came from.
    pub file: Option<String>,
    /// When the file was read.
    pub loaded_at: Option<DateTime<Utc>>,
    /// Doberman's MySQL database, to name its tables as Superset sees them (`doberman.fact_cost_daily`).
    pub database: Option<String>,
}

impl Document {
    /// The document of `config`, read at `now`.
    pub fn from_config(config: &crate::config::Config, now: DateTime<Utc>) -> Document {
        Document {
            entries: config.navigate.entries.clone(),
            // The name only: where the server keeps its files is nobody's business in chat.
            file: config.navigate.file.as_ref().map(|f| {
                f.file_name()
                    .unwrap_or(f.as_os_str())
                    .to_string_lossy()
                    .into_owned()
            }),
            loaded_at: config.navigate.file.as_ref().map(|_| now),
            database: config.database.url.mysql_database(),
        }
    }
}

fn place(kind: PlaceKind, label: impl Into<String>, url: Option<String>) -> Place {
    Place {
        kind,
        label: label.into(),
        url,
    }
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_owned()).collect()
}

/// Doberman's own entries: what it collects, the tables it keeps it in, its dashboards and commands.
pub fn own_entries(settings: &Settings) -> Vec<NavEntry> {
    let db = settings.navigate.database.as_deref();
    let table = |name: &str| {
        place(
            PlaceKind::Table,
            match db {
                Some(db) => format!("{db}.{name}"),
                None => name.to_owned(),
            },
            None,
        )
    };
    let dashboard = |slug: &str, label: String| {
        settings
            .dashboard(slug)
            .map(|url| place(PlaceKind::Dashboard, label, Some(url)))
    };
    let command = |name: String| place(PlaceKind::Command, name, None);
    // Keywords stay in both languages: people search in the words they think in, whatever the chat's language.
    let entry = |title: String,
                 description: String,
                 keywords: &[&str],
                 places: Vec<Option<Place>>| NavEntry {
        title,
        group: OWN_GROUP.to_owned(),
        description,
        owner: "Doberman".to_owned(),
        keywords: strings(keywords),
        places: places.into_iter().flatten().collect(),
    };
    vec![
        entry(
            t!("navigate-usage-title"),
            t!("navigate-usage-description"),
            &[
                "usage",
                "queries",
                "popular",
                "top tables",
                "scanned",
                "사용량",
                "인기",
                "쿼리",
            ],
            vec![
                dashboard("doberman-usage", t!("navigate-dashboard-usage")),
                Some(command(t!("navigate-command-top"))),
                Some(table("fact_table_usage_daily")),
            ],
        ),
        entry(
            t!("navigate-history-title"),
            t!("navigate-history-description"),
            &[
                "athena",
                "queries",
                "history",
                "sql",
                "workgroup",
                "쿼리",
                "이력",
            ],
            vec![
                dashboard("doberman-usage", t!("navigate-dashboard-usage")),
                Some(table("fact_athena_query")),
                Some(table("fact_athena_query_table")),
            ],
        ),
        entry(
            t!("navigate-cost-title"),
            t!("navigate-cost-description"),
            &[
                "cost", "spend", "billing", "CUR", "money", "비용", "요금", "청구",
            ],
            vec![
                dashboard("doberman-cost", t!("navigate-dashboard-cost")),
                Some(command(t!("navigate-command-cost"))),
                Some(table("fact_cost_daily")),
                Some(table("fact_cost_resource_daily")),
                Some(table("dim_account")),
            ],
        ),
        entry(
            t!("navigate-catalog-title"),
            t!("navigate-catalog-description"),
            &[
                "catalog",
                "glue",
                "schema",
                "columns",
                "metadata",
                "스키마",
                "컬럼",
                "메타데이터",
            ],
            vec![
                dashboard("doberman-catalog", t!("navigate-dashboard-catalog")),
                Some(command(t!("navigate-command-table"))),
                Some(command(t!("navigate-command-search"))),
                Some(table("dim_database")),
                Some(table("dim_table")),
                Some(table("dim_column")),
            ],
        ),
        entry(
            t!("navigate-freshness-title"),
            t!("navigate-freshness-description"),
            &[
                "freshness",
                "partitions",
                "growth",
                "stale",
                "신선도",
                "파티션",
                "증가",
            ],
            vec![
                dashboard("doberman-catalog", t!("navigate-dashboard-catalog")),
                Some(table("fact_table_snapshot_daily")),
            ],
        ),
        entry(
            t!("navigate-jobs-title"),
            t!("navigate-jobs-description"),
            &["status", "jobs", "collector", "health", "상태", "수집"],
            vec![
                dashboard("doberman-operations", t!("navigate-dashboard-operations")),
                Some(command(t!("navigate-command-status"))),
                Some(table("job_run")),
            ],
        ),
    ]
}

/// Lower case in NFC, so `Revenue`, `REVENUE` and Korean typed on any keyboard (or pasted from a file name in
/// decomposed form) compare equal.
fn fold(s: &str) -> String {
    s.nfc().collect::<String>().to_lowercase()
}

fn tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// An entry's text, folded once per search.
struct Haystack {
    title: String,
    title_tokens: Vec<String>,
    keywords: Vec<String>,
    group: String,
    places: Vec<String>,
    owner: String,
    description: String,
}

impl Haystack {
    fn of(entry: &NavEntry) -> Haystack {
        let title = fold(&entry.title);
        Haystack {
            title_tokens: tokens(&title).map(str::to_owned).collect(),
            title,
            keywords: entry.keywords.iter().map(|k| fold(k)).collect(),
            group: fold(&entry.group),
            places: entry
                .places
                .iter()
                .map(|p| fold(&format!("{} {}", p.label, p.url.as_deref().unwrap_or(""))))
                .collect(),
            owner: fold(&entry.owner),
            description: fold(&entry.description),
        }
    }

    /// How well one folded word matches: the title exactly (10), a keyword exactly (8), a word of the title (6), part of
    /// the title or a keyword (5), a keyword or title word inside the word — Korean with a particle, `매출은`
    /// (4), the group, a place or the owner (3), the description (1); 0 when nowhere.
    fn score(&self, word: &str) -> u32 {
        if self.title == word {
            return 10;
        }
        if self.keywords.iter().any(|k| k == word) {
            return 8;
        }
        if self.title_tokens.iter().any(|t| t == word) {
            return 6;
        }
        // One ASCII letter is in everything.
        if word.chars().count() < 2 && word.is_ascii() {
            return 0;
        }
        if self.title.contains(word) || self.keywords.iter().any(|k| k.contains(word)) {
            return 5;
        }
        if self
            .keywords
            .iter()
            .chain(&self.title_tokens)
            .any(|k| k.chars().count() >= 2 && word.contains(k.as_str()))
        {
            return 4;
        }
        if self.group.contains(word)
            || self.owner.contains(word)
            || self.places.iter().any(|p| p.contains(word))
        {
            return 3;
        }
        if self.description.contains(word) {
            return 1;
        }
        0
    }
}

/// Words of a question that say nothing about what is looked for (`where is revenue`, `매출 어디 있어`).
const FILLER: &[&str] = &[
    "where",
    "is",
    "are",
    "the",
    "a",
    "an",
    "of",
    "for",
    "do",
    "does",
    "i",
    "we",
    "find",
    "can",
    "to",
    "my",
    "our",
    "what",
    "which",
    "live",
    "lives",
    "어디",
    "어디에",
    "있어",
    "있어요",
    "있나요",
    "찾아줘",
];

/// The words of a query, folded, with surrounding punctuation (`비용?`, `"sales"`) and filler words removed
/// (unless nothing else is left).
fn query_words(query: &str) -> Vec<String> {
    let words: Vec<String> = query
        .split_whitespace()
        .map(|w| fold(w.trim_matches(|c: char| !c.is_alphanumeric())))
        .filter(|w| !w.is_empty())
        .collect();
    let meaningful: Vec<String> = words
        .iter()
        .filter(|w| !FILLER.contains(&w.as_str()))
        .cloned()
        .collect();
    if meaningful.is_empty() {
        words
    } else {
        meaningful
    }
}

/// The entries matching `query`, best first: those matching every word when there are any (then `true`),
/// otherwise those matching some.
pub fn search<'a>(entries: &'a [NavEntry], query: &str) -> (Vec<&'a NavEntry>, bool) {
    let words = query_words(query);
    let mut scored: Vec<(usize, u32, usize, &NavEntry)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            let hay = Haystack::of(entry);
            let scores: Vec<u32> = words.iter().map(|w| hay.score(w)).collect();
            let matched = scores.iter().filter(|s| **s > 0).count();
            (matched > 0).then(|| (matched, scores.iter().sum(), i, entry))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let every = scored.first().is_some_and(|s| s.0 == words.len());
    if every {
        scored.retain(|s| s.0 == words.len());
    }
    (scored.into_iter().map(|s| s.3).collect(), every)
}

/// Known words close to the query's words (typos), for "did you mean".
fn close_words(entries: &[NavEntry], query: &str) -> Vec<String> {
    let mut vocabulary: Vec<(String, String)> = Vec::new();
    for entry in entries {
        let mut shown: Vec<String> = entry.keywords.clone();
        shown.extend(tokens(&entry.title).map(|t| t.to_owned()));
        shown.push(entry.group.clone());
        for word in shown {
            let folded = fold(&word);
            if folded.chars().count() >= 2 && !vocabulary.iter().any(|(f, _)| *f == folded) {
                vocabulary.push((folded, word));
            }
        }
    }
    let mut close: Vec<(usize, String)> = Vec::new();
    for word in query_words(query) {
        let n = word.chars().count();
        let allowed = if n <= 4 { 1 } else { 2 };
        for (folded, shown) in &vocabulary {
            let d = edit_distance(&word, folded);
            if d <= allowed && d < n && !close.iter().any(|(_, s)| s == shown) {
                close.push((d, shown.clone()));
            }
        }
    }
    close.sort_by_key(|(d, _)| *d);
    close.into_iter().take(3).map(|(_, s)| s).collect()
}

/// `[label](url)` that survives brackets in the label and parentheses in the URL.
fn link(label: &str, url: &str) -> String {
    let label = label.replace('[', "(").replace(']', ")");
    let url = url.replace('(', "%28").replace(')', "%29");
    format!("[{label}]({url})")
}

fn place_text(p: &Place) -> String {
    let shown = match &p.url {
        Some(url) => link(&p.label, url),
        None => p.label.clone(),
    };
    match p.kind {
        PlaceKind::Dashboard => format!("📊 {shown}"),
        PlaceKind::Table => format!("🗄️ {shown}"),
        PlaceKind::Channel => format!("💬 {shown}"),
        PlaceKind::Command => t!("navigate-ask-me", command = shown),
        PlaceKind::Link => format!("🔗 {shown}"),
    }
}

/// An entry for the card: in the index (`found` false) compact, its places on one line and no description; in
/// search results whole, with its group.
fn entry_view(entry: &NavEntry, found: bool) -> NavigateEntry {
    let mut meta = Vec::new();
    if found {
        meta.push(entry.group.clone());
    }
    if !entry.owner.is_empty() {
        meta.push(t!("navigate-owner", owner = &entry.owner));
    }
    let places: Vec<String> = entry.places.iter().map(place_text).collect();
    let places = if found {
        places
    } else {
        vec![places.join(" · ")]
    };
    NavigateEntry {
        title: entry.title.clone(),
        description: if found {
            entry.description.clone()
        } else {
            String::new()
        },
        places: places.into_iter().map(Line::new).collect(),
        meta: meta.join(" · "),
    }
}

fn entries_count(n: usize) -> String {
    t!("navigate-entries", n = n)
}

/// The answer to `navigate` (empty `query`: the index) at `now`.
pub fn answer(settings: &Settings, query: &str, now: DateTime<Utc>) -> Reply {
    let doc = &settings.navigate;
    let mut entries = doc.entries.clone();
    entries.extend(own_entries(settings));
    let as_of = format!(
        "{} · {}",
        kit::when(
            doc.loaded_at.or(settings.started_at).unwrap_or(now),
            now,
            settings.timezone
        ),
        doc.file.clone().unwrap_or_else(|| t!("navigate-own-only"))
    );
    let note = if doc.entries.is_empty() {
        t!("navigate-no-file")
    } else {
        String::new()
    };
    let query = query.trim();
    if query_words(query).is_empty() {
        index(settings, &entries, as_of, &note)
    } else {
        found(&entries, query, as_of, &note)
    }
}

fn index(settings: &Settings, entries: &[NavEntry], as_of: String, note: &str) -> Reply {
    let mut groups: Vec<(&str, Vec<&NavEntry>)> = Vec::new();
    for entry in entries {
        match groups.iter_mut().find(|(name, _)| *name == entry.group) {
            Some((_, members)) => members.push(entry),
            None => groups.push((&entry.group, vec![entry])),
        }
    }
    let names: Vec<&str> = groups.iter().map(|(name, _)| *name).collect();
    let shown: Vec<NavigateGroup> = groups
        .iter()
        .map(|(name, members)| {
            let more = if members.len() > PER_GROUP {
                t!(
                    "navigate-group-more",
                    n = members.len() - PER_GROUP,
                    group = *name,
                    word = name.to_lowercase()
                )
            } else {
                String::new()
            };
            NavigateGroup {
                name: (*name).to_owned(),
                entries: members
                    .iter()
                    .take(PER_GROUP)
                    .map(|e| entry_view(e, false))
                    .collect(),
                more,
            }
        })
        .collect();
    let buttons: Vec<NavigateButton> = settings
        .superset_url
        .iter()
        .map(|u| NavigateButton {
            title: t!("navigate-open-superset"),
            url: u.as_str().to_owned(),
        })
        .collect();
    show(&NavigateCard {
        summary: t!(
            "navigate-index-summary",
            entries = entries_count(entries.len()),
            groups = t!("navigate-groups", n = groups.len()),
            names = names.join(", ")
        ),
        title: t!("navigate-index-title"),
        subtitle: t!(
            "navigate-index-subtitle",
            entries = entries_count(entries.len())
        ),
        groups: shown,
        empty: Empty::default(),
        note: note.to_owned(),
        as_of,
        buttons,
    })
}

fn found(entries: &[NavEntry], query: &str, as_of: String, note: &str) -> Reply {
    let (matches, every) = search(entries, query);
    // What the person typed, as it is repeated on the card: bounded, never markup.
    let shown = crate::cards::kit::echo(query);
    let title = t!("navigate-title", words = &shown);
    if matches.is_empty() {
        let close = close_words(entries, query);
        let mut groups: Vec<&str> = Vec::new();
        for entry in entries {
            if !groups.contains(&entry.group.as_str()) {
                groups.push(&entry.group);
            }
        }
        let mut hint = Vec::new();
        if !close.is_empty() {
            hint.push(t!("navigate-did-you-mean", words = close.join(", ")));
        }
        hint.push(t!("navigate-try", groups = groups.join(", ")));
        return show(&NavigateCard {
            summary: t!("navigate-none-summary", words = &shown),
            title,
            subtitle: String::new(),
            groups: Vec::new(),
            empty: Empty::new(t!("navigate-none", words = &shown), hint.join(" ")),
            note: note.to_owned(),
            as_of,
            buttons: Vec::new(),
        });
    }
    let more = if matches.len() > MATCHES {
        t!("navigate-more", n = matches.len() - MATCHES, words = &shown)
    } else {
        String::new()
    };
    let buttons: Vec<NavigateButton> = matches[0]
        .places
        .iter()
        .filter_map(|p| {
            p.url.as_ref().map(|url| {
                let label: String = p.label.chars().take(40).collect();
                NavigateButton {
                    title: t!("navigate-open", label = label),
                    url: url.clone(),
                }
            })
        })
        .take(BUTTONS)
        .collect();
    let subtitle = if every && matches.len() == 1 {
        t!("navigate-one-match")
    } else if every {
        t!("navigate-matches", n = matches.len())
    } else {
        t!(
            "navigate-some-match",
            entries = entries_count(matches.len())
        )
    };
    show(&NavigateCard {
        summary: t!(
            "navigate-found-summary",
            n = matches.len(),
            words = &shown,
            title = &matches[0].title
        ),
        title,
        subtitle,
        groups: vec![NavigateGroup {
            name: String::new(),
            entries: matches
                .iter()
                .take(MATCHES)
                .map(|e| entry_view(e, true))
                .collect(),
            more,
        }],
        empty: Empty::default(),
        note: String::new(),
        as_of,
        buttons,
    })
}

/// `navigate [word]`.
pub struct Navigate;

impl Command for Navigate {
    type Args = Words;

    async fn run(&self, cx: &Context<'_>, Words(words): Words) -> Result<Reply, StoreError> {
        Ok(answer(&cx.chat.settings, &words, crate::store::now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn entry(title: &str, group: &str, keywords: &[&str], description: &str) -> NavEntry {
        NavEntry {
            title: title.to_owned(),
            group: group.to_owned(),
            description: description.to_owned(),
            owner: "데이터분석팀".to_owned(),
            keywords: strings(keywords),
            places: vec![place(
                PlaceKind::Table,
                format!("mart.{}", title.to_lowercase().replace(' ', "_")),
                None,
            )],
        }
    }

    fn entries() -> Vec<NavEntry> {
        vec![
            entry(
                "Campaign performance",
                "Marketing",
                &["ROAS", "광고"],
                "Spend and revenue attributed to each campaign.",
            ),
            entry(
                "Daily sales (일 매출)",
                "Sales",
                &["revenue", "매출"],
                "Net sales per day.",
            ),
            entry(
                "Inventory",
                "Supply chain",
                &["재고", "stock"],
                "On-hand stock.",
            ),
            entry("Revenue", "Finance", &[], "Booked revenue per month."),
        ]
    }

    fn titles(found: &[&NavEntry]) -> Vec<String> {
        found.iter().map(|e| e.title.clone()).collect()
    }

    /// Each way of asking, with the titles expected in order.
    #[test]
    fn words_find_entries_best_first() {
        let all = entries();
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "an exact title beats a keyword, which beats a description",
                "revenue",
                &["Revenue", "Daily sales (일 매출)", "Campaign performance"],
            ),
            (
                "case does not matter",
                "REVENUE",
                &["Revenue", "Daily sales (일 매출)", "Campaign performance"],
            ),
            ("a Korean keyword", "재고", &["Inventory"]),
            (
                "a Korean word in the title",
                "매출",
                &["Daily sales (일 매출)"],
            ),
            (
                "a Korean word with a particle",
                "매출은",
                &["Daily sales (일 매출)"],
            ),
            (
                "surrounding punctuation is ignored",
                "재고?",
                &["Inventory"],
            ),
            (
                "Korean typed in decomposed form (NFD)",
                "\u{110c}\u{1162}\u{1100}\u{1169}",
                &["Inventory"],
            ),
            ("part of a keyword", "roa", &["Campaign performance"]),
            ("the group", "supply", &["Inventory"]),
            ("a place", "mart.inventory", &["Inventory"]),
            (
                "the owner",
                "데이터분석팀",
                &[
                    "Campaign performance",
                    "Daily sales (일 매출)",
                    "Inventory",
                    "Revenue",
                ],
            ),
            (
                "every word must match when some entry does",
                "daily revenue",
                &["Daily sales (일 매출)"],
            ),
            ("filler words are dropped", "where is 재고", &["Inventory"]),
            ("one ASCII letter only matches a whole word", "x", &[]),
            ("nothing", "nonexistent-word", &[]),
        ];
        for (case, query, expected) in cases {
            let (found, _) = search(&all, query);

            assert_eq!(titles(&found), *expected, "{case}: `{query}`");
        }
    }

    #[test]
    fn without_an_entry_matching_every_word_the_closest_come_first() {
        let all = entries();

        let (found, every) = search(&all, "재고 revenue");

        assert!(!every);
        assert_eq!(found.len(), 4, "{:?}", titles(&found));
        assert_eq!(found[0].title, "Revenue");
    }

    #[test]
    fn typos_get_close_known_words() {
        let all = entries();

        assert_eq!(close_words(&all, "revnue"), ["revenue"]);
        assert_eq!(close_words(&all, "재구"), ["재고"]);
        assert!(close_words(&all, "zzzzzzzz").is_empty());
    }

    #[test]
    fn links_survive_brackets_and_parentheses() {
        assert_eq!(
            link("Sales [KR]", "https://h/a_(b)"),
            "[Sales (KR)](https://h/a_%28b%29)"
        );
    }

    fn settings(entries: Vec<NavEntry>, superset: bool) -> Settings {
        Settings {
            superset_url: superset
                .then(|| url::Url::parse("https://superset.example.com/").expect("url")),
            navigate: Document {
                entries,
                file: Some("navigate.toml".to_owned()),
                loaded_at: Some(crate::clock::now()),
                database: Some("doberman".to_owned()),
            },
            ..Settings::default()
        }
    }

    fn shown(reply: Reply) -> (String, Value) {
        match reply {
            Reply::Card(card) => {
                assert_eq!(kit::problems(&card), Vec::<String>::new());
                (kit::to_text(&card), card)
            }
            Reply::Text(text) => panic!("expected a card, got {text}"),
        }
    }

    #[test]
    fn doberman_adds_its_own_tables_and_dashboards() {
        let with = own_entries(&settings(Vec::new(), true));
        let without = own_entries(&settings(Vec::new(), false));

        let cost = with
            .iter()
            .find(|e| e.keywords.contains(&"비용".to_owned()))
            .expect("cost");
        assert!(cost.places.iter().any(|p| p.url.as_deref()
            == Some("https://superset.example.com/superset/dashboard/doberman-cost/")));
        assert!(
            cost.places
                .iter()
                .any(|p| p.label == "doberman.fact_cost_daily")
        );
        assert!(
            without
                .iter()
                .flat_map(|e| &e.places)
                .all(|p| p.url.is_none()),
            "no Superset, no dashboards"
        );
        for table in [
            "fact_table_usage_daily",
            "fact_athena_query",
            "dim_table",
            "dim_column",
            "fact_table_snapshot_daily",
        ] {
            assert!(
                with.iter()
                    .flat_map(|e| &e.places)
                    .any(|p| p.label == format!("doberman.{table}")),
                "{table}"
            );
        }
    }

    #[test]
    fn the_index_groups_entries_caps_each_group_and_says_as_of_when() {
        let mut all = entries();
        for n in 0..PER_GROUP + 2 {
            all.push(entry(&format!("Sales report {n}"), "Sales", &[], ""));
        }

        let (text, card) = shown(answer(&settings(all, true), "", crate::clock::now()));

        assert!(text.contains("Where things live"), "{text}");
        assert!(
            text.contains("\nMarketing\nCampaign performance\n"),
            "{text}"
        );
        assert!(
            text.contains("…and 3 more in Sales: try navigate sales"),
            "{text}"
        );
        assert!(
            text.contains("\nDoberman\n"),
            "Doberman's own group: {text}"
        );
        assert!(text.contains("🗄️ mart.inventory"), "{text}");
        assert!(
            text.contains("data as of ") && text.contains("navigate.toml"),
            "{text}"
        );
        assert_eq!(card["actions"][0]["url"], "https://superset.example.com/");
    }

    #[test]
    fn a_search_shows_matches_with_their_group_and_buttons_to_the_best() {
        let (text, card) = shown(answer(
            &settings(entries(), true),
            "비용",
            crate::clock::now(),
        ));

        assert!(text.contains("Navigate: 비용"), "{text}");
        assert!(text.contains("AWS cost (AWS 비용)"), "{text}");
        assert!(text.contains("Doberman · owner: Doberman"), "{text}");
        assert_eq!(card["actions"][0]["title"], "Open Doberman cost");
    }

    #[test]
    fn nothing_found_says_so_and_what_to_try() {
        let (text, card) = shown(answer(
            &settings(entries(), false),
            "revnue",
            crate::clock::now(),
        ));

        assert!(text.contains("Nothing matches “revnue”"), "{text}");
        assert!(text.contains("Did you mean revenue?"), "{text}");
        assert!(
            text.contains("Marketing, Sales"),
            "the groups to try: {text}"
        );
        assert_eq!(card["actions"], json!([]));
    }

    #[test]
    fn without_a_file_the_index_says_how_to_add_one() {
        let (text, _) = shown(answer(&Settings::default(), "", crate::clock::now()));

        assert!(text.contains("set navigate.file"), "{text}");
        assert!(text.contains("Doberman's own entries only"), "{text}");
    }

    #[test]
    fn a_huge_document_still_fits_in_a_card() {
        let all: Vec<NavEntry> = (0..2000)
            .map(|n| {
                entry(
                    &format!("Report {n} 보고서"),
                    &format!("Group {}", n % 200),
                    &["매출"],
                    &"긴 설명 ".repeat(40),
                )
            })
            .collect();

        for query in ["", "매출"] {
            let Reply::Card(card) =
                answer(&settings(all.clone(), true), query, crate::clock::now())
            else {
                panic!("a card");
            };
            assert!(
                serde_json::to_vec(&card).expect("json").len() <= kit::MAX_CARD_BYTES,
                "`{query}`"
            );
        }
    }
}
