//! The delivery worker: claims due outbox messages, draws each card from the store as it is now, sends it through
//! the connector client (its pacer keeps each conversation within Teams' limits and its retries honour 429 and
//! `Retry-After`) or a Workflows webhook, and records the outcome: the Teams id of a post (for updates in place),
//! a later attempt with back-off, or a destination Doberman was removed from, marked inactive.
//!
//! Each card is drawn in the language of the conversation it goes to (the one set there with `language`, else the
//! locale its people write in), webhooks and conversations of unknown language in `chat.default_locale`.
//!
//! Killed at any point, nothing is lost: a message is marked sent only after Teams accepted it, so the one in
//! flight at that moment is sent again once its claim lapses (`alerts.claim_secs`), the only duplicate possible.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::Value;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::Alerts;
use crate::config::Secret;
use crate::i18n::Lang;
use crate::store::OutboxItem;
use crate::supervise::Health;
use crate::teams::webhook::{self, WebhookError};
use crate::teams::{Activity, Attachment, ConnectorClient, ConnectorError, ConversationAccount};

/// Attempts before a message is given up (the back-off reaches an hour; about half a day in all).
pub const MAX_ATTEMPTS: i64 = 16;
/// Messages claimed at a time: a process killed mid-batch leaves at most these to the claim's lapse (or to its
/// restart, which releases them at once).
const BATCH: i64 = 32;
/// Destinations sent to at once (each one's messages in order).
const PARALLEL: usize = 16;
/// How often the outbox is looked at without a wake-up (messages of other replicas, retries coming due).
const POLL: Duration = Duration::from_secs(2);
/// The delivery loop's name in [`Health`].
pub const LOOP: &str = "alerts.deliver";
/// How long the delivery loop may go without a pass or a message before `/readyz` says so: longer than one
/// message's worst case (its call's retries, 30 s).
const STALL_AFTER: Duration = Duration::from_secs(120);

/// Why a send did not go through.
#[derive(Debug)]
enum Failure {
    /// Try again at the earliest after the given wait (or the back-off).
    Later(String, Option<Duration>),
    /// Doberman may not post there any more.
    Gone(String),
    /// Refused for good; the destination stays.
    Refused(String),
}

/// Sends what the outbox holds.
#[derive(Debug)]
pub struct Deliverer {
    alerts: Arc<Alerts>,
    connector: Arc<ConnectorClient>,
    http: reqwest::Client,
    holder: String,
    webhooks: BTreeMap<String, Secret>,
}

impl Deliverer {
    /// A worker named `holder` (its claims carry the name).
    pub fn new(
        alerts: Arc<Alerts>,
        connector: Arc<ConnectorClient>,
        http: reqwest::Client,
        holder: String,
    ) -> Deliverer {
        let webhooks = alerts
            .settings()
            .alerts
            .webhooks
            .iter()
            .map(|w| (w.topic.clone(), Secret::new(w.url.clone())))
            .collect();
        Deliverer {
            alerts,
            connector,
            http,
            holder,
            webhooks,
        }
    }

    /// Delivers until `cancel`: at once when woken, otherwise every couple of seconds, reporting each pass and
    /// each message to `health` (as [`LOOP`]). Starts by releasing the claims of an earlier process on this host
    /// that is gone (killed, crashed), so its messages go out now.
    pub async fn run(self: Arc<Self>, cancel: CancellationToken, health: Arc<Health>) {
        // A polling loop: it passes every couple of seconds, so one that stops passing is stuck or dead.
        health.register(LOOP, STALL_AFTER);
        health.waiting(LOOP, 1);
        self.release_dead_claims().await;
        let wake = self.alerts.wake();
        loop {
            let handled = self.deliver_due_reporting(Some(&health)).await;
            health.progress(LOOP);
            if cancel.is_cancelled() {
                return;
            }
            if handled == 0 {
                tokio::select! {
                    () = wake.notified() => {}
                    () = tokio::time::sleep(POLL) => {}
                    () = cancel.cancelled() => return,
                }
            }
        }
    }

