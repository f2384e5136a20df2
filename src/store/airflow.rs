//! Airflow facts: `dim_airflow_dag`, `fact_airflow_dag_run`, `fact_airflow_task_failure`,
//! `dim_airflow_import_error` and `airflow_instance`. One collection of an instance is written in one
//! transaction: a failed run changes nothing, and the next one reads again from the last complete one.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::bulk::{Upsert, Val, run_upsert};
use super::{BeginWrite, BinText, Store, StoreError, on_pool};

/// One DAG as the collector saw it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AirflowDagRow {
    /// DAG id.
    pub dag_id: String,
    /// Owners, comma-separated.
    pub owners: Option<String>,
    /// Tag names as a JSON array.
    pub tags: Option<String>,
    /// Schedule as written.
    pub schedule: Option<String>,
    /// Airflow's description of the timetable.
    pub schedule_description: Option<String>,
    /// Paused.
    pub is_paused: bool,
    /// Still in Airflow's files.
    pub is_active: bool,
    /// When the next run is created.
    pub next_run_after: Option<DateTime<Utc>>,
    /// The next run's logical date.
    pub next_logical_date: Option<DateTime<Utc>>,
    /// DAG file.
    pub file_location: Option<String>,
    /// Its file failed to import.
    pub has_import_errors: bool,
}

/// One DAG run.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AirflowRunRow {
    /// DAG id.
    pub dag_id: String,
    /// Run id.
    pub run_id: String,
    /// scheduled, manual, backfill, asset_triggered.
    pub run_type: String,
    /// queued, running, success, failed.
    pub state: String,
    /// Logical date.
    pub logical_date: Option<DateTime<Utc>>,
    /// When it was due.
    pub run_after: Option<DateTime<Utc>>,
    /// Queued.
    pub queued_at: Option<DateTime<Utc>>,
    /// Started.
    pub started_at: Option<DateTime<Utc>>,
    /// Ended.
    pub ended_at: Option<DateTime<Utc>>,
}

/// One failed task try.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AirflowFailureRow {
    /// DAG id.
    pub dag_id: String,
    /// Run id.
    pub run_id: String,
    /// Task id.
    pub task_id: String,
    /// Mapped index, -1 when not mapped.
    pub map_index: i64,
    /// Try number.
    pub try_number: i64,
    /// failed or up_for_retry.
    pub state: String,
    /// Operator class.
    pub operator: Option<String>,
    /// Started.
    pub started_at: Option<DateTime<Utc>>,
    /// Ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Seconds.
    pub duration_secs: Option<f64>,
    /// Log in the UI.
    pub log_url: Option<String>,
}

/// One DAG file that fails to import.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AirflowImportErrorRow {
    /// The file.
    pub file_location: String,
    /// The stack trace.
    pub error_text: String,
    /// When Airflow recorded it.
    pub seen_since: Option<DateTime<Utc>>,
}

/// One collection of one instance, written whole or not at all.
#[derive(Debug, Clone, Default)]
pub struct AirflowCollection {
    /// Instance name.
    pub instance: String,
    /// Its URL.
    pub url: String,
    /// `v1` or `v2`.
    pub api: String,
    /// Airflow's version.
    pub version: String,
    /// When this collection started (the next one reads changes since then, less an overlap).
    pub through: DateTime<Utc>,
    /// Every DAG (those not listed are marked dropped).
    pub dags: Vec<AirflowDagRow>,
    /// Runs updated since the last collection.
    pub runs: Vec<AirflowRunRow>,
    /// Failed tries updated since the last collection (their runs are in `runs` or already stored).
    pub failures: Vec<AirflowFailureRow>,
    /// The import errors now.
    pub import_errors: Vec<AirflowImportErrorRow>,
}

/// The longest file path kept (the key's width on MySQL).
const FILE_CHARS: usize = 700;

/// `n` (instance, dag id, run id) keys of `fact_airflow_dag_run`, bound in that order, as each backend probes its
/// unique key: SQLite takes row values (an OR of the same terms has it factor `instance` out and walk all of the
/// instance's runs); MariaDB reads an OR of equalities as ranges on the key.
fn keys_match(backend: crate::config::Backend, n: usize) -> String {
    match backend {
        crate::config::Backend::Sqlite => format!(
            "(instance, dag_id, run_id) IN (VALUES {})",
            vec!["(?, ?, ?)"; n].join(", ")
        ),
        crate::config::Backend::MySql => {
            vec!["(instance = ? AND dag_id = ? AND run_id = ?)"; n].join(" OR ")
        }
    }
}

