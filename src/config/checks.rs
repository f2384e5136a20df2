//! `[checks]` and the check files (`checks.dir`, `*.toml`): data checks (정합성) declared as `[[check]]` tables,
//! read and checked when the configuration loads, so a mistake stops `serve` and shows in `check-config` and
//! `doberman check validate`, each with its file, line and key.
//!
//! The files are walked as spanned TOML rather than deserialized, so that every mistake is reported (serde stops
//! at the first) with the line of the key it is about.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use toml::de::{DeTable, DeValue};

use super::alerts::parse_duration;
use super::{CronSpec, Loader};
use crate::sql::params::{self, Dialect};

/// `[checks]` settings and the checks read from `checks.dir`.
#[derive(Debug, Clone)]
pub struct ChecksConfig {
    /// `checks.dir`: the folder of check files (`*.toml`); none declares no check.
    pub dir: Option<PathBuf>,
    /// The checks of every file, in file then declaration order.
    pub checks: Vec<CheckDef>,
    /// `checks.glue_data_quality`: also read AWS Glue Data Quality rulesets and their latest results.
    pub glue_data_quality: bool,
    /// `checks.max_scan_gb`: an Athena query of a check is stopped once it has scanned more (GB, 10⁹ bytes).
    pub max_scan_gb: f64,
    /// `checks.concurrency`: checks run at once.
    pub concurrency: u32,
    /// `checks.timeout_secs`: limit of one side of a check (a source query, an Athena query).
    pub timeout_secs: u32,
    /// `checks.account`: the `aws.accounts` name whose Athena runs the lake side; empty is the first.
    pub account: String,
    /// `checks.workgroup`: Athena work group of the checks' queries.
    pub workgroup: String,
    /// `checks.output_location`: where Athena writes their results; none uses the work group's setting.
    pub output_location: Option<String>,
    /// `checks.owners`: the Teams people a check's `owner` stands for, @mentioned on its card.
    pub owners: Vec<super::AirflowOwner>,
}

impl Default for ChecksConfig {
    fn default() -> Self {
        ChecksConfig {
            dir: None,
            checks: Vec::new(),
            glue_data_quality: false,
            max_scan_gb: 10.0,
            concurrency: 8,
            timeout_secs: 300,
            account: String::new(),
            workgroup: "primary".to_owned(),
            output_location: None,
            owners: Vec::new(),
        }
    }
}

impl ChecksConfig {
    /// The check called `name` (exactly, then ignoring case).
    pub fn find(&self, name: &str) -> Option<&CheckDef> {
        let name = name.trim();
        self.checks.iter().find(|c| c.name == name).or_else(|| {
            self.checks
                .iter()
                .find(|c| c.name.to_lowercase() == name.to_lowercase())
        })
    }
}

/// What a check compares or asserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// The source's count equals the lake's, within the tolerance.
    RowCountMatch,
    /// Every number of the source's row equals the lake's, column by column, within the tolerance.
    AggregateMatch,
    /// `column` has no NULLs (at most `tolerance`).
    NotNull,
    /// `columns` identify one row each (duplicate keys at most `tolerance`).
    Unique,
    /// The newest `column` value is at most `max_age` old.
    Freshness,
    /// The lake's count is within `min`..=`max`.
    RowCountRange,
    /// A query that must return zero rows.
    Custom,
    /// An AWS Glue Data Quality ruleset's latest result (not declared in files).
    GlueDq,
}

impl CheckKind {
    /// Every kind a file may declare.
    pub const DECLARED: [CheckKind; 7] = [
        CheckKind::RowCountMatch,
        CheckKind::AggregateMatch,
        CheckKind::NotNull,
        CheckKind::Unique,
        CheckKind::Freshness,
        CheckKind::RowCountRange,
        CheckKind::Custom,
    ];

    /// Its name, as written and stored.
    pub fn name(self) -> &'static str {
        match self {
            CheckKind::RowCountMatch => "row_count_match",
            CheckKind::AggregateMatch => "aggregate_match",
            CheckKind::NotNull => "not_null",
            CheckKind::Unique => "unique",
            CheckKind::Freshness => "freshness",
            CheckKind::RowCountRange => "row_count_range",
            CheckKind::Custom => "custom",
            CheckKind::GlueDq => "glue_dq",
        }
    }

    /// Whether it compares the system of record with the lake.
    pub fn two_sided(self) -> bool {
        matches!(self, CheckKind::RowCountMatch | CheckKind::AggregateMatch)
    }
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How bad a failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckSeverity {
    /// A card of its own, critical.
    Error,
    /// One card per table with the table's other warnings.
    Warn,
}

impl CheckSeverity {
    /// As written and stored.
    pub fn name(self) -> &'static str {
        match self {
            CheckSeverity::Error => "error",
            CheckSeverity::Warn => "warn",
        }
    }
}

