//! Local stand-ins for Microsoft's identity and connector services, for what no real peer can be asked to do
//! offline: publish our test keys, issue tokens, and answer connector calls with scripted failures (429 with
//! Retry-After, 503, 403 BotNotInConversationRoster) or Teams' own rate limits. The Agents Playground (a real
//! Teams client) is driven by `tests/peers/playground.mjs` in CI.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use tokio::sync::Notify;

/// The app id tests configure.
pub const APP_ID: &str = "00000000-0000-4000-8000-00000000d0be";
/// The Bot Framework issuer.
pub const ISSUER: &str = "https://api.botframework.com";
/// Teams' limit of connector calls per app per tenant and second (older docs say 30).
pub const TEAMS_TENANT_PER_SECOND: usize = 50;
/// Teams' limits per bot per conversation: at most this many calls within each window.
const TEAMS_PER_CONVERSATION: [(usize, Duration); 4] = [
    (7, Duration::from_secs(1)),
    (8, Duration::from_secs(2)),
    (60, Duration::from_secs(30)),
    (1800, Duration::from_secs(3600)),
];

const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/keys");

/// A test key: its PEM (private), its public JWK, and its name (used as `kid`).
pub fn private_pem(name: &str) -> Vec<u8> {
    std::fs::read(format!("{KEYS}/{name}.pem")).expect("test key")
}

fn public_jwk(name: &str, endorsements: &[&str]) -> Value {
    let all: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{KEYS}/public_jwks.json")).expect("jwks fixture"),
    )
    .expect("json");
    let mut jwk = all[name].clone();
    jwk["kid"] = json!(name);
    jwk["endorsements"] = json!(endorsements);
    jwk
}

/// One request the fake connector received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// HTTP method.
    pub method: String,
    /// The path exactly as sent (percent-encoded).
    pub path: String,
    /// The Authorization header.
    pub authorization: Option<String>,
    /// The JSON body.
    pub body: Value,
}

#[derive(Default)]
struct Inner {
    /// (key name, endorsements) published in the JWKS.
    published: Vec<(String, Vec<String>)>,
    metadata_fetches: usize,
    metadata_down: bool,
    token_requests: usize,
    token_form: Vec<String>,
    recorded: Vec<Recorded>,
    /// When the reply to each activity id (the last path segment of a reply) arrived.
    replies: std::collections::HashMap<String, std::time::Instant>,
    /// Responses to the next connector calls: (status, Retry-After, body).
    script: VecDeque<(u16, Option<String>, Value)>,
    /// How long the connector takes to answer.
    delay: Duration,
    /// Teams' rate limits, once enforced.
    limits: Option<Limits>,
    /// Connector calls the enforced limits answered 429.
    throttled: usize,
    /// Per reply id: when it was first POSTed with success, and how often it was.
    delivered: HashMap<String, (Instant, usize)>,
}

/// Sliding windows of the arrivals of the connector calls admitted so far (oldest first).
struct Limits {
    tenant_per_second: usize,
    /// All conversations' arrivals, the last second's.
    tenant: VecDeque<Instant>,
    /// Per conversation id (percent-decoded), the last hour's arrivals.
    conversations: HashMap<String, VecDeque<Instant>>,
}

impl Limits {
    /// Admits a call arriving `now` for `conversation` (remembering it), or says how long until it would be
    /// admitted. A refused call takes no room: Teams counts the sends it let through.
    fn admit(&mut self, conversation: Option<String>, now: Instant) -> Result<(), Duration> {
        let tenant_limit = [(self.tenant_per_second, Duration::from_secs(1))];
        let mut wait = wait_for_room(&mut self.tenant, &tenant_limit, now);
        let mut history = conversation.map(|id| self.conversations.entry(id).or_default());
        if let Some(history) = history.as_deref_mut() {
            wait = wait.max(wait_for_room(history, &TEAMS_PER_CONVERSATION, now));
        }
        if let Some(wait) = wait {
            return Err(wait);
        }
        self.tenant.push_back(now);
        if let Some(history) = history {
            history.push_back(now);
        }
        Ok(())
    }
}

