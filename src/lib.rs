//! Doberman: the operations companion of an AWS data-lake team, living in Microsoft Teams.
//!
//! # Layout
//!
//! - [`airflow`]: Airflow's REST API (v1 on 2.x, v2 on 3.x) by hand over reqwest: sign-in, paging, retries, both
//!   majors' fields read into one shape.
//! - [`alerts`]: alert rules (jobs, freshness, cost, athena), the lifecycle as a pure plan (`alerts::lifecycle`:
//!   one card per problem updated in place, grouped, resolved), routing to subscribed chats and Workflows
//!   webhooks, the durable outbox and its delivery worker, the daily heartbeat.
//! - [`cli`]: the command line (`serve`, `migrate`, `check-config`, `ask`, `card`); `main.rs` only calls it.
//! - [`common`]: the small helpers every room uses: an error's cause chain for logs, edit distance for typos.
//! - [`collect`]: the collectors (Glue catalog, Athena query history, cost from the CUR) and the runner: job
//!   lease, `job_run` rows.
//! - [`config`]: typed settings, layered defaults < TOML file < `DOBERMAN_<SECTION>__<KEY>`, validated at load,
//!   secrets redacted: the loader, value types (`CronSpec`, `Secret`, `DatabaseUrl`), and each section's settings
//!   beside its loading; alert topics (`config::alerts::Topic`); `config::navigate` reads and checks the
//!   navigation document (`navigate.file`).
//! - [`app`]: wiring: builds the store, metrics, router and schedule, binds, runs until shutdown.
//! - [`aws`]: thin wrappers over the AWS SDK: clients per account and region (STS roles), Glue and Athena history
//!   paging, the Athena query runner (poll, timeout → stop, typed results).
//! - [`cards`]: Adaptive Cards: the template engine, the catalog of `cards/`, the kit (size guard, formatting).
//! - [`chat`]: a thin router: commands declared once, each with its handler and typed arguments
//!   (`chat::commands`), parsing, help, conversation references, what each activity does, and the pipeline from
//!   an acknowledged activity (written to the inbox) to its answer delivered, lane per conversation.
//! - [`checks`]: data checks (정합성): the checks of `checks.dir` run when due (the `checks` job) or by hand,
//!   each side where it lives (Athena with a scan limit, a system of record read-only), judged pass / fail /
//!   error into `fact_check_result`; Glue Data Quality results read in beside them.
//! - [`clock`]: the time every part reads; `DOBERMAN_NOW` starts it elsewhere (tests run on pinned days).
//! - [`demo`]: the demo data (a synthetic retail lake through the store's own writes) and its removal.
//! - [`cost`]: cost figures over the stored facts (month to date, projection, movers, anomaly score).
//! - [`manifest`]: the Teams app package: `manifest.json` from `manifest/`, the configuration and the command
//!   declarations, zipped with the icons.
//! - [`superset`]: the Superset import bundle: specs (datasets, charts, dashboards as data), the schema (columns
//!   from the MySQL migrations), Superset's chart JSON, the YAML writer, with stable UUIDs.
//! - [`i18n`]: what people read in their language: the Fluent catalogs (`locales/en`, `locales/ko`), the
//!   ambient language of the work in progress, `t!`, stored messages drawn in the reader's language, and numbers,
//!   money and times written the language's way.
//! - [`http`]: the axum edge: `/api/messages`, `/healthz`, `/readyz`, `/metrics`, request ids, tracing spans;
//!   the accept loop (connection cap, header and body timeouts).
//! - [`metrics`]: the Prometheus registry of one running app.
//! - [`requests`]: the request channel: intake of its messages as requirements (HTML read as text), and the
//!   service chat calls (`requests::Requests`): thread cards posted and refreshed, status changes told in thread.
//! - [`schedule`]: cron wiring only (tokio-cron-scheduler in `schedule.timezone`), catch-up at start, clean stop.
//! - [`sql`]: which tables an Athena statement reads and writes (pure, no I/O).
//! - [`store`]: every SQL statement, on MySQL/MariaDB or SQLite; the only place the dialects differ.
//! - [`supervise`]: long-lived tasks restarted after a panic, the health of the loops that `/readyz` reports, and
//!   the process names in claims and leases (a dead holder told at start).
//! - [`teams`]: the Bot Framework protocol: activities, inbound token validation, the connector client.

pub mod airflow;
pub mod alerts;
pub mod app;
pub mod aws;
pub mod cards;
pub mod chat;
pub mod checks;
pub mod cli;
pub mod clock;
pub mod collect;
pub mod common;
pub mod config;
pub mod cost;
pub mod demo;
pub mod http;
pub mod i18n;
pub mod manifest;
pub mod metrics;
pub mod requests;
pub mod schedule;
pub mod sql;
pub mod store;
pub mod superset;
pub mod supervise;
pub mod teams;
