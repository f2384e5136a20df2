//! Airflow's stable REST API by hand over reqwest, as the collector needs it: which API the server speaks (v1 on
//! 2.x, v2 on 3.x), signing in (basic auth on 2.x; a JWT from `/auth/token` on 3.x, taken again when refused),
//! paging every list to its `total_entries` (the server clamps `limit` to its `maximum_page_limit` silently),
//! retrying what may pass (connection errors, timeouts, 429, 5xx) within the call's time budget, and reading
//! both majors' fields into one shape. Amazon MWAA environments are read through MWAA's `InvokeRestApi` instead,
//! signed with SigV4 from the AWS credential chain ([`Mwaa`]): the same calls, each as a JSON request to
//! `POST /restapi/{environment}` on `env.airflow.{region}.amazonaws.com`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::Mutex;

use crate::config::AirflowInstance;

/// Items asked for per page; a server with a lower `maximum_page_limit` answers fewer, and paging goes on by
/// `total_entries`.
const PAGE: usize = 100;
/// Attempts of one request (the first included).
const ATTEMPTS: u32 = 3;
/// How much of an error answer's body is kept for the message.
const EXCERPT: usize = 200;

/// The HTTP client of Airflow calls: it never follows a redirect, which would carry the password or token to an
/// address nobody configured.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .user_agent(concat!("Doberman/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Which REST API the server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `/api/v1`, Airflow 2.x: basic auth.
    V1,
    /// `/api/v2`, Airflow 3.x: a JWT from `/auth/token`.
    V2,
}

impl Api {
    fn prefix(self) -> &'static str {
        match self {
            Api::V1 => "api/v1",
            Api::V2 => "api/v2",
        }
    }
}

/// Why a call to Airflow failed. Never carries the password.
#[derive(Debug, thiserror::Error)]
pub enum AirflowError {
    /// No connection, or the connection broke.
    #[error("cannot reach Airflow `{instance}` at {url}: {reason}")]
    Unreachable {
        /// Instance name.
        instance: String,
        /// The URL asked.
        url: String,
        /// What failed.
        reason: String,
    },
    /// No answer within the time budget.
    #[error("Airflow `{instance}` did not answer {what} within {secs} s")]
    Timeout {
        /// Instance name.
        instance: String,
        /// The request.
        what: String,
        /// The budget.
        secs: u64,
    },
    /// 401: the user or password is wrong.
    #[error(
        "Airflow `{instance}` refused the user `{user}` (HTTP 401): check airflow.instances' username and password"
    )]
    Unauthorized {
        /// Instance name.
        instance: String,
        /// The user.
        user: String,
    },
    /// 403: the user may not read this.
    #[error(
        "Airflow `{instance}` does not let `{user}` read {what} (HTTP 403): give the user Airflow's Viewer role"
    )]
    Forbidden {
        /// Instance name.
        instance: String,
        /// The user.
        user: String,
        /// The request.
        what: String,
    },
    /// Any other status.
    #[error("Airflow `{instance}` answered HTTP {status} to {what}: {excerpt}")]
    Status {
        /// Instance name.
        instance: String,
        /// HTTP status.
        status: u16,
        /// The request.
        what: String,
        /// The start of the body.
        excerpt: String,
    },
    /// An answer that is not what the API documents.
    #[error("Airflow `{instance}` answered {what} with something Doberman cannot read: {reason}")]
    Decode {
        /// Instance name.
        instance: String,
        /// The request.
        what: String,
        /// The parser's message.
        reason: String,
    },
    /// MWAA refused the call (its IAM policy, or the environment's name).
    #[error(
        "Amazon MWAA refused {what} on environment `{environment}` of `{instance}` ({code}): {message}"
    )]
    Mwaa {
        /// Instance name.
        instance: String,
        /// The MWAA environment.
        environment: String,
        /// The request.
        what: String,
        /// MWAA's error type, e.g. `AccessDeniedException`.
        code: String,
        /// What to do about it.
        message: String,
    },
    /// Neither API answered as Airflow does.
    #[error(
        "{url} does not answer as an Airflow web server (neither /api/v2/version nor /api/v1/version): check airflow.instances' url"
    )]
    NotAirflow {
        /// The URL.
        url: String,
    },
}

