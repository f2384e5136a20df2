//! How settings are read: the file and environment layers, each value parsed into its type ([`Setting`]), every
//! problem collected, and what was used recorded for `check-config`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::SocketAddr;
use std::path::Path;

use super::{ConfigError, ConfigFile, ENV_PREFIX, ENV_SEPARATOR, EffectiveSetting, Source};

impl Setting for chrono_tz::Tz {
    fn expected() -> String {
        "an IANA time zone such as Asia/Seoul or UTC".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        raw.trim().parse().map_err(|_| String::new())
    }
    fn show(&self) -> String {
        quoted(self.name())
    }
}

impl Setting for crate::i18n::Lang {
    fn expected() -> String {
        "a locale Doberman speaks: en-US or ko-KR".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        crate::i18n::Lang::from_tag(raw).ok_or_else(String::new)
    }
    fn show(&self) -> String {
        quoted(self.tag())
    }
}

/// A raw value before it is parsed into its type.
#[derive(Debug, Clone)]
pub(super) enum Raw {
    Toml(toml::Value),
    Env(String),
}

/// A type a setting can have: how it is read from TOML and from an environment string, and how it is shown.
pub(super) trait Setting: Sized {
    /// What an operator should write, for error messages.
    fn expected() -> String;
    /// Parses an environment string.
    fn from_env(raw: &str) -> Result<Self, String>;
    /// Parses a TOML value; strings go through [`Setting::from_env`] by default.
    fn from_toml(raw: &toml::Value) -> Result<Self, String> {
        match raw {
            toml::Value::String(s) => Self::from_env(s),
            other => Err(format!("found {}", type_name(other))),
        }
    }
    /// The value as a TOML literal for `check-config`.
    fn show(&self) -> String;
    /// Whether a value the operator wrote may be echoed in an error message.
    fn echo_in_errors() -> bool {
        true
    }
}

pub(super) fn type_name(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "an integer",
        toml::Value::Float(_) => "a float",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Datetime(_) => "a date-time",
        toml::Value::Array(_) => "an array",
        toml::Value::Table(_) => "a table",
    }
}

pub(super) fn quoted(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

impl Setting for String {
    fn expected() -> String {
        "a string".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        Ok(raw.to_owned())
    }
    fn show(&self) -> String {
        quoted(self)
    }
}

impl Setting for bool {
    fn expected() -> String {
        "true or false".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(true),
            "false" | "0" | "no" | "off" => Ok(false),
            _ => Err(String::new()),
        }
    }
    fn from_toml(raw: &toml::Value) -> Result<Self, String> {
        match raw {
            toml::Value::Boolean(b) => Ok(*b),
            other => Err(format!("found {}", type_name(other))),
        }
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Setting for u32 {
    fn expected() -> String {
        "a whole number".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        raw.trim().parse().map_err(|_| String::new())
    }
    fn from_toml(raw: &toml::Value) -> Result<Self, String> {
        match raw {
            toml::Value::Integer(i) => u32::try_from(*i).map_err(|_| "out of range".to_owned()),
            other => Err(format!("found {}", type_name(other))),
        }
    }
    fn show(&self) -> String {
        self.to_string()
    }
}

impl Setting for f64 {
    fn expected() -> String {
        "a number".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        raw.trim().parse().map_err(|_| String::new())
    }
    fn from_toml(raw: &toml::Value) -> Result<Self, String> {
        match raw {
            toml::Value::Float(f) => Ok(*f),
            toml::Value::Integer(i) => Ok(*i as f64),
            other => Err(format!("found {}", type_name(other))),
        }
    }
    fn show(&self) -> String {
        let s = self.to_string();
        if s.contains('.') || s.contains('e') || !self.is_finite() {
            s
        } else {
            format!("{s}.0")
        }
    }
}

impl Setting for SocketAddr {
    fn expected() -> String {
        "a socket address such as 127.0.0.1:3978 or [::1]:3978".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        raw.trim().parse().map_err(|_| String::new())
    }
    fn show(&self) -> String {
        quoted(&self.to_string())
    }
}

impl Setting for url::Url {
    fn expected() -> String {
        "an http:// or https:// URL".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        match url::Url::parse(raw.trim()) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(url),
            _ => Err(String::new()),
        }
    }
    fn show(&self) -> String {
        quoted(self.as_str())
    }
}

impl Setting for uuid::Uuid {
    fn expected() -> String {
        "a GUID such as 00000000-0000-0000-0000-000000000000".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        uuid::Uuid::parse_str(raw.trim()).map_err(|_| String::new())
    }
    fn show(&self) -> String {
        quoted(&self.to_string())
    }
}

/// Optional values: absent by default; an empty string also means absent.
impl<T: Setting> Setting for Option<T> {
    fn expected() -> String {
        T::expected()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            T::from_env(raw).map(Some)
        }
    }
    fn from_toml(raw: &toml::Value) -> Result<Self, String> {
        match raw {
            toml::Value::String(s) if s.trim().is_empty() => Ok(None),
            other => T::from_toml(other).map(Some),
        }
    }
    fn show(&self) -> String {
        match self {
            Some(value) => value.show(),
            None => quoted(""),
        }
    }
    fn echo_in_errors() -> bool {
        T::echo_in_errors()
    }
}

