//! Cost facts: `dim_account`, `fact_cost_daily`, `fact_cost_resource_daily`. A cost run replaces whole months
//! in one transaction, so Superset never sees half a month and a failed run changes nothing.

use chrono::{DateTime, NaiveDate, Utc};

use super::bulk::{Upsert, Val, run_upsert};
use super::{BeginWrite, Store, StoreError, on_pool};

/// One row of `fact_cost_daily`. Money is decimal text (exact on MySQL).
#[derive(Debug, Clone, PartialEq)]
pub struct CostRow {
    /// First day of the billing month.
    pub billing_month: NaiveDate,
    /// UTC day.
    pub usage_date: NaiveDate,
    /// Usage account id.
    pub account_id: String,
    /// Product code.
    pub service: String,
    /// Product name.
    pub service_name: Option<String>,
    /// Usage type.
    pub usage_type: String,
    /// Line item type.
    pub charge_type: String,
    /// Currency code.
    pub currency: String,
    /// Unblended cost.
    pub unblended_cost: String,
    /// Net unblended cost.
    pub net_unblended_cost: Option<String>,
    /// Amortized cost.
    pub amortized_cost: String,
    /// Usage amount.
    pub usage_amount: f64,
}

/// One row of `fact_cost_resource_daily`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceCostRow {
    /// First day of the billing month.
    pub billing_month: NaiveDate,
    /// UTC day.
    pub usage_date: NaiveDate,
    /// Usage account id.
    pub account_id: String,
    /// Product code.
    pub service: String,
    /// Resource id, or `other`.
    pub resource_id: String,
    /// Currency code.
    pub currency: String,
    /// Unblended cost.
    pub unblended_cost: String,
    /// Amortized cost.
    pub amortized_cost: String,
}

/// An AWS account's name and team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRow {
    /// 12-digit id.
    pub account_id: String,
    /// Name.
    pub account_name: Option<String>,
    /// Team.
    pub team: Option<String>,
}

/// Amortized cost of one day, account and service (all usage and charge types), for the cost figures.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyCost {
    /// UTC day.
    pub date: NaiveDate,
    /// Account id.
    pub account_id: String,
    /// Account name when known.
    pub account_name: Option<String>,
    /// The team that owns the account (`dim_account.team`), when known.
    pub team: Option<String>,
    /// Product code.
    pub service: String,
    /// Amortized cost.
    pub amortized: f64,
    /// Unblended cost.
    pub unblended: f64,
}

/// The amortized cost of one resource over a range of days and over the range it is compared with, for
/// `cost by resource` (from `fact_cost_resource_daily`; the `other` rows, which are no resource, left out).
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceCost {
    /// Resource id (an ARN, an instance id, a bucket name).
    pub resource_id: String,
    /// Product code.
    pub service: String,
    /// Usage account id.
    pub account_id: String,
    /// Account name when known.
    pub account_name: Option<String>,
    /// Amortized cost in the range asked about.
    pub amortized: f64,
    /// Amortized cost in the range compared with.
    pub before: f64,
}

/// Which resources [`Store::resource_costs`] returns first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceRank {
    /// The costliest in the range asked about (those that cost nothing there left out).
    Cost,
    /// The biggest changes against the range compared with, either way (those that did not change left out).
    Change,
}

/// Recomputes `fact_cost_service_daily` for one billing month (bound) from `fact_cost_daily`.
const SERVICE_ROLL_UP: &str = "INSERT INTO fact_cost_service_daily (currency, usage_date, account_id, service, \
     billing_month, unblended_cost, amortized_cost, cost_rows) \
     SELECT currency, usage_date, account_id, service, billing_month, SUM(unblended_cost), SUM(amortized_cost), \
     COUNT(*) FROM fact_cost_daily WHERE billing_month = ? \
     GROUP BY currency, usage_date, account_id, service, billing_month";