/// How far apart two numbers may be and still match.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tolerance {
    /// An absolute difference.
    Absolute(f64),
    /// A percentage of the source's value (of the larger magnitude when the source is 0).
    Percent(f64),
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance::Absolute(0.0)
    }
}

impl Tolerance {
    /// The largest difference allowed between `source` and `lake`.
    pub fn allowed(self, source: f64, lake: f64) -> f64 {
        match self {
            Tolerance::Absolute(a) => a,
            Tolerance::Percent(p) => {
                let base = if source == 0.0 {
                    lake.abs()
                } else {
                    source.abs()
                };
                base * p / 100.0
            }
        }
    }
}

impl fmt::Display for Tolerance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tolerance::Absolute(a) => write!(f, "{a}"),
            Tolerance::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// Where one side of a check runs.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// Athena, through the collectors' query runner.
    Athena,
    /// A MySQL/MariaDB or PostgreSQL database, read in a read-only transaction.
    Database {
        /// The URL as written (no password: the file may not hold one).
        url: String,
        /// The environment variable that holds the password, if any.
        password_env: Option<String>,
    },
}

impl Engine {
    /// How it is shown and stored: `athena`, or the URL (which holds no password).
    pub fn label(&self) -> &str {
        match self {
            Engine::Athena => "athena",
            Engine::Database { url, .. } => url,
        }
    }

    /// The SQL dialect its parameters are written in.
    pub fn dialect(&self) -> Dialect {
        match self {
            Engine::Athena => Dialect::Athena,
            Engine::Database { url, .. } if url.starts_with("postgres") => Dialect::Postgres,
            Engine::Database { .. } => Dialect::MySql,
        }
    }
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One side of a check: where it runs and what it asks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// Where.
    pub engine: Engine,
    /// The SQL as written, with `:day`, `:from`, `:to`; none for the kinds that write their own.
    pub sql: Option<String>,
}

/// A data check declared in a check file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckDef {
    /// Unique name.
    pub name: String,
    /// The lake table it is about, `database.table`.
    pub table: String,
    /// What it checks.
    pub kind: CheckKind,
    /// When it runs, in `schedule.timezone`.
    #[serde(serialize_with = "cron_text")]
    pub schedule: CronSpec,
    /// How bad a failure is.
    pub severity: CheckSeverity,
    /// Who owns it: mentioned on its card when `alerts.owners` knows them.
    pub owner: Option<String>,
    /// The day checked is this many days before the day it runs (1: yesterday).
    pub days_back: u32,
    /// The system of record (two-sided kinds).
    pub source: Option<Side>,
    /// The lake side (Athena unless a URL is given).
    pub lake: Side,
    /// How far apart the sides (or from zero, for `not_null` and `unique`) may be.
    pub tolerance: Tolerance,
    /// The column of `not_null` and `freshness`.
    pub column: Option<String>,
    /// The key columns of `unique`.
    pub columns: Vec<String>,
    /// A condition added to the SQL Doberman writes (`dt = :day`), as written.
    pub filter: Option<String>,
    /// `row_count_range` bounds.
    pub min: Option<f64>,
    /// `row_count_range` bounds.
    pub max: Option<f64>,
    /// `freshness`: how old the newest value may be.
    #[serde(serialize_with = "duration_secs")]
    pub max_age: Option<Duration>,
    /// A sentence for people.
    pub description: Option<String>,
    /// The file it is declared in, relative to `checks.dir`.
    #[serde(skip)]
    pub file: String,
    /// Its line there.
    #[serde(skip)]
    pub line: usize,
}

fn cron_text<S: serde::Serializer>(c: &CronSpec, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&c.expression)
}

fn duration_secs<S: serde::Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_u64(d.as_secs()),
        None => s.serialize_none(),
    }
}

impl CheckDef {
    /// The definition as JSON, what `dim_check.definition` keeps (no password: the files hold none).
    pub fn definition(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A short hash of the definition (FNV-1a, 64 bits, hex): it changes whenever the check does.
    pub fn version_hash(&self) -> String {
        format!("{:016x}", crate::common::fnv1a(self.definition().bytes()))
    }

    /// The database and table of `table`.
    pub fn table_parts(&self) -> (&str, &str) {
        self.table.split_once('.').unwrap_or(("", &self.table))
    }
}

/// One mistake in a check file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// The file, as given.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// The key it is about (`check[2].source.url`), or empty for the file as a whole.
    pub key: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(
                f,
                "{}:{}: `{}`: {}",
                self.file, self.line, self.key, self.message
            )
        }
    }
}

