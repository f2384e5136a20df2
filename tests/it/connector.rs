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
        ..RetryPolicy::default()
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
            ..RetryPolicy::default()
        },
    );
    let started = Instant::now();

    let error = connector
        .send_to_conversation(&fake.service_url(), "a:1", &message("hi"))
        .await
        .expect_err("gives up");

    assert!(matches!(error, ConnectorError::GaveUp { .. }), "{error}");
    assert_eq!(
        error.retry_after(),
        Some(Duration::from_secs(3)),
        "the wait Teams asked for goes back to the caller (the outbox waits it out)"
    );
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

/// A connector and token endpoint of our own, for faults the shared fake does not script: the token endpoint
/// failing the first `token_failures` times, connector answers after `delay`, and a 307 to `redirect_to`.
#[derive(Clone, Default)]
struct Faulty {
    token_failures: Arc<std::sync::atomic::AtomicUsize>,
    tokens: Arc<std::sync::atomic::AtomicUsize>,
    calls: Arc<std::sync::Mutex<Vec<(String, String)>>>,
    delay: Duration,
    redirect_to: Option<String>,
}

impl Faulty {
    async fn start(self) -> (String, Faulty) {
        use axum::routing::{any, post};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let state = self.clone();
        let app = axum::Router::new()
            .route(
                "/token",
                post(
                    |axum::extract::State(f): axum::extract::State<Faulty>| async move {
                        f.tokens.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        let failing = f
                            .token_failures
                            .fetch_update(
                                std::sync::atomic::Ordering::SeqCst,
                                std::sync::atomic::Ordering::SeqCst,
                                |n| n.checked_sub(1),
                            )
                            .is_ok();
                        if failing {
                            return (
                                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                                axum::Json(json!({ "error": "temporarily_unavailable" })),
                            );
                        }
                        (
                            axum::http::StatusCode::OK,
                            axum::Json(json!({ "access_token": "t", "expires_in": 3600 })),
                        )
                    },
                ),
            )
            .route(
                "/v3/{*rest}",
                any(
                    |axum::extract::State(f): axum::extract::State<Faulty>,
                     request: axum::extract::Request| async move {
                        use axum::response::IntoResponse;
                        f.calls.lock().unwrap().push((
                            request.method().to_string(),
                            request.uri().path().to_owned(),
                        ));
                        if let Some(to) = &f.redirect_to {
                            return (
                                axum::http::StatusCode::TEMPORARY_REDIRECT,
                                [("location", to.clone())],
                            )
                                .into_response();
                        }
                        tokio::time::sleep(f.delay).await;
                        (
                            axum::http::StatusCode::CREATED,
                            axum::Json(json!({ "id": "accepted-late" })),
                        )
                            .into_response()
                    },
                ),
            )
            .with_state(state);
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
        (format!("http://{addr}/"), self)
    }

    fn calls(&self) -> Vec<(String, String)> {
        self.calls.lock().unwrap().clone()
    }
}

/// The connector client as `doberman serve` builds it (its HTTP client included), against `base`.
fn served_client(base: &str, retry: RetryPolicy) -> ConnectorClient {
    ConnectorClient::new(
        doberman::teams::http_client().expect("client"),
        Some(Credentials {
            token_url: url::Url::parse(&format!("{base}token")).expect("url"),
            app_id: APP_ID.to_owned(),
            app_password: Secret::new("test-secret"),
        }),
        ServiceUrlPolicy::new(vec![url::Url::parse(base).expect("url")], false),
        retry,
    )
}

