//! `[aws]`: the region, endpoint, retries and accounts (with their roles) the collectors read.

use std::collections::BTreeSet;

use super::{DEMO_ACCOUNT, Loader, Setting, quoted};

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
pub(super) fn is_region(r: &str) -> bool {
    r.split('-').count() >= 3
        && r.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

pub(super) fn check_accounts(accounts: &[AwsAccount]) -> Result<(), String> {
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

/// Loads `[aws]`.
pub(super) fn load_aws(l: &mut Loader) -> AwsConfig {
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
        work_groups: l.get(
            "aws.work_groups",
            Vec::new(),
            |groups: &Vec<String>| match groups.iter().find(|g| {
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
            },
        ),
    }
}
