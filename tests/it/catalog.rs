//! `catalog table`, `catalog db` and `catalog search` in chat, from what the catalog and usage collectors store,
//! and the demo data behind the README's first command.

use chrono::{DateTime, Duration, Utc};
use doberman::chat::{Chat, Settings};
use doberman::store::{
    CatalogScope, ColumnRow, DatabaseRow, JobOutcome, JobStatus, PartitionStats, QueryRow, Store,
    TableRow, now,
};

use crate::support::{TestDb, two_backends};
use doberman::i18n::english_besides;

fn chat(store: &Store) -> Chat {
    crate::support::chat(
        store,
        Settings {
            superset_url: Some(url::Url::parse("https://superset.example.com/").expect("url")),
            periods: [("catalog".to_owned(), Duration::hours(1))].into(),
            // The sales tables are expected daily (as alerts.freshness says); the others are not watched.
            watch: doberman::chat::Watch {
                rules: vec![doberman::config::alerts::FreshnessRule {
                    tables: "sales.*".to_owned(),
                    every: "1d".to_owned(),
                }]
                .into(),
                learn: true,
            },
            ..Settings::default()
        },
    )
}

async fn ask(chat: &Chat, text: &str) -> String {
    crate::support::ask_card(chat, text).await.0
}

fn column(
    name: &str,
    ordinal: i64,
    data_type: &str,
    comment: Option<&str>,
    key: bool,
) -> ColumnRow {
    ColumnRow {
        name: name.into(),
        ordinal,
        data_type: data_type.into(),
        comment: comment.map(str::to_owned),
        is_partition_key: key,
    }
}

fn table(name: &str, changed: DateTime<Utc>, columns: Vec<ColumnRow>) -> TableRow {
    let keys: Vec<&str> = columns
        .iter()
        .filter(|c| c.is_partition_key)
        .map(|c| c.name.as_str())
        .collect();
    TableRow {
        name: name.into(),
        table_type: Some("EXTERNAL_TABLE".into()),
        table_format: "hive".into(),
        location: Some(format!("s3://lake/{name}/")),
        classification: Some("parquet".into()),
        owner: Some("data-eng".into()),
        partition_keys: (!keys.is_empty()).then(|| serde_json::to_string(&keys).expect("json")),
        updated_at: Some(changed),
        partitions: (!keys.is_empty()).then(|| PartitionStats {
            count: 365,
            newest_values: Some("[\"2026-11-24\"]".into()),
            newest_created_at: Some(changed),
        }),
        columns,
        ..TableRow::default()
    }
}

/// The account and region the fixtures' catalog belongs to.
fn lake_scope() -> CatalogScope {
    CatalogScope {
        account: "lake".into(),
        region: "ap-northeast-2".into(),
    }
}

/// A small lake: sales.orders (fresh, partitioned, read by two work groups), sales.order_items, 판매.주문 (Korean
/// names, stale), web.events; and queries over them.
async fn seed(store: &Store) {
    let t = now();
    let scope = lake_scope();
    let lake: [(&str, Vec<TableRow>); 3] = [
        (
            "sales",
            vec![
                table(
                    "orders",
                    t - Duration::hours(2),
                    vec![
                        column("order_id", 1, "bigint", Some("주문번호"), false),
                        column("customer_id", 2, "bigint", Some("who ordered"), false),
                        column("total_amount", 3, "decimal(18,2)", None, false),
                        column("dt", 4, "string", Some("KST day"), true),
                    ],
                ),
                table(
                    "order_items",
                    t - Duration::days(3),
                    vec![column("order_id", 1, "bigint", None, false)],
                ),
            ],
        ),
        (
            "판매",
            vec![table(
                "주문",
                t - Duration::days(40),
                vec![column("주문일자", 1, "date", Some("주문한 날 🐕"), false)],
            )],
        ),
        (
            "web",
            vec![table(
                "events",
                t - Duration::hours(1),
                vec![column("customerId", 1, "bigint", None, false)],
            )],
        ),
    ];
    for (db, tables) in lake {
        store
            .write_catalog_database(
                &scope,
                &DatabaseRow {
                    name: db.into(),
                    description: Some(format!("the {db} database")),
                    ..DatabaseRow::default()
                },
                &tables,
                t,
            )
            .await
            .expect("catalog");
    }
    let today = t.with_timezone(&chrono_tz::Asia::Seoul).date_naive();
    let mut queries = Vec::new();
    for (n, (work_group, table)) in [
        ("analysts", "orders"),
        ("analysts", "orders"),
        ("analysts", "orders"),
        ("airflow", "orders"),
        ("airflow", "order_items"),
    ]
    .into_iter()
    .enumerate()
    {
        queries.push(QueryRow {
            query_id: format!("q{n}"),
            account: "lake".into(),
            region: "ap-northeast-2".into(),
            work_group: work_group.into(),
            state: "SUCCEEDED".into(),
            statement_type: Some("DML".into()),
            query_catalog: None,
            query_database: Some("sales".into()),
            submitted_at: t - Duration::hours(1),
            completed_at: None,
            usage_date: today,
            engine_ms: None,
            total_ms: None,
            queue_ms: None,
            bytes_scanned: Some(1_000),
            engine_version: None,
            error_message: None,
            sql_text: Some(format!("SELECT * FROM sales.{table}")),
            sql_bytes: 20,
            sql_truncated: false,
            sql_hash: format!("{n:016x}"),
            tables_error: None,
            reads: vec![("sales".into(), table.into())],
            writes: Vec::new(),
        });
    }
    store
        .write_athena_queries(&queries, t)
        .await
        .expect("queries");
}

