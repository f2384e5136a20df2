//! Bot Framework activities as Teams sends and receives them. Lenient on input: every field but `type` is
//! optional, unknown fields are ignored.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A Bot Framework activity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    /// `message`, `conversationUpdate`, `installationUpdate`, `invoke`, `typing`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The activity id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When it was sent (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// `msteams` for Teams.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<String>,
    /// Where to send answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_url: Option<String>,
    /// The sender.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<ChannelAccount>,
    /// The conversation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversation: Option<ConversationAccount>,
    /// The receiver (the bot, on inbound activities).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient: Option<ChannelAccount>,
    /// Message text (Teams sends mentions as `<at>Name</at>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `plain`, `markdown` or `xml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text_format: Option<String>,
    /// Cards and files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    /// Mentions and other entities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entities: Option<Vec<Value>>,
    /// The activity this one answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to_id: Option<String>,
    /// The sender's locale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Teams-specific data: tenant, team, channel, event type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_data: Option<Value>,
    /// Card submit values and invoke payloads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Invoke name, e.g. `adaptiveCard/action`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `add` or `remove` on `installationUpdate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Members added, on `conversationUpdate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members_added: Option<Vec<ChannelAccount>>,
    /// Members removed, on `conversationUpdate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members_removed: Option<Vec<ChannelAccount>>,
    /// Notification text shown when the message itself cannot be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// A user or bot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelAccount {
    /// Teams id: `29:…` for people, `28:<app id>` for bots.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Entra object id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aad_object_id: Option<String>,
}

/// A conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationAccount {
    /// Conversation id.
    pub id: String,
    /// `personal`, `groupChat` or `channel`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_type: Option<String>,
    /// Tenant id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// True for group chats and channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_group: Option<bool>,
    /// Name, for group chats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A card or file attached to an activity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// E.g. `application/vnd.microsoft.card.adaptive`.
    pub content_type: String,
    /// The card itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Value>,
    /// A link to the content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_url: Option<String>,
    /// A file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An id and a name, as Teams gives teams and channels in `channelData`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The id.
    pub id: String,
    /// The name, when Teams sent it.
    pub name: Option<String>,
}

fn named(value: Option<&Value>) -> Option<Named> {
    let value = value?;
    Some(Named {
        id: value.get("id")?.as_str()?.to_owned(),
        name: value.get("name").and_then(Value::as_str).map(str::to_owned),
    })
}

impl Activity {
    /// The tenant: `channelData.tenant.id`, else `conversation.tenantId`.
    pub fn tenant_id(&self) -> Option<&str> {
        self.channel_data
            .as_ref()
            .and_then(|d| d.pointer("/tenant/id"))
            .and_then(Value::as_str)
            .or_else(|| self.conversation.as_ref()?.tenant_id.as_deref())
    }

    /// The sender's locale (`ko-KR`): the activity's `locale`, else its `clientInfo` entity's (Teams sends both on
    /// messages; some clients only the entity).
    pub fn locale_tag(&self) -> Option<&str> {
        self.locale
            .as_deref()
            .filter(|l| !l.trim().is_empty())
            .or_else(|| {
                self.entities
                    .iter()
                    .flatten()
                    .find(|e| e.get("type").and_then(Value::as_str) == Some("clientInfo"))
                    .and_then(|e| e.get("locale"))
                    .and_then(Value::as_str)
            })
    }

    /// The team, for channel conversations.
    pub fn team(&self) -> Option<Named> {
        named(self.channel_data.as_ref()?.get("team"))
    }

    /// The channel, for channel conversations.
    pub fn channel(&self) -> Option<Named> {
        named(self.channel_data.as_ref()?.get("channel"))
    }

    /// `channelData.eventType`, on conversation updates.
    pub fn event_type(&self) -> Option<&str> {
        self.channel_data.as_ref()?.get("eventType")?.as_str()
    }

    /// Whether a mention entity names `id` (the bot's own id, on inbound activities).
    pub fn mentions(&self, id: &str) -> bool {
        self.entities.iter().flatten().any(|e| {
            e.get("type").and_then(Value::as_str) == Some("mention")
                && e.pointer("/mentioned/id").and_then(Value::as_str) == Some(id)
        })
    }

    /// The message text with the mentions of `bot_id` removed, using the mention entities (never the name).
    pub fn text_without_mention_of(&self, bot_id: &str) -> String {
        let mut text = self.text.clone().unwrap_or_default();
        for entity in self.entities.iter().flatten() {
            let is_mention = entity.get("type").and_then(Value::as_str) == Some("mention");
            let of_bot = entity.pointer("/mentioned/id").and_then(Value::as_str) == Some(bot_id);
            if let (true, true, Some(mention)) = (
                is_mention,
                of_bot,
                entity.get("text").and_then(Value::as_str),
            ) {
                text = text.replace(mention, " ");
            }
        }
        text
    }

