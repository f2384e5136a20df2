//! The aggregation queries the cost collector runs in Athena, one month each, pruned to that month's partitions.
//! Athena does the scanning; only aggregates come back. The SQL stays in the subset both Trino (Athena engine 3)
//! and DuckDB accept (the tests run it in DuckDB over a synthetic CUR in both layouts). Where they differ:
//! - a map subscript of a missing key fails in Trino and is NULL in DuckDB, and `element_at` on a map returns a
//!   list in DuckDB: a map value is read as `CASE WHEN contains(map_keys(m), k) THEN m[k] END`;
//! - `date_format` is Trino's, `strftime` DuckDB's: months are `CAST(date_trunc('month', t) AS DATE)`.
//!
//! A legacy CUR's schema grows with what the payer uses (no savings-plan columns before the first savings
//! plan): a column the table lacks reads as 0, or '' for text.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use crate::aws::query::identifier;
use crate::config::CurLayout;

/// The CUR table as Glue describes it.
#[derive(Debug, Clone)]
pub struct CurTable {
    /// Glue database (validated identifier).
    pub database: String,
    /// Glue table (validated identifier).
    pub table: String,
    /// Legacy or CUR 2.0 (never `Auto` here).
    pub layout: CurLayout,
    /// Its columns and partition keys, lower-cased.
    pub columns: HashSet<String>,
}

/// A query and its `ExecutionParameters`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthQuery {
    /// The SQL with `?` placeholders.
    pub sql: String,
    /// Athena literals for the placeholders, in order.
    pub parameters: Vec<String>,
}

/// Why a table cannot be read as a CUR.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CurError(pub String);

/// Columns every CUR has and the queries need.
const REQUIRED: [&str; 6] = [
    "line_item_usage_start_date",
    "line_item_usage_account_id",
    "line_item_product_code",
    "line_item_line_item_type",
    "line_item_unblended_cost",
    "line_item_usage_type",
];

/// Which layout a table's columns describe: CUR 2.0 has `billing_period` and the `product` map, legacy has
/// `year`/`month` partitions (or at least `product_product_name`).
pub fn detect_layout(columns: &HashSet<String>) -> Result<CurLayout, CurError> {
    if columns.contains("billing_period") && columns.contains("product") {
        Ok(CurLayout::Cur2)
    } else if columns.contains("line_item_usage_start_date")
        && (columns.contains("year") || columns.contains("product_product_name"))
    {
        Ok(CurLayout::Legacy)
    } else {
        Err(CurError(
            "the table is neither a legacy CUR (year/month, line_item_* columns) nor a CUR 2.0 export (billing_period, product map): set cost.layout or check cost.table".into(),
        ))
    }
}

impl CurTable {
    /// A CUR table, checked: identifiers plain, layout decided, required columns present.
    pub fn new(
        database: &str,
        table: &str,
        layout: CurLayout,
        columns: HashSet<String>,
    ) -> Result<CurTable, CurError> {
        let (Some(database), Some(table)) = (identifier(database), identifier(table)) else {
            return Err(CurError(format!(
                "`{database}.{table}` is not a plain Glue name ([A-Za-z0-9_])"
            )));
        };
        let layout = match layout {
            CurLayout::Auto => detect_layout(&columns)?,
            other => other,
        };
        let missing: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .filter(|c| !columns.contains(*c))
            .collect();
        if !missing.is_empty() {
            return Err(CurError(format!(
                "`{database}.{table}` lacks CUR columns {}",
                missing.join(", ")
            )));
        }
        Ok(CurTable {
            database: database.to_owned(),
            table: table.to_owned(),
            layout,
            columns,
        })
    }

    fn has(&self, column: &str) -> bool {
        self.columns.contains(column)
    }

    /// A numeric column, or 0 when the table lacks it.
    fn num(&self, column: &str) -> String {
        if self.has(column) {
            format!("COALESCE({column}, 0)")
        } else {
            "0".to_owned()
        }
    }

    /// Whether the table has per-resource ids (an option of the report).
    pub fn has_resources(&self) -> bool {
        self.has("line_item_resource_id")
    }

    fn source_and_filter(&self, month: NaiveDate) -> (String, Vec<String>) {
        let from = format!("\"{}\".\"{}\"", self.database, self.table);
        match self.layout {
            CurLayout::Cur2 => (
                format!("{from} WHERE billing_period = ?"),
                vec![format!("'{:04}-{:02}'", month.year(), month.month())],
            ),
            _ if self.has("year") && self.has("month") => (
                // Legacy partitions are strings and the month is not zero-padded.
                format!("{from} WHERE year = ? AND month = ?"),
                vec![
                    format!("'{}'", month.year()),
                    format!("'{}'", month.month()),
                ],
            ),
            _ => (
                format!(
                    "{from} WHERE CAST(date_trunc('month', bill_billing_period_start_date) AS DATE) = CAST(? AS DATE)"
                ),
                vec![format!("'{month}'")],
            ),
        }
    }

