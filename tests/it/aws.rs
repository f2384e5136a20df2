//! The AWS adapter against the moto server (`tests/peers/moto_server.py`, which pages like AWS does), named by
//! `DOBERMAN_TEST_MOTO_URL`. Every case here is ignored unless asked for (`-- --include-ignored`).

use doberman::aws::{self, Aws};
use doberman::config::Config;

const MOTO_URL_VAR: &str = "DOBERMAN_TEST_MOTO_URL";

/// Clients pointed at moto with test credentials (a case using it is `#[ignore]`d unless asked for).
async fn moto() -> Aws {
    let url = std::env::var(MOTO_URL_VAR).unwrap_or_else(|_| {
        panic!("this case needs moto: start tests/peers/moto_server.py and set {MOTO_URL_VAR}")
    });
    let config = Config::load_from(
        None,
        [
            ("DOBERMAN_AWS__REGION".to_owned(), "us-east-1".to_owned()),
            ("DOBERMAN_AWS__ENDPOINT_URL".to_owned(), url),
            ("DOBERMAN_AWS__MAX_ATTEMPTS".to_owned(), "2".to_owned()),
        ],
    )
    .expect("valid AWS settings");
    let credentials =
        aws_sdk_glue::config::Credentials::new("testing", "testing", None, None, "tests");
    Aws::connect(
        &config.aws,
        Some(aws_sdk_glue::config::SharedCredentialsProvider::new(
            credentials,
        )),
    )
    .await
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
async fn every_page_of_databases_and_tables_is_read() {
    let aws = moto().await;
    let glue = aws.glue();
    let db = unique("paging");
    glue.create_database()
        .database_input(
            aws_sdk_glue::types::DatabaseInput::builder()
                .name(&db)
                .build()
                .expect("input"),
        )
        .send()
        .await
        .expect("create database");
    for i in 0..250 {
        let table = aws_sdk_glue::types::TableInput::builder()
            .name(format!("t{i:03}"))
            .build()
            .expect("input");
        glue.create_table()
            .database_name(&db)
            .table_input(table)
            .send()
            .await
            .expect("create table");
    }

    let tables = aws::glue::tables(glue, &db).await.expect("tables");
    let databases = aws::glue::databases(glue).await.expect("databases");

    assert_eq!(
        tables.len(),
        250,
        "all three pages of 100, 100 and 50 tables"
    );
    let mut names: Vec<&str> = tables.iter().map(|t| t.name()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 250, "no table twice");
    assert!(databases.iter().any(|d| d.name() == db));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
async fn an_unknown_database_is_a_clear_error() {
    let aws = moto().await;

    let error = aws::glue::tables(aws.glue(), "no_such_database")
        .await
        .expect_err("unknown");

    let text = error.to_string();
    assert!(text.contains("glue:GetTables"), "{text}");
    assert!(text.contains("no_such_database"), "{text}");
    assert!(text.contains("EntityNotFound"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
async fn query_history_is_paged_newest_first_and_details_come_in_batches() {
    let aws = moto().await;
    let athena = aws.athena();
    let work_group = unique("wg");
    athena
        .create_work_group()
        .name(&work_group)
        .send()
        .await
        .expect("create work group");
    let mut started = Vec::new();
    for i in 0..120 {
        let id = athena
            .start_query_execution()
            .work_group(&work_group)
            .query_string(format!("SELECT {i} FROM sales.주문 -- 🐕"))
            .query_execution_context(
                aws_sdk_athena::types::QueryExecutionContext::builder()
                    .database("sales")
                    .build(),
            )
            .result_configuration(
                aws_sdk_athena::types::ResultConfiguration::builder()
                    .output_location("s3://results/")
                    .build(),
            )
            .send()
            .await
            .expect("start query")
            .query_execution_id
            .expect("an id");
        started.push(id);
    }

    let mut pages = aws::athena::ExecutionIdPages::new(athena, &work_group);
    let mut all = Vec::new();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("a page of ids");
        sizes.push(page.len());
        all.extend(page);
    }
    let mut wanted = all.clone();
    wanted.push("not-an-execution".to_owned());
    let (details, unprocessed) = aws::athena::executions(athena, &wanted)
        .await
        .expect("details");

    assert_eq!(sizes, [50, 50, 20], "three pages of 50, 50 and 20");
    let newest_first: Vec<String> = started.iter().rev().cloned().collect();
    assert_eq!(
        all, newest_first,
        "exactly the started executions, newest first as AWS lists them"
    );
    assert_eq!(details.len(), 120, "three batches of at most 50");
    assert_eq!(unprocessed, vec!["not-an-execution".to_owned()]);
    assert!(
        details
            .iter()
            .all(|d| d.query().is_some_and(|q| q.contains("sales.주문 -- 🐕"))),
        "the SQL text round-trips"
    );
}

mod query {
    use std::time::Duration;

    use doberman::aws::query::{self, Cell, Polling, Query, QueryError};

    use crate::lake::{FaultProxy, Lake, PrivateMoto};

    fn cost_query() -> Query {
        Query {
            sql: "SELECT line_item_product_code, SUM(line_item_unblended_cost) FROM cur WHERE year = ? AND month = ? GROUP BY 1".into(),
            parameters: vec!["'2026'".into(), "'11'".into()],
            work_group: Some("primary".into()),
            database: Some("cur".into()),
            output_location: Some("s3://results/".into()),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
    async fn results_come_back_decoded_without_the_header_row_over_every_page() {
        let lake = Lake::new().await;
        let mut rows: Vec<Vec<Option<String>>> = (0..2_400)
            .map(|i| {
                vec![
                    Some(format!("서비스-{i}")),
                    Some(format!("{i}.125")),
                    Some(i.to_string()),
                ]
            })
            .collect();
        rows.push(vec![None, None, None]);
        lake.seed_results(
            &[
                ("service", "varchar"),
                ("cost", "decimal(38,3)"),
                ("n", "bigint"),
            ],
            &rows,
        )
        .await;

        let results = query::run(&lake.athena, &cost_query(), Polling::default())
            .await
            .expect("the query runs");

        assert_eq!(
            results.columns[1],
            ("cost".to_owned(), "decimal(38,3)".to_owned())
        );
        assert_eq!(
            results.rows.len(),
            2_401,
            "three pages of results, the header row dropped"
        );
        assert_eq!(
            results.rows[7],
            [
                Cell::Text("서비스-7".into()),
                Cell::Decimal("7.125".into()),
                Cell::Int(7)
            ]
        );
        assert_eq!(results.rows[2_400], [Cell::Null, Cell::Null, Cell::Null]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
    async fn a_failed_query_is_an_error_with_athenas_reason() {
        let lake = Lake::new().await;
        let proxy = FaultProxy::start(&lake.url).await;
        proxy.answer(
            "AmazonAthena.GetQueryExecution",
            serde_json::json!({"QueryExecution": {"QueryExecutionId": "q", "Status": {
                "State": "FAILED",
                "StateChangeReason": "TABLE_NOT_FOUND: line 1:58: Table 'awsdatacatalog.cur.cur' does not exist"
            }}}),
        );
        let athena = lake.athena_via(&proxy);

        let error = query::run(&athena, &cost_query(), Polling::default())
            .await
            .expect_err("the query fails");

        assert!(
            matches!(&error, QueryError::Failed { state, reason, .. } if state == "FAILED" && reason.contains("TABLE_NOT_FOUND")),
            "{error}"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
    async fn a_query_past_its_timeout_is_stopped() {
        let lake = Lake::new().await;
        let proxy = FaultProxy::start(&lake.url).await;
        proxy.answer(
            "AmazonAthena.GetQueryExecution",
            serde_json::json!({"QueryExecution": {"QueryExecutionId": "q", "Status": {"State": "RUNNING"}}}),
        );
        let athena = lake.athena_via(&proxy);
        let polling = Polling {
            timeout: Duration::from_millis(700),
            first_interval: Duration::from_millis(50),
            max_interval: Duration::from_millis(200),
            max_scanned_bytes: None,
            max_rows: None,
        };

        let started = std::time::Instant::now();
        let error = query::run(&athena, &cost_query(), polling)
            .await
            .expect_err("the query times out");

        let QueryError::Timeout { query_id, .. } = &error else {
            panic!("expected a timeout, got {error}")
        };
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "it gave up on time"
        );
        let state = lake
            .athena
            .get_query_execution()
            .query_execution_id(query_id)
            .send()
            .await
            .expect("moto knows the query")
            .query_execution
            .and_then(|e| e.status)
            .and_then(|s| s.state);
        assert_eq!(
            state,
            Some(aws_sdk_athena::types::QueryExecutionState::Cancelled),
            "StopQueryExecution reached Athena"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs the pinned Python: set DOBERMAN_TEST_PYTHON and pass -- --include-ignored"]
    async fn a_queued_then_running_query_is_polled_to_its_results() {
        let moto = PrivateMoto::start().await;
        let lake = Lake::on(moto.url.clone()).await;
        // Every execution of this private moto goes QUEUED, RUNNING, then SUCCEEDED, one step per look.
        let status = reqwest::Client::new()
            .post(format!("{}/moto-api/state-manager/set-transition", moto.url))
            .json(&serde_json::json!({"model_name": "athena::execution", "transition": {"progression": "manual", "times": 2}}))
            .send()
            .await
            .expect("set the transition")
            .status();
        assert!(status.is_success());
        lake.seed_results(&[("n", "bigint")], &[vec![Some("1".into())]])
            .await;
        let proxy = FaultProxy::start(&moto.url).await;
        let athena = lake.athena_via(&proxy);
        let polling = Polling {
            first_interval: Duration::from_millis(20),
            ..Polling::default()
        };

        let results = query::run(&athena, &cost_query(), polling)
            .await
            .expect("the query finishes");

        assert_eq!(results.rows, [vec![Cell::Int(1)]]);
        assert!(
            proxy.calls("AmazonAthena.GetQueryExecution") >= 3,
            "looked while QUEUED and while RUNNING before finding it SUCCEEDED: {} looks",
            proxy.calls("AmazonAthena.GetQueryExecution")
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
    async fn throttling_is_retried_within_bounds() {
        let lake = Lake::new().await;
        lake.seed_results(&[("n", "bigint")], &[vec![Some("7".into())]])
            .await;
        let proxy = FaultProxy::start(&lake.url).await;
        proxy.fail_times(
            "AmazonAthena.StartQueryExecution",
            "",
            "ThrottlingException",
            2,
        );
        let athena = lake.athena_via(&proxy);

        let results = query::run(&athena, &cost_query(), Polling::default())
            .await
            .expect("the third attempt goes through");

        assert_eq!(results.rows, [vec![Cell::Int(7)]]);
        assert_eq!(
            proxy.calls("AmazonAthena.StartQueryExecution"),
            3,
            "two throttled, one through"
        );

        proxy.fail(
            "AmazonAthena.StartQueryExecution",
            "",
            "ThrottlingException",
        );
        let error = query::run(&athena, &cost_query(), Polling::default())
            .await
            .expect_err("throttled for good");
        assert!(error.to_string().contains("ThrottlingException"), "{error}");
        assert_eq!(
            proxy.calls("AmazonAthena.StartQueryExecution"),
            6,
            "three attempts (the SDK's standard retry), then the error"
        );
    }
}