impl Store {
    /// Replaces `months` (first days) with `daily` and `resources` and records `accounts`, in one transaction.
    /// Returns rows written.
    pub async fn replace_cost_months(
        &self,
        months: &[NaiveDate],
        daily: &[CostRow],
        resources: &[ResourceCostRow],
        accounts: &[AccountRow],
        collected_at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let backend = self.backend();
        let context = "replace months of cost facts";
        let daily_rows: Vec<Vec<Val>> = daily
            .iter()
            .map(|r| {
                vec![
                    r.billing_month.into(),
                    r.usage_date.into(),
                    r.account_id.as_str().into(),
                    r.service.as_str().into(),
                    r.service_name.clone().into(),
                    r.usage_type.as_str().into(),
                    r.charge_type.as_str().into(),
                    r.currency.as_str().into(),
                    r.unblended_cost.as_str().into(),
                    r.net_unblended_cost.clone().into(),
                    r.amortized_cost.as_str().into(),
                    Val::Float(r.usage_amount),
                    collected_at.into(),
                ]
            })
            .collect();
        let resource_rows: Vec<Vec<Val>> = resources
            .iter()
            .map(|r| {
                vec![
                    r.billing_month.into(),
                    r.usage_date.into(),
                    r.account_id.as_str().into(),
                    r.service.as_str().into(),
                    r.resource_id.as_str().into(),
                    r.currency.as_str().into(),
                    r.unblended_cost.as_str().into(),
                    r.amortized_cost.as_str().into(),
                    collected_at.into(),
                ]
            })
            .collect();
        let account_rows: Vec<Vec<Val>> = accounts
            .iter()
            .map(|a| {
                vec![
                    a.account_id.as_str().into(),
                    a.account_name.clone().into(),
                    a.team.clone().into(),
                    collected_at.into(),
                    collected_at.into(),
                ]
            })
            .collect();
        let daily_insert = Upsert {
            table: "fact_cost_daily",
            columns: &[
                "billing_month",
                "usage_date",
                "account_id",
                "service",
                "service_name",
                "usage_type",
                "charge_type",
                "currency",
                "unblended_cost",
                "net_unblended_cost",
                "amortized_cost",
                "usage_amount",
                "collected_at",
            ],
            key: &[
                "billing_month",
                "usage_date",
                "account_id",
                "service",
                "usage_type",
                "charge_type",
                "currency",
            ],
            update: &[
                "service_name",
                "unblended_cost",
                "net_unblended_cost",
                "amortized_cost",
                "usage_amount",
                "collected_at",
            ],
            also: &[],
            add: &[],
        };
        let resource_insert = Upsert {
            table: "fact_cost_resource_daily",
            columns: &[
                "billing_month",
                "usage_date",
                "account_id",
                "service",
                "resource_id",
                "currency",
                "unblended_cost",
                "amortized_cost",
                "collected_at",
            ],
            key: &[],
            update: &[],
            also: &[],
            add: &[],
        };
        let account_upsert = Upsert {
            table: "dim_account",
            columns: &[
                "account_id",
                "account_name",
                "team",
                "first_seen_at",
                "last_seen_at",
            ],
            key: &["account_id"],
            update: &["account_name", "team", "last_seen_at"],
            also: &[],
            add: &[],
        };
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await.map_err(StoreError::query(context))?;
            for month in months {
                for sql in [
                    "DELETE FROM fact_cost_daily WHERE billing_month = ?",
                    "DELETE FROM fact_cost_resource_daily WHERE billing_month = ?",
                    "DELETE FROM fact_cost_service_daily WHERE billing_month = ?",
                ] {
                    sqlx::query(sql)
                        .bind(*month)
                        .execute(&mut *tx)
                        .await
                        .map_err(StoreError::query(context))?;
                }
            }
            run_upsert!(backend, tx, daily_insert, &daily_rows).map_err(StoreError::query(context))?;
            run_upsert!(backend, tx, resource_insert, &resource_rows)
                .map_err(StoreError::query(context))?;
            run_upsert!(backend, tx, account_upsert, &account_rows)
                .map_err(StoreError::query(context))?;
            // The answers' grain, from the rows just written: the months are whole, so is each day of them.
            let mut rolled = 0;
            for month in months {
                rolled += sqlx::query(SERVICE_ROLL_UP)
                    .bind(*month)
                    .execute(&mut *tx)
                    .await
                    .map_err(StoreError::query(context))?
                    .rows_affected();
            }
            tx.commit().await.map_err(StoreError::query(context))?;
            Ok::<u64, StoreError>((daily_rows.len() + resource_rows.len() + account_rows.len()) as u64 + rolled)
        }.await)
    }

    /// Recomputes `fact_cost_service_daily` from `fact_cost_daily` for every billing month, a month per
    /// transaction: for repairs, and for cost rows written behind the store's back (the chat benchmark's lake).
    /// Returns rows written.
    pub async fn roll_up_costs(&self) -> Result<u64, StoreError> {
        let context = "recompute the cost roll-up";
        let months: Vec<NaiveDate> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT DISTINCT billing_month FROM fact_cost_daily ORDER BY billing_month",
        )
        .fetch_all(pool)
        .await)
        .map_err(StoreError::query(context))?;
        let mut rows = 0;
        for month in months {
            rows += on_pool!(self, pool => async {
                let mut tx = pool.begin_write().await?;
                sqlx::query("DELETE FROM fact_cost_service_daily WHERE billing_month = ?")
                    .bind(month)
                    .execute(&mut *tx)
                    .await?;
                let rows = sqlx::query(SERVICE_ROLL_UP).bind(month).execute(&mut *tx).await?.rows_affected();
                tx.commit().await?;
                Ok::<u64, sqlx::Error>(rows)
            }.await)
            .map_err(StoreError::query(context))?;
        }
        Ok(rows)
    }

    /// Amortized and unblended cost per day, account and service from `from` to `to` (inclusive), in the
    /// report's currency (rows of other currencies are left out of the sums when `currency` is given).
    pub async fn daily_costs(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        currency: &str,
    ) -> Result<Vec<DailyCost>, StoreError> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(NaiveDate, String, Option<String>, Option<String>, String, f64, f64)> =
            on_pool!(self, pool => sqlx::query_as(
            // In the roll-up's key order (currency, day, account, service): a range of its primary key, grouped
            // as it is read; the GROUP BY only joins the rare day billed in two months.
            "SELECT f.usage_date, f.account_id, MAX(a.account_name), MAX(a.team), f.service, \
             SUM(f.amortized_cost) * 1e0, SUM(f.unblended_cost) * 1e0 \
             FROM fact_cost_service_daily f LEFT JOIN dim_account a ON a.account_id = f.account_id \
             WHERE f.currency = ? AND f.usage_date >= ? AND f.usage_date <= ? \
             GROUP BY f.usage_date, f.account_id, f.service ORDER BY f.usage_date, f.account_id, f.service",
        )
        .bind(currency)
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await)
            .map_err(StoreError::query("read daily costs"))?;
        Ok(rows
            .into_iter()
            .map(
                |(date, account_id, account_name, team, service, amortized, unblended)| DailyCost {
                    date,
                    account_id,
                    account_name,
                    team,
                    service,
                    amortized,
                    unblended,
                },
            )
            .collect())
    }

    /// Amortized cost per resource (with its service and account) over `now` and over `before` (inclusive
    /// ranges of days), in `currency`: the first `limit` by `rank`. Resources outside the top of their day and
    /// service were summed as `other` by the collector and are not among them.
    pub async fn resource_costs(
        &self,
        now: (NaiveDate, NaiveDate),
        before: (NaiveDate, NaiveDate),
        currency: &str,
        rank: ResourceRank,
        limit: u32,
    ) -> Result<Vec<ResourceCost>, StoreError> {
        let (keep, order) = match rank {
            ResourceRank::Cost => ("ABS(now_cost) >= 0.005", "now_cost DESC"),
            ResourceRank::Change => (
                "ABS(now_cost - before_cost) >= 0.005",
                "ABS(now_cost - before_cost) DESC",
            ),
        };
        // The same text on both dialects: CASE sums, ABS and a derived table's aliases are common SQL.
        let sql = format!(
            "SELECT resource_id, service, account_id, account_name, now_cost, before_cost FROM ( \
             SELECT r.resource_id, r.service, r.account_id, MAX(a.account_name) AS account_name, \
             SUM(CASE WHEN r.usage_date >= ? AND r.usage_date <= ? THEN r.amortized_cost ELSE 0 END) * 1e0 \
             AS now_cost, \
             SUM(CASE WHEN r.usage_date >= ? AND r.usage_date <= ? THEN r.amortized_cost ELSE 0 END) * 1e0 \
             AS before_cost \
             FROM fact_cost_resource_daily r LEFT JOIN dim_account a ON a.account_id = r.account_id \
             WHERE r.currency = ? AND r.resource_id <> 'other' \
             AND ((r.usage_date >= ? AND r.usage_date <= ?) OR (r.usage_date >= ? AND r.usage_date <= ?)) \
             GROUP BY r.resource_id, r.service, r.account_id) t \
             WHERE {keep} ORDER BY {order}, resource_id, service, account_id LIMIT ?"
        );
        #[allow(clippy::type_complexity)]
        let rows: Vec<(String, String, String, Option<String>, f64, f64)> =
            on_pool!(self, pool => sqlx::query_as(&sql)
                .bind(now.0)
                .bind(now.1)
                .bind(before.0)
                .bind(before.1)
                .bind(currency)
                .bind(now.0)
                .bind(now.1)
                .bind(before.0)
                .bind(before.1)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await)
            .map_err(StoreError::query("read resource costs"))?;
        Ok(rows
            .into_iter()
            .map(
                |(resource_id, service, account_id, account_name, amortized, before)| {
                    ResourceCost {
                        resource_id,
                        service,
                        account_id,
                        account_name,
                        amortized,
                        before,
                    }
                },
            )
            .collect())
    }

    /// The currency most of the cost rows are in (a CUR has one per payer); `None` without cost data.
    pub async fn cost_currency(&self) -> Result<Option<String>, StoreError> {
        // The currencies first, from the roll-up's key (a loose index scan): nearly always one, and then nothing
        // needs counting.
        let currencies: Vec<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT currency FROM fact_cost_service_daily GROUP BY currency LIMIT 2",
        )
        .fetch_all(pool)
        .await)
        .map_err(StoreError::query("read the cost currency"))?;
        if currencies.len() < 2 {
            return Ok(currencies.into_iter().next());
        }
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT currency FROM fact_cost_service_daily GROUP BY currency \
             ORDER BY SUM(cost_rows) DESC, currency LIMIT 1",
        )
        .fetch_optional(pool)
        .await)
        .map_err(StoreError::query("read the cost currency"))
    }

    /// The latest day with cost in `currency` up to `through` (a report dated ahead is not read as today's);
    /// `None` without such cost. A seek on the roll-up's key (currency, day).
    pub async fn cost_latest_day(
        &self,
        currency: &str,
        through: NaiveDate,
    ) -> Result<Option<NaiveDate>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar(
            "SELECT MAX(usage_date) FROM fact_cost_service_daily WHERE currency = ? AND usage_date <= ?",
        )
        .bind(currency)
        .bind(through)
        .fetch_one(pool)
        .await)
        .map_err(StoreError::query("read the latest day of cost"))
    }

    /// When the cost facts were last re-aggregated.
    pub async fn cost_collected_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar("SELECT MAX(collected_at) FROM fact_cost_daily")
            .fetch_one(pool)
            .await)
        .map_err(StoreError::query("read when costs were collected"))
    }
}
