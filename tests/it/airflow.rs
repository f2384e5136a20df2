//! The Airflow collector end to end: against real Airflow 2.10 and 3.x (tests/peers/airflow.sh, named by
//! `DOBERMAN_TEST_AIRFLOW2` / `DOBERMAN_TEST_AIRFLOW3`, the JSON line that script prints), and against a fake
//! for what no real Airflow does on demand (a 500, a page that never comes, a DAG id with a slash).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use doberman::collect::{Job, RunOutcome, Trigger};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use crate::support::{TestDb, ask_korean, card_words, two_backends};
use doberman::i18n::english_besides;

/// A running Airflow of the tests, as tests/peers/airflow.sh describes it.
struct Peer {
    url: String,
    major: u8,
    admin: (String, String),
    viewer: (String, String),
    http: reqwest::Client,
}

impl Peer {
    fn of(major: u8) -> Peer {
        let var = format!("DOBERMAN_TEST_AIRFLOW{major}");
        let raw = std::env::var(&var).unwrap_or_else(|_| {
            panic!("this case needs Airflow {major}: start tests/peers/airflow.sh {major} and set {var} to the line it prints")
        });
        let v: Value = serde_json::from_str(&raw).expect("the JSON line of airflow.sh");
        let pair = |who: &str| {
            (
                v[who]["username"].as_str().expect("username").to_owned(),
                v[who]["password"].as_str().expect("password").to_owned(),
            )
        };
        Peer {
            url: v["url"].as_str().expect("url").to_owned(),
            major,
            admin: pair("admin"),
            viewer: pair("viewer"),
            http: reqwest::Client::new(),
        }
    }

    fn api(&self) -> String {
        format!("{}/api/v{}", self.url, self.major - 1)
    }

    /// The admin's request: basic auth on 2.x, a token on 3.x.
    async fn admin(&self, request: reqwest::RequestBuilder) -> Value {
        let request = if self.major == 2 {
            request.basic_auth(&self.admin.0, Some(&self.admin.1))
        } else {
            let token: Value = self
                .http
                .post(format!("{}/auth/token", self.url))
                .json(&json!({"username": self.admin.0, "password": self.admin.1}))
                .send()
                .await
                .expect("sign in")
                .json()
                .await
                .expect("token");
            request.bearer_auth(token["access_token"].as_str().expect("access_token"))
        };
        let response = request.send().await.expect("the admin's call");
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert!(status.is_success(), "{status}: {body}");
        body
    }

    /// Triggers a run of `dag_id`; its run id.
    async fn trigger(&self, dag_id: &str) -> String {
        let body = if self.major == 2 {
            json!({})
        } else {
            json!({"logical_date": null})
        };
        let run = self
            .admin(
                self.http
                    .post(format!("{}/dags/{dag_id}/dagRuns", self.api()))
                    .json(&body),
            )
            .await;
        run["dag_run_id"].as_str().expect("dag_run_id").to_owned()
    }

