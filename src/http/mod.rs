//! The HTTP edge: the router and its middleware. No business logic lives here.
//!
//! - `GET /healthz`: the process is alive (no I/O).
//! - `GET /readyz`: the database answers, its schema is what this binary expects, and no loop Doberman depends on
//!   (answering chats, delivering alerts, evaluating rules) is down or stalled while work waits for it; 503 with a
//!   JSON reason naming what is wrong otherwise.
//! - `GET /metrics`: Prometheus/OpenMetrics text.
//! - `POST /api/messages`: the Bot Framework endpoint. Checks, in order: the token (401), the content type
//!   (415), the size (413), the JSON (400), the token's activity-bound claims (401), the tenant (403) and the
//!   service URL (403); only then is anything written or sent. Invokes are answered in the response; everything
//!   else is written to the inbox and queued in its conversation's lane, then acknowledged with 200 (503 with
//!   `Retry-After` only when the queue's memory budget is spent).

pub mod listen;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::chat::{Chat, Dispatcher};
use crate::metrics::{self, Metrics};
use crate::store::Store;
use crate::supervise::Health;
use crate::teams::{Activity, ConnectorClient, ServiceUrlPolicy, TokenValidator};

/// Largest activity accepted.
pub const MAX_ACTIVITY_BYTES: usize = 1024 * 1024;
/// How long an invoke may take before Teams gives up on it.
const INVOKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long `/readyz` waits for the database before answering 503.
const READY_TIMEOUT: Duration = Duration::from_secs(3);

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// This app's metrics.
    pub metrics: Arc<Metrics>,
    /// The Bot Framework endpoint's doors and where verified activities go.
    pub bot: Arc<BotEdge>,
    /// What the long-lived loops report.
    pub health: Arc<Health>,
}

/// What `POST /api/messages` needs.
#[derive(Debug)]
pub struct BotEdge {
    /// Inbound token validation.
    pub validator: TokenValidator,
    /// Development mode: no inbound authentication.
    pub dev_mode: bool,
    /// Tenants accepted; empty accepts any.
    pub allowed_tenants: Vec<String>,
    /// Service URLs Doberman may answer to.
    pub service_urls: ServiceUrlPolicy,
    /// Invokes are answered by it directly.
    pub chat: Arc<Chat>,
    /// Everything else is queued here.
    pub dispatcher: Dispatcher,
    /// The connector client, for its figures on `/metrics`.
    pub connector: Arc<ConnectorClient>,
    /// Configuration warnings shown on `/readyz`.
    pub warnings: Vec<String>,
    /// How long a client may take to send an activity's body (`http.body_timeout_secs`).
    pub body_timeout: Duration,
}

/// The router with every route and middleware.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(render_metrics))
        .route("/api/messages", axum::routing::post(messages))
        .layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    let request_id = req
                        .headers()
                        .get(&REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id)
                }))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone())),
        )
        .with_state(state)
}

/// Counts each request by matched route, method and status, and observes its latency.
async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(req).await;
    state.metrics.observe_request(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }))
}

async fn readyz(State(state): State<AppState>) -> Response {
    let backend = state.store.backend().to_string();
    let check = async {
        state.store.ping().await?;
        state.store.migration_status().await
    };
    let reason = match tokio::time::timeout(READY_TIMEOUT, check).await {
        Ok(Ok(status)) => match status.problem() {
            None => match loops_ready(&state) {
                Ok(()) => {
                    let restarts: serde_json::Map<String, serde_json::Value> = state
                        .health
                        .restarts()
                        .into_iter()
                        .filter(|(_, n)| *n > 0)
                        .map(|(task, n)| (task, json!(n)))
                        .collect();
                    return (
                        StatusCode::OK,
                        Json(json!({
                            "status": "ready",
                            "backend": backend,
                            "warnings": state.bot.warnings,
                            "restarts": restarts,
                        })),
                    )
                        .into_response();
                }
                Err(problems) => problems,
            },
            Some(problem) => problem,
        },
        Ok(Err(e)) => {
            // The chain names the step and the driver's cause; store errors carry no passwords.
            let chain = crate::common::error_chain(&e);
            tracing::warn!(error = %chain, "readiness check failed");
            chain
        }
        Err(_) => format!(
            "the database did not answer within {} s",
            READY_TIMEOUT.as_secs()
        ),
    };
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "status": "unavailable", "backend": backend, "reason": reason })),
    )
        .into_response()
}

/// Whether every loop is up and moving; the problems, joined, otherwise (no I/O: the loops report themselves).
fn loops_ready(state: &AppState) -> Result<(), String> {
    let problems = state.health.problems();
    if problems.is_empty() {
        Ok(())
    } else {
        tracing::warn!(problems = %problems.join("; "), "not ready");
        Err(problems.join("; "))
    }
}

async fn render_metrics(State(state): State<AppState>) -> Response {
    let alerts = alert_figures(&state.store).await;
    let (depth, bytes) = state.bot.dispatcher.queued();
    let stats = state.bot.connector.stats();
    let load = |n: &std::sync::atomic::AtomicU64| n.load(std::sync::atomic::Ordering::Relaxed);
    state.metrics.set_runtime(&metrics::RuntimeFigures {
        queue_depth: depth as u64,
        queue_bytes: bytes as u64,
        in_flight: load(&stats.in_flight),
        throttled: load(&stats.throttled),
        throttled_waited: load(&stats.throttled_waited),
        uncertain: load(&stats.uncertain),
        token_retries: load(&stats.token_retries),
        restarts: state.health.restarts(),
    });
    let body = state
        .metrics
        .render(state.store.pool_stats(), alerts.as_ref());
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(metrics::CONTENT_TYPE),
        )],
        body,
    )
        .into_response()
}

