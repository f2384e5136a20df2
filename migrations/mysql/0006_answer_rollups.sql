-- What the chat answers read at lake scale. "top tables" over 100,000 tables summed a day-row per table and work
-- group over twice the period (seconds for 30 days); "cost" summed every usage type and charge type of two months.
-- These tables hold the answers' own grain, refreshed by the collectors that write the facts.

-- The periods "top tables" and "top databases" offer (7, 30 and 90 days ending today), summed per table and per
-- database with the period before, recomputed from the daily roll-ups after each usage collection. An answer reads
-- them only when usage_window_state says they end on the day asked; otherwise it sums the daily roll-ups.
CREATE TABLE usage_window_state (
    window_days  SMALLINT    NOT NULL
        COMMENT 'Length of the period in days',
    through_date DATE        NOT NULL
        COMMENT 'Local date (schedule.timezone) the period ends on, inclusive',
    refreshed_at DATETIME(6) NOT NULL
        COMMENT 'UTC time the window rows were recomputed',
    PRIMARY KEY (window_days)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Which day the usage windows end on: the answers read them only for that day';

CREATE TABLE fact_table_usage_window (
    window_days      SMALLINT     NOT NULL
        COMMENT 'Length of the period in days (usage_window_state)',
    database_name    VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Database',
    table_name       VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Table',
    queries          BIGINT       NOT NULL
        COMMENT 'Queries that read or wrote it in the period',
    bytes_scanned    BIGINT       NOT NULL
        COMMENT 'Bytes those queries scanned',
    previous_queries BIGINT       NOT NULL
        COMMENT 'Its queries in the period of the same length before',
    PRIMARY KEY (window_days, database_name, table_name),
    KEY ix_fact_table_usage_window_queries (window_days, queries DESC, bytes_scanned DESC, database_name, table_name),
    KEY ix_fact_table_usage_window_bytes (window_days, bytes_scanned DESC, queries DESC, database_name, table_name),
    KEY ix_fact_table_usage_window_db_queries (window_days, database_name, queries DESC, bytes_scanned DESC, table_name),
    KEY ix_fact_table_usage_window_db_bytes (window_days, database_name, bytes_scanned DESC, queries DESC, table_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Use of each table over the last 7, 30 and 90 days: what top tables reads, in rank order';

CREATE TABLE fact_database_usage_window (
    window_days      SMALLINT     NOT NULL
        COMMENT 'Length of the period in days (usage_window_state)',
    database_name    VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Database',
    queries          BIGINT       NOT NULL
        COMMENT 'Queries that used any of its tables in the period, each once',
    bytes_scanned    BIGINT       NOT NULL
        COMMENT 'Bytes those queries scanned',
    previous_queries BIGINT       NOT NULL
        COMMENT 'Its queries in the period of the same length before',
    PRIMARY KEY (window_days, database_name),
    KEY ix_fact_database_usage_window_queries (window_days, queries DESC, bytes_scanned DESC, database_name),
    KEY ix_fact_database_usage_window_bytes (window_days, bytes_scanned DESC, queries DESC, database_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Use of each database over the last 7, 30 and 90 days: what top databases reads';

-- Cost per day, account and service (usage types and charge types summed): what "cost" and the cost alerts read.
-- Replaced with fact_cost_daily, a billing month at a time, in the same transaction.
CREATE TABLE fact_cost_service_daily (
    currency       VARCHAR(8)    NOT NULL
        COMMENT 'line_item_currency_code',
    usage_date     DATE          NOT NULL
        COMMENT 'UTC day of line_item_usage_start_date',
    account_id     VARCHAR(12)   NOT NULL
        COMMENT 'Usage account (dim_account.account_id)',
    service        VARCHAR(128)  NOT NULL
        COMMENT 'line_item_product_code',
    billing_month  DATE          NOT NULL
        COMMENT 'Billing period the line items belong to (what a cost run replaces)',
    unblended_cost DECIMAL(20,6) NOT NULL
        COMMENT 'Sum of fact_cost_daily.unblended_cost',
    amortized_cost DECIMAL(20,6) NOT NULL
        COMMENT 'Sum of fact_cost_daily.amortized_cost',
    cost_rows      BIGINT        NOT NULL
        COMMENT 'fact_cost_daily rows summed (which currency the report is in)',
    PRIMARY KEY (currency, usage_date, account_id, service, billing_month),
    KEY ix_fact_cost_service_daily_month (billing_month)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'AWS cost per day, account and service: what the cost answer and alerts read';

INSERT INTO fact_cost_service_daily (currency, usage_date, account_id, service, billing_month, unblended_cost,
    amortized_cost, cost_rows)
SELECT currency, usage_date, account_id, service, billing_month, SUM(unblended_cost), SUM(amortized_cost), COUNT(*)
FROM fact_cost_daily
GROUP BY currency, usage_date, account_id, service, billing_month;
