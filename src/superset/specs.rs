//! What the bundle holds, as data: the datasets (tables, metrics, extra columns), the charts and the dashboards.

/// A saved metric of a dataset.
pub(super) struct MetricSpec {
    pub(super) name: &'static str,
    pub(super) label: &'static str,
    pub(super) expression: &'static str,
    pub(super) format: Option<&'static str>,
}

pub(super) const fn metric(
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
pub(super) struct ExtraColumn {
    pub(super) name: &'static str,
    pub(super) data_type: &'static str,
    pub(super) expression: Option<&'static str>,
    pub(super) description: &'static str,
}

/// A column of a virtual dataset's query.
pub(super) const fn column(
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
pub(super) struct DatasetSpec {
    /// The table, or the virtual dataset's name.
    pub(super) name: &'static str,
    /// The query of a virtual dataset.
    pub(super) sql: Option<&'static str>,
    pub(super) description: &'static str,
    pub(super) time_column: Option<&'static str>,
    pub(super) metrics: &'static [MetricSpec],
    /// Calculated columns of a table; all columns of a virtual dataset.
    pub(super) columns: &'static [ExtraColumn],
}

/// Dates Superset's time range filter understands.
#[derive(Clone, Copy)]
pub(super) enum Range {
    /// `Current month`: from the 1st.
    CurrentMonth,
    /// `previous calendar month`.
    PreviousMonth,
    /// The last n days, today included (Superset's `Last month` and the like stop before today). Superset's
    /// "today" is UTC's, and columns such as snapshot dates and `started_local` are in `schedule.timezone`: east
    /// of UTC they are a day ahead for part of every day, so the range runs to the end of UTC's tomorrow.
    Days(u32),
}

impl Range {
    pub(super) fn superset(self) -> String {
        match self {
            Range::CurrentMonth => "Current month".to_owned(),
            Range::PreviousMonth => "previous calendar month".to_owned(),
            Range::Days(n) => format!(
                "DATEADD(DATETIME(\"today\"), -{}, day) : DATEADD(DATETIME(\"today\"), 2, day)",
                n.saturating_sub(1)
            ),
        }
    }
}

/// What a chart shows.
pub(super) enum Viz {
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
    /// A metric per pair of values: `x` across, `y` down, the cell's colour its size.
    Heatmap {
        x: &'static str,
        y: &'static str,
        metric: &'static str,
    },
}

pub(super) struct ChartSpec {
    /// Stable name (the UUID is derived from it).
    pub(super) key: &'static str,
    pub(super) title: &'static str,
    pub(super) description: &'static str,
    pub(super) dataset: &'static str,
    /// The time range on the dataset's time column, if any.
    pub(super) range: Option<Range>,
    /// SQL conditions (WHERE) the chart always applies.
    pub(super) filters: &'static [&'static str],
    pub(super) viz: Viz,
}

pub(super) struct DashboardSpec {
    pub(super) slug: &'static str,
    pub(super) title: &'static str,
    pub(super) description: &'static str,
    /// Rows of (chart key, width of 12).
    pub(super) rows: &'static [&'static [(&'static str, u8)]],
}

pub(super) const SUM_COST: MetricSpec = metric(
    "cost",
    "Cost (amortized)",
    "SUM(amortized_cost)",
    Some(",.2f"),
);

pub(super) const SUM_UNBLENDED: MetricSpec = metric(
    "unblended_cost",
    "Cost (unblended)",
    "SUM(unblended_cost)",
    Some(",.2f"),
);

pub(super) const QUERIES: MetricSpec = metric("queries", "Queries", "SUM(queries)", Some(",d"));

pub(super) const FAILED_QUERIES: MetricSpec = metric(
    "failed_queries",
    "Failed queries",
    "SUM(failed_queries)",
    Some(",d"),
);

pub(super) const GIB_SCANNED: MetricSpec = metric(
    "gib_scanned",
    "GiB scanned",
    "SUM(bytes_scanned) / 1073741824.0",
    Some(",.1f"),
);

/// Days since the data last changed, and the bucket a table's freshness falls in.
pub(super) const DAYS_SINCE_CHANGE: &str = "TIMESTAMPDIFF(DAY, data_changed_at, UTC_TIMESTAMP())";

pub(super) const FRESHNESS_BUCKET: &str = "CASE WHEN data_changed_at IS NULL THEN 'unknown' \
     WHEN data_changed_at >= UTC_TIMESTAMP() - INTERVAL 1 DAY THEN 'within a day' \
     WHEN data_changed_at >= UTC_TIMESTAMP() - INTERVAL 7 DAY THEN '1 to 7 days' \
     WHEN data_changed_at >= UTC_TIMESTAMP() - INTERVAL 30 DAY THEN '7 to 30 days' \
     ELSE 'over 30 days' END";

pub(super) const DATASETS: &[DatasetSpec] = &[
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
    DatasetSpec {
        name: "airflow_runs",
        sql: Some(
            "SELECT r.instance, r.dag_id, COALESCE(d.owners, '') AS owners, r.run_type, r.state,\n\
             \x20      r.started_at, r.ended_at, r.started_local, r.duration_secs / 60.0 AS run_minutes,\n\
             \x20      ELT(WEEKDAY(r.started_local) + 1, '1 Mon', '2 Tue', '3 Wed', '4 Thu', '5 Fri', '6 Sat',\n\
             \x20          '7 Sun') AS weekday,\n\
             \x20      LPAD(HOUR(r.started_local), 2, '0') AS start_hour\n\
             FROM fact_airflow_dag_run r\n\
             LEFT JOIN dim_airflow_dag d ON d.instance = r.instance AND d.dag_id = r.dag_id",
        ),
        description: "Airflow DAG runs (fact_airflow_dag_run) with their DAG's owners (dim_airflow_dag); times \
                      local in schedule.timezone (started_local, weekday, start_hour).",
        time_column: Some("started_local"),
        metrics: &[
            metric("runs", "Runs", "COUNT(*)", Some(",d")),
            metric(
                "failed_runs",
                "Failed runs",
                "SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END)",
                Some(",d"),
            ),
            metric(
                "run_minutes",
                "Run minutes",
                "SUM(run_minutes)",
                Some(",.0f"),
            ),
            metric(
                "avg_minutes",
                "Average minutes",
                "AVG(run_minutes)",
                Some(",.1f"),
            ),
            metric(
                "max_minutes",
                "Longest minutes",
                "MAX(run_minutes)",
                Some(",.1f"),
            ),
        ],
        columns: &[
            column(
                "instance",
                "VARCHAR(64)",
                "Airflow instance (airflow.instances)",
            ),
            column("dag_id", "VARCHAR(250)", "DAG id"),
            column("owners", "VARCHAR(1024)", "DAG owners"),
            column(
                "run_type",
                "VARCHAR(32)",
                "scheduled, manual, backfill or asset_triggered",
            ),
            column("state", "VARCHAR(16)", "queued, running, success or failed"),
            column("started_at", "DATETIME", "UTC start"),
            column("ended_at", "DATETIME", "UTC end"),
            column("started_local", "DATETIME", "Start in schedule.timezone"),
            column("run_minutes", "DOUBLE", "Minutes from start to end"),
            column(
                "weekday",
                "VARCHAR(8)",
                "Local weekday of the start, 1 Mon to 7 Sun",
            ),
            column(
                "start_hour",
                "VARCHAR(2)",
                "Local hour of the start, 00 to 23",
            ),
        ],
    },
    DatasetSpec {
        name: "fact_airflow_task_failure",
        sql: None,
        description: "",
        time_column: Some("ended_at"),
        metrics: &[metric("failures", "Failed tries", "COUNT(*)", Some(",d"))],
        columns: &[],
    },
    DatasetSpec {
        name: "check_results",
        sql: Some(
            "SELECT r.check_name, c.table_name, c.kind, c.severity, c.owner, r.day_checked, r.ran_at, r.status,\n\
             \x20      r.source_value, r.lake_value, r.difference, r.message, r.duration_ms, r.bytes_scanned\n\
             FROM fact_check_result r\n\
             LEFT JOIN dim_check c ON c.check_name = r.check_name",
        ),
        description: "Data checks (정합성): what each check found per day (fact_check_result) with its table, kind, \
                      severity and owner (dim_check); day_checked is the day the check was about, in \
                      schedule.timezone.",
        time_column: Some("day_checked"),
        metrics: &[
            metric("checks_run", "Checks run", "COUNT(*)", Some(",d")),
            metric(
                "pass_rate",
                "Pass rate (%)",
                "100.0 * AVG(CASE WHEN status = 'pass' THEN 1 ELSE 0 END)",
                Some(",.1f"),
            ),
            metric(
                "failed_results",
                "Failed",
                "SUM(CASE WHEN status = 'fail' THEN 1 ELSE 0 END)",
                Some(",d"),
            ),
            metric(
                "error_results",
                "Errors",
                "SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END)",
                Some(",d"),
            ),
            metric(
                "failing_results",
                "Failed or error",
                "SUM(CASE WHEN status IN ('fail', 'error') THEN 1 ELSE 0 END)",
                Some(",d"),
            ),
            // One result per check and day: the averages are the day's values when a chart groups by check.
            metric("avg_difference", "Difference", "AVG(difference)", None),
            metric(
                "avg_source_value",
                "Source value",
                "AVG(source_value)",
                None,
            ),
            metric("avg_lake_value", "Lake value", "AVG(lake_value)", None),
        ],
        columns: &[
            column(
                "check_name",
                "VARCHAR(200)",
                "Name of the check (glue_dq: glue:<ruleset>)",
            ),
            column("table_name", "VARCHAR(512)", "Lake table, database.table"),
            column(
                "kind",
                "VARCHAR(32)",
                "row_count_match, aggregate_match, not_null, unique, freshness, row_count_range, custom or glue_dq",
            ),
            column("severity", "VARCHAR(8)", "error or warn"),
            column(
                "owner",
                "VARCHAR(255)",
                "Owner as written in the check file",
            ),
            column(
                "day_checked",
                "DATE",
                "Day the check was about, in schedule.timezone",
            ),
            column("ran_at", "DATETIME", "UTC end of the run"),
            column(
                "status",
                "VARCHAR(8)",
                "pass, fail (the data is wrong) or error (the check could not tell)",
            ),
            column(
                "source_value",
                "DOUBLE",
                "Number the system of record gave; empty for one-sided kinds and errors",
            ),
            column("lake_value", "DOUBLE", "Number the lake gave"),
            column(
                "difference",
                "DOUBLE",
                "lake_value - source_value, or how far outside its limit; 0 when it passes",
            ),
            column("message", "TEXT", "What it found, in words"),
            column("duration_ms", "BIGINT", "Wall time of the run, both sides"),
            column("bytes_scanned", "BIGINT", "Bytes Athena scanned for it"),
        ],
    },
    DatasetSpec {
        name: "check_latest",
        sql: Some(
            "SELECT c.check_name, c.table_name, c.kind, c.severity, c.owner,\n\
             \x20      COALESCE(r.status, 'not run') AS status, r.day_checked, r.ran_at, r.source_value,\n\
             \x20      r.lake_value, r.difference, r.message\n\
             FROM dim_check c\n\
             LEFT JOIN fact_check_result r ON r.id = c.last_result_id\n\
             WHERE c.is_active = 1",
        ),
        description: "Data checks (정합성) declared now (dim_check), each with its latest result \
                      (dim_check.last_result_id): what fails now, whatever day it last ran for; `not run` before \
                      its first result.",
        time_column: None,
        metrics: &[
            metric("checks", "Checks", "COUNT(*)", Some(",d")),
            metric(
                "failing_checks",
                "Failing checks",
                "SUM(CASE WHEN status IN ('fail', 'error') THEN 1 ELSE 0 END)",
                Some(",d"),
            ),
        ],
        columns: &[
            column(
                "check_name",
                "VARCHAR(200)",
                "Name of the check (glue_dq: glue:<ruleset>)",
            ),
            column("table_name", "VARCHAR(512)", "Lake table, database.table"),
            column(
                "kind",
                "VARCHAR(32)",
                "row_count_match, aggregate_match, not_null, unique, freshness, row_count_range, custom or \
                 glue_dq",
            ),
            column("severity", "VARCHAR(8)", "error or warn"),
            column(
                "owner",
                "VARCHAR(255)",
                "Owner as written in the check file",
            ),
            column(
                "status",
                "VARCHAR(8)",
                "Latest result: pass, fail, error, or not run",
            ),
            column(
                "day_checked",
                "DATE",
                "Day the latest result was about, in schedule.timezone",
            ),
            column("ran_at", "DATETIME", "UTC end of the latest run"),
            column("source_value", "DOUBLE", "Number the system of record gave"),
            column("lake_value", "DOUBLE", "Number the lake gave"),
            column(
                "difference",
                "DOUBLE",
                "lake_value - source_value, or how far outside its limit; 0 when it passes",
            ),
            column("message", "TEXT", "What it found, in words"),
        ],
    },
];

pub(super) const NOT_DROPPED: &str = "dropped_at IS NULL";

/// Backfills are told apart: they are not the schedule.
pub(super) const NOT_BACKFILL: &str = "run_type <> 'backfill'";

pub(super) const CHARTS: &[ChartSpec] = &[
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
    // Airflow.
    ChartSpec {
        key: "airflow-runs-per-day",
        title: "DAG runs per day, by state",
        description: "Runs started each (local) day of the last 30 days, backfills left out.",
        dataset: "airflow_runs",
        range: Some(Range::Days(30)),
        filters: &[NOT_BACKFILL],
        viz: Viz::Daily {
            bar: true,
            metrics: &["runs"],
            groupby: &["state"],
        },
    },
    ChartSpec {
        key: "airflow-schedule-heatmap",
        title: "Schedule heatmap: run minutes by weekday and hour",
        description: "Where the scheduler is busy: minutes of DAG runs started in each local hour of each \
                      weekday, last 30 days, backfills left out.",
        dataset: "airflow_runs",
        range: Some(Range::Days(30)),
        filters: &[NOT_BACKFILL],
        viz: Viz::Heatmap {
            x: "start_hour",
            y: "weekday",
            metric: "run_minutes",
        },
    },
    ChartSpec {
        key: "airflow-slowest-dags",
        title: "Slowest DAGs, last 30 days",
        description: "Successful scheduled and manual runs: average and longest minutes per DAG.",
        dataset: "airflow_runs",
        range: Some(Range::Days(30)),
        filters: &[NOT_BACKFILL, "state = 'success'"],
        viz: Viz::Table {
            groupby: &["instance", "dag_id"],
            metrics: &["avg_minutes", "max_minutes", "runs"],
            sort_by: "avg_minutes",
            rows: 20,
        },
    },
    ChartSpec {
        key: "airflow-duration-trend",
        title: "Run minutes per day, by DAG",
        description: "How long each DAG's successful runs take, day by day: the slow ones' trend.",
        dataset: "airflow_runs",
        range: Some(Range::Days(30)),
        filters: &[NOT_BACKFILL, "state = 'success'"],
        viz: Viz::Daily {
            bar: false,
            metrics: &["avg_minutes"],
            groupby: &["dag_id"],
        },
    },
    ChartSpec {
        key: "airflow-failures-by-dag",
        title: "Failed runs by DAG and owner, last 30 days",
        description: "Per DAG and its owners: failed runs out of all runs.",
        dataset: "airflow_runs",
        range: Some(Range::Days(30)),
        filters: &[],
        viz: Viz::Table {
            groupby: &["instance", "dag_id", "owners"],
            metrics: &["failed_runs", "runs"],
            sort_by: "failed_runs",
            rows: 50,
        },
    },
    ChartSpec {
        key: "airflow-recent-task-failures",
        title: "Recent failed tasks",
        description: "Failed task tries of the last 7 days with their log links, newest first.",
        dataset: "fact_airflow_task_failure",
        range: Some(Range::Days(7)),
        filters: &[],
        viz: Viz::Rows {
            columns: &[
                "ended_at",
                "instance",
                "dag_id",
                "task_id",
                "try_number",
                "state",
                "log_url",
            ],
            order_by: "ended_at",
            ascending: false,
            rows: 50,
        },
    },
    // Data quality.
    ChartSpec {
        key: "quality-failing-now",
        title: "Failing checks now",
        description: "Declared checks whose latest result is fail or error.",
        dataset: "check_latest",
        range: None,
        filters: &[],
        viz: Viz::BigNumber {
            metric: "failing_checks",
        },
    },
    ChartSpec {
        key: "quality-pass-rate",
        title: "Pass rate per day (%)",
        description: "Share of the day's results that passed (fail and error count against), per day checked, \
                      last 30 days.",
        dataset: "check_results",
        range: Some(Range::Days(30)),
        filters: &[],
        viz: Viz::Daily {
            bar: false,
            metrics: &["pass_rate"],
            groupby: &[],
        },
    },
    ChartSpec {
        key: "quality-results-per-day",
        title: "Checks run per day, by result",
        description: "Results per day checked, last 30 days, stacked by pass, fail and error.",
        dataset: "check_results",
        range: Some(Range::Days(30)),
        filters: &[],
        viz: Viz::Daily {
            bar: true,
            metrics: &["checks_run"],
            groupby: &["status"],
        },
    },
    ChartSpec {
        key: "quality-by-table",
        title: "Results by table, last 30 days",
        description: "Per lake table: failed and errored results out of all, and the pass rate.",
        dataset: "check_results",
        range: Some(Range::Days(30)),
        filters: &[],
        viz: Viz::Table {
            groupby: &["table_name"],
            metrics: &[
                "failing_results",
                "failed_results",
                "error_results",
                "checks_run",
                "pass_rate",
            ],
            sort_by: "failing_results",
            rows: 50,
        },
    },
    ChartSpec {
        key: "quality-failing-checks",
        title: "Failing checks",
        description: "Declared checks whose latest result is fail or error, with their table, severity, owner and \
                      what they found; errors (severity) first.",
        dataset: "check_latest",
        range: None,
        filters: &["status IN ('fail', 'error')"],
        viz: Viz::Rows {
            columns: &[
                "severity",
                "check_name",
                "table_name",
                "owner",
                "status",
                "day_checked",
                "difference",
                "message",
            ],
            order_by: "severity",
            ascending: true,
            rows: 100,
        },
    },
    ChartSpec {
        key: "quality-difference-trend",
        title: "Difference per day, by check",
        description: "lake_value - source_value for the match kinds, how far outside its limit for the others \
                      (0 when it passes), per day checked, last 30 days.",
        dataset: "check_results",
        range: Some(Range::Days(30)),
        filters: &["difference IS NOT NULL"],
        viz: Viz::Daily {
            bar: false,
            metrics: &["avg_difference"],
            groupby: &["check_name"],
        },
    },
    ChartSpec {
        key: "quality-source-and-lake",
        title: "Source and lake values per day, by check",
        description: "What the system of record and the lake gave, per day checked, last 30 days (the match \
                      kinds: both sides).",
        dataset: "check_results",
        range: Some(Range::Days(30)),
        filters: &["source_value IS NOT NULL"],
        viz: Viz::Daily {
            bar: false,
            metrics: &["avg_source_value", "avg_lake_value"],
            groupby: &["check_name"],
        },
    },
];

/// The dashboards, by the slugs the cards link to.
pub(super) const DASHBOARDS: &[DashboardSpec] = &[
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
    DashboardSpec {
        slug: "doberman-airflow",
        title: "Doberman · Airflow",
        description: "Airflow pipelines: runs per day by state, the schedule heatmap (where the scheduler is \
                      busy), the slowest DAGs and their trend, failures by DAG and owner.",
        rows: &[
            &[("airflow-runs-per-day", 12)],
            &[("airflow-schedule-heatmap", 12)],
            &[("airflow-slowest-dags", 6), ("airflow-duration-trend", 6)],
            &[
                ("airflow-failures-by-dag", 6),
                ("airflow-recent-task-failures", 6),
            ],
        ],
    },
    DashboardSpec {
        slug: "doberman-quality",
        title: "Doberman · Data quality (정합성)",
        description: "Data checks: what fails now with its owner and message, the pass rate and checks run per \
                      day, results by table, and each check's difference and source and lake values over time.",
        rows: &[
            &[("quality-failing-now", 3), ("quality-pass-rate", 9)],
            &[("quality-failing-checks", 12)],
            &[("quality-results-per-day", 6), ("quality-by-table", 6)],
            &[
                ("quality-difference-trend", 6),
                ("quality-source-and-lake", 6),
            ],
        ],
    },
];
