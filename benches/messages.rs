//! Message throughput, latency and cost of `POST /api/messages`, against Microsoft's Python Bot Framework SDK.
//!
//! Starts the release `doberman serve` with authentication on (JWKS, token endpoint and connector are a local fake
//! in this process) and drives it with signed message activities, each answered through the connector. Each
//! scenario gets a fresh Doberman, database and fake, so figures don't mix (`MESSAGES_SCENARIOS`, a comma list,
//! default `closed,open,burst,python`):
//!
//! - `closed`: concurrent clients each wait for the reply before sending again, at an instant connector: the
//!   activities/s, latency and RSS, then the same against Microsoft's Python echo bot (`benches/botbuilder`; the
//!   SDK pinned in `tests/peers/requirements.txt`, installed into `target/peer-venv` on first run), and the ratio.
//! - `open`: 40 messages/s from 2,000 personal chats, each POSTed on schedule whatever became of the earlier ones
//!   (people don't wait for each other), the connector answering after `MESSAGES_CONNECTOR_MS` and enforcing
//!   Teams' rate limits (50/s per tenant): what was accepted, answered, dropped, duplicated or throttled, latency,
//!   CPU per activity and RSS.
//! - `burst`: 3,000 messages from 2,000 chats within 3 s, far above what the tenant limit lets through, then the
//!   drain: nothing may be lost, throttled or sent twice.
//! - `python`: the open loop (half as long) against the Python echo bot, for its CPU per activity and RSS.
//!
//! Prints figures and whether targets are met; asserts nothing about them. Without `--bench` (`cargo test`) it
//! runs small versions of `closed`, `open` and `burst`.
//!
//! `cargo bench --bench messages`; `MESSAGES_N`, `MESSAGES_CONCURRENCY` (closed loop), `MESSAGES_SECONDS` (open
//! loop, default 60), `MESSAGES_CONNECTOR_MS` (default 100), `MESSAGES_DRAIN_SECONDS` (how long to wait for
//! replies after the last send, default 120) change the load.

#[allow(dead_code)]
#[path = "../tests/it/peers.rs"]
mod peers;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use peers::{APP_ID, FakeMicrosoft, TEAMS_TENANT_PER_SECOND, claims, sign};
use serde_json::json;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn rss_mib(pid: u32) -> f64 {
    status_mib(pid, "VmRSS:")
}

/// A memory figure of `/proc/<pid>/status` (`VmRSS:`, `VmHWM:`), in MiB.
fn status_mib(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// CPU time (user + system) the process has used so far, in ms.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name in parentheses may hold spaces: fields are counted after its closing parenthesis, where
    // utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => (user + system) * 1000.0 / clock_ticks_per_second(),
        _ => f64::NAN,
    }
}

/// The unit of `/proc/<pid>/stat` times.
fn clock_ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|ticks| ticks.trim().parse().ok())
            .unwrap_or(100.0)
    })
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

/// A bot under test, listening; killed when dropped so a failing scenario leaves no server behind.
struct Bot {
    child: Child,
    url: String,
    /// Holds the bot's database, removed with it.
    _dir: Option<tempfile::TempDir>,
}

impl Bot {
    /// The release `doberman serve` on a fresh SQLite database, talking to `fake` for everything Microsoft, pacing
    /// each tenant at `tenant_rate` calls per second.
    async fn doberman(fake: &FakeMicrosoft, tenant_rate: u32) -> Bot {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_doberman"))
            .arg("serve")
            .env(
                "DOBERMAN_DATABASE__URL",
                format!("sqlite://{}", dir.path().join("bench.db").display()),
            )
            .env("DOBERMAN_HTTP__LISTEN", format!("127.0.0.1:{port}"))
            .env("DOBERMAN_SCHEDULE__ENABLED", "false")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("DOBERMAN_TEAMS__APP_ID", APP_ID)
            .env("DOBERMAN_TEAMS__APP_PASSWORD", "bench-secret")
            .env("DOBERMAN_TEAMS__OPENID_METADATA_URL", fake.openid_url())
            .env("DOBERMAN_TEAMS__TOKEN_URL", fake.token_url())
            .env("DOBERMAN_TEAMS__ALLOWED_SERVICE_URLS", fake.service_url())
            .env(
                "DOBERMAN_TEAMS__TENANT_REQUESTS_PER_SECOND",
                tenant_rate.to_string(),
            )
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start doberman");
        wait_until_listening(port, &mut child, "doberman").await;
        Bot {
            child,
            url: format!("http://127.0.0.1:{port}/api/messages"),
            _dir: Some(dir),
        }
    }

