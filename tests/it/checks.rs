//! Data checks end to end: real systems of record (PostgreSQL and MariaDB, `DOBERMAN_TEST_POSTGRES_URL` and
//! `DOBERMAN_TEST_MYSQL_URL`) with seeded rows; the Athena side's SQL run in DuckDB over Parquet
//! (`tests/peers/orders_lake.py`, `cur_duckdb.py`) and its results returned through moto to the query runner; Glue
//! Data Quality through moto's stand-in; and what they find through the `quality` alerts and the chat.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use doberman::checks::Checker;
use doberman::store::{CheckResultRow, CheckRow, Store};
use serde_json::{Value, json};
use sqlx::{Connection, Executor, Row};

use crate::lake::{FaultProxy, Lake, base_credentials};
use crate::support::{TestDb, ask_card, mysql_server};

const POSTGRES_URL_VAR: &str = "DOBERMAN_TEST_POSTGRES_URL";

/// 2026-12-06 08:00 in Seoul: every daily check scheduled before it checks 2026-12-05.
fn morning() -> DateTime<Utc> {
    chrono_tz::Asia::Seoul
        .with_ymd_and_hms(2026, 12, 6, 8, 0, 0)
        .single()
        .expect("a time")
        .with_timezone(&Utc)
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).expect("a day")
}

/// What a stored result's message says in English (results store a message written when read).
fn said(message: Option<&str>) -> String {
    doberman::i18n::sync_scope(doberman::i18n::Lang::En, || {
        doberman::i18n::Msg::render_stored(message.unwrap_or_default(), morning(), chrono_tz::UTC)
    })
}

/// A PostgreSQL database of its own, dropped when the guard goes.
struct PgDb {
    server: String,
    name: String,
    url: String,
}

impl PgDb {
    async fn create() -> PgDb {
        let server = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
            panic!("this case needs PostgreSQL: set {POSTGRES_URL_VAR}=postgres://postgres@127.0.0.1:5432")
        });
        let server = server.trim_end_matches('/').to_owned();
        let name = format!(
            "doberman_src_{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        let mut conn = sqlx::PgConnection::connect(&format!("{server}/postgres"))
            .await
            .unwrap_or_else(|e| panic!("PostgreSQL at {server} is unreachable: {e}"));
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create the source database");
        let _ = conn.close().await;
        let url = format!("{server}/{name}");
        PgDb { server, name, url }
    }

    async fn execute(&self, sql: &str) {
        let mut conn = sqlx::PgConnection::connect(&self.url)
            .await
            .expect("connect");
        conn.execute(sql).await.expect("seed PostgreSQL");
        let _ = conn.close().await;
    }

    async fn count(&self, sql: &str) -> i64 {
        let mut conn = sqlx::PgConnection::connect(&self.url)
            .await
            .expect("connect");
        let n: i64 = conn.fetch_one(sql).await.expect("count").get(0);
        let _ = conn.close().await;
        n
    }

    async fn drop(self) {
        if let Ok(mut conn) =
            sqlx::PgConnection::connect(&format!("{}/postgres", self.server)).await
        {
            let _ = conn
                .execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name).as_str())
                .await;
        }
    }
}

/// A MariaDB database of its own (the lake served by MySQL, or a source).
struct MyDb {
    server: String,
    name: String,
    url: String,
}

impl MyDb {
    async fn create() -> MyDb {
        let server = mysql_server().await;
        let name = format!(
            "doberman_lake_{}",
            &uuid::Uuid::new_v4().simple().to_string()[..12]
        );
        let mut conn = sqlx::MySqlConnection::connect(&server)
            .await
            .expect("connect");
        conn.execute(format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4").as_str())
            .await
            .expect("create the lake database");
        let _ = conn.close().await;
        let url = format!("{server}/{name}");
        MyDb { server, name, url }
    }

    async fn execute(&self, sql: &str) {
        let mut conn = sqlx::MySqlConnection::connect(&self.url)
            .await
            .expect("connect");
        conn.execute(sql).await.expect("seed MariaDB");
        let _ = conn.close().await;
    }

    async fn count(&self, sql: &str) -> i64 {
        let mut conn = sqlx::MySqlConnection::connect(&self.url)
            .await
            .expect("connect");
        let n: i64 = conn.fetch_one(sql).await.expect("count").get(0);
        let _ = conn.close().await;
        n
    }

    async fn drop(self) {
        if let Ok(mut conn) = sqlx::MySqlConnection::connect(&self.server).await {
            let _ = conn
                .execute(format!("DROP DATABASE IF EXISTS `{}`", self.name).as_str())
                .await;
        }
    }
}

/// The ERP: 1,000 orders on 12-04 and 1,204 on 12-05, amounts in NUMERIC.
const ERP: &str = "
CREATE TABLE orders (order_id bigint PRIMARY KEY, order_date date NOT NULL, amount numeric(18,2) NOT NULL,
                     note text);
INSERT INTO orders SELECT i, DATE '2026-12-04', (1000 + (i * 37) % 9000) / 100.0, '주문 🐕'
  FROM generate_series(1, 1000) AS i;
INSERT INTO orders SELECT 1000 + i, DATE '2026-12-05', (1000 + (i * 37) % 9000) / 100.0, '주문 🐕'
  FROM generate_series(1, 1204) AS i;
";

/// The lake's copy in MariaDB: 12-04 whole; 12-05 short of 6 rows, with 3 orders without a customer, one
/// order_id twice and 2 negative amounts. And a function that writes, for the read-only check.
async fn seed_lake(lake: &MyDb) {
    lake.execute(
        "CREATE TABLE orders (order_id BIGINT NOT NULL, customer_id BIGINT NULL, amount DECIMAL(18,2) NOT NULL,
                              store VARCHAR(64) NOT NULL, dt VARCHAR(10) NOT NULL, updated_at DATETIME NOT NULL);
         CREATE TABLE audit (at DATETIME NOT NULL);
         CREATE FUNCTION note_read() RETURNS INT MODIFIES SQL DATA
           BEGIN INSERT INTO audit VALUES (NOW()); RETURN 1; END",
    )
    .await;
    for (dt, n, first) in [("2026-12-04", 1000, 1), ("2026-12-05", 1198, 1001)] {
        let rows: Vec<String> = (0..n)
            .map(|i| {
                let id = if dt == "2026-12-05" && i == 20 {
                    first + 19
                } else {
                    first + i
                };
                let customer = if dt == "2026-12-05" && i < 3 {
                    "NULL".to_owned()
                } else {
                    (10_000 + i).to_string()
                };
                let sign = if dt == "2026-12-05" && (i == 10 || i == 11) {
                    "-"
                } else {
                    ""
                };
                format!(
                    "({id}, {customer}, {sign}{}.{:02}, '매장 {} 🐕', '{dt}', '{dt} 10:00:00')",
                    10 + (i * 37) % 9000 / 100,
                    (i * 37) % 100,
                    i % 7
                )
            })
            .collect();
        for chunk in rows.chunks(500) {
            lake.execute(&format!("INSERT INTO orders VALUES {}", chunk.join(", ")))
                .await;
        }
    }
}

