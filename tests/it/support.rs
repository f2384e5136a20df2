//! Test support: a fresh database per test on either backend, the app started on port 0, and a TCP proxy that
//! can slow down or cut the connection to MySQL (what no real peer can be asked to do).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use doberman::app::App;
use doberman::config::{Backend, Config};
use doberman::store::Store;
use sqlx::{Connection, Executor};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Names the MySQL/MariaDB server tests create their databases on, e.g. `mysql://root@127.0.0.1:3306`.
pub const MYSQL_URL_VAR: &str = "DOBERMAN_TEST_MYSQL_URL";

/// A database made for one test.
#[derive(Debug)]
pub struct TestDb {
    /// Which backend.
    pub backend: Backend,
    /// The URL Doberman connects with.
    pub url: String,
    /// The SQLite file's folder; removed on drop.
    pub dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// A fresh SQLite file in its own temporary folder (the file itself is created by Doberman).
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("create a temp dir");
        let url = format!("sqlite://{}", dir.path().join("doberman.db").display());
        TestDb {
            backend: Backend::Sqlite,
            url,
            dir: Some(dir),
        }
    }

    /// The SQLite file, for SQLite databases.
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        self.dir.as_ref().map(|d| d.path().join("doberman.db"))
    }

    /// A configuration pointing at this database and a free loopback port.
    pub fn config(&self) -> Config {
        self.config_with(&[])
    }

    /// Like [`TestDb::config`], with extra `DOBERMAN_*` variables.
    pub fn config_with(&self, extra: &[(&str, &str)]) -> Config {
        let mut env = vec![
            ("DOBERMAN_DATABASE__URL".to_owned(), self.url.clone()),
            ("DOBERMAN_HTTP__LISTEN".to_owned(), "127.0.0.1:0".to_owned()),
            // Collectors run only in the tests that ask for them (against moto).
            ("DOBERMAN_SCHEDULE__ENABLED".to_owned(), "false".to_owned()),
        ];
        env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Config::load_from(None, env).expect("test configuration is valid")
    }

    /// A store connected to this database (not migrated).
    pub async fn store(&self) -> Store {
        Store::connect(&self.config().database)
            .await
            .expect("connect to the test database")
    }

    /// The first column of every row of `sql`, as text (write `CAST(x AS CHAR)` for non-text columns).
    pub async fn strings(&self, sql: &str) -> Vec<String> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url)
                    .await
                    .expect("open sqlite");
                sqlx::query_scalar::<_, Option<String>>(sql)
                    .fetch_all(&mut conn)
                    .await
                    .expect("raw sqlite query")
            }
            Backend::MySql => {
                use sqlx::Row;
                let mut conn = sqlx::MySqlConnection::connect(&self.url)
                    .await
                    .expect("open mysql");
                let rows = sqlx::query(sql)
                    .fetch_all(&mut conn)
                    .await
                    .expect("raw mysql query");
                // Binary-collated columns (utf8mb4_bin) come back as bytes.
                rows.iter()
                    .map(|row| {
                        row.try_get::<Option<String>, _>(0).unwrap_or_else(|_| {
                            row.try_get::<Option<Vec<u8>>, _>(0)
                                .expect("a text or binary column")
                                .map(|b| String::from_utf8(b).expect("UTF-8"))
                        })
                    })
                    .collect()
            }
        }
        .into_iter()
        .map(|v| v.unwrap_or_else(|| "NULL".to_owned()))
        .collect()
    }

    /// A single whole number: `sql` selects one row and one column (`COUNT(*)`, or `CAST(… AS SIGNED)`).
    pub async fn number(&self, sql: &str) -> i64 {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url)
                    .await
                    .expect("open sqlite");
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&mut conn)
                    .await
                    .expect("raw sqlite query")
            }
            Backend::MySql => {
                let mut conn = sqlx::MySqlConnection::connect(&self.url)
                    .await
                    .expect("open mysql");
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&mut conn)
                    .await
                    .expect("raw mysql query")
            }
        }
    }

    /// Runs raw SQL against the database behind Doberman's back (to break things on purpose).
    pub async fn execute_raw(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url)
                    .await
                    .expect("open sqlite");
                conn.execute(sql).await.expect("raw sqlite statement");
            }
            Backend::MySql => {
                let mut conn = sqlx::MySqlConnection::connect(&self.url)
                    .await
                    .expect("open mysql");
                conn.execute(sql).await.expect("raw mysql statement");
            }
        }
    }
}

/// Where a MySQL test database lives, so it can be dropped after the test whatever happened.
struct MySqlGuard {
    server_url: String,
    name: String,
}