async fn a_table_shows_columns_partitions_freshness_and_readers(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    let chat = chat(&store);

    let (text, card) = crate::support::ask_card(&chat, "catalog table sales.orders").await;

    for expected in [
        "sales.orders",
        "hive table · 4 columns",
        "fresh · 2h ago",
        "Location: s3://lake/orders/",
        "Format: hive · parquet",
        "Partitions: 365 by dt",
        "Newest partition: dt=2026-11-24",
        "order_id | bigint | 주문번호",
        "🔑 dt | string | KST day",
        "Read most by · 4 queries in 30 days",
        "analysts · lake: 3 queries",
        "airflow · lake: 1 query",
        "Account: lake · ap-northeast-2",
        "data as of",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    assert!(
        card.to_string()
            .contains("https://superset.example.com/superset/dashboard/doberman-catalog/"),
        "links to the catalog dashboard"
    );
    let text = ask(&chat, "테이블 판매.주문").await;
    assert!(text.contains("판매.주문"), "Korean names: {text}");
    // No rule names it and it changed too seldom to learn from: no verdict, as the alerts give none.
    assert!(
        text.contains("changed · 40d ago") && text.contains("not watched"),
        "{text}"
    );
    assert!(text.contains("주문일자 | date | 주문한 날 🐕"), "{text}");
    assert!(
        text.contains("No Athena query used it in the last 30 days."),
        "{text}"
    );
}
two_backends!(a_table_shows_columns_partitions_freshness_and_readers);

async fn a_name_that_is_not_exact_gets_close_matches(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    let chat = chat(&store);

    let cases: &[(&str, &[&str], &str)] = &[
        (
            "catalog table orders",
            &["sales.orders", "Partitions: 365"],
            "a table name alone, unique: shown",
        ),
        (
            "catalog table sales.ordres",
            &[
                "There is no table sales.ordres; this is the only close match.",
                "Columns (4)",
            ],
            "one typo, one close match: shown directly",
        ),
        (
            "catalog table slaes.orders",
            &[
                "There is no table slaes.orders; this is the only close match.",
                "sales.orders",
            ],
            "the database misspelt",
        ),
        (
            "catalog table order",
            &[
                "There is no table order",
                "Did you mean one of these?",
                "sales.orders",
                "sales.order_items",
            ],
            "several close matches are listed",
        ),
        (
            "catalog table nothing_like_it",
            &[
                "No table is called nothing_like_it or anything close",
                "catalog search nothing_like_it",
            ],
            "nothing close: say so and what to try",
        ),
        (
            "catalog table a;b",
            &["is not a table name"],
            "a bad name is a usage hint",
        ),
    ];
    for (command, expected, case) in cases {
        let text = ask(&chat, command).await;
        for e in *expected {
            assert!(text.contains(e), "{case}: {e:?} missing from:\n{text}");
        }
    }
}
two_backends!(a_name_that_is_not_exact_gets_close_matches);

async fn a_database_lists_its_tables_with_freshness_and_use(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    let chat = chat(&store);

    let text = ask(&chat, "catalog db sales").await;
    assert!(text.contains("Database sales"), "{text}");
    assert!(text.contains("Tables: 2"), "{text}");
    assert!(text.contains("About: the sales database"), "{text}");
    assert!(
        text.contains("sales.order_items | hive | stale · 3d ago | 1"),
        "{text}"
    );
    assert!(
        text.contains("sales.orders | hive · 365 partitions | fresh · 2h ago | 4"),
        "{text}"
    );

    let text = ask(&chat, "데이터베이스 판매").await;
    assert!(text.contains("1 table, by name"), "{text}");
    assert!(
        text.contains("판매.주문 | hive | changed · 40d ago | 0"),
        "{text}"
    );
    assert!(text.contains("Not changed in 7 days: 1"), "{text}");

    let text = ask(&chat, "catalog db sals").await;
    assert!(
        text.contains("There is no database sals; this is the only close match."),
        "{text}"
    );
    let text = ask(&chat, "catalog db nowhere").await;
    assert!(text.contains("No database is called nowhere"), "{text}");
    assert!(text.contains("catalog search nowhere"), "{text}");
}
two_backends!(a_database_lists_its_tables_with_freshness_and_use);

async fn search_finds_names_columns_and_comments_in_any_language(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    let chat = chat(&store);

    let rows = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.contains(" | ") && !l.starts_with("Table |"))
            .map(|l| l.split(" | ").next().unwrap_or_default().to_owned())
            .collect()
    };
    // (command, tables in order, whether the order matters, case)
    let cases: &[(&str, &[&str], bool, &str)] = &[
        (
            "catalog search order",
            &["sales.orders", "sales.order_items"],
            true,
            "two name hits: the more used first",
        ),
        (
            "catalog search customer",
            &["sales.orders", "web.events"],
            false,
            "a snake_case and a camelCase column",
        ),
        (
            "catalog search 주문",
            &["판매.주문", "sales.orders"],
            true,
            "a Korean name beats a Korean comment",
        ),
        (
            "검색 일자",
            &["판매.주문"],
            true,
            "the ending of a Korean compound",
        ),
        (
            "catalog search order customer",
            &["sales.orders"],
            true,
            "every word must match",
        ),
        (
            "catalog search ORDERS",
            &["sales.orders"],
            true,
            "case does not matter",
        ),
    ];
    for (command, expected, ordered, case) in cases {
        let text = ask(&chat, command).await;
        let mut found = rows(&text);
        let mut expected: Vec<String> = expected.iter().map(|e| (*e).to_owned()).collect();
        if !ordered {
            found.sort();
            expected.sort();
        }
        assert_eq!(found, expected, "{case}:\n{text}");
    }
    let text = ask(&chat, "catalog search zebra").await;
    assert!(text.contains("Nothing matches “zebra”"), "{text}");
    assert!(text.contains("try fewer or shorter words"), "{text}");
}
two_backends!(search_finds_names_columns_and_comments_in_any_language);

