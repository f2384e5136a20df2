//! The Glue catalog snapshot: `dim_database`, `dim_table`, `dim_column` (current, dropped ones kept with
//! `dropped_at`) and `fact_table_snapshot_daily`. A database is written in one transaction; drops and the day's
//! snapshot are written together at the end of a complete run, so a failed run leaves no partial snapshot.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use super::browse::{search_terms, terms_hash};
use super::bulk::{Upsert, Val, bind_vals, run_upsert};
use super::{BeginWrite, BinText, Store, StoreError, on_pool};

/// Which catalog: an account (by its configured name) and a region.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CatalogScope {
    /// Account name from `aws.accounts`.
    pub account: String,
    /// AWS region.
    pub region: String,
}

/// A Glue database as stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatabaseRow {
    /// Name.
    pub name: String,
    /// Glue catalog id (the account id).
    pub catalog_id: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Default location.
    pub location_uri: Option<String>,
    /// Parameters as a JSON object.
    pub parameters: Option<String>,
    /// Glue CreateTime.
    pub created_at: Option<DateTime<Utc>>,
}

/// A Glue table as stored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableRow {
    /// Name.
    pub name: String,
    /// Glue catalog id.
    pub catalog_id: Option<String>,
    /// Glue TableType.
    pub table_type: Option<String>,
    /// hive | iceberg | delta | hudi | view | governed | other.
    pub table_format: String,
    /// S3 location.
    pub location: Option<String>,
    /// InputFormat.
    pub input_format: Option<String>,
    /// OutputFormat.
    pub output_format: Option<String>,
    /// SerDe library.
    pub serde_library: Option<String>,
    /// classification parameter.
    pub classification: Option<String>,
    /// Owner.
    pub owner: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Parameters as a JSON object.
    pub parameters: Option<String>,
    /// Partition key names as a JSON array.
    pub partition_keys: Option<String>,
    /// recordCount parameter.
    pub record_count: Option<i64>,
    /// sizeKey parameter.
    pub size_bytes: Option<i64>,
    /// ViewOriginalText.
    pub view_text: Option<String>,
    /// Glue CreateTime.
    pub created_at: Option<DateTime<Utc>>,
    /// Glue UpdateTime.
    pub updated_at: Option<DateTime<Utc>>,
    /// Columns then partition keys.
    pub columns: Vec<ColumnRow>,
    /// Partition figures when they were fetched in this run; `None` keeps the stored ones.
    pub partitions: Option<PartitionStats>,
}

/// A column or partition key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnRow {
    /// Name.
    pub name: String,
    /// 1-based position.
    pub ordinal: i64,
    /// Type.
    pub data_type: String,
    /// Comment.
    pub comment: Option<String>,
    /// True for partition keys.
    pub is_partition_key: bool,
}

/// What a pass over a table's partitions found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartitionStats {
    /// How many there are.
    pub count: i64,
    /// Values of the most recently created one, as a JSON array.
    pub newest_values: Option<String>,
    /// Its CreationTime.
    pub newest_created_at: Option<DateTime<Utc>>,
}

/// What the store knows of a table, for deciding whether its partitions need counting again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownTable {
    /// Glue UpdateTime at the last run.
    pub updated_at: Option<DateTime<Utc>>,
    /// When its partitions were last counted.
    pub partitions_checked_at: Option<DateTime<Utc>>,
    /// Its newest partition's creation, as stored.
    pub newest_partition_created_at: Option<DateTime<Utc>>,
}

/// What a finished catalog run wrote at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CatalogFinish {
    /// Databases newly marked dropped.
    pub dropped_databases: u64,
    /// Tables newly marked dropped.
    pub dropped_tables: u64,
    /// Snapshot rows written for the day.
    pub snapshot_rows: u64,
}

