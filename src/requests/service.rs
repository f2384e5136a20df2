//! The request channel's workflow: what a channel message means (a requirement, a comment, an edit, a deletion),
//! the card in each requirement's thread (posted once, refreshed in place) and a change of status with the
//! author told in the thread. Chat calls it; it calls the store and the connector, never chat.
//!
//! What it posts and refreshes in a thread is drawn in the request channel's language; what it answers whoever
//! asked (a command, a button) in the current language, which chat sets to the asker's.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::{Intake, channel_of, name_or_someone, read, status_label, thread_start};
use crate::cards::views::{self, Line};
use crate::i18n::{self, Lang};
use crate::store::{
    Change, Changed, NewRequirement, Person, Requirement, RequirementStatus, Store, StoreError,
    Touched,
};
use crate::t;
use crate::teams::{Activity, ConnectorClient, activity::ConversationAccount};

/// The request channel's service.
#[derive(Debug, Clone)]
pub struct Requests {
    store: Store,
    connector: Arc<ConnectorClient>,
    timezone: chrono_tz::Tz,
    /// The language of a request channel that has none of its own.
    lang: Lang,
}

impl Requests {
    /// The service over `store`, posting through `connector`, showing times in `timezone`.
    pub fn new(store: Store, connector: Arc<ConnectorClient>, timezone: chrono_tz::Tz) -> Requests {
        Requests {
            store,
            connector,
            timezone,
            lang: Lang::default(),
        }
    }

    /// The same service speaking `lang` in a request channel whose language is not known (none set there with
    /// `language`, no locale seen).
    pub fn with_lang(mut self, lang: Lang) -> Requests {
        self.lang = lang;
        self
    }

    /// The language of the request channel a requirement's thread is in (its conversation without the thread),
    /// else [`Requests::with_lang`]'s.
    async fn channel_language(&self, r: &Requirement) -> Lang {
        let channel = crate::teams::activity::base_id(&r.conversation_id);
        match self.store.conversation_language(channel).await {
            Ok(lang) => lang.unwrap_or(self.lang),
            Err(e) => {
                tracing::warn!(error = %crate::common::error_chain(&e), "cannot read the request channel's language");
                self.lang
            }
        }
    }

    /// The same service showing times in `timezone`.
    pub fn with_timezone(mut self, timezone: chrono_tz::Tz) -> Requests {
        self.timezone = timezone;
        self
    }

    /// Records what a channel activity means for the request channel, if it is one: a new message is the next
    /// requirement (answered in its thread with its card), a reply a comment, an edit or a deletion is kept.
    /// False when the channel is not a request channel.
    pub async fn track(&self, activity: &Activity, now: DateTime<Utc>) -> bool {
        let Some(channel_id) = channel_of(activity) else {
            return false;
        };
        match self.store.is_request_channel(&channel_id).await {
            Ok(true) => {}
            Ok(false) => return false,
            Err(e) => {
                tracing::error!(error = %crate::common::error_chain(&e), "cannot read the request channels");
                return true;
            }
        }
        let Some(intake) = read(activity, &channel_id, now) else {
            return true;
        };
        let result = match intake {
            Intake::Requirement(new) => self.record_new(activity, &new).await,
            Intake::Comment(comment) => match self.store.record_comment(&comment).await {
                Ok(Some((id, true))) => self.refresh_card(id).await,
                Ok(Some(_)) => Ok(()),
                Ok(None) => match thread_start(activity, &comment) {
                    Some(new) => self.record_new(activity, &new).await,
                    None => Ok(()),
                },
                Err(e) => Err(e),
            },
            Intake::Edit(edit) => match self.store.edit_request_message(&channel_id, &edit).await {
                Ok(Touched::Requirement(id)) => self.refresh_card(id).await,
                Ok(_) => Ok(()),
                Err(e) => Err(e),
            },
            Intake::Delete {
                teams_message_id,
                by,
            } => match self
                .store
                .delete_request_message(&channel_id, &teams_message_id, &by, now)
                .await
            {
                Ok(Touched::Requirement(id)) => self.refresh_card(id).await,
                Ok(_) => Ok(()),
                Err(e) => Err(e),
            },
        };
        if let Err(e) = result {
            tracing::error!(error = %crate::common::error_chain(&e), "cannot record a request channel message");
        }
        true
    }

