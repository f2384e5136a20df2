//! Wiring: builds the store, the metrics, the router and the collectors' schedule, binds the listener, and runs
//! until shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::alerts::deliver::{self, Deliverer};
use crate::alerts::{self, Alerts};
use crate::chat::{self, Chat, Dispatcher};
use crate::collect::{self, Ctx, Runner};
use crate::config::{Config, ScheduleConfig};
use crate::http::{self, AppState, BotEdge};
use crate::metrics::Metrics;
use crate::schedule::Schedule;
use crate::store::Store;
use crate::supervise::{Health, supervise};
use crate::teams::connector::{Credentials, RetryPolicy};
use crate::teams::{ConnectorClient, ServiceUrlPolicy, TokenValidator};

/// How long shutdown waits for in-flight requests before giving up on them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(25);

/// A built Doberman: connected, migrated and bound, not yet serving.
#[derive(Debug)]
pub struct App {
    listener: TcpListener,
    limits: http::listen::Limits,
    state: AppState,
    shutdown: CancellationToken,
    /// The collectors' runner and when to run them; `None` when `schedule.enabled` is false.
    schedule: Option<(Arc<Runner>, ScheduleConfig)>,
    /// The alert engine, its delivery worker and the HTTP client of pings.
    alerts: (Arc<Alerts>, Arc<Deliverer>, reqwest::Client),
}

impl App {
    /// Connects to the store, applies pending migrations and binds the HTTP listener (port 0 picks a free port).
    pub async fn build(config: &Config) -> anyhow::Result<App> {
        if let Some(problem) = config.teams.serving_problems().into_iter().next() {
            anyhow::bail!("configuration error: {problem}");
        }
        // Card templates are parsed now: a broken one stops the start, not a user's question.
        crate::cards::catalog().context("The card templates are invalid")?;
        let (store, _) = open_store(config).await?;
        if let Some(channel) = &config.requests.channel_id
            && store
                .set_request_channel(
                    channel,
                    None,
                    &crate::store::Person::default(),
                    crate::store::now(),
                )
                .await
                .context("Failed to set the request channel (requests.channel_id)")?
        {
            tracing::info!(channel = %channel, "request channel set from requests.channel_id");
        }
        let listener = TcpListener::bind(config.http.listen)
            .await
            .with_context(|| format!("Failed to listen on {} (http.listen)", config.http.listen))?;
        let engine = Arc::new(Alerts::new(
            store.clone(),
            alerts::Settings::from_config(config),
        ));
        let metrics = Arc::new(Metrics::default());
        let health = Arc::new(Health::default());
        let checker = crate::checks::checker(config, &store);
        // Checks removed from the files (all of them, or Glue Data Quality turned off) stop showing and alerting
        // now, even when no check is left for the checks job to run.
        if let Err(e) = checker.sync(crate::store::now()).await {
            tracing::warn!(error = %crate::common::error_chain(&e), "cannot write the checks' definitions");
        }
        let (bot, connector, http) = build_bot(
            config,
            &store,
            engine.clone(),
            metrics.clone(),
            health.clone(),
            checker.clone(),
        )?;
        for warning in &bot.warnings {
            tracing::warn!("{warning}");
        }
        let deliverer = Arc::new(Deliverer::new(
            engine.clone(),
            connector,
            http.clone(),
            crate::supervise::holder_id(),
        ));
        let schedule = config.schedule.enabled.then(|| {
            let after: collect::AfterRun = {
                let engine = engine.clone();
                Arc::new(move |_job| {
                    let engine = engine.clone();
                    Box::pin(async move { evaluate(&engine).await })
                })
            };
            (
                Arc::new(
                    runner_with(config, &store, Arc::new(collect::Silent), Some(checker))
                        .with_after_run(after),
                ),
                config.schedule.clone(),
            )
        });
        let (max_connections, lowered) = http::listen::connection_cap(
            usize::try_from(config.http.max_connections).unwrap_or(usize::MAX),
        );
        if let Some(why) = lowered {
            tracing::warn!("{why}");
        }
        let limits = http::listen::Limits {
            max_connections,
            header_timeout: Duration::from_secs(u64::from(config.http.header_timeout_secs)),
        };
        Ok(App {
            listener,
            limits,
            state: AppState {
                store,
                metrics,
                bot: Arc::new(bot),
                health,
            },
            shutdown: CancellationToken::new(),
            schedule,
            alerts: (engine, deliverer, http),
        })
    }

