//! Wiring: builds the store, the metrics and the router, binds the listener, and runs until shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::http::{self, AppState};
use crate::metrics::Metrics;
use crate::store::Store;

/// How long shutdown waits for in-flight requests before giving up on them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(25);

/// A built Doberman: connected, migrated and bound, not yet serving.
#[derive(Debug)]
pub struct App {
    listener: TcpListener,
    state: AppState,
    shutdown: CancellationToken,
}

impl App {
    /// Connects to the store, applies pending migrations and binds the HTTP listener (port 0 picks a free port).
    pub async fn build(config: &Config) -> anyhow::Result<App> {
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
        let listener = TcpListener::bind(config.http.listen)
            .await
            .with_context(|| format!("Failed to listen on {} (http.listen)", config.http.listen))?;
        Ok(App {
            listener,
            state: AppState {
                store,
                metrics: Arc::new(Metrics::default()),
            },
            shutdown: CancellationToken::new(),
        })
    }

    /// The address the HTTP server is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound TCP listener has a local address")
    }

    /// The store the app uses.
    pub fn store(&self) -> &Store {
        &self.state.store
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
            state,
            shutdown,
        } = self;
        let store = state.store.clone();
        let addr = listener
            .local_addr()
            .context("Failed to read the bound address")?;
        tracing::info!(%addr, backend = %store.backend(), "serving");

        let signal = shutdown.clone();
        let server = axum::serve(listener, http::router(state))
            .with_graceful_shutdown(async move { signal.cancelled().await });
        let mut server = std::pin::pin!(server.into_future());
        let result = tokio::select! {
            result = &mut server => result,
            () = async {
                shutdown.cancelled().await;
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => {
                tracing::warn!(grace = ?SHUTDOWN_GRACE, "in-flight requests did not finish in time; dropping them");
                Ok(())
            }
        };
        store.close().await;
        tracing::info!("stopped");
        result.context("The HTTP server failed")
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
