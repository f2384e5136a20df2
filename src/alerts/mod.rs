//! Alerts: rules over the store ([`rules`]), their lifecycle (one card per problem, updated in place, resolved,
//! grouped), routing to subscribed conversations and Workflows webhooks, the durable outbox and its delivery
//! worker ([`deliver`]), and the daily heartbeat.

pub mod deliver;
pub mod lifecycle;
pub mod rules;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Utc};
use serde_json::{Value, json};
use tokio::sync::{Mutex, Notify};

use crate::cards::kit;
use crate::cards::views::{
    self, AlertLine, AlertView, ColoredLine, Fact, HeartbeatCard, Line, Mention, Mentioned,
};
use crate::config::alerts::glob_matches;
use crate::config::{AlertsConfig, Config, HeartbeatConfig};
use crate::store::{
    AlertCard, AlertFinding, Applied, Person, Store, StoreError, TableChanges, with_history,
};

pub use crate::config::alerts::Topic;

/// What alerts need from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `[alerts]`.
    pub alerts: AlertsConfig,
    /// `[heartbeat]`.
    pub heartbeat: HeartbeatConfig,
    /// `schedule.timezone`: times on cards, the heartbeat's clock, "yesterday".
    pub timezone: chrono_tz::Tz,
    /// Each scheduled job's period, for the `jobs` rule.
    pub periods: BTreeMap<String, chrono::Duration>,
    /// Superset's base URL, for links.
    pub superset_url: Option<url::Url>,
    /// When this process started (uptime; jobs that never ran are late from here).
    pub started_at: DateTime<Utc>,
    /// What the `airflow` rules judge by (`[airflow]`).
    pub airflow: rules::AirflowRules,
    /// `airflow.owners`: who an Airflow owner is in Teams.
    pub airflow_owners: Vec<crate::config::AirflowOwner>,
    /// `checks.owners`: who a check's owner is in Teams.
    pub check_owners: Vec<crate::config::AirflowOwner>,
}

impl Settings {
    /// The settings of `config`.
    pub fn from_config(config: &Config) -> Settings {
        let now = crate::clock::now();
        Settings {
            alerts: config.alerts.clone(),
            heartbeat: config.heartbeat.clone(),
            timezone: config.schedule.timezone,
            periods: crate::schedule::periods(config, now),
            superset_url: config.superset.url.clone(),
            started_at: now,
            airflow: rules::AirflowRules {
                late_after: config.airflow.late_after,
                slow_factor: config.airflow.slow_factor,
                run_limits: config.airflow.run_limits.clone(),
            },
            airflow_owners: config.airflow.owners.clone(),
            check_owners: config.checks.owners.clone(),
        }
    }

    fn dashboard(&self, topic: Topic) -> Option<String> {
        crate::config::dashboard_url(self.superset_url.as_ref(), topic.dashboard())
    }
}

/// The alert engine of one process: evaluates rules, keeps cards, queues messages and wakes the delivery worker.
#[derive(Debug)]
pub struct Alerts {
    store: Store,
    settings: Settings,
    wake: Arc<Notify>,
    /// Asks the evaluation loop for an evaluation now (many asks before it runs make one).
    soon: Notify,
    /// One evaluation at a time in this process.
    gate: Mutex<()>,
    /// This engine's name in the `alerts` lease.
    holder: String,
    /// Snapshot change history for learned intervals, read once a day (the snapshots are daily).
    history: Mutex<Option<(chrono::NaiveDate, Arc<History>)>>,
}

/// Data change times per table id, from the daily snapshots.
type History = HashMap<i64, Vec<DateTime<Utc>>>;

/// How long the `alerts` lease lasts; renewed before each topic, so a process killed mid-evaluation holds it up
/// only this long from another host (on its own host, the next start releases it at once).
const LEASE: chrono::Duration = chrono::Duration::minutes(2);

/// How long an evaluation waits for another replica's to finish.
pub const LEASE_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

/// What `/metrics` shows of alerts as of `now`: the outbox backlog and the firing alerts of every rule topic.
pub async fn figures(
    store: &Store,
    now: DateTime<Utc>,
) -> Result<crate::metrics::AlertFigures, StoreError> {
    let (pending, oldest) = store.outbox_backlog().await?;
    let firing = store.firing_alerts().await?;
    Ok(crate::metrics::AlertFigures {
        pending,
        oldest_pending_seconds: oldest.map_or(0, |at| (now - at).num_seconds().max(0)),
        firing: Topic::RULES
            .iter()
            .map(|t| {
                let n = firing
                    .iter()
                    .find(|(f, _)| f == t.name())
                    .map_or(0, |(_, n)| *n);
                (t.name().to_owned(), n)
            })
            .collect(),
    })
}

