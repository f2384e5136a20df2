//! The Superset import bundle (`doberman superset-bundle`): Doberman's MySQL tables as Superset datasets, with
//! charts and the dashboards the cards link to (`doberman-cost`, `-usage`, `-catalog`, `-requests`,
//! `-operations`), in the v1 ZIP format Superset's `import-dashboards` command and its import dialogs read.
//!
//! Physical datasets take their columns, types and descriptions from the MySQL migrations themselves, so a
//! dataset cannot name a column the store lacks. Every object has a UUID derived from its name: importing a newer
//! bundle updates the same dashboards, charts and datasets instead of adding copies.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Context;
use serde_json::{Map, Value, json};
use sqlparser::ast::{
    AlterTableOperation, ColumnDef, ColumnOption, CommentDef, CreateTableOptions, SqlOption,
    Statement,
};
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::Parser;

/// The version Superset's v1 import format expects on every file.
const FORMAT_VERSION: &str = "1.0.0";
/// The password placeholder of Superset's own exports: its import dialog asks for the real one, and a re-import
/// keeps the password already stored.
pub const MASKED_PASSWORD: &str = "XXXXXXXXXX";
/// The folder every file of the bundle sits in (Superset strips the first path component).
const ROOT: &str = "doberman_dashboards";
/// Rows a chart asks for at most (tables show fewer; timeseries need days × series).
const ROW_LIMIT: u64 = 10_000;

/// What kind of bundle to write: Superset reads the same files either way, but its two import paths check the
/// declared type and treat existing objects differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundleKind {
    /// `type: Dashboard`: `superset import-dashboards` and Dashboards → Import. Creates what is missing and
    /// replaces the dashboards; charts and datasets already imported are kept as they are.
    Dashboards,
    /// `type: assets`: `POST /api/v1/assets/import/`. Replaces everything it carries: for upgrades.
    Assets,
}

/// Why no bundle can be made from these settings: what to give instead.
#[derive(Debug, thiserror::Error)]
#[error("Cannot make the Superset bundle: {0}")]
pub struct BadDatabaseUri(pub String);

/// The SQLAlchemy URI Superset connects with: MySQL, a database name, and no password but the placeholder.
///
/// `charset=utf8mb4` is added when missing, so Korean names and emoji reach Superset intact.
pub fn database_uri(uri: &str) -> Result<url::Url, BadDatabaseUri> {
    let mut url = url::Url::parse(uri.trim())
        .map_err(|e| BadDatabaseUri(format!("`--database-uri` is not a URI ({e})")))?;
    let scheme = url.scheme();
    if scheme != "mysql" && !scheme.starts_with("mysql+") {
        return Err(BadDatabaseUri(format!(
            "Superset reads Doberman's MySQL store: the URI must start with mysql:// (or mysql+mysqldb://, \
             mysql+pymysql://), not {scheme}://"
        )));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(BadDatabaseUri("the URI names no host".to_owned()));
    }
    if schema_of(&url).is_none() {
        return Err(BadDatabaseUri(
            "the URI names no database: add it as the path, e.g. mysql://superset_ro:XXXXXXXXXX@db:3306/doberman"
                .to_owned(),
        ));
    }
    match url.password() {
        None => {}
        Some(MASKED_PASSWORD) => {}
        Some(_) => {
            return Err(BadDatabaseUri(format!(
                "the URI carries a password, which would travel in the bundle: write `{MASKED_PASSWORD}` in its \
                 place and Superset asks for it at import (or leave it out for a user without one)"
            )));
        }
    }
    if !url.query_pairs().any(|(k, _)| k == "charset") {
        url.query_pairs_mut().append_pair("charset", "utf8mb4");
    }
    Ok(url)
}

/// The URI for Superset from Doberman's own `database.url`: same host, database and user, the password replaced
/// by the placeholder, the driver's options left out.
pub fn database_uri_from_store(store_url: &str) -> Result<url::Url, BadDatabaseUri> {
    let url = url::Url::parse(store_url)
        .map_err(|_| BadDatabaseUri("database.url is not a URI: give --database-uri".to_owned()))?;
    if url.scheme() != "mysql" {
        return Err(BadDatabaseUri(
            "database.url is not MySQL (Superset cannot read the SQLite file): give --database-uri \
             mysql://USER:XXXXXXXXXX@HOST:PORT/DATABASE"
                .to_owned(),
        ));
    }
    let mut out = url.clone();
    out.set_query(None);
    out.set_fragment(None);
    if url.password().is_some() {
        out.set_password(Some(MASKED_PASSWORD))
            .map_err(|()| BadDatabaseUri("database.url has no host".to_owned()))?;
    }
    database_uri(out.as_str())
}

fn schema_of(url: &url::Url) -> Option<String> {
    let name = url.path().trim_start_matches('/');
    (!name.is_empty() && !name.contains('/')).then(|| {
        percent_encoding::percent_decode_str(name)
            .decode_utf8_lossy()
            .into_owned()
    })
}

/// A stable UUID for a bundle object: FNV-1a (128 bits) of its name, as a version 8 (custom) UUID.
pub fn stable_uuid(name: &str) -> uuid::Uuid {
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in "doberman/superset/".bytes().chain(name.bytes()) {
        hash ^= u128::from(b);
        hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    uuid::Builder::from_custom_bytes(hash.to_be_bytes()).into_uuid()
}

// ---------------------------------------------------------------------------------------------------------------
// The schema, from the migrations.

/// A column of a store table as the migrations leave it.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaColumn {
    /// Column name.
    pub name: String,
    /// MySQL type as written, e.g. `DATETIME(6)`, `DECIMAL(20,6)`.
    pub data_type: String,
    /// The column's COMMENT.
    pub comment: Option<String>,
}

/// Every table the MySQL migrations create, with its columns in order and the table's COMMENT.
#[derive(Debug, Default)]
pub struct Schema {
    /// Table name → (comment, columns).
    pub tables: BTreeMap<String, (Option<String>, Vec<SchemaColumn>)>,
}

impl Schema {
    /// The schema the store's MySQL migrations build.
    pub fn from_migrations() -> anyhow::Result<Self> {
        let mut schema = Schema::default();
        for sql in crate::store::mysql_migration_sql() {
            schema.apply(sql)?;
        }
        Ok(schema)
    }

