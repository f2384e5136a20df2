//! `subscribe`, `unsubscribe`, `subscriptions`, `mute`, `unmute`, and the alert cards' buttons.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::commands::{Command, Context, FromArgs, RawArgs, first};
use super::{Caller, Reply, help};
use crate::common::edit_distance;
use crate::config::alerts::{Topic, parse_duration};
use crate::store::{Store, StoreError};

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
    Err(match near {
        Some((_, t)) => format!(
            "{} is not a topic: did you mean `{t}`? Topics: {list}",
            crate::cards::kit::quote(&word)
        ),
        None => format!(
            "{} is not a topic. Topics: {list}",
            crate::cards::kit::quote(&word)
        ),
    })
}

/// Whether the caller may route alerts here: admins anywhere, anyone in their personal chat.
pub fn refused(caller: &Caller, command: &str) -> Option<Reply> {
    (caller.scope != Scope::Personal && !caller.is_admin).then(|| {
        help::mistake(
            "For admins only here",
            &format!("In channels and group chats `{command}` is for Doberman's admins."),
            "Ask one of them, or subscribe in your personal chat with me.",
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
        return Ok(Reply::Text(
            "Subscriptions belong to a chat or channel: ask me in one.".to_owned(),
        ));
    };
    let what = if topic == Topic::Heartbeat {
        "the morning heartbeat".to_owned()
    } else {
        format!("`{topic}` alerts")
    };
    Ok(Reply::Text(if on {
        if store
            .subscribe(conversation, topic.name(), &caller.person, now)
            .await?
        {
            format!(
                "🔔 Subscribed: {what} come here from now on. Each problem gets one card, updated in place until it \
                 resolves. `unsubscribe {topic}` stops them."
            )
        } else {
            format!("🔔 {what} already come here.")
        }
    } else if store.unsubscribe(conversation, topic.name()).await? {
        format!("🔕 Unsubscribed: no new {what} will come here.")
    } else {
        format!("This chat was not subscribed to {what}.")
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
        "This chat receives no alerts. `subscribe <topic>` sends some here; topics: `jobs`, `freshness`, `cost`, \
         `athena`, `heartbeat`."
            .to_owned()
    } else {
        let list: Vec<String> = topics.iter().map(|t| format!("`{t}`")).collect();
        format!("This chat receives: {}.", list.join(", "))
    };
    let mutes: Vec<String> = store
        .mutes(now)
        .await?
        .into_iter()
        .filter(|(k, _)| !k.starts_with("card:"))
        .map(|(k, until)| format!("`{k}` until {}", crate::cards::kit::when(until, now, tz)))
        .collect();
    if !mutes.is_empty() {
        text.push_str(&format!("\n\nMuted: {}.", mutes.join(", ")));
    }
    let firing = store.firing_alerts().await?;
    if !firing.is_empty() {
        let list: Vec<String> = firing.iter().map(|(t, n)| format!("{t} {n}")).collect();
        text.push_str(&format!("\n\nFiring now: {}.", list.join(", ")));
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
        return Ok(Err(
            "mute for at most 7d: a longer silence is an `unsubscribe`".to_owned(),
        ));
    }
    let until = now + length;
    store.mute(topic.name(), until, &caller.person, now).await?;
    Ok(Ok(Reply::Text(format!(
        "🔇 `{topic}` is muted until {}: no new cards of it are posted anywhere meanwhile (alerts are still \
         recorded). `unmute {topic}` ends it.",
        crate::cards::kit::when(until, now, tz)
    ))))
}

/// `unmute <topic>`.
pub async fn unmute(store: &Store, topic: Topic, now: DateTime<Utc>) -> Result<Reply, StoreError> {
    Ok(Reply::Text(if store.unmute(topic.name(), now).await? {
        format!("🔔 `{topic}` is no longer muted: its cards are posted from the next check on.")
    } else {
        format!("`{topic}` was not muted.")
    }))
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
    fn buttons_carry_a_card_and_bounded_hours() {
        assert_eq!(card_of(&json!({ "card": 12 })), Some(12));
        assert_eq!(card_of(&json!({ "card": "12" })), Some(12));
        assert_eq!(card_of(&json!({})), None);
        assert_eq!(hours_of(&json!({ "hours": 24 })), Some(24));
        assert_eq!(hours_of(&json!({ "hours": 0 })), None);
        assert_eq!(hours_of(&json!({ "hours": 10_000 })), None);
    }
}
