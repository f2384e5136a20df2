//! `[airflow]`: the Airflow instances whose DAGs, runs and failed tasks the `airflow` collector reads.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::alerts::{Entry, entry_list_setting, parse_duration};
use super::{Loader, Setting, quoted};

/// `[airflow]` settings.
#[derive(Debug, Clone)]
pub struct AirflowConfig {
    /// `airflow.instances`: the Airflow instances to watch; empty turns the collector off.
    pub instances: Vec<AirflowInstance>,
    /// `airflow.history_days`: how far back the first collection of an instance reads runs.
    pub history_days: u32,
    /// `airflow.timeout_secs`: limit of one call to Airflow's API, its retries included.
    pub timeout_secs: u32,
    /// `airflow.late_after`: a DAG whose next run was due this long ago and has not been created is late.
    pub late_after: std::time::Duration,
    /// `airflow.slow_factor`: a run is slow when it has run longer than this many times the p95 of its DAG's last
    /// 30 successful runs.
    pub slow_factor: f64,
    /// `airflow.run_limits`: how long runs of DAGs matching a glob may take, instead of the learned p95.
    pub run_limits: Vec<RunLimit>,
    /// `airflow.owners`: the Teams people an Airflow owner stands for, @mentioned on its DAGs' alerts.
    pub owners: Vec<AirflowOwner>,
}

/// How long runs of some DAGs may take (an entry of `airflow.run_limits`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunLimit {
    /// DAG id glob (`*` for any).
    pub dags: String,
    /// A duration such as `2h`.
    pub limit: String,
}

impl RunLimit {
    /// The limit (checked at load).
    pub fn limit(&self) -> std::time::Duration {
        parse_duration(&self.limit).unwrap_or_default()
    }
}

impl Entry for RunLimit {
    const EXPECTED: &'static str =
        "a list of {dags = \"DAG id glob\", limit = \"2h\"} (a JSON array in the environment)";
    fn check(&self) -> Result<(), String> {
        if self.dags.trim().is_empty() {
            return Err("a run limit needs `dags`".to_owned());
        }
        match parse_duration(&self.limit) {
            Ok(d) if d.as_secs() > 0 => Ok(()),
            _ => Err(format!(
                "`{}` is not a duration such as 90m or 2h",
                self.limit
            )),
        }
    }
    fn show(&self) -> String {
        format!(
            "{{ dags = {}, limit = {} }}",
            quoted(&self.dags),
            quoted(&self.limit)
        )
    }
}
entry_list_setting!(RunLimit);

/// Who an Airflow owner is in Teams (an entry of `airflow.owners`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AirflowOwner {
    /// The owner as DAGs name it (`default_args.owner`), e.g. `data-eng` or `민수`.
    pub owner: String,
    /// Their Teams id (`29:…`) or Entra object id, for the @mention.
    pub id: String,
    /// Their name as Teams shows it.
    pub name: String,
}

impl Entry for AirflowOwner {
    const EXPECTED: &'static str = "a list of {owner = \"Airflow owner\", id = \"29:… or Entra object id\", name} (a JSON array in the environment)";
    fn check(&self) -> Result<(), String> {
        if self.owner.trim().is_empty() || self.id.trim().is_empty() || self.name.trim().is_empty()
        {
            return Err("an Airflow owner needs `owner`, `id` and `name`".to_owned());
        }
        Ok(())
    }
    fn show(&self) -> String {
        format!(
            "{{ owner = {}, id = {}, name = {} }}",
            quoted(&self.owner),
            quoted(&self.id),
            quoted(&self.name)
        )
    }
}
entry_list_setting!(AirflowOwner);

impl Default for AirflowConfig {
    fn default() -> Self {
        AirflowConfig {
            instances: Vec::new(),
            history_days: 30,
            timeout_secs: 30,
            late_after: std::time::Duration::from_secs(30 * 60),
            slow_factor: 2.0,
            run_limits: Vec::new(),
            owners: Vec::new(),
        }
    }
}

