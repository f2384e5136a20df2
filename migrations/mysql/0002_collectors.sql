-- Collectors: the job lease, the Glue catalog snapshot, and the Athena query history with its daily roll-up.
-- All times are UTC; *_date columns are local dates in schedule.timezone. Names of AWS objects are case-sensitive
-- (utf8mb4_bin) and kept as AWS returns them.

CREATE TABLE job_lease (
    job          VARCHAR(64)  NOT NULL
        COMMENT 'Job name, e.g. catalog, usage',
    holder       VARCHAR(128) NULL
        COMMENT 'The replica running the job (host:pid:uuid); NULL when nobody holds it',
    expires_at   DATETIME(6)  NOT NULL
        COMMENT 'UTC time the claim lapses unless renewed; a replica that died mid-run blocks the job until then',
    tick         DATETIME(6)  NULL
        COMMENT 'UTC scheduled time of the latest run claimed, so replicas firing for the same tick run it once',
    PRIMARY KEY (job)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Which replica runs each job: one row per job, claimed and renewed while a run lasts';

CREATE TABLE dim_database (
    account       VARCHAR(64)   NOT NULL
        COMMENT 'Account name from aws.accounts (default when none are configured)',
    region        VARCHAR(32)   NOT NULL
        COMMENT 'AWS region of the Glue catalog',
    database_name VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Glue database name',
    catalog_id    VARCHAR(32)   NULL
        COMMENT 'Glue catalog id (the AWS account id)',
    description   TEXT          NULL
        COMMENT 'Glue description',
    location_uri  VARCHAR(2048) NULL
        COMMENT 'Default S3 location of the database',
    parameters    TEXT          NULL
        COMMENT 'Glue parameters as a JSON object',
    created_at    DATETIME(6)   NULL
        COMMENT 'Glue CreateTime (UTC)',
    first_seen_at DATETIME(6)   NOT NULL
        COMMENT 'UTC time a collector first saw the database',
    last_seen_at  DATETIME(6)   NOT NULL
        COMMENT 'UTC time of the latest collector run that saw it',
    dropped_at    DATETIME(6)   NULL
        COMMENT 'UTC time of the first complete run that no longer saw it; NULL while it exists',
    PRIMARY KEY (account, region, database_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Glue databases, current snapshot; dropped ones are kept with dropped_at';

CREATE TABLE dim_table (
    id                          BIGINT        NOT NULL AUTO_INCREMENT
        COMMENT 'Surrogate key used by dim_column and fact_table_snapshot_daily',
    account                     VARCHAR(64)   NOT NULL
        COMMENT 'Account name from aws.accounts',
    region                      VARCHAR(32)   NOT NULL
        COMMENT 'AWS region of the Glue catalog',
    database_name               VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Glue database name',
    table_name                  VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Glue table name',
    catalog_id                  VARCHAR(32)   NULL
        COMMENT 'Glue catalog id (the AWS account id)',
    table_type                  VARCHAR(64)   NULL
        COMMENT 'Glue TableType: EXTERNAL_TABLE, VIRTUAL_VIEW, GOVERNED, MANAGED_TABLE',
    table_format                VARCHAR(16)   NOT NULL
        COMMENT 'hive | iceberg | delta | hudi | view | governed | other',
    location                    VARCHAR(2048) NULL
        COMMENT 'S3 location of the data',
    input_format                VARCHAR(255)  NULL
        COMMENT 'StorageDescriptor InputFormat',
    output_format               VARCHAR(255)  NULL
        COMMENT 'StorageDescriptor OutputFormat',
    serde_library               VARCHAR(255)  NULL
        COMMENT 'SerDe serialization library',
    classification              VARCHAR(64)   NULL
        COMMENT 'Data format from the classification parameter (parquet, csv, json, ...)',
    owner                       VARCHAR(255)  NULL
        COMMENT 'Glue Owner',
    description                 TEXT          NULL
        COMMENT 'Glue Description',
    parameters                  MEDIUMTEXT    NULL
        COMMENT 'Table parameters as a JSON object',
    partition_keys              TEXT          NULL
        COMMENT 'Partition key names as a JSON array, in order',
    column_count                INT           NOT NULL
        COMMENT 'Columns, partition keys included',
    partition_count             BIGINT        NULL
        COMMENT 'Partitions at the latest check; NULL for unpartitioned tables and views',
    newest_partition_values     TEXT          NULL
        COMMENT 'Values of the most recently created partition, as a JSON array',
    newest_partition_created_at DATETIME(6)   NULL
        COMMENT 'UTC CreationTime of the most recently created partition',
    partitions_checked_at       DATETIME(6)   NULL
        COMMENT 'UTC time partitions were last counted (tables changed since, or daily)',
    record_count                BIGINT        NULL
        COMMENT 'recordCount parameter (set by crawlers)',
    size_bytes                  BIGINT        NULL
        COMMENT 'sizeKey parameter (set by crawlers)',
    view_text                   MEDIUMTEXT    NULL
        COMMENT 'ViewOriginalText of views',
    created_at                  DATETIME(6)   NULL
        COMMENT 'Glue CreateTime (UTC)',
    updated_at                  DATETIME(6)   NULL
        COMMENT 'Glue UpdateTime (UTC): moves on metadata changes, not on new files',
    data_changed_at             DATETIME(6)   NULL
        COMMENT 'Freshness: the latest of updated_at (or created_at) and the newest partition''s creation (UTC)',
    first_seen_at               DATETIME(6)   NOT NULL
        COMMENT 'UTC time a collector first saw the table',
    last_seen_at                DATETIME(6)   NOT NULL
        COMMENT 'UTC time of the latest collector run that saw it',
    dropped_at                  DATETIME(6)   NULL
        COMMENT 'UTC time of the first complete run that no longer saw it; NULL while it exists',
    PRIMARY KEY (id),
    UNIQUE KEY ux_dim_table_name (account, region, database_name, table_name),
    KEY ix_dim_table_table (table_name),
    KEY ix_dim_table_changed (data_changed_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Glue tables and views, current snapshot; dropped ones are kept with dropped_at';

CREATE TABLE dim_column (
    table_id         BIGINT       NOT NULL
        COMMENT 'dim_table.id',
    column_name      VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Column name',
    ordinal          INT          NOT NULL
        COMMENT '1-based position; partition keys follow the columns',
    data_type        TEXT         NOT NULL
        COMMENT 'Hive/Athena type, e.g. bigint, array<struct<a:string>>',
    column_comment   TEXT         NULL
        COMMENT 'Column comment',
    is_partition_key TINYINT(1)   NOT NULL
        COMMENT '1 for partition keys',
    first_seen_at    DATETIME(6)  NOT NULL
        COMMENT 'UTC time a collector first saw the column',
    last_seen_at     DATETIME(6)  NOT NULL
        COMMENT 'UTC time of the latest collector run that saw it',
    dropped_at       DATETIME(6)  NULL
        COMMENT 'UTC time it disappeared from its table (or the table was dropped); NULL while it exists',
    PRIMARY KEY (table_id, column_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Columns and partition keys of Glue tables, current snapshot; dropped ones are kept with dropped_at';

CREATE TABLE fact_table_snapshot_daily (
    snapshot_date               DATE          NOT NULL
        COMMENT 'Local date (schedule.timezone) of the snapshot; the day''s latest complete run wins',
    table_id                    BIGINT        NOT NULL
        COMMENT 'dim_table.id',
    account                     VARCHAR(64)   NOT NULL
        COMMENT 'Account name from aws.accounts',
    region                      VARCHAR(32)   NOT NULL
        COMMENT 'AWS region',
    database_name               VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Glue database name',
    table_name                  VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Glue table name',
    table_format                VARCHAR(16)   NOT NULL
        COMMENT 'hive | iceberg | delta | hudi | view | governed | other',
    column_count                INT           NOT NULL
        COMMENT 'Columns, partition keys included',
    partition_count             BIGINT        NULL
        COMMENT 'Partitions at the latest check',
    record_count                BIGINT        NULL
        COMMENT 'recordCount parameter (set by crawlers)',
    size_bytes                  BIGINT        NULL
        COMMENT 'sizeKey parameter (set by crawlers)',
    updated_at                  DATETIME(6)   NULL
        COMMENT 'Glue UpdateTime (UTC)',
    data_changed_at             DATETIME(6)   NULL
        COMMENT 'Freshness (UTC), as in dim_table',
    PRIMARY KEY (snapshot_date, table_id),
    KEY ix_fact_table_snapshot_daily_name (database_name, table_name, snapshot_date)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'One row per existing table per day: growth of partitions and freshness over time';

CREATE TABLE fact_athena_query (
    query_id        VARCHAR(64)   NOT NULL
        COMMENT 'Athena QueryExecutionId',
    account         VARCHAR(64)   NOT NULL
        COMMENT 'Account name from aws.accounts',
    region          VARCHAR(32)   NOT NULL
        COMMENT 'AWS region',
    work_group      VARCHAR(128)  NOT NULL
        COMMENT 'Athena work group',
    state           VARCHAR(16)   NOT NULL
        COMMENT 'QUEUED | RUNNING | SUCCEEDED | FAILED | CANCELLED',
    statement_type  VARCHAR(16)   NULL
        COMMENT 'DDL | DML | UTILITY',
    query_catalog   VARCHAR(255)  NULL
        COMMENT 'Catalog of the query context',
    query_database  VARCHAR(255)  NULL
        COMMENT 'Database of the query context (unqualified table names resolve here)',
    submitted_at    DATETIME(6)   NOT NULL
        COMMENT 'UTC SubmissionDateTime',
    completed_at    DATETIME(6)   NULL
        COMMENT 'UTC CompletionDateTime',
    usage_date      DATE          NOT NULL
        COMMENT 'Local date (schedule.timezone) of submission',
    engine_ms       BIGINT        NULL
        COMMENT 'EngineExecutionTimeInMillis',
    total_ms        BIGINT        NULL
        COMMENT 'TotalExecutionTimeInMillis',
    queue_ms        BIGINT        NULL
        COMMENT 'QueryQueueTimeInMillis',
    bytes_scanned   BIGINT        NULL
        COMMENT 'DataScannedInBytes (Athena bills 5 USD per TB)',
    engine_version  VARCHAR(64)   NULL
        COMMENT 'Effective engine version',
    error_message   TEXT          NULL
        COMMENT 'StateChangeReason or AthenaError message of failed and cancelled queries',
    sql_text        MEDIUMTEXT    NULL
        COMMENT 'The query, cut to usage.max_sql_bytes on a character boundary; NULL when not kept',
    sql_bytes       INT           NOT NULL
        COMMENT 'Length of the whole query in bytes',
    sql_truncated   TINYINT(1)    NOT NULL
        COMMENT '1 when sql_text is shorter than the query',
    sql_hash        CHAR(16)      NOT NULL
        COMMENT 'Hash of the whole query text (whitespace-normalised), for counting distinct queries',
    tables_error    TEXT          NULL
        COMMENT 'Why the tables of the query could not be read from its text',
    collected_at    DATETIME(6)   NOT NULL
        COMMENT 'UTC time the row was last written',
    PRIMARY KEY (query_id),
    KEY ix_fact_athena_query_wg (account, region, work_group, submitted_at),
    KEY ix_fact_athena_query_date (usage_date),
    KEY ix_fact_athena_query_state (state)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Athena query executions, kept beyond Athena''s 45 days';

CREATE TABLE fact_athena_query_table (
    query_id      VARCHAR(64)  NOT NULL
        COMMENT 'fact_athena_query.query_id',
    database_name VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Database (catalog.database for catalogs other than awsdatacatalog; empty when unknown)',
    table_name    VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Table, lower-cased as Glue stores it',
    access        VARCHAR(8)   NOT NULL
        COMMENT 'read | write',
    PRIMARY KEY (query_id, database_name, table_name, access),
    KEY ix_fact_athena_query_table_table (database_name, table_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Which tables each Athena query read or wrote, from its SQL text';

CREATE TABLE fact_table_usage_daily (
    usage_date       DATE         NOT NULL
        COMMENT 'Local date (schedule.timezone)',
    account          VARCHAR(64)  NOT NULL
        COMMENT 'Account name from aws.accounts',
    region           VARCHAR(32)  NOT NULL
        COMMENT 'AWS region',
    work_group       VARCHAR(128) NOT NULL
        COMMENT 'Athena work group',
    database_name    VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Database, as in fact_athena_query_table',
    table_name       VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Table',
    queries          BIGINT       NOT NULL
        COMMENT 'Queries that read or wrote the table',
    read_queries     BIGINT       NOT NULL
        COMMENT 'Queries that read it',
    write_queries    BIGINT       NOT NULL
        COMMENT 'Queries that wrote it',
    failed_queries   BIGINT       NOT NULL
        COMMENT 'Of those, FAILED or CANCELLED',
    bytes_scanned    BIGINT       NOT NULL
        COMMENT 'Sum of the bytes the queries scanned (a query touching several tables counts for each)',
    distinct_queries BIGINT       NOT NULL
        COMMENT 'Distinct query texts (by sql_hash)',
    PRIMARY KEY (usage_date, account, region, work_group, database_name, table_name),
    KEY ix_fact_table_usage_daily_table (database_name, table_name, usage_date)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Daily use of each table in Athena: what top tables reads';
