//! The Glue catalog collector: every database and table of every account and region, their columns and
//! partition keys, and partition figures (count, newest) for tables that changed since their last count or were
//! last counted a day ago or more. Each database is written in one transaction; drops and the day's snapshot are
//! written only when an account and region was read completely.

use std::collections::{BTreeMap, HashMap};

use anyhow::Context;
use aws_sdk_glue::types::{Column, Database, Table};
use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt, TryStreamExt};

use super::{Ctx, Job, RunReport, utc};
use crate::aws::glue;
use crate::store::{
    self, CatalogScope, ColumnRow, DatabaseRow, KnownTable, PartitionStats, TableRow,
};

/// Partition passes running at once per database: Glue allows about 10 GetPartitions calls a second per account
/// before throttling (which the SDK retries).
const PARTITION_CONCURRENCY: usize = 8;
/// How old a partition count may get before a table's partitions are counted again even if it did not change.
const FULL_PASS_EVERY: chrono::Duration = chrono::Duration::hours(24);

/// One run over every account and region. An account that fails does not stop the others; the run then fails
/// naming each.
pub async fn run_once(ctx: &Ctx) -> anyhow::Result<RunReport> {
    let started = store::now();
    let snapshot_date = started.with_timezone(&ctx.timezone).date_naive();
    let mut report = RunReport::default();
    let mut failures = Vec::new();
    for target in ctx.targets().await {
        let scope = CatalogScope {
            account: target.account.clone(),
            region: target.region.clone(),
        };
        match collect_target(ctx, target.aws.glue(), &scope, started, snapshot_date).await {
            Ok(part) => {
                report.rows_written += part.rows_written;
                report.notes.extend(part.notes);
            }
            Err(e) => failures.push(format!(
                "{}: {}",
                target.label(),
                crate::common::anyhow_chain(&e)
            )),
        }
    }
    if failures.is_empty() {
        Ok(report)
    } else {
        anyhow::bail!(
            "The Glue catalog could not be read completely ({} written before the failure): {}",
            report.rows_written,
            failures.join("; ")
        )
    }
}

async fn collect_target(
    ctx: &Ctx,
    glue_client: &aws_sdk_glue::Client,
    scope: &CatalogScope,
    started: DateTime<Utc>,
    snapshot_date: chrono::NaiveDate,
) -> anyhow::Result<RunReport> {
    let databases = glue::databases(glue_client)
        .await
        .context("Failed to list the Glue databases")?;
    ctx.progress.stage(
        Job::Catalog,
        &format!("{}/{}", scope.account, scope.region),
        databases.len() as u64,
    );
    let mut rows_written = 0;
    let mut tables_seen = 0usize;
    let mut partition_passes = 0usize;
    for database in &databases {
        let tables = glue::tables(glue_client, &database.name)
            .await
            .with_context(|| format!("Failed to list the tables of `{}`", database.name))?;
        let known = ctx
            .store
            .known_tables(scope, &database.name)
            .await
            .with_context(|| format!("Failed to read the stored tables of `{}`", database.name))?;
        let mut rows: Vec<TableRow> = tables.iter().map(table_row).collect();
        let due: Vec<usize> = rows
            .iter()
            .enumerate()
            .filter(|(_, row)| partitions_due(row, known.get(&row.name), started))
            .map(|(i, _)| i)
            .collect();
        partition_passes += due.len();
        let counted: Vec<(usize, PartitionStats)> = stream::iter(due)
            .map(|i| {
                let db = database.name.as_str();
                let table = rows[i].name.clone();
                async move {
                    glue::partitions(glue_client, db, &table)
                        .await
                        .map(|p| (i, partition_stats(p)))
                        .with_context(|| {
                            format!("Failed to count the partitions of `{db}.{table}`")
                        })
                }
            })
            .buffer_unordered(PARTITION_CONCURRENCY)
            .try_collect()
            .await?;
        for (i, stats) in counted {
            rows[i].partitions = Some(stats);
        }
        tables_seen += rows.len();
        rows_written += ctx
            .store
            .write_catalog_database(scope, &database_row(database), &rows, started)
            .await
            .with_context(|| format!("Failed to store the tables of `{}`", database.name))?;
        ctx.progress.advance(Job::Catalog, 1);
    }
    let finish = ctx
        .store
        .finish_catalog_run(scope, started, snapshot_date)
        .await
        .context("Failed to write the day's snapshot")?;
    rows_written += finish.snapshot_rows;
    Ok(RunReport {
        rows_written,
        notes: vec![format!(
            "{}/{}: {} databases, {} tables, {} partition counts, {} tables and {} databases dropped, {} snapshot rows",
            scope.account,
            scope.region,
            databases.len(),
            tables_seen,
            partition_passes,
            finish.dropped_tables,
            finish.dropped_databases,
            finish.snapshot_rows
        )],
    })
}

