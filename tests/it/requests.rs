//! The request channel end to end: real-shaped Teams channel activities through `/api/messages` become
//! requirements, comments, edits and deletions, answered and updated in the thread through the connector; on SQLite
//! and MySQL.

use std::sync::Arc;
use std::time::Duration;

use doberman::i18n::{self, Lang, english_besides};
use doberman::store::{Change, NewRequirement, Person, RequirementStatus, Store};
use serde_json::{Value, json};

use crate::peers::{APP_ID, FakeMicrosoft, claims, sign};
use crate::support::{TestDb, two_backends};
use crate::teams::{post_activity, shown, start};

const WAIT: Duration = Duration::from_secs(10);
const REQUESTS: &str = "19:requests@thread.tacv2";

/// A Teams channel activity as Teams sends it with the resource-specific consent: no mention, the thread in the
/// conversation id, the HTML body also as a `text/html` attachment.
fn channel_activity(
    service: &str,
    kind: &str,
    channel: &str,
    id: &str,
    root: &str,
    html: &str,
    from: (&str, &str),
) -> Value {
    let mut activity =
        channel_activity_without_reply_to(service, kind, channel, id, root, html, from);
    if kind == "message" && id != root {
        // Teams says which message a thread reply answers.
        activity["replyToId"] = json!(root);
    }
    activity
}

fn channel_activity_without_reply_to(
    service: &str,
    kind: &str,
    channel: &str,
    id: &str,
    root: &str,
    html: &str,
    from: (&str, &str),
) -> Value {
    json!({
        "type": kind,
        "id": id,
        "timestamp": "2026-11-25T01:02:03.000Z",
        "channelId": "msteams",
        "serviceUrl": service,
        "from": { "id": format!("29:{}", from.0), "name": from.1, "aadObjectId": format!("aad-{}", from.0) },
        "conversation": {
            "id": format!("{channel};messageid={root}"),
            "conversationType": "channel",
            "tenantId": "tenant-1",
            "isGroup": true
        },
        "recipient": { "id": format!("28:{APP_ID}"), "name": "Doberman" },
        "text": html,
        "textFormat": "xml",
        "attachments": [ { "contentType": "text/html", "content": html } ],
        "channelData": {
            "tenant": { "id": "tenant-1" },
            "team": { "id": "19:team@thread.tacv2", "name": "데이터 플랫폼" },
            "channel": { "id": channel },
            "eventType": match kind { "messageUpdate" => "editMessage", "messageDelete" => "softDeleteMessage", _ => "" }
        }
    })
}

