//! Delivery that never goes silent: every acknowledged message is answered once, whatever Teams, the network or
//! a `kill -9` does; one busy chat does not hold up the others; what Teams will take only later waits in the
//! outbox; leases of a killed process do not stall the next one.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::peers::{FakeMicrosoft, claims, personal_message, sign};
use crate::support::{TestDb, two_backends};
use crate::teams::{post_activity, start};

const WAIT: Duration = Duration::from_secs(60);

/// A UTC time as either backend prints it (`2026-12-06 05:40:12.123456`, `…+00:00`, `…Z`).
fn stored_time(text: &str) -> chrono::DateTime<chrono::Utc> {
    let text = text.trim().replace('T', " ");
    let text = text.trim_end_matches('Z').trim_end_matches("+00:00");
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
        .unwrap_or_else(|e| panic!("{text} is not a time: {e}"))
        .and_utc()
}

/// A `help` message with its own id in personal chat `chat`.
fn message(fake: &FakeMicrosoft, id: &str, chat: &str, text: &str) -> Value {
    let mut m = personal_message(&fake.service_url(), text, "aad-user");
    m["id"] = json!(id);
    m["conversation"]["id"] = json!(chat);
    m
}

/// How often each activity id was answered (a POST of a reply to it), over everything the connector received.
fn replies(fake: &FakeMicrosoft) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for call in fake.recorded() {
        if call.method == "POST"
            && let Some((_, id)) = call.path.rsplit_once("/activities/")
        {
            *counts.entry(id.to_owned()).or_default() += 1;
        }
    }
    counts
}

