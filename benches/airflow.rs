//! The Airflow collector and answers at scale: 500 DAGs, 1,000,000 DAG runs and 200,000 failed task tries over 90
//! days, served by a fast local fake of Airflow 3's REST API (v2) that pages as Airflow does (at most 100 items a
//! page, `total_entries`, `updated_at_gte`, `order_by=id`), generated on the fly. Measured, as production runs it:
//! - the first collection (every run of 90 days) through the real collector and runner into the store, and the
//!   process's peak RSS after it (the fake's share is small: it holds no data);
//! - an incremental collection when 200 runs changed (target <= 5 s);
//! - `airflow`, `airflow failed 7d` and `airflow dag <id>` answered from the store (reads and card), `AIRFLOW_N`
//!   times each: p50 and p95 (targets <= 50 ms); `airflow heatmap 30d` with its image (target <= 150 ms);
//! - one evaluation of the `airflow` alert rules over the 500 DAGs (no target; a tenth of the DAGs fail);
//! - the plan of each read, so the figures show which index each one uses.
//!
//! Prints figures; asserts nothing about them. `cargo bench --bench airflow` against MariaDB at
//! `DOBERMAN_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`, a database of its own, dropped after), or
//! SQLite with `AIRFLOW_BENCH_SQLITE=1`; `AIRFLOW_RUNS` changes the number of runs.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use doberman::collect::{Job, RunOutcome, Trigger};
use doberman::config::Config;
use doberman::store::Store;
use serde_json::{Value, json};
use sqlx::{Connection, Executor, Row};
use tokio_util::sync::CancellationToken;

const DAGS: u64 = 500;
const PAGE: u64 = 100;
/// Every fifth run failed, with one failed try.
const FAIL_EVERY: u64 = 5;
const CHANGED: u64 = 200;

/// The fake's world: run `i` of `runs` starts at `t0 + i * step`.
struct Lake {
    runs: u64,
    t0: DateTime<Utc>,
    step_ms: i64,
    /// After the first collection: 200 runs changed just now.
    changed: AtomicBool,
    now: DateTime<Utc>,
}

impl Lake {
    fn started(&self, i: u64) -> DateTime<Utc> {
        self.t0 + chrono::Duration::milliseconds(self.step_ms * i as i64)
    }
    /// Monotonic in `i`: a run is last updated an hour after its start at the latest.
    fn updated(&self, i: u64) -> DateTime<Utc> {
        self.started(i) + chrono::Duration::hours(1)
    }
    fn first_updated_since(&self, since: DateTime<Utc>) -> u64 {
        let (mut lo, mut hi) = (0, self.runs);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.updated(mid) >= since {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }
    fn changed_ids(&self) -> Vec<u64> {
        (0..CHANGED).map(|k| k * (self.runs / CHANGED)).collect()
    }
    fn run(&self, i: u64) -> Value {
        let start = self.started(i);
        let end = start + chrono::Duration::seconds(60 + (i * 7_919 % 3_000) as i64);
        let changed = self.changed.load(Ordering::Relaxed) && i.is_multiple_of(self.runs / CHANGED);
        let state = if i.is_multiple_of(FAIL_EVERY) && !changed {
            "failed"
        } else {
            "success"
        };
        let run_type = match i % 100 {
            0 => "backfill",
            50 => "manual",
            _ => "scheduled",
        };
        json!({
            "dag_run_id": format!("{run_type}__{i}"),
            "dag_id": format!("dag_{:03}", i % DAGS),
            "logical_date": start.to_rfc3339(),
            "run_after": start.to_rfc3339(),
            "queued_at": start.to_rfc3339(),
            "start_date": start.to_rfc3339(),
            "end_date": end.to_rfc3339(),
            "run_type": run_type,
            "state": state,
        })
    }
}

fn page(
    total: u64,
    offset: u64,
    limit: u64,
    key: &str,
    item: impl Fn(u64) -> Value,
) -> axum::Json<Value> {
    let items: Vec<Value> = (offset..total.min(offset + limit)).map(item).collect();
    axum::Json(json!({"total_entries": total, key: items}))
}

fn paging(q: &HashMap<String, String>) -> (u64, u64, Option<DateTime<Utc>>) {
    let limit = q
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(50)
        .min(PAGE);
    let offset = q.get("offset").and_then(|o| o.parse().ok()).unwrap_or(0);
    let since = q
        .get("updated_at_gte")
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc));
    (limit, offset, since)
}

