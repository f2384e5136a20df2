//! Typed settings, layered and validated at load.
//!
//! Precedence, lowest first: built-in defaults, a TOML file (`--config PATH` or `DOBERMAN_CONFIG`), then
//! environment variables `DOBERMAN_<SECTION>__<KEY>` (lists comma-separated). Every value is parsed into its
//! type when the configuration loads, and every problem is collected, so an operator sees all mistakes at once,
//! each naming the key, where the value came from and what was expected. Secret values never appear in
//! `Debug`, `Display`, error messages or `check-config` output.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub mod alerts;
pub mod navigate;

pub use alerts::{AlertsConfig, HeartbeatConfig};

/// Prefix of the environment variables that carry settings.
pub const ENV_PREFIX: &str = "DOBERMAN_";
/// Separator between section and key in an environment variable name.
const ENV_SEPARATOR: &str = "__";

/// The whole configuration of a Doberman process.
#[derive(Debug, Clone)]
pub struct Config {
    /// `[database]`: where facts, conversations and job runs are kept.
    pub database: DatabaseConfig,
    /// `[http]`: the Bot Framework endpoint and the probes.
    pub http: HttpConfig,
    /// `[log]`: how log lines look.
    pub log: LogConfig,
    /// `[teams]`: the bot's identity, who may talk to it and where it may send.
    pub teams: TeamsConfig,
    /// `[aws]`: how Doberman reaches AWS.
    pub aws: AwsConfig,
    /// `[schedule]`.
    pub schedule: ScheduleConfig,
    /// `[usage]`.
    pub usage: UsageConfig,
    /// `[cost]`.
    pub cost: CostConfig,
    /// `[superset]`.
    pub superset: SupersetConfig,
    /// `[requests]`.
    pub requests: RequestsConfig,
    /// `[navigate]`.
    pub navigate: NavigateConfig,
    /// `[manifest]`.
    pub manifest: ManifestConfig,
    /// `[alerts]`.
    pub alerts: AlertsConfig,
    /// `[heartbeat]`.
    pub heartbeat: HeartbeatConfig,
    /// Each key's effective value (secrets redacted) and where it came from, in key order.
    pub effective: Vec<EffectiveSetting>,
    /// The configuration file that was asked for, and whether it existed.
    pub file: Option<ConfigFile>,
}

/// `[database]` settings.
#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    /// `database.url`: `sqlite://PATH` (created if missing) or `mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE`.
    pub url: DatabaseUrl,
    /// `database.max_connections`: upper bound of the connection pool.
    pub max_connections: u32,
}

/// `[http]` settings.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// `http.listen`: the socket address the HTTP server binds to (port 0 picks a free port).
    pub listen: SocketAddr,
}

/// `[log]` settings.
#[derive(Debug, Clone)]
pub struct LogConfig {
    /// `log.format`: `pretty` for people, `json` for log collectors.
    pub format: LogFormat,
}

/// `[teams]` settings: the Bot Framework identity and the doors it keeps.
#[derive(Debug, Clone)]
pub struct TeamsConfig {
    /// `teams.app_id`: the bot's Microsoft App ID (Entra application id); inbound tokens must name it as their
    /// audience. Empty: not configured, and `/api/messages` refuses everything (unless `dev_mode`).
    pub app_id: String,
    /// `teams.app_password`: the app's client secret, for outbound tokens.
    pub app_password: Option<Secret>,
    /// `teams.tenant_id`: the tenant of a single-tenant bot, for the outbound token endpoint; `botframework.com`
    /// for a multi-tenant one.
    pub tenant_id: String,
    /// `teams.allowed_tenants`: tenants whose activities are accepted; empty accepts any.
    pub allowed_tenants: Vec<String>,
    /// `teams.openid_metadata_url`: the Bot Framework OpenID document that names the signing keys.
    pub openid_metadata_url: url::Url,
    /// `teams.token_url`: the outbound token endpoint, `{tenant_id}` already substituted.
    pub token_url: url::Url,
    /// `teams.allowed_service_urls`: URL prefixes the bot ever sends to (its token goes with each call).
    pub allowed_service_urls: Vec<url::Url>,
    /// `teams.admins`: Entra object ids of the people allowed to run admin commands.
    pub admins: Vec<String>,
    /// `teams.dev_mode`: no inbound or outbound auth, for the local Teams emulator; loopback only.
    pub dev_mode: bool,
    /// `teams.tenant_requests_per_second`: calls to the Bot Connector per second per tenant (Teams documents 50
    /// per app per tenant; older documents say 30). Each tenant is paced on its own.
    pub tenant_requests_per_second: u32,
    /// `teams.queue_mib`: memory for acknowledged activities waiting for their answer; past it `/api/messages`
    /// answers 503 with `Retry-After`.
    pub queue_mib: u32,
}

/// `[aws]` settings. Credentials always come from the AWS default chain (environment, profile, SSO, web
/// identity, container and instance roles), never from this file.
#[derive(Debug, Clone)]
pub struct AwsConfig {
    /// `aws.region`: e.g. `ap-northeast-2`; empty takes the region from the default chain.
    pub region: String,
    /// `aws.endpoint_url`: another endpoint for every AWS service (local emulators in tests).
    pub endpoint_url: Option<url::Url>,
    /// `aws.max_attempts`: attempts per call, the first included (throttling and 5xx are retried).
    pub max_attempts: u32,
    /// `aws.timeout_secs`: limit of one call, retries included.
    pub timeout_secs: u32,
    /// `aws.accounts`: the accounts Doberman watches, each with the regions to read. Empty: one account, `default`,
    /// with the default chain's credentials and `aws.region`.
    pub accounts: Vec<AwsAccount>,
    /// `aws.work_groups`: Athena work groups whose query history is read; empty reads every ENABLED one.
    pub work_groups: Vec<String>,
}

impl AwsConfig {
    /// The accounts to watch: the configured ones, or the implicit `default` account.
    pub fn effective_accounts(&self) -> Vec<AwsAccount> {
        if self.accounts.is_empty() {
            vec![AwsAccount {
                name: "default".to_owned(),
                role_arn: None,
                regions: vec![self.region.clone()],
            }]
        } else {
            self.accounts.clone()
        }
    }
}

/// One AWS account Doberman watches (an entry of `aws.accounts`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsAccount {
    /// A short name people and the store use, e.g. `prod`: `[A-Za-z0-9_-]{1,64}`, unique.
    pub name: String,
    /// The IAM role to assume through STS for this account; none uses the default chain's credentials as they
    /// are.
    #[serde(default)]
    pub role_arn: Option<String>,
    /// Regions to read; empty means `aws.region` (or the default chain's region when that is empty too).
    #[serde(default)]
    pub regions: Vec<String>,
}

