//! `[alerts]` and `[heartbeat]`: what the alert rules look for, who owns what, where topics go without the bot,
//! and the daily heartbeat with its dead-man's switch.

use std::time::Duration;

use serde::Deserialize;

use super::{Loader, Secret, Setting, quoted};

/// An alert topic: what people subscribe to, mute, and route to a webhook. Declared once: parsing, help, config
/// validation, the rules evaluated and the dashboards linked all read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    /// Collectors that failed, or have not run when they should have.
    Jobs,
    /// Tables whose data stopped changing.
    Freshness,
    /// Budgets crossed and unusual days.
    Cost,
    /// Failing or heavy Athena queries.
    Athena,
    /// Airflow DAGs that failed, run too long, did not start, or whose files fail to import.
    Airflow,
    /// Data checks that fail or cannot run.
    Quality,
    /// The daily "I'm alive" card (no rule: it cannot be muted).
    Heartbeat,
}

impl Topic {
    /// Every topic, in the order people see them.
    pub const ALL: [Topic; 7] = [
        Topic::Jobs,
        Topic::Freshness,
        Topic::Cost,
        Topic::Athena,
        Topic::Airflow,
        Topic::Quality,
        Topic::Heartbeat,
    ];

    /// The topics alert rules evaluate.
    pub const RULES: [Topic; 6] = [
        Topic::Jobs,
        Topic::Freshness,
        Topic::Cost,
        Topic::Athena,
        Topic::Airflow,
        Topic::Quality,
    ];

    /// Which card a problem of `subject` belongs on: problems of one group share a card (a new one joins the
    /// group's open card), each group its own. `None`: the problems found together share one card.
    /// - `airflow`: a card per DAG (per subject).
    /// - `quality`: a card per failing `error` check (`error/<table>/<check>`); `warn` checks share a card per
    ///   table (`warn/<table>/<check>` → `warn/<table>`).
    pub fn card_group(self, subject: &str) -> Option<String> {
        match self {
            Topic::Airflow => Some(subject.to_owned()),
            Topic::Quality => match subject.strip_prefix("warn/") {
                Some(rest) => Some(format!(
                    "warn/{}",
                    rest.split('/').next().unwrap_or_default()
                )),
                None => Some(subject.to_owned()),
            },
            _ => None,
        }
    }

    /// Its name, as typed and stored.
    pub fn name(self) -> &'static str {
        match self {
            Topic::Jobs => "jobs",
            Topic::Freshness => "freshness",
            Topic::Cost => "cost",
            Topic::Athena => "athena",
            Topic::Airflow => "airflow",
            Topic::Quality => "quality",
            Topic::Heartbeat => "heartbeat",
        }
    }

    /// The topic named `name` exactly.
    pub fn parse(name: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Whether it can be muted (the heartbeat cannot: it is the proof of life).
    pub fn mutable(self) -> bool {
        self != Topic::Heartbeat
    }

    /// The Superset dashboard its cards link to.
    pub fn dashboard(self) -> &'static str {
        match self {
            Topic::Freshness => "doberman-catalog",
            Topic::Cost => "doberman-cost",
            Topic::Athena => "doberman-usage",
            Topic::Airflow => "doberman-airflow",
            Topic::Quality => "doberman-quality",
            Topic::Jobs | Topic::Heartbeat => "doberman-operations",
        }
    }

    /// Every topic's name, `, `-separated.
    pub fn names() -> String {
        Topic::ALL.map(Topic::name).join(", ")
    }
}

impl std::fmt::Display for Topic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `[alerts]` settings.
#[derive(Debug, Clone)]
pub struct AlertsConfig {
    /// `alerts.enabled`: false evaluates no rule (subscriptions and the heartbeat still work).
    pub enabled: bool,
    /// `alerts.every_secs`: how often the rules run besides after each collector run.
    pub every_secs: u32,
    /// `alerts.freshness`: expected update intervals by `database.table` glob (first match wins).
    pub freshness: Vec<FreshnessRule>,
    /// `alerts.freshness_learn`: tables no rule names are expected to change within twice the median gap of
    /// their recent changes (at least 4 changes seen in 30 days).
    pub freshness_learn: bool,
    /// `alerts.owners`: who is @mentioned on alerts about tables matching a glob.
    pub owners: Vec<Owner>,
    /// `alerts.budgets`: monthly budgets per AWS account id; 80 % and 100 % of one fire an alert.
    pub budgets: Vec<Budget>,
    /// `alerts.cost_anomaly_sigma`: a day whose total is this many standard deviations above the 14 days before
    /// it fires; 0 turns the rule off.
    pub cost_anomaly_sigma: u32,
    /// `alerts.athena_failed_pct`: the share of failed Athena queries in the last hour that fires (with at
    /// least 10 queries and twice the week's share); 0 turns the rule off.
    pub athena_failed_pct: u32,
    /// `alerts.athena_max_scan_gib`: a single query scanning more fires; 0 turns the rule off.
    pub athena_max_scan_gib: u32,
    /// `alerts.webhooks`: Teams Workflows webhook URLs per topic, for channels without the bot.
    pub webhooks: Vec<WebhookRoute>,
    /// `alerts.claim_secs`: how long a delivery worker's claim on a message lasts; a process killed mid-send
    /// leaves its message to another worker (or itself after a restart) this much later.
    pub claim_secs: u32,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        AlertsConfig {
            enabled: true,
            every_secs: 300,
            freshness: Vec::new(),
            freshness_learn: true,
            owners: Vec::new(),
            budgets: Vec::new(),
            cost_anomaly_sigma: 3,
            athena_failed_pct: 20,
            athena_max_scan_gib: 1024,
            webhooks: Vec::new(),
            claim_secs: 60,
        }
    }
}