const CHECK_KEYS: [&str; 17] = [
    "name",
    "table",
    "kind",
    "schedule",
    "severity",
    "owner",
    "days_back",
    "description",
    "tolerance",
    "column",
    "columns",
    "where",
    "min",
    "max",
    "max_age",
    "source",
    "lake",
];
const SIDE_KEYS: [&str; 4] = ["url", "password_env", "sql", "tolerance"];
/// The schedule of a check that names none: every day at 07:00.
pub const DEFAULT_SCHEDULE: &str = "0 0 7 * * *";

struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    problems: Vec<FileProblem>,
}

impl Reader<'_> {
    fn line(&self, at: usize) -> usize {
        self.text[..at.min(self.text.len())].matches('\n').count() + 1
    }

    fn problem(&mut self, at: usize, key: String, message: impl Into<String>) {
        let line = self.line(at);
        self.problems.push(FileProblem {
            file: self.file.to_owned(),
            line,
            key,
            message: message.into(),
        });
    }
}

/// What one `[[check]]` table holds, with where each value is.
struct Entry<'t, 'i> {
    table: &'t DeTable<'i>,
    at: usize,
    prefix: String,
}

impl<'i> Entry<'_, 'i> {
    fn get(&self, key: &str) -> Option<&toml::Spanned<DeValue<'i>>> {
        self.table.get(key)
    }

    fn key(&self, key: &str) -> String {
        format!("{}.{key}", self.prefix)
    }

    fn at(&self, key: &str) -> usize {
        self.table
            .get_key_value(key)
            .map_or(self.at, |(k, _)| k.span().start)
    }

    fn string(&self, r: &mut Reader<'_>, key: &str) -> Option<String> {
        let v = self.get(key)?;
        match v.get_ref().as_str() {
            Some(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Some(_) => {
                r.problem(self.at(key), self.key(key), "is empty");
                None
            }
            None => {
                r.problem(
                    self.at(key),
                    self.key(key),
                    format!("expected a string, found {}", v.get_ref().type_str()),
                );
                None
            }
        }
    }

    fn number(&self, r: &mut Reader<'_>, key: &str) -> Option<f64> {
        let v = self.get(key)?;
        let n = match v.get_ref() {
            DeValue::Integer(i) => i.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => None,
        };
        if n.is_none() {
            r.problem(
                self.at(key),
                self.key(key),
                format!("expected a number, found {}", v.get_ref().type_str()),
            );
        }
        n.filter(|n| n.is_finite())
    }

    fn unknown_keys(&self, r: &mut Reader<'_>, allowed: &[&str]) {
        for (k, _) in self.table.iter() {
            if !allowed.contains(&k.get_ref().as_ref()) {
                let hint = crate::common::closest(k.get_ref(), allowed.iter().copied())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                r.problem(
                    k.span().start,
                    self.key(k.get_ref()),
                    format!(
                        "is not a key of a check{hint}; the keys are {}",
                        allowed.join(", ")
                    ),
                );
            }
        }
    }
}

/// Reads the checks of one file's `text`; `file` names it in problems.
pub fn parse(file: &str, text: &str) -> Result<Vec<CheckDef>, Vec<FileProblem>> {
    let mut r = Reader {
        file,
        text,
        problems: Vec::new(),
    };
    let root = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            r.problem(
                at,
                String::new(),
                format!("not valid TOML: {}", e.message().trim().replace('\n', " ")),
            );
            return Err(r.problems);
        }
    };
    let mut checks = Vec::new();
    for (k, v) in root.get_ref().iter() {
        if k.get_ref() != "check" {
            r.problem(
                k.span().start,
                k.get_ref().to_string(),
                "a check file holds only [[check]] tables",
            );
            continue;
        }
        let Some(list) = v.get_ref().as_array() else {
            r.problem(
                k.span().start,
                "check".to_owned(),
                "write each check as a [[check]] table",
            );
            continue;
        };
        for (i, item) in list.iter().enumerate() {
            let Some(table) = item.get_ref().as_table() else {
                r.problem(
                    item.span().start,
                    format!("check[{}]", i + 1),
                    "expected a table",
                );
                continue;
            };
            let entry = Entry {
                table,
                at: item.span().start,
                prefix: format!("check[{}]", i + 1),
            };
            if let Some(def) = read_check(&mut r, &entry) {
                checks.push(def);
            }
        }
    }
    if r.problems.is_empty() {
        Ok(checks)
    } else {
        Err(r.problems)
    }
}

