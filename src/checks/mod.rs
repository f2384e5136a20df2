//! Data checks (정합성): is the data in the lake right, not just there. The checks of `checks.dir` run on their
//! schedules (the `checks` job of the collectors' runner finds those due), each side where it lives — Athena
//! through the query runner with a scanned-bytes limit, a system of record through [`source`] in a read-only
//! transaction — and what they find becomes a row of `fact_check_result` that the `quality` alerts and the chat
//! read. A result's `message` is stored as a catalog message ([`crate::i18n::Msg`] JSON), drawn in the language
//! of whoever reads it (`Msg::render_stored`; rows written before are plain English and shown as they are). AWS
//! Glue Data Quality results are read in as checks of kind `glue_dq`.

pub mod judge;
pub mod source;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_glue::config::SharedCredentialsProvider;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use futures_util::StreamExt;
use tokio::sync::OnceCell;

use crate::aws::query::{self, Cell, Polling, Query};
use crate::aws::{self, Target};
use crate::config::checks::{CheckDef, CheckKind, Engine, Side};
use crate::config::{AwsConfig, ChecksConfig, Config};
use crate::i18n::{Msg, MsgArg};
use crate::sql::params::{self, Dialect};
use crate::store::{CheckResultRow, CheckRow, Store, StoreError};
use judge::{Verdict, Where};
use source::{DayValues, SourceError, Sources};

/// How often Glue Data Quality results are read (they change when a Glue evaluation runs, rarely more than
/// hourly).
pub const GLUE_EVERY: chrono::Duration = chrono::Duration::minutes(15);
/// Rows a `custom` check counts of what it found (the first few are kept in its detail).
const SAMPLE_ROWS: usize = 100;
/// Characters of a result's message kept (MySQL's TEXT holds 64 KB; a sentence is what people read).
const MESSAGE_CHARS: usize = 2_000;

/// `text` cut to `max` characters, with an ellipsis when cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// A result's message as stored ([`Msg::to_stored`], written in the reader's language when read), in at most
/// [`MESSAGE_CHARS`] characters: the longest text (a row returned, a database's own words) is cut until it fits,
/// so that what is stored stays a message.
fn stored_message(mut msg: Msg) -> String {
    loop {
        let stored = msg.to_stored();
        let over = stored.chars().count().saturating_sub(MESSAGE_CHARS);
        if over == 0 {
            return stored;
        }
        let longest = msg
            .args
            .values_mut()
            .filter_map(|a| match a {
                MsgArg::Text(t) => Some(t),
                _ => None,
            })
            .max_by_key(|t| t.chars().count());
        match longest {
            Some(t) if t.chars().count() > 1 => {
                // JSON escapes make the stored text longer than its characters: cut by what is over, but by
                // at most half at a time, so that escapes do not cut it all.
                let len = t.chars().count();
                let keep = len.saturating_sub(over + 8).max(len / 2).max(1);
                *t = cut(t, keep);
            }
            _ => return cut(&stored, MESSAGE_CHARS),
        }
    }
}

/// Why one side's query gave no answer, as a message about that side.
fn side_error(side: Where<'_>, e: SourceError) -> Msg {
    side.on(match e {
        SourceError::Setup(detail) => Msg::new("checks-error").text("error", detail),
        SourceError::Connect { host, detail } => Msg::new("checks-error-connect")
            .text("host", host)
            .text("detail", detail),
        SourceError::Timeout { host, timeout } => Msg::new("checks-error-timeout")
            .text("host", host)
            .num("secs", timeout.as_secs_f64()),
        SourceError::Query { host, detail } => Msg::new("checks-error-refused")
            .text("host", host)
            .text("detail", detail),
    })
}

/// A system's own words (Athena's, a parameter's problem) about why a side gave no answer.
fn side_said(side: Where<'_>, error: impl Into<String>) -> Msg {
    side.on(Msg::new("checks-error").text("error", error))
}

/// One value of an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// NULL.
    Null,
    /// Any number.
    Num(f64),
    /// Text.
    Text(String),
    /// A timestamp (naive; read as UTC).
    Time(NaiveDateTime),
    /// A date.
    Date(NaiveDate),
    /// A boolean.
    Bool(bool),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Num(n) => f.write_str(&judge::num(*n)),
            Value::Text(t) => f.write_str(t),
            Value::Time(t) => write!(f, "{}", t.format("%Y-%m-%d %H:%M:%S")),
            Value::Date(d) => write!(f, "{d}"),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// What one side's query returned.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Answer {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows (at most the limit asked for).
    pub rows: Vec<Vec<Value>>,
    /// Whether there were more rows than kept.
    pub truncated: bool,
    /// Bytes Athena scanned.
    pub bytes_scanned: Option<i64>,
}

