//! Nothing Doberman depends on dies quietly: every long-lived task runs under [`supervise`], which logs a panic
//! with its message, counts it and starts the task again after a back-off; and each loop reports its progress to
//! [`Health`], so `/readyz` turns not-ready, naming the loop, when work waits and the loop has not moved. A
//! process names itself in the claims and leases it takes ([`holder_id`]), so the next one can tell a dead
//! holder ([`holder_is_gone`]).
//!
//! A watchdog that stops barking while `/healthz` is green is the worst failure this project can have: health
//! here is about the work getting done, not about the process answering HTTP.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::Instrument;

/// First wait before a task that panicked is started again; it doubles up to [`RESTART_MAX`].
pub const RESTART_MIN: Duration = Duration::from_secs(1);
/// Longest wait before a restart.
pub const RESTART_MAX: Duration = Duration::from_secs(60);
/// A task that ran this long before failing starts again after [`RESTART_MIN`].
const HEALTHY_RUN: Duration = Duration::from_secs(300);

/// What one loop reported.
#[derive(Debug, Clone)]
struct LoopState {
    /// When it last got something done (or looked and found nothing to do).
    last_progress: Instant,
    /// How much work waits for it.
    waiting: u64,
    /// Since when work has been waiting (continuously).
    busy_since: Option<Instant>,
    /// How long it may go without progress while work waits.
    stall_after: Duration,
    /// Times it panicked and was started again.
    restarts: u64,
    /// Why it is down, while it waits to be started again.
    down: Option<String>,
}

/// The health of the long-lived loops, as they report it.
#[derive(Debug, Default)]
pub struct Health {
    loops: Mutex<BTreeMap<&'static str, LoopState>>,
}

impl Health {
    fn with<R>(&self, name: &'static str, f: impl FnOnce(&mut LoopState) -> R) -> R {
        let mut loops = self.loops.lock().unwrap_or_else(|e| e.into_inner());
        let state = loops.entry(name).or_insert_with(|| LoopState {
            last_progress: Instant::now(),
            waiting: 0,
            busy_since: None,
            stall_after: Duration::from_secs(120),
            restarts: 0,
            down: None,
        });
        f(state)
    }

    /// Names a loop and how long it may go without progress while work waits for it.
    pub fn register(&self, name: &'static str, stall_after: Duration) {
        self.with(name, |s| s.stall_after = stall_after);
    }

    /// The loop got something done, or looked and found nothing due.
    pub fn progress(&self, name: &'static str) {
        self.with(name, |s| s.last_progress = Instant::now());
    }

    /// How much work waits for the loop now.
    pub fn waiting(&self, name: &'static str, n: u64) {
        self.with(name, |s| {
            match (s.waiting, n) {
                (0, 1..) => s.busy_since = Some(Instant::now()),
                (_, 0) => s.busy_since = None,
                _ => {}
            }
            s.waiting = n;
        });
    }

    fn went_down(&self, name: &'static str, why: &str) -> u64 {
        self.with(name, |s| {
            s.restarts += 1;
            s.down = Some(why.to_owned());
            s.restarts
        })
    }

    fn came_up(&self, name: &'static str) {
        self.with(name, |s| {
            s.down = None;
            s.last_progress = Instant::now();
        });
    }

    /// What is wrong now, one sentence per loop: down after a panic, or stalled with work waiting.
    pub fn problems(&self) -> Vec<String> {
        let now = Instant::now();
        let loops = self.loops.lock().unwrap_or_else(|e| e.into_inner());
        loops
            .iter()
            .filter_map(|(name, s)| {
                if let Some(why) = &s.down {
                    return Some(format!("{name} panicked and is being restarted: {why}"));
                }
                let since = s.busy_since?.max(s.last_progress);
                let idle = now.duration_since(since);
                (s.waiting > 0 && idle > s.stall_after).then(|| {
                    format!(
                        "{name} has made no progress for {} s while {} wait",
                        idle.as_secs(),
                        s.waiting
                    )
                })
            })
            .collect()
    }