    /// Releases the claims of processes of this host that no longer run (see `supervise::holder_is_gone`).
    async fn release_dead_claims(&self) {
        let store = self.alerts.store();
        let holders = match store.outbox_claim_holders().await {
            Ok(holders) => holders,
            Err(e) => {
                tracing::warn!(error = %crate::common::error_chain(&e), "cannot read the outbox claims");
                return;
            }
        };
        for holder in holders
            .iter()
            .filter(|h| crate::supervise::holder_is_gone(h, &self.holder))
        {
            match store.release_outbox_claims(holder).await {
                Ok(n) => {
                    tracing::info!(%holder, messages = n, "released the claims of a process that is gone")
                }
                Err(e) => {
                    tracing::warn!(error = %crate::common::error_chain(&e), "cannot release outbox claims")
                }
            }
        }
    }

    /// Claims the due messages and sends them: destinations in parallel, each one's in order. How many were
    /// handled (sent, rescheduled or given up).
    pub async fn deliver_due(&self) -> usize {
        self.deliver_due_reporting(None).await
    }

    async fn deliver_due_reporting(&self, health: Option<&Health>) -> usize {
        let store = self.alerts.store();
        let now = crate::store::now();
        let claim = chrono::Duration::seconds(i64::from(self.alerts.settings().alerts.claim_secs));
        let items = match store
            .claim_outbox(&self.holder, now, now + claim, BATCH)
            .await
        {
            Ok(items) => items,
            Err(e) => {
                tracing::warn!(error = %crate::common::error_chain(&e), "cannot read the outbox");
                return 0;
            }
        };
        let handled = items.len();
        let mut by_destination: BTreeMap<String, Vec<OutboxItem>> = BTreeMap::new();
        for item in items {
            by_destination
                .entry(item.destination.clone())
                .or_default()
                .push(item);
        }
        futures_util::stream::iter(by_destination.into_values())
            .for_each_concurrent(PARALLEL, |items| async move {
                for item in items {
                    self.deliver(&item).await;
                    if let Some(health) = health {
                        health.progress(LOOP);
                    }
                }
            })
            .await;
        handled
    }

    async fn deliver(&self, item: &OutboxItem) {
        let store = self.alerts.store();
        // The batch's earlier sends may have taken a while: renew the claim, or leave the message if it lapsed and
        // another worker has it now.
        let claim = chrono::Duration::seconds(i64::from(self.alerts.settings().alerts.claim_secs));
        match store
            .renew_outbox_claim(item, &self.holder, crate::store::now() + claim)
            .await
        {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => {
                tracing::warn!(error = %crate::common::error_chain(&e), "cannot renew an outbox claim");
                return;
            }
        }
        let span = tracing::info_span!("deliver", outbox = item.id, operation = %item.operation, kind = %item.kind);
        self.record(item, self.send(item).instrument(span.clone()).await)
            .instrument(span)
            .await;
    }

    /// Records how a send went: sent, tried again later, given up, or its destination gone.
    async fn record(&self, item: &OutboxItem, sent: Result<Option<String>, Failure>) {
        let store = self.alerts.store();
        let result = match sent {
            Ok(activity_id) => {
                store
                    .outbox_sent(item, activity_id.as_deref(), crate::store::now())
                    .await
            }
            Err(Failure::Later(reason, after)) if item.attempts + 1 < MAX_ATTEMPTS => {
                let wait = after.unwrap_or_else(|| backoff(item.attempts));
                tracing::warn!(%reason, ?wait, attempts = item.attempts + 1, "delivery failed; trying again later");
                let next = crate::clock::now()
                    + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                store.outbox_retry(item, &self.holder, next, &reason).await
            }
            Err(Failure::Later(reason, _)) => {
                tracing::error!(%reason, attempts = item.attempts + 1, "delivery failed too often; giving the message up");
                store.outbox_drop(item, &self.holder, &reason, false).await
            }
            Err(Failure::Refused(reason)) => {
                tracing::error!(%reason, "the message was refused; giving it up");
                store.outbox_drop(item, &self.holder, &reason, false).await
            }
            Err(Failure::Gone(reason)) => {
                tracing::warn!(%reason, destination = %item.destination, "Doberman may no longer post there; marking it inactive");
                // The conversation first: whoever sees the message dropped sees the conversation inactive too (and
                // a crash in between leaves the message to be tried, and dropped, again).
                if !item.destination.starts_with("webhook:")
                    && let Err(e) = store
                        .deactivate_conversation(&item.destination, &reason)
                        .await
                {
                    tracing::error!(error = %crate::common::error_chain(&e), "cannot mark the conversation inactive");
                }
                store.outbox_drop(item, &self.holder, &reason, true).await
            }
        };
        if let Err(e) = result {
            // The claim lapses and the message is tried again: a duplicate at worst.
            tracing::error!(error = %crate::common::error_chain(&e), "cannot record a delivery");
        }
    }

