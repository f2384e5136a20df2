//! From an acknowledged activity to its answer in Teams, without losing either.
//!
//! - **Accept.** `POST /api/messages` hands a verified activity to [`Dispatcher::accept`], which writes it to the
//!   `inbox` table (a group commit: one statement for all that arrived meanwhile) before the 200. The queue is
//!   bounded by memory (`teams.queue_mib` of activity JSON), not by a count: only past that is a 503 with
//!   `Retry-After` answered. When the database does not take the write within a second, the activity is kept in
//!   memory all the same (counted as not durable): an outage must not turn into refusals.
//! - **Lanes.** Each conversation has a lane: a task that exists while the conversation has activities waiting
//!   and answers them in order. A lane waiting for its conversation's pacing slot, or running a slow command,
//!   holds up only its own conversation. Commands run at most [`HANDLING`] at a time (the database is the limit);
//!   delivery has no worker count at all, only Teams' own limits, which the connector client paces.
//! - **Delivery.** An answer Teams does not take now (throttled beyond the call's budget, an outage, a token
//!   endpoint down) goes to the outbox in the same transaction that deletes its inbox row, and the outbox worker
//!   retries it with the alerts' back-off, honouring `Retry-After`. A post that may have reached Teams is not
//!   sent again (see the connector). A conversation Doberman was removed from is marked inactive.
//! - **Crash and restart.** What a killed process leaves in the inbox is answered by the next start on the same
//!   host at once (its pid is gone), or by any replica once the claim lapses ([`CLAIM`], renewed every minute
//!   while the process lives). A graceful stop answers what it can within the drain time and releases the rest.
//!   The only duplicate possible is an answer sent in the instant between Teams accepting it and its inbox row
//!   being deleted.

use std::collections::{HashMap, HashSet, VecDeque};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::FutureExt;
use tokio::sync::{Notify, Semaphore, mpsc, oneshot};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::Instrument;

use super::{Chat, conversations};
use crate::metrics::Metrics;
use crate::store::{ConversationChange, InboxRow, Store};
use crate::supervise::Health;
use crate::teams::{Activity, Answer, ConnectorClient, ConnectorError};

/// Commands run at once (answers come from the store; more would only queue for its connections).
pub const HANDLING: usize = 64;
/// How long an inbox claim lasts unless renewed.
pub const CLAIM: Duration = Duration::from_secs(600);
/// How often claims are renewed and orphaned activities looked for.
const SWEEP: Duration = Duration::from_secs(60);
/// How long an acknowledgement waits for the database before keeping the activity in memory only.
const DURABLE_WAIT: Duration = Duration::from_secs(1);
/// Rows written in one group commit at most.
const GROUP: usize = 512;
/// How long deletes of answered activities wait for company (more deletes, or an insert to ride along with):
/// one statement for several instead of one each. A crash within it may answer those again.
const DELETE_DELAY: Duration = Duration::from_millis(100);
/// Health name of the chat loop.
pub const LOOP: &str = "chat";
/// How long the lanes may answer nothing while activities wait before `/readyz` says so.
const STALL_AFTER: Duration = Duration::from_secs(120);
/// How far ahead of its tenant's pacing slot an answer is made.
const RENDER_AHEAD: Duration = Duration::from_secs(1);
/// Each queued activity counts its JSON plus this much for what surrounds it in memory.
const OVERHEAD_BYTES: usize = 1024;

/// Why an activity was not accepted.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("the activity queue is full (teams.queue_mib)")]
pub struct QueueFull;

/// One acknowledged activity in memory.
#[derive(Debug)]
struct Queued {
    id: i64,
    activity: Arc<Activity>,
    bytes: usize,
    accepted: Instant,
}

/// A write for the group-commit task.
enum Write {
    Insert(InboxRow, Option<ConversationChange>, oneshot::Sender<bool>),
    Done(i64),
    Flush(oneshot::Sender<()>),
}

/// How an activity ended.
enum Outcome {
    /// Its answer reached Teams.
    Answered,
    /// Nothing to answer (an event, a request channel message).
    NoAnswer,
    /// Its answer waits in the outbox (the inbox row went with it).
    Outbox,
    /// Given up, for the logged reason.
    Dropped(&'static str),
}

/// Hands verified activities to the lanes; cheap to clone.
#[derive(Debug, Clone)]
pub struct Dispatcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    chat: Arc<Chat>,
    store: Store,
    connector: Arc<ConnectorClient>,
    /// Wakes the outbox worker when an answer is handed to it.
    outbox: Option<Arc<Notify>>,
    holder: String,
    lanes: Mutex<HashMap<String, VecDeque<Queued>>>,
    /// Ids in memory, so a sweep never takes one of them over a second time.
    known: Mutex<HashSet<i64>>,
    bytes: AtomicUsize,
    budget: usize,
    depth: AtomicUsize,
    handling: Semaphore,
    writes: mpsc::UnboundedSender<Write>,
    lanes_running: TaskTracker,
    stop: CancellationToken,
    health: Arc<Health>,
    metrics: Arc<Metrics>,
}

