//! The collectors end to end: moto (an account of each test's own) → the runner → the store, on SQLite and on
//! MySQL.

use std::sync::Arc;
use std::time::Duration;

use doberman::collect::{Job, RunOutcome, Trigger};
use tokio_util::sync::CancellationToken;

use crate::lake::{FaultProxy, Lake, runner};
use crate::support::{TestDb, two_backends};

fn succeeded(outcome: RunOutcome) -> doberman::collect::RunReport {
    match outcome {
        RunOutcome::Succeeded(report) => report,
        other => panic!("expected the run to succeed, got {other:?}"),
    }
}

/// Three databases, 260 tables: `sales` pages (GetTables returns 100 a page), a partitioned table, an Iceberg
/// table, a view, and Korean text.
async fn seed_catalog(lake: &Lake) {
    lake.create_database("sales", "판매 데이터 🛒").await;
    lake.create_database("web", "").await;
    lake.create_database("ops", "").await;
    lake.create_table(
        "sales",
        "orders",
        &[
            ("order_id", "bigint", "주문 번호"),
            ("amount", "decimal(12,2)", ""),
            ("memo", "string", "메모 📝"),
        ],
        &["dt"],
        "EXTERNAL_TABLE",
        &[("classification", "parquet"), ("recordCount", "1200")],
    )
    .await;
    lake.create_partitions(
        "sales",
        "orders",
        &["2026-11-23", "2026-11-24", "2026-11-25"],
    )
    .await;
    for i in 0..230 {
        lake.create_table(
            "sales",
            &format!("t{i:03}"),
            &[("id", "bigint", ""), ("name", "string", "")],
            &[],
            "EXTERNAL_TABLE",
            &[],
        )
        .await;
    }
    lake.create_table(
        "web",
        "events",
        &[("event_id", "string", ""), ("ts", "timestamp", "")],
        &[],
        "EXTERNAL_TABLE",
        &[
            ("table_type", "ICEBERG"),
            ("metadata_location", "s3://lake/events/metadata/00001.json"),
        ],
    )
    .await;
    lake.create_table(
        "web",
        "daily_visits",
        &[("day", "date", ""), ("visits", "bigint", "")],
        &[],
        "VIRTUAL_VIEW",
        &[("presto_view", "true")],
    )
    .await;
    for i in 0..27 {
        lake.create_table(
            "ops",
            &format!("job_{i}"),
            &[("id", "int", "")],
            &[],
            "EXTERNAL_TABLE",
            &[],
        )
        .await;
    }
}

