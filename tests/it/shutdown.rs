//! Graceful shutdown: stop accepting, finish what is in flight, return.

use std::time::{Duration, Instant};

use crate::support::{TestApp, TestDb, run_on_mysql_via_proxy, two_backends};

async fn shutdown_returns_promptly_and_refuses_new_connections(db: TestDb) {
    let app = TestApp::start(&db.config()).await;
    let addr = app.addr;
    // Leave an idle keep-alive connection open in the client's pool.
    assert_eq!(app.get("/healthz").await.0, 200);

    let started = Instant::now();
    app.stop().await;

    assert!(
        started.elapsed() < Duration::from_secs(5),
        "idle connections do not hold shutdown for the grace period: {:?}",
        started.elapsed()
    );
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no new connections after shutdown"
    );
}
two_backends!(shutdown_returns_promptly_and_refuses_new_connections);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs MySQL: set DOBERMAN_TEST_MYSQL_URL and pass -- --include-ignored"]
async fn shutdown_lets_an_in_flight_request_finish() {
    run_on_mysql_via_proxy(|db, proxy| async move {
        let app = TestApp::start(&db.config()).await;
        // A first check warms the pool: the one in flight below need not also open a connection through the
        // slowed proxy while the start-up reads (claims, leases, the inbox sweep) hold the others.
        assert_eq!(app.get("/readyz").await.0, 200);
        // Every chunk to and from MySQL now waits: a readiness check takes several round trips.
        proxy.set_delay(Duration::from_millis(150));
        let request = tokio::spawn({
            let (client, url) = (app.client.clone(), app.url("/readyz"));
            async move {
                let response = client
                    .get(url)
                    .send()
                    .await
                    .expect("response despite shutdown");
                let status = response.status().as_u16();
                (
                    status,
                    Instant::now(),
                    response.text().await.unwrap_or_default(),
                )
            }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;

        let shutdown_at = Instant::now();
        let addr = app.addr;
        app.stop().await;
        let (status, answered_at, body) = request.await.expect("request task");

        assert_eq!(
            status, 200,
            "the in-flight request completed normally: {body}"
        );
        assert!(
            answered_at > shutdown_at,
            "the request was still in flight when shutdown began"
        );
        assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    })
    .await;
}
