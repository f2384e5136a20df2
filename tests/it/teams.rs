//! The Bot Framework endpoint end to end: the token matrix, the doors after it, replies through the connector,
//! conversation references, commands and invokes.

use std::time::Duration;

use doberman::store::{ConversationKind, Store};
use serde_json::{Value, json};

use crate::peers::{
    APP_ID, FakeMicrosoft, channel_message, claims, hs256_with_public_key, personal_message, sign,
    unsigned,
};
use crate::support::{TestApp, TestDb, two_backends};

const WAIT: Duration = Duration::from_secs(10);

pub(crate) async fn start(db: &TestDb, fake: &FakeMicrosoft, extra: &[(&str, &str)]) -> TestApp {
    let openid = fake.openid_url();
    let token = fake.token_url();
    let service = fake.service_url();
    let mut env = vec![
        ("DOBERMAN_TEAMS__APP_ID", APP_ID),
        ("DOBERMAN_TEAMS__APP_PASSWORD", "test-secret-Δ"),
        ("DOBERMAN_TEAMS__OPENID_METADATA_URL", openid.as_str()),
        ("DOBERMAN_TEAMS__TOKEN_URL", token.as_str()),
        ("DOBERMAN_TEAMS__ALLOWED_SERVICE_URLS", service.as_str()),
        ("DOBERMAN_TEAMS__ADMINS", "aad-admin"),
    ];
    env.extend_from_slice(extra);
    TestApp::start(&db.config_with(&env)).await
}