impl From<Cell> for Value {
    fn from(c: Cell) -> Value {
        match c {
            Cell::Null => Value::Null,
            Cell::Int(i) => Value::Num(i as f64),
            Cell::Float(f) => Value::Num(f),
            Cell::Decimal(d) => d.parse().map_or(Value::Text(d), Value::Num),
            Cell::Bool(b) => Value::Bool(b),
            Cell::Date(d) => Value::Date(d),
            Cell::Timestamp(t) => Value::Time(t),
            Cell::Text(t) => Value::Text(t),
            Cell::Json(j) => Value::Text(j.to_string()),
        }
    }
}

/// What a run of due checks did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueReport {
    /// Checks run, by status.
    pub passed: usize,
    /// Failed.
    pub failed: usize,
    /// Could not tell.
    pub errors: usize,
    /// Glue Data Quality results read (none when not asked or not due).
    pub glue_results: Option<usize>,
    /// Definitions written to `dim_check`.
    pub definitions_changed: u64,
}

/// Runs checks and records what they find: the `checks` job and `check run` share it.
pub struct Checker {
    store: Store,
    config: ChecksConfig,
    timezone: chrono_tz::Tz,
    aws_config: AwsConfig,
    credentials: Option<SharedCredentialsProvider>,
    targets: OnceCell<Vec<Target>>,
    sources: Sources,
    glue_read_at: tokio::sync::Mutex<Option<DateTime<Utc>>>,
}

impl fmt::Debug for Checker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Checker")
            .field("checks", &self.config.checks.len())
            .field("glue_data_quality", &self.config.glue_data_quality)
            .finish_non_exhaustive()
    }
}

impl Checker {
    /// The checker of `config`; `credentials` replaces the default chain's base credentials (tests).
    pub fn new(
        config: &Config,
        store: Store,
        credentials: Option<SharedCredentialsProvider>,
    ) -> Checker {
        Checker {
            store,
            config: config.checks.clone(),
            timezone: config.schedule.timezone,
            aws_config: config.aws.clone(),
            credentials,
            targets: OnceCell::new(),
            // Every check may wait on one source: no more connections than checks run at once.
            sources: Sources::new(config.checks.concurrency.min(8)),
            glue_read_at: tokio::sync::Mutex::new(None),
        }
    }

    /// The declared checks.
    pub fn checks(&self) -> &[CheckDef] {
        &self.config.checks
    }

    /// `[checks]`.
    pub fn config(&self) -> &ChecksConfig {
        &self.config
    }

    /// Whether there is anything to run: declared checks, or Glue Data Quality to read.
    pub fn configured(&self) -> bool {
        !self.config.checks.is_empty() || self.config.glue_data_quality
    }

    /// The AWS account and region whose Athena (and Glue Data Quality) the checks use; `None` when
    /// `checks.account` names none of `aws.accounts`.
    async fn target(&self) -> Option<&Target> {
        let targets = self
            .targets
            .get_or_init(|| aws::targets(&self.aws_config, self.credentials.clone()))
            .await;
        if self.config.account.is_empty() {
            targets.first()
        } else {
            targets.iter().find(|t| t.account == self.config.account)
        }
    }

    /// The day a run at `tick` checks: its local date less `days_back`.
    pub fn day_for(&self, def: &CheckDef, tick: DateTime<Utc>) -> NaiveDate {
        tick.with_timezone(&self.timezone).date_naive()
            - chrono::Duration::days(i64::from(def.days_back))
    }

    /// Writes the declared checks to `dim_check` (new and changed ones; retired ones marked inactive), and
    /// retires the Glue Data Quality ones when `checks.glue_data_quality` is off. Run at start too, so checks
    /// removed from the files (or all of them) stop showing and alerting even when no check is left to run.
    pub async fn sync(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let rows: Vec<CheckRow> = self.config.checks.iter().map(row_of).collect();
        let mut changed = self.store.sync_checks(&rows, true, now).await?;
        if !self.config.glue_data_quality {
            changed += self.store.sync_checks(&[], false, now).await?;
        }
        Ok(changed)
    }

