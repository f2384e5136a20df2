-- Airflow: the DAGs, DAG runs and failed task tries of each configured instance (airflow.instances).
-- Same tables as migrations/mysql (documented there in COMMENT clauses). Times are UTC, ISO 8601 text;
-- started_local is started_at in schedule.timezone.

-- Airflow DAGs, current state; removed ones are kept with dropped_at
CREATE TABLE dim_airflow_dag (
    instance TEXT NOT NULL,
    dag_id TEXT NOT NULL,
    owners TEXT NULL,
    tags TEXT NULL,
    schedule TEXT NULL,
    schedule_description TEXT NULL,
    is_paused INTEGER NOT NULL,
    is_active INTEGER NOT NULL,
    next_run_after TEXT NULL,
    next_logical_date TEXT NULL,
    file_location TEXT NULL,
    has_import_errors INTEGER NOT NULL,
    latest_run_id INTEGER NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    dropped_at TEXT NULL,
    PRIMARY KEY (instance, dag_id)
);

-- Airflow DAG runs, one row per run, updated in place as the run changes state
CREATE TABLE fact_airflow_dag_run (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    instance TEXT NOT NULL,
    dag_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    run_type TEXT NOT NULL,
    state TEXT NOT NULL,
    logical_date TEXT NULL,
    run_after TEXT NULL,
    queued_at TEXT NULL,
    started_at TEXT NULL,
    ended_at TEXT NULL,
    started_local TEXT NULL,
    duration_secs REAL NULL,
    collected_at TEXT NOT NULL,
    UNIQUE (instance, dag_id, run_id)
);
CREATE INDEX ix_airflow_run_started ON fact_airflow_dag_run (started_at);
CREATE INDEX ix_airflow_run_dag ON fact_airflow_dag_run (instance, dag_id, run_after);
CREATE INDEX ix_airflow_run_state ON fact_airflow_dag_run (state, started_at);

-- Failed Airflow task tries (failed or up for retry), one row per try
CREATE TABLE fact_airflow_task_failure (
    dag_run_id INTEGER NOT NULL,
    instance TEXT NOT NULL,
    dag_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    map_index INTEGER NOT NULL,
    try_number INTEGER NOT NULL,
    state TEXT NOT NULL,
    operator TEXT NULL,
    started_at TEXT NULL,
    ended_at TEXT NULL,
    duration_secs REAL NULL,
    log_url TEXT NULL,
    collected_at TEXT NOT NULL,
    PRIMARY KEY (dag_run_id, task_id, map_index, try_number)
);
CREATE INDEX ix_airflow_failure_ended ON fact_airflow_task_failure (instance, ended_at);

-- DAG files Airflow cannot import now (a broken file stops every DAG in it); replaced each run
CREATE TABLE dim_airflow_import_error (
    instance TEXT NOT NULL,
    file_location TEXT NOT NULL,
    error_text TEXT NOT NULL,
    seen_since TEXT NULL,
    collected_at TEXT NOT NULL,
    PRIMARY KEY (instance, file_location)
);

-- The Airflow instances collected, and how far
CREATE TABLE airflow_instance (
    instance TEXT NOT NULL,
    url TEXT NOT NULL,
    api TEXT NOT NULL,
    version TEXT NOT NULL,
    collected_through TEXT NOT NULL,
    PRIMARY KEY (instance)
);