    /// Waits until the run has ended; its state.
    async fn ended(&self, dag_id: &str, run_id: &str) -> String {
        let url = format!(
            "{}/dags/{dag_id}/dagRuns/{}",
            self.api(),
            percent_encoding::utf8_percent_encode(run_id, percent_encoding::NON_ALPHANUMERIC)
        );
        for _ in 0..600 {
            let run = self.admin(self.http.get(&url)).await;
            let state = run["state"].as_str().unwrap_or_default().to_owned();
            if state == "success" || state == "failed" {
                return state;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        panic!(
            "{dag_id} {run_id} did not end within 5 minutes on Airflow {}",
            self.major
        );
    }

    /// Every run Airflow has, by (dag id, run id).
    async fn runs(&self) -> BTreeMap<(String, String), Value> {
        let mut out = BTreeMap::new();
        loop {
            let page = self
                .admin(self.http.get(format!(
                    "{}/dags/~/dagRuns?limit=100&offset={}&order_by=id",
                    self.api(),
                    out.len()
                )))
                .await;
            let runs = page["dag_runs"].as_array().expect("dag_runs").clone();
            if runs.is_empty() {
                return out;
            }
            for r in runs {
                let key = (
                    r["dag_id"].as_str().expect("dag_id").to_owned(),
                    r["dag_run_id"].as_str().expect("run id").to_owned(),
                );
                out.insert(key, r);
            }
            if out.len() as u64 >= page["total_entries"].as_u64().unwrap_or(0) {
                return out;
            }
        }
    }

    /// `airflow.instances` with the read-only user.
    fn instances(&self, name: &str) -> String {
        json!([{"name": name, "url": self.url, "username": self.viewer.0, "password": self.viewer.1}]).to_string()
    }
}

async fn collect(db: &TestDb, instances: &str) -> RunOutcome {
    let config = db.config_with(&[
        ("DOBERMAN_AIRFLOW__INSTANCES", instances),
        ("DOBERMAN_AIRFLOW__TIMEOUT_SECS", "5"),
    ]);
    let store = db.store().await;
    let runner = crate::lake::runner(&config, &store);
    runner
        .run(Job::Airflow, Trigger::Manual, &CancellationToken::new())
        .await
}

fn time(v: &Value) -> String {
    match v.as_str() {
        Some(s) => chrono::DateTime::parse_from_rfc3339(s)
            .expect("an RFC 3339 time")
            .with_timezone(&chrono::Utc)
            .format("%Y-%m-%d %H:%M:%S%.6f")
            .to_string(),
        None => "NULL".to_owned(),
    }
}

/// A stored time as [`time`] writes it, from either backend's text (SQLite's `…43.179+00:00`, MySQL's
/// `…43.179000`).
fn stored_time(text: &str) -> String {
    if text == "NULL" {
        return text.to_owned();
    }
    let text = text.replace('T', " ");
    let naive = text.trim_end_matches("+00:00").trim_end_matches('Z');
    chrono::NaiveDateTime::parse_from_str(naive, "%Y-%m-%d %H:%M:%S%.f")
        .unwrap_or_else(|e| panic!("a stored time: {text}: {e}"))
        .format("%Y-%m-%d %H:%M:%S%.6f")
        .to_string()
}

async fn the_collector_stores_what_airflow_reports(db: TestDb) {
    db.store().await.migrate().await.expect("migrate");
    for major in [2u8, 3] {
        let peer = Peer::of(major);
        let instance = format!("af{major}");
        // A run that succeeds and one that fails after its retry, each this test's own.
        let ok = peer.trigger("doberman_ok").await;
        let fails = peer.trigger("doberman_fails").await;
        assert_eq!(peer.ended("doberman_ok", &ok).await, "success");
        assert_eq!(peer.ended("doberman_fails", &fails).await, "failed");

        let report = match collect(&db, &peer.instances(&instance)).await {
            RunOutcome::Succeeded(report) => report,
            other => panic!("Airflow {major}: {other:?}"),
        };
        assert!(report.rows_written > 0, "{report:?}");

        // Every ended run Airflow reports is stored as it reports it.
        let runs = peer.runs().await;
        let mut compared = 0;
        for ((dag_id, run_id), r) in &runs {
            let state = r["state"].as_str().unwrap_or_default();
            if state != "success" && state != "failed" {
                continue;
            }
            let key =
                format!("instance = '{instance}' AND dag_id = '{dag_id}' AND run_id = '{run_id}'");
            let mut stored = Vec::new();
            for column in ["state", "run_type", "started_at", "ended_at"] {
                let value = db
                    .strings(&format!(
                        "SELECT CAST({column} AS CHAR) FROM fact_airflow_dag_run WHERE {key}"
                    ))
                    .await;
                assert_eq!(
                    value.len(),
                    1,
                    "Airflow {major}: {dag_id} {run_id} stored once"
                );
                stored.push(if column.ends_with("_at") {
                    stored_time(&value[0])
                } else {
                    value[0].clone()
                });
            }
            let stored = [stored.join("|")];
            let expected = format!(
                "{state}|{}|{}|{}",
                r["run_type"].as_str().unwrap_or_default(),
                time(&r["start_date"]),
                time(&r["end_date"])
            );
            assert_eq!(stored, [expected], "Airflow {major}: {dag_id} {run_id}");
            compared += 1;
        }
        assert!(compared >= 2, "Airflow {major}: {compared} runs compared");

        // The DAGs, paused and Korean-owned ones included; the broken file; the failed try with its link.
        let paused = db
            .number(&format!(
                "SELECT COUNT(*) FROM dim_airflow_dag WHERE instance = '{instance}' AND dag_id = 'doberman_paused' AND is_paused = 1"
            ))
            .await;
        assert_eq!(paused, 1, "Airflow {major}: doberman_paused is paused");
        let owners = db
            .strings(&format!(
                "SELECT owners FROM dim_airflow_dag WHERE instance = '{instance}' AND dag_id = 'doberman_fails'"
            ))
            .await;
        assert_eq!(owners, ["민수"], "Airflow {major}");
        let broken = db
            .strings(&format!(
                "SELECT file_location FROM dim_airflow_import_error WHERE instance = '{instance}'"
            ))
            .await;
        assert!(
            broken.iter().any(|f| f.ends_with("broken_dag.py")),
            "Airflow {major}: {broken:?}"
        );
        let failure = db
            .strings(&format!(
                "SELECT CONCAT(task_id, '|', state, '|', try_number, '|', log_url) FROM fact_airflow_task_failure \
                 WHERE instance = '{instance}' AND dag_id = 'doberman_fails' AND run_id = '{fails}'"
            ))
            .await;
        assert_eq!(failure.len(), 1, "Airflow {major}: {failure:?}");
        let parts: Vec<&str> = failure[0].splitn(4, '|').collect();
        assert_eq!(&parts[..3], ["explode", "failed", "2"], "Airflow {major}");
        assert!(
            parts[3].starts_with(&peer.url),
            "Airflow {major}: {}",
            parts[3]
        );
        let version = db
            .strings(&format!(
                "SELECT CONCAT(api, ' ', version) FROM airflow_instance WHERE instance = '{instance}'"
            ))
            .await;
        assert!(
            version[0].starts_with(&format!("v{} {major}.", major - 1)),
            "{version:?}"
        );

        // Again: the same keys, nothing doubled (other tests trigger runs on the same Airflow meanwhile: count
        // this test's own).
        let own = |table: &'static str| {
            let db = &db;
            let sql = format!(
                "SELECT COUNT(*) FROM {table} WHERE instance = '{instance}' AND run_id IN ('{ok}', '{fails}')"
            );
            async move { db.number(&sql).await }
        };
        let before = (
            own("fact_airflow_dag_run").await,
            own("fact_airflow_task_failure").await,
        );
        assert_eq!(before, (2, 1), "Airflow {major}");
        let dags = db
            .number(&format!(
                "SELECT COUNT(*) FROM dim_airflow_dag WHERE instance = '{instance}'"
            ))
            .await;
        assert!(matches!(
            collect(&db, &peer.instances(&instance)).await,
            RunOutcome::Succeeded(_)
        ));
        let after = (
            own("fact_airflow_dag_run").await,
            own("fact_airflow_task_failure").await,
        );
        assert_eq!(after, before, "Airflow {major}");
        assert_eq!(
            db.number(&format!(
                "SELECT COUNT(*) FROM dim_airflow_dag WHERE instance = '{instance}'"
            ))
            .await,
            dags,
            "Airflow {major}"
        );
        // What people ask of it.
        let chat = crate::support::chat(&db.store().await, doberman::chat::Settings::default());
        let (failed, _) = crate::support::ask_card(&chat, "airflow failed").await;
        assert!(
            failed.contains("doberman_fails") && failed.contains("explode (try 2)"),
            "Airflow {major}: {failed}"
        );
        let (one, _) = crate::support::ask_card(&chat, "airflow dag doberman_fails").await;
        assert!(
            one.contains("민수") && one.contains("failed"),
            "Airflow {major}: {one}"
        );
        let stored = db
            .number(&format!(
                "SELECT COUNT(*) FROM fact_airflow_dag_run WHERE instance = '{instance}'"
            ))
            .await;
        assert!(
            stored <= peer.runs().await.len() as i64,
            "Airflow {major}: no run twice"
        );
    }
}
two_backends!(the_collector_stores_what_airflow_reports, airflow);

impl Peer {
    /// Clears a run (admin): Airflow runs its failed tasks again.
    async fn clear(&self, dag_id: &str, run_id: &str) {
        let url = format!(
            "{}/dags/{dag_id}/dagRuns/{}/clear",
            self.api(),
            percent_encoding::utf8_percent_encode(run_id, percent_encoding::NON_ALPHANUMERIC)
        );
        self.admin(self.http.post(url).json(&json!({"dry_run": false})))
            .await;
    }
}

/// The alert engine over the test's store, with `airflow.owners` mapping 민수.
async fn alert_engine(db: &TestDb, instances: &str) -> doberman::alerts::Alerts {
    let config = db.config_with(&[
        ("DOBERMAN_AIRFLOW__INSTANCES", instances),
        (
            "DOBERMAN_AIRFLOW__OWNERS",
            r#"[{"owner": "민수", "id": "29:minsu", "name": "Kim Minsu"}]"#,
        ),
    ]);
    doberman::alerts::Alerts::new(
        db.store().await,
        doberman::alerts::Settings::from_config(&config),
    )
}

/// The card of the `airflow` alert about `subject` (firing or not, the latest), as Teams would get it.
async fn airflow_card(
    db: &TestDb,
    engine: &doberman::alerts::Alerts,
    subject: &str,
) -> (i64, String) {
    let id = db
        .number(&format!(
            "SELECT MAX(card_id) FROM alert WHERE topic = 'airflow' AND subject = '{subject}'"
        ))
        .await;
    let card = engine
        .card(id, doberman::clock::now())
        .await
        .expect("read the card")
        .expect("the card exists");
    (id, card.to_string())
}

async fn a_failed_dag_gets_one_card_that_follows_its_runs_until_one_succeeds(db: TestDb) {
    db.store().await.migrate().await.expect("migrate");
    // Each backend's run has a DAG of its own: the two runs share the Airflows.
    let dag = match db.backend {
        doberman::store::Backend::Sqlite => "doberman_flaky_sqlite",
        doberman::store::Backend::MySql => "doberman_flaky_mysql",
    };
    for major in [2u8, 3] {
        let peer = Peer::of(major);
        let instance = format!("af{major}");
        let instances = peer.instances(&instance);
        let engine = alert_engine(&db, &instances).await;
        let subject = format!("failed/{instance}/{dag}");
        let evaluate = || async {
            engine
                .evaluate(doberman::clock::now())
                .await
                .expect("evaluate")
        };

        // A run fails (after its retry): one card for the DAG, naming the task, its try and its log, and its owner.
        let first = peer.trigger(dag).await;
        assert_eq!(peer.ended(dag, &first).await, "failed");
        assert!(matches!(
            collect(&db, &instances).await,
            RunOutcome::Succeeded(_)
        ));
        evaluate().await;
        let (card, shown) = airflow_card(&db, &engine, &subject).await;
        // The second instance collected into the store is named on its cards.
        let name = if major == 2 {
            dag.to_owned()
        } else {
            format!("{dag} ({instance})")
        };
        assert!(
            shown.contains(&format!("{name} failed")),
            "Airflow {major}: {shown}"
        );
        assert!(
            shown.contains(&format!("Run {first} failed")),
            "Airflow {major}: {shown}"
        );
        assert!(shown.contains("🔴 FIRING"), "Airflow {major}: {shown}");
        assert!(
            shown.contains(&format!("[explode (try 2)]({}/", peer.url)),
            "the failed task, its try and its log: Airflow {major}: {shown}"
        );
        assert!(
            shown.contains("<at>Kim Minsu</at>") && shown.contains("29:minsu"),
            "{shown}"
        );
        let count_cards = format!(
            "SELECT COUNT(DISTINCT card_id) FROM alert WHERE topic = 'airflow' AND subject = '{subject}'"
        );
        let cards_of_dag = || db.number(&count_cards);
        let cards_before = cards_of_dag().await;
        // Other DAGs' problems (the broken file, doberman_fails) are cards of their own.
        assert_eq!(
            db.number(&format!(
                "SELECT COUNT(*) FROM alert WHERE card_id = {card}"
            ))
            .await,
            1,
            "Airflow {major}: one card per DAG"
        );

        // The next run fails too: the same card, updated.
        let second = peer.trigger(dag).await;
        assert_eq!(peer.ended(dag, &second).await, "failed");
        assert!(matches!(
            collect(&db, &instances).await,
            RunOutcome::Succeeded(_)
        ));
        evaluate().await;
        let (same, shown) = airflow_card(&db, &engine, &subject).await;
        assert_eq!(
            same, card,
            "Airflow {major}: updated in place, not a new card"
        );
        assert!(
            // (Two at least: an earlier run of this test may have left a failed run on a long-lived Airflow.)
            shown.contains(&format!("Run {second} failed"))
                && shown.contains(" failed runs in a row"),
            "Airflow {major}: {shown}"
        );

        // Cleared, it passes on its third try: the card resolves.
        peer.clear(dag, &second).await;
        assert_eq!(peer.ended(dag, &second).await, "success");
        assert!(matches!(
            collect(&db, &instances).await,
            RunOutcome::Succeeded(_)
        ));
        evaluate().await;
        let (same, shown) = airflow_card(&db, &engine, &subject).await;
        assert_eq!(same, card, "Airflow {major}");
        assert!(
            shown.contains("✅ RESOLVED") && shown.contains(&format!("{dag} succeeded again")),
            "Airflow {major}: {shown}"
        );
        assert_eq!(cards_of_dag().await, cards_before, "Airflow {major}");
        assert_eq!(
            db.strings(&format!("SELECT state FROM alert WHERE card_id = {card}"))
                .await,
            ["resolved"],
            "Airflow {major}"
        );
    }
}
two_backends!(
    a_failed_dag_gets_one_card_that_follows_its_runs_until_one_succeeds,
    airflow
);

async fn a_wrong_password_fails_the_run_and_says_so(db: TestDb) {
    db.store().await.migrate().await.expect("migrate");
    for major in [2u8, 3] {
        let peer = Peer::of(major);
        let instances = json!([{"name": "prod", "url": peer.url, "username": peer.viewer.0, "password": "not-the-password"}]).to_string();
        match collect(&db, &instances).await {
            RunOutcome::Failed(error) => {
                assert!(
                    error.contains("HTTP 401") && error.contains("username and password"),
                    "Airflow {major}: {error}"
                );
                assert!(!error.contains("not-the-password"), "{error}");
            }
            other => panic!("Airflow {major}: {other:?}"),
        }
        assert_eq!(db.number("SELECT COUNT(*) FROM dim_airflow_dag").await, 0);
    }
}
two_backends!(a_wrong_password_fails_the_run_and_says_so, airflow);

/// What the fake does when asked for DAG runs.
#[derive(Clone, Copy, PartialEq)]
enum Runs {
    /// Answers, with a failed try whose run is not in the list.
    Answer,
    /// 500 every time.
    Fail,
    /// Never answers.
    Hang,
}

/// A fake Airflow 2 (REST v1) on loopback: enough for the collector, with faults on demand.
struct Fake {
    addr: SocketAddr,
    asked: Arc<Mutex<Vec<String>>>,
}

impl Fake {
    async fn start(runs: Runs) -> Fake {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let seen = asked.clone();
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
            let seen = seen.clone();
            async move {
                let path = percent_encoding::percent_decode_str(uri.path())
                    .decode_utf8_lossy()
                    .into_owned();
                seen.lock().expect("lock").push(path.clone());
                let ok = |v: Value| (axum::http::StatusCode::OK, axum::Json(v));
                match path.as_str() {
                    "/api/v2/version" => (axum::http::StatusCode::NOT_FOUND, axum::Json(json!({}))),
                    "/api/v1/version" => ok(json!({"version": "2.10.5"})),
                    "/api/v1/dags" => ok(json!({"total_entries": 1, "dags": [{
                        "dag_id": "주문/적재", "owners": ["민수"], "tags": [{"name": "판매"}],
                        "schedule_interval": {"__type": "TimeDelta", "days": 1, "seconds": 0, "microseconds": 0},
                        "timetable_description": "매일", "is_paused": false, "is_active": true,
                        "next_dagrun_create_after": "2026-12-07T00:00:00+00:00", "fileloc": "/dags/주문.py",
                        "has_import_errors": false}]})),
                    "/api/v1/dags/~/dagRuns" => match runs {
                        Runs::Answer => ok(json!({"total_entries": 0, "dag_runs": []})),
                        Runs::Fail => (
                            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                            axum::Json(json!({"title": "Internal Server Error", "status": 500})),
                        ),
                        Runs::Hang => {
                            tokio::time::sleep(Duration::from_secs(3_600)).await;
                            ok(json!({}))
                        }
                    },
                    "/api/v1/dags/~/dagRuns/~/taskInstances" => ok(json!({"total_entries": 1, "task_instances": [{
                        "dag_id": "주문/적재", "dag_run_id": "manual__2026-12-06T01:00:00+00:00/재실행",
                        "task_id": "적재", "map_index": -1, "try_number": 2, "state": "failed",
                        "operator": "PythonOperator", "start_date": "2026-12-06T01:00:01+00:00",
                        "end_date": "2026-12-06T01:00:03+00:00", "duration": 2.0}]})),
                    "/api/v1/dags/주문/적재/dagRuns/manual__2026-12-06T01:00:00+00:00/재실행" => ok(json!({
                        "dag_id": "주문/적재", "dag_run_id": "manual__2026-12-06T01:00:00+00:00/재실행",
                        "run_type": "manual", "state": "failed",
                        "execution_date": "2026-12-06T01:00:00+00:00", "logical_date": "2026-12-06T01:00:00+00:00",
                        "start_date": "2026-12-06T01:00:00.5+00:00", "end_date": "2026-12-06T01:00:04+00:00"})),
                    "/api/v1/importErrors" => ok(json!({"total_entries": 0, "import_errors": []})),
                    _ => (axum::http::StatusCode::NOT_FOUND, axum::Json(json!({"path": path}))),
                }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        Fake { addr, asked }
    }

    fn instances(&self) -> String {
        json!([{"name": "fake", "url": format!("http://{}", self.addr), "username": "doberman", "password": "pw-of-the-fake"}]).to_string()
    }
}

async fn a_dag_id_with_korean_letters_and_a_slash_is_read_and_linked(db: TestDb) {
    db.store().await.migrate().await.expect("migrate");
    let fake = Fake::start(Runs::Answer).await;
    let outcome = collect(&db, &fake.instances()).await;
    assert!(matches!(outcome, RunOutcome::Succeeded(_)), "{outcome:?}");
    // The failed try's run was not among the changed runs: it was read on its own, by its escaped path.
    let asked = fake.asked.lock().expect("lock").clone();
    assert!(
        asked.contains(
            &"/api/v1/dags/주문/적재/dagRuns/manual__2026-12-06T01:00:00+00:00/재실행".to_owned()
        ),
        "{asked:?}"
    );
    assert_eq!(
        db.strings(
            "SELECT CONCAT(dag_id, '|', owners, '|', schedule, '|', tags) FROM dim_airflow_dag"
        )
        .await,
        ["주문/적재|민수|every 1d|[\"판매\"]"]
    );
    assert_eq!(
        db.strings("SELECT CONCAT(run_id, '|', state) FROM fact_airflow_dag_run")
            .await,
        ["manual__2026-12-06T01:00:00+00:00/재실행|failed"]
    );
    let link = db
        .strings("SELECT log_url FROM fact_airflow_task_failure WHERE task_id = '적재'")
        .await;
    assert_eq!(
        link,
        [format!(
            "http://{}/dags/%EC%A3%BC%EB%AC%B8%2F%EC%A0%81%EC%9E%AC/grid?dag_run_id=manual__2026-12-06T01%3A00%3A00%2B00%3A00%2F%EC%9E%AC%EC%8B%A4%ED%96%89&task_id=%EC%A0%81%EC%9E%AC&map_index=-1&tab=logs",
            fake.addr
        )]
    );
}
two_backends!(a_dag_id_with_korean_letters_and_a_slash_is_read_and_linked);

async fn a_failing_or_silent_airflow_fails_the_run_and_writes_nothing(db: TestDb) {
    db.store().await.migrate().await.expect("migrate");
    // Port 1 (tcpmux), where nothing listens: a port bound and released here could be handed straight to the
    // fakes below (or another test) and answer after all.
    let closed = "127.0.0.1:1";
    let unreachable = json!([{"name": "gone", "url": format!("http://{closed}"), "username": "u", "password": "pw-of-the-fake"}]).to_string();
    let failing = Fake::start(Runs::Fail).await;
    let silent = Fake::start(Runs::Hang).await;
    for (case, instances, expected) in [
        ("unreachable", unreachable, "cannot reach Airflow `gone`"),
        (
            "500",
            failing.instances(),
            "answered HTTP 500 to the DAG runs",
        ),
        (
            "silent",
            silent.instances(),
            "did not answer the DAG runs within 5 s",
        ),
    ] {
        let started = std::time::Instant::now();
        match collect(&db, &instances).await {
            RunOutcome::Failed(error) => {
                assert!(error.contains(expected), "{case}: {error}");
                assert!(!error.contains("pw-of-the-fake"), "{case}: {error}");
            }
            other => panic!("{case}: {other:?}"),
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{case}: bounded by airflow.timeout_secs"
        );
        for table in [
            "dim_airflow_dag",
            "fact_airflow_dag_run",
            "airflow_instance",
        ] {
            assert_eq!(
                db.number(&format!("SELECT COUNT(*) FROM {table}")).await,
                0,
                "{case}: nothing half-written in {table}"
            );
        }
    }
    // The 500 was retried within bounds (three attempts), not once and not forever.
    let asked = failing.asked.lock().expect("lock").clone();
    assert_eq!(
        asked
            .iter()
            .filter(|p| *p == "/api/v1/dags/~/dagRuns")
            .count(),
        3,
        "{asked:?}"
    );
    let recorded = db
        .strings("SELECT status FROM job_run WHERE job = 'airflow' ORDER BY id")
        .await;
    assert_eq!(recorded, ["failed", "failed", "failed"]);
}
two_backends!(a_failing_or_silent_airflow_fails_the_run_and_writes_nothing);

/// The board's DAGs on `prod`: 주문_적재 failed (task explode, try 2), web_hourly running, sales_daily late, ok
/// succeeding (20 % slower lately; a backfill of it failed), resting paused; one file fails to import.
fn board_collection(now: chrono::DateTime<chrono::Utc>) -> doberman::store::AirflowCollection {
    use doberman::store::{
        AirflowCollection, AirflowDagRow, AirflowFailureRow, AirflowImportErrorRow, AirflowRunRow,
    };
    let ago = |minutes: i64| Some(now - chrono::Duration::minutes(minutes));
    let dag = |id: &str, next_in_minutes: i64, paused: bool| AirflowDagRow {
        dag_id: id.into(),
        owners: Some("민수".into()),
        schedule: Some("@hourly".into()),
        schedule_description: Some("At the start of every hour".into()),
        is_paused: paused,
        is_active: true,
        next_run_after: Some(now + chrono::Duration::minutes(next_in_minutes)),
        ..AirflowDagRow::default()
    };
    let run =
        |dag: &str, id: &str, kind: &str, state: &str, started: i64, minutes: i64| AirflowRunRow {
            dag_id: dag.into(),
            run_id: id.into(),
            run_type: kind.into(),
            state: state.into(),
            run_after: ago(started),
            started_at: ago(started),
            ended_at: (state != "running")
                .then(|| now - chrono::Duration::minutes(started - minutes)),
            ..AirflowRunRow::default()
        };
    let mut runs = vec![
        run("주문_적재", "r1", "scheduled", "failed", 30, 2),
        run("web_hourly", "w1", "scheduled", "running", 10, 0),
        run("sales_daily", "s0", "scheduled", "success", 60 * 26, 5),
        // ok's latest scheduled run succeeded; a later backfill failed, which the board leaves out.
        run("ok", "b1", "backfill", "failed", 5, 1),
    ];
    for i in 0..20 {
        // Ten runs of 10 minutes, then ten of 12: 20 % slower.
        let minutes = if i < 10 { 12 } else { 10 };
        runs.push(run(
            "ok",
            &format!("o{i:02}"),
            "scheduled",
            "success",
            60 * (i + 1),
            minutes,
        ));
    }
    AirflowCollection {
        instance: "prod".into(),
        url: "https://airflow.example.com".into(),
        api: "v2".into(),
        version: "3.1.8".into(),
        through: now,
        dags: vec![
            dag("주문_적재", 30, false),
            dag("web_hourly", 50, false),
            // Due 90 minutes ago and not created: late.
            dag("sales_daily", -90, false),
            dag("ok", 10, false),
            dag("resting", -600, true),
        ],
        runs,
        failures: vec![AirflowFailureRow {
            dag_id: "주문_적재".into(),
            run_id: "r1".into(),
            task_id: "explode".into(),
            map_index: -1,
            try_number: 2,
            state: "failed".into(),
            log_url: Some(
                "https://airflow.example.com/dags/x/runs/r1/tasks/explode?try_number=2".into(),
            ),
            ..AirflowFailureRow::default()
        }],
        import_errors: vec![AirflowImportErrorRow {
            file_location: "/dags/broken_dag.py".into(),
            error_text: "ModuleNotFoundError".into(),
            seen_since: ago(100),
        }],
    }
}

async fn the_board_puts_the_worst_first_and_tells_backfills_apart(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let now = doberman::clock::now();
    store
        .write_airflow(&board_collection(now), chrono_tz::Asia::Seoul, now)
        .await
        .expect("write");
    let chat = crate::support::chat(&store, doberman::chat::Settings::default());

    let (board, _) = crate::support::ask_card(&chat, "에어플로우").await;
    let at = |what: &str| {
        board
            .find(what)
            .unwrap_or_else(|| panic!("{what} missing from\n{board}"))
    };
    assert!(at("explode (try 2)") < at("sales_daily"), "{board}");
    assert!(at("broken_dag.py") < at("sales_daily"), "{board}");
    assert!(at("late 1h 30m") < at("web_hourly"), "{board}");
    assert!(at("web_hourly") < at("\nok owner"), "{board}");
    assert!(
        !board.contains("resting"),
        "paused DAGs are off the board: {board}"
    );
    assert!(!board.contains("backfill"), "{board}");
    assert!(
        board.contains("2 failed"),
        "the DAG and the broken file: {board}"
    );

    let (failed, _) = crate::support::ask_card(&chat, "airflow failed").await;
    assert!(
        failed.contains("explode (try 2)") && failed.contains("backfill"),
        "the backfill is listed, and marked: {failed}"
    );

    let (one, _) = crate::support::ask_card(&chat, "airflow dag ok").await;
    assert!(one.contains("▲ 20%"), "{one}");
    assert!(
        one.contains("@hourly (At the start of every hour)"),
        "{one}"
    );
    let (typo, _) = crate::support::ask_card(&chat, "airflow dag okk").await;
    assert!(typo.contains("airflow dag ok"), "{typo}");
}
two_backends!(the_board_puts_the_worst_first_and_tells_backfills_apart);

/// Asks `command` in Korean and checks that the answer says each of `expected` and no English but `data`.
async fn korean_answer(
    chat: &doberman::chat::Chat,
    command: &str,
    expected: &[&str],
    data: &[&str],
) -> String {
    crate::support::korean_answer(chat, command, expected, data)
        .await
        .0
}

/// What the Airflow cards show as they are: ids, names, versions, links, zones, Airflow's own words.
const AIRFLOW_DATA: &[&str] = &[
    "주문_적재",
    "web_hourly",
    "sales_daily",
    "resting",
    "/dags/broken_dag.py",
    "broken_dag.py",
    "explode",
    "prod (Airflow 3.1.8)",
    "prod",
    "stage",
    "quiet",
    "https://airflow.example.com/dags/x/runs/r1/tasks/explode?try_number=2",
    "@hourly",
    "At the start of every hour",
    "Asia/Seoul",
    "okk",
];

async fn the_airflow_answers_speak_korean(db: TestDb) {
    use doberman::chat::airflow::{DagId, HeatmapArgs, Window};
    use doberman::chat::commands::FromArgs;
    use doberman::i18n::{Lang, sync_scope};
    use doberman::store::{JobOutcome, JobStatus};
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let now = doberman::clock::now();
    let settings = doberman::chat::Settings {
        timezone: chrono_tz::Asia::Seoul,
        superset_url: Some("https://superset.example.com".parse().expect("a URL")),
        periods: [("airflow".to_owned(), chrono::Duration::minutes(5))].into(),
        ..doberman::chat::Settings::default()
    };
    let chat = crate::support::chat(&store, settings);
    let data = AIRFLOW_DATA;

    // Nothing collected yet: every answer says so, and how to set it up.
    for command in ["airflow", "airflow failed", "airflow heatmap"] {
        korean_answer(
            &chat,
            command,
            &[
                "아직 수집한 Airflow가 없습니다",
                "`airflow.instances`를 설정하십시오",
            ],
            data,
        )
        .await;
    }
    korean_answer(
        &chat,
        "airflow dag ok",
        &["그런 DAG가 없습니다", "“ok”(이)라는 DAG가 없습니다."],
        data,
    )
    .await;

    // Collected, but nothing on, nothing run: the empty states; and the collector behind, which the cards say.
    let run = store
        .start_job_run("airflow", now - chrono::Duration::hours(3))
        .await
        .expect("start");
    store
        .finish_job_run(
            run,
            now - chrono::Duration::hours(3),
            &JobOutcome {
                status: JobStatus::Succeeded,
                rows_written: 1,
                error_text: None,
            },
        )
        .await
        .expect("finish");
    let mut quiet = board_collection(now);
    quiet.runs.clear();
    quiet.failures.clear();
    quiet.import_errors.clear();
    quiet.dags.retain(|d| d.dag_id == "resting");
    store
        .write_airflow(&quiet, chrono_tz::Asia::Seoul, now)
        .await
        .expect("write");
    let stale =
        "Airflow 수집기의 마지막 성공이 3시간 전입니다. 실행 현황이 최신이 아닐 수 있습니다.";
    korean_answer(
        &chat,
        "airflow",
        &[
            "켜져 있는 DAG가 없습니다",
            "모두 정상",
            stale,
            "Airflow 대시보드 열기",
            "데이터 기준:",
        ],
        data,
    )
    .await;
    korean_answer(
        &chat,
        "airflow failed",
        &[
            "최근 24시간 동안 실패한 DAG 실행이 없습니다",
            "`airflow failed 7d`로 최근 일주일을 볼 수 있습니다.",
            "실패 없음",
        ],
        data,
    )
    .await;
    korean_answer(
        &chat,
        "airflow failed 7d",
        &[
            "최근 7일 동안 실패한 DAG 실행이 없습니다",
            "`airflow`로 오늘의 현황을 볼 수 있습니다.",
        ],
        data,
    )
    .await;
    korean_answer(
        &chat,
        "airflow heatmap 30d",
        &[
            "최근 30일 동안 DAG 실행이 없습니다",
            "백필은 빼고 그립니다.",
        ],
        data,
    )
    .await;
    korean_answer(
        &chat,
        "airflow dag resting",
        &[
            "기록된 실행이 없습니다",
            "일시 중지",
            "일정: @hourly (At the start of every hour)",
        ],
        data,
    )
    .await;

    // The board, failed runs, one DAG, the heatmap.
    store
        .write_airflow(&board_collection(now), chrono_tz::Asia::Seoul, now)
        .await
        .expect("write");
    let board = korean_answer(
        &chat,
        "airflow",
        &[
            "Airflow · 오늘",
            "2건 실패",
            "실패: explode (2번째 시도)",
            "1시간 30분 지연",
            "예정, 아직 실행 없음",
            "임포트 오류",
            "broken_dag.py 파일을 불러오지 못해 그 안의 DAG가 실행되지 않습니다",
            "실행 중",
            "성공",
            "담당 민수",
            "상태",
            "최근 실행",
            "[로그](https://airflow.example.com/",
            "오늘: 00:00 KST 이후",
            "오늘의 Airflow: 실패 2, 지연 1, 실행 중 1, 성공 1",
        ],
        data,
    )
    .await;
    assert!(
        !board.contains("백필"),
        "backfills are off the board: {board}"
    );
    korean_answer(
        &chat,
        "airflow failed",
        &[
            "Airflow · 실패한 실행, 최근 24시간",
            "최근 24시간 동안 DAG 실행 2건이 실패했습니다",
            "백필",
            "2건 실패",
        ],
        data,
    )
    .await;
    korean_answer(
        &chat,
        "airflow dag ok",
        &[
            "보통 소요 시간: 최근 성공 10회 평균 12분 (이전 실행보다 ▲ 20%)",
            "다음 실행",
            "분 후)",
            "담당자: 민수",
            "Airflow 파일에 있음",
            "실패한 태스크",
            "예약",
            "DAG ok: 켜짐, 마지막 실행 실패",
        ],
        data,
    )
    .await;
    korean_answer(
        &chat,
        "airflow dag okk",
        &[
            "그런 DAG가 없습니다",
            "`airflow`로 켜져 있는 DAG 목록을 볼 수 있습니다.",
        ],
        data,
    )
    .await;
    let (heatmap, card) = ask_korean(&chat, "airflow heatmap", false).await;
    for expected in [
        "Airflow 시간표 히트맵",
        "최근 7일 · Asia/Seoul",
        "가장 바쁜 시간",
        "회 · 실행 시간 ",
        "요일(행, 월요일부터)과 시각(열, 0~23시, Asia/Seoul)별 Airflow DAG 실행 히트맵",
        "실행이 없는 시간: ",
        "Airflow 히트맵, 최근 7일 · Asia/Seoul: 가장 바쁜 시간 ",
    ] {
        assert!(
            heatmap.contains(expected),
            "{expected:?} missing from\n{heatmap}"
        );
    }
    assert!(
        [
            "월요일",
            "화요일",
            "수요일",
            "목요일",
            "금요일",
            "토요일",
            "일요일"
        ]
        .iter()
        .any(|d| heatmap.contains(d)),
        "{heatmap}"
    );
    assert_eq!(
        english_besides(&heatmap, data),
        Vec::<String>::new(),
        "{heatmap}"
    );
    assert!(
        card["body"][1]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("data:image/png;base64,"))
    );
    // An instance no one collected.
    let view = doberman::chat::View {
        timezone: chrono_tz::Asia::Seoul,
        now,
        dashboard: None,
        period: None,
        watch: Default::default(),
    };
    let reply = doberman::i18n::scope(
        Lang::Ko,
        doberman::chat::airflow::heatmap(&store, &view, 7, Some("stage")),
    )
    .await
    .expect("heatmap");
    let doberman::chat::Reply::Card(card) = reply else {
        panic!("a card: {reply:?}")
    };
    let words = card_words(&card);
    for expected in [
        "그런 Airflow 인스턴스가 없습니다",
        "“stage”(이)라는 Airflow 인스턴스가 없습니다.",
        "`airflow heatmap`은 모든 인스턴스를 함께 그립니다.",
        "`airflow heatmap prod`",
    ] {
        assert!(
            words.contains(expected),
            "{expected:?} missing from\n{words}"
        );
    }
    assert_eq!(
        english_besides(&words, data),
        Vec::<String>::new(),
        "{words}"
    );

