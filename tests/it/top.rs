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
            started_at: Some(doberman::clock::now()),
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
    seed_ranking(&store).await;
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

    // A window beyond what is kept is refused with the range.
    let text = ask(&chat, "top tables 120d").await;
    assert!(text.contains("120d"), "{text}");
}
two_backends!(an_empty_store_and_a_bad_option_say_what_to_do);

/// Queries of two accounts and work groups over ten days: with no table, one, two of a database, tables of two
/// databases, a table both read and written; some failed, some without bytes.
fn varied_history(today: NaiveDate) -> Vec<QueryRow> {
    (0..80)
        .map(|i| {
            let day = today - Duration::days(i as i64 % 10);
            let reads: &[(&str, &str)] = match i % 4 {
                0 => &[],
                1 => &[("sales", "orders")],
                2 => &[("sales", "orders"), ("sales", "customers")],
                _ => &[("web", "이벤트"), ("sales", "orders")],
            };
            let mut q = query(i, day, &[("x", "x")], i as i64 * 1_000);
            q.query_id = format!("varied-{i}");
            q.reads = reads
                .iter()
                .map(|(d, t)| ((*d).to_owned(), (*t).to_owned()))
                .collect();
            if i % 6 == 0 {
                q.writes = vec![("sales".to_owned(), "orders".to_owned())];
            }
            q.account = if i % 3 == 0 { "analytics" } else { "lake" }.into();
            q.work_group = if i % 5 < 2 { "etl" } else { "analysts" }.into();
            q.state = if i % 7 == 0 { "FAILED" } else { "SUCCEEDED" }.into();
            q.bytes_scanned = (i % 5 != 0).then_some(i as i64 * 1_000);
            q
        })
        .collect()
}

/// Rows of `sql` as text: `columns` columns each read on their own (`CAST(… AS CHAR)`), joined by spaces.
async fn rows_of(db: &TestDb, table: &str, columns: &[&str], order: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for column in columns {
        let values = db
            .strings(&format!(
                "SELECT CAST({column} AS CHAR) FROM {table} ORDER BY {order}"
            ))
            .await;
        if out.is_empty() {
            out = values;
        } else {
            for (row, value) in out.iter_mut().zip(values) {
                row.push(' ');
                row.push_str(&value);
            }
        }
    }
    out.sort();
    out
}