/// The values of one `fact_airflow_dag_run` row.
fn run_values(
    instance: &str,
    r: &AirflowRunRow,
    tz: chrono_tz::Tz,
    collected_at: DateTime<Utc>,
) -> Vec<Val> {
    let local = r
        .started_at
        .map(|t| t.with_timezone(&tz).naive_local().and_utc());
    let duration = match (r.started_at, r.ended_at) {
        (Some(s), Some(e)) if e >= s => {
            Val::Float((e - s).num_microseconds().unwrap_or(0) as f64 / 1e6)
        }
        _ => Val::Text(None),
    };
    vec![
        instance.into(),
        r.dag_id.as_str().into(),
        r.run_id.as_str().into(),
        r.run_type.as_str().into(),
        r.state.as_str().into(),
        r.logical_date.into(),
        r.run_after.into(),
        r.queued_at.into(),
        r.started_at.into(),
        r.ended_at.into(),
        local.into(),
        duration,
        collected_at.into(),
    ]
}

/// The longest run the heatmap's rollup spreads over hours; a longer one counts for its last this long.
const LONGEST_RUN: chrono::Duration = chrono::Duration::days(60);

/// Whether a run counts in the heatmap's rollup (`fact_airflow_run_hour`): ended, not a backfill, with its times.
fn rolled_up(run_type: &str, state: &str) -> bool {
    run_type != "backfill" && matches!(state, "success" | "failed")
}

/// Adds (`sign` 1) or takes back (-1) a run from `start` to `end` to the rollup `delta`: one run and its seconds
/// in each UTC hour it was in progress (a run of no length counts in the hour it started).
pub fn add_run_hours(
    delta: &mut HashMap<DateTime<Utc>, (i64, i64)>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    sign: i64,
) {
    use chrono::DurationRound;
    let hour = chrono::Duration::hours(1);
    let start = start.max(end - LONGEST_RUN);
    let Ok(mut h) = start.duration_trunc(hour) else {
        return;
    };
    if end <= start {
        let e = delta.entry(h).or_default();
        e.0 += sign;
        return;
    }
    while h < end {
        let from = start.max(h);
        let to = end.min(h + hour);
        let e = delta.entry(h).or_default();
        e.0 += sign;
        e.1 += sign * (to - from).num_seconds();
        h += hour;
    }
}