/// Lists: a TOML array, or a comma-separated environment string (empty items dropped).
impl<T: Setting> Setting for Vec<T> {
    fn expected() -> String {
        format!(
            "a list of {} (comma-separated in the environment)",
            T::expected()
        )
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        raw.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(T::from_env)
            .collect()
    }
    fn from_toml(raw: &toml::Value) -> Result<Self, String> {
        match raw {
            toml::Value::Array(items) => items.iter().map(T::from_toml).collect(),
            other => Err(format!("found {}", type_name(other))),
        }
    }
    fn show(&self) -> String {
        let items: Vec<String> = self.iter().map(T::show).collect();
        format!("[{}]", items.join(", "))
    }
    fn echo_in_errors() -> bool {
        T::echo_in_errors()
    }
}

/// Reads keys out of the layered raw values, collecting every problem.
pub(super) struct Loader {
    raw: BTreeMap<String, (Raw, Source)>,
    known: BTreeSet<&'static str>,
    problems: Vec<String>,
    effective: Vec<EffectiveSetting>,
}

impl Loader {
    /// A loader over the layers read (`raw`) and the problems found reading them.
    pub(super) fn new(raw: BTreeMap<String, (Raw, Source)>, problems: Vec<String>) -> Loader {
        Loader {
            raw,
            known: BTreeSet::new(),
            problems,
            effective: Vec::new(),
        }
    }

    /// Reads `key`, falling back to `default`; `check` adds a rule beyond the type.
    pub(super) fn get<T: Setting>(
        &mut self,
        key: &'static str,
        default: T,
        check: impl Fn(&T) -> Result<(), String>,
    ) -> T {
        self.known.insert(key);
        let Some((raw, source)) = self.raw.get(key) else {
            self.effective.push(EffectiveSetting {
                key: key.to_owned(),
                value: default.show(),
                source: Source::Default,
            });
            return default;
        };
        let parsed = match raw {
            Raw::Toml(value) => T::from_toml(value),
            Raw::Env(value) => T::from_env(value),
        }
        .and_then(|value| check(&value).map(|()| value));
        match parsed {
            Ok(value) => {
                self.effective.push(EffectiveSetting {
                    key: key.to_owned(),
                    value: value.show(),
                    source: source.clone(),
                });
                value
            }
            Err(detail) => {
                let shown = if !T::echo_in_errors() {
                    String::new()
                } else {
                    match raw {
                        Raw::Toml(value) => format!(" = {value}"),
                        Raw::Env(value) => format!(" = {}", quoted(value)),
                    }
                };
                let detail = if detail.is_empty() {
                    format!("expected {}", T::expected())
                } else if detail.starts_with("found ") {
                    format!("expected {}, {detail}", T::expected())
                } else {
                    detail
                };
                self.problems
                    .push(format!("{key}{shown} (from {source}): {detail}"));
                default
            }
        }
    }

