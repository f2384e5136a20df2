//! Integration tests: the real app on port 0 against a fresh database per test, on SQLite and on MySQL/MariaDB
//! (`DOBERMAN_TEST_MYSQL_URL`). A case that needs a server (MySQL, moto, the pinned Python) is `#[ignore]`d with
//! the reason, so the summary line counts it; `-- --include-ignored` runs it, and then a missing server fails it.

mod airflow;
mod alerts;
mod aws;
mod catalog;
mod checks;
mod cli;
mod collect;
mod connector;
mod cost;
mod delivery;
mod demo;
mod glue_dq;
mod http;
mod lake;
mod navigate;
mod peers;
mod requests;
mod shutdown;
mod status;
mod store;
mod support;
mod teams;
mod top;