impl Store {
    /// Where the last complete collection of `instance` started, if any.
    pub async fn airflow_collected_through(
        &self,
        instance: &str,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT collected_through FROM airflow_instance WHERE instance = ?")
            .bind(instance)
            .fetch_optional(pool)
            .await
            .map_err(StoreError::query("read how far Airflow was collected")))
    }

    /// Which of `keys` (dag id, run id) of `instance` are stored.
    pub async fn airflow_runs_known(
        &self,
        instance: &str,
        keys: &[(String, String)],
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut known = Vec::new();
        for chunk in keys.chunks(200) {
            let sql = format!(
                "SELECT dag_id, run_id FROM fact_airflow_dag_run WHERE {}",
                keys_match(self.backend(), chunk.len())
            );
            let rows: Vec<(BinText, BinText)> = on_pool!(self, pool => {
                let mut q = sqlx::query_as(&sql);
                for (dag, run) in chunk {
                    q = q.bind(instance).bind(dag.as_str()).bind(run.as_str());
                }
                q.fetch_all(pool).await.map_err(StoreError::query("read which Airflow runs are stored"))
            })?;
            known.extend(rows.into_iter().map(|(d, r)| (d.0, r.0)));
        }
        known.retain(|k| keys.contains(k));
        Ok(known)
    }

    /// Writes one collection of an instance in one transaction; `tz` is `schedule.timezone` (for
    /// `started_local`). Returns rows written.
    pub async fn write_airflow(
        &self,
        c: &AirflowCollection,
        tz: chrono_tz::Tz,
        collected_at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let backend = self.backend();
        let context = "write an Airflow collection";
        let instance = c.instance.as_str();
        let dag_rows: Vec<Vec<Val>> = c
            .dags
            .iter()
            .map(|d| {
                vec![
                    instance.into(),
                    d.dag_id.as_str().into(),
                    d.owners.clone().into(),
                    d.tags.clone().into(),
                    d.schedule.clone().into(),
                    d.schedule_description.clone().into(),
                    d.is_paused.into(),
                    d.is_active.into(),
                    d.next_run_after.into(),
                    d.next_logical_date.into(),
                    d.file_location.clone().into(),
                    d.has_import_errors.into(),
                    collected_at.into(),
                    collected_at.into(),
                ]
            })
            .collect();
        let error_rows: Vec<Vec<Val>> = c
            .import_errors
            .iter()
            .map(|e| {
                vec![
                    instance.into(),
                    e.file_location
                        .chars()
                        .take(FILE_CHARS)
                        .collect::<String>()
                        .into(),
                    e.error_text.as_str().into(),
                    e.seen_since.into(),
                    collected_at.into(),
                ]
            })
            .collect();
        let dags = Upsert {
            table: "dim_airflow_dag",
            columns: &[
                "instance",
                "dag_id",
                "owners",
                "tags",
                "schedule",
                "schedule_description",
                "is_paused",
                "is_active",
                "next_run_after",
                "next_logical_date",
                "file_location",
                "has_import_errors",
                "first_seen_at",
                "last_seen_at",
            ],
            key: &["instance", "dag_id"],
            update: &[
                "owners",
                "tags",
                "schedule",
                "schedule_description",
                "is_paused",
                "is_active",
                "next_run_after",
                "next_logical_date",
                "file_location",
                "has_import_errors",
                "last_seen_at",
            ],
            also: &["dropped_at = NULL"],
            add: &[],
        };
        let runs = Upsert {
            table: "fact_airflow_dag_run",
            columns: &[
                "instance",
                "dag_id",
                "run_id",
                "run_type",
                "state",
                "logical_date",
                "run_after",
                "queued_at",
                "started_at",
                "ended_at",
                "started_local",
                "duration_secs",
                "collected_at",
            ],
            key: &["instance", "dag_id", "run_id"],
            update: &[
                "run_type",
                "state",
                "logical_date",
                "run_after",
                "queued_at",
                "started_at",
                "ended_at",
                "started_local",
                "duration_secs",
                "collected_at",
            ],
            also: &[],
            add: &[],
        };
        let errors = Upsert {
            table: "dim_airflow_import_error",
            columns: &[
                "instance",
                "file_location",
                "error_text",
                "seen_since",
                "collected_at",
            ],
            key: &["instance", "file_location"],
            update: &["error_text", "seen_since", "collected_at"],
            also: &[],
            add: &[],
        };
        let failures = Upsert {
            table: "fact_airflow_task_failure",
            columns: &[
                "dag_run_id",
                "instance",
                "dag_id",
                "run_id",
                "task_id",
                "map_index",
                "try_number",
                "state",
                "operator",
                "started_at",
                "ended_at",
                "duration_secs",
                "log_url",
                "collected_at",
            ],
            key: &["dag_run_id", "task_id", "map_index", "try_number"],
            update: &[
                "state",
                "operator",
                "started_at",
                "ended_at",
                "duration_secs",
                "log_url",
                "collected_at",
            ],
            also: &[],
            add: &[],
        };
        let hours = Upsert {
            table: "fact_airflow_run_hour",
            columns: &["instance", "hour_utc", "runs", "run_secs"],
            key: &["instance", "hour_utc"],
            update: &[],
            also: &[],
            add: &["runs", "run_secs"],
        };
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await.map_err(StoreError::query(context))?;
            // The heatmap's rollup changes by what this collection changes: the ended runs it brings are added,
            // and what the runs it rewrites counted before is taken back.
            let mut delta: HashMap<DateTime<Utc>, (i64, i64)> = HashMap::new();
            if !c.runs.is_empty() {
                let stored: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM fact_airflow_dag_run WHERE instance = ? LIMIT 1")
                    .bind(instance).fetch_optional(&mut *tx).await.map_err(StoreError::query(context))?;
                if stored.is_some() {
                    let rolled: Option<i64> = sqlx::query_scalar(
                        "SELECT runs FROM fact_airflow_run_hour WHERE instance = ? LIMIT 1")
                        .bind(instance).fetch_optional(&mut *tx).await.map_err(StoreError::query(context))?;
                    if rolled.is_none() {
                        // Runs stored before the rollup existed: counted once, here.
                        let spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = sqlx::query_as(
                            "SELECT started_at, ended_at FROM fact_airflow_dag_run WHERE instance = ? \
                             AND run_type <> 'backfill' AND state IN ('success', 'failed') \
                             AND started_at IS NOT NULL AND ended_at IS NOT NULL")
                            .bind(instance).fetch_all(&mut *tx).await.map_err(StoreError::query(context))?;
                        for (start, end) in spans {
                            add_run_hours(&mut delta, start, end, 1);
                        }
                    }
                    let mut keys: Vec<(&str, &str)> =
                        c.runs.iter().map(|r| (r.dag_id.as_str(), r.run_id.as_str())).collect();
                    keys.sort_unstable();
                    keys.dedup();
                    for chunk in keys.chunks(200) {
                        let sql = format!(
                            "SELECT run_type, state, started_at, ended_at FROM fact_airflow_dag_run WHERE {}",
                            keys_match(backend, chunk.len())
                        );
                        let mut q = sqlx::query_as::<_, (String, String, Option<DateTime<Utc>>, Option<DateTime<Utc>>)>(&sql);
                        for (dag, run) in chunk {
                            q = q.bind(instance).bind(*dag).bind(*run);
                        }
                        for (run_type, state, start, end) in q.fetch_all(&mut *tx).await.map_err(StoreError::query(context))? {
                            if let (true, Some(start), Some(end)) = (rolled_up(&run_type, &state), start, end) {
                                add_run_hours(&mut delta, start, end, -1);
                            }
                        }
                    }
                }
                // The last of a run listed twice is what is stored: positions sorted by key, the last of each
                // key kept (a million positions are 8 MB, where a map of keys would be ten times that).
                let mut order: Vec<usize> = (0..c.runs.len()).collect();
                order.sort_by(|&a, &b| {
                    let (x, y) = (&c.runs[a], &c.runs[b]);
                    (x.dag_id.as_str(), x.run_id.as_str(), a).cmp(&(y.dag_id.as_str(), y.run_id.as_str(), b))
                });
                for (n, &i) in order.iter().enumerate() {
                    let r = &c.runs[i];
                    let last = order
                        .get(n + 1)
                        .is_none_or(|&j| c.runs[j].dag_id != r.dag_id || c.runs[j].run_id != r.run_id);
                    if let (true, true, Some(start), Some(end)) = (last, rolled_up(&r.run_type, &r.state), r.started_at, r.ended_at) {
                        add_run_hours(&mut delta, start, end, 1);
                    }
                }
            }
            let mut written = run_upsert!(backend, tx, dags, &dag_rows).map_err(StoreError::query(context))?;
            sqlx::query(
                "UPDATE dim_airflow_dag SET dropped_at = ? WHERE instance = ? AND last_seen_at < ? AND dropped_at IS NULL",
            )
            .bind(collected_at)
            .bind(instance)
            .bind(collected_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(context))?;
            // Row values a chunk at a time: a first collection may hold a million runs.
            for chunk in c.runs.chunks(runs.chunk_rows()) {
                let rows: Vec<Vec<Val>> = chunk.iter().map(|r| run_values(instance, r, tz, collected_at)).collect();
                written += run_upsert!(backend, tx, runs, &rows).map_err(StoreError::query(context))?;
            }
            // Each DAG whose runs changed: its latest run that is not a backfill, kept here so the board reads
            // one row per DAG instead of searching each DAG's runs.
            let mut touched: Vec<&str> = c.runs.iter().map(|r| r.dag_id.as_str()).collect();
            touched.sort_unstable();
            touched.dedup();
            for dag in touched {
                sqlx::query(
                    "UPDATE dim_airflow_dag SET latest_run_id = (SELECT l.id FROM fact_airflow_dag_run l \
                     WHERE l.instance = ? AND l.dag_id = ? AND l.run_type <> 'backfill' \
                     ORDER BY l.run_after DESC, l.id DESC LIMIT 1) WHERE instance = ? AND dag_id = ?",
                )
                .bind(instance)
                .bind(dag)
                .bind(instance)
                .bind(dag)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(context))?;
            }
            // The failures' runs, by key: the surrogate key the failures hang on, found by probes of the unique
            // key (see `keys_match`).
            let mut ids: HashMap<(String, String), i64> = HashMap::new();
            let mut wanted: Vec<(&str, &str)> = c
                .failures
                .iter()
                .map(|f| (f.dag_id.as_str(), f.run_id.as_str()))
                .collect();
            wanted.sort_unstable();
            wanted.dedup();
            for chunk in wanted.chunks(200) {
                let sql = format!(
                    "SELECT id, dag_id, run_id FROM fact_airflow_dag_run WHERE {}",
                    keys_match(backend, chunk.len())
                );
                let mut q = sqlx::query_as::<_, (i64, BinText, BinText)>(&sql);
                for (dag, run) in chunk {
                    q = q.bind(instance).bind(*dag).bind(*run);
                }
                for (id, dag, run) in q.fetch_all(&mut *tx).await.map_err(StoreError::query(context))? {
                    ids.insert((dag.0, run.0), id);
                }
            }
            for chunk in c.failures.chunks(failures.chunk_rows()) {
                let failure_rows: Vec<Vec<Val>> = chunk
                .iter()
                .filter_map(|f| {
                    let id = *ids.get(&(f.dag_id.clone(), f.run_id.clone()))?;
                    Some(vec![
                        id.into(),
                        instance.into(),
                        f.dag_id.as_str().into(),
                        f.run_id.as_str().into(),
                        f.task_id.as_str().into(),
                        f.map_index.into(),
                        f.try_number.into(),
                        f.state.as_str().into(),
                        f.operator.clone().into(),
                        f.started_at.into(),
                        f.ended_at.into(),
                        f.duration_secs.map_or(Val::Text(None), Val::Float),
                        f.log_url.clone().into(),
                        collected_at.into(),
                    ])
                })
                .collect();
                written += run_upsert!(backend, tx, failures, &failure_rows).map_err(StoreError::query(context))?;
            }
            sqlx::query("DELETE FROM dim_airflow_import_error WHERE instance = ?")
                .bind(instance)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(context))?;
            written += run_upsert!(backend, tx, errors, &error_rows).map_err(StoreError::query(context))?;
            let instance_row = Upsert {
                table: "airflow_instance",
                columns: &["instance", "url", "api", "version", "collected_through"],
                key: &["instance"],
                update: &["url", "api", "version", "collected_through"],
                also: &[],
                add: &[],
            };
            run_upsert!(
                backend,
                tx,
                instance_row,
                &[vec![
                    instance.into(),
                    c.url.as_str().into(),
                    c.api.as_str().into(),
                    c.version.as_str().into(),
                    c.through.into(),
                ]]
            )
            .map_err(StoreError::query(context))?;
            let mut hour_rows: Vec<Vec<Val>> = delta
                .into_iter()
                .filter(|(_, (runs, secs))| *runs != 0 || *secs != 0)
                .map(|(hour, (runs, secs))| vec![instance.into(), hour.into(), runs.into(), secs.into()])
                .collect();
            // In key order: concurrent writers of one instance do not interleave, but the order keeps locks tidy.
            hour_rows.sort_by(|a, b| match (&a[1], &b[1]) {
                (Val::Time(x), Val::Time(y)) => x.cmp(y),
                _ => std::cmp::Ordering::Equal,
            });
            run_upsert!(backend, tx, hours, &hour_rows).map_err(StoreError::query(context))?;
            tx.commit().await.map_err(StoreError::query(context))?;
            Ok::<u64, StoreError>(written)
        }.await)
    }
}

