//! The navigation document (`navigate.file`): which metric lives where. A TOML file of `[[entry]]` tables, read
//! and checked when the configuration loads, so a mistake in it stops `serve` and shows in `check-config`
//! instead of surfacing while someone asks.

use std::collections::BTreeSet;
use std::path::Path;

/// The group of entries that name none.
pub const DEFAULT_GROUP: &str = "Other";

/// What kind of place a [`Place`] is; it decides the icon a card shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// A dashboard (Superset, usually).
    Dashboard,
    /// A table people query (`db.table`).
    Table,
    /// A Teams channel or chat where it is discussed.
    Channel,
    /// A chat command that answers it.
    Command,
    /// Anything else with a URL: a wiki page, a notebook, a runbook.
    Link,
}

/// One place where an entry lives.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// What kind of place.
    pub kind: PlaceKind,
    /// What people see: a dashboard's name, `db.table`, `#channel`.
    pub label: String,
    /// Where a click goes (http or https), if anywhere.
    #[serde(default)]
    pub url: Option<String>,
}

/// One entry of the navigation document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NavEntry {
    /// What it is, as people call it: "Daily sales (일 매출)".
    pub title: String,
    /// The index's section; [`DEFAULT_GROUP`] when not given.
    #[serde(default = "default_group")]
    pub group: String,
    /// What it measures and how.
    #[serde(default)]
    pub description: String,
    /// Who to ask: a team or a person.
    #[serde(default)]
    pub owner: String,
    /// Other words people use for it (synonyms, Korean names, abbreviations).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Where it lives, at least one place.
    #[serde(rename = "where")]
    pub places: Vec<Place>,
}

pub(super) fn default_group() -> String {
    DEFAULT_GROUP.to_owned()
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NavigateFile {
    #[serde(default)]
    entry: Vec<NavEntry>,
}

/// Reads and checks the navigation document at `path` (relative to the working directory). The error says what
/// is wrong and where, without the path (the caller names the file).
pub fn load(path: &Path) -> Result<Vec<NavEntry>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
    parse(&text)
}

/// Parses and checks a navigation document.
pub fn parse(text: &str) -> Result<Vec<NavEntry>, String> {
    let file: NavigateFile = toml::from_str(text).map_err(|e| {
        let at = e
            .span()
            .map(|span| {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("line {line}: ")
            })
            .unwrap_or_default();
        format!("{at}{}", e.message().trim())
    })?;
    let mut entries = file.entry;
    let mut titles = BTreeSet::new();
    for (i, entry) in entries.iter_mut().enumerate() {
        let which = format!("entry {} (`{}`)", i + 1, entry.title.trim());
        trim(&mut entry.title);
        trim(&mut entry.group);
        trim(&mut entry.description);
        trim(&mut entry.owner);
        if entry.title.is_empty() {
            return Err(format!("entry {}: the title is empty", i + 1));
        }
        if !titles.insert(entry.title.to_lowercase()) {
            return Err(format!("{which}: another entry has the same title"));
        }
        if entry.group.is_empty() {
            entry.group = default_group();
        }
        entry.keywords.iter_mut().for_each(trim);
        entry.keywords.retain(|k| !k.is_empty());
        if entry.places.is_empty() {
            return Err(format!(
                "{which}: `where` is empty; name at least one dashboard, table, channel, command or link"
            ));
        }
        for place in &mut entry.places {
            trim(&mut place.label);
            if place.label.is_empty() {
                return Err(format!("{which}: a place in `where` has an empty label"));
            }
            if let Some(url) = place.url.as_mut() {
                trim(url);
                if url.is_empty() {
                    place.url = None;
                    continue;
                }
                match url::Url::parse(url) {
                    Ok(parsed)
                        if matches!(parsed.scheme(), "http" | "https")
                            && parsed.host().is_some() =>
                    {
                        *url = parsed.to_string();
                    }
                    _ => {
                        return Err(format!(
                            "{which}: the url `{url}` of `{}` is not an http:// or https:// URL",
                            place.label
                        ));
                    }
                }
            } else if place.kind == PlaceKind::Link {
                return Err(format!("{which}: the link `{}` needs a url", place.label));
            }
        }
    }
    Ok(entries)
}

pub(super) fn trim(s: &mut String) {
    let trimmed = s.trim();
    if trimmed.len() != s.len() {
        *s = trimmed.to_owned();
    }
}

/// `[navigate]` settings: the navigation document `navigate [word]` answers from.
#[derive(Debug, Clone, Default)]
pub struct NavigateConfig {
    /// `navigate.file`: a TOML file of `[[entry]]` tables (see `navigate.example.toml`), relative to the working
    /// directory; read and checked at load. Empty: only Doberman's own tables and dashboards.
    pub file: Option<std::path::PathBuf>,
    /// The file's entries, in file order.
    pub entries: Vec<NavEntry>,
}