impl std::fmt::Debug for Write {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Write::Insert(..) => "Insert",
            Write::Done(_) => "Done",
            Write::Flush(_) => "Flush",
        })
    }
}

/// What the dispatcher needs besides the chat logic.
#[derive(Debug, Clone)]
pub struct Wiring {
    /// The store (the inbox, and the outbox for answers to try again).
    pub store: Store,
    /// The connector client answers go through.
    pub connector: Arc<ConnectorClient>,
    /// Wakes the outbox worker.
    pub outbox: Option<Arc<Notify>>,
    /// This process's name in claims (`supervise::holder_id`).
    pub holder: String,
    /// The memory budget of queued activities, in bytes.
    pub budget_bytes: usize,
    /// Where loops report progress.
    pub health: Arc<Health>,
    /// Where outcomes are counted.
    pub metrics: Arc<Metrics>,
}

impl Dispatcher {
    /// A dispatcher over `chat`. Its group-commit writer runs from now on; call [`Dispatcher::sweep_every`] (under
    /// supervision) to renew claims and answer what earlier processes left.
    pub fn start(chat: Arc<Chat>, wiring: Wiring) -> Dispatcher {
        let (writes, rx) = mpsc::unbounded_channel();
        wiring.health.register(LOOP, STALL_AFTER);
        let inner = Arc::new(Inner {
            chat,
            store: wiring.store.clone(),
            connector: wiring.connector,
            outbox: wiring.outbox,
            holder: wiring.holder.clone(),
            lanes: Mutex::default(),
            known: Mutex::default(),
            bytes: AtomicUsize::new(0),
            budget: wiring.budget_bytes,
            depth: AtomicUsize::new(0),
            handling: Semaphore::new(HANDLING),
            writes,
            lanes_running: TaskTracker::new(),
            stop: CancellationToken::new(),
            health: wiring.health,
            metrics: wiring.metrics,
        });
        tokio::spawn(write_loop(wiring.store, wiring.holder, rx));
        Dispatcher { inner }
    }

    /// Writes `activity` (its JSON as received: `raw`) to the inbox and queues it in its conversation's lane.
    /// Refuses it only when the queue's memory budget is spent.
    pub async fn accept(&self, activity: Activity, raw: &[u8]) -> Result<(), QueueFull> {
        let inner = &self.inner;
        let bytes = raw.len() + OVERHEAD_BYTES;
        if inner.bytes.fetch_add(bytes, Ordering::AcqRel) + bytes > inner.budget {
            inner.bytes.fetch_sub(bytes, Ordering::AcqRel);
            inner.metrics.dropped("queue_full");
            return Err(QueueFull);
        }
        let id = loop {
            // Random, positive and never 0: ids from several processes share the table.
            let id = fastrand::i64(1..i64::MAX);
            if inner.lock_known().insert(id) {
                break id;
            }
        };
        let now = crate::store::now();
        let row = InboxRow {
            id,
            conversation_id: lane_of(&activity).to_owned(),
            activity: String::from_utf8_lossy(raw).into_owned(),
            received_at: now,
        };
        // What it tells of its conversation rides with it, before the acknowledgement and in arrival order.
        let change = conversations::change_of(&activity, now);
        let (tx, rx) = oneshot::channel();
        let durable = inner.writes.send(Write::Insert(row, change, tx)).is_ok()
            && matches!(tokio::time::timeout(DURABLE_WAIT, rx).await, Ok(Ok(true)));
        if !durable {
            inner.metrics.not_durable();
            tracing::warn!(
                "the database did not take an acknowledged activity in time; it is kept in memory only"
            );
        }
        self.enqueue(Queued {
            id,
            activity: Arc::new(activity),
            bytes,
            accepted: Instant::now(),
        });
        Ok(())
    }

    /// Activities waiting for their answer in memory, and their size in bytes.
    pub fn queued(&self) -> (usize, usize) {
        (
            self.inner.depth.load(Ordering::Acquire),
            self.inner.bytes.load(Ordering::Acquire),
        )
    }