    /// Runs every check whose schedule fired since its last scheduled run (a new check runs for its latest
    /// tick), `checks.concurrency` at once, each result written as it comes; reads Glue Data Quality when due.
    pub async fn run_due(&self, now: DateTime<Utc>) -> anyhow::Result<DueReport> {
        use anyhow::Context;
        let mut report = DueReport {
            definitions_changed: self
                .sync(now)
                .await
                .context("Failed to write the checks' definitions")?,
            ..DueReport::default()
        };
        let schedules = self
            .store
            .check_schedules()
            .await
            .context("Failed to read when the checks last ran")?;
        let due: Vec<(&CheckDef, DateTime<Utc>)> = self
            .config
            .checks
            .iter()
            .filter_map(|def| {
                let tick = def.schedule.latest_at_or_before(now, self.timezone)?;
                let last = schedules.get(&def.name).and_then(|s| s.last_due_at);
                last.is_none_or(|l| l < tick).then_some((def, tick))
            })
            .collect();
        let concurrency = usize::try_from(self.config.concurrency).unwrap_or(1).max(1);
        // Named futures in a FuturesUnordered, topped up as each ends: at most `concurrency` at once.
        let mut pending = due.into_iter();
        let mut runs = futures_util::stream::FuturesUnordered::new();
        for (def, tick) in pending.by_ref().take(concurrency) {
            runs.push(self.run_scheduled(def, tick));
        }
        let mut first_error = None;
        while let Some(done) = runs.next().await {
            if let Some((def, tick)) = pending.next() {
                runs.push(self.run_scheduled(def, tick));
            }
            match done {
                Ok(status) => match status {
                    "pass" => report.passed += 1,
                    "fail" => report.failed += 1,
                    _ => report.errors += 1,
                },
                Err(e) => {
                    tracing::error!(error = %crate::common::anyhow_chain(&e), "cannot record a check's result");
                    first_error.get_or_insert(e);
                }
            }
        }
        if self.config.glue_data_quality {
            let mut read_at = self.glue_read_at.lock().await;
            if read_at.is_none_or(|t| now - t >= GLUE_EVERY) {
                report.glue_results = Some(
                    self.read_glue(now)
                        .await
                        .context("Failed to read AWS Glue Data Quality results")?,
                );
                *read_at = Some(now);
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Runs `def` for the schedule tick `tick` and records it; its status.
    async fn run_scheduled(
        &self,
        def: &CheckDef,
        tick: DateTime<Utc>,
    ) -> anyhow::Result<&'static str> {
        use anyhow::Context;
        let result = self.evaluate(def, self.day_for(def, tick)).await;
        self.store
            .record_check_result(&result, Some(tick))
            .await
            .with_context(|| format!("Failed to record the result of `{}`", def.name))?;
        Ok(match result.status.as_str() {
            "pass" => "pass",
            "fail" => "fail",
            _ => "error",
        })
    }

    /// Runs `def` for `day` and records it (a run by hand or a backfill: its schedule is left as it is).
    pub async fn run_and_record(
        &self,
        def: &CheckDef,
        day: NaiveDate,
    ) -> Result<CheckResultRow, StoreError> {
        // Every declared check is written, not only this one: a partial list would retire the others.
        self.sync(crate::store::now()).await?;
        let result = self.evaluate(def, day).await;
        self.store.record_check_result(&result, None).await?;
        Ok(result)
    }

    /// Runs `def` for `day`: both sides (at once), judged. Never fails: what goes wrong is an `error` result.
    pub async fn evaluate(&self, def: &CheckDef, day: NaiveDate) -> CheckResultRow {
        let started = Instant::now();
        let values = DayValues::of(day);
        let span = tracing::info_span!("check", check = %def.name, %day);
        let (verdict, bytes) =
            tracing::Instrument::instrument(self.verdict(def, &values), span).await;
        CheckResultRow {
            check_name: def.name.clone(),
            day,
            version_hash: def.version_hash(),
            ran_at: crate::store::now(),
            status: verdict.status.to_owned(),
            source_value: verdict.source_value,
            lake_value: verdict.lake_value,
            difference: verdict.difference,
            detail: verdict.detail.map(|d| d.to_string()),
            message: Some(stored_message(verdict.message)),
            duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
            bytes_scanned: bytes,
        }
    }

    async fn verdict(&self, def: &CheckDef, values: &DayValues) -> (Verdict, Option<i64>) {
        let lake_sql = match lake_sql(def) {
            Ok(sql) => sql,
            Err(e) => return (Verdict::error(e), None),
        };
        let lake = Where::Lake;
        let lake_side = Side {
            engine: def.lake.engine.clone(),
            sql: Some(lake_sql),
        };
        let limit = if def.kind == CheckKind::Custom {
            SAMPLE_ROWS
        } else {
            1
        };
        if def.kind.two_sided() {
            let Some(source) = &def.source else {
                return (Verdict::error(Msg::new("checks-error-no-source")), None);
            };
            let source_label = side_label(&source.engine);
            let (s, l) = tokio::join!(
                self.ask(source, Where::Source(&source_label), values, 1),
                self.ask(&lake_side, lake, values, limit)
            );
            let bytes = sum_bytes(&s, &l);
            return match (s, l) {
                (Ok(s), Ok(l)) => (judge::compare(def.tolerance, &s, &l, &source_label), bytes),
                (Err(e), _) | (_, Err(e)) => (Verdict::error(e), bytes),
            };
        }
        let answer = match self.ask(&lake_side, lake, values, limit).await {
            Ok(a) => a,
            Err(e) => return (Verdict::error(e), None),
        };
        let bytes = answer.bytes_scanned;
        let column = def.column.as_deref().unwrap_or_default();
        let verdict = match def.kind {
            CheckKind::NotNull => judge::not_null(def.tolerance, &answer, column),
            CheckKind::Unique => judge::unique(def.tolerance, &answer, &def.columns),
            CheckKind::Freshness => judge::freshness(
                &answer,
                column,
                def.max_age.unwrap_or(Duration::from_secs(86_400)),
                crate::clock::now(),
            ),
            CheckKind::RowCountRange => judge::range(&answer, def.min, def.max),
            CheckKind::Custom => judge::custom(&answer),
            CheckKind::RowCountMatch | CheckKind::AggregateMatch | CheckKind::GlueDq => {
                Verdict::error(Msg::new("checks-error-not-one-sided"))
            }
        };
        (verdict, bytes)
    }

    /// Runs one side's SQL, its parameters bound; why not, as a message about `on`.
    async fn ask(
        &self,
        side: &Side,
        on: Where<'_>,
        values: &DayValues,
        limit: usize,
    ) -> Result<Answer, Msg> {
        let sql = side.sql.as_deref().unwrap_or_default();
        let bound =
            params::bind(sql, side.engine.dialect()).map_err(|e| side_said(on, e.to_string()))?;
        let timeout = Duration::from_secs(u64::from(self.config.timeout_secs));
        match &side.engine {
            Engine::Database { url, password_env } => self
                .sources
                .query(url, password_env.as_deref(), &bound, values, timeout, limit)
                .await
                .map_err(|e| side_error(on, e)),
            Engine::Athena => {
                let target = self.target().await.ok_or_else(|| {
                    on.on(Msg::new("checks-error-no-account").text("account", &self.config.account))
                })?;
                let q = Query {
                    sql: bound.sql,
                    parameters: bound
                        .names
                        .iter()
                        .map(|n| values.athena_literal(n))
                        .collect(),
                    work_group: Some(self.config.workgroup.clone()),
                    database: None,
                    output_location: self.config.output_location.clone(),
                };
                let polling = Polling {
                    timeout,
                    max_scanned_bytes: Some((self.config.max_scan_gb * 1e9) as i64),
                    max_rows: Some(limit + 1),
                    ..Polling::default()
                };
                let results = query::run(target.aws.athena(), &q, polling)
                    .await
                    .map_err(|e| side_said(on, e.to_string()))?;
                let truncated = results.rows.len() > limit;
                Ok(Answer {
                    columns: results.columns.into_iter().map(|(n, _)| n).collect(),
                    rows: results
                        .rows
                        .into_iter()
                        .take(limit)
                        .map(|r| r.into_iter().map(Value::from).collect())
                        .collect(),
                    truncated,
                    bytes_scanned: results.bytes_scanned,
                })
            }
        }
    }

    /// Reads every Glue Data Quality ruleset's latest result into `dim_check` / `fact_check_result`.
    async fn read_glue(&self, now: DateTime<Utc>) -> anyhow::Result<usize> {
        let target = self.target().await.ok_or_else(|| {
            anyhow::anyhow!(
                "no AWS account `{}` to read Glue Data Quality in (checks.account, aws.accounts)",
                self.config.account
            )
        })?;
        let results = aws::dq::latest_results(target.aws.glue()).await?;
        let rows: Vec<CheckRow> = results.iter().map(glue_row).collect();
        self.store.sync_checks(&rows, false, now).await?;
        for (r, row) in results.iter().zip(&rows) {
            let result = glue_result(r, row, self.timezone, now);
            self.store.record_check_result(&result, None).await?;
        }
        Ok(results.len())
    }
}

fn sum_bytes(a: &Result<Answer, Msg>, b: &Result<Answer, Msg>) -> Option<i64> {
    let a = a.as_ref().ok().and_then(|a| a.bytes_scanned);
    let b = b.as_ref().ok().and_then(|b| b.bytes_scanned);
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    }
}

/// How a side is named in messages: its host, or Athena.
pub fn side_label(engine: &Engine) -> String {
    match engine {
        Engine::Athena => "Athena".to_owned(),
        Engine::Database { url, .. } => {
            let host = source::host_of(url);
            host.split(':').next().unwrap_or(&host).to_owned()
        }
    }
}

/// The lake side's SQL: as written, or written by Doberman from the table and columns (identifiers checked when
/// the file was read, quoted for the engine here).
pub fn lake_sql(def: &CheckDef) -> Result<String, Msg> {
    let dialect = def.lake.engine.dialect();
    let q = |name: &str| -> Result<String, Msg> {
        let name = crate::aws::query::identifier(name)
            .ok_or_else(|| Msg::new("checks-error-not-identifier").text("name", name))?;
        Ok(match dialect {
            Dialect::MySql => format!("`{name}`"),
            Dialect::Athena | Dialect::Postgres => format!("\"{name}\""),
        })
    };
    let (db, table) = def.table_parts();
    let from = format!("{}.{}", q(db)?, q(table)?);
    let filter = |prefix: &str| {
        def.filter
            .as_ref()
            .map(|f| format!(" {prefix} ({f}\n)"))
            .unwrap_or_default()
    };
    let sql = match def.kind {
        CheckKind::NotNull => {
            let c = q(def.column.as_deref().unwrap_or_default())?;
            format!(
                "SELECT count(*) AS row_count, count(*) - count({c}) AS null_count FROM {from}{}",
                filter("WHERE")
            )
        }
        CheckKind::Unique => {
            let cols = def
                .columns
                .iter()
                .map(|c| q(c))
                .collect::<Result<Vec<_>, _>>()?
                .join(", ");
            format!(
                "SELECT count(*) AS duplicated_keys, coalesce(sum(n), 0) AS duplicated_rows FROM \
                 (SELECT {cols}, count(*) AS n FROM {from}{} GROUP BY {cols} HAVING count(*) > 1) dup",
                filter("WHERE")
            )
        }
        CheckKind::Freshness => {
            let c = q(def.column.as_deref().unwrap_or_default())?;
            format!("SELECT max({c}) AS newest FROM {from}{}", filter("WHERE"))
        }
        CheckKind::RowCountRange if def.lake.sql.is_none() => {
            format!(
                "SELECT count(*) AS row_count FROM {from}{}",
                filter("WHERE")
            )
        }
        CheckKind::Custom => {
            // Wrapped so that only the sample comes back, however many rows are wrong.
            let sql = def.lake.sql.as_deref().unwrap_or_default();
            let sql = params::without_final_semicolon(sql.trim(), dialect);
            format!(
                "SELECT * FROM (\n{sql}\n) doberman_rows LIMIT {}",
                SAMPLE_ROWS + 1
            )
        }
        _ => def
            .lake
            .sql
            .clone()
            .ok_or_else(|| Msg::new("checks-error-no-lake-sql"))?,
    };
    Ok(sql)
}

/// The `dim_check` row of a declared check.
pub fn row_of(def: &CheckDef) -> CheckRow {
    CheckRow {
        name: def.name.clone(),
        table: def.table.clone(),
        kind: def.kind.name().to_owned(),
        severity: def.severity.name().to_owned(),
        owner: def.owner.clone(),
        schedule: def.schedule.expression.clone(),
        source: def.source.as_ref().map(|s| s.engine.label().to_owned()),
        lake: def.lake.engine.label().to_owned(),
        file: Some(def.file.clone()),
        definition: def.definition(),
        version_hash: def.version_hash(),
    }
}

/// The name a Glue Data Quality ruleset's check has.
pub fn glue_check_name(ruleset: &str) -> String {
    format!("glue:{ruleset}")
}

fn glue_row(r: &aws::dq::DqResult) -> CheckRow {
    let definition = serde_json::json!({
        "ruleset": r.ruleset,
        "rules": r.rules.iter().map(|x| &x.name).collect::<Vec<_>>(),
    })
    .to_string();
    let version_hash = format!("{:016x}", crate::common::fnv1a(definition.bytes()));
    CheckRow {
        name: glue_check_name(&r.ruleset),
        table: format!("{}.{}", r.database, r.table),
        kind: CheckKind::GlueDq.name().to_owned(),
        severity: "error".to_owned(),
        owner: None,
        schedule: "glue".to_owned(),
        source: None,
        lake: "glue".to_owned(),
        file: None,
        definition,
        version_hash,
    }
}

fn glue_result(
    r: &aws::dq::DqResult,
    row: &CheckRow,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> CheckResultRow {
    let failed: Vec<&aws::dq::DqRule> = r.rules.iter().filter(|x| x.result == "FAIL").collect();
    let errors: Vec<&aws::dq::DqRule> = r.rules.iter().filter(|x| x.result == "ERROR").collect();
    let status = if !failed.is_empty() {
        "fail"
    } else if !errors.is_empty() {
        "error"
    } else {
        "pass"
    };
    let said = |rules: &[&aws::dq::DqRule]| {
        rules
            .iter()
            .map(|x| match &x.message {
                Some(m) => format!("{}: {m}", x.name),
                None => x.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let score = r.score.map(|s| (s * 10_000.0).round() / 100.0);
    let score_text = score.map_or("?".to_owned(), judge::num);
    let message = match status {
        "fail" => Msg::new("checks-glue-failed")
            .text("failed", failed.len().to_string())
            .text("rules", r.rules.len().to_string())
            .text("score", score_text)
            .text("said", said(&failed)),
        "error" => Msg::new("checks-glue-errors")
            .text("errors", errors.len().to_string())
            .text("said", said(&errors)),
        _ => Msg::new("checks-glue-passed")
            .text("rules", r.rules.len().to_string())
            .text("score", score_text),
    };
    let at = r.completed_on.or(r.started_on).unwrap_or(now);
    CheckResultRow {
        check_name: row.name.clone(),
        day: at.with_timezone(&tz).date_naive(),
        version_hash: row.version_hash.clone(),
        ran_at: crate::store::now().max(at),
        status: status.to_owned(),
        source_value: None,
        lake_value: score,
        difference: None,
        detail: Some(
            serde_json::json!({
                "result_id": r.result_id,
                "rules": r.rules.iter().map(|x| serde_json::json!({
                    "name": x.name, "result": x.result, "message": x.message, "description": x.description,
                })).collect::<Vec<_>>(),
            })
            .to_string(),
        ),
        message: Some(stored_message(message)),
        duration_ms: r
            .completed_on
            .zip(r.started_on)
            .map_or(0, |(c, s)| (c - s).num_milliseconds().max(0)),
        bytes_scanned: None,
    }
}

/// The checker for `config` shared by the job and the chat.
pub fn checker(config: &Config, store: &Store) -> Arc<Checker> {
    Arc::new(Checker::new(config, store.clone(), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_message_is_stored_cut_and_still_a_message() {
        let row: String = "매장=\"3\" 🐕, ".repeat(1_000);
        let msg = Msg::new("checks-verdict-bad-rows")
            .num("n", 101.0)
            .text("truncated", "yes")
            .text("first", row);

        let stored = stored_message(msg);

        assert!(stored.chars().count() <= MESSAGE_CHARS, "{}", stored.len());
        let back: Msg = serde_json::from_str(&stored).expect("still a message");
        let Some(MsgArg::Text(first)) = back.args.get("first") else {
            panic!("{back:?}")
        };
        assert!(first.ends_with('…'), "{first}");
        let said = Msg::render_stored(&stored, Utc::now(), chrono_tz::UTC);
        assert!(
            said.starts_with("more than 101 rows that must not exist; the first: 매장=\"3\" 🐕"),
            "{said}"
        );
    }
}