    /// The address the HTTP server is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound TCP listener has a local address")
    }

    /// Cancelling this token shuts the app down gracefully.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Serves until the shutdown token is cancelled, then stops accepting, lets in-flight requests finish (up to
    /// a grace period), stops every loop and closes the store.
    pub async fn run(self) -> anyhow::Result<()> {
        let App {
            listener,
            limits,
            state,
            shutdown,
            schedule,
            alerts: (engine, deliverer, http),
        } = self;
        let store = state.store.clone();
        let health = state.health.clone();
        let dispatcher = state.bot.dispatcher.clone();
        let addr = listener
            .local_addr()
            .context("Failed to read the bound address")?;
        tracing::info!(%addr, backend = %store.backend(), "serving");
        if crate::clock::is_set() {
            tracing::warn!(
                now = %crate::clock::now(),
                "the clock is moved by {} (for tests and demonstrations); the collectors' schedule runs on the system clock",
                crate::clock::NOW_VAR
            );
        }
        // Before anything of this process claims a lease: the check takes this pid under another suffix for a
        // restarted container's.
        release_dead_leases(&store).await;
        let schedule = match schedule {
            Some((runner, config)) => Some(Schedule::start(runner, &config).await?),
            None => None,
        };
        let background = TaskTracker::new();
        let stop_background = CancellationToken::new();
        // Every long-lived task is supervised: a panic is logged, counted and the task started again.
        let (stop, h) = (&stop_background, &health);
        supervise(&background, h, deliver::LOOP, stop, {
            let health = health.clone();
            move |stop| deliverer.clone().run(stop, health.clone())
        });
        supervise(&background, h, EVALUATE_LOOP, stop, {
            let (engine, health) = (engine.clone(), health.clone());
            move |stop| evaluate_every(engine.clone(), stop, health.clone())
        });
        supervise(&background, h, "alerts.heartbeat", stop, {
            let (engine, http, health) = (engine.clone(), http.clone(), health.clone());
            move |stop| heartbeat_daily(engine.clone(), http.clone(), stop, health.clone())
        });
        supervise(&background, h, "alerts.ping", stop, {
            let (engine, http, health) = (engine.clone(), http.clone(), health.clone());
            move |stop| ping_every(engine.clone(), http.clone(), stop, health.clone())
        });
        supervise(&background, h, "chat.sweep", stop, {
            let dispatcher = dispatcher.clone();
            move |stop| dispatcher.clone().sweep_every(stop)
        });
        background.close();

        let signal = shutdown.clone();
        let result = {
            let metrics = state.metrics.clone();
            let server =
                http::listen::serve(listener, http::router(state), limits, metrics, signal);
            let mut server = std::pin::pin!(server);
            tokio::select! {
                () = &mut server => Ok::<(), anyhow::Error>(()),
                () = async {
                    shutdown.cancelled().await;
                    tokio::time::sleep(SHUTDOWN_GRACE).await;
                } => {
                    tracing::warn!(grace = ?SHUTDOWN_GRACE, "in-flight requests did not finish in time; dropping them");
                    Ok(())
                }
            }
        };
        // Acknowledged activities are answered (or, past the drain time, left in the inbox for the next start).
        dispatcher.drain(chat::DRAIN_TIMEOUT).await;
        if let Some(schedule) = schedule {
            schedule.stop(SHUTDOWN_GRACE).await;
        }
        // A message in flight is finished (or, cut off, sent again at the next start).
        stop_background.cancel();
        if tokio::time::timeout(SHUTDOWN_GRACE, background.wait())
            .await
            .is_err()
        {
            tracing::warn!("alert delivery did not stop in time");
        }
        store.close().await;
        tracing::info!("stopped");
        result.context("The HTTP server failed")
    }
}

/// Opens the configured database and applies pending migrations; returns the store and how many were applied.
pub async fn open_store(config: &Config) -> anyhow::Result<(Store, usize)> {
    let store = Store::connect(&config.database)
        .await
        .context("Failed to open the database")?;
    let applied = store
        .migrate()
        .await
        .context("Failed to migrate the database")?;
    if applied > 0 {
        tracing::info!(applied, "applied database migrations");
    }
    Ok((store, applied))
}

/// The collectors' runner for `config`: default AWS credential chain, the configured lease.
pub fn runner(config: &Config, store: &Store, progress: Arc<dyn collect::Progress>) -> Runner {
    runner_with(config, store, progress, None)
}