    /// Sends one message; the new activity's id for a post. A card is drawn in its destination's language.
    async fn send(&self, item: &OutboxItem) -> Result<Option<String>, Failure> {
        if item.kind == "reply" {
            // Written when it was first answered, in the asker's language.
            return self.send_reply(item).await.map(|()| None);
        }
        let lang = self.alerts.language_of(&item.destination).await;
        crate::i18n::scope(lang, self.send_card(item)).await
    }

    /// Draws and sends the card of an alert or heartbeat message.
    async fn send_card(&self, item: &OutboxItem) -> Result<Option<String>, Failure> {
        let now = crate::store::now();
        let card = match (item.kind.as_str(), item.card_id) {
            ("heartbeat", _) => {
                let data: Value = item
                    .payload
                    .as_deref()
                    .and_then(|p| serde_json::from_str(p).ok())
                    .ok_or_else(|| {
                        Failure::Refused("the heartbeat's data is unreadable".to_owned())
                    })?;
                super::render_heartbeat(&data)
            }
            (_, Some(card)) => {
                let card = self
                    .alerts
                    .store()
                    .alert_card(card, now)
                    .await
                    .map_err(|e| Failure::Later(crate::common::error_chain(&e), None))?
                    .ok_or_else(|| Failure::Refused(format!("alert card {card} does not exist")))?;
                if item.payload.as_deref() == Some(crate::store::WEBHOOK_OPENED)
                    && card.closed_at.is_some()
                {
                    tracing::info!(
                        card = card.id,
                        "the card resolved before its webhook post went out: only the resolution is posted"
                    );
                    return Ok(None);
                }
                self.alerts.render(&card, now)
            }
            _ => return Err(Failure::Refused("a message without a card".to_owned())),
        };
        if let Some(topic) = item.destination.strip_prefix("webhook:") {
            let url = self.webhooks.get(topic).ok_or_else(|| {
                Failure::Gone(format!("no webhook is configured for `{topic}` any more"))
            })?;
            return match webhook::send(&self.http, url, &card).await {
                Ok(()) => Ok(None),
                Err(WebhookError::Later {
                    reason,
                    retry_after,
                }) => Err(Failure::Later(reason, retry_after)),
                Err(e @ WebhookError::Refused(404 | 410)) => Err(Failure::Gone(e.to_string())),
                Err(e) => Err(Failure::Refused(e.to_string())),
            };
        }
        let conversation = self
            .alerts
            .store()
            .conversation(&item.destination)
            .await
            .map_err(|e| Failure::Later(crate::common::error_chain(&e), None))?
            .filter(|c| c.active)
            .ok_or_else(|| {
                Failure::Gone("Doberman is not in this conversation any more".to_owned())
            })?;
        let activity = message(&item.destination, conversation.tenant_id.clone(), card);
        let update = item.operation == "update";
        let result = match item.activity_id.as_deref().filter(|_| update) {
            Some(id) => self
                .connector
                .update_activity(&conversation.service_url, &item.destination, id, &activity)
                .await
                .map(|_| None),
            None => self
                .connector
                .send_to_conversation(&conversation.service_url, &item.destination, &activity)
                .await
                .map(|sent| sent.id.filter(|id| !id.is_empty())),
        };
        result.or_else(|e| maybe_sent(e, update))
    }