/// A DAG as the chat shows it.
#[derive(Debug, Clone, PartialEq, Default, sqlx::FromRow)]
pub struct AirflowDagBrief {
    /// Instance name.
    pub instance: String,
    /// DAG id.
    #[sqlx(try_from = "BinText")]
    pub dag_id: String,
    /// Owners.
    pub owners: Option<String>,
    /// Schedule as written.
    pub schedule: Option<String>,
    /// Airflow's description of it.
    pub schedule_description: Option<String>,
    /// Paused.
    pub is_paused: bool,
    /// Still in Airflow's files.
    pub is_active: bool,
    /// When the scheduler creates the next run.
    pub next_run_after: Option<DateTime<Utc>>,
    /// Its file failed to import.
    pub has_import_errors: bool,
}

/// A run as the chat shows it.
#[derive(Debug, Clone, PartialEq, Default, sqlx::FromRow)]
pub struct AirflowRunBrief {
    /// Surrogate key.
    pub id: i64,
    /// Instance name.
    pub instance: String,
    /// DAG id.
    #[sqlx(try_from = "BinText")]
    pub dag_id: String,
    /// Run id.
    #[sqlx(try_from = "BinText")]
    pub run_id: String,
    /// scheduled, manual, backfill, asset_triggered.
    pub run_type: String,
    /// queued, running, success, failed.
    pub state: String,
    /// When it was due.
    pub run_after: Option<DateTime<Utc>>,
    /// Started.
    pub started_at: Option<DateTime<Utc>>,
    /// Ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Seconds from start to end.
    pub duration_secs: Option<f64>,
}

