//! Data checks at scale, as production runs them:
//! - 500 checks due at once (one schedule tick), each a `row_count_match` between two real MariaDB databases whose
//!   queries take about 100 ms (`SLEEP(0.1)`, a production source's pace rather than a local table's 1 ms), run by
//!   the checks job through `checks.concurrency`: the wall time, and the most queries in flight at once, read from
//!   MariaDB's process list every 10 ms (so the bound is observed on the server, not assumed);
//! - `checks` (the board), `check <name>` (a check's history) and one evaluation of the `quality` alert rules, with
//!   a year of results for 500 checks (182,500 rows, a twentieth of the checks failing), `CHECKS_N` times each:
//!   p50 and p95 (target for `checks`: p95 <= 50 ms).
//!
//! Prints figures; asserts nothing about them. `cargo bench --bench checks` against MariaDB at
//! `DOBERMAN_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`; databases of its own, dropped after); the
//! store on SQLite with `CHECKS_BENCH_SQLITE=1` (the sources stay on MariaDB).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use doberman::config::Config;
use doberman::store::Store;
use sqlx::{Connection, Executor, Row};

const CHECKS: usize = 500;
const DAYS: i64 = 365;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn exec(url: &str, sql: &str) {
    let mut conn = sqlx::MySqlConnection::connect(url).await.expect("connect");
    conn.execute(sql).await.expect("bench SQL");
    let _ = conn.close().await;
}

