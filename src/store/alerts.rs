//! Alerts: subscriptions, mutes, the alert lifecycle (fired, repeated, resolved) with its cards, and the durable
//! outbox. Every alert change and the messages announcing it are written in one transaction, so a process killed
//! at any point loses no alert: what was committed is delivered later, what was not is found again by the next
//! evaluation.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use sqlx::mysql::MySqlQueryResult;
use sqlx::sqlite::SqliteQueryResult;

use super::{BeginWrite, BinText, Person, Pool, Store, StoreError, on_pool};

/// Values bound per statement in `IN (…)` lists: under SQLite's 999 and MySQL's 65,535.
const IN_CHUNK: usize = 500;

/// What a rule found: one subject in trouble.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertFinding {
    /// What it is about, unique within the topic (a job, `account/region/db.table`, an account, a query id).
    pub subject: String,
    /// `warning` or `critical`.
    pub severity: String,
    /// One line for people, as a stored message (drawn in each reader's language: `alerts::said`).
    pub title: String,
    /// What was seen, with figures, as a stored message; keep it stable while nothing changes (it is compared to
    /// detect changes).
    pub detail: String,
    /// Who owns what it is about, as the source names them (an Airflow DAG's owners, comma-separated): their card
    /// @mentions the people configuration maps them to.
    pub owners: Option<String>,
}

/// What a finding says, as the alert table keeps it: `title` and `detail` in English for the people who read the
/// table without Doberman (Superset), the stored messages that cards are drawn from beside them.
struct Said {
    title: String,
    title_msg: Option<String>,
    detail: String,
    detail_msg: Option<String>,
}

impl Said {
    fn of(f: &AlertFinding, now: DateTime<Utc>) -> Said {
        let (title, title_msg) = crate::i18n::for_the_record(&f.title, now);
        let (detail, detail_msg) = crate::i18n::for_the_record(&f.detail, now);
        Said {
            title,
            title_msg,
            detail,
            detail_msg,
        }
    }
}

/// What [`Store::apply_alert_plan`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Alerts that began firing.
    pub fired: usize,
    /// Alerts still firing.
    pub repeated: usize,
    /// Alerts that stopped.
    pub resolved: usize,
    /// The cards opened for the new ones, in the plan's order.
    pub cards_opened: Vec<i64>,
    /// Messages written to the outbox.
    pub queued: usize,
}

/// A firing alert, as an evaluation finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiringAlert {
    /// Id.
    pub id: i64,
    /// `alert_key`.
    pub key: String,
    /// Subject.
    pub subject: String,
    /// Its card.
    pub card: i64,
    /// Severity.
    pub severity: String,
    /// Title.
    pub title: String,
    /// Detail.
    pub detail: Option<String>,
    /// Owners.
    pub owners: Option<String>,
}

/// Where a card was posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardMessage {
    /// `alert_message.id`.
    pub id: i64,
    /// The card.
    pub card: i64,
    /// A conversation id, or `webhook:<topic>`.
    pub destination: String,
    /// False once the conversation is gone: nothing is sent there any more.
    pub active: bool,
}

/// Where one topic's alerts stand when an evaluation begins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertState {
    /// Its firing alerts.
    pub firing: Vec<FiringAlert>,
    /// Its open cards.
    pub open_cards: BTreeSet<i64>,
    /// Mute keys in force (topics, `card:<id>`).
    pub muted: HashSet<String>,
    /// Where its open cards and the cards of its firing alerts were posted, oldest first.
    pub messages: Vec<CardMessage>,
}

/// A card of a plan: one that exists, or one the plan opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardRef {
    /// An existing card.
    Existing(i64),
    /// The card the plan opens for its `n`th group of alerts that begin firing ([`AlertPlan::fired`]).
    New(usize),
}

/// A message a plan sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSend {
    /// What.
    pub what: SendWhat,
    /// Sent only if this evaluation closes that card (another may have closed it first).
    pub if_closed: Option<i64>,
}

/// What an [`AlertSend`] writes to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendWhat {
    /// The card changed: update the message in place (unless an update already waits).
    Update {
        /// `alert_message.id`.
        message: i64,
    },
    /// A webhook's message cannot be edited: it hears of the card again when it resolves.
    WebhookResolved {
        /// `alert_message.id`.
        message: i64,
    },
    /// Post the card to a destination that lacks it.
    Post {
        /// The card.
        card: CardRef,
        /// A conversation id, or `webhook:<topic>`.
        destination: String,
    },
}

/// What one evaluation of a topic changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertPlan {
    /// Firing alerts whose severity, title or detail changed, with what they are now.
    pub changed: Vec<(i64, AlertFinding)>,
    /// Firing alerts found again.
    pub repeated: Vec<i64>,
    /// Firing alerts not found any more.
    pub resolved: Vec<i64>,
    /// Alerts that begin firing (by key), in groups: each group on a new card of its own.
    pub fired: Vec<Vec<(String, AlertFinding)>>,
    /// Alerts that begin firing on a card that is open (their group's, [`crate::alerts::Topic::card_group`]).
    pub joined: Vec<(i64, String, AlertFinding)>,
    /// Cards whose every alert resolved.
    pub close: Vec<i64>,
    /// The messages, in order.
    pub sends: Vec<AlertSend>,
}

/// One alert as its card shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AlertRow {
    /// Id.
    pub id: i64,
    /// Subject.
    pub subject: String,
    /// `warning` or `critical`.
    pub severity: String,
    /// Title, as a stored message (`alerts::said::draw` writes it for a reader).
    pub title: String,
    /// Detail, as a stored message.
    pub detail: Option<String>,
    /// Owners, as the source names them.
    pub owners: Option<String>,
    /// `firing` or `resolved`.
    pub state: String,
    /// When this episode began.
    pub first_fired_at: DateTime<Utc>,
    /// When a rule last found it.
    pub last_seen_at: DateTime<Utc>,
    /// When it stopped.
    pub resolved_at: Option<DateTime<Utc>>,
    /// Evaluations that found it.
    pub fire_count: i64,
}