/// A failed task try as the chat shows it.
#[derive(Debug, Clone, PartialEq, Default, sqlx::FromRow)]
pub struct AirflowFailureBrief {
    /// Its run's surrogate key.
    pub dag_run_id: i64,
    /// Instance name.
    pub instance: String,
    /// DAG id.
    #[sqlx(try_from = "BinText")]
    pub dag_id: String,
    /// Run id.
    #[sqlx(try_from = "BinText")]
    pub run_id: String,
    /// Task id.
    #[sqlx(try_from = "BinText")]
    pub task_id: String,
    /// Try number.
    pub try_number: i64,
    /// Its log in the UI.
    pub log_url: Option<String>,
}

/// An instance Doberman collected.
#[derive(Debug, Clone, PartialEq, Default, sqlx::FromRow)]
pub struct AirflowInstanceBrief {
    /// Name.
    pub instance: String,
    /// Airflow's version.
    pub version: String,
    /// When the last complete collection started.
    pub collected_through: DateTime<Utc>,
}

/// One UTC hour of the heatmap's rollup.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AirflowRunHour {
    /// Instance name.
    pub instance: String,
    /// Start of the UTC hour.
    pub hour_utc: DateTime<Utc>,
    /// Ended runs (not backfills) in progress during it.
    pub runs: i64,
    /// Seconds they ran within it.
    pub run_secs: i64,
}

