//! The HTTP edge: the router and its middleware. No business logic lives here.
//!
//! - `GET /healthz`: the process is alive (no I/O).
//! - `GET /readyz`: the database answers and its schema is what this binary expects; 503 with a JSON reason
//!   otherwise.
//! - `GET /metrics`: Prometheus/OpenMetrics text.

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

use crate::metrics::{self, Metrics};
use crate::store::Store;

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
}

/// The router with every route and middleware.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(render_metrics))
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
            None => {
                return (
                    StatusCode::OK,
                    Json(json!({ "status": "ready", "backend": backend })),
                )
                    .into_response();
            }
            Some(problem) => problem,
        },
        Ok(Err(e)) => {
            // The chain names the step and the driver's cause; store errors carry no passwords.
            let chain = format!("{:#}", anyhow::Error::from(e));
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

async fn render_metrics(State(state): State<AppState>) -> Response {
    let body = state.metrics.render(state.store.pool_stats());
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(metrics::CONTENT_TYPE),
        )],
        body,
    )
        .into_response()
}