/// A card and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertCard {
    /// Card id.
    pub id: i64,
    /// Topic.
    pub topic: String,
    /// When its first alert fired.
    pub opened_at: DateTime<Utc>,
    /// When its last alert resolved.
    pub closed_at: Option<DateTime<Utc>>,
    /// Who acknowledged it, and when.
    pub acknowledged: Option<(String, DateTime<Utc>)>,
    /// Until when it is muted (the card's own mute or its topic's, the later).
    pub muted_until: Option<DateTime<Utc>>,
    /// Its alerts, firing first, at most [`CARD_ALERTS`].
    pub alerts: Vec<AlertRow>,
    /// How many of its alerts fire.
    pub firing: i64,
    /// How many it has in all.
    pub total: i64,
}

/// Alerts a card lists at most (the rest are counted).
pub const CARD_ALERTS: i64 = 100;

/// One message to send, claimed from the outbox.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxItem {
    /// Outbox row.
    pub id: i64,
    /// `alert_message.id`.
    pub message_id: i64,
    /// `post` or `update`.
    pub operation: String,
    /// Heartbeat data (JSON).
    pub payload: Option<String>,
    /// Attempts before this one.
    pub attempts: i64,
    /// `alert` or `heartbeat`.
    pub kind: String,
    /// The card, for alerts.
    pub card_id: Option<i64>,
    /// A conversation id, or `webhook:<topic>`.
    #[sqlx(try_from = "BinText")]
    pub destination: String,
    /// The posted message's Teams id, once posted.
    pub activity_id: Option<String>,
}

/// Insert ids on either backend.
trait InsertId {
    fn insert_id(&self) -> i64;
}

impl InsertId for MySqlQueryResult {
    fn insert_id(&self) -> i64 {
        i64::try_from(self.last_insert_id()).unwrap_or(i64::MAX)
    }
}

impl InsertId for SqliteQueryResult {
    fn insert_id(&self) -> i64 {
        self.last_insert_rowid()
    }
}

/// Binds each id of `$ids` after what `$query` already binds (the `IN (…)` of [`marks`]).
macro_rules! bind_ids {
    ($query:expr, $ids:expr) => {
        $ids.iter().fold($query, |q, id| q.bind(*id))
    };
}

/// `?, ?, ?` for `n` values.
fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// The payload of a webhook's first post of a card: a post still waiting when the card resolves is left out
/// (the resolution's own post follows), so a webhook never shows "resolved" twice.
pub const WEBHOOK_OPENED: &str = "opened";
/// The payload of a webhook's post of a card's resolution.
pub const WEBHOOK_RESOLVED: &str = "resolved";

/// Longest `alert_key` (the column's length): longer subjects are keyed by a hash.
const MAX_KEY_CHARS: usize = 512;

/// `topic:subject`, or `topic:#<FNV-1a 64 of the subject>` when that would not fit the key column (Glue names
/// may be 255 characters each).
pub fn alert_key(topic: &str, subject: &str) -> String {
    let key = format!("{topic}:{subject}");
    if key.chars().count() <= MAX_KEY_CHARS {
        return key;
    }
    let hash = subject.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{topic}:#{hash:016x}")
}

/// The mute key of a card.
pub fn card_mute_key(card_id: i64) -> String {
    format!("card:{card_id}")
}

/// The destination name of a topic's webhook.
pub fn webhook_destination(topic: &str) -> String {
    format!("webhook:{topic}")
}

/// Writes one outbox row (inside a transaction `$tx`).
macro_rules! queue {
    ($tx:ident, $message:expr, $operation:expr, $payload:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO outbox (message_id, operation, payload, state, next_attempt_at, created_at) \
             VALUES (?, ?, ?, 'pending', ?, ?)",
        )
        .bind($message)
        .bind($operation)
        .bind($payload)
        .bind($now)
        .bind($now)
        .execute(&mut *$tx)
        .await?
    };
}

/// Queues an update of a message unless one not yet claimed is waiting (it will draw the latest state); true when
/// a row was written.
macro_rules! queue_update {
    ($tx:ident, $message:expr, $now:expr, $lock:expr) => {{
        // A locking read on MySQL: a worker claiming that row meanwhile is either seen (and a new row written)
        // or waits for this transaction (and draws the card after it). SQLite's write lock orders them anyway.
        let waiting: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT id FROM outbox WHERE message_id = ? AND state = 'pending' AND claimed_by IS NULL LIMIT 1{}",
            $lock
        ))
        .bind($message)
        .fetch_optional(&mut *$tx)
        .await?;
        if waiting.is_none() {
            queue!($tx, $message, "update", None::<&str>, $now);
        }
        waiting.is_none()
    }};
}