/// The check files of the sources test.
fn source_checks(pg: &PgDb, lake: &MyDb) -> String {
    let t = format!("{}.orders", lake.name);
    format!(
        r#"
[[check]]
name = "orders: ERP vs lake"
table = "{t}"
kind = "row_count_match"
schedule = "0 30 7 * * *"
owner = "김데이터"
[check.source]
url = "{pg}"
sql = "SELECT count(*) FROM orders WHERE order_date = :day"
[check.lake]
url = "{my}"
sql = "SELECT count(*) FROM orders WHERE dt = :day"

[[check]]
name = "orders: ERP vs lake within 1%"
table = "{t}"
kind = "row_count_match"
schedule = "0 30 7 * * *"
[check.source]
url = "{pg}"
sql = "SELECT count(*) FROM orders WHERE order_date = :day"
[check.lake]
url = "{my}"
sql = "SELECT count(*) FROM orders WHERE dt = :day"
tolerance = "1%"

[[check]]
name = "orders: amounts"
table = "{t}"
kind = "aggregate_match"
severity = "warn"
schedule = "0 30 7 * * *"
[check.source]
url = "{pg}"
sql = "SELECT count(*) AS orders, sum(amount) AS amount FROM orders WHERE order_date = :day"
[check.lake]
url = "{my}"
sql = "SELECT count(*) AS orders, sum(amount) AS amount FROM orders WHERE dt = :day"

[[check]]
name = "orders: customer"
table = "{t}"
kind = "not_null"
severity = "warn"
schedule = "0 30 7 * * *"
column = "customer_id"
where = "dt = :day"
[check.lake]
url = "{my}"

[[check]]
name = "orders: unique id"
table = "{t}"
kind = "unique"
severity = "warn"
schedule = "0 30 7 * * *"
columns = ["order_id"]
where = "dt = :day"
[check.lake]
url = "{my}"

[[check]]
name = "orders: no negative amounts"
table = "{t}"
kind = "custom"
schedule = "0 30 7 * * *"
[check.lake]
url = "{my}"
sql = "SELECT order_id, amount, store FROM orders WHERE dt = :day AND amount < 0 ORDER BY order_id"

[[check]]
name = "orders: volume"
table = "{t}"
kind = "row_count_range"
schedule = "0 30 7 * * *"
where = "dt = :day"
min = 1000
max = 2000
[check.lake]
url = "{my}"

[[check]]
name = "orders: slow source"
table = "{t}"
kind = "row_count_match"
schedule = "0 30 7 * * *"
[check.source]
url = "{pg}"
sql = "SELECT count(*) FROM orders WHERE order_date = :day AND pg_sleep(1) IS NOT NULL"
[check.lake]
url = "{my}"
sql = "SELECT count(*) FROM orders WHERE dt = :day"

[[check]]
name = "orders: a source query that deletes"
table = "{t}"
kind = "row_count_match"
schedule = "0 30 7 * * *"
[check.source]
url = "{pg}"
sql = "WITH gone AS (DELETE FROM orders WHERE order_date = :day RETURNING 1) SELECT count(*) FROM gone"
[check.lake]
url = "{my}"
sql = "SELECT count(*) FROM orders WHERE dt = :day"

[[check]]
name = "orders: a lake function that writes"
table = "{t}"
kind = "row_count_range"
schedule = "0 30 7 * * *"
min = 0
[check.lake]
url = "{my}"
sql = "SELECT note_read() AS n"
"#,
        pg = pg.url,
        my = lake.url,
    )
}

fn write_checks(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a checks dir");
    std::fs::write(dir.path().join("orders.toml"), text).expect("write the check file");
    dir
}

fn status_of<'a>(
    statuses: &'a [doberman::store::CheckStatus],
    name: &str,
) -> &'a doberman::store::CheckStatus {
    statuses
        .iter()
        .find(|c| c.check_name == name)
        .unwrap_or_else(|| panic!("{name} is stored"))
}

/// The card of the `quality` alert about `check`, as Teams would get it.
async fn quality_card(
    db: &TestDb,
    engine: &doberman::alerts::Alerts,
    check: &str,
) -> (i64, String) {
    let id = db
        .number(&format!(
            "SELECT MAX(card_id) FROM alert WHERE topic = 'quality' AND subject LIKE '%/{check}'"
        ))
        .await;
    let card = engine
        .card(id, morning())
        .await
        .expect("read the card")
        .expect("the card exists");
    (id, card.to_string())
}

