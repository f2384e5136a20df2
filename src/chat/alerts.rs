//! `subscribe`, `unsubscribe`, `subscriptions`, `mute`, `unmute`, and the alert cards' buttons.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::commands::{Command, Context, FromArgs, RawArgs, first};
use super::{Caller, Reply, help};
use crate::common::edit_distance;
use crate::config::alerts::{Topic, parse_duration};
use crate::store::{Store, StoreError};
use crate::t;

use super::commands::Scope;

/// Longest mute by command or button.
pub const MAX_MUTE: chrono::Duration = chrono::Duration::days(7);

/// A topic by name (any case), or what to write instead.
pub fn parse_topic(word: &str, mutable: bool) -> Result<Topic, String> {
    let word = word.trim().to_lowercase();
    let topics: Vec<&'static str> = Topic::ALL
        .into_iter()
        .filter(|t| !mutable || t.mutable())
        .map(Topic::name)
        .collect();
    if let Some(t) = Topic::parse(&word).filter(|t| !mutable || t.mutable()) {
        return Ok(t);
    }
    // A typo, or the start of one topic only (`fresh`).
    let starts: Vec<&str> = topics
        .iter()
        .copied()
        .filter(|t| !word.is_empty() && t.starts_with(word.as_str()))
        .collect();
    let near = topics
        .iter()
        .map(|t| (edit_distance(&word, t), *t))
        .filter(|(d, _)| *d <= 2)
        .min()
        .or_else(|| (starts.len() == 1).then(|| (0, starts[0])));
    let list = topics
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let word = crate::cards::kit::quote(&word);
    Err(match near {
        Some((_, near)) => t!(
            "alerts-not-a-topic-near",
            word = word,
            near = near,
            topics = list
        ),
        None => t!("alerts-not-a-topic", word = word, topics = list),
    })
}

/// Whether the caller may route alerts here: admins anywhere, anyone in their personal chat.
pub fn refused(caller: &Caller, command: &str) -> Option<Reply> {
    (caller.scope != Scope::Personal && !caller.is_admin).then(|| {
        help::mistake(
            &t!("alerts-admins-only-title"),
            &t!("alerts-admins-only", command = command),
            &t!("alerts-admins-only-fix"),
            Vec::new(),
        )
    })
}

/// `subscribe` (on) and `unsubscribe`.
pub async fn subscribe(
    store: &Store,
    caller: &Caller,
    topic: Topic,
    on: bool,
    now: DateTime<Utc>,
) -> Result<Reply, StoreError> {
    let Some(conversation) = caller.conversation.as_deref() else {
        return Ok(Reply::Text(t!("alerts-subscribe-where")));
    };
    let topic = topic.name();
    Ok(Reply::Text(if on {
        if store
            .subscribe(conversation, topic, &caller.person, now)
            .await?
        {
            t!("alerts-subscribed", topic = topic)
        } else {
            t!("alerts-already-subscribed", topic = topic)
        }
    } else if store.unsubscribe(conversation, topic).await? {
        t!("alerts-unsubscribed", topic = topic)
    } else {
        t!("alerts-not-subscribed", topic = topic)
    }))
}