/// The requirement once Doberman has remembered its card (it does so after the connector answered).
async fn card_remembered(store: &Store, id: i64) -> doberman::store::Requirement {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let r = store
            .requirement(id)
            .await
            .expect("read")
            .expect("recorded");
        if r.card_activity_id.is_some() || tokio::time::Instant::now() > deadline {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn kinds_of_events(db: &TestDb, id: i64) -> Vec<String> {
    db.strings(&format!(
        "SELECT kind FROM requirement_event WHERE requirement_id = {id} ORDER BY id"
    ))
    .await
}

async fn a_request_channel_tracks_messages_replies_edits_and_deletions(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[("DOBERMAN_REQUESTS__CHANNEL_ID", REQUESTS)]).await;
    let service = fake.service_url();
    let token = sign(&claims(&service), "primary", "primary");
    let store = db.store().await;
    let kim = ("kim", "김민지");

    // A new message: REQ-1, answered in its thread with the card.
    let mut first = channel_activity(
        &service,
        "message",
        REQUESTS,
        "1001",
        "1001",
        "<p>매장별 일 매출 대시보드가 필요합니다 📊</p><ul><li>기간: 2024&nbsp;1월~</li><li>정의: <a href=\"https://wiki.example.com/sales\">매출 정의</a></li></ul>",
        kim,
    );
    first["attachments"].as_array_mut().unwrap().push(json!({
        "contentType": "application/vnd.microsoft.teams.file.download.info",
        "name": "매출_정의.xlsx",
        "content": { "downloadUrl": "https://contoso.sharepoint.com/매출_정의.xlsx", "fileType": "xlsx" }
    }));
    assert_eq!(post_activity(&app, &token, &first).await.0, 200);
    let calls = fake.wait_for(1, WAIT).await;
    assert_eq!(calls[0].method, "POST");
    assert!(
        calls[0].path.ends_with("/activities/1001")
            && calls[0]
                .path
                .contains("requests%40thread.tacv2%3Bmessageid%3D1001"),
        "answered in the message's thread: {}",
        calls[0].path
    );
    let card = shown(&calls[0].body);
    assert!(
        card.contains("REQ-1 · 매장별 일 매출 대시보드가 필요합니다 📊"),
        "{card}"
    );
    assert!(card.contains("김민지") && card.contains("new"), "{card}");
    assert!(
        card.contains("매출_정의.xlsx"),
        "attachments listed: {card}"
    );

    let r1 = card_remembered(&store, 1).await;
    assert_eq!(r1.status, RequirementStatus::New);
    assert_eq!(r1.title, "매장별 일 매출 대시보드가 필요합니다 📊");
    assert_eq!(
        r1.body,
        "매장별 일 매출 대시보드가 필요합니다 📊\n- 기간: 2024 1월~\n- 정의: 매출 정의 (https://wiki.example.com/sales)"
    );
    assert_eq!(r1.author.aad_object_id.as_deref(), Some("aad-kim"));
    assert_eq!(r1.card_activity_id.as_deref(), Some("reply-1"));
    assert_eq!(
        r1.conversation_id,
        format!("{REQUESTS};messageid=1001"),
        "the thread"
    );
    assert!(
        r1.attachments
            .as_deref()
            .unwrap()
            .contains("https://contoso.sharepoint.com/매출_정의.xlsx")
    );

    // Teams delivers it again, then a second message: one requirement per message, numbers without gaps.
    assert_eq!(post_activity(&app, &token, &first).await.0, 200);
    let second = channel_activity(
        &service,
        "message",
        REQUESTS,
        "1002",
        "1002",
        "Refund data for Q3",
        ("lee", "Alex Lee"),
    );
    assert_eq!(post_activity(&app, &token, &second).await.0, 200);
    let calls = fake.wait_for(2, WAIT).await;
    assert!(shown(&calls[1].body).contains("REQ-2 · Refund data for Q3"));

    // A reply in REQ-1's thread: a comment, and the card updated in place; its second delivery changes nothing.
    let reply = channel_activity(
        &service,
        "message",
        REQUESTS,
        "1003",
        "1001",
        "<p>다음 주까지 가능할까요?</p>",
        ("park", "박지훈"),
    );
    assert_eq!(post_activity(&app, &token, &reply).await.0, 200);
    let calls = fake.wait_for(3, WAIT).await;
    assert_eq!(calls[2].method, "PUT");
    assert!(
        calls[2].path.ends_with("/activities/reply-1"),
        "{}",
        calls[2].path
    );
    assert!(
        shown(&calls[2].body).contains("Comments"),
        "{}",
        shown(&calls[2].body)
    );
    assert_eq!(post_activity(&app, &token, &reply).await.0, 200);

    // The author edits REQ-1: new title and text, the old text in the audit, the card updated.
    let edit = channel_activity(
        &service,
        "messageUpdate",
        REQUESTS,
        "1001",
        "1001",
        "<p>매장별·채널별 일 매출 대시보드</p>",
        kim,
    );
    assert_eq!(post_activity(&app, &token, &edit).await.0, 200);
    let calls = fake.wait_for(4, WAIT).await;
    assert!(
        shown(&calls[3].body).contains("REQ-1 · 매장별·채널별 일 매출 대시보드"),
        "{}",
        shown(&calls[3].body)
    );

    // REQ-2 is deleted in Teams: kept, marked, the card says so.
    let delete = channel_activity(
        &service,
        "messageDelete",
        REQUESTS,
        "1002",
        "1002",
        "",
        ("lee", "Alex Lee"),
    );
    assert_eq!(post_activity(&app, &token, &delete).await.0, 200);
    let calls = fake.wait_for(5, WAIT).await;
    assert!(
        shown(&calls[4].body).contains("deleted"),
        "{}",
        shown(&calls[4].body)
    );

    // Elsewhere, a message that does not @mention Doberman is neither a command nor a requirement.
    let elsewhere = channel_activity(
        &service,
        "message",
        "19:general@thread.tacv2",
        "2001",
        "2001",
        "lunch?",
        kim,
    );
    assert_eq!(post_activity(&app, &token, &elsewhere).await.0, 200);
    tokio::time::sleep(Duration::from_millis(300)).await;

    assert_eq!(
        fake.recorded().len(),
        5,
        "duplicates and other channels send nothing"
    );
    assert_eq!(
        db.strings("SELECT CAST(id AS CHAR) FROM requirement ORDER BY id")
            .await,
        ["1", "2"]
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM requirement_comment").await,
        1,
        "one reply, one comment"
    );
    let r1 = store.requirement(1).await.expect("read").expect("REQ-1");
    assert_eq!(r1.title, "매장별·채널별 일 매출 대시보드");
    assert!(r1.edited_at.is_some());
    assert_eq!(
        kinds_of_events(&db, 1).await,
        ["created", "commented", "edited"]
    );
    assert_eq!(
        db.strings("SELECT detail FROM requirement_event WHERE kind = 'edited'")
            .await[0]
            .lines()
            .next(),
        Some("매장별 일 매출 대시보드가 필요합니다 📊"),
        "the text before the edit is kept"
    );
    let r2 = store
        .requirement(2)
        .await
        .expect("read")
        .expect("REQ-2 is kept");
    assert!(r2.deleted_at.is_some());
    assert_eq!(kinds_of_events(&db, 2).await, ["created", "deleted"]);
    app.stop().await;
}
two_backends!(a_request_channel_tracks_messages_replies_edits_and_deletions);

async fn requests_here_by_an_admin_makes_the_channel_a_request_channel(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();
    let token = sign(&claims(&service), "primary", "primary");
    let channel = "19:asks@thread.tacv2";
    let command = |who: (&str, &str), id: &str| {
        let mut activity = channel_activity(
            &service,
            "message",
            channel,
            id,
            id,
            "<at>Doberman</at> requests here",
            who,
        );
        activity["entities"] = json!([
            { "type": "mention", "mentioned": { "id": format!("28:{APP_ID}"), "name": "Doberman" }, "text": "<at>Doberman</at>" }
        ]);
        activity["attachments"] = json!([]);
        activity
    };

    // Not an admin: refused, and nothing is tracked.
    assert_eq!(
        post_activity(&app, &token, &command(("kim", "김민지"), "3001"))
            .await
            .0,
        200
    );
    let calls = fake.wait_for(1, WAIT).await;
    assert!(
        shown(&calls[0].body).contains("admins"),
        "{}",
        shown(&calls[0].body)
    );
    assert_eq!(db.number("SELECT COUNT(*) FROM request_channel").await, 0);

    // The admin: the channel becomes the request channel; the next plain message is REQ-1.
    assert_eq!(
        post_activity(&app, &token, &command(("admin", "Admin"), "3002"))
            .await
            .0,
        200
    );
    let calls = fake.wait_for(2, WAIT).await;
    assert!(
        shown(&calls[1].body).contains("request channel"),
        "{}",
        shown(&calls[1].body)
    );
    let ask = channel_activity(
        &service,
        "message",
        channel,
        "3003",
        "3003",
        "Need a churn table",
        ("kim", "김민지"),
    );
    assert_eq!(post_activity(&app, &token, &ask).await.0, 200);
    let calls = fake.wait_for(3, WAIT).await;
    assert!(shown(&calls[2].body).contains("REQ-1 · Need a churn table"));
    app.stop().await;
}
two_backends!(requests_here_by_an_admin_makes_the_channel_a_request_channel);

fn new_requirement(message: usize) -> NewRequirement {
    NewRequirement {
        channel_id: REQUESTS.to_owned(),
        teams_message_id: format!("m{message}"),
        conversation_id: format!("{REQUESTS};messageid=m{message}"),
        service_url: "https://smba.trafficmanager.net/amer/".to_owned(),
        title: format!("요청 {message}"),
        body: format!("요청 {message} 🙏"),
        body_html: None,
        attachments: None,
        author: Person::default(),
        created_at: doberman::store::now(),
    }
}

async fn requirement_numbers_have_no_gaps_when_deliveries_race(db: TestDb) {
    let store: Store = db.store().await;
    store.migrate().await.expect("migrate");
    // Ten messages, each delivered twice, all at once.
    let mut tasks = tokio::task::JoinSet::new();
    for delivery in 0..20 {
        let store = store.clone();
        tasks.spawn(async move {
            store
                .record_requirement(&new_requirement(delivery % 10))
                .await
        });
    }
    let mut created = 0;
    while let Some(result) = tasks.join_next().await {
        let (_, new) = result.expect("task").expect("recorded");
        created += usize::from(new);
    }
    assert_eq!(created, 10, "each message once");
    let ids = db
        .strings("SELECT CAST(id AS CHAR) FROM requirement ORDER BY id")
        .await;
    assert_eq!(
        ids,
        (1..=10).map(|n| n.to_string()).collect::<Vec<_>>(),
        "REQ-1 … REQ-10, no gap, no copy"
    );
    assert_eq!(
        db.number("SELECT COUNT(*) FROM requirement_event WHERE kind = 'created'")
            .await,
        10
    );
}
two_backends!(requirement_numbers_have_no_gaps_when_deliveries_race);

/// A press of a card button: an `adaptiveCard/action` invoke in the requirement's thread.
fn press(service: &str, verb: &str, data: Value, who: (&str, &str)) -> Value {
    let mut activity = channel_activity(service, "invoke", REQUESTS, "9001", "1001", "", who);
    activity["name"] = json!("adaptiveCard/action");
    activity["value"] = json!({ "action": { "type": "Action.Execute", "verb": verb, "data": data }, "trigger": "manual" });
    activity["attachments"] = json!([]);
    activity
}

/// A command typed to Doberman in a personal chat.
fn typed(service: &str, text: &str, who: (&str, &str)) -> Value {
    json!({
        "type": "message",
        "id": format!("p-{}", text.len()),
        "channelId": "msteams",
        "serviceUrl": service,
        "from": { "id": format!("29:{}", who.0), "name": who.1, "aadObjectId": format!("aad-{}", who.0) },
        "conversation": { "id": format!("a:{}", who.0), "conversationType": "personal", "tenantId": "tenant-1" },
        "recipient": { "id": format!("28:{APP_ID}"), "name": "Doberman" },
        "text": text
    })
}

async fn buttons_and_commands_move_a_requirement_and_tell_its_author(db: TestDb) {
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[("DOBERMAN_REQUESTS__CHANNEL_ID", REQUESTS)]).await;
    let service = fake.service_url();
    let token = sign(&claims(&service), "primary", "primary");
    let store = db.store().await;
    let (kim, park) = (("kim", "김민지"), ("park", "박지훈"));
    let ask = channel_activity(
        &service,
        "message",
        REQUESTS,
        "1001",
        "1001",
        "<p>Churn by store</p>",
        kim,
    );
    assert_eq!(post_activity(&app, &token, &ask).await.0, 200);
    fake.wait_for(1, WAIT).await;
    card_remembered(&store, 1).await;

    // Accept: the invoke answers with the card as it now is; the thread card is updated for everyone and the
    // author is told in the thread with a real mention.
    let (status, body) = post_activity(
        &app,
        &token,
        &press(&service, "request.accept", json!({"requirement": 1}), park),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        body["type"], "application/vnd.microsoft.card.adaptive",
        "{body}"
    );
    let card = doberman::cards::kit::to_text(&body["value"]);
    assert!(
        card.contains("accepted") && !card.contains("Accept\n"),
        "{card}"
    );
    let calls = fake.wait_for(3, WAIT).await;
    assert_eq!(
        (
            calls[1].method.as_str(),
            calls[1].path.ends_with("/activities/reply-1")
        ),
        ("PUT", true)
    );
    assert_eq!(calls[2].method, "POST");
    assert!(
        calls[2].path.ends_with("/activities/1001"),
        "in the thread: {}",
        calls[2].path
    );
    let notice = &calls[2].body;
    assert_eq!(
        notice["text"],
        "<at>김민지</at> **REQ-1** was accepted by 박지훈."
    );
    assert_eq!(notice["entities"][0]["mentioned"]["id"], "29:kim");
    assert_eq!(notice["entities"][0]["text"], "<at>김민지</at>");

    // Assign to me, Start and Done, pressed in turn: each answers with the card as it now is.
    for (verb, expected) in [
        ("request.assign_me", "Assignee"),
        ("request.start", "in progress"),
        ("request.done", "done"),
    ] {
        let (status, body) = post_activity(
            &app,
            &token,
            &press(&service, verb, json!({"requirement": 1}), park),
        )
        .await;
        assert_eq!(status, 200, "{verb}: {body}");
        let body: Value = serde_json::from_str(&body).expect("json");
        let card = doberman::cards::kit::to_text(&body["value"]);
        assert!(card.contains(expected), "{verb}: {card}");
    }
    let r = store.requirement(1).await.expect("read").expect("REQ-1");
    assert_eq!(r.status, RequirementStatus::Done);
    assert_eq!(r.assignee.name.as_deref(), Some("박지훈"));
    assert!(r.closed_at.is_some());

    // Reject needs a reason; with one it closes the requirement.
    let (_, body) = post_activity(
        &app,
        &token,
        &press(&service, "request.reject", json!({"requirement": 1}), park),
    )
    .await;
    assert!(body.contains("Say why"), "{body}");
    let (_, body) = post_activity(
        &app,
        &token,
        &press(
            &service,
            "request.reject",
            json!({"requirement": "1", "reason": "mart.churn 이미 있음"}),
            park,
        ),
    )
    .await;
    assert!(body.contains("rejected"), "{body}");
    let r = store.requirement(1).await.expect("read").expect("REQ-1");
    assert_eq!(r.status, RequirementStatus::Rejected);
    assert_eq!(r.reject_reason.as_deref(), Some("mart.churn 이미 있음"));
    assert!(r.closed_at.is_some());

    // Commands do the same: reopen, assign, show, list.
    let say = |text: &str, who| typed(&service, text, who);
    let before = fake.recorded().len();
    assert_eq!(
        post_activity(&app, &token, &say("request REQ-1 accept", park))
            .await
            .0,
        200
    );
    let calls = fake.wait_for(before + 3, WAIT).await;
    assert!(
        calls[before..]
            .iter()
            .any(|c| shown(&c.body).contains("REQ-1** was accepted")),
        "{:#?}",
        &calls[before..]
    );
    let r = store.requirement(1).await.expect("read").expect("REQ-1");
    assert_eq!(
        (r.status, r.closed_at),
        (RequirementStatus::Accepted, None),
        "reopened"
    );

    let before = fake.recorded().len();
    assert_eq!(
        post_activity(&app, &token, &say("request 1 assign me", kim))
            .await
            .0,
        200
    );
    fake.wait_for(before + 3, WAIT).await;
    let r = store.requirement(1).await.expect("read").expect("REQ-1");
    assert_eq!(r.assignee.name.as_deref(), Some("김민지"));

    let before = fake.recorded().len();
    assert_eq!(
        post_activity(&app, &token, &say("request REQ-1", kim))
            .await
            .0,
        200
    );
    let calls = fake.wait_for(before + 1, WAIT).await;
    let detail = shown(&calls[before].body);
    assert!(
        detail.contains("History")
            && detail.contains("🆕 new → 👍 accepted · 박지훈")
            && detail.contains("✅ done → 🚫 rejected · 박지훈")
            && detail.contains("assigned"),
        "{detail}"
    );

    for (text, who, expected) in [
        ("requests", kim, "REQ-1"),
        ("requests mine", kim, "REQ-1"),
        ("requests mine", ("lee", "Lee"), "Nothing here"),
        ("요청 all", park, "REQ-1"),
        ("request REQ-99 done", park, "There is no REQ-99."),
        ("request REQ-1 reject", park, "needs a reason"),
        ("request REQ-1 explode", park, "not a change I know"),
        ("request 1 accept", park, "already is so"),
    ] {
        let before = fake.recorded().len();
        assert_eq!(post_activity(&app, &token, &say(text, who)).await.0, 200);
        let calls = fake.wait_for(before + 1, WAIT).await;
        let answer = shown(&calls[before].body);
        assert!(answer.contains(expected), "{text}: {answer}");
    }

    assert_eq!(
        db.strings("SELECT CONCAT(kind, ':', COALESCE(old_status, ''), '>', COALESCE(new_status, '')) FROM requirement_event ORDER BY id")
            .await,
        [
            "created:>new",
            "status:new>accepted",
            "assigned:>",
            "status:accepted>in_progress",
            "status:in_progress>done",
            "status:done>rejected",
            "status:rejected>accepted",
            "assigned:>",
        ]
    );

    // A button of the detailed card (`request REQ-1`: History, comments) answers with the detailed card: the
    // card after the press has what the card before it had. Its buttons say so too.
    let (status, body) = post_activity(
        &app,
        &token,
        &press(
            &service,
            "request.start",
            json!({"requirement": 1, "detail": true}),
            park,
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).expect("json");
    let card = doberman::cards::kit::to_text(&body["value"]);
    assert!(
        card.contains("History") && card.contains("in progress"),
        "{card}"
    );
    assert!(
        body["value"]["actions"]
            .as_array()
            .expect("buttons")
            .iter()
            .filter(|a| a["type"] == "Action.Execute")
            .all(|a| a["data"]["detail"] == true),
        "{body}"
    );
    app.stop().await;
}
two_backends!(buttons_and_commands_move_a_requirement_and_tell_its_author);

async fn a_client_that_gives_a_new_post_its_own_id_still_starts_a_requirement(db: TestDb) {
    // The Agents Playground posts a channel message as thread `…;messageid=<root>` with an activity id of its own
    // and no replyToId; Teams gives both the same id. Either way the message is a new requirement on the thread,
    // and a reply that answers it (replyToId) its comment.
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[("DOBERMAN_REQUESTS__CHANNEL_ID", REQUESTS)]).await;
    let service = fake.service_url();
    let token = sign(&claims(&service), "primary", "primary");
    let post = channel_activity_without_reply_to(
        &service,
        "message",
        REQUESTS,
        "850fa9c1-6423-44f2-b088-49c9c4d8cf08",
        "1795674344273",
        "Need a churn table",
        ("kim", "김민지"),
    );
    assert_eq!(post_activity(&app, &token, &post).await.0, 200);
    let calls = fake.wait_for(1, WAIT).await;
    assert!(
        calls[0].path.ends_with("/activities/1795674344273"),
        "{}",
        calls[0].path
    );
    let r = db
        .store()
        .await
        .requirement(1)
        .await
        .expect("read")
        .expect("REQ-1");
    assert_eq!(r.teams_message_id, "1795674344273");

    let reply = channel_activity(
        &service,
        "message",
        REQUESTS,
        "1795674399999",
        "1795674344273",
        "ok",
        ("park", "박지훈"),
    );
    assert_eq!(post_activity(&app, &token, &reply).await.0, 200);
    fake.wait_for(2, WAIT).await;
    assert_eq!(db.number("SELECT COUNT(*) FROM requirement").await, 1);
    assert_eq!(
        db.number("SELECT COUNT(*) FROM requirement_comment").await,
        1
    );
    app.stop().await;
}
two_backends!(a_client_that_gives_a_new_post_its_own_id_still_starts_a_requirement);