/// The same runner, its data checks run by `checker` (shared with the chat's `check run`) when given.
fn runner_with(
    config: &Config,
    store: &Store,
    progress: Arc<dyn collect::Progress>,
    checker: Option<Arc<crate::checks::Checker>>,
) -> Runner {
    let mut ctx = Ctx::new(config, store.clone(), None, progress);
    if let Some(checker) = checker {
        ctx.checker = checker;
    }
    Runner::new(
        Arc::new(ctx),
        crate::supervise::holder_id(),
        Duration::from_secs(u64::from(config.schedule.lease_secs)),
    )
}

/// Releases the job leases of processes of this host that are gone (a `kill -9` during an evaluation or a
/// collector run), so this one does not wait for them to lapse.
async fn release_dead_leases(store: &Store) {
    let mine = crate::supervise::holder_id();
    let holders = match store.lease_holders().await {
        Ok(holders) => holders,
        Err(e) => {
            tracing::warn!(error = %crate::common::error_chain(&e), "cannot read the job leases");
            return;
        }
    };
    for holder in holders
        .iter()
        .filter(|h| crate::supervise::holder_is_gone(h, &mine))
    {
        match store.release_leases_of(holder, crate::store::now()).await {
            Ok(jobs) => {
                tracing::info!(%holder, jobs, "released the job leases of a process that is gone")
            }
            Err(e) => {
                tracing::warn!(error = %crate::common::error_chain(&e), "cannot release job leases")
            }
        }
    }
}

/// The Bot Framework side: token validation, the connector client, the chat logic and its dispatcher.
fn build_bot(
    config: &Config,
    store: &Store,
    engine: Arc<Alerts>,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    checker: Arc<crate::checks::Checker>,
) -> anyhow::Result<(BotEdge, Arc<ConnectorClient>, reqwest::Client)> {
    let teams = &config.teams;
    let http = crate::teams::http_client().context("Failed to build the HTTP client")?;
    let validator = TokenValidator::new(
        http.clone(),
        teams.openid_metadata_url.clone(),
        &teams.app_id,
    );
    let credentials = match (&teams.app_password, teams.dev_mode) {
        (Some(password), false) if !teams.app_id.is_empty() => Some(Credentials {
            token_url: teams.token_url.clone(),
            app_id: teams.app_id.clone(),
            app_password: password.clone(),
        }),
        _ => None,
    };
    let service_urls = ServiceUrlPolicy::new(teams.allowed_service_urls.clone(), teams.dev_mode);
    let connector = Arc::new(
        ConnectorClient::new(
            http.clone(),
            credentials,
            service_urls.clone(),
            RetryPolicy::default(),
        )
        .with_tenant_limit(teams.tenant_requests_per_second),
    );
    let chat = Arc::new(
        Chat::new(store.clone(), connector.clone(), teams.admins.clone())
            .with_settings(chat::Settings::from_config(config))
            .with_alerts(engine.clone())
            .with_checker(checker),
    );
    let dispatcher = Dispatcher::start(
        chat.clone(),
        chat::pipeline::Wiring {
            store: store.clone(),
            connector: connector.clone(),
            outbox: Some(engine.wake()),
            holder: crate::supervise::holder_id(),
            budget_bytes: usize::try_from(teams.queue_mib)
                .unwrap_or(64)
                .saturating_mul(1024 * 1024),
            health,
            metrics,
        },
    );
    let mut warnings = Vec::new();
    if teams.dev_mode {
        warnings.push(
            "development mode: inbound and outbound authentication are off (teams.dev_mode); never use it in production"
                .to_owned(),
        );
    } else if teams.app_id.is_empty() {
        warnings.push("teams.app_id is not set: /api/messages refuses every request".to_owned());
    }
    Ok((
        BotEdge {
            validator,
            dev_mode: teams.dev_mode,
            allowed_tenants: teams.allowed_tenants.clone(),
            service_urls,
            chat,
            dispatcher,
            connector: connector.clone(),
            warnings,
            body_timeout: Duration::from_secs(u64::from(config.http.body_timeout_secs)),
        },
        connector,
        http,
    ))
}

/// Evaluates the alert rules once, logging a failure (the next evaluation tries again).
async fn evaluate(engine: &Alerts) {
    if let Err(e) = engine.evaluate(crate::store::now()).await {
        tracing::error!(error = %crate::common::error_chain(&e), "cannot evaluate the alert rules");
    }
}

/// The evaluation loop's name in [`Health`].
const EVALUATE_LOOP: &str = "alerts.evaluate";