async fn a_catalog_run_stores_databases_tables_columns_and_partitions(db: TestDb) {
    let lake = Lake::new().await;
    seed_catalog(&lake).await;
    let config = lake.config(&db, &lake.url, &[]);
    let store = db.store().await;
    store.migrate().await.expect("migrate");

    let report = succeeded(
        runner(&config, &store)
            .run(Job::Catalog, Trigger::Manual, &CancellationToken::new())
            .await,
    );

    assert_eq!(
        db.number("SELECT COUNT(*) FROM dim_database WHERE dropped_at IS NULL")
            .await,
        3
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM dim_table WHERE database_name = 'sales'")
            .await,
        231,
        "every page of GetTables"
    );
    assert_eq!(db.number("SELECT COUNT(*) FROM dim_table").await, 260);
    assert_eq!(
        db.strings("SELECT description FROM dim_database WHERE database_name = 'sales'")
            .await,
        ["판매 데이터 🛒"]
    );
    assert_eq!(
        db.strings(
            "SELECT CAST(column_name AS CHAR) FROM dim_column c JOIN dim_table t ON t.id = c.table_id \
             WHERE t.table_name = 'orders' ORDER BY c.ordinal"
        )
        .await,
        ["order_id", "amount", "memo", "dt"],
        "columns, then partition keys"
    );
    assert_eq!(
        db.strings(
            "SELECT column_comment FROM dim_column c JOIN dim_table t ON t.id = c.table_id \
             WHERE t.table_name = 'orders' AND c.column_name = 'memo'"
        )
        .await,
        ["메모 📝"]
    );
    assert_eq!(
        db.strings(
            "SELECT CAST(partition_count AS CHAR) FROM dim_table WHERE table_name = 'orders'"
        )
        .await,
        ["3"]
    );
    assert_eq!(
        db.strings("SELECT newest_partition_values FROM dim_table WHERE table_name = 'orders'")
            .await,
        [r#"["2026-11-25"]"#],
        "the most recently created partition"
    );
    assert_eq!(
        db.number(
            "SELECT COUNT(*) FROM dim_table WHERE table_name = 'orders' \
             AND data_changed_at = newest_partition_created_at AND data_changed_at > created_at"
        )
        .await,
        1,
        "freshness follows the newest partition"
    );
    assert_eq!(
        db.strings(
            "SELECT table_format FROM dim_table WHERE database_name = 'web' ORDER BY table_name"
        )
        .await,
        ["view", "iceberg"],
        "daily_visits is a view, events is Iceberg"
    );
    assert_eq!(
        db.strings("SELECT classification FROM dim_table WHERE table_name = 'orders'")
            .await,
        ["parquet"]
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM fact_table_snapshot_daily")
            .await,
        260,
        "one snapshot row per table for today"
    );
    assert_eq!(
        db.strings("SELECT CAST(record_count AS CHAR) FROM fact_table_snapshot_daily WHERE table_name = 'orders'")
            .await,
        ["1200"]
    );
    let runs = store
        .recent_job_runs(Some("catalog"), 5)
        .await
        .expect("runs");
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].status.as_str(), "succeeded");
    assert_eq!(
        runs[0].rows_written,
        i64::try_from(report.rows_written).expect("fits")
    );
    assert!(report.rows_written > 260 + 3, "{report:?}");
    assert!(
        report.notes[0].contains("3 databases, 260 tables"),
        "{report:?}"
    );
}
two_backends!(
    a_catalog_run_stores_databases_tables_columns_and_partitions,
    moto
);

async fn a_later_run_marks_what_disappeared_and_keeps_it(db: TestDb) {
    let lake = Lake::new().await;
    lake.create_database("sales", "").await;
    lake.create_database("old", "").await;
    lake.create_table(
        "old",
        "legacy",
        &[("id", "int", "")],
        &[],
        "EXTERNAL_TABLE",
        &[],
    )
    .await;
    lake.create_table(
        "sales",
        "orders",
        &[("id", "bigint", ""), ("coupon", "string", "")],
        &["dt"],
        "EXTERNAL_TABLE",
        &[],
    )
    .await;
    lake.create_partitions("sales", "orders", &["2026-11-24"])
        .await;
    lake.create_table(
        "sales",
        "scratch",
        &[("id", "int", "")],
        &[],
        "EXTERNAL_TABLE",
        &[],
    )
    .await;
    let config = lake.config(&db, &lake.url, &[]);
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let runner = runner(&config, &store);
    let cancel = CancellationToken::new();
    succeeded(runner.run(Job::Catalog, Trigger::Manual, &cancel).await);

    lake.delete_table("sales", "scratch").await;
    lake.delete_table("old", "legacy").await;
    lake.delete_database("old").await;
    lake.update_table("sales", "orders", &[("id", "bigint", "")], &["dt"])
        .await;
    lake.create_partitions("sales", "orders", &["2026-11-25"])
        .await;
    succeeded(runner.run(Job::Catalog, Trigger::Manual, &cancel).await);

    assert_eq!(
        db.strings(
            "SELECT table_name FROM dim_table WHERE dropped_at IS NOT NULL ORDER BY table_name"
        )
        .await,
        ["legacy", "scratch"],
        "dropped tables are kept, marked"
    );
    assert_eq!(
        db.strings("SELECT database_name FROM dim_database WHERE dropped_at IS NOT NULL")
            .await,
        ["old"]
    );
    assert_eq!(
        db.strings("SELECT CAST(column_name AS CHAR) FROM dim_column WHERE dropped_at IS NOT NULL ORDER BY column_name")
            .await,
        ["coupon", "id", "id"],
        "the dropped column of orders, and the columns of the two dropped tables"
    );
    assert_eq!(
        db.strings(
            "SELECT CAST(partition_count AS CHAR) FROM dim_table WHERE table_name = 'orders'"
        )
        .await,
        ["2"],
        "a changed table has its partitions counted again"
    );
    assert_eq!(
        db.strings("SELECT table_name FROM fact_table_snapshot_daily ORDER BY table_name")
            .await,
        ["orders"],
        "today's snapshot holds only what exists"
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM dim_table WHERE dropped_at IS NULL")
            .await,
        1
    );
}
two_backends!(a_later_run_marks_what_disappeared_and_keeps_it, moto);

