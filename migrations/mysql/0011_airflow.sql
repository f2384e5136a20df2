-- Airflow: the DAGs, DAG runs and failed task tries of each configured instance (airflow.instances), read from
-- Airflow's REST API by the airflow collector. All times are UTC; started_local is started_at in
-- schedule.timezone, for day-of-week and hour-of-day groupings. Airflow ids are case-sensitive (utf8mb4_bin) and
-- kept as Airflow returns them. A re-run writes the same keys: runs and tries are updated in place.

CREATE TABLE dim_airflow_dag (
    instance          VARCHAR(64)   NOT NULL
        COMMENT 'Instance name from airflow.instances',
    dag_id            VARCHAR(250)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'DAG id',
    owners            VARCHAR(1024) NULL
        COMMENT 'DAG owners, comma-separated as Airflow lists them',
    tags              TEXT          NULL
        COMMENT 'DAG tags as a JSON array of names',
    schedule          VARCHAR(255)  NULL
        COMMENT 'Schedule as written (cron, preset, timedelta or timetable summary); NULL when unscheduled',
    schedule_description VARCHAR(1024) NULL
        COMMENT 'Airflow''s description of the timetable, e.g. "At 02:00"',
    is_paused         TINYINT(1)    NOT NULL
        COMMENT '1 while the DAG is paused',
    is_active         TINYINT(1)    NOT NULL
        COMMENT '0 when Airflow no longer finds the DAG in its files (3.x: is_stale)',
    next_run_after    DATETIME(6)   NULL
        COMMENT 'UTC time the scheduler will create the next run (2.x next_dagrun_create_after, 3.x next_dagrun_run_after)',
    next_logical_date DATETIME(6)   NULL
        COMMENT 'Logical date (execution date) of the next scheduled run',
    file_location     VARCHAR(1024) NULL
        COMMENT 'DAG file on the Airflow host',
    has_import_errors TINYINT(1)    NOT NULL
        COMMENT '1 when the DAG''s file failed to import at the last parse',
    latest_run_id     BIGINT        NULL
        COMMENT 'Its latest run that is not a backfill, by due time (fact_airflow_dag_run.id), kept by the collector',
    first_seen_at     DATETIME(6)   NOT NULL
        COMMENT 'UTC time the collector first saw the DAG',
    last_seen_at      DATETIME(6)   NOT NULL
        COMMENT 'UTC time of the latest collector run that saw it',
    dropped_at        DATETIME(6)   NULL
        COMMENT 'UTC time of the first run that no longer saw it; NULL while it exists',
    PRIMARY KEY (instance, dag_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Airflow DAGs, current state; removed ones are kept with dropped_at';

CREATE TABLE fact_airflow_dag_run (
    id                BIGINT        NOT NULL AUTO_INCREMENT
        COMMENT 'Surrogate key used by fact_airflow_task_failure',
    instance          VARCHAR(64)   NOT NULL
        COMMENT 'Instance name from airflow.instances',
    dag_id            VARCHAR(250)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'DAG id',
    run_id            VARCHAR(250)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'DAG run id',
    run_type          VARCHAR(32)   NOT NULL
        COMMENT 'scheduled, manual, backfill or asset_triggered (2.x dataset_triggered)',
    state             VARCHAR(16)   NOT NULL
        COMMENT 'queued, running, success or failed, as Airflow last reported it',
    logical_date      DATETIME(6)   NULL
        COMMENT 'UTC logical date (2.x execution_date); NULL for 3.x runs without one',
    run_after         DATETIME(6)   NULL
        COMMENT 'UTC time the run was due (3.x run_after; 2.x the end of its data interval, else its logical date)',
    queued_at         DATETIME(6)   NULL
        COMMENT 'UTC time it was queued',
    started_at        DATETIME(6)   NULL
        COMMENT 'UTC time it started running',
    ended_at          DATETIME(6)   NULL
        COMMENT 'UTC time it ended',
    started_local     DATETIME(6)   NULL
        COMMENT 'started_at in schedule.timezone, for weekday and hour groupings (the schedule heatmap)',
    duration_secs     DOUBLE        NULL
        COMMENT 'Seconds from start to end; NULL while running',
    collected_at      DATETIME(6)   NOT NULL
        COMMENT 'UTC time the collector last wrote the row',
    PRIMARY KEY (id),
    UNIQUE KEY ux_airflow_run (instance, dag_id, run_id),
    KEY ix_airflow_run_started (started_at),
    KEY ix_airflow_run_dag (instance, dag_id, run_after),
    KEY ix_airflow_run_state (state, started_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Airflow DAG runs, one row per run, updated in place as the run changes state';

CREATE TABLE fact_airflow_task_failure (
    dag_run_id        BIGINT        NOT NULL
        COMMENT 'The run (fact_airflow_dag_run.id)',
    instance          VARCHAR(64)   NOT NULL
        COMMENT 'Instance name from airflow.instances',
    dag_id            VARCHAR(250)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'DAG id',
    run_id            VARCHAR(250)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'DAG run id',
    task_id           VARCHAR(250)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Task id',
    map_index         INT           NOT NULL
        COMMENT 'Index of a mapped task instance; -1 when not mapped',
    try_number        INT           NOT NULL
        COMMENT 'Which try failed (1 is the first)',
    state             VARCHAR(16)   NOT NULL
        COMMENT 'failed, or up_for_retry when another try followed',
    operator          VARCHAR(255)  NULL
        COMMENT 'Operator class',
    started_at        DATETIME(6)   NULL
        COMMENT 'UTC time the try started',
    ended_at          DATETIME(6)   NULL
        COMMENT 'UTC time the try ended',
    duration_secs     DOUBLE        NULL
        COMMENT 'Seconds the try ran',
    log_url           VARCHAR(2048) NULL
        COMMENT 'The try''s log in the Airflow UI',
    collected_at      DATETIME(6)   NOT NULL
        COMMENT 'UTC time the collector last wrote the row',
    PRIMARY KEY (dag_run_id, task_id, map_index, try_number),
    KEY ix_airflow_failure_ended (instance, ended_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Failed Airflow task tries (failed or up for retry), one row per try';

CREATE TABLE dim_airflow_import_error (
    instance          VARCHAR(64)   NOT NULL
        COMMENT 'Instance name from airflow.instances',
    file_location     VARCHAR(700)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'The DAG file that failed to import',
    error_text        TEXT          NOT NULL
        COMMENT 'The stack trace Airflow recorded',
    seen_since        DATETIME(6)   NULL
        COMMENT 'UTC time Airflow recorded the error',
    collected_at      DATETIME(6)   NOT NULL
        COMMENT 'UTC time the collector last saw it',
    PRIMARY KEY (instance, file_location)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'DAG files Airflow cannot import now (a broken file stops every DAG in it); replaced each run';

CREATE TABLE airflow_instance (
    instance          VARCHAR(64)   NOT NULL
        COMMENT 'Instance name from airflow.instances',
    url               VARCHAR(2048) NOT NULL
        COMMENT 'Its web server',
    api               VARCHAR(8)    NOT NULL
        COMMENT 'The REST API it speaks: v1 (Airflow 2.x) or v2 (3.x)',
    version           VARCHAR(64)   NOT NULL
        COMMENT 'Airflow version, e.g. 3.1.8',
    collected_through DATETIME(6)   NOT NULL
        COMMENT 'UTC time the latest successful collection started: the next one reads changes since then (less an overlap)',
    PRIMARY KEY (instance)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'The Airflow instances collected, and how far';
