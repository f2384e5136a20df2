//! The connector client against a local fake that injects what Teams does under load.

use std::sync::Arc;
use std::time::{Duration, Instant};

use doberman::config::Secret;
use doberman::teams::connector::{ConversationParameters, Credentials, RetryPolicy};
use doberman::teams::{
    Activity, ChannelAccount, ConnectorClient, ConnectorError, ServiceUrlPolicy,
};
use serde_json::json;

use crate::peers::{APP_ID, FakeMicrosoft};

fn client(fake: &FakeMicrosoft, retry: RetryPolicy) -> ConnectorClient {
    ConnectorClient::new(
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client"),
        Some(Credentials {
            token_url: url::Url::parse(&fake.token_url()).expect("url"),
            app_id: APP_ID.to_owned(),
            app_password: Secret::new("test-secret"),
        }),
        ServiceUrlPolicy::new(
            vec![url::Url::parse(&fake.service_url()).expect("url")],
            false,
        ),
        retry,
    )
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_secs(2),
        max_total: Duration::from_secs(5),
    }
}

fn message(text: &str) -> Activity {
    Activity {
        kind: "message".into(),
        text: Some(text.into()),
        ..Activity::default()
    }
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_and_retried() {
    let fake = FakeMicrosoft::start().await;
    fake.script(&[(429, Some("1"), json!({ "error": { "code": "Throttled" } }))]);
    let connector = client(&fake, quick());
    let started = Instant::now();

    let sent = connector
        .send_to_conversation(&fake.service_url(), "a:1", &message("안녕 🐕"))
        .await
        .expect("sent in the end");

    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured: {:?}",
        started.elapsed()
    );
    assert_eq!(sent.id.as_deref(), Some("reply-2"));
    let recorded = fake.recorded();
    assert_eq!(recorded.len(), 2);
    assert_eq!(
        recorded[1].body["text"], "안녕 🐕",
        "the same message is sent again intact"
    );
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff() {
    let fake = FakeMicrosoft::start().await;
    fake.script(&[
        (503, None, json!({})),
        (502, None, json!({})),
        (504, None, json!({})),
    ]);
    let connector = client(&fake, quick());

    connector
        .send_to_conversation(&fake.service_url(), "a:1", &message("hi"))
        .await
        .expect("the fourth attempt succeeds");

    assert_eq!(fake.recorded().len(), 4);
}

#[tokio::test]
async fn retries_are_bounded_in_attempts() {
    let fake = FakeMicrosoft::start().await;
    fake.script(&vec![(503, None, json!({})); 10]);
    let connector = client(&fake, quick());

    let error = connector
        .send_to_conversation(&fake.service_url(), "a:1", &message("hi"))
        .await
        .expect_err("gives up");

    assert!(
        matches!(error, ConnectorError::GaveUp { attempts: 4, .. }),
        "{error}"
    );
    assert_eq!(fake.recorded().len(), 4, "exactly max_attempts tries");
    assert!(error.to_string().contains("503"), "{error}");
}

#[tokio::test]
async fn retries_are_bounded_in_total_time() {
    let fake = FakeMicrosoft::start().await;
    fake.script(&vec![(429, Some("3"), json!({})); 10]);
    let connector = client(
        &fake,
        RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(5),
            max_total: Duration::from_secs(2),
        },
    );
    let started = Instant::now();

    let error = connector
        .send_to_conversation(&fake.service_url(), "a:1", &message("hi"))
        .await
        .expect_err("gives up");

    assert!(matches!(error, ConnectorError::GaveUp { .. }), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "a wait past the budget is not started: {:?}",
        started.elapsed()
    );
    assert_eq!(fake.recorded().len(), 1);
}

#[tokio::test]
async fn client_errors_are_not_retried_and_are_typed() {
    let fake = FakeMicrosoft::start().await;
    let connector = client(&fake, quick());
    let service = fake.service_url();
    fake.script(&[
        (403, None, json!({ "error": { "code": "BotNotInConversationRoster", "message": "not in roster" } })),
        (404, None, json!({ "error": { "code": "ConversationNotFound", "message": "gone" } })),
        (400, None, json!({ "error": { "code": "BadArgument", "message": "Activity text too long" } })),
        (413, None, json!({ "error": { "code": "MessageSizeTooBig", "message": "too big" } })),
    ]);

    let roster = connector
        .send_to_conversation(&service, "a:1", &message("x"))
        .await
        .expect_err("403");
    let missing = connector
        .reply_to_activity(&service, "a:1", "1", &message("x"))
        .await
        .expect_err("404");
    let bad = connector
        .update_activity(&service, "a:1", "1", &message("x"))
        .await
        .expect_err("400");
    let big = connector
        .send_to_conversation(&service, "a:1", &message("x"))
        .await
        .expect_err("413");

    assert!(matches!(roster, ConnectorError::NotInConversation) && roster.conversation_gone());
    assert!(matches!(missing, ConnectorError::ConversationNotFound) && missing.conversation_gone());
    assert!(
        matches!(&bad, ConnectorError::Rejected { status: 400, code, .. } if code == "BadArgument"),
        "{bad}"
    );
    assert!(!bad.conversation_gone());
    assert!(
        matches!(&big, ConnectorError::Rejected { status: 413, .. }),
        "{big}"
    );
    assert_eq!(fake.recorded().len(), 4, "one request each");
}