/// One Airflow instance (an entry of `airflow.instances`). `Debug` hides the password.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AirflowInstance {
    /// Short name shown in cards and part of every stored key: `[A-Za-z0-9_-]{1,64}`, unique.
    pub name: String,
    /// The Airflow web server / API server, e.g. `https://airflow.internal`; the REST API's version (v1 on 2.x,
    /// v2 on 3.x) is asked of the server.
    #[serde(default)]
    pub url: Option<String>,
    /// The user Doberman reads as (the Viewer role is enough): basic auth on 2.x, a JWT from `/auth/token` on 3.x.
    #[serde(default)]
    pub username: Option<String>,
    /// Its password: a secret, never shown.
    #[serde(default)]
    pub password: Option<String>,
    /// An Amazon MWAA environment: its REST API is called through MWAA's `InvokeRestApi`, signed with the AWS
    /// credential chain in `aws.region` (no username or password); `url`, if given, is its web server, for log
    /// links.
    #[serde(default)]
    pub mwaa_environment: Option<String>,
}

impl std::fmt::Debug for AirflowInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AirflowInstance")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("mwaa_environment", &self.mwaa_environment)
            .finish()
    }
}

impl Entry for AirflowInstance {
    const EXPECTED: &'static str = "a list of {name, url = \"https://airflow.internal\", username, password} or {name, mwaa_environment} (a JSON array in the environment)";
    // The password is in the value: never repeat it.
    const ECHO: bool = false;
    fn check(&self) -> Result<(), String> {
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
        if !name_ok {
            return Err(format!(
                "instance name `{}` may hold only letters, digits, `_` and `-` (1 to 64)",
                self.name
            ));
        }
        if self.name == super::DEMO_ACCOUNT {
            return Err(format!(
                "instance name `{}` is reserved for the demo data (doberman demo); choose another",
                self.name
            ));
        }
        if let Some(environment) = &self.mwaa_environment {
            let ok = (1..=80).contains(&environment.len())
                && environment.starts_with(|c: char| c.is_ascii_alphabetic())
                && environment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
            if !ok {
                return Err(format!(
                    "instance `{}`: `{environment}` is not an MWAA environment name (a letter, then letters, digits, `-` and `_`, up to 80)",
                    self.name
                ));
            }
            if self.username.is_some() || self.password.is_some() {
                return Err(format!(
                    "instance `{}`: an MWAA environment is called with the AWS credential chain (airflow:InvokeRestApi); leave out `username` and `password`",
                    self.name
                ));
            }
        }
        let Some(url) = &self.url else {
            if self.mwaa_environment.is_some() {
                return Ok(());
            }
            return Err(format!(
                "instance `{}` needs a `url` (or an MWAA `mwaa_environment`)",
                self.name
            ));
        };
        match url::Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "https" | "http") && u.host().is_some() => {
                if !u.username().is_empty() || u.password().is_some() {
                    return Err(format!(
                        "instance `{}`: put the user in `username` and `password`, not in the URL",
                        self.name
                    ));
                }
            }
            _ => {
                return Err(format!(
                    "instance `{}`: `url` is not an http(s) URL",
                    self.name
                ));
            }
        }
        if self.mwaa_environment.is_some() {
            return Ok(());
        }
        match (&self.username, &self.password) {
            (Some(u), Some(p)) if !u.trim().is_empty() && !p.is_empty() => Ok(()),
            _ => Err(format!(
                "instance `{}` needs `username` and `password` (a user with Airflow's Viewer role)",
                self.name
            )),
        }
    }
    fn show(&self) -> String {
        if let Some(environment) = &self.mwaa_environment {
            return format!(
                "{{ name = {}, mwaa_environment = {}, url = {} }}",
                quoted(&self.name),
                quoted(environment),
                quoted(self.url.as_deref().unwrap_or_default())
            );
        }
        format!(
            "{{ name = {}, url = {}, username = {}, password = {} }}",
            quoted(&self.name),
            quoted(self.url.as_deref().unwrap_or_default()),
            quoted(self.username.as_deref().unwrap_or_default()),
            quoted("[redacted]")
        )
    }
}
entry_list_setting!(AirflowInstance);

/// A duration such as `30m` (see [`parse_duration`]).
#[derive(Debug, Clone, Copy)]
struct Span(std::time::Duration);

impl Setting for Span {
    fn expected() -> String {
        "a duration such as 30m, 2h or 1d".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        parse_duration(raw).map(Span)
    }
    fn show(&self) -> String {
        let secs = self.0.as_secs();
        quoted(&match secs {
            s if s % 86_400 == 0 => format!("{}d", s / 86_400),
            s if s % 3_600 == 0 => format!("{}h", s / 3_600),
            s if s % 60 == 0 => format!("{}m", s / 60),
            s => format!("{s}s"),
        })
    }
}