/// `[schedule]` settings: when the collectors run.
#[derive(Debug, Clone)]
pub struct ScheduleConfig {
    /// `schedule.enabled`: false runs no job on its own (`doberman collect` still works).
    pub enabled: bool,
    /// `schedule.timezone`: the IANA time zone cron expressions and daily roll-ups are read in.
    pub timezone: chrono_tz::Tz,
    /// `schedule.catalog`: cron of the Glue catalog collector; empty disables it.
    pub catalog: Option<CronSpec>,
    /// `schedule.usage`: cron of the Athena query history collector; empty disables it.
    pub usage: Option<CronSpec>,
    /// `schedule.cost`: cron of the cost collector; empty disables it (so does an empty `cost.database`).
    pub cost: Option<CronSpec>,
    /// `schedule.lease_secs`: how long a replica's claim on a running job lasts without renewal; a replica that
    /// dies mid-run blocks the job at most this long.
    pub lease_secs: u32,
}

/// `[usage]` settings: the Athena query history.
#[derive(Debug, Clone)]
pub struct UsageConfig {
    /// `usage.max_sql_bytes`: SQL text kept per query, cut on a character boundary; 0 keeps none.
    pub max_sql_bytes: u32,
}

/// `[requests]` settings: the request channel.
#[derive(Debug, Clone, Default)]
pub struct RequestsConfig {
    /// `requests.channel_id`: a Teams channel id (`19:…@thread.tacv2`) whose messages become requirements, made a
    /// request channel at start. Empty: only channels where an admin typed `requests here`.
    pub channel_id: Option<String>,
}

/// `[superset]` settings: where people go for deeper views.
#[derive(Debug, Clone)]
pub struct SupersetConfig {
    /// `superset.url`: Superset's base URL; cards link to its dashboards (by slug, e.g. `doberman-cost`). Empty:
    /// no links.
    pub url: Option<url::Url>,
}

/// `[manifest]` settings: what `doberman manifest` writes into the Teams app package besides the commands.
#[derive(Debug, Clone)]
pub struct ManifestConfig {
    /// `manifest.id`: the Teams app's id (a GUID), kept across versions so an upload updates the app. Empty: the
    /// bot's `teams.app_id`.
    pub id: Option<uuid::Uuid>,
    /// `manifest.name`: the app's short name in Teams (at most 30 characters).
    pub name: String,
    /// `manifest.developer_name`: who publishes it, shown on the app's page.
    pub developer_name: String,
    /// `manifest.website_url`: the publisher's page (https); required to make a package.
    pub website_url: Option<url::Url>,
    /// `manifest.privacy_url`: the privacy statement (https). Empty: `website_url`.
    pub privacy_url: Option<url::Url>,
    /// `manifest.terms_url`: the terms of use (https). Empty: `website_url`.
    pub terms_url: Option<url::Url>,
    /// `manifest.valid_domains`: further domains the app opens (the host of `superset.url` is always in).
    pub valid_domains: Vec<String>,
}

/// `[navigate]` settings: the navigation document `navigate [word]` answers from.
#[derive(Debug, Clone, Default)]
pub struct NavigateConfig {
    /// `navigate.file`: a TOML file of `[[entry]]` tables (see `navigate.example.toml`), relative to the working
    /// directory; read and checked at load. Empty: only Doberman's own tables and dashboards.
    pub file: Option<PathBuf>,
    /// The file's entries, in file order.
    pub entries: Vec<navigate::NavEntry>,
}

/// `[cost]` settings: the Cost and Usage Report, read through Athena.
#[derive(Debug, Clone)]
pub struct CostConfig {
    /// `cost.database`: the Glue database of the CUR table; empty turns the cost collector off.
    pub database: String,
    /// `cost.table`: the CUR table.
    pub table: String,
    /// `cost.workgroup`: the Athena work group the aggregation queries run in.
    pub workgroup: String,
    /// `cost.output_location`: where Athena writes results (`s3://…`); empty uses the work group's setting.
    pub output_location: Option<String>,
    /// `cost.layout`: which CUR the table holds.
    pub layout: CurLayout,
    /// `cost.account`: the `aws.accounts` entry whose Athena and Glue hold the CUR (the payer account); empty:
    /// the first.
    pub account: String,
    /// `cost.top_resources`: resources kept per day and service; the rest are summed as `other`.
    pub top_resources: u32,
    /// `cost.query_timeout_secs`: an aggregation query running longer is stopped.
    pub query_timeout_secs: u32,
    /// `cost.accounts`: names and owning teams of AWS account ids, for `dim_account`.
    pub accounts: Vec<CostAccount>,
}

/// Which Cost and Usage Report layout a table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurLayout {
    /// Read the table's columns from Glue and decide.
    Auto,
    /// Legacy CUR: `year`/`month` partitions, `line_item_*` and `product_*` columns.
    Legacy,
    /// CUR 2.0 (Data Exports): `billing_period` partition, `product` as a map.
    Cur2,
}

/// An AWS account id with the name and team people know it by (an entry of `cost.accounts`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostAccount {
    /// The 12-digit account id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The team or division that owns it.
    #[serde(default)]
    pub team: Option<String>,
}

impl Setting for CurLayout {
    fn expected() -> String {
        "`auto`, `legacy` or `cur2`".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(CurLayout::Auto),
            "legacy" => Ok(CurLayout::Legacy),
            "cur2" => Ok(CurLayout::Cur2),
            _ => Err(String::new()),
        }
    }
    fn show(&self) -> String {
        quoted(match self {
            CurLayout::Auto => "auto",
            CurLayout::Legacy => "legacy",
            CurLayout::Cur2 => "cur2",
        })
    }
}

/// `cost.accounts`: an array of tables in TOML, a JSON array of objects in the environment.
impl Setting for Vec<CostAccount> {
    fn expected() -> String {
        "a list of {id, name, team (optional)} (a JSON array in the environment)".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        if raw.trim().is_empty() {
            return Ok(Vec::new());
        }
        let accounts: Vec<CostAccount> =
            serde_json::from_str(raw).map_err(|e| format!("expected {}: {e}", Self::expected()))?;
        check_cost_accounts(&accounts).map(|()| accounts)
    }
    fn from_toml(raw: &toml::Value) -> Result<Self, String> {
        let accounts: Vec<CostAccount> = raw.clone().try_into().map_err(|e: toml::de::Error| {
            format!("expected {}: {}", Self::expected(), e.message())
        })?;
        check_cost_accounts(&accounts).map(|()| accounts)
    }
    fn show(&self) -> String {
        let items: Vec<String> = self
            .iter()
            .map(|a| {
                let team = a
                    .team
                    .as_deref()
                    .map(|t| format!(", team = {}", quoted(t)))
                    .unwrap_or_default();
                format!(
                    "{{ id = {}, name = {}{team} }}",
                    quoted(&a.id),
                    quoted(&a.name)
                )
            })
            .collect();
        format!("[{}]", items.join(", "))
    }
}

fn check_cost_accounts(accounts: &[CostAccount]) -> Result<(), String> {
    let mut ids = BTreeSet::new();
    for a in accounts {
        if a.id.len() != 12 || !a.id.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("`{}` is not a 12-digit AWS account id", a.id));
        }
        if a.name.trim().is_empty() {
            return Err(format!("account {} needs a name", a.id));
        }
        if !ids.insert(a.id.as_str()) {
            return Err(format!("account {} appears twice", a.id));
        }
    }
    Ok(())
}

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
            .next_after(chrono::Utc::now(), chrono_tz::UTC)
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