async fn a_burst_against_a_slow_connector_is_answered_exactly_once(db: TestDb) {
    // Arrange: Teams takes 100 ms per call, as it does from Korea on a good day.
    let fake = FakeMicrosoft::start().await;
    fake.set_delay(Duration::from_millis(100));
    let app = start(&db, &fake, &[]).await;
    let token = sign(&claims(&fake.service_url()), "primary", "primary");

    // Act: 300 messages from 100 chats, all at once.
    let posts = (0..300).map(|i| {
        let activity = message(
            &fake,
            &format!("burst-{i}"),
            &format!("a:chat-{}", i % 100),
            "help",
        );
        let (app, token) = (&app, &token);
        async move { post_activity(app, token, &activity).await.0 }
    });
    let statuses = futures_util::future::join_all(posts).await;
    for i in 0..300 {
        assert!(
            fake.wait_reply(&format!("burst-{i}"), WAIT).await.is_some(),
            "message {i} was answered"
        );
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Assert: every one acknowledged, answered once, and nothing left behind.
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let answered = replies(&fake);
    assert_eq!(answered.len(), 300);
    let twice: Vec<_> = answered.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "answered more than once: {twice:?}");
    assert_eq!(
        db.number("SELECT COUNT(*) FROM inbox").await,
        0,
        "the inbox is empty again"
    );
    let (_, metrics) = app.get("/metrics").await;
    assert!(
        metrics.contains(r#"doberman_chat_activities_total{reason="answered"} 300"#),
        "{metrics}"
    );
    assert!(
        metrics.contains("doberman_chat_reply_seconds_count 300"),
        "{metrics}"
    );
    app.stop().await;
}
two_backends!(a_burst_against_a_slow_connector_is_answered_exactly_once);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_flooding_at_its_pacing_limit_does_not_delay_another_chat() {
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    fake.set_delay(Duration::from_millis(100));
    let app = start(&db, &fake, &[]).await;
    let token = sign(&claims(&fake.service_url()), "primary", "primary");

    // 24 messages in one chat: Teams allows 8 sends in 2 s there, so its answers take about 5 s.
    for i in 0..24 {
        let flood = message(&fake, &format!("flood-{i}"), "a:busy", "help");
        assert_eq!(post_activity(&app, &token, &flood).await.0, 200);
    }
    let asked = std::time::Instant::now();
    let other = message(&fake, "quiet-1", "a:quiet", "help");
    assert_eq!(post_activity(&app, &token, &other).await.0, 200);
    let quiet = fake.wait_reply("quiet-1", WAIT).await.expect("answered");
    let last_flood = fake.wait_reply("flood-23", WAIT).await.expect("answered");

    assert!(
        quiet.duration_since(asked) < Duration::from_secs(1),
        "the quiet chat waits only for its own round trip: {:?}",
        quiet.duration_since(asked)
    );
    assert!(
        last_flood > quiet + Duration::from_secs(2),
        "the busy chat was still being paced when the quiet one was answered"
    );
    let answered = replies(&fake);
    assert!(answered.values().all(|n| *n == 1), "{answered:?}");
    app.stop().await;
}

async fn an_answer_teams_takes_only_later_waits_in_the_outbox_for_its_retry_after(db: TestDb) {
    // Arrange: Teams throttles the first answer for a minute.
    let fake = FakeMicrosoft::start().await;
    fake.script(&[(429, Some("60"), json!({ "error": { "code": "Throttled" } }))]);
    let app = start(&db, &fake, &[]).await;
    let token = sign(&claims(&fake.service_url()), "primary", "primary");

    // Act
    let asked = doberman::store::now();
    let m = message(&fake, "later-1", "a:later", "안녕 help 🐕");
    assert_eq!(post_activity(&app, &token, &m).await.0, 200);
    let deadline = tokio::time::Instant::now() + WAIT;
    while db
        .number("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
        .await
        == 0
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never handed to the outbox"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = fake.recorded().len();
    let next: Vec<String> = db
        .strings("SELECT CAST(next_attempt_at AS CHAR) FROM outbox WHERE state = 'pending'")
        .await;
    // The minute passes (moved forward in the store instead of waited for).
    db.execute_raw("UPDATE outbox SET next_attempt_at = created_at WHERE state = 'pending'")
        .await;
    assert!(fake.wait_reply("later-1", WAIT).await.is_some());
    let deadline = tokio::time::Instant::now() + WAIT;
    while fake.recorded().len() < 2
        || db
            .number("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
            .await
            > 0
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the outbox never sent it"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Assert: no early retry, the wait Teams asked for is the one scheduled, then exactly one more post.
    assert_eq!(before, 1, "nothing sent again within the minute");
    assert_eq!(next.len(), 1);
    let next = stored_time(&next[0]);
    assert!(
        next >= asked + chrono::Duration::seconds(59),
        "scheduled after Retry-After: {next} vs {asked}"
    );
    let calls = fake.recorded();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(calls[0].body, calls[1].body, "the same answer, intact");
    assert!(
        crate::teams::shown(&calls[1].body).contains("help"),
        "{}",
        calls[1].body
    );
    assert_eq!(db.number("SELECT COUNT(*) FROM inbox").await, 0);
    app.stop().await;
}
two_backends!(an_answer_teams_takes_only_later_waits_in_the_outbox_for_its_retry_after);

/// `doberman serve` in development mode (no tokens) on `db`, its stderr to `log`.
fn serve(
    db: &TestDb,
    listen: &str,
    log: &std::path::Path,
    extra: &[(&str, &str)],
) -> std::process::Child {
    let mut env = vec![
        ("DOBERMAN_DATABASE__URL", db.url.as_str()),
        ("DOBERMAN_HTTP__LISTEN", listen),
        ("DOBERMAN_TEAMS__DEV_MODE", "true"),
        ("DOBERMAN_HEARTBEAT__AT", ""),
        ("RUST_LOG", "debug"),
    ];
    env.extend_from_slice(extra);
    crate::cli::doberman(&env)
        .arg("serve")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(log).expect("log file"))
        .spawn()
        .expect("start doberman serve")
}

/// POSTs `activity`, untokened, to a development-mode `doberman serve` on `listen`; the status.
async fn post_to(client: &reqwest::Client, listen: &str, activity: Value) -> u16 {
    client
        .post(format!("http://{listen}/api/messages"))
        .json(&activity)
        .send()
        .await
        .expect("sent")
        .status()
        .as_u16()
}

async fn wait_listening(listen: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while tokio::net::TcpStream::connect(listen).await.is_err() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never listened on {listen}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn free_listen() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    format!("127.0.0.1:{port}")
}

async fn kill_9_with_acknowledged_messages_waiting_answers_each_after_restart(db: TestDb) {
    // Arrange: Teams answers slowly, so most answers still wait when the process dies.
    let fake = FakeMicrosoft::start().await;
    fake.set_delay(Duration::from_millis(800));
    let dir = tempfile::tempdir().expect("dir");
    let listen = free_listen();
    let mut first = serve(&db, &listen, &dir.path().join("first.log"), &[]);
    wait_listening(&listen).await;
    let client = crate::support::client();
    let post = |activity: Value| post_to(&client, &listen, activity);

    // Act: 30 `help` in one chat (paced by Teams' limits) and `subscribe cost` in 10 personal chats, each
    // acknowledged with 200; then kill -9 at once.
    let mut ids = Vec::new();
    for i in 0..30 {
        let id = format!("k-help-{i}");
        assert_eq!(post(message(&fake, &id, "a:one-chat", "help")).await, 200);
        ids.push(id);
    }
    for i in 0..10 {
        let id = format!("k-sub-{i}");
        let m = message(&fake, &id, &format!("a:subscriber-{i}"), "subscribe cost");
        assert_eq!(post(m).await, 200);
        ids.push(id);
    }
    first.kill().expect("kill -9");
    first.wait().expect("reap");
    // What the first process had sent is all recorded once its connections are gone.
    fake.wait_no_connections(WAIT).await;
    let at_kill = fake.recorded().len();
    let waiting = db.number("SELECT COUNT(*) FROM inbox").await;
    let mut second = serve(&db, &listen, &dir.path().join("second.log"), &[]);
    for id in &ids {
        assert!(
            fake.wait_reply(id, WAIT).await.is_some(),
            "{id} was acknowledged before the kill and answered after it"
        );
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    second.kill().expect("stop");
    second.wait().expect("reap");

    // Assert: each answered; a repeat only for an answer that was on its way to Teams at the kill.
    assert!(
        waiting >= 20,
        "most were still waiting at the kill: {waiting}"
    );
    let answered = replies(&fake);
    let repeats: usize = ids.iter().map(|id| answered[id] - 1).sum();
    assert!(
        repeats <= at_kill,
        "{repeats} repeats; at most the {at_kill} answers on their way at the kill"
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM alert_subscription WHERE topic = 'cost'")
            .await,
        10,
        "every acknowledged subscribe ran"
    );
    assert_eq!(
        db.number(
            "SELECT COUNT(*) FROM conversation_ref WHERE conversation_id LIKE 'a:subscriber-%'"
        )
        .await,
        10,
        "their conversation references were recorded"
    );
    assert_eq!(db.number("SELECT COUNT(*) FROM inbox").await, 0);
    eprintln!(
        "kill -9 with {waiting} acknowledged and unanswered: all answered after restart, {repeats} repeat(s)"
    );
}
two_backends!(kill_9_with_acknowledged_messages_waiting_answers_each_after_restart);

async fn a_lease_held_by_a_killed_process_is_released_at_start_and_evaluation_resumes(db: TestDb) {
    // Arrange: a process of this host held the alerts lease for ten more minutes, and died.
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let mut gone = std::process::Command::new("true").spawn().expect("spawn");
    gone.wait().expect("reap");
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .expect("hostname")
        .trim()
        .to_owned();
    let dead = format!("{host}:{}:deadbeef", gone.id());
    let until = doberman::store::now() + chrono::Duration::minutes(10);
    assert!(
        store
            .claim_job("alerts", &dead, doberman::store::now(), until, None)
            .await
            .expect("claim")
    );

    // Act: start with an evaluation every ten seconds (the shortest allowed).
    let started = doberman::store::now();
    let app = crate::support::TestApp::start(&db.config_with(&[
        ("DOBERMAN_ALERTS__EVERY_SECS", "10"),
        ("DOBERMAN_TEAMS__DEV_MODE", "true"),
    ]))
    .await;
    let deadline = tokio::time::Instant::now() + WAIT;
    let evaluated = loop {
        let holder = store
            .job_holder("alerts", doberman::store::now())
            .await
            .expect("read");
        let expires: Vec<String> = db
            .strings("SELECT CAST(expires_at AS CHAR) FROM job_lease WHERE job = 'alerts'")
            .await;
        let released_after_start = holder.is_none()
            && expires
                .first()
                .is_some_and(|e| stored_time(e) > started + chrono::Duration::seconds(1));
        if released_after_start {
            break true;
        }
        if tokio::time::Instant::now() > deadline {
            break false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    app.stop().await;

    // Assert: an evaluation ran (and released its lease) within one interval, not after ten minutes.
    assert!(
        evaluated,
        "the dead process's lease kept evaluation from running"
    );
}
two_backends!(a_lease_held_by_a_killed_process_is_released_at_start_and_evaluation_resumes);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alert_posts_and_updates_during_a_chat_burst_keep_every_loop_alive() {
    // Arrange: 20 chats subscribed and 5 problems opened one after another (100 posts and their updates queued),
    // the real binary logging at debug level, so every span is live.
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    fake.set_delay(Duration::from_millis(20));
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    crate::alerts::subscribe_chats(&store, &fake, 20, "freshness").await;
    let config = db.config_with(&[
        (
            "DOBERMAN_ALERTS__FRESHNESS",
            r#"[{"tables": "sales.*", "every": "26h"}]"#,
        ),
        ("DOBERMAN_ALERTS__FRESHNESS_LEARN", "false"),
    ]);
    let engine = crate::alerts::engine(&db, &config).await;
    crate::alerts::open_five_problems(&store, &engine).await;
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("serve.log");
    let listen = free_listen();
    let mut serving = serve(
        &db,
        &listen,
        &log,
        &[("DOBERMAN_ALERTS__EVERY_SECS", "86400")],
    );
    wait_listening(&listen).await;

    // Act: 100 chat messages from 10 chats while the outbox drains.
    let client = crate::support::client();
    let posts = (0..100).map(|i| {
        let activity = message(
            &fake,
            &format!("busy-{i}"),
            &format!("a:asker-{}", i % 10),
            "help",
        );
        let (client, listen) = (&client, &listen);
        async move { post_to(client, listen, activity).await }
    });
    let statuses = futures_util::future::join_all(posts).await;
    for i in 0..100 {
        assert!(
            fake.wait_reply(&format!("busy-{i}"), WAIT).await.is_some(),
            "busy-{i} answered"
        );
    }
    crate::alerts::outbox_drained(&db).await;
    let ready = client
        .get(format!("http://{listen}/readyz"))
        .send()
        .await
        .expect("readyz");
    let status = ready.status().as_u16();
    let body: Value = ready.json().await.expect("json");
    serving.kill().expect("stop");
    serving.wait().expect("reap");

    // Assert
    assert!(statuses.iter().all(|s| *s == 200));
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["restarts"],
        json!({}),
        "no task had to be restarted: {body}"
    );
    let logged = std::fs::read_to_string(&log).expect("log");
    assert!(!logged.contains("panicked"), "a task panicked:\n{logged}");
    assert!(
        logged.contains("connector"),
        "the connector's spans were logged"
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM outbox WHERE state = 'sent'")
            .await,
        db.number("SELECT COUNT(*) FROM outbox").await,
        "every alert message was sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_its_memory_budget_the_queue_answers_503_with_retry_after_and_keeps_what_it_took() {
    // Arrange: 1 MiB of queue, and a Teams so slow that nothing leaves it meanwhile.
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    fake.set_delay(Duration::from_secs(30));
    let app = start(&db, &fake, &[("DOBERMAN_TEAMS__QUEUE_MIB", "1")]).await;
    let token = sign(&claims(&fake.service_url()), "primary", "primary");
    let padding = "🐕 queue ".repeat(100);

    // Act: about 2 KiB a message, 700 of them.
    let mut accepted = 0;
    let mut refused = Vec::new();
    for i in 0..700 {
        let m = message(
            &fake,
            &format!("full-{i}"),
            &format!("a:full-{}", i % 5),
            &format!("help {padding}"),
        );
        let response = app
            .client
            .post(app.url("/api/messages"))
            .header("authorization", format!("Bearer {token}"))
            .json(&m)
            .send()
            .await
            .expect("sent");
        match response.status().as_u16() {
            200 => accepted += 1,
            status => refused.push((
                status,
                response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
            )),
        }
    }
    let (_, metrics) = app.get("/metrics").await;
    let in_inbox = db.number("SELECT COUNT(*) FROM inbox").await;

    // Assert: refused only past the budget, each with Retry-After; every accepted one is kept.
    assert!(
        accepted >= 300,
        "{accepted} accepted before the budget was spent"
    );
    assert!(!refused.is_empty(), "the budget was reached");
    assert!(
        refused.iter().all(|r| *r == (503, Some("1".to_owned()))),
        "{refused:?}"
    );
    assert!(
        metrics.contains(&format!(
            r#"doberman_chat_dropped_total{{reason="queue_full"}} {}"#,
            refused.len()
        )),
        "{metrics}"
    );
    assert_eq!(
        in_inbox, accepted,
        "every acknowledged message is in the inbox"
    );
    app.shutdown.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(60), app.handle).await;
    assert_eq!(
        db.number("SELECT COUNT(*) FROM inbox WHERE claimed_by IS NULL")
            .await,
        db.number("SELECT COUNT(*) FROM inbox").await,
        "a graceful stop releases what it did not answer, for the next process"
    );
}