/// The MySQL server URL: a case that needs MySQL is `#[ignore]`d (see [`two_backends`]), so it runs only when
/// asked for (`-- --include-ignored`), and then a missing or unreachable server fails it.
pub async fn mysql_server() -> String {
    let server_url = std::env::var(MYSQL_URL_VAR).unwrap_or_else(|_| {
        panic!("this case needs MySQL: set {MYSQL_URL_VAR}=mysql://root@127.0.0.1:3306")
    });
    let server_url = server_url.trim_end_matches('/').to_owned();
    match sqlx::MySqlConnection::connect(&server_url).await {
        Ok(conn) => {
            let _ = conn.close().await;
            server_url
        }
        Err(e) => panic!("this case needs MySQL, and MySQL at {server_url} is unreachable: {e}"),
    }
}

async fn create_mysql_db(server_url: &str) -> (TestDb, MySqlGuard) {
    let name = format!(
        "doberman_test_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let mut conn = sqlx::MySqlConnection::connect(server_url)
        .await
        .expect("connect to MySQL");
    conn.execute(
        format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
            .as_str(),
    )
    .await
    .expect("create the test database");
    let _ = conn.close().await;
    (
        TestDb {
            backend: Backend::MySql,
            url: format!("{server_url}/{name}"),
            dir: None,
        },
        MySqlGuard {
            server_url: server_url.to_owned(),
            name,
        },
    )
}

async fn drop_mysql_db(guard: MySqlGuard) {
    let mut conn = sqlx::MySqlConnection::connect(&guard.server_url)
        .await
        .expect("connect to MySQL");
    conn.execute(format!("DROP DATABASE IF EXISTS `{}`", guard.name).as_str())
        .await
        .expect("drop the test database");
    let _ = conn.close().await;
}

/// Runs `body` against a fresh database of `backend`, dropping a MySQL database afterwards even when the body
/// panics (the panic is then passed on).
pub async fn run_on<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    match backend {
        Backend::Sqlite => {
            let outcome = tokio::spawn(body(TestDb::sqlite())).await;
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
        }
        Backend::MySql => {
            let server = mysql_server().await;
            let (db, guard) = create_mysql_db(&server).await;
            let outcome = tokio::spawn(body(db)).await;
            drop_mysql_db(guard).await;
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
        }
    }
}

/// Declares `mod NAME { sqlite, mysql }`: the async test function `NAME(db: TestDb)` run on each backend. The
/// MySQL case is ignored unless asked for; `two_backends!(NAME, moto)` ignores both (they need moto too) and
/// names them `moto_sqlite` and `moto_mysql`.
macro_rules! two_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::support::run_on(doberman::config::Backend::Sqlite, super::$name).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs MySQL: set DOBERMAN_TEST_MYSQL_URL and pass -- --include-ignored"]
            async fn mysql() {
                $crate::support::run_on(doberman::config::Backend::MySql, super::$name).await
            }
        }
    };
    ($name:ident, airflow) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs Airflow 2 and 3: start tests/peers/airflow.sh, set DOBERMAN_TEST_AIRFLOW2 and DOBERMAN_TEST_AIRFLOW3 and pass -- --include-ignored"]
            async fn airflow_sqlite() {
                $crate::support::run_on(doberman::config::Backend::Sqlite, super::$name).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs MySQL and Airflow 2 and 3: set DOBERMAN_TEST_MYSQL_URL, DOBERMAN_TEST_AIRFLOW2 and DOBERMAN_TEST_AIRFLOW3 and pass -- --include-ignored"]
            async fn airflow_mysql() {
                $crate::support::run_on(doberman::config::Backend::MySql, super::$name).await
            }
        }
    };
    ($name:ident, sources) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs PostgreSQL and MariaDB as sources: set DOBERMAN_TEST_POSTGRES_URL and DOBERMAN_TEST_MYSQL_URL and pass -- --include-ignored"]
            async fn sources_sqlite() {
                $crate::support::run_on(doberman::config::Backend::Sqlite, super::$name).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs PostgreSQL and MariaDB: set DOBERMAN_TEST_POSTGRES_URL and DOBERMAN_TEST_MYSQL_URL and pass -- --include-ignored"]
            async fn sources_mysql() {
                $crate::support::run_on(doberman::config::Backend::MySql, super::$name).await
            }
        }
    };
    ($name:ident, moto_python_mysql) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs moto, the pinned Python and MariaDB: set DOBERMAN_TEST_MOTO_URL, DOBERMAN_TEST_PYTHON and DOBERMAN_TEST_MYSQL_URL and pass -- --include-ignored"]
            async fn moto_sqlite() {
                $crate::support::run_on(doberman::config::Backend::Sqlite, super::$name).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs moto, the pinned Python and MariaDB: set DOBERMAN_TEST_MOTO_URL, DOBERMAN_TEST_PYTHON and DOBERMAN_TEST_MYSQL_URL and pass -- --include-ignored"]
            async fn moto_mysql() {
                $crate::support::run_on(doberman::config::Backend::MySql, super::$name).await
            }
        }
    };
    ($name:ident, moto) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs moto: set DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
            async fn moto_sqlite() {
                $crate::support::run_on(doberman::config::Backend::Sqlite, super::$name).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[ignore = "needs MySQL and moto: set DOBERMAN_TEST_MYSQL_URL and DOBERMAN_TEST_MOTO_URL and pass -- --include-ignored"]
            async fn moto_mysql() {
                $crate::support::run_on(doberman::config::Backend::MySql, super::$name).await
            }
        }
    };
}
pub(crate) use two_backends;

