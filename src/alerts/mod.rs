//! Alerts: rules over the store ([`rules`]), their lifecycle (one card per problem, updated in place, resolved,
//! grouped), routing to subscribed conversations and Workflows webhooks, the durable outbox and its delivery
//! worker ([`deliver`]), and the daily heartbeat.

pub mod deliver;
pub mod lifecycle;
pub mod rules;
pub mod said;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde_json::{Value, json};
use tokio::sync::{Mutex, Notify};

use crate::cards::kit;
use crate::cards::views::{
    self, AlertLine, AlertView, ColoredLine, Fact, HeartbeatCard, Line, Mention, Mentioned,
};
use crate::config::alerts::glob_matches;
use crate::config::{AlertsConfig, Config, HeartbeatConfig};
use crate::i18n::Lang;
use crate::store::{
    AlertCard, AlertFinding, Applied, Person, Store, StoreError, TableChanges, with_history,
};
use crate::t;

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
    /// The language of cards for webhooks and for conversations whose language is not known
    /// (`chat.default_locale`).
    pub lang: Lang,
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
            lang: config.chat.default_locale,
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

    /// Queues the heartbeat to every `heartbeat` subscriber, each in its language; how many. Its figures are read
    /// once: every language says the same.
    pub async fn heartbeat(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        let destinations = self.destinations(Topic::Heartbeat).await?;
        if destinations.is_empty() {
            return Ok(0);
        }
        let figures = self.heartbeat_figures(now).await?;
        let mut by_language: BTreeMap<Lang, Vec<String>> = BTreeMap::new();
        for destination in destinations {
            let lang = self.language_of(&destination).await;
            by_language.entry(lang).or_default().push(destination);
        }
        let mut n = 0;
        for (lang, destinations) in by_language {
            let data =
                crate::i18n::sync_scope(lang, || heartbeat_card(&self.settings, &figures, now));
            n += self
                .store
                .queue_heartbeat(
                    &destinations,
                    &serde_json::to_string(&data).expect("a view is plain data"),
                    now,
                )
                .await?;
        }
        self.wake.notify_one();
        Ok(n)
    }

    /// The heartbeat's card data as of `now`, in the current language: alive, version, uptime, the last 24 hours'
    /// job runs, freshness, yesterday's cost and the open alerts.
    pub async fn heartbeat_data(&self, now: DateTime<Utc>) -> Result<HeartbeatCard, StoreError> {
        let figures = self.heartbeat_figures(now).await?;
        Ok(heartbeat_card(&self.settings, &figures, now))
    }

    /// What the heartbeat says, as figures, as of `now`.
    async fn heartbeat_figures(&self, now: DateTime<Utc>) -> Result<HeartbeatFigures, StoreError> {
        let tz = self.settings.timezone;
        let night = now - chrono::Duration::hours(24);
        let runs = self.store.recent_job_runs(None, 500).await?;
        let mut jobs: BTreeMap<String, (i64, i64, Option<String>)> = BTreeMap::new();
        for r in runs.iter().filter(|r| r.started_at >= night) {
            let e = jobs.entry(r.job.clone()).or_default();
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
        let firing = self.store.firing_alerts().await?;
        // Judged as the freshness alerts and the catalog's cards judge them.
        let freshness = self.freshness_counts(now).await?;
        let yesterday = now.with_timezone(&tz).date_naive() - chrono::Duration::days(1);
        let cost = match self.store.cost_currency().await? {
            Some(currency) => {
                let costs = self
                    .store
                    .daily_costs(yesterday, yesterday, &currency)
                    .await?;
                Some(
                    (!costs.is_empty())
                        .then(|| (costs.iter().map(|c| c.amortized).sum(), currency)),
                )
            }
            None => None,
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
            Some((n("success"), n("failed"), other))
        };
        // Data checks: each active check's latest result, when it was about the last two days.
        let checks = {
            let since = now.with_timezone(&tz).date_naive() - chrono::Duration::days(2);
            let (pass, fail, error) = self.store.check_counts_since(since).await?;
            (pass + fail + error > 0).then_some((pass, fail, error))
        };
        Ok(HeartbeatFigures {
            jobs,
            firing,
            freshness,
            yesterday,
            cost,
            airflow,
            checks,
        })
    }
}