async fn checks_against_real_sources_become_results_cards_and_answers(db: TestDb) {
    let pg = PgDb::create().await;
    let lake = MyDb::create().await;
    pg.execute(ERP).await;
    seed_lake(&lake).await;
    let dir = write_checks(&source_checks(&pg, &lake));
    let dir_text = dir.path().display().to_string();
    let config = db.config_with(&[
        ("DOBERMAN_CHECKS__DIR", &dir_text),
        ("DOBERMAN_CHECKS__TIMEOUT_SECS", "2"),
        ("DOBERMAN_CHECKS__CONCURRENCY", "4"),
        (
            "DOBERMAN_CHECKS__OWNERS",
            r#"[{"owner": "김데이터", "id": "29:kim", "name": "Kim Data"}]"#,
        ),
    ]);
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let checker = Arc::new(Checker::new(&config, store.clone(), None));

    // Every check is due for its first tick: all run, for yesterday.
    let report = checker.run_due(morning()).await.expect("the checks run");
    assert_eq!(
        report.passed + report.failed + report.errors,
        10,
        "every check ran: {report:?}"
    );
    let statuses = store.check_statuses(None).await.expect("statuses");
    let s = |name: &str| status_of(&statuses, name).clone();

    let exact = s("orders: ERP vs lake");
    assert_eq!(exact.status.as_deref(), Some("fail"));
    assert_eq!(exact.day_checked, Some(day(5)));
    assert_eq!(
        (exact.source_value, exact.lake_value, exact.difference),
        (Some(1204.0), Some(1198.0), Some(-6.0))
    );
    assert_eq!(
        said(exact.message.as_deref()),
        "lake 1,198 vs 127.0.0.1 1,204, off by -6 (-0.50%), more than the tolerance 0"
    );
    assert_eq!(
        s("orders: ERP vs lake within 1%").status.as_deref(),
        Some("pass"),
        "6 of 1,204 is within 1%"
    );
    let amounts = s("orders: amounts");
    assert_eq!(amounts.status.as_deref(), Some("fail"));
    // The first column off is named with both numbers, the others counted (each column's numbers are in
    // the detail).
    let message = said(amounts.message.as_deref());
    assert!(
        message.contains("orders: lake 1,198") && message.contains("1 more column is off too"),
        "{message}"
    );
    let nulls = s("orders: customer");
    assert_eq!(
        (nulls.status.as_deref(), nulls.lake_value),
        (Some("fail"), Some(3.0))
    );
    let dup = s("orders: unique id");
    assert_eq!(
        (dup.status.as_deref(), dup.lake_value),
        (Some("fail"), Some(1.0))
    );
    let negative = s("orders: no negative amounts");
    assert_eq!(
        (negative.status.as_deref(), negative.lake_value),
        (Some("fail"), Some(2.0))
    );
    assert!(
        said(negative.message.as_deref()).contains("store=매장 3 🐕"),
        "the offending rows come back whole, Korean and emoji intact: {negative:?}"
    );
    assert_eq!(s("orders: volume").status.as_deref(), Some("pass"));

    // A source past checks.timeout_secs is an error, not a failure.
    let slow = s("orders: slow source");
    assert_eq!(slow.status.as_deref(), Some("error"), "{slow:?}");
    assert!(
        said(slow.message.as_deref()).contains("did not answer within 2s"),
        "{slow:?}"
    );
    assert_eq!(slow.source_value, None);

    // SQL that writes is refused by the read-only transaction, reported, and changes nothing.
    let delete = s("orders: a source query that deletes");
    assert_eq!(delete.status.as_deref(), Some("error"));
    assert!(
        said(delete.message.as_deref()).contains("read-only transaction"),
        "{delete:?}"
    );
    assert_eq!(
        pg.count("SELECT count(*) FROM orders").await,
        2204,
        "nothing was deleted"
    );
    let function = s("orders: a lake function that writes");
    assert_eq!(function.status.as_deref(), Some("error"));
    assert!(
        said(function.message.as_deref())
            .to_lowercase()
            .contains("read only"),
        "{function:?}"
    );
    assert_eq!(
        lake.count("SELECT count(*) FROM audit").await,
        0,
        "nothing was written"
    );

    // The same tick again: nothing is due.
    let again = checker
        .run_due(morning() + chrono::Duration::minutes(1))
        .await
        .expect("runs");
    assert_eq!(again.passed + again.failed + again.errors, 0, "{again:?}");
    // Alerts: a card per failing error check; the warn checks of the table share one.
    let engine = doberman::alerts::Alerts::new(
        store.clone(),
        doberman::alerts::Settings::from_config(&config),
    );
    engine.evaluate(morning()).await.expect("evaluate");
    let (card, shown) = quality_card(&db, &engine, "orders: ERP vs lake").await;
    assert!(shown.contains("orders: ERP vs lake failed"), "{shown}");
    assert!(
        shown.contains("lake 1,198 vs 127.0.0.1 1,204"),
        "both numbers on the card: {shown}"
    );
    assert!(
        shown.contains("<at>Kim Data</at>") && shown.contains("29:kim"),
        "the owner is mentioned: {shown}"
    );
    assert_eq!(
        db.number(&format!(
            "SELECT COUNT(*) FROM alert WHERE card_id = {card}"
        ))
        .await,
        1,
        "an error check has a card of its own"
    );
    let (warn_card, warn_shown) = quality_card(&db, &engine, "orders: customer").await;
    assert_eq!(
        db.strings(&format!(
            "SELECT subject FROM alert WHERE card_id = {warn_card} ORDER BY subject"
        ))
        .await,
        [
            format!("warn/{}.orders/orders: amounts", lake.name),
            format!("warn/{}.orders/orders: customer", lake.name),
            format!("warn/{}.orders/orders: unique id", lake.name),
        ],
        "the warn checks of one table share a card"
    );
    assert!(
        warn_shown.contains("3 of 1,198 rows have no customer_id"),
        "{warn_shown}"
    );
    let (_, slow_shown) = quality_card(&db, &engine, "orders: slow source").await;
    assert!(
        slow_shown.contains("orders: slow source could not run"),
        "{slow_shown}"
    );

    // The lake catches up: the check passes when run again, and its card resolves.
    lake.execute(
        "INSERT INTO orders VALUES (90001, 1, 1.00, 's', '2026-12-05', '2026-12-05 10:00:00'), \
         (90002, 1, 1.00, 's', '2026-12-05', '2026-12-05 10:00:00'), (90003, 1, 1.00, 's', '2026-12-05', '2026-12-05 10:00:00'), \
         (90004, 1, 1.00, 's', '2026-12-05', '2026-12-05 10:00:00'), (90005, 1, 1.00, 's', '2026-12-05', '2026-12-05 10:00:00'), \
         (90006, 1, 1.00, 's', '2026-12-05', '2026-12-05 10:00:00')",
    )
    .await;
    let admin = doberman::chat::Caller::new(doberman::chat::commands::Scope::Personal, true);
    let chat = crate::support::chat(&store, doberman::chat::Settings::default())
        .with_checker(checker.clone());
    let answer = chat
        .run_command("check run orders: ERP vs lake", &admin)
        .await;
    let doberman::chat::Reply::Card(answer) = answer else {
        panic!("a card: {answer:?}")
    };
    let answer = doberman::cards::kit::to_text(&answer);
    // (The day is the one its schedule checks now: the lake and the ERP agree on every day from 12-05 on.)
    assert!(
        answer.contains("ran for ") && answer.contains(": pass"),
        "{answer}"
    );
    checker
        .run_and_record(
            checker
                .config()
                .find("orders: ERP vs lake")
                .expect("declared"),
            day(5),
        )
        .await
        .expect("rerun");
    engine
        .evaluate(morning() + chrono::Duration::minutes(5))
        .await
        .expect("evaluate");
    let (same, resolved) = quality_card(&db, &engine, "orders: ERP vs lake").await;
    assert_eq!(same, card, "the same card, resolved in place");
    assert!(resolved.contains("✅ RESOLVED"), "{resolved}");

    // The chat: the board (failing first), one check's history with both sides, a table's checks.
    let (board, _) = ask_card(&chat, "정합성").await;
    let fail_at = board
        .find("orders: customer")
        .expect("a failing check listed");
    let pass_at = board
        .find("orders: volume")
        .expect("a passing check listed");
    assert!(fail_at < pass_at, "failing first: {board}");
    let (history, _) = ask_card(&chat, "check orders: amounts").await;
    assert!(
        history.contains("2026-12-05") && history.contains("1 more column is off too"),
        "{history}"
    );
    assert!(history.contains("Last failure"), "{history}");
    let (table, _) = ask_card(&chat, &format!("check {}.orders", lake.name)).await;
    assert!(table.contains("orders: unique id"), "{table}");
    let (typo, _) = ask_card(&chat, "check orders: amonts").await;
    assert!(
        typo.contains("check orders: amounts"),
        "a typo gets a hint: {typo}"
    );

    // The next morning each runs again, for the next day (on which both sides are empty and agree).
    let next = checker
        .run_due(morning() + chrono::Duration::days(1))
        .await
        .expect("runs");
    assert_eq!(next.passed + next.failed + next.errors, 10, "{next:?}");
    let after = store.check_statuses(None).await.expect("statuses");
    assert_eq!(
        status_of(&after, "orders: ERP vs lake").day_checked,
        Some(day(6))
    );
    assert_eq!(
        status_of(&after, "orders: ERP vs lake").status.as_deref(),
        Some("pass")
    );

    // Through the collectors' runner, as the schedule runs it: the lease, a `job_run` row, the checks due now.
    let runner = doberman::app::runner(&config, &store, Arc::new(doberman::collect::Silent));
    let outcome = runner
        .run(
            doberman::collect::Job::Checks,
            doberman::collect::Trigger::Manual,
            &tokio_util::sync::CancellationToken::new(),
        )
        .await;
    let doberman::collect::RunOutcome::Succeeded(report) = outcome else {
        panic!("the checks job succeeds: {outcome:?}")
    };
    assert!(report.notes[0].ends_with("could not tell"), "{report:?}");
    assert_eq!(
        db.strings("SELECT status FROM job_run WHERE job = 'checks'")
            .await,
        ["succeeded"]
    );

    pg.drop().await;
    lake.drop().await;
}

