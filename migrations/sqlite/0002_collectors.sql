-- Collectors: the job lease, the Glue catalog snapshot, and the Athena query history with its daily roll-up.
-- Same tables as migrations/mysql (documented there in COMMENT clauses). Times are UTC, ISO 8601 text; dates
-- are YYYY-MM-DD local dates in schedule.timezone.

-- Which replica runs each job: one row per job, claimed and renewed while a run lasts
CREATE TABLE job_lease (
    job TEXT NOT NULL,
    holder TEXT NULL,
    expires_at TEXT NOT NULL,
    tick TEXT NULL,
    PRIMARY KEY (job)
);

-- Glue databases, current snapshot; dropped ones are kept with dropped_at
CREATE TABLE dim_database (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    database_name TEXT NOT NULL,
    catalog_id TEXT NULL,
    description TEXT NULL,
    location_uri TEXT NULL,
    parameters TEXT NULL,
    created_at TEXT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    dropped_at TEXT NULL,
    PRIMARY KEY (account, region, database_name)
);

-- Glue tables and views, current snapshot; dropped ones are kept with dropped_at
CREATE TABLE dim_table (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    database_name TEXT NOT NULL,
    table_name TEXT NOT NULL,
    catalog_id TEXT NULL,
    table_type TEXT NULL,
    table_format TEXT NOT NULL,
    location TEXT NULL,
    input_format TEXT NULL,
    output_format TEXT NULL,
    serde_library TEXT NULL,
    classification TEXT NULL,
    owner TEXT NULL,
    description TEXT NULL,
    parameters TEXT NULL,
    partition_keys TEXT NULL,
    column_count INTEGER NOT NULL,
    partition_count INTEGER NULL,
    newest_partition_values TEXT NULL,
    newest_partition_created_at TEXT NULL,
    partitions_checked_at TEXT NULL,
    record_count INTEGER NULL,
    size_bytes INTEGER NULL,
    view_text TEXT NULL,
    created_at TEXT NULL,
    updated_at TEXT NULL,
    data_changed_at TEXT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    dropped_at TEXT NULL
);
CREATE UNIQUE INDEX ux_dim_table_name ON dim_table (account, region, database_name, table_name);
CREATE INDEX ix_dim_table_table ON dim_table (table_name);
CREATE INDEX ix_dim_table_changed ON dim_table (data_changed_at);

-- Columns and partition keys of Glue tables, current snapshot; dropped ones are kept with dropped_at
CREATE TABLE dim_column (
    table_id INTEGER NOT NULL,
    column_name TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    data_type TEXT NOT NULL,
    column_comment TEXT NULL,
    is_partition_key INTEGER NOT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    dropped_at TEXT NULL,
    PRIMARY KEY (table_id, column_name)
);

-- One row per existing table per day: growth of partitions and freshness over time
CREATE TABLE fact_table_snapshot_daily (
    snapshot_date TEXT NOT NULL,
    table_id INTEGER NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    database_name TEXT NOT NULL,
    table_name TEXT NOT NULL,
    table_format TEXT NOT NULL,
    column_count INTEGER NOT NULL,
    partition_count INTEGER NULL,
    record_count INTEGER NULL,
    size_bytes INTEGER NULL,
    updated_at TEXT NULL,
    data_changed_at TEXT NULL,
    PRIMARY KEY (snapshot_date, table_id)
);
CREATE INDEX ix_fact_table_snapshot_daily_name ON fact_table_snapshot_daily (database_name, table_name, snapshot_date);

-- Athena query executions, kept beyond Athena's 45 days
CREATE TABLE fact_athena_query (
    query_id TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    work_group TEXT NOT NULL,
    state TEXT NOT NULL,
    statement_type TEXT NULL,
    query_catalog TEXT NULL,
    query_database TEXT NULL,
    submitted_at TEXT NOT NULL,
    completed_at TEXT NULL,
    usage_date TEXT NOT NULL,
    engine_ms INTEGER NULL,
    total_ms INTEGER NULL,
    queue_ms INTEGER NULL,
    bytes_scanned INTEGER NULL,
    engine_version TEXT NULL,
    error_message TEXT NULL,
    sql_text TEXT NULL,
    sql_bytes INTEGER NOT NULL,
    sql_truncated INTEGER NOT NULL,
    sql_hash TEXT NOT NULL,
    tables_error TEXT NULL,
    collected_at TEXT NOT NULL,
    PRIMARY KEY (query_id)
);
CREATE INDEX ix_fact_athena_query_wg ON fact_athena_query (account, region, work_group, submitted_at);
CREATE INDEX ix_fact_athena_query_date ON fact_athena_query (usage_date);
CREATE INDEX ix_fact_athena_query_state ON fact_athena_query (state);

-- Which tables each Athena query read or wrote, from its SQL text
CREATE TABLE fact_athena_query_table (
    query_id TEXT NOT NULL,
    database_name TEXT NOT NULL,
    table_name TEXT NOT NULL,
    access TEXT NOT NULL,
    PRIMARY KEY (query_id, database_name, table_name, access)
);
CREATE INDEX ix_fact_athena_query_table_table ON fact_athena_query_table (database_name, table_name);

-- Daily use of each table in Athena: what top tables reads
CREATE TABLE fact_table_usage_daily (
    usage_date TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    work_group TEXT NOT NULL,
    database_name TEXT NOT NULL,
    table_name TEXT NOT NULL,
    queries INTEGER NOT NULL,
    read_queries INTEGER NOT NULL,
    write_queries INTEGER NOT NULL,
    failed_queries INTEGER NOT NULL,
    bytes_scanned INTEGER NOT NULL,
    distinct_queries INTEGER NOT NULL,
    PRIMARY KEY (usage_date, account, region, work_group, database_name, table_name)
);
CREATE INDEX ix_fact_table_usage_daily_table ON fact_table_usage_daily (database_name, table_name, usage_date);
