//! Alerts end to end: subscriptions by command, rules over the store, one card per problem posted through the
//! connector and updated in place, grouped, acknowledged and muted by invoke, resolved; 429 storms, a removed
//! conversation, Workflows webhooks, the heartbeat and the dead-man's switch; on SQLite and MySQL.

use std::time::Duration;

use chrono::{DateTime, Utc};
use doberman::alerts::{Alerts, Settings};
use doberman::config::Config;
use doberman::store::{
    CatalogScope, ConversationKind, ConversationRef, DatabaseRow, JobOutcome, JobStatus, Person,
    Store, TableRow,
};
use serde_json::{Value, json};

use crate::peers::{APP_ID, FakeMicrosoft, Recorded, channel_message, claims, sign};
use crate::support::{TestApp, TestDb, two_backends};
use crate::teams::{post_activity, start};
use doberman::i18n::english_besides;

const WAIT: Duration = Duration::from_secs(15);
const CHANNEL_PATH: &str = "/v3/conversations/19%3Ageneral%40thread.tacv2/activities";

fn env(fake: &FakeMicrosoft) -> Vec<(String, String)> {
    vec![
        (
            "DOBERMAN_ALERTS__FRESHNESS".into(),
            r#"[{"tables": "sales.*", "every": "26h"}]"#.into(),
        ),
        ("DOBERMAN_ALERTS__FRESHNESS_LEARN".into(), "false".into()),
        (
            "DOBERMAN_ALERTS__OWNERS".into(),
            r#"[{"tables": "sales.*", "id": "29:owner-1", "name": "김민지"}]"#.into(),
        ),
        // The test evaluates by itself; the app's own loop only runs at start.
        ("DOBERMAN_ALERTS__EVERY_SECS".into(), "86400".into()),
        (
            "DOBERMAN_ALERTS__WEBHOOKS".into(),
            format!(
                r#"[{{"topic": "jobs", "url": "http://{}/webhook"}}]"#,
                fake.addr
            ),
        ),
    ]
}

async fn app(db: &TestDb, fake: &FakeMicrosoft) -> (TestApp, Config) {
    let env = env(fake);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let app = start(db, fake, &pairs).await;
    (app, db.config_with(&pairs))
}

/// An engine of the test's own over the app's database: it queues, the app's worker delivers.
pub(crate) async fn engine(db: &TestDb, config: &Config) -> Alerts {
    Alerts::new(db.store().await, Settings::from_config(config))
}

/// Writes the `sales` database as the catalog collector would: exactly these tables (others are dropped).
pub(crate) async fn write_tables(store: &Store, tables: &[(&str, DateTime<Utc>)]) {
    let rows: Vec<TableRow> = tables
        .iter()
        .map(|(name, updated_at)| TableRow {
            name: (*name).into(),
            table_format: "hive".into(),
            updated_at: Some(*updated_at),
            ..TableRow::default()
        })
        .collect();
    store
        .write_catalog_database(
            &CatalogScope {
                account: "lake".into(),
                region: "ap-northeast-2".into(),
            },
            &DatabaseRow {
                name: "sales".into(),
                ..DatabaseRow::default()
            },
            &rows,
            doberman::clock::now(),
        )
        .await
        .expect("write a table");
}

/// Records a finished run of `job`.
async fn record_run(store: &Store, job: &str, status: JobStatus, error: Option<&str>) {
    let now = doberman::store::now();
    let run = store.start_job_run(job, now).await.expect("start");
    let outcome = JobOutcome {
        status,
        rows_written: 0,
        error_text: error.map(str::to_owned),
    };
    store
        .finish_job_run(run, now, &outcome)
        .await
        .expect("finish");
}

/// Says `text` to Doberman in the channel as `aad`.
async fn say(app: &TestApp, fake: &FakeMicrosoft, text: &str, aad: &str) {
    let mut activity = channel_message(&fake.service_url(), text);
    activity["from"]["aadObjectId"] = json!(aad);
    activity["id"] = json!(format!("17{}", fastrand::u64(1_000_000..9_999_999)));
    let token = sign(&claims(&fake.service_url()), "primary", "primary");
    let (status, _) = post_activity(app, &token, &activity).await;
    assert_eq!(status, 200);
}

async fn invoke(app: &TestApp, fake: &FakeMicrosoft, verb: &str, data: Value) -> Value {
    let mut activity = channel_message(&fake.service_url(), "");
    activity["type"] = json!("invoke");
    activity["name"] = json!("adaptiveCard/action");
    activity["text"] = Value::Null;
    activity["value"] = json!({ "action": { "type": "Action.Execute", "verb": verb, "data": data }, "trigger": "manual" });
    let token = sign(&claims(&fake.service_url()), "primary", "primary");
    let (status, body) = post_activity(app, &token, &activity).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("an invoke response")
}

/// The card a recorded connector call carries.
fn card(call: &Recorded) -> &Value {
    &call.body["attachments"][0]["content"]
}

/// Everything the card says, for asserting on its words.
fn words(card: &Value) -> String {
    card.to_string()
}

async fn outbox_states(db: &TestDb) -> Vec<String> {
    db.strings("SELECT state FROM outbox ORDER BY id").await
}