    fn enqueue(&self, item: Queued) {
        let inner = &self.inner;
        let depth = inner.depth.fetch_add(1, Ordering::AcqRel) + 1;
        inner.health.waiting(LOOP, depth as u64);
        let lane = lane_of(&item.activity).to_owned();
        let new_lane = {
            let mut lanes = inner.lock_lanes();
            let queue = lanes.entry(lane.clone()).or_default();
            queue.push_back(item);
            queue.len() == 1
        };
        if new_lane {
            let me = self.clone();
            inner
                .lanes_running
                .spawn(async move { me.run_lane(lane).await });
        }
    }

    /// Answers a conversation's activities in order until none wait (or the dispatcher stops).
    async fn run_lane(&self, lane: String) {
        let inner = &self.inner;
        loop {
            if inner.stop.is_cancelled() {
                return;
            }
            // The lane's head stays queued while it is answered, so a new activity of the same conversation
            // joins this lane instead of starting a second one.
            let Some((id, activity, accepted)) = inner
                .lock_lanes()
                .get(&lane)
                .and_then(VecDeque::front)
                .map(|q| (q.id, q.activity.clone(), q.accepted))
            else {
                return;
            };
            let span = tracing::info_span!("activity", kind = %activity.kind);
            let outcome = AssertUnwindSafe(self.answer(id, &activity, accepted).instrument(span))
                .catch_unwind()
                .await
                .unwrap_or_else(|panic| {
                    let why = crate::supervise::panic_message(&*panic);
                    tracing::error!(cause = %why, "answering an activity panicked; it is given up");
                    Outcome::Dropped("panic")
                });
            let (finished, last) = {
                let mut lanes = inner.lock_lanes();
                let finished = lanes.get_mut(&lane).and_then(VecDeque::pop_front);
                // The last one closes the lane: an activity arriving after this opens a new lane (and task),
                // which this one must not also serve.
                let last = lanes.get(&lane).is_none_or(VecDeque::is_empty);
                if last {
                    lanes.remove(&lane);
                }
                (finished, last)
            };
            if let Some(item) = finished {
                self.finish(item, outcome);
            }
            if last {
                return;
            }
        }
    }

    /// Counts how an activity ended, forgets it, and deletes its inbox row (unless the outbox took it over).
    fn finish(&self, item: Queued, outcome: Outcome) {
        let inner = &self.inner;
        let (name, delete) = match outcome {
            Outcome::Answered => {
                inner
                    .metrics
                    .reply_delivered(item.accepted.elapsed().as_secs_f64());
                ("answered", true)
            }
            Outcome::NoAnswer => ("no_answer", true),
            Outcome::Outbox => ("outbox", false),
            Outcome::Dropped(reason) => {
                inner.metrics.dropped(reason);
                ("dropped", true)
            }
        };
        inner.metrics.activity_ended(name);
        if delete {
            let _ = inner.writes.send(Write::Done(item.id));
        }
        inner.lock_known().remove(&item.id);
        inner.bytes.fetch_sub(item.bytes, Ordering::AcqRel);
        let depth = inner.depth.fetch_sub(1, Ordering::AcqRel) - 1;
        inner.health.waiting(LOOP, depth as u64);
        inner.health.progress(LOOP);
    }