async fn a_failing_aws_call_fails_the_run_and_leaves_no_snapshot(db: TestDb) {
    let lake = Lake::new().await;
    lake.create_database("a_first", "").await;
    lake.create_database("b_broken", "").await;
    lake.create_table(
        "a_first",
        "kept",
        &[("id", "int", "")],
        &[],
        "EXTERNAL_TABLE",
        &[],
    )
    .await;
    lake.create_table(
        "b_broken",
        "lost",
        &[("id", "int", "")],
        &[],
        "EXTERNAL_TABLE",
        &[],
    )
    .await;
    let proxy = FaultProxy::start(&lake.url).await;
    proxy.fail("AWSGlue.GetTables", "b_broken", "AccessDeniedException");
    let config = lake.config(&db, &proxy.url, &[]);
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let runner = runner(&config, &store);
    let cancel = CancellationToken::new();

    let outcome = runner.run(Job::Catalog, Trigger::Manual, &cancel).await;

    let RunOutcome::Failed(error) = outcome else {
        panic!("expected a failure, got {outcome:?}")
    };
    assert!(error.contains("b_broken"), "names the database: {error}");
    assert!(error.contains("glue:GetTables"), "names the call: {error}");
    assert!(
        error.contains("AccessDenied"),
        "says what AWS said: {error}"
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM fact_table_snapshot_daily")
            .await,
        0,
        "no snapshot of a partial catalog"
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM dim_table WHERE dropped_at IS NOT NULL")
            .await,
        0,
        "nothing is called dropped by a run that did not see everything"
    );
    let runs = store
        .recent_job_runs(Some("catalog"), 1)
        .await
        .expect("runs");
    assert_eq!(runs[0].status.as_str(), "failed");
    assert!(
        runs[0]
            .error_text
            .as_deref()
            .is_some_and(|e| e.contains("b_broken"))
    );

    proxy.heal();
    succeeded(runner.run(Job::Catalog, Trigger::Manual, &cancel).await);
    assert_eq!(
        db.number("SELECT COUNT(*) FROM fact_table_snapshot_daily")
            .await,
        2
    );
}
two_backends!(
    a_failing_aws_call_fails_the_run_and_leaves_no_snapshot,
    moto
);

/// 120 queries in a work group (three pages of ids, three detail batches): reads, writes, an unparsable one,
/// Korean, a long one.
async fn seed_history(lake: &Lake, work_group: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let sql = match i % 4 {
            0 => format!(
                "SELECT o.*, c.name FROM orders o JOIN customers c ON o.cid = c.id WHERE o.id = {i} -- 주문 🐕"
            ),
            1 => "INSERT INTO sales.daily SELECT dt, SUM(amount) FROM sales.orders GROUP BY dt"
                .to_owned(),
            2 => format!("SELECT '{}' AS padding FROM web.events", "x".repeat(200)),
            _ => "SELEC broken (((".to_owned(),
        };
        ids.push(lake.query(work_group, "sales", &sql).await);
    }
    ids
}

