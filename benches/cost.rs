//! Cost facts into MariaDB: a month of 50 accounts x 200 services x 30 days (300,000 daily rows, and as many
//! resource rows) written the way the cost collector writes them (one transaction replacing the month), twice
//! (the second run replaces the first). Prints rows per second; asserts nothing about them.
//!
//! With `DOBERMAN_TEST_PYTHON` (the pinned venv's python), it also runs the aggregation queries in DuckDB over a
//! synthetic legacy CUR of three months (`tests/peers/cur_duckdb.py`, `CUR_SCALE=10`) and prints their time and
//! how much of the table each month's query reads: the partition pruning Athena bills by (DataScannedInBytes).
//!
//! `cargo bench --bench cost` with MariaDB at `DOBERMAN_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`).

use std::time::Instant;

use chrono::NaiveDate;
use doberman::config::Config;
use doberman::store::{AccountRow, CostRow, ResourceCostRow, Store};
use sqlx::{Connection, Executor};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let server = std::env::var("DOBERMAN_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned());
    let name = format!("doberman_bench_cost_{}", std::process::id());
    let url = format!("{}/{name}", server.trim_end_matches('/'));
    let config = Config::load_from(None, [("DOBERMAN_DATABASE__URL".to_owned(), url)])
        .expect("bench configuration");
    let store = Store::connect(&config.database).await.expect("connect");
    store.migrate().await.expect("migrate");
    let month = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let mut daily = Vec::with_capacity(300_000);
    let mut resources = Vec::with_capacity(300_000);
    for a in 0..50 {
        let account_id = format!("{:012}", 100_000_000_000u64 + a);
        for s in 0..200 {
            for d in 0..30 {
                let usage_date = month + chrono::Duration::days(d);
                let cost = format!("{:.6}", (a * 7 + s * 3 + d as u64) as f64 * 0.013);
                daily.push(CostRow {
                    billing_month: month,
                    usage_date,
                    account_id: account_id.clone(),
                    service: format!("Service{s:03}"),
                    service_name: Some(format!("AWS Service {s}")),
                    usage_type: format!("APN2-Usage-{s}"),
                    charge_type: "Usage".into(),
                    currency: "USD".into(),
                    unblended_cost: cost.clone(),
                    net_unblended_cost: Some(cost.clone()),
                    amortized_cost: cost.clone(),
                    usage_amount: 1.5,
                });
                resources.push(ResourceCostRow {
                    billing_month: month,
                    usage_date,
                    account_id: account_id.clone(),
                    service: format!("Service{s:03}"),
                    resource_id: format!(
                        "arn:aws:service{s}:ap-northeast-2:{account_id}:resource/{d}"
                    ),
                    currency: "USD".into(),
                    unblended_cost: cost.clone(),
                    amortized_cost: cost,
                });
            }
        }
    }
    let accounts: Vec<AccountRow> = (0..50)
        .map(|a| AccountRow {
            account_id: format!("{:012}", 100_000_000_000u64 + a),
            account_name: Some(format!("team-{a}")),
            team: None,
        })
        .collect();
    println!(
        "cost facts into MariaDB: 50 accounts x 200 services x 30 days = {} daily + {} resource rows",
        daily.len(),
        resources.len()
    );
    for pass in ["first run (empty month)", "second run (replaces it)"] {
        let start = Instant::now();
        let rows = store
            .replace_cost_months(
                &[month],
                &daily,
                &resources,
                &accounts,
                doberman::store::now(),
            )
            .await
            .expect("write");
        let secs = start.elapsed().as_secs_f64();
        println!(
            "  {pass:<26} {secs:>6.2} s  {:>8.0} rows/s",
            rows as f64 / secs
        );
    }
    store.close().await;
    if let Ok(python) = std::env::var("DOBERMAN_TEST_PYTHON") {
        queries_in_duckdb(&python);
    }
    let mut conn = sqlx::MySqlConnection::connect(&server)
        .await
        .expect("connect to drop");
    conn.execute(format!("DROP DATABASE `{name}`").as_str())
        .await
        .expect("drop");
}

fn queries_in_duckdb(python: &str) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let script = format!("{}/tests/peers/cur_duckdb.py", env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("cur");
    let out = Command::new(python)
        .env("CUR_SCALE", "10")
        .arg(&script)
        .args(["generate", "legacy"])
        .arg(&data)
        .output()
        .expect("generate");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let generated: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let columns = generated["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c.as_str().expect("name").to_owned())
        .collect();
    let table = doberman::collect::cost::sql::CurTable::new(
        "cur",
        "report",
        doberman::config::CurLayout::Auto,
        columns,
    )
    .expect("a CUR");
    let months = [
        NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"),
        NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
    ];
    let mut queries = Vec::new();
    for m in months {
        let d = table.daily(m);
        let r = table.resources(m, 10);
        queries.push(serde_json::json!({"name": format!("daily {m}"), "sql": d.sql, "parameters": d.parameters}));
        queries.push(serde_json::json!({"name": format!("resources {m}"), "sql": r.sql, "parameters": r.parameters}));
    }
    let mut child = Command::new(python)
        .arg(&script)
        .arg("query")
        .arg(&data)
        .args(["cur", "report"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("query");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(
            serde_json::json!({ "queries": queries })
                .to_string()
                .as_bytes(),
        )
        .expect("write");
    let out = child.wait_with_output().expect("query output");
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let bytes = generated["partition_bytes"]
        .as_object()
        .expect("partitions");
    let total: u64 = bytes.values().map(|v| v.as_u64().unwrap_or(0)).sum();
    let two: u64 = bytes
        .iter()
        .filter(|(k, _)| k.ends_with("month=10") || k.ends_with("month=11"))
        .map(|(_, v)| v.as_u64().unwrap_or(0))
        .sum();
    println!(
        "aggregation SQL in DuckDB over a synthetic legacy CUR: {} line items in 3 monthly partitions, {total} bytes of Parquet",
        generated["line_items"]
    );
    for q in &queries {
        let name = q["name"].as_str().expect("name");
        println!(
            "  {name:<22} {:>7} ms  {:>5} result rows  files read {}/{}",
            answer["results"][name]["elapsed_ms"],
            answer["results"][name]["rows"]
                .as_array()
                .map_or(0, Vec::len),
            answer["files_read"][name],
            answer["files_total"]
        );
    }
    println!(
        "  a run reads the two months' partitions: {two} of {total} bytes ({:.0}%); Athena bills DataScannedInBytes of those columns only",
        two as f64 / total as f64 * 100.0
    );
}
