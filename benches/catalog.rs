//! Catalog ingest: 100,000 Glue tables of 20 columns each (50 databases of 2,000) through the collector's own
//! conversion (`collect::catalog::table_row`) and store path (one transaction per database, batched multi-row
//! upserts, then drops and the day's snapshot) into MariaDB; a second, unchanged pass as a scheduled run would
//! make it. Tables are generated as the SDK's `Table` values one database at a time, as the collector holds them.
//! Prints time, rates and peak RSS against the targets (60 s, 256 MiB); asserts nothing about them.
//!
//! `cargo bench --bench catalog` with MariaDB at `DOBERMAN_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`);
//! `CATALOG_TABLES` changes the number of tables.

use std::time::{Duration, Instant};

use aws_sdk_glue::primitives::DateTime as AwsTime;
use aws_sdk_glue::types::{Column, SerDeInfo, StorageDescriptor, Table};
use doberman::collect::catalog::table_row;
use doberman::config::Config;
use doberman::store::{CatalogScope, DatabaseRow, PartitionStats, Store};
use sqlx::{Connection, Executor};

const TARGET: Duration = Duration::from_secs(60);
const TARGET_RSS_MIB: f64 = 256.0;
const PER_DATABASE: usize = 2_000;
const COLUMNS: usize = 20;

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM line");
    kib / 1024.0
}

/// A realistic Glue table: 19 columns and a partition key, Parquet SerDe, crawler parameters.
fn glue_table(database: usize, i: usize) -> Table {
    let mut sd = StorageDescriptor::builder()
        .location(format!("s3://lake-bucket/db_{database}/table_{i}/"))
        .input_format("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat")
        .output_format("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat")
        .serde_info(
            SerDeInfo::builder()
                .serialization_library(
                    "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                )
                .build(),
        );
    for c in 0..COLUMNS - 1 {
        let ty = [
            "bigint",
            "string",
            "decimal(12,2)",
            "timestamp",
            "array<struct<k:string,v:int>>",
        ][c % 5];
        sd = sd.columns(
            Column::builder()
                .name(format!("column_{c}"))
                .r#type(ty)
                .comment(if c % 4 == 0 {
                    "고객 식별자 🐕"
                } else {
                    ""
                })
                .build()
                .expect("column"),
        );
    }
    Table::builder()
        .name(format!("table_{i:05}"))
        .database_name(format!("db_{database:02}"))
        .table_type("EXTERNAL_TABLE")
        .catalog_id("111122223333")
        .owner("data-eng")
        .create_time(AwsTime::from_secs(1_700_000_000 + i as i64))
        .update_time(AwsTime::from_secs(1_760_000_000 + i as i64))
        .parameters("classification", "parquet")
        .parameters("recordCount", (i * 1000).to_string())
        .parameters("sizeKey", (i * 4096).to_string())
        .parameters("UPDATED_BY_CRAWLER", "nightly")
        .storage_descriptor(sd.build())
        .partition_keys(
            Column::builder()
                .name("dt")
                .r#type("string")
                .build()
                .expect("key"),
        )
        .build()
        .expect("table")
}

async fn pass(store: &Store, scope: &CatalogScope, tables: usize) -> (Duration, u64) {
    let started_at = doberman::store::now();
    let start = Instant::now();
    let mut rows = 0;
    let databases = tables.div_ceil(PER_DATABASE);
    for d in 0..databases {
        let n = PER_DATABASE.min(tables - d * PER_DATABASE);
        let glue: Vec<Table> = (0..n).map(|i| glue_table(d, i)).collect();
        let converted: Vec<_> = glue
            .iter()
            .map(|t| {
                let mut row = table_row(t);
                row.partitions = Some(PartitionStats {
                    count: 365,
                    newest_values: Some(r#"["2026-11-25"]"#.to_owned()),
                    newest_created_at: Some(started_at),
                });
                row
            })
            .collect();
        drop(glue);
        rows += store
            .write_catalog_database(
                scope,
                &DatabaseRow {
                    name: format!("db_{d:02}"),
                    ..DatabaseRow::default()
                },
                &converted,
                started_at,
            )
            .await
            .expect("write a database");
    }
    let finish = store
        .finish_catalog_run(scope, started_at, started_at.date_naive())
        .await
        .expect("finish");
    (start.elapsed(), rows + finish.snapshot_rows)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let server = std::env::var("DOBERMAN_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned());
    let tables: usize = std::env::var("CATALOG_TABLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let name = format!("doberman_bench_{}", std::process::id());
    let url = format!("{}/{name}", server.trim_end_matches('/'));
    let config = Config::load_from(None, [("DOBERMAN_DATABASE__URL".to_owned(), url)])
        .expect("bench configuration");
    let store = Store::connect(&config.database)
        .await
        .expect("connect (creates the database)");
    store.migrate().await.expect("migrate");
    let scope = CatalogScope {
        account: "bench".into(),
        region: "ap-northeast-2".into(),
    };

    println!(
        "catalog ingest into MariaDB: {tables} tables x {COLUMNS} columns, {PER_DATABASE} per database"
    );
    let (first, rows) = pass(&store, &scope, tables).await;
    let rss = peak_rss_mib();
    let (second, rows2) = pass(&store, &scope, tables).await;
    let rss2 = peak_rss_mib();
    let secs = first.as_secs_f64();
    println!(
        "  first pass (all new):      {secs:>6.1} s  {:>8.0} tables/s  {:>9.0} columns/s  {rows} rows written",
        tables as f64 / secs,
        (tables * COLUMNS) as f64 / secs
    );
    println!(
        "  second pass (all re-seen): {:>6.1} s  {:>8.0} tables/s  {rows2} rows written",
        second.as_secs_f64(),
        tables as f64 / second.as_secs_f64()
    );
    println!(
        "  peak RSS: {rss:.0} MiB after the first pass, {rss2:.0} MiB after the second (target <= {TARGET_RSS_MIB} MiB)"
    );
    let worst = first.max(second);
    println!(
        "  target: <= {} s per pass: {}",
        TARGET.as_secs(),
        if worst <= TARGET && rss2 <= TARGET_RSS_MIB {
            "met"
        } else {
            "NOT met"
        }
    );

    store.close().await;
    let mut conn = sqlx::MySqlConnection::connect(&server)
        .await
        .expect("connect to drop");
    conn.execute(format!("DROP DATABASE `{name}`").as_str())
        .await
        .expect("drop the bench database");
}
