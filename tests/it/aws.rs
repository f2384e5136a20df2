//! The AWS adapter against the moto server (`tests/peers/moto_server.py`, which pages like AWS does), named by
//! `DOBERMAN_TEST_MOTO_URL`; `DOBERMAN_TEST_REQUIRE_MOTO=1` makes a missing server a failure.

use doberman::aws::{self, Aws};
use doberman::config::Config;

const MOTO_URL_VAR: &str = "DOBERMAN_TEST_MOTO_URL";
const REQUIRE_MOTO_VAR: &str = "DOBERMAN_TEST_REQUIRE_MOTO";

/// Clients pointed at moto with test credentials, or `None` (with a printed reason) when moto is not configured.
async fn moto() -> Option<Aws> {
    let required = std::env::var(REQUIRE_MOTO_VAR).is_ok_and(|v| v == "1");
    let Ok(url) = std::env::var(MOTO_URL_VAR) else {
        assert!(
            !required,
            "{REQUIRE_MOTO_VAR}=1 but {MOTO_URL_VAR} is not set"
        );
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPING the AWS cases: {MOTO_URL_VAR} is not set"
        );
        return None;
    };
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
    Some(
        Aws::connect(
            &config.aws,
            Some(aws_sdk_glue::config::SharedCredentialsProvider::new(
                credentials,
            )),
        )
        .await,
    )
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_databases_and_tables_is_read() {
    let Some(aws) = moto().await else { return };
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
async fn an_unknown_database_is_a_clear_error() {
    let Some(aws) = moto().await else { return };

    let error = aws::glue::tables(aws.glue(), "no_such_database")
        .await
        .expect_err("unknown");

    let text = error.to_string();
    assert!(text.contains("glue:GetTables"), "{text}");
    assert!(text.contains("no_such_database"), "{text}");
    assert!(text.contains("EntityNotFound"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn query_history_is_paged_newest_first_and_details_come_in_batches() {
    let Some(aws) = moto().await else { return };
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
