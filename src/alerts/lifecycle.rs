//! The alert lifecycle as a pure function: from where a topic's alerts stand and what its rules found now, the
//! plan of changes — which alerts fire (together, on one new card), repeat, change or resolve, which cards close,
//! and which messages go where. The store applies a plan in one transaction ([`Store::apply_alert_plan`]).
//!
//! The rules of it:
//! - A subject found and not firing fires; the new ones of an evaluation share one new card, or, in a topic that
//!   groups its problems ([`Topic::card_group`]: a card per Airflow DAG, per failing check, per table of warning
//!   checks), each group opens one — or joins its group's card when that is open and still firing.
//! - A firing subject found again repeats (its severity, title and detail follow what was found); one not found
//!   resolves. A card closes when its last alert resolves.
//! - A card that changed is updated in place wherever it was posted; a webhook's message cannot be edited, so a
//!   webhook hears of a card only when it opens and when it closes.
//! - A muted card is not updated while it fires; its resolution always shows.
//! - Every subscribed destination gets each open card once (a new card, a new subscriber, a mute that ended),
//!   unless the topic is muted.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::Topic;
use crate::store::{
    AlertFinding, AlertPlan, AlertSend, AlertState, Applied, CardMessage, CardRef, SendWhat, Store,
    StoreError, alert_key, card_mute_key,
};

/// Applies what `topic`'s rules found (`findings`) as of `now`, posting open cards to `destinations`.
pub async fn apply(
    store: &Store,
    topic: &str,
    findings: &[AlertFinding],
    destinations: &[String],
    now: DateTime<Utc>,
) -> Result<Applied, StoreError> {
    store
        .apply_alert_plan(topic, now, |state| {
            plan(topic, state, findings, destinations)
        })
        .await
}

