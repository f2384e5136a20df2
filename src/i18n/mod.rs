//! What people read, in their language: message catalogs in [Project Fluent](https://projectfluent.org) for
//! English and Korean (`locales/en/*.ftl`, `locales/ko/*.ftl`, joined by `build.rs` and embedded), with plural
//! rules, numbers grouped, and dates, times and money written the locale's way ([`fmt`]).
//!
//! Every string a person sees is a message of the catalogs: cards, replies, errors, help, alerts, the heartbeat,
//! requirement cards and the Teams manifest's command descriptions. Code asks for one with [`t!`]:
//!
//! ```
//! use doberman::{i18n::{self, Lang}, t};
//! let text = i18n::sync_scope(Lang::Ko, || t!("fmt-queries", n = 2));
//! assert_eq!(text, "쿼리 2건");
//! ```
//!
//! **The language is ambient**: the chat logic resolves the asker's language (the chat's `language` setting, the
//! activity's `locale`, `chat.default_locale`) and runs the command inside [`scope`]; a card or alert delivered
//! to a conversation is drawn inside the scope of that conversation's language. Passing a language through every
//! function that may format a string would touch hundreds of signatures for no gain in safety: outside any scope
//! the language is English, which a test can catch by running in Korean ([`Lang::Ko`]) and looking for English.
//!
//! Card templates take their fixed words from the same catalogs: every message whose id starts with `t_` is given
//! to the template as `$root.t.<rest>` (`t_data_as_of` → `${$root.t.data_as_of}`); see [`labels`].

pub mod fmt;

use std::collections::BTreeMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentResource, FluentValue};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use fluent_bundle::FluentArgs;

/// A language Doberman speaks.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (`en-US`): the default.
    #[default]
    En,
    /// Korean (`ko-KR`).
    Ko,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ko];

    /// The language of a BCP 47 tag as Teams sends it (`ko-KR`, `en-US`, `en-GB`, `ko`); `None` for others.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "ko" => Some(Lang::Ko),
            _ => None,
        }
    }

    /// The language a person names, in either language: `ko`, `korean`, `한국어`, `en`, `english`, `영어`, or a
    /// tag.
    pub fn from_word(word: &str) -> Option<Lang> {
        let w = word.trim().to_lowercase();
        match w.as_str() {
            "korean" | "kor" | "한국어" | "한글" | "한국말" | "국어" => Some(Lang::Ko),
            "english" | "eng" | "영어" | "英語" => Some(Lang::En),
            other => Lang::from_tag(other),
        }
    }

    /// The tag Doberman uses for it: `en-US`, `ko-KR`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en-US",
            Lang::Ko => "ko-KR",
        }
    }

    /// The two-letter code: `en`, `ko`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Ko => 1,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Lang, String> {
        Lang::from_tag(s)
            .ok_or_else(|| format!("`{s}` is not a language Doberman speaks: en-US or ko-KR"))
    }
}

tokio::task_local! {
    static CURRENT: Lang;
}

/// The language of the work in progress: the one of the innermost [`scope`], English outside any.
pub fn current() -> Lang {
    CURRENT.try_with(|l| *l).unwrap_or_default()
}

/// Runs `work` in `lang`: every message it formats is in that language.
pub async fn scope<F: std::future::Future>(lang: Lang, work: F) -> F::Output {
    CURRENT.scope(lang, work).await
}

/// Runs `work` in `lang`, synchronously.
pub fn sync_scope<R>(lang: Lang, work: impl FnOnce() -> R) -> R {
    CURRENT.sync_scope(lang, work)
}

/// One language's catalog.
struct Catalog {
    bundle: FluentBundle<FluentResource>,
    /// Every message id, in file order.
    ids: Vec<String>,
    /// The `t_` messages, for templates.
    labels: Value,
}

/// The embedded message files of each language, joined (see `build.rs`).
const SOURCES: [&str; 2] = [
    include_str!(concat!(env!("OUT_DIR"), "/en.ftl")),
    include_str!(concat!(env!("OUT_DIR"), "/ko.ftl")),
];

/// Numbers as people read them in both languages: thousands grouped (`1,234`), up to two decimals.
fn format_number(
    value: &FluentValue<'_>,
    _: &intl_memoizer::concurrent::IntlLangMemoizer,
) -> Option<String> {
    match value {
        FluentValue::Number(n) => Some(fmt::number(n.value, n.options.minimum_fraction_digits)),
        _ => None,
    }
}