/// Partitions are counted for a partitioned table that is new, whose definition changed, or whose last count is
/// a day old.
fn partitions_due(row: &TableRow, known: Option<&KnownTable>, now: DateTime<Utc>) -> bool {
    let partitioned = row.columns.iter().any(|c| c.is_partition_key);
    if !partitioned {
        return false;
    }
    match known {
        None => true,
        Some(k) => {
            k.updated_at != row.updated_at
                || k.partitions_checked_at
                    .is_none_or(|checked| now - checked >= FULL_PASS_EVERY)
        }
    }
}

fn partition_stats(p: glue::Partitions) -> PartitionStats {
    PartitionStats {
        count: p.count,
        newest_values: p
            .newest_values
            .map(|v| serde_json::Value::from(v).to_string()),
        newest_created_at: p.newest_created.as_ref().and_then(utc),
    }
}

fn json_object(map: Option<&HashMap<String, String>>) -> Option<String> {
    let map = map.filter(|m| !m.is_empty())?;
    let sorted: BTreeMap<&String, &String> = map.iter().collect();
    serde_json::to_string(&sorted).ok()
}

fn database_row(d: &Database) -> DatabaseRow {
    DatabaseRow {
        name: d.name.clone(),
        catalog_id: d.catalog_id.clone(),
        description: d.description.clone().filter(|s| !s.is_empty()),
        location_uri: d.location_uri.clone().filter(|s| !s.is_empty()),
        parameters: json_object(d.parameters.as_ref()),
        created_at: d.create_time.as_ref().and_then(utc),
    }
}

/// What kind of table Athena sees: views, Iceberg, Delta, Hudi, Lake Formation governed, or plain Hive.
fn table_format(t: &Table) -> &'static str {
    let param = |key: &str| {
        t.parameters
            .as_ref()
            .and_then(|p| p.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
            .map(|(_, v)| v.to_ascii_lowercase())
    };
    let table_type = t.table_type.as_deref().unwrap_or_default();
    let input_format = t
        .storage_descriptor
        .as_ref()
        .and_then(|sd| sd.input_format.as_deref())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if table_type.eq_ignore_ascii_case("VIRTUAL_VIEW") {
        "view"
    } else if param("table_type").as_deref() == Some("iceberg") {
        "iceberg"
    } else if param("table_type").as_deref() == Some("delta")
        || param("spark.sql.sources.provider").as_deref() == Some("delta")
    {
        "delta"
    } else if input_format.contains("hudi") {
        "hudi"
    } else if table_type.eq_ignore_ascii_case("GOVERNED") {
        "governed"
    } else if table_type.eq_ignore_ascii_case("EXTERNAL_TABLE")
        || table_type.eq_ignore_ascii_case("MANAGED_TABLE")
        || table_type.is_empty()
    {
        "hive"
    } else {
        "other"
    }
}

fn column_row(c: &Column, ordinal: usize, is_partition_key: bool) -> ColumnRow {
    ColumnRow {
        name: c.name.clone(),
        ordinal: ordinal as i64,
        data_type: c.r#type.clone().unwrap_or_default(),
        comment: c.comment.clone().filter(|s| !s.is_empty()),
        is_partition_key,
    }
}