impl Store {
    /// The suffix of a locking read inside a write transaction.
    fn update_lock(&self) -> &'static str {
        match self.pool {
            Pool::MySql(_) => " FOR UPDATE",
            Pool::Sqlite(_) => "",
        }
    }

    /// Subscribes a conversation to a topic; false when it already was.
    pub async fn subscribe(
        &self,
        conversation_id: &str,
        topic: &str,
        by: &Person,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = match self.pool {
            Pool::MySql(_) => {
                "INSERT IGNORE INTO alert_subscription (conversation_id, topic, \
                 subscribed_by_aad_object_id, subscribed_by_name, subscribed_at) VALUES (?, ?, ?, ?, ?)"
            }
            Pool::Sqlite(_) => {
                "INSERT OR IGNORE INTO alert_subscription (conversation_id, topic, \
                 subscribed_by_aad_object_id, subscribed_by_name, subscribed_at) VALUES (?, ?, ?, ?, ?)"
            }
        };
        on_pool!(self, pool => sqlx::query(sql)
            .bind(conversation_id)
            .bind(topic)
            .bind(&by.aad_object_id)
            .bind(&by.name)
            .bind(at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
        .map_err(StoreError::query("subscribe to a topic"))
    }

    /// Ends a subscription; false when there was none.
    pub async fn unsubscribe(
        &self,
        conversation_id: &str,
        topic: &str,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => sqlx::query(
                "DELETE FROM alert_subscription WHERE conversation_id = ? AND topic = ?")
            .bind(conversation_id)
            .bind(topic)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() > 0))
        .map_err(StoreError::query("unsubscribe from a topic"))
    }

    /// The topics a conversation receives.
    pub async fn subscriptions(&self, conversation_id: &str) -> Result<Vec<String>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar(
                "SELECT topic FROM alert_subscription WHERE conversation_id = ? ORDER BY topic")
            .bind(conversation_id)
            .fetch_all(pool)
            .await)
        .map_err(StoreError::query("read subscriptions"))
    }

    /// The conversations Doberman may still post to that receive `topic`.
    pub async fn subscribers(&self, topic: &str) -> Result<Vec<String>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar::<_, BinText>(
                "SELECT s.conversation_id FROM alert_subscription s \
                 JOIN conversation_ref c ON c.conversation_id = s.conversation_id \
                 WHERE s.topic = ? AND c.active = 1 ORDER BY s.subscribed_at, s.conversation_id")
            .bind(topic)
            .fetch_all(pool)
            .await)
        .map(|ids| ids.into_iter().map(|b| b.0).collect())
        .map_err(StoreError::query("read a topic's subscribers"))
    }

    /// Mutes a topic or a card (`card:<id>`) until `until`, replacing an earlier mute of it. A card's mute is
    /// recorded on the card's audit, and its messages are updated to show it.
    pub async fn mute(
        &self,
        key: &str,
        until: DateTime<Utc>,
        by: &Person,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let card = key
            .strip_prefix("card:")
            .and_then(|id| id.parse::<i64>().ok());
        let lock = self.update_lock();
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM alert_mute WHERE mute_key = ?").bind(key).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO alert_mute (mute_key, muted_until, muted_by_aad_object_id, muted_by_name, \
                         muted_at) VALUES (?, ?, ?, ?, ?)")
                .bind(key).bind(until).bind(&by.aad_object_id).bind(&by.name).bind(at)
                .execute(&mut *tx).await?;
            if let Some(card) = card {
                sqlx::query("INSERT INTO alert_event (card_id, alert_id, at, kind, actor_aad_object_id, actor_name, \
                             detail) VALUES (?, NULL, ?, 'muted', ?, ?, ?)")
                    .bind(card).bind(at).bind(&by.aad_object_id).bind(&by.name)
                    .bind(format!("until {}", until.format("%Y-%m-%d %H:%M UTC")))
                    .execute(&mut *tx).await?;
                let messages: Vec<(i64, BinText)> = sqlx::query_as(
                    "SELECT id, destination FROM alert_message WHERE card_id = ? AND active = 1")
                    .bind(card).fetch_all(&mut *tx).await?;
                for (message, BinText(destination)) in messages {
                    if !destination.starts_with("webhook:") {
                        let _queued = queue_update!(tx, message, at, lock);
                    }
                }
            }
            tx.commit().await
        }.await)
        .map_err(StoreError::query("mute alerts"))
    }

    /// Ends a mute; false when there was none in force.
    pub async fn unmute(&self, key: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        on_pool!(self, pool => sqlx::query("DELETE FROM alert_mute WHERE mute_key = ? AND muted_until > ?")
            .bind(key)
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() > 0))
        .map_err(StoreError::query("unmute alerts"))
    }

    /// Mutes in force at `now`: (key, until).
    pub async fn mutes(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
        on_pool!(self, pool => sqlx::query_as::<_, (BinText, DateTime<Utc>)>(
                "SELECT mute_key, muted_until FROM alert_mute WHERE muted_until > ? ORDER BY mute_key")
            .bind(now)
            .fetch_all(pool)
            .await)
        .map(|rows| rows.into_iter().map(|(k, at)| (k.0, at)).collect())
        .map_err(StoreError::query("read mutes"))
    }

    /// Applies one evaluation of `topic`'s rules in one transaction: reads where the topic's alerts stand
    /// ([`AlertState`]), asks `plan` what changes (the policy is the caller's: `alerts::lifecycle`), and writes the
    /// plan with the outbox messages announcing it. A card's closing is conditional (another evaluation may have
    /// closed it): sends that depend on it are written only when this evaluation closed the card.
    pub async fn apply_alert_plan<F>(
        &self,
        topic: &str,
        now: DateTime<Utc>,
        plan: F,
    ) -> Result<Applied, StoreError>
    where
        F: FnOnce(&AlertState) -> AlertPlan + Send,
    {
        let lock = self.update_lock();
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await?;
            #[allow(clippy::type_complexity)]
            let firing: Vec<(i64, BinText, BinText, i64, String, String, Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT id, alert_key, subject, card_id, severity, COALESCE(title_msg, title), COALESCE(detail_msg, detail), \
                 owners FROM alert \
                 WHERE topic = ? AND state = 'firing'")
                .bind(topic).fetch_all(&mut *tx).await?;
            let open_cards: BTreeSet<i64> = sqlx::query_scalar::<_, i64>(
                "SELECT id FROM alert_card WHERE topic = ? AND closed_at IS NULL")
                .bind(topic).fetch_all(&mut *tx).await?.into_iter().collect();
            // Expired mutes of cards are kept a week for the audit's sake, then dropped.
            sqlx::query("DELETE FROM alert_mute WHERE muted_until < ? AND mute_key LIKE 'card:%'")
                .bind(now - chrono::Duration::days(7)).execute(&mut *tx).await?;
            let muted: HashSet<String> = sqlx::query_scalar::<_, BinText>(
                "SELECT mute_key FROM alert_mute WHERE muted_until > ?")
                .bind(now).fetch_all(&mut *tx).await?.into_iter().map(|k| k.0).collect();
            let cards: Vec<i64> = open_cards.iter().copied()
                .chain(firing.iter().map(|f| f.3))
                .collect::<BTreeSet<i64>>().into_iter().collect();
            let mut messages = Vec::new();
            for chunk in cards.chunks(IN_CHUNK) {
                let rows: Vec<(i64, i64, BinText, i64)> = bind_ids!(sqlx::query_as(&format!(
                    "SELECT id, card_id, destination, active FROM alert_message WHERE card_id IN ({}) ORDER BY id",
                    marks(chunk.len()))), chunk)
                    .fetch_all(&mut *tx).await?;
                messages.extend(rows.into_iter().map(|(id, card, BinText(destination), active)| CardMessage {
                    id, card, destination, active: active == 1,
                }));
            }
            let state = AlertState {
                firing: firing.into_iter().map(|(id, BinText(key), BinText(subject), card, severity, title, detail, owners)| FiringAlert {
                    id, key, subject, card, severity, title, detail, owners,
                }).collect(),
                open_cards,
                muted,
                messages,
            };
            let plan = plan(&state);

            let mut applied = Applied {
                repeated: plan.repeated.len(),
                resolved: plan.resolved.len(),
                ..Applied::default()
            };
            for (id, f) in &plan.changed {
                let said = Said::of(f, now);
                sqlx::query("UPDATE alert SET severity = ?, title = ?, title_msg = ?, detail = ?, detail_msg = ?, \
                             owners = ? WHERE id = ?")
                    .bind(&f.severity).bind(&said.title).bind(&said.title_msg).bind(&said.detail)
                    .bind(&said.detail_msg).bind(&f.owners).bind(id)
                    .execute(&mut *tx).await?;
            }
            for chunk in plan.repeated.chunks(IN_CHUNK) {
                bind_ids!(sqlx::query(&format!(
                    "UPDATE alert SET last_seen_at = ?, fire_count = fire_count + 1 WHERE id IN ({})", marks(chunk.len())))
                    .bind(now), chunk)
                    .execute(&mut *tx).await?;
            }
            for chunk in plan.resolved.chunks(IN_CHUNK) {
                bind_ids!(sqlx::query(&format!(
                    "UPDATE alert SET state = 'resolved', open_key = NULL, resolved_at = ? WHERE id IN ({})",
                    marks(chunk.len())))
                    .bind(now), chunk)
                    .execute(&mut *tx).await?;
                bind_ids!(sqlx::query(&format!(
                    "INSERT INTO alert_event (card_id, alert_id, at, kind, detail) \
                     SELECT card_id, id, ?, 'resolved', subject FROM alert WHERE id IN ({})", marks(chunk.len())))
                    .bind(now), chunk)
                    .execute(&mut *tx).await?;
            }
            for group in &plan.fired {
                let card = sqlx::query("INSERT INTO alert_card (topic, opened_at) VALUES (?, ?)")
                    .bind(topic).bind(now).execute(&mut *tx).await?.insert_id();
                // Thirteen values a row: well under either backend's limit at 80 rows a statement.
                for chunk in group.chunks(80) {
                    let rows = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'firing', ?, ?, ?, 1)"; chunk.len()].join(", ");
                    let sql = format!(
                        "INSERT INTO alert (alert_key, open_key, topic, subject, severity, title, title_msg, detail, \
                         detail_msg, owners, state, card_id, first_fired_at, last_seen_at, fire_count) VALUES {rows}");
                    let mut q = sqlx::query(&sql);
                    for (key, f) in chunk {
                        let said = Said::of(f, now);
                        q = q.bind(key.as_str()).bind(key.as_str()).bind(topic).bind(&f.subject)
                            .bind(&f.severity).bind(said.title).bind(said.title_msg).bind(said.detail)
                            .bind(said.detail_msg).bind(&f.owners).bind(card)
                            .bind(now).bind(now);
                    }
                    q.execute(&mut *tx).await?;
                }
                sqlx::query("INSERT INTO alert_event (card_id, alert_id, at, kind, detail) \
                             SELECT card_id, id, ?, 'fired', subject FROM alert WHERE card_id = ?")
                    .bind(now).bind(card).execute(&mut *tx).await?;
                applied.fired += group.len();
                applied.cards_opened.push(card);
            }
            for (card, key, f) in &plan.joined {
                let said = Said::of(f, now);
                let id = sqlx::query(
                    "INSERT INTO alert (alert_key, open_key, topic, subject, severity, title, title_msg, detail, \
                     detail_msg, owners, state, card_id, first_fired_at, last_seen_at, fire_count) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'firing', ?, ?, ?, 1)")
                    .bind(key.as_str()).bind(key.as_str()).bind(topic).bind(&f.subject)
                    .bind(&f.severity).bind(said.title).bind(said.title_msg).bind(said.detail)
                    .bind(said.detail_msg).bind(&f.owners).bind(card)
                    .bind(now).bind(now)
                    .execute(&mut *tx).await?.insert_id();
                sqlx::query("INSERT INTO alert_event (card_id, alert_id, at, kind, detail) VALUES (?, ?, ?, 'fired', ?)")
                    .bind(card).bind(id).bind(now).bind(&f.subject).execute(&mut *tx).await?;
                applied.fired += 1;
            }
            let mut closed_now: HashSet<i64> = HashSet::new();
            for card in &plan.close {
                // Only the evaluation that closes a card announces it (another replica may have).
                let closed = sqlx::query("UPDATE alert_card SET closed_at = ? WHERE id = ? AND closed_at IS NULL")
                    .bind(now).bind(card).execute(&mut *tx).await?.rows_affected() == 1;
                if closed {
                    closed_now.insert(*card);
                }
            }
            for send in &plan.sends {
                if send.if_closed.is_some_and(|card| !closed_now.contains(&card)) {
                    continue;
                }
                match &send.what {
                    SendWhat::Update { message } => {
                        applied.queued += usize::from(queue_update!(tx, *message, now, lock));
                    }
                    SendWhat::WebhookResolved { message } => {
                        queue!(tx, *message, "post", Some(WEBHOOK_RESOLVED), now);
                        applied.queued += 1;
                    }
                    SendWhat::Post { card, destination } => {
                        let card = match card {
                            CardRef::Existing(id) => *id,
                            CardRef::New(n) => match applied.cards_opened.get(*n) {
                                Some(id) => *id,
                                None => continue,
                            },
                        };
                        let message = sqlx::query(
                            "INSERT INTO alert_message (card_id, kind, destination, created_at) \
                             VALUES (?, 'alert', ?, ?)")
                            .bind(card).bind(destination).bind(now).execute(&mut *tx).await?.insert_id();
                        let marker = destination.starts_with("webhook:").then_some(WEBHOOK_OPENED);
                        queue!(tx, message, "post", marker, now);
                        applied.queued += 1;
                    }
                }
            }
            tx.commit().await?;
            Ok::<Applied, sqlx::Error>(applied)
        }.await)
        .map_err(StoreError::query("apply an alert evaluation"))
    }

    /// Records who acknowledged a card and queues its update everywhere it was posted. `None`: no such card;
    /// `Some(false)`: already acknowledged (nothing changed).
    pub async fn acknowledge_card(
        &self,
        card: i64,
        by: &Person,
        at: DateTime<Utc>,
    ) -> Result<Option<bool>, StoreError> {
        let who = by.name.clone().unwrap_or_else(|| "someone".to_owned());
        let lock = self.update_lock();
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM alert_card WHERE id = ?")
                .bind(card).fetch_optional(&mut *tx).await?;
            if exists.is_none() {
                return Ok(None);
            }
            let changed = sqlx::query(
                "UPDATE alert_card SET acknowledged_by_aad_object_id = ?, acknowledged_by_name = ?, \
                 acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL")
                .bind(&by.aad_object_id).bind(&who).bind(at).bind(card)
                .execute(&mut *tx).await?.rows_affected() == 1;
            if changed {
                sqlx::query("INSERT INTO alert_event (card_id, alert_id, at, kind, actor_aad_object_id, actor_name) \
                             VALUES (?, NULL, ?, 'acknowledged', ?, ?)")
                    .bind(card).bind(at).bind(&by.aad_object_id).bind(&who)
                    .execute(&mut *tx).await?;
                let messages: Vec<(i64, BinText)> = sqlx::query_as(
                    "SELECT id, destination FROM alert_message WHERE card_id = ? AND active = 1")
                    .bind(card).fetch_all(&mut *tx).await?;
                for (message, BinText(destination)) in messages {
                    if !destination.starts_with("webhook:") {
                        let _queued = queue_update!(tx, message, at, lock);
                    }
                }
            }
            tx.commit().await?;
            Ok::<Option<bool>, sqlx::Error>(Some(changed))
        }.await)
        .map_err(StoreError::query("acknowledge an alert"))
    }

    /// A card with its alerts (firing first, at most [`CARD_ALERTS`]) as of `now`.
    pub async fn alert_card(
        &self,
        card: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<AlertCard>, StoreError> {
        #[allow(clippy::type_complexity)]
        let head: Option<(i64, String, DateTime<Utc>, Option<DateTime<Utc>>, Option<String>, Option<DateTime<Utc>>)> =
            on_pool!(self, pool => sqlx::query_as(
                "SELECT id, topic, opened_at, closed_at, acknowledged_by_name, acknowledged_at FROM alert_card \
                 WHERE id = ?")
            .bind(card)
            .fetch_optional(pool)
            .await)
            .map_err(StoreError::query("read an alert card"))?;
        let Some((id, topic, opened_at, closed_at, ack_name, ack_at)) = head else {
            return Ok(None);
        };
        let alerts: Vec<AlertRow> = on_pool!(self, pool => sqlx::query_as(
                "SELECT id, subject, severity, COALESCE(title_msg, title) AS title, \
                 COALESCE(detail_msg, detail) AS detail, owners, state, first_fired_at, last_seen_at, \
                 resolved_at, fire_count FROM alert WHERE card_id = ? \
                 ORDER BY CASE state WHEN 'firing' THEN 0 ELSE 1 END, \
                 CASE severity WHEN 'critical' THEN 0 ELSE 1 END, subject LIMIT ?")
            .bind(card)
            .bind(CARD_ALERTS)
            .fetch_all(pool)
            .await)
            .map_err(StoreError::query("read a card's alerts"))?;
        let (firing, total): (i64, i64) = on_pool!(self, pool => sqlx::query_as(
                "SELECT CAST(COALESCE(SUM(CASE state WHEN 'firing' THEN 1 ELSE 0 END), 0) AS SIGNED INTEGER), COUNT(*) FROM alert \
                 WHERE card_id = ?")
            .bind(card)
            .fetch_one(pool)
            .await)
            .map_err(StoreError::query("count a card's alerts"))?;
        let muted_until: Option<DateTime<Utc>> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT MAX(muted_until) FROM alert_mute WHERE (mute_key = ? OR mute_key = ?) AND muted_until > ?")
            .bind(card_mute_key(card))
            .bind(&topic)
            .bind(now)
            .fetch_one(pool)
            .await)
            .map_err(StoreError::query("read a card's mute"))?;
        Ok(Some(AlertCard {
            id,
            topic,
            opened_at,
            closed_at,
            acknowledged: ack_name.zip(ack_at),
            muted_until,
            alerts,
            firing,
            total,
        }))
    }

    /// Firing alerts per topic.
    pub async fn firing_alerts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        on_pool!(self, pool => sqlx::query_as(
                "SELECT topic, COUNT(*) FROM alert WHERE state = 'firing' GROUP BY topic ORDER BY topic")
            .fetch_all(pool)
            .await)
        .map_err(StoreError::query("count firing alerts"))
    }

    /// Queues a chat answer that could not be delivered at once (`payload`: where it goes and the activity, as JSON)
    /// for another attempt at `next`, after `attempts` made; optionally deletes its inbox row in the same
    /// transaction, so the answer is always in one of the two.
    pub async fn queue_reply(
        &self,
        destination: &str,
        payload: &str,
        attempts: i64,
        next: DateTime<Utc>,
        inbox_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await?;
            let message = sqlx::query(
                "INSERT INTO alert_message (card_id, kind, destination, created_at) VALUES (NULL, 'reply', ?, ?)")
                .bind(destination).bind(now).execute(&mut *tx).await?.insert_id();
            sqlx::query(
                "INSERT INTO outbox (message_id, operation, payload, state, attempts, next_attempt_at, created_at) \
                 VALUES (?, 'post', ?, 'pending', ?, ?, ?)")
                .bind(message).bind(payload).bind(attempts).bind(next).bind(now)
                .execute(&mut *tx).await?;
            if let Some(id) = inbox_id {
                sqlx::query("DELETE FROM inbox WHERE id = ?").bind(id).execute(&mut *tx).await?;
            }
            tx.commit().await
        }.await)
        .map_err(StoreError::query("queue an answer for another attempt"))
    }

    /// Queues one heartbeat (its card data as JSON) to each destination; returns how many.
    pub async fn queue_heartbeat(
        &self,
        destinations: &[String],
        payload: &str,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await?;
            for destination in destinations {
                let message = sqlx::query(
                    "INSERT INTO alert_message (card_id, kind, destination, created_at) VALUES (NULL, 'heartbeat', ?, ?)")
                    .bind(destination).bind(now).execute(&mut *tx).await?.insert_id();
                queue!(tx, message, "post", Some(payload), now);
            }
            tx.commit().await
        }.await)
        .map_err(StoreError::query("queue the heartbeat"))?;
        Ok(destinations.len())
    }

    /// Claims up to `limit` due messages for `holder` until `until`: per message only the oldest pending one (a
    /// message's post goes before its updates), none another live claim holds.
    pub async fn claim_outbox(
        &self,
        holder: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let candidates: Vec<OutboxItem> = on_pool!(self, pool => sqlx::query_as(
                "SELECT o.id, o.message_id, o.operation, o.payload, o.attempts, m.kind, m.card_id, m.destination, \
                 m.activity_id FROM outbox o JOIN alert_message m ON m.id = o.message_id \
                 WHERE o.state = 'pending' AND o.next_attempt_at <= ? \
                 AND (o.claimed_until IS NULL OR o.claimed_until < ?) \
                 AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.message_id = o.message_id AND p.state = 'pending' \
                                 AND p.id < o.id) \
                 ORDER BY o.id LIMIT ?")
            .bind(now)
            .bind(now)
            .bind(limit)
            .fetch_all(pool)
            .await)
            .map_err(StoreError::query("read the outbox"))?;
        let mut claimed = Vec::with_capacity(candidates.len());
        for item in candidates {
            let won = on_pool!(self, pool => sqlx::query(
                    "UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id = ? AND state = 'pending' \
                     AND (claimed_until IS NULL OR claimed_until < ?)")
                .bind(holder)
                .bind(until)
                .bind(item.id)
                .bind(now)
                .execute(pool)
                .await
                .map(|r| r.rows_affected() == 1))
                .map_err(StoreError::query("claim an outbox message"))?;
            if won {
                claimed.push(item);
            }
        }
        Ok(claimed)
    }

    /// Records a delivered message, and the Teams id of a post (for later updates).
    pub async fn outbox_sent(
        &self,
        item: &OutboxItem,
        activity_id: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await?;
            // Whoever sent it records it, even if its claim lapsed meanwhile: the message did go out.
            sqlx::query("UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, claimed_by = NULL, \
                         claimed_until = NULL, last_error = NULL WHERE id = ?")
                .bind(at).bind(item.id).execute(&mut *tx).await?;
            if let Some(activity_id) = activity_id {
                sqlx::query("UPDATE alert_message SET activity_id = ? WHERE id = ?")
                    .bind(activity_id).bind(item.message_id).execute(&mut *tx).await?;
            }
            tx.commit().await
        }.await)
        .map_err(StoreError::query("record a delivered message"))
    }

    /// Puts a message back for another attempt at `next`, with why this one failed.
    pub async fn outbox_retry(
        &self,
        item: &OutboxItem,
        holder: &str,
        next: DateTime<Utc>,
        error: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, claimed_by = NULL, \
                 claimed_until = NULL, last_error = ? WHERE id = ? AND claimed_by = ?")
            .bind(next)
            .bind(error)
            .bind(item.id)
            .bind(holder)
            .execute(pool)
            .await
            .map(|_| ()))
        .map_err(StoreError::query("reschedule a message"))
    }

    /// Gives a message up; `gone` also marks its destination's message inactive (Doberman was removed there), so
    /// nothing more is queued to it.
    pub async fn outbox_drop(
        &self,
        item: &OutboxItem,
        holder: &str,
        error: &str,
        gone: bool,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE outbox SET state = 'dropped', attempts = attempts + 1, claimed_by = NULL, \
                         claimed_until = NULL, last_error = ? WHERE id = ? AND claimed_by = ?")
                .bind(error).bind(item.id).bind(holder).execute(&mut *tx).await?;
            if gone {
                sqlx::query("UPDATE alert_message SET active = 0 WHERE destination = ?")
                    .bind(&item.destination).execute(&mut *tx).await?;
                sqlx::query("UPDATE outbox SET state = 'dropped', last_error = ? WHERE state = 'pending' \
                             AND claimed_by IS NULL AND message_id IN \
                             (SELECT id FROM alert_message WHERE destination = ?)")
                    .bind(error).bind(&item.destination).execute(&mut *tx).await?;
            }
            tx.commit().await
        }.await)
        .map_err(StoreError::query("drop a message"))
    }

    /// Extends `holder`'s claim on a message until `until`; false when the claim lapsed and another worker took
    /// it (or it is no longer pending).
    pub async fn renew_outbox_claim(
        &self,
        item: &OutboxItem,
        holder: &str,
        until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE outbox SET claimed_until = ? WHERE id = ? AND state = 'pending' AND claimed_by = ?")
            .bind(until)
            .bind(item.id)
            .bind(holder)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
        .map_err(StoreError::query("renew an outbox claim"))
    }

    /// Who holds claims on pending messages.
    pub async fn outbox_claim_holders(&self) -> Result<Vec<String>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar::<_, BinText>(
                "SELECT DISTINCT claimed_by FROM outbox WHERE state = 'pending' AND claimed_by IS NOT NULL")
            .fetch_all(pool)
            .await)
        .map(|v| v.into_iter().map(|b| b.0).collect())
        .map_err(StoreError::query("read outbox claims"))
    }

    /// Lets go of a (dead) holder's claims at once; returns how many messages it held.
    pub async fn release_outbox_claims(&self, holder: &str) -> Result<u64, StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL WHERE state = 'pending' AND claimed_by = ?")
            .bind(holder)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
        .map_err(StoreError::query("release outbox claims"))
    }

    /// Messages waiting to be sent, and the oldest one's creation time.
    pub async fn outbox_backlog(&self) -> Result<(i64, Option<DateTime<Utc>>), StoreError> {
        on_pool!(self, pool => sqlx::query_as(
                "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE state = 'pending'")
            .fetch_one(pool)
            .await)
        .map_err(StoreError::query("read the outbox backlog"))
    }
}