async fn the_roll_ups_count_what_the_stored_queries_say(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let today = doberman::store::now()
        .with_timezone(&chrono_tz::Asia::Seoul)
        .date_naive();
    let history = varied_history(today);
    // Written in two batches, then half of them again with another state: every write recomputes its days.
    store
        .write_athena_queries(&history[..40], doberman::store::now())
        .await
        .expect("first batch");
    store
        .write_athena_queries(&history[40..], doberman::store::now())
        .await
        .expect("second batch");
    let mut final_history = history.clone();
    for q in final_history.iter_mut().step_by(2) {
        q.state = "CANCELLED".into();
    }
    let rewritten: Vec<QueryRow> = final_history.iter().step_by(2).cloned().collect();
    store
        .write_athena_queries(&rewritten, doberman::store::now())
        .await
        .expect("rewrite");

    // What each roll-up should hold, counted here from the queries themselves.
    use std::collections::{BTreeMap, BTreeSet};
    let failed = |q: &QueryRow| u64::from(q.state != "SUCCEEDED");
    let bytes = |q: &QueryRow| q.bytes_scanned.unwrap_or(0);
    let mut per_database: BTreeMap<String, (u64, u64, i64)> = BTreeMap::new();
    let mut per_table: BTreeMap<String, (u64, u64, u64, u64, i64)> = BTreeMap::new();
    let mut per_group: BTreeMap<String, (u64, u64, i64, u64, i64)> = BTreeMap::new();
    for q in &final_history {
        let tables: BTreeSet<&(String, String)> = q.reads.iter().chain(&q.writes).collect();
        let databases: BTreeSet<&String> = tables.iter().map(|(d, _)| d).collect();
        let key = |rest: &str| {
            format!(
                "{} {} ap-northeast-2 {} {rest}",
                q.usage_date, q.account, q.work_group
            )
        };
        for d in databases {
            let e = per_database.entry(key(d)).or_default();
            *e = (e.0 + 1, e.1 + failed(q), e.2 + bytes(q));
        }
        for (d, t) in &tables {
            let read = u64::from(q.reads.iter().any(|r| r == &(d.clone(), t.clone())));
            let write = u64::from(q.writes.iter().any(|w| w == &(d.clone(), t.clone())));
            let e = per_table.entry(key(&format!("{d} {t}"))).or_default();
            *e = (
                e.0 + 1,
                e.1 + read,
                e.2 + write,
                e.3 + failed(q),
                e.4 + bytes(q),
            );
        }
        let used = u64::from(!tables.is_empty());
        let e = per_group.entry(key("").trim_end().to_owned()).or_default();
        *e = (
            e.0 + 1,
            e.1 + failed(q),
            e.2 + bytes(q),
            e.3 + used,
            e.4 + if used == 1 { bytes(q) } else { 0 },
        );
    }
    let expect = |map: Vec<String>| {
        let mut v = map;
        v.sort();
        v
    };
    let keys = ["usage_date", "account", "region", "work_group"];

    let databases = rows_of(
        &db,
        "fact_database_usage_daily",
        &[
            &keys[..],
            &[
                "database_name",
                "queries",
                "failed_queries",
                "bytes_scanned",
            ],
        ]
        .concat(),
        "usage_date, account, work_group, database_name",
    )
    .await;
    assert_eq!(
        databases,
        expect(
            per_database
                .iter()
                .map(|(k, (n, f, b))| format!("{k} {n} {f} {b}"))
                .collect()
        ),
        "per database, each query once"
    );
    let tables = rows_of(
        &db,
        "fact_table_usage_daily",
        &[
            &keys[..],
            &[
                "database_name",
                "table_name",
                "queries",
                "read_queries",
                "write_queries",
                "failed_queries",
                "bytes_scanned",
            ],
        ]
        .concat(),
        "usage_date, account, work_group, database_name, table_name",
    )
    .await;
    assert_eq!(
        tables,
        expect(
            per_table
                .iter()
                .map(|(k, (n, r, w, f, b))| format!("{k} {n} {r} {w} {f} {b}"))
                .collect()
        ),
        "per table, a table read and written once"
    );
    let groups = rows_of(
        &db,
        "fact_workgroup_usage_daily",
        &[
            &keys[..],
            &[
                "queries",
                "failed_queries",
                "bytes_scanned",
                "table_queries",
                "table_bytes_scanned",
            ],
        ]
        .concat(),
        "usage_date, account, work_group",
    )
    .await;
    assert_eq!(
        groups,
        expect(
            per_group
                .iter()
                .map(|(k, (n, f, b, tn, tb))| format!("{k} {n} {f} {b} {tn} {tb}"))
                .collect()
        ),
        "per work group, with and without tables"
    );

    // What the chat reads from them: the same as counting the queries of the period.
    let from = today - Duration::days(3);
    let in_period: Vec<&QueryRow> = final_history
        .iter()
        .filter(|q| q.usage_date >= from)
        .collect();
    let used = |q: &&QueryRow, db: Option<&str>| {
        q.reads
            .iter()
            .chain(&q.writes)
            .any(|(d, _)| db.is_none_or(|db| d == db))
    };
    for database in [None, Some("sales"), Some("web"), Some("nothing")] {
        let counted: Vec<&&QueryRow> = in_period.iter().filter(|q| used(q, database)).collect();
        let expected = (
            counted.len() as i64,
            counted.iter().map(|q| bytes(q)).sum::<i64>(),
        );
        assert_eq!(
            store
                .usage_overall(from, today, database)
                .await
                .expect("overall"),
            expected,
            "overall usage in {database:?}"
        );
    }
    let top = store
        .usage_totals(from - Duration::days(4), from, today, None, true, false, 10)
        .await
        .expect("top databases");
    let sales_now = in_period.iter().filter(|q| used(q, Some("sales"))).count() as i64;
    let sales = top.iter().find(|u| u.database == "sales").expect("sales");
    assert_eq!(sales.queries, sales_now, "{top:?}");

    // Recomputing from scratch changes nothing.
    let all = "usage_date, account, work_group, database_name";
    let before = rows_of(
        &db,
        "fact_database_usage_daily",
        &["database_name", "queries"],
        all,
    )
    .await;
    let rolled = store
        .roll_up_usage(today - Duration::days(30), today)
        .await
        .expect("recompute");
    assert!(rolled > 0);
    assert_eq!(
        rows_of(
            &db,
            "fact_database_usage_daily",
            &["database_name", "queries"],
            all
        )
        .await,
        before
    );
}
two_backends!(the_roll_ups_count_what_the_stored_queries_say);