const TABLE_COLUMNS: &[&str] = &[
    "account",
    "region",
    "database_name",
    "table_name",
    "catalog_id",
    "table_type",
    "table_format",
    "location",
    "input_format",
    "output_format",
    "serde_library",
    "classification",
    "owner",
    "description",
    "parameters",
    "partition_keys",
    "column_count",
    "record_count",
    "size_bytes",
    "view_text",
    "created_at",
    "updated_at",
    "data_changed_at",
    "first_seen_at",
    "last_seen_at",
    "partition_count",
    "newest_partition_values",
    "newest_partition_created_at",
    "partitions_checked_at",
    "search_hash",
];
/// The partition figures (and the freshness they feed), which a re-seen table takes only when they were fetched.
const PARTITION_UPDATE: &[&str] = &[
    "partition_count",
    "newest_partition_values",
    "newest_partition_created_at",
    "partitions_checked_at",
    "data_changed_at",
];
const TABLE_KEY: &[&str] = &["account", "region", "database_name", "table_name"];
/// Replaces the search words of the tables `$ids` (`Val`s) with `$rows` (term, table id, weight) inside the
/// transaction `$tx`; evaluates to a `Result<_, sqlx::Error>`.
macro_rules! replace_search_terms {
    ($backend:expr, $tx:expr, $ids:expr, $rows:expr) => {
        async {
            for_id_chunks!(
                $tx,
                "DELETE FROM dim_search_term WHERE table_id IN ({})",
                $ids
            )?;
            run_upsert!($backend, $tx, TERM_INSERT, $rows)
        }
        .await
    };
}

/// Runs `$sql` (whose `{}` is the list of placeholders) for `$ids` (`Val`s), a thousand at a time, inside `$tx`;
/// evaluates to a `Result<(), sqlx::Error>`.
macro_rules! for_id_chunks {
    ($tx:expr, $sql:literal, $ids:expr) => {
        async {
            for chunk in $ids.chunks(1_000) {
                let sql = format!($sql, vec!["?"; chunk.len()].join(", "));
                bind_vals!(sqlx::query(&sql), chunk.iter())
                    .execute(&mut *$tx)
                    .await?;
            }
            Ok::<(), sqlx::Error>(())
        }
        .await
    };
}

/// Deletes the search words of the dropped tables `$ids` (`Val`s) and forgets their fingerprint, so a table that
/// comes back gets its words again; evaluates to a `Result<(), sqlx::Error>`.
macro_rules! forget_search_terms {
    ($backend:expr, $tx:expr, $ids:expr) => {
        async {
            replace_search_terms!($backend, $tx, $ids, &[])?;
            for_id_chunks!(
                $tx,
                "UPDATE dim_table SET search_hash = NULL WHERE id IN ({})",
                $ids
            )
        }
        .await
    };
}

/// A table's search words, written after its old ones are deleted.
const TERM_INSERT: Upsert = Upsert {
    table: "dim_search_term",
    columns: &["term", "table_id", "weight"],
    key: &[],
    update: &[],
    also: &[],
    add: &[],
};

impl TableRow {
    /// Freshness: the latest of the table's update (or creation) and its newest partition's creation.
    pub fn data_changed_at(
        &self,
        newest_partition: Option<DateTime<Utc>>,
    ) -> Option<DateTime<Utc>> {
        let meta = self.updated_at.or(self.created_at);
        match (meta, newest_partition) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }
}