/// A table as the freshness rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChanges {
    /// `account/region/database.table`: the alert's subject.
    pub key: String,
    /// `database.table`: what globs match and people read.
    pub name: String,
    /// The latest data change known.
    pub changed_at: Option<DateTime<Utc>>,
    /// Distinct data change times seen in the daily snapshots since the asked day, oldest first.
    pub history: Vec<DateTime<Utc>>,
}

/// `table` with `history` before its latest change.
pub fn with_history(mut table: TableChanges, history: Option<&Vec<DateTime<Utc>>>) -> TableChanges {
    let Some(history) = history else {
        return table;
    };
    let mut seen = history.clone();
    if let Some(at) = table.changed_at
        && seen.last().is_none_or(|last| *last < at)
    {
        seen.push(at);
    }
    table.history = seen;
    table
}

/// Athena figures for the athena rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AthenaWindow {
    /// Queries finished in the last hour, and how many of them failed.
    pub hour: (i64, i64),
    /// The same over the last seven days.
    pub week: (i64, i64),
    /// Queries of the last day that scanned more than the limit: (query id, work group, bytes, submitted).
    pub big_scans: Vec<(String, String, i64, DateTime<Utc>)>,
}

impl Store {
    /// Every table (not views, not dropped) with its data changes seen since `since` (a snapshot day).
    pub async fn table_changes(
        &self,
        since: chrono::NaiveDate,
    ) -> Result<Vec<TableChanges>, StoreError> {
        let history = self.change_history(since).await?;
        Ok(self
            .current_tables()
            .await?
            .into_iter()
            .map(|(id, table)| with_history(table, history.get(&id)))
            .collect())
    }

