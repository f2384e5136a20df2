//! Glue Data Catalog reads, every page of them (never assume one page).

use aws_sdk_glue::types::{Database, Table};

use super::AwsError;

/// Largest page `GetTables` and `GetDatabases` accept.
const PAGE: i32 = 100;

/// Every database of the catalog.
pub async fn databases(glue: &aws_sdk_glue::Client) -> Result<Vec<Database>, AwsError> {
    let mut pages = glue
        .get_databases()
        .max_results(PAGE)
        .into_paginator()
        .send();
    let mut all = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| AwsError::new("glue:GetDatabases", "the catalog", e))?;
        all.extend(page.database_list);
    }
    Ok(all)
}

/// Every table of `database`.
pub async fn tables(glue: &aws_sdk_glue::Client, database: &str) -> Result<Vec<Table>, AwsError> {
    let mut pages = glue
        .get_tables()
        .database_name(database)
        .max_results(PAGE)
        .into_paginator()
        .send();
    let mut all = Vec::new();
    while let Some(page) = pages.next().await {
        let page =
            page.map_err(|e| AwsError::new("glue:GetTables", format!("database `{database}`"), e))?;
        all.extend(page.table_list.unwrap_or_default());
    }
    Ok(all)
}