    /// Records a new requirement and answers it in its thread; a second delivery is answered only once.
    async fn record_new(
        &self,
        activity: &Activity,
        new: &NewRequirement,
    ) -> Result<(), StoreError> {
        let (requirement, created) = self.store.record_requirement(new).await?;
        if created {
            tracing::info!(requirement = %requirement.key(), "recorded a requirement");
            self.post_card(activity, &requirement).await;
        }
        Ok(())
    }

    /// Answers a new requirement in its thread with its card, and remembers the card to update it later.
    async fn post_card(&self, to: &Activity, requirement: &Requirement) {
        let lang = self.channel_language(requirement).await;
        let card = match i18n::scope(lang, self.detail_card(requirement, false)).await {
            Ok(card) => card,
            Err(e) => {
                tracing::error!(error = %crate::common::error_chain(&e), "cannot read the requirement");
                return;
            }
        };
        let outgoing = to.reply_with_card(card);
        match self
            .connector
            .reply_to_activity(
                &requirement.service_url,
                &requirement.conversation_id,
                &requirement.teams_message_id,
                &outgoing,
            )
            .await
        {
            Ok(sent) => {
                if let Some(id) = sent.id.as_deref().filter(|id| !id.is_empty())
                    && let Err(e) = self.store.set_requirement_card(requirement.id, id).await
                {
                    tracing::error!(error = %crate::common::error_chain(&e), "cannot remember the requirement card");
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, requirement = %requirement.key(), "cannot answer in the requirement's thread")
            }
        }
    }

    /// Updates a requirement's card in place (comments counted, edits and deletion shown).
    async fn refresh_card(&self, id: i64) -> Result<(), StoreError> {
        let Some(requirement) = self.store.requirement(id).await? else {
            return Ok(());
        };
        let lang = self.channel_language(&requirement).await;
        let card = i18n::scope(lang, self.detail_card(&requirement, false)).await?;
        self.update_card(&requirement, card).await;
        Ok(())
    }

    /// Puts `card` in place of the requirement's card in its thread, if Doberman posted one.
    async fn update_card(&self, requirement: &Requirement, card: Value) {
        let Some(card_id) = requirement.card_activity_id.as_deref() else {
            return;
        };
        let mut outgoing = Activity::default().reply_with_card(card);
        outgoing.id = Some(card_id.to_owned());
        if let Err(e) = self
            .connector
            .update_activity(
                &requirement.service_url,
                &requirement.conversation_id,
                card_id,
                &outgoing,
            )
            .await
        {
            tracing::warn!(error = %e, requirement = %requirement.key(), "cannot update the requirement card");
        }
    }

    /// Changes a requirement, then updates its card in the thread and tells its author there (with an
    /// @mention), both in the channel's language. What to answer whoever asked, and the card as it now is
    /// (`detail`: with its history and comments, as `request REQ-n` shows it), in the current language.
    pub async fn change(
        &self,
        id: i64,
        change: &Change,
        by: &Person,
        detail: bool,
    ) -> Result<(String, Option<Value>), StoreError> {
        match self
            .store
            .change_requirement(id, change, by, crate::store::now())
            .await?
        {
            Changed::Unknown => Ok((t!("requests-none", key = format!("REQ-{id}")), None)),
            Changed::Already(r) => {
                let card = self.detail_card(&r, detail).await?;
                Ok((t!("requests-already", key = r.key()), Some(card)))
            }
            Changed::Applied(r, _) if r.channel_id == crate::store::DEMO_REQUEST_CHANNEL => {
                // The demo's channel is not in any Teams: nothing to update or tell there.
                let card = self.detail_card(&r, detail).await?;
                Ok((
                    t!(
                        "requests-now",
                        key = r.key(),
                        status = status_label(r.status).0
                    ),
                    Some(card),
                ))
            }
            Changed::Applied(r, _) => {
                let lang = self.channel_language(&r).await;
                let thread_card = i18n::scope(lang, self.detail_card(&r, false)).await?;
                self.update_card(&r, thread_card.clone()).await;
                let card = if detail || lang != i18n::current() {
                    self.detail_card(&r, detail).await?
                } else {
                    thread_card
                };
                let (text, mention) = i18n::sync_scope(lang, || notice(&r, change, by));
                // Whoever asked gets the same words, in their language, without the author's @mention.
                let answer = what_changed(&r, change, by);
                let mut notice = Activity {
                    kind: "message".to_owned(),
                    text: Some(text.clone()),
                    text_format: Some("markdown".to_owned()),
                    entities: mention.map(|m| vec![m]),
                    ..Activity::default()
                };
                notice.conversation = Some(ConversationAccount {
                    id: r.conversation_id.clone(),
                    ..Default::default()
                });
                if let Err(e) = self
                    .connector
                    .reply_to_activity(
                        &r.service_url,
                        &r.conversation_id,
                        &r.teams_message_id,
                        &notice,
                    )
                    .await
                {
                    tracing::warn!(error = %e, requirement = %r.key(), "cannot tell the author in the thread");
                }
                Ok((answer, Some(card)))
            }
        }
    }

