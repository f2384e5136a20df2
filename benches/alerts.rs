//! Alerts at scale: the rules over 100,000 tables in MariaDB, and delivery through the connector client with
//! Teams' pacing on against a local fake connector.
//!
//! 1. Evaluation: 100,000 tables (50 databases of 2,000) written through the catalog store path, with 10 days of
//!    daily snapshots (1 million rows) so intervals are learned for half of them (the other half match configured
//!    globs); 10 % are stale. Times the freshness rule alone (in memory), then whole evaluations (read, rules,
//!    one transaction of alert changes and outbox rows): the first (10,000 fire together on one card), a repeat,
//!    and one where half resolve. Prints tables evaluated per second.
//! 2. Delivery: 200 chats subscribed, 5 cards each (1,000 posts), sent by the delivery worker through the real
//!    connector client (per-conversation pacing, retries) to the fake; then 30 messages to a single chat, where
//!    Teams' per-thread limit (7 per second, 8 per 2 s) sets the pace. Prints messages per second.
//!
//! Recovery after `kill -9` is measured by the integration test
//! `alerts::kill_9_mid_delivery_loses_nothing_and_repeats_only_what_was_in_flight`, which prints it.
//! Prints figures; asserts nothing about them.
//!
//! `cargo bench --bench alerts` with MariaDB at `DOBERMAN_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306`);
//! `ALERTS_TABLES` changes the number of tables.

#[allow(dead_code)]
#[path = "../tests/it/peers.rs"]
mod peers;

use std::sync::Arc;
use std::time::{Duration, Instant};

use doberman::alerts::deliver::Deliverer;
use doberman::alerts::{Alerts, Settings, rules};
use doberman::config::Config;
use doberman::store::{
    CatalogScope, ConversationKind, ConversationRef, DatabaseRow, Person, Store, TableRow,
};
use doberman::teams::connector::RetryPolicy;
use doberman::teams::{ConnectorClient, ServiceUrlPolicy};
use sqlx::{Connection, Executor};

const PER_DATABASE: usize = 2_000;
const DATABASE: &str = "doberman_bench_alerts";

