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

/// What one pass over a table's partitions found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Partitions {
    /// How many there are.
    pub count: i64,
    /// The values of the most recently created one.
    pub newest_values: Option<Vec<String>>,
    /// Its CreationTime, in seconds and nanoseconds since the epoch.
    pub newest_created: Option<aws_sdk_glue::primitives::DateTime>,
}

/// Largest page `GetPartitions` accepts.
const PARTITION_PAGE: i32 = 1000;

/// Counts `table`'s partitions and finds the newest by creation time. Glue has no server-side sort, so every
/// page is read, without the column schema (`ExcludeColumnSchema`) to keep the pages small.
pub async fn partitions(
    glue: &aws_sdk_glue::Client,
    database: &str,
    table: &str,
) -> Result<Partitions, AwsError> {
    let mut pages = glue
        .get_partitions()
        .database_name(database)
        .table_name(table)
        .exclude_column_schema(true)
        .max_results(PARTITION_PAGE)
        .into_paginator()
        .send();
    let mut found = Partitions::default();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            AwsError::new(
                "glue:GetPartitions",
                format!("table `{database}.{table}`"),
                e,
            )
        })?;
        for p in page.partitions.unwrap_or_default() {
            found.count += 1;
            let newer = match (&p.creation_time, &found.newest_created) {
                (Some(t), Some(best)) => {
                    t.secs() > best.secs()
                        || (t.secs() == best.secs() && t.subsec_nanos() > best.subsec_nanos())
                }
                (Some(_), None) => true,
                (None, _) => found.newest_values.is_none(),
            };
            if newer {
                found.newest_created = p.creation_time.or(found.newest_created);
                found.newest_values = Some(p.values.unwrap_or_default());
            }
        }
    }
    Ok(found)
}

/// The column and partition-key names of one table, lower-cased.
pub async fn table_columns(
    glue: &aws_sdk_glue::Client,
    database: &str,
    table: &str,
) -> Result<Vec<String>, AwsError> {
    let out = glue
        .get_table()
        .database_name(database)
        .name(table)
        .send()
        .await
        .map_err(|e| AwsError::new("glue:GetTable", format!("table `{database}.{table}`"), e))?;
    let Some(t) = out.table else {
        return Ok(Vec::new());
    };
    let columns = t
        .storage_descriptor
        .and_then(|sd| sd.columns)
        .unwrap_or_default()
        .into_iter()
        .chain(t.partition_keys.unwrap_or_default())
        .map(|c| c.name.to_ascii_lowercase())
        .collect();
    Ok(columns)
}