/// A DAG, as either major describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Dag {
    /// DAG id.
    pub dag_id: String,
    /// Owners.
    pub owners: Vec<String>,
    /// Tag names.
    pub tags: Vec<String>,
    /// The schedule as written (cron, preset, timedelta), when it has one.
    pub schedule: Option<String>,
    /// Airflow's description of the timetable.
    pub schedule_description: Option<String>,
    /// Paused.
    pub is_paused: bool,
    /// Still in Airflow's files (2.x `is_active`, 3.x not `is_stale`).
    pub is_active: bool,
    /// When the scheduler creates the next run.
    pub next_run_after: Option<DateTime<Utc>>,
    /// The next run's logical date.
    pub next_logical_date: Option<DateTime<Utc>>,
    /// DAG file.
    pub file_location: Option<String>,
    /// Whether its file failed to import.
    pub has_import_errors: bool,
}

/// A DAG run.
#[derive(Debug, Clone, PartialEq)]
pub struct DagRun {
    /// DAG id.
    pub dag_id: String,
    /// Run id.
    pub run_id: String,
    /// scheduled, manual, backfill, asset_triggered.
    pub run_type: String,
    /// queued, running, success, failed.
    pub state: String,
    /// Logical date.
    pub logical_date: Option<DateTime<Utc>>,
    /// When it was due.
    pub run_after: Option<DateTime<Utc>>,
    /// Queued.
    pub queued_at: Option<DateTime<Utc>>,
    /// Started.
    pub started_at: Option<DateTime<Utc>>,
    /// Ended.
    pub ended_at: Option<DateTime<Utc>>,
}

/// A failed (or up-for-retry) task try.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskTry {
    /// DAG id.
    pub dag_id: String,
    /// Run id.
    pub run_id: String,
    /// Task id.
    pub task_id: String,
    /// Mapped index, -1 when not mapped.
    pub map_index: i64,
    /// Try number.
    pub try_number: i64,
    /// failed or up_for_retry.
    pub state: String,
    /// Operator class.
    pub operator: Option<String>,
    /// Started.
    pub started_at: Option<DateTime<Utc>>,
    /// Ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Seconds.
    pub duration_secs: Option<f64>,
    /// The try's log in the UI.
    pub log_url: String,
}

/// A DAG file that failed to import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportError {
    /// The file.
    pub file_location: String,
    /// The stack trace.
    pub error_text: String,
    /// When Airflow recorded it.
    pub seen_since: Option<DateTime<Utc>>,
}

/// How to reach an Amazon MWAA environment's REST API: `InvokeRestApi` on `endpoint`, signed for `region` with
/// the credential chain's keys (the caller's IAM identity needs `airflow:InvokeRestApi` on the environment).
#[derive(Clone)]
pub struct Mwaa {
    /// The environment's name.
    pub environment: String,
    /// Its region.
    pub region: String,
    /// `https://env.airflow.{region}.amazonaws.com`, or `aws.endpoint_url` (tests).
    pub endpoint: url::Url,
    /// The AWS credentials (default chain).
    pub credentials: aws_credential_types::provider::SharedCredentialsProvider,
}

impl std::fmt::Debug for Mwaa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mwaa")
            .field("environment", &self.environment)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint.as_str())
            .finish_non_exhaustive()
    }
}

/// `InvokeRestApi` takes a `Path` of at most this many characters.
pub const MWAA_PATH_CHARS: usize = 64;

impl Mwaa {
    /// The endpoint of `region` (`env.airflow.{region}.amazonaws.com`), unless `endpoint_url` replaces it.
    pub fn endpoint_of(region: &str, endpoint_url: Option<&url::Url>) -> url::Url {
        endpoint_url.cloned().unwrap_or_else(|| {
            url::Url::parse(&format!("https://env.airflow.{region}.amazonaws.com/"))
                .expect("a region makes a valid host")
        })
    }
}

/// A signed-in client of one instance.
pub struct Client {
    http: reqwest::Client,
    instance: String,
    /// The web server, for log links (`None`: an MWAA environment whose `url` was not given).
    web: Option<url::Url>,
    base: url::Url,
    mwaa: Option<Mwaa>,
    api: Api,
    version: String,
    username: String,
    password: String,
    budget: Duration,
    token: Mutex<Option<String>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("instance", &self.instance)
            .field("base", &self.base.as_str())
            .field("api", &self.api)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// What one page of a list looks like on either major.
#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    total_entries: Option<u64>,
    #[serde(flatten)]
    rest: serde_json::Map<String, Value>,
}