async fn fresh_database(server: &str) -> String {
    let mut conn = sqlx::MySqlConnection::connect(server)
        .await
        .expect("connect to MariaDB");
    conn.execute(format!("DROP DATABASE IF EXISTS {DATABASE}").as_str())
        .await
        .expect("drop");
    conn.execute(
        format!("CREATE DATABASE {DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
            .as_str(),
    )
    .await
    .expect("create");
    format!("{}/{DATABASE}", server.trim_end_matches('/'))
}

async fn fill(store: &Store, url: &str, tables: usize) {
    let now = doberman::store::now();
    let scope = CatalogScope {
        account: "lake".into(),
        region: "ap-northeast-2".into(),
    };
    for d in 0..tables.div_ceil(PER_DATABASE) {
        let n = PER_DATABASE.min(tables - d * PER_DATABASE);
        let rows: Vec<TableRow> = (0..n)
            .map(|i| {
                // Every tenth table last changed four days ago; the others an hour ago, changing daily.
                let changed = if i % 10 == 0 {
                    now - chrono::Duration::days(4)
                } else {
                    now - chrono::Duration::hours(1)
                };
                TableRow {
                    name: format!("table_{i:05}"),
                    table_format: "hive".into(),
                    updated_at: Some(changed),
                    ..TableRow::default()
                }
            })
            .collect();
        store
            .write_catalog_database(
                &scope,
                &DatabaseRow {
                    name: format!("db_{d:02}"),
                    ..DatabaseRow::default()
                },
                &rows,
                now,
            )
            .await
            .expect("write a database");
    }
    store
        .finish_catalog_run(&scope, now, now.date_naive())
        .await
        .expect("snapshot");
    // Ten earlier days of snapshots, each a day's change earlier: the learned interval is two days.
    let mut conn = sqlx::MySqlConnection::connect(url).await.expect("connect");
    for day in 1..=10 {
        conn.execute(
            format!(
                "INSERT INTO fact_table_snapshot_daily (snapshot_date, table_id, account, region, database_name, \
                 table_name, table_format, column_count, updated_at, data_changed_at) \
                 SELECT DATE_SUB(snapshot_date, INTERVAL {day} DAY), table_id, account, region, database_name, \
                 table_name, table_format, column_count, updated_at, DATE_SUB(data_changed_at, INTERVAL {day} DAY) \
                 FROM fact_table_snapshot_daily WHERE snapshot_date = CURDATE()"
            )
            .as_str(),
        )
        .await
        .expect("history");
    }
}

fn chat(id: &str, service_url: &str) -> ConversationRef {
    let now = doberman::store::now();
    ConversationRef {
        conversation_id: id.into(),
        kind: ConversationKind::Personal,
        service_url: service_url.into(),
        tenant_id: None,
        bot_id: None,
        team_id: None,
        team_name: None,
        channel_id: None,
        channel_name: None,
        user_id: None,
        user_aad_object_id: None,
        user_name: None,
        active: true,
        inactive_reason: None,
        first_seen_at: now,
        last_seen_at: now,
        locale: None,
    }
}

/// Runs the worker until the outbox is empty; messages and seconds.
async fn drain(deliverer: &Deliverer, store: &Store) -> (i64, f64) {
    let (queued, _) = store.outbox_backlog().await.expect("backlog");
    let start = Instant::now();
    while store.outbox_backlog().await.expect("backlog").0 > 0 {
        if deliverer.deliver_due().await == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    (queued, start.elapsed().as_secs_f64())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let server = std::env::var("DOBERMAN_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306".to_owned());
    let tables: usize = std::env::var("ALERTS_TABLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let url = fresh_database(&server).await;
    let config = Config::load_from(
        None,
        [
            ("DOBERMAN_DATABASE__URL".to_owned(), url.clone()),
            (
                "DOBERMAN_ALERTS__FRESHNESS".to_owned(),
                r#"[{"tables": "db_0*.*", "every": "26h"}]"#.to_owned(),
            ),
        ],
    )
    .expect("config");
    let store = Store::connect(&config.database).await.expect("connect");
    store.migrate().await.expect("migrate");
    let filling = Instant::now();
    fill(&store, &url, tables).await;
    println!(
        "alerts: {tables} tables and 10 days of snapshots written in {:.1} s",
        filling.elapsed().as_secs_f64()
    );

    // 1. Evaluation.
    let engine = Arc::new(Alerts::new(store.clone(), Settings::from_config(&config)));
    let since = doberman::store::now().date_naive() - chrono::Duration::days(rules::LEARN_DAYS);
    let read = Instant::now();
    let changes = store.table_changes(since).await.expect("read");
    let read_s = read.elapsed().as_secs_f64();
    let rule = Instant::now();
    let found = rules::freshness(
        &changes,
        &config.alerts.freshness,
        true,
        doberman::store::now(),
        chrono_tz::Asia::Seoul,
    );
    let rule_s = rule.elapsed().as_secs_f64();
    println!(
        "alerts: freshness rule alone: {} tables in {:.1} ms ({:.0} tables/s), {} stale; reading them {:.2} s",
        changes.len(),
        rule_s * 1e3,
        changes.len() as f64 / rule_s,
        found.len(),
        read_s
    );
    drop(changes);
    let passes = [
        ("first (stale tables fire)", None),
        ("repeat", None),
        ("half resolve", Some(())),
    ];
    for (label, resolve) in passes {
        if resolve.is_some() {
            sqlx::MySqlConnection::connect(&url)
                .await
                .expect("connect")
                .execute(
                    "UPDATE dim_table SET data_changed_at = UTC_TIMESTAMP(6) WHERE MOD(id, 20) = 1",
                )
                .await
                .expect("load half");
        }
        let start = Instant::now();
        let applied = engine
            .evaluate(doberman::store::now())
            .await
            .expect("evaluate");
        let s = start.elapsed().as_secs_f64();
        let f = &applied["freshness"];
        println!(
            "alerts: evaluation {label}: {:.2} s, {:.0} tables/s (fired {}, repeated {}, resolved {})",
            s,
            tables as f64 / s,
            f.fired,
            f.repeated,
            f.resolved
        );
    }
    let cards = sqlx::MySqlConnection::connect(&url)
        .await
        .expect("connect")
        .fetch_one("SELECT COUNT(*) FROM alert_card")
        .await
        .map(|r| sqlx::Row::get::<i64, _>(&r, 0))
        .expect("cards");
    println!("alerts: {cards} card(s) hold them (one per problem)");

    // 2. Delivery.
    let fake = peers::FakeMicrosoft::start().await;
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let connector = Arc::new(ConnectorClient::new(
        http.clone(),
        None,
        ServiceUrlPolicy::new(Vec::new(), true),
        RetryPolicy::default(),
    ));
    let deliverer = Deliverer::new(
        engine.clone(),
        connector,
        http,
        "bench:1:delivery".to_owned(),
    );
    let service = fake.service_url();
    for i in 0..200 {
        let id = format!("a:chat-{i}");
        store
            .upsert_conversation(&chat(&id, &service))
            .await
            .expect("chat");
        store
            .subscribe(&id, "jobs", &Person::default(), doberman::store::now())
            .await
            .expect("subscribe");
    }
    let mut settings = Settings::from_config(&config);
    settings.periods = [("catalog".to_owned(), chrono::Duration::minutes(1))].into();
    let jobs = Alerts::new(store.clone(), settings);
    // Five problems one after another: five cards per chat.
    for n in 0..5 {
        let run = store
            .start_job_run("catalog", doberman::store::now())
            .await
            .expect("run");
        store
            .finish_job_run(
                run,
                doberman::store::now(),
                &doberman::store::JobOutcome {
                    status: if n % 2 == 0 {
                        doberman::store::JobStatus::Failed
                    } else {
                        doberman::store::JobStatus::Succeeded
                    },
                    rows_written: 0,
                    error_text: Some(format!("failure {n}")),
                },
            )
            .await
            .expect("finish");
        jobs.evaluate(doberman::store::now())
            .await
            .expect("evaluate");
    }
    let (sent, s) = drain(&deliverer, &store).await;
    println!(
        "alerts: delivery to 200 chats: {sent} messages in {s:.2} s ({:.0} messages/s, paced per chat)",
        sent as f64 / s
    );
    store
        .upsert_conversation(&chat("a:one-chat", &service))
        .await
        .expect("chat");
    store
        .subscribe(
            "a:one-chat",
            "heartbeat",
            &Person::default(),
            doberman::store::now(),
        )
        .await
        .expect("subscribe");
    for _ in 0..30 {
        jobs.heartbeat(doberman::store::now())
            .await
            .expect("heartbeat");
    }
    let (sent, s) = drain(&deliverer, &store).await;
    println!(
        "alerts: delivery to one chat: {sent} messages in {s:.2} s ({:.1} messages/s: Teams' 7 per second, 8 per 2 s)",
        sent as f64 / s
    );
}