    /// Where `key`'s value came from.
    pub(super) fn source_of(&self, key: &str) -> Source {
        self.raw
            .get(key)
            .map_or(Source::Default, |(_, source)| source.clone())
    }

    /// Records a problem that involves more than one key, attributed to `key`.
    pub(super) fn problem(&mut self, key: &str, detail: impl fmt::Display) {
        let source = self.source_of(key);
        self.problems
            .push(format!("{key} (from {source}): {detail}"));
    }

    /// Adds a problem for every key that was given but is not a setting.
    pub(super) fn finish(mut self) -> Result<Vec<EffectiveSetting>, ConfigError> {
        for (key, (_, source)) in &self.raw {
            if !self.known.contains(key.as_str()) {
                let hint = closest(key, &self.known)
                    .map(|k| format!("; did you mean `{k}`?"))
                    .unwrap_or_default();
                self.problems
                    .push(format!("{key} (from {source}): unknown setting{hint}"));
            }
        }
        if self.problems.is_empty() {
            Ok(self.effective)
        } else {
            Err(ConfigError {
                problems: self.problems,
            })
        }
    }
}

/// The known key nearest to `key` by edit distance, when it is close enough to be a typo.
pub(super) fn closest<'a>(key: &str, known: &BTreeSet<&'a str>) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (crate::common::edit_distance(key, k), *k))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, k)| k)
}

pub(super) fn read_file_layer(
    path: &Path,
    raw: &mut BTreeMap<String, (Raw, Source)>,
    problems: &mut Vec<String>,
) -> ConfigFile {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return ConfigFile {
                path: path.to_owned(),
                found: false,
            };
        }
        Err(e) => {
            problems.push(format!("config file {}: cannot read: {e}", path.display()));
            return ConfigFile {
                path: path.to_owned(),
                found: true,
            };
        }
    };
    let source = Source::File(path.to_owned());
    match text.parse::<toml::Table>() {
        Ok(table) => {
            for (section, value) in table {
                match value {
                    toml::Value::Table(keys) => {
                        for (key, value) in keys {
                            raw.insert(
                                format!("{section}.{key}"),
                                (Raw::Toml(value), source.clone()),
                            );
                        }
                    }
                    other => problems.push(format!(
                        "{section} (from {source}): expected a [section] table, found {}",
                        type_name(&other)
                    )),
                }
            }
        }
        // The parser's own message quotes the offending line, which may hold a secret: only where, and why.
        Err(e) => {
            let at = match e.span() {
                Some(span) => {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    format!(" at line {line}, column {column}")
                }
                None => String::new(),
            };
            problems.push(format!(
                "config file {}: not valid TOML{at}: {}",
                path.display(),
                e.message().trim().replace('\n', " ")
            ))
        }
    }
    ConfigFile {
        path: path.to_owned(),
        found: true,
    }
}

pub(super) fn read_env_layer(
    env: impl IntoIterator<Item = (String, String)>,
    raw: &mut BTreeMap<String, (Raw, Source)>,
    problems: &mut Vec<String>,
) {
    for (name, value) in env {
        let Some(rest) = name.strip_prefix(ENV_PREFIX) else {
            continue;
        };
        // Variables without the section separator (DOBERMAN_CONFIG, DOBERMAN_TEST_MYSQL_URL) are not settings.
        let Some((section, key)) = rest.split_once(ENV_SEPARATOR) else {
            continue;
        };
        if section.is_empty() || key.is_empty() || key.contains(ENV_SEPARATOR) {
            problems.push(format!(
                "env {name}: expected {ENV_PREFIX}<SECTION>{ENV_SEPARATOR}<KEY>"
            ));
            continue;
        }
        let key = format!("{}.{}", section.to_lowercase(), key.to_lowercase());
        raw.insert(key, (Raw::Env(value), Source::Env(name)));
    }
}
