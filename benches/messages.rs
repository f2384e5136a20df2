//! Message throughput and latency of `POST /api/messages`, against Microsoft's Python Bot Framework SDK.
//!
//! Starts the release `doberman serve` with authentication on (JWKS, token endpoint and connector are a local fake
//! in this process), drives it with signed message activities from concurrent clients, each answered through
//! the connector, and prints activities/s, latency percentiles and RSS. Then runs the same load against
//! Microsoft's Python echo bot (`benches/botbuilder`; the SDK pinned in `tests/peers/requirements.txt`, installed
//! into `target/peer-venv` on first run)
//! and prints the ratio. Prints figures; asserts nothing about them.
//!
//! `cargo bench --bench messages` (`MESSAGES_N`, `MESSAGES_CONCURRENCY` change the load).

#[allow(dead_code)]
#[path = "../tests/it/peers.rs"]
mod peers;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use peers::{APP_ID, FakeMicrosoft, claims, sign};
use serde_json::json;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

async fn wait_until_listening(port: u16, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited early: {status}");
        }
        assert!(Instant::now() < deadline, "{what} never listened on {port}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

struct Figures {
    activities_per_s: f64,
    ack_p50: Duration,
    ack_p99: Duration,
    reply_p50: Duration,
    reply_p99: Duration,
    rss_mib: f64,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn activity(service_url: &str, i: usize) -> serde_json::Value {
    // Many conversations, as real traffic has: Teams' per-thread limits pace each conversation.
    let mut a = peers::personal_message(service_url, "help", "aad-bench");
    a["id"] = json!(format!("bench-{i}"));
    a["conversation"]["id"] = json!(format!("a:bench-{}", i % 5000));
    a
}

/// `concurrency` clients each send an activity and wait for Doberman's reply to reach the connector before sending
/// the next (as people waiting for an answer do), `n` activities in all.
async fn drive(
    url: &str,
    fake: &FakeMicrosoft,
    pid: u32,
    n: usize,
    concurrency: usize,
    offset: usize,
) -> Figures {
    let token = Arc::new(format!(
        "Bearer {}",
        sign(&claims(&fake.service_url()), "primary", "primary")
    ));
    let bodies: Arc<Vec<String>> = Arc::new(
        (offset..offset + n)
            .map(|i| activity(&fake.service_url(), i).to_string())
            .collect(),
    );
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(concurrency)
        .build()
        .expect("client");
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (client, token, bodies, next, url, fake) = (
            client.clone(),
            token.clone(),
            bodies.clone(),
            next.clone(),
            url.to_owned(),
            fake.clone(),
        );
        tasks.spawn(async move {
            let mut timings = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= bodies.len() {
                    return timings;
                }
                let at = Instant::now();
                let response = client
                    .post(&url)
                    .header("authorization", token.as_str())
                    .header("content-type", "application/json")
                    .body(bodies[i].clone())
                    .send()
                    .await
                    .expect("request");
                let status = response.status();
                let _ = response.bytes().await;
                let ack = at.elapsed();
                assert!(status.is_success(), "HTTP {status}");
                let replied = fake
                    .wait_reply(&format!("bench-{}", i + offset), Duration::from_secs(30))
                    .await
                    .expect("a reply within 30 s");
                timings.push((ack, replied.saturating_duration_since(at)));
            }
        });
    }
    let mut acks = Vec::with_capacity(n);
    let mut replies = Vec::with_capacity(n);
    while let Some(done) = tasks.join_next().await {
        for (ack, reply) in done.expect("client task") {
            acks.push(ack);
            replies.push(reply);
        }
    }
    let elapsed = started.elapsed();
    assert_eq!(replies.len(), n, "every activity got its reply");
    acks.sort();
    replies.sort();
    Figures {
        activities_per_s: n as f64 / elapsed.as_secs_f64(),
        ack_p50: percentile(&acks, 0.5),
        ack_p99: percentile(&acks, 0.99),
        reply_p50: percentile(&replies, 0.5),
        reply_p99: percentile(&replies, 0.99),
        rss_mib: rss_mib(pid),
    }
}

