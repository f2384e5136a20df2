//! The store: every SQL statement Doberman runs, on MySQL/MariaDB (production, read by Superset) or SQLite (the
//! zero-setup default). The rest of the code uses [`Store`] without knowing the dialect; this module is the only
//! place the dialects differ. Queries always bind their values.

mod airflow;
mod alerts;
mod browse;
pub(crate) mod bulk;
mod catalog;
mod checks;
mod conversations;
mod cost;
mod demo;
mod inbox;
mod jobs;
mod lease;
mod requests;
mod usage;

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::migrate::Migrator;
use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Connection, Executor};

pub use crate::config::Backend;
use crate::config::DatabaseConfig;
pub use airflow::{
    AirflowCollection, AirflowDagBrief, AirflowDagRow, AirflowFailureBrief, AirflowFailureRow,
    AirflowImportErrorRow, AirflowInstanceBrief, AirflowRunBrief, AirflowRunHour, AirflowRunRow,
    add_run_hours,
};
pub use alerts::{
    AlertCard, AlertFinding, AlertPlan, AlertRow, AlertSend, AlertState, Applied, AthenaWindow,
    CARD_ALERTS, CardMessage, CardRef, FiringAlert, OutboxItem, SendWhat, TableChanges,
    WEBHOOK_OPENED, WEBHOOK_RESOLVED, alert_key, card_mute_key, webhook_destination, with_history,
};
pub use browse::{
    CatalogSearch, DatabaseBrief, Reader, SEARCH_DRIVER_ROWS, TableBrief, TableInfo,
    words as search_words,
};
pub use catalog::{
    CatalogFinish, CatalogScope, ColumnRow, DatabaseRow, KnownTable, PartitionStats, TableRow,
};
pub use checks::{CheckResult, CheckResultRow, CheckRow, CheckSchedule, CheckStatus};
pub use conversations::{ConversationChange, ConversationKind, ConversationRef};
pub use cost::{AccountRow, CostRow, DailyCost, ResourceCost, ResourceCostRow, ResourceRank};
pub use demo::{DEMO_ACCOUNT, DEMO_ACCOUNT_IDS, DEMO_CHECK_FILE, DEMO_REQUEST_CHANNEL};
pub use inbox::InboxRow;
pub use jobs::{JobOutcome, JobRun, JobRunId, JobStatus};
pub use lease::LeaseHolder;
pub use requests::{
    Change, Changed, MessageEdit, NewComment, NewRequirement, Person, Requirement,
    RequirementFilter, RequirementStatus, Touched,
};
pub use usage::{QueryRow, TERMINAL_STATES, USAGE_WINDOWS, UsageTotal};

static MYSQL_MIGRATIONS: Migrator = sqlx::migrate!("migrations/mysql");
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");

/// The MySQL migrations' SQL, in order: the schema Superset reads (`doberman superset-bundle` takes its columns,
/// types and comments from it).
pub fn mysql_migration_sql() -> impl Iterator<Item = &'static str> {
    MYSQL_MIGRATIONS.iter().map(|m| m.sql.as_ref())
}

