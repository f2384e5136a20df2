//! `inbox`: the activities Doberman acknowledged and has not answered yet. Written before the 200, deleted once
//! the answer is out; what a killed process leaves here is answered by the next one.

use chrono::{DateTime, Utc};

use super::conversations::{DEACTIVATE, bind_change, upsert_sql};
use super::{Backend, BinText, ConversationChange, Store, StoreError, on_pool};

/// One acknowledged activity waiting for its answer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InboxRow {
    /// Its id (chosen by the process that accepted it).
    pub id: i64,
    /// Its conversation.
    #[sqlx(try_from = "BinText")]
    pub conversation_id: String,
    /// The activity as JSON.
    pub activity: String,
    /// When it was acknowledged.
    pub received_at: DateTime<Utc>,
}

/// Rows written per statement (six values each, well under SQLite's limit of bound values).
const CHUNK: usize = 200;

impl Store {
    /// Writes what the activities tell of their conversations (`changes`, in arrival order), then `rows`, claimed
    /// by `holder` until `until`, and deletes the answered `done`: the chat pipeline's group commit, a multi-row
    /// statement for everything that arrived meanwhile and one for what finished. No explicit transaction: each
    /// statement is atomic on its own, rows are independent, and an activity is acknowledged only after all of it.
    /// On SQLite the statements go to the connection's thread together, as one list: each round trip to it (a
    /// BEGIN and a COMMIT too) is two thread switches, most of what a group costs.
    pub async fn inbox_write(
        &self,
        changes: &[ConversationChange],
        rows: &[InboxRow],
        holder: &str,
        until: DateTime<Utc>,
        done: &[i64],
    ) -> Result<(), StoreError> {
        let backend = self.backend();
        let change_sql = |c: &ConversationChange| match c {
            ConversationChange::Seen(_) => upsert_sql(backend),
            ConversationChange::Removed { .. } => DEACTIVATE,
        };
        let insert_sql = |n: usize| {
            format!(
                "INSERT INTO inbox (id, conversation_id, activity, received_at, claimed_by, claimed_until) VALUES {}",
                vec!["(?, ?, ?, ?, ?, ?)"; n].join(", ")
            )
        };
        let delete_sql = |n: usize| {
            format!(
                "DELETE FROM inbox WHERE id IN ({})",
                vec!["?"; n].join(", ")
            )
        };
        on_pool!(self, pool => async {
            // What one round trip carries: statements and what binds them, in order.
            let mut batches: Vec<(String, Vec<Part<'_>>)> = Vec::new();
            for c in changes {
                batches.push((change_sql(c).to_owned(), vec![Part::Change(c)]));
            }
            for chunk in rows.chunks(CHUNK) {
                batches.push((insert_sql(chunk.len()), chunk.iter().map(Part::Row).collect()));
            }
            for chunk in done.chunks(CHUNK) {
                batches.push((delete_sql(chunk.len()), chunk.iter().map(|id| Part::Done(*id)).collect()));
            }
            if backend == Backend::Sqlite {
                // Joined into lists of statements, each list bounded by the values it binds.
                let mut joined: Vec<(String, Vec<Part<'_>>)> = Vec::new();
                for (sql, parts) in batches {
                    match joined.last_mut() {
                        Some((all, bound)) if bound.len() + parts.len() <= CHUNK => {
                            all.push_str(";\n");
                            all.push_str(&sql);
                            bound.extend(parts);
                        }
                        _ => joined.push((sql, parts)),
                    }
                }
                batches = joined;
            }
            for (sql, parts) in &batches {
                let mut query = sqlx::query(sql);
                for part in parts {
                    query = match part {
                        Part::Change(c) => bind_change(query, c),
                        Part::Row(row) => query
                            .bind(row.id)
                            .bind(&row.conversation_id)
                            .bind(&row.activity)
                            .bind(row.received_at)
                            .bind(holder)
                            .bind(until),
                        Part::Done(id) => query.bind(*id),
                    };
                }
                query.execute(pool).await?;
            }
            Ok::<_, sqlx::Error>(())
        }.await)
        .map_err(StoreError::query("write the inbox"))
    }

    /// Extends `holder`'s claims until `until`; how many rows it holds.
    pub async fn inbox_renew(&self, holder: &str, until: DateTime<Utc>) -> Result<u64, StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE inbox SET claimed_until = ? WHERE claimed_by = ?")
            .bind(until)
            .bind(holder)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
        .map_err(StoreError::query("renew the inbox claims"))
    }

    /// Lets go of `holder`'s claims (a graceful stop with activities unanswered): any process may take them now.
    pub async fn inbox_release(&self, holder: &str) -> Result<u64, StoreError> {
        on_pool!(self, pool => sqlx::query(
                "UPDATE inbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?")
            .bind(holder)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
        .map_err(StoreError::query("release the inbox claims"))
    }

    /// Who holds claims in the inbox.
    pub async fn inbox_holders(&self) -> Result<Vec<String>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar::<_, BinText>(
                "SELECT DISTINCT claimed_by FROM inbox WHERE claimed_by IS NOT NULL")
            .fetch_all(pool)
            .await)
        .map(|v| v.into_iter().map(|b| b.0).collect())
        .map_err(StoreError::query("read the inbox claims"))
    }

