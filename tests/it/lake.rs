//! A data lake in the moto server for the collector tests: each test gets its own AWS account (moto keeps one
//! backend per account, reached by assuming a role in it), so tests sharing one moto server never see each
//! other's catalog or history. A fault proxy in front of moto injects the failures moto cannot make.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_sdk_glue::config::{Credentials, SharedCredentialsProvider};
use aws_sdk_glue::types::{Column, DatabaseInput, PartitionInput, StorageDescriptor, TableInput};
use doberman::collect::{Ctx, Runner, Silent};
use doberman::config::Config;
use doberman::store::Store;

use crate::support::TestDb;

const MOTO_URL_VAR: &str = "DOBERMAN_TEST_MOTO_URL";

/// The moto server's URL: a case that needs it is `#[ignore]`d, so it runs only when asked for
/// (`-- --include-ignored`), and then a missing URL fails it.
pub fn moto_url() -> String {
    std::env::var(MOTO_URL_VAR).unwrap_or_else(|_| {
        panic!("this case needs moto: start tests/peers/moto_server.py and set {MOTO_URL_VAR}")
    })
}

/// The credentials every test starts from (moto accepts any).
pub fn base_credentials() -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(Credentials::new("testing", "testing", None, None, "tests"))
}

/// One account of its own in moto, with clients to seed it.
pub struct Lake {
    /// moto's URL.
    pub url: String,
    /// The 12-digit account id.
    pub account_id: String,
    /// Glue in that account (us-east-1).
    pub glue: aws_sdk_glue::Client,
    /// Athena in that account (us-east-1).
    pub athena: aws_sdk_athena::Client,
}

impl Lake {
    /// A fresh account in the moto server of `DOBERMAN_TEST_MOTO_URL`.
    pub async fn new() -> Lake {
        Lake::on(moto_url()).await
    }