async fn fake(lake: Arc<Lake>) -> String {
    let app = axum::Router::new()
        .route(
            "/api/v2/version",
            axum::routing::get(|| async { axum::Json(json!({"version": "3.1.8"})) }),
        )
        .route(
            "/auth/token",
            axum::routing::post(|| async {
                (
                    axum::http::StatusCode::CREATED,
                    axum::Json(json!({"access_token": "bench"})),
                )
            }),
        )
        .route(
            "/api/v2/dags",
            axum::routing::get(
                |State(lake): State<Arc<Lake>>, Query(q): Query<HashMap<String, String>>| async move {
                    let (limit, offset, _) = paging(&q);
                    page(DAGS, offset, limit, "dags", |d| {
                        json!({"dag_id": format!("dag_{d:03}"), "owners": ["data-eng"], "tags": [{"name": "bench"}],
                               "timetable_summary": "@hourly", "timetable_description": "At the start of every hour",
                               "is_paused": d % 50 == 0, "is_stale": false, "has_import_errors": false,
                               "next_dagrun_run_after": (lake.now + chrono::Duration::minutes(30)).to_rfc3339(),
                               "fileloc": format!("/dags/dag_{d:03}.py")})
                    })
                },
            ),
        )
        .route(
            "/api/v2/dags/~/dagRuns",
            axum::routing::get(
                |State(lake): State<Arc<Lake>>, Query(q): Query<HashMap<String, String>>| async move {
                    let (limit, offset, since) = paging(&q);
                    let first = since.map_or(0, |s| lake.first_updated_since(s));
                    // By id: the changed runs (all older than `first`), then every run updated since.
                    let changed: Vec<u64> = if lake.changed.load(Ordering::Relaxed) {
                        lake.changed_ids().into_iter().filter(|i| *i < first).collect()
                    } else {
                        Vec::new()
                    };
                    let total = changed.len() as u64 + (lake.runs - first);
                    page(total, offset, limit, "dag_runs", |k| {
                        let i = changed
                            .get(k as usize)
                            .copied()
                            .unwrap_or(first + k - changed.len() as u64);
                        lake.run(i)
                    })
                },
            ),
        )
        .route(
            "/api/v2/dags/~/dagRuns/~/taskInstances",
            axum::routing::get(
                |State(lake): State<Arc<Lake>>, Query(q): Query<HashMap<String, String>>| async move {
                    let (limit, offset, since) = paging(&q);
                    let first_run = since.map_or(0, |s| lake.first_updated_since(s));
                    let first = first_run.div_ceil(FAIL_EVERY);
                    // Every try here failed: asked for another state (up_for_retry), there is none.
                    let total = if q.get("state").is_none_or(|s| s == "failed") {
                        lake.runs.div_ceil(FAIL_EVERY) - first
                    } else {
                        0
                    };
                    page(total, offset, limit, "task_instances", |k| {
                        let i = (first + k) * FAIL_EVERY;
                        let run = lake.run(i);
                        let start = lake.started(i) + chrono::Duration::seconds(20);
                        json!({"dag_id": run["dag_id"], "dag_run_id": run["dag_run_id"], "task_id": "load",
                               "map_index": -1, "try_number": 2, "state": "failed", "operator": "PythonOperator",
                               "start_date": start.to_rfc3339(),
                               "end_date": (start + chrono::Duration::seconds(30)).to_rfc3339()})
                    })
                },
            ),
        )
        .route(
            "/api/v2/importErrors",
            axum::routing::get(|| async { axum::Json(json!({"total_entries": 0, "import_errors": []})) }),
        )
        .with_state(lake);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    format!("http://{addr}")
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .expect("VmHWM line")
        / 1024.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn collect(runner: &doberman::collect::Runner) -> (Duration, u64) {
    let started = Instant::now();
    match runner
        .run(Job::Airflow, Trigger::Manual, &CancellationToken::new())
        .await
    {
        RunOutcome::Succeeded(report) => (started.elapsed(), report.rows_written),
        other => panic!("the collection did not succeed: {other:?}"),
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let runs: u64 = std::env::var("AIRFLOW_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let n: usize = std::env::var("AIRFLOW_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let sqlite = std::env::var("AIRFLOW_BENCH_SQLITE").is_ok_and(|v| v == "1");
    let server = std::env::var("DOBERMAN_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned());
    let name = format!("doberman_bench_airflow_{}", std::process::id());
    let dir = tempfile::tempdir().expect("temp dir");
    let url = if sqlite {
        format!("sqlite://{}", dir.path().join("bench.db").display())
    } else {
        format!("{}/{name}", server.trim_end_matches('/'))
    };

    let now = Utc::now();
    let lake = Arc::new(Lake {
        runs,
        t0: now - chrono::Duration::days(91),
        step_ms: 90 * 86_400_000 / runs as i64,
        changed: AtomicBool::new(false),
        now,
    });
    let airflow = fake(lake.clone()).await;
    let instances =
        json!([{"name": "prod", "url": airflow, "username": "doberman", "password": "bench"}]);
    let config = Config::load_from(
        None,
        [
            ("DOBERMAN_DATABASE__URL".to_owned(), url),
            (
                "DOBERMAN_AIRFLOW__INSTANCES".to_owned(),
                instances.to_string(),
            ),
            (
                "DOBERMAN_AIRFLOW__HISTORY_DAYS".to_owned(),
                "100".to_owned(),
            ),
        ],
    )
    .expect("bench configuration");
    let store = Store::connect(&config.database)
        .await
        .expect("connect (creates the database)");
    store.migrate().await.expect("migrate");
    let runner = doberman::app::runner(&config, &store, Arc::new(doberman::collect::Silent));

    println!(
        "Airflow at scale on {}: {DAGS} DAGs, {runs} runs and {} failed tries over 90 days, pages of {PAGE}",
        if sqlite { "SQLite" } else { "MariaDB" },
        runs.div_ceil(FAIL_EVERY)
    );
    let (first, rows) = collect(&runner).await;
    let rss = peak_rss_mib();
    println!(
        "  first collection:        {:>7.1} s  {:>8.0} runs/s  {rows} rows written  peak RSS {rss:.0} MiB",
        first.as_secs_f64(),
        runs as f64 / first.as_secs_f64()
    );
    lake.changed.store(true, Ordering::Relaxed);
    let (incremental, rows) = collect(&runner).await;
    println!(
        "  incremental, {CHANGED} changed: {:>7.2} s  {rows} rows written  (target <= 5 s: {})",
        incremental.as_secs_f64(),
        if incremental <= Duration::from_secs(5) {
            "met"
        } else {
            "NOT met"
        }
    );

    let view = doberman::chat::View {
        timezone: chrono_tz::Asia::Seoul,
        now: doberman::clock::now(),
        dashboard: None,
        period: None,
        watch: doberman::chat::Watch::default(),
    };
    let late = chrono::Duration::minutes(30);
    for case in [
        "airflow",
        "airflow failed 7d",
        "airflow dag dag_042",
        "airflow heatmap 30d",
    ] {
        let mut times = Vec::with_capacity(n);
        for i in 0..n + 5 {
            let started = Instant::now();
            let reply = match case {
                "airflow" => doberman::chat::airflow::board(&store, &view, late).await,
                "airflow failed 7d" => doberman::chat::airflow::failed(&store, &view, 24 * 7).await,
                "airflow heatmap 30d" => {
                    doberman::chat::airflow::heatmap(&store, &view, 30, None).await
                }
                _ => doberman::chat::airflow::dag(&store, &view, "dag_042").await,
            }
            .expect("an answer");
            if i >= 5 {
                times.push(started.elapsed());
            }
            std::hint::black_box(reply);
        }
        times.sort();
        let p95 = percentile(&times, 0.95);
        let target = if case.contains("heatmap") { 150 } else { 50 };
        println!(
            "  {case:<22} p50 {:>6.1} ms  p95 {:>6.1} ms  (target <= {target} ms: {})",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
            if p95 <= Duration::from_millis(target) {
                "met"
            } else {
                "NOT met"
            }
        );
    }
    {
        let engine = doberman::alerts::Alerts::new(
            store.clone(),
            doberman::alerts::Settings::from_config(&config),
        );
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..10 {
            let started = Instant::now();
            found = engine
                .findings(doberman::alerts::Topic::Airflow, doberman::clock::now())
                .await
                .expect("findings")
                .len();
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "  airflow alert rules     p50 {:>6.1} ms  p95 {:>6.1} ms  ({found} findings over {DAGS} DAGs)",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.95).as_secs_f64() * 1e3,
        );
    }

    // The plans of the reads behind those answers.
    let since = (Utc::now() - chrono::Duration::days(1))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let until = Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let reads = [
        (
            "latest run per DAG",
            "SELECT r.id FROM dim_airflow_dag d JOIN fact_airflow_dag_run r ON r.id = d.latest_run_id WHERE \
             d.dropped_at IS NULL"
                .to_owned(),
        ),
        (
            "today's runs by state",
            format!(
                "SELECT state FROM fact_airflow_dag_run WHERE started_at >= '{since}' AND run_type <> 'backfill'"
            ),
        ),
        (
            "failed runs since",
            format!(
                "SELECT id FROM fact_airflow_dag_run WHERE started_at >= '{since}' AND state = 'failed' ORDER BY \
                 started_at DESC LIMIT 26"
            ),
        ),
        (
            "a DAG's runs",
            "SELECT id FROM fact_airflow_dag_run WHERE instance = 'prod' AND dag_id = 'dag_042' ORDER BY \
             run_after DESC LIMIT 20"
                .to_owned(),
        ),
        (
            "a failed try's run, by key",
            if sqlite {
                "SELECT id FROM fact_airflow_dag_run WHERE (instance, dag_id, run_id) IN (VALUES ('prod', \
                 'dag_000', 'backfill__0'), ('prod', 'dag_005', 'scheduled__5'))"
            } else {
                "SELECT id FROM fact_airflow_dag_run WHERE (instance = 'prod' AND dag_id = 'dag_000' AND run_id = \
                 'backfill__0') OR (instance = 'prod' AND dag_id = 'dag_005' AND run_id = 'scheduled__5')"
            }
            .to_owned(),
        ),
        (
            "the heatmap's month",
            format!(
                "SELECT instance, hour_utc, runs, run_secs FROM fact_airflow_run_hour WHERE hour_utc >= '{since}' \
                 AND hour_utc < '{until}'"
            ),
        ),
        (
            "failed tries of runs",
            "SELECT task_id FROM fact_airflow_task_failure WHERE dag_run_id IN (1, 2, 3) AND state = 'failed'"
                .to_owned(),
        ),
    ];
    for (what, sql) in reads {
        let plan = if sqlite {
            let mut conn = sqlx::SqliteConnection::connect(config.database.url.expose())
                .await
                .expect("open");
            sqlx::query(&format!("EXPLAIN QUERY PLAN {sql}"))
                .fetch_all(&mut conn)
                .await
                .expect("explain")
                .iter()
                .map(|r| r.get::<String, _>(3))
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            let mut conn = sqlx::MySqlConnection::connect(config.database.url.expose())
                .await
                .expect("open");
            sqlx::query(&format!("EXPLAIN {sql}"))
                .fetch_all(&mut conn)
                .await
                .expect("explain")
                .iter()
                .map(|r| {
                    format!(
                        "{} {} key={}",
                        r.try_get::<String, _>("table").unwrap_or_default(),
                        r.try_get::<String, _>("type").unwrap_or_default(),
                        r.try_get::<Option<String>, _>("key")
                            .ok()
                            .flatten()
                            .unwrap_or_else(|| "-".into())
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        println!("  plan, {what}: {plan}");
    }

    store.close().await;
    if !sqlite {
        let mut conn = sqlx::MySqlConnection::connect(&server)
            .await
            .expect("connect to drop");
        conn.execute(format!("DROP DATABASE `{name}`").as_str())
            .await
            .expect("drop the bench database");
    }
}