/// The heartbeat's card from its figures, in the current language.
fn heartbeat_card(s: &Settings, f: &HeartbeatFigures, now: DateTime<Utc>) -> HeartbeatCard {
    let tz = s.timezone;
    let version = env!("CARGO_PKG_VERSION");
    let failures: i64 = f.jobs.values().map(|v| v.1).sum();
    let jobs: Vec<ColoredLine> = f
        .jobs
        .iter()
        .map(|(job, (ok, failed, error))| {
            let text = match error {
                Some(e) => t!(
                    "heartbeat-job-failed",
                    job = job,
                    ok = ok.to_string(),
                    failed = failed.to_string(),
                    error = e
                ),
                None => t!("heartbeat-job-ok", job = job, ok = ok.to_string()),
            };
            ColoredLine {
                text,
                color: if *failed > 0 { "attention" } else { "default" }.to_owned(),
            }
        })
        .collect();
    let alerts: Vec<Line> = f
        .firing
        .iter()
        .map(|(topic, n)| {
            let topic = t!("alerts-topic-label", topic = topic);
            Line::new(t!("heartbeat-alert-line", topic = topic, n = *n))
        })
        .collect();
    let cost = match &f.cost {
        Some(Some((amount, currency))) => kit::money(*amount, currency),
        Some(None) => t!("heartbeat-cost-not-yet"),
        None => t!("heartbeat-cost-none"),
    };
    let airflow = f.airflow.map(|(ok, failed, running)| {
        Fact::new(
            t!("heartbeat-fact-airflow"),
            t!(
                "heartbeat-fact-airflow-value",
                ok = ok,
                failed = failed,
                running = running
            ),
        )
    });
    let checks = f.checks.map(|(pass, fail, error)| {
        Fact::new(
            t!("heartbeat-fact-checks"),
            t!(
                "heartbeat-fact-checks-value",
                pass = pass,
                fail = fail,
                error = error
            ),
        )
    });
    let up = now - s.started_at;
    let uptime = if up.num_seconds().abs() < 60 {
        t!("fmt-just-now")
    } else {
        crate::i18n::fmt::span(up)
    };
    let open: i64 = f.firing.iter().map(|(_, n)| n).sum();
    let (status, color) = if failures == 0 && open == 0 {
        (t!("heartbeat-status-well"), "good")
    } else {
        (t!("heartbeat-status-attention"), "warning")
    };
    let (stale, watched, unwatched) = f.freshness;
    HeartbeatCard {
        summary: t!(
            "heartbeat-summary",
            version = version,
            failures = failures.to_string(),
            open = open.to_string()
        ),
        title: t!("heartbeat-title"),
        subtitle: t!(
            "heartbeat-subtitle",
            version = version,
            uptime = uptime,
            time = crate::i18n::fmt::time(now, tz)
        ),
        status,
        status_color: color.to_owned(),
        facts: vec![
            Fact::new(
                t!("heartbeat-fact-freshness"),
                t!(
                    "heartbeat-fact-freshness-value",
                    stale = stale,
                    watched = watched,
                    unwatched = unwatched
                ),
            ),
            Fact::new(
                t!(
                    "heartbeat-fact-cost",
                    day = crate::i18n::fmt::day(f.yesterday)
                ),
                cost,
            ),
            Fact::new(t!("heartbeat-fact-open-alerts"), kit::count(open)),
            Fact::new(
                t!("heartbeat-fact-job-runs"),
                t!("heartbeat-fact-job-runs-value", n = failures),
            ),
        ]
        .into_iter()
        .chain(airflow)
        .chain(checks)
        .collect(),
        jobs,
        alerts,
        footer: t!(
            "heartbeat-footer",
            at = s
                .heartbeat
                .at
                .map_or_else(String::new, |(h, m)| format!("{h:02}:{m:02} {}", tz.name()))
        ),
        link: s.dashboard(Topic::Jobs).unwrap_or_default(),
    }
}

/// What the heartbeat says, read once and written in each reader's language.
#[derive(Debug, Clone)]
struct HeartbeatFigures {
    /// Per job, the last 24 hours: succeeded, failed, the first line of the latest failure's error.
    jobs: BTreeMap<String, (i64, i64, Option<String>)>,
    /// Firing alerts per topic.
    firing: Vec<(String, i64)>,
    /// Tables: stale, watched, not watched.
    freshness: (i64, i64, i64),
    /// The day whose cost it shows.
    yesterday: NaiveDate,
    /// That day's cost and its currency; `Some(None)`: not in yet; `None`: no cost data at all.
    cost: Option<Option<(f64, String)>>,
    /// The night's DAG runs, when an Airflow is collected: succeeded, failed, still running.
    airflow: Option<(i64, i64, i64)>,
    /// The data checks' latest results, when there are any: passed, failed, could not run.
    checks: Option<(i64, i64, i64)>,
}