/// `subscriptions`.
pub async fn subscriptions(
    store: &Store,
    caller: &Caller,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<Reply, StoreError> {
    let topics = match caller.conversation.as_deref() {
        Some(c) => store.subscriptions(c).await?,
        None => Vec::new(),
    };
    let mut text = if topics.is_empty() {
        t!("alerts-subscriptions-none")
    } else {
        let list: Vec<String> = topics.iter().map(|t| format!("`{t}`")).collect();
        t!("alerts-subscriptions", topics = list.join(", "))
    };
    let mutes: Vec<String> = store
        .mutes(now)
        .await?
        .into_iter()
        .filter(|(k, _)| !k.starts_with("card:"))
        .map(|(k, until)| {
            t!(
                "alerts-muted-until",
                key = k,
                until = crate::cards::kit::when(until, now, tz)
            )
        })
        .collect();
    if !mutes.is_empty() {
        text.push_str("\n\n");
        text.push_str(&t!("alerts-muted-list", mutes = mutes.join(", ")));
    }
    let firing = store.firing_alerts().await?;
    if !firing.is_empty() {
        let list: Vec<String> = firing
            .iter()
            .map(|(topic, n)| t!("alerts-firing-count", topic = topic, n = *n))
            .collect();
        text.push_str("\n\n");
        text.push_str(&t!("alerts-firing-now", list = list.join(", ")));
    }
    Ok(Reply::Text(text))
}

/// `mute <topic> <duration>`.
pub async fn mute(
    store: &Store,
    caller: &Caller,
    topic: Topic,
    duration: &str,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<Result<Reply, String>, StoreError> {
    let length = match parse_duration(duration) {
        Ok(d) => chrono::Duration::from_std(d).unwrap_or(MAX_MUTE),
        Err(problem) => return Ok(Err(problem)),
    };
    if length > MAX_MUTE {
        return Ok(Err(t!("alerts-mute-too-long")));
    }
    let until = now + length;
    store.mute(topic.name(), until, &caller.person, now).await?;
    Ok(Ok(Reply::Text(t!(
        "alerts-muted",
        topic = topic.name(),
        until = crate::cards::kit::when(until, now, tz)
    ))))
}

/// `unmute <topic>`.
pub async fn unmute(store: &Store, topic: Topic, now: DateTime<Utc>) -> Result<Reply, StoreError> {
    Ok(Reply::Text(if store.unmute(topic.name(), now).await? {
        t!("alerts-unmuted", topic = topic.name())
    } else {
        t!("alerts-not-muted", topic = topic.name())
    }))
}

/// What an alert button answers where this Doberman runs no alerts.
pub fn not_running() -> Reply {
    Reply::Text(t!("alerts-not-running"))
}

/// What a Mute button answers when its hours are not 1 to 168 ([`hours_of`]).
pub fn bad_mute_hours() -> Reply {
    Reply::Text(t!("alerts-mute-hours", max = MAX_MUTE.num_hours()))
}

/// The card an alert button names.
pub fn card_of(data: &Value) -> Option<i64> {
    match data.get("card")? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Hours of a Mute button: 1 to 168.
pub fn hours_of(data: &Value) -> Option<i64> {
    let hours = match data.get("hours")? {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    (1..=MAX_MUTE.num_hours()).contains(&hours).then_some(hours)
}

impl FromArgs for Topic {
    fn from_args(args: RawArgs) -> Result<Topic, String> {
        parse_topic(&first(args), false)
    }
}

/// A topic that can be muted (not `heartbeat`).
pub struct MutableTopic(Topic);

impl FromArgs for MutableTopic {
    fn from_args(args: RawArgs) -> Result<MutableTopic, String> {
        parse_topic(&first(args), true).map(MutableTopic)
    }
}

/// `mute <topic> <duration>`, typed as far as it can be without the clock.
pub struct MuteArgs {
    topic: Topic,
    duration: String,
}

impl FromArgs for MuteArgs {
    fn from_args(args: RawArgs) -> Result<MuteArgs, String> {
        let duration = args.get(1).cloned().flatten().unwrap_or_default();
        let MutableTopic(topic) = MutableTopic::from_args(args)?;
        Ok(MuteArgs { topic, duration })
    }
}

/// `subscribe <topic>` (on) and `unsubscribe <topic>`.
pub struct Subscription {
    /// Subscribe, or unsubscribe.
    pub on: bool,
}

impl Command for Subscription {
    type Args = Topic;

    async fn run(&self, cx: &Context<'_>, topic: Topic) -> Result<Reply, StoreError> {
        if let Some(no) = refused(cx.caller, cx.spec.name) {
            return Ok(no);
        }
        let reply = subscribe(
            &cx.chat.store,
            cx.caller,
            topic,
            self.on,
            crate::store::now(),
        )
        .await;
        if self.on && reply.is_ok() {
            cx.chat.evaluate_soon();
        }
        reply
    }
}

/// `subscriptions`.
pub struct Subscriptions;

impl Command for Subscriptions {
    type Args = ();

    async fn run(&self, cx: &Context<'_>, (): ()) -> Result<Reply, StoreError> {
        subscriptions(
            &cx.chat.store,
            cx.caller,
            cx.chat.settings.timezone,
            crate::store::now(),
        )
        .await
    }
}

/// `mute <topic> <duration>`.
pub struct Mute;

impl Command for Mute {
    type Args = MuteArgs;

    async fn run(&self, cx: &Context<'_>, args: MuteArgs) -> Result<Reply, StoreError> {
        let tz = cx.chat.settings.timezone;
        Ok(
            match mute(
                &cx.chat.store,
                cx.caller,
                args.topic,
                &args.duration,
                tz,
                crate::store::now(),
            )
            .await?
            {
                Ok(reply) => reply,
                Err(problem) => help::usage(cx.spec, &problem),
            },
        )
    }
}

/// `unmute <topic>`.
pub struct Unmute;

impl Command for Unmute {
    type Args = MutableTopic;

    async fn run(
        &self,
        cx: &Context<'_>,
        MutableTopic(topic): MutableTopic,
    ) -> Result<Reply, StoreError> {
        let reply = unmute(&cx.chat.store, topic, crate::store::now()).await;
        cx.chat.evaluate_soon();
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn topics_are_read_in_any_case_and_typos_get_a_hint() {
        assert_eq!(parse_topic("Freshness", false), Ok(Topic::Freshness));
        assert_eq!(parse_topic("heartbeat", false), Ok(Topic::Heartbeat));
        let hint = parse_topic("fresness", false).unwrap_err();
        assert!(hint.contains("did you mean `freshness`"), "{hint}");
        assert!(
            parse_topic("heartbeat", true).is_err(),
            "the heartbeat is not muted"
        );
        assert!(parse_topic("매출", false).unwrap_err().contains("Topics:"));
    }

    #[test]
    fn a_topic_mistake_is_answered_in_the_askers_language() {
        use crate::i18n::{Lang, english_words, sync_scope};
        let ko = sync_scope(Lang::Ko, || parse_topic("fresness", false)).unwrap_err();
        assert!(ko.contains("혹시 `freshness` 말씀이신가요?"), "{ko}");
        assert!(
            english_words(&ko.replace("fresness", "")).is_empty(),
            "{ko}"
        );
        let en = sync_scope(Lang::En, || parse_topic("fresness", false)).unwrap_err();
        assert!(
            en.starts_with("“fresness” is not a topic: did you mean `freshness`? Topics: `jobs`"),
            "{en}"
        );
        for lang in Lang::ALL {
            let said = sync_scope(lang, || {
                [
                    t!("alerts-subscribed", topic = "heartbeat"),
                    t!("alerts-subscribed", topic = "cost"),
                    t!("alerts-muted", topic = "cost", until = "x"),
                    t!("alerts-subscriptions-none"),
                ]
            });
            if lang == Lang::Ko {
                assert!(
                    said[0].contains("아침 하트비트가 여기로 옵니다"),
                    "{}",
                    said[0]
                );
                let left: Vec<String> = said.iter().flat_map(|s| english_words(s)).collect();
                assert!(left.is_empty(), "{left:?} in {said:#?}");
            } else {
                assert!(
                    said[1].starts_with("🔔 Subscribed: `cost` alerts come here from now on."),
                    "{}",
                    said[1]
                );
            }
        }
    }

    #[test]
    fn buttons_carry_a_card_and_bounded_hours() {
        assert_eq!(card_of(&json!({ "card": 12 })), Some(12));
        assert_eq!(card_of(&json!({ "card": "12" })), Some(12));
        assert_eq!(card_of(&json!({})), None);
        assert_eq!(hours_of(&json!({ "hours": 24 })), Some(24));
        assert_eq!(hours_of(&json!({ "hours": 0 })), None);
        assert_eq!(hours_of(&json!({ "hours": 10_000 })), None);
    }
}