/// `aws.accounts`: an array of tables in TOML, a JSON array of objects in the environment.
impl Setting for Vec<AwsAccount> {
    fn expected() -> String {
        "a list of {name, role_arn (optional), regions} (a JSON array in the environment)".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        if raw.trim().is_empty() {
            return Ok(Vec::new());
        }
        let accounts: Vec<AwsAccount> =
            serde_json::from_str(raw).map_err(|e| format!("expected {}: {e}", Self::expected()))?;
        check_accounts(&accounts).map(|()| accounts)
    }
    fn from_toml(raw: &toml::Value) -> Result<Self, String> {
        let accounts: Vec<AwsAccount> = raw.clone().try_into().map_err(|e: toml::de::Error| {
            format!("expected {}: {}", Self::expected(), e.message())
        })?;
        check_accounts(&accounts).map(|()| accounts)
    }
    fn show(&self) -> String {
        let items: Vec<String> = self
            .iter()
            .map(|a| {
                let regions: Vec<String> = a.regions.iter().map(|r| quoted(r)).collect();
                let role = a
                    .role_arn
                    .as_deref()
                    .map(|r| format!(", role_arn = {}", quoted(r)))
                    .unwrap_or_default();
                format!(
                    "{{ name = {}{role}, regions = [{}] }}",
                    quoted(&a.name),
                    regions.join(", ")
                )
            })
            .collect();
        format!("[{}]", items.join(", "))
    }
}

/// True for AWS region names such as `ap-northeast-2`.
fn is_region(r: &str) -> bool {
    r.split('-').count() >= 3
        && r.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn check_accounts(accounts: &[AwsAccount]) -> Result<(), String> {
    let mut names = BTreeSet::new();
    for a in accounts {
        let name_ok = !a.name.is_empty()
            && a.name.len() <= 64
            && a.name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
        if !name_ok {
            return Err(format!(
                "account name `{}` may hold only letters, digits, `_` and `-` (1 to 64)",
                a.name
            ));
        }
        if a.name == DEMO_ACCOUNT {
            return Err(format!(
                "account name `{}` is reserved for the demo data (doberman demo); choose another",
                a.name
            ));
        }
        if !names.insert(a.name.as_str()) {
            return Err(format!("account name `{}` appears twice", a.name));
        }
        if let Some(arn) = &a.role_arn {
            let parts: Vec<&str> = arn.splitn(6, ':').collect();
            let ok = parts.len() == 6
                && parts[0] == "arn"
                && parts[1].starts_with("aws")
                && parts[2] == "iam"
                && parts[4].len() == 12
                && parts[4].chars().all(|c| c.is_ascii_digit())
                && parts[5].starts_with("role/")
                && parts[5].len() > "role/".len();
            if !ok {
                return Err(format!(
                    "account `{}`: role_arn `{arn}` is not an IAM role ARN such as arn:aws:iam::123456789012:role/doberman",
                    a.name
                ));
            }
        }
        for r in &a.regions {
            if !is_region(r) {
                return Err(format!(
                    "account `{}`: `{r}` is not an AWS region such as ap-northeast-2",
                    a.name
                ));
            }
        }
    }
    Ok(())
}

/// Teams' documented limit of Bot Connector requests per second per app per tenant (older documents say 30): the
/// default of `teams.tenant_requests_per_second`.
pub const TENANT_REQUESTS_PER_SECOND: u32 = 50;

/// Microsoft's documented Teams service hosts (public cloud and GCC).
pub const TEAMS_SERVICE_URLS: [&str; 3] = [
    "https://smba.trafficmanager.net/",
    "https://smba.onyx.prod.teams.trafficmanager.net/",
    "https://smba.infra.gcc.teams.microsoft.com/",
];

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable, coloured when writing to a terminal.
    Pretty,
    /// One JSON object per line.
    Json,
}

/// A configuration file that was named on the command line or in `DOBERMAN_CONFIG`.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    /// The path as given.
    pub path: PathBuf,
    /// False when the file did not exist; defaults and environment were used alone.
    pub found: bool,
}

/// One key of the effective configuration, for `check-config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveSetting {
    /// `section.key`.
    pub key: String,
    /// The value as a TOML literal, `"[redacted]"` for secrets.
    pub value: String,
    /// Where the value came from.
    pub source: Source,
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Built into Doberman.
    Default,
    /// The configuration file.
    File(PathBuf),
    /// An environment variable, by name.
    Env(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File(path) => write!(f, "file {}", path.display()),
            Source::Env(name) => write!(f, "env {name}"),
        }
    }
}

/// Everything wrong with a configuration, one problem per entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .problems.join("; "))]
pub struct ConfigError {
    /// One human-readable line per problem, each naming the key and the source.
    pub problems: Vec<String>,
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

/// A raw value before it is parsed into its type.
#[derive(Debug, Clone)]
enum Raw {
    Toml(toml::Value),
    Env(String),
}

/// A type a setting can have: how it is read from TOML and from an environment string, and how it is shown.
trait Setting: Sized {
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

fn type_name(value: &toml::Value) -> &'static str {
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

fn quoted(s: &str) -> String {
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
struct Loader {
    raw: BTreeMap<String, (Raw, Source)>,
    known: BTreeSet<&'static str>,
    problems: Vec<String>,
    effective: Vec<EffectiveSetting>,
}

impl Loader {
    /// Reads `key`, falling back to `default`; `check` adds a rule beyond the type.
    fn get<T: Setting>(
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
    fn source_of(&self, key: &str) -> Source {
        self.raw
            .get(key)
            .map_or(Source::Default, |(_, source)| source.clone())
    }

    /// Records a problem that involves more than one key, attributed to `key`.
    fn problem(&mut self, key: &str, detail: impl fmt::Display) {
        let source = self.source_of(key);
        self.problems
            .push(format!("{key} (from {source}): {detail}"));
    }

    /// Adds a problem for every key that was given but is not a setting.
    fn finish(mut self) -> Result<Vec<EffectiveSetting>, ConfigError> {
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
fn closest<'a>(key: &str, known: &BTreeSet<&'a str>) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (crate::common::edit_distance(key, k), *k))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, k)| k)
}

impl Config {
    /// Loads the configuration of this process: the file named by `file` (or none), then the process
    /// environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        Config::load_from(file, std::env::vars())
    }

