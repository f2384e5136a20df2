//! Typed settings, layered and validated at load.
//!
//! Precedence, lowest first: built-in defaults, a TOML file (`--config PATH` or `DOBERMAN_CONFIG`), then
//! environment variables `DOBERMAN_<SECTION>__<KEY>` (lists comma-separated). Every value is parsed into its
//! type when the configuration loads, and every problem is collected, so an operator sees all mistakes at once,
//! each naming the key, where the value came from and what was expected. Secret values never appear in
//! `Debug`, `Display`, error messages or `check-config` output.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

mod airflow;
pub mod alerts;
mod aws;
pub mod checks;
mod cost;
mod features;
mod loader;
mod manifest;
pub mod navigate;
mod schedule;
mod server;
mod teams;
mod values;

pub use airflow::{AirflowConfig, AirflowInstance, AirflowOwner, RunLimit};
pub use alerts::{AlertsConfig, HeartbeatConfig};
pub use aws::{AwsAccount, AwsConfig};
pub use checks::{CheckDef, CheckKind, CheckSeverity, ChecksConfig};
pub use cost::{CostAccount, CostConfig, CurLayout};
pub use features::{ChatConfig, RequestsConfig, SupersetConfig, UsageConfig, dashboard_url};
use loader::{Loader, Setting, quoted, read_env_layer, read_file_layer};
pub use manifest::ManifestConfig;
pub use navigate::NavigateConfig;
pub use schedule::ScheduleConfig;
pub use server::{DatabaseConfig, HttpConfig, LogConfig};
pub use teams::{TEAMS_SERVICE_URLS, TENANT_REQUESTS_PER_SECOND, TeamsConfig};
pub use values::{
    Backend, CronSpec, DEMO_ACCOUNT, DatabaseUrl, LogFormat, Secret, is_plain_identifier,
};

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
    /// `[chat]`: the default language.
    pub chat: ChatConfig,
    /// `[navigate]`.
    pub navigate: NavigateConfig,
    /// `[manifest]`.
    pub manifest: ManifestConfig,
    /// `[alerts]`.
    pub alerts: AlertsConfig,
    /// `[heartbeat]`.
    pub heartbeat: HeartbeatConfig,
    /// `[airflow]`.
    pub airflow: AirflowConfig,
    /// `[checks]` and the checks of `checks.dir`.
    pub checks: ChecksConfig,
    /// Each key's effective value (secrets redacted) and where it came from, in key order.
    pub effective: Vec<EffectiveSetting>,
    /// The configuration file that was asked for, and whether it existed.
    pub file: Option<ConfigFile>,
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

        let mut l = Loader::new(raw, problems);
        let database = server::load_database(&mut l);
        let http = server::load_http(&mut l);
        let log = server::load_log(&mut l);
        let teams = teams::load_teams(&mut l, http.listen);
        let aws = aws::load_aws(&mut l);
        let schedule = schedule::load_schedule(&mut l);
        let usage = features::load_usage(&mut l);
        let cost = cost::load_cost(&mut l);
        let superset = features::load_superset(&mut l);
        let requests = features::load_requests(&mut l);
        let chat = features::load_chat(&mut l);
        let navigate = navigate::load_navigate(&mut l);
        let alerts = alerts::load_alerts(&mut l);
        let heartbeat = alerts::load_heartbeat(&mut l);
        let manifest = manifest::load_manifest(&mut l);
        let airflow = airflow::load_airflow(&mut l);
        let checks = checks::load_checks(&mut l);
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
            chat,
            navigate,
            manifest,
            alerts,
            heartbeat,
            airflow,
            checks,
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
        let example = write_file(include_str!("../../doberman.example.toml"));

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
        let readme = include_str!("../../README.md");
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
    fn a_blank_app_password_in_the_file_is_refused_as_missing() {
        let file = write_file(
            "[teams]\napp_id = \"8f0c2e7a-4b1d-4c3e-9a55-2d6f1e0b7c11\"\napp_password = \"  \"\n",
        );

        // Loaded (`manifest` and `superset-bundle` need no secret), but not fit to serve.
        let config = Config::load_from(Some(file.path()), env(&[])).expect("loaded");

        let problems = config.teams.serving_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].starts_with("teams.app_password")
                && problems[0].contains("required when teams.app_id is set"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_toml_error_names_the_place_but_never_shows_the_line() {
        let file = write_file("[teams]\napp_password = \"s3cret-pw\" and more\n");

        let err = Config::load_from(Some(file.path()), env(&[])).expect_err("refused");

        let all = err.problems.join("\n");
        assert!(
            all.contains("not valid TOML") && all.contains("line 2"),
            "{all}"
        );
        assert!(
            !all.contains("s3cret-pw"),
            "the offending line leaked: {all}"
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
                &[
                    ("DOBERMAN_TEAMS__APP_ID", "not-a-guid"),
                    ("DOBERMAN_TEAMS__APP_PASSWORD", "s3cret-pw"),
                ],
                &["teams.app_id", "not-a-guid", "GUID"],
            ),
            (
                &[
                    ("DOBERMAN_TEAMS__DEV_MODE", "true"),
                    (
                        "DOBERMAN_TEAMS__APP_ID",
                        "8f0c2e7a-4b1d-4c3e-9a55-2d6f1e0b7c11",
                    ),
                    ("DOBERMAN_TEAMS__APP_PASSWORD", "s3cret-pw"),
                ],
                &["teams.dev_mode", "teams.app_id", "production"],
            ),
            (
                &[
                    ("DOBERMAN_TEAMS__DEV_MODE", "true"),
                    ("DOBERMAN_TEAMS__APP_PASSWORD", "s3cret-pw"),
                ],
                &["teams.dev_mode", "teams.app_password"],
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
            assert!(
                !err.problems[0].contains("s3cret-pw"),
                "{vars:?}: a secret in `{}`",
                err.problems[0]
            );
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
        let entries = navigate::parse(include_str!("../../navigate.example.toml"))
            .expect("navigate.example.toml is valid");

        assert!(entries.len() >= 6, "{entries:?}");
        assert!(
            entries
                .iter()
                .any(|e| e.title.chars().any(|c| ('가'..='힣').contains(&c)))
        );
    }
}