async fn an_empty_catalog_and_a_late_collector_say_so(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let chat = chat(&store);

    for command in [
        "catalog table sales.orders",
        "catalog db sales",
        "catalog search orders",
    ] {
        let text = ask(&chat, command).await;
        assert!(
            text.contains("The catalog is empty") && text.contains("doberman demo"),
            "{command}: {text}"
        );
    }

    seed(&store).await;
    let t = now();
    let run = store
        .start_job_run("catalog", t - Duration::hours(5))
        .await
        .expect("start");
    store
        .finish_job_run(
            run,
            t - Duration::hours(5),
            &JobOutcome {
                status: JobStatus::Succeeded,
                rows_written: 1,
                error_text: None,
            },
        )
        .await
        .expect("finish");
    let text = ask(&chat, "catalog table sales.orders").await;
    assert!(
        text.contains("The catalog collector last succeeded 5h ago; the catalog may be behind."),
        "an hourly job 5 hours late: {text}"
    );
}
two_backends!(an_empty_catalog_and_a_late_collector_say_so);

async fn search_words_follow_renames_and_are_not_rewritten_when_unchanged(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    let before = db.number("SELECT COUNT(*) FROM dim_search_term").await;
    let scope = lake_scope();
    let t = now();

    // The same table again: no word is rewritten (the row count and the rows stay).
    let orders = |comment: &str| {
        table(
            "events",
            t - Duration::hours(1),
            vec![column("customerId", 1, "bigint", Some(comment), false)],
        )
    };
    let web = DatabaseRow {
        name: "web".into(),
        description: Some("the web database".into()),
        ..DatabaseRow::default()
    };
    store
        .write_catalog_database(
            &scope,
            &web,
            &[table(
                "events",
                t - Duration::hours(1),
                vec![column("customerId", 1, "bigint", None, false)],
            )],
            t,
        )
        .await
        .expect("again");
    assert_eq!(
        db.number("SELECT COUNT(*) FROM dim_search_term").await,
        before
    );

    // A new comment: its words are found, and only then.
    store
        .write_catalog_database(&scope, &web, &[orders("방문 세션")], t)
        .await
        .expect("commented");
    let chat = chat(&store);
    let text = ask(&chat, "catalog search 세션").await;
    assert!(text.contains("web.events"), "{text}");
    store
        .write_catalog_database(&scope, &web, &[orders("visits")], t)
        .await
        .expect("recommented");
    let text = ask(&chat, "catalog search 세션").await;
    assert!(
        text.contains("Nothing matches"),
        "the old comment's words are gone: {text}"
    );
}
two_backends!(search_words_follow_renames_and_are_not_rewritten_when_unchanged);