async fn a_demo_requirement_changes_without_calling_teams_about_a_channel_that_is_not_there(
    db: TestDb,
) {
    let fake = FakeMicrosoft::start().await;
    let app = start(&db, &fake, &[]).await;
    let service = fake.service_url();
    let token = sign(&claims(&service), "primary", "primary");
    let store = db.store().await;
    doberman::demo::fill(
        &store,
        chrono_tz::Asia::Seoul,
        doberman::store::now(),
        &doberman::chat::Watch::default(),
    )
    .await
    .expect("demo");
    // As if its thread were on this connector: a call would reach the fake and be recorded.
    db.execute_raw(&format!("UPDATE requirement SET service_url = '{service}'"))
        .await;
    let new = db
        .strings(
            "SELECT CAST(id AS CHAR) FROM requirement WHERE status = 'new' ORDER BY id LIMIT 1",
        )
        .await;
    let id: i64 = new[0].parse().expect("an id");

    let (status, body) = post_activity(
        &app,
        &token,
        &press(
            &service,
            "request.accept",
            json!({"requirement": id}),
            ("park", "박지훈"),
        ),
    )
    .await;

    assert_eq!(status, 200, "{body}");
    assert!(body.contains("accepted"), "{body}");
    // The change is answered after its thread card and notice were sent or given up: none was attempted.
    assert!(fake.recorded().is_empty(), "{:#?}", fake.recorded());
    let r = store.requirement(id).await.expect("read").expect("it");
    assert_eq!(r.status, RequirementStatus::Accepted);
    app.stop().await;
}
two_backends!(a_demo_requirement_changes_without_calling_teams_about_a_channel_that_is_not_there);