crate::support::two_backends!(
    checks_against_real_sources_become_results_cards_and_answers,
    sources
);

/// Runs `queries` (name, SQL, Athena parameter literals) in DuckDB over the orders lake in `dir`.
fn duckdb(dir: &std::path::Path, queries: &[(String, String, Vec<String>)]) -> Value {
    use std::io::Write;
    let python = std::env::var("DOBERMAN_TEST_PYTHON")
        .expect("this case needs the pinned Python with DuckDB: set DOBERMAN_TEST_PYTHON");
    let script = format!("{}/tests/peers/cur_duckdb.py", env!("CARGO_MANIFEST_DIR"));
    let input = json!({"queries": queries.iter().map(|(n, s, p)| json!({"name": n, "sql": s, "parameters": p})).collect::<Vec<_>>()});
    let mut child = std::process::Command::new(python)
        .arg(script)
        .arg("query")
        .arg(dir)
        .args(["sales", "orders"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run DuckDB");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.to_string().as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("DuckDB output");
    assert!(
        out.status.success(),
        "DuckDB: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// DuckDB's type as Athena names it.
fn athena_type(duck: &str) -> String {
    let d = duck.to_ascii_lowercase();
    match d.as_str() {
        "hugeint" | "bigint" | "int128" => "bigint".to_owned(),
        "integer" => "integer".to_owned(),
        "double" => "double".to_owned(),
        "varchar" => "varchar".to_owned(),
        "timestamp" => "timestamp".to_owned(),
        "date" => "date".to_owned(),
        other => other.to_owned(),
    }
}

fn athena_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.replace('T', " ")),
        other => Some(other.to_string()),
    }
}

async fn athena_sides_run_in_duckdb_and_come_back_through_moto(db: TestDb) {
    let python = std::env::var("DOBERMAN_TEST_PYTHON").expect("DOBERMAN_TEST_PYTHON");
    let data = tempfile::tempdir().expect("dir");
    let generated = std::process::Command::new(&python)
        .arg(format!(
            "{}/tests/peers/orders_lake.py",
            env!("CARGO_MANIFEST_DIR")
        ))
        .arg("generate")
        .arg(data.path())
        .output()
        .expect("generate the lake");
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let truth: Value = serde_json::from_slice(&generated.stdout).expect("JSON");
    let source = MyDb::create().await;
    source
        .execute(
            "CREATE TABLE sales (id BIGINT, sold_at DATETIME, amount DECIMAL(18,2));
             INSERT INTO sales SELECT seq, '2026-12-05 09:00:00', 1.5 FROM seq_1_to_1204",
        )
        .await;
    let lake = Lake::new().await;
    let checks = format!(
        r#"
[[check]]
name = "orders: POS vs lake"
table = "sales.orders"
kind = "row_count_match"
[check.source]
url = "{src}"
sql = "SELECT count(*) FROM sales WHERE sold_at >= :from AND sold_at < :to"
[check.lake]
sql = "SELECT count(*) AS n FROM sales.orders WHERE dt = :day"

[[check]]
name = "orders: customer"
table = "sales.orders"
kind = "not_null"
column = "customer_id"
where = "dt = :day"

[[check]]
name = "orders: unique id"
table = "sales.orders"
kind = "unique"
columns = ["order_id"]
where = "dt = :day"

[[check]]
name = "orders: no negative amounts"
table = "sales.orders"
kind = "custom"
[check.lake]
sql = "SELECT order_id, amount, store FROM sales.orders WHERE dt = :day AND amount < 0 ORDER BY order_id"

[[check]]
name = "orders: clean day"
table = "sales.orders"
kind = "not_null"
column = "customer_id"
where = "dt = :day"
days_back = 2
"#,
        src = source.url
    );
    let dir = write_checks(&checks);
    let dir_text = dir.path().display().to_string();
    let proxy = FaultProxy::start(&lake.url).await;
    let config = lake.config(
        &db,
        &proxy.url,
        &[
            ("DOBERMAN_CHECKS__DIR", &dir_text),
            ("DOBERMAN_CHECKS__MAX_SCAN_GB", "1"),
        ],
    );
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let checker = Checker::new(&config, store.clone(), Some(base_credentials()));
    checker.sync(morning()).await.expect("sync");

    let d5 = &truth["days"]["2026-12-05"];
    let expected = [
        ("orders: POS vs lake", "fail", Some(1198.0)),
        ("orders: customer", "fail", d5["null_customers"].as_f64()),
        ("orders: unique id", "fail", d5["duplicated_keys"].as_f64()),
        (
            "orders: no negative amounts",
            "fail",
            d5["negative_amounts"].as_f64(),
        ),
        ("orders: clean day", "pass", Some(0.0)),
    ];
    for (name, status, lake_value) in expected {
        let def = checker.config().find(name).expect("declared");
        // The SQL Doberman sends Athena really runs: DuckDB over the Parquet, its parameters as Athena binds them.
        let sql = doberman::checks::lake_sql(def).expect("lake SQL");
        let bound = doberman::sql::params::bind(&sql, doberman::sql::params::Dialect::Athena)
            .expect("binds");
        let checked = checker.day_for(def, morning());
        let values = doberman::checks::source::DayValues::of(checked);
        let parameters: Vec<String> = bound
            .names
            .iter()
            .map(|n| values.athena_literal(n))
            .collect();
        let ran = duckdb(
            data.path(),
            &[(name.to_owned(), bound.sql.clone(), parameters)],
        );
        let result = &ran["results"][name];
        let columns: Vec<(String, String)> = result["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .zip(result["types"].as_array().expect("types"))
            .map(|(c, t)| {
                (
                    c.as_str().expect("name").to_owned(),
                    athena_type(t.as_str().expect("type")),
                )
            })
            .collect();
        let rows: Vec<Vec<Option<String>>> = result["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r.as_array().expect("row").iter().map(athena_text).collect())
            .collect();
        let cols: Vec<(&str, &str)> = columns
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        lake.seed_results(&cols, &rows).await;

        let r = checker.run_and_record(def, checked).await.expect("runs");

        assert_eq!(r.status, status, "{name}: {:?}", r.message);
        assert_eq!(r.lake_value, lake_value, "{name}: {:?}", r.message);
    }
    let statuses = store.check_statuses(None).await.expect("statuses");
    assert_eq!(
        status_of(&statuses, "orders: POS vs lake").source_value,
        Some(1204.0),
        "the source side, bound :from and :to on MariaDB"
    );
    assert!(
        said(
            status_of(&statuses, "orders: no negative amounts")
                .message
                .as_deref()
        )
        .contains("매장"),
        "{statuses:?}"
    );

    // A query scanning past checks.max_scan_gb is stopped: an error that says so, and StopQueryExecution sent.
    proxy.answer(
        "AmazonAthena.GetQueryExecution",
        json!({"QueryExecution": {"QueryExecutionId": "q", "Status": {"State": "RUNNING"},
               "Statistics": {"DataScannedInBytes": 5_000_000_000i64}}}),
    );
    let def = checker.config().find("orders: customer").expect("declared");
    let r = checker.run_and_record(def, day(5)).await.expect("runs");
    assert_eq!(r.status, "error");
    assert!(
        said(r.message.as_deref()).contains("more than its limit of 1000000000"),
        "{r:?}"
    );
    assert!(
        proxy.calls("AmazonAthena.StopQueryExecution") >= 1,
        "the query was stopped"
    );
    proxy.heal();
    source.drop().await;
}

crate::support::two_backends!(
    athena_sides_run_in_duckdb_and_come_back_through_moto,
    moto_python_mysql
);

async fn glue_data_quality_results_become_checks(db: TestDb) {
    let lake = Lake::new().await;
    lake.create_database("sales", "").await;
    lake.create_table(
        "sales",
        "orders",
        &[("order_id", "bigint", "")],
        &["dt"],
        "EXTERNAL_TABLE",
        &[],
    )
    .await;
    lake.glue
        .create_data_quality_ruleset()
        .name("orders-rules")
        .ruleset("Rules = [ ColumnValues \"amount\" >= 0 ]")
        .target_table(
            aws_sdk_glue::types::DataQualityTargetTable::builder()
                .database_name("sales")
                .table_name("orders")
                .build()
                .expect("target"),
        )
        .send()
        .await
        .expect("create the ruleset");
    let seeded = reqwest::Client::new()
        .post(format!(
            "{}/moto-api/static/glue/data-quality-result",
            lake.url
        ))
        .json(
            &json!({"account_id": lake.account_id, "region": "us-east-1", "result": {
            "Score": 0.5, "RulesetName": "orders-rules",
            "DataSource": {"GlueTable": {"DatabaseName": "sales", "TableName": "orders"}},
            "StartedOn": "2026-12-05T22:00:00Z", "CompletedOn": "2026-12-05T22:03:00Z",
            "RuleResults": [
                {"Name": "Rule_1", "Description": "ColumnValues \"amount\" >= 0", "Result": "FAIL",
                 "EvaluationMessage": "주문 금액 음수 🐕: 2 rows"},
                {"Name": "Rule_2", "Description": "IsComplete \"order_id\"", "Result": "PASS"}
            ]}}),
        )
        .send()
        .await
        .expect("seed")
        .status();
    assert!(seeded.is_success(), "{seeded}");
    let config = lake.config(
        &db,
        &lake.url,
        &[("DOBERMAN_CHECKS__GLUE_DATA_QUALITY", "true")],
    );
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let checker = Checker::new(&config, store.clone(), Some(base_credentials()));

    let report = checker.run_due(morning()).await.expect("runs");

    assert_eq!(report.glue_results, Some(1));
    let statuses = store.check_statuses(None).await.expect("statuses");
    let glue = status_of(&statuses, "glue:orders-rules");
    assert_eq!(
        (
            glue.kind.as_str(),
            glue.table_name.as_str(),
            glue.status.as_deref(),
            glue.lake_value
        ),
        ("glue_dq", "sales.orders", Some("fail"), Some(50.0))
    );
    assert_eq!(
        glue.day_checked,
        Some(day(6)),
        "completed at 07:03 in Seoul"
    );
    assert_eq!(
        said(glue.message.as_deref()),
        "1 of 2 rules failed (score 50%): Rule_1: 주문 금액 음수 🐕: 2 rows"
    );
    let chat = crate::support::chat(&store, doberman::chat::Settings::default());
    let (board, _) = ask_card(&chat, "checks").await;
    assert!(
        board.contains("glue:orders-rules") && board.contains("주문 금액 음수"),
        "{board}"
    );
    // Within 15 minutes Glue is not read again.
    let again = checker
        .run_due(morning() + chrono::Duration::minutes(5))
        .await
        .expect("runs");
    assert_eq!(again.glue_results, None);
}

crate::support::two_backends!(glue_data_quality_results_become_checks, moto);

/// Writes a check and its results straight to the store (no source needed).
async fn stored(
    store: &Store,
    name: &str,
    table: &str,
    severity: &str,
    results: &[(u32, &str, f64, f64)],
) {
    let row = CheckRow {
        name: name.to_owned(),
        table: table.to_owned(),
        kind: "row_count_match".to_owned(),
        severity: severity.to_owned(),
        owner: Some("김데이터".to_owned()),
        schedule: "0 0 7 * * *".to_owned(),
        source: Some("postgres://reader@erp/erp".to_owned()),
        lake: "athena".to_owned(),
        file: Some("orders.toml".to_owned()),
        definition: "{}".to_owned(),
        version_hash: "0000000000000001".to_owned(),
    };
    let mut existing: Vec<CheckRow> = Vec::new();
    for c in store.check_statuses(None).await.expect("statuses") {
        if c.check_name != name {
            existing.push(CheckRow {
                name: c.check_name,
                table: c.table_name,
                severity: c.severity,
                ..row.clone()
            });
        }
    }
    existing.push(row);
    store
        .sync_checks(&existing, true, morning())
        .await
        .expect("sync");
    for (d, status, source, lake) in results {
        store
            .record_check_result(
                &CheckResultRow {
                    check_name: name.to_owned(),
                    day: day(*d),
                    version_hash: "0000000000000001".to_owned(),
                    ran_at: morning(),
                    status: (*status).to_owned(),
                    source_value: Some(*source),
                    lake_value: Some(*lake),
                    difference: Some(lake - source),
                    detail: None,
                    message: Some(format!("lake {lake} vs erp {source}")),
                    duration_ms: 12,
                    bytes_scanned: Some(1024),
                },
                None,
            )
            .await
            .expect("record");
    }
}

async fn a_warning_that_starts_later_joins_its_tables_open_card(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let config = db.config();
    let engine = doberman::alerts::Alerts::new(
        store.clone(),
        doberman::alerts::Settings::from_config(&config),
    );
    stored(
        &store,
        "a",
        "sales.orders",
        "warn",
        &[(4, "fail", 10.0, 9.0)],
    )
    .await;
    stored(
        &store,
        "b",
        "sales.orders",
        "warn",
        &[(4, "pass", 10.0, 10.0)],
    )
    .await;
    stored(
        &store,
        "c",
        "sales.returns",
        "warn",
        &[(4, "fail", 5.0, 4.0)],
    )
    .await;
    engine.evaluate(morning()).await.expect("evaluate");
    let card_of = |s: &'static str| {
        let db = &db;
        async move {
            db.number(&format!(
                "SELECT card_id FROM alert WHERE topic = 'quality' AND subject = '{s}' AND state = 'firing'"
            ))
            .await
        }
    };
    let orders = card_of("warn/sales.orders/a").await;
    assert_ne!(
        orders,
        card_of("warn/sales.returns/c").await,
        "a card per table"
    );

    // b starts failing the next day: it joins the orders card, which is updated (numbers of each day).
    stored(
        &store,
        "b",
        "sales.orders",
        "warn",
        &[(5, "fail", 10.0, 8.0)],
    )
    .await;
    stored(
        &store,
        "a",
        "sales.orders",
        "warn",
        &[(5, "fail", 10.0, 9.5)],
    )
    .await;
    engine
        .evaluate(morning() + chrono::Duration::hours(1))
        .await
        .expect("evaluate");
    assert_eq!(
        card_of("warn/sales.orders/b").await,
        orders,
        "joined the open card of its table"
    );
    let shown = engine
        .card(orders, morning())
        .await
        .expect("card")
        .expect("exists")
        .to_string();
    assert!(
        shown.contains("12-05: lake 9.5 · source 10 (-0.5)")
            && shown.contains("12-04: lake 9 · source 10 (-1)"),
        "the numbers of each failing day: {shown}"
    );

    // Both pass: the card resolves.
    stored(
        &store,
        "a",
        "sales.orders",
        "warn",
        &[(6, "pass", 10.0, 10.0)],
    )
    .await;
    stored(
        &store,
        "b",
        "sales.orders",
        "warn",
        &[(6, "pass", 10.0, 10.0)],
    )
    .await;
    engine
        .evaluate(morning() + chrono::Duration::hours(2))
        .await
        .expect("evaluate");
    assert_eq!(
        db.strings(&format!(
            "SELECT state FROM alert WHERE card_id = {orders} ORDER BY id"
        ))
        .await,
        ["resolved", "resolved"]
    );

    // The board orders failing first and says what ran.
    let chat = crate::support::chat(&store, doberman::chat::Settings::default());
    let (board, card) = ask_card(&chat, "품질").await;
    assert!(
        board.find("c").is_some() && board.contains("1 failing"),
        "{board}"
    );
    assert_eq!(card["body"][0]["columns"][0]["items"][0]["text"], "🔎");
    let (history, _) = ask_card(&chat, "check a").await;
    assert!(
        history.contains("2026-12-06") && history.contains("2026-12-04"),
        "{history}"
    );
    assert!(
        history.contains("source 10 · lake 9 (-1)"),
        "both sides' numbers: {history}"
    );
}

crate::support::two_backends!(a_warning_that_starts_later_joins_its_tables_open_card);

#[test]
fn a_check_file_with_a_typo_stops_the_start_naming_file_line_and_key() {
    let dir =
        write_checks("[[check]]\nname = \"a\"\ntable = \"sales.orders\"\nkind = \"row_count\"\n");
    let db = TestDb::sqlite();
    let dir_text = dir.path().display().to_string();
    for command in [
        vec!["serve"],
        vec!["check-config"],
        vec!["check", "validate"],
    ] {
        let (out, _, stderr) = crate::cli::run(
            crate::cli::doberman(&[
                ("DOBERMAN_CHECKS__DIR", &dir_text),
                ("DOBERMAN_DATABASE__URL", &db.url),
            ])
            .args(&command),
        );
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(
            stderr.contains("orders.toml:4: `check[1].kind`: `row_count` is not a kind"),
            "{command:?}: {stderr}"
        );
    }
    assert!(
        !db.sqlite_path().expect("path").exists(),
        "serve did not start"
    );
    let (out, _, stderr) = crate::cli::run(
        crate::cli::doberman(&[])
            .args(["check", "validate"])
            .arg(dir.path()),
    );
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("did you mean `row_count_match`?"),
        "{stderr}"
    );
}

/// A backfill killed with SIGKILL mid-way leaves whole results only (each day is one transaction), and running it
/// again completes it without a duplicate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: set DOBERMAN_TEST_POSTGRES_URL and pass -- --include-ignored"]
async fn a_backfill_killed_mid_way_leaves_whole_days_and_finishes_when_run_again() {
    let pg = PgDb::create().await;
    pg.execute(ERP).await;
    let dir = write_checks(&format!(
        r#"
[[check]]
name = "orders: slow ERP vs itself"
table = "sales.orders"
kind = "row_count_match"
[check.source]
url = "{pg}"
sql = "SELECT (SELECT count(*) FROM orders WHERE order_date = :day) FROM pg_sleep(0.2)"
[check.lake]
url = "{pg}"
sql = "SELECT count(*) FROM orders WHERE order_date = :day"
"#,
        pg = pg.url
    ));
    let db = TestDb::sqlite();
    let dir_text = dir.path().display().to_string();
    let env = [
        ("DOBERMAN_CHECKS__DIR", dir_text.as_str()),
        ("DOBERMAN_DATABASE__URL", db.url.as_str()),
    ];
    let args = [
        "check",
        "run",
        "orders: slow ERP vs itself",
        "--from",
        "2026-11-01",
        "--to",
        "2026-12-05",
    ];
    let mut child = crate::cli::doberman(&env)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the backfill");
    // Killed once a few days are done (each day's source query takes 0.2 s).
    let started = std::time::Instant::now();
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let done = if db.sqlite_path().expect("path").exists() {
            db.number("SELECT COUNT(*) FROM fact_check_result").await
        } else {
            0
        };
        if done >= 3 || started.elapsed() > std::time::Duration::from_secs(60) {
            break;
        }
    }
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    let partial = db.number("SELECT COUNT(*) FROM fact_check_result").await;
    assert!((3..35).contains(&partial), "killed mid-way: {partial} days");
    assert_eq!(
        db.number(
            "SELECT COUNT(*) FROM fact_check_result WHERE status IS NULL OR message IS NULL OR lake_value IS NULL"
        )
        .await,
        0,
        "no half-written result"
    );

    let (out, stdout, stderr) = crate::cli::run(crate::cli::doberman(&env).args(args));
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stdout.lines().count(), 35, "{stdout}");
    assert_eq!(
        db.number("SELECT COUNT(*) FROM fact_check_result").await,
        35,
        "one row per day, none twice"
    );
    assert_eq!(
        db.strings("SELECT DISTINCT status FROM fact_check_result")
            .await,
        ["pass"]
    );
    pg.drop().await;
}