async fn one_table_in_two_accounts_is_shown_once_naming_the_other(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    store
        .write_catalog_database(
            &CatalogScope {
                account: "dev".into(),
                region: "us-east-1".into(),
            },
            &DatabaseRow {
                name: "sales".into(),
                ..DatabaseRow::default()
            },
            &[table("orders", now(), Vec::new())],
            now(),
        )
        .await
        .expect("dev");
    let chat = chat(&store);

    let text = ask(&chat, "catalog table sales.orders").await;

    assert!(
        text.contains("sales.orders is also in lake · ap-northeast-2."),
        "accounts in name order: {text}"
    );
    assert!(text.contains("Account: dev · us-east-1"), "{text}");
}
two_backends!(one_table_in_two_accounts_is_shown_once_naming_the_other);

async fn lost_search_words_are_written_again_from_the_catalog(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    let words = "SELECT term FROM dim_search_term ORDER BY term, table_id, weight";
    let weights = "SELECT CAST(SUM(table_id * weight) AS SIGNED INTEGER) FROM dim_search_term";
    let (before, before_weights) = (db.strings(words).await, db.number(weights).await);
    assert!(before.iter().any(|w| w == "일자"), "{before:?}");

    // Tables stored without their words (written behind the store's back): indexed a batch at a time.
    db.execute_raw("DELETE FROM dim_search_term").await;
    db.execute_raw("UPDATE dim_table SET search_hash = NULL")
        .await;
    let mut indexed = 0;
    loop {
        let n = store.index_unsearched_tables(2).await.expect("index");
        if n == 0 {
            break;
        }
        assert!(n <= 2);
        indexed += n;
    }
    assert_eq!(
        indexed as i64,
        db.number("SELECT COUNT(*) FROM dim_table").await
    );
    assert_eq!(db.strings(words).await, before);
    assert_eq!(db.number(weights).await, before_weights);
    let chat = chat(&store);
    assert!(ask(&chat, "catalog search 일자").await.contains("주문"));
    // Their fingerprints are back too: the collector writing the same catalog rewrites nothing.
    seed(&store).await;
    assert_eq!(db.strings(words).await, before);
}
two_backends!(lost_search_words_are_written_again_from_the_catalog);