async fn a_stale_table_gets_one_card_updated_in_place_acknowledged_and_resolved(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let (app, config) = app(&db, &fake).await;
    let store = db.store().await;
    let now = doberman::store::now();
    let (three_days, two_days) = (
        now - chrono::Duration::days(3),
        now - chrono::Duration::days(2),
    );
    let fresh = ("fresh", now - chrono::Duration::hours(1));
    write_tables(
        &store,
        &[("orders", three_days), ("order_items", two_days), fresh],
    )
    .await;

    // Arrange: a user may not route alerts into a channel; an admin may.
    say(&app, &fake, "subscribe freshness", "aad-user-1").await;
    let refused = fake.wait_for(1, WAIT).await;
    assert!(
        words(&refused[0].body).contains("for Doberman's admins"),
        "{:?}",
        refused[0].body
    );
    say(&app, &fake, "subscribe fresh-ness", "aad-admin").await;
    let hint = fake.wait_for(2, WAIT).await;
    assert!(
        words(&hint[1].body).contains("did you mean `freshness`"),
        "{:?}",
        hint[1].body
    );
    say(&app, &fake, "subscribe freshness", "aad-admin").await;

    // Act: the subscription evaluates at once; the two stale tables fire together on one card.
    let calls = fake.wait_for(4, WAIT).await;
    let at = calls
        .iter()
        .position(|c| c.path == CHANNEL_PATH)
        .expect("the alert card is posted");
    let first = &calls[at];
    assert_eq!(first.method, "POST");
    let shown = words(card(first));
    assert!(shown.contains("2 of 2 tables are stale"), "{shown}");
    assert!(
        shown.contains("sales.orders is stale") && shown.contains("sales.order_items is stale"),
        "{shown}"
    );
    assert!(!shown.contains("sales.fresh"), "{shown}");
    assert!(
        shown.contains("<at>김민지</at>"),
        "the owner is mentioned: {shown}"
    );
    assert_eq!(
        card(first)["msteams"]["entities"][0]["mentioned"]["id"],
        "29:owner-1"
    );
    let card_id: i64 = db.number("SELECT MAX(id) FROM alert_card").await;
    let posted = calls.len();
    // The fake gives the n-th call the id `reply-n`.
    let activity_id = format!("reply-{}", at + 1);
    wait_until(|| async { outbox_states(&db).await.iter().all(|s| s == "sent") }).await;
    assert_eq!(
        db.strings("SELECT activity_id FROM alert_message").await,
        vec![activity_id.clone()],
        "the post's Teams id is kept for updates"
    );

    let (_, metrics) = app.get("/metrics").await;
    assert!(
        metrics.contains(r#"doberman_alerts_firing{topic="freshness"} 2"#)
            && metrics.contains("doberman_outbox_pending 0"),
        "{metrics}"
    );

    // A repeat updates that same card in place.
    let engine = engine(&db, &config).await;
    let applied = engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    assert_eq!(
        (applied["freshness"].fired, applied["freshness"].repeated),
        (0, 2)
    );
    let calls = fake.wait_for(posted + 1, WAIT).await;
    let update = calls.last().expect("an update");
    assert_eq!(update.method, "PUT");
    assert_eq!(update.path, format!("{CHANNEL_PATH}/{activity_id}"));
    assert!(
        words(card(update)).contains("2 time(s)"),
        "{}",
        words(card(update))
    );

    // Acknowledge: the presser sees the new card at once, everyone else through the update.
    let answer = invoke(&app, &fake, "alert.ack", json!({ "card": card_id })).await;
    assert_eq!(answer["type"], "application/vnd.microsoft.card.adaptive");
    assert!(
        words(&answer["value"]).contains("ACKNOWLEDGED")
            && words(&answer["value"]).contains("김철수"),
        "{answer}"
    );
    let calls = fake.wait_for(posted + 2, WAIT).await;
    assert_eq!(calls[posted + 1].method, "PUT");
    assert!(words(card(&calls[posted + 1])).contains("ACKNOWLEDGED"));
    assert_eq!(
        db.strings("SELECT kind FROM alert_event WHERE alert_id IS NULL")
            .await,
        vec!["acknowledged"]
    );

    // One table is loaded again: it resolves on the same card; then the other, and the card is resolved.
    let loaded = doberman::store::now();
    write_tables(
        &store,
        &[("orders", loaded), ("order_items", two_days), fresh],
    )
    .await;
    let applied = engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    assert_eq!(
        (applied["freshness"].repeated, applied["freshness"].resolved),
        (1, 1)
    );
    let calls = fake.wait_for(posted + 3, WAIT).await;
    assert!(
        words(card(&calls[posted + 2])).contains("1 of 2"),
        "{}",
        words(card(&calls[posted + 2]))
    );
    write_tables(
        &store,
        &[
            ("orders", loaded),
            ("order_items", doberman::store::now()),
            fresh,
        ],
    )
    .await;
    engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    let calls = fake.wait_for(posted + 4, WAIT).await;
    let resolved = &calls[posted + 3];
    assert_eq!(
        (resolved.method.as_str(), resolved.path.as_str()),
        ("PUT", format!("{CHANNEL_PATH}/{activity_id}").as_str())
    );
    assert!(words(card(resolved)).contains("RESOLVED"));
    assert!(
        card(resolved)["actions"]
            .as_array()
            .is_none_or(|a| a.iter().all(|a| a["type"] != "Action.Execute")),
        "no buttons once resolved"
    );

    // Firing after a resolve posts anew.
    let all_loaded = [("orders", loaded), ("order_items", loaded), fresh];
    write_tables(
        &store,
        &[
            all_loaded.as_slice(),
            &[("returns", now - chrono::Duration::days(5))],
        ]
        .concat(),
    )
    .await;
    engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    let calls = fake.wait_for(posted + 5, WAIT).await;
    assert_eq!(
        (
            calls[posted + 4].method.as_str(),
            calls[posted + 4].path.as_str()
        ),
        ("POST", CHANNEL_PATH)
    );
    assert!(words(card(&calls[posted + 4])).contains("sales.returns is stale"));
    assert_eq!(db.number("SELECT COUNT(*) FROM alert_card").await, 2);
    assert_eq!(
        db.strings("SELECT kind FROM alert_event WHERE alert_id IS NOT NULL ORDER BY id")
            .await,
        vec!["fired", "fired", "resolved", "resolved", "fired"]
    );
    app.stop().await;
}
two_backends!(a_stale_table_gets_one_card_updated_in_place_acknowledged_and_resolved);

/// Polls `check` until it holds, or panics after [`WAIT`].
async fn wait_until<F, Fut>(check: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + WAIT;
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "condition not met in time"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn conversation(id: &str, service_url: &str) -> ConversationRef {
    let now = doberman::store::now();
    ConversationRef {
        conversation_id: id.into(),
        kind: ConversationKind::Personal,
        service_url: service_url.into(),
        tenant_id: Some("tenant-1".into()),
        bot_id: Some(format!("28:{APP_ID}")),
        team_id: None,
        team_name: None,
        channel_id: None,
        channel_name: None,
        user_id: Some("29:user".into()),
        user_aad_object_id: None,
        user_name: None,
        active: true,
        inactive_reason: None,
        first_seen_at: now,
        last_seen_at: now,
        locale: None,
    }
}

pub(crate) async fn subscribe_chats(
    store: &Store,
    fake: &FakeMicrosoft,
    n: usize,
    topic: &str,
) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let id = format!("a:chat-{i}-채팅");
        store
            .upsert_conversation(&conversation(&id, &fake.service_url()))
            .await
            .expect("conversation");
        store
            .subscribe(&id, topic, &Person::default(), doberman::store::now())
            .await
            .expect("subscribe");
        ids.push(id);
    }
    ids
}