fn build(lang: Lang) -> Result<Catalog, String> {
    let source = SOURCES[lang.index()];
    let resource = FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| {
        let first = errors
            .first()
            .map(|e| {
                let line = source[..e.pos.start.min(source.len())].lines().count();
                format!("near joined line {line}: {e}")
            })
            .unwrap_or_default();
        format!(
            "{} catalog: {} syntax errors, first {first}",
            lang.code(),
            errors.len()
        )
    })?;
    let mut ids = Vec::new();
    for entry in resource.entries() {
        if let fluent_syntax::ast::Entry::Message(m) = entry {
            ids.push(m.id.name.to_owned());
        }
    }
    let langid: unic_langid::LanguageIdentifier = lang
        .tag()
        .parse()
        .map_err(|e| format!("{}: {e}", lang.tag()))?;
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Unicode isolation marks around values would reach Teams as invisible characters.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(format_number));
    bundle.add_resource(resource).map_err(|errors| {
        format!(
            "{} catalog: {}",
            lang.code(),
            errors
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        )
    })?;
    let mut labels = serde_json::Map::new();
    for id in ids.iter().filter(|id| id.starts_with("t_")) {
        let pattern = bundle
            .get_message(id)
            .and_then(|m| m.value())
            .ok_or_else(|| format!("{} catalog: `{id}` has no value", lang.code()))?;
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, None, &mut errors)
            .into_owned();
        if !errors.is_empty() {
            return Err(format!(
                "{} catalog: `{id}` takes no arguments: {errors:?}",
                lang.code()
            ));
        }
        labels.insert(id["t_".len()..].to_owned(), Value::String(text));
    }
    Ok(Catalog {
        bundle,
        ids,
        labels: Value::Object(labels),
    })
}

static CATALOGS: LazyLock<Result<[Catalog; 2], String>> =
    LazyLock::new(|| Ok([build(Lang::En)?, build(Lang::Ko)?]));

/// Loads and checks both catalogs: at start-up, so that a broken catalog stops Doberman rather than a question.
pub fn check() -> Result<(), String> {
    CATALOGS.as_ref().map(|_| ()).map_err(Clone::clone)
}

fn catalog(lang: Lang) -> &'static Catalog {
    match CATALOGS.as_ref() {
        Ok(all) => &all[lang.index()],
        // Embedded at build time and checked by the tests and at start-up.
        Err(e) => panic!("the message catalogs are broken: {e}"),
    }
}

/// The message `id` in `lang`, with `args`. A message missing in Korean falls back to English, and one missing
/// in both to its id (both logged; a test keeps every id of the code in both catalogs).
pub fn message(lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
    let catalog = catalog(lang);
    match catalog.bundle.get_message(id).and_then(|m| m.value()) {
        Some(pattern) => {
            let mut errors = Vec::new();
            let text = catalog.bundle.format_pattern(pattern, args, &mut errors);
            if !errors.is_empty() {
                tracing::error!(
                    id,
                    lang = lang.code(),
                    ?errors,
                    "a message was formatted with errors"
                );
            }
            text.into_owned()
        }
        None if lang != Lang::En => {
            tracing::error!(id, lang = lang.code(), "no such message; English instead");
            message(Lang::En, id, args)
        }
        None => {
            tracing::error!(id, "no such message");
            id.to_owned()
        }
    }
}

/// The message `id` in the current language ([`current`]).
pub fn text(id: &str, args: Option<&FluentArgs<'_>>) -> String {
    message(current(), id, args)
}

/// Whether `lang`'s catalog has the message `id`.
pub fn has(lang: Lang, id: &str) -> bool {
    catalog(lang).bundle.has_message(id)
}

/// Every message id of `lang`'s catalog, in file order.
pub fn ids(lang: Lang) -> &'static [String] {
    &catalog(lang).ids
}

/// The fixed words of the card templates in `lang`: `{ "data_as_of": "data as of", … }`, from the `t_` messages.
pub fn labels(lang: Lang) -> &'static Value {
    &catalog(lang).labels
}

/// A value a message is formatted with: [`t!`] takes strings and numbers.
pub trait Arg {
    /// The value, owned.
    fn into_value(self) -> FluentValue<'static>;
}

impl Arg for String {
    fn into_value(self) -> FluentValue<'static> {
        FluentValue::from(self)
    }
}