/// SQLite: a catalog write (which reads before it writes) while another job writes waits its turn instead of
/// failing with "database is locked", as it did when a collector ran every second beside it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_write_waits_for_another_writer_on_sqlite() {
    let db = TestDb::sqlite();
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let other = {
        let (store, stop) = (store.clone(), stop.clone());
        tokio::spawn(async move {
            let mut runs = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                store.start_job_run("usage", now()).await.expect("job run");
                runs += 1;
            }
            runs
        })
    };
    let scope = lake_scope();
    for i in 0..40 {
        let tables: Vec<TableRow> = (0..5)
            .map(|t| {
                table(
                    &format!("t{t}"),
                    now(),
                    vec![column(
                        "id",
                        1,
                        "bigint",
                        Some(&format!("round {i}")),
                        false,
                    )],
                )
            })
            .collect();
        store
            .write_catalog_database(
                &scope,
                &DatabaseRow {
                    name: "busy".into(),
                    ..DatabaseRow::default()
                },
                &tables,
                now(),
            )
            .await
            .unwrap_or_else(|e| panic!("write {i}: {e}"));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(other.await.expect("writer") > 0);
    assert_eq!(db.number("SELECT COUNT(*) FROM dim_table").await, 5);
}

async fn a_very_common_word_searches_its_first_uses_and_says_so(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let scope = lake_scope();
    let limit = doberman::store::SEARCH_DRIVER_ROWS as usize;
    // Every table has a column commented 고객 (customer); one of them also has a rare column name.
    let tables: Vec<TableRow> = (0..=limit)
        .map(|i| {
            let mut columns = vec![column(
                "customer_key",
                1,
                "bigint",
                Some("고객 번호"),
                false,
            )];
            if i == 4_321 {
                columns.push(column("loyalty_tier", 2, "string", None, false));
            }
            table(&format!("t{i:05}"), now(), columns)
        })
        .collect();
    store
        .write_catalog_database(
            &scope,
            &DatabaseRow {
                name: "crm".into(),
                ..DatabaseRow::default()
            },
            &tables,
            now(),
        )
        .await
        .expect("catalog");

    let common = store.search_tables("고객").await.expect("search");
    assert!(common.truncated);
    assert_eq!(common.tables.len(), 200, "candidates are still given");
    let card = ask(&chat(&store), "catalog search 고객").await;
    assert!(card.contains("Add a word"), "{card}");

    // With a rarer word beside it, the rare word drives and the whole catalog is searched.
    let narrowed = store.search_tables("고객 loyalty").await.expect("search");
    assert!(!narrowed.truncated);
    let names: Vec<&str> = narrowed
        .tables
        .iter()
        .map(|(t, _)| t.name.as_str())
        .collect();
    assert_eq!(names, ["t04321"]);
    assert_eq!(narrowed.tables[0].1, 1 + 2, "comment 1 + column name 2");
    // A word nowhere: nothing, not truncated.
    let nothing = store.search_tables("고객 nowhere").await.expect("search");
    assert!(nothing.tables.is_empty() && !nothing.truncated);
}
two_backends!(a_very_common_word_searches_its_first_uses_and_says_so);

async fn a_dropped_table_leaves_the_search_and_comes_back_with_its_words(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    let chat = chat(&store);
    assert!(
        ask(&chat, "catalog search customer")
            .await
            .contains("web.events")
    );
    let events_words = "SELECT COUNT(*) FROM dim_search_term WHERE table_id = \
                        (SELECT id FROM dim_table WHERE table_name = 'events')";
    let words = db.number(events_words).await;
    assert!(words > 0);

    // The web database listed again without events: events is dropped, and so are its words.
    let scope = lake_scope();
    let web = DatabaseRow {
        name: "web".into(),
        ..DatabaseRow::default()
    };
    store
        .write_catalog_database(&scope, &web, &[], now())
        .await
        .expect("web without events");
    assert_eq!(db.number(events_words).await, 0);
    let found = store.search_tables("customer").await.expect("search");
    assert!(
        found.tables.iter().all(|(t, _)| t.name != "events"),
        "{:?}",
        found.tables
    );

    // It comes back: its words are written again.
    store
        .write_catalog_database(
            &scope,
            &web,
            &[table(
                "events",
                now(),
                vec![column("customerId", 1, "bigint", None, false)],
            )],
            now(),
        )
        .await
        .expect("events again");
    assert_eq!(db.number(events_words).await, words);
    assert!(
        ask(&chat, "catalog search customer")
            .await
            .contains("web.events")
    );
}
two_backends!(a_dropped_table_leaves_the_search_and_comes_back_with_its_words);

/// Every string of a card.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|i| strings(i, out)),
        _ => {}
    }
}

