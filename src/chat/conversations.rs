//! Conversation references from activities, and the `conversations` admin command.

use chrono::{DateTime, Utc};

use super::Reply;
use super::commands::{Command, Context};
use crate::store::{ConversationChange, ConversationKind, ConversationRef, Store, StoreError};
use crate::t;
use crate::teams::Activity;
use crate::teams::activity::base_id;

/// The reason stored for a conversation Doberman was removed from.
const REMOVED: &str = "Doberman was removed";

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
            reason: REMOVED.to_owned(),
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
        locale: activity.locale_tag().map(str::to_owned),
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

/// The `conversations` command: every place Doberman has heard from, in the asker's language.
pub async fn list(store: &Store, tz: chrono_tz::Tz) -> Result<Reply, StoreError> {
    let all = store.conversations(false).await?;
    if all.is_empty() {
        return Ok(Reply::Text(t!("conversations-none")));
    }
    let active = all.iter().filter(|c| c.active).count();
    let mut text = t!("conversations-intro", n = all.len(), active = active);
    text.push_str("\n\n");
    let now = crate::store::now();
    for c in &all {
        let place = match c.kind {
            ConversationKind::Channel => {
                // A team's General channel has the team's id, and Teams does not send its name.
                let general = c.channel_id.is_some() && c.channel_id == c.team_id;
                let channel = c.channel_name.clone().unwrap_or_else(|| {
                    if general {
                        t!("conversations-general")
                    } else {
                        t!("conversations-unnamed")
                    }
                });
                let team = c
                    .team_name
                    .clone()
                    .unwrap_or_else(|| t!("conversations-unnamed"));
                t!("conversations-channel", channel = channel, team = team)
            }
            ConversationKind::Group => t!("conversations-group"),
            ConversationKind::Personal => t!(
                "conversations-personal",
                name = c
                    .user_name
                    .clone()
                    .unwrap_or_else(|| t!("conversations-someone"))
            ),
        };
        let state = if c.active {
            t!("conversations-active")
        } else {
            let reason = match c.inactive_reason.as_deref() {
                // What `change_of` stores (tests and old rows read it so): said in the asker's words.
                Some(REMOVED) => t!("conversations-removed"),
                Some(other) => crate::i18n::Msg::render_stored(other, now, tz),
                None => t!("conversations-unknown-reason"),
            };
            t!("conversations-inactive", reason = reason)
        };
        text.push_str(&t!(
            "conversations-line",
            place = place,
            state = state,
            seen = crate::i18n::fmt::time(c.last_seen_at, tz)
        ));
        text.push('\n');
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
