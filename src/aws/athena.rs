//! Athena query history: execution ids page by page (newest first, as Athena lists them) and their details in
//! batches of 50.

use aws_sdk_athena::types::QueryExecution;

use super::AwsError;

/// Largest page of `ListQueryExecutions` and batch of `BatchGetQueryExecution`.
const PAGE: usize = 50;

/// The work groups to read: every ENABLED one.
pub async fn enabled_work_groups(athena: &aws_sdk_athena::Client) -> Result<Vec<String>, AwsError> {
    let mut pages = athena
        .list_work_groups()
        .max_results(PAGE as i32)
        .into_paginator()
        .send();
    let mut names = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| AwsError::new("athena:ListWorkGroups", "the account", e))?;
        for wg in page.work_groups.unwrap_or_default() {
            let enabled = wg
                .state
                .as_ref()
                .is_none_or(|s| *s == aws_sdk_athena::types::WorkGroupState::Enabled);
            if let (true, Some(name)) = (enabled, wg.name) {
                names.push(name);
            }
        }
    }
    Ok(names)
}

/// Pages of `work_group`'s execution ids, in Athena's order (newest first, though AWS does not promise it):
/// the caller decides where to stop. Athena keeps 45 days of history.
pub struct ExecutionIdPages {
    pages: aws_smithy_async::future::pagination_stream::PaginationStream<
        Result<
            aws_sdk_athena::operation::list_query_executions::ListQueryExecutionsOutput,
            aws_sdk_athena::error::SdkError<
                aws_sdk_athena::operation::list_query_executions::ListQueryExecutionsError,
                aws_sdk_athena::config::http::HttpResponse,
            >,
        >,
    >,
    work_group: String,
}

impl ExecutionIdPages {
    /// Starts listing `work_group`.
    pub fn new(athena: &aws_sdk_athena::Client, work_group: &str) -> ExecutionIdPages {
        ExecutionIdPages {
            pages: athena
                .list_query_executions()
                .work_group(work_group)
                .max_results(PAGE as i32)
                .into_paginator()
                .send(),
            work_group: work_group.to_owned(),
        }
    }

    /// The next page of ids; `None` after the last.
    pub async fn next(&mut self) -> Option<Result<Vec<String>, AwsError>> {
        let page = self.pages.next().await?;
        Some(
            page.map(|p| p.query_execution_ids.unwrap_or_default())
                .map_err(|e| {
                    AwsError::new(
                        "athena:ListQueryExecutions",
                        format!("work group `{}`", self.work_group),
                        e,
                    )
                }),
        )
    }
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