/// How long a caller waits for a pooled connection before the store reports itself unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long SQLite waits on a locked database before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Errors of the store adapter.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or opened.
    #[error("cannot connect to the {backend:?} database at {target}")]
    Connect {
        /// Which backend.
        backend: Backend,
        /// The URL with its password redacted.
        target: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// Applying the embedded migrations failed.
    #[error("cannot apply the database migrations")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A statement failed.
    #[error("database error while trying to {context}")]
    Query {
        /// What the store was doing, as "to …".
        context: &'static str,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
}

impl StoreError {
    fn query(context: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |source| StoreError::Query { context, source }
    }
}

/// A connection pool on one of the two backends.
#[derive(Debug, Clone)]
enum Pool {
    MySql(MySqlPool),
    Sqlite(SqlitePool),
}

/// Runs the same generic body on whichever pool the store has; `$pool` is bound to the concrete pool.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::store::Pool::MySql($pool) => $body,
            $crate::store::Pool::Sqlite($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// A transaction that writes. SQLite's plain BEGIN is deferred: a transaction that reads and then writes fails at
/// once with "database is locked" (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out) when another connection
/// wrote in between, as a collector does while another one runs. BEGIN IMMEDIATE takes the write lock first,
/// waiting up to the busy timeout. InnoDB locks rows as they are written: a plain BEGIN.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;

    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>>
    + Send;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;

    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>>
    + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for MySqlPool {
    type Db = sqlx::MySql;

    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>>
    + Send {
        self.begin()
    }
}

/// The database Doberman keeps its facts, conversations and job runs in.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    /// The SQLite file, when the store is a file: readiness checks it still exists.
    sqlite_file: Option<PathBuf>,
    max_connections: u32,
}

/// Where the database's schema stands against the migrations built into this binary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// Versions built in but not applied.
    pub pending: Vec<i64>,
    /// Versions applied but unknown to this binary (the database is newer than the binary).
    pub unknown: Vec<i64>,
    /// Versions whose application started but did not finish.
    pub failed: Vec<i64>,
}

impl MigrationStatus {
    /// True when the schema is exactly what this binary expects.
    pub fn is_current(&self) -> bool {
        self.pending.is_empty() && self.unknown.is_empty() && self.failed.is_empty()
    }

    /// A one-line explanation when the schema is not current.
    pub fn problem(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.pending.is_empty() {
            parts.push(format!(
                "{} pending migration(s) {:?}: run `doberman migrate`",
                self.pending.len(),
                self.pending
            ));
        }
        if !self.failed.is_empty() {
            parts.push(format!(
                "migration(s) {:?} started but did not finish: repair the schema by hand, then delete their rows from _sqlx_migrations",
                self.failed
            ));
        }
        if !self.unknown.is_empty() {
            parts.push(format!(
                "the database has migration(s) {:?} this binary does not know: it is older than the schema",
                self.unknown
            ));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// Connection-pool figures for `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// Open connections, busy or idle.
    pub size: u32,
    /// Idle connections.
    pub idle: u32,
    /// The configured maximum.
    pub max: u32,
}

/// The current time, truncated to microseconds: what both backends store, so values round-trip exactly.
pub fn now() -> DateTime<Utc> {
    crate::clock::now().trunc_subsecs(6)
}

impl Store {
    /// Opens the database named by the configuration: a SQLite file is created if missing, a MySQL database is
    /// created (utf8mb4) on the server if missing. Does not migrate; call [`Store::migrate`].
    pub async fn connect(config: &DatabaseConfig) -> Result<Store, StoreError> {
        let url = &config.url;
        let connect_error = |source| StoreError::Connect {
            backend: url.backend(),
            target: url.to_string(),
            source,
        };
        match url.backend() {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(url.expose())
                    .map_err(connect_error)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .foreign_keys(true);
                let filename = options.get_filename();
                let sqlite_file = (!url.expose().contains(":memory:")
                    && !url.expose().contains("mode=memory"))
                .then(|| filename.to_owned());
                // No ping before each use: a file the process itself holds open does not go stale the way a
                // server's connection does, and the ping is a round trip to the connection's thread (a fifth of
                // the CPU an answered chat message costs).
                // The file is made once, here; the pool's own connections never make it. Otherwise a connection
                // opened after the file was deleted (moved, or its volume remounted) would quietly start a new,
                // empty database, and readiness (which checks the file) could see it as there.
                let options = match &sqlite_file {
                    Some(_) => {
                        use sqlx::Connection;
                        sqlx::SqliteConnection::connect_with(&options)
                            .await
                            .map_err(connect_error)?
                            .close()
                            .await
                            .map_err(connect_error)?;
                        options.create_if_missing(false)
                    }
                    None => options,
                };
                let pool = SqlitePoolOptions::new()
                    .max_connections(config.max_connections)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await
                    .map_err(connect_error)?;
                Ok(Store {
                    pool: Pool::Sqlite(pool),
                    sqlite_file,
                    max_connections: config.max_connections,
                })
            }
            Backend::MySql => {
                let options = MySqlConnectOptions::from_str(url.expose())
                    .map_err(connect_error)?
                    .charset("utf8mb4")
                    .collation("utf8mb4_unicode_ci")
                    .timezone(Some("+00:00".to_owned()));
                let pool_options = MySqlPoolOptions::new()
                    .max_connections(config.max_connections)
                    .acquire_timeout(ACQUIRE_TIMEOUT);
                let pool = match pool_options.clone().connect_with(options.clone()).await {
                    Ok(pool) => pool,
                    Err(e) if is_unknown_database(&e) => {
                        create_mysql_database(url).await.map_err(connect_error)?;
                        pool_options
                            .connect_with(options)
                            .await
                            .map_err(connect_error)?
                    }
                    // The pool retries until its timeout and then says only that; one connection says why.
                    Err(sqlx::Error::PoolTimedOut) => {
                        use sqlx::ConnectOptions;
                        return Err(connect_error(
                            options
                                .connect()
                                .await
                                .err()
                                .unwrap_or(sqlx::Error::PoolTimedOut),
                        ));
                    }
                    Err(e) => return Err(connect_error(e)),
                };
                Ok(Store {
                    pool: Pool::MySql(pool),
                    sqlite_file: None,
                    max_connections: config.max_connections,
                })
            }
        }
    }

    /// Which backend this store runs on.
    /// `FORCE INDEX (index)` on MySQL/MariaDB, nothing on SQLite (whose planner picks it unasked). For lookups
    /// of a few hundred keys in a table with several indexes: MariaDB's range optimizer otherwise spends up to
    /// a hundred milliseconds weighing every index for every key before reading a hundred rows.
    pub(crate) fn force_index(&self, index: &str) -> String {
        match self.pool {
            Pool::MySql(_) => format!("FORCE INDEX ({index})"),
            Pool::Sqlite(_) => String::new(),
        }
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::MySql(_) => Backend::MySql,
            Pool::Sqlite(_) => Backend::Sqlite,
        }
    }

