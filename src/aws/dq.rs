//! Glue Data Quality: the latest evaluation of every ruleset on its target table, rule by rule.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aws_sdk_glue::primitives::DateTime as AwsDateTime;
use aws_sdk_glue::types::{
    DataQualityResult, DataQualityResultFilterCriteria, DataSource, GlueTable,
};
use chrono::{DateTime, Utc};

use super::AwsError;

/// Page size for `ListDataQualityRulesets` and `ListDataQualityResults` (AWS accepts 1..=1000).
const PAGE: i32 = 100;

/// Largest batch `BatchGetDataQualityResult` accepts.
const BATCH: usize = 100;

/// The latest result of one ruleset on its target table.
#[derive(Debug, Clone, PartialEq)]
pub struct DqResult {
    /// The ruleset's name.
    pub ruleset: String,
    /// The target table's database.
    pub database: String,
    /// The target table.
    pub table: String,
    /// Glue's id of the result (`dqresult-...`).
    pub result_id: String,
    /// Share of rules that passed, 0.0..=1.0.
    pub score: Option<f64>,
    /// When the evaluation started.
    pub started_on: Option<DateTime<Utc>>,
    /// When it completed.
    pub completed_on: Option<DateTime<Utc>>,
    /// Each rule's outcome, in Glue's order.
    pub rules: Vec<DqRule>,
}

/// The outcome of one rule of a ruleset.
#[derive(Debug, Clone, PartialEq)]
pub struct DqRule {
    /// The rule's name (`Rule_1`, ...); empty when Glue sent none.
    pub name: String,
    /// The rule as written in DQDL, e.g. `ColumnValues "amount" >= 0`.
    pub description: Option<String>,
    /// `PASS`, `FAIL` or `ERROR` as Glue spells it (a newer status passes through as is); empty when Glue sent
    /// none.
    pub result: String,
    /// Why it failed or errored, in Glue's words.
    pub message: Option<String>,
}

/// The latest result of every ruleset of the account and region, one per ruleset, by target table then ruleset.
///
/// Rulesets without a target table are skipped (their evaluations name the data source per run, so there is no
/// table to look under), and so are rulesets with no result on their target table yet. "Latest" is by
/// `StartedOn`: every page of the table's results is read, because AWS promises no order.
pub async fn latest_results(glue: &aws_sdk_glue::Client) -> Result<Vec<DqResult>, AwsError> {
    let mut by_table: BTreeMap<TableKey, BTreeSet<String>> = BTreeMap::new();
    for (ruleset, table) in rulesets(glue).await? {
        by_table.entry(table).or_default().insert(ruleset);
    }
    let mut all = Vec::new();
    for (table, rulesets) in by_table {
        all.extend(latest_on_table(glue, &table, rulesets).await?);
    }
    Ok(all)
}

/// A ruleset's target table: (database, table, catalog id when not the account's own).
type TableKey = (String, String, Option<String>);

/// Every ruleset that has a target table, with that table.
async fn rulesets(glue: &aws_sdk_glue::Client) -> Result<Vec<(String, TableKey)>, AwsError> {
    let mut pages = glue
        .list_data_quality_rulesets()
        .max_results(PAGE)
        .into_paginator()
        .send();
    let mut all = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            AwsError::new("glue:ListDataQualityRulesets", "the account's rulesets", e)
        })?;
        for ruleset in page.rulesets.unwrap_or_default() {
            if let (Some(name), Some(target)) = (ruleset.name, ruleset.target_table) {
                all.push((
                    name,
                    (target.database_name, target.table_name, target.catalog_id),
                ));
            }
        }
    }
    Ok(all)
}

/// The newest result of each of `rulesets` on `table`.
async fn latest_on_table(
    glue: &aws_sdk_glue::Client,
    table: &TableKey,
    mut rulesets: BTreeSet<String>,
) -> Result<Vec<DqResult>, AwsError> {
    let (database, name, _) = table;
    let target = format!("table `{database}.{name}`");
    let ids = result_ids_newest_first(glue, table, &target).await?;
    let mut found = Vec::new();
    // The listing does not say which ruleset a result belongs to: fetch details newest first and stop as soon
    // as every ruleset of the table has its latest one: a long history of runs usually costs a single batch.
    for batch in ids.chunks(BATCH) {
        if rulesets.is_empty() {
            break;
        }
        let out = glue
            .batch_get_data_quality_result()
            .set_result_ids(Some(batch.to_vec()))
            .send()
            .await
            .map_err(|e| AwsError::new("glue:BatchGetDataQualityResult", target.clone(), e))?;
        // Results deleted since the listing come back in ResultsNotFound; they simply are not in this map.
        let mut details: HashMap<String, DataQualityResult> = out
            .results
            .into_iter()
            .filter_map(|r| Some((r.result_id.clone()?, r)))
            .collect();
        for id in batch {
            let Some(result) = details.remove(id) else {
                continue;
            };
            let Some(ruleset) = result.ruleset_name.as_deref() else {
                continue;
            };
            if rulesets.remove(ruleset) {
                found.push(convert(result, database, name));
            }
        }
    }
    found.sort_by(|a, b| a.ruleset.cmp(&b.ruleset));
    Ok(found)
}

/// Ids of every result on `table`, newest `StartedOn` first (results without one last).
async fn result_ids_newest_first(
    glue: &aws_sdk_glue::Client,
    (database, name, catalog): &TableKey,
    target: &str,
) -> Result<Vec<String>, AwsError> {
    let operation = "glue:ListDataQualityResults";
    let glue_table = GlueTable::builder()
        .database_name(database)
        .table_name(name)
        .set_catalog_id(catalog.clone())
        .build()
        .map_err(|e| AwsError::new(operation, target, e))?;
    let mut pages = glue
        .list_data_quality_results()
        .filter(
            DataQualityResultFilterCriteria::builder()
                .data_source(DataSource::builder().glue_table(glue_table).build())
                .build(),
        )
        .max_results(PAGE)
        .into_paginator()
        .send();
    let mut listed = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| AwsError::new(operation, target, e))?;
        for r in page.results {
            if let Some(id) = r.result_id {
                listed.push((r.started_on.as_ref().map(instant), id));
            }
        }
    }
    // `None` sorts before `Some`, so newest first puts results without a start time last; the sort is stable, so
    // equal times keep Glue's order.
    listed.sort_by_key(|(started, _)| std::cmp::Reverse(*started));
    Ok(listed.into_iter().map(|(_, id)| id).collect())
}

/// An SDK time as a sortable (seconds, nanoseconds) pair.
fn instant(t: &AwsDateTime) -> (i64, u32) {
    (t.secs(), t.subsec_nanos())
}

fn utc(t: Option<&AwsDateTime>) -> Option<DateTime<Utc>> {
    t.and_then(|t| DateTime::from_timestamp(t.secs(), t.subsec_nanos()))
}

fn convert(result: DataQualityResult, database: &str, table: &str) -> DqResult {
    DqResult {
        ruleset: result.ruleset_name.clone().unwrap_or_default(),
        database: database.to_owned(),
        table: table.to_owned(),
        result_id: result.result_id.clone().unwrap_or_default(),
        score: result.score,
        started_on: utc(result.started_on.as_ref()),
        completed_on: utc(result.completed_on.as_ref()),
        rules: result
            .rule_results
            .unwrap_or_default()
            .into_iter()
            .map(|r| DqRule {
                name: r.name.unwrap_or_default(),
                description: r.description,
                result: r.result.map(|s| s.as_str().to_owned()).unwrap_or_default(),
                message: r.evaluation_message,
            })
            .collect(),
    }
}
