//! The Bot Connector client: how Doberman talks back to Teams.
//!
//! Outbound tokens by client credentials, cached until five minutes before they expire, one refresh at a time.
//! Every call is checked against the service-URL policy (the token goes with it), paced per conversation within
//! Teams' limits, and retried on 429/412/5xx/timeouts with `Retry-After` honoured, exponential back-off with
//! jitter, and bounds on attempts and total time.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::Mutex;
use tokio::time::Instant;

use super::ServiceUrlPolicy;
use super::activity::{Activity, ChannelAccount};
use crate::config::Secret;

/// The scope of Bot Framework tokens.
pub const BOT_FRAMEWORK_SCOPE: &str = "https://api.botframework.com/.default";
/// Tokens are renewed this long before they expire.
const TOKEN_RENEW_BEFORE: Duration = Duration::from_secs(300);
/// One HTTP attempt's limit.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);

/// What `encodeURIComponent` leaves alone; the SDKs encode conversation ids with it (they hold `: ; @ =`).
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Errors of the connector client.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    /// The service URL is not one Doberman sends to.
    #[error("the service URL {0} is not in teams.allowed_service_urls")]
    ServiceUrlNotAllowed(String),
    /// 403 BotNotInConversationRoster: Doberman was removed from the conversation.
    #[error("Doberman is no longer in this conversation (BotNotInConversationRoster)")]
    NotInConversation,
    /// 404: the conversation does not exist (any more).
    #[error("the conversation was not found")]
    ConversationNotFound,
    /// Teams answered with an error that retrying will not fix.
    #[error("Teams refused the call: HTTP {status} {code}: {message}")]
    Rejected {
        /// HTTP status.
        status: u16,
        /// The connector's error code.
        code: String,
        /// The connector's message.
        message: String,
    },
    /// Retries ran out.
    #[error("Teams did not accept the call after {attempts} attempt(s) in {elapsed:?}: {last}")]
    GaveUp {
        /// Attempts made.
        attempts: u32,
        /// Time spent.
        elapsed: Duration,
        /// The last failure.
        last: String,
    },
    /// No outbound token.
    #[error("cannot get an outbound token from the token endpoint: {0}")]
    Token(String),
    /// A response that is not what the protocol says.
    #[error("unexpected response from Teams: {0}")]
    Protocol(String),
}

impl ConnectorError {
    /// True when the conversation reference should be marked inactive.
    pub fn conversation_gone(&self) -> bool {
        matches!(
            self,
            ConnectorError::NotInConversation | ConnectorError::ConversationNotFound
        )
    }
}

/// The answer to a send, reply or update: the activity's id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ResourceResponse {
    /// The new activity's id.
    #[serde(default)]
    pub id: Option<String>,
}

/// What to create with [`ConnectorClient::create_conversation`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationParameters {
    /// True for channel threads and group chats.
    pub is_group: bool,
    /// The bot (`28:<app id>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bot: Option<ChannelAccount>,
    /// The user, for a 1:1 chat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<ChannelAccount>>,
    /// `{"channel": {"id": …}, "tenant": {"id": …}}` for a channel thread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_data: Option<Value>,
    /// The first message, for a channel thread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<Activity>,
    /// The tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
}

impl ConversationParameters {
    /// A 1:1 chat between the bot and one person.
    pub fn personal(bot: ChannelAccount, user: ChannelAccount, tenant_id: &str) -> Self {
        ConversationParameters {
            is_group: false,
            bot: Some(bot),
            members: Some(vec![user]),
            channel_data: Some(serde_json::json!({ "tenant": { "id": tenant_id } })),
            tenant_id: Some(tenant_id.to_owned()),
            ..Default::default()
        }
    }

    /// A new thread in a channel, started by `activity`.
    pub fn channel_thread(
        bot: ChannelAccount,
        channel_id: &str,
        tenant_id: &str,
        activity: Activity,
    ) -> Self {
        ConversationParameters {
            is_group: true,
            bot: Some(bot),
            channel_data: Some(serde_json::json!({
                "channel": { "id": channel_id },
                "tenant": { "id": tenant_id },
            })),
            activity: Some(activity),
            tenant_id: Some(tenant_id.to_owned()),
            ..Default::default()
        }
    }
}

