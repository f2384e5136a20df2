//! Thin wrappers over the AWS SDK: clients built from `[aws]` settings (region, endpoint, retries, timeouts) and
//! the paging the collectors need (Glue catalog, Athena query history). Adapter only: no store, no logic.

pub mod athena;
pub mod glue;

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_glue::config::SharedCredentialsProvider;

use crate::config::AwsConfig;

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
            detail: aws_sdk_glue::error::DisplayErrorContext(error).to_string(),
        }
    }
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
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(RetryConfig::standard().with_max_attempts(config.max_attempts))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_timeout(Duration::from_secs(u64::from(config.timeout_secs)))
                    .build(),
            );
        if !config.region.is_empty() {
            loader = loader.region(Region::new(config.region.clone()));
        }
        if let Some(endpoint) = &config.endpoint_url {
            loader = loader.endpoint_url(endpoint.as_str());
        }
        if let Some(credentials) = credentials {
            loader = loader.credentials_provider(credentials);
        }
        let shared = loader.load().await;
        Aws {
            glue: aws_sdk_glue::Client::new(&shared),
            athena: aws_sdk_athena::Client::new(&shared),
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
