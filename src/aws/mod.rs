//! Thin wrappers over the AWS SDK: clients built from `[aws]` settings (region, endpoint, retries, timeouts) and
//! the paging the collectors need (Glue catalog, Athena query history). Adapter only: no store, no logic.

pub mod athena;
pub mod dq;
pub mod glue;
pub mod query;

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_glue::config::SharedCredentialsProvider;

use crate::config::{AwsAccount, AwsConfig};

/// Errors of AWS calls, with the SDK's full context in the message (no secrets are in it).
#[derive(Debug, thiserror::Error)]
#[error("AWS {operation} failed for {target}: {detail}")]
pub struct AwsError {
    /// The API operation, e.g. `glue:GetTables`.
    pub operation: &'static str,
    /// What it was called on, e.g. a database name.
    pub target: String,
    /// The SDK's error with its causes.
    pub detail: String,
}

impl AwsError {
    fn new(
        operation: &'static str,
        target: impl Into<String>,
        error: impl std::error::Error,
    ) -> AwsError {
        AwsError {
            operation,
            target: target.into(),
            detail: causes(&error),
        }
    }
}

/// What Doberman says when the default chain found no credentials: the SDK's own message names the last provider
/// it tried (`IMDS is disabled`, a profile file not found), which sends people the wrong way.
pub const NO_CREDENTIALS: &str = "no AWS credentials found: give them as AWS_ACCESS_KEY_ID and \
     AWS_SECRET_ACCESS_KEY, a profile (AWS_PROFILE, ~/.aws), web identity, or an instance or container role; \
     aws.accounts[].role_arn roles are assumed from them";

/// The error and its causes on one line, each once. (The SDK's `DisplayErrorContext` appends the whole `Debug`
/// dump, which buries a missing credential under a page of structs.)
fn causes(error: &dyn std::error::Error) -> String {
    let text = crate::common::chain_text(
        std::iter::successors(Some(error), |e| e.source()).map(ToString::to_string),
    );
    if text.contains("no providers in chain provided credentials")
        || text.contains("the credential provider was not enabled")
    {
        return NO_CREDENTIALS.to_owned();
    }
    text
}

/// The AWS clients Doberman uses.
#[derive(Debug, Clone)]
pub struct Aws {
    glue: aws_sdk_glue::Client,
    athena: aws_sdk_athena::Client,
}

impl Aws {
    /// Clients from the default credential chain (environment, profile, SSO, web identity, container and instance
    /// roles), or from `credentials` when given (tests).
    pub async fn connect(
        config: &AwsConfig,
        credentials: Option<SharedCredentialsProvider>,
    ) -> Aws {
        let shared = sdk_config(config, None, credentials).await;
        Aws::from_sdk(&shared)
    }

    fn from_sdk(shared: &aws_config::SdkConfig) -> Aws {
        Aws {
            glue: aws_sdk_glue::Client::new(shared),
            athena: aws_sdk_athena::Client::new(shared),
        }
    }

    /// The Glue client.
    pub fn glue(&self) -> &aws_sdk_glue::Client {
        &self.glue
    }

    /// The Athena client.
    pub fn athena(&self) -> &aws_sdk_athena::Client {
        &self.athena
    }
}

/// One account and region a collector reads, with its clients.
#[derive(Debug, Clone)]
pub struct Target {
    /// The account's name from `aws.accounts` (`default` when none are configured).
    pub account: String,
    /// The region; the default chain's when `aws.region` and the account's regions are empty.
    pub region: String,
    /// Clients for this account and region.
    pub aws: Aws,
}

