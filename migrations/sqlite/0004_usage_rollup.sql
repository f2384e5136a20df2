-- Usage roll-ups per database and per work group, maintained with fact_table_usage_daily; indexes for the
-- "latest write" figures. Same tables as migrations/mysql (documented there in COMMENT clauses).

-- Daily use of each database in Athena, each query counted once: what top databases reads
CREATE TABLE fact_database_usage_daily (
    usage_date TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    work_group TEXT NOT NULL,
    database_name TEXT NOT NULL,
    queries INTEGER NOT NULL,
    failed_queries INTEGER NOT NULL,
    bytes_scanned INTEGER NOT NULL,
    PRIMARY KEY (usage_date, account, region, work_group, database_name)
);
CREATE INDEX ix_fact_database_usage_daily_database ON fact_database_usage_daily (database_name, usage_date);

-- Daily Athena use per work group, each query once: the totals top tables shows
CREATE TABLE fact_workgroup_usage_daily (
    usage_date TEXT NOT NULL,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    work_group TEXT NOT NULL,
    queries INTEGER NOT NULL,
    failed_queries INTEGER NOT NULL,
    bytes_scanned INTEGER NOT NULL,
    table_queries INTEGER NOT NULL,
    table_bytes_scanned INTEGER NOT NULL,
    PRIMARY KEY (usage_date, account, region, work_group)
);

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

CREATE INDEX ix_fact_athena_query_collected ON fact_athena_query (collected_at);
CREATE INDEX ix_fact_cost_daily_collected ON fact_cost_daily (collected_at);
CREATE INDEX ix_fact_cost_daily_currency ON fact_cost_daily (currency, usage_date);
