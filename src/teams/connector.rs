//! The Bot Connector client: how Doberman talks back to Teams.
//!
//! Outbound tokens by client credentials, cached until five minutes before they expire, one refresh at a time,
//! and fetched again when the token endpoint fails for a moment. Every call is checked against the service-URL
//! policy (the token goes with it), paced per conversation and per tenant within Teams' limits, and retried on
//! 429/412/5xx with `Retry-After` honoured in full (up to [`RetryPolicy::max_retry_after`]), exponential back-off
//! with jitter, and bounds on attempts and total time. When the wait Teams asks for does not fit the call's time
//! budget, the call gives up at once and says how long to wait ([`ConnectorError::retry_after`]), so a durable
//! caller (the outbox) can come back then instead of holding a task.
//!
//! A POST that may have reached Teams (a timeout or a broken connection after the request went out) is never
//! sent again blindly: Teams has no idempotency key, and a second post is a duplicate message. It fails with
//! [`ConnectorError::Uncertain`]. Updates and deletes are idempotent and retried as usual. Redirects are never
//! followed (the client is built without them: a redirect would carry the card, and the token, elsewhere).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::Mutex;
use tokio::time::Instant;
use tracing::Instrument;

use super::ServiceUrlPolicy;
use super::activity::{Activity, ChannelAccount};
use crate::config::Secret;

/// The scope of Bot Framework tokens.
pub const BOT_FRAMEWORK_SCOPE: &str = "https://api.botframework.com/.default";
/// Tokens are renewed this long before they expire.
const TOKEN_RENEW_BEFORE: Duration = Duration::from_secs(300);
/// One HTTP attempt's limit, by default.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(15);
/// One token request's limit.
const TOKEN_TIMEOUT: Duration = Duration::from_secs(15);

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
        /// How long Teams asked to wait before the next attempt (its `Retry-After`, up to the ceiling).
        retry_after: Option<Duration>,
    },
    /// The request may have reached Teams (it timed out or the connection broke after it was sent): a POST is not
    /// sent again, since Teams would show it twice.
    #[error("Teams may have received the message, so it is not sent again: {0}")]
    Uncertain(String),
    /// No outbound token, and trying again will not help (the credentials are refused).
    #[error("cannot get an outbound token from the token endpoint: {0}")]
    Token(String),
    /// A response that is not what the protocol says.
    #[error("unexpected response from Teams: {0}")]
    Protocol(String),
}

impl ConnectorError {
    /// How long Teams asked to wait before trying again, when it said so.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ConnectorError::GaveUp { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// True when a later attempt may succeed: throttling, outages, an unreachable token endpoint, and refused
    /// credentials (an operator fixes them and restarts).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ConnectorError::GaveUp { .. } | ConnectorError::Token(_)
        )
    }

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
    /// Largest single back-off of Doberman's own choosing.
    pub max_delay: Duration,
    /// Largest `Retry-After` honoured: a longer one is taken as this (a sane ceiling against a wrong header).
    pub max_retry_after: Duration,
    /// Total time budget of one call, waits included. A wait that does not fit ends the call with
    /// [`ConnectorError::GaveUp`] carrying it, instead of being shortened.
    pub max_total: Duration,
    /// One HTTP attempt's limit.
    pub attempt_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(3600),
            max_total: Duration::from_secs(30),
            attempt_timeout: ATTEMPT_TIMEOUT,
        }
    }
}

/// What the client has seen, for `/metrics`.
#[derive(Debug, Default)]
pub struct ConnectorStats {
    /// Calls under way (waiting for their pacing turn included).
    pub in_flight: AtomicU64,
    /// 429 answers received from Teams.
    pub throttled: AtomicU64,
    /// Of those, the ones whose `Retry-After` was honoured by waiting in the call (the rest go back to their
    /// caller with the wait to honour).
    pub throttled_waited: AtomicU64,
    /// POSTs not sent again because Teams may have received them.
    pub uncertain: AtomicU64,
    /// Token endpoint failures that were retried.
    pub token_retries: AtomicU64,
}