async fn query_history_is_stored_once_with_its_tables_and_a_daily_roll_up(db: TestDb) {
    let lake = Lake::new().await;
    lake.create_work_group("analysts").await;
    seed_history(&lake, "analysts", 120).await;
    let config = lake.config(&db, &lake.url, &[("DOBERMAN_USAGE__MAX_SQL_BYTES", "100")]);
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let runner = runner(&config, &store);
    let cancel = CancellationToken::new();

    let first = succeeded(runner.run(Job::Usage, Trigger::Manual, &cancel).await);

    assert_eq!(
        db.number("SELECT COUNT(*) FROM fact_athena_query").await,
        120
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM fact_athena_query WHERE work_group = 'analysts' AND state = 'SUCCEEDED'")
            .await,
        120
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM fact_athena_query WHERE tables_error IS NOT NULL")
            .await,
        30,
        "the unparsable statements are stored, with why"
    );
    assert_eq!(
        db.number(
            "SELECT COUNT(*) FROM fact_athena_query WHERE sql_truncated = 1 AND sql_bytes > 200"
        )
        .await,
        30,
        "long statements are cut to usage.max_sql_bytes"
    );
    assert!(
        db.strings("SELECT sql_text FROM fact_athena_query WHERE sql_text LIKE '%주문%'")
            .await
            .iter()
            .all(|s| s.contains("🐕")),
        "Korean and emoji round-trip"
    );
    assert_eq!(
        db.strings(
            "SELECT CONCAT(database_name, '.', table_name, ':', access) FROM fact_athena_query_table \
             WHERE query_id = (SELECT MIN(query_id) FROM fact_athena_query WHERE sql_text LIKE 'INSERT%') \
             ORDER BY 1"
        )
        .await,
        ["sales.daily:write", "sales.orders:read"]
    );
    assert_eq!(
        db.strings(
            "SELECT CONCAT(table_name, '=', CAST(queries AS CHAR), '/', CAST(read_queries AS CHAR), '/', \
             CAST(write_queries AS CHAR), '/', CAST(distinct_queries AS CHAR)) \
             FROM fact_table_usage_daily WHERE work_group = 'analysts' ORDER BY table_name"
        )
        .await,
        [
            "customers=30/30/0/30",
            "daily=30/0/30/1",
            "events=30/30/0/1",
            "orders=60/60/0/31",
        ],
        "per table: queries / reads / writes / distinct texts"
    );
    assert!(first.rows_written >= 120, "{first:?}");
    // After writing, the run sums the windows top tables reads: every query is from today, so in each window.
    assert_eq!(
        db.number("SELECT COUNT(*) FROM usage_window_state").await,
        3
    );
    assert_eq!(
        db.strings(
            "SELECT CONCAT(CAST(window_days AS CHAR), ' ', table_name, '=', CAST(queries AS CHAR)) \
             FROM fact_table_usage_window ORDER BY window_days, table_name"
        )
        .await,
        [
            "7 customers=30",
            "7 daily=30",
            "7 events=30",
            "7 orders=60",
            "30 customers=30",
            "30 daily=30",
            "30 events=30",
            "30 orders=60",
            "90 customers=30",
            "90 daily=30",
            "90 events=30",
            "90 orders=60",
        ]
    );

    let second = succeeded(runner.run(Job::Usage, Trigger::Manual, &cancel).await);
    assert_eq!(
        second.rows_written, 0,
        "an incremental run writes nothing twice: {second:?}"
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM fact_athena_query").await,
        120
    );

    seed_history(&lake, "analysts", 8).await;
    let third = succeeded(runner.run(Job::Usage, Trigger::Manual, &cancel).await);
    assert_eq!(
        db.number("SELECT COUNT(*) FROM fact_athena_query").await,
        128
    );
    assert!(
        third
            .notes
            .iter()
            .any(|n| n.contains("analysts: 8 queries stored")),
        "{third:?}"
    );
    assert_eq!(
        db.number("SELECT CAST(SUM(queries) AS SIGNED) FROM fact_table_usage_daily WHERE table_name = 'orders'")
            .await,
        64
    );
    let orders_in_week = "SELECT queries FROM fact_table_usage_window WHERE window_days = 7 AND table_name = 'orders'";
    assert_eq!(db.number(orders_in_week).await, 64);

    // A query written after the windows were summed (by a run that failed before summing them) is summed by the
    // next run, even though that run finds nothing new itself.
    let now = doberman::store::now();
    let late = doberman::store::QueryRow {
        query_id: "written-after-the-windows".into(),
        account: db.strings("SELECT account FROM fact_athena_query").await[0].clone(),
        region: db.strings("SELECT region FROM fact_athena_query").await[0].clone(),
        work_group: "analysts".into(),
        state: "SUCCEEDED".into(),
        statement_type: Some("DML".into()),
        query_catalog: None,
        query_database: Some("sales".into()),
        submitted_at: now,
        completed_at: Some(now),
        usage_date: now.with_timezone(&config.schedule.timezone).date_naive(),
        engine_ms: Some(1),
        total_ms: Some(1),
        queue_ms: Some(0),
        bytes_scanned: Some(1),
        engine_version: None,
        error_message: None,
        sql_text: Some("SELECT 1 FROM sales.orders".into()),
        sql_bytes: 26,
        sql_truncated: false,
        sql_hash: "late".into(),
        tables_error: None,
        reads: vec![("sales".into(), "orders".into())],
        writes: Vec::new(),
    };
    store
        .write_athena_queries(&[late], now)
        .await
        .expect("a write the windows have not seen");
    assert_eq!(db.number(orders_in_week).await, 64);
    succeeded(runner.run(Job::Usage, Trigger::Manual, &cancel).await);
    assert_eq!(db.number(orders_in_week).await, 65);
}
two_backends!(
    query_history_is_stored_once_with_its_tables_and_a_daily_roll_up,
    moto
);