    /// Every table (not views, not dropped) by id, with its latest data change as its only history.
    pub async fn current_tables(&self) -> Result<Vec<(i64, TableChanges)>, StoreError> {
        #[allow(clippy::type_complexity)]
        let tables: Vec<(i64, BinText, BinText, BinText, BinText, Option<DateTime<Utc>>)> =
            on_pool!(self, pool => sqlx::query_as(
                "SELECT id, account, region, database_name, table_name, data_changed_at FROM dim_table \
                 WHERE dropped_at IS NULL AND (table_type IS NULL OR table_type <> 'VIRTUAL_VIEW') ORDER BY id")
            .fetch_all(pool)
            .await)
            .map_err(StoreError::query("read tables for freshness"))?;
        Ok(tables
            .into_iter()
            .map(
                |(
                    id,
                    BinText(account),
                    BinText(region),
                    BinText(database),
                    BinText(table),
                    changed_at,
                )| {
                    (
                        id,
                        TableChanges {
                            key: format!("{account}/{region}/{database}.{table}"),
                            name: format!("{database}.{table}"),
                            changed_at,
                            history: changed_at.into_iter().collect(),
                        },
                    )
                },
            )
            .collect())
    }

    /// How many tables (not views, not dropped) the catalog holds.
    pub async fn table_count(&self) -> Result<i64, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar(
                "SELECT COUNT(*) FROM dim_table WHERE dropped_at IS NULL \
                 AND (table_type IS NULL OR table_type <> 'VIRTUAL_VIEW')")
            .fetch_one(pool)
            .await)
        .map_err(StoreError::query("count tables"))
    }

    /// Distinct data change times per table id seen in the daily snapshots since `since`, oldest first. They
    /// change once a day: callers may keep them for the day.
    pub async fn change_history(
        &self,
        since: chrono::NaiveDate,
    ) -> Result<HashMap<i64, Vec<DateTime<Utc>>>, StoreError> {
        let changes: Vec<(i64, DateTime<Utc>)> = on_pool!(self, pool => sqlx::query_as(
                "SELECT DISTINCT table_id, data_changed_at FROM fact_table_snapshot_daily \
                 WHERE snapshot_date >= ? AND data_changed_at IS NOT NULL ORDER BY table_id, data_changed_at")
            .bind(since)
            .fetch_all(pool)
            .await)
            .map_err(StoreError::query("read table change history"))?;
        let mut history: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
        for (id, at) in changes {
            history.entry(id).or_default().push(at);
        }
        Ok(history)
    }

    /// [`Store::change_history`] of the tables `ids` only (a catalog card's few tables), the days `since` to
    /// `until`. Each day is named, so the lookups are points on the key (snapshot_date, table_id) rather than a
    /// scan of every table's days: a card on the request path reads its own rows only.
    pub async fn change_history_of(
        &self,
        ids: &[i64],
        since: chrono::NaiveDate,
        until: chrono::NaiveDate,
    ) -> Result<HashMap<i64, Vec<DateTime<Utc>>>, StoreError> {
        let mut history: HashMap<i64, Vec<DateTime<Utc>>> = HashMap::new();
        let days: Vec<chrono::NaiveDate> = since.iter_days().take_while(|d| *d <= until).collect();
        if days.is_empty() {
            return Ok(history);
        }
        let day_marks = vec!["?"; days.len()].join(", ");
        for chunk in ids.chunks(200) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!(
                "SELECT DISTINCT table_id, data_changed_at FROM fact_table_snapshot_daily \
                 WHERE snapshot_date IN ({day_marks}) AND table_id IN ({marks}) AND data_changed_at IS NOT NULL \
                 ORDER BY table_id, data_changed_at"
            );
            let changes: Vec<(i64, DateTime<Utc>)> = on_pool!(self, pool => {
                let mut query = sqlx::query_as(&sql);
                for day in &days {
                    query = query.bind(*day);
                }
                for id in chunk {
                    query = query.bind(*id);
                }
                query.fetch_all(pool).await
            })
            .map_err(StoreError::query("read the change history of tables"))?;
            for (id, at) in changes {
                history.entry(id).or_default().push(at);
            }
        }
        Ok(history)
    }

    /// Failed shares over the last hour and week, and the last day's queries scanning more than `max_bytes`
    /// (none when 0).
    pub async fn athena_window(
        &self,
        now: DateTime<Utc>,
        max_bytes: i64,
    ) -> Result<AthenaWindow, StoreError> {
        let count = "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN state = 'FAILED' THEN 1 ELSE 0 END), 0) AS SIGNED INTEGER) \
                     FROM fact_athena_query WHERE submitted_at >= ? AND state IN ('SUCCEEDED', 'FAILED')";
        let hour: (i64, i64) = on_pool!(self, pool => sqlx::query_as(count)
            .bind(now - chrono::Duration::hours(1))
            .fetch_one(pool)
            .await)
        .map_err(StoreError::query("count the last hour's queries"))?;
        let week: (i64, i64) = on_pool!(self, pool => sqlx::query_as(count)
            .bind(now - chrono::Duration::days(7))
            .fetch_one(pool)
            .await)
        .map_err(StoreError::query("count the last week's queries"))?;
        let big_scans = if max_bytes > 0 {
            on_pool!(self, pool => sqlx::query_as(
                    "SELECT query_id, work_group, bytes_scanned, submitted_at FROM fact_athena_query \
                     WHERE submitted_at >= ? AND bytes_scanned > ? ORDER BY bytes_scanned DESC LIMIT 50")
                .bind(now - chrono::Duration::days(1))
                .bind(max_bytes)
                .fetch_all(pool)
                .await)
                .map_err(StoreError::query("read large Athena scans"))?
        } else {
            Vec::new()
        };
        Ok(AthenaWindow {
            hour,
            week,
            big_scans,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fit_their_column_and_stay_unique() {
        assert_eq!(alert_key("jobs", "catalog"), "jobs:catalog");
        let long_a = format!(
            "lake/ap-northeast-2/{}.{}",
            "d".repeat(255),
            "t".repeat(255)
        );
        let long_b = format!(
            "lake/ap-northeast-2/{}.{}",
            "d".repeat(255),
            "u".repeat(255)
        );
        let (a, b) = (
            alert_key("freshness", &long_a),
            alert_key("freshness", &long_b),
        );
        assert!(
            a.chars().count() <= MAX_KEY_CHARS && a.starts_with("freshness:#"),
            "{a}"
        );
        assert_ne!(a, b);
        assert_eq!(a, alert_key("freshness", &long_a), "stable");
    }
}