/// `[heartbeat]` settings.
#[derive(Debug, Clone)]
pub struct HeartbeatConfig {
    /// `heartbeat.at`: local time (`schedule.timezone`) of the daily heartbeat, `HH:MM`; empty: none.
    pub at: Option<(u32, u32)>,
    /// `heartbeat.ping_url`: called (GET) after each heartbeat and every `ping_every_secs`, so an outside monitor
    /// notices when Doberman goes silent. A secret: such URLs carry their token.
    pub ping_url: Option<Secret>,
    /// `heartbeat.ping_every_secs`: seconds between pings; 0 pings only after the heartbeat.
    pub ping_every_secs: u32,
}

impl Default for HeartbeatConfig {
    fn default() -> Self {
        HeartbeatConfig {
            at: Some((9, 0)),
            ping_url: None,
            ping_every_secs: 300,
        }
    }
}

/// An expected update interval for tables matching `tables` (an entry of `alerts.freshness`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreshnessRule {
    /// `database.table` glob (`*` any run of characters, `?` one), case-insensitive.
    pub tables: String,
    /// How often they change at least, e.g. `26h`, `7d`; `off` ignores them.
    pub every: String,
}

impl FreshnessRule {
    /// The interval; `None` for `off`.
    pub fn interval(&self) -> Option<Duration> {
        parse_duration(&self.every).ok()
    }
}

/// Who owns tables matching `tables` (an entry of `alerts.owners`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// `database.table` glob; `*` for every alert.
    pub tables: String,
    /// Their Teams id (`29:…`) or Entra object id, for the @mention.
    pub id: String,
    /// Their name as Teams shows it.
    pub name: String,
}

/// A monthly budget (an entry of `alerts.budgets`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// The 12-digit AWS account id.
    pub account: String,
    /// The budget per month, in the report's currency.
    pub monthly: f64,
}

/// A topic sent to a Teams Workflows webhook (an entry of `alerts.webhooks`). `Debug` hides the URL.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookRoute {
    /// The topic.
    pub topic: String,
    /// The flow's URL ("When a Teams webhook request is received"); it carries its signature, so it is a secret.
    pub url: String,
}

impl std::fmt::Debug for WebhookRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookRoute")
            .field("topic", &self.topic)
            .field("url", &"[redacted]")
            .finish()
    }
}

/// `30s`, `90m`, `26h`, `7d`, `2w` (a whole number and a unit); `Err` with what to write.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim().to_ascii_lowercase();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration such as 30m, 26h or 7d"))?;
    let unit_secs = match unit.trim() {
        "s" | "sec" | "secs" => 1,
        "m" | "min" | "mins" => 60,
        "h" | "hour" | "hours" => 3_600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 604_800,
        _ => return Err(format!("`{text}` is not a duration such as 30m, 26h or 7d")),
    };
    if n == 0 {
        return Err("a duration must be more than 0".to_owned());
    }
    n.checked_mul(unit_secs)
        .filter(|s| *s <= 366 * 86_400)
        .map(Duration::from_secs)
        .ok_or_else(|| "at most a year".to_owned())
}

/// Whether `name` matches the glob `pattern` (`*` any run, `?` one character), ignoring case.
pub fn glob_matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    // Iterative wildcard match with one backtrack point: linear in practice, no recursion.
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Lists of tables in TOML, a JSON array of objects in the environment, each entry checked.
pub(super) trait Entry: Sized + serde::de::DeserializeOwned {
    const EXPECTED: &'static str;
    /// Whether a value may be repeated in an error (webhook URLs carry their signature: no).
    const ECHO: bool = true;
    fn check(&self) -> Result<(), String>;
    fn show(&self) -> String;
}