/// Evaluates the rules every `alerts.every_secs`, the first time one period after start, and when asked (a new
/// subscription); `/readyz` says so when no evaluation finished in three periods and a minute.
async fn evaluate_every(engine: Arc<Alerts>, cancel: CancellationToken, health: Arc<Health>) {
    let every = Duration::from_secs(u64::from(engine.settings().alerts.every_secs));
    health.register(EVALUATE_LOOP, every * 3 + Duration::from_secs(60));
    health.waiting(EVALUATE_LOOP, 1);
    health.progress(EVALUATE_LOOP);
    // Not at start: the collectors' catch-up runs evaluate as they finish, and a restart loop must not post.
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => {
                evaluate(&engine).await;
                health.progress(EVALUATE_LOOP);
            }
            () = engine.asked_to_evaluate() => {
                evaluate(&engine).await;
                health.progress(EVALUATE_LOOP);
            }
            () = cancel.cancelled() => return,
        }
    }
}

/// Queues the heartbeat every day at `heartbeat.at` in `schedule.timezone` (once across replicas: the tick is
/// claimed in `job_lease`), then pings the dead-man's switch.
async fn heartbeat_daily(
    engine: Arc<Alerts>,
    http: reqwest::Client,
    cancel: CancellationToken,
    health: Arc<Health>,
) {
    let settings = engine.settings().clone();
    let Some((hour, minute)) = settings.heartbeat.at else {
        return;
    };
    let holder = crate::supervise::holder_id();
    let cron = alerts::heartbeat_cron(hour, minute);
    loop {
        let now = crate::clock::now();
        let Some(next) = cron.next_after(now, settings.timezone) else {
            tracing::error!("the heartbeat's schedule has no next time; no heartbeat");
            return;
        };
        let wait = (next - now).to_std().unwrap_or_default();
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = cancel.cancelled() => return,
        }
        let store = engine.store();
        let now = crate::store::now();
        match store
            .claim_job(
                "heartbeat",
                &holder,
                now,
                now + chrono::Duration::minutes(10),
                Some(next),
            )
            .await
        {
            Ok(true) => {
                match engine.heartbeat(now).await {
                    Ok(n) => tracing::info!(destinations = n, "heartbeat queued"),
                    Err(e) => {
                        tracing::error!(error = %crate::common::error_chain(&e), "cannot queue the heartbeat")
                    }
                }
                let _ = store
                    .release_job("heartbeat", &holder, crate::store::now())
                    .await;
                if let Some(url) = &settings.heartbeat.ping_url {
                    ping_if_deliverable(&engine, &health, &http, url).await;
                }
            }
            Ok(false) => tracing::debug!("another replica sent this heartbeat"),
            Err(e) => {
                tracing::error!(error = %crate::common::error_chain(&e), "cannot claim the heartbeat")
            }
        }
    }
}

/// Pings the dead-man's switch, but only when alerts can be delivered: the database answers and no loop is down
/// or stalled. Otherwise the outside monitor's silence is the alarm.
async fn ping_if_deliverable(
    engine: &Alerts,
    health: &Health,
    http: &reqwest::Client,
    url: &crate::config::Secret,
) {
    let problems = health.problems();
    if !problems.is_empty() {
        tracing::warn!(problems = %problems.join("; "), "not pinging the dead-man's switch: alerts cannot be delivered");
        return;
    }
    if let Err(e) = engine.store().ping().await {
        tracing::warn!(error = %crate::common::error_chain(&e), "not pinging the dead-man's switch: the database does not answer");
        return;
    }
    deliver::ping(http, url).await;
}

/// Pings the dead-man's switch every `heartbeat.ping_every_secs` (when set), while alerts can be delivered.
async fn ping_every(
    engine: Arc<Alerts>,
    http: reqwest::Client,
    cancel: CancellationToken,
    health: Arc<Health>,
) {
    let settings = &engine.settings().heartbeat;
    let (Some(url), every) = (settings.ping_url.clone(), settings.ping_every_secs) else {
        return;
    };
    if every == 0 {
        return;
    }
    let mut ticks = tokio::time::interval(Duration::from_secs(u64::from(every)));
    loop {
        tokio::select! {
            _ = ticks.tick() => ping_if_deliverable(&engine, &health, &http, &url).await,
            () = cancel.cancelled() => return,
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received: shutting down"),
        () = terminate => tracing::info!("SIGTERM received: shutting down"),
    }
}