    /// Claims for `holder` (until `until`) up to `limit` rows nobody answers: released ones, lapsed ones, and those
    /// of the `dead` holders. Returns them, oldest first.
    pub async fn inbox_take_over(
        &self,
        holder: &str,
        until: DateTime<Utc>,
        now: DateTime<Utc>,
        dead: &[String],
        limit: i64,
    ) -> Result<Vec<InboxRow>, StoreError> {
        let dead_marks = vec!["?"; dead.len().max(1)].join(", ");
        let orphaned =
            format!("(claimed_by IS NULL OR claimed_until < ? OR claimed_by IN ({dead_marks}))");
        let select = format!(
            "SELECT id, conversation_id, activity, received_at FROM inbox WHERE {orphaned} \
             ORDER BY received_at, id LIMIT ?"
        );
        let update = format!(
            "UPDATE inbox SET claimed_by = ?, claimed_until = ? WHERE id = ? AND {orphaned}"
        );
        // An empty dead list still binds one value that matches no holder.
        let dead: Vec<&str> = if dead.is_empty() {
            vec![""]
        } else {
            dead.iter().map(String::as_str).collect()
        };
        let candidates: Vec<InboxRow> = on_pool!(self, pool => {
            let query = dead.iter().fold(sqlx::query_as(&select).bind(now), |q, d| q.bind(*d));
            query.bind(limit).fetch_all(pool).await
        })
        .map_err(StoreError::query("read the unanswered activities"))?;
        let mut taken = Vec::with_capacity(candidates.len());
        for row in candidates {
            let won = on_pool!(self, pool => {
                let query = sqlx::query(&update).bind(holder).bind(until).bind(row.id).bind(now);
                dead.iter()
                    .fold(query, |q, d| q.bind(*d))
                    .execute(pool)
                    .await
                    .map(|r| r.rows_affected() == 1)
            })
            .map_err(StoreError::query("claim an unanswered activity"))?;
            if won {
                taken.push(row);
            }
        }
        Ok(taken)
    }

    /// Activities waiting for their answer, and the oldest one's arrival.
    pub async fn inbox_backlog(&self) -> Result<(i64, Option<DateTime<Utc>>), StoreError> {
        on_pool!(self, pool => sqlx::query_as("SELECT COUNT(*), MIN(received_at) FROM inbox")
            .fetch_one(pool)
            .await)
        .map_err(StoreError::query("read the inbox backlog"))
    }
}

/// One bound part of an inbox write.
enum Part<'a> {
    Change(&'a ConversationChange),
    Row(&'a InboxRow),
    Done(i64),
}
