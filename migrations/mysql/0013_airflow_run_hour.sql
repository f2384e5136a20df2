-- The Airflow schedule heatmap's rollup: per instance and UTC hour, the DAG runs (not backfills) that were in
-- progress during the hour and their run time within it. Kept by the airflow collector as each run ends (a run
-- cleared and run again has its old contribution taken back), so the heatmap reads a month as 720 rows an
-- instance however many runs it had. Runs still in progress are added when the heatmap is drawn.

CREATE TABLE fact_airflow_run_hour (
    instance          VARCHAR(64)   NOT NULL
        COMMENT 'Instance name from airflow.instances',
    hour_utc          DATETIME      NOT NULL
        COMMENT 'Start of the UTC hour',
    runs              BIGINT        NOT NULL
        COMMENT 'Ended DAG runs (success or failed, not backfills) in progress during the hour',
    run_secs          BIGINT        NOT NULL
        COMMENT 'Seconds those runs ran within the hour',
    PRIMARY KEY (instance, hour_utc),
    KEY ix_airflow_run_hour (hour_utc)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Airflow DAG runs in progress per UTC hour (the schedule heatmap)';
