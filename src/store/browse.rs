//! What the `catalog` commands read: tables by name, close names, a database's tables, a table's columns and
//! readers, and the word search over `dim_search_term` (whose words are made here too, so the words written and
//! the words searched are cut the same way).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use super::bulk::{Val, bind_vals};
use super::catalog::ColumnRow;
use super::{BinText, Store, StoreError, on_pool};

/// Longest word kept in the search index (the column is VARCHAR(64)).
const MAX_TERM_CHARS: usize = 64;
/// Candidates a search ranks by usage.
const SEARCH_CANDIDATES: i64 = 200;
/// Uses of the rarest word a search reads at most (see [`Store::search_tables`]).
pub const SEARCH_DRIVER_ROWS: i64 = 5_000;
/// Table ids a search looks up per statement.
const SEARCH_LOOKUP_IDS: usize = 500;
/// Words a search uses at most.
pub const MAX_SEARCH_WORDS: usize = 6;

/// What a catalog search found.
#[derive(Debug, Clone, Default)]
pub struct CatalogSearch {
    /// Matching tables with their scores, best first, at most [`SEARCH_CANDIDATES`].
    pub tables: Vec<(TableBrief, i64)>,
    /// Whether even the rarest word was used more than [`SEARCH_DRIVER_ROWS`] times, so only its first uses
    /// were searched.
    pub truncated: bool,
}

/// Where a word was found, as stored in `dim_search_term.weight`.
pub const WEIGHT_NAME: i64 = 3;
/// A column name.
pub const WEIGHT_COLUMN: i64 = 2;
/// A description or comment.
pub const WEIGHT_TEXT: i64 = 1;

