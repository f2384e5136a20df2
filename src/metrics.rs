//! Process metrics in the Prometheus/OpenMetrics text format, one registry per running app (so tests that start
//! several apps in one process do not share counters).

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::store::PoolStats;

/// The content type of [`Metrics::render`]'s output.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Labels of an HTTP request counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The matched route (`/api/messages`), or `unmatched`: never the raw path, which a client chooses.
    pub route: String,
    /// HTTP method.
    pub method: String,
    /// Response status code.
    pub status: u16,
}

/// Labels of the firing-alerts gauge.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TopicLabels {
    /// The alert topic.
    pub topic: String,
}

/// Alert figures read from the store when metrics are scraped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertFigures {
    /// Outbox messages waiting to be sent.
    pub pending: i64,
    /// Age of the oldest of them, in seconds (0 when none wait).
    pub oldest_pending_seconds: i64,
    /// Firing alerts per topic (every topic listed, 0 included).
    pub firing: Vec<(String, i64)>,
}

/// Labels of counters by a reason or outcome.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabels {
    /// Why, or how it ended.
    pub reason: String,
}

/// Labels of the task restart counter.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TaskLabels {
    /// The supervised task.
    pub task: String,
}

/// Figures read from the running parts when metrics are scraped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuntimeFigures {
    /// Activities acknowledged and not yet answered, in memory.
    pub queue_depth: u64,
    /// Their size in bytes (what the queue's memory budget counts).
    pub queue_bytes: u64,
    /// Connector calls under way, pacing waits included.
    pub in_flight: u64,
    /// 429 answers received from Teams.
    pub throttled: u64,
    /// Of those, the ones honoured by waiting within the call (the rest are honoured by the outbox).
    pub throttled_waited: u64,
    /// POSTs not sent again because Teams may have received them.
    pub uncertain: u64,
    /// Token endpoint failures retried.
    pub token_retries: u64,
    /// Restarts of each supervised task.
    pub restarts: std::collections::BTreeMap<String, u64>,
}

/// Labels of the request latency histogram.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// The matched route, or `unmatched`.
    pub route: String,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

/// The metrics Doberman keeps.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    http_requests: Family<RequestLabels, Counter>,
    http_request_duration: HistogramFamily<RouteLabels>,
    db_pool_connections: Gauge,
    db_pool_idle: Gauge,
    db_pool_max: Gauge,
    outbox_pending: Gauge,
    outbox_oldest: Gauge,
    alerts_firing: Family<TopicLabels, Gauge>,
    chat_queue_depth: Gauge,
    chat_queue_bytes: Gauge,
    connector_in_flight: Gauge,
    reply_seconds: Histogram,
    activities: Family<ReasonLabels, Counter>,
    dropped: Family<ReasonLabels, Counter>,
    not_durable: Counter,
    connections_open: Gauge,
    connections_refused: Counter,
    throttled: Gauge,
    throttled_waited: Gauge,
    uncertain: Gauge,
    token_retries: Gauge,
    restarts: Family<TaskLabels, Gauge>,
}