/// The card data and card of an alert card, in the current language.
pub fn render_card(s: &Settings, card: &AlertCard, now: DateTime<Utc>) -> Value {
    views::render(&card_data(s, card, now)).unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot render an alert card");
        json!({ "type": "AdaptiveCard", "version": "1.5", "fallbackText": t!("alerts-fallback"),
                "body": [{ "type": "TextBlock", "text": t!("alerts-unrenderable"), "wrap": true }] })
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
    let when = a.resolved_at.map_or_else(
        || t!("alerts-resolved"),
        |at| t!("alerts-resolved-at", at = kit::when(at, now, tz)),
    );
    let over = || {
        t!(
            "alerts-resolved-over",
            title = said::draw(&a.title, now, tz)
        )
    };
    let title = match topic {
        "freshness" => t!("alerts-resolved-freshness", name = subject_name(&a.subject)),
        "jobs" => t!("alerts-resolved-jobs", name = subject_name(&a.subject)),
        "airflow" => {
            // kind/instance/what: a DAG id (which may hold `/`), or an import error's file.
            let mut parts = a.subject.splitn(3, '/');
            let (kind, what) = (parts.next(), parts.nth(1).unwrap_or_default());
            match kind {
                Some("failed") => t!("alerts-resolved-airflow-failed", name = what),
                Some("slow") => t!("alerts-resolved-airflow-slow", name = what),
                Some("late") => t!("alerts-resolved-airflow-late", name = what),
                Some("import") => t!("alerts-resolved-airflow-import", name = subject_name(what)),
                _ => over(),
            }
        }
        _ => over(),
    };
    let was = a
        .detail
        .as_deref()
        .map(|d| said::draw(d, now, tz))
        .unwrap_or_default();
    let detail = if was.is_empty() {
        when
    } else {
        t!("alerts-resolved-was", when = when, was = was)
    };
    (title, detail)
}

/// A topic's name on a card: `Freshness`, `데이터 최신성`.
fn topic_label(topic: &str) -> String {
    t!("alerts-topic-label", topic = topic)
}

/// A topic's name within a sentence: `freshness`, `데이터 최신성`.
fn topic_word(topic: &str) -> String {
    t!("alerts-topic-word", topic = topic)
}