    fn migrator(&self) -> &'static Migrator {
        match self.pool {
            Pool::MySql(_) => &MYSQL_MIGRATIONS,
            Pool::Sqlite(_) => &SQLITE_MIGRATIONS,
        }
    }

    /// Applies the migrations built into this binary that the database lacks; returns how many were applied.
    /// Safe to run again and from several processes at once (MySQL takes a lock).
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        let before = self.migration_status().await?.pending.len();
        on_pool!(self, pool => self.migrator().run(pool).await)?;
        Ok(before)
    }

    /// Compares the applied migrations with the ones built into this binary.
    pub async fn migration_status(&self) -> Result<MigrationStatus, StoreError> {
        let table_exists: bool = match &self.pool {
            Pool::MySql(pool) => sqlx::query_scalar(
                "SELECT COUNT(*) > 0 FROM information_schema.tables \
                 WHERE table_schema = DATABASE() AND table_name = '_sqlx_migrations'",
            )
            .fetch_one(pool)
            .await,
            Pool::Sqlite(pool) => sqlx::query_scalar(
                "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
            )
            .fetch_one(pool)
            .await,
        }
        .map_err(StoreError::query("look for the migrations table"))?;
        let applied: Vec<(i64, bool)> = if table_exists {
            on_pool!(self, pool => sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
                .fetch_all(pool)
                .await)
            .map_err(StoreError::query("read the applied migrations"))?
        } else {
            Vec::new()
        };
        let built_in: Vec<i64> = self.migrator().iter().map(|m| m.version).collect();
        Ok(MigrationStatus {
            pending: built_in
                .iter()
                .copied()
                .filter(|v| !applied.iter().any(|(a, _)| a == v))
                .collect(),
            unknown: applied
                .iter()
                .map(|(v, _)| *v)
                .filter(|v| !built_in.contains(v))
                .collect(),
            failed: applied
                .iter()
                .filter(|(_, success)| !success)
                .map(|(v, _)| *v)
                .collect(),
        })
    }

    /// Checks that the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        if let Some(path) = &self.sqlite_file {
            // An open SQLite connection keeps working on a deleted file; writes would silently go nowhere.
            if !path.exists() {
                return Err(StoreError::Query {
                    context: "find the SQLite file",
                    source: sqlx::Error::Io(std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!("{} no longer exists", path.display()),
                    )),
                });
            }
        }
        on_pool!(self, pool => pool.execute("SELECT 1").await.map(|_| ()))
            .map_err(StoreError::query("ping the database"))
    }

    /// Pool figures for metrics.
    pub fn pool_stats(&self) -> PoolStats {
        let (size, idle) = on_pool!(self, pool => (pool.size(), pool.num_idle()));
        PoolStats {
            size,
            idle: u32::try_from(idle).unwrap_or(u32::MAX),
            max: self.max_connections,
        }
    }

    /// Closes every connection; later calls fail.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }
}