/// One evaluation: what each topic's rules changed.
pub type Evaluation = BTreeMap<&'static str, Applied>;

impl Alerts {
    /// An engine over `store`.
    pub fn new(store: Store, settings: Settings) -> Alerts {
        Alerts {
            store,
            settings,
            wake: Arc::new(Notify::new()),
            soon: Notify::new(),
            gate: Mutex::new(()),
            holder: crate::supervise::holder_id(),
            history: Mutex::new(None),
        }
    }

    /// Its settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Notified whenever messages were queued: the delivery worker waits on it.
    pub fn wake(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Asks the evaluation loop to evaluate at once (a new subscriber should see the open cards now, not at the next
    /// tick). Asks that come before it runs are answered by one evaluation.
    pub fn evaluate_soon(&self) {
        self.soon.notify_one();
    }

    /// Waits for [`Alerts::evaluate_soon`].
    pub async fn asked_to_evaluate(&self) {
        self.soon.notified().await;
    }

    /// Runs every rule as of `now` and applies what they found (`alerts.enabled` false: nothing). Replicas take
    /// turns (the `alerts` lease in `job_lease`): one waits up to [`LEASE_WAIT`] for another's evaluation, then
    /// leaves this one to it. A topic whose rules fail does not stop the others; the first failure is returned.
    pub async fn evaluate(&self, now: DateTime<Utc>) -> Result<Evaluation, StoreError> {
        let _one = self.gate.lock().await;
        let mut out = Evaluation::new();
        if !self.settings.alerts.enabled {
            return Ok(out);
        }
        let deadline = tokio::time::Instant::now() + LEASE_WAIT;
        loop {
            let at = crate::store::now();
            if self
                .store
                .claim_job("alerts", &self.holder, at, at + LEASE, None)
                .await?
            {
                break;
            }
            if tokio::time::Instant::now() >= deadline {
                tracing::info!(
                    "another replica is evaluating the alert rules; leaving this evaluation to it"
                );
                return Ok(out);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let mut failure = None;
        for topic in Topic::RULES {
            if !self
                .store
                .renew_job("alerts", &self.holder, crate::store::now() + LEASE)
                .await?
            {
                tracing::warn!(
                    "the alerts lease lapsed during an evaluation; leaving the rest to its new holder"
                );
                break;
            }
            let applied = async {
                let findings = self.findings(topic, now).await?;
                let destinations = self.destinations(topic).await?;
                lifecycle::apply(&self.store, topic.name(), &findings, &destinations, now).await
            }
            .await;
            match applied {
                Ok(applied) => {
                    if applied.fired + applied.resolved > 0 {
                        tracing::info!(
                            topic = topic.name(),
                            fired = applied.fired,
                            resolved = applied.resolved,
                            firing = applied.fired + applied.repeated,
                            queued = applied.queued,
                            "alerts changed"
                        );
                    }
                    out.insert(topic.name(), applied);
                }
                Err(e) => {
                    tracing::error!(topic = topic.name(), error = %crate::common::error_chain(&e), "cannot evaluate a topic's rules");
                    failure.get_or_insert(e);
                }
            }
        }
        if let Err(e) = self
            .store
            .release_job("alerts", &self.holder, crate::store::now())
            .await
        {
            tracing::warn!(error = %crate::common::error_chain(&e), "cannot release the alerts lease; it lapses on its own");
        }
        if out.values().any(|a| a.queued > 0) {
            self.wake.notify_one();
        }
        match failure {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    /// What `topic`'s rules find as of `now`.
    pub async fn findings(
        &self,
        topic: Topic,
        now: DateTime<Utc>,
    ) -> Result<Vec<AlertFinding>, StoreError> {
        let a = &self.settings.alerts;
        Ok(match topic {
            Topic::Jobs => {
                let mut runs = BTreeMap::new();
                for job in self.settings.periods.keys() {
                    runs.insert(
                        job.clone(),
                        self.store.recent_job_runs(Some(job), 20).await?,
                    );
                }
                rules::jobs(
                    &self.settings.periods,
                    &runs,
                    self.settings.started_at,
                    now,
                    self.settings.timezone,
                )
            }
            Topic::Freshness => {
                let tables = self.store.current_tables().await?;
                let tables: Vec<TableChanges> = if a.freshness_learn {
                    let history = self.history(now).await?;
                    tables
                        .into_iter()
                        .map(|(id, t)| with_history(t, history.get(&id)))
                        .collect()
                } else {
                    tables.into_iter().map(|(_, t)| t).collect()
                };
                rules::freshness(
                    &tables,
                    &a.freshness,
                    a.freshness_learn,
                    now,
                    self.settings.timezone,
                )
            }
            Topic::Cost => self.cost_findings(now).await?,
            Topic::Athena => {
                let max = i64::from(a.athena_max_scan_gib) << 30;
                let window = self.store.athena_window(now, max).await?;
                rules::athena(&window, a.athena_failed_pct, max, self.settings.timezone)
            }
            Topic::Airflow => {
                let facts = self.airflow_facts(now).await?;
                rules::airflow(&facts, &self.settings.airflow, now, self.settings.timezone)
            }
            Topic::Quality => {
                let statuses = self.store.check_statuses(None).await?;
                let mut history = BTreeMap::new();
                for c in statuses
                    .iter()
                    .filter(|c| c.status.as_deref().is_some_and(|s| s != "pass"))
                {
                    let h = self
                        .store
                        .check_history(&c.check_name, rules::QUALITY_DAYS_SHOWN as u32 + 1)
                        .await?;
                    history.insert(c.check_name.clone(), h);
                }
                rules::quality(&statuses, &history)
            }
            Topic::Heartbeat => Vec::new(),
        })
    }

    /// What the `airflow` rules judge as of `now`: a few reads for every DAG, and more only for the DAGs that did
    /// not succeed last or have a run in progress.
    async fn airflow_facts(&self, now: DateTime<Utc>) -> Result<rules::AirflowFacts, StoreError> {
        let instances = self.store.airflow_instances().await?;
        if instances.is_empty() {
            return Ok(rules::AirflowFacts::default());
        }
        let key = |instance: &str, dag: &str| (instance.to_owned(), dag.to_owned());
        let dags: Vec<_> = self
            .store
            .airflow_dags(None)
            .await?
            .into_iter()
            .filter(|d| d.is_active && !d.is_paused)
            .collect();
        let on: std::collections::BTreeSet<(String, String)> =
            dags.iter().map(|d| key(&d.instance, &d.dag_id)).collect();
        let latest: BTreeMap<(String, String), crate::store::AirflowRunBrief> = self
            .store
            .airflow_latest_runs()
            .await?
            .into_iter()
            .map(|r| (key(&r.instance, &r.dag_id), r))
            .filter(|(k, _)| on.contains(k))
            .collect();
        let mut recent = BTreeMap::new();
        for (k, run) in latest.iter().filter(|(_, r)| r.state != "success") {
            let runs: Vec<_> = self
                .store
                .airflow_runs_of(&k.0, &k.1, 20)
                .await?
                .into_iter()
                .filter(|r| r.run_type != "backfill")
                .collect();
            let runs = if runs.is_empty() {
                vec![run.clone()]
            } else {
                runs
            };
            recent.insert(k.clone(), runs);
        }
        let running: Vec<_> = self
            .store
            .airflow_runs_since(now - chrono::Duration::days(30), Some("running"), 1_000)
            .await?
            .into_iter()
            .filter(|r| r.run_type != "backfill" && on.contains(&key(&r.instance, &r.dag_id)))
            .collect();
        let mut durations = BTreeMap::new();
        for r in &running {
            let k = key(&r.instance, &r.dag_id);
            if let std::collections::btree_map::Entry::Vacant(e) = durations.entry(k) {
                let (instance, dag) = e.key();
                let d = self
                    .store
                    .airflow_success_durations(instance, dag, rules::AIRFLOW_LEARN_RUNS)
                    .await?;
                e.insert(d);
            }
        }
        let ids: Vec<i64> = recent
            .values()
            .flatten()
            .filter(|r| r.state != "success")
            .map(|r| r.id)
            .collect();
        let failures = self.store.airflow_failures_of(&ids).await?;
        Ok(rules::AirflowFacts {
            dags,
            latest,
            recent,
            failures,
            running,
            durations,
            import_errors: self.store.airflow_import_errors().await?,
            collected_through: instances
                .into_iter()
                .map(|i| (i.instance, i.collected_through))
                .collect(),
        })
    }

    /// Every table judged by the freshness rules: (stale, watched, not watched).
    async fn freshness_counts(&self, now: DateTime<Utc>) -> Result<(i64, i64, i64), StoreError> {
        let a = &self.settings.alerts;
        let tables = self.store.current_tables().await?;
        let history = if a.freshness_learn {
            Some(self.history(now).await?)
        } else {
            None
        };
        let (mut stale, mut watched, mut unwatched) = (0, 0, 0);
        for (id, table) in tables {
            let table = match &history {
                Some(h) => with_history(table, h.get(&id)),
                None => table,
            };
            match rules::judge(&table, &a.freshness, a.freshness_learn, now) {
                rules::Judgement::Unwatched => unwatched += 1,
                rules::Judgement::OnTime { .. } => watched += 1,
                rules::Judgement::Late { .. } => {
                    watched += 1;
                    stale += 1;
                }
            }
        }
        Ok((stale, watched, unwatched))
    }

    /// The snapshot history of the last [`rules::LEARN_DAYS`], read at most once a day: a local day, as snapshots
    /// are named by `schedule.timezone`'s days.
    async fn history(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Arc<HashMap<i64, Vec<DateTime<Utc>>>>, StoreError> {
        let today = now.with_timezone(&self.settings.timezone).date_naive();
        let mut cached = self.history.lock().await;
        if let Some((day, history)) = cached.as_ref()
            && *day == today
        {
            return Ok(history.clone());
        }
        let history = Arc::new(
            self.store
                .change_history(today - chrono::Duration::days(rules::LEARN_DAYS))
                .await?,
        );
        *cached = Some((today, history.clone()));
        Ok(history)
    }

    async fn cost_findings(&self, now: DateTime<Utc>) -> Result<Vec<AlertFinding>, StoreError> {
        let a = &self.settings.alerts;
        let Some(currency) = self.store.cost_currency().await? else {
            return Ok(Vec::new());
        };
        let today = now.with_timezone(&self.settings.timezone).date_naive();
        let mut out = Vec::new();
        if a.cost_anomaly_sigma > 0
            && let Some(figures) = crate::cost::load(&self.store, today, &currency).await?
        {
            out.extend(rules::cost_anomaly(
                figures.anomaly.as_ref(),
                a.cost_anomaly_sigma,
                &currency,
            ));
        }
        if !a.budgets.is_empty() {
            let month = today.with_day(1).expect("every month has a first day");
            let costs = self.store.daily_costs(month, today, &currency).await?;
            let mut spent = BTreeMap::new();
            let mut names = BTreeMap::new();
            for c in &costs {
                *spent.entry(c.account_id.clone()).or_insert(0.0) += c.amortized;
                if let Some(name) = &c.account_name {
                    names.insert(c.account_id.clone(), name.clone());
                }
            }
            out.extend(rules::budgets(&a.budgets, &spent, &names, month, &currency));
        }
        Ok(out)
    }

    /// Where `topic` goes: its subscribed conversations, and its webhook if configured.
    pub async fn destinations(&self, topic: Topic) -> Result<Vec<String>, StoreError> {
        let topic = topic.name();
        let mut out = self.store.subscribers(topic).await?;
        if self
            .settings
            .alerts
            .webhooks
            .iter()
            .any(|w| w.topic == topic)
        {
            out.push(crate::store::webhook_destination(topic));
        }
        Ok(out)
    }

    /// Acknowledges a card for everyone; the card as it now is (`None`: no such card).
    pub async fn acknowledge(
        &self,
        card: i64,
        by: &Person,
        now: DateTime<Utc>,
    ) -> Result<Option<Value>, StoreError> {
        if self.store.acknowledge_card(card, by, now).await?.is_none() {
            return Ok(None);
        }
        self.wake.notify_one();
        self.card(card, now).await
    }

    /// Mutes a card for `hours`; the card as it now is.
    pub async fn mute_card(
        &self,
        card: i64,
        hours: i64,
        by: &Person,
        now: DateTime<Utc>,
    ) -> Result<Option<Value>, StoreError> {
        if self.store.alert_card(card, now).await?.is_none() {
            return Ok(None);
        }
        let key = crate::store::card_mute_key(card);
        self.store
            .mute(&key, now + chrono::Duration::hours(hours), by, now)
            .await?;
        self.wake.notify_one();
        self.card(card, now).await
    }

    /// A card drawn as of `now`.
    pub async fn card(&self, card: i64, now: DateTime<Utc>) -> Result<Option<Value>, StoreError> {
        Ok(self
            .store
            .alert_card(card, now)
            .await?
            .map(|c| self.render(&c, now)))
    }

    /// The Adaptive Card of an alert card.
    pub fn render(&self, card: &AlertCard, now: DateTime<Utc>) -> Value {
        render_card(&self.settings, card, now)
    }

    /// Queues the heartbeat to every `heartbeat` subscriber; how many.
    pub async fn heartbeat(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let destinations = self.destinations(Topic::Heartbeat).await?;
        if destinations.is_empty() {
            return Ok(0);
        }
        let data = self.heartbeat_data(now).await?;
        let n = self
            .store
            .queue_heartbeat(
                &destinations,
                &serde_json::to_string(&data).expect("a view is plain data"),
                now,
            )
            .await?;
        self.wake.notify_one();
        Ok(n)
    }

    /// The heartbeat's card data as of `now`: alive, version, uptime, the last 24 hours' job runs, freshness,
    /// yesterday's cost and the open alerts.
    pub async fn heartbeat_data(&self, now: DateTime<Utc>) -> Result<HeartbeatCard, StoreError> {
        let s = &self.settings;
        let tz = s.timezone;
        let version = env!("CARGO_PKG_VERSION");
        let night = now - chrono::Duration::hours(24);
        let runs = self.store.recent_job_runs(None, 500).await?;
        let mut per_job: BTreeMap<String, (i64, i64, Option<String>)> = BTreeMap::new();
        for r in runs.iter().filter(|r| r.started_at >= night) {
            let e = per_job.entry(r.job.clone()).or_default();
            match r.status {
                crate::store::JobStatus::Succeeded => e.0 += 1,
                crate::store::JobStatus::Failed => {
                    e.1 += 1;
                    if e.2.is_none() {
                        e.2 = r
                            .error_text
                            .as_deref()
                            .and_then(|t| t.lines().next())
                            .map(|t| t.chars().take(160).collect());
                    }
                }
                _ => {}
            }
        }
        let failures: i64 = per_job.values().map(|v| v.1).sum();
        let jobs: Vec<ColoredLine> = per_job
            .iter()
            .map(|(job, (ok, failed, error))| {
                let text = match error {
                    Some(e) => format!("❌ {job}: {ok} succeeded, {failed} failed — {e}"),
                    None => format!("✅ {job}: {ok} succeeded"),
                };
                ColoredLine {
                    text,
                    color: if *failed > 0 { "attention" } else { "default" }.to_owned(),
                }
            })
            .collect();
        let firing = self.store.firing_alerts().await?;
        // Judged as the freshness alerts and the catalog's cards judge them.
        let (stale, watched, unwatched) = self.freshness_counts(now).await?;
        let alerts: Vec<Line> = firing
            .iter()
            .map(|(topic, n)| Line::new(format!("🔔 {topic}: {} firing", kit::count(*n))))
            .collect();
        let yesterday = now.with_timezone(&tz).date_naive() - chrono::Duration::days(1);
        let cost = match self.store.cost_currency().await? {
            Some(currency) => {
                let costs = self
                    .store
                    .daily_costs(yesterday, yesterday, &currency)
                    .await?;
                if costs.is_empty() {
                    "no cost data yet for that day (the report lags)".to_owned()
                } else {
                    kit::money(costs.iter().map(|c| c.amortized).sum(), &currency)
                }
            }
            None => "no cost data".to_owned(),
        };
        // The night's DAG runs (not backfills), when an Airflow is collected.
        let airflow = if self.store.airflow_instances().await?.is_empty() {
            None
        } else {
            let states = self.store.airflow_run_states_since(night).await?;
            let n = |state: &str| {
                states
                    .iter()
                    .filter(|(s, _)| s == state)
                    .map(|(_, n)| *n)
                    .sum::<i64>()
            };
            let ended = n("success") + n("failed");
            let other: i64 = states.iter().map(|(_, n)| *n).sum::<i64>() - ended;
            Some(Fact::new(
                "Airflow runs (24h)",
                format!(
                    "{} ok · {} failed · {} still running",
                    kit::count(n("success")),
                    kit::count(n("failed")),
                    kit::count(other)
                ),
            ))
        };
        // Data checks: each active check's latest result, when it was about the last two days.
        let checks = {
            let since = now.with_timezone(&tz).date_naive() - chrono::Duration::days(2);
            let (pass, fail, error) = self.store.check_counts_since(since).await?;
            (pass + fail + error > 0).then(|| {
                Fact::new(
                    "Data checks",
                    format!(
                        "{} passed · {} failed · {} could not run",
                        kit::count(pass),
                        kit::count(fail),
                        kit::count(error)
                    ),
                )
            })
        };
        let uptime = kit::ago(s.started_at, now)
            .trim_end_matches(" ago")
            .to_owned();
        let open: i64 = firing.iter().map(|(_, n)| n).sum();
        let (status, color) = if failures == 0 && open == 0 {
            ("● all well", "good")
        } else {
            ("● attention", "warning")
        };
        Ok(HeartbeatCard {
            summary: format!(
                "Doberman {version} is alive: {failures} failed job run(s) in 24h, {open} open alert(s)"
            ),
            title: "Good morning: Doberman is alive".to_owned(),
            subtitle: format!(
                "version {version} · up {uptime} · {}",
                now.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z")
            ),
            status: status.to_owned(),
            status_color: color.to_owned(),
            facts: vec![
                Fact::new(
                    "Freshness",
                    format!(
                        "{} stale of {} watched tables ({} not watched)",
                        kit::count(stale),
                        kit::count(watched),
                        kit::count(unwatched)
                    ),
                ),
                Fact::new(format!("Cost {yesterday}"), cost),
                Fact::new("Open alerts", kit::count(open)),
                Fact::new("Job runs (24h)", format!("{} failed", kit::count(failures))),
            ]
            .into_iter()
            .chain(airflow)
            .chain(checks)
            .collect(),
            jobs,
            alerts,
            footer: format!(
                "Daily at {} · if this card does not come, Doberman is down",
                s.heartbeat
                    .at
                    .map_or_else(String::new, |(h, m)| format!("{h:02}:{m:02} {}", tz.name()))
            ),
            link: s.dashboard(Topic::Jobs).unwrap_or_default(),
        })
    }
}

/// The card data and card of an alert card.
pub fn render_card(s: &Settings, card: &AlertCard, now: DateTime<Utc>) -> Value {
    views::render(&card_data(s, card, now)).unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot render an alert card");
        json!({ "type": "AdaptiveCard", "version": "1.5", "fallbackText": "alert",
                "body": [{ "type": "TextBlock", "text": "An alert could not be drawn; see the logs.", "wrap": true }] })
    })
}

/// Resolved alerts a card still firing lists one by one; more are one line.
const RESOLVED_IN_FULL: usize = 5;
/// Names that line shows.
const RESOLVED_NAMES: usize = 12;

/// What people read in a subject: `db.table` of `account/region/db.table`, a job's name.
fn subject_name(subject: &str) -> &str {
    subject.rsplit('/').next().unwrap_or(subject)
}

/// A resolved alert says that it is over and since when, not its firing title again ("✅ x is stale").
fn resolved_line(
    topic: &str,
    a: &crate::store::AlertRow,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> (String, String) {
    let when = a
        .resolved_at
        .map(|at| format!("resolved {}", kit::when(at, now, tz)))
        .unwrap_or_else(|| "resolved".to_owned());
    let title = match topic {
        "freshness" => format!("{} is no longer stale", subject_name(&a.subject)),
        "jobs" => format!("The {} collector runs again", subject_name(&a.subject)),
        "airflow" => {
            // kind/instance/what: a DAG id (which may hold `/`), or an import error's file.
            let mut parts = a.subject.splitn(3, '/');
            let (kind, what) = (parts.next(), parts.nth(1).unwrap_or_default());
            match kind {
                Some("failed") => format!("{what} succeeded again"),
                Some("slow") => format!("{what}'s long run ended"),
                Some("late") => format!("{what} started"),
                Some("import") => format!("{} imports again", subject_name(what)),
                _ => format!("Over: {}", a.title),
            }
        }
        _ => format!("Over: {}", a.title),
    };
    let was = a.detail.as_deref().unwrap_or_default();
    let detail = if was.is_empty() {
        when
    } else {
        format!("{when}; it was: {was}")
    };
    (title, detail)
}

fn topic_label(topic: &str) -> &str {
    match topic {
        "jobs" => "Collectors",
        "freshness" => "Freshness",
        "cost" => "Cost",
        "athena" => "Athena",
        "airflow" => "Airflow",
        "quality" => "Data checks",
        other => other,
    }
}

/// The data the `alert` template expands.
pub fn card_data(s: &Settings, card: &AlertCard, now: DateTime<Utc>) -> AlertView {
    let tz = s.timezone;
    let open = card.closed_at.is_none();
    let critical = card
        .alerts
        .iter()
        .any(|a| a.state == "firing" && a.severity == "critical");
    let title = match (open, card.total) {
        (_, 1) => card
            .alerts
            .first()
            .map_or_else(String::new, |a| a.title.clone()),
        (true, n) if card.topic == "freshness" => format!(
            "{} of {} tables are stale",
            kit::count(card.firing),
            kit::count(n)
        ),
        (true, n) => format!(
            "{} of {} {} alerts firing",
            kit::count(card.firing),
            kit::count(n),
            topic_label(&card.topic).to_lowercase()
        ),
        (false, n) => format!(
            "{} {} alerts",
            kit::count(n),
            topic_label(&card.topic).to_lowercase()
        ),
    };
    let (status, color) = if !open {
        ("✅ RESOLVED", "good")
    } else if card.acknowledged.is_some() {
        ("👀 ACKNOWLEDGED", "warning")
    } else if critical {
        ("🔴 FIRING", "attention")
    } else {
        ("🟠 FIRING", "warning")
    };
    let seen = card.alerts.iter().map(|a| a.fire_count).max().unwrap_or(0);
    let last_seen = card
        .alerts
        .iter()
        .map(|a| a.last_seen_at)
        .max()
        .unwrap_or(card.opened_at);
    let mut facts = vec![
        Fact::new(
            "Firing",
            format!("{} of {}", kit::count(card.firing), kit::count(card.total)),
        ),
        Fact::new(
            "Seen",
            format!(
                "{} time(s), last {}",
                kit::count(seen),
                kit::when(last_seen, now, tz)
            ),
        ),
    ];
    if let Some(closed) = card.closed_at {
        facts.push(Fact::new("Resolved", kit::when(closed, now, tz)));
    }
    if let Some((who, at)) = &card.acknowledged {
        facts.push(Fact::new(
            "Acknowledged",
            format!("by {who}, {}", kit::when(*at, now, tz)),
        ));
    }
    if let Some(until) = card.muted_until {
        facts.push(Fact::new("Muted until", kit::when(until, now, tz)));
    }
    // While some still fire, a long tail of resolved ones is one line of names, not a page of them.
    let resolved: Vec<&crate::store::AlertRow> = card
        .alerts
        .iter()
        .filter(|a| a.state == "resolved")
        .collect();
    let collapse = open && card.firing > 0 && resolved.len() > RESOLVED_IN_FULL;
    let mut alerts: Vec<AlertLine> = card
        .alerts
        .iter()
        .filter(|a| !(collapse && a.state == "resolved"))
        .map(|a| {
            let (icon, color) = match (a.state.as_str(), a.severity.as_str()) {
                ("resolved", _) => ("✅", "good"),
                (_, "critical") => ("🔴", "attention"),
                _ => ("🟠", "warning"),
            };
            let (title, detail) = if a.state == "resolved" {
                resolved_line(&card.topic, a, now, tz)
            } else {
                (a.title.clone(), a.detail.clone().unwrap_or_default())
            };
            AlertLine {
                icon: icon.to_owned(),
                title,
                detail,
                color: color.to_owned(),
            }
        })
        .collect();
    if collapse {
        let names: Vec<&str> = resolved.iter().map(|a| subject_name(&a.subject)).collect();
        let shown = names
            .iter()
            .take(RESOLVED_NAMES)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        let more = names.len().saturating_sub(RESOLVED_NAMES);
        alerts.push(AlertLine {
            icon: "✅".to_owned(),
            title: format!("{} resolved", kit::count(names.len() as i64)),
            detail: if more > 0 {
                format!("{shown} and {} more", kit::count(more as i64))
            } else {
                shown
            },
            color: "good".to_owned(),
        });
    }
    let hidden = card.total - card.alerts.len() as i64;
    // Owners of what fires, each once: the people `alerts.owners` names for its subjects (in configuration order),
    // then, on Airflow's alerts, the DAGs' owners (as `airflow.owners` maps them, else by name).
    let names: Vec<&str> = card
        .alerts
        .iter()
        .filter(|a| a.state == "firing")
        .map(|a| {
            if card.topic == "quality" {
                // error/<table>/<check>: the table is what alerts.owners globs name.
                a.subject.split('/').nth(1).unwrap_or(&a.subject)
            } else {
                a.subject.rsplit('/').next().unwrap_or(&a.subject)
            }
        })
        .collect();
    let mut people: Vec<(&str, &str)> = Vec::new();
    let mut unmapped: Vec<String> = Vec::new();
    if open {
        for o in s
            .alerts
            .owners
            .iter()
            .filter(|o| names.iter().any(|n| glob_matches(&o.tables, n)))
        {
            if !people.iter().any(|(id, _)| *id == o.id) {
                people.push((&o.id, &o.name));
            }
        }
        let airflow_owners = card
            .alerts
            .iter()
            .filter(|a| a.state == "firing")
            .filter_map(|a| a.owners.as_deref())
            .flat_map(|o| o.split(','))
            .map(str::trim)
            .filter(|o| !o.is_empty());
        for owner in airflow_owners {
            let mapping = if card.topic == "quality" {
                &s.check_owners
            } else {
                &s.airflow_owners
            };
            let mapped: Vec<&crate::config::AirflowOwner> =
                mapping.iter().filter(|m| m.owner.trim() == owner).collect();
            if mapped.is_empty() && !unmapped.iter().any(|u| u == owner) {
                unmapped.push(owner.to_owned());
            }
            for m in mapped {
                if !people.iter().any(|(id, _)| *id == m.id) {
                    people.push((&m.id, &m.name));
                }
            }
        }
    }
    let mentions: Vec<Mention> = people
        .iter()
        .map(|(id, name)| Mention {
            kind: "mention".to_owned(),
            text: format!("<at>{name}</at>"),
            mentioned: Mentioned {
                id: (*id).to_owned(),
                name: (*name).to_owned(),
            },
        })
        .collect();
    let owners_text = if people.is_empty() && unmapped.is_empty() {
        String::new()
    } else {
        let all: Vec<String> = people
            .iter()
            .map(|(_, name)| format!("<at>{name}</at>"))
            .chain(unmapped)
            .collect();
        format!("Owners: {}", all.join(", "))
    };
    AlertView {
        summary: format!("{status} {}: {title}", topic_label(&card.topic)),
        id: card.id,
        subtitle: format!(
            "{} · since {}",
            topic_label(&card.topic),
            kit::when(card.opened_at, now, tz)
        ),
        title,
        status: status.to_owned(),
        status_color: color.to_owned(),
        owners: owners_text,
        mentions,
        facts,
        alerts,
        more: if hidden > 0 {
            format!("…and {} more", kit::count(hidden))
        } else {
            String::new()
        },
        footer: format!(
            "Alert #{} · topic `{}` · `mute {} 1h` silences the topic",
            card.id, card.topic, card.topic
        ),
        show_ack: open && card.acknowledged.is_none(),
        show_mute: open,
        link: Topic::parse(&card.topic)
            .and_then(|t| s.dashboard(t))
            .unwrap_or_default(),
    }
}

/// The heartbeat's schedule: every day at `hour:minute` (the collectors' cron type, so the same parser and
/// time-zone rules apply).
pub fn heartbeat_cron(hour: u32, minute: u32) -> crate::config::CronSpec {
    format!("0 {minute} {hour} * * *")
        .parse()
        .expect("heartbeat.at is validated as HH:MM, which makes a valid cron")
}

/// The heartbeat card from its data, as the outbox keeps it.
pub fn render_heartbeat(data: &Value) -> Value {
    let card = serde_json::from_value::<HeartbeatCard>(data.clone())
        .map_err(|e| e.to_string())
        .and_then(|view| views::render(&view).map_err(|e| e.to_string()));
    card.unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot render the heartbeat");
        json!({ "type": "AdaptiveCard", "version": "1.5", "fallbackText": "Doberman is alive",
                "body": [{ "type": "TextBlock", "text": "Doberman is alive.", "wrap": true }] })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_next_heartbeat_is_today_or_tomorrow_in_the_zone() {
        let seoul = chrono_tz::Asia::Seoul;
        let nine = heartbeat_cron(9, 0);
        // 23:30 UTC is 08:30 the next morning in Seoul: 09:00 is half an hour away.
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 23, 30, 0).unwrap();
        assert_eq!(
            nine.next_after(now, seoul),
            Some(Utc.with_ymd_and_hms(2026, 11, 26, 0, 0, 0).unwrap())
        );
        // Exactly at 09:00 the next one is tomorrow's.
        let at = Utc.with_ymd_and_hms(2026, 11, 26, 0, 0, 0).unwrap();
        assert_eq!(
            nine.next_after(at, seoul),
            Some(Utc.with_ymd_and_hms(2026, 11, 27, 0, 0, 0).unwrap())
        );
    }
}
