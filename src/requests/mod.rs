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
use crate::teams::Activity;

pub mod service;
pub mod text;

pub use service::{Requests, notice};

/// Longest title kept (the first line of a message can be a whole paragraph).
const MAX_TITLE: usize = 200;

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
        .unwrap_or("(no text)");
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

/// How a status reads on the card.
pub fn status_label(status: RequirementStatus) -> (&'static str, &'static str) {
    match status {
        RequirementStatus::New => ("🆕 new", "Accent"),
        RequirementStatus::Accepted => ("👍 accepted", "Accent"),
        RequirementStatus::InProgress => ("🛠️ in progress", "Warning"),
        RequirementStatus::Done => ("✅ done", "Good"),
        RequirementStatus::Rejected => ("🚫 rejected", "Attention"),
    }
}

/// The thread card of a requirement (`cards/request.json`), without its history and comments.
pub fn card(
    r: &Requirement,
    comments: usize,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> RequestCard {
    let (status, color) = status_label(r.status);
    let author = r
        .author
        .name
        .clone()
        .unwrap_or_else(|| "someone".to_owned());
    let mut facts = vec![
        Fact::new("Status", status),
        Fact::new("Asked by", author),
        Fact::new("Asked", kit::when(r.created_at, now, tz)),
    ];
    if let Some(assignee) = &r.assignee.name {
        facts.push(Fact::new("Assignee", assignee.as_str()));
    }
    if let (RequirementStatus::Rejected, Some(reason)) = (r.status, &r.reject_reason) {
        facts.push(Fact::new("Why rejected", reason.as_str()));
    }
    if let Some(edited) = r.edited_at {
        facts.push(Fact::new("Edited", kit::when(edited, now, tz)));
    }
    if comments > 0 {
        facts.push(Fact::new("Comments", kit::count(comments as i64)));
    }
    let files: Vec<Line> = r
        .attachments
        .as_deref()
        .and_then(|a| serde_json::from_str::<Vec<Value>>(a).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|f| {
            let name = f["name"].as_str().unwrap_or("attachment").to_owned();
            match f["url"].as_str() {
                Some(url) => Line::new(format!("📎 [{name}]({url})")),
                None => Line::new(format!("📎 {name}")),
            }
        })
        .collect();
    use RequirementStatus as S;
    let live = r.deleted_at.is_none();
    let open = live && !matches!(r.status, S::Done | S::Rejected);
    RequestCard {
        id: r.id,
        detail: false,
        key: r.key(),
        title: r.title.clone(),
        show_accept: live && matches!(r.status, S::New | S::Rejected),
        show_start: live && matches!(r.status, S::New | S::Accepted),
        show_done: open,
        show_reject: open,
        show_assign: open,
        history: Vec::new(),
        comments: Vec::new(),
        status: status.to_owned(),
        status_color: color.to_owned(),
        facts,
        files,
        deleted: r
            .deleted_at
            .map(|d| format!("The message was deleted {}; the requirement is kept.", kit::ago(d, now))),
        summary: format!("{}: {} ({status})", r.key(), r.title),
        footer: "Doberman tracks every message of this channel as a requirement. Reply in this thread to comment."
            .to_owned(),
    }
}