    // Usage problems, as the arguments are read (the chat answers them in its own frame).
    let one = |s: &str| vec![Some(s.to_owned())];
    let problems = sync_scope(Lang::Ko, || {
        [
            Window::from_args(one("yesterday")).expect_err("not a window"),
            DagId::from_args(vec![None]).expect_err("no DAG"),
            DagId::from_args(one("a;b")).expect_err("not an id"),
            HeatmapArgs::from_args(one("90d")).expect_err("not a period"),
            HeatmapArgs::from_args(vec![Some("7d".into()), Some("prod;drop".into())])
                .expect_err("not an instance"),
        ]
    });
    assert_eq!(
        problems[1],
        "어느 DAG인지 알려 주십시오. 예: `airflow dag orders_daily`"
    );
    for p in &problems {
        assert_eq!(
            english_besides(p, &["yesterday", "a;b", "90d", "prod;drop"]),
            Vec::<String>::new(),
            "{p}"
        );
    }
}
two_backends!(the_airflow_answers_speak_korean);

async fn slow_late_and_broken_dags_each_get_a_card_and_the_heartbeat_counts_the_night(db: TestDb) {
    use doberman::store::{AirflowCollection, AirflowDagRow, AirflowImportErrorRow, AirflowRunRow};
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let now = doberman::clock::now();
    let minutes = |m: i64| now - chrono::Duration::minutes(m);
    let dag = |id: &str, owner: &str, next: Option<chrono::DateTime<chrono::Utc>>| AirflowDagRow {
        dag_id: id.into(),
        owners: Some(owner.into()),
        schedule: Some("@daily".into()),
        is_active: true,
        next_run_after: next,
        ..AirflowDagRow::default()
    };
    let run = |dag: &str, id: &str, state: &str, started: i64, took: Option<i64>| AirflowRunRow {
        dag_id: dag.into(),
        run_id: id.into(),
        run_type: "scheduled".into(),
        state: state.into(),
        run_after: Some(minutes(started)),
        started_at: Some(minutes(started)),
        ended_at: took.map(|t| minutes(started - t)),
        ..AirflowRunRow::default()
    };
    // `etl` takes about 20 minutes: its p95 × 2 is 40 minutes, and today's run has gone 90.
    let mut runs: Vec<AirflowRunRow> = (1..=10)
        .map(|d| {
            run(
                "etl",
                &format!("etl-{d}"),
                "success",
                60 * 24 * d + 30,
                Some(20),
            )
        })
        .collect();
    runs.push(run("etl", "etl-today", "running", 90, None));
    runs.push(run("주문_적재", "o-1", "success", 60 * 25, Some(3)));
    let collection = AirflowCollection {
        instance: "prod".into(),
        url: "https://airflow.example.com".into(),
        api: "v2".into(),
        version: "3.1.8".into(),
        through: now,
        dags: vec![
            dag("etl", "data-eng", Some(now + chrono::Duration::hours(20))),
            // Due an hour ago, and no run since yesterday's.
            dag("주문_적재", "민수", Some(minutes(60))),
        ],
        runs,
        failures: Vec::new(),
        import_errors: vec![AirflowImportErrorRow {
            file_location: "/dags/legacy_crm_sync.py".into(),
            error_text:
                "Traceback (most recent call last):\nModuleNotFoundError: No module named 'crm'"
                    .into(),
            seen_since: Some(minutes(100)),
        }],
    };
    store
        .write_airflow(&collection, chrono_tz::Asia::Seoul, now)
        .await
        .expect("write");
    let engine = alert_engine(
        &db,
        r#"[{"name": "prod", "url": "https://airflow.example.com", "username": "u", "password": "p"}]"#,
    )
    .await;

    let applied = engine.evaluate(now).await.expect("evaluate");

    assert_eq!(applied["airflow"].fired, 3, "{applied:?}");
    assert_eq!(applied["airflow"].cards_opened.len(), 3, "one card each");
    let (_, slow) = airflow_card(&db, &engine, "slow/prod/etl").await;
    assert!(
        slow.contains("etl is running long")
            && slow.contains(
                "has run longer than 40m (2 × the p95 of its last 10 successful runs, 20m)"
            ),
        "{slow}"
    );
    assert!(
        slow.contains("Owners: data-eng"),
        "an owner no one is mapped to is named: {slow}"
    );
    let (_, late) = airflow_card(&db, &engine, "late/prod/주문_적재").await;
    assert!(late.contains("주문_적재 did not start"), "{late}");
    assert!(late.contains("<at>Kim Minsu</at>"), "{late}");
    let (_, broken) = airflow_card(&db, &engine, "import/prod//dags/legacy_crm_sync.py").await;
    assert!(
        broken.contains("legacy_crm_sync.py fails to import")
            && broken.contains("No module named 'crm'"),
        "{broken}"
    );

    // Again, unchanged: nothing new, nothing rewritten.
    let again = engine
        .evaluate(now + chrono::Duration::minutes(1))
        .await
        .expect("evaluate");
    assert_eq!((again["airflow"].fired, again["airflow"].repeated), (0, 3));

    let heartbeat =
        serde_json::to_string(&engine.heartbeat_data(now).await.expect("heartbeat")).expect("json");
    assert!(
        heartbeat.contains("Airflow runs (24h)")
            && heartbeat.contains("0 ok · 0 failed · 1 still running"),
        "{heartbeat}"
    );
}
two_backends!(slow_late_and_broken_dags_each_get_a_card_and_the_heartbeat_counts_the_night);

async fn the_heatmap_counts_runs_in_each_hour_they_ran_and_keeps_its_rollup_true(db: TestDb) {
    use doberman::store::{AirflowCollection, AirflowRunRow};
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    // Monday 2026-11-30 02:30 in Seoul is 2026-11-29 17:30 UTC.
    let at = |d: u32, h: u32, m: u32| {
        use chrono::TimeZone;
        chrono_tz::Asia::Seoul
            .with_ymd_and_hms(2026, 11, d, h, m, 0)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let run = |id: &str,
               kind: &str,
               state: &str,
               start: chrono::DateTime<chrono::Utc>,
               end: Option<chrono::DateTime<chrono::Utc>>| AirflowRunRow {
        dag_id: "etl".into(),
        run_id: id.into(),
        run_type: kind.into(),
        state: state.into(),
        run_after: Some(start),
        started_at: Some(start),
        ended_at: end,
        ..AirflowRunRow::default()
    };
    let now = at(30, 12, 0);
    // One collection of `runs`, as the collector writes it.
    let write = |runs: Vec<AirflowRunRow>| {
        let store = &store;
        async move {
            let collection = AirflowCollection {
                instance: "prod".into(),
                url: "https://airflow.example.com".into(),
                api: "v2".into(),
                version: "3.1.8".into(),
                through: now,
                runs,
                ..AirflowCollection::default()
            };
            store
                .write_airflow(&collection, chrono_tz::Asia::Seoul, now)
                .await
                .expect("write");
        }
    };
    let rollup = || {
        db.strings(
            "SELECT CONCAT(runs, '/', run_secs) FROM fact_airflow_run_hour \
             WHERE runs <> 0 OR run_secs <> 0 ORDER BY hour_utc",
        )
    };
    // Monday 02:30–04:15 (Seoul): in progress in the 02, 03 and 04 o'clock hours (30, 60 and 15 minutes).
    let long = run(
        "a",
        "scheduled",
        "success",
        at(30, 2, 30),
        Some(at(30, 4, 15)),
    );
    // A backfill at the same time is left out.
    let backfill = run("b", "backfill", "success", at(30, 2, 0), Some(at(30, 3, 0)));
    // A run that fails at 05:00–05:20, then is cleared and runs 06:00–06:40.
    let failed = run(
        "c",
        "scheduled",
        "failed",
        at(30, 5, 0),
        Some(at(30, 5, 20)),
    );
    write(vec![long, backfill, failed]).await;
    let cleared = run("c", "scheduled", "running", at(30, 6, 0), None);
    write(vec![cleared]).await;
    let rerun = run(
        "c",
        "scheduled",
        "success",
        at(30, 6, 0),
        Some(at(30, 6, 40)),
    );
    write(vec![rerun.clone(), rerun]).await;

    // The rollup is what the runs say now, however it got there.
    assert_eq!(rollup().await, ["1/1800", "1/3600", "1/900", "1/2400"]);
    // Runs stored before the rollup existed (an upgrade) are counted once, at the next collection.
    db.execute_raw("DELETE FROM fact_airflow_run_hour").await;
    let later = run(
        "d",
        "scheduled",
        "success",
        at(30, 6, 30),
        Some(at(30, 6, 50)),
    );
    write(vec![later]).await;
    assert_eq!(rollup().await, ["1/1800", "1/3600", "1/900", "2/3600"]);

    let view = doberman::chat::View {
        timezone: chrono_tz::Asia::Seoul,
        now,
        dashboard: None,
        period: None,
        watch: Default::default(),
    };
    let reply = doberman::chat::airflow::heatmap(&store, &view, 7, None)
        .await
        .expect("heatmap");
    let card = match reply {
        doberman::chat::Reply::Card(card) => card,
        other => panic!("{other:?}"),
    };
    // The card's words (the image's bytes left out of failure messages).
    let mut words = card.clone();
    words["body"][1]["url"] = serde_json::json!("(the image)");
    let shown = words.to_string();
    assert!(
        shown.contains("Mon 03:00–04:00") && shown.contains("1 run · 60 run minutes"),
        "{shown}"
    );
    assert!(
        shown.contains("Mon 06:00–07:00") && shown.contains("2 runs · 60 run minutes"),
        "{shown}"
    );
    assert!(
        shown.contains("5 runs in progress over 4 of 168 hours"),
        "the backfill and the failed try that was run again are not counted: {shown}"
    );
    let image = card["body"][1]["url"].as_str().expect("an image");
    use base64::Engine as _;
    let png = base64::engine::general_purpose::STANDARD
        .decode(
            image
                .strip_prefix("data:image/png;base64,")
                .expect("a PNG data URI"),
        )
        .expect("base64");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        card["fallbackText"]
            .as_str()
            .unwrap_or_default()
            .contains("busiest Mon 06:00"),
        "{shown}"
    );

    // An instance no one collected gets a hint, not an empty picture.
    let reply = doberman::chat::airflow::heatmap(&store, &view, 7, Some("stage"))
        .await
        .expect("heatmap");
    let text = format!("{reply:?}");
    assert!(
        text.contains("No Airflow instance is named") && text.contains("airflow heatmap prod"),
        "{text}"
    );
}
two_backends!(the_heatmap_counts_runs_in_each_hour_they_ran_and_keeps_its_rollup_true);

/// The MWAA stand-in (tests/peers/mwaa_standin.py) in front of Airflow 2, killed on drop.
struct MwaaStandIn {
    url: String,
    log: std::path::PathBuf,
    child: std::process::Child,
    _dir: tempfile::TempDir,
}

impl MwaaStandIn {
    /// Serves `environment`, accepting only the keys `secret` signs with (the tests' are `testing`/`testing`).
    async fn start(peer: &Peer, environment: &str, secret: &str) -> MwaaStandIn {
        let python = std::env::var("DOBERMAN_TEST_PYTHON")
            .expect("the MWAA stand-in needs the pinned Python: set DOBERMAN_TEST_PYTHON");
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            l.local_addr().expect("addr").port()
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let log = dir.path().join("paths.jsonl");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/mwaa_standin.py");
        let child = std::process::Command::new(python)
            .args([
                script,
                &port.to_string(),
                &peer.url,
                &peer.viewer.0,
                &peer.viewer.1,
                environment,
                "testing",
                secret,
                log.to_str().expect("a UTF-8 path"),
            ])
            .spawn()
            .expect("start the MWAA stand-in");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        MwaaStandIn {
            url: format!("http://127.0.0.1:{port}"),
            log,
            child,
            _dir: dir,
        }
    }

