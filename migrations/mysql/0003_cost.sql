-- Cost: AWS accounts, and the Cost and Usage Report aggregated by Athena per day. Money is DECIMAL in the
-- report's currency; dates are the UTC days of the CUR (line_item_usage_start_date).

CREATE TABLE dim_account (
    account_id    VARCHAR(12)  NOT NULL
        COMMENT 'AWS account id (12 digits)',
    account_name  VARCHAR(255) NULL
        COMMENT 'Name from cost.accounts, else the name the CUR gives (CUR 2.0), else NULL',
    team          VARCHAR(255) NULL
        COMMENT 'Owning team or division, from cost.accounts',
    first_seen_at DATETIME(6)  NOT NULL
        COMMENT 'UTC time the account first appeared in the CUR or the configuration',
    last_seen_at  DATETIME(6)  NOT NULL
        COMMENT 'UTC time of the latest cost run that saw it',
    PRIMARY KEY (account_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'AWS accounts whose costs Doberman keeps, with the names and teams people know them by';

CREATE TABLE fact_cost_daily (
    billing_month      DATE          NOT NULL
        COMMENT 'First day of the billing period (month) the line items belong to; a run replaces whole months',
    usage_date         DATE          NOT NULL
        COMMENT 'UTC day of line_item_usage_start_date',
    account_id         VARCHAR(12)   NOT NULL
        COMMENT 'Usage account (dim_account.account_id)',
    service            VARCHAR(128)  NOT NULL
        COMMENT 'line_item_product_code, e.g. AmazonEC2',
    service_name       VARCHAR(255)  NULL
        COMMENT 'Product name, e.g. Amazon Elastic Compute Cloud',
    usage_type         VARCHAR(255)  NOT NULL
        COMMENT 'line_item_usage_type, e.g. APN2-BoxUsage:m5.large',
    charge_type        VARCHAR(64)   NOT NULL
        COMMENT 'line_item_line_item_type: Usage, DiscountedUsage, RIFee, SavingsPlanCoveredUsage, Tax, Credit, ...',
    currency           VARCHAR(8)    NOT NULL
        COMMENT 'line_item_currency_code',
    unblended_cost     DECIMAL(20,6) NOT NULL
        COMMENT 'Sum of line_item_unblended_cost',
    net_unblended_cost DECIMAL(20,6) NULL
        COMMENT 'Sum of line_item_net_unblended_cost (NULL when the report has no discounts column)',
    amortized_cost     DECIMAL(20,6) NOT NULL
        COMMENT 'Amortized cost as AWS defines it (reservation and savings-plan effective cost for covered usage)',
    usage_amount       DOUBLE        NOT NULL
        COMMENT 'Sum of line_item_usage_amount (units depend on the usage type)',
    collected_at       DATETIME(6)   NOT NULL
        COMMENT 'UTC time the month was last re-aggregated',
    PRIMARY KEY (billing_month, usage_date, account_id, service, usage_type, charge_type, currency),
    KEY ix_fact_cost_daily_date (usage_date),
    KEY ix_fact_cost_daily_account (account_id, usage_date)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'AWS cost per day, account, service, usage type and charge type, from the CUR through Athena';

CREATE TABLE fact_cost_resource_daily (
    id             BIGINT        NOT NULL AUTO_INCREMENT
        COMMENT 'Surrogate key (resource ids are too long for a key)',
    billing_month  DATE          NOT NULL
        COMMENT 'First day of the billing period; a run replaces whole months',
    usage_date     DATE          NOT NULL
        COMMENT 'UTC day',
    account_id     VARCHAR(12)   NOT NULL
        COMMENT 'Usage account',
    service        VARCHAR(128)  NOT NULL
        COMMENT 'line_item_product_code',
    resource_id    VARCHAR(1024) NOT NULL
        COMMENT 'line_item_resource_id of one of the day''s top resources of the service; other = the rest of the account',
    currency       VARCHAR(8)    NOT NULL
        COMMENT 'line_item_currency_code',
    unblended_cost DECIMAL(20,6) NOT NULL
        COMMENT 'Sum of line_item_unblended_cost',
    amortized_cost DECIMAL(20,6) NOT NULL
        COMMENT 'Amortized cost',
    collected_at   DATETIME(6)   NOT NULL
        COMMENT 'UTC time the month was last re-aggregated',
    PRIMARY KEY (id),
    KEY ix_fact_cost_resource_daily_month (billing_month),
    KEY ix_fact_cost_resource_daily_day (usage_date, service)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'The costliest resources per day and service (cost.top_resources of them), the rest as other';
