-- Data checks (정합성): the checks declared in checks.dir and the Glue Data Quality rulesets (dim_check), and what
-- each run found for a day (fact_check_result). See the MySQL migration for every column.
CREATE TABLE dim_check (
    check_name TEXT NOT NULL PRIMARY KEY,
    table_name TEXT NOT NULL,        -- database.table
    kind TEXT NOT NULL,
    severity TEXT NOT NULL,          -- error | warn
    owner TEXT,
    schedule TEXT NOT NULL,
    source TEXT,                     -- athena | URL without password | NULL
    lake TEXT NOT NULL,              -- athena | URL without password | glue
    file TEXT,
    definition TEXT NOT NULL,        -- JSON, no passwords
    version_hash TEXT NOT NULL,
    is_active INTEGER NOT NULL,
    last_due_at TEXT,
    last_result_id INTEGER,
    first_seen_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_check_table ON dim_check (table_name);
CREATE TABLE fact_check_result (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    check_name TEXT NOT NULL,
    day_checked TEXT NOT NULL,       -- YYYY-MM-DD in schedule.timezone
    version_hash TEXT NOT NULL,
    ran_at TEXT NOT NULL,
    status TEXT NOT NULL,            -- pass | fail | error
    source_value REAL,
    lake_value REAL,
    difference REAL,
    detail TEXT,                     -- JSON
    message TEXT,
    duration_ms INTEGER NOT NULL,
    bytes_scanned INTEGER,
    UNIQUE (check_name, day_checked)
);
CREATE INDEX ix_check_result_day ON fact_check_result (day_checked, status);