    /// Runs what the activity asks and delivers the answer.
    async fn answer(&self, id: i64, activity: &Activity, accepted: Instant) -> Outcome {
        let inner = &self.inner;
        // Under a burst the tenant's sends are booked far ahead: an answer made now would only wait in memory for
        // its slot. Answer when the slot is near (the order among chats stays by arrival, roughly). Events
        // (installs, edits, deletions) need no answer and are not held back.
        let tenant = activity.tenant_id().unwrap_or_default();
        if activity.kind == "message" {
            loop {
                let ahead = inner.connector.tenant_booked_ahead(tenant);
                if ahead <= RENDER_AHEAD {
                    break;
                }
                tokio::time::sleep(ahead - RENDER_AHEAD).await;
            }
        }
        let reply = {
            let _permit = inner.handling.acquire().await;
            // Boxed: a command's future is large, and a lane waiting for its pacing slot should not keep its room.
            Box::pin(inner.chat.answer(activity)).await
        };
        let Some(reply) = reply else {
            return Outcome::NoAnswer;
        };
        let (Some(service_url), Some(conversation)) = (
            activity.service_url.as_deref(),
            activity.conversation.as_ref(),
        ) else {
            tracing::warn!("cannot answer an activity without serviceUrl or conversation");
            return Outcome::Dropped("unanswerable");
        };
        let answer = match serde_json::value::to_raw_value(&reply.into_activity(activity)) {
            Ok(json) => Answer {
                service_url: service_url.to_owned(),
                conversation_id: conversation.id.clone(),
                reply_to_id: activity.id.clone().filter(|_| activity.kind == "message"),
                tenant_id: activity.tenant_id().map(str::to_owned),
                activity: json,
            },
            Err(e) => {
                tracing::error!(error = %e, "cannot serialize an answer");
                return Outcome::Dropped("refused");
            }
        };
        let sent = answer.send(&inner.connector).await;
        match sent {
            Ok(()) => Outcome::Answered,
            Err(e @ ConnectorError::Protocol(_)) => {
                tracing::warn!(error = %e, "Teams took an answer but its response was unreadable");
                Outcome::Answered
            }
            Err(e) if e.is_transient() => {
                let wait = e
                    .retry_after()
                    .unwrap_or_else(|| crate::alerts::deliver::backoff(0));
                let payload = serde_json::to_string(&answer).unwrap_or_default();
                let now = crate::store::now();
                let next =
                    now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
                match inner
                    .store
                    .queue_reply(
                        crate::teams::activity::base_id(&conversation.id),
                        &payload,
                        1,
                        next,
                        Some(id),
                        now,
                    )
                    .await
                {
                    Ok(()) => {
                        tracing::warn!(error = %e, ?wait, waited = ?accepted.elapsed(), "Teams did not take an answer now; the outbox tries again");
                        if let Some(outbox) = &inner.outbox {
                            outbox.notify_one();
                        }
                        Outcome::Outbox
                    }
                    Err(store) => {
                        tracing::error!(error = %e, store = %crate::common::error_chain(&store), "an answer Teams did not take could not be kept for later; it is lost");
                        Outcome::Dropped("store")
                    }
                }
            }
            Err(e) if e.conversation_gone() => {
                tracing::warn!(error = %e, "cannot answer: Doberman is no longer in the conversation");
                let base = crate::teams::activity::base_id(&conversation.id);
                if let Err(e) = inner
                    .store
                    .deactivate_conversation(base, &e.to_string())
                    .await
                {
                    tracing::error!(error = %crate::common::error_chain(&e), "cannot mark the conversation inactive");
                }
                Outcome::Dropped("gone")
            }
            Err(e @ ConnectorError::Uncertain(_)) => {
                tracing::warn!(error = %e, "an answer may or may not have reached Teams; not sent twice");
                Outcome::Dropped("uncertain")
            }
            Err(e) => {
                tracing::error!(error = %e, "Teams refused an answer; it is given up");
                Outcome::Dropped("refused")
            }
        }
    }

    /// Every minute: renews this process's inbox claims and answers what no live process answers (left by a
    /// process that was killed on this host, released by a graceful stop, or whose claim lapsed). The first
    /// pass runs at once, so a restart answers what the killed process acknowledged.
    pub async fn sweep_every(self, cancel: CancellationToken) {
        let mut ticks = tokio::time::interval(SWEEP);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = ticks.tick() => {
                    self.sweep().await;
                }
                () = cancel.cancelled() => return,
            }
        }
    }

    /// One pass of [`Dispatcher::sweep_every`]; how many activities it took over.
    pub async fn sweep(&self) -> usize {
        let inner = &self.inner;
        let now = crate::store::now();
        let until =
            now + chrono::Duration::from_std(CLAIM).unwrap_or(chrono::Duration::minutes(10));
        if let Err(e) = inner.store.inbox_renew(&inner.holder, until).await {
            tracing::warn!(error = %crate::common::error_chain(&e), "cannot renew the inbox claims");
            return 0;
        }
        let dead: Vec<String> = match inner.store.inbox_holders().await {
            Ok(holders) => holders
                .into_iter()
                .filter(|h| crate::supervise::holder_is_gone(h, &inner.holder))
                .collect(),
            Err(e) => {
                tracing::warn!(error = %crate::common::error_chain(&e), "cannot read the inbox claims");
                return 0;
            }
        };
        let rows = match inner
            .store
            .inbox_take_over(&inner.holder, until, now, &dead, 10_000)
            .await
        {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %crate::common::error_chain(&e), "cannot take over unanswered activities");
                return 0;
            }
        };
        let mut taken = 0;
        for row in rows {
            if !inner.lock_known().insert(row.id) {
                continue;
            }
            let activity: Activity = match serde_json::from_str(&row.activity) {
                Ok(a) => a,
                Err(e) => {
                    tracing::error!(error = %e, "an unanswered activity in the inbox is unreadable; deleting it");
                    inner.lock_known().remove(&row.id);
                    inner.metrics.dropped("unreadable");
                    let _ = inner.writes.send(Write::Done(row.id));
                    continue;
                }
            };
            let bytes = row.activity.len() + OVERHEAD_BYTES;
            inner.bytes.fetch_add(bytes, Ordering::AcqRel);
            taken += 1;
            self.enqueue(Queued {
                id: row.id,
                activity: Arc::new(activity),
                bytes,
                accepted: Instant::now()
                    - (crate::clock::now() - row.received_at)
                        .to_std()
                        .unwrap_or_default()
                        .min(Duration::from_secs(3600)),
            });
        }
        if taken > 0 {
            tracing::info!(
                activities = taken,
                "answering activities an earlier process acknowledged"
            );
        }
        taken
    }

    /// Graceful stop: answers what waits for up to `timeout`, writes what is pending, and releases the claims
    /// of what is left unanswered (any process answers it then). Call after the HTTP server stopped.
    pub async fn drain(&self, timeout: Duration) {
        let inner = &self.inner;
        inner.lanes_running.close();
        let drained = tokio::time::timeout(timeout, inner.lanes_running.wait())
            .await
            .is_ok();
        if !drained {
            inner.stop.cancel();
            let (depth, _) = self.queued();
            tracing::warn!(
                ?timeout,
                activities = depth,
                "not every acknowledged activity was answered before the stop; they stay in the inbox for the next start"
            );
        }
        let (tx, rx) = oneshot::channel();
        if inner.writes.send(Write::Flush(tx)).is_ok() {
            let _ = tokio::time::timeout(Duration::from_secs(5), rx).await;
        }
        if !drained && let Err(e) = inner.store.inbox_release(&inner.holder).await {
            tracing::warn!(error = %crate::common::error_chain(&e), "cannot release the inbox claims; they lapse on their own");
        }
    }
}

