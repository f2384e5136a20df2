//! Running one Athena query to the end: start it, poll with backoff until it reaches a terminal state, stop it
//! when it runs past its timeout, and read every page of its results, decoded by the column types Athena reports.
//! Values go in `ExecutionParameters`; identifiers that must be interpolated are checked with [`identifier`].

use std::time::{Duration, Instant};

use aws_sdk_athena::types::{QueryExecutionContext, QueryExecutionState, ResultConfiguration};
use chrono::{NaiveDate, NaiveDateTime};

use super::AwsError;

/// A query to run.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// The SQL, with `?` for each of `parameters`.
    pub sql: String,
    /// Values for the `?` placeholders, as Athena literals (`'2026-11'`, `42`).
    pub parameters: Vec<String>,
    /// Work group; none is `primary`.
    pub work_group: Option<String>,
    /// Database of the query context.
    pub database: Option<String>,
    /// Where results go; none uses the work group's setting.
    pub output_location: Option<String>,
}

/// How long to wait and how often to look.
#[derive(Debug, Clone, Copy)]
pub struct Polling {
    /// The query is stopped (StopQueryExecution) when it has not finished after this long.
    pub timeout: Duration,
    /// First wait between polls; it doubles up to `max_interval`.
    pub first_interval: Duration,
    /// Longest wait between polls.
    pub max_interval: Duration,
    /// The query is stopped once Athena reports it has scanned more than this many bytes (what Athena bills);
    /// none lets it scan what it needs.
    pub max_scanned_bytes: Option<i64>,
    /// Rows read at most: paging stops once this many are read (none reads every page).
    pub max_rows: Option<usize>,
}

impl Default for Polling {
    fn default() -> Polling {
        Polling {
            timeout: Duration::from_secs(600),
            first_interval: Duration::from_millis(200),
            max_interval: Duration::from_secs(5),
            max_scanned_bytes: None,
            max_rows: None,
        }
    }
}

/// One decoded value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// SQL NULL.
    Null,
    /// varchar, char, and types without a better reading.
    Text(String),
    /// tinyint, smallint, integer, bigint.
    Int(i64),
    /// real, double.
    Float(f64),
    /// decimal, kept as its exact text (money must not go through a float).
    Decimal(String),
    /// boolean.
    Bool(bool),
    /// date.
    Date(NaiveDate),
    /// timestamp (no zone).
    Timestamp(NaiveDateTime),
    /// arrays, maps and rows, as JSON.
    Json(serde_json::Value),
}

/// The results of a finished query.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// The execution id.
    pub query_id: String,
    /// Column names and Athena types, in order.
    pub columns: Vec<(String, String)>,
    /// The rows (the header row Athena sends first is not one of them).
    pub rows: Vec<Vec<Cell>>,
    /// Bytes the query scanned (what Athena bills).
    pub bytes_scanned: Option<i64>,
    /// Engine time.
    pub engine_ms: Option<i64>,
}

/// Why a query did not give results.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// An API call failed (after the SDK's retries).
    #[error(transparent)]
    Aws(#[from] AwsError),
    /// Athena ran it and it failed or was cancelled.
    #[error("Athena query {query_id} {state}: {reason}")]
    Failed {
        /// The execution id.
        query_id: String,
        /// FAILED or CANCELLED.
        state: String,
        /// Athena's StateChangeReason / error message.
        reason: String,
    },
    /// It ran past its timeout and was stopped.
    #[error("Athena query {query_id} did not finish within {timeout:?}; it was stopped")]
    Timeout {
        /// The execution id.
        query_id: String,
        /// The limit.
        timeout: Duration,
    },
    /// It scanned more than its limit and was stopped (or finished past it: the results are not used).
    #[error(
        "Athena query {query_id} scanned {scanned} bytes, more than its limit of {limit}; it was stopped"
    )]
    ScanLimit {
        /// The execution id.
        query_id: String,
        /// Bytes scanned when it was seen past the limit.
        scanned: i64,
        /// The limit.
        limit: i64,
    },
    /// A value did not read as its column's type.
    #[error("Athena query {query_id}: column `{column}` ({ty}): cannot read `{value}`")]
    Decode {
        /// The execution id.
        query_id: String,
        /// The column.
        column: String,
        /// Its Athena type.
        ty: String,
        /// The text Athena sent.
        value: String,
    },
}