fn is_unknown_database(error: &sqlx::Error) -> bool {
    // MySQL/MariaDB error 1049: ER_BAD_DB_ERROR ("Unknown database").
    error
        .as_database_error()
        .and_then(|e| e.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>())
        .is_some_and(|e| e.number() == 1049)
}

/// Creates the MySQL database named in the URL, with the character set Korean text and emoji need.
async fn create_mysql_database(url: &crate::config::DatabaseUrl) -> Result<(), sqlx::Error> {
    let name = url
        .mysql_database()
        .filter(|name| crate::config::is_plain_identifier(name))
        .ok_or_else(|| {
            sqlx::Error::Configuration("the database name is not a plain identifier".into())
        })?;
    let mut server_url =
        url::Url::parse(url.expose()).map_err(|e| sqlx::Error::Configuration(e.into()))?;
    server_url.set_path("");
    let options = MySqlConnectOptions::from_str(server_url.as_str())?.charset("utf8mb4");
    let mut conn = sqlx::mysql::MySqlConnection::connect_with(&options).await?;
    // The name is validated above to `[A-Za-z0-9_]{1,64}`: identifiers cannot be bound as parameters.
    conn.execute(
        format!(
            "CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
        )
        .as_str(),
    )
    .await?;
    tracing::info!(database = %name, "created the MySQL database");
    conn.close().await
}

/// Text from a column with a binary collation (`utf8mb4_bin`, used for case-sensitive Teams ids). MySQL flags
/// such columns BINARY and sqlx then refuses to decode them as `String` (sqlx issue #3387); this reads the bytes
/// as UTF-8 instead. On SQLite it is plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BinText(pub String);

impl From<BinText> for String {
    fn from(b: BinText) -> String {
        b.0
    }
}

impl sqlx::Type<sqlx::MySql> for BinText {
    fn type_info() -> sqlx::mysql::MySqlTypeInfo {
        <String as sqlx::Type<sqlx::MySql>>::type_info()
    }

    fn compatible(ty: &sqlx::mysql::MySqlTypeInfo) -> bool {
        <String as sqlx::Type<sqlx::MySql>>::compatible(ty)
            || <Vec<u8> as sqlx::Type<sqlx::MySql>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::MySql> for BinText {
    fn decode(value: sqlx::mysql::MySqlValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let bytes = <&[u8] as sqlx::Decode<'r, sqlx::MySql>>::decode(value)?;
        Ok(BinText(std::str::from_utf8(bytes)?.to_owned()))
    }
}

impl sqlx::Type<sqlx::Sqlite> for BinText {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <String as sqlx::Type<sqlx::Sqlite>>::type_info()
    }

    fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        <String as sqlx::Type<sqlx::Sqlite>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Sqlite> for BinText {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        <String as sqlx::Decode<'r, sqlx::Sqlite>>::decode(value).map(BinText)
    }
}