/// Queries over 200 days: tables of three databases, used on days that fall inside and outside each window and
/// the period before it, with equal counts so ties are ranked by bytes and then by name.
fn long_history(today: NaiveDate) -> Vec<QueryRow> {
    let tables = [
        ("sales", "orders"),
        ("sales", "customers"),
        ("sales", "주문"),
        ("web", "이벤트"),
        ("web", "sessions"),
        ("ml", "features"),
    ];
    (0..600)
        .map(|i| {
            let day = today - Duration::days((i * 7 % 200) as i64);
            let first = tables[i % tables.len()];
            let second = tables[(i / 7) % tables.len()];
            let reads = if i % 3 == 0 {
                vec![first, second]
            } else {
                vec![first]
            };
            let mut q = query(i, day, &reads, (i % 11) as i64 * 1_000_000);
            q.query_id = format!("long-{i}");
            q.work_group = if i % 4 == 0 { "etl" } else { "analysts" }.into();
            q
        })
        .collect()
}

async fn the_windows_answer_as_the_daily_roll_ups_do(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let today = doberman::store::now()
        .with_timezone(&chrono_tz::Asia::Seoul)
        .date_naive();
    store
        .write_athena_queries(&long_history(today), doberman::store::now())
        .await
        .expect("write");
    // Every question the windows can answer, asked of the daily roll-ups first (no windows yet).
    let mut questions = Vec::new();
    for days in doberman::store::USAGE_WINDOWS {
        for database in [None, Some("sales"), Some("web"), Some("nowhere")] {
            for per_database in [false, true] {
                for by_bytes in [false, true] {
                    questions.push((days, database, per_database, by_bytes));
                }
            }
        }
    }
    let ask = async |days: i64, database, per_database, by_bytes| {
        let from = today - Duration::days(days - 1);
        store
            .usage_totals(
                from - Duration::days(days),
                from,
                today,
                database,
                per_database,
                by_bytes,
                50,
            )
            .await
            .expect("usage totals")
    };
    let mut live = Vec::new();
    for &(days, database, per_database, by_bytes) in &questions {
        live.push(ask(days, database, per_database, by_bytes).await);
    }
    assert!(live.iter().filter(|rows| !rows.is_empty()).count() > 30);
    assert_eq!(store.usage_windows_through(7).await.expect("day"), None);
    // The catalog's "queries (30d)" of named tables, from the daily roll-up.
    let named: Vec<(String, String)> = [
        ("sales", "orders"),
        ("web", "이벤트"),
        ("ml", "features"),
        ("sales", "nowhere"),
    ]
    .iter()
    .map(|(d, t)| ((*d).to_owned(), (*t).to_owned()))
    .collect();
    let month = (today - Duration::days(29), today);
    let queries_before = store
        .queries_of_tables(&named, month.0, month.1)
        .await
        .expect("queries of tables");
    assert_eq!(queries_before.len(), 3, "{queries_before:?}");

    let written = store.refresh_usage_windows(today).await.expect("refresh");
    assert!(written > 0);
    for days in doberman::store::USAGE_WINDOWS {
        assert_eq!(
            store.usage_windows_through(days).await.expect("day"),
            Some(today)
        );
    }
    // The daily roll-ups are emptied behind the store's back: the answers for today must come from the windows,
    // and be the same.
    db.execute_raw("DELETE FROM fact_table_usage_daily").await;
    db.execute_raw("DELETE FROM fact_database_usage_daily")
        .await;
    for (i, &(days, database, per_database, by_bytes)) in questions.iter().enumerate() {
        assert_eq!(
            ask(days, database, per_database, by_bytes).await,
            live[i],
            "{days} days, database {database:?}, per database {per_database}, by bytes {by_bytes}"
        );
    }
    assert_eq!(
        store
            .queries_of_tables(&named, month.0, month.1)
            .await
            .expect("queries of tables"),
        queries_before
    );
    // Recomputing the daily roll-ups (a repair) sets the windows aside until they are summed again.
    store
        .roll_up_usage(today - Duration::days(200), today)
        .await
        .expect("repair");
    assert_eq!(store.usage_windows_through(7).await.expect("day"), None);
    assert_eq!(ask(7, None, false, false).await, live[0]);
    // Windows of another day are not read: summed for yesterday from the full roll-ups, then the roll-ups
    // emptied, today's answer is the empty roll-ups', not yesterday's windows.
    store
        .refresh_usage_windows(today - Duration::days(1))
        .await
        .expect("refresh for yesterday");
    assert!(
        db.number("SELECT COUNT(*) FROM fact_table_usage_window WHERE window_days = 7")
            .await
            > 0
    );
    db.execute_raw("DELETE FROM fact_table_usage_daily").await;
    assert_eq!(ask(7, None, false, false).await, Vec::new());
    // Refreshing twice leaves one set of rows.
    store.refresh_usage_windows(today).await.expect("again");
    assert_eq!(
        db.number("SELECT COUNT(*) FROM usage_window_state").await,
        3
    );
}
two_backends!(the_windows_answer_as_the_daily_roll_ups_do);