/// Polls MariaDB's process list until `stop`: the most `SLEEP` queries of `db` seen at once.
async fn watch_in_flight(
    server: String,
    db: String,
    stop: Arc<AtomicBool>,
    most: Arc<AtomicUsize>,
) {
    let mut conn = sqlx::MySqlConnection::connect(&server)
        .await
        .expect("connect");
    let sql = format!(
        "SELECT count(*) FROM information_schema.PROCESSLIST WHERE DB LIKE '{db}%' AND INFO LIKE 'SELECT SLEEP%'"
    );
    while !stop.load(Ordering::Relaxed) {
        let n: i64 = conn
            .fetch_one(sql.as_str())
            .await
            .expect("processlist")
            .get(0);
        most.fetch_max(usize::try_from(n).unwrap_or(0), Ordering::Relaxed);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let _ = conn.close().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let n: usize = std::env::var("CHECKS_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let sqlite = std::env::var("CHECKS_BENCH_SQLITE").is_ok_and(|v| v == "1");
    let server = std::env::var("DOBERMAN_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned())
        .trim_end_matches('/')
        .to_owned();
    let tag = std::process::id();
    let store_db = format!("doberman_bench_checks_{tag}");
    let (src, lake) = (
        format!("doberman_bench_src_{tag}"),
        format!("doberman_bench_lake_{tag}"),
    );
    for db in [&src, &lake] {
        exec(
            &server,
            &format!("CREATE DATABASE `{db}` CHARACTER SET utf8mb4"),
        )
        .await;
        exec(
            &format!("{server}/{db}"),
            "CREATE TABLE orders (id BIGINT PRIMARY KEY, d DATE NOT NULL, KEY (d));
             INSERT INTO orders SELECT seq, DATE '2026-12-05' - INTERVAL (seq % 30) DAY FROM seq_1_to_30000",
        )
        .await;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let store_url = if sqlite {
        format!("sqlite://{}", dir.path().join("bench.db").display())
    } else {
        format!("{server}/{store_db}")
    };
    let checks_dir = dir.path().join("checks");
    std::fs::create_dir(&checks_dir).expect("checks dir");
    let mut file = String::new();
    for i in 0..CHECKS {
        file.push_str(&format!(
            "[[check]]\nname = \"check {i:03}\"\ntable = \"sales.t{:02}\"\nkind = \"row_count_match\"\n\
             schedule = \"0 30 7 * * *\"\n[check.source]\nurl = \"{server}/{src}\"\n\
             sql = \"SELECT SLEEP(0.1) + count(*) FROM orders WHERE d = :day\"\n[check.lake]\n\
             url = \"{server}/{lake}\"\nsql = \"SELECT SLEEP(0.1) + count(*) FROM orders WHERE d = :day\"\n\n",
            i % 50
        ));
    }
    std::fs::write(checks_dir.join("bench.toml"), &file).expect("write checks");
    let morning = chrono_tz::Asia::Seoul
        .with_ymd_and_hms(2026, 12, 6, 8, 0, 0)
        .single()
        .expect("time")
        .with_timezone(&Utc);

    println!(
        "Data checks on {} (sources: two MariaDB databases, each query ~100 ms)",
        if sqlite { "SQLite" } else { "MariaDB" }
    );
    for (round, concurrency) in [4u32, 8, 16].into_iter().enumerate() {
        let config = Config::load_from(
            None,
            [
                ("DOBERMAN_DATABASE__URL".to_owned(), store_url.clone()),
                (
                    "DOBERMAN_CHECKS__DIR".to_owned(),
                    checks_dir.display().to_string(),
                ),
                (
                    "DOBERMAN_CHECKS__CONCURRENCY".to_owned(),
                    concurrency.to_string(),
                ),
            ],
        )
        .expect("bench configuration");
        let store = Store::connect(&config.database).await.expect("connect");
        store.migrate().await.expect("migrate");
        let checker = doberman::checks::Checker::new(&config, store.clone(), None);
        let stop = Arc::new(AtomicBool::new(false));
        let most = Arc::new(AtomicUsize::new(0));
        let watcher = tokio::spawn(watch_in_flight(
            server.clone(),
            "doberman_bench_".to_owned(),
            stop.clone(),
            most.clone(),
        ));
        // Each round is a new day's tick: all 500 are due.
        let started = Instant::now();
        let report = checker
            .run_due(morning + chrono::Duration::days(round as i64))
            .await
            .expect("the checks run");
        let wall = started.elapsed();
        stop.store(true, Ordering::Relaxed);
        watcher.await.expect("watcher");
        println!(
            "  500 due at once, checks.concurrency {concurrency:>2}: {:>6.2} s  {:>5.1} checks/s  \
             most queries in flight {:>2} (both sides of {} checks; at most {} connections a source)  \
             {} passed, {} failed, {} errors",
            wall.as_secs_f64(),
            CHECKS as f64 / wall.as_secs_f64(),
            most.load(Ordering::Relaxed),
            concurrency,
            concurrency.min(8),
            report.passed,
            report.failed,
            report.errors
        );
        store.close().await;
    }

    // A year of results for the 500 checks: written in bulk (as a year of runs would have left them).
    let config = Config::load_from(
        None,
        [
            ("DOBERMAN_DATABASE__URL".to_owned(), store_url.clone()),
            (
                "DOBERMAN_CHECKS__DIR".to_owned(),
                checks_dir.display().to_string(),
            ),
        ],
    )
    .expect("bench configuration");
    let store = Store::connect(&config.database).await.expect("connect");
    // Up to 2026-12-07, the last day the rounds above checked: these are the latest results.
    let first = NaiveDate::from_ymd_opt(2025, 12, 8).expect("day");
    let started = Instant::now();
    let mut rows = Vec::new();
    for i in 0..CHECKS {
        for d in 0..DAYS {
            let day = first + chrono::Duration::days(d);
            // A twentieth of the checks fail on their last 3 days.
            let failing = i % 20 == 0 && d >= DAYS - 3;
            let (status, lake) = if failing {
                ("fail", 1198)
            } else {
                ("pass", 1204)
            };
            rows.push(format!(
                "('check {i:03}', '{day}', 'bench', '{day} 22:30:00', '{status}', 1204, {lake}, {}, \
                 'lake {lake} vs erp 1204', 130, NULL)",
                lake - 1204
            ));
        }
    }
    let insert = |chunk: &[String]| {
        format!(
            "INSERT INTO fact_check_result (check_name, day_checked, version_hash, ran_at, status, source_value, \
             lake_value, difference, message, duration_ms, bytes_scanned) VALUES {} \
             {}",
            chunk.join(", "),
            if sqlite {
                "ON CONFLICT (check_name, day_checked) DO UPDATE SET status = excluded.status, \
                 lake_value = excluded.lake_value, difference = excluded.difference"
            } else {
                "ON DUPLICATE KEY UPDATE status = VALUES(status), lake_value = VALUES(lake_value), \
                 difference = VALUES(difference)"
            }
        )
    };
    let latest = "UPDATE dim_check SET last_result_id = (SELECT r.id FROM fact_check_result r WHERE \
                  r.check_name = dim_check.check_name ORDER BY r.day_checked DESC, r.ran_at DESC LIMIT 1)";
    if sqlite {
        let mut conn = sqlx::SqliteConnection::connect(&store_url)
            .await
            .expect("connect");
        for chunk in rows.chunks(2_000) {
            conn.execute(insert(chunk).as_str()).await.expect("insert");
        }
        conn.execute(latest).await.expect("latest");
        conn.execute("ANALYZE").await.expect("analyze");
    } else {
        let mut conn = sqlx::MySqlConnection::connect(&store_url)
            .await
            .expect("connect");
        for chunk in rows.chunks(2_000) {
            conn.execute(insert(chunk).as_str()).await.expect("insert");
        }
        conn.execute(latest).await.expect("latest");
        conn.execute("ANALYZE TABLE dim_check, fact_check_result")
            .await
            .expect("analyze");
    }
    println!(
        "  a year of results: {} rows written in {:.1} s",
        rows.len(),
        started.elapsed().as_secs_f64()
    );

    let view = doberman::chat::View {
        timezone: chrono_tz::Asia::Seoul,
        now: morning,
        dashboard: None,
        period: None,
        watch: doberman::chat::Watch::default(),
    };
    for case in ["checks", "check check 020"] {
        let mut times = Vec::with_capacity(n);
        for i in 0..n + 5 {
            let started = Instant::now();
            let reply = match case {
                "checks" => doberman::chat::checks::board(&store, &view).await,
                _ => doberman::chat::checks::check(&store, &view, "check 020").await,
            }
            .expect("an answer");
            if i >= 5 {
                times.push(started.elapsed());
            }
            std::hint::black_box(reply);
        }
        times.sort();
        let p95 = percentile(&times, 0.95);
        println!(
            "  {case:<22} p50 {:>6.1} ms  p95 {:>6.1} ms  (target <= 50 ms: {})",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
            if p95 <= Duration::from_millis(50) {
                "met"
            } else {
                "NOT met"
            }
        );
    }
    let engine = doberman::alerts::Alerts::new(
        store.clone(),
        doberman::alerts::Settings::from_config(&config),
    );
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..20 {
        let started = Instant::now();
        found = engine
            .findings(doberman::alerts::Topic::Quality, morning)
            .await
            .expect("findings")
            .len();
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "  quality alert rules     p50 {:>6.1} ms  p95 {:>6.1} ms  ({found} findings over {CHECKS} checks)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
    );
    store.close().await;
    for db in [&src, &lake, &store_db] {
        exec(&server, &format!("DROP DATABASE IF EXISTS `{db}`")).await;
    }
}
