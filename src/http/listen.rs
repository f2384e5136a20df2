//! The accept loop: HTTP/1.1 under a connection cap and read timeouts, so that a client that connects and then
//! sends slowly or not at all cannot hold a connection, a file descriptor or memory for long, before or after it
//! authenticates.
//!
//! - At most `max_connections` are served at once. One more is closed as soon as it is accepted (counted on
//!   `/metrics`), so the kernel's backlog keeps moving and the process never runs out of file descriptors: the
//!   cap is lowered at start to what `RLIMIT_NOFILE` allows, after raising the soft limit to the hard one.
//! - A request's headers must arrive within `header_timeout`, and an idle keep-alive connection is closed after
//!   it: hyper's header-read timer runs from the moment a connection waits for a request.
//! - The body's own deadline is kept by the handler that reads it (`BODY_TIMEOUT` → 408).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::metrics::Metrics;

/// File descriptors kept for everything but inbound connections: the database pool, outbound HTTPS to Teams and
/// AWS, the log, the store file.
const RESERVED_FDS: u64 = 128;

/// How the listener guards itself.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once.
    pub max_connections: usize,
    /// How long a request's headers may take, and how long an idle connection stays open.
    pub header_timeout: Duration,
}

/// Serves `router` on `listener` until `shutdown` is cancelled, then stops accepting, closes idle connections
/// and waits for the requests in flight (the caller bounds that wait).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let mut refused_logged: Option<tokio::time::Instant> = None;
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = shutdown.cancelled() => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // The peer gave up between SYN and accept: nothing to do.
            Err(e) if is_per_connection(&e) => continue,
            // Out of file descriptors or memory: wait for connections to end (the timeouts see to it).
            Err(e) => {
                tracing::warn!(error = %e, "cannot accept connections; retrying in 100 ms");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            metrics.connection_refused();
            let now = tokio::time::Instant::now();
            if refused_logged.is_none_or(|at| now.duration_since(at) >= Duration::from_secs(60)) {
                refused_logged = Some(now);
                tracing::warn!(
                    max_connections = limits.max_connections,
                    "closing new connections: http.max_connections are open (logged once a minute)"
                );
            }
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connection = builder.serve_connection(
            TokioIo::new(stream),
            TowerToHyperService::new(router.clone()),
        );
        let connection = graceful.watch(connection);
        let metrics = metrics.clone();
        tokio::spawn(async move {
            metrics.connection(true);
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            metrics.connection(false);
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

fn is_per_connection(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}

/// The connection cap this process can keep: `wanted`, or fewer when the open-file limit (raised to its hard
/// maximum first) leaves less than `wanted` plus a reserve. Returns the cap and, when lowered, why.
pub fn connection_cap(wanted: usize) -> (usize, Option<String>) {
    let Some(limit) = raise_nofile(wanted as u64 + RESERVED_FDS) else {
        return (wanted, None);
    };
    let room = usize::try_from(limit.saturating_sub(RESERVED_FDS)).unwrap_or(usize::MAX);
    if room >= wanted {
        (wanted, None)
    } else {
        let cap = room.max(1);
        (
            cap,
            Some(format!(
                "http.max_connections is {wanted} but the open-file limit is {limit}: serving at most {cap} \
                 connections (raise LimitNOFILE, or ulimit -n)"
            )),
        )
    }
}

/// Raises the soft `RLIMIT_NOFILE` towards `wanted` (never above the hard limit, never lowering it); returns the
/// soft limit in force, or `None` where it cannot be read.
#[cfg(unix)]
fn raise_nofile(wanted: u64) -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given, which lives for the call.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &raw mut limit) } != 0 {
        return None;
    }
    // rlim_t is u64 on Linux and the BSDs.
    let (current, hard) = (limit.rlim_cur, limit.rlim_max);
    if current >= wanted {
        return Some(current);
    }
    let raised = libc::rlimit {
        rlim_cur: wanted.min(hard),
        rlim_max: limit.rlim_max,
    };
    // SAFETY: setrlimit only reads the struct it is given.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raw const raised) } == 0 {
        Some(wanted.min(hard))
    } else {
        Some(current)
    }
}

#[cfg(not(unix))]
fn raise_nofile(_wanted: u64) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_is_kept_when_the_limit_allows_it() {
        // Eight connections fit under any limit a test runs with.
        assert_eq!(connection_cap(8), (8, None));
    }

    #[test]
    fn the_cap_is_lowered_to_what_the_hard_limit_allows_and_says_so() {
        let (cap, why) = connection_cap(usize::MAX / 2);
        assert!(cap < usize::MAX / 2, "{cap}");
        let why = why.expect("a lowered cap says why");
        assert!(why.contains("LimitNOFILE"), "{why}");
    }
}
