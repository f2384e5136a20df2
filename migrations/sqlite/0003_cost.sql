-- Cost: AWS accounts, and the Cost and Usage Report aggregated by Athena per day.
-- Same tables as migrations/mysql (documented there in COMMENT clauses). SQLite has no DECIMAL: money is REAL
-- here (exact DECIMAL on MySQL, where Superset reads it). Dates are YYYY-MM-DD text, times UTC ISO 8601.

-- AWS accounts whose costs Doberman keeps, with the names and teams people know them by
CREATE TABLE dim_account (
    account_id TEXT NOT NULL,
    account_name TEXT NULL,
    team TEXT NULL,
    first_seen_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    PRIMARY KEY (account_id)
);

-- AWS cost per day, account, service, usage type and charge type, from the CUR through Athena
CREATE TABLE fact_cost_daily (
    billing_month TEXT NOT NULL,
    usage_date TEXT NOT NULL,
    account_id TEXT NOT NULL,
    service TEXT NOT NULL,
    service_name TEXT NULL,
    usage_type TEXT NOT NULL,
    charge_type TEXT NOT NULL,
    currency TEXT NOT NULL,
    unblended_cost REAL NOT NULL,
    net_unblended_cost REAL NULL,
    amortized_cost REAL NOT NULL,
    usage_amount REAL NOT NULL,
    collected_at TEXT NOT NULL,
    PRIMARY KEY (billing_month, usage_date, account_id, service, usage_type, charge_type, currency)
);
CREATE INDEX ix_fact_cost_daily_date ON fact_cost_daily (usage_date);
CREATE INDEX ix_fact_cost_daily_account ON fact_cost_daily (account_id, usage_date);

-- The costliest resources per day and service (cost.top_resources of them), the rest as other
CREATE TABLE fact_cost_resource_daily (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    billing_month TEXT NOT NULL,
    usage_date TEXT NOT NULL,
    account_id TEXT NOT NULL,
    service TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    currency TEXT NOT NULL,
    unblended_cost REAL NOT NULL,
    amortized_cost REAL NOT NULL,
    collected_at TEXT NOT NULL
);
CREATE INDEX ix_fact_cost_resource_daily_month ON fact_cost_resource_daily (billing_month);
CREATE INDEX ix_fact_cost_resource_daily_day ON fact_cost_resource_daily (usage_date, service);
