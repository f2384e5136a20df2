//! The request channel: every top-level message posted there becomes a tracked requirement (REQ-n), answered in
//! its thread with a card; replies become comments, edits and deletions are recorded (nothing is erased).
//!
//! [`read`] turns a Teams activity of a request channel into what to record; [`card`] is the thread's card.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::cards::kit;
use crate::cards::views::{Fact, Line, RequestCard};
use crate::store::{
    MessageEdit, NewComment, NewRequirement, Person, Requirement, RequirementStatus,
};
use crate::t;
use crate::teams::Activity;

pub mod service;
pub mod text;

pub use service::{Requests, notice};

/// Longest title kept (the first line of a message can be a whole paragraph).
const MAX_TITLE: usize = 200;

/// The title kept for a message without any text: stored as it is, shown in the reader's language ([`shown_title`]).
pub const NO_TEXT: &str = "(no text)";

/// What a request channel activity asks to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intake {
    /// A new top-level message: a requirement.
    Requirement(NewRequirement),
    /// A reply in a thread: a comment, if the thread is a requirement's.
    Comment(NewComment),
    /// A message was edited.
    Edit(MessageEdit),
    /// A message was deleted.
    Delete {
        /// Its Teams id.
        teams_message_id: String,
        /// Who deleted it.
        by: Person,
    },
}

/// The channel a channel activity belongs to: `channelData.channel.id`, else the conversation without its thread.
pub fn channel_of(activity: &Activity) -> Option<String> {
    let conversation = activity.conversation.as_ref()?;
    if conversation.conversation_type.as_deref() != Some("channel") {
        return None;
    }
    Some(activity.channel().map_or_else(
        || crate::teams::activity::base_id(&conversation.id).to_owned(),
        |c| c.id,
    ))
}

/// The root message of the thread an activity is in (`…;messageid=<root>`).
fn thread_root(activity: &Activity) -> Option<&str> {
    let id = &activity.conversation.as_ref()?.id;
    id.split_once(";messageid=").map(|(_, root)| root)
}

fn person_of(activity: &Activity) -> Person {
    let from = activity.from.as_ref();
    Person {
        aad_object_id: from.and_then(|f| f.aad_object_id.clone()),
        name: from.and_then(|f| f.name.clone()),
        teams_id: from.map(|f| f.id.clone()),
    }
}

/// The message as Teams sent it: the `text/html` attachment Teams adds to channel messages, else the text; an
/// @mention of Doberman (the recipient) left out.
fn html_of(activity: &Activity) -> Option<String> {
    let html = activity
        .attachments
        .iter()
        .flatten()
        .find(|a| a.content_type == "text/html")
        .and_then(|a| a.content.as_ref()?.as_str().map(str::to_owned))
        .or_else(|| activity.text.clone())?;
    let bot = activity.recipient.as_ref().map(|r| r.id.as_str());
    let mut html = html;
    for entity in activity.entities.iter().flatten() {
        let of_bot = entity.pointer("/mentioned/id").and_then(Value::as_str) == bot;
        if let (true, Some(text)) = (of_bot, entity.get("text").and_then(Value::as_str)) {
            html = html.replace(text, "");
        }
    }
    Some(html)
}

/// Files and links attached to a message, as a JSON array of `{name, url}`; `None` without any.
fn attachments_of(activity: &Activity) -> Option<String> {
    let files: Vec<Value> = activity
        .attachments
        .iter()
        .flatten()
        .filter(|a| a.content_type != "text/html" && !a.content_type.contains("card"))
        .map(|a| {
            let url = a
                .content
                .as_ref()
                .and_then(|c| c.get("downloadUrl"))
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| a.content_url.clone());
            json!({"name": a.name, "url": url})
        })
        .collect();
    (!files.is_empty()).then(|| Value::Array(files).to_string())
}

