//! Conversation references from activities, and the `conversations` admin command.

use chrono::{DateTime, Utc};

use super::Reply;
use super::commands::{Command, Context};
use crate::store::{ConversationChange, ConversationKind, ConversationRef, Store, StoreError};
use crate::teams::Activity;
use crate::teams::activity::base_id;

/// What `activity` tells of its conversation: it was seen (its reference), or Doberman was removed from it.
pub fn change_of(activity: &Activity, now: DateTime<Utc>) -> Option<ConversationChange> {
    let bot_id = activity.recipient.as_ref().map_or("", |r| r.id.as_str());
    let removed = match activity.kind.as_str() {
        "installationUpdate" => activity
            .action
            .as_deref()
            .is_some_and(|a| a.starts_with("remove")),
        "conversationUpdate" => activity
            .members_removed
            .iter()
            .flatten()
            .any(|m| m.id == bot_id),
        _ => false,
    };
    let reference = reference_of(activity, now)?;
    Some(if removed {
        ConversationChange::Removed {
            conversation_id: reference.conversation_id,
            reason: "Doberman was removed".to_owned(),
        }
    } else {
        ConversationChange::Seen(Box::new(reference))
    })
}

/// The reference an activity gives of its conversation; `None` when it lacks a conversation or service URL.
/// A channel thread (`19:…;messageid=…`) refers to its channel.
pub fn reference_of(activity: &Activity, seen_at: DateTime<Utc>) -> Option<ConversationRef> {
    let conversation = activity.conversation.as_ref()?;
    let service_url = activity.service_url.clone()?;
    let kind = match conversation.conversation_type.as_deref() {
        Some("channel") => ConversationKind::Channel,
        Some("groupChat") => ConversationKind::Group,
        Some("personal") => ConversationKind::Personal,
        _ if conversation.is_group == Some(true) => ConversationKind::Group,
        _ => ConversationKind::Personal,
    };
    let base_id = base_id(&conversation.id).to_owned();
    let (team, channel) = (activity.team(), activity.channel());
    let personal = kind == ConversationKind::Personal;
    let from = activity.from.as_ref().filter(|_| personal);
    Some(ConversationRef {
        conversation_id: base_id.clone(),
        kind,
        service_url,
        tenant_id: activity.tenant_id().map(str::to_owned),
        bot_id: activity.recipient.as_ref().map(|r| r.id.clone()),
        team_id: team.as_ref().map(|t| t.id.clone()),
        team_name: team.and_then(|t| t.name),
        channel_id: match (&channel, kind) {
            (Some(c), _) => Some(c.id.clone()),
            (None, ConversationKind::Channel) => Some(base_id),
            _ => None,
        },
        channel_name: channel.and_then(|c| c.name),
        user_id: from.map(|f| f.id.clone()),
        user_aad_object_id: from.and_then(|f| f.aad_object_id.clone()),
        user_name: from.and_then(|f| f.name.clone()),
        active: true,
        inactive_reason: None,
        first_seen_at: seen_at,
        last_seen_at: seen_at,
    })
}

/// The `conversations` command: every place Doberman has heard from.
pub async fn list(store: &Store, tz: chrono_tz::Tz) -> Result<Reply, StoreError> {
    let all = store.conversations(false).await?;
    if all.is_empty() {
        return Ok(Reply::Text(
            "Nobody has talked to me yet: install me in a team or chat.".to_owned(),
        ));
    }
    let active = all.iter().filter(|c| c.active).count();
    let mut text = format!(
        "I know {} conversation(s), {active} where I may post:\n\n",
        all.len()
    );
    for c in &all {
        let place = match c.kind {
            ConversationKind::Channel => {
                // A team's General channel has the team's id, and Teams does not send its name.
                let general = c.channel_id.is_some() && c.channel_id == c.team_id;
                let channel = c.channel_name.as_deref().unwrap_or(if general {
                    "General"
                } else {
                    "(unnamed)"
                });
                format!(
                    "channel **{channel}** in team **{}**",
                    c.team_name.as_deref().unwrap_or("(unnamed)")
                )
            }
            ConversationKind::Group => "group chat".to_owned(),
            ConversationKind::Personal => format!(
                "personal chat with **{}**",
                c.user_name.as_deref().unwrap_or("someone")
            ),
        };
        let state = if c.active {
            "active".to_owned()
        } else {
            format!(
                "inactive: {}",
                c.inactive_reason.as_deref().unwrap_or("unknown reason")
            )
        };
        text.push_str(&format!(
            "- {place} — {state}, last seen {}\n",
            c.last_seen_at
                .with_timezone(&tz)
                .format("%Y-%m-%d %H:%M %Z")
        ));
    }
    Ok(Reply::Text(text))
}

/// `conversations` (admins).
pub struct List;

impl Command for List {
    type Args = ();

    async fn run(&self, cx: &Context<'_>, (): ()) -> Result<Reply, StoreError> {
        list(&cx.chat.store, cx.chat.settings.timezone).await
    }
}