/// The answer to a create-conversation call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationResourceResponse {
    /// The conversation id (`19:…;messageid=…` for a channel thread).
    pub id: String,
    /// The first activity's id.
    #[serde(default)]
    pub activity_id: Option<String>,
    /// The service URL to use for it.
    #[serde(default)]
    pub service_url: Option<String>,
}

/// Bounds of the retry loop.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// First back-off; it doubles each time.
    pub base_delay: Duration,
    /// Largest single back-off (and largest `Retry-After` honoured).
    pub max_delay: Duration,
    /// Total time budget of one call, waits included.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
            max_total: Duration::from_secs(30),
        }
    }
}

/// Where outbound tokens come from.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The token endpoint.
    pub token_url: url::Url,
    /// The bot's app id.
    pub app_id: String,
    /// The bot's client secret.
    pub app_password: Secret,
}

#[derive(Debug, Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: u64,
}

#[derive(Debug)]
struct TokenSource {
    credentials: Credentials,
    cached: Mutex<Option<(Secret, Instant)>>,
}

impl TokenSource {
    async fn get(&self, http: &reqwest::Client) -> Result<Secret, ConnectorError> {
        // Holding the lock while fetching makes concurrent callers wait for one refresh instead of each starting one.
        let mut cached = self.cached.lock().await;
        if let Some((token, renew_at)) = cached.as_ref()
            && Instant::now() < *renew_at
        {
            return Ok(token.clone());
        }
        let c = &self.credentials;
        let response = http
            .post(c.token_url.as_str())
            .timeout(ATTEMPT_TIMEOUT)
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", c.app_id.as_str()),
                ("client_secret", c.app_password.expose()),
                ("scope", BOT_FRAMEWORK_SCOPE),
            ])
            .send()
            .await
            .map_err(|e| ConnectorError::Token(without_url(e)))?;
        let status = response.status();
        if !status.is_success() {
            let body: Value = response.json().await.unwrap_or(Value::Null);
            let reason = body["error"].as_str().unwrap_or("no error code");
            return Err(ConnectorError::Token(format!("HTTP {status}: {reason}")));
        }
        let token: TokenResponse = response.json().await.map_err(|e| {
            ConnectorError::Token(format!("unreadable token response: {}", without_url(e)))
        })?;
        let lifetime = Duration::from_secs(token.expires_in);
        let renew_in = lifetime
            .saturating_sub(TOKEN_RENEW_BEFORE)
            .max(lifetime / 2);
        let secret = Secret::new(token.access_token);
        *cached = Some((secret.clone(), Instant::now() + renew_in));
        tracing::debug!(expires_in = token.expires_in, "fetched an outbound token");
        Ok(secret)
    }

    async fn forget(&self) {
        *self.cached.lock().await = None;
    }
}

/// reqwest errors print the URL; token URLs carry no secrets, but keep messages short and uniform.
fn without_url(e: reqwest::Error) -> String {
    e.without_url().to_string()
}

/// Teams' per-thread send limits: (window, most sends in it).
const THREAD_LIMITS: [(Duration, usize); 4] = [
    (Duration::from_secs(1), 7),
    (Duration::from_secs(2), 8),
    (Duration::from_secs(30), 60),
    (Duration::from_secs(3600), 1800),
];

/// Keeps each conversation's sends within [`THREAD_LIMITS`].
#[derive(Debug, Default)]
struct Pacer {
    sent: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Pacer {
    /// Waits until one more send to `conversation` stays within every limit, and records it.
    async fn wait_turn(&self, conversation: &str) {
        loop {
            let wait = {
                let mut sent = self.sent.lock().await;
                let now = Instant::now();
                if sent.len() > 10_000 {
                    sent.retain(|_, times| {
                        times
                            .back()
                            .is_some_and(|t| now.duration_since(*t) < THREAD_LIMITS[3].0)
                    });
                }
                let times = sent.entry(conversation.to_owned()).or_default();
                while times
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= THREAD_LIMITS[3].0)
                {
                    times.pop_front();
                }
                let wait = THREAD_LIMITS
                    .iter()
                    .filter_map(|(window, limit)| {
                        let in_window: Vec<&Instant> = times
                            .iter()
                            .rev()
                            .take_while(|t| now.duration_since(**t) < *window)
                            .collect();
                        // The oldest send in the window must leave it before one more fits.
                        (in_window.len() >= *limit).then(|| *in_window[*limit - 1] + *window - now)
                    })
                    .max();
                if wait.is_none() {
                    times.push_back(now);
                }
                wait
            };
            match wait {
                None => return,
                Some(wait) => tokio::time::sleep(wait).await,
            }
        }
    }
}