/// The first non-empty line, trimmed, at most [`MAX_TITLE`] characters.
pub fn title_of(body: &str) -> String {
    let line = body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(NO_TEXT);
    if line.chars().count() <= MAX_TITLE {
        line.to_owned()
    } else {
        let cut: String = line.chars().take(MAX_TITLE - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// What to record for an activity of request channel `channel_id`, or `None` for one that changes nothing
/// (a bot's own message, typing, reactions).
pub fn read(activity: &Activity, channel_id: &str, now: DateTime<Utc>) -> Option<Intake> {
    let id = activity.id.clone()?;
    let from_bot = activity
        .from
        .as_ref()
        .is_some_and(|f| f.id.starts_with("28:"));
    let at = activity
        .timestamp
        .as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map_or(now, |t| t.with_timezone(&Utc));
    let by = person_of(activity);
    match activity.kind.as_str() {
        "message" if !from_bot => {
            let html = html_of(activity);
            let body = text::html_to_text(html.as_deref().unwrap_or_default());
            match thread_root(activity).filter(|root| *root != id) {
                Some(root) => Some(Intake::Comment(NewComment {
                    channel_id: channel_id.to_owned(),
                    root_message_id: root.to_owned(),
                    teams_message_id: id,
                    author: by,
                    body,
                    created_at: at,
                })),
                None => Some(Intake::Requirement(new_requirement(
                    activity, channel_id, &id, body, html, by, at,
                )?)),
            }
        }
        "messageUpdate" => {
            let html = html_of(activity);
            let body = text::html_to_text(html.as_deref().unwrap_or_default());
            Some(Intake::Edit(MessageEdit {
                teams_message_id: id,
                title: title_of(&body),
                body,
                body_html: html,
                by,
                at,
            }))
        }
        "messageDelete" => Some(Intake::Delete {
            teams_message_id: id,
            by,
        }),
        _ => None,
    }
}

/// A new top-level message as a requirement keyed on `message_id`: the message's own id in Teams, where a
/// thread's first message has the thread's id.
fn new_requirement(
    activity: &Activity,
    channel_id: &str,
    message_id: &str,
    body: String,
    html: Option<String>,
    author: Person,
    at: DateTime<Utc>,
) -> Option<NewRequirement> {
    let conversation = activity.conversation.as_ref()?;
    // The thread a new message starts: its own id after ;messageid=.
    let thread = if thread_root(activity).is_some() {
        conversation.id.clone()
    } else {
        format!("{};messageid={message_id}", conversation.id)
    };
    Some(NewRequirement {
        channel_id: channel_id.to_owned(),
        teams_message_id: message_id.to_owned(),
        conversation_id: thread,
        service_url: activity.service_url.clone()?,
        title: title_of(&body),
        attachments: attachments_of(activity),
        body,
        body_html: html,
        author,
        created_at: at,
    })
}

/// A message in a thread whose first message is not a requirement, that answers nothing (no `replyToId`): a
/// client that gives a new post its own activity id besides the thread's (the Agents Playground does) started
/// the thread with it, so it is a new requirement keyed on the thread. A real reply to an older thread (Teams
/// sets `replyToId`) is not.
pub fn thread_start(activity: &Activity, comment: &NewComment) -> Option<NewRequirement> {
    if activity.reply_to_id.is_some() {
        return None;
    }
    let html = html_of(activity);
    new_requirement(
        activity,
        &comment.channel_id,
        &comment.root_message_id,
        comment.body.clone(),
        html,
        comment.author.clone(),
        comment.created_at,
    )
}

/// A requirement's title as people read it: [`NO_TEXT`] in their language, any other as it is.
pub fn shown_title(title: &str) -> String {
    if title == NO_TEXT {
        t!("requests-no-text")
    } else {
        title.to_owned()
    }
}

/// Who did something, when Teams gave their name; "someone" in the current language otherwise.
pub fn name_or_someone(name: Option<&str>) -> String {
    name.map_or_else(|| t!("requests-someone"), str::to_owned)
}

/// How a status reads on the cards, in the current language, and its colour.
pub fn status_label(status: RequirementStatus) -> (String, &'static str) {
    match status {
        RequirementStatus::New => (t!("requests-status-new"), "Accent"),
        RequirementStatus::Accepted => (t!("requests-status-accepted"), "Accent"),
        RequirementStatus::InProgress => (t!("requests-status-in-progress"), "Warning"),
        RequirementStatus::Done => (t!("requests-status-done"), "Good"),
        RequirementStatus::Rejected => (t!("requests-status-rejected"), "Attention"),
    }
}

/// The thread card of a requirement (`cards/request.json`), without its history and comments, in the current
/// language.
pub fn card(
    r: &Requirement,
    comments: usize,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> RequestCard {
    let (status, color) = status_label(r.status);
    let mut facts = vec![
        Fact::new(t!("requests-fact-status"), status.clone()),
        Fact::new(
            t!("requests-fact-asked-by"),
            name_or_someone(r.author.name.as_deref()),
        ),
        Fact::new(t!("requests-fact-asked"), kit::when(r.created_at, now, tz)),
    ];
    if let Some(assignee) = &r.assignee.name {
        facts.push(Fact::new(t!("requests-fact-assignee"), assignee.as_str()));
    }
    if let (RequirementStatus::Rejected, Some(reason)) = (r.status, &r.reject_reason) {
        facts.push(Fact::new(t!("requests-fact-why-rejected"), reason.as_str()));
    }
    if let Some(edited) = r.edited_at {
        facts.push(Fact::new(
            t!("requests-fact-edited"),
            kit::when(edited, now, tz),
        ));
    }
    if comments > 0 {
        facts.push(Fact::new(
            t!("requests-fact-comments"),
            kit::count(comments as i64),
        ));
    }
    let files: Vec<Line> = r
        .attachments
        .as_deref()
        .and_then(|a| serde_json::from_str::<Vec<Value>>(a).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|f| {
            let name = f["name"]
                .as_str()
                .map_or_else(|| t!("requests-attachment"), str::to_owned);
            match f["url"].as_str() {
                Some(url) => Line::new(format!("📎 [{name}]({url})")),
                None => Line::new(format!("📎 {name}")),
            }
        })
        .collect();
    use RequirementStatus as S;
    let live = r.deleted_at.is_none();
    let open = live && !matches!(r.status, S::Done | S::Rejected);
    let title = shown_title(&r.title);
    RequestCard {
        id: r.id,
        detail: false,
        key: r.key(),
        summary: format!("{}: {title} ({status})", r.key()),
        title,
        show_accept: live && matches!(r.status, S::New | S::Rejected),
        show_start: live && matches!(r.status, S::New | S::Accepted),
        show_done: open,
        show_reject: open,
        show_assign: open,
        history: Vec::new(),
        comments: Vec::new(),
        status,
        status_color: color.to_owned(),
        facts,
        files,
        deleted: r
            .deleted_at
            .map(|d| t!("requests-deleted", ago = kit::ago(d, now))),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::i18n::{self, Lang, english_besides};
    use crate::store::Change;

    fn person(name: &str) -> Person {
        Person {
            aad_object_id: Some(format!("aad-{name}")),
            name: Some(name.to_owned()),
            teams_id: Some(format!("29:{name}")),
        }
    }

    fn requirement(status: RequirementStatus) -> Requirement {
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 1, 12, 0).unwrap();
        Requirement {
            id: 12,
            status,
            title: "매장별 일 매출 대시보드".to_owned(),
            body: "매장별 일 매출 대시보드".to_owned(),
            attachments: Some(r#"[{"name":"매출_정의.xlsx","url":"https://x.example.com/f"},{"name":null,"url":null}]"#.to_owned()),
            author: person("김민지"),
            assignee: person("박지훈"),
            reject_reason: Some("mart.churn에 이미 있습니다".to_owned()),
            channel_id: "19:requests@thread.tacv2".to_owned(),
            teams_message_id: "1001".to_owned(),
            conversation_id: "19:requests@thread.tacv2;messageid=1001".to_owned(),
            service_url: "https://smba.trafficmanager.net/amer/".to_owned(),
            card_activity_id: None,
            created_at: at,
            updated_at: at,
            edited_at: Some(at + chrono::Duration::hours(1)),
            closed_at: None,
            deleted_at: Some(at + chrono::Duration::hours(2)),
        }
    }

    const DATA: &[&str] = &["mart.churn", "https://x.example.com/f", "매출_정의.xlsx"];

    #[test]
    fn the_requirement_card_is_drawn_in_korean() {
        let r = requirement(RequirementStatus::Rejected);
        let now = r.created_at + chrono::Duration::hours(3);

        let card = i18n::sync_scope(Lang::Ko, || {
            crate::cards::views::render(&card(&r, 2, now, chrono_tz::Asia::Seoul)).expect("renders")
        });

        let text = crate::cards::kit::to_text(&card);
        for expected in [
            "REQ-12 · 매장별 일 매출 대시보드",
            "요청 채널에 올라온 요청",
            "🚫 반려",
            "상태: 🚫 반려",
            "요청자: 김민지",
            "요청 시각: 2026년 11월 25일 10:12 KST (3시간 전)",
            "담당자: 박지훈",
            "반려 사유: mart.churn에 이미 있습니다",
            "수정 시각: 2026년 11월 25일 11:12 KST (2시간 전)",
            "댓글: 2",
            "📎 첨부 파일",
            "🗑️ 메시지가 삭제되었습니다(1시간 전). 요청 기록은 그대로 남겨 둡니다.",
            "Doberman은 이 채널의 모든 메시지를 요청으로 관리합니다.",
        ] {
            assert!(text.contains(expected), "{expected:?} in:\n{text}");
        }
        assert_eq!(english_besides(&text, DATA), Vec::<String>::new(), "{text}");
        assert_eq!(
            card["fallbackText"],
            "REQ-12: 매장별 일 매출 대시보드 (🚫 반려)"
        );
    }

    #[test]
    fn the_requirement_cards_buttons_are_in_korean() {
        let mut r = requirement(RequirementStatus::New);
        r.deleted_at = None;
        let now = r.created_at;

        let card = i18n::sync_scope(Lang::Ko, || {
            crate::cards::views::render(&card(&r, 0, now, chrono_tz::Asia::Seoul)).expect("renders")
        });

        let titles: Vec<&str> = card["actions"]
            .as_array()
            .expect("buttons")
            .iter()
            .filter_map(|a| a["title"].as_str())
            .collect();
        assert_eq!(titles, ["접수", "시작", "완료", "반려", "내가 담당"]);
        let reject = &card["actions"][3]["card"];
        assert_eq!(
            reject["body"][0]["label"],
            "반려 사유 (요청자에게 보입니다)"
        );
        assert_eq!(
            reject["body"][0]["errorMessage"],
            "반려 사유를 입력해 주세요"
        );
        assert_eq!(reject["actions"][0]["title"], "반려");
        assert_eq!(crate::cards::kit::problems(&card), Vec::<String>::new());
    }

    #[test]
    fn the_requirement_card_in_english_is_as_before() {
        let mut r = requirement(RequirementStatus::InProgress);
        r.deleted_at = None;
        r.edited_at = None;
        let now = r.created_at + chrono::Duration::hours(3);

        let card = crate::cards::views::render(&card(&r, 0, now, chrono_tz::Asia::Seoul))
            .expect("renders");

        let text = crate::cards::kit::to_text(&card);
        assert_eq!(
            text,
            "🐕\nREQ-12 · 매장별 일 매출 대시보드\nRequirement from the request channel\n🛠️ in progress\n\
             Status: 🛠️ in progress\nAsked by: 김민지\nAsked: 2026-11-25 10:12 KST (3h ago)\nAssignee: 박지훈\n\
             📎 [매출_정의.xlsx](https://x.example.com/f)\n📎 attachment\n\
             Doberman tracks every message of this channel as a requirement. Reply in this thread to comment."
        );
        let titles: Vec<&str> = card["actions"]
            .as_array()
            .expect("buttons")
            .iter()
            .filter_map(|a| a["title"].as_str())
            .collect();
        assert_eq!(titles, ["Done", "Reject", "Assign to me"]);
    }

    #[test]
    fn a_message_without_text_is_titled_in_the_readers_language() {
        assert_eq!(title_of("  \n "), NO_TEXT);
        assert_eq!(shown_title(NO_TEXT), "(no text)");
        assert_eq!(
            i18n::sync_scope(Lang::Ko, || shown_title(NO_TEXT)),
            "(내용 없음)"
        );
        assert_eq!(i18n::sync_scope(Lang::Ko, || shown_title("Churn")), "Churn");
    }

    #[test]
    fn the_author_is_told_of_a_change_in_the_current_language() {
        let r = requirement(RequirementStatus::Accepted);
        let park = person("박지훈");
        let lee = person("이서연");
        for (change, en, ko) in [
            (
                Change::Accept,
                "<at>김민지</at> **REQ-12** was accepted by 박지훈.",
                "<at>김민지</at> **REQ-12** 요청을 박지훈 님이 접수했습니다.",
            ),
            (
                Change::Start,
                "<at>김민지</at> **REQ-12** is in progress (박지훈).",
                "<at>김민지</at> **REQ-12** 요청을 박지훈 님이 시작했습니다.",
            ),
            (
                Change::Done,
                "<at>김민지</at> **REQ-12** is done ✅ (박지훈).",
                "<at>김민지</at> **REQ-12** 요청이 완료되었습니다 ✅ (박지훈).",
            ),
            (
                Change::Reject("이미 있습니다".to_owned()),
                "<at>김민지</at> **REQ-12** was rejected by 박지훈: 이미 있습니다.",
                "<at>김민지</at> **REQ-12** 요청을 박지훈 님이 반려했습니다. 사유: 이미 있습니다",
            ),
            (
                Change::Assign(lee.clone()),
                "<at>김민지</at> **REQ-12** is assigned to 이서연 (by 박지훈).",
                "<at>김민지</at> **REQ-12** 요청의 담당자가 이서연 님으로 지정되었습니다 (지정: 박지훈).",
            ),
        ] {
            let (text, mention) = notice(&r, &change, &park);
            assert_eq!(text, en, "{change:?} in English");
            assert_eq!(mention.expect("a mention")["mentioned"]["id"], "29:김민지");
            let (text, _) = i18n::sync_scope(Lang::Ko, || notice(&r, &change, &park));
            assert_eq!(text, ko, "{change:?} in Korean");
        }
        let mut anonymous = r.clone();
        anonymous.author = Person::default();
        let (text, mention) = i18n::sync_scope(Lang::Ko, || {
            notice(&anonymous, &Change::Accept, &Person::default())
        });
        assert_eq!(
            text,
            "**REQ-12** 요청을 알 수 없는 사용자 님이 접수했습니다."
        );
        assert!(mention.is_none());
    }

    #[test]
    fn every_status_has_a_korean_label() {
        use RequirementStatus as S;
        let ko: Vec<String> = i18n::sync_scope(Lang::Ko, || {
            [S::New, S::Accepted, S::InProgress, S::Done, S::Rejected]
                .into_iter()
                .map(|s| status_label(s).0)
                .collect()
        });
        assert_eq!(
            ko,
            ["🆕 신규", "👍 접수", "🛠️ 진행 중", "✅ 완료", "🚫 반려"]
        );
        assert_eq!(
            status_label(S::InProgress),
            ("🛠️ in progress".to_owned(), "Warning")
        );
    }
}
