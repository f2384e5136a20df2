-- Usage roll-ups per database and per work group, so top databases and the overall figures read a few thousand
-- daily rows instead of the raw query history (10 million queries take seconds to join and count). Maintained
-- with fact_table_usage_daily, in the same transaction, for every day a write touches; filled here from the
-- history already stored. Also indexes for the "latest write" figures status and the answers show.

CREATE TABLE fact_database_usage_daily (
    usage_date     DATE         NOT NULL
        COMMENT 'Local date (schedule.timezone)',
    account        VARCHAR(64)  NOT NULL
        COMMENT 'Account name from aws.accounts',
    region         VARCHAR(32)  NOT NULL
        COMMENT 'AWS region',
    work_group     VARCHAR(128) NOT NULL
        COMMENT 'Athena work group',
    database_name  VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Database, as in fact_athena_query_table (empty when unknown)',
    queries        BIGINT       NOT NULL
        COMMENT 'Queries that read or wrote any of its tables, each once however many tables it used',
    failed_queries BIGINT       NOT NULL
        COMMENT 'Of those, FAILED or CANCELLED',
    bytes_scanned  BIGINT       NOT NULL
        COMMENT 'Sum of the bytes those queries scanned, each query once',
    PRIMARY KEY (usage_date, account, region, work_group, database_name),
    KEY ix_fact_database_usage_daily_database (database_name, usage_date)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Daily use of each database in Athena, each query counted once: what top databases reads';

CREATE TABLE fact_workgroup_usage_daily (
    usage_date          DATE         NOT NULL
        COMMENT 'Local date (schedule.timezone)',
    account             VARCHAR(64)  NOT NULL
        COMMENT 'Account name from aws.accounts',
    region              VARCHAR(32)  NOT NULL
        COMMENT 'AWS region',
    work_group          VARCHAR(128) NOT NULL
        COMMENT 'Athena work group',
    queries             BIGINT       NOT NULL
        COMMENT 'Queries submitted that day',
    failed_queries      BIGINT       NOT NULL
        COMMENT 'Of those, FAILED or CANCELLED',
    bytes_scanned       BIGINT       NOT NULL
        COMMENT 'Sum of the bytes they scanned',
    table_queries       BIGINT       NOT NULL
        COMMENT 'Queries that read or wrote at least one known table (what top tables totals count)',
    table_bytes_scanned BIGINT       NOT NULL
        COMMENT 'Sum of the bytes those queries scanned',
    PRIMARY KEY (usage_date, account, region, work_group)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Daily Athena use per work group, each query once: the totals top tables shows';

INSERT INTO fact_database_usage_daily (usage_date, account, region, work_group, database_name, queries,
    failed_queries, bytes_scanned)
SELECT x.usage_date, x.account, x.region, x.work_group, x.database_name, COUNT(*),
    SUM(CASE WHEN x.state IN ('FAILED', 'CANCELLED') THEN 1 ELSE 0 END), COALESCE(SUM(x.bytes_scanned), 0)
FROM (
    SELECT DISTINCT q.query_id, q.usage_date, q.account, q.region, q.work_group, q.state, q.bytes_scanned,
        t.database_name
    FROM fact_athena_query q JOIN fact_athena_query_table t ON t.query_id = q.query_id
) x
GROUP BY x.usage_date, x.account, x.region, x.work_group, x.database_name;

INSERT INTO fact_workgroup_usage_daily (usage_date, account, region, work_group, queries, failed_queries,
    bytes_scanned, table_queries, table_bytes_scanned)
SELECT x.usage_date, x.account, x.region, x.work_group, COUNT(*),
    SUM(CASE WHEN x.state IN ('FAILED', 'CANCELLED') THEN 1 ELSE 0 END), COALESCE(SUM(x.bytes_scanned), 0),
    SUM(x.has_tables), COALESCE(SUM(CASE WHEN x.has_tables = 1 THEN x.bytes_scanned ELSE 0 END), 0)
FROM (
    SELECT q.usage_date, q.account, q.region, q.work_group, q.state, q.bytes_scanned,
        CASE WHEN EXISTS (SELECT 1 FROM fact_athena_query_table t WHERE t.query_id = q.query_id)
            THEN 1 ELSE 0 END AS has_tables
    FROM fact_athena_query q
) x
GROUP BY x.usage_date, x.account, x.region, x.work_group;

-- MAX(...) of these columns is "data as of" on every answer and in status: read from the index, not a scan.
CREATE INDEX ix_fact_athena_query_collected ON fact_athena_query (collected_at);
CREATE INDEX ix_fact_cost_daily_collected ON fact_cost_daily (collected_at);
CREATE INDEX ix_fact_cost_daily_currency ON fact_cost_daily (currency, usage_date);