/// Why no token was had.
enum TokenFailure {
    /// Worth another try: the endpoint was unreachable, slow, throttling or failing.
    Transient(String, Option<Duration>),
    /// The endpoint refused the credentials.
    Refused(String),
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
    async fn get(&self, http: &reqwest::Client) -> Result<Secret, TokenFailure> {
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
            .timeout(TOKEN_TIMEOUT)
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", c.app_id.as_str()),
                ("client_secret", c.app_password.expose()),
                ("scope", BOT_FRAMEWORK_SCOPE),
            ])
            .send()
            .await
            .map_err(|e| TokenFailure::Transient(without_url(e), None))?;
        let status = response.status();
        if !status.is_success() {
            let retry_after =
                parse_retry_after(response.headers().get(reqwest::header::RETRY_AFTER));
            let body: Value = response.json().await.unwrap_or(Value::Null);
            let reason = body["error"].as_str().unwrap_or("no error code");
            let reason = format!("the token endpoint answered HTTP {status}: {reason}");
            return Err(if is_retryable(status) {
                TokenFailure::Transient(reason, retry_after)
            } else {
                TokenFailure::Refused(reason)
            });
        }
        let token: TokenResponse = response.json().await.map_err(|e| {
            TokenFailure::Transient(
                format!("unreadable token response: {}", without_url(e)),
                None,
            )
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

/// Margin on the tenant's spacing: timers fire late and requests arrive with jitter, so sends spaced exactly
/// 1/limit apart could land `limit + 1` in one second at Teams. 2% leaves 20 ms of jitter a second.
const TENANT_MARGIN: f64 = 1.02;

/// Keeps each conversation's sends within [`THREAD_LIMITS`] and each tenant's within its requests per second.
///
/// A conversation's limits are sliding windows of its recent sends. A tenant's limit is a schedule of evenly
/// spaced slots, each reserved by one caller (first come, first served): thousands of callers waiting on one
/// tenant each sleep until their own slot, rather than all waking whenever one slot frees.
#[derive(Debug)]
struct Pacer {
    threads: std::sync::Mutex<HashMap<String, VecDeque<Instant>>>,
    /// The next free slot per tenant.
    tenants: std::sync::Mutex<HashMap<String, Instant>>,
    /// The spacing of a tenant's slots.
    tenant_interval: Duration,
}

impl Default for Pacer {
    fn default() -> Self {
        Pacer::new(crate::config::TENANT_REQUESTS_PER_SECOND)
    }
}

impl Pacer {
    fn new(tenant_per_second: u32) -> Pacer {
        Pacer {
            threads: std::sync::Mutex::default(),
            tenants: std::sync::Mutex::default(),
            tenant_interval: Duration::from_secs(1)
                .div_f64(f64::from(tenant_per_second.max(1)) / TENANT_MARGIN),
        }
    }

    /// Waits until one more send to `conversation` (if any) stays within every limit of the conversation and of
    /// `tenant`, and records it. A caller waiting here delays nobody but later callers of the same conversation
    /// or tenant.
    async fn wait_turn(&self, conversation: Option<&str>, tenant: &str) {
        loop {
            if let Some(conversation) = conversation
                && let Some(wait) = self.thread_wait(conversation, Instant::now(), false)
            {
                tokio::time::sleep(wait).await;
                continue;
            }
            let slot = {
                let mut tenants = self
                    .tenants
                    .lock()
                    .expect("the pacer's lock is never poisoned");
                let now = Instant::now();
                if tenants.len() > 10_000 {
                    tenants.retain(|_, next| *next + Duration::from_secs(60) > now);
                }
                let next = tenants.entry(tenant.to_owned()).or_insert(now);
                let slot = (*next).max(now);
                *next = slot + self.tenant_interval;
                slot
            };
            tokio::time::sleep_until(slot).await;
            // Another send to the conversation may have gone meanwhile: record only if it still fits.
            match conversation {
                Some(conversation)
                    if self
                        .thread_wait(conversation, Instant::now(), true)
                        .is_some() =>
                {
                    continue;
                }
                _ => return,
            }
        }
    }

    /// How far ahead `tenant`'s sends are booked: how long a send asked for now would wait for its slot.
    fn booked_ahead(&self, tenant: &str) -> Duration {
        let tenants = self
            .tenants
            .lock()
            .expect("the pacer's lock is never poisoned");
        tenants.get(tenant).map_or(Duration::ZERO, |next| {
            next.saturating_duration_since(Instant::now())
        })
    }

    /// How long `conversation` must wait before one more send fits its limits; `None` when it fits now (and, with
    /// `record`, the send is recorded).
    fn thread_wait(&self, conversation: &str, now: Instant, record: bool) -> Option<Duration> {
        let mut sent = self
            .threads
            .lock()
            .expect("the pacer's lock is never poisoned");
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
                // The oldest send in the window must leave it before one more fits.
                let oldest = times
                    .iter()
                    .rev()
                    .take_while(|t| now.duration_since(**t) < *window)
                    .nth(*limit - 1)?;
                Some(*oldest + *window - now)
            })
            .max();
        if wait.is_none() && record {
            times.push_back(now);
        }
        wait
    }
}

