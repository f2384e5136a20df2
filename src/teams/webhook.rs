//! Teams Workflows webhooks ("When a Teams webhook request is received" → post to a channel): the replacement of
//! the retired Office 365 connectors, for channels where the bot is not installed. They take an Adaptive Card in
//! a message wrapper, at most version 1.4, and no Action.Submit or Action.Execute.

use std::time::Duration;

use serde_json::{Value, json};

use crate::config::Secret;

/// The highest card version Workflows accepts.
pub const WEBHOOK_CARD_VERSION: &str = "1.4";
/// One attempt's limit.
const TIMEOUT: Duration = Duration::from_secs(15);

/// Why a webhook call failed.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// Worth trying again later (429, 5xx, timeouts); `retry_after` when the flow said when.
    #[error("the webhook is unavailable for now: {reason}")]
    Later {
        /// What happened (never the URL: it carries the flow's signature).
        reason: String,
        /// The flow's `Retry-After`.
        retry_after: Option<Duration>,
    },
    /// Refused for good (4xx): the flow was deleted or the payload is wrong.
    #[error("the webhook refused the message: HTTP {0}")]
    Refused(u16),
}

/// The payload a Workflows webhook takes: `card` brought down to what it renders (version 1.4, no
/// Execute/Submit actions).
pub fn payload(card: &Value) -> Value {
    let mut card = card.clone();
    card["version"] = json!(WEBHOOK_CARD_VERSION);
    if let Some(actions) = card.get_mut("actions").and_then(Value::as_array_mut) {
        actions.retain(|a| !matches!(a["type"].as_str(), Some("Action.Execute" | "Action.Submit")));
        if actions.is_empty() {
            card.as_object_mut().map(|o| o.remove("actions"));
        }
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": card,
        }]
    })
}

/// Posts `card` to the webhook at `url`, once: retries belong to the outbox, which keeps the message meanwhile.
pub async fn send(http: &reqwest::Client, url: &Secret, card: &Value) -> Result<(), WebhookError> {
    let response = http
        .post(url.expose())
        .timeout(TIMEOUT)
        .json(&payload(card))
        .send()
        .await
        .map_err(|e| WebhookError::Later {
            reason: e.without_url().to_string(),
            retry_after: None,
        })?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    if status.as_u16() == 429 || status.as_u16() == 408 || status.is_server_error() {
        return Err(WebhookError::Later {
            reason: format!("HTTP {status}"),
            retry_after: super::connector::parse_retry_after(response.headers().get("retry-after")),
        });
    }
    Err(WebhookError::Refused(status.as_u16()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_wraps_a_1_4_card_without_execute_actions() {
        let card = json!({
            "type": "AdaptiveCard", "version": "1.5", "body": [],
            "actions": [
                { "type": "Action.Execute", "verb": "alert.ack" },
                { "type": "Action.OpenUrl", "url": "https://superset.example.com" }
            ]
        });

        let p = payload(&card);

        assert_eq!(p["type"], "message");
        let content = &p["attachments"][0]["content"];
        assert_eq!(
            p["attachments"][0]["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
        assert_eq!(content["version"], "1.4");
        assert_eq!(content["actions"].as_array().map(Vec::len), Some(1));
        assert_eq!(content["actions"][0]["type"], "Action.OpenUrl");
        let only_execute = json!({ "type": "AdaptiveCard", "version": "1.5", "actions": [{ "type": "Action.Execute" }] });
        assert!(
            payload(&only_execute)["attachments"][0]["content"]
                .get("actions")
                .is_none()
        );
    }
}