#[tokio::test]
async fn one_token_serves_a_hundred_sends_even_concurrently() {
    let fake = FakeMicrosoft::start().await;
    let connector = Arc::new(client(&fake, quick()));
    let service = fake.service_url();

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..100 {
        let (connector, service) = (connector.clone(), service.clone());
        tasks.spawn(async move {
            connector
                .send_to_conversation(&service, &format!("a:{i}"), &message("hi"))
                .await
                .expect("sent");
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("task");
    }

    assert_eq!(fake.recorded().len(), 100);
    assert_eq!(
        fake.token_requests(),
        1,
        "one token request, shared by concurrent first callers"
    );
    assert!(
        fake.recorded()
            .iter()
            .all(|r| r.authorization.as_deref() == Some("Bearer outbound-token-1"))
    );
}

#[tokio::test]
async fn a_401_fetches_a_new_token_once() {
    let fake = FakeMicrosoft::start().await;
    let connector = client(&fake, quick());
    fake.script(&[(
        401,
        None,
        json!({ "message": "Authorization has been denied" }),
    )]);

    connector
        .send_to_conversation(&fake.service_url(), "a:1", &message("hi"))
        .await
        .expect("sent with a new token");

    assert_eq!(fake.token_requests(), 2);
    assert_eq!(
        fake.recorded()[1].authorization.as_deref(),
        Some("Bearer outbound-token-2")
    );
}

#[tokio::test]
async fn nothing_is_sent_to_a_service_url_outside_the_allow_list() {
    let fake = FakeMicrosoft::start().await;
    let connector = client(&fake, quick());

    let error = connector
        .send_to_conversation("https://evil.example/", "a:1", &message("hi"))
        .await
        .expect_err("refused");

    assert!(
        matches!(error, ConnectorError::ServiceUrlNotAllowed(_)),
        "{error}"
    );
    assert_eq!(fake.token_requests(), 0, "not even a token was fetched");
}

#[tokio::test]
async fn an_unreachable_connector_fails_within_bounds() {
    let fake = FakeMicrosoft::start().await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let dead = format!("http://127.0.0.1:{port}/");
    let connector = ConnectorClient::new(
        reqwest::Client::new(),
        None,
        ServiceUrlPolicy::new(vec![url::Url::parse(&dead).expect("url")], false),
        quick(),
    );
    let started = Instant::now();

    let error = connector
        .send_to_conversation(&dead, "a:1", &message("hi"))
        .await
        .expect_err("nobody there");

    assert!(
        matches!(error, ConnectorError::GaveUp { attempts: 4, .. }),
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(fake);
}

#[tokio::test]
async fn every_operation_uses_the_documented_path_and_method() {
    let fake = FakeMicrosoft::start().await;
    let connector = client(&fake, quick());
    let s = fake.service_url();
    let thread = "19:abc@thread.tacv2;messageid=42";
    let bot = ChannelAccount {
        id: format!("28:{APP_ID}"),
        ..ChannelAccount::default()
    };

    connector
        .send_to_conversation(&s, thread, &message("a"))
        .await
        .expect("send");
    connector
        .reply_to_activity(&s, thread, "42", &message("b"))
        .await
        .expect("reply");
    connector
        .update_activity(&s, thread, "43", &message("c"))
        .await
        .expect("update");
    connector
        .delete_activity(&s, thread, "43")
        .await
        .expect("delete");
    connector.send_typing(&s, thread).await.expect("typing");
    fake.script(&[(
        200,
        None,
        json!({ "id": "29:u", "name": "김철수", "aadObjectId": "aad-9" }),
    )]);
    let member = connector
        .get_conversation_member(&s, thread, "29:u")
        .await
        .expect("member");
    fake.script(&[(
        201,
        None,
        json!({ "id": "19:abc@thread.tacv2;messageid=77", "activityId": "77" }),
    )]);
    let created = connector
        .create_conversation(
            &s,
            &ConversationParameters::channel_thread(
                bot.clone(),
                "19:abc@thread.tacv2",
                "tenant-1",
                message("new thread"),
            ),
        )
        .await
        .expect("create");

    let enc = "19%3Aabc%40thread.tacv2%3Bmessageid%3D42";
    let calls: Vec<(String, String)> = fake
        .recorded()
        .into_iter()
        .map(|r| (r.method, r.path))
        .collect();
    assert_eq!(
        calls,
        vec![
            (
                "POST".to_string(),
                format!("/v3/conversations/{enc}/activities")
            ),
            (
                "POST".into(),
                format!("/v3/conversations/{enc}/activities/42")
            ),
            (
                "PUT".into(),
                format!("/v3/conversations/{enc}/activities/43")
            ),
            (
                "DELETE".into(),
                format!("/v3/conversations/{enc}/activities/43")
            ),
            ("POST".into(), format!("/v3/conversations/{enc}/activities")),
            (
                "GET".into(),
                format!("/v3/conversations/{enc}/members/29%3Au")
            ),
            ("POST".into(), "/v3/conversations".into()),
        ]
    );
    let recorded = fake.recorded();
    assert_eq!(recorded[4].body["type"], "typing");
    assert_eq!(member.name.as_deref(), Some("김철수"));
    assert_eq!(member.aad_object_id.as_deref(), Some("aad-9"));
    assert_eq!(created.id, "19:abc@thread.tacv2;messageid=77");
    assert_eq!(created.activity_id.as_deref(), Some("77"));
    let create = &recorded[6].body;
    assert_eq!(create["isGroup"], true);
    assert_eq!(
        create["channelData"]["channel"]["id"],
        "19:abc@thread.tacv2"
    );
    assert_eq!(create["tenantId"], "tenant-1");
    assert_eq!(create["activity"]["text"], "new thread");
    assert_eq!(create["bot"]["id"], format!("28:{APP_ID}"));
}