/// The Bot Connector client.
#[derive(Debug)]
pub struct ConnectorClient {
    http: reqwest::Client,
    tokens: Option<TokenSource>,
    policy: ServiceUrlPolicy,
    retry: RetryPolicy,
    pacer: Pacer,
}

impl ConnectorClient {
    /// A client that authenticates with `credentials` (`None`: development mode, no token).
    pub fn new(
        http: reqwest::Client,
        credentials: Option<Credentials>,
        policy: ServiceUrlPolicy,
        retry: RetryPolicy,
    ) -> ConnectorClient {
        ConnectorClient {
            http,
            tokens: credentials.map(|credentials| TokenSource {
                credentials,
                cached: Mutex::new(None),
            }),
            policy,
            retry,
            pacer: Pacer::default(),
        }
    }

    /// Posts a message to a conversation (a new top-level message; in a channel thread id, into the thread).
    pub async fn send_to_conversation(
        &self,
        service_url: &str,
        conversation_id: &str,
        activity: &Activity,
    ) -> Result<ResourceResponse, ConnectorError> {
        self.call(
            Method::POST,
            service_url,
            &["v3", "conversations", conversation_id, "activities"],
            Some(activity),
            Some(conversation_id),
        )
        .await
    }

    /// Replies to an activity (in its thread).
    pub async fn reply_to_activity(
        &self,
        service_url: &str,
        conversation_id: &str,
        activity_id: &str,
        activity: &Activity,
    ) -> Result<ResourceResponse, ConnectorError> {
        self.on_activity(
            Method::POST,
            service_url,
            conversation_id,
            activity_id,
            Some(activity),
        )
        .await
    }

    /// Replaces an activity Doberman sent (cards updated in place).
    pub async fn update_activity(
        &self,
        service_url: &str,
        conversation_id: &str,
        activity_id: &str,
        activity: &Activity,
    ) -> Result<ResourceResponse, ConnectorError> {
        self.on_activity(
            Method::PUT,
            service_url,
            conversation_id,
            activity_id,
            Some(activity),
        )
        .await
    }

    /// Deletes an activity Doberman sent.
    pub async fn delete_activity(
        &self,
        service_url: &str,
        conversation_id: &str,
        activity_id: &str,
    ) -> Result<(), ConnectorError> {
        self.on_activity::<Value>(
            Method::DELETE,
            service_url,
            conversation_id,
            activity_id,
            None,
        )
        .await
        .map(|_| ())
    }

    /// A call on one activity: `v3/conversations/{conversation}/activities/{activity}`, paced per conversation.
    async fn on_activity<T: DeserializeOwned + Default>(
        &self,
        method: Method,
        service_url: &str,
        conversation_id: &str,
        activity_id: &str,
        body: Option<&Activity>,
    ) -> Result<T, ConnectorError> {
        self.call(
            method,
            service_url,
            &[
                "v3",
                "conversations",
                conversation_id,
                "activities",
                activity_id,
            ],
            body,
            Some(conversation_id),
        )
        .await
    }

    /// Starts a conversation: a 1:1 chat, or a new thread in a channel.
    pub async fn create_conversation(
        &self,
        service_url: &str,
        parameters: &ConversationParameters,
    ) -> Result<ConversationResourceResponse, ConnectorError> {
        let pace = parameters
            .channel_data
            .as_ref()
            .and_then(|d| d.pointer("/channel/id"))
            .and_then(Value::as_str);
        self.call(
            Method::POST,
            service_url,
            &["v3", "conversations"],
            Some(parameters),
            pace,
        )
        .await
    }