fn read_check(r: &mut Reader<'_>, e: &Entry<'_, '_>) -> Option<CheckDef> {
    let before = r.problems.len();
    e.unknown_keys(r, &CHECK_KEYS);
    let name = e.string(r, "name");
    if name.is_none() && e.get("name").is_none() {
        r.problem(e.at, e.key("name"), "every check needs a name");
    }
    if let Some(n) = &name
        && n.chars().count() > 200
    {
        r.problem(e.at("name"), e.key("name"), "at most 200 characters");
    }
    if let Some(n) = &name
        && n.starts_with("glue:")
    {
        r.problem(
            e.at("name"),
            e.key("name"),
            "names beginning glue: are the Glue Data Quality rulesets' (checks.glue_data_quality)",
        );
    }
    let table = e.string(r, "table");
    match &table {
        None if e.get("table").is_none() => r.problem(
            e.at,
            e.key("table"),
            "every check names its lake table as database.table",
        ),
        Some(t) if !valid_table(t) => r.problem(
            e.at("table"),
            e.key("table"),
            format!("`{t}` is not database.table of letters, digits and _"),
        ),
        _ => {}
    }
    let kind_text = e.string(r, "kind");
    let kind = match kind_text.as_deref() {
        None => {
            if e.get("kind").is_none() {
                r.problem(
                    e.at,
                    e.key("kind"),
                    format!("every check has a kind: {}", kinds()),
                );
            }
            None
        }
        Some(k) => match CheckKind::DECLARED.into_iter().find(|c| c.name() == k) {
            Some(kind) => Some(kind),
            None => {
                let hint = crate::common::closest(k, CheckKind::DECLARED.map(CheckKind::name))
                    .map(|c| format!("did you mean `{c}`? "))
                    .unwrap_or_default();
                r.problem(
                    e.at("kind"),
                    e.key("kind"),
                    format!("`{k}` is not a kind: {hint}the kinds are {}", kinds()),
                );
                None
            }
        },
    };
    let schedule = match e.string(r, "schedule") {
        None => Some(
            DEFAULT_SCHEDULE
                .parse()
                .expect("the default schedule is valid"),
        ),
        Some(s) => match s.parse::<CronSpec>() {
            Ok(c) => Some(c),
            Err(why) => {
                r.problem(e.at("schedule"), e.key("schedule"), why);
                None
            }
        },
    };
    let severity = match e.string(r, "severity").as_deref() {
        None | Some("error") => CheckSeverity::Error,
        Some("warn") | Some("warning") => CheckSeverity::Warn,
        Some(other) => {
            r.problem(
                e.at("severity"),
                e.key("severity"),
                format!("`{other}` is not a severity: error or warn"),
            );
            CheckSeverity::Error
        }
    };
    let owner = e.string(r, "owner");
    if let Some(o) = &owner
        && o.chars().count() > 255
    {
        r.problem(e.at("owner"), e.key("owner"), "at most 255 characters");
    }
    let description = e.string(r, "description");
    let days_back = match e.get("days_back") {
        None => 1,
        Some(v) => match v
            .get_ref()
            .as_integer()
            .and_then(|i| i.as_str().parse::<u32>().ok())
        {
            Some(n) if n <= 366 => n,
            _ => {
                r.problem(
                    e.at("days_back"),
                    e.key("days_back"),
                    "expected whole days from 0 (today) to 366",
                );
                1
            }
        },
    };
    let column = e.string(r, "column");
    if let Some(c) = &column
        && crate::aws::query::identifier(c).is_none()
    {
        r.problem(
            e.at("column"),
            e.key("column"),
            format!("`{c}` is not a column name of letters, digits and _"),
        );
    }
    let mut columns = Vec::new();
    if let Some(v) = e.get("columns") {
        match v.get_ref().as_array() {
            Some(list) if !list.is_empty() => {
                for c in list.iter() {
                    match c.get_ref().as_str() {
                        Some(s) if crate::aws::query::identifier(s.trim()).is_some() => {
                            columns.push(s.trim().to_owned())
                        }
                        _ => r.problem(
                            c.span().start,
                            e.key("columns"),
                            "expected column names of letters, digits and _",
                        ),
                    }
                }
            }
            _ => r.problem(
                e.at("columns"),
                e.key("columns"),
                "expected a list of column names such as [\"order_id\"]",
            ),
        }
    }
    let filter = e.string(r, "where");
    let min = e.number(r, "min");
    let max = e.number(r, "max");
    let max_age = match e.string(r, "max_age") {
        None => None,
        Some(s) => match parse_duration(&s) {
            Ok(d) => Some(d),
            Err(why) => {
                r.problem(e.at("max_age"), e.key("max_age"), why);
                None
            }
        },
    };
    let mut tolerance = tolerance_of(r, e);
    let source = side(r, e, "source");
    let lake = side(r, e, "lake");
    if let Some((_, Some(t))) = &lake {
        tolerance = Some(*t);
    }
    if let Some((_, Some(_))) = &source {
        r.problem(
            e.at("source"),
            e.key("source.tolerance"),
            "write the tolerance on the check or its lake side",
        );
    }
    let source = source.map(|(s, _)| s);
    let lake = lake.map(|(s, _)| s);
    let lake = lake.unwrap_or(Some(Side {
        engine: Engine::Athena,
        sql: None,
    }));

    if let (Some(f), Some(side)) = (&filter, &lake)
        && let Err(why) =
            params::read_only_query(&format!("SELECT 1 WHERE {f}"), side.engine.dialect())
    {
        r.problem(e.at("where"), e.key("where"), why);
    }
    // What each kind needs.
    if let Some(kind) = kind {
        let needs = |r: &mut Reader<'_>, ok: bool, key: &str, what: &str| {
            if !ok {
                r.problem(e.at, e.key(key), format!("a {kind} check needs {what}"));
            }
        };
        let source_sql = source
            .as_ref()
            .and_then(|s| s.as_ref())
            .and_then(|s| s.sql.as_ref());
        let lake_sql = lake.as_ref().and_then(|s| s.sql.as_ref());
        match kind {
            CheckKind::RowCountMatch | CheckKind::AggregateMatch => {
                if e.get("source").is_none() {
                    needs(r, false, "source", "a [check.source] with url and sql");
                } else {
                    needs(r, source_sql.is_some(), "source.sql", "source.sql");
                }
                needs(r, lake_sql.is_some(), "lake.sql", "lake.sql");
            }
            CheckKind::NotNull => needs(r, column.is_some(), "column", "the column"),
            CheckKind::Unique => needs(
                r,
                !columns.is_empty() || column.is_some(),
                "columns",
                "the key columns",
            ),
            CheckKind::Freshness => {
                needs(r, column.is_some(), "column", "the timestamp column");
                needs(r, max_age.is_some(), "max_age", "max_age such as 26h");
            }
            CheckKind::RowCountRange => {
                needs(r, min.is_some() || max.is_some(), "min", "min, max or both");
                if let (Some(lo), Some(hi)) = (min, max)
                    && lo > hi
                {
                    r.problem(e.at("min"), e.key("min"), "min is above max");
                }
            }
            CheckKind::Custom => needs(
                r,
                lake_sql.is_some(),
                "lake.sql",
                "lake.sql: a query that returns the rows that are wrong",
            ),
            CheckKind::GlueDq => {}
        }
        if !kind.two_sided() && e.get("source").is_some() {
            r.problem(
                e.at("source"),
                e.key("source"),
                format!("a {kind} check has only a lake side: remove [check.source]"),
            );
        }
        if matches!(
            kind,
            CheckKind::NotNull | CheckKind::Unique | CheckKind::Freshness
        ) && lake_sql.is_some()
        {
            r.problem(
                e.at("lake"),
                e.key("lake.sql"),
                format!("a {kind} check writes its own SQL from table, column and where: remove lake.sql"),
            );
        }
        if kind != CheckKind::Unique && !columns.is_empty() {
            r.problem(
                e.at("columns"),
                e.key("columns"),
                format!("a {kind} check has no columns"),
            );
        }
        if !matches!(kind, CheckKind::RowCountRange) && (min.is_some() || max.is_some()) {
            r.problem(
                e.at("min"),
                e.key("min"),
                format!("min and max are for row_count_range, not {kind}"),
            );
        }
        let own_sql = kind.two_sided()
            || kind == CheckKind::Custom
            || (kind == CheckKind::RowCountRange && lake_sql.is_some());
        if own_sql && filter.is_some() {
            r.problem(
                e.at("where"),
                e.key("where"),
                format!(
                    "a {kind} check with its own SQL takes no where: put the condition in the SQL"
                ),
            );
        }
        if kind == CheckKind::Custom && tolerance.is_some() {
            r.problem(
                e.at("tolerance"),
                e.key("tolerance"),
                "a custom check fails on any row it returns: remove tolerance",
            );
        }
        if matches!(kind, CheckKind::RowCountRange | CheckKind::Freshness) && tolerance.is_some() {
            r.problem(
                e.at("tolerance"),
                e.key("tolerance"),
                format!("a {kind} check has no tolerance"),
            );
        }
    }
    if r.problems.len() > before {
        return None;
    }
    if kind == Some(CheckKind::Unique) && columns.is_empty() {
        columns.extend(column.clone());
    }
    Some(CheckDef {
        name: name?,
        table: table?,
        kind: kind?,
        schedule: schedule?,
        severity,
        owner,
        days_back,
        source: source.flatten(),
        lake: lake?,
        tolerance: tolerance.unwrap_or_default(),
        column: if kind == Some(CheckKind::Unique) {
            None
        } else {
            column
        },
        columns,
        filter,
        min,
        max,
        max_age,
        description,
        file: r.file.to_owned(),
        line: r.line(e.at("name")),
    })
}