/// `name` when it is safe to put into Athena SQL as an identifier: `[A-Za-z0-9_]`, 1 to 255 characters.
pub fn identifier(name: &str) -> Option<&str> {
    (!name.is_empty()
        && name.len() <= 255
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some(name)
}

/// Runs `query` to the end and returns its decoded results.
pub async fn run(
    athena: &aws_sdk_athena::Client,
    query: &Query,
    polling: Polling,
) -> Result<Results, QueryError> {
    let mut start = athena.start_query_execution().query_string(&query.sql);
    if let Some(wg) = &query.work_group {
        start = start.work_group(wg);
    }
    if let Some(db) = &query.database {
        start =
            start.query_execution_context(QueryExecutionContext::builder().database(db).build());
    }
    if let Some(out) = &query.output_location {
        start =
            start.result_configuration(ResultConfiguration::builder().output_location(out).build());
    }
    if !query.parameters.is_empty() {
        start = start.set_execution_parameters(Some(query.parameters.clone()));
    }
    let query_id = start
        .send()
        .await
        .map_err(|e| AwsError::new("athena:StartQueryExecution", "a query", e))?
        .query_execution_id
        .unwrap_or_default();
    let started = Instant::now();
    let mut interval = polling.first_interval;
    let execution = loop {
        let execution = athena
            .get_query_execution()
            .query_execution_id(&query_id)
            .send()
            .await
            .map_err(|e| AwsError::new("athena:GetQueryExecution", query_id.clone(), e))?
            .query_execution;
        let status = execution.as_ref().and_then(|e| e.status.as_ref());
        match status.and_then(|s| s.state.clone()) {
            Some(QueryExecutionState::Succeeded) => break execution,
            Some(state @ (QueryExecutionState::Failed | QueryExecutionState::Cancelled)) => {
                let reason = status
                    .and_then(|s| {
                        s.athena_error
                            .as_ref()
                            .and_then(|a| a.error_message.clone())
                            .or_else(|| s.state_change_reason.clone())
                    })
                    .unwrap_or_else(|| "no reason given".to_owned());
                return Err(QueryError::Failed {
                    query_id,
                    state: state.as_str().to_owned(),
                    reason,
                });
            }
            _ => {}
        }
        let scanned = execution
            .as_ref()
            .and_then(|e| e.statistics.as_ref())
            .and_then(|s| s.data_scanned_in_bytes);
        if let (Some(limit), Some(scanned)) = (polling.max_scanned_bytes, scanned)
            && scanned > limit
        {
            stop(athena, &query_id).await;
            return Err(QueryError::ScanLimit {
                query_id,
                scanned,
                limit,
            });
        }
        if started.elapsed() >= polling.timeout {
            stop(athena, &query_id).await;
            return Err(QueryError::Timeout {
                query_id,
                timeout: polling.timeout,
            });
        }
        let left = polling.timeout.saturating_sub(started.elapsed());
        tokio::time::sleep(interval.min(left)).await;
        interval = (interval * 2).min(polling.max_interval);
    };
    let stats = execution.as_ref().and_then(|e| e.statistics.as_ref());
    if let (Some(limit), Some(scanned)) = (
        polling.max_scanned_bytes,
        stats.and_then(|s| s.data_scanned_in_bytes),
    ) && scanned > limit
    {
        return Err(QueryError::ScanLimit {
            query_id,
            scanned,
            limit,
        });
    }
    let mut results = Results {
        query_id: query_id.clone(),
        columns: Vec::new(),
        rows: Vec::new(),
        bytes_scanned: stats.and_then(|s| s.data_scanned_in_bytes),
        engine_ms: stats.and_then(|s| s.engine_execution_time_in_millis),
    };
    let mut pages = athena
        .get_query_results()
        .query_execution_id(&query_id)
        .max_results(1000)
        .into_paginator()
        .send();
    let mut first = true;
    while let Some(page) = pages.next().await {
        if polling
            .max_rows
            .is_some_and(|max| results.rows.len() >= max)
        {
            break;
        }
        let page =
            page.map_err(|e| AwsError::new("athena:GetQueryResults", query_id.clone(), e))?;
        let Some(set) = page.result_set else { continue };
        if results.columns.is_empty() {
            results.columns = set
                .result_set_metadata
                .and_then(|m| m.column_info)
                .unwrap_or_default()
                .into_iter()
                .map(|c| (c.name, c.r#type))
                .collect();
        }
        let mut rows = set.rows.unwrap_or_default().into_iter();
        if first {
            // The first row of the first page repeats the column names.
            rows.next();
            first = false;
        }
        for row in rows {
            let data = row.data.unwrap_or_default();
            let mut cells = Vec::with_capacity(results.columns.len());
            for (i, (name, ty)) in results.columns.iter().enumerate() {
                let value = data.get(i).and_then(|d| d.var_char_value.as_deref());
                cells.push(decode(value, ty).ok_or_else(|| QueryError::Decode {
                    query_id: query_id.clone(),
                    column: name.clone(),
                    ty: ty.clone(),
                    value: value.unwrap_or_default().to_owned(),
                })?);
            }
            results.rows.push(cells);
        }
    }
    Ok(results)
}

/// Stops a query: best effort, the caller's error (timeout, scan limit) stands either way.
async fn stop(athena: &aws_sdk_athena::Client, query_id: &str) {
    if let Err(e) = athena
        .stop_query_execution()
        .query_execution_id(query_id)
        .send()
        .await
    {
        tracing::warn!(query_id, error = %AwsError::new("athena:StopQueryExecution", query_id.to_owned(), e), "cannot stop a query");
    }
}

/// Reads Athena's text for a value of type `ty`; `None` when it does not read as that type.
pub fn decode(value: Option<&str>, ty: &str) -> Option<Cell> {
    let Some(v) = value else {
        return Some(Cell::Null);
    };
    let base = ty
        .split(['(', '<'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    Some(match base.as_str() {
        "tinyint" | "smallint" | "integer" | "int" | "bigint" => Cell::Int(v.trim().parse().ok()?),
        "double" | "real" | "float" => Cell::Float(match v.trim() {
            "NaN" => f64::NAN,
            "Infinity" => f64::INFINITY,
            "-Infinity" => f64::NEG_INFINITY,
            other => other.parse().ok()?,
        }),
        "decimal" => {
            let t = v.trim();
            let digits = t.strip_prefix('-').unwrap_or(t);
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
                return None;
            }
            Cell::Decimal(t.to_owned())
        }
        "boolean" => Cell::Bool(match v.trim() {
            "true" => true,
            "false" => false,
            _ => return None,
        }),
        "date" => Cell::Date(NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").ok()?),
        "timestamp" => {
            Cell::Timestamp(NaiveDateTime::parse_from_str(v.trim(), "%Y-%m-%d %H:%M:%S%.f").ok()?)
        }
        "array" | "map" | "row" | "json" => {
            Cell::Json(serde_json::from_str(v).unwrap_or_else(|_| athena_text_to_json(v)))
        }
        _ => Cell::Text(v.to_owned()),
    })
}

/// Athena prints arrays as `[a, b]` and maps as `{k=v, k2=v2}`, not JSON: read them as JSON strings (numbers
/// where they look like numbers), nested as printed.
fn athena_text_to_json(text: &str) -> serde_json::Value {
    fn split_top(s: &str) -> Vec<&str> {
        let mut parts = Vec::new();
        let (mut depth, mut start) = (0i32, 0usize);
        for (i, c) in s.char_indices() {
            match c {
                '[' | '{' => depth += 1,
                ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(s[start..i].trim());
                    start = i + 1;
                }
                _ => {}
            }
        }
        let last = s[start..].trim();
        if !last.is_empty() || !parts.is_empty() {
            parts.push(last);
        }
        parts
    }
    let t = text.trim();
    if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return serde_json::Value::Array(
            split_top(inner)
                .into_iter()
                .map(athena_text_to_json)
                .collect(),
        );
    }
    if let Some(inner) = t.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        let mut map = serde_json::Map::new();
        for part in split_top(inner) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            map.insert(k.trim().to_owned(), athena_text_to_json(v));
        }
        return serde_json::Value::Object(map);
    }
    if t == "null" {
        return serde_json::Value::Null;
    }
    match t.parse::<i64>() {
        Ok(n) => n.into(),
        Err(_) => serde_json::Value::String(t.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_by_their_athena_type() {
        let cases: Vec<(Option<&str>, &str, Cell)> = vec![
            (None, "varchar", Cell::Null),
            (Some("주문 🐕"), "varchar", Cell::Text("주문 🐕".into())),
            (Some("42"), "bigint", Cell::Int(42)),
            (Some("-7"), "integer", Cell::Int(-7)),
            (Some("1.5"), "double", Cell::Float(1.5)),
            (
                Some("12345.678901"),
                "decimal(38,6)",
                Cell::Decimal("12345.678901".into()),
            ),
            (Some("true"), "boolean", Cell::Bool(true)),
            (
                Some("2026-11-25"),
                "date",
                Cell::Date(NaiveDate::from_ymd_opt(2026, 11, 25).expect("date")),
            ),
            (
                Some("2026-11-25 09:30:00.123"),
                "timestamp",
                Cell::Timestamp(
                    NaiveDate::from_ymd_opt(2026, 11, 25)
                        .and_then(|d| d.and_hms_milli_opt(9, 30, 0, 123))
                        .expect("time"),
                ),
            ),
            (
                Some("[1, 2, 3]"),
                "array(bigint)",
                Cell::Json(serde_json::json!([1, 2, 3])),
            ),
            (
                Some("{product_name=Amazon S3, region=ap-northeast-2}"),
                "map(varchar, varchar)",
                Cell::Json(
                    serde_json::json!({"product_name": "Amazon S3", "region": "ap-northeast-2"}),
                ),
            ),
            (
                Some("[[a, b], []]"),
                "array(array(varchar))",
                Cell::Json(serde_json::json!([["a", "b"], []])),
            ),
        ];
        for (value, ty, expected) in cases {
            assert_eq!(decode(value, ty), Some(expected), "{value:?} as {ty}");
        }
    }

    #[test]
    fn values_that_do_not_fit_their_type_are_refused() {
        for (value, ty) in [
            ("x", "bigint"),
            ("1,5", "double"),
            ("1e3", "decimal(10,2)"),
            ("yes", "boolean"),
            ("2026-13-01", "date"),
        ] {
            assert_eq!(decode(Some(value), ty), None, "{value} as {ty}");
        }
    }

    #[test]
    fn only_plain_identifiers_may_be_interpolated() {
        assert_eq!(identifier("cur_2026"), Some("cur_2026"));
        for bad in ["", "a.b", "a;drop", "한글", "a b", &"x".repeat(256)] {
            assert_eq!(identifier(bad), None, "{bad}");
        }
    }
}