#[tokio::test]
async fn a_token_endpoint_failing_once_is_retried_and_the_message_sent() {
    let peer = Faulty::default();
    peer.token_failures
        .store(1, std::sync::atomic::Ordering::SeqCst);
    let (base, peer) = peer.start().await;
    let connector = served_client(&base, quick());

    let sent = connector
        .send_to_conversation(&base, "a:1", &message("안녕"))
        .await
        .expect("sent once the token came");

    assert_eq!(sent.id.as_deref(), Some("accepted-late"));
    assert_eq!(peer.tokens.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert_eq!(peer.calls().len(), 1, "the message itself went once");
    assert_eq!(
        connector
            .stats()
            .token_retries
            .load(std::sync::atomic::Ordering::SeqCst),
        1
    );
}

#[tokio::test]
async fn a_retry_after_longer_than_the_back_off_cap_is_honoured_in_full() {
    let fake = FakeMicrosoft::start().await;
    fake.script(&[(429, Some("3"), json!({ "error": { "code": "Throttled" } }))]);
    let connector = client(
        &fake,
        RetryPolicy {
            max_delay: Duration::from_secs(1),
            max_total: Duration::from_secs(10),
            ..quick()
        },
    );
    let started = Instant::now();

    connector
        .send_to_conversation(&fake.service_url(), "a:1", &message("hi"))
        .await
        .expect("sent after the wait");

    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "Teams asked for 3 s, which is more than Doberman's own 1 s cap: {:?}",
        started.elapsed()
    );
    assert_eq!(fake.recorded().len(), 2);
    let stats = connector.stats();
    assert_eq!(stats.throttled.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(
        stats
            .throttled_waited
            .load(std::sync::atomic::Ordering::SeqCst),
        1
    );
}

#[tokio::test]
async fn a_retry_after_of_a_minute_is_handed_back_untouched_instead_of_retried_early() {
    let fake = FakeMicrosoft::start().await;
    fake.script(&[(429, Some("60"), json!({ "error": { "code": "Throttled" } }))]);
    let connector = client(&fake, RetryPolicy::default());
    let started = Instant::now();

    let error = connector
        .send_to_conversation(&fake.service_url(), "a:1", &message("hi"))
        .await
        .expect_err("60 s does not fit the call's 30 s");

    assert_eq!(error.retry_after(), Some(Duration::from_secs(60)));
    assert!(error.is_transient());
    assert!(started.elapsed() < Duration::from_secs(2));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(fake.recorded().len(), 1, "no early retry");
}

#[tokio::test]
async fn a_post_teams_accepts_after_the_client_timed_out_is_not_sent_twice() {
    let (base, peer) = Faulty {
        delay: Duration::from_millis(1500),
        ..Faulty::default()
    }
    .start()
    .await;
    let connector = served_client(
        &base,
        RetryPolicy {
            attempt_timeout: Duration::from_millis(500),
            ..quick()
        },
    );

    let post = connector
        .reply_to_activity(&base, "a:1", "1700", &message("once"))
        .await
        .expect_err("timed out");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let posts = peer.calls().len();
    let update = connector
        .update_activity(&base, "a:1", "1700", &message("twice is fine"))
        .await;

    assert!(
        matches!(post, ConnectorError::Uncertain(_)),
        "the caller learns it may have arrived: {post}"
    );
    assert_eq!(posts, 1, "the POST went once");
    assert!(update.is_err(), "the PUT timed out too");
    assert!(
        peer.calls().len() >= 3,
        "an update is idempotent, so it is retried: {:?}",
        peer.calls()
    );
}

#[tokio::test]
async fn a_redirect_from_the_connector_is_not_followed() {
    let (elsewhere, other) = Faulty::default().start().await;
    let (base, peer) = Faulty {
        redirect_to: Some(format!("{elsewhere}v3/conversations/stolen/activities")),
        ..Faulty::default()
    }
    .start()
    .await;
    let connector = served_client(&base, quick());

    let error = connector
        .send_to_conversation(&base, "a:1", &message("a card for the channel"))
        .await
        .expect_err("a 307 is not success");

    assert!(
        matches!(error, ConnectorError::Rejected { status: 307, .. }),
        "{error}"
    );
    assert_eq!(peer.calls().len(), 1);
    assert!(
        other.calls().is_empty(),
        "nothing reached the address the redirect named"
    );
}