const RUN_COLUMNS: &str = "r.id, r.instance, r.dag_id, r.run_id, r.run_type, r.state, r.run_after, r.started_at, \
     r.ended_at, r.duration_secs";

impl Store {
    /// The instances collected, by name.
    pub async fn airflow_instances(&self) -> Result<Vec<AirflowInstanceBrief>, StoreError> {
        on_pool!(self, pool => sqlx::query_as(
            "SELECT instance, version, collected_through FROM airflow_instance ORDER BY instance")
            .fetch_all(pool)
            .await
            .map_err(StoreError::query("read the Airflow instances")))
    }

    /// The DAGs Airflow still lists, by instance and id; only `dag_id` when given.
    pub async fn airflow_dags(
        &self,
        dag_id: Option<&str>,
    ) -> Result<Vec<AirflowDagBrief>, StoreError> {
        let sql = format!(
            "SELECT instance, dag_id, owners, schedule, schedule_description, is_paused, is_active, next_run_after, \
             has_import_errors FROM dim_airflow_dag WHERE dropped_at IS NULL{} ORDER BY instance, dag_id",
            if dag_id.is_some() {
                " AND dag_id = ?"
            } else {
                ""
            }
        );
        on_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql);
            if let Some(d) = dag_id {
                q = q.bind(d);
            }
            q.fetch_all(pool).await.map_err(StoreError::query("read the Airflow DAGs"))
        })
    }

    /// The files that fail to import now: (instance, file, Airflow's error).
    pub async fn airflow_import_errors(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        let rows: Vec<(String, BinText, BinText)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT instance, file_location, error_text FROM dim_airflow_import_error \
             ORDER BY instance, file_location")
            .fetch_all(pool)
            .await
            .map_err(StoreError::query("read the Airflow import errors")))?;
        Ok(rows.into_iter().map(|(i, f, e)| (i, f.0, e.0)).collect())
    }

    /// The heatmap's rollup from `since` (inclusive) to `until` (exclusive), of one instance or all.
    pub async fn airflow_run_hours(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        instance: Option<&str>,
    ) -> Result<Vec<AirflowRunHour>, StoreError> {
        let sql = format!(
            "SELECT instance, hour_utc, runs, run_secs FROM fact_airflow_run_hour WHERE hour_utc >= ? AND hour_utc < ?{}",
            if instance.is_some() {
                " AND instance = ?"
            } else {
                ""
            }
        );
        on_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql).bind(since).bind(until);
            if let Some(i) = instance {
                q = q.bind(i);
            }
            q.fetch_all(pool).await.map_err(StoreError::query("read the Airflow heatmap"))
        })
    }

    /// How long the latest `limit` successful runs (not backfills) of one DAG took, in seconds, newest first.
    pub async fn airflow_success_durations(
        &self,
        instance: &str,
        dag_id: &str,
        limit: u32,
    ) -> Result<Vec<f64>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT duration_secs FROM fact_airflow_dag_run WHERE instance = ? AND dag_id = ? AND state = 'success' \
             AND run_type <> 'backfill' AND duration_secs IS NOT NULL ORDER BY run_after DESC LIMIT ?")
            .bind(instance)
            .bind(dag_id)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
            .map_err(StoreError::query("read a DAG's run durations")))
    }

    /// Each DAG's latest run that is not a backfill (by due time), as the collector keeps it.
    pub async fn airflow_latest_runs(&self) -> Result<Vec<AirflowRunBrief>, StoreError> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM dim_airflow_dag d JOIN fact_airflow_dag_run r ON r.id = d.latest_run_id \
             WHERE d.dropped_at IS NULL"
        );
        on_pool!(self, pool => sqlx::query_as(&sql)
            .fetch_all(pool)
            .await
            .map_err(StoreError::query("read the latest Airflow runs")))
    }

    /// Runs that started at or after `since` (backfills included: callers tell them apart), newest first, at most
    /// `limit`; only `state` when given.
    pub async fn airflow_runs_since(
        &self,
        since: DateTime<Utc>,
        state: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AirflowRunBrief>, StoreError> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM fact_airflow_dag_run r WHERE r.started_at >= ?{} \
             ORDER BY r.started_at DESC LIMIT ?",
            if state.is_some() {
                " AND r.state = ?"
            } else {
                ""
            }
        );
        on_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql).bind(since);
            if let Some(s) = state {
                q = q.bind(s);
            }
            q.bind(i64::from(limit)).fetch_all(pool).await.map_err(StoreError::query("read the Airflow runs"))
        })
    }

    /// Runs (not backfills) started at or after `since`, counted by state. Counted here rather than grouped in
    /// SQL: a GROUP BY state leads SQLite to walk the (state, started_at) index whole instead of the day's range.
    pub async fn airflow_run_states_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let states: Vec<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT state FROM fact_airflow_dag_run WHERE started_at >= ? AND run_type <> 'backfill'")
            .bind(since)
            .fetch_all(pool)
            .await
            .map_err(StoreError::query("count the Airflow runs")))?;
        let mut counts: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
        for state in states {
            *counts.entry(state).or_default() += 1;
        }
        Ok(counts.into_iter().collect())
    }

    /// The latest `limit` runs of one DAG of one instance, newest (by due time) first.
    pub async fn airflow_runs_of(
        &self,
        instance: &str,
        dag_id: &str,
        limit: u32,
    ) -> Result<Vec<AirflowRunBrief>, StoreError> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM fact_airflow_dag_run r WHERE r.instance = ? AND r.dag_id = ? \
             ORDER BY r.run_after DESC LIMIT ?"
        );
        on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(instance)
            .bind(dag_id)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
            .map_err(StoreError::query("read a DAG's runs")))
    }

    /// The failed tries (not those retried) of the runs with these ids.
    pub async fn airflow_failures_of(
        &self,
        runs: &[i64],
    ) -> Result<Vec<AirflowFailureBrief>, StoreError> {
        let mut out = Vec::new();
        for chunk in runs.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!(
                "SELECT dag_run_id, instance, dag_id, run_id, task_id, try_number, log_url \
                 FROM fact_airflow_task_failure WHERE dag_run_id IN ({marks}) AND state = 'failed' \
                 ORDER BY dag_run_id, ended_at, task_id"
            );
            let rows: Vec<AirflowFailureBrief> = on_pool!(self, pool => {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.fetch_all(pool).await.map_err(StoreError::query("read failed Airflow tasks"))
            })?;
            out.extend(rows);
        }
        Ok(out)
    }
}