/// Whom a call is paced as.
#[derive(Debug, Clone, Copy, Default)]
struct Pace<'a> {
    /// The conversation (thread) it sends to, for sends.
    conversation: Option<&'a str>,
    /// The tenant, when known (one shared schedule otherwise).
    tenant: Option<&'a str>,
}

/// The Bot Connector client.
#[derive(Debug)]
pub struct ConnectorClient {
    http: reqwest::Client,
    tokens: Option<TokenSource>,
    policy: ServiceUrlPolicy,
    retry: RetryPolicy,
    pacer: Pacer,
    stats: ConnectorStats,
}

/// Decrements the in-flight gauge however the call ends (a cancelled future included).
struct InFlight<'a>(&'a AtomicU64);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl ConnectorClient {
    /// A client that authenticates with `credentials` (`None`: development mode, no token). The HTTP client must
    /// not follow redirects (see the module's documentation).
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
            stats: ConnectorStats::default(),
        }
    }

    /// The same client pacing each tenant at `per_second` requests (`teams.tenant_requests_per_second`).
    pub fn with_tenant_limit(mut self, per_second: u32) -> ConnectorClient {
        self.pacer = Pacer::new(per_second);
        self
    }

    /// How long a call for `tenant` (empty: the shared schedule) asked for now would wait for Teams' per-tenant
    /// limit, because earlier calls booked the slots before it.
    pub fn tenant_booked_ahead(&self, tenant: &str) -> Duration {
        self.pacer.booked_ahead(tenant)
    }

    /// What the client has seen so far.
    pub fn stats(&self) -> &ConnectorStats {
        &self.stats
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
            Pace {
                conversation: Some(conversation_id),
                tenant: activity.tenant_id(),
            },
        )
        .await
    }

    /// Sends an activity already serialized (`body`, of `tenant`): a reply in the thread of `reply_to`, or a new
    /// message in the conversation. Queued answers wait as compact JSON rather than as a tree of values, which
    /// is several times larger.
    pub async fn send_serialized(
        &self,
        service_url: &str,
        conversation_id: &str,
        reply_to: Option<&str>,
        tenant: Option<&str>,
        body: &serde_json::value::RawValue,
    ) -> Result<ResourceResponse, ConnectorError> {
        let pace = Pace {
            conversation: Some(conversation_id),
            tenant,
        };
        match reply_to {
            Some(id) => {
                self.call(
                    Method::POST,
                    service_url,
                    &["v3", "conversations", conversation_id, "activities", id],
                    Some(body),
                    pace,
                )
                .await
            }
            None => {
                self.call(
                    Method::POST,
                    service_url,
                    &["v3", "conversations", conversation_id, "activities"],
                    Some(body),
                    pace,
                )
                .await
            }
        }
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
            Pace {
                conversation: Some(conversation_id),
                tenant: body.and_then(Activity::tenant_id),
            },
        )
        .await
    }

    /// Starts a conversation: a 1:1 chat, or a new thread in a channel.
    pub async fn create_conversation(
        &self,
        service_url: &str,
        parameters: &ConversationParameters,
    ) -> Result<ConversationResourceResponse, ConnectorError> {
        let pace = Pace {
            conversation: parameters
                .channel_data
                .as_ref()
                .and_then(|d| d.pointer("/channel/id"))
                .and_then(Value::as_str),
            tenant: parameters.tenant_id.as_deref(),
        };
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
            Pace::default(),
        )
        .await
    }

    async fn call<T: DeserializeOwned + Default>(
        &self,
        method: Method,
        service_url: &str,
        segments: &[&str],
        body: Option<&(impl Serialize + ?Sized)>,
        pace: Pace<'_>,
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
        self.stats.in_flight.fetch_add(1, Ordering::Relaxed);
        let _in_flight = InFlight(&self.stats.in_flight);
        self.attempts(method, &url, body, pace)
            .instrument(span)
            .await
    }

    /// The retry loop of [`ConnectorClient::call`].
    async fn attempts<T: DeserializeOwned + Default>(
        &self,
        method: Method,
        url: &str,
        body: Option<&(impl Serialize + ?Sized)>,
        pace: Pace<'_>,
    ) -> Result<T, ConnectorError> {
        let started = Instant::now();
        let mut last;
        let mut reauthenticated = false;
        // Only a POST creates something Teams would show twice.
        let idempotent = method != Method::POST;
        let mut attempt = 0;
        loop {
            attempt += 1;
            if pace.conversation.is_some() || pace.tenant.is_some() {
                self.pacer
                    .wait_turn(pace.conversation, pace.tenant.unwrap_or_default())
                    .await;
            }
            let mut request = self
                .http
                .request(method.clone(), url)
                .timeout(self.retry.attempt_timeout);
            let mut token_failure = None;
            if let Some(tokens) = &self.tokens {
                match tokens.get(&self.http).await {
                    Ok(token) => request = request.bearer_auth(token.expose()),
                    Err(TokenFailure::Refused(reason)) => {
                        return Err(ConnectorError::Token(reason));
                    }
                    Err(TokenFailure::Transient(reason, retry_after)) => {
                        self.stats.token_retries.fetch_add(1, Ordering::Relaxed);
                        token_failure = Some((reason, retry_after));
                    }
                }
            }
            let retry_after = if let Some((reason, retry_after)) = token_failure {
                last = reason;
                retry_after
            } else {
                if let Some(body) = body {
                    request = request.json(body);
                }
                match request.send().await {
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
                        if status == StatusCode::TOO_MANY_REQUESTS {
                            self.stats.throttled.fetch_add(1, Ordering::Relaxed);
                        }
                        last = format!("HTTP {status} {code}");
                        retry_after
                    }
                    // Refused before anything was sent: safe to send again.
                    Err(e) if e.is_connect() => {
                        last = without_url(e);
                        None
                    }
                    Err(e) if !idempotent => {
                        self.stats.uncertain.fetch_add(1, Ordering::Relaxed);
                        return Err(ConnectorError::Uncertain(without_url(e)));
                    }
                    Err(e) => {
                        last = without_url(e);
                        None
                    }
                }
            };
            let wait = match retry_after {
                Some(asked) => asked.min(self.retry.max_retry_after),
                None => self.backoff(attempt),
            };
            if attempt >= self.retry.max_attempts || started.elapsed() + wait > self.retry.max_total
            {
                return Err(ConnectorError::GaveUp {
                    attempts: attempt,
                    elapsed: started.elapsed(),
                    last,
                    retry_after: retry_after.map(|_| wait),
                });
            }
            if retry_after.is_some() && last.starts_with("HTTP 429") {
                self.stats.throttled_waited.fetch_add(1, Ordering::Relaxed);
            }
            tracing::debug!(attempt, ?wait, %last, "retrying a connector call");
            tokio::time::sleep(wait).await;
        }
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