impl Arg for &String {
    fn into_value(self) -> FluentValue<'static> {
        FluentValue::from(self.clone())
    }
}

impl Arg for &str {
    fn into_value(self) -> FluentValue<'static> {
        FluentValue::from(self.to_owned())
    }
}

impl Arg for std::borrow::Cow<'_, str> {
    fn into_value(self) -> FluentValue<'static> {
        FluentValue::from(self.into_owned())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl Arg for $t {
            fn into_value(self) -> FluentValue<'static> {
                FluentValue::from(self)
            }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize, f64);

/// A message of the catalogs in the current language: `t!("id")` or `t!("id", name = value, …)`, values strings
/// or numbers (numbers select plurals and are grouped: `1,234`).
#[macro_export]
macro_rules! t {
    ($id:expr) => {
        $crate::i18n::text($id, None)
    };
    ($id:expr, $($key:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::FluentArgs::new();
        $( args.set(stringify!($key), $crate::i18n::Arg::into_value($value)); )+
        $crate::i18n::text($id, Some(&args))
    }};
}

/// A message to be written later, in the language of whoever reads it: what an alert keeps in the store (its
/// title and detail) so that each conversation's card is drawn in its own language. Stored as JSON; text that is
/// not such JSON (rows written before) is shown as it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Msg {
    /// The message id.
    #[serde(rename = "msg")]
    pub id: String,
    /// Its arguments.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, MsgArg>,
}

/// An argument of a [`Msg`]: text, a number, or a time written when read (in the reader's zone and language).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MsgArg {
    /// A number.
    Num(f64),
    /// A time, written `{"at": "…"}`.
    Time {
        /// The instant.
        at: chrono::DateTime<chrono::Utc>,
    },
    /// Text, as is (data: names, figures already formatted).
    Text(String),
}

impl Msg {
    /// The message `id` with no arguments yet.
    pub fn new(id: &str) -> Msg {
        Msg {
            id: id.to_owned(),
            args: BTreeMap::new(),
        }
    }

    /// With text `value` as `name`.
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Msg {
        self.args
            .insert(name.to_owned(), MsgArg::Text(value.into()));
        self
    }

    /// With the number `value` as `name`.
    pub fn num(mut self, name: &str, value: f64) -> Msg {
        self.args.insert(name.to_owned(), MsgArg::Num(value));
        self
    }

    /// With the time `at` as `name`.
    pub fn time(mut self, name: &str, at: chrono::DateTime<chrono::Utc>) -> Msg {
        self.args.insert(name.to_owned(), MsgArg::Time { at });
        self
    }

    /// As stored.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).expect("a message is plain data")
    }

    /// Written in the current language; times in `tz`, with how long before `now`.
    pub fn render(&self, now: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in &self.args {
            let value = match value {
                MsgArg::Num(n) => FluentValue::from(*n),
                MsgArg::Text(s) => FluentValue::from(s.clone()),
                MsgArg::Time { at } => FluentValue::from(fmt::when(*at, now, tz)),
            };
            args.set(name.clone(), value);
        }
        text(&self.id, Some(&args))
    }

    /// Stored text written for people: a [`Msg`] rendered, anything else as it is.
    pub fn render_stored(
        stored: &str,
        now: chrono::DateTime<chrono::Utc>,
        tz: chrono_tz::Tz,
    ) -> String {
        if stored.starts_with("{\"msg\"")
            && let Ok(msg) = serde_json::from_str::<Msg>(stored)
        {
            return msg.render(now, tz);
        }
        stored.to_owned()
    }
}

/// Pieces of text shown one after another, `sep` between them.
#[derive(Debug, Serialize, Deserialize)]
struct Joined {
    join: Vec<String>,
    sep: String,
}

/// Stored texts shown one after another with `sep` between them, as the store keeps them.
pub fn joined(pieces: &[String], sep: &str) -> String {
    serde_json::to_string(&Joined {
        join: pieces.to_vec(),
        sep: sep.to_owned(),
    })
    .expect("pieces of text are plain data")
}

/// Whether `stored` is a stored message or pieces of them, rather than plain text.
pub fn is_stored_message(stored: &str) -> bool {
    (stored.starts_with("{\"msg\"") && serde_json::from_str::<Msg>(stored).is_ok())
        || (stored.starts_with("{\"join\"") && serde_json::from_str::<Joined>(stored).is_ok())
}