impl Store {
    /// Writes the search words of up to `batch` tables that have none recorded (`search_hash` NULL): tables
    /// written behind the store's back, as the chat benchmark's generated lake. The catalog collector does the
    /// same for every table it writes. Returns the tables indexed; call until it returns 0.
    pub async fn index_unsearched_tables(&self, batch: i64) -> Result<u64, StoreError> {
        let context = "index the search words of tables";
        let backend = self.backend();
        let tables: Vec<(i64, BinText, BinText, Option<String>)> =
            on_pool!(self, pool => sqlx::query_as(
            "SELECT id, database_name, table_name, description FROM dim_table \
             WHERE search_hash IS NULL AND dropped_at IS NULL ORDER BY id LIMIT ?",
        )
        .bind(batch)
        .fetch_all(pool)
        .await)
            .map_err(StoreError::query(context))?;
        if tables.is_empty() {
            return Ok(0);
        }
        let ids: Vec<Val> = tables.iter().map(|t| Val::from(t.0)).collect();
        let mut columns: HashMap<i64, Vec<ColumnRow>> = HashMap::new();
        for chunk in ids.chunks(1_000) {
            let sql = format!(
                "SELECT table_id, column_name, ordinal, data_type, column_comment, is_partition_key \
                 FROM dim_column WHERE dropped_at IS NULL AND table_id IN ({}) ORDER BY table_id, ordinal",
                vec!["?"; chunk.len()].join(", ")
            );
            #[allow(clippy::type_complexity)]
            let rows: Vec<(i64, BinText, i64, String, Option<String>, bool)> =
                on_pool!(self, pool =>
                bind_vals!(sqlx::query_as(&sql), chunk.iter()).fetch_all(pool).await)
                .map_err(StoreError::query(context))?;
            for (table_id, name, ordinal, data_type, comment, is_partition_key) in rows {
                columns.entry(table_id).or_default().push(ColumnRow {
                    name: name.0,
                    ordinal,
                    data_type,
                    comment,
                    is_partition_key,
                });
            }
        }
        let mut term_rows: Vec<Vec<Val>> = Vec::new();
        let mut hashes: Vec<(i64, String)> = Vec::with_capacity(tables.len());
        for (id, database, table, description) in &tables {
            let terms = search_terms(
                &database.0,
                &table.0,
                description.as_deref(),
                columns.get(id).map_or(&[][..], Vec::as_slice),
            );
            hashes.push((*id, terms_hash(&terms)));
            term_rows.extend(terms.iter().map(|(term, weight)| {
                vec![Val::from(term.as_str()), Val::from(*id), Val::from(*weight)]
            }));
        }
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await.map_err(StoreError::query(context))?;
            replace_search_terms!(backend, tx, &ids, &term_rows).map_err(StoreError::query(context))?;
            for (id, hash) in &hashes {
                sqlx::query("UPDATE dim_table SET search_hash = ? WHERE id = ?")
                    .bind(hash)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query(context))?;
            }
            tx.commit().await.map_err(StoreError::query(context))?;
            Ok::<(), StoreError>(())
        }.await)?;
        Ok(tables.len() as u64)
    }

    /// The tables of one database as stored (dropped ones excluded), by name.
    pub async fn known_tables(
        &self,
        scope: &CatalogScope,
        database: &str,
    ) -> Result<HashMap<String, KnownTable>, StoreError> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(
            BinText,
            Option<DateTime<Utc>>,
            Option<DateTime<Utc>>,
            Option<DateTime<Utc>>,
        )> = on_pool!(self, pool => sqlx::query_as(
            "SELECT table_name, updated_at, partitions_checked_at, newest_partition_created_at FROM dim_table \
             WHERE account = ? AND region = ? AND database_name = ? AND dropped_at IS NULL",
        )
        .bind(&scope.account)
        .bind(&scope.region)
        .bind(database)
        .fetch_all(pool)
        .await)
        .map_err(StoreError::query("read the stored tables of a database"))?;
        Ok(rows
            .into_iter()
            .map(|(name, updated_at, partitions_checked_at, newest)| {
                (
                    name.0,
                    KnownTable {
                        updated_at,
                        partitions_checked_at,
                        newest_partition_created_at: newest,
                    },
                )
            })
            .collect())
    }

    /// Writes one database and all its tables and columns as seen at `seen_at` (the run's start), in one
    /// transaction: tables and columns of this database not seen are marked dropped. Returns rows written.
    pub async fn write_catalog_database(
        &self,
        scope: &CatalogScope,
        database: &DatabaseRow,
        tables: &[TableRow],
        seen_at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let backend = self.backend();
        let context = "write a Glue database's tables";
        let db_row: Vec<Val> = vec![
            scope.account.as_str().into(),
            scope.region.as_str().into(),
            database.name.as_str().into(),
            database.catalog_id.clone().into(),
            database.description.clone().into(),
            database.location_uri.clone().into(),
            database.parameters.clone().into(),
            database.created_at.into(),
            seen_at.into(),
            seen_at.into(),
        ];
        let db_upsert = Upsert {
            table: "dim_database",
            columns: &[
                "account",
                "region",
                "database_name",
                "catalog_id",
                "description",
                "location_uri",
                "parameters",
                "created_at",
                "first_seen_at",
                "last_seen_at",
            ],
            key: &["account", "region", "database_name"],
            update: &[
                "catalog_id",
                "description",
                "location_uri",
                "parameters",
                "created_at",
                "last_seen_at",
            ],
            also: &["dropped_at = NULL"],
            add: &[],
        };
        // The search words of each table and their fingerprint: words are rewritten only for tables whose
        // fingerprint changed.
        let terms: HashMap<&str, (BTreeMap<String, i64>, String)> = tables
            .iter()
            .map(|t| {
                let terms = search_terms(
                    &database.name,
                    &t.name,
                    t.description.as_deref(),
                    &t.columns,
                );
                let hash = terms_hash(&terms);
                (t.name.as_str(), (terms, hash))
            })
            .collect();
        let (with_parts, without_parts): (Vec<&TableRow>, Vec<&TableRow>) =
            tables.iter().partition(|t| t.partitions.is_some());
        let table_rows = |list: &[&TableRow]| -> Vec<Vec<Val>> {
            list.iter()
                .map(|t| {
                    let hash = terms
                        .get(t.name.as_str())
                        .map(|(_, h)| h.as_str())
                        .unwrap_or_default();
                    table_values(scope, &database.name, t, seen_at, hash)
                })
                .collect()
        };
        let rows_with = table_rows(&with_parts);
        let rows_without = table_rows(&without_parts);
        // A re-seen table takes everything from the new row but its key and first_seen_at; the partition figures
        // only when they were fetched in this run.
        let update_without: Vec<&str> = TABLE_COLUMNS
            .iter()
            .copied()
            .filter(|c| {
                !TABLE_KEY.contains(c) && *c != "first_seen_at" && !PARTITION_UPDATE.contains(c)
            })
            .collect();
        let update_with: Vec<&str> = update_without
            .iter()
            .chain(PARTITION_UPDATE)
            .copied()
            .collect();
        let upsert_with = Upsert {
            table: "dim_table",
            columns: TABLE_COLUMNS,
            key: TABLE_KEY,
            update: &update_with,
            also: &["dropped_at = NULL"],
            add: &[],
        };
        // Without a partition pass the stored partition figures stay; freshness still follows UpdateTime.
        let fresher = match backend {
            super::Backend::MySql => {
                "data_changed_at = CASE WHEN data_changed_at IS NULL OR VALUES(data_changed_at) > data_changed_at \
                 THEN VALUES(data_changed_at) ELSE data_changed_at END"
            }
            super::Backend::Sqlite => {
                "data_changed_at = CASE WHEN data_changed_at IS NULL OR excluded.data_changed_at > data_changed_at \
                 THEN excluded.data_changed_at ELSE data_changed_at END"
            }
        };
        let upsert_without = Upsert {
            table: "dim_table",
            columns: TABLE_COLUMNS,
            key: TABLE_KEY,
            update: &update_without,
            also: &["dropped_at = NULL", fresher],
            add: &[],
        };
        let column_upsert = Upsert {
            table: "dim_column",
            columns: &[
                "table_id",
                "column_name",
                "ordinal",
                "data_type",
                "column_comment",
                "is_partition_key",
                "first_seen_at",
                "last_seen_at",
            ],
            key: &["table_id", "column_name"],
            update: &[
                "ordinal",
                "data_type",
                "column_comment",
                "is_partition_key",
                "last_seen_at",
            ],
            also: &["dropped_at = NULL"],
            add: &[],
        };
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await.map_err(StoreError::query(context))?;
            let mut written = 0u64;
            let stored_hashes: Vec<(BinText, Option<String>)> = sqlx::query_as(
                "SELECT table_name, search_hash FROM dim_table WHERE account = ? AND region = ? AND database_name = ?",
            )
            .bind(&scope.account)
            .bind(&scope.region)
            .bind(&database.name)
            .fetch_all(&mut *tx)
            .await
            .map_err(StoreError::query(context))?;
            let stored_hashes: HashMap<String, Option<String>> =
                stored_hashes.into_iter().map(|(name, hash)| (name.0, hash)).collect();
            run_upsert!(backend, tx, db_upsert, std::slice::from_ref(&db_row))
                .map_err(StoreError::query(context))?;
            written += 1;
            run_upsert!(backend, tx, upsert_with, &rows_with).map_err(StoreError::query(context))?;
            run_upsert!(backend, tx, upsert_without, &rows_without)
                .map_err(StoreError::query(context))?;
            written += tables.len() as u64;
            let ids: Vec<(i64, BinText)> = sqlx::query_as(
                "SELECT id, table_name FROM dim_table WHERE account = ? AND region = ? AND database_name = ?",
            )
            .bind(&scope.account)
            .bind(&scope.region)
            .bind(&database.name)
            .fetch_all(&mut *tx)
            .await
            .map_err(StoreError::query(context))?;
            let ids: HashMap<String, i64> = ids.into_iter().map(|(id, name)| (name.0, id)).collect();
            let mut column_rows = Vec::new();
            for t in tables {
                let Some(&id) = ids.get(&t.name) else { continue };
                for c in &t.columns {
                    column_rows.push(vec![
                        Val::from(id),
                        c.name.as_str().into(),
                        c.ordinal.into(),
                        c.data_type.as_str().into(),
                        c.comment.clone().into(),
                        c.is_partition_key.into(),
                        seen_at.into(),
                        seen_at.into(),
                    ]);
                }
            }
            run_upsert!(backend, tx, column_upsert, &column_rows).map_err(StoreError::query(context))?;
            written += column_rows.len() as u64;
            let mut stale_ids = Vec::new();
            let mut term_rows = Vec::new();
            for t in tables {
                let (Some(&id), Some((words, hash))) = (ids.get(&t.name), terms.get(t.name.as_str())) else {
                    continue;
                };
                if stored_hashes.get(&t.name).and_then(Option::as_deref) == Some(hash.as_str()) {
                    continue;
                }
                stale_ids.push(Val::from(id));
                term_rows.extend(
                    words.iter().map(|(term, weight)| vec![Val::from(term.as_str()), Val::from(id), Val::from(*weight)]),
                );
            }
            replace_search_terms!(backend, tx, &stale_ids, &term_rows).map_err(StoreError::query(context))?;
            written += term_rows.len() as u64;
            // This database was listed completely: whatever of it was not seen now is gone.
            sqlx::query(
                "UPDATE dim_table SET dropped_at = ? WHERE account = ? AND region = ? AND database_name = ? \
                 AND last_seen_at < ? AND dropped_at IS NULL",
            )
            .bind(seen_at)
            .bind(&scope.account)
            .bind(&scope.region)
            .bind(&database.name)
            .bind(seen_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(context))?;
            let dropped: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM dim_table WHERE account = ? AND region = ? AND database_name = ? AND dropped_at = ?",
            )
            .bind(&scope.account)
            .bind(&scope.region)
            .bind(&database.name)
            .bind(seen_at)
            .fetch_all(&mut *tx)
            .await
            .map_err(StoreError::query(context))?;
            let dropped: Vec<Val> = dropped.into_iter().map(Val::from).collect();
            forget_search_terms!(backend, tx, &dropped).map_err(StoreError::query(context))?;
            // By the ids in hand: a subquery here makes MariaDB scan every column of the catalog per database.
            let table_ids: Vec<Val> = ids.values().map(|&id| Val::from(id)).collect();
            for chunk in table_ids.chunks(1_000) {
                let sql = format!(
                    "UPDATE dim_column SET dropped_at = ? WHERE dropped_at IS NULL AND last_seen_at < ? \
                     AND table_id IN ({})",
                    vec!["?"; chunk.len()].join(", ")
                );
                bind_vals!(sqlx::query(&sql).bind(seen_at).bind(seen_at), chunk.iter())
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query(context))?;
            }
            tx.commit().await.map_err(StoreError::query(context))?;
            Ok::<u64, StoreError>(written)
        }.await)
    }

    /// Ends a complete run over `scope` that started at `seen_at`: databases (with their tables and columns)
    /// not seen are marked dropped and the day's snapshot of every existing table is written, in one
    /// transaction.
    pub async fn finish_catalog_run(
        &self,
        scope: &CatalogScope,
        seen_at: DateTime<Utc>,
        snapshot_date: NaiveDate,
    ) -> Result<CatalogFinish, StoreError> {
        let context = "finish a catalog run";
        let backend = self.backend();
        // The day's latest complete run replaces what earlier runs of the day wrote.
        const SNAPSHOT: &str = "INSERT INTO fact_table_snapshot_daily (snapshot_date, table_id, account, region, \
             database_name, table_name, table_format, column_count, partition_count, record_count, size_bytes, \
             updated_at, data_changed_at) \
             SELECT ?, id, account, region, database_name, table_name, table_format, column_count, \
             partition_count, record_count, size_bytes, updated_at, data_changed_at FROM dim_table \
             WHERE account = ? AND region = ? AND dropped_at IS NULL";
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await.map_err(StoreError::query(context))?;
            let dropped_databases = sqlx::query(
                "UPDATE dim_database SET dropped_at = ? WHERE account = ? AND region = ? AND last_seen_at < ? \
                 AND dropped_at IS NULL",
            )
            .bind(seen_at)
            .bind(&scope.account)
            .bind(&scope.region)
            .bind(seen_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(context))?
            .rows_affected();
            let dropped_tables = sqlx::query(
                "UPDATE dim_table SET dropped_at = ? WHERE account = ? AND region = ? AND last_seen_at < ? \
                 AND dropped_at IS NULL",
            )
            .bind(seen_at)
            .bind(&scope.account)
            .bind(&scope.region)
            .bind(seen_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(context))?
            .rows_affected();
            let dropped: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM dim_table WHERE account = ? AND region = ? AND dropped_at = ?",
            )
            .bind(&scope.account)
            .bind(&scope.region)
            .bind(seen_at)
            .fetch_all(&mut *tx)
            .await
            .map_err(StoreError::query(context))?;
            let dropped: Vec<Val> = dropped.into_iter().map(Val::from).collect();
            forget_search_terms!(backend, tx, &dropped).map_err(StoreError::query(context))?;
            sqlx::query(
                "UPDATE dim_column SET dropped_at = ? WHERE dropped_at IS NULL AND table_id IN \
                 (SELECT id FROM dim_table WHERE account = ? AND region = ? AND dropped_at = ?)",
            )
            .bind(seen_at)
            .bind(&scope.account)
            .bind(&scope.region)
            .bind(seen_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(context))?;
            sqlx::query(
                "DELETE FROM fact_table_snapshot_daily WHERE snapshot_date = ? AND account = ? AND region = ?",
            )
            .bind(snapshot_date)
            .bind(&scope.account)
            .bind(&scope.region)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(context))?;
            let snapshot_rows = sqlx::query(SNAPSHOT)
                .bind(snapshot_date)
                .bind(&scope.account)
                .bind(&scope.region)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(context))?
                .rows_affected();
            tx.commit().await.map_err(StoreError::query(context))?;
            Ok::<CatalogFinish, StoreError>(CatalogFinish {
                dropped_databases,
                dropped_tables,
                snapshot_rows,
            })
        }.await)
    }
}