    /// Amortized cost as AWS defines it: the effective cost of reservation- and savings-plan-covered usage,
    /// unused reservation fees, the unused part of savings-plan commitments, upfront fees and negations left out.
    fn amortized(&self) -> String {
        let ri_fee_reservation = if self.has("reservation_reservation_a_r_n") {
            "COALESCE(reservation_reservation_a_r_n, '')"
        } else {
            "''"
        };
        format!(
            "CASE line_item_line_item_type \
             WHEN 'SavingsPlanCoveredUsage' THEN {sp_effective} \
             WHEN 'SavingsPlanRecurringFee' THEN {sp_commitment} - {sp_used} \
             WHEN 'SavingsPlanNegation' THEN 0 \
             WHEN 'SavingsPlanUpfrontFee' THEN 0 \
             WHEN 'DiscountedUsage' THEN {ri_effective} \
             WHEN 'RIFee' THEN {ri_unused_upfront} + {ri_unused_recurring} \
             WHEN 'Fee' THEN CASE WHEN {ri_fee_reservation} <> '' THEN 0 ELSE COALESCE(line_item_unblended_cost, 0) END \
             ELSE COALESCE(line_item_unblended_cost, 0) END",
            sp_effective = self.num("savings_plan_savings_plan_effective_cost"),
            sp_commitment = self.num("savings_plan_total_commitment_to_date"),
            sp_used = self.num("savings_plan_used_commitment"),
            ri_effective = self.num("reservation_effective_cost"),
            ri_unused_upfront =
                self.num("reservation_unused_amortized_upfront_fee_for_billing_period"),
            ri_unused_recurring = self.num("reservation_unused_recurring_fee"),
        )
    }

    /// Cost per day, account, service, usage type, charge type and currency for `month` (its first day).
    /// Columns: usage_date, account_id, account_name, service, service_name, usage_type, charge_type, currency,
    /// unblended_cost, net_unblended_cost, amortized_cost, usage_amount.
    pub fn daily(&self, month: NaiveDate) -> MonthQuery {
        let (from_where, parameters) = self.source_and_filter(month);
        let account_name = if self.has("line_item_usage_account_name") {
            "MAX(line_item_usage_account_name)"
        } else {
            "CAST(NULL AS VARCHAR)"
        };
        let service_name = match self.layout {
            CurLayout::Cur2 => {
                "MAX(CASE WHEN contains(map_keys(product), 'product_name') THEN product['product_name'] END)"
            }
            _ if self.has("product_product_name") => "MAX(product_product_name)",
            _ => "CAST(NULL AS VARCHAR)",
        };
        let net = if self.has("line_item_net_unblended_cost") {
            "SUM(line_item_net_unblended_cost)"
        } else {
            "CAST(NULL AS DOUBLE)"
        };
        let currency = if self.has("line_item_currency_code") {
            "COALESCE(line_item_currency_code, 'USD')"
        } else {
            "'USD'"
        };
        let sql = format!(
            "SELECT CAST(date_trunc('day', line_item_usage_start_date) AS DATE) AS usage_date, \
             line_item_usage_account_id AS account_id, {account_name} AS account_name, \
             line_item_product_code AS service, {service_name} AS service_name, \
             COALESCE(line_item_usage_type, '') AS usage_type, line_item_line_item_type AS charge_type, \
             {currency} AS currency, \
             SUM(line_item_unblended_cost) AS unblended_cost, {net} AS net_unblended_cost, \
             SUM({amortized}) AS amortized_cost, SUM({usage}) AS usage_amount \
             FROM {from_where} \
             GROUP BY 1, 2, 4, 6, 7, 8",
            amortized = self.amortized(),
            usage = self.num("line_item_usage_amount"),
        );
        MonthQuery { sql, parameters }
    }

