//! The HTTP edge of a running app: probes, metrics, request ids.

use std::time::Duration;

use crate::support::{TestApp, TestDb, run_on_mysql_via_proxy, two_backends};

async fn healthz_and_readyz_answer_200_when_all_is_well(db: TestDb) {
    let app = TestApp::start(&db.config()).await;

    let (health, health_body) = app.get("/healthz").await;
    let (ready, ready_body) = app.get("/readyz").await;

    assert_eq!(health, 200, "{health_body}");
    let health: serde_json::Value = serde_json::from_str(&health_body).expect("json");
    assert_eq!(health["status"], "ok");
    assert_eq!(ready, 200, "{ready_body}");
    let ready: serde_json::Value = serde_json::from_str(&ready_body).expect("json");
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["backend"], db.backend.to_string());
    app.stop().await;
}
two_backends!(healthz_and_readyz_answer_200_when_all_is_well);

async fn metrics_count_requests_by_route_and_show_the_pool(db: TestDb) {
    let app = TestApp::start(&db.config()).await;
    app.get("/healthz").await;
    app.get("/healthz").await;
    let (missing, _) = app.get("/no/such/page?x=1").await;

    let response = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics");
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let text = response.text().await.expect("body");

    assert_eq!(missing, 404);
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    assert!(
        text.contains(
            r#"doberman_http_requests_total{route="/healthz",method="GET",status="200"} 2"#
        ),
        "{text}"
    );
    assert!(
        text.contains(
            r#"doberman_http_requests_total{route="unmatched",method="GET",status="404"} 1"#
        ),
        "a client-chosen path never becomes a label: {text}"
    );
    assert!(
        text.contains(r#"doberman_http_request_duration_seconds_count{route="/healthz"} 2"#),
        "{text}"
    );
    assert!(
        text.contains("doberman_db_pool_max_connections 10"),
        "{text}"
    );
    assert!(text.contains("doberman_db_pool_connections "), "{text}");
    assert!(text.contains("doberman_outbox_pending 0"), "{text}");
    assert!(
        text.contains(r#"doberman_alerts_firing{topic="freshness"} 0"#),
        "{text}"
    );
    app.stop().await;
}
two_backends!(metrics_count_requests_by_route_and_show_the_pool);

async fn every_response_carries_a_request_id(db: TestDb) {
    let app = TestApp::start(&db.config()).await;

    let generated = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("sent");
    let given = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .expect("sent");

    let id = generated.headers()["x-request-id"].to_str().expect("ascii");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "a fresh UUID: {id}");
    assert_eq!(
        given.headers()["x-request-id"],
        "trace-me-42",
        "a caller's id is kept"
    );
    app.stop().await;
}
two_backends!(every_response_carries_a_request_id);

async fn readyz_is_503_while_migrations_are_pending(db: TestDb) {
    let app = TestApp::start(&db.config()).await;
    db.execute_raw("DELETE FROM _sqlx_migrations").await;

    let (status, body) = app.get("/readyz").await;

    assert_eq!(status, 503, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["status"], "unavailable");
    let reason = body["reason"].as_str().expect("a reason");
    assert!(reason.contains("pending migration"), "{reason}");
    assert!(
        reason.contains("doberman migrate"),
        "the reason says what to do: {reason}"
    );
    app.stop().await;
}
two_backends!(readyz_is_503_while_migrations_are_pending);

async fn readyz_is_503_when_the_schema_is_newer_than_the_binary(db: TestDb) {
    let app = TestApp::start(&db.config()).await;
    db.execute_raw(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99999999, 'from the future', 1, X'00', 0)",
    )
    .await;

    let (status, body) = app.get("/readyz").await;

    assert_eq!(status, 503, "{body}");
    assert!(body.contains("99999999"), "{body}");
    assert!(body.contains("does not know"), "{body}");
    app.stop().await;
}
two_backends!(readyz_is_503_when_the_schema_is_newer_than_the_binary);

