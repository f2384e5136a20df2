//! The demo data: every answer works on it, it can be replaced and removed, and it never mixes with collected data.

use doberman::store::{CatalogScope, DatabaseRow, TableRow, now};

use crate::support::{TestDb, two_backends};

/// Every table a demo writes rows to, with how to count the demo rows in it.
const DEMO_ROWS: &[(&str, &str)] = &[
    (
        "dim_database",
        "SELECT COUNT(*) FROM dim_database WHERE account = 'demo'",
    ),
    (
        "dim_table",
        "SELECT COUNT(*) FROM dim_table WHERE account = 'demo'",
    ),
    (
        "dim_column",
        "SELECT COUNT(*) FROM dim_column c JOIN dim_table t ON t.id = c.table_id WHERE t.account = 'demo'",
    ),
    ("dim_search_term", "SELECT COUNT(*) FROM dim_search_term"),
    (
        "fact_table_snapshot_daily",
        "SELECT COUNT(*) FROM fact_table_snapshot_daily WHERE account = 'demo'",
    ),
    (
        "fact_athena_query",
        "SELECT COUNT(*) FROM fact_athena_query WHERE account = 'demo'",
    ),
    (
        "fact_athena_query_table",
        "SELECT COUNT(*) FROM fact_athena_query_table WHERE query_id LIKE 'demo-%'",
    ),
    (
        "fact_table_usage_daily",
        "SELECT COUNT(*) FROM fact_table_usage_daily WHERE account = 'demo'",
    ),
    (
        "fact_cost_daily",
        "SELECT COUNT(*) FROM fact_cost_daily WHERE account_id LIKE '00000000000%'",
    ),
    (
        "dim_account",
        "SELECT COUNT(*) FROM dim_account WHERE account_id LIKE '00000000000%'",
    ),
    (
        "fact_airflow_dag_run",
        "SELECT COUNT(*) FROM fact_airflow_dag_run WHERE instance = 'demo'",
    ),
    (
        "fact_airflow_task_failure",
        "SELECT COUNT(*) FROM fact_airflow_task_failure WHERE instance = 'demo'",
    ),
    (
        "dim_airflow_dag",
        "SELECT COUNT(*) FROM dim_airflow_dag WHERE instance = 'demo'",
    ),
    (
        "dim_check",
        "SELECT COUNT(*) FROM dim_check WHERE file = 'demo.toml'",
    ),
    (
        "fact_check_result",
        "SELECT COUNT(*) FROM fact_check_result",
    ),
    (
        "the demo checks' alerts",
        "SELECT COUNT(*) FROM alert WHERE topic = 'quality'",
    ),
];