/// The queries of the ranking test: sales.orders 7 times yesterday, sales.customers twice, web.이벤트 once, and
/// sales.orders 4 times 20 days before.
async fn seed_ranking(store: &Store) {
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
}

/// The names the ranking's queries use: data, not Doberman's words.
const USAGE_DATA: &[&str] = &["sales", "orders", "customers", "web", "nothing_here"];

/// Asserts that the Korean answer to `asked` has each of `expected` and no English but data; its text.
async fn korean(chat: &Chat, asked: &str, expected: &[&str]) -> String {
    crate::support::korean_answer(chat, asked, expected, USAGE_DATA)
        .await
        .0
}

async fn any_window_of_up_to_90_days_is_ranked(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed_ranking(&store).await;
    let chat = chat(&store);

    let text = ask(&chat, "top tables 14d").await;
    assert!(text.contains("Top tables · last 14 days"), "{text}");
    assert!(text.contains("vs previous 14 days"), "{text}");
    assert!(text.contains("1 | sales.orders | 7 |"), "{text}");
    let text = ask(&chat, "top tables 21d").await;
    assert!(
        text.contains("1 | sales.orders | 11 |"),
        "21 days reach the queries of 20 days before: {text}"
    );
    let text = ask(&chat, "top databases 2d").await;
    assert!(
        text.contains("Top databases · last 2 days") && text.contains("vs previous 2 days"),
        "{text}"
    );
    assert!(text.contains("1 | sales | 7 |"), "yesterday is in: {text}");
    let text = ask(&chat, "top databases 1d").await;
    assert!(
        text.contains("Top databases · last 1 day")
            && text.contains("No queries recorded in the last day"),
        "today only: {text}"
    );
    let text = ask(&chat, "인기 테이블 45일").await;
    assert!(text.contains("Top tables · last 45 days"), "{text}");

    assert_eq!(
        doberman::chat::top::parse_args("120d"),
        Err("“120d” is not a period I can show: give 1d to 90d".to_owned())
    );
}
two_backends!(any_window_of_up_to_90_days_is_ranked);

