//! The Airflow collector: for each instance of `airflow.instances`, every DAG, the runs and the failed task tries
//! updated since the last complete collection (less [`OVERLAP`], for clocks that differ and runs that were being
//! written while it read), and the import errors, written in one transaction per instance. The first collection
//! of an instance reads `airflow.history_days` back. An instance that fails does not stop the others; the run
//! then fails naming each, and the failed one is read again from the same point next time.

use std::collections::HashSet;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::{Ctx, Job, RunReport};
use crate::airflow::{self, Api, Client};
use crate::config::AirflowInstance;
use crate::store::{
    self, AirflowCollection, AirflowDagRow, AirflowFailureRow, AirflowImportErrorRow, AirflowRunRow,
};

/// How far before the last collection's start the next one reads again.
pub const OVERLAP: chrono::Duration = chrono::Duration::minutes(10);

/// One run over every instance.
pub async fn run_once(ctx: &Ctx) -> anyhow::Result<RunReport> {
    let instances = &ctx.airflow().instances;
    if instances.is_empty() {
        anyhow::bail!("No Airflow is configured: set airflow.instances");
    }
    let http = airflow::http_client().context("Failed to build the HTTP client")?;
    ctx.progress
        .stage(Job::Airflow, "instances", instances.len() as u64);
    let mut report = RunReport::default();
    let mut failures = Vec::new();
    for instance in instances {
        match collect_instance(ctx, &http, instance).await {
            Ok(part) => {
                report.rows_written += part.rows_written;
                report.notes.extend(part.notes);
            }
            Err(e) => failures.push(format!(
                "{}: {}",
                instance.name,
                crate::common::anyhow_chain(&e)
            )),
        }
        ctx.progress.advance(Job::Airflow, 1);
    }
    if failures.is_empty() {
        Ok(report)
    } else {
        anyhow::bail!(
            "Airflow could not be read completely ({} rows written before the failure): {}",
            report.rows_written,
            failures.join("; ")
        )
    }
}

async fn collect_instance(
    ctx: &Ctx,
    http: &reqwest::Client,
    instance: &AirflowInstance,
) -> anyhow::Result<RunReport> {
    let started = store::now();
    let budget = Duration::from_secs(u64::from(ctx.airflow().timeout_secs));
    let mwaa = match &instance.mwaa_environment {
        Some(environment) => Some(ctx.mwaa(environment).await),
        None => None,
    };
    let client = Client::connect(http.clone(), instance, budget, mwaa).await?;
    let since = match ctx
        .store
        .airflow_collected_through(&instance.name)
        .await
        .context("Failed to read how far Airflow was collected")?
    {
        Some(through) => through - OVERLAP,
        None => started - chrono::Duration::days(i64::from(ctx.airflow().history_days)),
    };
    let dags = client.dags().await?;
    let mut runs: Vec<AirflowRunRow> = Vec::new();
    client
        .runs_updated_since(since, |page| runs.extend(page.into_iter().map(run_row)))
        .await?;
    let tries = client.failed_tries_since(since).await?;
    let import_errors = client.import_errors().await?;

    // A failed try whose run neither this read nor an earlier one holds (its run changed before `since`, the try
    // after): read that run on its own, so the failure has its run.
    // Borrowed keys: a first collection holds a million runs, and a copy of each key is ~100 MB.
    let have: HashSet<(&str, &str)> = runs
        .iter()
        .map(|r| (r.dag_id.as_str(), r.run_id.as_str()))
        .collect();
    let mut missing: Vec<(String, String)> = tries
        .iter()
        .filter(|t| !have.contains(&(t.dag_id.as_str(), t.run_id.as_str())))
        .map(|t| (t.dag_id.clone(), t.run_id.clone()))
        .collect();
    drop(have);
    missing.sort();
    missing.dedup();
    if !missing.is_empty() {
        let known = ctx
            .store
            .airflow_runs_known(&instance.name, &missing)
            .await
            .context("Failed to read which Airflow runs are stored")?;
        for (dag_id, run_id) in missing.into_iter().filter(|k| !known.contains(k)) {
            if let Some(run) = client.run(&dag_id, &run_id).await? {
                runs.push(run_row(run));
            }
        }
    }
    let collection = AirflowCollection {
        instance: instance.name.clone(),
        url: instance.url.clone().unwrap_or_default(),
        api: match client.api() {
            Api::V1 => "v1",
            Api::V2 => "v2",
        }
        .to_owned(),
        version: client.version().to_owned(),
        through: started,
        dags: dags.into_iter().map(dag_row).collect(),
        failures: tries.into_iter().map(failure_row).collect(),
        import_errors: import_errors
            .into_iter()
            .map(|e| AirflowImportErrorRow {
                file_location: e.file_location,
                error_text: e.error_text,
                seen_since: e.seen_since,
            })
            .collect(),
        runs,
    };
    let rows_written = ctx
        .store
        .write_airflow(&collection, ctx.timezone, store::now())
        .await
        .with_context(|| format!("Failed to write what Airflow `{}` reported", instance.name))?;
    Ok(RunReport {
        rows_written,
        notes: vec![format!(
            "{} (Airflow {}): {} DAGs, {} runs and {} failed tries changed since {}, {} import errors",
            instance.name,
            client.version(),
            collection.dags.len(),
            collection.runs.len(),
            collection.failures.len(),
            since.with_timezone(&ctx.timezone).format("%Y-%m-%d %H:%M"),
            collection.import_errors.len(),
        )],
    })
}

fn dag_row(d: airflow::Dag) -> AirflowDagRow {
    AirflowDagRow {
        dag_id: d.dag_id,
        owners: (!d.owners.is_empty()).then(|| d.owners.join(", ")),
        tags: (!d.tags.is_empty())
            .then(|| serde_json::to_string(&d.tags).expect("strings serialize")),
        schedule: d.schedule,
        schedule_description: d.schedule_description,
        is_paused: d.is_paused,
        is_active: d.is_active,
        next_run_after: d.next_run_after,
        next_logical_date: d.next_logical_date,
        file_location: d.file_location,
        has_import_errors: d.has_import_errors,
    }
}

fn run_row(r: airflow::DagRun) -> AirflowRunRow {
    AirflowRunRow {
        dag_id: r.dag_id,
        run_id: r.run_id,
        run_type: r.run_type,
        state: r.state,
        logical_date: micros(r.logical_date),
        run_after: micros(r.run_after),
        queued_at: micros(r.queued_at),
        started_at: micros(r.started_at),
        ended_at: micros(r.ended_at),
    }
}

fn failure_row(t: airflow::TaskTry) -> AirflowFailureRow {
    AirflowFailureRow {
        dag_id: t.dag_id,
        run_id: t.run_id,
        task_id: t.task_id,
        map_index: t.map_index,
        try_number: t.try_number,
        state: t.state,
        operator: t.operator,
        started_at: micros(t.started_at),
        ended_at: micros(t.ended_at),
        duration_secs: t.duration_secs,
        log_url: (!t.log_url.is_empty()).then_some(t.log_url),
    }
}

/// Times as the store keeps them (microseconds).
fn micros(t: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    use chrono::SubsecRound;
    t.map(|t| t.trunc_subsecs(6))
}