async fn a_429_storm_delivers_every_message_once_after_retry_after(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let (app, config) = app(&db, &fake).await;
    let store = db.store().await;
    let chats = subscribe_chats(&store, &fake, 5, "freshness").await;
    write_tables(
        &store,
        &[("orders", doberman::store::now() - chrono::Duration::days(3))],
    )
    .await;
    let storm: Vec<(u16, Option<&str>, Value)> = (0..8)
        .map(|_| {
            (
                429,
                Some("1"),
                json!({ "error": { "code": "TooManyRequests" } }),
            )
        })
        .collect();
    fake.script(&storm);
    let started = std::time::Instant::now();

    engine(&db, &config)
        .await
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");

    let calls = fake.wait_for(8 + 5, WAIT).await;
    wait_until(|| async { outbox_states(&db).await.iter().all(|s| s == "sent") }).await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
    assert_eq!(outbox_states(&db).await.len(), 5);
    for chat in &chats {
        let path = format!(
            "/v3/conversations/{}/activities",
            percent_encoding::utf8_percent_encode(chat, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
                .replace("%2D", "-")
        );
        let tries = calls.iter().filter(|c| c.path == path).count();
        assert!(
            tries >= 1,
            "{chat} got its card: {:#?}",
            calls.iter().map(|c| &c.path).collect::<Vec<_>>()
        );
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        fake.recorded().len(),
        13,
        "each message accepted once: no more calls after the storm"
    );
    app.stop().await;
}
two_backends!(a_429_storm_delivers_every_message_once_after_retry_after);

async fn a_conversation_doberman_left_is_marked_inactive_and_not_retried(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let (app, config) = app(&db, &fake).await;
    let store = db.store().await;
    let chats = subscribe_chats(&store, &fake, 1, "freshness").await;
    let stale = doberman::store::now() - chrono::Duration::days(3);
    write_tables(&store, &[("orders", stale)]).await;
    fake.script(&[(
        403,
        None,
        json!({ "error": { "code": "BotNotInConversationRoster", "message": "The bot is not part of the conversation roster." } }),
    )]);
    let engine = engine(&db, &config).await;

    engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");

    wait_until(|| async { outbox_states(&db).await == ["dropped"] }).await;
    let reference = store
        .conversation(&chats[0])
        .await
        .expect("read")
        .expect("known");
    assert!(!reference.active, "marked inactive");
    // A new problem is not sent there any more.
    write_tables(&store, &[("orders", stale), ("items", stale)]).await;
    let applied = engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    assert_eq!(
        (applied["freshness"].fired, applied["freshness"].queued),
        (1, 0)
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.recorded().len(), 1, "one refused call, no retries");
    app.stop().await;
}
two_backends!(a_conversation_doberman_left_is_marked_inactive_and_not_retried);

async fn mute_by_button_and_command_stops_posts_and_updates(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let (app, config) = app(&db, &fake).await;
    let store = db.store().await;
    subscribe_chats(&store, &fake, 1, "freshness").await;
    let stale = doberman::store::now() - chrono::Duration::days(3);
    write_tables(&store, &[("orders", stale)]).await;
    let engine = engine(&db, &config).await;
    engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    fake.wait_for(1, WAIT).await;
    let card_id = db.number("SELECT MAX(id) FROM alert_card").await;
    wait_until(|| async { outbox_states(&db).await == ["sent"] }).await;

    // Mute 1h on the card: the presser gets the card with its mute; the repeat updates nothing.
    let answer = invoke(
        &app,
        &fake,
        "alert.mute",
        json!({ "card": card_id, "hours": 1 }),
    )
    .await;
    assert!(words(&answer["value"]).contains("Muted until"), "{answer}");
    fake.wait_for(2, WAIT).await;
    let applied = engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    assert_eq!(
        (applied["freshness"].repeated, applied["freshness"].queued),
        (1, 0)
    );
    let bad = invoke(
        &app,
        &fake,
        "alert.mute",
        json!({ "card": card_id, "hours": 9999 }),
    )
    .await;
    assert_eq!(bad["value"], "Mute for 1 to 168 hours.");

    // `mute freshness 2h` by an admin: a new stale table opens a card that is not posted.
    say(&app, &fake, "mute freshness 2h", "aad-admin").await;
    let said = fake.wait_for(3, WAIT).await;
    assert!(
        words(&said[2].body).contains("muted until"),
        "{:?}",
        said[2].body
    );
    write_tables(&store, &[("orders", stale), ("items", stale)]).await;
    let applied = engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    assert_eq!(
        (applied["freshness"].fired, applied["freshness"].queued),
        (1, 0)
    );
    // `unmute`: the open card is posted at the next evaluation (the command starts one).
    say(&app, &fake, "unmute freshness", "aad-admin").await;
    let calls = fake.wait_for(5, WAIT).await;
    assert!(
        calls
            .iter()
            .any(|c| c.method == "POST" && words(card(c)).contains("sales.items is stale"))
    );
    // The muted card still shows its resolution.
    let loaded = doberman::store::now();
    write_tables(&store, &[("orders", loaded), ("items", loaded)]).await;
    engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    let first_post = calls
        .iter()
        .position(|c| c.method == "POST" && c.path.ends_with("/activities"))
        .expect("posted");
    let first_card = format!("/reply-{}", first_post + 1);
    let deadline = tokio::time::Instant::now() + WAIT;
    while !fake.recorded().iter().any(|c| {
        c.method == "PUT" && c.path.ends_with(&first_card) && words(card(c)).contains("RESOLVED")
    }) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the muted card's resolution was not shown: {:#?}",
            fake.recorded()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.stop().await;
}
two_backends!(mute_by_button_and_command_stops_posts_and_updates);

async fn a_webhook_gets_a_1_4_card_when_a_problem_opens_and_when_it_resolves(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let (app, config) = app(&db, &fake).await;
    let store = db.store().await;
    record_run(
        &store,
        "catalog",
        JobStatus::Failed,
        Some("Failed to page Glue tables of `매출`: throttled"),
    )
    .await;
    let mut settings = Settings::from_config(&config);
    settings.periods = [("catalog".to_owned(), chrono::Duration::hours(1))].into();
    let engine = Alerts::new(db.store().await, settings);

    engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");

    let calls = fake.wait_for(1, WAIT).await;
    assert_eq!(
        (calls[0].method.as_str(), calls[0].path.as_str()),
        ("POST", "/webhook")
    );
    assert_eq!(
        calls[0].authorization, None,
        "no bot token goes to a webhook"
    );
    assert_eq!(calls[0].body["type"], "message");
    let content = &calls[0].body["attachments"][0]["content"];
    assert_eq!(content["version"], "1.4");
    assert!(
        words(content).contains("The catalog collector failed")
            && words(content).contains("`매출`"),
        "{content}"
    );
    assert!(
        content["actions"]
            .as_array()
            .is_none_or(|a| a.iter().all(|a| a["type"] != "Action.Execute"))
    );
    // A repeat does not post again (a webhook message cannot be edited); the resolution does.
    engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    record_run(&store, "catalog", JobStatus::Succeeded, None).await;
    engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    let calls = fake.wait_for(2, WAIT).await;
    assert!(words(&calls[1].body).contains("RESOLVED"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.recorded().len(), 2);
    app.stop().await;
}
two_backends!(a_webhook_gets_a_1_4_card_when_a_problem_opens_and_when_it_resolves);

async fn the_heartbeat_says_alive_with_the_night_and_the_switch_is_pinged(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let ping = format!("http://{}/ping?token=s3cret", fake.addr);
    let app = start(
        &db,
        &fake,
        &[
            ("DOBERMAN_HEARTBEAT__PING_URL", ping.as_str()),
            ("DOBERMAN_HEARTBEAT__PING_EVERY_SECS", "1"),
        ],
    )
    .await;
    let store = db.store().await;
    subscribe_chats(&store, &fake, 1, "heartbeat").await;
    record_run(
        &store,
        "usage",
        JobStatus::Failed,
        Some("Athena throttled 🐢"),
    )
    .await;
    let config = db.config();
    let engine = engine(&db, &config).await;

    assert_eq!(
        engine
            .heartbeat(doberman::store::now())
            .await
            .expect("heartbeat"),
        1
    );

    let deadline = tokio::time::Instant::now() + WAIT;
    let (pings, card) = loop {
        let recorded = fake.recorded();
        let pings = recorded.iter().filter(|c| c.path == "/ping").count();
        let card = recorded
            .iter()
            .find(|c| c.path.ends_with("/activities"))
            .map(|c| card(c).clone());
        if let Some(card) = card {
            break (pings, card);
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no heartbeat or pings: {recorded:#?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let shown = words(&card);
    assert!(shown.contains("Doberman is alive"), "{shown}");
    assert!(shown.contains(env!("CARGO_PKG_VERSION")));
    assert!(
        shown.contains("1 failed") && shown.contains("Athena throttled 🐢"),
        "{shown}"
    );
    // Pings go on every second whatever the heartbeat does.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let later = fake.recorded().iter().filter(|c| c.path == "/ping").count();
    assert!(
        later >= pings + 2,
        "the dead-man's switch is called every second: {pings} then {later}"
    );
    assert!(
        fake.recorded()
            .iter()
            .filter(|c| c.path == "/ping")
            .all(|c| c.method == "GET" && c.authorization.is_none()),
        "a plain GET, no bot token"
    );
    app.stop().await;
}
two_backends!(the_heartbeat_says_alive_with_the_night_and_the_switch_is_pinged);

async fn only_admins_mute_a_topic_because_a_mute_silences_it_everywhere(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let (app, _config) = app(&db, &fake).await;
    let token = sign(&claims(&fake.service_url()), "primary", "primary");
    let mut said = 0;
    let mut ask = |text: &str, aad: &str| {
        said += 1;
        let mut activity = crate::peers::personal_message(&fake.service_url(), text, aad);
        activity["id"] = json!(format!("17000000001{said:02}"));
        (activity, said)
    };

    // Someone in their own chat: refused, and nothing is muted.
    for text in ["mute freshness 7d", "unmute freshness"] {
        let (activity, n) = ask(text, "aad-someone");
        post_activity(&app, &token, &activity).await;
        let calls = fake.wait_for(n, WAIT).await;
        assert!(
            words(&calls[n - 1].body).contains("for Doberman's admins"),
            "{text}: {:?}",
            calls[n - 1].body
        );
    }
    assert_eq!(db.number("SELECT COUNT(*) FROM alert_mute").await, 0);

    // An admin, from a personal chat too: muted.
    let (activity, n) = ask("mute freshness 2h", "aad-admin");
    post_activity(&app, &token, &activity).await;
    let calls = fake.wait_for(n, WAIT).await;
    assert!(
        words(&calls[n - 1].body).contains("muted until"),
        "{:?}",
        calls[n - 1].body
    );
    assert_eq!(db.number("SELECT COUNT(*) FROM alert_mute").await, 1);
    app.stop().await;
}
two_backends!(only_admins_mute_a_topic_because_a_mute_silences_it_everywhere);

async fn subscriptions_are_listed_and_personal_chats_subscribe_without_admin(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let (app, _config) = app(&db, &fake).await;
    let mut activity =
        crate::peers::personal_message(&fake.service_url(), "구독 heartbeat", "aad-someone");
    let token = sign(&claims(&fake.service_url()), "primary", "primary");
    post_activity(&app, &token, &activity).await;
    let calls = fake.wait_for(1, WAIT).await;
    assert!(
        words(&calls[0].body).contains("Subscribed"),
        "{:?}",
        calls[0].body
    );
    activity["id"] = json!("1700000000099");
    activity["text"] = json!("subscriptions");
    post_activity(&app, &token, &activity).await;
    let calls = fake.wait_for(2, WAIT).await;
    assert!(
        words(&calls[1].body).contains("This chat receives: `heartbeat`"),
        "{:?}",
        calls[1].body
    );
    assert_eq!(
        db.strings(
            "SELECT topic FROM alert_subscription WHERE conversation_id = 'a:1personal-chat'"
        )
        .await,
        vec!["heartbeat"]
    );
    app.stop().await;
}
two_backends!(subscriptions_are_listed_and_personal_chats_subscribe_without_admin);

/// Starts `doberman serve` on `db`, sending to `fake` in development mode (no tokens), with short claims.
/// Five stale tables that turn stale one evaluation after another: five cards, each posted to every subscriber
/// and updated by the evaluations after it.
pub(crate) async fn open_five_problems(store: &Store, engine: &Alerts) {
    let stale = doberman::store::now() - chrono::Duration::days(3);
    let names = ["t1", "t2", "t3", "t4", "t5"];
    for n in 1..=names.len() {
        let tables: Vec<(&str, DateTime<Utc>)> = names[..n].iter().map(|t| (*t, stale)).collect();
        write_tables(store, &tables).await;
        engine
            .evaluate(doberman::store::now())
            .await
            .expect("evaluate");
    }
}

/// Waits (up to a minute) until no outbox message is pending.
pub(crate) async fn outbox_drained(db: &TestDb) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while db
        .number("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
        .await
        > 0
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the outbox never drained"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn serve(db: &TestDb) -> std::process::Child {
    let listen = format!("127.0.0.1:{}", free_port());
    crate::cli::doberman(&[
        ("DOBERMAN_DATABASE__URL", &db.url),
        ("DOBERMAN_HTTP__LISTEN", &listen),
        ("DOBERMAN_TEAMS__DEV_MODE", "true"),
        ("DOBERMAN_ALERTS__CLAIM_SECS", "5"),
        ("DOBERMAN_ALERTS__EVERY_SECS", "86400"),
        ("DOBERMAN_HEARTBEAT__AT", ""),
    ])
    .arg("serve")
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .spawn()
    .expect("start doberman serve")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

async fn kill_9_mid_delivery_loses_nothing_and_repeats_only_what_was_in_flight(db: TestDb) {
    // Arrange: 20 chats subscribed, 5 problems opened one after another: 100 cards queued, nothing sent yet.
    let fake = FakeMicrosoft::start().await;
    fake.set_delay(Duration::from_millis(200));
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let chats = subscribe_chats(&store, &fake, 20, "freshness").await;
    let config = db.config_with(&[
        (
            "DOBERMAN_ALERTS__FRESHNESS",
            r#"[{"tables": "sales.*", "every": "26h"}]"#,
        ),
        ("DOBERMAN_ALERTS__FRESHNESS_LEARN", "false"),
    ]);
    let engine = engine(&db, &config).await;
    open_five_problems(&store, &engine).await;
    let queued = db
        .number("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
        .await;
    assert_eq!(
        queued, 100,
        "one post per card and chat; updates of unsent cards are folded in"
    );

    // Act: serve, kill -9 once 30 sends have arrived, serve again.
    let mut first = serve(&db);
    fake.wait_for(30, Duration::from_secs(30)).await;
    first.kill().expect("kill -9");
    first.wait().expect("reap");
    // What the first process had sent is all recorded once its connections are gone.
    fake.wait_no_connections(Duration::from_secs(30)).await;
    let at_kill = fake.recorded().len();
    let unfinished = db
        .number("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")
        .await;
    assert!(unfinished > 0, "killed mid-delivery");
    let restarted = std::time::Instant::now();
    let mut second = serve(&db);
    outbox_drained(&db).await;
    let recovery = restarted.elapsed();
    second.kill().expect("stop");
    second.wait().expect("reap");

    // Assert: every card reached every chat; the only repeats are sends in flight at the kill.
    let calls = fake.recorded();
    let cards: Vec<i64> = db
        .strings("SELECT CAST(id AS CHAR) FROM alert_card ORDER BY id")
        .await
        .iter()
        .map(|id| id.parse().expect("an id"))
        .collect();
    assert_eq!(cards.len(), 5);
    for chat in &chats {
        let encoded =
            percent_encoding::utf8_percent_encode(chat, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
                .replace("%2D", "-");
        for card_id in &cards {
            let footer = format!("Alert #{card_id} ");
            let n = calls
                .iter()
                .filter(|c| {
                    c.method == "POST"
                        && c.path.contains(&encoded)
                        && words(card(c)).contains(&footer)
                })
                .count();
            assert!(n >= 1, "card {card_id} never reached {chat}");
        }
    }
    let repeats = calls.len() - 100;
    assert!(
        repeats <= 16,
        "{repeats} repeats: at most the sends in flight at the kill (16 destinations at once)"
    );
    assert_eq!(
        db.strings("SELECT DISTINCT state FROM outbox").await,
        vec!["sent"]
    );
    eprintln!(
        "kill -9 after {at_kill} of 100 sends ({unfinished} unfinished): recovered in {:.1} s with {repeats} repeat(s)",
        recovery.as_secs_f64()
    );
}
two_backends!(kill_9_mid_delivery_loses_nothing_and_repeats_only_what_was_in_flight);

async fn thirty_tables_stale_after_one_failed_load_share_one_card(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let stale = doberman::store::now() - chrono::Duration::days(2);
    let names: Vec<String> = (1..=30).map(|i| format!("fact_{i:02}")).collect();
    let tables: Vec<(&str, DateTime<Utc>)> = names.iter().map(|n| (n.as_str(), stale)).collect();
    write_tables(&store, &tables).await;
    let config = db.config_with(&[
        (
            "DOBERMAN_ALERTS__FRESHNESS",
            r#"[{"tables": "sales.*", "every": "1d"}]"#,
        ),
        ("DOBERMAN_ALERTS__FRESHNESS_LEARN", "false"),
    ]);
    let engine = engine(&db, &config).await;

    let applied = engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");

    let freshness = &applied["freshness"];
    assert_eq!(freshness.fired, 30);
    let card_id = *freshness.cards_opened.first().expect("one card");
    assert_eq!(
        db.number("SELECT COUNT(DISTINCT card_id) FROM alert").await,
        1
    );
    let card = engine
        .card(card_id, doberman::store::now())
        .await
        .expect("read")
        .expect("a card");
    let shown = words(&card);
    assert!(shown.contains("30 of 30 tables are stale"), "{shown}");
    assert!(
        names
            .iter()
            .all(|n| shown.contains(&format!("sales.{n} is stale"))),
        "every table is listed"
    );
    assert!(card.to_string().len() < 80 * 1024);

    // 25 of them are loaded again: the card keeps the 5 that still fire in full, and the 25 resolved ones are
    // one line that says they are over (not "✅ … is stale" 25 times).
    let fresh = doberman::store::now();
    let again: Vec<(&str, DateTime<Utc>)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), if i < 25 { fresh } else { stale }))
        .collect();
    write_tables(&store, &again).await;
    let applied = engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    assert_eq!(applied["freshness"].resolved, 25);
    let card = engine
        .card(card_id, doberman::store::now())
        .await
        .expect("read")
        .expect("a card");
    let text = doberman::cards::kit::to_text(&card);
    assert!(text.contains("5 of 30 tables are stale"), "{text}");
    assert!(text.contains("25 resolved"), "{text}");
    assert!(text.contains("sales.fact_01, sales.fact_02"), "{text}");
    assert_eq!(text.matches(" is stale").count(), 5, "{text}");
    assert!(
        !text.contains("is no longer stale"),
        "collapsed, not listed: {text}"
    );
}
two_backends!(thirty_tables_stale_after_one_failed_load_share_one_card);

async fn cost_and_athena_rules_fire_on_the_demo_lake(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    // Mid-month: on the 1st no cost of the month is in yet, and no budget can be over.
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 16, 3, 0, 0).unwrap();
    doberman::demo::fill(
        &store,
        chrono_tz::Asia::Seoul,
        now,
        &doberman::chat::Watch::default(),
    )
    .await
    .expect("demo");
    let account = doberman::store::DEMO_ACCOUNT_IDS[0];
    let budgets = format!(r#"[{{"account": "{account}", "monthly": 1.0}}]"#);
    let config = db.config_with(&[
        ("DOBERMAN_ALERTS__BUDGETS", budgets.as_str()),
        ("DOBERMAN_ALERTS__ATHENA_MAX_SCAN_GIB", "1"),
    ]);
    let engine = engine(&db, &config).await;

    let applied = engine.evaluate(now).await.expect("evaluate");

    let cost = applied["cost"].cards_opened[0];
    let shown = words(&engine.card(cost, now).await.expect("read").expect("card"));
    assert!(
        shown.contains("is over 100 %") && shown.contains("🔴"),
        "{shown}"
    );
    let athena = applied["athena"].cards_opened[0];
    let shown = words(&engine.card(athena, now).await.expect("read").expect("card"));
    assert!(
        shown.contains("scanned") && shown.contains("GiB"),
        "{shown}"
    );
    // `status` does not call Doberman healthy beside open alerts.
    let chat = crate::support::chat(&store, doberman::chat::Settings::default());
    let (status, _) = crate::support::ask_card(&chat, "status").await;
    assert!(status.contains("alerts open"), "{status}");
    assert!(!status.contains("healthy"), "{status}");
    // The demo's own stale-table alerts are there too; a second evaluation only repeats what still holds.
    let again = engine.evaluate(now).await.expect("evaluate");
    assert_eq!(again["cost"].fired, 0);
    assert_eq!(again["cost"].repeated, applied["cost"].fired);
}
two_backends!(cost_and_athena_rules_fire_on_the_demo_lake);

async fn a_webhook_down_until_the_problem_resolved_gets_only_the_resolution(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let (app, config) = app(&db, &fake).await;
    let store = db.store().await;
    record_run(&store, "catalog", JobStatus::Failed, Some("throttled")).await;
    let mut settings = Settings::from_config(&config);
    settings.periods = [("catalog".to_owned(), chrono::Duration::hours(1))].into();
    let engine = Alerts::new(db.store().await, settings);
    fake.script(&[(503, Some("2"), json!({}))]);

    engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");
    fake.wait_for(1, WAIT).await;
    record_run(&store, "catalog", JobStatus::Succeeded, None).await;
    engine
        .evaluate(doberman::store::now())
        .await
        .expect("evaluate");

    let calls = fake.wait_for(2, WAIT).await;
    wait_until(|| async { outbox_states(&db).await.iter().all(|s| s == "sent") }).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        fake.recorded().len(),
        2,
        "the refused open post, then the resolution only"
    );
    assert!(
        words(&calls[1].body).contains("RESOLVED"),
        "{}",
        calls[1].body
    );
    app.stop().await;
}
two_backends!(a_webhook_down_until_the_problem_resolved_gets_only_the_resolution);

async fn one_definition_of_stale_for_alerts_the_heartbeat_and_the_catalog(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let now = doberman::store::now();
    write_tables(
        &store,
        &[
            ("orders", now - chrono::Duration::hours(3)),
            ("events", now - chrono::Duration::hours(1)),
            ("archive", now - chrono::Duration::days(89)),
        ],
    )
    .await;
    let config = db.config_with(&[(
        "DOBERMAN_ALERTS__FRESHNESS",
        r#"[{"tables": "sales.orders", "every": "1h"}, {"tables": "sales.events", "every": "1d"}]"#,
    )]);
    let engine = engine(&db, &config).await;

    // The alerts: orders only (archive has no rule and too few changes to learn from).
    engine.evaluate(now).await.expect("evaluate");
    let firing = store.firing_alerts().await.expect("firing");
    assert_eq!(firing, [("freshness".to_owned(), 1)], "{firing:?}");

    // The heartbeat counts the same.
    let heartbeat = engine.heartbeat_data(now).await.expect("heartbeat");
    let fact = heartbeat
        .facts
        .iter()
        .find(|f| f.title == "Freshness")
        .expect("a freshness fact");
    assert_eq!(fact.value, "1 stale of 2 watched tables (1 not watched)");

    // The catalog's cards say the same of each table.
    let chat = crate::support::chat(&store, doberman::chat::Settings::from_config(&config));
    let ask = |text: &'static str| {
        let chat = &chat;
        async move { crate::support::ask_card(chat, text).await.0 }
    };
    let orders = ask("catalog table sales.orders").await;
    assert!(
        orders.contains("stale · 3h ago") && orders.contains("every 1h (alerts.freshness)"),
        "{orders}"
    );
    // The alert's own times are in the zone of the rest of its card (schedule.timezone, Seoul here).
    let id = db
        .number("SELECT card_id FROM alert WHERE state = 'firing'")
        .await;
    let card = engine.card(id, now).await.expect("read").expect("a card");
    let text = doberman::cards::kit::to_text(&card);
    assert!(
        text.contains("Last changed") && text.contains("KST") && !text.contains("UTC"),
        "{text}"
    );
    let events = ask("catalog table sales.events").await;
    assert!(events.contains("fresh · 1h ago"), "{events}");
    let archive = ask("catalog table sales.archive").await;
    assert!(
        archive.contains("changed · 89d ago")
            && archive.contains("not watched")
            && !archive.contains("stale"),
        "{archive}"
    );
    let listed = ask("catalog db sales").await;
    assert_eq!(listed.matches("stale ·").count(), 1, "{listed}");
}
two_backends!(one_definition_of_stale_for_alerts_the_heartbeat_and_the_catalog);

/// The path of `chat`'s activities, as the connector calls it.
fn activities(chat: &str) -> String {
    format!(
        "/v3/conversations/{}/activities",
        percent_encoding::utf8_percent_encode(chat, percent_encoding::NON_ALPHANUMERIC)
            .to_string()
            .replace("%2D", "-")
    )
}

/// Every string a person reads on a card: its text, its facts (`title: value`), its buttons.
fn shown(card: &Value) -> String {
    crate::support::card_words(card)
}

async fn each_conversation_reads_the_same_alert_and_heartbeat_in_its_language(db: TestDb) {
    // Arrange: two chats subscribed to freshness and the heartbeat; one speaks Korean, the other said nothing.
    let fake = FakeMicrosoft::start().await;
    let (app, config) = app(&db, &fake).await;
    let store = db.store().await;
    let chats = subscribe_chats(&store, &fake, 2, "freshness").await;
    let now = doberman::store::now();
    for chat in &chats {
        store
            .subscribe(chat, "heartbeat", &Person::default(), now)
            .await
            .expect("subscribe");
    }
    assert!(
        store
            .set_conversation_language(&chats[0], Some(doberman::i18n::Lang::Ko))
            .await
            .expect("set the language")
    );
    write_tables(&store, &[("orders", now - chrono::Duration::days(3))]).await;
    let engine = engine(&db, &config).await;

    // Act: one alert fires, then the heartbeat goes out.
    let posts_to_chats = || {
        let paths: Vec<String> = chats.iter().map(|c| activities(c)).collect();
        fake.recorded()
            .into_iter()
            .filter(|c| c.method == "POST" && paths.contains(&c.path))
            .count()
    };
    engine.evaluate(now).await.expect("evaluate");
    wait_until(|| async { posts_to_chats() >= 2 }).await;
    assert_eq!(engine.heartbeat(now).await.expect("heartbeat"), 2);
    wait_until(|| async { posts_to_chats() >= 4 }).await;
    let calls = fake.recorded();

    // Assert: each chat got the same alert and the same heartbeat, in its own language.
    let got = |chat: &str| -> (String, String) {
        let cards: Vec<String> = calls
            .iter()
            .filter(|c| c.method == "POST" && c.path == activities(chat))
            .map(|c| shown(card(c)))
            .collect();
        assert_eq!(cards.len(), 2, "{chat}: {cards:#?}");
        (cards[0].clone(), cards[1].clone())
    };
    let (alert_ko, heartbeat_ko) = got(&chats[0]);
    let (alert_en, heartbeat_en) = got(&chats[1]);
    let card_id = db.number("SELECT MAX(id) FROM alert_card").await;

    for words in [
        "sales.orders 갱신 지연".to_owned(),
        "🟠 발생 중".to_owned(),
        "데이터 최신성 · 시작 ".to_owned(),
        "예상 주기 26시간 (설정값)".to_owned(),
        "발생 중: 1건 중 1건".to_owned(),
        "담당자: <at>김민지</at>".to_owned(),
        format!("알림 #{card_id} · 주제 `freshness`"),
        "확인".to_owned(),
        "1시간 알림 끄기".to_owned(),
    ] {
        assert!(alert_ko.contains(&words), "`{words}` not in\n{alert_ko}");
    }
    assert!(
        alert_ko.contains("마지막 변경 ") && alert_ko.contains("년 "),
        "{alert_ko}"
    );
    let left = english_besides(&alert_ko, &["sales.orders"]);
    assert!(left.is_empty(), "English {left:?} in\n{alert_ko}");
    for words in [
        "sales.orders is stale".to_owned(),
        "🟠 FIRING".to_owned(),
        "expected every 26h (configured)".to_owned(),
        format!("Alert #{card_id} · topic `freshness`"),
        "Mute 1h".to_owned(),
    ] {
        assert!(alert_en.contains(&words), "`{words}` not in\n{alert_en}");
    }
    for text in [&alert_ko, &alert_en] {
        assert!(
            text.contains("KST") && !text.contains("UTC"),
            "one zone: {text}"
        );
    }

    assert!(
        heartbeat_ko.contains("좋은 아침입니다") && heartbeat_ko.contains("열린 알림: 1"),
        "{heartbeat_ko}"
    );
    assert!(
        heartbeat_ko.contains("🔔 데이터 최신성: 1건 발생 중"),
        "{heartbeat_ko}"
    );
    // The night's job lines are data and English errors from AWS (their words are tested in `alerts::tests`).
    let said: Vec<&str> = heartbeat_ko
        .lines()
        .filter(|l| !l.starts_with("✅ ") && !l.starts_with("❌ "))
        .collect();
    let left = english_besides(&said.join("\n"), &["Asia/Seoul"]);
    assert!(left.is_empty(), "English {left:?} in\n{heartbeat_ko}");
    assert!(
        heartbeat_en.contains("Good morning: Doberman is alive")
            && heartbeat_en.contains("Open alerts: 1")
            && heartbeat_en.contains("🔔 Freshness: 1 firing"),
        "{heartbeat_en}"
    );

    // And the table Superset reads keeps the alert in English words (times in UTC), the message beside it.
    let title = db.strings("SELECT title FROM alert").await;
    assert_eq!(title, ["sales.orders is stale"]);
    let detail = db.strings("SELECT detail FROM alert").await;
    assert!(
        detail[0].starts_with("Last changed ")
            && detail[0].contains(" UTC (3d ago); expected every 26h (configured)"),
        "{detail:?}"
    );
    let messages = db
        .strings("SELECT title_msg FROM alert UNION ALL SELECT detail_msg FROM alert")
        .await;
    assert!(
        messages.iter().all(|m| m.starts_with("{\"msg\":")),
        "{messages:?}"
    );
    app.stop().await;
}
two_backends!(each_conversation_reads_the_same_alert_and_heartbeat_in_its_language);