    /// A fresh account in the moto server at `url`.
    pub async fn on(url: String) -> Lake {
        let account_id = format!("{:012}", fastrand::u64(100_000_000_000..999_999_999_999));
        let base = aws_config::defaults(BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(&url)
            .credentials_provider(base_credentials())
            .load()
            .await;
        let role = aws_config::sts::AssumeRoleProvider::builder(format!(
            "arn:aws:iam::{account_id}:role/seed"
        ))
        .session_name("seed")
        .configure(&base)
        .build()
        .await;
        let shared = aws_config::defaults(BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(&url)
            .credentials_provider(SharedCredentialsProvider::new(role))
            .load()
            .await;
        Lake {
            url,
            account_id,
            glue: aws_sdk_glue::Client::new(&shared),
            athena: aws_sdk_athena::Client::new(&shared),
        }
    }

    /// `aws.accounts` naming this account as `lake`, reached through `endpoint` (moto or a proxy in front).
    pub fn env(&self, endpoint: &str) -> Vec<(String, String)> {
        vec![
            ("DOBERMAN_AWS__REGION".into(), "us-east-1".into()),
            ("DOBERMAN_AWS__ENDPOINT_URL".into(), endpoint.into()),
            ("DOBERMAN_AWS__MAX_ATTEMPTS".into(), "2".into()),
            (
                "DOBERMAN_AWS__ACCOUNTS".into(),
                format!(
                    r#"[{{"name": "lake", "role_arn": "arn:aws:iam::{}:role/doberman", "regions": ["us-east-1"]}}]"#,
                    self.account_id
                ),
            ),
        ]
    }

    /// The configuration of a Doberman watching this account through `endpoint`, with `extra` settings.
    pub fn config(&self, db: &TestDb, endpoint: &str, extra: &[(&str, &str)]) -> Config {
        let env = self.env(endpoint);
        let mut all: Vec<(&str, &str)> =
            env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        all.extend_from_slice(extra);
        db.config_with(&all)
    }

    pub async fn create_database(&self, name: &str, description: &str) {
        self.glue
            .create_database()
            .database_input(
                DatabaseInput::builder()
                    .name(name)
                    .description(description)
                    .build()
                    .expect("database input"),
            )
            .send()
            .await
            .expect("create database");
    }

    /// A table with `columns` (name, type, comment) and partition keys; `parameters` as given.
    pub async fn create_table(
        &self,
        database: &str,
        name: &str,
        columns: &[(&str, &str, &str)],
        partition_keys: &[&str],
        table_type: &str,
        parameters: &[(&str, &str)],
    ) {
        self.glue
            .create_table()
            .database_name(database)
            .table_input(table_input(
                name,
                columns,
                partition_keys,
                table_type,
                parameters,
            ))
            .send()
            .await
            .expect("create table");
    }

    /// Replaces a table's definition (moto sets UpdateTime).
    pub async fn update_table(
        &self,
        database: &str,
        name: &str,
        columns: &[(&str, &str, &str)],
        partition_keys: &[&str],
    ) {
        self.glue
            .update_table()
            .database_name(database)
            .table_input(table_input(
                name,
                columns,
                partition_keys,
                "EXTERNAL_TABLE",
                &[],
            ))
            .send()
            .await
            .expect("update table");
    }

    pub async fn create_partitions(&self, database: &str, table: &str, values: &[&str]) {
        for v in values {
            self.glue
                .create_partition()
                .database_name(database)
                .table_name(table)
                .partition_input(PartitionInput::builder().values(*v).build())
                .send()
                .await
                .expect("create partition");
            // Creation times must differ for "newest" to mean something.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    pub async fn delete_table(&self, database: &str, name: &str) {
        self.glue
            .delete_table()
            .database_name(database)
            .name(name)
            .send()
            .await
            .expect("delete table");
    }

    pub async fn delete_database(&self, name: &str) {
        self.glue
            .delete_database()
            .name(name)
            .send()
            .await
            .expect("delete database");
    }

    pub async fn create_work_group(&self, name: &str) {
        self.athena
            .create_work_group()
            .name(name)
            .send()
            .await
            .expect("create work group");
    }

    /// Queues a result set (a header row of `columns` is added, as Athena sends it) for the account's next
    /// query that reads results (moto's static results, first in first out). `None` is NULL.
    pub async fn seed_results(&self, columns: &[(&str, &str)], rows: &[Vec<Option<String>>]) {
        let cell = |v: &Option<String>| match v {
            Some(s) => serde_json::json!({ "VarCharValue": s }),
            None => serde_json::json!({}),
        };
        let header: Vec<serde_json::Value> = columns
            .iter()
            .map(|(n, _)| serde_json::json!({ "VarCharValue": n }))
            .collect();
        let mut all = vec![serde_json::json!({ "Data": header })];
        all.extend(
            rows.iter()
                .map(|r| serde_json::json!({ "Data": r.iter().map(cell).collect::<Vec<_>>() })),
        );
        let body = serde_json::json!({
            "account_id": self.account_id,
            "region": "us-east-1",
            "results": [{
                "rows": all,
                "column_info": columns.iter().map(|(n, t)| serde_json::json!({
                    "CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": n, "Label": n,
                    "Type": t, "Precision": 0, "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": false
                })).collect::<Vec<_>>(),
            }],
        });
        let status = reqwest::Client::new()
            .post(format!("{}/moto-api/static/athena/query-results", self.url))
            .json(&body)
            .send()
            .await
            .expect("seed results")
            .status();
        assert!(status.is_success(), "seeding answered {status}");
    }

    /// Athena in this account, reached through `proxy` (which passes on to moto what it does not inject).
    pub fn athena_via(&self, proxy: &FaultProxy) -> aws_sdk_athena::Client {
        aws_sdk_athena::Client::from_conf(
            self.athena
                .config()
                .to_builder()
                .endpoint_url(&proxy.url)
                .build(),
        )
    }

    /// Starts a query in `work_group` with `database` as its context; its id.
    pub async fn query(&self, work_group: &str, database: &str, sql: &str) -> String {
        self.athena
            .start_query_execution()
            .work_group(work_group)
            .query_string(sql)
            .query_execution_context(
                aws_sdk_athena::types::QueryExecutionContext::builder()
                    .database(database)
                    .build(),
            )
            .result_configuration(
                aws_sdk_athena::types::ResultConfiguration::builder()
                    .output_location("s3://results/")
                    .build(),
            )
            .send()
            .await
            .expect("start query")
            .query_execution_id
            .expect("an id")
    }
}

fn table_input(
    name: &str,
    columns: &[(&str, &str, &str)],
    partition_keys: &[&str],
    table_type: &str,
    parameters: &[(&str, &str)],
) -> TableInput {
    let column = |(n, t, c): &(&str, &str, &str)| {
        let mut b = Column::builder().name(*n).r#type(*t);
        if !c.is_empty() {
            b = b.comment(*c);
        }
        b.build().expect("column")
    };
    let mut sd = StorageDescriptor::builder()
        .location(format!("s3://lake/{name}/"))
        .input_format("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
    for c in columns {
        sd = sd.columns(column(c));
    }
    let mut t = TableInput::builder()
        .name(name)
        .table_type(table_type)
        .storage_descriptor(sd.build());
    for k in partition_keys {
        t = t.partition_keys(column(&(*k, "string", "")));
    }
    for (k, v) in parameters {
        t = t.parameters(*k, *v);
    }
    t.build().expect("table input")
}

/// A runner for `config` on `store`, from the test's base credentials.
pub fn runner(config: &Config, store: &Store) -> Runner {
    let ctx = Ctx::new(
        config,
        store.clone(),
        Some(base_credentials()),
        Arc::new(Silent),
    );
    Runner::new(
        Arc::new(ctx),
        doberman::supervise::holder_id(),
        Duration::from_secs(u64::from(config.schedule.lease_secs)),
    )
}

/// (operation, text the body contains) → (AWS error type, how many more times; `None`: always).
type Faults = HashMap<(String, String), (String, Option<u32>)>;

/// An HTTP proxy in front of moto that answers chosen AWS operations with an error instead of passing them on:
/// what moto itself cannot be made to do.
pub struct FaultProxy {
    /// The proxy's URL, for `aws.endpoint_url`.
    pub url: String,
    /// `X-Amz-Target` operation (e.g. `AWSGlue.GetTables`) plus a text the request body must contain → the AWS
    /// error type to answer with.
    faults: Arc<Mutex<Faults>>,
    /// Operations answered only after this long.
    delays: Arc<Mutex<HashMap<String, Duration>>>,
    /// Requests seen, by operation.
    seen: Arc<Mutex<HashMap<String, usize>>>,
    /// Operations answered with this JSON (200) instead of moto's answer.
    answers: Arc<Mutex<HashMap<String, serde_json::Value>>>,
    server: tokio::task::JoinHandle<()>,
}

impl FaultProxy {
    pub async fn start(upstream: &str) -> FaultProxy {
        let faults: Arc<Mutex<Faults>> = Arc::default();
        let delays: Arc<Mutex<HashMap<String, Duration>>> = Arc::default();
        let answers: Arc<Mutex<HashMap<String, serde_json::Value>>> = Arc::default();
        let seen: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fault proxy");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let upstream = upstream.trim_end_matches('/').to_owned();
        let http = reqwest::Client::new();
        let app = axum::Router::new().fallback({
            let (faults, delays, answers, seen) = (
                faults.clone(),
                delays.clone(),
                answers.clone(),
                seen.clone(),
            );
            move |request: axum::extract::Request| {
                let (faults, delays, answers, seen, http, upstream) = (
                    faults.clone(),
                    delays.clone(),
                    answers.clone(),
                    seen.clone(),
                    http.clone(),
                    upstream.clone(),
                );
                async move {
                    let target = request
                        .headers()
                        .get("x-amz-target")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    *seen
                        .lock()
                        .expect("seen lock")
                        .entry(target.clone())
                        .or_default() += 1;
                    let delay = delays.lock().expect("delays lock").get(&target).copied();
                    if let Some(delay) = delay {
                        tokio::time::sleep(delay).await;
                    }
                    let answer = answers.lock().expect("answers lock").get(&target).cloned();
                    if let Some(answer) = answer {
                        use axum::response::IntoResponse;
                        return (
                            [("content-type", "application/x-amz-json-1.1")],
                            answer.to_string(),
                        )
                            .into_response();
                    }
                    forward(request, &faults, &http, &upstream).await
                }
            }
        });
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FaultProxy {
            url,
            faults,
            delays,
            seen,
            answers,
            server,
        }
    }

    /// From now on, `operation` requests whose body contains `needle` fail with `error_type` (a 400).
    pub fn fail(&self, operation: &str, needle: &str, error_type: &str) {
        self.faults.lock().expect("faults lock").insert(
            (operation.to_owned(), needle.to_owned()),
            (error_type.to_owned(), None),
        );
    }

    /// Like [`FaultProxy::fail`], for the next `times` matching requests only.
    pub fn fail_times(&self, operation: &str, needle: &str, error_type: &str, times: u32) {
        self.faults.lock().expect("faults lock").insert(
            (operation.to_owned(), needle.to_owned()),
            (error_type.to_owned(), Some(times)),
        );
    }

    /// From now on, `operation` requests are answered only after `delay`.
    pub fn slow(&self, operation: &str, delay: Duration) {
        self.delays
            .lock()
            .expect("delays lock")
            .insert(operation.to_owned(), delay);
    }

    /// From now on, `operation` requests are answered with `body` (200), never reaching moto.
    pub fn answer(&self, operation: &str, body: serde_json::Value) {
        self.answers
            .lock()
            .expect("answers lock")
            .insert(operation.to_owned(), body);
    }

    /// How many `operation` requests reached the proxy.
    pub fn calls(&self, operation: &str) -> usize {
        self.seen
            .lock()
            .expect("seen lock")
            .get(operation)
            .copied()
            .unwrap_or(0)
    }

    /// Stops injecting.
    pub fn heal(&self) {
        self.answers.lock().expect("answers lock").clear();
        self.faults.lock().expect("faults lock").clear();
        self.delays.lock().expect("delays lock").clear();
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn forward(
    request: axum::extract::Request,
    faults: &Mutex<Faults>,
    http: &reqwest::Client,
    upstream: &str,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 64 << 20)
        .await
        .unwrap_or_default();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = String::from_utf8_lossy(&body);
    let fault = {
        let mut faults = faults.lock().expect("faults lock");
        let key = faults
            .iter()
            .find(|((op, needle), _)| *op == target && text.contains(needle.as_str()))
            .map(|(k, _)| k.clone());
        key.and_then(|key| {
            let (error, left) = faults.get_mut(&key)?;
            let error = error.clone();
            match left {
                Some(0) => return None,
                Some(n) => *n -= 1,
                None => {}
            }
            Some(error)
        })
    };
    if let Some(error_type) = fault {
        let body = serde_json::json!({"__type": error_type, "message": "injected by the test's fault proxy"});
        return (
            axum::http::StatusCode::BAD_REQUEST,
            [("content-type", "application/x-amz-json-1.1")],
            body.to_string(),
        )
            .into_response();
    }
    let mut out = http.request(parts.method.clone(), format!("{upstream}{}", parts.uri));
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            out = out.header(name, value);
        }
    }
    match out.body(body).send().await {
        Ok(response) => {
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.bytes().await.unwrap_or_default();
            let mut reply = (status, bytes).into_response();
            for (name, value) in &headers {
                if name != "content-length" && name != "transfer-encoding" && name != "connection" {
                    reply.headers_mut().insert(name.clone(), value.clone());
                }
            }
            reply
        }
        Err(e) => (axum::http::StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    }
}

/// A moto server of one test's own (`tests/peers/moto_server.py` with the pinned Python), for what changes
/// moto's global state (the state manager's transitions); stopped when dropped.
pub struct PrivateMoto {
    /// Its URL.
    pub url: String,
    child: std::process::Child,
}

impl PrivateMoto {
    /// Starts one with the pinned Python of `DOBERMAN_TEST_PYTHON` (a case using it is `#[ignore]`d unless asked
    /// for).
    pub async fn start() -> PrivateMoto {
        let python = std::env::var("DOBERMAN_TEST_PYTHON").unwrap_or_else(|_| {
            panic!("this case needs the pinned Python: set DOBERMAN_TEST_PYTHON (tests/peers/python-venv.sh)")
        });
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = std::process::Command::new(python)
            .arg(format!(
                "{}/tests/peers/moto_server.py",
                env!("CARGO_MANIFEST_DIR")
            ))
            .arg(port.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start moto");
        let moto = PrivateMoto {
            url: format!("http://127.0.0.1:{port}"),
            child,
        };
        let http = reqwest::Client::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while http
            .get(format!("{}/moto-api/", moto.url))
            .send()
            .await
            .is_err()
        {
            assert!(
                std::time::Instant::now() < deadline,
                "the private moto did not start"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        moto
    }
}

impl Drop for PrivateMoto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
