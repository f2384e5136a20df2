//! Demo rows: how to tell them from collected data, and how to remove them. Demo catalog and query rows belong to
//! the account named [`DEMO_ACCOUNT`]; demo cost rows to the account ids in [`DEMO_ACCOUNT_IDS`]; demo requirements
//! to the channel [`DEMO_REQUEST_CHANNEL`].

use super::{BeginWrite, BinText, Store, StoreError, on_pool};

pub use crate::config::DEMO_ACCOUNT;
/// The AWS account ids of demo cost rows (not real accounts: AWS ids do not start with eleven zeros).
pub const DEMO_ACCOUNT_IDS: [&str; 5] = [
    "000000000001",
    "000000000002",
    "000000000003",
    "000000000004",
    "000000000005",
];

/// The request channel of demo requirements (not a real channel id: Teams ids end in `@thread.tacv2` or
/// `@thread.skype` after a long base64 part).
pub const DEMO_REQUEST_CHANNEL: &str = "19:doberman-demo-requests@thread.tacv2";
/// The check file the demo's data checks say they come from: how they are told from declared ones.
pub const DEMO_CHECK_FILE: &str = "demo.toml";

impl Store {
    /// Requirements from real request channels (the demo adds its own only where there are none).
    pub async fn real_requirements(&self) -> Result<i64, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM requirement WHERE channel_id <> ?")
            .bind(DEMO_REQUEST_CHANNEL)
            .fetch_one(pool)
            .await)
        .map_err(StoreError::query("count requirements"))
    }

    /// Rows written by collectors rather than the demo: tables, queries, cost rows and Airflow instances.
    pub async fn collected_rows(&self) -> Result<i64, StoreError> {
        let ids = vec!["?"; DEMO_ACCOUNT_IDS.len()].join(", ");
        let sql = format!(
            "SELECT CAST((SELECT COUNT(*) FROM dim_table WHERE account <> ?) \
             + (SELECT COUNT(*) FROM fact_athena_query WHERE account <> ?) \
             + (SELECT COUNT(*) FROM fact_cost_daily WHERE account_id NOT IN ({ids})) \
             + (SELECT COUNT(*) FROM airflow_instance WHERE instance <> ?) \
             + (SELECT COUNT(*) FROM dim_check WHERE file IS NULL OR file <> ?) AS SIGNED INTEGER)"
        );
        on_pool!(self, pool => {
            let mut q = sqlx::query_scalar(&sql).bind(DEMO_ACCOUNT).bind(DEMO_ACCOUNT);
            for id in DEMO_ACCOUNT_IDS {
                q = q.bind(id);
            }
            q.bind(DEMO_ACCOUNT).bind(DEMO_CHECK_FILE).fetch_one(pool).await
        })
        .map_err(StoreError::query("count collected rows"))
    }

    /// Removes every demo row, in one transaction. Returns the rows removed.
    pub async fn clear_demo(&self) -> Result<u64, StoreError> {
        let context = "remove the demo data";
        let ids = vec!["?"; DEMO_ACCOUNT_IDS.len()].join(", ");
        let by_account = [
            "DELETE FROM dim_search_term WHERE table_id IN (SELECT id FROM dim_table WHERE account = ?)",
            "DELETE FROM dim_column WHERE table_id IN (SELECT id FROM dim_table WHERE account = ?)",
            "DELETE FROM fact_table_snapshot_daily WHERE account = ?",
            "DELETE FROM dim_table WHERE account = ?",
            "DELETE FROM dim_database WHERE account = ?",
            "DELETE FROM fact_athena_query_table WHERE query_id IN \
             (SELECT query_id FROM fact_athena_query WHERE account = ?)",
            "DELETE FROM fact_athena_query WHERE account = ?",
            "DELETE FROM fact_table_usage_daily WHERE account = ?",
            "DELETE FROM fact_database_usage_daily WHERE account = ?",
            "DELETE FROM fact_workgroup_usage_daily WHERE account = ?",
            // The demo Airflow instance is named like the demo account.
            "DELETE FROM fact_airflow_task_failure WHERE instance = ?",
            "DELETE FROM fact_airflow_dag_run WHERE instance = ?",
            "DELETE FROM fact_airflow_run_hour WHERE instance = ?",
            "DELETE FROM dim_airflow_dag WHERE instance = ?",
            "DELETE FROM dim_airflow_import_error WHERE instance = ?",
            "DELETE FROM airflow_instance WHERE instance = ?",
        ];
        let by_ids = [
            format!("DELETE FROM fact_cost_daily WHERE account_id IN ({ids})"),
            format!("DELETE FROM fact_cost_resource_daily WHERE account_id IN ({ids})"),
            format!("DELETE FROM fact_cost_service_daily WHERE account_id IN ({ids})"),
            format!("DELETE FROM dim_account WHERE account_id IN ({ids})"),
        ];
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await.map_err(StoreError::query(context))?;
            let mut removed = 0;
            for sql in by_account {
                removed += sqlx::query(sql)
                    .bind(DEMO_ACCOUNT)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query(context))?
                    .rows_affected();
            }
            // The windows sum demo and collected rows alike: answers read the daily roll-ups until the next
            // usage run recomputes them.
            for sql in [
                "DELETE FROM fact_table_usage_window",
                "DELETE FROM fact_database_usage_window",
                "DELETE FROM usage_window_state",
            ] {
                removed += sqlx::query(sql)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query(context))?
                    .rows_affected();
            }
            for sql in &by_ids {
                let mut q = sqlx::query(sql);
                for id in DEMO_ACCOUNT_IDS {
                    q = q.bind(id);
                }
                removed += q.execute(&mut *tx).await.map_err(StoreError::query(context))?.rows_affected();
            }
            // Alerts about demo tables (subjects `<demo account>/…`) and the demo Airflow (`<kind>/<demo>/…`), with
            // their cards, audit and messages.
            let demo_cards = "SELECT card_id FROM alert WHERE subject LIKE ?";
            let patterns = [format!("{DEMO_ACCOUNT}/%")].into_iter().chain(
                ["failed", "slow", "late", "import"].map(|kind| format!("{kind}/{DEMO_ACCOUNT}/%")),
            );
            for (sql, pattern) in patterns.flat_map(|pattern| [

                format!("DELETE FROM outbox WHERE message_id IN (SELECT id FROM alert_message WHERE card_id IN ({demo_cards}))"),
                format!("DELETE FROM alert_message WHERE card_id IN ({demo_cards})"),
                format!("DELETE FROM alert_event WHERE card_id IN ({demo_cards})"),
                format!("DELETE FROM alert_card WHERE id IN ({demo_cards})"),
                "DELETE FROM alert WHERE subject LIKE ?".to_owned(),
            ].map(move |sql| (sql, pattern.clone()))) {
                removed += sqlx::query(&sql)
                    .bind(pattern)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query(context))?
                    .rows_affected();
            }
            // The demo checks, their results and their alerts (subjects `<severity>/<table>/<check>`).
            let demo_checks: Vec<BinText> = sqlx::query_scalar("SELECT check_name FROM dim_check WHERE file = ?")
                .bind(DEMO_CHECK_FILE)
                .fetch_all(&mut *tx)
                .await
                .map_err(StoreError::query(context))?;
            let demo_cards = "SELECT card_id FROM alert WHERE topic = 'quality' AND subject LIKE ?";
            for BinText(name) in &demo_checks {
                let pattern = format!("%/{name}");
                for sql in [
                    format!("DELETE FROM outbox WHERE message_id IN (SELECT id FROM alert_message WHERE card_id IN ({demo_cards}))"),
                    format!("DELETE FROM alert_message WHERE card_id IN ({demo_cards})"),
                    format!("DELETE FROM alert_event WHERE card_id IN ({demo_cards})"),
                    format!("DELETE FROM alert_card WHERE id IN ({demo_cards})"),
                    "DELETE FROM alert WHERE topic = 'quality' AND subject LIKE ?".to_owned(),
                ] {
                    removed += sqlx::query(&sql)
                        .bind(&pattern)
                        .execute(&mut *tx)
                        .await
                        .map_err(StoreError::query(context))?
                        .rows_affected();
                }
                removed += sqlx::query("DELETE FROM fact_check_result WHERE check_name = ?")
                    .bind(name.as_str())
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query(context))?
                    .rows_affected();
            }
            removed += sqlx::query("DELETE FROM dim_check WHERE file = ?")
                .bind(DEMO_CHECK_FILE)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(context))?
                .rows_affected();
            for sql in [
                "DELETE FROM requirement_event WHERE requirement_id IN \
                 (SELECT id FROM requirement WHERE channel_id = ?)",
                "DELETE FROM requirement_comment WHERE requirement_id IN \
                 (SELECT id FROM requirement WHERE channel_id = ?)",
                "DELETE FROM requirement WHERE channel_id = ?",
                "DELETE FROM request_channel WHERE channel_id = ?",
            ] {
                removed += sqlx::query(sql)
                    .bind(DEMO_REQUEST_CHANNEL)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query(context))?
                    .rows_affected();
            }
            // The demo took the first numbers: the next real requirement gets the one after the last kept.
            sqlx::query(
                "UPDATE requirement_sequence SET last_id = (SELECT COALESCE(MAX(id), 0) FROM requirement) WHERE id = 1")
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(context))?;
            tx.commit().await.map_err(StoreError::query(context))?;
            Ok::<u64, StoreError>(removed)
        }.await)
    }
}