    /// The thread card of a requirement; with its comments and history for `request REQ-n`.
    pub async fn detail_card(
        &self,
        r: &Requirement,
        with_history: bool,
    ) -> Result<Value, StoreError> {
        let comments = self.store.requirement_comments(r.id).await?;
        let now = crate::store::now();
        let mut card = super::card(
            r,
            comments.iter().filter(|c| !c.2).count(),
            now,
            self.timezone,
        );
        card.detail = with_history;
        if with_history {
            let events = self.store.requirement_events(r.id).await?;
            card.history = events
                .iter()
                .map(|(kind, actor, old, new)| {
                    let who = name_or_someone(actor.as_deref());
                    let label = |s: &str| {
                        RequirementStatus::parse(s)
                            .map_or_else(|| s.to_owned(), |st| status_label(st).0)
                    };
                    let what = match (kind.as_str(), old, new) {
                        ("status", Some(old), Some(new)) => {
                            format!("{} → {}", label(old), label(new))
                        }
                        (kind, _, _) => t!("requests-event", kind = kind),
                    };
                    Line::new(format!("{what} · {who}"))
                })
                .collect();
            card.comments = comments
                .iter()
                .filter(|c| !c.2)
                .map(|(author, body, _)| {
                    Line::new(format!(
                        "💬 {} — {}",
                        author.clone().unwrap_or_default(),
                        body
                    ))
                })
                .collect();
        }
        Ok(views::render(&card).unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot render the requirement card");
            json!({"type": "AdaptiveCard", "version": "1.5", "body": [
                {"type": "TextBlock", "text": format!("{}: {}", r.key(), super::shown_title(&r.title)), "wrap": true}
            ]})
        }))
    }
}

/// What changed, for people: `**REQ-1** was accepted by 박지훈.`, in the current language.
fn what_changed(r: &Requirement, change: &Change, by: &Person) -> String {
    let (key, who) = (r.key(), name_or_someone(by.name.as_deref()));
    match change {
        Change::Accept => t!("requests-notice-accepted", key = key, who = who),
        Change::Start => t!("requests-notice-started", key = key, who = who),
        Change::Done => t!("requests-notice-done", key = key, who = who),
        Change::Reject(reason) => t!(
            "requests-notice-rejected",
            key = key,
            who = who,
            reason = reason.as_str()
        ),
        Change::Assign(p) => t!(
            "requests-notice-assigned",
            key = key,
            who = who,
            assignee = name_or_someone(p.name.as_deref())
        ),
    }
}

/// The message that tells a requirement's author about a change, with an @mention of them, in the current
/// language.
pub fn notice(r: &Requirement, change: &Change, by: &Person) -> (String, Option<Value>) {
    let what = what_changed(r, change, by);
    match (&r.author.teams_id, &r.author.name) {
        (Some(id), Some(name)) => {
            let mention = format!("<at>{name}</at>");
            (
                format!("{mention} {what}"),
                Some(
                    json!({"type": "mention", "text": mention, "mentioned": {"id": id, "name": name}}),
                ),
            )
        }
        _ => (what, None),
    }
}