async fn what_a_person_typed_comes_back_short_and_never_as_a_link(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    let chat = chat(&store);
    let asked = [
        format!("catalog search {}", "주문".repeat(5_000)),
        format!("catalog search {}", "주문 ".repeat(5_000)),
        format!("catalog search {}", "x".repeat(100_000)),
        "catalog table [click](https://evil.example)".to_owned(),
        "catalog db [click](https://evil.example)".to_owned(),
        "catalog search [click](https://evil.example)".to_owned(),
        "top tables db [click](https://evil.example)".to_owned(),
        "top tables [click](https://evil.example)".to_owned(),
        "cost [click](https://evil.example)".to_owned(),
        "navigate [click](https://evil.example)".to_owned(),
        "subscribe [click](https://evil.example)".to_owned(),
        "requests [click](https://evil.example)".to_owned(),
        "request [click](https://evil.example)".to_owned(),
        "help [click](https://evil.example)".to_owned(),
        "[click](https://evil.example)".to_owned(),
        format!("{} tables", "y".repeat(900_000)),
    ];
    for text in &asked {
        let (_, card) = crate::support::ask_card(&chat, text).await;
        let bytes = serde_json::to_vec(&card).expect("json").len();
        let shown: String = text.chars().take(40).collect();
        // Three echoes of 60 characters, and the card around them.
        assert!(bytes < 12 * 1024, "{shown}…: {bytes} bytes");
        let mut all = Vec::new();
        strings(&card, &mut all);
        for s in all {
            assert!(
                !s.contains("click]("),
                "{shown}: a live link on the card: {s}"
            );
        }
    }
}
two_backends!(what_a_person_typed_comes_back_short_and_never_as_a_link);

async fn help_for_a_first_word_lists_its_commands_and_counts_read_as_words(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    let chat = chat(&store);

    // Teams takes `<name>` for an HTML tag and shows nothing: placeholders are written ‹name›.
    for asked in ["help", "help catalog db", "navigate"] {
        let (_, card) = crate::support::ask_card(&chat, asked).await;
        let json = card.to_string();
        assert!(
            json.contains('‹') && !json.contains("<name>") && !json.contains("<db.table>"),
            "{asked}: {json}"
        );
    }
    let (help, _) = crate::support::ask_card(&chat, "help top").await;
    assert!(
        help.contains("top tables") && help.contains("top databases"),
        "{help}"
    );
    assert!(!help.contains("I don't know"), "{help}");

    let one = ask(&chat, "catalog table sales.order_items").await;
    assert!(
        one.contains("1 column") && !one.contains(" 1 columns"),
        "{one}"
    );
}
two_backends!(help_for_a_first_word_lists_its_commands_and_counts_read_as_words);

/// What the fixtures of this file name: data, not words of Doberman's.
const LAKE_DATA: &[&str] = &[
    "sales",
    "order_items",
    "orders",
    "판매.주문",
    "web",
    "events",
    "customerId",
    "bigint",
    "string",
    "decimal(18,2)",
    "date",
    "who ordered",
    "KST day",
    "hive",
    "parquet",
    "data-eng",
    "lake",
    "ap-northeast-2",
    "analysts",
    "airflow",
    "the sales database",
    "the web database",
    "the 판매 database",
    "crm",
    "customers",
    "visits",
];

/// Asserts that the Korean answer to `asked` has each of `expected` and no English but data; its card.
async fn korean(chat: &Chat, asked: &str, expected: &[&str], data: &[&str]) -> serde_json::Value {
    let all: Vec<&str> = LAKE_DATA.iter().chain(data).copied().collect();
    crate::support::korean_answer(chat, asked, expected, &all)
        .await
        .1
}

/// A database `crm` of two tables whose comments say 고객 (customer): a word no table is named.
async fn seed_customers(store: &Store) {
    let tables = ["customers", "visits"].map(|name| {
        table(
            name,
            now() - Duration::hours(3),
            vec![column(
                "customer_key",
                1,
                "bigint",
                Some("고객 번호"),
                false,
            )],
        )
    });
    store
        .write_catalog_database(
            &lake_scope(),
            &DatabaseRow {
                name: "crm".into(),
                ..DatabaseRow::default()
            },
            &tables,
            now(),
        )
        .await
        .expect("crm");
}