/// Two replicas on one MySQL database, each with its own pool, runner and holder id.
async fn two_replicas_run_each_scheduled_tick_once(db: TestDb) {
    let lake = Lake::new().await;
    lake.create_work_group("wg").await;
    seed_history(&lake, "wg", 3).await;
    let config = lake.config(&db, &lake.url, &[]);
    let (a, b) = (db.store().await, db.store().await);
    a.migrate().await.expect("migrate");
    let (runner_a, runner_b) = (Arc::new(runner(&config, &a)), Arc::new(runner(&config, &b)));
    let cancel = CancellationToken::new();
    let tick = doberman::store::now();

    let (one, two) = tokio::join!(
        runner_a.run(Job::Usage, Trigger::Scheduled(tick), &cancel),
        runner_b.run(Job::Usage, Trigger::Scheduled(tick), &cancel),
    );
    // The later replica, firing for the same tick after the first finished, still does not run it.
    let late = runner_b
        .run(Job::Usage, Trigger::Scheduled(tick), &cancel)
        .await;

    let ran = [&one, &two]
        .iter()
        .filter(|o| matches!(o, RunOutcome::Succeeded(_)))
        .count();
    assert_eq!(
        ran, 1,
        "exactly one replica ran the tick: {one:?} / {two:?}"
    );
    assert!(matches!(late, RunOutcome::Skipped(_)), "{late:?}");
    assert_eq!(
        db.number("SELECT COUNT(*) FROM job_run WHERE status = 'succeeded'")
            .await,
        1
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM job_run WHERE status = 'skipped'")
            .await,
        2
    );
    assert_eq!(db.number("SELECT COUNT(*) FROM fact_athena_query").await, 3);

    let next = tick + chrono::Duration::seconds(60);
    let again = runner_b
        .run(Job::Usage, Trigger::Scheduled(next), &cancel)
        .await;
    assert!(
        matches!(again, RunOutcome::Succeeded(_)),
        "the next tick runs: {again:?}"
    );
}
two_backends!(two_replicas_run_each_scheduled_tick_once, moto);

/// The real scheduler, twice, on one MySQL database: a job every two seconds runs once per tick.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs MySQL and moto: set DOBERMAN_TEST_MYSQL_URL and DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
async fn two_schedulers_on_one_mysql_database_run_each_tick_once() {
    crate::support::run_on(doberman::config::Backend::MySql, |db: TestDb| async move {
        let lake = Lake::new().await;
        lake.create_work_group("wg").await;
        let config = lake.config(
            &db,
            &lake.url,
            &[
                ("DOBERMAN_SCHEDULE__ENABLED", "true"),
                ("DOBERMAN_SCHEDULE__CATALOG", ""),
                ("DOBERMAN_SCHEDULE__USAGE", "*/2 * * * * *"),
                ("DOBERMAN_SCHEDULE__TIMEZONE", "Asia/Seoul"),
            ],
        );
        let (a, b) = (db.store().await, db.store().await);
        a.migrate().await.expect("migrate");
        let one =
            doberman::schedule::Schedule::start(Arc::new(runner(&config, &a)), &config.schedule)
                .await
                .expect("start A");
        let two =
            doberman::schedule::Schedule::start(Arc::new(runner(&config, &b)), &config.schedule)
                .await
                .expect("start B");
        tokio::time::sleep(Duration::from_millis(7_500)).await;
        one.stop(Duration::from_secs(10)).await;
        two.stop(Duration::from_secs(10)).await;

        let runs = a.recent_job_runs(Some("usage"), 100).await.expect("runs");
        let ran = runs
            .iter()
            .filter(|r| r.status.as_str() != "skipped")
            .count();
        let skipped = runs.len() - ran;
        // Ticks in 7.5 s: at most four, plus the catch-up at start. Each fires on both replicas.
        assert!(
            (3..=5).contains(&ran),
            "one run per tick (and one catch-up), not one per replica: {runs:?}"
        );
        assert!(
            skipped >= 3,
            "the other replica stood aside each tick: {runs:?}"
        );
        assert_eq!(
            db.number("SELECT COUNT(*) FROM job_lease WHERE holder IS NOT NULL")
                .await,
            0,
            "stopping released the lease"
        );
    })
    .await;
}

