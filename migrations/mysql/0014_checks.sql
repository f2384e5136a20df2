-- Data checks (정합성): the checks declared in checks.dir (checks/*.toml) and, with checks.glue_data_quality, the
-- AWS Glue Data Quality rulesets found per table; and what each run of a check found for a day. A check is known
-- by its name; its definition is versioned by a hash, and each result names the version it ran. Times are UTC;
-- day_checked is the day in schedule.timezone the check was about (its :day).

CREATE TABLE dim_check (
    check_name        VARCHAR(200)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Name of the check, unique across the check files (glue_dq: glue:<ruleset>)',
    table_name        VARCHAR(512)  NOT NULL
        COMMENT 'Lake table it is about, database.table as in the Glue catalog',
    kind              VARCHAR(32)   NOT NULL
        COMMENT 'row_count_match, aggregate_match, not_null, unique, freshness, row_count_range, custom or glue_dq',
    severity          VARCHAR(8)    NOT NULL
        COMMENT 'error (a card of its own) or warn (one card per table)',
    owner             VARCHAR(255)  NULL
        COMMENT 'Owner as written in the check file; mentioned on its alert card',
    schedule          VARCHAR(128)  NOT NULL
        COMMENT 'Cron (with seconds) in schedule.timezone',
    source            VARCHAR(1024) NULL
        COMMENT 'Where the system-of-record side runs: athena, or a database URL without its password; NULL for one-sided kinds',
    lake              VARCHAR(1024) NOT NULL
        COMMENT 'Where the lake side runs: athena, a database URL without its password, or glue (Glue Data Quality)',
    file              VARCHAR(1024) NULL
        COMMENT 'Check file it is declared in, relative to checks.dir; NULL for Glue Data Quality rulesets',
    definition        TEXT          NOT NULL
        COMMENT 'The check as JSON (SQL, tolerance, limits), passwords never included',
    version_hash      CHAR(16)      NOT NULL
        COMMENT 'Hash of the definition: changes whenever the check does',
    is_active         TINYINT(1)    NOT NULL
        COMMENT '0 once it is no longer declared (its results stay)',
    last_due_at       DATETIME(6)   NULL
        COMMENT 'UTC time of the schedule tick its latest scheduled run was for',
    last_result_id    BIGINT        NULL
        COMMENT 'Its latest result (fact_check_result.id) by day checked, then run time',
    first_seen_at     DATETIME(6)   NOT NULL
        COMMENT 'UTC time it was first declared',
    updated_at        DATETIME(6)   NOT NULL
        COMMENT 'UTC time its definition last changed',
    PRIMARY KEY (check_name),
    KEY ix_check_table (table_name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Data checks: one row per check, from the check files and Glue Data Quality';

CREATE TABLE fact_check_result (
    id                BIGINT        NOT NULL AUTO_INCREMENT
        COMMENT 'Surrogate key',
    check_name        VARCHAR(200)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'dim_check.check_name',
    day_checked       DATE          NOT NULL
        COMMENT 'Day the check was about (its :day), in schedule.timezone; a re-run of the day replaces the row',
    version_hash      CHAR(16)      NOT NULL
        COMMENT 'dim_check.version_hash of the definition that ran',
    ran_at            DATETIME(6)   NOT NULL
        COMMENT 'UTC time the run ended',
    status            VARCHAR(8)    NOT NULL
        COMMENT 'pass, fail (the data is wrong) or error (the check could not tell: timeout, refused, failed query)',
    source_value      DOUBLE        NULL
        COMMENT 'Number the system of record gave (first column); NULL for one-sided kinds and errors',
    lake_value        DOUBLE        NULL
        COMMENT 'Number the lake gave: count, aggregate, nulls, duplicate keys, age in hours, offending rows, or the Glue DQ score',
    difference        DOUBLE        NULL
        COMMENT 'lake_value - source_value for the match kinds; how far outside its limit for the others; 0 when it passes',
    detail            TEXT          NULL
        COMMENT 'JSON: every compared column, sample offending rows, or the failed Glue DQ rules',
    message           TEXT          NULL
        COMMENT 'What it found, in words: the failure or the error',
    duration_ms       BIGINT        NOT NULL
        COMMENT 'Wall time of the run, both sides',
    bytes_scanned     BIGINT        NULL
        COMMENT 'Bytes Athena scanned for it (what Athena bills); NULL when nothing ran on Athena',
    PRIMARY KEY (id),
    UNIQUE KEY uq_check_result (check_name, day_checked),
    KEY ix_check_result_day (day_checked, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Data checks: what each check found for a day';