async fn post(
    app: &TestApp,
    authorization: Option<&str>,
    content_type: &str,
    body: impl Into<reqwest::Body>,
) -> (u16, String) {
    let mut request = app
        .client
        .post(app.url("/api/messages"))
        .header("content-type", content_type)
        .body(body);
    if let Some(authorization) = authorization {
        request = request.header("authorization", authorization);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

pub(crate) async fn post_activity(app: &TestApp, token: &str, activity: &Value) -> (u16, String) {
    post(
        app,
        Some(&format!("Bearer {token}")),
        "application/json",
        activity.to_string(),
    )
    .await
}

/// What a person sees of an activity Doberman sent: its text, and its cards as plain text.
pub(crate) fn shown(activity: &Value) -> String {
    let mut seen = activity["text"].as_str().unwrap_or_default().to_owned();
    for attachment in activity["attachments"].as_array().into_iter().flatten() {
        seen.push('\n');
        seen.push_str(&doberman::cards::kit::to_text(&attachment["content"]));
    }
    seen
}

async fn conversation_count(store: &Store) -> usize {
    store.conversations(false).await.expect("list").len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_token_gets_401_and_leaves_no_trace() {
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();
    let activity = channel_message(&service, "help");
    let now = jsonwebtoken::get_current_timestamp();
    let with = |patch: Value| {
        let mut c = claims(&service);
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        c
    };
    let valid = sign(&claims(&service), "primary", "primary");

    let cases: Vec<(&str, Option<String>)> = vec![
        ("no header", None),
        ("empty header", Some(String::new())),
        ("not bearer", Some(format!("Basic {valid}"))),
        ("lower-case bearer", Some(format!("bearer {valid}"))),
        ("bearer without token", Some("Bearer ".into())),
        ("two tokens", Some(format!("Bearer {valid} {valid}"))),
        ("garbage token", Some("Bearer not.a.jwt".into())),
        (
            "expired beyond skew",
            Some(format!(
                "Bearer {}",
                sign(
                    &with(json!({"exp": now - 600, "nbf": now - 4000})),
                    "primary",
                    "primary"
                )
            )),
        ),
        (
            "not yet valid beyond skew",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({"nbf": now + 600})), "primary", "primary")
            )),
        ),
        (
            "wrong audience",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({"aud": "someone-else"})), "primary", "primary")
            )),
        ),
        (
            "no audience",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({"aud": null})), "primary", "primary")
            )),
        ),
        (
            "wrong issuer",
            Some(format!(
                "Bearer {}",
                sign(
                    &with(json!({"iss": "https://sts.windows.net/x/"})),
                    "primary",
                    "primary"
                )
            )),
        ),
        (
            "no expiry",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({"exp": null})), "primary", "primary")
            )),
        ),
        (
            "bad signature",
            Some(format!(
                "Bearer {}",
                sign(&claims(&service), "attacker", "primary")
            )),
        ),
        (
            "alg none",
            Some(format!("Bearer {}", unsigned(&claims(&service), "primary"))),
        ),
        (
            "HS256 keyed with the public key",
            Some(format!(
                "Bearer {}",
                hs256_with_public_key(&claims(&service), "primary")
            )),
        ),
        (
            "missing serviceurl",
            Some(format!(
                "Bearer {}",
                sign(&with(json!({"serviceurl": null})), "primary", "primary")
            )),
        ),
        (
            "mismatched serviceurl",
            Some(format!(
                "Bearer {}",
                sign(
                    &with(json!({"serviceurl": "https://smba.trafficmanager.net/amer/"})),
                    "primary",
                    "primary"
                )
            )),
        ),
        (
            "unknown kid",
            Some(format!(
                "Bearer {}",
                sign(&claims(&service), "attacker", "never-published")
            )),
        ),
    ];
    for (case, authorization) in &cases {
        let (status, body) = post(
            &app,
            authorization.as_deref(),
            "application/json",
            activity.to_string(),
        )
        .await;

        assert_eq!(status, 401, "{case}: {body}");
        assert!(
            !body.contains("eyJ"),
            "{case}: the answer must not echo a token: {body}"
        );
    }

    // Nothing was written or sent for any of them; a valid activity afterwards is the proof the pipe works.
    let store = db.store().await;
    assert_eq!(
        conversation_count(&store).await,
        0,
        "no store write for rejected requests"
    );
    let (status, _) = post_activity(&app, &valid, &activity).await;
    assert_eq!(status, 200);
    let sent = fake.wait_for(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        fake.recorded().len(),
        1,
        "only the valid activity was answered: {sent:#?}"
    );
    assert_eq!(conversation_count(&store).await, 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_within_the_clock_skew_and_api_audiences_are_accepted() {
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();
    let now = jsonwebtoken::get_current_timestamp();
    let cases = [
        (
            "expired 2 minutes ago",
            json!({"exp": now - 120, "nbf": now - 3600}),
        ),
        ("valid from 2 minutes from now", json!({"nbf": now + 120})),
        ("api:// audience", json!({"aud": format!("api://{APP_ID}")})),
        (
            "api://botid- audience",
            json!({"aud": format!("api://botid-{APP_ID}")}),
        ),
        ("audience list", json!({"aud": ["other", APP_ID]})),
        (
            "service URL without its slash, other case",
            json!({"serviceurl": service.trim_end_matches('/').to_uppercase().replace("HTTP://", "http://")}),
        ),
    ];
    for (case, patch) in &cases {
        let mut c = claims(&service);
        for (k, v) in patch.as_object().unwrap() {
            c[k] = v.clone();
        }
        let (status, body) = post_activity(
            &app,
            &sign(&c, "primary", "primary"),
            &channel_message(&service, "help"),
        )
        .await;

        assert_eq!(status, 200, "{case}: {body}");
    }
    fake.wait_for(cases.len(), WAIT).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_cached_and_an_unknown_kid_refreshes_them_at_most_once_a_minute() {
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();
    let activity = channel_message(&service, "help");

    for _ in 0..3 {
        let (status, _) = post_activity(
            &app,
            &sign(&claims(&service), "primary", "primary"),
            &activity,
        )
        .await;
        assert_eq!(status, 200);
    }
    assert_eq!(
        fake.metadata_fetches(),
        1,
        "keys are fetched once and cached"
    );

    // Microsoft rotates in a new key: the first token it signs triggers one refresh and is accepted.
    fake.publish("rotated", &["msteams"]);
    let (status, _) = post_activity(
        &app,
        &sign(&claims(&service), "rotated", "rotated"),
        &activity,
    )
    .await;
    assert_eq!(status, 200, "a newly published key is picked up");
    assert_eq!(fake.metadata_fetches(), 2);

    // Unknown kids within the minute do not hammer the metadata endpoint.
    for _ in 0..5 {
        let (status, _) = post_activity(
            &app,
            &sign(&claims(&service), "attacker", "bogus-kid"),
            &activity,
        )
        .await;
        assert_eq!(status, 401);
    }
    assert_eq!(
        fake.metadata_fetches(),
        2,
        "no refresh storm on unknown kids"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_not_endorsed_for_msteams_is_refused() {
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    fake.publish("unendorsed", &["webchat"]);
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();

    let (status, _) = post_activity(
        &app,
        &sign(&claims(&service), "unendorsed", "unendorsed"),
        &channel_message(&service, "help"),
    )
    .await;

    assert_eq!(status, 401);
    assert_eq!(conversation_count(&db.store().await).await, 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_doors_after_authentication_answer_with_the_right_status_and_no_side_effect() {
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    let app = start(
        &db,
        &fake,
        &[("DOBERMAN_TEAMS__ALLOWED_TENANTS", "tenant-1")],
    )
    .await;
    let service = fake.service_url();
    let auth = format!("Bearer {}", sign(&claims(&service), "primary", "primary"));
    let mut other_tenant = channel_message(&service, "help");
    other_tenant["channelData"]["tenant"]["id"] = json!("tenant-2");
    let evil = "https://evil.example/";
    let mut evil_activity = channel_message(evil, "help");
    evil_activity["serviceUrl"] = json!(evil);
    let evil_auth = format!("Bearer {}", sign(&claims(evil), "primary", "primary"));
    let huge = json!({ "type": "message", "text": "x".repeat(1024 * 1024) }).to_string();

    let cases: Vec<(&str, &str, &str, String, u16)> = vec![
        (
            "not JSON content type",
            &auth,
            "text/plain",
            channel_message(&service, "help").to_string(),
            415,
        ),
        ("over 1 MB", &auth, "application/json", huge, 413),
        (
            "not JSON",
            &auth,
            "application/json",
            "{not json".into(),
            400,
        ),
        (
            "JSON without type",
            &auth,
            "application/json",
            json!({"text": "hi"}).to_string(),
            400,
        ),
        (
            "type not a string",
            &auth,
            "application/json",
            json!({"type": 3}).to_string(),
            400,
        ),
        (
            "fields of the wrong shape",
            &auth,
            "application/json",
            json!({"type": "message", "from": 3}).to_string(),
            400,
        ),
        (
            "tenant not allowed",
            &auth,
            "application/json",
            other_tenant.to_string(),
            403,
        ),
        (
            "service URL not allowed",
            &evil_auth,
            "application/json",
            evil_activity.to_string(),
            403,
        ),
    ];
    for (case, authorization, content_type, body, expected) in cases {
        let (status, answer) = post(&app, Some(authorization), content_type, body).await;
        assert_eq!(status, expected, "{case}: {answer}");
    }

    let (status, _) = post(&app, Some(&auth), "application/json; charset=utf-8", json!({"type": "someFutureType", "channelId": "msteams", "serviceUrl": service, "channelData": {"tenant": {"id": "tenant-1"}}}).to_string()).await;
    assert_eq!(
        status, 200,
        "unknown activity types are acknowledged and ignored"
    );
    let (status, _) = post(
        &app,
        Some(&auth),
        "application/json",
        channel_message(&service, "help").to_string(),
    )
    .await;
    assert_eq!(status, 200);
    let sent = fake.wait_for(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        fake.recorded().len(),
        1,
        "only the last message was answered: {sent:#?}"
    );
    let store = db.store().await;
    let conversations = store.conversations(false).await.expect("list");
    assert_eq!(
        conversations.len(),
        1,
        "nothing from the refused tenant or service URL: {conversations:#?}"
    );
    assert!(fake.token_requests() <= 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_gets_a_threaded_reply_with_an_outbound_token() {
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();

    let (status, body) = post_activity(
        &app,
        &sign(&claims(&service), "primary", "primary"),
        &channel_message(&service, "  HELP  "),
    )
    .await;

    assert_eq!(status, 200, "{body}");
    fake.wait_reply("1700000000001", WAIT)
        .await
        .expect("a reply to the message's id");
    let sent = fake.recorded();
    let reply = &sent[0];
    assert_eq!(reply.method, "POST");
    assert_eq!(
        reply.path,
        "/v3/conversations/19%3Ageneral%40thread.tacv2%3Bmessageid%3D1700000000000/activities/1700000000001",
        "replies go into the thread, ids percent-encoded"
    );
    assert_eq!(
        reply.authorization.as_deref(),
        Some("Bearer outbound-token-1")
    );
    assert_eq!(reply.body["type"], "message");
    assert_eq!(reply.body["replyToId"], "1700000000001");
    assert_eq!(reply.body["from"]["id"], format!("28:{APP_ID}"));
    assert_eq!(reply.body["recipient"]["id"], "29:user-1");
    assert_eq!(
        reply.body["attachments"][0]["contentType"], "application/vnd.microsoft.card.adaptive",
        "help is a card"
    );
    assert!(
        reply.body["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("Doberman commands")),
        "notifications show the card's summary: {}",
        reply.body
    );
    let text = shown(&reply.body);
    assert!(
        text.contains("help [command…]") && text.contains("Doberman"),
        "{text}"
    );
    assert!(
        !text.contains("conversations"),
        "admin commands are not listed for others: {text}"
    );
    let form = fake.token_form();
    assert!(
        form.contains(&"grant_type=client_credentials".to_owned()),
        "{form:?}"
    );
    assert!(form.contains(&format!("client_id={APP_ID}")), "{form:?}");
    assert!(
        form.iter()
            .any(|f| f.starts_with("scope=https%3A%2F%2Fapi.botframework.com%2F.default")),
        "{form:?}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typos_get_a_hint_and_admin_commands_are_refused_politely() {
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();
    let token = sign(&claims(&service), "primary", "primary");

    // Sends one personal message and returns the text of the n-th reply.
    let say = async |text: &str, aad: &str, n: usize| {
        post_activity(&app, &token, &personal_message(&service, text, aad)).await;
        shown(&fake.wait_for(n, WAIT).await[n - 1].body)
    };

    let typo = say("hel", "aad-user-2", 1).await;
    let refused = say("대화목록", "aad-user-2", 2).await;
    let listed = say("conversations", "AAD-ADMIN", 3).await;

    assert!(typo.contains("I don't know “hel”"), "{typo}");
    assert!(typo.contains("Did you mean: `help [command…]`"), "{typo}");
    assert!(refused.contains("for Doberman's admins"), "{refused}");
    assert!(
        listed.contains("personal chat with **Lee**"),
        "admins see the list: {listed}"
    );
    app.stop().await;
}

async fn conversation_references_follow_installs_messages_and_removals(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();
    let token = sign(&claims(&service), "primary", "primary");
    let store = db.store().await;
    let bot = json!({ "id": format!("28:{APP_ID}"), "name": "Doberman" });
    let added = json!({
        "type": "conversationUpdate",
        "id": "f:1",
        "channelId": "msteams",
        "serviceUrl": service,
        "from": { "id": "29:owner", "aadObjectId": "aad-owner" },
        "recipient": bot,
        "conversation": { "id": "19:general@thread.tacv2", "conversationType": "channel", "tenantId": "tenant-1", "isGroup": true },
        "membersAdded": [ bot ],
        "channelData": {
            "eventType": "teamMemberAdded",
            "tenant": { "id": "tenant-1" },
            "team": { "id": "19:general@thread.tacv2", "name": "데이터 플랫폼 🐕" },
            "channel": { "id": "19:general@thread.tacv2", "name": "일반" }
        }
    });

    assert_eq!(post_activity(&app, &token, &added).await.0, 200);
    let welcome = fake.wait_for(1, WAIT).await;
    let text = shown(&welcome[0].body);
    assert!(
        text.contains("Doberman") && text.contains("도베르만"),
        "a welcome in both languages: {text}"
    );
    assert_eq!(
        welcome[0].path, "/v3/conversations/19%3Ageneral%40thread.tacv2/activities",
        "posted to the channel"
    );
    let reference = store
        .conversation("19:general@thread.tacv2")
        .await
        .expect("read")
        .expect("recorded on install");
    assert_eq!(reference.kind, ConversationKind::Channel);
    assert_eq!(reference.team_name.as_deref(), Some("데이터 플랫폼 🐕"));
    assert_eq!(reference.channel_name.as_deref(), Some("일반"));
    assert_eq!(reference.tenant_id.as_deref(), Some("tenant-1"));
    assert_eq!(
        reference.bot_id.as_deref(),
        Some(format!("28:{APP_ID}").as_str())
    );
    assert!(reference.active);

    // A message in a thread of that channel refers to the same channel, and keeps the names.
    assert_eq!(
        post_activity(&app, &token, &channel_message(&service, "help"))
            .await
            .0,
        200
    );
    fake.wait_for(2, WAIT).await;
    let all = store.conversations(false).await.expect("list");
    assert_eq!(all.len(), 1, "a thread is not a new conversation: {all:#?}");
    assert_eq!(all[0].channel_name.as_deref(), Some("일반"));
    assert!(all[0].last_seen_at >= reference.last_seen_at);

    // Doberman is uninstalled: the reference stays, inactive.
    let removed = json!({
        "type": "installationUpdate",
        "action": "remove",
        "channelId": "msteams",
        "serviceUrl": service,
        "from": { "id": "29:owner" },
        "recipient": bot,
        "conversation": { "id": "19:general@thread.tacv2", "conversationType": "channel", "tenantId": "tenant-1" },
        "channelData": { "tenant": { "id": "tenant-1" } }
    });
    assert_eq!(post_activity(&app, &token, &removed).await.0, 200);
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let reference = store
            .conversation("19:general@thread.tacv2")
            .await
            .expect("read")
            .expect("kept");
        if !reference.active {
            assert_eq!(
                reference.inactive_reason.as_deref(),
                Some("Doberman was removed")
            );
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the removal was never recorded"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Removed and added back at once: the two are recorded in the order they came, before each 200.
    assert_eq!(post_activity(&app, &token, &removed).await.0, 200);
    assert_eq!(post_activity(&app, &token, &added).await.0, 200);
    let reference = store
        .conversation("19:general@thread.tacv2")
        .await
        .expect("read")
        .expect("kept");
    assert!(
        reference.active && reference.inactive_reason.is_none(),
        "installed again: {reference:?}"
    );
    app.stop().await;
}
two_backends!(conversation_references_follow_installs_messages_and_removals);

async fn a_conversation_teams_says_doberman_left_is_marked_inactive(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();
    fake.script(&[(
        403,
        None,
        json!({ "error": { "code": "BotNotInConversationRoster", "message": "The bot is not part of the conversation roster." } }),
    )]);

    post_activity(
        &app,
        &sign(&claims(&service), "primary", "primary"),
        &personal_message(&service, "help", "aad-x"),
    )
    .await;

    fake.wait_for(1, WAIT).await;
    let store = db.store().await;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let reference = store.conversation("a:1personal-chat").await.expect("read");
        if let Some(reference) = reference.filter(|r| !r.active) {
            assert!(
                reference
                    .inactive_reason
                    .unwrap_or_default()
                    .contains("BotNotInConversationRoster")
            );
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never marked inactive"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        fake.recorded().len(),
        1,
        "a 403 roster error is not retried"
    );
    app.stop().await;
}
two_backends!(a_conversation_teams_says_doberman_left_is_marked_inactive);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn card_actions_are_answered_in_the_invoke_response() {
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();
    let token = sign(&claims(&service), "primary", "primary");
    let invoke = |name: &str, verb: &str| {
        let mut activity = personal_message(&service, "", "aad-1");
        activity["type"] = json!("invoke");
        activity["name"] = json!(name);
        activity["value"] = json!({ "action": { "type": "Action.Execute", "verb": verb, "data": {} }, "trigger": "manual" });
        activity
    };

    let (status, body) = post_activity(&app, &token, &invoke("adaptiveCard/action", "help")).await;
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["statusCode"], 200);
    assert_eq!(
        body["type"], "application/vnd.microsoft.card.adaptive",
        "the card is replaced by help"
    );
    assert!(doberman::cards::kit::to_text(&body["value"]).contains("help [command…]"));

    let (status, body) =
        post_activity(&app, &token, &invoke("adaptiveCard/action", "selfDestruct")).await;
    assert_eq!(status, 200);
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(body["statusCode"], 400);
    assert_eq!(body["type"], "application/vnd.microsoft.error");
    assert_eq!(body["value"]["code"], "UnknownVerb");

    let (status, _) = post_activity(&app, &token, &invoke("composeExtension/query", "x")).await;
    assert_eq!(status, 501, "invokes Doberman does not handle");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_app_id_everything_is_refused_and_readyz_says_why() {
    let db = TestDb::sqlite();
    let app = TestApp::start(&db.config()).await;

    let (status, _) = post(
        &app,
        Some("Bearer x.y.z"),
        "application/json",
        json!({"type": "message"}).to_string(),
    )
    .await;
    let (_, ready) = app.get("/readyz").await;

    assert_eq!(status, 401);
    assert!(ready.contains("teams.app_id is not set"), "{ready}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_mode_needs_no_tokens_answers_loopback_and_warns() {
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    let app = TestApp::start(&db.config_with(&[("DOBERMAN_TEAMS__DEV_MODE", "true")])).await;
    let service = fake.service_url();

    let (status, _) = post(
        &app,
        None,
        "application/json",
        personal_message(&service, "help", "aad-1").to_string(),
    )
    .await;

    assert_eq!(status, 200);
    let sent = fake.wait_for(1, WAIT).await;
    assert_eq!(
        sent[0].authorization, None,
        "no outbound token in development mode"
    );
    assert_eq!(fake.token_requests(), 0);
    let (_, ready) = app.get("/readyz").await;
    assert!(ready.contains("development mode"), "{ready}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_answering_what_was_already_accepted() {
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();
    // The first answer is throttled for a second: it is still in the works when shutdown begins.
    fake.script(&[(429, Some("1"), json!({}))]);

    let (status, _) = post_activity(
        &app,
        &sign(&claims(&service), "primary", "primary"),
        &personal_message(&service, "help", "aad-1"),
    )
    .await;
    assert_eq!(status, 200);
    app.stop().await;

    let sent = fake.recorded();
    assert_eq!(
        sent.len(),
        2,
        "the throttled answer was retried before the app stopped: {sent:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_key_endpoint_is_down_requests_are_refused_without_each_waiting_on_it() {
    let db = TestDb::sqlite();
    let fake = FakeMicrosoft::start().await;
    fake.take_metadata_down();
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();
    let token = sign(&claims(&service), "primary", "primary");

    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(
            post_activity(&app, &token, &personal_message(&service, "help", "aad-1"))
                .await
                .0,
        );
    }

    assert_eq!(statuses, vec![401; 5], "no keys, no entry");
    assert_eq!(
        fake.metadata_fetches(),
        1,
        "one attempt, then a back-off instead of one fetch per request"
    );
    assert_eq!(conversation_count(&db.store().await).await, 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs MySQL: set DOBERMAN_TEST_MYSQL_URL and pass -- --include-ignored"]
async fn a_slow_answer_is_preceded_by_a_typing_indicator_and_a_quick_one_is_not() {
    crate::support::run_on_mysql_via_proxy(|db, proxy| async move {
        let fake = FakeMicrosoft::start().await;
        let app = start(&db, &fake, &[]).await;
        let service = fake.service_url();
        let token = sign(&claims(&service), "primary", "primary");

        // Quick: help reads nothing from the store.
        post_activity(&app, &token, &channel_message(&service, "help")).await;
        fake.wait_for(1, WAIT).await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        let quick: Vec<String> = fake
            .recorded()
            .iter()
            .map(|r| r.body["type"].as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(quick, ["message"], "no typing for a quick answer");

        // Slow: every packet to MySQL now waits 200 ms, and status reads several tables.
        proxy.set_delay(Duration::from_millis(200));
        post_activity(&app, &token, &channel_message(&service, "status")).await;
        let sent = fake.wait_for(3, Duration::from_secs(30)).await;
        proxy.set_delay(Duration::ZERO);

        let kinds: Vec<&str> = sent
            .iter()
            .map(|r| r.body["type"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(
            kinds,
            ["message", "typing", "message"],
            "typing comes first"
        );
        let typing = &sent[1];
        assert!(
            typing.path.ends_with("/activities"),
            "typing goes to the conversation: {}",
            typing.path
        );
        assert_eq!(typing.body["from"]["id"], format!("28:{APP_ID}"));
        assert!(
            shown(&sent[2].body).contains("Doberman"),
            "{}",
            shown(&sent[2].body)
        );
        app.stop().await;
    })
    .await;
}