/// The titles of a card's buttons.
fn buttons(card: &Value) -> Vec<String> {
    card["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["title"].as_str().map(str::to_owned))
        .collect()
}

/// A connector that posts to `fake`.
fn connector_to(fake: &FakeMicrosoft) -> doberman::teams::ConnectorClient {
    doberman::teams::ConnectorClient::new(
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client"),
        Some(doberman::teams::connector::Credentials {
            token_url: url::Url::parse(&fake.token_url()).expect("url"),
            app_id: APP_ID.to_owned(),
            app_password: doberman::config::Secret::new("test-secret"),
        }),
        doberman::teams::ServiceUrlPolicy::new(
            vec![url::Url::parse(&fake.service_url()).expect("url")],
            false,
        ),
        doberman::teams::connector::RetryPolicy::default(),
    )
}

async fn a_korean_request_channel_reads_korean_while_each_asker_reads_their_own_language(
    db: TestDb,
) {
    let fake = FakeMicrosoft::start().await;
    let service = fake.service_url();
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let now = doberman::store::now();
    store
        .set_request_channel(
            REQUESTS,
            Some("19:team@thread.tacv2"),
            &Person::default(),
            now,
        )
        .await
        .expect("a request channel");
    let requests = doberman::requests::Requests::new(
        store.clone(),
        Arc::new(connector_to(&fake)),
        chrono_tz::Asia::Seoul,
    )
    .with_lang(Lang::Ko);
    let park = Person {
        aad_object_id: Some("aad-park".to_owned()),
        name: Some("박지훈".to_owned()),
        teams_id: Some("29:park".to_owned()),
    };
    let title = "매장별 일 매출 대시보드가 필요합니다 📊";

    // A new message, read outside any language: its card in the thread is in the channel's language.
    let ask: doberman::teams::Activity = serde_json::from_value(channel_activity(
        &service,
        "message",
        REQUESTS,
        "1001",
        "1001",
        &format!("<p>{title}</p>"),
        ("kim", "김민지"),
    ))
    .expect("an activity");
    assert!(
        requests.track(&ask, now).await,
        "a request channel's message"
    );
    let calls = fake.wait_for(1, WAIT).await;
    let posted = shown(&calls[0].body);
    for expected in [
        "REQ-1 · 매장별 일 매출 대시보드가 필요합니다 📊",
        "요청 채널에 올라온 요청",
        "상태: 🆕 신규",
        "요청자: 김민지",
        "요청 시각: ",
        "Doberman은 이 채널의 모든 메시지를 요청으로 관리합니다.",
    ] {
        assert!(posted.contains(expected), "{expected:?} in:\n{posted}");
    }
    assert_eq!(
        english_besides(&posted, &[title]),
        Vec::<String>::new(),
        "{posted}"
    );
    let card = &calls[0].body["attachments"][0]["content"];
    assert_eq!(buttons(card), ["접수", "시작", "완료", "반려", "내가 담당"]);
    assert_eq!(
        card["actions"][3]["card"]["body"][0]["label"],
        "반려 사유 (요청자에게 보입니다)"
    );
    card_remembered(&store, 1).await;

    // Someone reading English accepts it: answered in English; the thread's card and the author's notice stay
    // in the channel's language.
    let (answer, card) = requests
        .change(1, &Change::Accept, &park, false)
        .await
        .expect("changed");
    assert_eq!(answer, "**REQ-1** was accepted by 박지훈.");
    let card = doberman::cards::kit::to_text(&card.expect("a card"));
    assert!(card.contains("Status: 👍 accepted"), "{card}");
    let calls = fake.wait_for(3, WAIT).await;
    assert_eq!(calls[1].method, "PUT");
    let refreshed = shown(&calls[1].body);
    assert!(refreshed.contains("상태: 👍 접수"), "{refreshed}");
    assert_eq!(
        english_besides(&refreshed, &[title]),
        Vec::<String>::new(),
        "{refreshed}"
    );
    assert_eq!(calls[2].method, "POST");
    assert_eq!(
        calls[2].body["text"],
        "<at>김민지</at> **REQ-1** 요청을 박지훈 님이 접수했습니다."
    );

    // Someone reading Korean rejects it from the detailed card: answered in Korean, history and all.
    let reason = "mart.churn에 이미 있습니다";
    let (answer, card) = i18n::scope(
        Lang::Ko,
        requests.change(1, &Change::Reject(reason.to_owned()), &park, true),
    )
    .await
    .expect("changed");
    assert_eq!(
        answer,
        "**REQ-1** 요청을 박지훈 님이 반려했습니다. 사유: mart.churn에 이미 있습니다"
    );
    let detail = doberman::cards::kit::to_text(&card.expect("a card"));
    for expected in [
        "상태: 🚫 반려",
        "반려 사유: mart.churn에 이미 있습니다",
        "이력",
        "등록 · 김민지",
        "🆕 신규 → 👍 접수 · 박지훈",
        "👍 접수 → 🚫 반려 · 박지훈",
    ] {
        assert!(detail.contains(expected), "{expected:?} in:\n{detail}");
    }
    assert_eq!(
        english_besides(&detail, &[title, "mart.churn"]),
        Vec::<String>::new(),
        "{detail}"
    );
    let calls = fake.wait_for(5, WAIT).await;
    assert_eq!(
        calls[4].body["text"],
        "<at>김민지</at> **REQ-1** 요청을 박지훈 님이 반려했습니다. 사유: mart.churn에 이미 있습니다"
    );

    // What changes nothing, and what is not there, in Korean too.
    let (answer, _) = i18n::scope(
        Lang::Ko,
        requests.change(1, &Change::Reject(reason.to_owned()), &park, false),
    )
    .await
    .expect("read");
    assert_eq!(
        answer,
        "REQ-1 요청은 이미 그 상태입니다. 바뀐 것은 없습니다."
    );
    let (answer, card) = i18n::scope(Lang::Ko, requests.change(99, &Change::Done, &park, false))
        .await
        .expect("read");
    assert_eq!((answer.as_str(), card), ("REQ-99 요청이 없습니다.", None));

    // The lists, in Korean: the open ones (none left), all of them, and one that does not exist.
    let caller = doberman::chat::Caller::new(doberman::chat::commands::Scope::Personal, false);
    let list = |which: Option<&'static str>| {
        let (store, caller) = (store.clone(), caller.clone());
        async move {
            match i18n::scope(
                Lang::Ko,
                doberman::chat::requests::list(&store, which, &caller),
            )
            .await
            .expect("listed")
            {
                doberman::chat::Reply::Card(card) => {
                    assert_eq!(doberman::cards::kit::problems(&card), Vec::<String>::new());
                    doberman::cards::kit::to_text(&card)
                }
                doberman::chat::Reply::Text(text) => panic!("{which:?}: a card, not {text}"),
            }
        }
    };
    let open = list(None).await;
    for expected in [
        "요청 목록 · 열린 요청",
        "0건, 최신순",
        "요청이 없습니다",
        "요청은 요청 채널에 올라온 메시지로 만들어집니다 (관리자가 그 채널에서 `요청 채널`을 입력하면 됩니다).",
    ] {
        assert!(open.contains(expected), "{expected:?} in:\n{open}");
    }
    assert_eq!(english_besides(&open, &[]), Vec::<String>::new(), "{open}");
    let all = list(Some("전체")).await;
    for expected in [
        "요청 목록 · 전체",
        "1건, 최신순",
        "# | 요청 | 상태 | 담당자 · 경과",
        "REQ-1 | 매장별 일 매출 대시보드가 필요합니다 📊 | 🚫 반려 | 김민지 · ",
    ] {
        assert!(all.contains(expected), "{expected:?} in:\n{all}");
    }
    assert_eq!(
        english_besides(&all, &[title]),
        Vec::<String>::new(),
        "{all}"
    );
    let unknown = list(Some("어제")).await;
    for expected in [
        "“어제”(이)라는 목록은 없습니다.",
        "`요청`, `요청 내` 또는 `요청 전체`라고 입력해 주세요.",
    ] {
        assert!(unknown.contains(expected), "{expected:?} in:\n{unknown}");
    }
}
two_backends!(a_korean_request_channel_reads_korean_while_each_asker_reads_their_own_language);