macro_rules! entry_list_setting {
    ($t:ty) => {
        impl Setting for Vec<$t> {
            fn expected() -> String {
                <$t as Entry>::EXPECTED.to_owned()
            }
            fn from_env(raw: &str) -> Result<Self, String> {
                if raw.trim().is_empty() {
                    return Ok(Vec::new());
                }
                let items: Vec<$t> = serde_json::from_str(raw)
                    .map_err(|e| format!("expected {}: {e}", Self::expected()))?;
                items.iter().try_for_each(Entry::check).map(|()| items)
            }
            fn from_toml(raw: &toml::Value) -> Result<Self, String> {
                let items: Vec<$t> = raw.clone().try_into().map_err(|e: toml::de::Error| {
                    format!("expected {}: {}", Self::expected(), e.message())
                })?;
                items.iter().try_for_each(Entry::check).map(|()| items)
            }
            fn show(&self) -> String {
                let items: Vec<String> = self.iter().map(Entry::show).collect();
                format!("[{}]", items.join(", "))
            }
            fn echo_in_errors() -> bool {
                <$t as Entry>::ECHO
            }
        }
    };
}
pub(super) use entry_list_setting;

impl Entry for FreshnessRule {
    const EXPECTED: &'static str = "a list of {tables = \"db.table glob\", every = \"26h\" or \"off\"} (a JSON array in the environment)";
    fn check(&self) -> Result<(), String> {
        if self.tables.trim().is_empty() {
            return Err("a freshness rule needs `tables`".to_owned());
        }
        if self.every.trim().eq_ignore_ascii_case("off") {
            return Ok(());
        }
        parse_duration(&self.every)
            .map(|_| ())
            .map_err(|e| format!("tables `{}`: {e}", self.tables))
    }
    fn show(&self) -> String {
        format!(
            "{{ tables = {}, every = {} }}",
            quoted(&self.tables),
            quoted(&self.every)
        )
    }
}
entry_list_setting!(FreshnessRule);

impl Entry for Owner {
    const EXPECTED: &'static str = "a list of {tables = \"db.table glob\", id = \"29:… or Entra object id\", name} (a JSON array in the environment)";
    fn check(&self) -> Result<(), String> {
        if self.tables.trim().is_empty() || self.id.trim().is_empty() || self.name.trim().is_empty()
        {
            return Err("an owner needs `tables`, `id` and `name`".to_owned());
        }
        Ok(())
    }
    fn show(&self) -> String {
        format!(
            "{{ tables = {}, id = {}, name = {} }}",
            quoted(&self.tables),
            quoted(&self.id),
            quoted(&self.name)
        )
    }
}
entry_list_setting!(Owner);

impl Entry for Budget {
    const EXPECTED: &'static str = "a list of {account = \"123456789012\", monthly = 1000.0} (a JSON array in the environment)";
    fn check(&self) -> Result<(), String> {
        if self.account.len() != 12 || !self.account.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!(
                "`{}` is not a 12-digit AWS account id",
                self.account
            ));
        }
        if !(self.monthly.is_finite() && self.monthly > 0.0) {
            return Err(format!(
                "the budget of {} must be more than 0",
                self.account
            ));
        }
        Ok(())
    }
    fn show(&self) -> String {
        format!(
            "{{ account = {}, monthly = {} }}",
            quoted(&self.account),
            self.monthly
        )
    }
}
entry_list_setting!(Budget);

impl Entry for WebhookRoute {
    const EXPECTED: &'static str =
        "a list of {topic, url = \"https://…\"} (a JSON array in the environment)";
    const ECHO: bool = false;
    fn check(&self) -> Result<(), String> {
        if Topic::parse(&self.topic).is_none() {
            return Err(format!(
                "`{}` is not a topic: {}",
                self.topic,
                Topic::names()
            ));
        }
        match url::Url::parse(&self.url) {
            Ok(u) if matches!(u.scheme(), "https" | "http") && u.host().is_some() => Ok(()),
            // The URL is a secret: never repeat it.
            _ => Err(format!(
                "the webhook of `{}` is not an http(s) URL",
                self.topic
            )),
        }
    }
    fn show(&self) -> String {
        format!(
            "{{ topic = {}, url = {} }}",
            quoted(&self.topic),
            quoted("[redacted]")
        )
    }
}
entry_list_setting!(WebhookRoute);

/// `HH:MM` local times.
#[derive(Debug, Clone, Copy)]
struct ClockTime(u32, u32);

impl Setting for ClockTime {
    fn expected() -> String {
        "a time of day such as 09:00".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        let (h, m) = raw.trim().split_once(':').ok_or_else(String::new)?;
        match (h.parse::<u32>(), m.parse::<u32>()) {
            (Ok(h), Ok(m)) if h < 24 && m < 60 && m.to_string().len() <= 2 => Ok(ClockTime(h, m)),
            _ => Err(String::new()),
        }
    }
    fn show(&self) -> String {
        quoted(&format!("{:02}:{:02}", self.0, self.1))
    }
}