fn latency_histogram() -> Histogram {
    // 0.25 ms … about 4 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 15))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("doberman");
        let http_requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests served, by route, method and status",
            http_requests.clone(),
        );
        let http_request_duration: HistogramFamily<RouteLabels> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route, from request received to response headers written",
            http_request_duration.clone(),
        );
        let db_pool_connections = Gauge::default();
        registry.register(
            "db_pool_connections",
            "Open database connections, busy or idle",
            db_pool_connections.clone(),
        );
        let db_pool_idle = Gauge::default();
        registry.register(
            "db_pool_idle_connections",
            "Idle database connections",
            db_pool_idle.clone(),
        );
        let db_pool_max = Gauge::default();
        registry.register(
            "db_pool_max_connections",
            "Configured maximum of database connections",
            db_pool_max.clone(),
        );
        let outbox_pending = Gauge::default();
        registry.register(
            "outbox_pending",
            "Alert and heartbeat messages waiting to be sent to Teams or a webhook",
            outbox_pending.clone(),
        );
        let outbox_oldest = Gauge::default();
        registry.register(
            "outbox_oldest_pending_seconds",
            "Age of the oldest message waiting to be sent (0 when none waits)",
            outbox_oldest.clone(),
        );
        let alerts_firing = Family::<TopicLabels, Gauge>::default();
        registry.register(
            "alerts_firing",
            "Alerts firing now, by topic",
            alerts_firing.clone(),
        );
        let chat_queue_depth = Gauge::default();
        registry.register(
            "chat_queue_depth",
            "Acknowledged activities not yet answered, in memory (each also in the inbox table)",
            chat_queue_depth.clone(),
        );
        let chat_queue_bytes = Gauge::default();
        registry.register(
            "chat_queue_bytes",
            "Size of the queued activities; past teams.queue_mib new ones get 503 with Retry-After",
            chat_queue_bytes.clone(),
        );
        let connector_in_flight = Gauge::default();
        registry.register(
            "connector_in_flight",
            "Calls to the Bot Connector under way, waits for Teams' pacing included",
            connector_in_flight.clone(),
        );
        let reply_seconds = Histogram::new(exponential_buckets(0.005, 2.0, 16));
        registry.register(
            "chat_reply_seconds",
            "From an activity acknowledged to its answer accepted by Teams",
            reply_seconds.clone(),
        );
        let activities = Family::<ReasonLabels, Counter>::default();
        registry.register(
            "chat_activities",
            "Acknowledged activities by how they ended: answered, no_answer, outbox (answer handed to the outbox \
             for a later attempt), dropped",
            activities.clone(),
        );
        let dropped = Family::<ReasonLabels, Counter>::default();
        registry.register(
            "chat_dropped",
            "Activities or answers given up, by reason (queue_full: refused with 503; gone, refused, uncertain, \
             store: accepted but not answered, each logged)",
            dropped.clone(),
        );
        let not_durable = Counter::default();
        registry.register(
            "chat_not_durable",
            "Activities acknowledged while the database did not take them (kept in memory only)",
            not_durable.clone(),
        );
        let throttled = Gauge::default();
        registry.register(
            "teams_throttled",
            "429 answers received from Teams since start",
            throttled.clone(),
        );
        let throttled_waited = Gauge::default();
        registry.register(
            "teams_throttled_waited",
            "429 answers whose Retry-After was waited out within the call (the others by the outbox)",
            throttled_waited.clone(),
        );
        let uncertain = Gauge::default();
        registry.register(
            "teams_uncertain",
            "Posts not sent again because Teams may have received them (timed out after sending)",
            uncertain.clone(),
        );
        let token_retries = Gauge::default();
        registry.register(
            "teams_token_retries",
            "Failures of the token endpoint that were retried",
            token_retries.clone(),
        );
        let restarts = Family::<TaskLabels, Gauge>::default();
        registry.register(
            "task_restarts",
            "Times a supervised long-lived task panicked and was started again",
            restarts.clone(),
        );
        let connections_open = Gauge::default();
        registry.register(
            "http_connections_open",
            "HTTP connections being served now",
            connections_open.clone(),
        );
        let connections_refused = Counter::default();
        registry.register(
            "http_connections_refused",
            "HTTP connections closed as soon as accepted because http.max_connections were open",
            connections_refused.clone(),
        );
        Metrics {
            registry,
            connections_open,
            connections_refused,
            chat_queue_depth,
            chat_queue_bytes,
            connector_in_flight,
            reply_seconds,
            activities,
            dropped,
            not_durable,
            throttled,
            throttled_waited,
            uncertain,
            token_retries,
            restarts,
            http_requests,
            http_request_duration,
            db_pool_connections,
            db_pool_idle,
            db_pool_max,
            outbox_pending,
            outbox_oldest,
            alerts_firing,
        }
    }
}

