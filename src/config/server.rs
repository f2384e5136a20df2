//! `[database]`, `[http]` and `[log]`: where Doberman keeps its data, listens and writes its logs.

use std::net::SocketAddr;

use super::{DatabaseUrl, Loader, LogFormat};

/// `[database]` settings.
#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    /// `database.url`: `sqlite://PATH` (created if missing) or `mysql://USER[:PASSWORD]@HOST[:PORT]/DATABASE`.
    pub url: DatabaseUrl,
    /// `database.max_connections`: upper bound of the connection pool.
    pub max_connections: u32,
}

/// `[http]` settings.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// `http.listen`: the socket address the HTTP server binds to (port 0 picks a free port).
    pub listen: SocketAddr,
    /// `http.max_connections`: connections served at once; one more is closed as soon as it is accepted. Lowered
    /// at start to what the process's open-file limit allows.
    pub max_connections: u32,
    /// `http.header_timeout_secs`: how long a client may take to send a request's headers, and how long an idle
    /// connection is kept open.
    pub header_timeout_secs: u32,
    /// `http.body_timeout_secs`: how long a client may take to send a request's body (408 after).
    pub body_timeout_secs: u32,
}

/// `[log]` settings.
#[derive(Debug, Clone)]
pub struct LogConfig {
    /// `log.format`: `pretty` for people, `json` for log collectors.
    pub format: LogFormat,
}

/// Loads `[database]`.
pub(super) fn load_database(l: &mut Loader) -> DatabaseConfig {
    let default_url: DatabaseUrl = "sqlite://doberman.db"
        .parse()
        .expect("the built-in database URL is valid");
    DatabaseConfig {
        url: l.get("database.url", default_url, |_| Ok(())),
        max_connections: l.get("database.max_connections", 10, |n| {
            if (1..=1000).contains(n) {
                Ok(())
            } else {
                Err("expected a whole number from 1 to 1000".into())
            }
        }),
    }
}

/// Loads `[http]`.
pub(super) fn load_http(l: &mut Loader) -> HttpConfig {
    HttpConfig {
        listen: l.get(
            "http.listen",
            SocketAddr::from(([127, 0, 0, 1], 3978)),
            |_| Ok(()),
        ),
        max_connections: l.get("http.max_connections", 1000, |n| {
            if (1..=100_000).contains(n) {
                Ok(())
            } else {
                Err("expected a whole number from 1 to 100000".into())
            }
        }),
        header_timeout_secs: l.get("http.header_timeout_secs", 10, seconds),
        body_timeout_secs: l.get("http.body_timeout_secs", 15, seconds),
    }
}

fn seconds(n: &u32) -> Result<(), String> {
    if (1..=300).contains(n) {
        Ok(())
    } else {
        Err("expected a whole number of seconds from 1 to 300".into())
    }
}

/// Loads `[log]`.
pub(super) fn load_log(l: &mut Loader) -> LogConfig {
    LogConfig {
        format: l.get("log.format", LogFormat::Pretty, |_| Ok(())),
    }
}