fn range(lo: u32, hi: u32, what: &'static str) -> impl Fn(&u32) -> Result<(), String> {
    move |n| {
        if (lo..=hi).contains(n) {
            Ok(())
        } else {
            Err(format!("expected {what} from {lo} to {hi}"))
        }
    }
}

pub(super) fn load_alerts(l: &mut Loader) -> AlertsConfig {
    let d = AlertsConfig::default();
    AlertsConfig {
        enabled: l.get("alerts.enabled", d.enabled, |_| Ok(())),
        every_secs: l.get(
            "alerts.every_secs",
            d.every_secs,
            range(10, 86_400, "seconds"),
        ),
        freshness: l.get("alerts.freshness", d.freshness, |_| Ok(())),
        freshness_learn: l.get("alerts.freshness_learn", d.freshness_learn, |_| Ok(())),
        owners: l.get("alerts.owners", d.owners, |_| Ok(())),
        budgets: l.get("alerts.budgets", d.budgets, |_| Ok(())),
        cost_anomaly_sigma: l.get(
            "alerts.cost_anomaly_sigma",
            d.cost_anomaly_sigma,
            range(0, 100, "standard deviations"),
        ),
        athena_failed_pct: l.get(
            "alerts.athena_failed_pct",
            d.athena_failed_pct,
            range(0, 100, "a percentage"),
        ),
        athena_max_scan_gib: l.get("alerts.athena_max_scan_gib", d.athena_max_scan_gib, |_| {
            Ok(())
        }),
        webhooks: l.get("alerts.webhooks", d.webhooks, |_| Ok(())),
        claim_secs: l.get(
            "alerts.claim_secs",
            d.claim_secs,
            range(5, 3_600, "seconds"),
        ),
    }
}

pub(super) fn load_heartbeat(l: &mut Loader) -> HeartbeatConfig {
    let d = HeartbeatConfig::default();
    let at: Option<ClockTime> = l.get("heartbeat.at", d.at.map(|(h, m)| ClockTime(h, m)), |_| {
        Ok(())
    });
    HeartbeatConfig {
        at: at.map(|t| (t.0, t.1)),
        ping_url: l.get(
            "heartbeat.ping_url",
            None,
            |url: &Option<Secret>| match url {
                Some(u) => match url::Url::parse(u.expose()) {
                    Ok(u) if matches!(u.scheme(), "https" | "http") && u.host().is_some() => Ok(()),
                    _ => Err("expected an http(s) URL".to_owned()),
                },
                None => Ok(()),
            },
        ),
        ping_every_secs: l.get(
            "heartbeat.ping_every_secs",
            d.ping_every_secs,
            range(0, 86_400, "seconds"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_never_show_in_debug_or_check_config() {
        let config = crate::config::Config::load_from(
            None,
            [(
                "DOBERMAN_ALERTS__WEBHOOKS".to_owned(),
                r#"[{"topic": "cost", "url": "https://prod.example.com/workflows/abc?sig=s3cret"}]"#.to_owned(),
            )],
        )
        .expect("valid");
        assert_eq!(config.alerts.webhooks.len(), 1);
        assert!(!format!("{config:?}").contains("s3cret"));
        assert!(!config.render().contains("s3cret"));
        let bad = crate::config::Config::load_from(
            None,
            [(
                "DOBERMAN_ALERTS__WEBHOOKS".to_owned(),
                r#"[{"topic": "cost", "url": "ftp://s3cret"}]"#.to_owned(),
            )],
        )
        .expect_err("not http");
        assert!(!bad.to_string().contains("s3cret"), "{bad}");
    }

    #[test]
    fn durations_take_a_number_and_a_unit() {
        assert_eq!(parse_duration("90m"), Ok(Duration::from_secs(5_400)));
        assert_eq!(parse_duration(" 26H "), Ok(Duration::from_secs(93_600)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        assert!(parse_duration("0h").is_err(), "zero");
        assert!(parse_duration("soon").is_err(), "no number");
        assert!(parse_duration("3 fortnights").is_err(), "unknown unit");
        assert!(parse_duration("400d").is_err(), "over a year");
    }

    #[test]
    fn globs_match_database_and_table_names_ignoring_case() {
        assert!(glob_matches("sales.*", "sales.orders"));
        assert!(glob_matches("*.ORDERS", "sales.orders"));
        assert!(glob_matches("s?les.*s", "sales.orders"));
        assert!(glob_matches("*", "매출.주문"));
        assert!(glob_matches("매출.*", "매출.주문"));
        assert!(!glob_matches("sales.*", "salesx.orders"));
        assert!(!glob_matches("sales.order", "sales.orders"));
        assert!(glob_matches("*a*b*c*", "xxaxxbxxcxx"));
    }
}