    /// Loads the configuration from a file and an explicit set of environment variables (tests use this).
    pub fn load_from(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut raw = BTreeMap::new();
        let mut problems = Vec::new();
        let file_info = file.map(|path| read_file_layer(path, &mut raw, &mut problems));
        read_env_layer(env, &mut raw, &mut problems);

        let mut l = Loader {
            raw,
            known: BTreeSet::new(),
            problems,
            effective: Vec::new(),
        };
        let default_url: DatabaseUrl = "sqlite://doberman.db"
            .parse()
            .expect("the built-in database URL is valid");
        let database = DatabaseConfig {
            url: l.get("database.url", default_url, |_| Ok(())),
            max_connections: l.get("database.max_connections", 10, |n| {
                if (1..=1000).contains(n) {
                    Ok(())
                } else {
                    Err("expected a whole number from 1 to 1000".into())
                }
            }),
        };
        let http = HttpConfig {
            listen: l.get(
                "http.listen",
                SocketAddr::from(([127, 0, 0, 1], 3978)),
                |_| Ok(()),
            ),
        };
        let log = LogConfig {
            format: l.get("log.format", LogFormat::Pretty, |_| Ok(())),
        };
        let teams = load_teams(&mut l, http.listen);
        let aws =
            AwsConfig {
                region: l.get("aws.region", String::new(), |r: &String| {
                    if r.is_empty() || is_region(r) {
                        Ok(())
                    } else {
                        Err("expected an AWS region such as ap-northeast-2".into())
                    }
                }),
                endpoint_url: l.get("aws.endpoint_url", None, |_| Ok(())),
                max_attempts: l.get("aws.max_attempts", 5, |n| {
                    if (1..=10).contains(n) {
                        Ok(())
                    } else {
                        Err("expected a whole number from 1 to 10".into())
                    }
                }),
                timeout_secs: l.get("aws.timeout_secs", 60, |n| {
                    if (1..=900).contains(n) {
                        Ok(())
                    } else {
                        Err("expected seconds from 1 to 900".into())
                    }
                }),
                accounts: l.get("aws.accounts", Vec::new(), |_| Ok(())),
                work_groups: l.get("aws.work_groups", Vec::new(), |groups: &Vec<String>| {
                    match groups.iter().find(|g| {
                        g.is_empty()
                            || g.len() > 128
                            || !g
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
                    }) {
                        Some(g) => Err(format!(
                            "`{g}` is not an Athena work group name ([A-Za-z0-9._-], 1 to 128)"
                        )),
                        None => Ok(()),
                    }
                }),
            };
        let schedule = ScheduleConfig {
            enabled: l.get("schedule.enabled", true, |_| Ok(())),
            timezone: l.get("schedule.timezone", chrono_tz::Asia::Seoul, |_| Ok(())),
            catalog: l.get(
                "schedule.catalog",
                Some("0 10 * * * *".parse().expect("the built-in cron is valid")),
                |_| Ok(()),
            ),
            usage: l.get(
                "schedule.usage",
                Some(
                    "0 */15 * * * *"
                        .parse()
                        .expect("the built-in cron is valid"),
                ),
                |_| Ok(()),
            ),
            cost: l.get(
                "schedule.cost",
                Some(
                    "0 40 */6 * * *"
                        .parse()
                        .expect("the built-in cron is valid"),
                ),
                |_| Ok(()),
            ),
            lease_secs: l.get("schedule.lease_secs", 300, |n| {
                if (10..=86_400).contains(n) {
                    Ok(())
                } else {
                    Err("expected seconds from 10 to 86400".into())
                }
            }),
        };
        let usage = UsageConfig {
            max_sql_bytes: l.get("usage.max_sql_bytes", 65_536, |n| {
                if *n <= 262_144 {
                    Ok(())
                } else {
                    Err("expected bytes from 0 to 262144 (Athena's own limit on a query)".into())
                }
            }),
        };
        let cost = load_cost(&mut l);
        let superset = SupersetConfig {
            url: l.get("superset.url", None, |_| Ok(())),
        };
        let requests = RequestsConfig {
            channel_id: l.get("requests.channel_id", None, |id: &Option<String>| match id {
                Some(id) if id.chars().any(char::is_whitespace) || id.contains(";messageid=") => Err(
                    "expected a Teams channel id such as 19:…@thread.tacv2, without a thread (or type `requests \
                     here` in the channel instead)"
                        .to_owned(),
                ),
                _ => Ok(()),
            }),
        };
        let navigate = load_navigate(&mut l);
        let alerts = alerts::load_alerts(&mut l);
        let heartbeat = alerts::load_heartbeat(&mut l);
        let https = |url: &Option<url::Url>| match url {
            Some(u) if u.scheme() != "https" => Err("Teams takes https:// URLs only".to_owned()),
            _ => Ok(()),
        };
        let manifest = ManifestConfig {
            id: l.get("manifest.id", None, |_| Ok(())),
            name: l.get("manifest.name", "Doberman".to_owned(), |n: &String| {
                if (1..=30).contains(&n.chars().count()) {
                    Ok(())
                } else {
                    Err("expected 1 to 30 characters (the manifest's name.short)".into())
                }
            }),
            developer_name: l.get(
                "manifest.developer_name",
                "Data platform team".to_owned(),
                |n: &String| {
                    if (1..=32).contains(&n.chars().count()) {
                        Ok(())
                    } else {
                        Err("expected 1 to 32 characters".into())
                    }
                },
            ),
            website_url: l.get("manifest.website_url", None, https),
            privacy_url: l.get("manifest.privacy_url", None, https),
            terms_url: l.get("manifest.terms_url", None, https),
            valid_domains: l.get(
                "manifest.valid_domains",
                Vec::new(),
                |domains: &Vec<String>| match domains.iter().find(|d| {
                    d.is_empty()
                        || d.contains("://")
                        || d.contains('/')
                        || !d.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*'))
                }) {
                    Some(d) => Err(format!(
                        "`{d}` is not a domain (a host name such as superset.example.com, no scheme or path)"
                    )),
                    None => Ok(()),
                },
            ),
        };
        if !cost.account.is_empty()
            && !aws
                .effective_accounts()
                .iter()
                .any(|a| a.name == cost.account)
        {
            l.problem(
                "cost.account",
                format!("`{}` is not an account of aws.accounts", cost.account),
            );
        }
        let effective = l.finish()?;
        Ok(Config {
            database,
            http,
            log,
            teams,
            aws,
            schedule,
            usage,
            cost,
            superset,
            requests,
            navigate,
            manifest,
            alerts,
            heartbeat,
            effective,
            file: file_info,
        })
    }

    /// The effective configuration as TOML, each key commented with its source; secrets redacted.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Some(file) = self.file.as_ref().filter(|f| !f.found) {
            out.push_str(&format!(
                "# config file {} not found: defaults and environment only\n",
                file.path.display()
            ));
        }
        let mut section = "";
        for setting in &self.effective {
            let (sec, key) = setting
                .key
                .split_once('.')
                .expect("every setting key has a section");
            if sec != section {
                if !section.is_empty() {
                    out.push('\n');
                }
                out.push_str(&format!("[{sec}]\n"));
                section = sec;
            }
            out.push_str(&format!(
                "{key} = {}  # {}\n",
                setting.value, setting.source
            ));
        }
        out
    }
}