fn kinds() -> String {
    CheckKind::DECLARED.map(CheckKind::name).join(", ")
}

/// `database.table`, each part a plain identifier.
pub fn valid_table(t: &str) -> bool {
    match t.split_once('.') {
        Some((db, table)) => {
            crate::aws::query::identifier(db).is_some()
                && crate::aws::query::identifier(table).is_some()
        }
        None => false,
    }
}

fn tolerance_text(text: &str) -> Result<Tolerance, String> {
    let t = text.trim();
    let bad =
        || format!("`{t}` is not a tolerance: write \"0.1%\" or an absolute number such as 5");
    match t.strip_suffix('%') {
        Some(p) => p
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite() && (0.0..=100.0).contains(p))
            .map(Tolerance::Percent)
            .ok_or_else(bad),
        None => t
            .parse::<f64>()
            .ok()
            .filter(|a| a.is_finite() && *a >= 0.0)
            .map(Tolerance::Absolute)
            .ok_or_else(bad),
    }
}

fn tolerance_value(
    r: &mut Reader<'_>,
    at: usize,
    key: String,
    v: &DeValue<'_>,
) -> Option<Tolerance> {
    let parsed = match v {
        DeValue::String(s) => tolerance_text(s),
        DeValue::Integer(i) => tolerance_text(i.as_str()),
        DeValue::Float(f) => tolerance_text(f.as_str()),
        other => Err(format!(
            "expected \"0.1%\" or a number, found {}",
            other.type_str()
        )),
    };
    match parsed {
        Ok(t) => Some(t),
        Err(why) => {
            r.problem(at, key, why);
            None
        }
    }
}