#[tokio::test]
async fn readyz_is_503_when_the_sqlite_file_is_gone() {
    let db = TestDb::sqlite();
    let app = TestApp::start(&db.config()).await;
    assert_eq!(app.get("/readyz").await.0, 200);

    let path = db.sqlite_path().expect("a file");
    std::fs::remove_file(&path).expect("delete the database file");
    let (status, body) = app.get("/readyz").await;

    assert_eq!(status, 503, "{body}");
    assert!(body.contains("no longer exists"), "{body}");
    assert_eq!(
        app.get("/healthz").await.0,
        200,
        "the process itself is still alive"
    );
    // The app's own work meanwhile (its loops open connections as they need them) made no new, empty database
    // in the file's place: readiness once found one there and answered 200.
    app.stop().await;
    assert!(!path.exists(), "{} was made again", path.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs MySQL: set DOBERMAN_TEST_MYSQL_URL and pass -- --include-ignored"]
async fn readyz_is_503_when_mysql_goes_away_and_200_when_it_is_back() {
    run_on_mysql_via_proxy(|db, proxy| async move {
        let app = TestApp::start(&db.config()).await;
        assert_eq!(app.get("/readyz").await.0, 200);

        proxy.kill();
        let started = std::time::Instant::now();
        let (status, body) = app.get("/readyz").await;

        assert_eq!(status, 503, "{body}");
        let body: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert_eq!(body["status"], "unavailable");
        assert!(
            body["reason"].as_str().is_some_and(|r| !r.is_empty()),
            "{body}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "readyz answers within its own timeout, took {:?}",
            started.elapsed()
        );
        assert_eq!(
            app.get("/healthz").await.0,
            200,
            "liveness is not readiness"
        );

        proxy.revive();
        let (status, body) = app.get("/readyz").await;
        assert_eq!(
            status, 200,
            "the pool reconnects once the server is back: {body}"
        );
        app.stop().await;
    })
    .await;
}

/// Reads from `stream` until the server closes it; what it sent, or `None` if it was still open after `within`.
async fn read_until_closed(stream: &mut tokio::net::TcpStream, within: Duration) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let read = tokio::time::timeout(within, async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&got).into_owned())
}

async fn connect(app: &TestApp) -> tokio::net::TcpStream {
    tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connect")
}

async fn send(stream: &mut tokio::net::TcpStream, bytes: &str) {
    use tokio::io::AsyncWriteExt;
    stream.write_all(bytes.as_bytes()).await.expect("write");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_that_never_finish_their_headers_are_disconnected() {
    let db = TestDb::sqlite();
    let app = TestApp::start(&db.config_with(&[("DOBERMAN_HTTP__HEADER_TIMEOUT_SECS", "1")])).await;
    // Slowloris: 50 connections, each sending part of a request and then nothing.
    let mut slow = Vec::new();
    for _ in 0..50 {
        let mut stream = connect(&app).await;
        send(
            &mut stream,
            "POST /api/messages HTTP/1.1\r\nHost: x\r\nX-A: ",
        )
        .await;
        slow.push(stream);
    }
    for stream in &mut slow {
        assert!(
            read_until_closed(stream, Duration::from_secs(10))
                .await
                .is_some(),
            "a connection with half its headers was still open 10 s after a 1 s header timeout"
        );
    }
    assert_eq!(app.get("/healthz").await.0, 200);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let db = TestDb::sqlite();
    let app = TestApp::start(&db.config_with(&[("DOBERMAN_HTTP__HEADER_TIMEOUT_SECS", "1")])).await;
    let mut stream = connect(&app).await;
    send(&mut stream, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await;
    let seen = read_until_closed(&mut stream, Duration::from_secs(10))
        .await
        .expect("the idle connection is closed");
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stops_arriving_is_answered_408_and_nothing_is_kept() {
    let db = TestDb::sqlite();
    let app = TestApp::start(&db.config_with(&[
        ("DOBERMAN_TEAMS__DEV_MODE", "true"),
        ("DOBERMAN_HTTP__BODY_TIMEOUT_SECS", "1"),
    ]))
    .await;
    let mut stream = connect(&app).await;
    send(
        &mut stream,
        "POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"type\":\"message\",",
    )
    .await;
    let seen = read_until_closed(&mut stream, Duration::from_secs(10))
        .await
        .expect("the server answers and closes");
    assert!(seen.starts_with("HTTP/1.1 408"), "{seen}");
    assert!(seen.contains("did not arrive within 1 s"), "{seen}");
    assert_eq!(
        db.number("SELECT COUNT(*) FROM inbox").await,
        0,
        "nothing of a cut-off activity is written"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_are_closed_at_once_and_counted() {
    let db = TestDb::sqlite();
    let app = TestApp::start(&db.config_with(&[
        ("DOBERMAN_HTTP__MAX_CONNECTIONS", "4"),
        ("DOBERMAN_HTTP__HEADER_TIMEOUT_SECS", "60"),
    ]))
    .await;
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut stream = connect(&app).await;
        send(&mut stream, "GET /healthz HTTP/1.1\r\nHost: x\r\n").await;
        held.push(stream);
    }
    // Each of these is accepted and closed: the server holds no descriptor for it.
    for _ in 0..20 {
        let mut extra = connect(&app).await;
        let seen = read_until_closed(&mut extra, Duration::from_secs(10)).await;
        assert_eq!(seen.as_deref(), Some(""), "closed unanswered");
    }
    drop(held);
    // Once the held ones go, the server serves again; the refusals are on /metrics.
    let mut metrics = String::new();
    for _ in 0..100 {
        if let Ok(response) = app.client.get(app.url("/metrics")).send().await {
            metrics = response.text().await.unwrap_or_default();
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The retries above may have been refused too while the held ones were closing.
    let refused: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("doberman_http_connections_refused_total "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no refusal count: {metrics}"));
    assert!(refused >= 20, "{refused}");
    app.stop().await;
}