/// How long until `arrivals` has room for one more under every `(at most, within)` limit; `None` if it has
/// now. Forgets arrivals older than the longest window.
fn wait_for_room(
    arrivals: &mut VecDeque<Instant>,
    limits: &[(usize, Duration)],
    now: Instant,
) -> Option<Duration> {
    let longest = limits.iter().map(|&(_, window)| window).max()?;
    while arrivals
        .front()
        .is_some_and(|&at| now.duration_since(at) >= longest)
    {
        arrivals.pop_front();
    }
    limits
        .iter()
        .filter_map(|&(most, window)| {
            let outside = arrivals.partition_point(|&at| now.duration_since(at) >= window);
            (arrivals.len() - outside >= most).then(|| {
                // Room comes when the oldest of the `most` latest arrivals leaves the window.
                arrivals
                    .get(arrivals.len() - most)
                    .map_or(window, |&at| window - now.duration_since(at))
            })
        })
        .max()
}

/// The conversation id of a connector path (`/v3/conversations/{id}/...`), percent-decoded.
fn conversation_of(path: &str) -> Option<String> {
    let id = path
        .strip_prefix("/v3/conversations/")?
        .split('/')
        .next()
        .filter(|id| !id.is_empty())?;
    Some(
        percent_encoding::percent_decode_str(id)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// The fake Microsoft: OpenID metadata, JWKS, token endpoint and connector on one loopback port.
#[derive(Clone)]
pub struct FakeMicrosoft {
    /// Where it listens.
    pub addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
    arrived: Arc<Notify>,
    /// Connections open now.
    open: Arc<std::sync::atomic::AtomicUsize>,
}

/// The fake's listener: counts the connections open, so a test can wait until a killed client's are all gone
/// (and every request it had sent is recorded).
struct Counted {
    listener: tokio::net::TcpListener,
    open: Arc<std::sync::atomic::AtomicUsize>,
}

/// A connection of [`Counted`]; its end is counted when it is dropped.
struct CountedStream {
    stream: tokio::net::TcpStream,
    open: Arc<std::sync::atomic::AtomicUsize>,
}

impl Drop for CountedStream {
    fn drop(&mut self) {
        self.open.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl tokio::io::AsyncRead for CountedStream {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for CountedStream {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

impl axum::serve::Listener for Counted {
    type Io = CountedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (CountedStream, SocketAddr) {
        loop {
            if let Ok((stream, addr)) = self.listener.accept().await {
                self.open.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let open = self.open.clone();
                return (CountedStream { stream, open }, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

impl FakeMicrosoft {
    /// Starts it, publishing the `primary` key endorsed for `msteams`.
    pub async fn start() -> FakeMicrosoft {
        let inner = Arc::new(Mutex::new(Inner {
            published: vec![("primary".into(), vec!["msteams".into()])],
            ..Inner::default()
        }));
        let arrived = Arc::new(Notify::new());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake");
        let addr = listener.local_addr().expect("address");
        let open = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let fake = FakeMicrosoft {
            addr,
            inner,
            arrived,
            open: open.clone(),
        };
        let app = Router::new()
            .route("/openid", get(openid))
            .route("/keys", get(keys))
            .route("/token", post(token))
            .route("/v3/{*rest}", any(connector))
            .route("/webhook", any(connector))
            .route("/ping", any(connector))
            .with_state(fake.clone());
        tokio::spawn(async move {
            axum::serve(Counted { listener, open }, app)
                .await
                .expect("fake serves");
        });
        fake
    }

    /// The OpenID metadata URL.
    pub fn openid_url(&self) -> String {
        format!("http://{}/openid", self.addr)
    }

    /// The token endpoint.
    pub fn token_url(&self) -> String {
        format!("http://{}/token", self.addr)
    }

    /// The service URL activities name (the connector's base).
    pub fn service_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Publishes another key.
    pub fn publish(&self, name: &str, endorsements: &[&str]) {
        self.inner.lock().unwrap().published.push((
            name.into(),
            endorsements.iter().map(|s| s.to_string()).collect(),
        ));
    }

    /// Makes the OpenID metadata endpoint answer 503, as an outage would.
    pub fn take_metadata_down(&self) {
        self.inner.lock().unwrap().metadata_down = true;
    }

    /// How often the OpenID metadata was fetched.
    pub fn metadata_fetches(&self) -> usize {
        self.inner.lock().unwrap().metadata_fetches
    }

    /// How many tokens were issued.
    pub fn token_requests(&self) -> usize {
        self.inner.lock().unwrap().token_requests
    }

    /// The form fields of the last token request, `key=value` each.
    pub fn token_form(&self) -> Vec<String> {
        self.inner.lock().unwrap().token_form.clone()
    }

    /// Waits until no connection to the fake is open (a killed client's close when the kernel ends them, after
    /// the fake has read and recorded what they carried).
    pub async fn wait_no_connections(&self, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        while self.open.load(std::sync::atomic::Ordering::SeqCst) > 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "connections to the fake still open after {timeout:?}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Everything the connector received so far.
    pub fn recorded(&self) -> Vec<Recorded> {
        self.inner.lock().unwrap().recorded.clone()
    }

    /// Waits for the reply to activity `id` and returns when it arrived, or `None` after `timeout`.
    pub async fn wait_reply(&self, id: &str, timeout: Duration) -> Option<std::time::Instant> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.arrived.notified();
            if let Some(at) = self.inner.lock().unwrap().replies.get(id) {
                return Some(*at);
            }
            tokio::time::timeout_at(deadline, notified).await.ok()?;
        }
    }

    /// Scripts the next connector responses.
    pub fn script(&self, responses: &[(u16, Option<&str>, Value)]) {
        let mut inner = self.inner.lock().unwrap();
        for (status, retry_after, body) in responses {
            inner
                .script
                .push_back((*status, retry_after.map(str::to_owned), body.clone()));
        }
    }

    /// Makes the connector answer each call after `delay` (calls are recorded on arrival).
    pub fn set_delay(&self, delay: Duration) {
        self.inner.lock().unwrap().delay = delay;
    }

    /// From now on, answers connector calls (`/v3/...`) over Teams' documented limits with 429 and a
    /// `Retry-After` (whole seconds until there is room), as Teams does: per conversation at most 7 calls in
    /// 1 s, 8 in 2 s, 60 in 30 s and 1800 in an hour; all calls together (one tenant) at most
    /// `tenant_per_second` in 1 s ([`TEAMS_TENANT_PER_SECOND`] is Teams' figure). Windows slide over arrival
    /// times. A refused call is counted by [`FakeMicrosoft::throttled`], not recorded, and uses no script entry.
    pub fn enforce_teams_limits(&self, tenant_per_second: usize) {
        self.inner.lock().unwrap().limits = Some(Limits {
            tenant_per_second,
            tenant: VecDeque::new(),
            conversations: HashMap::new(),
        });
    }

    /// How many connector calls the enforced limits answered 429.
    pub fn throttled(&self) -> usize {
        self.inner.lock().unwrap().throttled
    }

    /// How often each reply id (the activity id after `/activities/` of a POST, as sent) was POSTed with a 2xx
    /// answer: more than once is a duplicate a person would see.
    pub fn reply_counts(&self) -> HashMap<String, usize> {
        let inner = self.inner.lock().unwrap();
        inner
            .delivered
            .iter()
            .map(|(id, &(_, count))| (id.clone(), count))
            .collect()
    }

    /// When each reply id was first POSTed with a 2xx answer (the reply as a person sees it arrive).
    pub fn first_replies(&self) -> HashMap<String, Instant> {
        let inner = self.inner.lock().unwrap();
        inner
            .delivered
            .iter()
            .map(|(id, &(at, _))| (id.clone(), at))
            .collect()
    }

    /// Waits until the connector has received at least `n` requests, or panics after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Recorded> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.arrived.notified();
            let recorded = self.recorded();
            if recorded.len() >= n {
                return recorded;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!(
                    "the connector got {} request(s), expected {n}: {:#?}",
                    recorded.len(),
                    recorded
                );
            }
        }
    }
}

async fn openid(State(fake): State<FakeMicrosoft>) -> Response {
    let down = {
        let mut inner = fake.inner.lock().unwrap();
        inner.metadata_fetches += 1;
        inner.metadata_down
    };
    if down {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    Json(json!({ "issuer": ISSUER, "jwks_uri": format!("http://{}/keys", fake.addr) }))
        .into_response()
}

async fn keys(State(fake): State<FakeMicrosoft>) -> Json<Value> {
    let published = fake.inner.lock().unwrap().published.clone();
    let keys: Vec<Value> = published
        .iter()
        .map(|(name, endorsements)| {
            public_jwk(
                name,
                &endorsements.iter().map(String::as_str).collect::<Vec<_>>(),
            )
        })
        .collect();
    Json(json!({ "keys": keys }))
}

async fn token(State(fake): State<FakeMicrosoft>, body: String) -> Json<Value> {
    let n = {
        let mut inner = fake.inner.lock().unwrap();
        inner.token_requests += 1;
        inner.token_form = body.split('&').map(str::to_owned).collect();
        inner.token_requests
    };
    Json(
        json!({ "token_type": "Bearer", "expires_in": 3600, "access_token": format!("outbound-token-{n}") }),
    )
}

async fn connector(
    State(fake): State<FakeMicrosoft>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let bytes = axum::body::to_bytes(request.into_body(), 4 << 20)
        .await
        .unwrap_or_default();
    let call = Recorded {
        method,
        path,
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    };
    let (scripted, delay) = {
        let mut inner = fake.inner.lock().unwrap();
        (inner.receive(call), inner.delay)
    };
    fake.arrived.notify_waiters();
    answer_after(delay, scripted).await
}

impl Inner {
    /// Admits (or throttles) and records a connector call; returns its answer `(status, Retry-After, body)`.
    fn receive(&mut self, call: Recorded) -> (u16, Option<String>, Value) {
        let now = Instant::now();
        let refused = match self.limits.as_mut() {
            Some(limits) if call.path.starts_with("/v3/") => {
                limits.admit(conversation_of(&call.path), now).err()
            }
            _ => None,
        };
        if let Some(wait) = refused {
            self.throttled += 1;
            let retry_after = wait.as_secs_f64().ceil().max(1.0).to_string();
            let body = json!({ "error": { "code": "TooManyRequests", "message": "rate limited" } });
            return (429, Some(retry_after), body);
        }
        let reply_id = call
            .path
            .rsplit_once("/activities/")
            .map(|(_, id)| id.to_owned());
        if let Some(id) = &reply_id {
            self.replies.insert(id.clone(), now);
        }
        let posted = reply_id.filter(|_| call.method == "POST");
        self.recorded.push(call);
        let n = self.recorded.len();
        let response =
            self.script
                .pop_front()
                .unwrap_or((201, None, json!({ "id": format!("reply-{n}") })));
        if let Some(id) = posted.filter(|_| (200..300).contains(&response.0)) {
            self.delivered.entry(id).or_insert((now, 0)).1 += 1;
        }
        response
    }
}

/// The connector's answer `(status, Retry-After, body)`, sent after `delay`.
async fn answer_after(delay: Duration, scripted: (u16, Option<String>, Value)) -> Response {
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let (status, retry_after, body) = scripted;
    let mut response = (StatusCode::from_u16(status).unwrap(), Json(body)).into_response();
    if let Some(retry_after) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", retry_after.parse().unwrap());
    }
    response
}

/// Claims of a valid channel token for `service_url`.
pub fn claims(service_url: &str) -> Value {
    let now = jsonwebtoken::get_current_timestamp();
    json!({
        "iss": ISSUER,
        "aud": APP_ID,
        "exp": now + 3600,
        "nbf": now - 60,
        "serviceurl": service_url,
    })
}

/// An RS256 token signed by key `signer`, naming key `kid`.
pub fn sign(claims: &Value, signer: &str, kid: &str) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    let key = EncodingKey::from_rsa_pem(&private_pem(signer)).expect("test key parses");
    jsonwebtoken::encode(&header, claims, &key).expect("sign")
}

/// A token with `alg: none` and no signature.
pub fn unsigned(claims: &Value, kid: &str) -> String {
    let header = json!({ "alg": "none", "typ": "JWT", "kid": kid });
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// A token MAC-ed with HS256 using the public key's PEM as the secret (the classic key-confusion attack).
pub fn hs256_with_public_key(claims: &Value, kid: &str) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(kid.to_owned());
    let public = std::fs::read(format!("{KEYS}/primary.pub.pem")).expect("public key");
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(&public)).expect("sign")
}

/// A Teams message activity in a channel thread.
pub fn channel_message(service_url: &str, text: &str) -> Value {
    json!({
        "type": "message",
        "id": "1700000000001",
        "timestamp": "2026-11-25T09:00:00.000Z",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": { "id": "29:user-1", "name": "김철수", "aadObjectId": "aad-user-1" },
        "conversation": {
            "id": "19:general@thread.tacv2;messageid=1700000000000",
            "conversationType": "channel",
            "tenantId": "tenant-1",
            "isGroup": true
        },
        "recipient": { "id": format!("28:{APP_ID}"), "name": "Doberman" },
        "text": format!("<at>Doberman</at> {text}"),
        "entities": [
            { "type": "mention", "mentioned": { "id": format!("28:{APP_ID}"), "name": "Doberman" }, "text": "<at>Doberman</at>" }
        ],
        "channelData": {
            "tenant": { "id": "tenant-1" },
            "team": { "id": "19:general@thread.tacv2", "name": "데이터 플랫폼 🐕" },
            "channel": { "id": "19:general@thread.tacv2" }
        }
    })
}

/// A 1:1 message.
pub fn personal_message(service_url: &str, text: &str, aad: &str) -> Value {
    json!({
        "type": "message",
        "id": "1700000000002",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": { "id": "29:user-2", "name": "Lee", "aadObjectId": aad },
        "conversation": { "id": "a:1personal-chat", "conversationType": "personal", "tenantId": "tenant-1" },
        "recipient": { "id": format!("28:{APP_ID}"), "name": "Doberman" },
        "text": text,
        "channelData": { "tenant": { "id": "tenant-1" } }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// POSTs a reply to activity `id` in `conversation` (percent-encoded, as the SDKs send it).
    async fn reply(fake: &FakeMicrosoft, conversation: &str, id: &str) -> reqwest::Response {
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client")
            .post(format!(
                "http://{}/v3/conversations/{conversation}/activities/{id}",
                fake.addr
            ))
            .json(&json!({ "type": "message", "text": "hi" }))
            .send()
            .await
            .expect("the fake answers")
    }

    #[test]
    fn a_conversation_gets_seven_sends_a_second_and_eight_in_two() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let mut limits = Limits {
            tenant_per_second: TEAMS_TENANT_PER_SECOND,
            tenant: VecDeque::new(),
            conversations: HashMap::new(),
        };
        let mut send = |ms| limits.admit(Some("a:1".to_owned()), at(ms));

        for i in 0..7 {
            assert_eq!(send(i), Ok(()), "send {i} of the first second");
        }
        assert_eq!(
            send(500),
            Err(Duration::from_millis(500)),
            "the 8th within 1 s waits for the first to leave the window"
        );
        assert_eq!(
            send(1000),
            Ok(()),
            "the 8th after 1 s, the refused one took no room"
        );
        assert_eq!(
            send(1001),
            Err(Duration::from_millis(999)),
            "the 9th within 2 s waits for the 2 s window"
        );
        assert_eq!(send(2006), Ok(()), "room again once 2 s passed");
    }

    #[test]
    fn the_tenant_limit_spans_conversations_and_a_conversation_limit_only_its_own() {
        let now = Instant::now();
        let mut limits = Limits {
            tenant_per_second: 10,
            tenant: VecDeque::new(),
            conversations: HashMap::new(),
        };

        for i in 0..7 {
            assert_eq!(
                limits.admit(Some("a:1".to_owned()), now),
                Ok(()),
                "send {i}"
            );
        }
        assert!(
            limits.admit(Some("a:1".to_owned()), now).is_err(),
            "a:1 is full"
        );
        for i in 0..3 {
            assert_eq!(
                limits.admit(Some(format!("a:{}", i + 2)), now),
                Ok(()),
                "other conversation {i}"
            );
        }
        assert_eq!(
            limits.admit(Some("a:9".to_owned()), now),
            Err(Duration::from_secs(1)),
            "the tenant's 11th call in a second"
        );
        assert_eq!(
            limits.admit(None, now),
            Err(Duration::from_secs(1)),
            "create conversation too"
        );
    }

    #[tokio::test]
    async fn a_throttled_call_gets_429_with_retry_after_and_is_not_recorded() {
        let fake = FakeMicrosoft::start().await;
        fake.enforce_teams_limits(0);

        let response = reply(&fake, "a%3A1", "m1").await;

        assert_eq!(response.status(), 429);
        assert_eq!(
            response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok()),
            Some("1")
        );
        assert_eq!(fake.throttled(), 1);
        assert!(fake.recorded().is_empty(), "{:#?}", fake.recorded());
        assert!(fake.reply_counts().is_empty());
        assert!(fake.first_replies().is_empty());
    }

    #[tokio::test]
    async fn reply_counts_tell_duplicates_and_leave_failed_posts_out() {
        let fake = FakeMicrosoft::start().await;
        fake.script(&[(503, None, json!({}))]);

        for _ in 0..3 {
            reply(&fake, "a%3A1", "m1").await;
        }
        reply(&fake, "a%3A1", "m2").await;

        let counts = fake.reply_counts();
        assert_eq!(
            counts.get("m1"),
            Some(&2),
            "the 503 is no delivery: {counts:?}"
        );
        assert_eq!(counts.get("m2"), Some(&1), "{counts:?}");
        assert!(fake.first_replies()["m1"] <= fake.first_replies()["m2"]);
        assert_eq!(fake.throttled(), 0, "no limits unless enforced");
        assert_eq!(fake.recorded().len(), 4);
    }
}