async fn the_ranking_is_answered_in_korean(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    seed_ranking(&store).await;
    let chat = crate::support::chat(
        &store,
        Settings {
            timezone: chrono_tz::Asia::Seoul,
            superset_url: Some(url::Url::parse("https://superset.example.com/").expect("url")),
            periods: [("usage".to_owned(), Duration::minutes(15))].into(),
            ..Settings::default()
        },
    );

    korean(
        &chat,
        "top tables",
        &[
            "인기 테이블 · 최근 7일",
            "쿼리 수 기준 · 전체 데이터베이스",
            "쿼리 수: 8",
            "스캔량: 4.6 TiB (TB당 USD 5 기준 약 USD 25.0",
            "# | 테이블 | 조회 수 | 스캔량 | 직전 7일 대비",
            "1 | sales.orders | 7 | 4.7 GiB | 신규",
            "3 | web.이벤트 | 1 | 4.5 TiB | 신규",
        ],
    )
    .await;
    korean(
        &chat,
        "인기 테이블 14일",
        &["인기 테이블 · 최근 14일", "직전 14일 대비"],
    )
    .await;
    korean(
        &chat,
        "top databases 30d by scanned",
        &[
            "인기 데이터베이스 · 최근 30일",
            "스캔량 기준 · 전체 데이터베이스",
            "# | 데이터베이스 | 조회 수 | 스캔량 | 직전 30일 대비",
            "1 | web | 1 | 4.5 TiB",
        ],
    )
    .await;
    korean(
        &chat,
        "인기 테이블 db web",
        &[
            "인기 테이블 · 최근 7일",
            "쿼리 수 기준 · 데이터베이스 web",
            "1 | web.이벤트 | 1 |",
        ],
    )
    .await;
    korean(
        &chat,
        "top tables db nothing_here",
        &[
            "최근 7일 동안 기록된 쿼리가 없습니다",
            "`인기 데이터베이스`로 목록을 볼 수 있습니다",
            "`인기 테이블 90일`",
        ],
    )
    .await;
    let (_, card) = crate::support::ask_korean(&chat, "top tables", false).await;
    assert_eq!(card["actions"][0]["title"], "사용량 대시보드 열기");
}
two_backends!(the_ranking_is_answered_in_korean);

async fn an_empty_store_a_late_collector_and_a_bad_option_are_answered_in_korean(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let chat = chat(&store);

    korean(
        &chat,
        "top tables",
        &[
            "인기 테이블 · 최근 7일",
            "최근 7일 동안 기록된 쿼리가 없습니다",
            "아직 저장된 쿼리 이력이 없습니다",
        ],
    )
    .await;

    seed_ranking(&store).await;
    let at = doberman::store::now() - Duration::hours(1);
    let run = store.start_job_run("usage", at).await.expect("start");
    store
        .finish_job_run(
            run,
            at,
            &doberman::store::JobOutcome {
                status: doberman::store::JobStatus::Succeeded,
                rows_written: 1,
                error_text: None,
            },
        )
        .await
        .expect("finish");
    korean(
        &chat,
        "top databases 90d",
        &["사용량 수집기가 마지막으로 성공한 때는 1시간 전입니다. 수치가 최신이 아닐 수 있습니다."],
    )
    .await;

    // The problem with what was typed, in Korean (the usage card around it is the help's).
    for (bad, expected) in [
        ("yesterday", "알 수 없는 옵션입니다: “yesterday”"),
        ("120d", "볼 수 없는 기간입니다: “120d”"),
        ("db a;b", "데이터베이스 이름으로 읽을 수 없습니다: “a;b”"),
    ] {
        let problem = doberman::i18n::sync_scope(doberman::i18n::Lang::Ko, || {
            doberman::chat::top::parse_args(bad)
        })
        .expect_err(bad);
        assert!(problem.contains(expected), "{bad}: {problem}");
        assert_eq!(
            doberman::i18n::english_besides(&problem, &["yesterday", "a;b"]),
            Vec::<String>::new(),
            "{bad}: {problem}"
        );
    }
}
two_backends!(an_empty_store_a_late_collector_and_a_bad_option_are_answered_in_korean);