/// What changes when `topic`'s rules found `findings`, its alerts standing as `state`, its subscribers being
/// `destinations`.
pub fn plan(
    topic: &str,
    state: &AlertState,
    findings: &[AlertFinding],
    destinations: &[String],
) -> AlertPlan {
    // Two findings of one subject: the last wins.
    let mut found: HashMap<String, &AlertFinding> = HashMap::with_capacity(findings.len());
    for f in findings {
        found.insert(alert_key(topic, &f.subject), f);
    }
    let mut plan = AlertPlan::default();
    let mut touched: BTreeSet<i64> = BTreeSet::new();
    let mut still_firing: HashSet<i64> = HashSet::new();
    let mut firing_keys: HashSet<&str> = HashSet::with_capacity(state.firing.len());
    for alert in &state.firing {
        firing_keys.insert(alert.key.as_str());
        touched.insert(alert.card);
        match found.get(&alert.key) {
            Some(f) => {
                plan.repeated.push(alert.id);
                still_firing.insert(alert.card);
                if f.severity != alert.severity
                    || f.title != alert.title
                    || alert.detail.as_deref() != Some(f.detail.as_str())
                    || alert.owners != f.owners
                {
                    plan.changed.push((alert.id, (*f).clone()));
                }
            }
            None => plan.resolved.push(alert.id),
        }
    }
    let group_of = |subject: &str| Topic::parse(topic).and_then(|t| t.card_group(subject));
    // Open cards that keep firing, by group: a new problem of the group joins its card.
    let mut open_groups: HashMap<String, i64> = HashMap::new();
    for alert in state.firing.iter().filter(|a| found.contains_key(&a.key)) {
        if let Some(g) = group_of(&alert.subject) {
            open_groups.entry(g).or_insert(alert.card);
        }
    }
    let mut fired: Vec<(String, AlertFinding)> = found
        .iter()
        .filter(|(key, _)| !firing_keys.contains(key.as_str()))
        .map(|(key, f)| (key.clone(), (*f).clone()))
        .collect();
    fired.sort_by(|a, b| a.0.cmp(&b.0));
    let mut groups: std::collections::BTreeMap<Option<String>, Vec<(String, AlertFinding)>> =
        std::collections::BTreeMap::new();
    for (key, f) in fired {
        let group = group_of(&f.subject);
        match group.as_ref().and_then(|g| open_groups.get(g)) {
            Some(card) => plan.joined.push((*card, key, f)),
            None => groups.entry(group).or_default().push((key, f)),
        }
    }
    plan.fired = groups.into_values().collect();
    plan.close = touched
        .iter()
        .copied()
        .filter(|card| !still_firing.contains(card))
        .collect();
    let closing: HashSet<i64> = plan.close.iter().copied().collect();

    let topic_muted = state.muted.contains(topic);
    let mut posted: HashMap<i64, Vec<&CardMessage>> = HashMap::new();
    for m in &state.messages {
        posted.entry(m.card).or_default().push(m);
    }
    let existing: BTreeSet<i64> = state
        .open_cards
        .iter()
        .chain(touched.iter())
        .copied()
        .collect();
    let cards = existing
        .into_iter()
        .map(CardRef::Existing)
        .chain((0..plan.fired.len()).map(CardRef::New));
    for card in cards {
        let (id, is_closing, is_open, changed) = match card {
            CardRef::Existing(id) => {
                let is_closing = closing.contains(&id);
                (
                    Some(id),
                    is_closing,
                    !is_closing && state.open_cards.contains(&id),
                    touched.contains(&id),
                )
            }
            CardRef::New(_) => (None, false, true, false),
        };
        let muted = id.is_some_and(|id| state.muted.contains(&card_mute_key(id)));
        // A muted card is not updated while it fires; its resolution always shows. Whether this evaluation is the
        // one closing it is known only when the store closes it.
        if muted && !is_closing {
            continue;
        }
        let if_closed = if muted { id } else { None };
        let messages = id
            .and_then(|id| posted.get(&id))
            .map_or(&[][..], Vec::as_slice);
        // Everywhere it was posted (subscribed or not any more), a change is shown.
        if changed {
            for m in messages.iter().filter(|m| m.active) {
                if m.destination.starts_with("webhook:") {
                    if is_closing {
                        plan.sends.push(AlertSend {
                            what: SendWhat::WebhookResolved { message: m.id },
                            if_closed: id,
                        });
                    }
                } else {
                    plan.sends.push(AlertSend {
                        what: SendWhat::Update { message: m.id },
                        if_closed,
                    });
                }
            }
        }
        if is_open && !topic_muted {
            for destination in destinations
                .iter()
                .filter(|d| !messages.iter().any(|m| &m.destination == *d))
            {
                plan.sends.push(AlertSend {
                    what: SendWhat::Post {
                        card,
                        destination: destination.clone(),
                    },
                    if_closed: None,
                });
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::FiringAlert;

    fn finding(subject: &str, detail: &str) -> AlertFinding {
        AlertFinding {
            subject: subject.to_owned(),
            severity: "warning".to_owned(),
            title: format!("{subject} is stale"),
            detail: detail.to_owned(),
            owners: None,
        }
    }

    fn firing(id: i64, subject: &str, card: i64, detail: &str) -> FiringAlert {
        let f = finding(subject, detail);
        FiringAlert {
            id,
            key: alert_key("freshness", subject),
            subject: subject.to_owned(),
            card,
            severity: f.severity,
            title: f.title,
            detail: Some(f.detail),
            owners: None,
        }
    }

    fn message(id: i64, card: i64, destination: &str) -> CardMessage {
        CardMessage {
            id,
            card,
            destination: destination.to_owned(),
            active: true,
        }
    }

    fn post(card: CardRef, destination: &str) -> AlertSend {
        AlertSend {
            what: SendWhat::Post {
                card,
                destination: destination.to_owned(),
            },
            if_closed: None,
        }
    }

    fn update(message: i64) -> AlertSend {
        AlertSend {
            what: SendWhat::Update { message },
            if_closed: None,
        }
    }

    #[test]
    fn new_findings_fire_together_on_one_new_card_posted_to_every_destination() {
        let state = AlertState::default();
        let findings = [
            finding("b.t", "2d"),
            finding("a.t", "3d"),
            finding("a.t", "4d"),
        ];
        let destinations = ["a:chat".to_owned(), "webhook:freshness".to_owned()];

        let plan = plan("freshness", &state, &findings, &destinations);

        assert_eq!(plan.fired.len(), 1, "one new card");
        let keys: Vec<&str> = plan.fired[0].iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            ["freshness:a.t", "freshness:b.t"],
            "sorted by key, one per subject"
        );
        assert_eq!(
            plan.fired[0][0].1.detail, "4d",
            "the last finding of a subject wins"
        );
        assert!(plan.repeated.is_empty() && plan.resolved.is_empty() && plan.close.is_empty());
        assert_eq!(
            plan.sends,
            [
                post(CardRef::New(0), "a:chat"),
                post(CardRef::New(0), "webhook:freshness")
            ]
        );
    }

    #[test]
    fn in_the_airflow_topic_each_new_subject_opens_a_card_of_its_own() {
        let findings = [
            finding("failed/prod/b", "1 run"),
            finding("failed/prod/a", "1 run"),
        ];

        let plan = plan(
            "airflow",
            &AlertState::default(),
            &findings,
            &["a:chat".to_owned()],
        );

        let groups: Vec<Vec<&str>> = plan
            .fired
            .iter()
            .map(|g| g.iter().map(|(k, _)| k.as_str()).collect())
            .collect();
        assert_eq!(
            groups,
            [vec!["airflow:failed/prod/a"], vec!["airflow:failed/prod/b"]]
        );
        assert_eq!(
            plan.sends,
            [
                post(CardRef::New(0), "a:chat"),
                post(CardRef::New(1), "a:chat")
            ]
        );
    }

    #[test]
    fn a_subject_found_again_repeats_and_a_change_updates_its_card_in_place() {
        let state = AlertState {
            firing: vec![firing(1, "a.t", 10, "2d"), firing(2, "b.t", 10, "5d")],
            open_cards: [10].into(),
            messages: vec![
                message(100, 10, "a:chat"),
                message(101, 10, "webhook:freshness"),
            ],
            ..AlertState::default()
        };
        let findings = [finding("a.t", "2d"), finding("b.t", "6d")];
        let destinations = ["a:chat".to_owned(), "webhook:freshness".to_owned()];

        let plan = plan("freshness", &state, &findings, &destinations);

        assert_eq!(plan.repeated, [1, 2]);
        assert_eq!(
            plan.changed,
            [(2, finding("b.t", "6d"))],
            "only what changed is rewritten"
        );
        assert!(plan.fired.is_empty() && plan.close.is_empty());
        assert_eq!(
            plan.sends,
            [update(100)],
            "the chat's message is updated; a webhook's cannot be, and every destination has the card"
        );
    }

    #[test]
    fn the_last_alert_resolving_closes_its_card_and_a_webhook_hears_of_it_if_this_evaluation_closed_it()
     {
        let state = AlertState {
            firing: vec![firing(1, "a.t", 10, "2d"), firing(2, "b.t", 11, "2d")],
            open_cards: [10, 11].into(),
            messages: vec![
                message(100, 10, "a:chat"),
                message(101, 10, "webhook:freshness"),
            ],
            ..AlertState::default()
        };
        let findings = [finding("b.t", "2d")];

        let plan = plan("freshness", &state, &findings, &[]);

        assert_eq!(plan.resolved, [1]);
        assert_eq!(plan.close, [10], "card 11 still fires");
        assert_eq!(
            plan.sends,
            [
                update(100),
                AlertSend {
                    what: SendWhat::WebhookResolved { message: 101 },
                    if_closed: Some(10),
                },
            ]
        );
    }

    #[test]
    fn a_muted_card_is_not_updated_while_it_fires_but_its_resolution_shows() {
        let state = AlertState {
            firing: vec![firing(1, "a.t", 10, "2d"), firing(2, "b.t", 11, "2d")],
            open_cards: [10, 11].into(),
            muted: [card_mute_key(10), card_mute_key(11)].into(),
            messages: vec![message(100, 10, "a:chat"), message(101, 11, "a:chat")],
        };
        let findings = [finding("a.t", "9d")];

        let plan = plan("freshness", &state, &findings, &["a:chat".to_owned()]);

        assert_eq!(plan.close, [11]);
        assert_eq!(
            plan.sends,
            [AlertSend {
                what: SendWhat::Update { message: 101 },
                if_closed: Some(11),
            }],
            "card 10 changed but is muted; card 11 resolved, shown if this evaluation closes it"
        );
    }

    #[test]
    fn a_muted_topic_posts_nothing_new_but_still_updates_what_was_posted() {
        let state = AlertState {
            firing: vec![firing(1, "a.t", 10, "2d")],
            open_cards: [10].into(),
            muted: ["freshness".to_owned()].into(),
            messages: vec![message(100, 10, "a:chat")],
        };
        let findings = [finding("a.t", "3d"), finding("c.t", "1d")];
        let destinations = ["a:chat".to_owned(), "a:new-subscriber".to_owned()];

        let plan = plan("freshness", &state, &findings, &destinations);

        assert_eq!(
            plan.fired.concat().len(),
            1,
            "alerts still fire while the topic is muted"
        );
        assert_eq!(plan.sends, [update(100)]);
    }

    #[test]
    fn a_new_subscriber_gets_every_open_card_once_and_a_gone_conversation_nothing() {
        let mut gone = message(101, 10, "a:gone");
        gone.active = false;
        let state = AlertState {
            firing: vec![firing(1, "a.t", 10, "2d")],
            open_cards: [10].into(),
            messages: vec![message(100, 10, "a:chat"), gone],
            ..AlertState::default()
        };
        let findings = [finding("a.t", "3d")];
        let destinations = ["a:chat".to_owned(), "a:gone".to_owned(), "a:new".to_owned()];

        let plan = plan("freshness", &state, &findings, &destinations);

        assert_eq!(
            plan.sends,
            [update(100), post(CardRef::Existing(10), "a:new")]
        );
    }
}