/// Loads `[airflow]`.
pub(super) fn load_airflow(l: &mut Loader) -> AirflowConfig {
    let d = AirflowConfig::default();
    AirflowConfig {
        instances: l.get(
            "airflow.instances",
            d.instances,
            |instances: &Vec<AirflowInstance>| {
                let mut names = BTreeSet::new();
                match instances.iter().find(|i| !names.insert(i.name.as_str())) {
                    Some(twice) => Err(format!("instance name `{}` appears twice", twice.name)),
                    None => Ok(()),
                }
            },
        ),
        history_days: l.get("airflow.history_days", d.history_days, |n| {
            if (1..=400).contains(n) {
                Ok(())
            } else {
                Err("expected days from 1 to 400".into())
            }
        }),
        timeout_secs: l.get("airflow.timeout_secs", d.timeout_secs, |n| {
            if (1..=600).contains(n) {
                Ok(())
            } else {
                Err("expected seconds from 1 to 600".into())
            }
        }),
        late_after: l
            .get("airflow.late_after", Span(d.late_after), |_| Ok(()))
            .0,
        slow_factor: l.get("airflow.slow_factor", d.slow_factor, |f| {
            if f.is_finite() && (1.0..=100.0).contains(f) {
                Ok(())
            } else {
                Err("expected a factor from 1 to 100".into())
            }
        }),
        run_limits: l.get("airflow.run_limits", d.run_limits, |_| Ok(())),
        owners: l.get("airflow.owners", d.owners, |_| Ok(())),
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    fn load(pairs: &[(&str, &str)]) -> Result<Config, crate::config::ConfigError> {
        Config::load_from(
            None,
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        )
    }

    #[test]
    fn an_instance_is_read_from_the_environment_and_its_password_never_shown() {
        let config = load(&[(
            "DOBERMAN_AIRFLOW__INSTANCES",
            r#"[{"name": "prod", "url": "https://airflow.internal", "username": "doberman", "password": "s3cr3t-pw"}]"#,
        )])
        .expect("valid");
        assert_eq!(config.airflow.instances.len(), 1);
        assert_eq!(
            config.airflow.instances[0].password.as_deref(),
            Some("s3cr3t-pw")
        );
        assert!(
            !config.render().contains("s3cr3t-pw"),
            "{}",
            config.render()
        );
        assert!(!format!("{config:?}").contains("s3cr3t-pw"));
        assert_eq!(config.airflow.history_days, 30);
        assert_eq!(config.airflow.late_after.as_secs(), 1_800);
    }

    #[test]
    fn a_bad_instance_is_refused_without_echoing_its_password() {
        for (value, expected) in [
            (
                r#"[{"name": "prod", "url": "ftp://x", "username": "u", "password": "s3cr3t-pw"}]"#,
                "is not an http(s) URL",
            ),
            (
                r#"[{"name": "pr od", "url": "https://x", "username": "u", "password": "s3cr3t-pw"}]"#,
                "may hold only letters",
            ),
            (
                r#"[{"name": "prod", "url": "https://x", "username": "u"}]"#,
                "needs `username` and `password`",
            ),
            (
                r#"[{"name": "demo", "url": "https://x", "username": "u", "password": "s3cr3t-pw"}]"#,
                "reserved for the demo data",
            ),
            (
                r#"[{"name": "prod", "mwaa_environment": "env", "password": "s3cr3t-pw"}]"#,
                "leave out `username` and `password`",
            ),
            (
                r#"[{"name": "prod", "mwaa_environment": "9 lives"}]"#,
                "is not an MWAA environment name",
            ),
            (
                r#"[{"name": "a", "url": "https://x", "username": "u", "password": "s3cr3t-pw"}, {"name": "a", "url": "https://y", "username": "u", "password": "s3cr3t-pw"}]"#,
                "appears twice",
            ),
        ] {
            let error = load(&[("DOBERMAN_AIRFLOW__INSTANCES", value)])
                .expect_err(expected)
                .to_string();
            assert!(error.contains(expected), "{expected}: {error}");
            assert!(!error.contains("s3cr3t-pw"), "{error}");
        }
        let error = load(&[("DOBERMAN_AIRFLOW__HISTORY_DAYS", "0")])
            .expect_err("no history")
            .to_string();
        assert!(error.contains("airflow.history_days"), "{error}");
    }
}