    /// A message answering this activity in the same conversation (and thread): `from` and `recipient` swapped,
    /// `replyToId` set.
    pub fn reply_with_text(&self, text: impl Into<String>) -> Activity {
        Activity {
            kind: "message".to_owned(),
            channel_id: self.channel_id.clone(),
            service_url: self.service_url.clone(),
            from: self.recipient.clone(),
            recipient: self.from.clone(),
            conversation: self.conversation.clone(),
            reply_to_id: self.id.clone(),
            text: Some(text.into()),
            text_format: Some("markdown".to_owned()),
            ..Activity::default()
        }
    }

    /// A message answering this activity with an Adaptive Card, its `fallbackText` as the summary that
    /// notifications and screen readers show.
    pub fn reply_with_card(&self, card: serde_json::Value) -> Activity {
        let mut activity = self.reply_with_text("");
        activity.text = None;
        activity.text_format = None;
        activity.summary = card["fallbackText"].as_str().map(str::to_owned);
        activity.attachments = Some(vec![Attachment {
            content_type: "application/vnd.microsoft.card.adaptive".to_owned(),
            content: Some(card),
            ..Attachment::default()
        }]);
        activity
    }
}

/// The conversation a channel thread (`19:…@thread.tacv2;messageid=…`) belongs to; other ids as they are.
pub fn base_id(conversation_id: &str) -> &str {
    conversation_id
        .split(";messageid=")
        .next()
        .unwrap_or(conversation_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn channel_message() -> Activity {
        serde_json::from_value(json!({
            "type": "message",
            "id": "1700000000000",
            "channelId": "msteams",
            "serviceUrl": "https://smba.trafficmanager.net/amer/tenant/",
            "from": {"id": "29:user", "name": "김철수", "aadObjectId": "aad-1"},
            "conversation": {"id": "19:c@thread.tacv2;messageid=1700000000000", "conversationType": "channel", "tenantId": "t-conv"},
            "recipient": {"id": "28:bot", "name": "Doberman"},
            "text": "<at>Doberman</at> help <at>Kim</at>",
            "entities": [
                {"type": "mention", "mentioned": {"id": "28:bot", "name": "Doberman"}, "text": "<at>Doberman</at>"},
                {"type": "mention", "mentioned": {"id": "29:kim", "name": "Kim"}, "text": "<at>Kim</at>"},
                {"type": "clientInfo", "locale": "ko-KR"}
            ],
            "channelData": {
                "tenant": {"id": "t-data"},
                "team": {"id": "19:team@thread.tacv2", "name": "데이터팀"},
                "channel": {"id": "19:c@thread.tacv2"},
                "eventType": "channelCreated"
            },
            "unknownField": {"kept": false}
        }))
        .expect("a Teams channel message parses")
    }

    #[test]
    fn teams_fields_are_read_from_channel_data() {
        let activity = channel_message();

        assert_eq!(activity.tenant_id(), Some("t-data"), "channelData wins");
        assert_eq!(
            activity.team(),
            Some(Named {
                id: "19:team@thread.tacv2".into(),
                name: Some("데이터팀".into())
            })
        );
        assert_eq!(activity.channel().map(|c| c.name), Some(None));
        assert_eq!(activity.event_type(), Some("channelCreated"));
    }

    #[test]
    fn only_the_bots_own_mention_is_stripped() {
        let activity = channel_message();

        let text = activity.text_without_mention_of("28:bot");

        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            vec!["help", "<at>Kim</at>"]
        );
    }

    #[test]
    fn a_mention_by_name_alone_is_not_stripped() {
        let mut activity = channel_message();
        activity.entities = None;

        assert!(
            activity
                .text_without_mention_of("28:bot")
                .contains("<at>Doberman</at>")
        );
    }

    #[test]
    fn a_reply_swaps_sender_and_receiver_and_threads() {
        let activity = channel_message();

        let reply = activity.reply_with_text("안녕 🐕");

        assert_eq!(reply.kind, "message");
        assert_eq!(reply.from.as_ref().map(|a| a.id.as_str()), Some("28:bot"));
        assert_eq!(
            reply.recipient.as_ref().map(|a| a.id.as_str()),
            Some("29:user")
        );
        assert_eq!(reply.reply_to_id.as_deref(), Some("1700000000000"));
        assert_eq!(reply.conversation, activity.conversation);
        let json = serde_json::to_value(&reply).expect("serializes");
        assert_eq!(json["text"], "안녕 🐕");
        assert!(json.get("value").is_none(), "absent fields are left out");
    }
}