    /// Restarts per loop (loops that never restarted included, at 0).
    pub fn restarts(&self) -> BTreeMap<String, u64> {
        let loops = self.loops.lock().unwrap_or_else(|e| e.into_inner());
        loops
            .iter()
            .map(|(name, s)| ((*name).to_owned(), s.restarts))
            .collect()
    }
}

/// The message a panic carried.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// Runs the task `make` builds (given `cancel`, which it must stop on) on `tracker`; a panic is logged with its
/// message, counted in `health` under `name`, and the task is built and started again after a back-off (1 s
/// doubling to a minute, back to 1 s after five healthy minutes). A task that returns is done.
pub fn supervise<F, Fut>(
    tracker: &TaskTracker,
    health: &Arc<Health>,
    name: &'static str,
    cancel: &CancellationToken,
    make: F,
) where
    F: Fn(CancellationToken) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (health, cancel) = (health.clone(), cancel.clone());
    health.progress(name);
    tracker.spawn(async move {
        let mut backoff = RESTART_MIN;
        loop {
            let started = Instant::now();
            let span = tracing::info_span!("task", task = name);
            let outcome = tokio::spawn(make(cancel.clone()).instrument(span)).await;
            let why = match outcome {
                Ok(()) => return,
                Err(e) if e.is_panic() => panic_message(&*e.into_panic()),
                Err(e) => e.to_string(),
            };
            if cancel.is_cancelled() {
                tracing::warn!(task = name, cause = %why, "a task failed while stopping");
                return;
            }
            if started.elapsed() >= HEALTHY_RUN {
                backoff = RESTART_MIN;
            }
            let restarts = health.went_down(name, &why);
            tracing::error!(task = name, cause = %why, restarts, restart_in = ?backoff, "a long-lived task panicked; starting it again");
            tokio::select! {
                () = tokio::time::sleep(backoff) => {}
                () = cancel.cancelled() => return,
            }
            backoff = (backoff * 2).min(RESTART_MAX);
            health.came_up(name);
        }
    });
}

/// This process's name in claims and leases (`job_lease`, the outbox, the inbox): host, process id and a random
/// suffix.
pub fn holder_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    let id = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}:{}:{}", std::process::id(), &id[..8])
}