fn load_cost(l: &mut Loader) -> CostConfig {
    let identifier = |what: &'static str| {
        move |v: &String| {
            if v.is_empty()
                || (v.len() <= 255 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            {
                Ok(())
            } else {
                Err(format!(
                    "expected a {what} name of letters, digits and `_` (it goes into Athena SQL)"
                ))
            }
        }
    };
    let database: String = l.get("cost.database", String::new(), identifier("Glue database"));
    let table: String = l.get("cost.table", String::new(), identifier("Glue table"));
    if !database.is_empty() && table.is_empty() {
        l.problem("cost.table", "required when cost.database is set");
    }
    CostConfig {
        database,
        table,
        workgroup: l.get("cost.workgroup", "primary".to_owned(), |g: &String| {
            if !g.is_empty()
                && g.len() <= 128
                && g.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            {
                Ok(())
            } else {
                Err("expected an Athena work group name ([A-Za-z0-9._-], 1 to 128)".into())
            }
        }),
        output_location: l.get("cost.output_location", None, |o: &Option<String>| match o {
            Some(o) if !o.starts_with("s3://") => Err("expected an s3:// URL".into()),
            _ => Ok(()),
        }),
        layout: l.get("cost.layout", CurLayout::Auto, |_| Ok(())),
        account: l.get("cost.account", String::new(), |_| Ok(())),
        top_resources: l.get("cost.top_resources", 10, |n| {
            if (1..=1000).contains(n) {
                Ok(())
            } else {
                Err("expected a whole number from 1 to 1000".into())
            }
        }),
        query_timeout_secs: l.get("cost.query_timeout_secs", 600, |n| {
            if (10..=3600).contains(n) {
                Ok(())
            } else {
                Err("expected seconds from 10 to 3600".into())
            }
        }),
        accounts: l.get("cost.accounts", Vec::new(), |_| Ok(())),
    }
}