async fn the_demo_answers_every_command_and_is_replaced_then_removed(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let tz = chrono_tz::Asia::Seoul;

    let report = doberman::demo::fill(&store, tz, now(), &doberman::chat::Watch::default())
        .await
        .expect("demo");

    assert_eq!(report.databases, 10);
    assert!(
        (200..=400).contains(&report.tables),
        "a few hundred tables: {report:?}"
    );
    assert!(report.queries > 5_000, "{report:?}");
    // 45 rows a day (5 accounts x 9 services) from the 1st of two months ago: at least the 60 days from 1 January
    // to 1 March, whatever today is (a fixed 3,000 failed in the first week of every month).
    assert!(report.cost_rows >= 45 * 60, "{report:?}");
    assert_eq!(report.cost_rows % 45, 0, "whole days: {report:?}");
    // 30 days of an hourly DAG alone.
    assert!(report.airflow_runs > 24 * 30, "{report:?}");
    assert_eq!(report.checks, 12, "a dozen data checks");
    assert_eq!(
        db.number("SELECT COUNT(*) FROM dim_check c JOIN fact_check_result r ON r.id = c.last_result_id WHERE r.status = 'fail'")
            .await,
        2,
        "two of them failing"
    );
    for (table, sql) in DEMO_ROWS {
        assert!(db.number(sql).await > 0, "the demo writes {table}");
    }
    // A card's own tables read the same change history as the alerts' whole-lake read, up to the local day the
    // snapshots are named by (on 1 March in Seoul, UTC's day is still 28 February).
    let today = now().with_timezone(&tz).date_naive();
    let since = today - chrono::Duration::days(30);
    let all = store.change_history(since).await.expect("history");
    let ids: Vec<i64> = all.keys().copied().take(250).collect();
    assert!(!ids.is_empty(), "the demo writes a snapshot");
    let some = store
        .change_history_of(&ids, since, today)
        .await
        .expect("history of some");
    for id in &ids {
        assert_eq!(some.get(id), all.get(id), "table {id}");
    }
    let chat = crate::support::chat(&store, doberman::chat::Settings::default());
    let cases: &[(&str, &str)] = &[
        ("catalog table sales.orders", "Columns ("),
        ("catalog db sales", "Database sales"),
        ("catalog search 주문", "Tables matching “주문”"),
        ("top tables", "Top tables · last 7 days"),
        ("top databases 30d", "Top databases · last 30 days"),
        ("cost", "Month to date"),
        ("cost last month by account", "demo-data-prod"),
        ("status", "Doberman"),
        ("airflow", "marketing_campaign_daily"),
        ("airflow failed 7d", "load_to_s3 (try 2)"),
        ("airflow dag ml_feature_build", "▲"),
        ("정합성", "2 failing"),
        ("check 주문: ERP vs 레이크", "Last failure"),
        ("check sales.orders", "orders: order_id is unique"),
    ];
    // A view is a "view", not a "view view"; one query is "1 query".
    let database = db
        .strings(
            "SELECT database_name FROM dim_table WHERE table_format = 'view' ORDER BY 1 LIMIT 1",
        )
        .await;
    let view = db
        .strings("SELECT table_name FROM dim_table WHERE table_format = 'view' ORDER BY database_name LIMIT 1")
        .await;
    let (text, _) =
        crate::support::ask_card(&chat, &format!("catalog table {}.{}", database[0], view[0]))
            .await;
    assert!(
        text.contains("view ·") && !text.contains("view view"),
        "{text}"
    );
    assert!(!text.contains(" 1 queries"), "{text}");
    for (command, expected) in cases {
        let (text, _) = crate::support::ask_card(&chat, command).await;
        assert!(
            text.contains(expected),
            "{command}: {expected:?} missing from\n{text}"
        );
        assert!(
            !text.contains("No queries recorded") && !text.contains("is empty"),
            "{command} has data: {text}"
        );
    }

    let again = doberman::demo::fill(&store, tz, now(), &doberman::chat::Watch::default())
        .await
        .expect("demo again");
    assert!(
        again.replaced > 0,
        "the earlier demo is replaced: {again:?}"
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM dim_table WHERE account = 'demo'")
            .await,
        report.tables as i64,
        "not doubled"
    );

    let removed = doberman::demo::clear(&store).await.expect("clear");
    assert!(removed > 0);
    for (table, sql) in DEMO_ROWS {
        assert_eq!(db.number(sql).await, 0, "demo rows left in {table}");
    }
}
two_backends!(the_demo_answers_every_command_and_is_replaced_then_removed);

async fn the_demo_refuses_a_store_with_collected_data(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    store
        .write_catalog_database(
            &CatalogScope {
                account: "prod".into(),
                region: "ap-northeast-2".into(),
            },
            &DatabaseRow {
                name: "sales".into(),
                ..DatabaseRow::default()
            },
            &[TableRow {
                name: "orders".into(),
                table_format: "hive".into(),
                ..TableRow::default()
            }],
            now(),
        )
        .await
        .expect("collected");

    let error = doberman::demo::fill(
        &store,
        chrono_tz::Asia::Seoul,
        now(),
        &doberman::chat::Watch::default(),
    )
    .await
    .expect_err("refused");

    assert!(
        format!("{error:#}").contains("holds 1 collected rows"),
        "{error:#}"
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM dim_table").await,
        1,
        "nothing added"
    );
    assert_eq!(db.number("SELECT COUNT(*) FROM fact_cost_daily").await, 0);
}
two_backends!(the_demo_refuses_a_store_with_collected_data);
