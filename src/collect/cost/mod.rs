//! The cost collector: the Cost and Usage Report aggregated by Athena (never a line item comes back) into
//! `fact_cost_daily` and `fact_cost_resource_daily`. Each run re-aggregates the current and the previous month
//! (the CUR restates past days) and replaces both in one transaction after every query succeeded, so a failed
//! run changes nothing.

pub mod sql;

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use anyhow::Context;

use super::{Ctx, RunReport};
use crate::aws::glue;
use crate::aws::query::{self, Cell, Polling, Query, Results};
use crate::config::CostConfig;
use crate::store::{self, AccountRow, CostRow, ResourceCostRow};
use sql::{CurTable, this_and_previous_month};

/// One run: both months, all or nothing.
pub async fn run_once(ctx: &Ctx) -> anyhow::Result<RunReport> {
    let config = ctx.cost();
    if config.database.is_empty() {
        anyhow::bail!(
            "cost.database is not set: the cost collector has no Cost and Usage Report to read"
        );
    }
    let targets = ctx.targets().await;
    let target = if config.account.is_empty() {
        targets.first()
    } else {
        targets.iter().find(|t| t.account == config.account)
    }
    .context(
        "No AWS account to read the Cost and Usage Report from (cost.account, aws.accounts)",
    )?;
    let columns: HashSet<String> =
        glue::table_columns(target.aws.glue(), &config.database, &config.table)
            .await
            .context("Failed to read the CUR table's columns")?
            .into_iter()
            .collect();
    let table = CurTable::new(&config.database, &config.table, config.layout, columns)
        .context("The CUR table cannot be read")?;
    let today = store::now().date_naive();
    let (this_month, previous_month) = this_and_previous_month(today);
    let polling = Polling {
        timeout: Duration::from_secs(u64::from(config.query_timeout_secs)),
        ..Polling::default()
    };
    let mut daily = Vec::new();
    let mut resources = Vec::new();
    let mut bytes_scanned = 0i64;
    let mut queries = 0;
    for month in [previous_month, this_month] {
        let q = table.daily(month);
        let results = run(target.aws.athena(), config, q, polling)
            .await
            .with_context(|| {
                format!("Failed to aggregate the costs of {}", month.format("%Y-%m"))
            })?;
        bytes_scanned += results.bytes_scanned.unwrap_or(0);
        queries += 1;
        daily.extend(daily_rows(&results, month)?);
        if table.has_resources() {
            let q = table.resources(month, config.top_resources);
            let results = run(target.aws.athena(), config, q, polling)
                .await
                .with_context(|| {
                    format!("Failed to rank the resources of {}", month.format("%Y-%m"))
                })?;
            bytes_scanned += results.bytes_scanned.unwrap_or(0);
            queries += 1;
            resources.extend(resource_rows(&results, month)?);
        }
    }
    let accounts = accounts(config, &daily, &results_names(&daily));
    let written = ctx
        .store
        .replace_cost_months(
            &[previous_month, this_month],
            &daily.iter().map(|(row, _)| row.clone()).collect::<Vec<_>>(),
            &resources,
            &accounts,
            store::now(),
        )
        .await
        .context("Failed to store the cost facts")?;
    Ok(RunReport {
        rows_written: written,
        notes: vec![format!(
            "{}.{} ({:?} layout): {} and {}: {} daily rows, {} resource rows, {} accounts; {queries} Athena queries scanned {bytes_scanned} bytes",
            config.database,
            config.table,
            table.layout,
            previous_month.format("%Y-%m"),
            this_month.format("%Y-%m"),
            daily.len(),
            resources.len(),
            accounts.len(),
        )],
    })
}

async fn run(
    athena: &aws_sdk_athena::Client,
    config: &CostConfig,
    q: sql::MonthQuery,
    polling: Polling,
) -> Result<Results, query::QueryError> {
    query::run(
        athena,
        &Query {
            sql: q.sql,
            parameters: q.parameters,
            work_group: Some(config.workgroup.clone()),
            database: Some(config.database.clone()),
            output_location: config.output_location.clone(),
        },
        polling,
    )
    .await
}

/// A column of `results` by name.
fn column(results: &Results, name: &str) -> anyhow::Result<usize> {
    results
        .columns
        .iter()
        .position(|(c, _)| c.eq_ignore_ascii_case(name))
        .with_context(|| format!("Athena's answer has no column `{name}`"))
}

fn text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Null => None,
        Cell::Text(s) | Cell::Decimal(s) => Some(s.clone()),
        Cell::Int(i) => Some(i.to_string()),
        Cell::Float(f) => Some(f.to_string()),
        Cell::Bool(b) => Some(b.to_string()),
        Cell::Date(d) => Some(d.to_string()),
        Cell::Timestamp(t) => Some(t.to_string()),
        Cell::Json(v) => Some(v.to_string()),
    }
}