    fn apply(&mut self, sql: &str) -> anyhow::Result<()> {
        let statements = Parser::parse_sql(&MySqlDialect {}, sql)
            .context("Failed to parse a MySQL migration")?;
        let column = |c: &ColumnDef| SchemaColumn {
            name: c.name.value.clone(),
            data_type: c.data_type.to_string(),
            comment: c.options.iter().find_map(|o| match &o.option {
                ColumnOption::Comment(text) => Some(text.clone()),
                _ => None,
            }),
        };
        for statement in statements {
            match statement {
                Statement::CreateTable(create) => {
                    let comment = table_comment(&create.table_options);
                    self.tables.insert(
                        create.name.to_string(),
                        (comment, create.columns.iter().map(column).collect()),
                    );
                }
                Statement::AlterTable(alter) => {
                    let Some((_, columns)) = self.tables.get_mut(&alter.name.to_string()) else {
                        anyhow::bail!("a migration alters table {} before creating it", alter.name);
                    };
                    for op in &alter.operations {
                        match op {
                            AlterTableOperation::AddColumn { column_def, .. } => {
                                columns.push(column(column_def));
                            }
                            AlterTableOperation::DropColumn { column_names, .. } => {
                                columns.retain(|c| !column_names.iter().any(|n| n.value == c.name));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The columns of `table`.
    pub fn columns(&self, table: &str) -> Option<&[SchemaColumn]> {
        self.tables.get(table).map(|(_, c)| c.as_slice())
    }
}

/// The table's `COMMENT = '…'` among its options.
fn table_comment(options: &CreateTableOptions) -> Option<String> {
    let options = match options {
        CreateTableOptions::None => return None,
        CreateTableOptions::With(o)
        | CreateTableOptions::Options(o)
        | CreateTableOptions::Plain(o)
        | CreateTableOptions::TableProperties(o) => o,
    };
    options.iter().find_map(|o| match o {
        SqlOption::Comment(CommentDef::WithEq(c) | CommentDef::WithoutEq(c)) => Some(c.clone()),
        _ => None,
    })
}

// ---------------------------------------------------------------------------------------------------------------
// The declarations: datasets, charts, dashboards.

/// A saved metric of a dataset.
struct MetricSpec {
    name: &'static str,
    label: &'static str,
    expression: &'static str,
    format: Option<&'static str>,
}

const fn metric(
    name: &'static str,
    label: &'static str,
    expression: &'static str,
    format: Option<&'static str>,
) -> MetricSpec {
    MetricSpec {
        name,
        label,
        expression,
        format,
    }
}

/// A column computed in SQL (a Superset calculated column), or a column of a virtual dataset.
struct ExtraColumn {
    name: &'static str,
    data_type: &'static str,
    expression: Option<&'static str>,
    description: &'static str,
}

/// A column of a virtual dataset's query.
const fn column(
    name: &'static str,
    data_type: &'static str,
    description: &'static str,
) -> ExtraColumn {
    ExtraColumn {
        name,
        data_type,
        expression: None,
        description,
    }
}

/// A dataset: a store table (its columns from the migrations) or a query over them.
struct DatasetSpec {
    /// The table, or the virtual dataset's name.
    name: &'static str,
    /// The query of a virtual dataset.
    sql: Option<&'static str>,
    description: &'static str,
    time_column: Option<&'static str>,
    metrics: &'static [MetricSpec],
    /// Calculated columns of a table; all columns of a virtual dataset.
    columns: &'static [ExtraColumn],
}

/// Dates Superset's time range filter understands.
#[derive(Clone, Copy)]
enum Range {
    /// `Current month`: from the 1st.
    CurrentMonth,
    /// `previous calendar month`.
    PreviousMonth,
    /// The last n days, today included (Superset's `Last month` and the like stop before today).
    Days(u32),
}

impl Range {
    fn superset(self) -> String {
        match self {
            Range::CurrentMonth => "Current month".to_owned(),
            Range::PreviousMonth => "previous calendar month".to_owned(),
            Range::Days(n) => format!(
                "DATEADD(DATETIME(\"today\"), -{}, day) : tomorrow",
                n.saturating_sub(1)
            ),
        }
    }
}

/// What a chart shows.
enum Viz {
    /// One figure.
    BigNumber { metric: &'static str },
    /// Rows grouped by `groupby`, largest first by the first metric.
    Table {
        groupby: &'static [&'static str],
        metrics: &'static [&'static str],
        sort_by: &'static str,
        rows: u64,
    },
    /// Rows as they are, ordered by one column.
    Rows {
        columns: &'static [&'static str],
        order_by: &'static str,
        ascending: bool,
        rows: u64,
    },
    /// A metric per day, one series per `groupby` value.
    Daily {
        bar: bool,
        metrics: &'static [&'static str],
        groupby: &'static [&'static str],
    },
    /// Horizontal bars: a metric per value of one column, largest first.
    Bars {
        column: &'static str,
        metric: &'static str,
        rows: u64,
    },
    /// Shares of a metric per value of a column.
    Pie {
        column: &'static str,
        metric: &'static str,
    },
}

struct ChartSpec {
    /// Stable name (the UUID is derived from it).
    key: &'static str,
    title: &'static str,
    description: &'static str,
    dataset: &'static str,
    /// The time range on the dataset's time column, if any.
    range: Option<Range>,
    /// SQL conditions (WHERE) the chart always applies.
    filters: &'static [&'static str],
    viz: Viz,
}

struct DashboardSpec {
    slug: &'static str,
    title: &'static str,
    description: &'static str,
    /// Rows of (chart key, width of 12).
    rows: &'static [&'static [(&'static str, u8)]],
}

const SUM_COST: MetricSpec = metric(
    "cost",
    "Cost (amortized)",
    "SUM(amortized_cost)",
    Some(",.2f"),
);
const SUM_UNBLENDED: MetricSpec = metric(
    "unblended_cost",
    "Cost (unblended)",
    "SUM(unblended_cost)",
    Some(",.2f"),
);
const QUERIES: MetricSpec = metric("queries", "Queries", "SUM(queries)", Some(",d"));
const FAILED_QUERIES: MetricSpec = metric(
    "failed_queries",
    "Failed queries",
    "SUM(failed_queries)",
    Some(",d"),
);
const GIB_SCANNED: MetricSpec = metric(
    "gib_scanned",
    "GiB scanned",
    "SUM(bytes_scanned) / 1073741824.0",
    Some(",.1f"),
);

/// Days since the data last changed, and the bucket a table's freshness falls in.
const DAYS_SINCE_CHANGE: &str = "TIMESTAMPDIFF(DAY, data_changed_at, UTC_TIMESTAMP())";
const FRESHNESS_BUCKET: &str = "CASE WHEN data_changed_at IS NULL THEN 'unknown' \
     WHEN data_changed_at >= UTC_TIMESTAMP() - INTERVAL 1 DAY THEN 'within a day' \
     WHEN data_changed_at >= UTC_TIMESTAMP() - INTERVAL 7 DAY THEN '1 to 7 days' \
     WHEN data_changed_at >= UTC_TIMESTAMP() - INTERVAL 30 DAY THEN '7 to 30 days' \
     ELSE 'over 30 days' END";

const DATASETS: &[DatasetSpec] = &[
    DatasetSpec {
        name: "cost_by_account_service",
        sql: Some(
            "SELECT c.usage_date, c.billing_month, c.currency, c.account_id,\n\
             \x20      COALESCE(a.account_name, c.account_id) AS account_name, a.team, c.service,\n\
             \x20      c.unblended_cost, c.amortized_cost\n\
             FROM fact_cost_service_daily c\n\
             LEFT JOIN dim_account a ON a.account_id = c.account_id",
        ),
        description: "AWS cost per day, account and service (fact_cost_service_daily) with the account's name \
                      and team (dim_account).",
        time_column: Some("usage_date"),
        metrics: &[SUM_COST, SUM_UNBLENDED],
        columns: &[
            column("usage_date", "DATE", "UTC day of the line items"),
            column("billing_month", "DATE", "Billing period"),
            column("currency", "VARCHAR(8)", "Currency of the report"),
            column("account_id", "VARCHAR(12)", "AWS account id"),
            column(
                "account_name",
                "VARCHAR(255)",
                "Account name (cost.accounts, else the CUR's), else the id",
            ),
            column("team", "VARCHAR(255)", "Owning team from cost.accounts"),
            column(
                "service",
                "VARCHAR(128)",
                "line_item_product_code, e.g. AmazonEC2",
            ),
            column("unblended_cost", "DECIMAL(20,6)", "Unblended cost"),
            column("amortized_cost", "DECIMAL(20,6)", "Amortized cost"),
        ],
    },
    DatasetSpec {
        name: "cost_movers",
        sql: Some(
            "SELECT COALESCE(a.account_name, c.account_id) AS account_name, c.service, c.currency,\n\
             \x20      SUM(CASE WHEN c.usage_date >= CURRENT_DATE - INTERVAL 7 DAY THEN c.amortized_cost ELSE 0 END)\n\
             \x20          AS last_7_days,\n\
             \x20      SUM(CASE WHEN c.usage_date < CURRENT_DATE - INTERVAL 7 DAY THEN c.amortized_cost ELSE 0 END)\n\
             \x20          AS previous_7_days\n\
             FROM fact_cost_service_daily c\n\
             LEFT JOIN dim_account a ON a.account_id = c.account_id\n\
             WHERE c.usage_date >= CURRENT_DATE - INTERVAL 14 DAY AND c.usage_date < CURRENT_DATE\n\
             GROUP BY COALESCE(a.account_name, c.account_id), c.service, c.currency",
        ),
        description: "Cost of the last 7 days against the 7 days before, per account and service: what moved.",
        time_column: None,
        metrics: &[
            metric(
                "last_7_days",
                "Last 7 days",
                "SUM(last_7_days)",
                Some(",.2f"),
            ),
            metric(
                "previous_7_days",
                "The 7 days before",
                "SUM(previous_7_days)",
                Some(",.2f"),
            ),
            metric(
                "change",
                "Change",
                "SUM(last_7_days) - SUM(previous_7_days)",
                Some("+,.2f"),
            ),
            metric(
                "size_of_change",
                "Size of the change",
                "ABS(SUM(last_7_days) - SUM(previous_7_days))",
                Some(",.2f"),
            ),
        ],
        columns: &[
            column("account_name", "VARCHAR(255)", "Account name, else the id"),
            column("service", "VARCHAR(128)", "line_item_product_code"),
            column("currency", "VARCHAR(8)", "Currency of the report"),
            column(
                "last_7_days",
                "DECIMAL(20,6)",
                "Amortized cost of the last 7 full days",
            ),
            column(
                "previous_7_days",
                "DECIMAL(20,6)",
                "Amortized cost of the 7 days before",
            ),
        ],
    },
    DatasetSpec {
        name: "fact_cost_resource_daily",
        sql: None,
        description: "",
        time_column: Some("usage_date"),
        metrics: &[SUM_COST, SUM_UNBLENDED],
        columns: &[],
    },
    DatasetSpec {
        name: "fact_table_usage_daily",
        sql: None,
        description: "",
        time_column: Some("usage_date"),
        metrics: &[QUERIES, FAILED_QUERIES, GIB_SCANNED],
        columns: &[ExtraColumn {
            name: "qualified_name",
            data_type: "VARCHAR(511)",
            expression: Some("CONCAT(database_name, '.', table_name)"),
            description: "database.table",
        }],
    },
    DatasetSpec {
        name: "fact_database_usage_daily",
        sql: None,
        description: "",
        time_column: Some("usage_date"),
        metrics: &[QUERIES, FAILED_QUERIES, GIB_SCANNED],
        columns: &[],
    },
    DatasetSpec {
        name: "fact_workgroup_usage_daily",
        sql: None,
        description: "",
        time_column: Some("usage_date"),
        metrics: &[QUERIES, FAILED_QUERIES, GIB_SCANNED],
        columns: &[],
    },
    DatasetSpec {
        name: "dim_table",
        sql: None,
        description: "",
        time_column: Some("data_changed_at"),
        metrics: &[
            metric("tables", "Tables", "COUNT(*)", Some(",d")),
            metric(
                "partitions",
                "Partitions",
                "SUM(partition_count)",
                Some(",d"),
            ),
        ],
        columns: &[
            ExtraColumn {
                name: "days_since_change",
                data_type: "BIGINT",
                expression: Some(DAYS_SINCE_CHANGE),
                description: "Whole days since the data last changed (data_changed_at)",
            },
            ExtraColumn {
                name: "freshness",
                data_type: "VARCHAR(16)",
                expression: Some(FRESHNESS_BUCKET),
                description: "When the data last changed: within a day, 1 to 7 days, 7 to 30 days, over 30 days",
            },
        ],
    },
    DatasetSpec {
        name: "fact_table_snapshot_daily",
        sql: None,
        description: "",
        time_column: Some("snapshot_date"),
        metrics: &[
            metric("tables", "Tables", "COUNT(*)", Some(",d")),
            metric(
                "partitions",
                "Partitions",
                "SUM(partition_count)",
                Some(",d"),
            ),
        ],
        columns: &[],
    },
    DatasetSpec {
        name: "requirement",
        sql: None,
        description: "",
        time_column: Some("created_at"),
        metrics: &[
            metric("requirements", "Requirements", "COUNT(*)", Some(",d")),
            metric(
                "open_requirements",
                "Open",
                "SUM(CASE WHEN status NOT IN ('done', 'rejected') AND deleted_at IS NULL THEN 1 ELSE 0 END)",
                Some(",d"),
            ),
            metric(
                "lead_time_days",
                "Lead time (days)",
                "AVG(TIMESTAMPDIFF(HOUR, created_at, closed_at)) / 24.0",
                Some(",.1f"),
            ),
        ],
        columns: &[
            ExtraColumn {
                name: "days_open",
                data_type: "BIGINT",
                expression: Some(
                    "TIMESTAMPDIFF(DAY, created_at, COALESCE(closed_at, UTC_TIMESTAMP()))",
                ),
                description: "Days from the message to done or rejected, or to now while open",
            },
            ExtraColumn {
                name: "requirement_key",
                data_type: "VARCHAR(24)",
                expression: Some("CONCAT('REQ-', id)"),
                description: "REQ-n",
            },
        ],
    },
    DatasetSpec {
        name: "alert",
        sql: None,
        description: "",
        time_column: Some("first_fired_at"),
        metrics: &[
            metric("alerts", "Alerts", "COUNT(*)", Some(",d")),
            metric(
                "firing_alerts",
                "Firing",
                "SUM(CASE WHEN state = 'firing' THEN 1 ELSE 0 END)",
                Some(",d"),
            ),
        ],
        columns: &[],
    },
    DatasetSpec {
        name: "job_run",
        sql: None,
        description: "",
        time_column: Some("started_at"),
        metrics: &[
            metric("runs", "Runs", "COUNT(*)", Some(",d")),
            metric(
                "failed_runs",
                "Failed runs",
                "SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END)",
                Some(",d"),
            ),
            metric(
                "rows_written",
                "Rows written",
                "SUM(rows_written)",
                Some(",d"),
            ),
            metric("last_started", "Last started", "MAX(started_at)", None),
            metric(
                "longest_seconds",
                "Longest run (s)",
                "MAX(TIMESTAMPDIFF(SECOND, started_at, finished_at))",
                Some(",d"),
            ),
        ],
        columns: &[ExtraColumn {
            name: "seconds",
            data_type: "BIGINT",
            expression: Some("TIMESTAMPDIFF(SECOND, started_at, finished_at)"),
            description: "How long the run took",
        }],
    },
];

const NOT_DROPPED: &str = "dropped_at IS NULL";

const CHARTS: &[ChartSpec] = &[
    // Cost.
    ChartSpec {
        key: "cost-month-to-date",
        title: "Cost this month",
        description: "Amortized cost from the 1st of this month.",
        dataset: "cost_by_account_service",
        range: Some(Range::CurrentMonth),
        filters: &[],
        viz: Viz::BigNumber { metric: "cost" },
    },
    ChartSpec {
        key: "cost-last-month",
        title: "Cost last month",
        description: "Amortized cost of the previous calendar month.",
        dataset: "cost_by_account_service",
        range: Some(Range::PreviousMonth),
        filters: &[],
        viz: Viz::BigNumber { metric: "cost" },
    },
    ChartSpec {
        key: "cost-month-to-date-by-account-service",
        title: "This month by account and service",
        description: "Month to date, per account and service, largest first.",
        dataset: "cost_by_account_service",
        range: Some(Range::CurrentMonth),
        filters: &[],
        viz: Viz::Table {
            groupby: &["account_name", "service"],
            metrics: &["cost", "unblended_cost"],
            sort_by: "cost",
            rows: 100,
        },
    },
    ChartSpec {
        key: "cost-daily-by-account",
        title: "Daily cost by account",
        description: "Amortized cost per day over the last quarter, stacked by account.",
        dataset: "cost_by_account_service",
        range: Some(Range::Days(90)),
        filters: &[],
        viz: Viz::Daily {
            bar: true,
            metrics: &["cost"],
            groupby: &["account_name"],
        },
    },
    ChartSpec {
        key: "cost-top-resources",
        title: "Top resources, last 30 days",
        description: "The costliest resources (cost.top_resources per service and day; the rest is `other`).",
        dataset: "fact_cost_resource_daily",
        range: Some(Range::Days(30)),
        filters: &["resource_id <> 'other'"],
        viz: Viz::Table {
            groupby: &["service", "resource_id"],
            metrics: &["cost"],
            sort_by: "cost",
            rows: 25,
        },
    },
    ChartSpec {
        key: "cost-movers",
        title: "Movers: last 7 days against the 7 before",
        description: "Accounts and services whose cost moved most, up or down.",
        dataset: "cost_movers",
        range: None,
        filters: &[],
        viz: Viz::Table {
            groupby: &["account_name", "service"],
            metrics: &["last_7_days", "previous_7_days", "change"],
            sort_by: "size_of_change",
            rows: 25,
        },
    },
    // Usage.
    ChartSpec {
        key: "usage-queries-per-day",
        title: "Athena queries per day",
        description: "Queries submitted per day and work group, failed ones included.",
        dataset: "fact_workgroup_usage_daily",
        range: Some(Range::Days(90)),
        filters: &[],
        viz: Viz::Daily {
            bar: false,
            metrics: &["queries"],
            groupby: &["work_group"],
        },
    },
    ChartSpec {
        key: "usage-scanned-per-day",
        title: "Data scanned per day (GiB)",
        description: "What Athena bills: bytes scanned per day and work group.",
        dataset: "fact_workgroup_usage_daily",
        range: Some(Range::Days(90)),
        filters: &[],
        viz: Viz::Daily {
            bar: true,
            metrics: &["gib_scanned"],
            groupby: &["work_group"],
        },
    },
    ChartSpec {
        key: "usage-top-tables",
        title: "Top tables, last 30 days",
        description: "Tables read or written by the most queries (what `top tables 30d` answers).",
        dataset: "fact_table_usage_daily",
        range: Some(Range::Days(30)),
        filters: &[],
        viz: Viz::Table {
            groupby: &["database_name", "table_name"],
            metrics: &["queries", "gib_scanned", "failed_queries"],
            sort_by: "queries",
            rows: 25,
        },
    },
    ChartSpec {
        key: "usage-top-databases",
        title: "Top databases, last 30 days",
        description: "Queries per database, each query once however many of its tables it used.",
        dataset: "fact_database_usage_daily",
        range: Some(Range::Days(30)),
        filters: &[],
        viz: Viz::Bars {
            column: "database_name",
            metric: "queries",
            rows: 15,
        },
    },
    ChartSpec {
        key: "usage-failed-per-day",
        title: "Failed queries per day",
        description: "FAILED and CANCELLED queries per day and work group.",
        dataset: "fact_workgroup_usage_daily",
        range: Some(Range::Days(30)),
        filters: &[],
        viz: Viz::Daily {
            bar: true,
            metrics: &["failed_queries"],
            groupby: &["work_group"],
        },
    },
    // Catalog.
    ChartSpec {
        key: "catalog-tables",
        title: "Tables and views",
        description: "Tables and views in the Glue catalog now.",
        dataset: "dim_table",
        range: None,
        filters: &[NOT_DROPPED],
        viz: Viz::BigNumber { metric: "tables" },
    },
    ChartSpec {
        key: "catalog-tables-by-database",
        title: "Tables by database",
        description: "Tables and views per Glue database.",
        dataset: "dim_table",
        range: None,
        filters: &[NOT_DROPPED],
        viz: Viz::Bars {
            column: "database_name",
            metric: "tables",
            rows: 25,
        },
    },
    ChartSpec {
        key: "catalog-freshness",
        title: "Freshness",
        description: "Tables by when their data last changed (new partitions or table updates; views left out).",
        dataset: "dim_table",
        range: None,
        filters: &[NOT_DROPPED, "table_format <> 'view'"],
        viz: Viz::Pie {
            column: "freshness",
            metric: "tables",
        },
    },
    ChartSpec {
        key: "catalog-stalest",
        title: "Stalest tables",
        description: "Tables whose data changed longest ago.",
        dataset: "dim_table",
        range: None,
        filters: &[
            NOT_DROPPED,
            "table_format <> 'view'",
            "data_changed_at IS NOT NULL",
        ],
        viz: Viz::Rows {
            columns: &[
                "database_name",
                "table_name",
                "data_changed_at",
                "days_since_change",
                "partition_count",
            ],
            order_by: "data_changed_at",
            ascending: true,
            rows: 50,
        },
    },
    ChartSpec {
        key: "catalog-recently-changed",
        title: "Recently changed",
        description: "The tables whose data changed last, newest first.",
        dataset: "dim_table",
        range: None,
        filters: &[NOT_DROPPED, "data_changed_at IS NOT NULL"],
        viz: Viz::Rows {
            columns: &[
                "database_name",
                "table_name",
                "data_changed_at",
                "newest_partition_values",
                "partition_count",
            ],
            order_by: "data_changed_at",
            ascending: false,
            rows: 50,
        },
    },
    ChartSpec {
        key: "catalog-partitions-per-day",
        title: "Partitions over time",
        description: "Partitions of all tables, per day of the catalog snapshots.",
        dataset: "fact_table_snapshot_daily",
        range: Some(Range::Days(90)),
        filters: &[],
        viz: Viz::Daily {
            bar: false,
            metrics: &["partitions"],
            groupby: &[],
        },
    },
    // Requests.
    ChartSpec {
        key: "requests-open",
        title: "Open requirements",
        description: "Requirements not done, rejected or deleted.",
        dataset: "requirement",
        range: None,
        filters: &[],
        viz: Viz::BigNumber {
            metric: "open_requirements",
        },
    },
    ChartSpec {
        key: "requests-lead-time",
        title: "Lead time, last 90 days (days)",
        description: "Average days from the message to done, of those posted in the last 90 days and done.",
        dataset: "requirement",
        range: Some(Range::Days(90)),
        filters: &["status = 'done'"],
        viz: Viz::BigNumber {
            metric: "lead_time_days",
        },
    },
    ChartSpec {
        key: "requests-backlog",
        title: "Backlog by status",
        description: "Requirements by where they stand (deleted ones left out).",
        dataset: "requirement",
        range: None,
        filters: &["deleted_at IS NULL"],
        viz: Viz::Pie {
            column: "status",
            metric: "requirements",
        },
    },
    ChartSpec {
        key: "requests-per-day",
        title: "New requirements per day",
        description: "Requirements posted per day, by where they stand now.",
        dataset: "requirement",
        range: Some(Range::Days(90)),
        filters: &["deleted_at IS NULL"],
        viz: Viz::Daily {
            bar: true,
            metrics: &["requirements"],
            groupby: &["status"],
        },
    },
    ChartSpec {
        key: "requests-oldest-open",
        title: "Oldest open requirements",
        description: "Open requirements, longest waiting first.",
        dataset: "requirement",
        range: None,
        filters: &["status NOT IN ('done', 'rejected')", "deleted_at IS NULL"],
        viz: Viz::Rows {
            columns: &[
                "requirement_key",
                "title",
                "status",
                "author_name",
                "assignee_name",
                "days_open",
            ],
            order_by: "created_at",
            ascending: true,
            rows: 50,
        },
    },
    // Operations.
    ChartSpec {
        key: "operations-runs-per-day",
        title: "Job runs per day",
        description: "Collector and job runs per day, by how they ended.",
        dataset: "job_run",
        range: Some(Range::Days(30)),
        filters: &[],
        viz: Viz::Daily {
            bar: true,
            metrics: &["runs"],
            groupby: &["status"],
        },
    },
    ChartSpec {
        key: "operations-failed-runs",
        title: "Failed runs, last 7 days",
        description: "Runs that ended in failure this week.",
        dataset: "job_run",
        range: Some(Range::Days(7)),
        filters: &[],
        viz: Viz::BigNumber {
            metric: "failed_runs",
        },
    },
    ChartSpec {
        key: "operations-alerts-by-topic",
        title: "Alerts by topic, last 30 days",
        description: "Alerts that fired in the last 30 days per topic and severity, and how many still fire.",
        dataset: "alert",
        range: Some(Range::Days(30)),
        filters: &[],
        viz: Viz::Table {
            groupby: &["topic", "severity"],
            metrics: &["alerts", "firing_alerts"],
            sort_by: "alerts",
            rows: 50,
        },
    },
    ChartSpec {
        key: "operations-jobs",
        title: "Jobs, last 30 days",
        description: "Per job: runs, failures, rows written, the latest start and the longest run.",
        dataset: "job_run",
        range: Some(Range::Days(30)),
        filters: &[],
        viz: Viz::Table {
            groupby: &["job"],
            metrics: &[
                "runs",
                "failed_runs",
                "rows_written",
                "last_started",
                "longest_seconds",
            ],
            sort_by: "runs",
            rows: 50,
        },
    },
    ChartSpec {
        key: "operations-recent-failures",
        title: "Recent failures",
        description: "Failed runs of the last 30 days with their errors, newest first.",
        dataset: "job_run",
        range: Some(Range::Days(30)),
        filters: &["status = 'failed'"],
        viz: Viz::Rows {
            columns: &["job", "started_at", "seconds", "error_text"],
            order_by: "started_at",
            ascending: false,
            rows: 50,
        },
    },
];

/// The dashboards, by the slugs the cards link to.
const DASHBOARDS: &[DashboardSpec] = &[
    DashboardSpec {
        slug: "doberman-cost",
        title: "Doberman · Cost",
        description: "AWS cost from the Cost and Usage Report: month to date by account and service, the daily \
                      trend, top resources and movers.",
        rows: &[
            &[
                ("cost-month-to-date", 3),
                ("cost-last-month", 3),
                ("cost-month-to-date-by-account-service", 6),
            ],
            &[("cost-daily-by-account", 12)],
            &[("cost-top-resources", 6), ("cost-movers", 6)],
        ],
    },
    DashboardSpec {
        slug: "doberman-usage",
        title: "Doberman · Usage",
        description: "Athena use: top tables and databases, queries and data scanned per day.",
        rows: &[
            &[("usage-queries-per-day", 6), ("usage-scanned-per-day", 6)],
            &[("usage-top-tables", 7), ("usage-top-databases", 5)],
            &[("usage-failed-per-day", 12)],
        ],
    },
    DashboardSpec {
        slug: "doberman-catalog",
        title: "Doberman · Catalog",
        description: "The Glue catalog: tables by database, freshness, what changed recently, partitions over time.",
        rows: &[
            &[("catalog-tables", 3), ("catalog-tables-by-database", 9)],
            &[("catalog-freshness", 4), ("catalog-stalest", 8)],
            &[
                ("catalog-recently-changed", 7),
                ("catalog-partitions-per-day", 5),
            ],
        ],
    },
    DashboardSpec {
        slug: "doberman-requests",
        title: "Doberman · Requests",
        description: "The request channel: backlog by status, lead time, what came in and what waits longest.",
        rows: &[
            &[
                ("requests-open", 3),
                ("requests-lead-time", 3),
                ("requests-backlog", 6),
            ],
            &[("requests-per-day", 12)],
            &[("requests-oldest-open", 12)],
        ],
    },
    DashboardSpec {
        slug: "doberman-operations",
        title: "Doberman · Operations",
        description: "Doberman's own jobs: runs per day, failures and their errors; the alerts by topic.",
        rows: &[
            &[
                ("operations-runs-per-day", 8),
                ("operations-failed-runs", 4),
            ],
            &[("operations-jobs", 6), ("operations-recent-failures", 6)],
            &[("operations-alerts-by-topic", 12)],
        ],
    },
];

/// The slugs of the dashboards the bundle carries.
pub fn dashboard_slugs() -> Vec<&'static str> {
    DASHBOARDS.iter().map(|d| d.slug).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Building the files.

/// The bundle's files, path → YAML document, for a database reached at `uri` (from [`database_uri`]).
pub fn bundle_files(
    uri: &url::Url,
    kind: BundleKind,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<BTreeMap<String, Value>> {
    let schema = Schema::from_migrations()?;
    let db_schema = schema_of(uri);
    let database_uuid = stable_uuid("database/doberman");
    let mut files = BTreeMap::new();
    files.insert(
        "metadata.yaml".to_owned(),
        json!({
            "version": FORMAT_VERSION,
            "type": match kind { BundleKind::Dashboards => "Dashboard", BundleKind::Assets => "assets" },
            "timestamp": now.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string(),
        }),
    );
    files.insert(
        "databases/Doberman.yaml".to_owned(),
        json!({
            "database_name": "Doberman",
            "sqlalchemy_uri": uri.as_str(),
            "cache_timeout": null,
            "expose_in_sqllab": true,
            "allow_run_async": false,
            "allow_ctas": false,
            "allow_cvas": false,
            "allow_dml": false,
            "allow_csv_upload": false,
            "extra": {"allows_virtual_table_explore": true},
            "uuid": database_uuid.to_string(),
            "version": FORMAT_VERSION,
        }),
    );
    let mut dataset_columns: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for d in DATASETS {
        let (table_comment, columns) = dataset_columns_of(d, &schema)?;
        dataset_columns.insert(
            d.name,
            columns
                .iter()
                .map(|c| c["column_name"].as_str().unwrap_or_default().to_owned())
                .collect(),
        );
        let description = if d.description.is_empty() {
            table_comment
        } else {
            Some(d.description.to_owned())
        };
        files.insert(
            format!("datasets/Doberman/{}.yaml", d.name),
            json!({
                "table_name": d.name,
                "main_dttm_col": d.time_column,
                "description": description,
                "default_endpoint": null,
                "offset": 0,
                "cache_timeout": null,
                "schema": db_schema,
                "sql": d.sql,
                "params": null,
                "template_params": null,
                "filter_select_enabled": true,
                "fetch_values_predicate": null,
                "extra": null,
                "normalize_columns": false,
                "always_filter_main_dttm": false,
                "uuid": stable_uuid(&format!("dataset/{}", d.name)).to_string(),
                "metrics": d.metrics.iter().map(|m| json!({
                    "metric_name": m.name,
                    "verbose_name": m.label,
                    "metric_type": null,
                    "expression": m.expression,
                    "description": null,
                    "d3format": m.format,
                    "extra": {},
                    "warning_text": null,
                })).collect::<Vec<_>>(),
                "columns": columns,
                "version": FORMAT_VERSION,
                "database_uuid": database_uuid.to_string(),
            }),
        );
    }
    for chart in CHARTS {
        let dataset = DATASETS
            .iter()
            .find(|d| d.name == chart.dataset)
            .with_context(|| {
                format!(
                    "chart {} names dataset {} the bundle lacks",
                    chart.key, chart.dataset
                )
            })?;
        check_chart(chart, dataset, &dataset_columns[dataset.name])?;
        let (viz_type, params, query_context) = chart_config(chart, dataset);
        files.insert(
            format!("charts/{}.yaml", chart.key),
            json!({
                "slice_name": chart.title,
                "description": chart.description,
                "certified_by": null,
                "certification_details": null,
                "viz_type": viz_type,
                "params": params,
                "query_context": serde_json::to_string(&query_context).context("query context")?,
                "cache_timeout": null,
                "uuid": stable_uuid(&format!("chart/{}", chart.key)).to_string(),
                "version": FORMAT_VERSION,
                "dataset_uuid": stable_uuid(&format!("dataset/{}", dataset.name)).to_string(),
            }),
        );
    }
    for dashboard in DASHBOARDS {
        files.insert(
            format!("dashboards/{}.yaml", dashboard.slug),
            dashboard_config(dashboard)?,
        );
    }
    Ok(files)
}

/// The dataset's columns in Superset's terms, and the table's comment.
fn dataset_columns_of(
    d: &DatasetSpec,
    schema: &Schema,
) -> anyhow::Result<(Option<String>, Vec<Value>)> {
    let column = |name: &str,
                  data_type: &str,
                  expression: Option<&str>,
                  description: Option<&str>,
                  time_column: Option<&str>| {
        let upper = data_type.to_ascii_uppercase();
        let temporal = upper.starts_with("DATE")
            || upper.starts_with("TIMESTAMP")
            || time_column == Some(name);
        json!({
            "column_name": name,
            "verbose_name": label_of(name),
            "is_dttm": temporal,
            "is_active": true,
            "type": upper,
            "advanced_data_type": null,
            "groupby": true,
            "filterable": true,
            "expression": expression,
            "description": description,
            "python_date_format": null,
            "extra": {},
        })
    };
    let mut out = Vec::new();
    let mut comment = None;
    if d.sql.is_none() {
        let (table_comment, columns) = schema
            .tables
            .get(d.name)
            .with_context(|| format!("dataset {} names a table the migrations lack", d.name))?;
        comment.clone_from(table_comment);
        for c in columns {
            out.push(column(
                &c.name,
                &c.data_type,
                None,
                c.comment.as_deref(),
                d.time_column,
            ));
        }
    }
    for c in d.columns {
        out.push(column(
            c.name,
            c.data_type,
            c.expression,
            Some(c.description),
            d.time_column,
        ));
    }
    if let Some(time) = d.time_column {
        anyhow::ensure!(
            out.iter().any(|c| c["column_name"] == time),
            "dataset {}: time column {time} is not among its columns",
            d.name
        );
    }
    Ok((comment, out))
}

/// The label tables and legends show for a column: `database_name` → `Database name`.
fn label_of(column: &str) -> String {
    let words = column.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Every column and metric a chart names belongs to its dataset.
fn check_chart(chart: &ChartSpec, d: &DatasetSpec, columns: &[String]) -> anyhow::Result<()> {
    let metric = |m: &str| {
        anyhow::ensure!(
            d.metrics.iter().any(|x| x.name == m),
            "chart {}: dataset {} has no metric {m}",
            chart.key,
            d.name
        );
        Ok(())
    };
    let column = |c: &str| {
        anyhow::ensure!(
            columns.iter().any(|x| x == c),
            "chart {}: dataset {} has no column {c}",
            chart.key,
            d.name
        );
        Ok(())
    };
    if chart.range.is_some() {
        anyhow::ensure!(
            d.time_column.is_some(),
            "chart {} has a time range but dataset {} no time column",
            chart.key,
            d.name
        );
    }
    match &chart.viz {
        Viz::BigNumber { metric: m } => metric(m)?,
        Viz::Table {
            groupby,
            metrics,
            sort_by,
            ..
        } => {
            groupby.iter().try_for_each(|c| column(c))?;
            metrics.iter().try_for_each(|m| metric(m))?;
            metric(sort_by)?;
        }
        Viz::Rows {
            columns: cs,
            order_by,
            ..
        } => {
            cs.iter().try_for_each(|c| column(c))?;
            column(order_by)?;
        }
        Viz::Daily {
            metrics, groupby, ..
        } => {
            anyhow::ensure!(
                d.time_column.is_some(),
                "chart {}: a daily chart needs a time column",
                chart.key
            );
            metrics.iter().try_for_each(|m| metric(m))?;
            groupby.iter().try_for_each(|c| column(c))?;
        }
        Viz::Bars {
            column: c,
            metric: m,
            ..
        }
        | Viz::Pie {
            column: c,
            metric: m,
        } => {
            column(c)?;
            metric(m)?;
        }
    }
    Ok(())
}

/// The chart's viz type, its form data (`params`) and the query context Superset's chart data API runs.
fn chart_config(chart: &ChartSpec, d: &DatasetSpec) -> (&'static str, Value, Value) {
    let mut adhoc_filters: Vec<Value> = Vec::new();
    let mut query_filters: Vec<Value> = Vec::new();
    let range = chart.range.map(Range::superset);
    if let (Some(range), Some(time)) = (&range, d.time_column) {
        adhoc_filters.push(json!({
            "clause": "WHERE",
            "subject": time,
            "operator": "TEMPORAL_RANGE",
            "comparator": range,
            "expressionType": "SIMPLE",
        }));
        query_filters.push(json!({"col": time, "op": "TEMPORAL_RANGE", "val": range}));
    }
    for (i, sql) in chart.filters.iter().enumerate() {
        adhoc_filters.push(json!({
            "clause": "WHERE",
            "expressionType": "SQL",
            "sqlExpression": sql,
            "subject": null,
            "operator": null,
            "comparator": null,
            "filterOptionName": format!("filter_{}_{i}", chart.key),
        }));
    }
    let where_sql = chart
        .filters
        .iter()
        .map(|f| format!("({f})"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let mut form = Map::new();
    form.insert("adhoc_filters".to_owned(), json!(adhoc_filters));
    if let Some(range) = &range {
        form.insert("time_range".to_owned(), json!(range));
    }
    let mut query = Map::new();
    query.insert("filters".to_owned(), json!(query_filters));
    query.insert(
        "extras".to_owned(),
        json!({"having": "", "where": where_sql}),
    );
    query.insert("applied_time_extras".to_owned(), json!({}));
    query.insert("annotation_layers".to_owned(), json!([]));
    query.insert("url_params".to_owned(), json!({}));
    query.insert("custom_params".to_owned(), json!({}));
    query.insert("custom_form_data".to_owned(), json!({}));
    if let Some(range) = &range {
        query.insert("time_range".to_owned(), json!(range));
    }
    let viz_type = match &chart.viz {
        Viz::BigNumber { metric } => {
            form.insert("metric".to_owned(), json!(metric));
            form.insert("header_font_size".to_owned(), json!(0.4));
            form.insert("subheader_font_size".to_owned(), json!(0.15));
            form.insert("y_axis_format".to_owned(), json!("SMART_NUMBER"));
            query.insert("columns".to_owned(), json!([]));
            query.insert("metrics".to_owned(), json!([metric]));
            query.insert("row_limit".to_owned(), json!(1));
            "big_number_total"
        }
        Viz::Table {
            groupby,
            metrics,
            sort_by,
            rows,
        } => {
            form.insert("query_mode".to_owned(), json!("aggregate"));
            form.insert("groupby".to_owned(), json!(groupby));
            form.insert("metrics".to_owned(), json!(metrics));
            form.insert("all_columns".to_owned(), json!([]));
            form.insert("percent_metrics".to_owned(), json!([]));
            form.insert("timeseries_limit_metric".to_owned(), json!(sort_by));
            form.insert("order_desc".to_owned(), json!(true));
            form.insert("row_limit".to_owned(), json!(rows));
            form.insert("server_page_length".to_owned(), json!(10));
            form.insert("table_timestamp_format".to_owned(), json!("smart_date"));
            form.insert("show_cell_bars".to_owned(), json!(true));
            form.insert("color_pn".to_owned(), json!(true));
            query.insert("columns".to_owned(), json!(groupby));
            query.insert("metrics".to_owned(), json!(metrics));
            query.insert("orderby".to_owned(), json!([[sort_by, false]]));
            query.insert("row_limit".to_owned(), json!(rows));
            query.insert("order_desc".to_owned(), json!(true));
            "table"
        }
        Viz::Rows {
            columns,
            order_by,
            ascending,
            rows,
        } => {
            form.insert("query_mode".to_owned(), json!("raw"));
            form.insert("groupby".to_owned(), json!([]));
            form.insert("metrics".to_owned(), json!([]));
            form.insert("all_columns".to_owned(), json!(columns));
            form.insert(
                "order_by_cols".to_owned(),
                json!([json!([order_by, ascending]).to_string()]),
            );
            form.insert("row_limit".to_owned(), json!(rows));
            form.insert("server_page_length".to_owned(), json!(10));
            form.insert("table_timestamp_format".to_owned(), json!("smart_date"));
            query.insert("columns".to_owned(), json!(columns));
            query.insert("metrics".to_owned(), json!([]));
            query.insert("orderby".to_owned(), json!([[order_by, ascending]]));
            query.insert("row_limit".to_owned(), json!(rows));
            "table"
        }
        Viz::Daily {
            bar,
            metrics,
            groupby,
        } => {
            let time = d.time_column.unwrap_or_default();
            form.insert("x_axis".to_owned(), json!(time));
            form.insert("time_grain_sqla".to_owned(), json!("P1D"));
            form.insert("metrics".to_owned(), json!(metrics));
            form.insert("groupby".to_owned(), json!(groupby));
            form.insert("row_limit".to_owned(), json!(ROW_LIMIT));
            form.insert("order_desc".to_owned(), json!(true));
            form.insert("show_legend".to_owned(), json!(true));
            form.insert("rich_tooltip".to_owned(), json!(true));
            form.insert("x_axis_time_format".to_owned(), json!("smart_date"));
            form.insert("y_axis_format".to_owned(), json!("SMART_NUMBER"));
            form.insert("truncate_metric".to_owned(), json!(true));
            if *bar && !groupby.is_empty() {
                form.insert("stack".to_owned(), json!("Stack"));
            }
            if !*bar {
                // A series with a single day still shows as a point.
                form.insert("markerEnabled".to_owned(), json!(true));
                form.insert("markerSize".to_owned(), json!(4));
            }
            let mut columns = vec![json!({
                "timeGrain": "P1D",
                "columnType": "BASE_AXIS",
                "sqlExpression": time,
                "label": time,
                "expressionType": "SQL",
            })];
            columns.extend(groupby.iter().map(|c| json!(c)));
            query.insert("columns".to_owned(), json!(columns));
            query.insert("metrics".to_owned(), json!(metrics));
            query.insert("orderby".to_owned(), json!([[metrics[0], false]]));
            query.insert("row_limit".to_owned(), json!(ROW_LIMIT));
            query.insert("series_columns".to_owned(), json!(groupby));
            query.insert("order_desc".to_owned(), json!(true));
            query.insert(
                "post_processing".to_owned(),
                json!([
                    {"operation": "pivot", "options": {
                        "index": [time],
                        "columns": groupby,
                        "aggregates": metrics.iter().map(|m| (m.to_string(), json!({"operator": "mean"})))
                            .collect::<Map<_, _>>(),
                        "drop_missing_columns": false,
                    }},
                    {"operation": "flatten"},
                ]),
            );
            if *bar {
                "echarts_timeseries_bar"
            } else {
                "echarts_timeseries_line"
            }
        }
        Viz::Bars {
            column,
            metric,
            rows,
        } => {
            form.insert("x_axis".to_owned(), json!(column));
            form.insert("metrics".to_owned(), json!([metric]));
            form.insert("groupby".to_owned(), json!([]));
            form.insert("orientation".to_owned(), json!("horizontal"));
            form.insert("x_axis_sort".to_owned(), json!(metric));
            // Horizontal bars stack from the bottom: ascending puts the largest on top.
            form.insert("x_axis_sort_asc".to_owned(), json!(true));
            form.insert("row_limit".to_owned(), json!(rows));
            form.insert("show_legend".to_owned(), json!(false));
            form.insert("y_axis_format".to_owned(), json!("SMART_NUMBER"));
            form.insert("show_value".to_owned(), json!(true));
            query.insert("columns".to_owned(), json!([column]));
            query.insert("metrics".to_owned(), json!([metric]));
            query.insert("orderby".to_owned(), json!([[metric, false]]));
            query.insert("row_limit".to_owned(), json!(rows));
            query.insert("series_columns".to_owned(), json!([]));
            query.insert(
                "post_processing".to_owned(),
                json!([
                    {"operation": "pivot", "options": {
                        "index": [column],
                        "columns": [],
                        "aggregates": {metric.to_string(): {"operator": "mean"}},
                        "drop_missing_columns": false,
                    }},
                    {"operation": "flatten"},
                ]),
            );
            "echarts_timeseries_bar"
        }
        Viz::Pie { column, metric } => {
            form.insert("groupby".to_owned(), json!([column]));
            form.insert("metric".to_owned(), json!(metric));
            form.insert("row_limit".to_owned(), json!(100));
            form.insert("sort_by_metric".to_owned(), json!(true));
            form.insert("donut".to_owned(), json!(true));
            form.insert("show_legend".to_owned(), json!(true));
            form.insert("show_labels".to_owned(), json!(true));
            form.insert("label_type".to_owned(), json!("key_value"));
            form.insert("number_format".to_owned(), json!("SMART_NUMBER"));
            query.insert("columns".to_owned(), json!([column]));
            query.insert("metrics".to_owned(), json!([metric]));
            query.insert("orderby".to_owned(), json!([[metric, false]]));
            query.insert("row_limit".to_owned(), json!(100));
            "pie"
        }
    };
    form.insert("viz_type".to_owned(), json!(viz_type));
    let form = Value::Object(form);
    let query_context = json!({
        "datasource": {"id": 0, "type": "table"},
        "force": false,
        "queries": [Value::Object(query)],
        "form_data": form,
        "result_format": "json",
        "result_type": "full",
    });
    (viz_type, form, query_context)
}

/// A dashboard: a header, then rows of charts (Superset's grid is 12 wide).
fn dashboard_config(d: &DashboardSpec) -> anyhow::Result<Value> {
    let mut position = Map::new();
    position.insert("DASHBOARD_VERSION_KEY".to_owned(), json!("v2"));
    position.insert(
        "HEADER_ID".to_owned(),
        json!({"id": "HEADER_ID", "type": "HEADER", "meta": {"text": d.title}}),
    );
    let mut row_ids = Vec::new();
    for (r, row) in d.rows.iter().enumerate() {
        let row_id = format!("ROW-{}-{r}", d.slug);
        let mut children = Vec::new();
        anyhow::ensure!(
            row.iter().map(|(_, w)| u32::from(*w)).sum::<u32>() <= 12,
            "dashboard {}: row {r} is wider than 12",
            d.slug
        );
        for (key, width) in row.iter() {
            let chart = CHARTS
                .iter()
                .find(|c| c.key == *key)
                .with_context(|| format!("dashboard {} places unknown chart {key}", d.slug))?;
            let id = format!("CHART-{key}");
            position.insert(
                id.clone(),
                json!({
                    "id": id,
                    "type": "CHART",
                    "children": [],
                    "parents": ["ROOT_ID", "GRID_ID", row_id],
                    "meta": {
                        "chartId": 0,
                        "height": 50,
                        "width": width,
                        "sliceName": chart.title,
                        "uuid": stable_uuid(&format!("chart/{key}")).to_string(),
                    },
                }),
            );
            children.push(id);
        }
        position.insert(
            row_id.clone(),
            json!({
                "id": row_id,
                "type": "ROW",
                "children": children,
                "parents": ["ROOT_ID", "GRID_ID"],
                "meta": {"background": "BACKGROUND_TRANSPARENT"},
            }),
        );
        row_ids.push(row_id);
    }
    position.insert(
        "GRID_ID".to_owned(),
        json!({"id": "GRID_ID", "type": "GRID", "children": row_ids, "parents": ["ROOT_ID"]}),
    );
    position.insert(
        "ROOT_ID".to_owned(),
        json!({"id": "ROOT_ID", "type": "ROOT", "children": ["GRID_ID"]}),
    );
    Ok(json!({
        "dashboard_title": d.title,
        "description": d.description,
        "css": "",
        "slug": d.slug,
        "certified_by": null,
        "certification_details": null,
        "published": true,
        "uuid": stable_uuid(&format!("dashboard/{}", d.slug)).to_string(),
        "position": position,
        "metadata": {
            "color_scheme": "supersetColors",
            "refresh_frequency": 0,
            "expanded_slices": {},
            "label_colors": {},
            "timed_refresh_immune_slices": [],
            "cross_filters_enabled": true,
            "default_filters": "{}",
            "chart_configuration": {},
            "native_filter_configuration": [],
            "shared_label_colors": [],
        },
        "version": FORMAT_VERSION,
    }))
}

// ---------------------------------------------------------------------------------------------------------------
// YAML and the zip.

/// A JSON value as block-style YAML: every string double-quoted (JSON's escapes are YAML's), so nothing a name
/// or a comment holds (`:`, `#`, `yes`, Korean, emoji) changes meaning.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Object(_) => "{}".to_owned(),
        Value::Array(_) => "[]".to_owned(),
        // Strings and numbers print as JSON, which YAML reads the same.
        other => other.to_string(),
    }
}

fn key(k: &str) -> String {
    let plain = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !matches!(
            k.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
        );
    if plain {
        k.to_owned()
    } else {
        Value::String(k.to_owned()).to_string()
    }
}

fn is_block(value: &Value) -> bool {
    match value {
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

fn write_map(out: &mut String, map: &Map<String, Value>, indent: usize) {
    for (i, (k, v)) in map.iter().enumerate() {
        // The first key of a map inside a sequence item follows the "- " already written.
        if i > 0 || indent == 0 || !out.ends_with("- ") {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&key(k));
        out.push(':');
        if is_block(v) {
            out.push('\n');
            match v {
                Value::Object(m) => write_map(out, m, indent + 2),
                Value::Array(a) => write_seq(out, a, indent + 2),
                _ => unreachable!("is_block"),
            }
        } else {
            out.push(' ');
            out.push_str(&scalar(v));
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        match item {
            Value::Object(m) if !m.is_empty() => {
                out.push_str("- ");
                write_map(out, m, indent + 2);
            }
            Value::Array(a) if !a.is_empty() => {
                out.push_str("-\n");
                write_seq(out, a, indent + 2);
            }
            other => {
                out.push_str("- ");
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}

/// The zip Superset imports: every file as YAML under one folder.
pub fn package(files: &BTreeMap<String, Value>) -> anyhow::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (path, value) in files {
        let name = format!("{ROOT}/{path}");
        zip.start_file(name.as_str(), options)
            .with_context(|| format!("Failed to add {name} to the bundle"))?;
        zip.write_all(to_yaml(value).as_bytes())
            .with_context(|| format!("Failed to add {name} to the bundle"))?;
    }
    Ok(zip
        .finish()
        .context("Failed to finish the bundle")?
        .into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri() -> url::Url {
        database_uri("mysql://superset_ro:XXXXXXXXXX@db.internal:3306/doberman").expect("uri")
    }

    fn files() -> BTreeMap<String, Value> {
        bundle_files(&uri(), BundleKind::Dashboards, chrono::Utc::now()).expect("bundle")
    }

    #[test]
    fn the_migrations_give_every_table_its_columns_comments_and_later_additions() {
        let schema = Schema::from_migrations().expect("schema");
        let dim_table = schema.columns("dim_table").expect("dim_table");
        let changed = dim_table
            .iter()
            .find(|c| c.name == "data_changed_at")
            .expect("data_changed_at");
        assert!(changed.data_type.starts_with("DATETIME"), "{changed:?}");
        assert!(
            changed
                .comment
                .as_deref()
                .is_some_and(|c| c.starts_with("Freshness")),
            "{changed:?}"
        );
        assert!(
            dim_table.iter().any(|c| c.name == "search_hash"),
            "ALTER TABLE ... ADD COLUMN of 0005 applies"
        );
        assert_eq!(
            schema.tables["job_run"].0.as_deref(),
            Some("One row per scheduled job run (collectors, alert rules, heartbeat)")
        );
        assert!(
            schema.tables.contains_key("fact_cost_service_daily"),
            "{:?}",
            schema.tables.keys()
        );
    }

    #[test]
    fn uris_with_a_password_or_not_mysql_are_refused_with_the_fix() {
        for (uri, expected) in [
            ("mysql://u:secret@db/doberman", "XXXXXXXXXX"),
            ("sqlite://doberman.db", "mysql://"),
            ("postgresql://u@db/doberman", "mysql://"),
            ("mysql://u@db/", "names no database"),
            ("not a uri", "not a URI"),
        ] {
            let e = database_uri(uri).expect_err(uri).to_string();
            assert!(e.contains(expected), "{uri}: {e}");
            assert!(
                !e.contains("secret"),
                "{uri}: the password never shows: {e}"
            );
        }
        let ok = database_uri("mysql+pymysql://u@db:3306/doberman").expect("no password");
        assert_eq!(
            ok.as_str(),
            "mysql+pymysql://u@db:3306/doberman?charset=utf8mb4"
        );
        let kept = database_uri("mysql://u:XXXXXXXXXX@db/doberman?charset=utf8").expect("kept");
        assert_eq!(
            kept.as_str(),
            "mysql://u:XXXXXXXXXX@db/doberman?charset=utf8"
        );
    }

    #[test]
    fn the_store_url_becomes_a_uri_with_the_password_masked_and_no_driver_options() {
        let uri = database_uri_from_store(
            "mysql://doberman:p%40ss@db.internal:3306/doberman?ssl-mode=required",
        )
        .expect("uri");
        assert_eq!(
            uri.as_str(),
            "mysql://doberman:XXXXXXXXXX@db.internal:3306/doberman?charset=utf8mb4"
        );
        let e = database_uri_from_store("sqlite://doberman.db").expect_err("sqlite");
        assert!(e.to_string().contains("--database-uri"), "{e}");
    }

    #[test]
    fn uuids_are_stable_distinct_and_valid() {
        assert_eq!(stable_uuid("chart/a"), stable_uuid("chart/a"));
        assert_ne!(stable_uuid("chart/a"), stable_uuid("chart/b"));
        assert_eq!(stable_uuid("chart/a").get_version_num(), 8);
        let files = files();
        let mut seen = std::collections::HashSet::new();
        for (path, v) in &files {
            if let Some(u) = v.get("uuid") {
                assert!(seen.insert(u.clone()), "{path}: uuid {u} twice");
            }
        }
        assert_eq!(
            files["charts/cost-movers.yaml"]["uuid"],
            json!(stable_uuid("chart/cost-movers").to_string()),
            "the same object keeps its uuid in every bundle"
        );
    }

    #[test]
    fn every_chart_is_on_a_dashboard_and_every_dashboard_row_fits() {
        let files = files();
        let placed: Vec<String> = files
            .iter()
            .filter(|(p, _)| p.starts_with("dashboards/"))
            .flat_map(|(_, d)| {
                d["position"]
                    .as_object()
                    .unwrap()
                    .values()
                    .filter_map(|n| n["meta"]["uuid"].as_str().map(str::to_owned))
                    .collect::<Vec<_>>()
            })
            .collect();
        for (path, chart) in files.iter().filter(|(p, _)| p.starts_with("charts/")) {
            let uuid = chart["uuid"].as_str().unwrap();
            assert_eq!(
                placed.iter().filter(|p| *p == uuid).count(),
                1,
                "{path} is on exactly one dashboard"
            );
        }
        let slugs: Vec<&str> = files
            .iter()
            .filter(|(p, _)| p.starts_with("dashboards/"))
            .map(|(_, d)| d["slug"].as_str().unwrap())
            .collect();
        for linked in [
            "doberman-cost",
            "doberman-usage",
            "doberman-catalog",
            "doberman-requests",
            "doberman-operations",
        ] {
            assert!(
                slugs.contains(&linked),
                "the cards and navigate link to {linked}"
            );
        }
    }

    #[test]
    fn datasets_carry_the_tables_columns_with_types_and_the_time_column() {
        let files = files();
        let usage = &files["datasets/Doberman/fact_table_usage_daily.yaml"];
        assert_eq!(usage["schema"], "doberman");
        assert_eq!(usage["main_dttm_col"], "usage_date");
        assert_eq!(
            usage["description"],
            "Daily use of each table in Athena: what top tables reads"
        );
        let columns = usage["columns"].as_array().unwrap();
        let date = columns
            .iter()
            .find(|c| c["column_name"] == "usage_date")
            .unwrap();
        assert_eq!(
            (date["type"].as_str(), date["is_dttm"].as_bool()),
            (Some("DATE"), Some(true))
        );
        let queries = columns
            .iter()
            .find(|c| c["column_name"] == "queries")
            .unwrap();
        assert_eq!(queries["type"], "BIGINT");
        assert_eq!(queries["is_dttm"], false);
        assert_eq!(queries["verbose_name"], "Queries");
        let computed = columns
            .iter()
            .find(|c| c["column_name"] == "qualified_name")
            .unwrap();
        assert!(computed["expression"].as_str().unwrap().contains("CONCAT"));
        let db = &files["databases/Doberman.yaml"];
        assert_eq!(
            db["sqlalchemy_uri"],
            "mysql://superset_ro:XXXXXXXXXX@db.internal:3306/doberman?charset=utf8mb4"
        );
    }

    #[test]
    fn yaml_quotes_every_string_and_nests_blocks() {
        let value = json!({
            "name": "한글 🐕: yes # not a comment",
            "yes": [1, {"a": "b", "c": []}, [true, null]],
            "empty": {},
            "CHART-x": {"meta": {"width": 4}},
        });
        let yaml = to_yaml(&value);
        assert_eq!(
            yaml,
            "CHART-x:\n  meta:\n    width: 4\nempty: {}\nname: \"한글 🐕: yes # not a comment\"\n\
             \"yes\":\n  - 1\n  - a: \"b\"\n    c: []\n  -\n    - true\n    - null\n"
        );
    }

    #[test]
    fn the_kind_sets_the_type_superset_checks() {
        let at = chrono::Utc::now();
        let dashboards = bundle_files(&uri(), BundleKind::Dashboards, at).unwrap();
        let assets = bundle_files(&uri(), BundleKind::Assets, at).unwrap();
        assert_eq!(dashboards["metadata.yaml"]["type"], "Dashboard");
        assert_eq!(assets["metadata.yaml"]["type"], "assets");
        let zip = package(&dashboards).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        assert!(archive.by_name("doberman_dashboards/metadata.yaml").is_ok());
        assert_eq!(archive.len(), dashboards.len());
    }
}