async fn a_job_that_is_overdue_runs_at_start_and_a_recent_one_does_not(db: TestDb) {
    let lake = Lake::new().await;
    let config = lake.config(
        &db,
        &lake.url,
        &[
            ("DOBERMAN_SCHEDULE__ENABLED", "true"),
            ("DOBERMAN_SCHEDULE__CATALOG", "0 0 3 * * *"),
            ("DOBERMAN_SCHEDULE__USAGE", "0 0 3 * * *"),
        ],
    );
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    // usage succeeded an hour ago (within its daily period); catalog never ran.
    let id = store
        .start_job_run("usage", doberman::store::now() - chrono::Duration::hours(1))
        .await
        .expect("start");
    store
        .finish_job_run(
            id,
            doberman::store::now() - chrono::Duration::hours(1),
            &doberman::store::JobOutcome {
                status: doberman::store::JobStatus::Succeeded,
                rows_written: 0,
                error_text: None,
            },
        )
        .await
        .expect("finish");

    let schedule =
        doberman::schedule::Schedule::start(Arc::new(runner(&config, &store)), &config.schedule)
            .await
            .expect("start");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while store
        .last_job_success("catalog")
        .await
        .expect("read")
        .is_none()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the overdue catalog job never ran"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    schedule.stop(Duration::from_secs(5)).await;

    assert_eq!(
        store
            .recent_job_runs(Some("usage"), 10)
            .await
            .expect("runs")
            .len(),
        1,
        "usage was not overdue: no catch-up run"
    );
}
two_backends!(
    a_job_that_is_overdue_runs_at_start_and_a_recent_one_does_not,
    moto
);

async fn a_run_still_going_is_not_stacked_and_shutdown_interrupts_it_cleanly(db: TestDb) {
    let lake = Lake::new().await;
    lake.create_database("sales", "").await;
    let proxy = FaultProxy::start(&lake.url).await;
    proxy.slow("AWSGlue.GetTables", Duration::from_secs(30));
    let config = lake.config(&db, &proxy.url, &[]);
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let runner = Arc::new(runner(&config, &store));
    let shutdown = CancellationToken::new();
    let slow = tokio::spawn({
        let (runner, shutdown) = (runner.clone(), shutdown.clone());
        async move { runner.run(Job::Catalog, Trigger::Manual, &shutdown).await }
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while db
        .number("SELECT COUNT(*) FROM job_run WHERE status = 'running'")
        .await
        == 0
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the slow run never started"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let overlapping = runner
        .run(Job::Catalog, Trigger::Manual, &CancellationToken::new())
        .await;
    shutdown.cancel();
    let interrupted = tokio::time::timeout(Duration::from_secs(5), slow)
        .await
        .expect("shutdown stops the run at once")
        .expect("the run task");

    assert!(
        matches!(&overlapping, RunOutcome::Skipped(why) if why.contains("still going")),
        "{overlapping:?}"
    );
    assert!(
        matches!(&interrupted, RunOutcome::Failed(e) if e.contains("Interrupted by shutdown")),
        "{interrupted:?}"
    );
    assert_eq!(
        db.strings("SELECT status FROM job_run ORDER BY id").await,
        ["failed", "skipped"],
        "the interrupted run is recorded as failed, the overlapping one as skipped"
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM job_lease WHERE holder IS NOT NULL")
            .await,
        0,
        "the claim is released"
    );
}
two_backends!(
    a_run_still_going_is_not_stacked_and_shutdown_interrupts_it_cleanly,
    moto
);