    fn paths(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).expect("a JSON line")["Path"]
                    .as_str()
                    .expect("Path")
                    .to_owned()
            })
            .collect()
    }
}

impl Drop for MwaaStandIn {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

async fn collect_mwaa(
    db: &TestDb,
    stand_in: &MwaaStandIn,
    environment: &str,
    web: &str,
) -> RunOutcome {
    let instances =
        json!([{"name": "mwaa", "mwaa_environment": environment, "url": web}]).to_string();
    let config = db.config_with(&[
        ("DOBERMAN_AIRFLOW__INSTANCES", instances.as_str()),
        ("DOBERMAN_AIRFLOW__TIMEOUT_SECS", "10"),
        ("DOBERMAN_AWS__ENDPOINT_URL", stand_in.url.as_str()),
        ("DOBERMAN_AWS__REGION", "ap-northeast-2"),
    ]);
    let store = db.store().await;
    crate::lake::runner(&config, &store)
        .run(Job::Airflow, Trigger::Manual, &CancellationToken::new())
        .await
}

async fn an_mwaa_environment_is_read_through_invoke_rest_api_as_the_web_server_is(db: TestDb) {
    db.store().await.migrate().await.expect("migrate");
    let peer = Peer::of(2);
    let stand_in = MwaaStandIn::start(&peer, "doberman-prod", "testing").await;
    let fails = peer.trigger("doberman_fails").await;
    assert_eq!(peer.ended("doberman_fails", &fails).await, "failed");

    let outcome = collect_mwaa(&db, &stand_in, "doberman-prod", &peer.url).await;

    assert!(matches!(outcome, RunOutcome::Succeeded(_)), "{outcome:?}");
    // Every ended run Airflow reports is stored as it reports it.
    let mut compared = 0;
    for ((dag_id, run_id), r) in peer.runs().await {
        let state = r["state"].as_str().unwrap_or_default().to_owned();
        if state != "success" && state != "failed" {
            continue;
        }
        let stored = db
            .strings(&format!(
                "SELECT state FROM fact_airflow_dag_run WHERE instance = 'mwaa' AND dag_id = '{dag_id}' AND run_id = '{run_id}'"
            ))
            .await;
        assert_eq!(stored, [state], "{dag_id} {run_id}");
        compared += 1;
    }
    assert!(compared >= 1, "{compared} runs compared");
    let failure = db
        .strings(&format!(
            "SELECT CONCAT(task_id, '|', try_number, '|', log_url) FROM fact_airflow_task_failure \
             WHERE instance = 'mwaa' AND run_id = '{fails}'"
        ))
        .await;
    assert_eq!(failure.len(), 1, "{failure:?}");
    assert!(
        failure[0].starts_with("explode|2|") && failure[0].contains(&peer.url),
        "the log link points at the web server given as url: {failure:?}"
    );
    assert_eq!(
        db.strings(
            "SELECT CONCAT(api, ' ', version) FROM airflow_instance WHERE instance = 'mwaa'"
        )
        .await[0]
            .split('.')
            .next(),
        Some("v1 2")
    );
    let paths = stand_in.paths();
    assert!(paths.contains(&"/dags/~/dagRuns".to_owned()), "{paths:?}");
    assert!(
        paths.iter().all(|p| p.chars().count() <= 64),
        "every Path within InvokeRestApi's 64 characters: {paths:?}"
    );

    // MWAA's own refusals name what to fix, and nothing is written.
    let before = db.number("SELECT COUNT(*) FROM fact_airflow_dag_run").await;
    match collect_mwaa(&db, &stand_in, "doberman-stage", &peer.url).await {
        RunOutcome::Failed(e) => assert!(
            e.contains("ResourceNotFoundException") && e.contains("check mwaa_environment"),
            "{e}"
        ),
        other => panic!("{other:?}"),
    }
    let other_keys = MwaaStandIn::start(&peer, "doberman-prod", "another-secret").await;
    match collect_mwaa(&db, &other_keys, "doberman-prod", &peer.url).await {
        RunOutcome::Failed(e) => assert!(
            e.contains("AccessDeniedException") && e.contains("airflow:InvokeRestApi"),
            "{e}"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        db.number("SELECT COUNT(*) FROM fact_airflow_dag_run").await,
        before
    );
}
two_backends!(
    an_mwaa_environment_is_read_through_invoke_rest_api_as_the_web_server_is,
    airflow
);
