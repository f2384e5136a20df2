//! Integration tests: the real app on port 0 against a fresh database per test, on SQLite and on MySQL/MariaDB
//! (`DOBERMAN_TEST_MYSQL_URL`; `DOBERMAN_TEST_REQUIRE_MYSQL=1` makes a missing server a failure).

mod alerts;
mod aws;
mod catalog;
mod cli;
mod collect;
mod connector;
mod cost;
mod delivery;
mod demo;
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