/// Whether the process named `holder` (a [`holder_id`]) is gone, as seen by the process named `mine`: it ran on
/// this host and its pid no longer runs, or is this process's own under another suffix (a restarted container's
/// pid 1). Without a real host name two machines cannot be told apart, so "localhost" holders are never gone:
/// their claims lapse on their own.
pub fn holder_is_gone(holder: &str, mine: &str) -> bool {
    if holder == mine {
        return false;
    }
    let mut me = mine.splitn(3, ':');
    let (host, pid) = (me.next().unwrap_or_default(), me.next().unwrap_or_default());
    let mut parts = holder.splitn(3, ':');
    if host == "localhost" || parts.next() != Some(host) {
        return false;
    }
    let Some(other) = parts.next() else {
        return false;
    };
    other == pid || !std::path::Path::new(&format!("/proc/{other}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test(start_paused = true)]
    async fn a_task_that_panics_is_restarted_with_backoff_counted_and_reported() {
        let health = Arc::new(Health::default());
        let tracker = TaskTracker::new();
        let cancel = CancellationToken::new();
        let runs = Arc::new(AtomicU32::new(0));
        let counted = runs.clone();
        supervise(&tracker, &health, "alerts.deliver", &cancel, move |stop| {
            let runs = counted.clone();
            async move {
                let n = runs.fetch_add(1, Ordering::SeqCst) + 1;
                if n <= 2 {
                    panic!("tried to clone a span that already closed (run {n})");
                }
                stop.cancelled().await;
            }
        });

        tokio::time::sleep(Duration::from_millis(10)).await;
        let down = health.problems();
        tokio::time::sleep(RESTART_MIN).await;
        tokio::time::sleep(RESTART_MIN * 2 + Duration::from_millis(10)).await;

        assert_eq!(down.len(), 1, "{down:?}");
        assert!(
            down[0].contains("alerts.deliver panicked") && down[0].contains("run 1"),
            "readiness names the task and its panic: {down:?}"
        );
        assert_eq!(
            runs.load(Ordering::SeqCst),
            3,
            "started again twice, after 1 s and 2 s"
        );
        assert_eq!(health.restarts()["alerts.deliver"], 2);
        assert!(
            health.problems().is_empty(),
            "up again: {:?}",
            health.problems()
        );
        cancel.cancel();
        tracker.close();
        tracker.wait().await;
    }

    #[tokio::test(start_paused = true)]
    async fn a_task_that_returns_is_not_restarted() {
        let health = Arc::new(Health::default());
        let tracker = TaskTracker::new();
        let runs = Arc::new(AtomicU32::new(0));
        let counted = runs.clone();
        supervise(
            &tracker,
            &health,
            "ping",
            &CancellationToken::new(),
            move |_| {
                let runs = counted.clone();
                async move {
                    runs.fetch_add(1, Ordering::SeqCst);
                }
            },
        );
        tracker.close();
        tracker.wait().await;

        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(health.restarts()["ping"], 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_loop_is_stalled_only_when_work_waits_and_it_does_not_move() {
        let health = Health::default();
        health.register("chat", Duration::from_secs(30));

        tokio::time::sleep(Duration::from_secs(600)).await;
        assert!(
            health.problems().is_empty(),
            "idle with nothing waiting is fine"
        );

        health.waiting("chat", 5);
        tokio::time::sleep(Duration::from_secs(20)).await;
        assert!(
            health.problems().is_empty(),
            "work arrived 20 s ago: not yet stalled"
        );

        tokio::time::sleep(Duration::from_secs(11)).await;
        let problems = health.problems();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains("chat has made no progress for 31 s while 5 wait"),
            "{problems:?}"
        );

        health.progress("chat");
        assert!(health.problems().is_empty(), "moving again");
        health.waiting("chat", 0);
        tokio::time::sleep(Duration::from_secs(100)).await;
        assert!(health.problems().is_empty());
    }

    #[test]
    fn a_holder_is_gone_only_on_this_host_when_its_process_no_longer_runs() {
        let mine = holder_id();
        let host = mine.split(':').next().expect("a host");
        let mut exited = std::process::Command::new("true").spawn().expect("spawn");
        exited.wait().expect("reap");

        let gone = format!("{host}:{}:0badc0de", exited.id());
        let me_before = format!("{host}:{}:0badc0de", std::process::id());
        let alive = format!("{host}:1:0badc0de");
        let elsewhere = format!("other-host-{host}:{}:0badc0de", exited.id());

        assert!(holder_is_gone(&gone, &mine), "its pid no longer runs");
        assert!(
            holder_is_gone(&me_before, &mine),
            "this pid under another suffix: a restarted container"
        );
        assert!(!holder_is_gone(&alive, &mine), "pid 1 runs");
        assert!(
            !holder_is_gone(&elsewhere, &mine),
            "another host cannot be judged from here"
        );
        assert!(!holder_is_gone(&mine, &mine), "never itself");
        assert!(
            !holder_is_gone(
                &gone.replacen(host, "localhost", 1),
                &mine.replacen(host, "localhost", 1)
            ),
            "without a host name nothing is judged"
        );
    }

    #[test]
    fn a_holder_id_names_host_and_process() {
        let id = holder_id();
        assert!(id.contains(&format!(":{}:", std::process::id())), "{id}");
        assert_ne!(holder_id(), id, "each runner gets its own suffix");
    }
}