/// Clients for every account and region of `aws.accounts` (or the implicit `default` account). An account with
/// a `role_arn` reads through STS AssumeRole from the base credentials (`credentials`, or the default chain);
/// the SDK refreshes the role's session before it expires.
pub async fn targets(
    config: &AwsConfig,
    credentials: Option<SharedCredentialsProvider>,
) -> Vec<Target> {
    let mut out = Vec::new();
    for account in config.effective_accounts() {
        let regions = if account.regions.is_empty() {
            vec![config.region.clone()]
        } else {
            account.regions.clone()
        };
        for region in regions {
            let wanted = (!region.is_empty()).then_some(region.as_str());
            let base = sdk_config(config, wanted, credentials.clone()).await;
            let shared = match &account.role_arn {
                Some(_) => assume_role(config, &account, &base, wanted).await,
                None => base,
            };
            let region = shared
                .region()
                .map(|r| r.as_ref().to_owned())
                .unwrap_or_default();
            out.push(Target {
                account: account.name.clone(),
                region,
                aws: Aws::from_sdk(&shared),
            });
        }
    }
    out
}

impl Target {
    /// `account <name> region <region>` for messages; a region the chain did not give says so.
    pub fn label(&self) -> String {
        let region = if self.region.is_empty() {
            "(none set: aws.region, AWS_REGION or a profile)"
        } else {
            &self.region
        };
        format!("account {} region {region}", self.account)
    }
}

async fn assume_role(
    config: &AwsConfig,
    account: &AwsAccount,
    base: &aws_config::SdkConfig,
    region: Option<&str>,
) -> aws_config::SdkConfig {
    let role = account.role_arn.clone().unwrap_or_default();
    let provider = aws_config::sts::AssumeRoleProvider::builder(role)
        .session_name(format!("doberman-{}", account.name))
        .configure(base)
        .build()
        .await;
    sdk_config(
        config,
        region,
        Some(SharedCredentialsProvider::new(provider)),
    )
    .await
}

pub(crate) async fn sdk_config(
    config: &AwsConfig,
    region: Option<&str>,
    credentials: Option<SharedCredentialsProvider>,
) -> aws_config::SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(config.max_attempts))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_timeout(Duration::from_secs(u64::from(config.timeout_secs)))
                .build(),
        );
    if let Some(region) = region.or((!config.region.is_empty()).then_some(config.region.as_str())) {
        loader = loader.region(Region::new(region.to_owned()));
    }
    if let Some(endpoint) = &config.endpoint_url {
        loader = loader.endpoint_url(endpoint.as_str());
    }
    if let Some(credentials) = credentials {
        loader = loader.credentials_provider(credentials);
    }
    loader.load().await
}

#[cfg(test)]
mod policy_tests {
    use std::collections::BTreeSet;

    /// `glue.get_tables()` → `glue:GetTables`, for every call on a Glue or Athena client in these sources.
    fn calls(service: &str, source: &str) -> BTreeSet<String> {
        let flat: String = source.split_whitespace().collect();
        let mut out = BTreeSet::new();
        for (at, _) in flat.match_indices(&format!("{service}.")) {
            let rest = &flat[at + service.len() + 1..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() && rest[name.len()..].starts_with("()") {
                let pascal: String = name
                    .split('_')
                    .map(|w| w[..1].to_uppercase() + &w[1..])
                    .collect();
                out.insert(format!("{service}:{pascal}"));
            }
        }
        out
    }

    #[test]
    fn the_readme_policy_allows_every_call_the_collectors_make() {
        let readme = include_str!("../../README.md");
        let policy = readme
            .split("```json\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("the README shows the IAM policy as a json block");
        let policy: serde_json::Value = serde_json::from_str(policy).expect("the policy is JSON");
        let allowed: BTreeSet<String> = policy["Statement"]
            .as_array()
            .expect("statements")
            .iter()
            .flat_map(|s| s["Action"].as_array().cloned().unwrap_or_default())
            .filter_map(|a| a.as_str().map(str::to_owned))
            .collect();
        let mut called = calls("glue", include_str!("glue.rs"));
        called.extend(calls("athena", include_str!("athena.rs")));
        called.extend(calls("athena", include_str!("query.rs")));
        called.extend(calls("glue", include_str!("dq.rs")));
        assert!(called.len() >= 10, "the scan found the calls: {called:?}");
        let missing: Vec<&String> = called.difference(&allowed).collect();
        assert!(missing.is_empty(), "the README policy lacks {missing:?}");
    }
}
