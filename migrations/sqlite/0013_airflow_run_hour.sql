-- The Airflow schedule heatmap's rollup: per instance and UTC hour, the DAG runs (not backfills) that were in
-- progress during the hour and their run time within it; kept by the airflow collector as each run ends.
CREATE TABLE fact_airflow_run_hour (
    instance TEXT NOT NULL,
    hour_utc TEXT NOT NULL,   -- start of the UTC hour
    runs INTEGER NOT NULL,    -- ended runs (success or failed, not backfills) in progress during the hour
    run_secs INTEGER NOT NULL, -- seconds they ran within the hour
    PRIMARY KEY (instance, hour_utc)
);
CREATE INDEX ix_airflow_run_hour ON fact_airflow_run_hour (hour_utc);