/// Money as exact decimal text, 6 places for floats (what the store keeps).
fn money(cell: &Cell) -> anyhow::Result<Option<String>> {
    Ok(match cell {
        Cell::Null => None,
        Cell::Decimal(s) => Some(s.clone()),
        Cell::Int(i) => Some(i.to_string()),
        Cell::Float(f) if f.is_finite() => Some(format!("{f:.6}")),
        other => anyhow::bail!("expected an amount, got {other:?}"),
    })
}

fn date(cell: &Cell) -> anyhow::Result<chrono::NaiveDate> {
    match cell {
        Cell::Date(d) => Ok(*d),
        Cell::Timestamp(t) => Ok(t.date()),
        Cell::Text(s) => s.parse().with_context(|| format!("`{s}` is not a date")),
        other => anyhow::bail!("expected a date, got {other:?}"),
    }
}

fn daily_rows(
    results: &Results,
    month: chrono::NaiveDate,
) -> anyhow::Result<Vec<(CostRow, Option<String>)>> {
    let c = |name| column(results, name);
    let (d, acct, acct_name, svc, svc_name, ut, ct, cur, unb, net, amo, usage) = (
        c("usage_date")?,
        c("account_id")?,
        c("account_name")?,
        c("service")?,
        c("service_name")?,
        c("usage_type")?,
        c("charge_type")?,
        c("currency")?,
        c("unblended_cost")?,
        c("net_unblended_cost")?,
        c("amortized_cost")?,
        c("usage_amount")?,
    );
    results
        .rows
        .iter()
        .map(|r| {
            let row = CostRow {
                billing_month: month,
                usage_date: date(&r[d])?,
                account_id: text(&r[acct]).unwrap_or_default(),
                service: text(&r[svc]).unwrap_or_default(),
                service_name: text(&r[svc_name]),
                usage_type: text(&r[ut]).unwrap_or_default(),
                charge_type: text(&r[ct]).unwrap_or_default(),
                currency: text(&r[cur]).unwrap_or_else(|| "USD".to_owned()),
                unblended_cost: money(&r[unb])?.unwrap_or_else(|| "0".to_owned()),
                net_unblended_cost: money(&r[net])?,
                amortized_cost: money(&r[amo])?.unwrap_or_else(|| "0".to_owned()),
                usage_amount: text(&r[usage]).and_then(|u| u.parse().ok()).unwrap_or(0.0),
            };
            Ok((row, text(&r[acct_name])))
        })
        .collect()
}

fn resource_rows(
    results: &Results,
    month: chrono::NaiveDate,
) -> anyhow::Result<Vec<ResourceCostRow>> {
    let c = |name| column(results, name);
    let (d, acct, svc, res, cur, unb, amo) = (
        c("usage_date")?,
        c("account_id")?,
        c("service")?,
        c("resource_id")?,
        c("currency")?,
        c("unblended_cost")?,
        c("amortized_cost")?,
    );
    results
        .rows
        .iter()
        .map(|r| {
            Ok(ResourceCostRow {
                billing_month: month,
                usage_date: date(&r[d])?,
                account_id: text(&r[acct]).unwrap_or_default(),
                service: text(&r[svc]).unwrap_or_default(),
                resource_id: text(&r[res]).unwrap_or_default(),
                currency: text(&r[cur]).unwrap_or_else(|| "USD".to_owned()),
                unblended_cost: money(&r[unb])?.unwrap_or_else(|| "0".to_owned()),
                amortized_cost: money(&r[amo])?.unwrap_or_else(|| "0".to_owned()),
            })
        })
        .collect()
}

/// Account names the CUR itself gives (CUR 2.0).
fn results_names(daily: &[(CostRow, Option<String>)]) -> BTreeMap<String, String> {
    daily
        .iter()
        .filter_map(|(row, name)| name.clone().map(|n| (row.account_id.clone(), n)))
        .collect()
}

/// Every account of the configuration and of the report: the configured name and team win over the report's.
fn accounts(
    config: &CostConfig,
    daily: &[(CostRow, Option<String>)],
    names: &BTreeMap<String, String>,
) -> Vec<AccountRow> {
    let mut ids: Vec<String> = daily.iter().map(|(r, _)| r.account_id.clone()).collect();
    ids.extend(config.accounts.iter().map(|a| a.id.clone()));
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .filter(|id| !id.is_empty())
        .map(|id| {
            let configured = config.accounts.iter().find(|a| a.id == id);
            AccountRow {
                account_name: configured
                    .map(|a| a.name.clone())
                    .or_else(|| names.get(&id).cloned()),
                team: configured.and_then(|a| a.team.clone()),
                account_id: id,
            }
        })
        .collect()
}