pub(super) fn load_navigate(l: &mut super::Loader) -> NavigateConfig {
    let file: Option<String> = l.get("navigate.file", None, |_| Ok(()));
    let Some(file) = file.map(std::path::PathBuf::from) else {
        return NavigateConfig::default();
    };
    match load(&file) {
        Ok(entries) => NavigateConfig {
            file: Some(file),
            entries,
        },
        Err(problem) => {
            l.problem("navigate.file", format!("{}: {problem}", file.display()));
            NavigateConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r##"
[[entry]]
title = "일 매출 (Daily sales) 🐕"
group = "Sales"
description = "Orders net of returns, per day and store."
owner = "매출분석팀"
keywords = ["revenue", " 매출 ", ""]
where = [
  { kind = "dashboard", label = "Sales overview", url = "https://superset.example.com/superset/dashboard/sales/" },
  { kind = "table", label = "mart.fact_sales_daily" },
]

[[entry]]
title = "Campaigns"
where = [{ kind = "channel", label = "#marketing-data" }]
"##;

    #[test]
    fn a_good_file_reads_with_defaults_and_korean_intact() {
        let entries = parse(GOOD).expect("valid");

        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].title, "일 매출 (Daily sales) 🐕");
        assert_eq!(
            entries[0].keywords,
            ["revenue", "매출"],
            "trimmed, blanks dropped"
        );
        assert_eq!(entries[0].places[1].kind, PlaceKind::Table);
        assert_eq!(entries[0].places[1].url, None);
        assert_eq!(entries[1].group, DEFAULT_GROUP, "no group: Other");
        assert_eq!(entries[1].description, "");
        assert!(parse("").expect("an empty file is fine").is_empty());
    }

    /// Every way an entry can be wrong, with what the message must say.
    #[test]
    fn each_mistake_is_refused_with_where_and_why() {
        let place = r#"where = [{ kind = "table", label = "t" }]"#;
        let cases: &[(&str, String, &[&str])] = &[
            (
                "a missing title",
                format!("[[entry]]\n{place}\n"),
                &["line 1", "missing field `title`"],
            ),
            (
                "an empty title",
                format!("[[entry]]\ntitle = \"  \"\n{place}\n"),
                &["entry 1", "title is empty"],
            ),
            (
                "an unknown field",
                format!("[[entry]]\ntitle = \"a\"\nowner_team = \"x\"\n{place}\n"),
                &["line 3", "unknown field `owner_team`"],
            ),
            (
                "an unknown top-level table",
                "[entries]\ntitle = \"a\"\n".to_owned(),
                &["unknown field `entries`"],
            ),
            (
                "an unknown kind",
                "[[entry]]\ntitle = \"a\"\nwhere = [{ kind = \"wiki\", label = \"w\" }]\n".to_owned(),
                &["line 3", "unknown variant `wiki`"],
            ),
            (
                "no where",
                "[[entry]]\ntitle = \"a\"\nwhere = []\n".to_owned(),
                &["entry 1 (`a`)", "`where` is empty"],
            ),
            (
                "a bad url",
                "[[entry]]\ntitle = \"a\"\nwhere = [{ kind = \"dashboard\", label = \"d\", url = \"superset/x\" }]\n"
                    .to_owned(),
                &["entry 1 (`a`)", "`superset/x`", "http:// or https://"],
            ),
            (
                "a url that is not http",
                "[[entry]]\ntitle = \"a\"\nwhere = [{ kind = \"link\", label = \"d\", url = \"ftp://h/x\" }]\n"
                    .to_owned(),
                &["`ftp://h/x`"],
            ),
            (
                "a link without url",
                "[[entry]]\ntitle = \"a\"\nwhere = [{ kind = \"link\", label = \"wiki\" }]\n".to_owned(),
                &["the link `wiki` needs a url"],
            ),
            (
                "an empty label",
                "[[entry]]\ntitle = \"a\"\nwhere = [{ kind = \"table\", label = \"\" }]\n".to_owned(),
                &["empty label"],
            ),
            (
                "the same title twice",
                format!("[[entry]]\ntitle = \"매출\"\n{place}\n[[entry]]\ntitle = \"매출\"\n{place}\n"),
                &["entry 2 (`매출`)", "same title"],
            ),
            (
                "keywords as a string",
                format!("[[entry]]\ntitle = \"a\"\nkeywords = \"x\"\n{place}\n"),
                &["line 3", "expected a sequence"],
            ),
            (
                "not TOML",
                "[[entry]\n".to_owned(),
                &["line 1"],
            ),
        ];
        for (case, text, needles) in cases {
            let err = parse(text).expect_err(&format!("{case}: must be refused"));
            for needle in *needles {
                assert!(
                    err.contains(needle),
                    "{case}: `{err}` should mention `{needle}`"
                );
            }
        }
    }

    #[test]
    fn a_missing_file_says_it_cannot_be_read() {
        let err = load(Path::new("/nonexistent/navigate.toml")).expect_err("missing");

        assert!(err.starts_with("cannot read it:"), "{err}");
    }
}