/// Writes checks (name, table, kind, severity) and their results (check, day, status, the verdict's message, as
/// stored) straight to the store.
async fn declared(
    store: &Store,
    checks: &[(&str, &str, &str, &str)],
    results: &[(&str, u32, &str, String)],
) {
    let rows: Vec<CheckRow> = checks
        .iter()
        .map(|(name, table, kind, severity)| CheckRow {
            name: (*name).to_owned(),
            table: (*table).to_owned(),
            kind: (*kind).to_owned(),
            severity: (*severity).to_owned(),
            owner: Some("김데이터".to_owned()),
            schedule: "0 0 7 * * *".to_owned(),
            source: (*kind == "row_count_match").then(|| "postgres://reader@erp/erp".to_owned()),
            lake: "athena".to_owned(),
            file: Some("orders.toml".to_owned()),
            definition: "{}".to_owned(),
            version_hash: "0000000000000001".to_owned(),
        })
        .collect();
    store
        .sync_checks(&rows, true, morning())
        .await
        .expect("sync");
    for (name, d, status, message) in results {
        store
            .record_check_result(
                &CheckResultRow {
                    check_name: (*name).to_owned(),
                    day: day(*d),
                    version_hash: "0000000000000001".to_owned(),
                    ran_at: morning(),
                    status: (*status).to_owned(),
                    source_value: (*status != "error").then_some(1204.0),
                    lake_value: (*status != "error").then_some(1198.0),
                    difference: (*status != "error").then_some(-6.0),
                    detail: None,
                    message: Some(message.clone()),
                    duration_ms: 12,
                    bytes_scanned: Some(1024),
                },
                None,
            )
            .await
            .expect("record");
    }
}

