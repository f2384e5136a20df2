//! Athena query history: execution ids page by page (newest first, as Athena lists them) and their details in
//! batches of 50.

use aws_sdk_athena::types::QueryExecution;

use super::AwsError;

/// Largest page of `ListQueryExecutions` and batch of `BatchGetQueryExecution`.
const PAGE: usize = 50;

/// The execution ids of `work_group`, newest first, up to (not including) the first one `known` recognises, so
/// an incremental run stops where the previous one began. Athena keeps 45 days of history.
pub async fn execution_ids_until(
    athena: &aws_sdk_athena::Client,
    work_group: &str,
    known: impl Fn(&str) -> bool,
) -> Result<Vec<String>, AwsError> {
    let mut pages = athena
        .list_query_executions()
        .work_group(work_group)
        .max_results(PAGE as i32)
        .into_paginator()
        .send();
    let mut ids = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            AwsError::new(
                "athena:ListQueryExecutions",
                format!("work group `{work_group}`"),
                e,
            )
        })?;
        for id in page.query_execution_ids.unwrap_or_default() {
            if known(&id) {
                return Ok(ids);
            }
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The details of `ids`, 50 per call; ids Athena could not return come back separately.
pub async fn executions(
    athena: &aws_sdk_athena::Client,
    ids: &[String],
) -> Result<(Vec<QueryExecution>, Vec<String>), AwsError> {
    let mut found = Vec::with_capacity(ids.len());
    let mut unprocessed = Vec::new();
    for chunk in ids.chunks(PAGE) {
        let out = athena
            .batch_get_query_execution()
            .set_query_execution_ids(Some(chunk.to_vec()))
            .send()
            .await
            .map_err(|e| {
                AwsError::new(
                    "athena:BatchGetQueryExecution",
                    format!("{} ids", chunk.len()),
                    e,
                )
            })?;
        found.extend(out.query_executions.unwrap_or_default());
        unprocessed.extend(
            out.unprocessed_query_execution_ids
                .unwrap_or_default()
                .into_iter()
                .filter_map(|u| u.query_execution_id),
        );
    }
    Ok((found, unprocessed))
}