    /// Sends a chat answer Teams did not take when it was first sent (its payload says where, and what).
    async fn send_reply(&self, item: &OutboxItem) -> Result<(), Failure> {
        let answer: crate::teams::Answer = item
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .ok_or_else(|| Failure::Refused("the answer's payload is unreadable".to_owned()))?;
        answer
            .send(&self.connector)
            .await
            .or_else(|e| maybe_sent(e, false).map(|_| ()))
    }
}

impl Alerts {
    /// The language of cards sent to `destination`: the conversation's (set with `language`, else its last
    /// activity's locale), else `chat.default_locale` (webhooks, conversations that never said, a store that
    /// cannot be read).
    pub(crate) async fn language_of(&self, destination: &str) -> Lang {
        if destination.starts_with("webhook:") {
            return self.settings.lang;
        }
        match self.store.conversation_language(destination).await {
            Ok(lang) => lang.unwrap_or(self.settings.lang),
            Err(e) => {
                tracing::warn!(error = %crate::common::error_chain(&e), "cannot read a conversation's language; the default instead");
                self.settings.lang
            }
        }
    }
}

/// A post that may have reached Teams counts as sent (without its id: a later update of it is posted anew),
/// since sending it again could show it twice; other errors are failures.
fn maybe_sent(e: ConnectorError, update: bool) -> Result<Option<String>, Failure> {
    match e {
        // Teams took it, or may have: either way not again.
        ConnectorError::Uncertain(_) | ConnectorError::Protocol(_) => {
            tracing::warn!(error = %e, "a message may or may not have reached Teams; it is not sent twice");
            Ok(None)
        }
        e => Err(failure(e, update)),
    }
}

/// How a connector error counts for an outbox message; `update`: the message was an update of an earlier post.
fn failure(e: ConnectorError, update: bool) -> Failure {
    match e {
        // An update of a message someone deleted: the conversation itself is fine.
        ConnectorError::ConversationNotFound if update => Failure::Refused(e.to_string()),
        e if e.conversation_gone() => Failure::Gone(e.to_string()),
        e @ (ConnectorError::Rejected { .. } | ConnectorError::ServiceUrlNotAllowed(_)) => {
            Failure::Refused(e.to_string())
        }
        e => {
            let after = e.retry_after();
            Failure::Later(e.to_string(), after)
        }
    }
}

/// A message activity carrying `card` to `conversation` (of `tenant`, whose pacing it shares).
fn message(conversation: &str, tenant: Option<String>, card: Value) -> Activity {
    Activity {
        kind: "message".to_owned(),
        summary: card["fallbackText"].as_str().map(str::to_owned),
        conversation: Some(ConversationAccount {
            id: conversation.to_owned(),
            tenant_id: tenant,
            ..ConversationAccount::default()
        }),
        attachments: Some(vec![Attachment {
            content_type: "application/vnd.microsoft.card.adaptive".to_owned(),
            content: Some(card),
            ..Attachment::default()
        }]),
        ..Activity::default()
    }
}

/// Waits between attempts: 30 s doubling to an hour, with jitter.
pub fn backoff(attempts: i64) -> Duration {
    let base = 30u64.saturating_mul(1 << attempts.clamp(0, 7)).min(3_600);
    Duration::from_secs(base).mul_f64(0.75 + fastrand::f64() / 2.0)
}

/// Calls the dead-man's switch: a GET the outside monitor counts. Failures are logged, never fatal.
pub async fn ping(http: &reqwest::Client, url: &Secret) {
    match http
        .get(url.expose())
        .timeout(Duration::from_secs(10))
        .send()
        .await
    {
        Ok(r) if r.status().is_success() => tracing::debug!("pinged the dead-man's switch"),
        Ok(r) => tracing::warn!(
            status = r.status().as_u16(),
            "the dead-man's switch answered with an error"
        ),
        Err(e) => tracing::warn!(error = %e.without_url(), "cannot reach the dead-man's switch"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_grows_to_an_hour() {
        assert!(backoff(0) >= Duration::from_secs(22) && backoff(0) <= Duration::from_secs(38));
        assert!(backoff(3) >= Duration::from_secs(180));
        assert!(backoff(40) <= Duration::from_secs(4_500));
    }
}