impl Metrics {
    /// Counts one served HTTP request and its latency.
    pub fn observe_request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.http_requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method: method.to_owned(),
                status,
            })
            .inc();
        self.http_request_duration
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    /// An answer accepted by Teams `seconds` after its activity was acknowledged.
    pub fn reply_delivered(&self, seconds: f64) {
        self.reply_seconds.observe(seconds);
    }

    /// How an acknowledged activity ended.
    pub fn activity_ended(&self, outcome: &str) {
        self.activities
            .get_or_create(&ReasonLabels {
                reason: outcome.to_owned(),
            })
            .inc();
    }

    /// An activity or answer given up, and why.
    pub fn dropped(&self, reason: &str) {
        self.dropped
            .get_or_create(&ReasonLabels {
                reason: reason.to_owned(),
            })
            .inc();
    }

    /// An activity acknowledged that the database did not take.
    pub fn not_durable(&self) {
        self.not_durable.inc();
    }

    /// A connection accepted and served (`opened`), or ended.
    pub fn connection(&self, opened: bool) {
        if opened {
            self.connections_open.inc();
        } else {
            self.connections_open.dec();
        }
    }

    /// A connection closed unserved: the cap was reached.
    pub fn connection_refused(&self) {
        self.connections_refused.inc();
    }

    /// Sets the figures read from the running parts.
    pub fn set_runtime(&self, r: &RuntimeFigures) {
        let gauge = |g: &Gauge, v: u64| {
            g.set(i64::try_from(v).unwrap_or(i64::MAX));
        };
        gauge(&self.chat_queue_depth, r.queue_depth);
        gauge(&self.chat_queue_bytes, r.queue_bytes);
        gauge(&self.connector_in_flight, r.in_flight);
        gauge(&self.throttled, r.throttled);
        gauge(&self.throttled_waited, r.throttled_waited);
        gauge(&self.uncertain, r.uncertain);
        gauge(&self.token_retries, r.token_retries);
        for (task, n) in &r.restarts {
            gauge(
                &self
                    .restarts
                    .get_or_create(&TaskLabels { task: task.clone() }),
                *n,
            );
        }
    }

    /// Renders every metric, with the pool gauges read at this moment and the alert figures when the store
    /// gave them (otherwise the last ones stay).
    pub fn render(&self, pool: PoolStats, alerts: Option<&AlertFigures>) -> String {
        self.db_pool_connections.set(i64::from(pool.size));
        self.db_pool_idle.set(i64::from(pool.idle));
        self.db_pool_max.set(i64::from(pool.max));
        if let Some(a) = alerts {
            self.outbox_pending.set(a.pending);
            self.outbox_oldest.set(a.oldest_pending_seconds);
            for (topic, n) in &a.firing {
                self.alerts_firing
                    .get_or_create(&TopicLabels {
                        topic: topic.clone(),
                    })
                    .set(*n);
            }
        }
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String cannot fail");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_histograms_and_pool_gauges() {
        let metrics = Metrics::default();
        metrics.observe_request("/healthz", "GET", 200, 0.001);
        metrics.observe_request("/healthz", "GET", 200, 0.002);

        let text = metrics.render(
            PoolStats {
                size: 2,
                idle: 1,
                max: 10,
            },
            Some(&AlertFigures {
                pending: 3,
                oldest_pending_seconds: 42,
                firing: vec![("freshness".into(), 7), ("jobs".into(), 0)],
            }),
        );

        assert!(
            text.contains(
                r#"doberman_http_requests_total{route="/healthz",method="GET",status="200"} 2"#
            ),
            "{text}"
        );
        assert!(
            text.contains(r#"doberman_http_request_duration_seconds_count{route="/healthz"} 2"#),
            "{text}"
        );
        assert!(text.contains("doberman_db_pool_connections 2"), "{text}");
        assert!(
            text.contains("doberman_db_pool_idle_connections 1"),
            "{text}"
        );
        assert!(
            text.contains("doberman_db_pool_max_connections 10"),
            "{text}"
        );
        assert!(text.contains("doberman_outbox_pending 3"), "{text}");
        assert!(
            text.contains("doberman_outbox_oldest_pending_seconds 42"),
            "{text}"
        );
        assert!(
            text.contains(r#"doberman_alerts_firing{topic="freshness"} 7"#),
            "{text}"
        );
        assert!(
            text.contains(r#"doberman_alerts_firing{topic="jobs"} 0"#),
            "{text}"
        );
        assert!(text.ends_with("# EOF\n"));
    }
}