    /// Shows "Doberman is typing…".
    pub async fn send_typing(
        &self,
        service_url: &str,
        conversation_id: &str,
    ) -> Result<(), ConnectorError> {
        let typing = Activity {
            kind: "typing".to_owned(),
            ..Activity::default()
        };
        self.send_to_conversation(service_url, conversation_id, &typing)
            .await
            .map(|_| ())
    }

    /// One member of a conversation (for @mentions: name and Entra object id).
    pub async fn get_conversation_member(
        &self,
        service_url: &str,
        conversation_id: &str,
        member_id: &str,
    ) -> Result<ChannelAccount, ConnectorError> {
        self.call(
            Method::GET,
            service_url,
            &["v3", "conversations", conversation_id, "members", member_id],
            None::<&Activity>,
            None,
        )
        .await
    }

    async fn call<T: DeserializeOwned + Default>(
        &self,
        method: Method,
        service_url: &str,
        segments: &[&str],
        body: Option<&impl Serialize>,
        pace: Option<&str>,
    ) -> Result<T, ConnectorError> {
        if !self.policy.allows(service_url) {
            return Err(ConnectorError::ServiceUrlNotAllowed(service_url.to_owned()));
        }
        let path: Vec<String> = segments
            .iter()
            .map(|s| utf8_percent_encode(s, URI_COMPONENT).to_string())
            .collect();
        let url = format!("{}/{}", service_url.trim_end_matches('/'), path.join("/"));
        let span = tracing::info_span!("connector", method = %method, path = %segments[..segments.len().min(2)].join("/"));
        let _enter = span.enter();
        let started = Instant::now();
        let mut last = String::new();
        let mut reauthenticated = false;
        for attempt in 1..=self.retry.max_attempts {
            if let Some(conversation) = pace {
                self.pacer.wait_turn(conversation).await;
            }
            let mut request = self
                .http
                .request(method.clone(), &url)
                .timeout(ATTEMPT_TIMEOUT);
            if let Some(tokens) = &self.tokens {
                request = request.bearer_auth(tokens.get(&self.http).await?.expose());
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let retry_after = match request.send().await {
                Ok(response) if response.status().is_success() => {
                    let bytes = response
                        .bytes()
                        .await
                        .map_err(|e| ConnectorError::Protocol(without_url(e)))?;
                    if bytes.iter().all(u8::is_ascii_whitespace) {
                        return Ok(T::default());
                    }
                    return serde_json::from_slice(&bytes)
                        .map_err(|e| ConnectorError::Protocol(e.to_string()));
                }
                Ok(response) => {
                    let status = response.status();
                    let retry_after =
                        parse_retry_after(response.headers().get(reqwest::header::RETRY_AFTER));
                    let body: Value = response.json().await.unwrap_or(Value::Null);
                    let code = body
                        .pointer("/error/code")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned();
                    let message = body
                        .pointer("/error/message")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned();
                    if status == StatusCode::UNAUTHORIZED
                        && self.tokens.is_some()
                        && !reauthenticated
                    {
                        // A token revoked or rotated early: fetch a new one once.
                        reauthenticated = true;
                        if let Some(tokens) = &self.tokens {
                            tokens.forget().await;
                        }
                        last = format!("HTTP {status}");
                        continue;
                    }
                    if !is_retryable(status) {
                        return Err(match (status, code.as_str()) {
                            (StatusCode::FORBIDDEN, "BotNotInConversationRoster") => {
                                ConnectorError::NotInConversation
                            }
                            (StatusCode::NOT_FOUND, _) => ConnectorError::ConversationNotFound,
                            _ => ConnectorError::Rejected {
                                status: status.as_u16(),
                                code,
                                message,
                            },
                        });
                    }
                    last = format!("HTTP {status} {code}");
                    retry_after
                }
                Err(e) => {
                    last = without_url(e);
                    None
                }
            };
            if attempt == self.retry.max_attempts {
                break;
            }
            let delay = retry_after
                .unwrap_or_else(|| self.backoff(attempt))
                .min(self.retry.max_delay);
            if started.elapsed() + delay > self.retry.max_total {
                break;
            }
            tracing::debug!(attempt, ?delay, %last, "retrying a connector call");
            tokio::time::sleep(delay).await;
        }
        Err(ConnectorError::GaveUp {
            attempts: self.retry.max_attempts,
            elapsed: started.elapsed(),
            last,
        })
    }

    /// Exponential back-off with full jitter: a random wait up to base × 2^(attempt-1), capped.
    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .retry
            .base_delay
            .saturating_mul(1 << (attempt - 1).min(16))
            .min(self.retry.max_delay);
        ceiling.mul_f64(0.5 + fastrand::f64() / 2.0)
    }
}