/// A running app on a loopback port.
pub struct TestApp {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Cancels the app.
    pub shutdown: CancellationToken,
    /// The app's `run` future.
    pub handle: JoinHandle<anyhow::Result<()>>,
    /// An HTTP client that ignores proxy settings.
    pub client: reqwest::Client,
}

impl TestApp {
    /// Builds and starts the app for `config`.
    pub async fn start(config: &Config) -> TestApp {
        let app = App::build(config).await.expect("the app builds");
        let addr = app.local_addr();
        let shutdown = app.shutdown_token();
        let handle = tokio::spawn(app.run());
        TestApp {
            addr,
            shutdown,
            handle,
            client: client(),
        }
    }

    /// `http://ADDR/PATH`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// GET a path; the status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body read"))
    }

    /// Shuts the app down and waits for `run` to return.
    pub async fn stop(self) {
        self.shutdown.cancel();
        tokio::time::timeout(Duration::from_secs(10), self.handle)
            .await
            .expect("the app stops within 10 s")
            .expect("the app task did not panic")
            .expect("the app ran without error");
    }
}

/// An HTTP client for tests: loopback only, no proxies.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(15))
        .build()
        .expect("build an HTTP client")
}

/// A TCP proxy in front of a server: it can delay every chunk it forwards, cut every connection and refuse new
/// ones (a dead server), and come back.
pub struct TcpProxy {
    /// The proxy's own address.
    pub addr: SocketAddr,
    delay_ms: Arc<AtomicU64>,
    down: Arc<std::sync::atomic::AtomicBool>,
    cut: Arc<std::sync::Mutex<CancellationToken>>,
    accept: JoinHandle<()>,
}