/// What the data check cards show as they are: checks' and tables' names, kinds, sources, schedules, columns.
const CHECK_DATA: &[&str] = &[
    "orders: ERP vs lake",
    "orders: customer",
    "orders: unique id",
    "returns: volume",
    "legacy: plain",
    "lake 9 vs erp 10",
    "sales.orders",
    "sales.returns",
    "row_count_match",
    "row_count_range",
    "not_null",
    "unique",
    "custom",
    "postgres://reader@erp/erp",
    "athena",
    "customer_id",
    "erp",
    "nope",
    "orders: unreachable",
    "orders: ERP vs lak",
];

async fn the_data_check_answers_speak_korean(db: TestDb) {
    use crate::support::ask_korean;
    use doberman::chat::commands::FromArgs;
    use doberman::checks::judge;
    use doberman::checks::{Answer, Value};
    use doberman::config::checks::Tolerance;
    use doberman::i18n::english_besides;
    use doberman::i18n::{Lang, scope, sync_scope};
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let chat = crate::support::chat(&store, doberman::chat::Settings::default());
    let data = CHECK_DATA;
    let says = |words: &str, expected: &[&str]| {
        for e in expected {
            assert!(words.contains(e), "{e:?} missing from\n{words}");
        }
        assert_eq!(
            english_besides(words, data),
            Vec::<String>::new(),
            "English left in\n{words}"
        );
    };

    // Nothing declared, nothing to run with.
    let (board, _) = ask_korean(&chat, "checks", false).await;
    says(
        &board,
        &[
            "선언된 데이터 검증이 없습니다",
            "`checks.dir`에 검증을 작성하거나",
        ],
    );
    let (none, _) = ask_korean(&chat, "check nope", false).await;
    says(
        &none,
        &[
            "그런 검증이 없습니다",
            "“nope”(이)라는 검증도, 검증이 있는 테이블도 없습니다.",
        ],
    );
    let (cannot, _) = ask_korean(&chat, "check run nope", true).await;
    says(
        &cannot,
        &[
            "여기서는 검증을 실행할 수 없습니다",
            "이 Doberman은 검증을 실행하지 않습니다.",
        ],
    );

    // Results stored as the judge writes them, and one row written before (plain text), shown as it is.
    let one = |n: f64| Answer {
        columns: vec!["count".into()],
        rows: vec![vec![Value::Num(n)]],
        ..Answer::default()
    };
    let two = |a: f64, b: f64| Answer {
        columns: vec!["rows".into(), "nulls".into()],
        rows: vec![vec![Value::Num(a), Value::Num(b)]],
        ..Answer::default()
    };
    let stored = |v: judge::Verdict| v.message.to_stored();
    declared(
        &store,
        &[
            (
                "orders: ERP vs lake",
                "sales.orders",
                "row_count_match",
                "error",
            ),
            ("orders: customer", "sales.orders", "not_null", "warn"),
            ("orders: unique id", "sales.orders", "unique", "warn"),
            (
                "returns: volume",
                "sales.returns",
                "row_count_range",
                "error",
            ),
            ("legacy: plain", "sales.returns", "custom", "error"),
        ],
        &[
            (
                "orders: ERP vs lake",
                4,
                "pass",
                stored(judge::compare(
                    Tolerance::Absolute(0.0),
                    &one(1204.0),
                    &one(1204.0),
                    "erp",
                )),
            ),
            (
                "orders: ERP vs lake",
                5,
                "fail",
                stored(judge::compare(
                    Tolerance::Absolute(0.0),
                    &one(1204.0),
                    &one(1198.0),
                    "erp",
                )),
            ),
            (
                "orders: customer",
                5,
                "fail",
                stored(judge::not_null(
                    Tolerance::Absolute(0.0),
                    &two(1198.0, 3.0),
                    "customer_id",
                )),
            ),
            (
                "returns: volume",
                5,
                "pass",
                stored(judge::range(&one(150.0), Some(100.0), Some(200.0))),
            ),
            ("legacy: plain", 5, "error", "lake 9 vs erp 10".to_owned()),
        ],
    )
    .await;
    // The column Superset reads holds the verdict in English; the message it is drawn from sits beside it.
    assert_eq!(
        db.strings(
            "SELECT message FROM fact_check_result WHERE check_name = 'orders: ERP vs lake' ORDER BY day_checked"
        )
        .await,
        ["lake 1,204 = erp 1,204", "lake 1,198 vs erp 1,204, off by -6 (-0.50%), more than the tolerance 0"]
    );
    assert_eq!(
        db.number(
            "SELECT COUNT(*) FROM fact_check_result WHERE message_msg LIKE '{\"msg\":%' OR check_name = 'legacy: plain'"
        )
        .await,
        5
    );

    let (board, _) = ask_korean(&chat, "checks", false).await;
    says(
        &board,
        &[
            "데이터 검증 · 오늘",
            "테이블 2개의 검증 5개 · 실패 먼저",
            "2건 실패",
            "최근 결과: 2건 실패 · 1건 실행 불가 · 1건 통과 · 1건 미실행",
            "12월 5일: 레이크 1,198, erp 1,204: 차이 -6 (-0.50%)로 허용 오차(0)를 넘습니다",
            "12월 5일: 1,198행 중 3행에 customer_id 값이 없어(`NULL`) 허용 오차(0)를 넘습니다",
            "12월 5일: 150행으로 범위(100~200) 안에 있습니다",
            "12월 5일: lake 9 vs erp 10",
            "아직 실행되지 않았습니다",
            "sales.orders · not_null · 경고 · 담당 김데이터",
            "검증 | 최근 결과 | 상태",
            "| 실패",
            "| 통과",
            "| 실행 불가",
            "| 미실행",
            "데이터 검증: 실패 2, 실행 불가 1, 통과 1, 미실행 1",
            "데이터 기준:",
        ],
    );
    let (history, _) = ask_korean(&chat, "check orders: ERP vs lake", false).await;
    says(
        &history,
        &[
            "검증한 날 | 결과 | 상태",
            "2026년 12월 5일 원천 1,204 · 레이크 1,198 (-6) | 레이크 1,198, erp 1,204: 차이 -6",
            "2026년 12월 4일 원천 1,204 · 레이크 1,198 (-6) | 레이크 1,204 = erp 1,204 | 통과",
            "실행: 0 0 7 * * * · 원천 postgres://reader@erp/erp · 레이크 athena",
            "최근 실패: 2026년 12월 5일: 레이크 1,198, erp 1,204",
            "최근 2일: 통과 1 · 미통과 1",
            "orders: ERP vs lake: 레이크 1,198, erp 1,204",
        ],
    );
    let (never, _) = ask_korean(&chat, "check orders: unique id", false).await;
    says(
        &never,
        &[
            "아직 실행되지 않았습니다",
            "관리자는 `check run ‹name›`으로 지금 실행할 수 있습니다.",
            "미실행",
        ],
    );
    let (table, _) = ask_korean(&chat, "check sales.orders", false).await;
    says(
        &table,
        &[
            "데이터 검증 · sales.orders",
            "sales.orders: 실패 2, 실행 불가 0, 통과 0",
            "2건 실패",
        ],
    );
    let (typo, _) = ask_korean(&chat, "check orders: ERP vs lak", false).await;
    says(
        &typo,
        &[
            "그런 검증이 없습니다",
            "`checks`로 모든 검증을",
            "`check orders: ERP vs lake`",
        ],
    );
    let fact = scope(
        Lang::Ko,
        doberman::chat::checks::table_fact(&store, "sales.orders"),
    )
    .await
    .expect("fact")
    .expect("the table has checks");
    assert_eq!(fact.title, "데이터 검증");
    assert_eq!(
        fact.value,
        "2건 실패 · 1건 미실행: orders: ERP vs lake, orders: customer"
    );
    let problem = sync_scope(Lang::Ko, || {
        doberman::chat::checks::Target::from_args(vec![None]).expect_err("nothing named")
    });
    assert_eq!(problem, "검증 이름이나 테이블을 입력해 주십시오");

    // `check run`: a check whose source cannot be reached says why, in Korean around the driver's own words.
    let dir = write_checks(
        r#"
[[check]]
name = "orders: unreachable"
table = "sales.orders"
kind = "row_count_match"
schedule = "0 30 7 * * *"
[check.source]
url = "postgres://doberman@127.0.0.1:1/erp"
sql = "SELECT count(*) FROM orders WHERE order_date = :day"
[check.lake]
url = "mysql://doberman@127.0.0.1:1/lake"
sql = "SELECT count(*) FROM orders WHERE dt = :day"
"#,
    );
    let dir_text = dir.path().display().to_string();
    let config = db.config_with(&[
        ("DOBERMAN_CHECKS__DIR", &dir_text),
        ("DOBERMAN_CHECKS__TIMEOUT_SECS", "2"),
    ]);
    let checker = Arc::new(Checker::new(&config, store.clone(), None));
    let chat = chat.with_checker(checker);
    let (ran, _) = ask_korean(&chat, "check run orders: unreachable", true).await;
    let stored = store
        .check_statuses(Some("sales.orders"))
        .await
        .expect("statuses")
        .into_iter()
        .find(|c| c.check_name == "orders: unreachable")
        .and_then(|c| c.message)
        .expect("a result");
    let msg: doberman::i18n::Msg = serde_json::from_str(&stored).expect("a stored message");
    // The driver's words and the host are data.
    let said_by_driver: Vec<String> = msg
        .args
        .values()
        .filter_map(|a| match a {
            doberman::i18n::MsgArg::Text(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let mut run_data: Vec<&str> = data.to_vec();
    run_data.extend([
        "postgres://doberman@127.0.0.1:1/erp",
        "mysql://doberman@127.0.0.1:1/lake",
        "0 30 7 * * *",
    ]);
    run_data.extend(said_by_driver.iter().map(String::as_str));
    for expected in [
        "방금 실행: ",
        " 데이터를 ",
        " 동안 검증했습니다: 실행 불가",
        "127.0.0.1: ",
    ] {
        assert!(ran.contains(expected), "{expected:?} missing from\n{ran}");
    }
    assert_eq!(
        english_besides(&ran, &run_data),
        Vec::<String>::new(),
        "{ran}"
    );
    let (unknown, _) = ask_korean(&chat, "check run nope", true).await;
    says(
        &unknown,
        &[
            "`checks.dir`에 “nope”(이)라는 검증이 없습니다.",
            "Glue Data Quality 규칙 세트는 여기가 아니라 Glue에서 실행됩니다.",
        ],
    );
}

crate::support::two_backends!(the_data_check_answers_speak_korean);