impl Inner {
    fn lock_lanes(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Queued>>> {
        self.lanes.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_known(&self) -> std::sync::MutexGuard<'_, HashSet<i64>> {
        self.known.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The lane (conversation) of an activity: answers within one go in order.
fn lane_of(activity: &Activity) -> &str {
    activity.conversation.as_ref().map_or("", |c| c.id.as_str())
}

/// What one group commit writes.
#[derive(Default)]
struct Group {
    changes: Vec<ConversationChange>,
    rows: Vec<InboxRow>,
    acks: Vec<oneshot::Sender<bool>>,
    done: Vec<i64>,
    flushes: Vec<oneshot::Sender<()>>,
}

impl Group {
    fn take(&mut self, write: Write) {
        match write {
            Write::Insert(row, change, ack) => {
                self.changes.extend(change);
                self.rows.push(row);
                self.acks.push(ack);
            }
            Write::Done(id) => self.done.push(id),
            Write::Flush(ack) => self.flushes.push(ack),
        }
    }

    fn full(&self) -> bool {
        self.rows.len() >= GROUP || self.done.len() >= GROUP * 4
    }

    /// Inserts hold up an acknowledgement, and a flush its caller: written at once. Deletes alone may wait.
    fn urgent(&self) -> bool {
        !self.rows.is_empty() || !self.flushes.is_empty()
    }
}

/// Writes inserts and deletes in groups: whatever arrived while the last transaction ran goes in the next.
async fn write_loop(store: Store, holder: String, mut rx: mpsc::UnboundedReceiver<Write>) {
    let mut group = Group::default();
    while let Some(first) = rx.recv().await {
        group.take(first);
        let deadline = Instant::now() + DELETE_DELAY;
        while !group.full() {
            if let Ok(write) = rx.try_recv() {
                group.take(write);
                continue;
            }
            if group.urgent() {
                break;
            }
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(write)) => group.take(write),
                Ok(None) | Err(_) => break,
            }
        }
        // The channel keeps order and a group inserts before it deletes, so an activity answered while its own
        // insert waited is inserted and then deleted in the same group.
        let until = crate::store::now()
            + chrono::Duration::from_std(CLAIM).unwrap_or(chrono::Duration::minutes(10));
        let result = store
            .inbox_write(&group.changes, &group.rows, &holder, until, &group.done)
            .await;
        let ok = result.is_ok();
        if let Err(e) = result {
            tracing::warn!(error = %crate::common::error_chain(&e), rows = group.rows.len(), answered = group.done.len(), "cannot write the inbox");
        }
        for ack in group.acks.drain(..) {
            let _ = ack.send(ok);
        }
        group.rows.clear();
        group.changes.clear();
        // Deletes that failed are tried again with the next group (a bounded list: past it, a restart may
        // answer some activities twice, which is better than growing without end).
        if ok || group.done.len() > 100_000 {
            group.done.clear();
        }
        for flush in group.flushes.drain(..) {
            let _ = flush.send(());
        }
    }
}