/// An answer ready to send: where, and the activity as compact JSON (the chat pipeline makes it; the outbox keeps
/// it when Teams cannot take it now).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    /// The connector's base URL.
    pub service_url: String,
    /// The conversation (a channel thread's id included).
    pub conversation_id: String,
    /// The activity it answers in its thread, if any.
    pub reply_to_id: Option<String>,
    /// The tenant, whose pacing it shares.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// The outgoing activity.
    pub activity: Box<serde_json::value::RawValue>,
}

impl Answer {
    /// Sends it through `connector`.
    pub async fn send(&self, connector: &ConnectorClient) -> Result<(), ConnectorError> {
        connector
            .send_serialized(
                &self.service_url,
                &self.conversation_id,
                self.reply_to_id.as_deref(),
                self.tenant_id.as_deref(),
                &self.activity,
            )
            .await
            .map(|_| ())
    }
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

        // Each send of its own tenant, so only the thread's limits apply.
        let mut at = Vec::new();
        for i in 0..61 {
            pacer
                .wait_turn(Some("19:thread"), &format!("tenant-{i}"))
                .await;
            at.push(start.elapsed());
        }
        pacer.wait_turn(Some("19:other"), "tenant-other").await;

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
            "another conversation of another tenant does not wait"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_tenant_is_paced_at_its_rate_in_order_and_others_are_not() {
        let pacer = std::sync::Arc::new(Pacer::new(50));
        let start = Instant::now();

        // 200 chats of one tenant each send once, all at the same moment.
        let mut tasks = tokio::task::JoinSet::new();
        for chat in 0..200 {
            let pacer = pacer.clone();
            tasks.spawn(async move {
                pacer
                    .wait_turn(Some(&format!("a:{chat}")), "tenant-1")
                    .await;
                Instant::now()
            });
        }
        tokio::task::yield_now().await;
        pacer.wait_turn(Some("a:elsewhere"), "tenant-2").await;
        let other_tenant = start.elapsed();
        let mut at: Vec<Instant> = tasks.join_all().await;
        at.sort();

        assert_eq!(
            other_tenant,
            Duration::ZERO,
            "another tenant has its own schedule"
        );
        for second in at.windows(51) {
            assert!(
                second[50] - second[0] >= Duration::from_secs(1),
                "never more than 50 in a second: {:?}",
                second[50] - second[0]
            );
        }
        let last = at[199] - start;
        assert!(
            last >= Duration::from_micros(199 * 20_400)
                && last <= Duration::from_micros(199 * 20_400 + 1_000),
            "the 200th goes after 199 spacings, no later: {last:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_thread_waiting_for_its_turn_does_not_hold_up_another() {
        let pacer = std::sync::Arc::new(Pacer::new(50));
        for _ in 0..8 {
            pacer.wait_turn(Some("a:busy"), "tenant-1").await;
        }
        let start = Instant::now();
        let busy = {
            let pacer = pacer.clone();
            tokio::spawn(async move { pacer.wait_turn(Some("a:busy"), "tenant-1").await })
        };
        tokio::task::yield_now().await;

        pacer.wait_turn(Some("a:quiet"), "tenant-1").await;
        let quiet = start.elapsed();
        busy.await.expect("the busy chat's turn comes");

        assert!(
            quiet < Duration::from_millis(300),
            "the quiet chat waits only for the tenant's spacing: {quiet:?}"
        );
        assert!(
            start.elapsed() >= Duration::from_millis(900),
            "the busy chat waited for its two-second window: {:?}",
            start.elapsed()
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