fn table_values(
    scope: &CatalogScope,
    database: &str,
    t: &TableRow,
    seen_at: DateTime<Utc>,
    search_hash: &str,
) -> Vec<Val> {
    let newest = t.partitions.as_ref().and_then(|p| p.newest_created_at);
    vec![
        scope.account.as_str().into(),
        scope.region.as_str().into(),
        database.into(),
        t.name.as_str().into(),
        t.catalog_id.clone().into(),
        t.table_type.clone().into(),
        t.table_format.as_str().into(),
        t.location.clone().into(),
        t.input_format.clone().into(),
        t.output_format.clone().into(),
        t.serde_library.clone().into(),
        t.classification.clone().into(),
        t.owner.clone().into(),
        t.description.clone().into(),
        t.parameters.clone().into(),
        t.partition_keys.clone().into(),
        (t.columns.len() as i64).into(),
        t.record_count.into(),
        t.size_bytes.into(),
        t.view_text.clone().into(),
        t.created_at.into(),
        t.updated_at.into(),
        t.data_changed_at(newest).into(),
        seen_at.into(),
        seen_at.into(),
        t.partitions.as_ref().map(|p| p.count).into(),
        t.partitions
            .as_ref()
            .and_then(|p| p.newest_values.clone())
            .into(),
        newest.into(),
        t.partitions.as_ref().map(|_| seen_at).into(),
        search_hash.into(),
    ]
}