/// The words of `text`, lower-cased: split at anything but letters and digits and where a lower-case letter meets
/// an upper-case one (`orderId` → `order`, `id`).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && previous_lower && !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            previous_lower = c.is_lowercase() || c.is_numeric();
            current.extend(c.to_lowercase());
        } else {
            previous_lower = false;
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.into_iter()
        .map(|w| w.chars().take(MAX_TERM_CHARS).collect())
        .collect()
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// The search words of one table, each with the best place it was found. Korean compounds are written without
/// spaces (`주문일자`), so a Korean word is also indexed by each of its endings of two or more letters, and a search
/// for `일자` finds it.
pub fn search_terms(
    database: &str,
    table: &str,
    description: Option<&str>,
    columns: &[ColumnRow],
) -> BTreeMap<String, i64> {
    let mut terms: BTreeMap<String, i64> = BTreeMap::new();
    let mut add = |text: &str, weight: i64| {
        for word in words(text) {
            let chars: Vec<char> = word.chars().collect();
            let mut forms = vec![word.clone()];
            if chars.iter().any(|&c| is_hangul(c)) {
                for start in 1..chars.len().saturating_sub(1) {
                    forms.push(chars[start..].iter().collect());
                }
            }
            for form in forms {
                let best = terms.entry(form).or_insert(weight);
                *best = (*best).max(weight);
            }
        }
    };
    add(database, WEIGHT_NAME);
    add(table, WEIGHT_NAME);
    for c in columns {
        add(&c.name, WEIGHT_COLUMN);
        if let Some(comment) = &c.comment {
            add(comment, WEIGHT_TEXT);
        }
    }
    if let Some(d) = description {
        add(d, WEIGHT_TEXT);
    }
    terms
}

/// A stable fingerprint of a table's search words (FNV-1a), to rewrite them only when they change.
pub fn terms_hash(terms: &BTreeMap<String, i64>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (term, weight) in terms {
        for b in term.bytes().chain([0xff, *weight as u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The upper bound of a prefix range: every string starting with `prefix` sorts below it (both dialects compare
/// these columns by code point).
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// A table in a list: enough to name it and say how fresh it is.
#[derive(Debug, Clone, PartialEq)]
pub struct TableBrief {
    /// `dim_table.id`.
    pub id: i64,
    /// Account name.
    pub account: String,
    /// Region.
    pub region: String,
    /// Database.
    pub database: String,
    /// Table.
    pub name: String,
    /// hive, iceberg, view, …
    pub table_format: String,
    /// Partitions, when counted.
    pub partition_count: Option<i64>,
    /// When its data last changed.
    pub data_changed_at: Option<DateTime<Utc>>,
    /// Glue description.
    pub description: Option<String>,
}

/// Everything the store knows of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableInfo {
    /// The brief.
    pub brief: TableBrief,
    /// Glue TableType.
    pub table_type: Option<String>,
    /// S3 location.
    pub location: Option<String>,
    /// InputFormat.
    pub input_format: Option<String>,
    /// SerDe library.
    pub serde_library: Option<String>,
    /// classification parameter.
    pub classification: Option<String>,
    /// Owner.
    pub owner: Option<String>,
    /// Values of the newest partition, a JSON array.
    pub newest_partition_values: Option<String>,
    /// When the newest partition was created.
    pub newest_partition_created_at: Option<DateTime<Utc>>,
    /// recordCount.
    pub record_count: Option<i64>,
    /// sizeKey.
    pub size_bytes: Option<i64>,
    /// Glue UpdateTime.
    pub updated_at: Option<DateTime<Utc>>,
    /// When a collector last saw it.
    pub last_seen_at: DateTime<Utc>,
}

/// Who queried a table: a work group of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    /// Account name.
    pub account: String,
    /// Athena work group.
    pub work_group: String,
    /// Queries that read or wrote the table.
    pub queries: i64,
}

/// A Glue database in a list.
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseBrief {
    /// Account name.
    pub account: String,
    /// Region.
    pub region: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Default location.
    pub location_uri: Option<String>,
}

const BRIEF: &str = "t.id, t.account, t.region, t.database_name, t.table_name, t.table_format, t.partition_count, \
                     t.data_changed_at, t.description";

type BriefRow = (
    i64,
    String,
    String,
    BinText,
    BinText,
    String,
    Option<i64>,
    Option<DateTime<Utc>>,
    Option<String>,
);

fn brief(
    (
        id,
        account,
        region,
        database,
        name,
        table_format,
        partition_count,
        data_changed_at,
        description,
    ): BriefRow,
) -> TableBrief {
    TableBrief {
        id,
        account,
        region,
        database: database.0,
        name: name.0,
        table_format,
        partition_count,
        data_changed_at,
        description,
    }
}

impl Store {
    /// Existing tables called `table` (in `database`, when given), in every account and region.
    pub async fn tables_named(
        &self,
        database: Option<&str>,
        table: &str,
    ) -> Result<Vec<TableBrief>, StoreError> {
        let sql = format!(
            "SELECT {BRIEF} FROM dim_table t WHERE t.table_name = ? AND (? IS NULL OR t.database_name = ?) \
             AND t.dropped_at IS NULL ORDER BY t.database_name, t.account, t.region LIMIT 50"
        );
        let rows: Vec<BriefRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(table)
            .bind(database)
            .bind(database)
            .fetch_all(pool)
            .await)
        .map_err(StoreError::query("find tables by name"))?;
        Ok(rows.into_iter().map(brief).collect())
    }

    /// Existing tables whose name starts like `table` or holds one of its words: candidates for "did you mean",
    /// which the caller ranks.
    pub async fn tables_like(
        &self,
        database: Option<&str>,
        table: &str,
        limit: i64,
    ) -> Result<Vec<TableBrief>, StoreError> {
        let lowered = table.to_lowercase();
        let head: String = lowered.chars().take(2).collect();
        let first_word = words(&lowered).into_iter().next().unwrap_or_default();
        // Names by their first letters (index on table_name), and tables whose name words start with the first
        // word typed (the search index); both bounded.
        let sql = format!(
            "SELECT {BRIEF} FROM dim_table t WHERE t.id IN ( \
               SELECT id FROM (SELECT id FROM dim_table WHERE table_name >= ? AND table_name < ? LIMIT 500) a \
               UNION SELECT table_id FROM (SELECT table_id FROM dim_search_term \
                 WHERE term >= ? AND term < ? AND weight = {WEIGHT_NAME} LIMIT 500) b) \
             AND t.dropped_at IS NULL AND (? IS NULL OR t.database_name = ?) LIMIT ?"
        );
        let rows: Vec<BriefRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(&head)
            .bind(prefix_end(&head))
            .bind(&first_word)
            .bind(prefix_end(&first_word))
            .bind(database)
            .bind(database)
            .bind(limit)
            .fetch_all(pool)
            .await)
        .map_err(StoreError::query("find tables with a similar name"))?;
        Ok(rows.into_iter().map(brief).collect())
    }

    /// One table by id.
    pub async fn table_info(&self, id: i64) -> Result<Option<TableInfo>, StoreError> {
        #[allow(clippy::type_complexity)]
        type Row = (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<DateTime<Utc>>,
            Option<i64>,
            Option<i64>,
            Option<DateTime<Utc>>,
            DateTime<Utc>,
        );
        let sql = format!("SELECT {BRIEF} FROM dim_table t WHERE t.id = ?");
        let head: Option<BriefRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)
        .map_err(StoreError::query("read a table"))?;
        let Some(head) = head else { return Ok(None) };
        let rest: Row = on_pool!(self, pool => sqlx::query_as(
            "SELECT table_type, location, input_format, serde_library, classification, owner, \
             newest_partition_values, newest_partition_created_at, record_count, size_bytes, updated_at, last_seen_at \
             FROM dim_table WHERE id = ?",
        )
        .bind(id)
        .fetch_one(pool)
        .await)
        .map_err(StoreError::query("read a table"))?;
        let (
            table_type,
            location,
            input_format,
            serde_library,
            classification,
            owner,
            newest_partition_values,
            newest_partition_created_at,
            record_count,
            size_bytes,
            updated_at,
            last_seen_at,
        ) = rest;
        Ok(Some(TableInfo {
            brief: brief(head),
            table_type,
            location,
            input_format,
            serde_library,
            classification,
            owner,
            newest_partition_values,
            newest_partition_created_at,
            record_count,
            size_bytes,
            updated_at,
            last_seen_at,
        }))
    }

    /// The current columns of a table: columns in order, then partition keys.
    pub async fn table_columns(&self, id: i64) -> Result<Vec<ColumnRow>, StoreError> {
        let rows: Vec<(BinText, i64, String, Option<String>, i64)> =
            on_pool!(self, pool => sqlx::query_as(
            "SELECT column_name, CAST(ordinal AS SIGNED INTEGER), data_type, column_comment, \
             CAST(is_partition_key AS SIGNED INTEGER) FROM dim_column \
             WHERE table_id = ? AND dropped_at IS NULL ORDER BY is_partition_key, ordinal",
        )
        .bind(id)
        .fetch_all(pool)
        .await)
            .map_err(StoreError::query("read a table's columns"))?;
        Ok(rows
            .into_iter()
            .map(|(name, ordinal, data_type, comment, key)| ColumnRow {
                name: name.0,
                ordinal,
                data_type,
                comment,
                is_partition_key: key != 0,
            })
            .collect())
    }

    /// The work groups that used `database`.`table` most from `from` to `to`, most first.
    pub async fn table_readers(
        &self,
        database: &str,
        table: &str,
        from: NaiveDate,
        to: NaiveDate,
        limit: i64,
    ) -> Result<Vec<Reader>, StoreError> {
        let rows: Vec<(String, String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT account, work_group, CAST(SUM(queries) AS SIGNED INTEGER) AS n FROM fact_table_usage_daily \
             WHERE database_name = ? AND table_name = ? AND usage_date >= ? AND usage_date <= ? \
             GROUP BY account, work_group ORDER BY n DESC, account, work_group LIMIT ?",
        )
        .bind(database)
        .bind(table)
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(pool)
        .await)
        .map_err(StoreError::query("read who uses a table"))?;
        Ok(rows
            .into_iter()
            .map(|(account, work_group, queries)| Reader {
                account,
                work_group,
                queries,
            })
            .collect())
    }

    /// Queries per table from `from` to `to`, for the tables named in `tables` (database, table).
    pub async fn queries_of_tables(
        &self,
        tables: &[(String, String)],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<(String, String), i64>, StoreError> {
        let mut out = HashMap::new();
        // A period the window table holds for this very day is read from it (a key lookup a table); any other
        // from the daily roll-up.
        let days = (to - from).num_days() + 1;
        let windowed = super::USAGE_WINDOWS.contains(&days)
            && self.usage_windows_through(days).await? == Some(to);
        for chunk in tables.chunks(100) {
            let pairs = vec!["(database_name = ? AND table_name = ?)"; chunk.len()].join(" OR ");
            let sql = if windowed {
                // Row values: the primary key (window_days, database_name, table_name), a lookup each.
                format!(
                    "SELECT database_name, table_name, queries FROM fact_table_usage_window {} \
                     WHERE (window_days, database_name, table_name) IN ({})",
                    self.force_index("PRIMARY"),
                    vec!["(?, ?, ?)"; chunk.len()].join(", ")
                )
            } else {
                format!(
                    "SELECT database_name, table_name, CAST(SUM(queries) AS SIGNED INTEGER) \
                     FROM fact_table_usage_daily WHERE ({pairs}) AND usage_date >= ? AND usage_date <= ? \
                     GROUP BY database_name, table_name"
                )
            };
            let vals: Vec<Val> = if windowed {
                chunk
                    .iter()
                    .flat_map(|(d, t)| {
                        [
                            Val::from(days),
                            Val::from(d.as_str()),
                            Val::from(t.as_str()),
                        ]
                    })
                    .collect()
            } else {
                chunk
                    .iter()
                    .flat_map(|(d, t)| [Val::from(d.as_str()), Val::from(t.as_str())])
                    .chain([Val::from(from), Val::from(to)])
                    .collect()
            };
            let rows: Vec<(BinText, BinText, i64)> = on_pool!(self, pool => {
                bind_vals!(sqlx::query_as(&sql), vals.iter()).fetch_all(pool).await
            })
            .map_err(StoreError::query("read the use of tables"))?;
            out.extend(rows.into_iter().map(|(d, t, n)| ((d.0, t.0), n)));
        }
        Ok(out)
    }

    /// Existing databases called `name`, in every account and region.
    pub async fn databases_named(&self, name: &str) -> Result<Vec<DatabaseBrief>, StoreError> {
        self.databases_where("database_name = ?", &[name.to_owned()], 50)
            .await
    }

    /// Existing databases whose name starts with the first two letters of `name`: candidates for "did you mean".
    pub async fn databases_like(&self, name: &str) -> Result<Vec<DatabaseBrief>, StoreError> {
        let head: String = name.to_lowercase().chars().take(2).collect();
        let rows = self
            .databases_where(
                "database_name >= ? AND database_name < ?",
                &[head.clone(), prefix_end(&head)],
                500,
            )
            .await?;
        Ok(rows)
    }

    async fn databases_where(
        &self,
        condition: &'static str,
        values: &[String],
        limit: i64,
    ) -> Result<Vec<DatabaseBrief>, StoreError> {
        // `condition` is one of this module's constants; values are bound.
        let sql = format!(
            "SELECT account, region, database_name, description, location_uri FROM dim_database \
             WHERE {condition} AND dropped_at IS NULL ORDER BY database_name, account, region LIMIT ?"
        );
        type Row = (String, String, BinText, Option<String>, Option<String>);
        let rows: Vec<Row> = on_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql);
            for v in values {
                q = q.bind(v);
            }
            q.bind(limit).fetch_all(pool).await
        })
        .map_err(StoreError::query("find databases"))?;
        Ok(rows
            .into_iter()
            .map(
                |(account, region, name, description, location_uri)| DatabaseBrief {
                    account,
                    region,
                    name: name.0,
                    description,
                    location_uri,
                },
            )
            .collect())
    }

    /// The existing tables of `database` (every account and region), by name, at most `limit`, and how many
    /// there are.
    pub async fn database_tables(
        &self,
        database: &str,
        limit: i64,
    ) -> Result<(Vec<TableBrief>, i64), StoreError> {
        let sql = format!(
            "SELECT {BRIEF} FROM dim_table t WHERE t.database_name = ? AND t.dropped_at IS NULL \
             ORDER BY t.table_name, t.account, t.region LIMIT ?"
        );
        let rows: Vec<BriefRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(database)
            .bind(limit)
            .fetch_all(pool)
            .await)
        .map_err(StoreError::query("list a database's tables"))?;
        let total: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS SIGNED INTEGER) FROM dim_table WHERE database_name = ? AND dropped_at IS NULL",
        )
        .bind(database)
        .fetch_one(pool)
        .await)
        .map_err(StoreError::query("count a database's tables"))?;
        Ok((rows.into_iter().map(brief).collect(), total))
    }

    /// Tables with every word of `text` at the start of one of their words (names, column names, comments),
    /// with a score (per word, where it was found: name 3, column 2, text 1), best first; at most
    /// [`SEARCH_CANDIDATES`]. Words past [`MAX_SEARCH_WORDS`] are ignored.
    ///
    /// The rarest word drives: its uses are read (at most [`SEARCH_DRIVER_ROWS`] of them, in index order) and
    /// each of those tables is checked for the other words through the table's own words (index on table id, a
    /// thousand tables a statement), so the cost is bounded by the rarest word, however common the others are.
    /// When the rarest word alone has more uses than that, the search is over the first of them only and
    /// `truncated` says so. Among equal scores, which candidates are kept when there are more than enough is
    /// not defined (the first checked: by the rarest word's weight, then table id).
    pub async fn search_tables(&self, text: &str) -> Result<CatalogSearch, StoreError> {
        let mut terms: Vec<String> = Vec::new();
        for word in words(text) {
            if !terms.contains(&word) {
                terms.push(word);
            }
        }
        terms.truncate(MAX_SEARCH_WORDS);
        if terms.is_empty() {
            return Ok(CatalogSearch::default());
        }
        let context = "search the catalog";
        // How many uses each word has, counted only up to one past the cap.
        let mut counted = Vec::with_capacity(terms.len());
        for term in &terms {
            let n: i64 = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT COUNT(*) FROM (SELECT 1 FROM dim_search_term WHERE term >= ? AND term < ? LIMIT ?) c",
            )
            .bind(term)
            .bind(prefix_end(term))
            .bind(SEARCH_DRIVER_ROWS + 1)
            .fetch_one(pool)
            .await)
            .map_err(StoreError::query(context))?;
            if n == 0 {
                return Ok(CatalogSearch::default());
            }
            counted.push((n, term.clone()));
        }
        counted.sort();
        let truncated = counted[0].0 > SEARCH_DRIVER_ROWS;
        // The rarest word's tables with its best weight in each (bounded by the cap, in index order). Only tables
        // in the catalog have words: the collector deletes those of a table it marks dropped.
        let driver = &counted[0].1;
        let found: Vec<(i64, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT table_id, CAST(MAX(weight) AS SIGNED INTEGER) FROM ( \
               SELECT table_id, weight FROM dim_search_term WHERE term >= ? AND term < ? LIMIT ? \
             ) r GROUP BY table_id",
        )
        .bind(driver)
        .bind(prefix_end(driver))
        .bind(SEARCH_DRIVER_ROWS)
        .fetch_all(pool)
        .await)
        .map_err(StoreError::query(context))?;
        // The other words, looked up among those tables' own words (index on table id, then term), the
        // driver's best matches first, a few hundred ids a statement; once enough candidates score more than the
        // rest could reach, the rest is left unchecked.
        let mut candidates = found;
        candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let others: Vec<&String> = counted[1..].iter().map(|(_, t)| t).collect();
        let most_from_others = WEIGHT_NAME * others.len() as i64;
        let mut scored: Vec<(i64, i64)> = Vec::new();
        for chunk in candidates.chunks(SEARCH_LOOKUP_IDS) {
            if scored.len() >= SEARCH_CANDIDATES as usize {
                scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                if scored[SEARCH_CANDIDATES as usize - 1].1 >= chunk[0].1 + most_from_others {
                    break;
                }
            }
            let mut scores: HashMap<i64, i64> = chunk.iter().copied().collect();
            for other in &others {
                let ids: Vec<Val> = scores.keys().map(|&id| Val::from(id)).collect();
                if ids.is_empty() {
                    break;
                }
                let sql = format!(
                    "SELECT table_id, CAST(MAX(weight) AS SIGNED INTEGER) FROM dim_search_term {} \
                     WHERE table_id IN ({}) AND term >= ? AND term < ? GROUP BY table_id",
                    self.force_index("ix_dim_search_term_table"),
                    vec!["?"; ids.len()].join(", ")
                );
                let rows: Vec<(i64, i64)> = on_pool!(self, pool =>
                    bind_vals!(sqlx::query_as(&sql), ids.iter())
                        .bind(*other)
                        .bind(prefix_end(other))
                        .fetch_all(pool)
                        .await)
                .map_err(StoreError::query(context))?;
                scores = rows
                    .into_iter()
                    .map(|(id, weight)| (id, scores[&id] + weight))
                    .collect();
            }
            scored.extend(scores);
        }
        // Best first; the candidates' rows fetched in that order until there are enough that still exist.
        let mut ranked = scored;
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let score_of: HashMap<i64, i64> = ranked.iter().copied().collect();
        let mut tables: Vec<(TableBrief, i64)> = Vec::new();
        for chunk in ranked.chunks(SEARCH_CANDIDATES as usize) {
            let ids: Vec<Val> = chunk.iter().map(|&(id, _)| Val::from(id)).collect();
            let sql = format!(
                "SELECT {BRIEF} FROM dim_table t WHERE t.dropped_at IS NULL AND t.id IN ({})",
                vec!["?"; ids.len()].join(", ")
            );
            let rows: Vec<BriefRow> = on_pool!(self, pool =>
                bind_vals!(sqlx::query_as(&sql), ids.iter()).fetch_all(pool).await)
            .map_err(StoreError::query(context))?;
            tables.extend(rows.into_iter().map(|row| {
                let score = score_of[&row.0];
                (brief(row), score)
            }));
            if tables.len() >= SEARCH_CANDIDATES as usize {
                break;
            }
        }
        tables.sort_by(|(a, sa), (b, sb)| {
            sb.cmp(sa)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.database.cmp(&b.database))
        });
        tables.truncate(SEARCH_CANDIDATES as usize);
        Ok(CatalogSearch { tables, truncated })
    }

    /// When the catalog was last written.
    pub async fn catalog_collected_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar("SELECT MAX(last_seen_at) FROM dim_table")
            .fetch_one(pool)
            .await)
        .map_err(StoreError::query("read when the catalog was collected"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_names_comments_and_camel_case() {
        let cases: &[(&str, &[&str], &str)] = &[
            ("order_items", &["order", "items"], "snake case"),
            ("orderId", &["order", "id"], "camel case"),
            (
                "HTTPServer",
                &["httpserver"],
                "upper-case runs stay together",
            ),
            (
                "주문 일자 (KST)",
                &["주문", "일자", "kst"],
                "Korean with spaces and brackets",
            ),
            (
                "매출_2026Q3",
                &["매출", "2026", "q3"],
                "digits then a capital split as camel case does",
            ),
            ("🐕 dog", &["dog"], "emoji are not words"),
        ];
        for (text, expected, case) in cases {
            assert_eq!(words(text), expected.to_vec(), "{case}");
        }
    }

    #[test]
    fn a_tables_terms_keep_their_best_place_and_korean_endings() {
        let columns = [
            ColumnRow {
                name: "order_id".into(),
                ordinal: 1,
                data_type: "bigint".into(),
                comment: Some("주문번호".into()),
                is_partition_key: false,
            },
            ColumnRow {
                name: "orders".into(),
                ordinal: 2,
                data_type: "int".into(),
                comment: None,
                is_partition_key: false,
            },
        ];
        let terms = search_terms("sales", "orders", Some("Orders of the shop"), &columns);

        assert_eq!(
            terms["orders"], WEIGHT_NAME,
            "a word in the name and a column counts as the name"
        );
        assert_eq!(terms["id"], WEIGHT_COLUMN);
        assert_eq!(terms["shop"], WEIGHT_TEXT);
        assert_eq!(
            terms["번호"], WEIGHT_TEXT,
            "a Korean compound is found by its ending"
        );
        assert!(!terms.contains_key("호"), "endings are two letters or more");
        assert_eq!(terms_hash(&terms), terms_hash(&terms.clone()));
        let mut changed = terms.clone();
        changed.insert("new".into(), 1);
        assert_ne!(terms_hash(&terms), terms_hash(&changed));
    }
}