/// A stored text (a [`Msg`], pieces [`joined`], or plain text) written in the current language, its times in
/// `tz` with how long before `now`. A message's text arguments may themselves be stored texts: they are drawn
/// first, in the same language.
pub fn draw_stored(stored: &str, now: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> String {
    if stored.starts_with("{\"join\"")
        && let Ok(joined) = serde_json::from_str::<Joined>(stored)
    {
        return joined
            .join
            .iter()
            .map(|piece| draw_stored(piece, now, tz))
            .collect::<Vec<_>>()
            .join(&joined.sep);
    }
    if stored.starts_with("{\"msg\"")
        && let Ok(mut msg) = serde_json::from_str::<Msg>(stored)
    {
        for value in msg.args.values_mut() {
            if let MsgArg::Text(text) = value
                && (text.starts_with("{\"msg\"") || text.starts_with("{\"join\""))
            {
                *text = draw_stored(text, now, tz);
            }
        }
        return msg.render(now, tz);
    }
    stored.to_owned()
}

/// How a stored text is kept in a table people also read without Doberman (Superset reads `alert.title`,
/// `fact_check_result.message`): the text in English, times in UTC as of `now`, and the stored message itself
/// for a column of its own when it is one (`None` for plain text, which is kept as it is).
pub fn for_the_record(
    stored: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> (String, Option<String>) {
    if is_stored_message(stored) {
        let english = sync_scope(Lang::En, || draw_stored(stored, now, chrono_tz::UTC));
        (english, Some(stored.to_owned()))
    } else {
        (stored.to_owned(), None)
    }
}

/// Words that stay as they are in Korean text: product names, units, zones and codes.
pub const KEPT_IN_KOREAN: &[&str] = &[
    "AWS",
    "Athena",
    "Glue",
    "Airflow",
    "Superset",
    "Teams",
    "Doberman",
    "DAG",
    "DAGs",
    "SQL",
    "KST",
    "UTC",
    "CUR",
    "S3",
    "Data",
    "Quality",
    "REQ",
    "ERP",
    "ID",
    "URL",
    "API",
    "USD",
    "KRW",
    "JSON",
    "TOML",
    "Workflows",
    "Entra",
    "English",
    "TiB",
    "GiB",
    "MiB",
    "KiB",
    "Amazon",
    "Microsoft",
    "Slack",
    "Iceberg",
    "Hive",
    "Parquet",
    "GB",
    "TB",
];

/// English words left in a Korean text, outside `{ placeables }`, `code spans` and the words kept ([`KEPT_IN_KOREAN`]):
/// what a test of a Korean card or message looks for (data, such as table names, it leaves out itself).
pub fn english_words(text: &str) -> Vec<String> {
    words_of(&outside_code(text))
}

/// `text` with its code (between backticks) and placeholders (between braces) blanked out.
fn outside_code(text: &str) -> String {
    let mut plain = String::new();
    let (mut in_code, mut depth) = (false, 0usize);
    for c in text.chars() {
        match c {
            '`' => in_code = !in_code,
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if !in_code && depth == 0 => plain.push(c),
            _ => plain.push(' '),
        }
    }
    plain
}

/// The Latin words of `plain` that are not kept in Korean text.
fn words_of(plain: &str) -> Vec<String> {
    plain
        .split(|c: char| !(c.is_ascii_alphabetic()))
        .filter(|w| w.len() >= 3 && !KEPT_IN_KOREAN.contains(w))
        .map(str::to_owned)
        .collect()
}

/// The English words left in `text` (a Korean answer) once its data is taken out: `data` (names, as they are in
/// any language; the longest first), identifiers (words with `.`, `_` or `://`), code and placeholders. None is
/// what a Korean reader should see; tests use it on every answer they draw in Korean.
pub fn english_besides(text: &str, data: &[&str]) -> Vec<String> {
    // `kit::to_text` writes an image as `[image: <alt text>]`.
    let mut plain = text.replace("[image: ", "[");
    let mut data = data.to_vec();
    data.sort_by_key(|d| std::cmp::Reverse(d.len()));
    for d in data.into_iter().filter(|d| !d.is_empty()) {
        plain = plain.replace(d, " ");
    }
    let plain = outside_code(&plain);
    let words: Vec<&str> = plain
        .split_whitespace()
        .filter(|word| {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
            !(word.contains("://") || bare.contains('_') || bare.contains('.'))
        })
        .collect();
    words_of(&words.join(" "))
}

#[cfg(test)]
mod tests;