/// The data the `alert` template expands, in the current language: titles and details drawn from their stored
/// messages, every time in `schedule.timezone`.
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
            .map_or_else(String::new, |a| said::draw(&a.title, now, tz)),
        (true, n) if card.topic == "freshness" => {
            t!("alerts-title-stale", firing = card.firing, total = n)
        }
        (true, n) => t!(
            "alerts-title-firing",
            firing = card.firing,
            total = n,
            topic = topic_word(&card.topic)
        ),
        (false, n) => t!(
            "alerts-title-closed",
            total = n,
            topic = topic_word(&card.topic)
        ),
    };
    let (status, color) = if !open {
        (t!("alerts-status-resolved"), "good")
    } else if card.acknowledged.is_some() {
        (t!("alerts-status-acknowledged"), "warning")
    } else if critical {
        (t!("alerts-status-critical"), "attention")
    } else {
        (t!("alerts-status-firing"), "warning")
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
            t!("alerts-fact-firing"),
            t!(
                "alerts-fact-firing-value",
                firing = card.firing,
                total = card.total
            ),
        ),
        Fact::new(
            t!("alerts-fact-seen"),
            t!(
                "alerts-fact-seen-value",
                n = seen,
                last = kit::when(last_seen, now, tz)
            ),
        ),
    ];
    if let Some(closed) = card.closed_at {
        facts.push(Fact::new(
            t!("alerts-fact-resolved"),
            kit::when(closed, now, tz),
        ));
    }
    if let Some((who, at)) = &card.acknowledged {
        facts.push(Fact::new(
            t!("alerts-fact-acknowledged"),
            t!(
                "alerts-fact-acknowledged-value",
                who = who,
                at = kit::when(*at, now, tz)
            ),
        ));
    }
    if let Some(until) = card.muted_until {
        facts.push(Fact::new(
            t!("alerts-fact-muted-until"),
            kit::when(until, now, tz),
        ));
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
                (
                    said::draw(&a.title, now, tz),
                    a.detail
                        .as_deref()
                        .map(|d| said::draw(d, now, tz))
                        .unwrap_or_default(),
                )
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
            title: t!("alerts-resolved-count", n = names.len()),
            detail: if more > 0 {
                t!("alerts-resolved-names-more", names = shown, n = more)
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
        t!("alerts-owners", owners = all.join(", "))
    };
    AlertView {
        summary: format!("{status} {}: {title}", topic_label(&card.topic)),
        id: card.id,
        subtitle: t!(
            "alerts-subtitle",
            topic = topic_label(&card.topic),
            since = kit::when(card.opened_at, now, tz)
        ),
        title,
        status,
        status_color: color.to_owned(),
        owners: owners_text,
        mentions,
        facts,
        alerts,
        more: if hidden > 0 {
            t!("cards-and-more", n = hidden)
        } else {
            String::new()
        },
        footer: t!(
            "alerts-footer",
            id = card.id.to_string(),
            topic = card.topic.as_str()
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

/// The heartbeat card from its data, as the outbox keeps it (written in its destination's language when queued);
/// the template's own words in the current language.
pub fn render_heartbeat(data: &Value) -> Value {
    let card = serde_json::from_value::<HeartbeatCard>(data.clone())
        .map_err(|e| e.to_string())
        .and_then(|view| views::render(&view).map_err(|e| e.to_string()));
    card.unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot render the heartbeat");
        json!({ "type": "AdaptiveCard", "version": "1.5", "fallbackText": t!("heartbeat-fallback"),
                "body": [{ "type": "TextBlock", "text": t!("heartbeat-fallback-text"), "wrap": true }] })
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

    /// Every card of every topic, and the heartbeat, read in Korean and in English from the same stored rows: the
    /// language is chosen when a card is drawn.
    mod languages {
        use super::*;
        use crate::i18n::sync_scope;
        use crate::store::{
            AirflowDagBrief, AirflowFailureBrief, AirflowRunBrief, AlertRow, AthenaWindow, JobRun,
            JobRunId, JobStatus,
        };

        fn now() -> DateTime<Utc> {
            Utc.with_ymd_and_hms(2026, 11, 26, 0, 5, 0).unwrap()
        }

        fn hours_ago(h: i64) -> DateTime<Utc> {
            now() - chrono::Duration::hours(h)
        }

        fn settings() -> Settings {
            Settings {
                alerts: AlertsConfig::default(),
                heartbeat: HeartbeatConfig::default(),
                timezone: chrono_tz::Asia::Seoul,
                periods: BTreeMap::new(),
                superset_url: url::Url::parse("https://superset.example.com").ok(),
                started_at: hours_ago(72),
                airflow: rules::AirflowRules {
                    late_after: std::time::Duration::from_secs(30 * 60),
                    slow_factor: 2.0,
                    run_limits: Vec::new(),
                },
                airflow_owners: Vec::new(),
                check_owners: Vec::new(),
                lang: Lang::En,
            }
        }

        /// A card of `topic` holding `findings`, firing, or resolved an hour ago.
        fn card(topic: &str, findings: &[AlertFinding], resolved: bool) -> AlertCard {
            let alerts: Vec<AlertRow> = findings
                .iter()
                .enumerate()
                .map(|(i, f)| AlertRow {
                    id: i as i64 + 1,
                    subject: f.subject.clone(),
                    severity: f.severity.clone(),
                    title: f.title.clone(),
                    detail: Some(f.detail.clone()),
                    owners: f.owners.clone(),
                    state: if resolved { "resolved" } else { "firing" }.to_owned(),
                    first_fired_at: hours_ago(3),
                    last_seen_at: hours_ago(1),
                    resolved_at: resolved.then(|| hours_ago(1)),
                    fire_count: 3,
                })
                .collect();
            AlertCard {
                id: 42,
                topic: topic.to_owned(),
                opened_at: hours_ago(3),
                closed_at: resolved.then(|| hours_ago(1)),
                acknowledged: (!resolved).then(|| ("김민지".to_owned(), hours_ago(2))),
                muted_until: (!resolved).then(|| now() + chrono::Duration::hours(1)),
                firing: if resolved { 0 } else { alerts.len() as i64 },
                total: alerts.len() as i64,
                alerts,
            }
        }

        /// What each topic's rules find in a small lake with a problem of every kind.
        fn findings() -> Vec<(&'static str, Vec<AlertFinding>)> {
            let tz = chrono_tz::Asia::Seoul;
            let periods = BTreeMap::from([
                ("catalog".to_owned(), chrono::Duration::hours(1)),
                ("usage".to_owned(), chrono::Duration::minutes(15)),
                ("cost".to_owned(), chrono::Duration::hours(6)),
            ]);
            let run = |job: &str, status, h, error: Option<&str>| JobRun {
                id: JobRunId(h),
                job: job.to_owned(),
                started_at: hours_ago(h),
                finished_at: Some(hours_ago(h) + chrono::Duration::minutes(5)),
                status,
                rows_written: 0,
                error_text: error.map(str::to_owned),
            };
            let runs = BTreeMap::from([
                (
                    "catalog".to_owned(),
                    vec![run(
                        "catalog",
                        JobStatus::Failed,
                        1,
                        Some("ThrottlingException: Rate exceeded"),
                    )],
                ),
                (
                    "usage".to_owned(),
                    vec![run("usage", JobStatus::Succeeded, 2, None)],
                ),
            ]);
            let jobs = rules::jobs(&periods, &runs, hours_ago(48), now(), tz);

            let table = |name: &str, h| TableChanges {
                key: format!("lake/ap-northeast-2/{name}"),
                name: name.to_owned(),
                changed_at: Some(hours_ago(h)),
                history: (0..6).map(|i| hours_ago(h + 6 * i)).rev().collect(),
            };
            let freshness = rules::freshness(
                &[table("sales.orders", 30), table("매출.일별", 20)],
                &[crate::config::alerts::FreshnessRule {
                    tables: "sales.*".into(),
                    every: "26h".into(),
                }],
                true,
                now(),
                tz,
            );

            let month = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
            let mut cost = rules::budgets(
                &[crate::config::alerts::Budget {
                    account: "111111111111".into(),
                    monthly: 1000.0,
                }],
                &BTreeMap::from([("111111111111".to_owned(), 1250.0)]),
                &BTreeMap::from([("111111111111".to_owned(), "데이터 플랫폼".to_owned())]),
                month,
                "KRW",
            );
            cost.extend(rules::cost_anomaly(
                Some(&crate::cost::Anomaly {
                    day: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                    total: 500_000.0,
                    mean: 100_000.0,
                    stddev: 50_000.0,
                    score: 8.0,
                }),
                3,
                "KRW",
            ));

            let athena = rules::athena(
                &AthenaWindow {
                    hour: (20, 8),
                    week: (1000, 50),
                    big_scans: vec![("q-1".into(), "analysts".into(), 3 << 40, hours_ago(2))],
                },
                20,
                1 << 40,
                tz,
            );

            let dag = |id: &str, next: Option<DateTime<Utc>>| AirflowDagBrief {
                instance: "prod".into(),
                dag_id: id.into(),
                owners: Some("data-eng".into()),
                is_active: true,
                next_run_after: next,
                ..AirflowDagBrief::default()
            };
            let dag_run = |id: i64, dag: &str, state: &str, h: i64| AirflowRunBrief {
                id,
                instance: "prod".into(),
                dag_id: dag.into(),
                run_id: format!("scheduled__{id}"),
                run_type: "scheduled".into(),
                state: state.into(),
                run_after: Some(hours_ago(h)),
                started_at: Some(hours_ago(h)),
                ended_at: (state != "running").then(|| hours_ago(h) + chrono::Duration::minutes(5)),
                duration_secs: None,
            };
            let key = |dag: &str| ("prod".to_owned(), dag.to_owned());
            let mut facts = rules::AirflowFacts {
                dags: vec![
                    dag("주문_적재", None),
                    dag("etl_daily", None),
                    dag("late_dag", Some(hours_ago(2))),
                ],
                collected_through: BTreeMap::from([("prod".to_owned(), now())]),
                ..rules::AirflowFacts::default()
            };
            let failed = vec![
                dag_run(4, "주문_적재", "running", 1),
                dag_run(3, "주문_적재", "failed", 3),
                dag_run(2, "주문_적재", "failed", 5),
                dag_run(1, "주문_적재", "success", 7),
            ];
            facts.latest.insert(key("주문_적재"), failed[0].clone());
            facts.recent.insert(key("주문_적재"), failed);
            facts.failures = vec![AirflowFailureBrief {
                dag_run_id: 3,
                task_id: "load".into(),
                try_number: 2,
                log_url: Some("https://airflow.example.com/log/3/load/2".into()),
                ..AirflowFailureBrief::default()
            }];
            let slow = dag_run(7, "etl_daily", "running", 2);
            facts.latest.insert(key("etl_daily"), slow.clone());
            facts.running = vec![slow];
            facts.durations.insert(key("etl_daily"), vec![1_800.0; 10]);
            facts
                .latest
                .insert(key("late_dag"), dag_run(9, "late_dag", "success", 26));
            facts.import_errors = vec![(
                "prod".into(),
                "/dags/legacy_crm_sync.py".into(),
                "Traceback\nModuleNotFoundError: No module named 'crm'".into(),
            )];
            let airflow = rules::airflow(&facts, &settings().airflow, now(), tz);

            let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
            let status = |name: &str, severity: &str, status: &str| crate::store::CheckStatus {
                check_name: name.into(),
                table_name: "sales.orders".into(),
                kind: "count".into(),
                severity: severity.into(),
                owner: None,
                schedule: "0 0 7 * * *".into(),
                source: Some("erp".into()),
                lake: "athena".into(),
                version_hash: "h".into(),
                day_checked: Some(day(25)),
                status: Some(status.into()),
                ran_at: Some(hours_ago(2)),
                source_value: Some(10.0),
                lake_value: Some(9.0),
                difference: Some(-1.0),
                message: Some("orders_count_vs_erp: 9 ≠ 10".into()),
            };
            let result = |d: u32, status: &str, lake: Option<f64>| crate::store::CheckResult {
                id: i64::from(d),
                check_name: "orders_count_vs_erp".into(),
                day_checked: day(d),
                version_hash: "h".into(),
                ran_at: hours_ago(2),
                status: status.into(),
                source_value: lake.map(|_| 10.0),
                lake_value: lake,
                difference: lake.map(|l| l - 10.0),
                detail: None,
                message: None,
                duration_ms: 10,
                bytes_scanned: None,
            };
            let quality = rules::quality(
                &[
                    status("orders_count_vs_erp", "error", "fail"),
                    status("orders_sum_vs_erp", "warn", "error"),
                ],
                &BTreeMap::from([(
                    "orders_count_vs_erp".to_owned(),
                    vec![
                        result(25, "fail", Some(9.0)),
                        result(24, "error", None),
                        result(23, "fail", None),
                        result(22, "pass", Some(10.0)),
                    ],
                )]),
            );
            vec![
                ("jobs", jobs),
                ("freshness", freshness),
                ("cost", cost),
                ("athena", athena),
                ("airflow", airflow),
                ("quality", quality),
            ]
        }

        /// Every string a person reads on a card.
        fn shown(card: &Value) -> String {
            crate::cards::kit::words(card)
        }

        /// The data on the cards: names, ids, URLs, error texts, as they are in every language.
        const DATA: &[&str] = &[
            "https://airflow.example.com/log/3/load/2",
            "ThrottlingException: Rate exceeded",
            "ModuleNotFoundError: No module named 'crm'",
            "/dags/legacy_crm_sync.py",
            "legacy_crm_sync.py",
            "orders_count_vs_erp: 9 ≠ 10",
            "orders_count_vs_erp",
            "orders_sum_vs_erp",
            "sales.orders",
            "scheduled__",
            "etl_daily",
            "late_dag",
            "data-eng",
            "analysts",
            "catalog",
            "usage",
            "cost",
            "load",
        ];

        /// English words left in `text` once the data is taken out.
        fn english(text: &str) -> Vec<String> {
            crate::i18n::english_besides(text, DATA)
        }

        fn draw(lang: Lang, topic: &str, findings: &[AlertFinding], resolved: bool) -> String {
            let s = settings();
            let card = card(topic, findings, resolved);
            shown(&sync_scope(lang, || render_card(&s, &card, now())))
        }

        #[test]
        fn every_topics_card_is_drawn_in_the_readers_language_from_the_same_stored_rows() {
            let expected_ko: &[(&str, &[&str])] = &[
                (
                    "jobs",
                    &[
                        "catalog 수집기 실패",
                        "2026년 11월 26일 08:05 KST (1시간 전) 실행: ThrottlingException",
                        "usage 수집기 실행 안 됨",
                        "마지막 성공 2026년 11월 26일 07:10 KST (1시간 전); 실행 주기 15분",
                        "수집기 알림 3건 중 3건 발생 중",
                        "한 번도 성공하지 않았습니다; 실행 주기 6시간",
                    ],
                ),
                (
                    "freshness",
                    &[
                        "테이블 2개 중 2개 갱신 지연",
                        "sales.orders 갱신 지연",
                        "예상 주기 26시간 (설정값)",
                        "예상 주기 12시간 (학습값)",
                    ],
                ),
                (
                    "cost",
                    &[
                        "데이터 플랫폼 11월 예산 100% 초과",
                        "1,000원 중 1,250원 사용 (125%)",
                        "2026-11-25 비용 급증",
                        "500,000원 (일평균 100,000원, 표준편차의 8.0배 높음)",
                    ],
                ),
                (
                    "athena",
                    &[
                        "Athena 쿼리 실패 급증",
                        "최근 1시간 20건 중 8건 실패 (40%, 최근 1주 5%)",
                        "analysts 작업 그룹 쿼리가 3.0 TiB 스캔",
                    ],
                ),
                (
                    "airflow",
                    &[
                        "주문_적재 실패",
                        "load (2번째 시도)",
                        "2회 연속 실패",
                        "실행 scheduled__4 2026년 11월 26일 08:05 KST (1시간 전)부터 실행 중",
                        "etl_daily 실행 시간 초과",
                        "최근 성공 10회의 p95 30분의 2배",
                        "late_dag 시작 안 됨",
                        "legacy_crm_sync.py 임포트 실패",
                    ],
                ),
                (
                    "quality",
                    &[
                        "orders_count_vs_erp 실패",
                        "11-25: 레이크 9 · 소스 10 (-1)",
                        "11-24: 실행 불가",
                        "11-23: 실패",
                        "orders_sum_vs_erp 실행 불가",
                    ],
                ),
            ];
            for (topic, found) in findings() {
                assert!(found.len() >= 2, "{topic}: {found:#?}");
                let expected = expected_ko
                    .iter()
                    .find(|(t, _)| *t == topic)
                    .map(|(_, e)| *e)
                    .unwrap_or_default();

                for resolved in [false, true] {
                    let ko = draw(Lang::Ko, topic, &found, resolved);
                    let en = draw(Lang::En, topic, &found, resolved);

                    let left = english(&ko);
                    assert!(
                        left.is_empty(),
                        "{topic} (resolved: {resolved}): English {left:?} in\n{ko}"
                    );
                    assert!(
                        !ko.contains("UTC") && !en.contains("UTC"),
                        "one zone: {ko}\n{en}"
                    );
                    assert!(ko.contains("KST") && en.contains("KST"), "{ko}\n{en}");
                    assert!(en.contains("Alert #42 · topic"), "{en}");
                    if resolved {
                        assert!(
                            ko.contains("✅ 해결됨") && en.contains("✅ RESOLVED"),
                            "{ko}\n{en}"
                        );
                        assert!(
                            ko.contains("이전 내용:") && en.contains("it was:"),
                            "{ko}\n{en}"
                        );
                    } else {
                        for words in expected {
                            assert!(ko.contains(words), "{topic}: `{words}` not in\n{ko}");
                        }
                        assert!(
                            ko.contains("👀 확인됨") && en.contains("👀 ACKNOWLEDGED"),
                            "{ko}"
                        );
                        assert!(
                            ko.contains("1시간 알림 끄기") && en.contains("Mute 1h"),
                            "the buttons: {ko}"
                        );
                        assert!(
                            ko.contains("알림 재개: 2026년 11월 26일 10:05 KST (1시간 후)"),
                            "{ko}"
                        );
                        assert!(
                            en.contains("Muted until: 2026-11-26 10:05 KST (in 1h)"),
                            "{en}"
                        );
                    }
                }
            }
        }

        #[test]
        fn the_english_card_reads_as_before() {
            let all = findings();
            let freshness = &all[1].1;
            let en = draw(Lang::En, "freshness", freshness, false);
            for line in [
                "2 of 2 tables are stale",
                "Freshness · since 2026-11-26 06:05 KST (3h ago)",
                "sales.orders is stale",
                "Last changed 2026-11-25 03:05 KST (1d ago); expected every 26h (configured)",
                "Firing: 2 of 2",
                "Seen: 3 time(s), last 2026-11-26 08:05 KST (1h ago)",
                "Acknowledged: by 김민지, 2026-11-26 07:05 KST (2h ago)",
                "Alert #42 · topic `freshness` · `mute freshness 1h` silences the topic",
                "Acknowledge",
                "Mute 1d",
                "Open in Superset",
            ] {
                assert!(en.contains(line), "`{line}` not in\n{en}");
            }
            let resolved = draw(Lang::En, "jobs", &all[0].1, true);
            assert!(
                resolved.contains("The catalog collector runs again")
                    && resolved.contains(
                        "resolved 2026-11-26 08:05 KST (1h ago); it was: Run of 2026-11-26 08:05 KST (1h ago): \
                         ThrottlingException: Rate exceeded"
                    ),
                "{resolved}"
            );
        }

        #[test]
        fn the_heartbeat_says_the_same_figures_in_either_language() {
            let figures = HeartbeatFigures {
                jobs: BTreeMap::from([
                    ("catalog".to_owned(), (24, 0, None)),
                    (
                        "cost".to_owned(),
                        (3, 1, Some("Athena query timed out after 600s".to_owned())),
                    ),
                ]),
                firing: vec![("freshness".to_owned(), 2), ("jobs".to_owned(), 1)],
                freshness: (2, 1280, 4),
                yesterday: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
                cost: Some(Some((1_234_567.0, "KRW".to_owned()))),
                airflow: Some((40, 1, 2)),
                checks: Some((10, 1, 0)),
            };
            let s = settings();
            let card = |lang| {
                let data = sync_scope(lang, || heartbeat_card(&s, &figures, now()));
                let json = serde_json::to_value(&data).expect("plain data");
                shown(&sync_scope(lang, || render_heartbeat(&json)))
            };

            let ko = card(Lang::Ko);
            let en = card(Lang::En);

            for line in [
                "좋은 아침입니다: Doberman 정상 동작 중",
                "가동 3일 · 2026년 11월 26일 09:05 KST",
                "데이터 최신성: 감시 중인 테이블 1,280개 중 2개 지연 (감시 안 함 4개)",
                "비용 2026년 11월 25일: 1,234,567원",
                "열린 알림: 3",
                "작업 실행 (24시간): 1회 실패",
                "Airflow 실행 (24시간): 성공 40 · 실패 1 · 실행 중 2",
                "정합성 검사: 통과 10 · 실패 1 · 실행 불가 0",
                "✅ catalog: 24회 성공",
                "❌ cost: 3회 성공, 1회 실패 — Athena query timed out after 600s",
                "🔔 데이터 최신성: 2건 발생 중",
                "지난밤 작업",
                "운영 대시보드",
                "매일 09:00 Asia/Seoul · 이 카드가 오지 않으면 Doberman이 멈춘 것입니다",
            ] {
                assert!(ko.contains(line), "`{line}` not in\n{ko}");
            }
            let left = english(
                &ko.replace("Athena query timed out after 600s", " ")
                    .replace("Asia/Seoul", " "),
            );
            assert!(left.is_empty(), "English {left:?} in\n{ko}");
            let version = format!(
                "version {} · up 3d · 2026-11-26 09:05 KST",
                env!("CARGO_PKG_VERSION")
            );
            for line in [
                "Good morning: Doberman is alive",
                version.as_str(),
                "Freshness: 2 stale of 1,280 watched tables (4 not watched)",
                "Cost 2026-11-25: KRW 1,234,567",
                "Job runs (24h): 1 failed",
                "Airflow runs (24h): 40 ok · 1 failed · 2 still running",
                "✅ catalog: 24 succeeded",
                "❌ cost: 3 succeeded, 1 failed — Athena query timed out after 600s",
                "🔔 Freshness: 2 firing",
                "Last night's jobs",
                "Operations dashboard",
                "Daily at 09:00 Asia/Seoul · if this card does not come, Doberman is down",
            ] {
                assert!(en.contains(line), "`{line}` not in\n{en}");
            }
        }
    }
}