impl Client {
    /// Finds which API `instance` speaks and signs in; `budget` bounds each call, its retries included. An MWAA
    /// environment (`mwaa`, for an instance with `mwaa_environment`) is asked its version through
    /// `InvokeRestApi`.
    pub async fn connect(
        http: reqwest::Client,
        instance: &AirflowInstance,
        budget: Duration,
        mwaa: Option<Mwaa>,
    ) -> Result<Client, AirflowError> {
        let with_slash = |mut u: url::Url| {
            if !u.path().ends_with('/') {
                let path = format!("{}/", u.path());
                u.set_path(&path);
            }
            u
        };
        let raw = instance.url.clone().unwrap_or_default();
        let web = url::Url::parse(&raw).ok().map(with_slash);
        let base = match (&mwaa, &web) {
            (Some(m), _) => with_slash(m.endpoint.clone()),
            (None, Some(w)) => w.clone(),
            (None, None) => return Err(AirflowError::NotAirflow { url: raw }),
        };
        if let Some(m) = mwaa {
            let mut client = Client {
                http,
                instance: instance.name.clone(),
                web,
                base,
                mwaa: Some(m),
                api: Api::V1,
                version: String::new(),
                username: String::new(),
                password: String::new(),
                budget,
                token: Mutex::new(None),
            };
            let version = client
                .get("the version", &["version"], &[])
                .await?
                .and_then(|v| v["version"].as_str().map(str::to_owned))
                .ok_or_else(|| client.decode_error("the version", &"no version"))?;
            client.api = if version.starts_with("2.") {
                Api::V1
            } else {
                Api::V2
            };
            client.version = version;
            return Ok(client);
        }
        let mut client = Client {
            http,
            instance: instance.name.clone(),
            web,
            base,
            mwaa: None,
            api: Api::V2,
            version: String::new(),
            username: instance.username.clone().unwrap_or_default(),
            password: instance.password.clone().unwrap_or_default(),
            budget,
            token: Mutex::new(None),
        };
        let mut found = None;
        for api in [Api::V2, Api::V1] {
            let url = client.url(&format!("{}/version", api.prefix()));
            match client
                .send_retrying("the version", || client.http.get(url.clone()))
                .await
            {
                Ok((200, body)) => {
                    let version: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    if let Some(v) = version["version"].as_str() {
                        found = Some((api, v.to_owned()));
                        break;
                    }
                }
                // The other major answers 404 (or, behind some proxies, 401/403 for an unknown path).
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
        let (api, version) = found.ok_or(AirflowError::NotAirflow { url: raw })?;
        client.api = api;
        client.version = version;
        if api == Api::V2 {
            client.sign_in().await?;
        }
        Ok(client)
    }

    /// The API it speaks.
    pub fn api(&self) -> Api {
        self.api
    }

    /// Airflow's version, e.g. `3.1.8`.
    pub fn version(&self) -> &str {
        &self.version
    }

    fn url(&self, path: &str) -> url::Url {
        self.base
            .join(path)
            .expect("a relative path joins onto an http(s) base")
    }

    /// Takes a JWT (3.x).
    async fn sign_in(&self) -> Result<(), AirflowError> {
        let url = self.url("auth/token");
        let body = serde_json::json!({"username": self.username, "password": self.password});
        let (status, answer) = self
            .send_retrying("the sign-in (/auth/token)", || {
                self.http.post(url.clone()).json(&body)
            })
            .await?;
        match status {
            200 | 201 => {}
            401 | 403 => {
                return Err(AirflowError::Unauthorized {
                    instance: self.instance.clone(),
                    user: self.username.clone(),
                });
            }
            _ => return Err(self.status_error(status, "the sign-in (/auth/token)", &answer)),
        }
        let token: Value =
            serde_json::from_slice(&answer).map_err(|e| self.decode_error("the sign-in", &e))?;
        let token = token["access_token"]
            .as_str()
            .ok_or_else(|| AirflowError::Decode {
                instance: self.instance.clone(),
                what: "the sign-in".into(),
                reason: "no access_token".into(),
            })?;
        *self.token.lock().await = Some(token.to_owned());
        Ok(())
    }

    /// GETs the path of `segments` (under the API prefix, each escaped) with `query`, signed in; a refused 3.x
    /// token is taken again once. `Ok(None)` for 404.
    async fn get(
        &self,
        what: &str,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Result<Option<Value>, AirflowError> {
        if let Some(mwaa) = &self.mwaa {
            let path = mwaa_path(segments);
            return self.invoke(mwaa, what, "GET", &path, query, None).await;
        }
        let mut url = self.url(self.api.prefix());
        url.path_segments_mut()
            .map(|mut p| {
                p.pop_if_empty().extend(segments);
            })
            .ok();
        if !query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
        }
        for attempt in 0..2 {
            let token = self.token.lock().await.clone();
            let (status, body) = self
                .send_retrying(what, || {
                    let request = self.http.get(url.clone());
                    match (self.api, &token) {
                        (Api::V2, Some(token)) => request.bearer_auth(token),
                        _ => request.basic_auth(&self.username, Some(&self.password)),
                    }
                })
                .await?;
            match status {
                200 => {
                    return serde_json::from_slice(&body)
                        .map(Some)
                        .map_err(|e| self.decode_error(what, &e));
                }
                404 => return Ok(None),
                // 3.x answers 401 to an expired token and 403 to one it cannot verify (its key changed): sign in
                // again, once.
                401 | 403 if self.api == Api::V2 && attempt == 0 => self.sign_in().await?,
                401 => {
                    return Err(AirflowError::Unauthorized {
                        instance: self.instance.clone(),
                        user: self.username.clone(),
                    });
                }
                403 => {
                    return Err(AirflowError::Forbidden {
                        instance: self.instance.clone(),
                        user: self.username.clone(),
                        what: what.to_owned(),
                    });
                }
                _ => return Err(self.status_error(status, what, &body)),
            }
        }
        unreachable!("the second attempt returns")
    }

    /// One call through MWAA's `InvokeRestApi`: `method` on `path` (under the API root, at most
    /// [`MWAA_PATH_CHARS`]) with `query` and `body`, signed with SigV4 (service `airflow`) on every attempt.
    /// Airflow's status comes back as `RestApiStatusCode`; MWAA's own refusals (IAM, an unknown environment) as
    /// errors of their own. `Ok(None)` for Airflow's 404.
    async fn invoke(
        &self,
        mwaa: &Mwaa,
        what: &str,
        method: &str,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Option<Value>, AirflowError> {
        use aws_credential_types::provider::ProvideCredentials;
        if path.chars().count() > MWAA_PATH_CHARS {
            return Err(AirflowError::Mwaa {
                instance: self.instance.clone(),
                environment: mwaa.environment.clone(),
                what: what.to_owned(),
                code: "PathTooLong".to_owned(),
                message: format!(
                    "InvokeRestApi takes paths of at most {MWAA_PATH_CHARS} characters; `{path}` is longer"
                ),
            });
        }
        let mut parameters = serde_json::Map::new();
        for (k, v) in query {
            parameters.insert((*k).to_owned(), Value::String(v.clone()));
        }
        let mut request = serde_json::json!({"Path": path, "Method": method});
        if !parameters.is_empty() {
            request["QueryParameters"] = Value::Object(parameters);
        }
        if let Some(body) = body {
            request["Body"] = body.clone();
        }
        let payload = serde_json::to_vec(&request).expect("JSON of JSON values");
        let url = self
            .base
            .join(&format!(
                "restapi/{}",
                percent_encoding::utf8_percent_encode(
                    &mwaa.environment,
                    percent_encoding::NON_ALPHANUMERIC
                )
            ))
            .expect("a relative path joins onto an http(s) base");
        let credentials =
            mwaa.credentials
                .provide_credentials()
                .await
                .map_err(|e| AirflowError::Mwaa {
                    instance: self.instance.clone(),
                    environment: mwaa.environment.clone(),
                    what: what.to_owned(),
                    code: "NoCredentials".to_owned(),
                    message: format!(
                        "no AWS credentials from the default chain: {}",
                        crate::common::error_chain(&e)
                    ),
                })?;
        let identity = credentials.into();
        let (status, answer) = self
            .send_retrying(what, || {
                let mut builder = self
                    .http
                    .post(url.clone())
                    .header("content-type", "application/json")
                    .body(payload.clone());
                let params = aws_sigv4::sign::v4::SigningParams::builder()
                    .identity(&identity)
                    .region(&mwaa.region)
                    .name("airflow")
                    // The wall clock, not Doberman's (which DOBERMAN_NOW may move): AWS checks it.
                    .time(std::time::SystemTime::now())
                    .settings(aws_sigv4::http_request::SigningSettings::default())
                    .build()
                    .expect("every signing parameter is set")
                    .into();
                let signable = aws_sigv4::http_request::SignableRequest::new(
                    "POST",
                    url.as_str(),
                    [("content-type", "application/json")].into_iter(),
                    aws_sigv4::http_request::SignableBody::Bytes(&payload),
                );
                if let Ok(signed) = signable.and_then(|r| aws_sigv4::http_request::sign(r, &params))
                {
                    let (instructions, _) = signed.into_parts();
                    for (name, value) in instructions.headers() {
                        builder = builder.header(name, value);
                    }
                }
                builder
            })
            .await?;
        let answer: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
        let airflow_status = answer["RestApiStatusCode"].as_u64();
        match (status, airflow_status) {
            (200, Some(200)) => Ok(Some(answer["RestApiResponse"].clone())),
            // Airflow's own refusals come back wrapped (RestApiClientException, RestApiServerException).
            (_, Some(404)) => Ok(None),
            (_, Some(code)) => Err(self.status_error(
                code as u16,
                what,
                answer["RestApiResponse"].to_string().as_bytes(),
            )),
            _ => {
                let code = answer["__type"]
                    .as_str()
                    .or(answer["code"].as_str())
                    .map(|t| t.rsplit('#').next().unwrap_or(t).to_owned())
                    .unwrap_or_else(|| format!("HTTP {status}"));
                let said = answer["Message"]
                    .as_str()
                    .or(answer["message"].as_str())
                    .unwrap_or_default();
                let message = match code.as_str() {
                    "AccessDeniedException" => format!(
                        "the AWS identity may not call it: allow airflow:InvokeRestApi on the environment ({said})"
                    ),
                    "ResourceNotFoundException" => format!(
                        "no such environment in {}: check mwaa_environment and aws.region ({said})",
                        mwaa.region
                    ),
                    _ => said.to_owned(),
                };
                Err(AirflowError::Mwaa {
                    instance: self.instance.clone(),
                    environment: mwaa.environment.clone(),
                    what: what.to_owned(),
                    code,
                    message,
                })
            }
        }
    }

    /// Sends what `request` builds, retrying connection errors, timeouts, 429 and 5xx with a short back-off,
    /// all within the budget. Returns the final status and body.
    async fn send_retrying(
        &self,
        what: &str,
        request: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<(u16, Vec<u8>), AirflowError> {
        let deadline = tokio::time::Instant::now() + self.budget;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let outcome = tokio::time::timeout(left, async {
                let response = request().send().await?;
                let status = response.status().as_u16();
                let body = response.bytes().await?.to_vec();
                Ok::<_, reqwest::Error>((status, body))
            })
            .await;
            // What this attempt ends with if it is the last: the answer that may pass, or the broken connection.
            let last = match outcome {
                Ok(Ok((status, body))) if status == 429 || status >= 500 => Ok((status, body)),
                Ok(Ok(answer)) => return Ok(answer),
                Ok(Err(e)) => Err(AirflowError::Unreachable {
                    instance: self.instance.clone(),
                    url: self.base.to_string(),
                    reason: crate::common::error_chain(&e),
                }),
                Err(_) => {
                    return Err(AirflowError::Timeout {
                        instance: self.instance.clone(),
                        what: what.to_owned(),
                        secs: self.budget.as_secs(),
                    });
                }
            };
            let pause = Duration::from_millis(250 * 2u64.pow(attempt - 1));
            if attempt >= ATTEMPTS || tokio::time::Instant::now() + pause >= deadline {
                return last;
            }
            tracing::debug!(instance = %self.instance, what, attempt, "retrying an Airflow call");
            tokio::time::sleep(pause).await;
        }
    }

    fn status_error(&self, status: u16, what: &str, body: &[u8]) -> AirflowError {
        let text = String::from_utf8_lossy(body);
        let excerpt: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let excerpt: String = excerpt.chars().take(EXCERPT).collect();
        AirflowError::Status {
            instance: self.instance.clone(),
            status,
            what: what.to_owned(),
            excerpt,
        }
    }

    fn decode_error(&self, what: &str, e: &dyn std::fmt::Display) -> AirflowError {
        AirflowError::Decode {
            instance: self.instance.clone(),
            what: what.to_owned(),
            reason: e.to_string(),
        }
    }

    /// Every item of the list at `path` (its items under `key`), page by page until `total_entries`, each page
    /// handed to `sink` as it comes (a first collection of a large instance never holds its JSON at once).
    async fn each_page(
        &self,
        what: &str,
        path: &str,
        key: &str,
        filters: &[(&str, String)],
        mut sink: impl FnMut(Vec<Value>) -> Result<(), AirflowError>,
    ) -> Result<(), AirflowError> {
        let segments: Vec<&str> = path.split('/').collect();
        let mut seen = 0usize;
        loop {
            let mut query: Vec<(&str, String)> = filters.to_vec();
            query.push(("limit", PAGE.to_string()));
            query.push(("offset", seen.to_string()));
            let Some(answer) = self.get(what, &segments, &query).await? else {
                return Err(self.status_error(404, what, b"not found"));
            };
            let mut page: Page =
                serde_json::from_value(answer).map_err(|e| self.decode_error(what, &e))?;
            let Some(Value::Array(got)) = page.rest.remove(key) else {
                return Err(self.decode_error(what, &format!("no `{key}` list")));
            };
            let empty = got.is_empty();
            seen += got.len();
            sink(got)?;
            match page.total_entries {
                Some(total) if (seen as u64) < total && !empty => {}
                _ => return Ok(()),
            }
        }
    }

    /// Every item of the list at `path`.
    async fn list(
        &self,
        what: &str,
        path: &str,
        key: &str,
        filters: &[(&str, String)],
    ) -> Result<Vec<Value>, AirflowError> {
        let mut items = Vec::new();
        self.each_page(what, path, key, filters, |got| {
            items.extend(got);
            Ok(())
        })
        .await?;
        Ok(items)
    }

    /// Every DAG, stale or paused ones included.
    pub async fn dags(&self) -> Result<Vec<Dag>, AirflowError> {
        let filters: Vec<(&str, String)> = match self.api {
            Api::V1 => vec![("only_active", "false".into())],
            Api::V2 => vec![("exclude_stale", "false".into())],
        };
        let raw = self.list("the DAGs", "dags", "dags", &filters).await?;
        raw.iter()
            .map(|v| {
                parse_dag(v, self.api)
                    .ok_or_else(|| self.decode_error("the DAGs", &"a DAG without dag_id"))
            })
            .collect()
    }

    /// Runs of every DAG updated since `since`, oldest first, page by page to `sink`.
    pub async fn runs_updated_since(
        &self,
        since: DateTime<Utc>,
        mut sink: impl FnMut(Vec<DagRun>),
    ) -> Result<(), AirflowError> {
        let filters = vec![
            (
                "updated_at_gte",
                since.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            ),
            ("order_by", "id".to_owned()),
        ];
        self.each_page(
            "the DAG runs",
            "dags/~/dagRuns",
            "dag_runs",
            &filters,
            |page| {
                let runs = page
                    .iter()
                    .map(|v| {
                        parse_run(v).ok_or_else(|| {
                            self.decode_error("the DAG runs", &"a run without dag_id or dag_run_id")
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                sink(runs);
                Ok(())
            },
        )
        .await
    }

    /// One run, or `None` when Airflow no longer has it. Through MWAA, a run whose path is longer than
    /// `InvokeRestApi` takes is looked for among its DAG's newest runs with the `~/dagRuns/list` batch endpoint.
    pub async fn run(&self, dag_id: &str, run_id: &str) -> Result<Option<DagRun>, AirflowError> {
        if let Some(mwaa) = &self.mwaa
            && mwaa_path(&["dags", dag_id, "dagRuns", run_id])
                .chars()
                .count()
                > MWAA_PATH_CHARS
        {
            for page in 0..RUN_SEARCH_PAGES {
                let body = serde_json::json!({
                    "dag_ids": [dag_id],
                    "order_by": "-execution_date",
                    "page_offset": page * PAGE,
                    "page_limit": PAGE,
                });
                let Some(answer) = self
                    .invoke(
                        mwaa,
                        "a DAG run",
                        "POST",
                        "/dags/~/dagRuns/list",
                        &[],
                        Some(&body),
                    )
                    .await?
                else {
                    return Ok(None);
                };
                let runs = answer["dag_runs"].as_array().cloned().unwrap_or_default();
                if let Some(v) = runs
                    .iter()
                    .find(|r| r["dag_run_id"].as_str() == Some(run_id))
                {
                    return Ok(parse_run(v));
                }
                if runs.len() < PAGE {
                    break;
                }
            }
            tracing::warn!(instance = %self.instance, dag_id, run_id, "a failed try's run was not among its DAG's newest runs; the try is left out");
            return Ok(None);
        }
        let Some(v) = self
            .get("a DAG run", &["dags", dag_id, "dagRuns", run_id], &[])
            .await?
        else {
            return Ok(None);
        };
        parse_run(&v)
            .map(Some)
            .ok_or_else(|| self.decode_error("a DAG run", &"a run without dag_id or dag_run_id"))
    }

    /// Failed and up-for-retry task tries updated since `since`: one list per state (`InvokeRestApi` takes one
    /// value per query parameter).
    pub async fn failed_tries_since(
        &self,
        since: DateTime<Utc>,
    ) -> Result<Vec<TaskTry>, AirflowError> {
        let mut tries = Vec::new();
        for state in ["failed", "up_for_retry"] {
            let filters = vec![
                ("state", state.to_owned()),
                (
                    "updated_at_gte",
                    since.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
                ),
            ];
            self.each_page(
                "the failed tasks",
                "dags/~/dagRuns/~/taskInstances",
                "task_instances",
                &filters,
                |page| {
                    for v in &page {
                        tries.push(parse_try(v, self.api, self.web.as_ref()).ok_or_else(|| {
                            self.decode_error("the failed tasks", &"a task instance without ids")
                        })?);
                    }
                    Ok(())
                },
            )
            .await?;
        }
        Ok(tries)
    }

    /// The DAG files that fail to import now.
    pub async fn import_errors(&self) -> Result<Vec<ImportError>, AirflowError> {
        let raw = self
            .list("the import errors", "importErrors", "import_errors", &[])
            .await?;
        Ok(raw
            .iter()
            .filter_map(|v| {
                Some(ImportError {
                    file_location: v["filename"].as_str()?.to_owned(),
                    error_text: v["stack_trace"].as_str().unwrap_or_default().to_owned(),
                    seen_since: time(&v["timestamp"]),
                })
            })
            .collect())
    }
}

/// Pages of a DAG's newest runs searched for one run through MWAA.
const RUN_SEARCH_PAGES: usize = 5;

/// `InvokeRestApi`'s `Path` for `segments`: under the API root, each segment escaped as in a URL.
fn mwaa_path(segments: &[&str]) -> String {
    let mut url = url::Url::parse("http://x/").expect("a constant URL");
    url.path_segments_mut()
        .map(|mut p| {
            p.pop_if_empty().extend(segments);
        })
        .ok();
    url.path().to_owned()
}

fn time(v: &Value) -> Option<DateTime<Utc>> {
    v.as_str()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&Utc))
}

fn text(v: &Value) -> Option<String> {
    v.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

/// 2.x `schedule_interval` (`{"__type": "CronExpression", "value": …}`, a `TimeDelta`, …) or 3.x
/// `timetable_summary`, as one line.
fn schedule_of(v: &Value, api: Api) -> Option<String> {
    if api == Api::V2 {
        return text(&v["timetable_summary"]);
    }
    let s = &v["schedule_interval"];
    match s["__type"].as_str() {
        Some("CronExpression") => text(&s["value"]),
        Some("TimeDelta") => {
            let secs =
                s["days"].as_i64().unwrap_or(0) * 86_400 + s["seconds"].as_i64().unwrap_or(0);
            Some(every(secs))
        }
        Some(other) => Some(other.to_owned()),
        None => text(&v["timetable_summary"]),
    }
}

/// `every 1d`, `every 6h`, `every 90m`, `every 45s`: a timedelta schedule.
fn every(secs: i64) -> String {
    match secs {
        s if s > 0 && s % 86_400 == 0 => format!("every {}d", s / 86_400),
        s if s > 0 && s % 3_600 == 0 => format!("every {}h", s / 3_600),
        s if s > 0 && s % 60 == 0 => format!("every {}m", s / 60),
        s => format!("every {s}s"),
    }
}

fn parse_dag(v: &Value, api: Api) -> Option<Dag> {
    let names = |list: &Value, field: Option<&str>| -> Vec<String> {
        list.as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| match field {
                        Some(f) => i[f].as_str(),
                        None => i.as_str(),
                    })
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    Some(Dag {
        dag_id: text(&v["dag_id"])?,
        owners: names(&v["owners"], None),
        tags: names(&v["tags"], Some("name")),
        schedule: schedule_of(v, api),
        schedule_description: text(&v["timetable_description"]),
        is_paused: v["is_paused"].as_bool().unwrap_or(false),
        is_active: match api {
            Api::V1 => v["is_active"].as_bool().unwrap_or(true),
            Api::V2 => !v["is_stale"].as_bool().unwrap_or(false),
        },
        next_run_after: time(&v["next_dagrun_run_after"])
            .or_else(|| time(&v["next_dagrun_create_after"])),
        next_logical_date: time(&v["next_dagrun_logical_date"]).or_else(|| time(&v["next_dagrun"])),
        file_location: text(&v["fileloc"]),
        has_import_errors: v["has_import_errors"].as_bool().unwrap_or(false),
    })
}

fn parse_run(v: &Value) -> Option<DagRun> {
    let logical_date = time(&v["logical_date"]).or_else(|| time(&v["execution_date"]));
    let run_type = match v["run_type"].as_str().unwrap_or("manual") {
        // 3.x renamed datasets to assets.
        "dataset_triggered" => "asset_triggered",
        other => other,
    }
    .to_owned();
    // 2.x has no run_after: a scheduled run is due at the end of its data interval.
    let run_after = time(&v["run_after"]).or_else(|| {
        if run_type == "scheduled" {
            time(&v["data_interval_end"]).or(logical_date)
        } else {
            logical_date
        }
    });
    Some(DagRun {
        dag_id: text(&v["dag_id"])?,
        run_id: text(&v["dag_run_id"])?,
        run_type,
        state: v["state"].as_str().unwrap_or("queued").to_owned(),
        logical_date,
        run_after,
        queued_at: time(&v["queued_at"]),
        started_at: time(&v["start_date"]),
        ended_at: time(&v["end_date"]),
    })
}

fn parse_try(v: &Value, api: Api, web: Option<&url::Url>) -> Option<TaskTry> {
    let dag_id = text(&v["dag_id"])?;
    let run_id = text(&v["dag_run_id"])?;
    let task_id = text(&v["task_id"])?;
    let map_index = v["map_index"].as_i64().unwrap_or(-1);
    let try_number = v["try_number"].as_i64().unwrap_or(1);
    let log_url = web
        .map(|base| log_url(base, api, &dag_id, &run_id, &task_id, map_index, try_number))
        .unwrap_or_default();
    Some(TaskTry {
        dag_id,
        run_id,
        task_id,
        map_index,
        try_number,
        state: v["state"].as_str().unwrap_or("failed").to_owned(),
        operator: text(&v["operator"]),
        started_at: time(&v["start_date"]),
        ended_at: time(&v["end_date"]),
        // From the times: 3.x on SQLite reports a wrong `duration` for task instances.
        duration_secs: match (time(&v["start_date"]), time(&v["end_date"])) {
            (Some(s), Some(e)) if e >= s => Some((e - s).num_milliseconds() as f64 / 1e3),
            _ => v["duration"].as_f64(),
        },
        log_url,
    })
}

/// The try's log in the Airflow UI: 2.x's grid view with the logs tab, 3.x's task instance page.
pub fn log_url(
    base: &url::Url,
    api: Api,
    dag_id: &str,
    run_id: &str,
    task_id: &str,
    map_index: i64,
    try_number: i64,
) -> String {
    let mut url = base.clone();
    match api {
        Api::V1 => {
            url.path_segments_mut()
                .map(|mut p| {
                    p.pop_if_empty().extend(["dags", dag_id, "grid"]);
                })
                .ok();
            url.query_pairs_mut()
                .append_pair("dag_run_id", run_id)
                .append_pair("task_id", task_id)
                .append_pair("map_index", &map_index.to_string())
                .append_pair("tab", "logs");
        }
        Api::V2 => {
            url.path_segments_mut()
                .map(|mut p| {
                    p.pop_if_empty()
                        .extend(["dags", dag_id, "runs", run_id, "tasks", task_id]);
                    if map_index >= 0 {
                        p.extend(["mapped", &map_index.to_string()]);
                    }
                })
                .ok();
            url.query_pairs_mut()
                .append_pair("try_number", &try_number.to_string());
        }
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_links_escape_ids_and_differ_by_major() {
        let base = url::Url::parse("https://airflow.internal/").expect("url");
        assert_eq!(
            log_url(
                &base,
                Api::V2,
                "주문_적재",
                "manual__2026-12-06T00:00:00+00:00",
                "load/x",
                -1,
                2
            ),
            "https://airflow.internal/dags/%EC%A3%BC%EB%AC%B8_%EC%A0%81%EC%9E%AC/runs/manual__2026-12-06T00:00:00+00:00/tasks/load%2Fx?try_number=2"
        );
        assert_eq!(
            log_url(
                &base,
                Api::V1,
                "orders",
                "scheduled__2026-12-06T00:00:00+00:00",
                "load",
                -1,
                1
            ),
            "https://airflow.internal/dags/orders/grid?dag_run_id=scheduled__2026-12-06T00%3A00%3A00%2B00%3A00&task_id=load&map_index=-1&tab=logs"
        );
    }

    #[test]
    fn a_2x_scheduled_run_is_due_at_the_end_of_its_interval() {
        let run = parse_run(&serde_json::json!({
            "dag_id": "d", "dag_run_id": "scheduled__x", "run_type": "scheduled", "state": "success",
            "execution_date": "2026-12-05T00:00:00+00:00", "logical_date": "2026-12-05T00:00:00+00:00",
            "data_interval_end": "2026-12-06T00:00:00+00:00", "start_date": "2026-12-06T00:00:05.5+00:00"
        }))
        .expect("a run");
        assert_eq!(
            run.run_after.expect("due").to_rfc3339(),
            "2026-12-06T00:00:00+00:00"
        );
        assert_eq!(
            run.started_at.expect("started").timestamp_subsec_millis(),
            500
        );
        let asset = parse_run(
            &serde_json::json!({"dag_id": "d", "dag_run_id": "r", "run_type": "dataset_triggered"}),
        )
        .expect("a run");
        assert_eq!(asset.run_type, "asset_triggered");
    }
}