fn is_retryable(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 412 | 429 | 500 | 502 | 503 | 504)
}

/// `Retry-After` as seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: Option<&reqwest::header::HeaderValue>) -> Option<Duration> {
    let text = value?.to_str().ok()?.trim();
    if let Ok(seconds) = text.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::from_secs_f64(seconds.min(3600.0)));
    }
    let at = chrono::DateTime::parse_from_rfc2822(text).ok()?;
    (at.with_timezone(&chrono::Utc) - chrono::Utc::now())
        .to_std()
        .ok()
        .or(Some(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let header = |s: &str| reqwest::header::HeaderValue::from_str(s).unwrap();

        assert_eq!(
            parse_retry_after(Some(&header("2"))),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            parse_retry_after(Some(&header("0.5"))),
            Some(Duration::from_millis(500))
        );
        assert_eq!(
            parse_retry_after(Some(&header("Wed, 21 Oct 2015 07:28:00 GMT"))),
            Some(Duration::ZERO)
        );
        let soon = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        let parsed = parse_retry_after(Some(&header(&soon))).expect("a date");
        assert!(
            parsed > Duration::from_secs(25) && parsed <= Duration::from_secs(30),
            "{parsed:?}"
        );
        assert_eq!(parse_retry_after(Some(&header("soon"))), None);
        assert_eq!(parse_retry_after(Some(&header("-1"))), None);
        assert_eq!(parse_retry_after(None), None);
    }

    #[test]
    fn conversation_ids_are_encoded_like_encode_uri_component() {
        let id = "19:abc@thread.tacv2;messageid=17=x/y 한";

        let encoded = utf8_percent_encode(id, URI_COMPONENT).to_string();

        assert_eq!(
            encoded,
            "19%3Aabc%40thread.tacv2%3Bmessageid%3D17%3Dx%2Fy%20%ED%95%9C"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_pacer_keeps_a_thread_within_seven_a_second_and_sixty_in_thirty() {
        let pacer = Pacer::default();
        let start = Instant::now();

        let mut at = Vec::new();
        for _ in 0..61 {
            pacer.wait_turn("19:thread").await;
            at.push(start.elapsed());
        }
        pacer.wait_turn("19:other").await;

        assert_eq!(at[6], Duration::ZERO, "seven at once");
        assert_eq!(
            at[7],
            Duration::from_secs(1),
            "the eighth waits for the first second to pass"
        );
        assert!(
            at[8] >= Duration::from_secs(2),
            "at most eight in two seconds: {:?}",
            at[8]
        );
        assert!(
            at[60] >= Duration::from_secs(30),
            "the 61st waits for the 30 s window: {:?}",
            at[60]
        );
        for window in at.windows(8) {
            assert!(
                window[7] - window[0] >= Duration::from_secs(1),
                "never eight within one second"
            );
        }
        assert_eq!(
            start.elapsed(),
            at[60],
            "another conversation does not wait"
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let client = ConnectorClient::new(
            reqwest::Client::new(),
            None,
            ServiceUrlPolicy::new(vec![], true),
            RetryPolicy::default(),
        );

        for attempt in 1..=20 {
            let d = client.backoff(attempt);
            let ceiling = Duration::from_millis(250)
                .saturating_mul(1 << (attempt - 1).min(16))
                .min(Duration::from_secs(10));
            assert!(d <= ceiling && d >= ceiling / 2, "attempt {attempt}: {d:?}");
        }
    }
}