fn tolerance_of(r: &mut Reader<'_>, e: &Entry<'_, '_>) -> Option<Tolerance> {
    let v = e.get("tolerance")?;
    tolerance_value(r, e.at("tolerance"), e.key("tolerance"), v.get_ref())
}

/// Reads `[check.<which>]`: `None` when absent; `Some(None)` when it is wrong (problems recorded); and the
/// tolerance written in it.
fn side(
    r: &mut Reader<'_>,
    e: &Entry<'_, '_>,
    which: &str,
) -> Option<(Option<Side>, Option<Tolerance>)> {
    let v = e.get(which)?;
    let Some(table) = v.get_ref().as_table() else {
        r.problem(
            e.at(which),
            e.key(which),
            format!("expected a [check.{which}] table with url and sql"),
        );
        return Some((None, None));
    };
    let s = Entry {
        table,
        at: e.at(which),
        prefix: e.key(which),
    };
    let before = r.problems.len();
    s.unknown_keys(r, &SIDE_KEYS);
    let url = s.string(r, "url");
    let password_env = s.string(r, "password_env");
    let sql = s.string(r, "sql");
    let tolerance = s
        .get("tolerance")
        .and_then(|v| tolerance_value(r, s.at("tolerance"), s.key("tolerance"), v.get_ref()));
    let engine = match url.as_deref() {
        None | Some("athena") => {
            if url.is_none() && which == "source" {
                r.problem(
                    s.at,
                    s.key("url"),
                    "the source needs a url: a mysql:// or postgres:// URL, or \"athena\"",
                );
            }
            if password_env.is_some() {
                r.problem(
                    s.at("password_env"),
                    s.key("password_env"),
                    "Athena takes no password: it uses the collectors' AWS credentials",
                );
            }
            Engine::Athena
        }
        Some(u) => match source_url(u) {
            Ok(url) => {
                if let Some(var) = &password_env
                    && !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    r.problem(
                        s.at("password_env"),
                        s.key("password_env"),
                        "expected the name of an environment variable such as ERP_READER_PASSWORD",
                    );
                }
                Engine::Database { url, password_env }
            }
            Err(why) => {
                r.problem(s.at("url"), s.key("url"), why);
                Engine::Athena
            }
        },
    };
    if let Some(q) = &sql
        && let Err(why) = params::read_only_query(q, engine.dialect())
    {
        r.problem(s.at("sql"), s.key("sql"), why);
    }
    if r.problems.len() > before {
        return Some((None, tolerance));
    }
    Some((Some(Side { engine, sql }), tolerance))
}

/// A source URL as the file may hold it: MySQL/MariaDB or PostgreSQL, no password.
fn source_url(u: &str) -> Result<String, String> {
    let parsed = url::Url::parse(u).map_err(|_| {
        "not a URL: write mysql://user@host:3306/db, postgres://user@host:5432/db or \"athena\""
            .to_owned()
    })?;
    if !matches!(
        parsed.scheme(),
        "mysql" | "mariadb" | "postgres" | "postgresql"
    ) {
        return Err(format!(
            "`{}` is not a source Doberman reads: mysql, mariadb, postgres, or \"athena\"",
            parsed.scheme()
        ));
    }
    let password_in_query = parsed.query_pairs().any(|(k, _)| {
        matches!(
            k.to_ascii_lowercase().as_str(),
            "password" | "passfile" | "sslpassword" | "pass"
        )
    });
    if parsed.password().is_some() || password_in_query {
        // Not echoed: it holds the password.
        return Err(
            "holds a password: remove it from the file and name the environment variable that holds it in password_env"
                .to_owned(),
        );
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("names no host".to_owned());
    }
    Ok(u.to_owned())
}

