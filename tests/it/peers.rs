//! Local stand-ins for Microsoft's identity and connector services, for what no real peer can be asked to do
//! offline: publish our test keys, issue tokens, and answer connector calls with scripted failures (429 with
//! Retry-After, 503, 403 BotNotInConversationRoster). The Agents Playground (a real Teams client) is driven
//! by `tests/peers/playground.mjs` in CI.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
}

/// The fake Microsoft: OpenID metadata, JWKS, token endpoint and connector on one loopback port.
#[derive(Clone)]
pub struct FakeMicrosoft {
    /// Where it listens.
    pub addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
    arrived: Arc<Notify>,
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
        let fake = FakeMicrosoft {
            addr,
            inner,
            arrived,
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
            axum::serve(listener, app).await.expect("fake serves");
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
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let scripted = {
        let mut inner = fake.inner.lock().unwrap();
        if let Some(id) = path
            .rsplit_once("/activities/")
            .map(|(_, id)| id.to_owned())
        {
            inner.replies.insert(id, std::time::Instant::now());
        }
        inner.recorded.push(Recorded {
            method,
            path,
            authorization: headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body,
        });
        let n = inner.recorded.len();
        let response =
            inner
                .script
                .pop_front()
                .unwrap_or((201, None, json!({ "id": format!("reply-{n}") })));
        (response, inner.delay)
    };
    fake.arrived.notify_waiters();
    let (scripted, delay) = scripted;
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