fn print(label: &str, f: &Figures) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<26} {:>8.0} activities/s   ack p50 {:>6.2} ms  p99 {:>6.2} ms   reply p50 {:>6.2} ms  p99 {:>6.2} ms   RSS {:>6.1} MiB",
        f.activities_per_s,
        ms(f.ack_p50),
        ms(f.ack_p99),
        ms(f.reply_p50),
        ms(f.reply_p99),
        f.rss_mib
    );
}

/// The Python with Microsoft's SDK, from `tests/peers/python-venv.sh` (which installs it on first use).
fn python_venv() -> Option<std::path::PathBuf> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/python-venv.sh");
    let output = Command::new("bash")
        .arg(script)
        .stderr(Stdio::inherit())
        .output()
        .ok()?;
    let path = String::from_utf8(output.stdout).ok()?;
    output
        .status
        .success()
        .then(|| std::path::PathBuf::from(path.trim()))
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let env_or = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (n, concurrency) = if benching {
        (
            env_or("MESSAGES_N", 20_000),
            env_or("MESSAGES_CONCURRENCY", 16),
        )
    } else {
        (200, 4)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        println!("messages benchmark: {n} signed activities per bot, {concurrency} concurrent clients, each answered via the connector");

        let fake = FakeMicrosoft::start().await;
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let mut doberman = Command::new(env!("CARGO_BIN_EXE_doberman"))
            .arg("serve")
            .env("DOBERMAN_DATABASE__URL", format!("sqlite://{}", dir.path().join("bench.db").display()))
            .env("DOBERMAN_HTTP__LISTEN", format!("127.0.0.1:{port}"))
            .env("DOBERMAN_SCHEDULE__ENABLED", "false")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("DOBERMAN_TEAMS__APP_ID", APP_ID)
            .env("DOBERMAN_TEAMS__APP_PASSWORD", "bench-secret")
            .env("DOBERMAN_TEAMS__OPENID_METADATA_URL", fake.openid_url())
            .env("DOBERMAN_TEAMS__TOKEN_URL", fake.token_url())
            .env("DOBERMAN_TEAMS__ALLOWED_SERVICE_URLS", fake.service_url())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start doberman");
        wait_until_listening(port, &mut doberman, "doberman").await;
        let url = format!("http://127.0.0.1:{port}/api/messages");
        drive(&url, &fake, doberman.id(), n / 10 + 1, concurrency, 10_000_000).await;
        let ours = drive(&url, &fake, doberman.id(), n, concurrency, 0).await;
        let _ = doberman.kill();
        let _ = doberman.wait();
        print("doberman (Rust)", &ours);
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "  targets: p99 ≤ 10 ms (ack {}, reply {}), RSS ≤ 60 MiB ({})",
            if ms(ours.ack_p99) <= 10.0 { "met" } else { "MISSED" },
            if ms(ours.reply_p99) <= 10.0 { "met" } else { "MISSED" },
            if ours.rss_mib <= 60.0 { "met" } else { "MISSED" }
        );

        let Some(python) = python_venv() else {
            println!("botbuilder-python: skipped (could not install tests/peers/requirements.txt)");
            return;
        };
        let fake = FakeMicrosoft::start().await;
        let port = free_port();
        let mut echo = Command::new(python)
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/botbuilder/echo_bot.py"))
            .args([port.to_string(), APP_ID.to_owned(), fake.openid_url()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the Python echo bot");
        wait_until_listening(port, &mut echo, "the Python echo bot").await;
        let url = format!("http://127.0.0.1:{port}/api/messages");
        let theirs_n = (n / 10).max(100);
        drive(&url, &fake, echo.id(), theirs_n / 10 + 1, concurrency, 10_000_000).await;
        let theirs = drive(&url, &fake, echo.id(), theirs_n, concurrency, 0).await;
        let _ = echo.kill();
        let _ = echo.wait();
        print("botbuilder-python 4.17.1", &theirs);
        let ratio = ours.activities_per_s / theirs.activities_per_s;
        println!(
            "throughput ratio doberman / botbuilder-python: {ratio:.1}×  (target ≥ 20×: {})",
            if ratio >= 20.0 { "met" } else { "MISSED" }
        );
    });
}