/// A Glue table as the store keeps it (partition figures are added when counted).
pub fn table_row(t: &Table) -> TableRow {
    let sd = t.storage_descriptor.as_ref();
    let mut columns: Vec<ColumnRow> = sd
        .and_then(|sd| sd.columns.as_ref())
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, c)| column_row(c, i + 1, false))
        .collect();
    let keys = t.partition_keys.as_deref().unwrap_or_default();
    let first_key = columns.len() + 1;
    columns.extend(
        keys.iter()
            .enumerate()
            .map(|(i, c)| column_row(c, first_key + i, true)),
    );
    // A column listed twice (it happens in hand-made tables) would break the (table, column) key: keep the first.
    let mut seen = std::collections::HashSet::new();
    columns.retain(|c| seen.insert(c.name.clone()));
    let param = |key: &str| t.parameters.as_ref().and_then(|p| p.get(key)).cloned();
    TableRow {
        name: t.name.clone(),
        catalog_id: t.catalog_id.clone(),
        table_type: t.table_type.clone(),
        table_format: table_format(t).to_owned(),
        location: sd
            .and_then(|sd| sd.location.clone())
            .filter(|s| !s.is_empty()),
        input_format: sd.and_then(|sd| sd.input_format.clone()),
        output_format: sd.and_then(|sd| sd.output_format.clone()),
        serde_library: sd
            .and_then(|sd| sd.serde_info.as_ref())
            .and_then(|s| s.serialization_library.clone()),
        classification: param("classification"),
        owner: t.owner.clone().filter(|s| !s.is_empty()),
        description: t.description.clone().filter(|s| !s.is_empty()),
        parameters: json_object(t.parameters.as_ref()),
        partition_keys: (!keys.is_empty()).then(|| {
            serde_json::Value::from(keys.iter().map(|k| k.name.clone()).collect::<Vec<_>>())
                .to_string()
        }),
        record_count: param("recordCount").and_then(|v| v.trim().parse().ok()),
        size_bytes: param("sizeKey").and_then(|v| v.trim().parse().ok()),
        view_text: t.view_original_text.clone().filter(|s| !s.is_empty()),
        created_at: t.create_time.as_ref().and_then(utc),
        updated_at: t.update_time.as_ref().and_then(utc),
        columns,
        partitions: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_glue::types::{SerDeInfo, StorageDescriptor};

    fn column(name: &str, ty: &str) -> Column {
        Column::builder()
            .name(name)
            .r#type(ty)
            .build()
            .expect("column")
    }

    #[test]
    fn columns_come_before_partition_keys_and_kinds_are_recognised() {
        let table = Table::builder()
            .name("orders")
            .table_type("EXTERNAL_TABLE")
            .parameters("classification", "parquet")
            .parameters("recordCount", "42")
            .storage_descriptor(
                StorageDescriptor::builder()
                    .columns(column("id", "bigint"))
                    .columns(column("메모", "string"))
                    .location("s3://lake/sales/orders/")
                    .serde_info(
                        SerDeInfo::builder()
                            .serialization_library(
                                "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                            )
                            .build(),
                    )
                    .build(),
            )
            .partition_keys(column("dt", "string"))
            .build()
            .expect("table");

        let row = table_row(&table);

        assert_eq!(row.table_format, "hive");
        assert_eq!(row.classification.as_deref(), Some("parquet"));
        assert_eq!(row.record_count, Some(42));
        assert_eq!(row.partition_keys.as_deref(), Some(r#"["dt"]"#));
        let names: Vec<(&str, i64, bool)> = row
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.ordinal, c.is_partition_key))
            .collect();
        assert_eq!(
            names,
            [("id", 1, false), ("메모", 2, false), ("dt", 3, true)]
        );
    }

    #[test]
    fn views_and_iceberg_tables_are_told_apart() {
        let view = Table::builder()
            .name("v")
            .table_type("VIRTUAL_VIEW")
            .parameters("presto_view", "true")
            .build()
            .expect("view");
        let iceberg = Table::builder()
            .name("i")
            .table_type("EXTERNAL_TABLE")
            .parameters("table_type", "ICEBERG")
            .build()
            .expect("iceberg");
        assert_eq!(table_format(&view), "view");
        assert_eq!(table_format(&iceberg), "iceberg");
    }

    #[test]
    fn partitions_are_counted_for_new_changed_or_stale_partitioned_tables_only() {
        let now = crate::clock::now();
        let mut row = TableRow {
            name: "t".into(),
            updated_at: Some(now),
            columns: vec![ColumnRow {
                name: "dt".into(),
                is_partition_key: true,
                ..ColumnRow::default()
            }],
            ..TableRow::default()
        };
        let fresh = KnownTable {
            updated_at: Some(now),
            partitions_checked_at: Some(now - chrono::Duration::hours(1)),
            newest_partition_created_at: None,
        };
        assert!(partitions_due(&row, None, now), "new table");
        assert!(
            !partitions_due(&row, Some(&fresh), now),
            "unchanged, counted an hour ago"
        );
        let stale = KnownTable {
            partitions_checked_at: Some(now - chrono::Duration::hours(25)),
            ..fresh.clone()
        };
        assert!(
            partitions_due(&row, Some(&stale), now),
            "counted over a day ago"
        );
        let changed = KnownTable {
            updated_at: Some(now - chrono::Duration::minutes(5)),
            ..fresh.clone()
        };
        assert!(
            partitions_due(&row, Some(&changed), now),
            "definition changed"
        );
        row.columns[0].is_partition_key = false;
        assert!(!partitions_due(&row, None, now), "unpartitioned");
    }
}