async fn a_table_is_answered_in_korean(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    let chat = chat(&store);

    let card = korean(
        &chat,
        "catalog table sales.orders",
        &[
            "hive 테이블 · 컬럼 4개",
            "최신 · 2시간 전",
            "위치: s3://lake/orders/",
            "포맷: hive · parquet",
            "예상 변경 주기: 1일마다 (`alerts.freshness`)",
            "파티션: dt 기준 365개",
            "최신 파티션: dt=2026-11-24",
            "컬럼 (4)",
            "컬럼 | 타입 | 코멘트",
            "많이 읽은 곳 · 30일간 쿼리 4건",
            "analysts · lake: 쿼리 3건",
            "계정: lake · ap-northeast-2",
            "데이터 기준: ",
        ],
        &[],
    )
    .await;
    assert_eq!(card["actions"][0]["title"], "카탈로그 대시보드 열기");
    korean(
        &chat,
        "catalog table 주문",
        &[
            "변경 · 40일 전",
            "감시하지 않음",
            "최근 30일 동안 이 테이블을 읽은 Athena 쿼리가 없습니다.",
        ],
        &[],
    )
    .await;
    korean(
        &chat,
        "catalog table sales.ordres",
        &["sales.ordres 테이블은 없습니다. 비슷한 이름은 이 테이블 하나뿐입니다."],
        &["ordres"],
    )
    .await;
    korean(
        &chat,
        "catalog table order",
        &[
            "order 테이블이 없습니다",
            "혹시 이 중 하나인가요?",
            "테이블 | 설명 | 데이터 변경 | 조회 수 (30일)",
        ],
        &["order"],
    )
    .await;
    korean(
        &chat,
        "catalog table nothing_like_it",
        &[
            "이름이 nothing_like_it이거나 비슷한 테이블이 없습니다",
            "`검색 nothing_like_it`",
        ],
        &[],
    )
    .await;
}
two_backends!(a_table_is_answered_in_korean);

async fn a_word_that_is_no_tables_name_is_searched_for(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    seed_customers(&store).await;
    let chat = chat(&store);

    let one = ask(&chat, "catalog table 일자").await;
    assert!(
        one.contains("No table is called 일자; this is the only table with that word.")
            && one.contains("주문일자 | date"),
        "one table has the word: its card: {one}"
    );
    let several = ask(&chat, "catalog table 고객").await;
    assert!(
        several.contains("Tables matching “고객”")
            && several.contains("No table is called 고객; these tables have that word.")
            && several.contains("crm.customers")
            && several.contains("crm.visits"),
        "several: listed as a search: {several}"
    );
    let none = ask(&chat, "catalog table 없는말").await;
    assert!(
        none.contains("Nothing matches “없는말”") && none.contains("try fewer or shorter words"),
        "{none}"
    );
    let exact = ask(&chat, "catalog table 주문").await;
    assert!(
        exact.contains("판매.주문")
            && exact.contains("Columns (1)")
            && !exact.contains("this is the only"),
        "a table called so is shown as it is: {exact}"
    );

    korean(
        &chat,
        "catalog table 일자",
        &[
            "이름이 일자인 테이블은 없지만, 이 단어가 들어간 테이블은 이것 하나뿐입니다.",
            "주문일자 | date | 주문한 날 🐕",
        ],
        &[],
    )
    .await;
    korean(
        &chat,
        "테이블 고객",
        &[
            "“고객” 검색 결과",
            "이름이 고객인 테이블은 없습니다. 이 단어가 들어간 테이블입니다.",
            "2개 · 이름, 컬럼, 코멘트 순이고 같으면 많이 쓰는 순",
        ],
        &[],
    )
    .await;
    korean(
        &chat,
        "테이블 없는말",
        &["“없는말”에 맞는 테이블이 없습니다", "단어 수를 줄이거나"],
        &[],
    )
    .await;
}
two_backends!(a_word_that_is_no_tables_name_is_searched_for);