    /// Microsoft's Python echo bot, run by `python`, checking tokens against `fake`.
    async fn python_echo(python: &Path, fake: &FakeMicrosoft) -> Bot {
        let port = free_port();
        let mut child = Command::new(python)
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/benches/botbuilder/echo_bot.py"
            ))
            .args([port.to_string(), APP_ID.to_owned(), fake.openid_url()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the Python echo bot");
        wait_until_listening(port, &mut child, "the Python echo bot").await;
        Bot {
            child,
            url: format!("http://127.0.0.1:{port}/api/messages"),
            _dir: None,
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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

/// The closed loop at an instant connector: Doberman's throughput against the Python echo bot's.
async fn closed(n: usize, concurrency: usize) {
    println!(
        "closed loop: {n} signed activities per bot, {concurrency} concurrent clients, each answered via the connector"
    );
    // Teams holds one tenant to 50 calls a second, and Doberman paces itself to that; this loop measures what
    // Doberman itself can do (many tenants, or a raised limit), so the pacing is raised out of the way.
    println!("  (tenant pacing raised to 10,000/s: the 0 ms connector enforces no limit here)");
    let fake = FakeMicrosoft::start().await;
    let doberman = Bot::doberman(&fake, 10_000).await;
    drive(
        &doberman.url,
        &fake,
        doberman.pid(),
        n / 10 + 1,
        concurrency,
        10_000_000,
    )
    .await;
    let ours = drive(&doberman.url, &fake, doberman.pid(), n, concurrency, 0).await;
    drop(doberman);
    print("doberman (Rust)", &ours);
    println!(
        "  targets: p99 ≤ 10 ms (ack {}, reply {}), RSS ≤ 60 MiB ({})",
        verdict(ms(ours.ack_p99) <= 10.0),
        verdict(ms(ours.reply_p99) <= 10.0),
        verdict(ours.rss_mib <= 60.0)
    );

    let Some(python) = python_venv() else {
        println!("botbuilder-python: skipped (could not install tests/peers/requirements.txt)");
        return;
    };
    let fake = FakeMicrosoft::start().await;
    let echo = Bot::python_echo(&python, &fake).await;
    let theirs_n = (n / 10).max(100);
    drive(
        &echo.url,
        &fake,
        echo.pid(),
        theirs_n / 10 + 1,
        concurrency,
        10_000_000,
    )
    .await;
    let theirs = drive(&echo.url, &fake, echo.pid(), theirs_n, concurrency, 0).await;
    drop(echo);
    print("botbuilder-python 4.17.1", &theirs);
    let ratio = ours.activities_per_s / theirs.activities_per_s;
    println!(
        "throughput ratio doberman / botbuilder-python: {ratio:.1}×  (target ≥ 20×: {})",
        verdict(ratio >= 20.0)
    );
}

/// An open-loop load: message `i`, from chat `i % chats`, is POSTed at `i / messages` of `over`, on time whatever
/// became of the earlier ones, as independent people write.
struct Load {
    /// Names the scenario in activity ids (`bench-{name}-{i}`).
    name: &'static str,
    messages: usize,
    chats: usize,
    over: Duration,
}

impl Load {
    fn describe(&self) -> String {
        format!(
            "{} messages from {} chats within {:.1} s ({:.0}/s)",
            self.messages,
            self.chats,
            self.over.as_secs_f64(),
            self.messages as f64 / self.over.as_secs_f64()
        )
    }

    fn id(&self, i: usize) -> String {
        format!("bench-{}-{i}", self.name)
    }

    /// Message `i`: "help" in a personal chat of its own user, in tenant `tenant-1`.
    fn body(&self, service_url: &str, i: usize) -> String {
        let chat = i % self.chats;
        let mut a = peers::personal_message(service_url, "help", &format!("aad-bench-{chat}"));
        a["id"] = json!(self.id(i));
        a["from"]["id"] = json!(format!("29:bench-{chat}"));
        a["conversation"]["id"] = json!(format!("a:bench-{chat}"));
        a.to_string()
    }
}

/// What became of an open-loop load. Durations are sorted.
struct Outcome {
    offered: usize,
    accepted: usize,
    /// Refused POSTs by cause (`HTTP 503`, `timeout`, ...).
    refused: BTreeMap<String, usize>,
    /// Messages whose reply reached the connector.
    answered: usize,
    /// Accepted messages never answered within the drain timeout.
    dropped: usize,
    /// Replies POSTed beyond the first, all messages together.
    duplicates: usize,
    /// 429s the connector sent the bot.
    throttled: usize,
    /// POST round trips of accepted messages.
    acks: Vec<Duration>,
    /// From POST sent to the reply's arrival at the connector.
    replies: Vec<Duration>,
    /// How late the client sent each POST against its schedule: large ones mean the client, not the bot, limits.
    send_lags: Vec<Duration>,
    /// From the last send to the last reply, when every accepted message was answered.
    drain: Option<Duration>,
    cpu_ms_per_activity: f64,
    rss_mib: f64,
    rss_peak_mib: f64,
}

/// Offers `load` to `bot`, then waits up to `drain_timeout` after the last send for every accepted message's reply.
async fn offer(bot: &Bot, fake: &FakeMicrosoft, load: &Load, drain_timeout: Duration) -> Outcome {
    let token = Arc::new(format!(
        "Bearer {}",
        sign(&claims(&fake.service_url()), "primary", "primary")
    ));
    let url = Arc::new(bot.url.clone());
    let ids: Vec<String> = (0..load.messages).map(|i| load.id(i)).collect();
    let bodies: Vec<String> = (0..load.messages)
        .map(|i| load.body(&fake.service_url(), i))
        .collect();
    // Many connections and a task per message: the client must not be what paces the load.
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(1024)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");

    let cpu_before = cpu_ms(bot.pid());
    let start = tokio::time::Instant::now();
    let mut posts = tokio::task::JoinSet::new();
    for (i, body) in bodies.into_iter().enumerate() {
        let due = start + load.over.mul_f64(i as f64 / load.messages as f64);
        tokio::time::sleep_until(due).await;
        let (client, token, url) = (client.clone(), token.clone(), url.clone());
        posts.spawn(async move {
            let sent = Instant::now();
            let lag = sent.saturating_duration_since(due.into_std());
            let status = match client
                .post(url.as_str())
                .header("authorization", token.as_str())
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
            {
                Ok(response) => {
                    let status = response.status();
                    let _ = response.bytes().await;
                    Ok(status)
                }
                Err(e) if e.is_timeout() => Err("timeout"),
                Err(e) if e.is_connect() => Err("cannot connect"),
                Err(_) => Err("transport error"),
            };
            (i, sent, lag, status, sent.elapsed())
        });
    }
    let sending_ended = Instant::now();

    let mut outcome = Outcome {
        offered: load.messages,
        accepted: 0,
        refused: BTreeMap::new(),
        answered: 0,
        dropped: 0,
        duplicates: 0,
        throttled: 0,
        acks: Vec::new(),
        replies: Vec::new(),
        send_lags: Vec::new(),
        drain: None,
        cpu_ms_per_activity: f64::NAN,
        rss_mib: f64::NAN,
        rss_peak_mib: f64::NAN,
    };
    let mut accepted = Vec::new();
    while let Some(done) = posts.join_next().await {
        let (i, sent, lag, status, ack) = done.expect("a POST task");
        outcome.send_lags.push(lag);
        match status {
            Ok(status) if status.is_success() => {
                accepted.push((i, sent));
                outcome.acks.push(ack);
            }
            Ok(status) => {
                *outcome
                    .refused
                    .entry(format!("HTTP {}", status.as_u16()))
                    .or_default() += 1
            }
            Err(cause) => *outcome.refused.entry(cause.to_owned()).or_default() += 1,
        }
    }

    let deadline = sending_ended + drain_timeout;
    loop {
        let replies = fake.first_replies();
        let all_answered = accepted.iter().all(|(i, _)| replies.contains_key(&ids[*i]));
        if all_answered || Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A moment more, for a duplicate that follows its first copy.
    tokio::time::sleep(Duration::from_secs(1)).await;

    let replies = fake.first_replies();
    let counts = fake.reply_counts();
    outcome.accepted = accepted.len();
    outcome.answered = ids.iter().filter(|id| replies.contains_key(*id)).count();
    outcome.duplicates = ids
        .iter()
        .filter_map(|id| counts.get(id))
        .map(|count| count.saturating_sub(1))
        .sum();
    outcome.throttled = fake.throttled();
    let mut last_reply = sending_ended;
    for (i, sent) in &accepted {
        match replies.get(&ids[*i]) {
            Some(&at) => {
                outcome.replies.push(at.saturating_duration_since(*sent));
                last_reply = last_reply.max(at);
            }
            None => outcome.dropped += 1,
        }
    }
    if outcome.dropped == 0 {
        outcome.drain = Some(last_reply.saturating_duration_since(sending_ended));
    }
    outcome.cpu_ms_per_activity = (cpu_ms(bot.pid()) - cpu_before) / outcome.accepted.max(1) as f64;
    outcome.rss_mib = rss_mib(bot.pid());
    outcome.rss_peak_mib = status_mib(bot.pid(), "VmHWM:");
    outcome.acks.sort();
    outcome.replies.sort();
    outcome.send_lags.sort();
    outcome
}

/// A fake Microsoft answering connector calls after `delay` and enforcing Teams' limits, as the real one would.
async fn teams_like(delay: Duration) -> FakeMicrosoft {
    let fake = FakeMicrosoft::start().await;
    fake.set_delay(delay);
    fake.enforce_teams_limits(TEAMS_TENANT_PER_SECOND);
    fake
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

/// The `p` percentile of `sorted` in ms, or `n/a` when there is none.
fn pct(sorted: &[Duration], p: f64) -> String {
    if sorted.is_empty() {
        "n/a".to_owned()
    } else {
        format!("{:.2} ms", ms(percentile(sorted, p)))
    }
}

fn figure(label: &str, value: impl std::fmt::Display) {
    println!("  {label:<34} {value}");
}

fn target(what: &str, met: bool) {
    println!("  target {what}: {}", verdict(met));
}

fn report(o: &Outcome) {
    figure("offered", o.offered);
    figure("accepted (HTTP 2xx)", o.accepted);
    figure("refused", o.refused.values().sum::<usize>());
    for (cause, n) in &o.refused {
        figure(&format!("refused: {cause}"), n);
    }
    figure("answered (reply at the connector)", o.answered);
    figure("dropped (accepted, never answered)", o.dropped);
    figure("duplicates (replies POSTed again)", o.duplicates);
    figure("429s sent to the bot", o.throttled);
    figure("ack p50", pct(&o.acks, 0.5));
    figure("ack p99", pct(&o.acks, 0.99));
    figure("reply delivered p50", pct(&o.replies, 0.5));
    figure("reply delivered p99", pct(&o.replies, 0.99));
    figure("client send lag p99", pct(&o.send_lags, 0.99));
    figure(
        "drain after the last send",
        o.drain.map_or("never complete".to_owned(), |d| {
            format!("{:.2} s", d.as_secs_f64())
        }),
    );
    figure(
        "CPU per activity",
        format!("{:.3} ms", o.cpu_ms_per_activity),
    );
    figure("RSS at the end", format!("{:.1} MiB", o.rss_mib));
    figure("RSS peak", format!("{:.1} MiB", o.rss_peak_mib));
}

/// The p99 of `sorted` is at most `limit_ms` (false when there is none).
fn p99_within(sorted: &[Duration], limit_ms: f64) -> bool {
    !sorted.is_empty() && ms(percentile(sorted, 0.99)) <= limit_ms
}

/// Offers `load` to a fresh Doberman behind a fake Teams answering after `connector` and enforcing its limits,
/// and reports what became of it.
async fn offer_doberman(
    scenario: &str,
    load: &Load,
    connector: Duration,
    drain: Duration,
) -> Outcome {
    println!(
        "{scenario}, doberman: {}; connector answers after {} ms, Teams' limits enforced ({TEAMS_TENANT_PER_SECOND}/s per tenant)",
        load.describe(),
        connector.as_millis()
    );
    let fake = teams_like(connector).await;
    let doberman = Bot::doberman(&fake, 50).await;
    let outcome = offer(&doberman, &fake, load, drain).await;
    report(&outcome);
    outcome
}

/// Scenario `open`: a steady offered rate under Teams' limits and a slow connector.
async fn open(load: &Load, connector: Duration, drain: Duration) -> Outcome {
    let outcome = offer_doberman("open loop", load, connector, drain).await;
    target("zero dropped", outcome.dropped == 0);
    target(
        "reply delivered p99 ≤ 300 ms",
        p99_within(&outcome.replies, 300.0),
    );
    target("ack p99 ≤ 10 ms", p99_within(&outcome.acks, 10.0));
    outcome
}

/// Scenario `burst`: far more at once than Teams lets through; everything must still arrive, once, unthrottled.
async fn burst(load: &Load, connector: Duration, drain: Duration) {
    let outcome = offer_doberman("burst", load, connector, drain).await;
    target("zero dropped", outcome.dropped == 0);
    target("zero 429s provoked", outcome.throttled == 0);
    target("zero duplicates", outcome.duplicates == 0);
}

/// Scenario `python`: the Python echo bot under the open loop; compared with Doberman's when `open` ran.
async fn python(load: &Load, connector: Duration, drain: Duration, ours: Option<&Outcome>) {
    let Some(python) = python_venv() else {
        println!(
            "open loop, botbuilder-python: skipped (could not install tests/peers/requirements.txt)"
        );
        return;
    };
    println!(
        "open loop, botbuilder-python 4.17.1: {}; connector answers after {} ms, Teams' limits enforced ({TEAMS_TENANT_PER_SECOND}/s per tenant)",
        load.describe(),
        connector.as_millis()
    );
    let fake = teams_like(connector).await;
    let echo = Bot::python_echo(&python, &fake).await;
    let theirs = offer(&echo, &fake, load, drain).await;
    drop(echo);
    report(&theirs);
    let Some(ours) = ours else {
        println!("  (run the `open` scenario too for the comparison with doberman)");
        return;
    };
    let ratio = ours.cpu_ms_per_activity / theirs.cpu_ms_per_activity;
    figure("CPU per activity doberman / python", format!("{ratio:.3}"));
    target("CPU per activity ratio ≤ 0.1", ratio <= 0.1);
    target("doberman RSS ≤ 100 MiB", ours.rss_mib <= 100.0);
}

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let env_or = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let scenarios: Vec<String> = std::env::var("MESSAGES_SCENARIOS")
        .unwrap_or_else(|_| {
            // The quick run under `cargo test` stays small: no Python under a slow connector.
            if benching {
                "closed,open,burst,python"
            } else {
                "closed,open,burst"
            }
            .to_owned()
        })
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    for scenario in &scenarios {
        assert!(
            ["closed", "open", "burst", "python"].contains(&scenario.as_str()),
            "unknown scenario {scenario:?} in MESSAGES_SCENARIOS (closed, open, burst, python)"
        );
    }
    let connector = Duration::from_millis(env_or("MESSAGES_CONNECTOR_MS", 100) as u64);
    let (n, concurrency) = if benching {
        (
            env_or("MESSAGES_N", 20_000),
            env_or("MESSAGES_CONCURRENCY", 16),
        )
    } else {
        (200, 4)
    };
    let (open_load, burst_load, python_load, drain) = if benching {
        let seconds = env_or("MESSAGES_SECONDS", 60).max(1);
        let open_loop = |name, seconds: usize| Load {
            name,
            messages: 40 * seconds,
            chats: 2000,
            over: Duration::from_secs(seconds as u64),
        };
        (
            open_loop("open", seconds),
            Load {
                name: "burst",
                messages: 3000,
                chats: 2000,
                over: Duration::from_secs(3),
            },
            open_loop("python", (seconds / 2).max(1)),
            Duration::from_secs(env_or("MESSAGES_DRAIN_SECONDS", 120) as u64),
        )
    } else {
        let small = |name, messages, seconds| Load {
            name,
            messages,
            chats: 50,
            over: Duration::from_secs(seconds),
        };
        (
            small("open", 80, 2),
            small("burst", 100, 1),
            small("python", 80, 2),
            Duration::from_secs(10),
        )
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let selected = |name: &str| scenarios.iter().any(|s| s == name);
        if selected("closed") {
            closed(n, concurrency).await;
        }
        let ours = if selected("open") {
            Some(open(&open_load, connector, drain).await)
        } else {
            None
        };
        if selected("burst") {
            burst(&burst_load, connector, drain).await;
        }
        if selected("python") {
            python(&python_load, connector, drain, ours.as_ref()).await;
        }
    });
}