    /// The `top` costliest resources per day and service (by amortized cost, across accounts) for `month`, the
    /// rest of each account summed as `other`. Columns: usage_date, account_id, service, resource_id, currency,
    /// unblended_cost, amortized_cost.
    pub fn resources(&self, month: NaiveDate, top: u32) -> MonthQuery {
        let (from_where, parameters) = self.source_and_filter(month);
        let currency = if self.has("line_item_currency_code") {
            "COALESCE(line_item_currency_code, 'USD')"
        } else {
            "'USD'"
        };
        let sql = format!(
            "WITH r AS (SELECT CAST(date_trunc('day', line_item_usage_start_date) AS DATE) AS usage_date, \
             line_item_usage_account_id AS account_id, line_item_product_code AS service, \
             COALESCE(NULLIF(line_item_resource_id, ''), '(no resource id)') AS resource_id, \
             {currency} AS currency, SUM(line_item_unblended_cost) AS unblended_cost, \
             SUM({amortized}) AS amortized_cost \
             FROM {from_where} GROUP BY 1, 2, 3, 4, 5), \
             ranked AS (SELECT usage_date, account_id, service, resource_id, currency, unblended_cost, \
             amortized_cost, ROW_NUMBER() OVER (PARTITION BY usage_date, service, currency \
             ORDER BY amortized_cost DESC, resource_id) AS rn FROM r) \
             SELECT usage_date, account_id, service, \
             CASE WHEN rn <= {top} THEN resource_id ELSE 'other' END AS resource_id, currency, \
             SUM(unblended_cost) AS unblended_cost, SUM(amortized_cost) AS amortized_cost \
             FROM ranked GROUP BY 1, 2, 3, 4, 5",
            amortized = self.amortized(),
        );
        MonthQuery { sql, parameters }
    }
}

/// The first day of the month of `day`, and of the month before.
pub fn this_and_previous_month(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let this = day.with_day(1).expect("every month has a first day");
    let previous = (this - chrono::Duration::days(1))
        .with_day(1)
        .expect("every month has a first day");
    (this, previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(names: &[&str]) -> HashSet<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    fn legacy_minimal() -> HashSet<String> {
        let mut c = columns(&REQUIRED);
        c.extend(columns(&["year", "month", "product_product_name"]));
        c
    }

    #[test]
    fn the_layout_is_read_from_the_columns() {
        assert_eq!(detect_layout(&legacy_minimal()), Ok(CurLayout::Legacy));
        let mut cur2 = columns(&REQUIRED);
        cur2.extend(columns(&["billing_period", "product"]));
        assert_eq!(detect_layout(&cur2), Ok(CurLayout::Cur2));
        assert!(detect_layout(&columns(&["id", "name"])).is_err());
    }

    #[test]
    fn a_month_is_pruned_to_its_partitions_with_parameters() {
        let legacy =
            CurTable::new("cur", "cur_report", CurLayout::Auto, legacy_minimal()).expect("legacy");
        let q = legacy.daily(NaiveDate::from_ymd_opt(2026, 7, 1).expect("date"));
        assert!(
            q.sql
                .contains("FROM \"cur\".\"cur_report\" WHERE year = ? AND month = ?"),
            "{}",
            q.sql
        );
        assert_eq!(
            q.parameters,
            ["'2026'", "'7'"],
            "legacy months are not zero-padded"
        );

        let mut c = columns(&REQUIRED);
        c.extend(columns(&["billing_period", "product"]));
        let cur2 = CurTable::new("exports", "cur2", CurLayout::Auto, c).expect("cur2");
        let q = cur2.daily(NaiveDate::from_ymd_opt(2026, 7, 1).expect("date"));
        assert!(q.sql.contains("WHERE billing_period = ?"), "{}", q.sql);
        assert_eq!(q.parameters, ["'2026-07'"]);
        assert!(
            q.sql
                .contains("contains(map_keys(product), 'product_name')")
        );
    }

    #[test]
    fn columns_a_report_lacks_read_as_zero() {
        let legacy =
            CurTable::new("cur", "cur", CurLayout::Legacy, legacy_minimal()).expect("legacy");
        let sql = legacy
            .daily(NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"))
            .sql;
        assert!(
            sql.contains("WHEN 'SavingsPlanCoveredUsage' THEN 0"),
            "{sql}"
        );
        assert!(
            sql.contains("CAST(NULL AS DOUBLE) AS net_unblended_cost"),
            "{sql}"
        );
        assert!(!legacy.has_resources());
    }

    #[test]
    fn names_that_are_not_plain_and_tables_that_are_not_cur_are_refused() {
        assert!(CurTable::new("cur\"; DROP", "t", CurLayout::Legacy, legacy_minimal()).is_err());
        let e = CurTable::new("cur", "t", CurLayout::Legacy, columns(&["year"]))
            .expect_err("not a CUR");
        assert!(
            e.0.contains("lacks CUR columns line_item_usage_start_date"),
            "{e}"
        );
    }

    #[test]
    fn months_are_this_one_and_the_one_before() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("date");
        assert_eq!(
            this_and_previous_month(d(2026, 11, 25)),
            (d(2026, 11, 1), d(2026, 10, 1))
        );
        assert_eq!(
            this_and_previous_month(d(2027, 1, 1)),
            (d(2027, 1, 1), d(2026, 12, 1))
        );
    }
}