async fn a_database_and_a_search_are_answered_in_korean(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed(&store).await;
    let chat = chat(&store);

    korean(
        &chat,
        "catalog db sales",
        &[
            "데이터베이스 sales",
            "테이블 2개, 이름순",
            "테이블: 2",
            "설명: the sales database",
            "계정: lake · ap-northeast-2",
            "sales.order_items | hive | 지연 · 3일 전 | 1",
            "sales.orders | hive · 파티션 365개 | 최신 · 2시간 전 | 4",
        ],
        &[],
    )
    .await;
    korean(
        &chat,
        "데이터베이스 판매",
        &["테이블 1개, 이름순", "7일간 변경 없음: 1"],
        &[],
    )
    .await;
    korean(
        &chat,
        "catalog db sals",
        &["sals 데이터베이스는 없습니다. 비슷한 이름은 이 데이터베이스 하나뿐입니다."],
        &["sals"],
    )
    .await;
    korean(
        &chat,
        "catalog db nowhere",
        &[
            "nowhere 데이터베이스가 없습니다",
            "이름이 nowhere인 데이터베이스가 없습니다",
            "`검색 nowhere`",
        ],
        &["nowhere"],
    )
    .await;
    korean(
        &chat,
        "catalog search 주문",
        &[
            "“주문” 검색 결과",
            "2개 · 이름, 컬럼, 코멘트 순",
            "판매.주문 | hive | 변경 · 40일 전 | 0",
        ],
        &[],
    )
    .await;
    korean(
        &chat,
        "검색 zebra",
        &["“zebra”에 맞는 테이블이 없습니다", "단어 수를 줄이거나"],
        &["zebra"],
    )
    .await;
    // Words with no letters (the parser sends no such thing, but a caller of `search` might).
    let view = Settings::default().view(doberman::collect::Job::Catalog);
    let reply = doberman::i18n::scope(
        doberman::i18n::Lang::Ko,
        doberman::chat::catalog::search(&store, &view, "???"),
    )
    .await
    .expect("an answer");
    let doberman::chat::Reply::Card(card) = reply else {
        panic!("a card")
    };
    let text = doberman::cards::kit::to_text(&card);
    assert!(
        text.contains("무엇을 검색할까요?") && text.contains("`검색 주문`"),
        "{text}"
    );
    assert_eq!(english_besides(&text, &[]), Vec::<String>::new(), "{text}");
}
two_backends!(a_database_and_a_search_are_answered_in_korean);

async fn an_empty_catalog_a_late_collector_and_a_bad_name_are_answered_in_korean(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let chat = chat(&store);

    for asked in [
        "catalog table sales.orders",
        "catalog db sales",
        "catalog search orders",
    ] {
        korean(
            &chat,
            asked,
            &["카탈로그가 비어 있습니다", "`doberman demo`"],
            &[],
        )
        .await;
    }

    seed(&store).await;
    let t = now();
    let run = store
        .start_job_run("catalog", t - Duration::hours(5))
        .await
        .expect("start");
    store
        .finish_job_run(
            run,
            t - Duration::hours(5),
            &JobOutcome {
                status: JobStatus::Succeeded,
                rows_written: 1,
                error_text: None,
            },
        )
        .await
        .expect("finish");
    korean(
        &chat,
        "catalog table sales.orders",
        &["카탈로그 수집기가 마지막으로 성공한 때는 5시간 전입니다. 카탈로그가 최신이 아닐 수 있습니다."],
        &[],
    )
    .await;

    // The problem with what was typed, in Korean (the usage card around it is the help's).
    let in_korean = |parse: fn(&str) -> Result<String, String>, bad: &str| {
        doberman::i18n::sync_scope(doberman::i18n::Lang::Ko, || parse(bad)).expect_err(bad)
    };
    let table_name = |bad: &str| doberman::chat::catalog::parse_table(bad).map(|t| t.table);
    for bad in ["a;b", "a.b.c.d"] {
        let problem = in_korean(table_name, bad);
        assert!(
            problem.contains("테이블 이름으로 읽을 수 없습니다"),
            "{problem}"
        );
        assert_eq!(
            english_besides(&problem, &[bad]),
            Vec::<String>::new(),
            "{problem}"
        );
    }
    let problem = in_korean(doberman::chat::catalog::parse_database, "a;b");
    assert!(
        problem.contains("데이터베이스 이름으로 읽을 수 없습니다"),
        "{problem}"
    );
    assert_eq!(
        english_besides(&problem, &["a;b"]),
        Vec::<String>::new(),
        "{problem}"
    );
}
two_backends!(an_empty_catalog_a_late_collector_and_a_bad_name_are_answered_in_korean);
