-- What the chat answers read at lake scale (see the MySQL migration of the same number for the columns).

-- The 7, 30 and 90 days ending through_date, per table and per database, with the period before; recomputed
-- from the daily roll-ups after each usage collection, read only for the day usage_window_state names.
CREATE TABLE usage_window_state (
    window_days INTEGER NOT NULL PRIMARY KEY, -- length of the period in days
    through_date TEXT NOT NULL,               -- local date the period ends on, inclusive
    refreshed_at TEXT NOT NULL                -- UTC
);

CREATE TABLE fact_table_usage_window (
    window_days INTEGER NOT NULL,
    database_name TEXT NOT NULL,
    table_name TEXT NOT NULL,
    queries INTEGER NOT NULL,
    bytes_scanned INTEGER NOT NULL,
    previous_queries INTEGER NOT NULL,
    PRIMARY KEY (window_days, database_name, table_name)
);
CREATE INDEX ix_fact_table_usage_window_queries
    ON fact_table_usage_window (window_days, queries DESC, bytes_scanned DESC, database_name, table_name);
CREATE INDEX ix_fact_table_usage_window_bytes
    ON fact_table_usage_window (window_days, bytes_scanned DESC, queries DESC, database_name, table_name);
CREATE INDEX ix_fact_table_usage_window_db_queries
    ON fact_table_usage_window (window_days, database_name, queries DESC, bytes_scanned DESC, table_name);
CREATE INDEX ix_fact_table_usage_window_db_bytes
    ON fact_table_usage_window (window_days, database_name, bytes_scanned DESC, queries DESC, table_name);

CREATE TABLE fact_database_usage_window (
    window_days INTEGER NOT NULL,
    database_name TEXT NOT NULL,
    queries INTEGER NOT NULL,
    bytes_scanned INTEGER NOT NULL,
    previous_queries INTEGER NOT NULL,
    PRIMARY KEY (window_days, database_name)
);
CREATE INDEX ix_fact_database_usage_window_queries
    ON fact_database_usage_window (window_days, queries DESC, bytes_scanned DESC, database_name);
CREATE INDEX ix_fact_database_usage_window_bytes
    ON fact_database_usage_window (window_days, bytes_scanned DESC, queries DESC, database_name);

-- Cost per day, account and service, replaced with fact_cost_daily a billing month at a time.
CREATE TABLE fact_cost_service_daily (
    currency TEXT NOT NULL,
    usage_date TEXT NOT NULL,
    account_id TEXT NOT NULL,
    service TEXT NOT NULL,
    billing_month TEXT NOT NULL,
    unblended_cost REAL NOT NULL,
    amortized_cost REAL NOT NULL,
    cost_rows INTEGER NOT NULL,
    PRIMARY KEY (currency, usage_date, account_id, service, billing_month)
);
CREATE INDEX ix_fact_cost_service_daily_month ON fact_cost_service_daily (billing_month);

INSERT INTO fact_cost_service_daily (currency, usage_date, account_id, service, billing_month, unblended_cost,
    amortized_cost, cost_rows)
SELECT currency, usage_date, account_id, service, billing_month, SUM(unblended_cost), SUM(amortized_cost), COUNT(*)
FROM fact_cost_daily
GROUP BY currency, usage_date, account_id, service, billing_month;
