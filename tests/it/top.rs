//! `top tables` and `top databases` in chat: ranked from the daily roll-up the usage collector writes.

use chrono::{Duration, NaiveDate};
use doberman::chat::{Chat, Settings};
use doberman::store::{QueryRow, Store};

use crate::support::{TestDb, two_backends};

fn chat(store: &Store) -> Chat {
    crate::support::chat(
        store,
        Settings {
            timezone: chrono_tz::Asia::Seoul,
            superset_url: None,
            periods: [("usage".to_owned(), Duration::minutes(15))].into(),
            started_at: chrono::Utc::now(),
            ..Settings::default()
        },
    )
}

async fn ask(chat: &Chat, text: &str) -> String {
    crate::support::ask_card(chat, text).await.0
}

fn query(n: usize, day: NaiveDate, reads: &[(&str, &str)], bytes: i64) -> QueryRow {
    QueryRow {
        query_id: format!("q-{day}-{n}-{}", reads[0].1),
        account: "lake".into(),
        region: "ap-northeast-2".into(),
        work_group: "analysts".into(),
        state: "SUCCEEDED".into(),
        statement_type: Some("DML".into()),
        query_catalog: None,
        query_database: Some("sales".into()),
        submitted_at: day.and_hms_opt(3, 0, 0).expect("time").and_utc(),
        completed_at: None,
        usage_date: day,
        engine_ms: Some(10),
        total_ms: Some(12),
        queue_ms: Some(1),
        bytes_scanned: Some(bytes),
        engine_version: None,
        error_message: None,
        sql_text: Some(format!("SELECT {n}")),
        sql_bytes: 8,
        sql_truncated: false,
        sql_hash: format!("{n:016x}"),
        tables_error: None,
        reads: reads
            .iter()
            .map(|(d, t)| ((*d).to_owned(), (*t).to_owned()))
            .collect(),
        writes: Vec::new(),
    }
}

async fn tables_are_ranked_by_queries_or_bytes_with_the_trend(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let today = doberman::store::now()
        .with_timezone(&chrono_tz::Asia::Seoul)
        .date_naive();
    let (yesterday, a_month_before) = (today - Duration::days(1), today - Duration::days(20));
    let mut rows = Vec::new();
    for n in 0..5 {
        rows.push(query(n, yesterday, &[("sales", "orders")], 1_000_000_000));
    }
    for n in 0..2 {
        rows.push(query(
            n,
            yesterday,
            &[("sales", "customers"), ("sales", "orders")],
            0,
        ));
    }
    rows.push(query(0, yesterday, &[("web", "이벤트")], 5_000_000_000_000));
    for n in 0..4 {
        rows.push(query(n, a_month_before, &[("sales", "orders")], 1));
    }
    store
        .write_athena_queries(&rows, doberman::store::now())
        .await
        .expect("seed");
    let chat = chat(&store);

    let text = ask(&chat, "top tables").await;
    assert!(text.contains("Top tables · last 7 days"), "{text}");
    assert!(
        text.contains("1 | sales.orders | 7 | 4.7 GiB | new"),
        "nothing the week before: {text}"
    );
    assert!(
        text.contains("2 | sales.customers | 2 | 0 B | new"),
        "{text}"
    );
    assert!(
        text.contains("3 | web.이벤트 | 1 | 4.5 TiB | new"),
        "Korean names: {text}"
    );
    assert!(
        text.contains("Queries: 8"),
        "each query once, however many tables it used: {text}"
    );

    let text = ask(&chat, "top tables 30d by scanned").await;
    assert!(
        text.contains("1 | web.이벤트 | 1 | 4.5 TiB"),
        "by bytes: {text}"
    );
    assert!(
        text.contains("sales.orders | 11 |"),
        "30 days include the month before: {text}"
    );

    let text = ask(&chat, "top tables 7d").await;
    assert!(!text.contains("| 11 |"), "{text}");
    let text = ask(&chat, "인기 테이블 30일 db web").await;
    assert!(text.contains("database web"), "{text}");
    assert!(!text.contains("sales.orders"), "{text}");

    let text = ask(&chat, "top databases 30d").await;
    assert!(
        text.contains("1 | sales | 11 |"),
        "a query using two sales tables counts once: {text}"
    );
    assert!(text.contains("2 | web | 1 |"), "{text}");

    let text = ask(&chat, "top tables db nothing_here").await;
    assert!(
        text.contains("No queries recorded in the last 7 days"),
        "{text}"
    );
    assert!(text.contains("top databases lists them"), "{text}");
}
two_backends!(tables_are_ranked_by_queries_or_bytes_with_the_trend);

async fn the_trend_compares_with_the_period_before(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let today = doberman::store::now()
        .with_timezone(&chrono_tz::Asia::Seoul)
        .date_naive();
    let mut rows = Vec::new();
    for n in 0..5 {
        rows.push(query(n, today, &[("sales", "orders")], 10));
    }
    for n in 0..4 {
        rows.push(query(
            n,
            today - Duration::days(8),
            &[("sales", "orders")],
            10,
        ));
    }
    store
        .write_athena_queries(&rows, doberman::store::now())
        .await
        .expect("seed");

    let text = ask(&chat(&store), "top tables").await;

    assert!(
        text.contains("1 | sales.orders | 5 | 50 B | ▲ 25%"),
        "{text}"
    );
}
two_backends!(the_trend_compares_with_the_period_before);

async fn an_empty_store_and_a_bad_option_say_what_to_do(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let chat = chat(&store);

    let text = ask(&chat, "top tables").await;
    assert!(text.contains("No query history is stored yet"), "{text}");

    let text = ask(&chat, "top tables yesterday").await;
    assert!(text.contains("I don't know `yesterday`"), "{text}");
}
two_backends!(an_empty_store_and_a_bad_option_say_what_to_do);