/// Reads every `*.toml` of `dir` (sorted by name): the checks, or every problem of every file. Names must be
/// unique across files.
pub fn load_dir(dir: &Path) -> Result<Vec<CheckDef>, Vec<FileProblem>> {
    let mut problems = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            return Err(vec![FileProblem {
                file: dir.display().to_string(),
                line: 0,
                key: String::new(),
                message: format!("cannot read the folder: {e}"),
            }]);
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut checks: Vec<CheckDef> = Vec::new();
    for path in files {
        let label = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(FileProblem {
                    file: label,
                    line: 0,
                    key: String::new(),
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        match parse(&label, &text) {
            Ok(found) => checks.extend(found),
            Err(p) => problems.extend(p),
        }
    }
    let mut seen: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for c in &checks {
        if let Some((file, line)) = seen.insert(c.name.clone(), (c.file.clone(), c.line)) {
            problems.push(FileProblem {
                file: c.file.clone(),
                line: c.line,
                key: "name".to_owned(),
                message: format!(
                    "`{}` is already the name of the check at {file}:{line}",
                    c.name
                ),
            });
        }
    }
    if problems.is_empty() {
        Ok(checks)
    } else {
        Err(problems)
    }
}

/// Loads `[checks]`, reading `checks.dir`.
pub(super) fn load_checks(l: &mut Loader) -> ChecksConfig {
    let d = ChecksConfig::default();
    let dir: Option<String> = l.get("checks.dir", None, |_| Ok(()));
    let dir = dir.filter(|d| !d.trim().is_empty()).map(PathBuf::from);
    let checks = match &dir {
        None => Vec::new(),
        Some(dir) => match load_dir(dir) {
            Ok(checks) => checks,
            Err(problems) => {
                for p in problems {
                    l.problem("checks.dir", format!("{}/{p}", dir.display()));
                }
                Vec::new()
            }
        },
    };
    ChecksConfig {
        dir,
        checks,
        glue_data_quality: l.get("checks.glue_data_quality", d.glue_data_quality, |_| Ok(())),
        max_scan_gb: l.get("checks.max_scan_gb", d.max_scan_gb, |g| {
            if g.is_finite() && *g > 0.0 && *g <= 100_000.0 {
                Ok(())
            } else {
                Err("expected GB above 0".into())
            }
        }),
        concurrency: l.get("checks.concurrency", d.concurrency, |n| {
            if (1..=64).contains(n) {
                Ok(())
            } else {
                Err("expected from 1 to 64 checks at once".into())
            }
        }),
        timeout_secs: l.get("checks.timeout_secs", d.timeout_secs, |n| {
            if (1..=3_600).contains(n) {
                Ok(())
            } else {
                Err("expected seconds from 1 to 3600".into())
            }
        }),
        account: l.get("checks.account", d.account, |_| Ok(())),
        workgroup: l.get("checks.workgroup", d.workgroup, |w| {
            if w.trim().is_empty() {
                Err("a work group is needed (primary is Athena's default)".into())
            } else {
                Ok(())
            }
        }),
        output_location: l.get("checks.output_location", d.output_location, |o| match o {
            Some(o) if !o.starts_with("s3://") => Err("expected an s3:// location".into()),
            _ => Ok(()),
        }),
        owners: l.get("checks.owners", d.owners, |_| Ok(())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_checks_are_valid() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("checks.example");
        let checks = load_dir(&dir).expect("checks.example is valid");
        assert_eq!(checks.len(), 7);
        let kinds: Vec<CheckKind> = checks.iter().map(|c| c.kind).collect();
        for kind in CheckKind::DECLARED {
            assert!(kinds.contains(&kind), "the example shows {kind}");
        }
        let first = &checks[0];
        assert_eq!(first.owner.as_deref(), Some("김데이터"));
        assert_eq!(first.tolerance, Tolerance::Percent(0.1));
        assert_eq!(
            first.source.as_ref().map(|s| &s.engine),
            Some(&Engine::Database {
                url: "postgres://reader@erp-replica.internal:5432/erp".to_owned(),
                password_env: Some("ERP_READER_PASSWORD".to_owned()),
            })
        );
        assert_eq!(first.lake.engine, Engine::Athena);
        assert_eq!(first.days_back, 1);
        assert_eq!(checks[1].severity, CheckSeverity::Warn);
        assert_eq!(checks[1].schedule.expression, DEFAULT_SCHEDULE);
    }

    #[test]
    fn every_mistake_is_named_by_file_line_and_key() {
        let text = r#"
[[check]]
name = "a"
table = "sales.orders"
kind = "row_count_matc"
tolerence = "1%"
[check.source]
url = "postgres://reader:hunter2@erp/erp"
sql = "SELECT count(*) FROM orders WHERE d = :dya"
[check.lake]
sql = "DELETE FROM sales.orders"

[[check]]
name = "b"
table = "not a table"
kind = "not_null"
schedule = "every day"
severity = "fatal"
"#;
        let problems = parse("sales.toml", text).expect_err("mistakes");
        let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let expect = [
            (
                "sales.toml:5: `check[1].kind`",
                "did you mean `row_count_match`?",
            ),
            (
                "sales.toml:6: `check[1].tolerence`",
                "did you mean `tolerance`?",
            ),
            ("sales.toml:8: `check[1].source.url`", "holds a password"),
            (
                "sales.toml:9: `check[1].source.sql`",
                "`:dya` is not a parameter",
            ),
            ("sales.toml:11: `check[1].lake.sql`", "not DELETE"),
            ("sales.toml:15: `check[2].table`", "is not database.table"),
            ("sales.toml:17: `check[2].schedule`", "cron"),
            ("sales.toml:18: `check[2].severity`", "error or warn"),
            ("`check[2].column`", "needs the column"),
        ];
        for (at, what) in expect {
            assert!(
                said.iter().any(|p| p.contains(at) && p.contains(what)),
                "expected {at} … {what} in {said:#?}"
            );
        }
        assert!(
            !said.iter().any(|p| p.contains("hunter2")),
            "the password is never echoed: {said:#?}"
        );
    }

    #[test]
    fn passwords_glue_names_and_a_where_beside_own_sql_are_refused() {
        let text = r#"
[[check]]
name = "glue:mine"
table = "s.o"
kind = "row_count_match"
where = "dt = :day"
[check.source]
url = "postgres://reader@erp/erp?sslmode=require&password=hunter2"
sql = "SELECT 1"
[check.lake]
sql = "SELECT 1"
"#;
        let said: Vec<String> = parse("p.toml", text)
            .expect_err("refused")
            .iter()
            .map(ToString::to_string)
            .collect();
        for what in [
            "`check[1].source.url`: holds a password",
            "`check[1].name`: names beginning glue:",
            "`check[1].where`",
        ] {
            assert!(said.iter().any(|p| p.contains(what)), "{what} in {said:#?}");
        }
        assert!(!said.iter().any(|p| p.contains("hunter2")), "{said:#?}");
    }

    #[test]
    fn a_file_that_is_not_toml_says_where() {
        let problems = parse("x.toml", "[[check]]\nname = \"a\n").expect_err("broken");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 2, "{}", problems[0]);
        assert!(problems[0].message.starts_with("not valid TOML"));
    }

    #[test]
    fn names_are_unique_across_files() {
        let dir = tempfile::tempdir().expect("dir");
        let check = "[[check]]\nname = \"주문 🐕\"\ntable = \"s.o\"\nkind = \"custom\"\n[check.lake]\nsql = \"SELECT 1\"\n";
        std::fs::write(dir.path().join("a.toml"), check).expect("write");
        std::fs::write(dir.path().join("b.toml"), check).expect("write");
        let problems = load_dir(dir.path()).expect_err("a duplicate");
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].file, "b.toml");
        assert!(problems[0].message.contains("a.toml:2"), "{}", problems[0]);
    }

    #[test]
    fn a_tolerance_is_a_percentage_or_an_absolute_number() {
        assert_eq!(tolerance_text("0.1%"), Ok(Tolerance::Percent(0.1)));
        assert_eq!(tolerance_text(" 5 "), Ok(Tolerance::Absolute(5.0)));
        for bad in ["-1", "101%", "lots", "NaN"] {
            assert!(tolerance_text(bad).is_err(), "{bad}");
        }
        assert_eq!(Tolerance::Percent(1.0).allowed(1200.0, 0.0), 12.0);
        assert_eq!(Tolerance::Percent(10.0).allowed(0.0, 30.0), 3.0);
    }

    #[test]
    fn a_where_clause_may_not_end_the_statement() {
        let text = "[[check]]\nname = \"a\"\ntable = \"s.o\"\nkind = \"not_null\"\ncolumn = \"c\"\nwhere = \"1=1; DROP TABLE s.o\"\n";
        let problems = parse("w.toml", text).expect_err("refused");
        assert!(
            problems[0].to_string().contains("`check[1].where`"),
            "{}",
            problems[0]
        );
    }
}