impl TcpProxy {
    /// Starts a proxy to `upstream` on a free loopback port.
    pub async fn start(upstream: SocketAddr) -> TcpProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy address");
        let delay_ms = Arc::new(AtomicU64::new(0));
        let down = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let cut = Arc::new(std::sync::Mutex::new(CancellationToken::new()));
        let accept = tokio::spawn({
            let (delay_ms, down, cut) = (delay_ms.clone(), down.clone(), cut.clone());
            async move {
                loop {
                    let Ok((client, _)) = listener.accept().await else {
                        return;
                    };
                    if down.load(Ordering::SeqCst) {
                        drop(client);
                        continue;
                    }
                    let delay_ms = delay_ms.clone();
                    let cut = cut.lock().expect("proxy lock").clone();
                    tokio::spawn(async move {
                        let Ok(server) = TcpStream::connect(upstream).await else {
                            return;
                        };
                        let (cr, cw) = client.into_split();
                        let (sr, sw) = server.into_split();
                        tokio::select! {
                            () = pump(cr, sw, delay_ms.clone()) => {}
                            () = pump(sr, cw, delay_ms) => {}
                            () = cut.cancelled() => {}
                        }
                    });
                }
            }
        });
        TcpProxy {
            addr,
            delay_ms,
            down,
            cut,
            accept,
        }
    }

    /// Delays every forwarded chunk by `delay`.
    pub fn set_delay(&self, delay: Duration) {
        self.delay_ms.store(
            u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            Ordering::SeqCst,
        );
    }

    /// Cuts every connection and drops new ones at once, as a dead database server would.
    pub fn kill(&self) {
        self.down.store(true, Ordering::SeqCst);
        let mut cut = self.cut.lock().expect("proxy lock");
        cut.cancel();
        *cut = CancellationToken::new();
    }

    /// Forwards new connections again.
    pub fn revive(&self) {
        self.down.store(false, Ordering::SeqCst);
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut.lock().expect("proxy lock").cancel();
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    delay_ms: Arc<AtomicU64>,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let delay = delay_ms.load(Ordering::SeqCst);
        if delay > 0 {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

/// The MySQL server URL rewritten to reach the server through `proxy`.
pub fn via_proxy(server_url: &str, proxy: SocketAddr) -> String {
    let mut url = url::Url::parse(server_url).expect("a valid MySQL URL");
    url.set_host(Some(&proxy.ip().to_string()))
        .expect("set host");
    url.set_port(Some(proxy.port())).expect("set port");
    url.to_string().trim_end_matches('/').to_owned()
}

/// Resolves the host and port of a MySQL server URL.
pub async fn mysql_addr(server_url: &str) -> SocketAddr {
    let url = url::Url::parse(server_url).expect("a valid MySQL URL");
    let host = url.host_str().expect("a host");
    let port = url.port().unwrap_or(3306);
    tokio::net::lookup_host((host, port))
        .await
        .expect("resolve MySQL host")
        .next()
        .expect("an address")
}

/// Runs `body` against a fresh MySQL database that Doberman reaches through a [`TcpProxy`] (skipped, or failed when
/// MySQL is required, like the MySQL case of [`two_backends!`]); the database is dropped afterwards.
pub async fn run_on_mysql_via_proxy<F, Fut>(body: F)
where
    F: FnOnce(TestDb, Arc<TcpProxy>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let server = mysql_server().await;
    let proxy = Arc::new(TcpProxy::start(mysql_addr(&server).await).await);
    let (mut db, guard) = create_mysql_db(&server).await;
    db.url = format!("{}/{}", via_proxy(&server, proxy.addr), guard.name);
    let outcome = tokio::spawn(body(db, proxy.clone())).await;
    proxy.kill();
    drop_mysql_db(guard).await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// Doberman's chat logic on `store` with `settings`; its connector is never used by a command's answer.
pub fn chat(store: &Store, settings: doberman::chat::Settings) -> doberman::chat::Chat {
    let connector = doberman::teams::ConnectorClient::new(
        reqwest::Client::new(),
        None,
        doberman::teams::ServiceUrlPolicy::new(Vec::new(), false),
        doberman::teams::connector::RetryPolicy::default(),
    );
    doberman::chat::Chat::new(store.clone(), Arc::new(connector), Vec::new())
        .with_settings(settings)
}

/// Runs `text` as a non-admin in a personal chat; the answer must be a card Teams renders. Its text
/// (`kit::to_text`) and JSON.
pub async fn ask_card(chat: &doberman::chat::Chat, text: &str) -> (String, serde_json::Value) {
    let caller = doberman::chat::Caller::new(doberman::chat::commands::Scope::Personal, false);
    let card = card_for(chat, text, &caller).await;
    (doberman::cards::kit::to_text(&card), card)
}

/// Runs `text` in a personal chat whose language is Korean (as an admin or not); the answer must be a card Teams
/// renders. Its words ([`card_words`]: what a reader sees, fallback and buttons included) and JSON.
pub async fn ask_korean(
    chat: &doberman::chat::Chat,
    text: &str,
    admin: bool,
) -> (String, serde_json::Value) {
    let caller = doberman::chat::Caller::new(doberman::chat::commands::Scope::Personal, admin)
        .in_lang(doberman::i18n::Lang::Ko);
    let card = card_for(chat, text, &caller).await;
    (card_words(&card), card)
}

/// Asks `asked` in Korean ([`ask_korean`]) and asserts that the answer says each of `expected` and that no English
/// is left in its words, buttons included, besides `data`. Its words and card.
pub async fn korean_answer(
    chat: &doberman::chat::Chat,
    asked: &str,
    expected: &[&str],
    data: &[&str],
) -> (String, serde_json::Value) {
    let (words, card) = ask_korean(chat, asked, false).await;
    for e in expected {
        assert!(words.contains(e), "{asked}: {e:?} missing from\n{words}");
    }
    assert_eq!(
        doberman::i18n::english_besides(&words, data),
        Vec::<String>::new(),
        "{asked}: English left in\n{words}"
    );
    (words, card)
}

async fn card_for(
    chat: &doberman::chat::Chat,
    text: &str,
    caller: &doberman::chat::Caller,
) -> serde_json::Value {
    match chat.run_command(text, caller).await {
        doberman::chat::Reply::Card(card) => {
            assert_eq!(
                doberman::cards::kit::problems(&card),
                Vec::<String>::new(),
                "{text}: the card renders in Teams"
            );
            card
        }
        doberman::chat::Reply::Text(t) => panic!("{text}: expected a card, got text {t}"),
    }
}

/// Every word a card shows: its text, its fallback text and its buttons' titles.
pub fn card_words(card: &serde_json::Value) -> String {
    doberman::cards::kit::words(card)
}
