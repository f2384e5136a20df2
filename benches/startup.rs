//! Startup and footprint: time from `doberman serve` to the first `/readyz` 200, idle RSS, and time to exit on
//! SIGTERM. Runs the release binary as an operator would, on a fresh SQLite file, on an existing one, and on
//! MySQL when `DOBERMAN_TEST_MYSQL_URL` is set. Prints figures; asserts nothing about them.
//!
//! `cargo bench --bench startup` (set `STARTUP_RUNS` to change the number of runs, default 10).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TARGET_READY: Duration = Duration::from_secs(1);
const TARGET_RSS_MIB: f64 = 30.0;
const IDLE: Duration = Duration::from_secs(2);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The status code of `GET path`, or None when nothing answers yet.
fn get_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.split_whitespace().nth(1)?.parse().ok()
}

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read /proc status");
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS line");
    kib / 1024.0
}

struct Sample {
    ready: Duration,
    rss_mib: f64,
    exit: Duration,
}

fn spawn(database_url: &str, port: u16) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_doberman"));
    for (name, _) in std::env::vars() {
        if name.starts_with("DOBERMAN_") {
            cmd.env_remove(name);
        }
    }
    cmd.env("DOBERMAN_SCHEDULE__ENABLED", "false")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("DOBERMAN_DATABASE__URL", database_url)
        .env("DOBERMAN_HTTP__LISTEN", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .arg("serve")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start doberman serve")
}

fn measure(database_url: &str) -> Sample {
    let port = free_port();
    let started = Instant::now();
    let mut child = spawn(database_url, port);
    let ready = loop {
        if get_status(port, "/readyz") == Some(200) {
            break started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "serve never became ready"
        );
        if let Some(status) = child.try_wait().expect("poll child") {
            panic!("serve exited early: {status}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    std::thread::sleep(IDLE);
    let rss_mib = rss_mib(child.id());
    let stopping = Instant::now();
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("send SIGTERM");
    assert!(killed.success());
    let status = child.wait().expect("wait for exit");
    assert!(status.success(), "serve exited with {status}");
    Sample {
        ready,
        rss_mib,
        exit: stopping.elapsed(),
    }
}

fn report(label: &str, mut samples: Vec<Sample>) {
    let n = samples.len();
    samples.sort_by_key(|s| s.ready);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (min, med, max) = (samples[0].ready, samples[n / 2].ready, samples[n - 1].ready);
    let mut rss: Vec<f64> = samples.iter().map(|s| s.rss_mib).collect();
    rss.sort_by(f64::total_cmp);
    let mut exits: Vec<Duration> = samples.iter().map(|s| s.exit).collect();
    exits.sort();
    println!(
        "{label:<28} serve→/readyz 200: min {:>6.1} ms  median {:>6.1} ms  max {:>6.1} ms  (target < {} ms: {})",
        ms(min),
        ms(med),
        ms(max),
        TARGET_READY.as_millis(),
        if max < TARGET_READY { "met" } else { "MISSED" }
    );
    println!(
        "{label:<28} idle RSS after {} s: min {:>5.1} MiB  median {:>5.1} MiB  max {:>5.1} MiB  (target < {TARGET_RSS_MIB} MiB: {})",
        IDLE.as_secs(),
        rss[0],
        rss[n / 2],
        rss[n - 1],
        if rss[n - 1] < TARGET_RSS_MIB {
            "met"
        } else {
            "MISSED"
        }
    );
    println!(
        "{label:<28} SIGTERM→exit: median {:>6.1} ms  max {:>6.1} ms",
        ms(exits[n / 2]),
        ms(exits[n - 1])
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and wants a quick smoke run.
    let benching = std::env::args().any(|a| a == "--bench");
    let runs: usize = if benching {
        std::env::var("STARTUP_RUNS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10)
    } else {
        1
    };
    println!("doberman startup benchmark: {runs} run(s) each, release binary, 2 s idle before RSS");

    let fresh: Vec<Sample> = (0..runs)
        .map(|_| {
            let dir = tempfile::tempdir().expect("temp dir");
            measure(&format!("sqlite://{}", dir.path().join("d.db").display()))
        })
        .collect();
    report("sqlite, new file", fresh);

    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("d.db").display());
    measure(&url);
    report(
        "sqlite, existing file",
        (0..runs).map(|_| measure(&url)).collect(),
    );

    if let Ok(server) = std::env::var("DOBERMAN_TEST_MYSQL_URL") {
        let server = server.trim_end_matches('/').to_owned();
        let name = format!("doberman_bench_{}", std::process::id());
        let url = format!("{server}/{name}");
        // The first start creates and migrates the database; the measured ones find it ready.
        measure(&url);
        let samples = (0..runs).map(|_| measure(&url)).collect();
        drop_mysql_database(&server, &name);
        report("mysql, existing database", samples);
    } else {
        println!("mysql: skipped (DOBERMAN_TEST_MYSQL_URL is not set)");
    }
}

fn drop_mysql_database(server: &str, name: &str) {
    use sqlx::{Connection, Executor};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut conn = sqlx::MySqlConnection::connect(server)
            .await
            .expect("connect to MySQL");
        conn.execute(format!("DROP DATABASE IF EXISTS `{name}`").as_str())
            .await
            .expect("drop the bench database");
    });
}