fn load_navigate(l: &mut Loader) -> NavigateConfig {
    let file: Option<String> = l.get("navigate.file", None, |_| Ok(()));
    let Some(file) = file.map(PathBuf::from) else {
        return NavigateConfig::default();
    };
    match navigate::load(&file) {
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

fn load_teams(l: &mut Loader, listen: SocketAddr) -> TeamsConfig {
    let app_id: String = l.get("teams.app_id", String::new(), |_| Ok(()));
    let app_password: Option<Secret> = l.get("teams.app_password", None, |_| Ok(()));
    let tenant_id: String = l.get("teams.tenant_id", "botframework.com".to_owned(), |t| {
        if !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
        {
            Ok(())
        } else {
            Err("expected a tenant id (GUID) or domain such as botframework.com".into())
        }
    });
    let allowed_tenants = l.get("teams.allowed_tenants", Vec::new(), |_| Ok(()));
    let openid_metadata_url = l.get(
        "teams.openid_metadata_url",
        url::Url::parse("https://login.botframework.com/v1/.well-known/openidconfiguration")
            .expect("the built-in OpenID URL is valid"),
        |_| Ok(()),
    );
    let token_template: String = l.get(
        "teams.token_url",
        "https://login.microsoftonline.com/{tenant_id}/oauth2/v2.0/token".to_owned(),
        |_| Ok(()),
    );
    let token_url = match url::Url::from_env(&token_template.replace("{tenant_id}", &tenant_id)) {
        Ok(url) => url,
        Err(_) => {
            l.problem(
                "teams.token_url",
                "expected an http:// or https:// URL ({tenant_id} is replaced by teams.tenant_id)",
            );
            url::Url::parse("https://login.microsoftonline.com/").expect("valid")
        }
    };
    let allowed_service_urls = l.get(
        "teams.allowed_service_urls",
        TEAMS_SERVICE_URLS
            .iter()
            .map(|u| url::Url::parse(u).expect("the built-in service URLs are valid"))
            .collect(),
        |urls: &Vec<url::Url>| {
            if urls.is_empty() {
                Err("expected at least one URL prefix: the bot could not answer anyone".into())
            } else {
                Ok(())
            }
        },
    );
    let admins = l.get("teams.admins", Vec::new(), |_| Ok(()));
    let dev_mode = l.get("teams.dev_mode", false, |_| Ok(()));
    if dev_mode && !listen.ip().is_loopback() {
        l.problem(
            "teams.dev_mode",
            format!("development mode turns authentication off, so it needs a loopback http.listen, not {listen}"),
        );
    }
    let tenant_requests_per_second = l.get(
        "teams.tenant_requests_per_second",
        TENANT_REQUESTS_PER_SECOND,
        |n| {
            if (1..=10_000).contains(n) {
                Ok(())
            } else {
                Err("expected 1 to 10000 requests per second".into())
            }
        },
    );
    let queue_mib = l.get("teams.queue_mib", 64, |n| {
        if (1..=16_384).contains(n) {
            Ok(())
        } else {
            Err("expected 1 to 16384 MiB".into())
        }
    });
    if !dev_mode && !app_id.is_empty() && app_password.is_none() {
        l.problem(
            "teams.app_password",
            "required when teams.app_id is set: Doberman needs it to answer (set DOBERMAN_TEAMS__APP_PASSWORD)",
        );
    }
    TeamsConfig {
        app_id,
        app_password,
        tenant_id,
        allowed_tenants,
        openid_metadata_url,
        token_url,
        allowed_service_urls,
        admins,
        dev_mode,
        tenant_requests_per_second,
        queue_mib,
    }
}

fn read_file_layer(
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
        Err(e) => problems.push(format!(
            "config file {}: not valid TOML: {}",
            path.display(),
            e.to_string().trim().replace('\n', " ")
        )),
    }
    ConfigFile {
        path: path.to_owned(),
        found: true,
    }
}

fn read_env_layer(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn write_file(text: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        std::io::Write::write_all(&mut file, text.as_bytes()).expect("write temp file");
        file
    }

    #[test]
    fn defaults_apply_when_nothing_is_given() {
        let config = Config::load_from(None, env(&[])).expect("defaults are valid");

        assert_eq!(config.database.url.backend(), Backend::Sqlite);
        assert_eq!(config.database.url.expose(), "sqlite://doberman.db");
        assert_eq!(config.database.max_connections, 10);
        assert_eq!(config.http.listen, "127.0.0.1:3978".parse().unwrap());
        assert_eq!(config.log.format, LogFormat::Pretty);
        assert!(config.effective.iter().all(|s| s.source == Source::Default));
    }

    #[test]
    fn file_overrides_defaults_and_env_overrides_file() {
        let file = write_file(
            "[http]\nlisten = \"127.0.0.1:4000\"\n[log]\nformat = \"json\"\n[database]\nmax_connections = 3\n",
        );

        let config = Config::load_from(
            Some(file.path()),
            env(&[("DOBERMAN_HTTP__LISTEN", "127.0.0.1:5000")]),
        )
        .expect("valid");

        assert_eq!(
            config.http.listen,
            "127.0.0.1:5000".parse().unwrap(),
            "env wins over file"
        );
        assert_eq!(config.log.format, LogFormat::Json, "file wins over default");
        assert_eq!(config.database.max_connections, 3);
        let source_of = |key: &str| {
            config
                .effective
                .iter()
                .find(|s| s.key == key)
                .map(|s| s.source.clone())
                .expect("key present")
        };
        assert_eq!(
            source_of("http.listen"),
            Source::Env("DOBERMAN_HTTP__LISTEN".into())
        );
        assert_eq!(source_of("log.format"), Source::File(file.path().into()));
        assert_eq!(source_of("database.url"), Source::Default);
    }

    #[test]
    fn an_absent_file_is_fine_and_is_reported() {
        let config = Config::load_from(Some(Path::new("/nonexistent/doberman.toml")), env(&[]))
            .expect("absent file is fine");

        assert!(!config.file.as_ref().expect("file recorded").found);
        assert!(config.render().contains("not found"));
    }

    #[test]
    fn env_names_are_case_insensitive_in_section_and_key() {
        let config =
            Config::load_from(None, env(&[("DOBERMAN_Log__Format", "JSON")])).expect("valid");

        assert_eq!(config.log.format, LogFormat::Json);
    }

    #[test]
    fn variables_that_are_not_settings_are_ignored() {
        let config = Config::load_from(
            None,
            env(&[
                ("DOBERMAN_CONFIG", "/x.toml"),
                ("DOBERMAN_TEST_MYSQL_URL", "mysql://root@127.0.0.1"),
                ("HOME", "/root"),
            ]),
        );

        assert!(config.is_ok(), "{config:?}");
    }

    /// Every way a value can be wrong, with what the message must say.
    #[test]
    fn each_bad_value_names_key_source_and_expectation() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "DOBERMAN_HTTP__LISTEN",
                "nonsense",
                &[
                    "http.listen",
                    "\"nonsense\"",
                    "env DOBERMAN_HTTP__LISTEN",
                    "socket address",
                ],
            ),
            (
                "DOBERMAN_DATABASE__MAX_CONNECTIONS",
                "many",
                &["database.max_connections", "whole number"],
            ),
            (
                "DOBERMAN_DATABASE__MAX_CONNECTIONS",
                "0",
                &["database.max_connections", "from 1 to 1000"],
            ),
            (
                "DOBERMAN_DATABASE__MAX_CONNECTIONS",
                "5000",
                &["from 1 to 1000"],
            ),
            (
                "DOBERMAN_LOG__FORMAT",
                "xml",
                &["log.format", "`pretty` or `json`"],
            ),
            (
                "DOBERMAN_DATABASE__URL",
                "postgres://u@h/db",
                &["database.url", "unsupported scheme `postgres`"],
            ),
            (
                "DOBERMAN_REQUESTS__CHANNEL_ID",
                "19:abc@thread.tacv2;messageid=1700000000000",
                &["requests.channel_id", "without a thread"],
            ),
            (
                "DOBERMAN_DATABASE__URL",
                "mysql://root@127.0.0.1:3306",
                &["database.url", "needs a database name"],
            ),
            (
                "DOBERMAN_DATABASE__URL",
                "mysql://root@127.0.0.1:3306/bad-name",
                &["only letters, digits"],
            ),
            (
                "DOBERMAN_DATABASE__URL",
                "sqlite://",
                &["needs a file path"],
            ),
            (
                "DOBERMAN_DATABASE__URL",
                "not a url",
                &["database.url", "expected sqlite://"],
            ),
            (
                "DOBERMAN_HTTP__LISTNE",
                "127.0.0.1:1",
                &[
                    "http.listne",
                    "unknown setting",
                    "did you mean `http.listen`",
                ],
            ),
            (
                "DOBERMAN_NOPE__",
                "x",
                &["DOBERMAN_NOPE__", "<SECTION>__<KEY>"],
            ),
        ];
        for (name, value, needles) in cases {
            let err = Config::load_from(None, env(&[(name, value)]))
                .expect_err(&format!("{name}={value} must be rejected"));

            assert_eq!(err.problems.len(), 1, "{name}={value}: {err:?}");
            for needle in *needles {
                assert!(
                    err.problems[0].contains(needle),
                    "{name}={value}: `{}` should mention `{needle}`",
                    err.problems[0]
                );
            }
        }
    }

    #[test]
    fn file_errors_name_the_file() {
        let cases: &[(&str, &[&str])] = &[
            ("[http\nlisten=1", &["not valid TOML"]),
            ("http = 3", &["http", "expected a [section] table"]),
            (
                "[http]\nlisten = 3978",
                &["http.listen = 3978", "found an integer"],
            ),
            (
                "[database]\nmax_connections = -1",
                &["database.max_connections", "out of range"],
            ),
            ("[log]\nformat = true", &["log.format", "found a boolean"]),
            (
                "[database]\nurll = \"x\"",
                &["database.urll", "did you mean `database.url`"],
            ),
        ];
        for (text, needles) in cases {
            let file = write_file(text);
            let err = Config::load_from(Some(file.path()), env(&[]))
                .expect_err(&format!("{text:?} must be rejected"));

            let all = err.to_string();
            assert!(
                all.contains(&file.path().display().to_string()),
                "{text:?}: `{all}` should name the file"
            );
            for needle in *needles {
                assert!(
                    all.contains(needle),
                    "{text:?}: `{all}` should mention `{needle}`"
                );
            }
        }
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let err = Config::load_from(
            None,
            env(&[
                ("DOBERMAN_HTTP__LISTEN", "nonsense"),
                ("DOBERMAN_LOG__FORMAT", "xml"),
                ("DOBERMAN_DATABASE__MAX_CONNECTIONS", "0"),
            ]),
        )
        .expect_err("three problems");

        assert_eq!(err.problems.len(), 3, "{err:?}");
    }

    #[test]
    fn passwords_never_show() {
        let config = Config::load_from(
            None,
            env(&[(
                "DOBERMAN_DATABASE__URL",
                "mysql://app:hunter2@db.internal:3306/doberman",
            )]),
        )
        .expect("valid");

        let url = &config.database.url;
        assert_eq!(url.backend(), Backend::MySql);
        assert_eq!(url.mysql_database().as_deref(), Some("doberman"));
        assert!(
            url.expose().contains("hunter2"),
            "the driver gets the password"
        );
        for shown in [
            format!("{url}"),
            format!("{url:?}"),
            format!("{config:?}"),
            config.render(),
        ] {
            assert!(!shown.contains("hunter2"), "password leaked: {shown}");
        }
        assert!(
            config
                .render()
                .contains("\"mysql://app:[redacted]@db.internal:3306/doberman\""),
            "{}",
            config.render()
        );

        let err = Config::load_from(
            None,
            env(&[("DOBERMAN_DATABASE__URL", "postgres://app:hunter2@h/db")]),
        )
        .expect_err("rejected");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn secrets_print_redacted() {
        let secret = Secret::new("s3cr3t");

        assert_eq!(format!("{secret}"), "[redacted]");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(secret.show(), "\"[redacted]\"");
        assert_eq!(secret.expose(), "s3cr3t");
    }

    #[test]
    fn lists_come_comma_separated_from_env_and_as_arrays_from_toml() {
        assert_eq!(
            Vec::<String>::from_env(" a, b ,,c "),
            Ok(vec!["a".to_string(), "b".into(), "c".into()])
        );
        assert_eq!(Vec::<String>::from_env(""), Ok(vec![]));
        let array = toml::Value::Array(vec!["x".into(), "y".into()]);
        assert_eq!(
            Vec::<String>::from_toml(&array),
            Ok(vec!["x".to_string(), "y".into()])
        );
        assert!(Vec::<u32>::from_toml(&toml::Value::Integer(1)).is_err());
        assert_eq!(Vec::<u32>::from_env("1,2"), Ok(vec![1, 2]));
    }

    #[test]
    fn mariadb_scheme_is_accepted_as_mysql() {
        let url: DatabaseUrl = "mariadb://root@127.0.0.1:3306/doberman"
            .parse()
            .expect("valid");

        assert_eq!(url.backend(), Backend::MySql);
        assert!(url.expose().starts_with("mysql://"));
    }

    #[test]
    fn render_groups_keys_by_section_with_sources() {
        let config =
            Config::load_from(None, env(&[("DOBERMAN_LOG__FORMAT", "json")])).expect("valid");

        let text = config.render();
        assert!(
            text.contains("[http]\nlisten = \"127.0.0.1:3978\"  # default"),
            "{text}"
        );
        assert!(
            text.contains("format = \"json\"  # env DOBERMAN_LOG__FORMAT"),
            "{text}"
        );
        let reparsed: toml::Table = text.parse().expect("check-config output is valid TOML");
        assert!(reparsed.contains_key("database"));
    }

    #[test]
    fn the_example_file_documents_every_key() {
        let example = write_file(include_str!("../doberman.example.toml"));

        let config =
            Config::load_from(Some(example.path()), env(&[])).expect("the example is valid");

        let undocumented: Vec<&str> = config
            .effective
            .iter()
            .filter(|s| s.source == Source::Default)
            .map(|s| s.key.as_str())
            .collect();
        assert!(
            undocumented.is_empty(),
            "missing from doberman.example.toml: {undocumented:?}"
        );
    }

    #[test]
    fn the_readme_reference_names_every_key() {
        let readme = include_str!("../README.md");
        let config = Config::load_from(None, env(&[])).expect("valid");

        let missing: Vec<&str> = config
            .effective
            .iter()
            .map(|s| s.key.as_str())
            .filter(|key| !readme.contains(&format!("`{key}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "missing from the README's settings table: {missing:?}"
        );
    }

    #[test]
    fn teams_defaults_point_at_microsoft() {
        let config = Config::load_from(None, env(&[])).expect("valid");

        let teams = &config.teams;
        assert_eq!(teams.app_id, "");
        assert!(!teams.dev_mode, "development mode is never the default");
        assert_eq!(
            teams.token_url.as_str(),
            "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
        );
        assert_eq!(
            teams.openid_metadata_url.as_str(),
            "https://login.botframework.com/v1/.well-known/openidconfiguration"
        );
        assert_eq!(teams.allowed_service_urls.len(), TEAMS_SERVICE_URLS.len());
        assert!(teams.allowed_tenants.is_empty());
    }

    #[test]
    fn teams_settings_come_from_env_with_lists_and_tenant_substitution() {
        let config = Config::load_from(
            None,
            env(&[
                (
                    "DOBERMAN_TEAMS__APP_ID",
                    "00000000-0000-0000-0000-000000000001",
                ),
                ("DOBERMAN_TEAMS__APP_PASSWORD", "pa55word"),
                (
                    "DOBERMAN_TEAMS__TENANT_ID",
                    "11111111-2222-3333-4444-555555555555",
                ),
                ("DOBERMAN_TEAMS__ALLOWED_TENANTS", "t1, t2"),
                ("DOBERMAN_TEAMS__ADMINS", "aad-1,aad-2"),
                (
                    "DOBERMAN_TEAMS__ALLOWED_SERVICE_URLS",
                    "http://127.0.0.1:9000/",
                ),
            ]),
        )
        .expect("valid");

        let teams = &config.teams;
        assert_eq!(
            teams.token_url.as_str(),
            "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token"
        );
        assert_eq!(teams.allowed_tenants, vec!["t1".to_string(), "t2".into()]);
        assert_eq!(teams.admins, vec!["aad-1".to_string(), "aad-2".into()]);
        assert_eq!(
            teams.allowed_service_urls[0].as_str(),
            "http://127.0.0.1:9000/"
        );
        assert_eq!(
            teams.app_password.as_ref().map(Secret::expose),
            Some("pa55word")
        );
        let rendered = config.render();
        assert!(!rendered.contains("pa55word"), "{rendered}");
        assert!(
            rendered.contains("app_password = \"[redacted]\""),
            "{rendered}"
        );
    }

    #[test]
    fn teams_settings_that_cannot_work_are_refused() {
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a [&'a str]);
        let cases: &[Case] = &[
            (
                &[
                    ("DOBERMAN_TEAMS__DEV_MODE", "true"),
                    ("DOBERMAN_HTTP__LISTEN", "0.0.0.0:3978"),
                ],
                &["teams.dev_mode", "loopback", "0.0.0.0:3978"],
            ),
            (
                &[("DOBERMAN_TEAMS__APP_ID", "abc")],
                &["teams.app_password", "required when teams.app_id is set"],
            ),
            (
                &[("DOBERMAN_TEAMS__DEV_MODE", "maybe")],
                &["teams.dev_mode", "true or false"],
            ),
            (
                &[("DOBERMAN_TEAMS__OPENID_METADATA_URL", "ftp://x/y")],
                &["teams.openid_metadata_url", "http:// or https:// URL"],
            ),
            (
                &[("DOBERMAN_TEAMS__ALLOWED_SERVICE_URLS", " , ")],
                &["teams.allowed_service_urls", "at least one"],
            ),
            (
                &[(
                    "DOBERMAN_TEAMS__ALLOWED_SERVICE_URLS",
                    "https://ok/,nonsense",
                )],
                &["teams.allowed_service_urls", "list of an http://"],
            ),
            (
                &[("DOBERMAN_TEAMS__TENANT_ID", "a/b")],
                &["teams.tenant_id", "tenant id"],
            ),
            (
                &[("DOBERMAN_TEAMS__TOKEN_URL", "not a url")],
                &["teams.token_url", "{tenant_id}"],
            ),
        ];
        for (vars, needles) in cases {
            let err = Config::load_from(None, env(vars))
                .expect_err(&format!("{vars:?} must be rejected"));

            assert_eq!(err.problems.len(), 1, "{vars:?}: {err:?}");
            for needle in *needles {
                assert!(
                    err.problems[0].contains(needle),
                    "{vars:?}: `{}` lacks `{needle}`",
                    err.problems[0]
                );
            }
        }
    }

    #[test]
    fn dev_mode_is_allowed_on_loopback() {
        let config = Config::load_from(
            None,
            env(&[
                ("DOBERMAN_TEAMS__DEV_MODE", "true"),
                ("DOBERMAN_HTTP__LISTEN", "[::1]:3978"),
            ]),
        )
        .expect("valid");

        assert!(config.teams.dev_mode);
    }

    #[test]
    fn aws_settings_are_validated() {
        let config = Config::load_from(
            None,
            env(&[
                ("DOBERMAN_AWS__REGION", "ap-northeast-2"),
                ("DOBERMAN_AWS__ENDPOINT_URL", "http://127.0.0.1:5000"),
                ("DOBERMAN_AWS__MAX_ATTEMPTS", "3"),
            ]),
        )
        .expect("valid");
        assert_eq!(config.aws.region, "ap-northeast-2");
        assert_eq!(
            config.aws.endpoint_url.as_ref().map(url::Url::as_str),
            Some("http://127.0.0.1:5000/")
        );
        assert_eq!(config.aws.max_attempts, 3);
        assert_eq!(config.aws.timeout_secs, 60);

        for (name, value, needle) in [
            ("DOBERMAN_AWS__REGION", "Seoul", "AWS region"),
            (
                "DOBERMAN_AWS__ENDPOINT_URL",
                "localhost:5000",
                "http:// or https://",
            ),
            ("DOBERMAN_AWS__MAX_ATTEMPTS", "0", "from 1 to 10"),
            ("DOBERMAN_AWS__TIMEOUT_SECS", "9999", "from 1 to 900"),
        ] {
            let err = Config::load_from(None, env(&[(name, value)])).expect_err(name);
            assert!(err.to_string().contains(needle), "{name}: {err}");
        }
    }

    #[test]
    fn accounts_come_from_toml_tables_or_a_json_array_in_the_environment() {
        let file = write_file(
            "[aws]\nregion = \"ap-northeast-2\"\n[[aws.accounts]]\nname = \"prod\"\nrole_arn = \"arn:aws:iam::111122223333:role/doberman\"\nregions = [\"ap-northeast-2\", \"us-east-1\"]\n[[aws.accounts]]\nname = \"dev\"\n",
        );
        let config = Config::load_from(Some(file.path()), env(&[])).expect("valid");
        assert_eq!(config.aws.accounts.len(), 2);
        assert_eq!(
            config.aws.accounts[0].regions,
            ["ap-northeast-2", "us-east-1"]
        );
        assert_eq!(config.aws.accounts[1].role_arn, None);

        let config = Config::load_from(
            None,
            env(&[(
                "DOBERMAN_AWS__ACCOUNTS",
                r#"[{"name": "prod", "role_arn": "arn:aws:iam::111122223333:role/doberman", "regions": ["us-east-1"]}]"#,
            )]),
        )
        .expect("valid");
        assert_eq!(config.aws.accounts[0].name, "prod");

        let implicit = Config::load_from(None, env(&[("DOBERMAN_AWS__REGION", "us-west-2")]))
            .expect("valid")
            .aws
            .effective_accounts();
        assert_eq!(implicit.len(), 1, "no accounts: the default one");
        assert_eq!(
            (implicit[0].name.as_str(), implicit[0].regions.as_slice()),
            ("default", &["us-west-2".to_owned()][..])
        );
    }

    #[test]
    fn accounts_that_cannot_work_are_refused_with_the_reason() {
        let cases = [
            (
                r#"[{"name": "prod", "role_arn": "arn:aws:iam::1234:role/x"}]"#,
                "not an IAM role ARN",
            ),
            (r#"[{"name": "a"}, {"name": "a"}]"#, "appears twice"),
            (r#"[{"name": "운영"}]"#, "may hold only"),
            (
                r#"[{"name": "prod", "regions": ["seoul"]}]"#,
                "not an AWS region",
            ),
            (r#"[{"name": "prod", "rolearn": "x"}]"#, "unknown field"),
            ("not json", "a list of"),
        ];
        for (value, expected) in cases {
            let e = Config::load_from(None, env(&[("DOBERMAN_AWS__ACCOUNTS", value)]))
                .expect_err(value);
            assert!(
                e.to_string().contains(expected) && e.to_string().contains("aws.accounts"),
                "{value}: {e}"
            );
        }
    }

    #[test]
    fn schedules_are_cron_in_the_configured_time_zone() {
        let config = Config::load_from(None, env(&[])).expect("defaults");
        assert_eq!(config.schedule.timezone, chrono_tz::Asia::Seoul);
        assert_eq!(
            config
                .schedule
                .catalog
                .as_ref()
                .map(|c| c.expression.as_str()),
            Some("0 10 * * * *")
        );

        let config = Config::load_from(
            None,
            env(&[
                ("DOBERMAN_SCHEDULE__USAGE", "30 6 * * *"),
                ("DOBERMAN_SCHEDULE__CATALOG", ""),
                ("DOBERMAN_SCHEDULE__TIMEZONE", "UTC"),
            ]),
        )
        .expect("valid");
        let usage = config.schedule.usage.expect("usage is on");
        assert_eq!(
            usage.expression, "0 30 6 * * *",
            "five fields get seconds = 0"
        );
        assert!(config.schedule.catalog.is_none(), "empty disables");
        let after = chrono::DateTime::parse_from_rfc3339("2026-11-25T07:00:00Z")
            .expect("time")
            .to_utc();
        assert_eq!(
            usage
                .next_after(after, chrono_tz::Asia::Seoul)
                .map(|t| t.to_rfc3339()),
            Some("2026-11-25T21:30:00+00:00".to_owned()),
            "06:30 in Seoul is 21:30 UTC the day before"
        );
        assert_eq!(
            usage.period(after, chrono_tz::UTC),
            Some(chrono::Duration::days(1))
        );

        for (key, value, expected) in [
            ("DOBERMAN_SCHEDULE__USAGE", "every day", "cron expression"),
            (
                "DOBERMAN_SCHEDULE__USAGE",
                "0 61 * * * *",
                "not a valid cron",
            ),
            ("DOBERMAN_SCHEDULE__TIMEZONE", "Seoul", "IANA time zone"),
        ] {
            let e = Config::load_from(None, env(&[(key, value)])).expect_err(value);
            assert!(e.to_string().contains(expected), "{value}: {e}");
        }
    }

    #[test]
    fn the_navigate_file_is_read_at_load_and_its_problems_name_it() {
        let file = write_file(
            "[[entry]]\ntitle = \"일 매출\"\ngroup = \"Sales\"\nwhere = [{ kind = \"table\", label = \"mart.sales\" }]\n",
        );
        let path = file.path().display().to_string();

        let config =
            Config::load_from(None, env(&[("DOBERMAN_NAVIGATE__FILE", &path)])).expect("valid");

        assert_eq!(config.navigate.file.as_deref(), Some(file.path()));
        assert_eq!(config.navigate.entries.len(), 1);
        assert_eq!(config.navigate.entries[0].title, "일 매출");
        assert!(
            Config::load_from(None, env(&[]))
                .expect("valid")
                .navigate
                .entries
                .is_empty(),
            "no file: no entries of the operator's"
        );

        let bad =
            write_file("[[entry]]\ntitle = \"x\"\nwhere = [{ kind = \"wiki\", label = \"w\" }]\n");
        let bad_path = bad.path().display().to_string();
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "a missing file",
                "/nonexistent/navigate.toml",
                &[
                    "navigate.file",
                    "/nonexistent/navigate.toml",
                    "cannot read it",
                ],
            ),
            (
                "an invalid file",
                &bad_path,
                &[
                    "navigate.file",
                    &bad_path,
                    "line 3",
                    "unknown variant `wiki`",
                ],
            ),
        ];
        for (case, value, needles) in cases {
            let err = Config::load_from(None, env(&[("DOBERMAN_NAVIGATE__FILE", value)]))
                .expect_err(case);

            assert_eq!(err.problems.len(), 1, "{case}: {err:?}");
            for needle in *needles {
                assert!(
                    err.problems[0].contains(needle),
                    "{case}: `{}` should mention `{needle}`",
                    err.problems[0]
                );
            }
        }
    }

    #[test]
    fn the_example_navigate_file_is_valid() {
        let entries = navigate::parse(include_str!("../navigate.example.toml"))
            .expect("navigate.example.toml is valid");

        assert!(entries.len() >= 6, "{entries:?}");
        assert!(
            entries
                .iter()
                .any(|e| e.title.chars().any(|c| ('가'..='힣').contains(&c)))
        );
    }
}
