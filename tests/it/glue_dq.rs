//! Glue Data Quality results read through the AWS adapter, against the stand-in in `tests/peers/moto_server.py`
//! (moto has no Data Quality API of its own; results are seeded, as nothing evaluates rulesets there). Every case
//! is ignored unless asked for (`-- --include-ignored`).

use chrono::{DateTime, TimeZone, Utc};
use doberman::aws::dq::{self, DqResult, DqRule};

use crate::lake::{FaultProxy, Lake};

/// 2026-11-02 03:00 UTC, a whole second so it survives the millisecond timestamps of the wire unchanged.
fn at(hours_later: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 3, 0, 0)
        .single()
        .expect("a valid time")
        + chrono::Duration::hours(hours_later)
}

fn epoch(t: DateTime<Utc>) -> f64 {
    t.timestamp_millis() as f64 / 1000.0
}

/// Creates a ruleset on `database.table` (`None`: a ruleset with no target table).
async fn create_ruleset(lake: &Lake, name: &str, target: Option<(&str, &str)>) {
    let mut request = lake
        .glue
        .create_data_quality_ruleset()
        .name(name)
        .ruleset(r#"Rules = [ ColumnValues "amount" >= 0, IsComplete "order_id" ]"#);
    if let Some((database, table)) = target {
        request = request.target_table(
            aws_sdk_glue::types::DataQualityTargetTable::builder()
                .database_name(database)
                .table_name(table)
                .build()
                .expect("target table"),
        );
    }
    request.send().await.expect("create ruleset");
}

/// Seeds one result through the stand-in's seeding endpoint, in this test's account.
async fn seed(lake: &Lake, result: serde_json::Value) {
    let body =
        serde_json::json!({"account_id": lake.account_id, "region": "us-east-1", "result": result});
    let response = reqwest::Client::new()
        .post(format!(
            "{}/moto-api/static/glue/data-quality-result",
            lake.url
        ))
        .json(&body)
        .send()
        .await
        .expect("seed a result");
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    assert!(status.is_success(), "seeding answered {status}: {text}");
}

fn result(
    id: &str,
    ruleset: &str,
    (database, table): (&str, &str),
    started: DateTime<Utc>,
    score: f64,
    rules: serde_json::Value,
) -> serde_json::Value {
    serde_json::json!({
        "ResultId": id,
        "Score": score,
        "DataSource": {"GlueTable": {"DatabaseName": database, "TableName": table}},
        "RulesetName": ruleset,
        "StartedOn": epoch(started),
        "CompletedOn": epoch(started + chrono::Duration::minutes(2)),
        "RuleResults": rules,
    })
}

fn all_pass() -> serde_json::Value {
    serde_json::json!([
        {"Name": "Rule_1", "Description": "ColumnValues \"amount\" >= 0", "Result": "PASS",
         "EvaluatedMetrics": {"Column.amount.Minimum": 0.0}},
        {"Name": "Rule_2", "Description": "IsComplete \"order_id\"", "Result": "PASS",
         "EvaluatedMetrics": {"Column.order_id.Completeness": 1.0}},
    ])
}

async fn orders_lake() -> (Lake, String) {
    let lake = Lake::new().await;
    let database = format!("dq_{}", &lake.account_id[..6]);
    lake.create_database(&database, "").await;
    lake.create_table(
        &database,
        "orders",
        &[("order_id", "bigint", ""), ("amount", "decimal(12,2)", "")],
        &[],
        "EXTERNAL_TABLE",
        &[],
    )
    .await;
    (lake, database)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
async fn the_newest_result_of_each_ruleset_comes_back_with_its_failed_rules() {
    let (lake, database) = orders_lake().await;
    let orders = (database.as_str(), "orders");
    create_ruleset(&lake, "orders_checks", Some(orders)).await;
    create_ruleset(&lake, "orders_never_run", Some(orders)).await;
    create_ruleset(&lake, "no_target", None).await;
    // The newer result is seeded first: the stand-in lists in seeding order, so "first listed" is not "newest".
    seed(
        &lake,
        result(
            "dqresult-newer",
            "orders_checks",
            orders,
            at(24),
            0.5,
            serde_json::json!([
                {"Name": "Rule_1", "Description": "ColumnValues \"amount\" >= 0",
                 "EvaluationMessage": "주문 금액 음수 🐕", "Result": "FAIL",
                 "EvaluatedMetrics": {"Column.amount.Minimum": -12.5}},
                {"Name": "Rule_2", "Description": "IsComplete \"order_id\"", "Result": "PASS"},
            ]),
        ),
    )
    .await;
    seed(
        &lake,
        result(
            "dqresult-older",
            "orders_checks",
            orders,
            at(0),
            1.0,
            all_pass(),
        ),
    )
    .await;
    // A result of another ruleset on the same table does not stand in for either ruleset.
    seed(
        &lake,
        result(
            "dqresult-adhoc",
            "adhoc_checks",
            orders,
            at(48),
            1.0,
            all_pass(),
        ),
    )
    .await;

    let results = dq::latest_results(&lake.glue).await.expect("results");

    assert_eq!(
        results,
        vec![DqResult {
            ruleset: "orders_checks".into(),
            database: database.clone(),
            table: "orders".into(),
            result_id: "dqresult-newer".into(),
            score: Some(0.5),
            started_on: Some(at(24)),
            completed_on: Some(at(24) + chrono::Duration::minutes(2)),
            rules: vec![
                DqRule {
                    name: "Rule_1".into(),
                    description: Some("ColumnValues \"amount\" >= 0".into()),
                    result: "FAIL".into(),
                    message: Some("주문 금액 음수 🐕".into()),
                },
                DqRule {
                    name: "Rule_2".into(),
                    description: Some("IsComplete \"order_id\"".into()),
                    result: "PASS".into(),
                    message: None,
                },
            ],
        }],
        "only orders_checks has a result; orders_never_run and no_target are skipped"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
async fn the_newest_result_is_found_on_any_page_of_a_long_history() {
    let (lake, database) = orders_lake().await;
    let orders = (database.as_str(), "orders");
    create_ruleset(&lake, "orders_checks", Some(orders)).await;
    // 230 daily results (three pages of 100), seeded out of order with the newest in the middle.
    let mut days: Vec<i64> = (0..230).collect();
    days.rotate_left(117);
    for day in days {
        seed(
            &lake,
            result(
                &format!("dqresult-day-{day:03}"),
                "orders_checks",
                orders,
                at(24 * day),
                1.0,
                all_pass(),
            ),
        )
        .await;
    }

    let results = dq::latest_results(&lake.glue).await.expect("results");

    let ids: Vec<&str> = results.iter().map(|r| r.result_id.as_str()).collect();
    assert_eq!(ids, ["dqresult-day-229"], "the newest of every page");
    assert_eq!(results[0].started_on, Some(at(24 * 229)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
async fn a_failing_listing_names_the_operation_and_the_table() {
    let (lake, database) = orders_lake().await;
    create_ruleset(&lake, "orders_checks", Some((&database, "orders"))).await;
    let proxy = FaultProxy::start(&lake.url).await;
    proxy.fail(
        "AWSGlue.ListDataQualityResults",
        "orders",
        "AccessDeniedException",
    );
    let glue = aws_sdk_glue::Client::from_conf(
        lake.glue
            .config()
            .to_builder()
            .endpoint_url(&proxy.url)
            .build(),
    );

    let error = dq::latest_results(&glue).await.expect_err("denied");

    let text = error.to_string();
    assert!(text.contains("glue:ListDataQualityResults"), "{text}");
    assert!(text.contains(&format!("{database}.orders")), "{text}");
    assert!(text.contains("AccessDenied"), "{text}");
}