/// The outbox backlog and the firing alerts; `None` (logged) when the store does not answer, so a scrape never
/// fails on it.
async fn alert_figures(store: &crate::store::Store) -> Option<metrics::AlertFigures> {
    let figures = crate::alerts::figures(store, crate::store::now());
    match tokio::time::timeout(std::time::Duration::from_secs(2), figures).await {
        Ok(Ok(f)) => Some(f),
        Ok(Err(e)) => {
            tracing::warn!(error = %crate::common::error_chain(&e), "cannot read the alert figures for /metrics");
            None
        }
        Err(_) => {
            tracing::warn!("the alert figures for /metrics took over 2 s; skipped");
            None
        }
    }
}

/// Whether reading a body failed on the size limit (and not on the client going away).
fn is_too_large(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
}

/// A refusal: the status and a short reason for the log and the caller (never a token).
fn refuse(status: StatusCode, reason: impl std::fmt::Display) -> Response {
    let reason = reason.to_string();
    tracing::warn!(status = status.as_u16(), %reason, "refused an activity");
    (status, Json(json!({ "error": reason }))).into_response()
}

async fn messages(State(state): State<AppState>, request: Request) -> Response {
    let bot = &state.bot;
    let headers = request.headers();
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let token = if bot.dev_mode {
        None
    } else {
        match bot.validator.verify(authorization).await {
            Ok(token) => Some(token),
            // The reason is logged; the caller learns only that it is not authorized.
            Err(e) => {
                tracing::warn!(reason = %e, "refused an activity: authentication failed");
                return StatusCode::UNAUTHORIZED.into_response();
            }
        }
    };
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "expected Content-Type: application/json",
        );
    }
    let body = match tokio::time::timeout(
        bot.body_timeout,
        axum::body::to_bytes(request.into_body(), MAX_ACTIVITY_BYTES),
    )
    .await
    {
        Ok(Ok(body)) => body,
        Ok(Err(e)) if is_too_large(&e) => {
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("an activity may be at most {MAX_ACTIVITY_BYTES} bytes"),
            );
        }
        Ok(Err(_)) => return refuse(StatusCode::BAD_REQUEST, "the body was cut off"),
        Err(_) => {
            return refuse(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the body did not arrive within {} s",
                    bot.body_timeout.as_secs()
                ),
            );
        }
    };
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!("the body is not JSON: {e}"),
            );
        }
    };
    if !value.get("type").is_some_and(serde_json::Value::is_string) {
        return refuse(StatusCode::BAD_REQUEST, "an activity needs a string `type`");
    }
    let activity: Activity = match serde_json::from_value(value) {
        Ok(activity) => activity,
        Err(e) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!("not a valid activity: {e}"),
            );
        }
    };
    if let Some(token) = token
        && let Err(e) = token.check_activity(
            activity.channel_id.as_deref(),
            activity.service_url.as_deref(),
        )
    {
        tracing::warn!(reason = %e, "refused an activity: authentication failed");
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if !bot.allowed_tenants.is_empty() {
        let tenant = activity.tenant_id().unwrap_or_default();
        if !bot
            .allowed_tenants
            .iter()
            .any(|t| t.eq_ignore_ascii_case(tenant))
        {
            return refuse(
                StatusCode::FORBIDDEN,
                "this tenant is not allowed to use this Doberman",
            );
        }
    }
    if let Some(service_url) = activity.service_url.as_deref()
        && !bot.service_urls.allows(service_url)
    {
        return refuse(
            StatusCode::FORBIDDEN,
            "the activity's serviceUrl is not one Doberman answers to",
        );
    }
    tracing::debug!(kind = %activity.kind, "accepted an activity");
    match activity.kind.as_str() {
        "invoke" => match tokio::time::timeout(INVOKE_TIMEOUT, bot.chat.invoke(&activity)).await {
            Ok(answer) => {
                let status = StatusCode::from_u16(answer.status)
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                match answer.body {
                    Some(body) => (status, Json(body)).into_response(),
                    None => status.into_response(),
                }
            }
            Err(_) => refuse(StatusCode::GATEWAY_TIMEOUT, "the action took too long"),
        },
        // In a task of its own: Teams hanging up must not cancel it between the inbox write and the queue.
        _ => match tokio::spawn({
            let dispatcher = bot.dispatcher.clone();
            async move { dispatcher.accept(activity, &body).await }
        })
        .await
        .unwrap_or(Err(crate::chat::QueueFull))
        {
            Ok(()) => StatusCode::OK.into_response(),
            Err(e) => {
                tracing::error!(error = %e, "refusing an activity: the queue's memory budget is spent");
                (
                    [(header::RETRY_AFTER, HeaderValue::from_static("1"))],
                    StatusCode::SERVICE_UNAVAILABLE,
                )
                    .into_response()
            }
        },
    }
}
