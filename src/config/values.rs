//! Value types of settings, each parsed and checked once: cron expressions, secrets, database URLs, log formats.

use std::fmt;
use std::str::FromStr;

use super::{Setting, quoted};

/// A validated cron expression: six fields with seconds (`sec min hour day month weekday`), or the usual five
/// (seconds then 0).
#[derive(Clone)]
pub struct CronSpec {
    /// The six-field expression handed to the scheduler.
    pub expression: String,
    cron: croner::Cron,
}

impl fmt::Debug for CronSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.expression)
    }
}

impl PartialEq for CronSpec {
    fn eq(&self, other: &Self) -> bool {
        self.expression == other.expression
    }
}

impl CronSpec {
    /// The parser tokio-cron-scheduler uses, so what is validated here is what runs.
    fn parser() -> croner::parser::CronParser {
        croner::parser::CronParser::builder()
            .seconds(croner::parser::Seconds::Required)
            .dom_and_dow(true)
            .build()
    }

    /// The first occurrence strictly after `after`, in `tz`.
    pub fn next_after(
        &self,
        after: chrono::DateTime<chrono::Utc>,
        tz: chrono_tz::Tz,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        self.cron
            .find_next_occurrence(&after.with_timezone(&tz), false)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
    }

    /// The latest occurrence at or before `at`, in `tz`.
    pub fn latest_at_or_before(
        &self,
        at: chrono::DateTime<chrono::Utc>,
        tz: chrono_tz::Tz,
    ) -> Option<chrono::DateTime<chrono::Utc>> {
        self.cron
            .find_previous_occurrence(&at.with_timezone(&tz), true)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc))
    }

    /// The time between the next two occurrences after `after`: what "overdue" means for catch-up.
    pub fn period(
        &self,
        after: chrono::DateTime<chrono::Utc>,
        tz: chrono_tz::Tz,
    ) -> Option<chrono::Duration> {
        let first = self.next_after(after, tz)?;
        let second = self.next_after(first, tz)?;
        Some(second - first)
    }
}

impl FromStr for CronSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fields: Vec<&str> = s.split_whitespace().collect();
        let expression = match fields.len() {
            5 => format!("0 {}", fields.join(" ")),
            6 => fields.join(" "),
            n => {
                return Err(format!(
                    "expected a cron expression of 5 fields (min hour day month weekday) or 6 (with seconds first), found {n}"
                ));
            }
        };
        let cron = CronSpec::parser()
            .parse(&expression)
            .map_err(|e| format!("not a valid cron expression: {e}"))?;
        let spec = CronSpec { expression, cron };
        if spec
            .next_after(crate::clock::now(), chrono_tz::UTC)
            .is_none()
        {
            return Err("the cron expression never fires".into());
        }
        Ok(spec)
    }
}

impl Setting for CronSpec {
    fn expected() -> String {
        "a cron expression such as \"0 */15 * * * *\" (sec min hour day month weekday) or \"*/15 * * * *\"".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        raw.parse()
    }
    fn show(&self) -> String {
        quoted(&self.expression)
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable, coloured when writing to a terminal.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// A value that must never be shown: `Debug` and `Display` print `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that has to send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// The account name of demo catalog and query rows (`aws.accounts` names cannot collide: they are checked not
/// to be it).
pub const DEMO_ACCOUNT: &str = "demo";

/// Which database a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file: the zero-setup default.
    Sqlite,
    /// A MySQL or MariaDB server: production, read by Superset.
    MySql,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::MySql => "mysql",
        })
    }
}

/// A validated database URL whose password never appears in `Debug` or `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    url: Secret,
    shown: String,
}

impl DatabaseUrl {
    /// The backend the URL's scheme names.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The full URL, password included: hand it to the driver only.
    pub fn expose(&self) -> &str {
        self.url.expose()
    }

    /// For MySQL, the database name from the URL's path.
    pub fn mysql_database(&self) -> Option<String> {
        match self.backend {
            Backend::MySql => url::Url::parse(self.url.expose())
                .ok()
                .map(|u| u.path().trim_start_matches('/').to_owned()),
            Backend::Sqlite => None,
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl FromStr for DatabaseUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const EXPECTED: &str =
            "sqlite://PATH, sqlite::memory: or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE";
        let s = s.trim();
        if s.starts_with("sqlite:") {
            let path = s.trim_start_matches("sqlite:").trim_start_matches("//");
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(format!(
                    "a SQLite URL needs a file path: expected {EXPECTED}"
                ));
            }
            return Ok(DatabaseUrl {
                backend: Backend::Sqlite,
                url: Secret::new(s),
                shown: s.to_owned(),
            });
        }
        let mut url = url::Url::parse(s).map_err(|_| format!("expected {EXPECTED}"))?;
        if url.scheme() != "mysql" && url.scheme() != "mariadb" {
            return Err(format!(
                "unsupported scheme `{}`: expected {EXPECTED}",
                url.scheme()
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("a MySQL URL needs a host: expected {EXPECTED}"));
        }
        let database = url.path().trim_start_matches('/');
        if database.is_empty() {
            return Err(format!(
                "a MySQL URL needs a database name in its path: expected {EXPECTED}"
            ));
        }
        if !is_plain_identifier(database) {
            return Err(format!(
                "the database name `{database}` may hold only letters, digits and `_` (at most 64)"
            ));
        }
        if url.scheme() == "mariadb" {
            // sqlx speaks to MariaDB through its MySQL driver, which only knows the `mysql` scheme.
            let rest = &s["mariadb".len()..];
            url = url::Url::parse(&format!("mysql{rest}")).map_err(|e| e.to_string())?;
        }
        let mut shown = url.clone();
        let had_password = shown.password().is_some();
        // Removing the password of a URL with a host cannot fail.
        let _ = shown.set_password(None);
        let mut shown = shown.to_string();
        if had_password {
            // The user name is percent-encoded, so the first `@` ends the user info.
            shown = shown.replacen('@', ":[redacted]@", 1);
        }
        Ok(DatabaseUrl {
            backend: Backend::MySql,
            url: Secret::new(url.as_str()),
            shown,
        })
    }
}

/// True for names that are safe to put into SQL as identifiers: `[A-Za-z0-9_]{1,64}`.
pub fn is_plain_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Setting for Secret {
    fn expected() -> String {
        "a string".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        Ok(Secret::new(raw))
    }
    fn show(&self) -> String {
        quoted("[redacted]")
    }
    fn echo_in_errors() -> bool {
        false
    }
}

impl Setting for DatabaseUrl {
    fn expected() -> String {
        "sqlite://PATH or mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        raw.parse()
    }
    fn show(&self) -> String {
        quoted(&self.shown)
    }
    fn echo_in_errors() -> bool {
        // A URL that failed to parse cannot be trusted to have its password redacted.
        false
    }
}

impl Setting for LogFormat {
    fn expected() -> String {
        "`pretty` or `json`".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "pretty" => Ok(LogFormat::Pretty),
            "json" => Ok(LogFormat::Json),
            _ => Err(String::new()),
        }
    }
    fn show(&self) -> String {
        quoted(match self {
            LogFormat::Pretty => "pretty",
            LogFormat::Json => "json",
        })
    }
}
