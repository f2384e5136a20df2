//! Demo data: a realistic synthetic retail lake — a few hundred Glue tables, 90 days of Athena queries, three
//! months of cost for five accounts — written through the same store functions the collectors use, so every
//! answer works on a fresh machine without AWS. Demo rows are marked (account `demo`, cost account ids
//! `000000000001`–`5`) and [`clear`] removes them. The demo only fills a store that holds no collected data.

use anyhow::{Context, bail};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::store::{
    AccountRow, CatalogScope, Change, ColumnRow, CostRow, DEMO_ACCOUNT, DEMO_ACCOUNT_IDS,
    DEMO_REQUEST_CHANNEL, DatabaseRow, NewComment, NewRequirement, PartitionStats, Person,
    QueryRow, ResourceCostRow, Store, TableRow,
};

/// What [`fill`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DemoReport {
    /// Glue databases.
    pub databases: usize,
    /// Glue tables and views.
    pub tables: usize,
    /// Athena queries over 90 days.
    pub queries: usize,
    /// Daily cost rows.
    pub cost_rows: usize,
    /// Requirements of the demo request channel (none when real ones exist).
    pub requirements: usize,
    /// Freshness alerts on the demo tables (those not changed in two days), on one card, posted nowhere.
    pub alerts: usize,
    /// Demo rows removed first (an earlier demo).
    pub replaced: u64,
    /// DAG runs of the demo Airflow instance (30 days).
    pub airflow_runs: usize,
    /// Data checks (30 days of results each; two failing now).
    pub checks: usize,
}

/// The demo region.
const REGION: &str = "ap-northeast-2";
/// Days of query history.
const DAYS: i64 = 90;

/// Databases: name, description, the entities of its tables.
const DATABASES: &[(&str, &str, &[&str])] = &[
    (
        "sales",
        "Orders, payments and refunds from the shop (판매)",
        &[
            "orders",
            "order_items",
            "payments",
            "refunds",
            "coupons",
            "carts",
            "shipments",
            "returns",
        ],
    ),
    (
        "crm",
        "Customers, memberships and consents (고객)",
        &[
            "customers",
            "memberships",
            "consents",
            "addresses",
            "segments",
            "loyalty_points",
        ],
    ),
    (
        "marketing",
        "Campaigns, ad spend and attribution (마케팅)",
        &[
            "campaigns",
            "ad_spend",
            "attribution",
            "promotions",
            "email_sends",
            "push_sends",
        ],
    ),
    (
        "logistics",
        "Warehouses, stock and deliveries (물류)",
        &[
            "warehouses",
            "stock_levels",
            "deliveries",
            "carriers",
            "picking_tasks",
        ],
    ),
    (
        "inventory",
        "Products, prices and suppliers (상품)",
        &[
            "products",
            "categories",
            "prices",
            "suppliers",
            "purchase_orders",
        ],
    ),
    (
        "web_logs",
        "Clickstream of the web and app (웹 로그)",
        &[
            "page_views",
            "sessions",
            "events",
            "searches",
            "app_installs",
        ],
    ),
    (
        "finance",
        "Ledger, invoices and settlements (재무)",
        &["ledger", "invoices", "settlements", "tax_reports"],
    ),
    (
        "store_pos",
        "Point-of-sale feeds of the stores (매장)",
        &["receipts", "receipt_lines", "stores", "cashiers"],
    ),
    (
        "mart",
        "Curated marts for dashboards (마트)",
        &[
            "daily_sales",
            "customer_ltv",
            "funnel",
            "cohort_retention",
            "category_sales",
        ],
    ),
    (
        "raw_ingest",
        "Landing zone of the ingestion pipelines (원천)",
        &["erp_orders", "erp_items", "pg_payments", "cdc_customers"],
    ),
];

/// Table variants: suffix, description.
const VARIANTS: &[(&str, &str)] = &[
    ("", ""),
    ("_daily", "daily aggregate"),
    ("_hist", "full history, SCD2"),
    ("_snapshot", "daily snapshot"),
    ("_stg", "staging, overwritten by each load"),
    ("_v", "view"),
];

/// A column: name, type, Korean comment.
type Column = (&'static str, &'static str, &'static str);

/// Columns every table has.
const COMMON: &[Column] = &[
    ("id", "bigint", "고유 ID"),
    ("created_at", "timestamp", "생성 일시"),
    ("updated_at", "timestamp", "수정 일시"),
    ("source_system", "string", "원천 시스템"),
];

/// Columns by what an entity's name contains.
const TOPICAL: &[(&str, &[Column])] = &[
    (
        "order",
        &[
            ("order_id", "bigint", "주문번호"),
            ("customer_id", "bigint", "고객 ID"),
            ("order_date", "date", "주문일자"),
            ("order_status", "string", "주문 상태"),
            ("total_amount", "decimal(18,2)", "주문 금액 (원)"),
        ],
    ),
    (
        "item",
        &[
            ("product_id", "bigint", "상품 ID"),
            ("quantity", "int", "수량"),
            ("unit_price", "decimal(18,2)", "단가"),
        ],
    ),
    (
        "payment",
        &[
            ("payment_id", "bigint", "결제번호"),
            ("method", "string", "결제 수단"),
            ("paid_amount", "decimal(18,2)", "결제 금액"),
            ("paid_at", "timestamp", "결제 일시"),
        ],
    ),
    (
        "refund",
        &[
            ("refund_id", "bigint", "환불번호"),
            ("refund_amount", "decimal(18,2)", "환불 금액"),
            ("reason", "string", "환불 사유"),
        ],
    ),
    (
        "customer",
        &[
            ("customer_id", "bigint", "고객 ID"),
            ("email_hash", "string", "이메일 해시"),
            ("joined_at", "timestamp", "가입 일시"),
            ("grade", "string", "회원 등급"),
        ],
    ),
    (
        "campaign",
        &[
            ("campaign_id", "bigint", "캠페인 ID"),
            ("channel", "string", "채널"),
            ("budget", "decimal(18,2)", "예산"),
        ],
    ),
    (
        "spend",
        &[
            ("channel", "string", "매체"),
            ("cost", "decimal(18,2)", "광고비"),
            ("impressions", "bigint", "노출 수"),
            ("clicks", "bigint", "클릭 수"),
        ],
    ),
    (
        "stock",
        &[
            ("product_id", "bigint", "상품 ID"),
            ("warehouse_id", "int", "창고 ID"),
            ("on_hand", "int", "재고 수량"),
        ],
    ),
    (
        "deliver",
        &[
            ("delivery_id", "bigint", "배송번호"),
            ("carrier", "string", "택배사"),
            ("delivered_at", "timestamp", "배송 완료 일시"),
        ],
    ),
    (
        "product",
        &[
            ("product_id", "bigint", "상품 ID"),
            ("product_name", "string", "상품명"),
            ("category_id", "int", "카테고리 ID"),
            ("brand", "string", "브랜드"),
        ],
    ),
    (
        "price",
        &[
            ("product_id", "bigint", "상품 ID"),
            ("list_price", "decimal(18,2)", "정가"),
            ("sale_price", "decimal(18,2)", "판매가"),
        ],
    ),
    (
        "view",
        &[
            ("session_id", "string", "세션 ID"),
            ("url", "string", "페이지 URL"),
            ("referrer", "string", "유입 경로"),
        ],
    ),
    (
        "session",
        &[
            ("session_id", "string", "세션 ID"),
            ("device", "string", "기기"),
            ("duration_s", "int", "체류 시간(초)"),
        ],
    ),
    (
        "event",
        &[
            ("event_name", "string", "이벤트 이름"),
            ("event_params", "map<string,string>", "이벤트 파라미터"),
            ("user_id", "bigint", "사용자 ID"),
        ],
    ),
    (
        "receipt",
        &[
            ("receipt_no", "string", "영수증 번호"),
            ("store_id", "int", "매장 ID"),
            ("sold_at", "timestamp", "판매 일시"),
            ("amount", "decimal(18,2)", "판매 금액"),
        ],
    ),
    (
        "sales",
        &[
            ("sales_date", "date", "매출일자"),
            ("net_sales", "decimal(18,2)", "순매출"),
            ("orders", "bigint", "주문 수"),
        ],
    ),
    (
        "ledger",
        &[
            ("account_code", "string", "계정 과목"),
            ("debit", "decimal(18,2)", "차변"),
            ("credit", "decimal(18,2)", "대변"),
        ],
    ),
    (
        "invoice",
        &[
            ("invoice_no", "string", "송장 번호"),
            ("supplier_id", "int", "공급사 ID"),
            ("due_date", "date", "지급 기한"),
        ],
    ),
];

/// Work groups and how much each queries.
const WORK_GROUPS: &[(&str, u32)] = &[
    ("analysts", 40),
    ("data-eng", 25),
    ("airflow", 20),
    ("marketing", 10),
    ("finance", 5),
];

/// Demo cost accounts: name, team, share of the bill.
const ACCOUNTS: [(&str, &str, f64); 5] = [
    ("demo-data-prod", "Data Platform", 0.42),
    ("demo-data-dev", "Data Platform", 0.12),
    ("demo-analytics", "Analytics", 0.21),
    ("demo-ml", "Data Science", 0.17),
    ("demo-shared", "Infra", 0.08),
];

/// Services: code, name, share of an account's day, usage type.
const SERVICES: &[(&str, &str, f64, &str)] = &[
    (
        "AmazonS3",
        "Amazon Simple Storage Service",
        0.24,
        "APN2-TimedStorage-ByteHrs",
    ),
    (
        "AmazonAthena",
        "Amazon Athena",
        0.13,
        "APN2-DataScannedInTB",
    ),
    ("AWSGlue", "AWS Glue", 0.11, "APN2-ETL-DPU-Hour"),
    (
        "AmazonEC2",
        "Amazon Elastic Compute Cloud",
        0.22,
        "APN2-BoxUsage:m6i.xlarge",
    ),
    (
        "AmazonRDS",
        "Amazon Relational Database Service",
        0.12,
        "APN2-InstanceUsage:db.r6g.large",
    ),
    ("AmazonEMR", "Amazon EMR", 0.08, "APN2-BoxUsage:r6g.2xlarge"),
    (
        "AmazonCloudWatch",
        "AmazonCloudWatch",
        0.04,
        "APN2-CW:MetricMonitorUsage",
    ),
    ("AWSLambda", "AWS Lambda", 0.03, "APN2-Lambda-GB-Second"),
    ("AmazonKinesis", "Amazon Kinesis", 0.03, "APN2-ShardHour"),
];

/// Fills the store with demo data as of `now`, replacing an earlier demo. Refuses a store holding collected data.
pub async fn fill(
    store: &Store,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
    watch: &crate::chat::Watch,
) -> anyhow::Result<DemoReport> {
    let collected = store
        .collected_rows()
        .await
        .context("Failed to look for collected data")?;
    if collected > 0 {
        bail!(
            "the store holds {collected} collected rows; the demo only fills a store without collected data \
             (point DOBERMAN_DATABASE__URL at another database, e.g. sqlite://demo.db)"
        );
    }
    let replaced = store
        .clear_demo()
        .await
        .context("Failed to remove the earlier demo")?;
    let mut rng = fastrand::Rng::with_seed(20_231_101);
    let mut report = DemoReport {
        replaced,
        ..DemoReport::default()
    };
    let scope = CatalogScope {
        account: DEMO_ACCOUNT.to_owned(),
        region: REGION.to_owned(),
    };
    let seen_at = now;
    let mut all_tables: Vec<(String, String, bool)> = Vec::new();
    for (db, description, entities) in DATABASES {
        let tables = tables_of(db, entities, now, &mut rng);
        for t in &tables {
            all_tables.push((db.to_string(), t.name.clone(), t.table_format == "view"));
        }
        report.tables += tables.len();
        report.databases += 1;
        let database = DatabaseRow {
            name: db.to_string(),
            catalog_id: Some("000000000001".to_owned()),
            description: Some(description.to_string()),
            location_uri: Some(format!("s3://demo-lake/{db}/")),
            parameters: None,
            created_at: Some(now - Duration::days(700)),
        };
        store
            .write_catalog_database(&scope, &database, &tables, seen_at)
            .await
            .with_context(|| format!("Failed to write the demo database {db}"))?;
    }
    let today = now.with_timezone(&tz).date_naive();
    store
        .finish_catalog_run(&scope, seen_at, today)
        .await
        .context("Failed to write the demo catalog snapshot")?;

    // Freshness alerts as the configured rules judge them (`watch`, the judgement catalog cards and the heartbeat
    // share), recorded only: no conversation is subscribed yet.
    let changes = store
        .table_changes(today - Duration::days(crate::alerts::rules::LEARN_DAYS))
        .await
        .context("Failed to read the demo tables")?;
    let stale = crate::alerts::rules::freshness(&changes, &watch.rules, watch.learn, now, tz);
    // An evaluation resolves what it does not find: only where no freshness alert fires yet.
    let firing = store
        .firing_alerts()
        .await
        .context("Failed to read the alerts")?;
    if !firing.iter().any(|(topic, _)| topic == "freshness") {
        report.alerts = stale.len();
        crate::alerts::lifecycle::apply(store, "freshness", &stale, &[], now)
            .await
            .context("Failed to write the demo alerts")?;
    }

    let queries = queries(&all_tables, today, now, &mut rng);
    report.queries = queries.len();
    for chunk in queries.chunks(2_000) {
        store
            .write_athena_queries(chunk, now)
            .await
            .context("Failed to write the demo query history")?;
    }

    store
        .refresh_usage_windows(today)
        .await
        .context("Failed to sum the demo usage windows")?;

    report.airflow_runs = airflow(store, tz, now, &mut rng).await?;
    report.checks = checks(store, tz, now, &mut rng).await?;

    // Days as the cost answers count them: in `schedule.timezone` (on the 1st in Seoul the month so far has a day
    // even while UTC is still in the month before).
    let (months, rows, accounts) = costs(now.with_timezone(&tz).date_naive(), &mut rng);
    report.cost_rows = rows.len();
    let resources = resources(&rows);
    store
        .replace_cost_months(&months, &rows, &resources, &accounts, now)
        .await
        .context("Failed to write the demo cost")?;

    if store
        .real_requirements()
        .await
        .context("Failed to look for requirements")?
        == 0
    {
        report.requirements = requirements(store, now, &mut rng)
            .await
            .context("Failed to write the demo requirements")?;
    }
    Ok(report)
}

/// The demo's data checks: name, table, kind, severity, owner, source (or none), the days (from today back) it has
/// been failing.
type DemoCheck = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    i64,
);
const CHECKS: &[DemoCheck] = &[
    (
        "주문: ERP vs 레이크",
        "sales.orders",
        "row_count_match",
        "error",
        "김데이터",
        Some("postgres://reader@erp-replica/erp"),
        2,
    ),
    (
        "orders: POS amounts vs lake",
        "sales.orders",
        "aggregate_match",
        "error",
        "김데이터",
        Some("mysql://reader@pos-replica/pos"),
        0,
    ),
    (
        "orders: every order has a customer",
        "sales.orders",
        "not_null",
        "warn",
        "김데이터",
        None,
        0,
    ),
    (
        "orders: order_id is unique",
        "sales.orders",
        "unique",
        "error",
        "김데이터",
        None,
        0,
    ),
    (
        "payments: ERP vs lake",
        "sales.payments",
        "row_count_match",
        "error",
        "박재무",
        Some("postgres://reader@erp-replica/erp"),
        0,
    ),
    (
        "refunds: no negative amounts",
        "sales.refunds",
        "custom",
        "warn",
        "박재무",
        None,
        0,
    ),
    (
        "customers: email is unique",
        "crm.customers",
        "unique",
        "warn",
        "최고객",
        None,
        0,
    ),
    (
        "web sessions: a normal day's volume",
        "web_logs.sessions",
        "row_count_range",
        "warn",
        "이웹",
        None,
        1,
    ),
    (
        "inventory: fresh",
        "inventory.stock_levels",
        "freshness",
        "error",
        "정재고",
        None,
        0,
    ),
    (
        "shipments: carrier vs lake",
        "logistics.shipments",
        "row_count_match",
        "error",
        "한물류",
        Some("mysql://reader@tms-replica/tms"),
        0,
    ),
    (
        "invoices: totals vs ledger",
        "finance.invoices",
        "aggregate_match",
        "error",
        "박재무",
        Some("postgres://reader@ledger/ledger"),
        0,
    ),
    (
        "coupons: every use has an order",
        "marketing.coupon_uses",
        "custom",
        "warn",
        "최고객",
        None,
        0,
    ),
];

/// A dozen data checks with 30 days of results each (two failing now, with their alerts recorded); as checks.dir
/// would declare them, marked `demo.toml`.
async fn checks(
    store: &Store,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<usize> {
    use crate::checks::{Answer, Value, judge};
    use crate::config::checks::Tolerance;
    use crate::store::{CheckResultRow, CheckRow};
    let answer = |columns: &[&str], numbers: &[f64]| Answer {
        columns: columns.iter().map(|c| (*c).to_owned()).collect(),
        rows: vec![numbers.iter().map(|n| Value::Num(*n)).collect()],
        ..Answer::default()
    };
    let rows: Vec<CheckRow> = CHECKS
        .iter()
        .map(|(name, table, kind, severity, owner, source, _)| CheckRow {
            name: (*name).to_owned(),
            table: (*table).to_owned(),
            kind: (*kind).to_owned(),
            severity: (*severity).to_owned(),
            owner: Some((*owner).to_owned()),
            schedule: "0 30 7 * * *".to_owned(),
            source: source.map(str::to_owned),
            lake: "athena".to_owned(),
            file: Some(crate::store::DEMO_CHECK_FILE.to_owned()),
            definition: serde_json::json!({"demo": true, "kind": kind}).to_string(),
            version_hash: "00000000000de300".to_owned(),
        })
        .collect();
    store
        .sync_checks(&rows, true, now)
        .await
        .context("Failed to write the demo checks")?;
    let today = now.with_timezone(&tz).date_naive();
    for (name, _, kind, _, _, source, failing) in CHECKS {
        for back in (1..=30).rev() {
            let day = today - Duration::days(back);
            let ran_at = chrono::TimeZone::from_local_datetime(
                &tz,
                &(today - Duration::days(back - 1))
                    .and_hms_opt(7, 30, 0)
                    .unwrap_or_default(),
            )
            .earliest()
            .map_or(now, |t| t.with_timezone(&Utc))
            .min(now);
            let fails = back <= *failing;
            let base = 8_000.0 + f64::from(rng.u32(0..4_000));
            // What the checks' queries would have returned that day, judged as the checker judges them: the
            // verdicts are stored as messages, drawn in each reader's language.
            let verdict = match (*kind, source) {
                (_, Some(url)) => {
                    let lake = if fails {
                        base - f64::from(rng.u32(3..40))
                    } else {
                        base
                    };
                    let host = url::Url::parse(url)
                        .ok()
                        .and_then(|u| u.host_str().map(str::to_owned))
                        .unwrap_or_default();
                    judge::compare(
                        Tolerance::Absolute(0.0),
                        &answer(&["count"], &[base]),
                        &answer(&["count"], &[lake]),
                        &host,
                    )
                }
                ("row_count_range", _) => {
                    let n = if fails { 1_200.0 } else { base * 10.0 };
                    judge::range(&answer(&["rows"], &[n]), Some(50_000.0), Some(200_000.0))
                }
                ("freshness", _) => judge::freshness(
                    &Answer {
                        columns: vec!["updated_at".to_owned()],
                        rows: vec![vec![Value::Time(
                            (ran_at - Duration::minutes(210)).naive_utc(),
                        )]],
                        ..Answer::default()
                    },
                    "updated_at",
                    std::time::Duration::from_secs(6 * 3600),
                    ran_at,
                ),
                ("not_null", _) => judge::not_null(
                    Tolerance::Absolute(0.0),
                    &answer(&["rows", "nulls"], &[base, 0.0]),
                    "customer_id",
                ),
                ("unique", _) => judge::unique(
                    Tolerance::Absolute(0.0),
                    &answer(&["duplicates", "rows"], &[0.0, base]),
                    &["order_id".to_owned()],
                ),
                _ => judge::custom(&Answer::default()),
            };
            store
                .record_check_result(
                    &CheckResultRow {
                        check_name: (*name).to_owned(),
                        day,
                        version_hash: "00000000000de300".to_owned(),
                        ran_at,
                        status: verdict.status.to_owned(),
                        source_value: verdict.source_value,
                        lake_value: verdict.lake_value,
                        difference: verdict.difference,
                        detail: verdict.detail.map(|d| d.to_string()),
                        message: Some(verdict.message.to_stored()),
                        duration_ms: i64::from(rng.u32(300..9_000)),
                        bytes_scanned: Some(i64::from(rng.u32(1..900)) << 20),
                    },
                    None,
                )
                .await
                .context("Failed to write the demo check results")?;
        }
    }
    // Their alerts, recorded as an evaluation would (posted nowhere yet).
    let statuses = store
        .check_statuses(None)
        .await
        .context("Failed to read the demo checks")?;
    let mut history = std::collections::BTreeMap::new();
    for c in statuses
        .iter()
        .filter(|c| c.status.as_deref() == Some("fail"))
    {
        history.insert(
            c.check_name.clone(),
            store
                .check_history(&c.check_name, 8)
                .await
                .context("Failed to read a demo check")?,
        );
    }
    let found = crate::alerts::rules::quality(&statuses, &history);
    crate::alerts::lifecycle::apply(store, "quality", &found, &[], now)
        .await
        .context("Failed to write the demo check alerts")?;
    Ok(CHECKS.len())
}

/// What people asked for in the demo request channel: title, author, what happened (0 new, 1 accepted, 2 in
/// progress, 3 done, 4 rejected), days ago.
const ASKS: &[(&str, (&str, &str), u8, i64)] = &[
    (
        "매장별 일 매출 대시보드가 필요합니다 📊",
        ("kim", "김민지"),
        3,
        58,
    ),
    (
        "Refund rate by product category, weekly",
        ("lee", "Alex Lee"),
        3,
        51,
    ),
    (
        "crm.customers에 가입 채널 컬럼 추가 요청",
        ("park", "박지훈"),
        4,
        47,
    ),
    (
        "Athena work group for the marketing team",
        ("choi", "최수빈"),
        3,
        40,
    ),
    (
        "재고 회전율 지표 정의 공유 부탁드립니다",
        ("jung", "정하은"),
        3,
        33,
    ),
    (
        "Daily export of web_logs.sessions to the partner bucket",
        ("lee", "Alex Lee"),
        2,
        26,
    ),
    (
        "쿠폰 사용 이력 테이블 파티션이 비어 있어요",
        ("kim", "김민지"),
        3,
        19,
    ),
    ("Churn by store, monthly", ("han", "Sam Han"), 2, 15),
    (
        "물류 배송 지연 알림을 Teams로 받고 싶습니다 🚚",
        ("park", "박지훈"),
        1,
        11,
    ),
    (
        "Access to finance.invoices for the audit team",
        ("choi", "최수빈"),
        4,
        8,
    ),
    (
        "POS 데이터 시간대가 UTC인지 KST인지 확인 부탁",
        ("jung", "정하은"),
        1,
        5,
    ),
    (
        "Cohort retention by first-order month",
        ("han", "Sam Han"),
        0,
        3,
    ),
    (
        "주문 데이터 누락 건 확인 요청 (11/24)",
        ("kim", "김민지"),
        0,
        1,
    ),
];

/// The demo request channel: requirements at every stage, with comments and the audit of each change.
async fn requirements(
    store: &Store,
    now: DateTime<Utc>,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<usize> {
    let engineer = Person {
        aad_object_id: Some("demo-aad-data-eng".to_owned()),
        name: Some("데이터엔지니어링 🐕".to_owned()),
        teams_id: Some("29:demo-data-eng".to_owned()),
    };
    let person = |(id, name): (&str, &str)| Person {
        aad_object_id: Some(format!("demo-aad-{id}")),
        name: Some(name.to_owned()),
        teams_id: Some(format!("29:demo-{id}")),
    };
    for (i, (title, author, stage, days)) in ASKS.iter().enumerate() {
        let created = now - Duration::days(*days) - Duration::minutes(rng.i64(0..600));
        let message = format!("demo-{i}");
        let (requirement, _) = store
            .record_requirement(&NewRequirement {
                channel_id: DEMO_REQUEST_CHANNEL.to_owned(),
                teams_message_id: message.clone(),
                conversation_id: format!("{DEMO_REQUEST_CHANNEL};messageid={message}"),
                service_url: "https://smba.trafficmanager.net/demo/".to_owned(),
                title: (*title).to_owned(),
                body: format!("{title}\n\n(demo)"),
                body_html: None,
                attachments: None,
                author: person(*author),
                created_at: created,
            })
            .await?;
        let mut at = created;
        let mut step = |hours: i64| {
            at += Duration::hours(hours) + Duration::minutes(rng.i64(0..120));
            at.min(now)
        };
        let changes: Vec<Change> = match stage {
            0 => vec![],
            1 => vec![Change::Accept],
            2 => vec![
                Change::Accept,
                Change::Assign(engineer.clone()),
                Change::Start,
            ],
            3 => vec![
                Change::Accept,
                Change::Assign(engineer.clone()),
                Change::Start,
                Change::Done,
            ],
            _ => vec![Change::Reject(
                "이미 있는 테이블로 가능합니다: catalog search 로 찾아보세요".to_owned(),
            )],
        };
        if *stage > 0 {
            store
                .record_comment(&NewComment {
                    channel_id: DEMO_REQUEST_CHANNEL.to_owned(),
                    root_message_id: message.clone(),
                    teams_message_id: format!("{message}-reply"),
                    author: engineer.clone(),
                    body: if *stage == 4 {
                        "검토해 보겠습니다 🔍".to_owned()
                    } else {
                        "확인했습니다. 일정 공유드릴게요 👍".to_owned()
                    },
                    created_at: step(3),
                })
                .await?;
        }
        for change in changes {
            let when = step(if matches!(change, Change::Done) {
                24 * 3
            } else {
                5
            });
            store
                .change_requirement(requirement.id, &change, &engineer, when)
                .await?;
        }
    }
    Ok(ASKS.len())
}

/// A demo DAG (see [`DAGS`]).
type DemoDag = (
    &'static str,
    &'static str,
    Option<u32>,
    u32,
    i64,
    f64,
    &'static str,
);
/// The demo Airflow: DAG id, owner, when it runs (local hour, minute; `None` hour: every hour), every how many
/// hours (24 daily, 168 weekly on Sundays), typical minutes, schedule as written.
const DAGS: &[DemoDag] = &[
    (
        "inventory_snapshot",
        "물류",
        Some(1),
        0,
        24,
        5.0,
        "0 1 * * *",
    ),
    (
        "sales_orders_daily",
        "판매팀",
        Some(2),
        0,
        24,
        14.0,
        "0 2 * * *",
    ),
    (
        "sales_payments_daily",
        "판매팀",
        Some(2),
        30,
        24,
        9.0,
        "30 2 * * *",
    ),
    (
        "ml_feature_build",
        "ml-team",
        Some(3),
        0,
        24,
        48.0,
        "0 3 * * *",
    ),
    (
        "marketing_campaign_daily",
        "마케팅",
        Some(4),
        0,
        24,
        22.0,
        "0 4 * * *",
    ),
    (
        "catalog_compaction_weekly",
        "data-eng",
        Some(5),
        0,
        168,
        75.0,
        "0 5 * * 0",
    ),
    (
        "report_kpi_daily",
        "경영지원",
        Some(7),
        0,
        24,
        3.0,
        "0 7 * * *",
    ),
    (
        "cost_cur_refresh",
        "data-eng",
        Some(0),
        40,
        6,
        12.0,
        "40 */6 * * *",
    ),
    (
        "web_events_hourly",
        "web-platform",
        None,
        5,
        1,
        6.0,
        "5 * * * *",
    ),
];
/// The demo DAG that fails: its last two daily runs failed in `load_to_s3`, after a retry.
const FAILING_DAG: &str = "marketing_campaign_daily";

/// The demo Airflow instance (named like the demo account): 30 days of runs of [`DAGS`] at their local times,
/// durations with noise (`ml_feature_build` slowly growing), a DAG failing for two days, a backfill, the hourly
/// DAG running now, a paused DAG and a file that fails to import. Returns the runs written.
async fn airflow(
    store: &Store,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<usize> {
    use crate::store::{
        AirflowCollection, AirflowDagRow, AirflowFailureRow, AirflowImportErrorRow, AirflowRunRow,
    };
    use chrono::TimeZone;
    let today = now.with_timezone(&tz).date_naive();
    let at = |day: NaiveDate, hour: u32, minute: u32| {
        tz.from_local_datetime(&day.and_hms_opt(hour, minute, 0).expect("a valid time"))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    };
    let mut dags = Vec::new();
    let mut runs = Vec::new();
    let mut failures = Vec::new();
    for (dag_id, owner, hour, minute, every, minutes, schedule) in DAGS {
        let mut next = None;
        // Tomorrow too: the next run.
        for back in (-1..=30).rev() {
            let day = today - Duration::days(back);
            let hours: Vec<u32> = match (hour, every) {
                (None, _) => (0..24).collect(),
                (Some(h), 6) => (0..4).map(|i| h + 6 * i).collect(),
                (Some(_), 168) if day.weekday() != chrono::Weekday::Sun => Vec::new(),
                (Some(h), _) => vec![*h],
            };
            for h in hours {
                let Some(due) = at(day, h, *minute) else {
                    continue;
                };
                if due > now {
                    next = next.or(Some(due));
                    continue;
                }
                let started = due + Duration::seconds(rng.i64(3..40));
                // ml_feature_build grows a third in ten days: its trend shows whatever the noise.
                let growth = if *dag_id == "ml_feature_build" {
                    1.0 + (30 - back) as f64 / 30.0
                } else {
                    1.0
                };
                let secs = (minutes * 60.0 * growth * (0.9 + rng.f64() * 0.2)) as i64;
                let ended = started + Duration::seconds(secs);
                let logical = due - Duration::hours(*every);
                let run_id = format!("scheduled__{}", logical.format("%Y-%m-%dT%H:%M:%S+00:00"));
                let failing = *dag_id == FAILING_DAG && back <= 1;
                let (state, ended_at) = if ended > now {
                    ("running", None)
                } else if failing {
                    ("failed", Some(started + Duration::seconds(secs / 3)))
                } else {
                    ("success", Some(ended))
                };
                if failing && ended_at.is_some() {
                    failures.push(AirflowFailureRow {
                        dag_id: (*dag_id).to_owned(),
                        run_id: run_id.clone(),
                        task_id: "load_to_s3".to_owned(),
                        map_index: -1,
                        try_number: 2,
                        state: "failed".to_owned(),
                        operator: Some("S3CreateObjectOperator".to_owned()),
                        started_at: ended_at.map(|e| e - Duration::seconds(40)),
                        ended_at,
                        duration_secs: Some(40.0),
                        log_url: Some(format!(
                            "https://airflow.demo.example/dags/{dag_id}/runs/{run_id}/tasks/load_to_s3?try_number=2"
                        )),
                    });
                }
                runs.push(AirflowRunRow {
                    dag_id: (*dag_id).to_owned(),
                    run_id,
                    run_type: "scheduled".to_owned(),
                    state: state.to_owned(),
                    logical_date: Some(logical),
                    run_after: Some(due),
                    queued_at: Some(due),
                    started_at: Some(started),
                    ended_at,
                });
            }
        }
        dags.push(AirflowDagRow {
            dag_id: (*dag_id).to_owned(),
            owners: Some((*owner).to_owned()),
            tags: Some(serde_json::json!(["demo", owner]).to_string()),
            schedule: Some((*schedule).to_owned()),
            schedule_description: None,
            is_paused: false,
            is_active: true,
            next_run_after: next,
            next_logical_date: next.map(|n| n - Duration::hours(*every)),
            file_location: Some(format!("/opt/airflow/dags/{dag_id}.py")),
            has_import_errors: false,
        });
    }
    // A backfill of the orders DAG three days ago, for 40 to 44 days back: kept, and told apart.
    for back in 40..45 {
        let logical = at(today - Duration::days(back), 2, 0).unwrap_or(now);
        let started = now - Duration::days(3) + Duration::minutes(15 * (back - 40));
        runs.push(AirflowRunRow {
            dag_id: "sales_orders_daily".to_owned(),
            run_id: format!("backfill__{}", logical.format("%Y-%m-%dT%H:%M:%S+00:00")),
            run_type: "backfill".to_owned(),
            state: "success".to_owned(),
            logical_date: Some(logical),
            run_after: Some(logical),
            queued_at: Some(started),
            started_at: Some(started),
            ended_at: Some(started + Duration::minutes(13)),
        });
    }
    dags.push(AirflowDagRow {
        dag_id: "orders_backfill_2025".to_owned(),
        owners: Some("판매팀".to_owned()),
        is_paused: true,
        is_active: true,
        file_location: Some("/opt/airflow/dags/orders_backfill_2025.py".to_owned()),
        ..AirflowDagRow::default()
    });
    let written = runs.len();
    store
        .write_airflow(
            &AirflowCollection {
                instance: DEMO_ACCOUNT.to_owned(),
                url: "https://airflow.demo.example".to_owned(),
                api: "v2".to_owned(),
                version: "3.1.8".to_owned(),
                through: now,
                dags,
                runs,
                failures,
                import_errors: vec![AirflowImportErrorRow {
                    file_location: "/opt/airflow/dags/legacy_crm_sync.py".to_owned(),
                    error_text: "ModuleNotFoundError: No module named 'crm_client'".to_owned(),
                    seen_since: Some(now - Duration::hours(5)),
                }],
            },
            tz,
            now,
        )
        .await
        .context("Failed to write the demo Airflow")?;
    Ok(written)
}

/// Removes the demo rows; returns how many.
pub async fn clear(store: &Store) -> anyhow::Result<u64> {
    store
        .clear_demo()
        .await
        .context("Failed to remove the demo data")
}

fn columns_of(entity: &str, partitioned: bool) -> Vec<ColumnRow> {
    let mut out: Vec<Column> = Vec::new();
    for (word, cols) in TOPICAL {
        if entity.contains(word) {
            for c in *cols {
                if !out.iter().any(|o| o.0 == c.0) {
                    out.push(*c);
                }
            }
        }
    }
    for c in COMMON {
        if !out.iter().any(|o| o.0 == c.0) {
            out.push(*c);
        }
    }
    let mut columns: Vec<ColumnRow> = out
        .into_iter()
        .enumerate()
        .map(|(i, (name, data_type, comment))| ColumnRow {
            name: name.to_owned(),
            ordinal: i as i64 + 1,
            data_type: data_type.to_owned(),
            comment: Some(comment.to_owned()),
            is_partition_key: false,
        })
        .collect();
    if partitioned {
        columns.push(ColumnRow {
            name: "dt".to_owned(),
            ordinal: columns.len() as i64 + 1,
            data_type: "string".to_owned(),
            comment: Some("파티션 날짜 (yyyy-MM-dd, KST)".to_owned()),
            is_partition_key: true,
        });
    }
    columns
}

fn tables_of(
    db: &str,
    entities: &[&str],
    now: DateTime<Utc>,
    rng: &mut fastrand::Rng,
) -> Vec<TableRow> {
    let mut tables = Vec::new();
    for entity in entities {
        for (suffix, what) in VARIANTS {
            // Not every entity has every variant: about two thirds do.
            if !suffix.is_empty() && rng.u32(0..3) == 0 {
                continue;
            }
            let name = format!("{entity}{suffix}");
            let is_view = *suffix == "_v";
            let partitioned = !is_view && *suffix != "_stg";
            // Most tables load daily; some lag a few days; a few were abandoned weeks ago.
            let lag_hours = match rng.u32(0..20) {
                0 => rng.i64(24 * 20..24 * 120),
                1..=3 => rng.i64(30..24 * 6),
                _ => rng.i64(1..20),
            };
            let changed = now - Duration::hours(lag_hours) - Duration::minutes(rng.i64(0..60));
            let iceberg = !is_view && rng.u32(0..5) == 0;
            let format = if is_view {
                "view"
            } else if iceberg {
                "iceberg"
            } else {
                "hive"
            };
            let columns = if is_view {
                columns_of(entity, false)
            } else {
                columns_of(entity, partitioned)
            };
            let days = rng.i64(30..700);
            let partitions = partitioned.then(|| PartitionStats {
                count: days,
                newest_values: Some(format!(
                    "[\"{}\"]",
                    (changed + Duration::hours(9)).date_naive()
                )),
                newest_created_at: Some(changed),
            });
            let description = if what.is_empty() {
                None
            } else {
                Some(format!("{entity} — {what}"))
            };
            tables.push(TableRow {
                name: name.clone(),
                catalog_id: Some("000000000001".to_owned()),
                table_type: Some(
                    if is_view {
                        "VIRTUAL_VIEW"
                    } else {
                        "EXTERNAL_TABLE"
                    }
                    .to_owned(),
                ),
                table_format: format.to_owned(),
                location: (!is_view).then(|| format!("s3://demo-lake/{db}/{name}/")),
                input_format: (!is_view && !iceberg).then(|| {
                    "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat".to_owned()
                }),
                output_format: None,
                serde_library: (!is_view && !iceberg).then(|| {
                    "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe".to_owned()
                }),
                classification: (!is_view).then(|| "parquet".to_owned()),
                owner: Some(
                    ["data-eng", "analytics", "marketing-data"][rng.usize(0..3)].to_owned(),
                ),
                description,
                parameters: None,
                partition_keys: partitioned.then(|| "[\"dt\"]".to_owned()),
                record_count: (!is_view).then(|| rng.i64(10_000..500_000_000)),
                size_bytes: (!is_view).then(|| rng.i64(50_000_000..4_000_000_000_000)),
                view_text: is_view.then(|| format!("SELECT * FROM {db}.{entity}")),
                created_at: Some(now - Duration::days(days)),
                updated_at: Some(changed),
                columns,
                partitions,
            });
        }
    }
    tables
}

fn queries(
    tables: &[(String, String, bool)],
    today: NaiveDate,
    now: DateTime<Utc>,
    rng: &mut fastrand::Rng,
) -> Vec<QueryRow> {
    let total_weight: u32 = WORK_GROUPS.iter().map(|(_, w)| w).sum();
    // Which tables are hot is random, not the order they were made in.
    let mut tables = tables.to_vec();
    rng.shuffle(&mut tables);
    let tables = &tables;
    let mut out = Vec::new();
    for back in (0..DAYS).rev() {
        let day = today - Duration::days(back);
        let weekend = matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
        // Usage grows over the quarter; weekends are quiet.
        let base = 60 + (DAYS - back) as usize;
        let n = if weekend { base / 3 } else { base };
        for i in 0..n {
            // Popularity: a few tables are hot (the square skews toward the start of the list).
            let pick = |rng: &mut fastrand::Rng| {
                let x = rng.f64();
                ((x * x) * tables.len() as f64) as usize % tables.len()
            };
            let first = pick(rng);
            let mut reads = vec![(tables[first].0.clone(), tables[first].1.clone())];
            if rng.u32(0..3) == 0 {
                let second = pick(rng);
                if second != first {
                    reads.push((tables[second].0.clone(), tables[second].1.clone()));
                }
            }
            let mut roll = rng.u32(0..total_weight);
            let work_group = WORK_GROUPS
                .iter()
                .find(|(_, w)| {
                    if roll < *w {
                        true
                    } else {
                        roll -= w;
                        false
                    }
                })
                .map_or("analysts", |(g, _)| g);
            let submitted = day.and_hms_opt(0, 0, 0).expect("midnight").and_utc()
                + Duration::seconds(rng.i64(0..86_400))
                - Duration::hours(9);
            if submitted > now {
                continue;
            }
            let failed = rng.u32(0..40) == 0;
            let bytes = (10f64.powf(rng.f64() * 5.0 + 6.0)) as i64;
            let sql = format!(
                "SELECT * FROM {}.{} WHERE dt = '{day}' LIMIT {}",
                reads[0].0,
                reads[0].1,
                100 + i
            );
            out.push(QueryRow {
                query_id: format!("demo-{day}-{i:05}"),
                account: DEMO_ACCOUNT.to_owned(),
                region: REGION.to_owned(),
                work_group: work_group.to_owned(),
                state: if failed { "FAILED" } else { "SUCCEEDED" }.to_owned(),
                statement_type: Some("DML".to_owned()),
                query_catalog: Some("AwsDataCatalog".to_owned()),
                query_database: Some(reads[0].0.clone()),
                submitted_at: submitted,
                completed_at: Some(submitted + Duration::milliseconds(rng.i64(400..90_000))),
                usage_date: day,
                engine_ms: Some(rng.i64(300..80_000)),
                total_ms: Some(rng.i64(400..90_000)),
                queue_ms: Some(rng.i64(5..800)),
                bytes_scanned: (!failed).then_some(bytes),
                engine_version: Some("Athena engine version 3".to_owned()),
                error_message: failed
                    .then(|| "TABLE_NOT_FOUND: line 1:15: Table does not exist".to_owned()),
                sql_bytes: sql.len() as i64,
                sql_hash: format!("{:016x}", rng.u64(..)),
                sql_text: Some(sql),
                sql_truncated: false,
                tables_error: None,
                reads,
                writes: Vec::new(),
            });
        }
    }
    out
}

/// The costliest resources of each day, account and service, as the cost collector keeps them: two named ones
/// (55 % and 25 % of the cost) and `other` for the rest.
fn resources(rows: &[CostRow]) -> Vec<ResourceCostRow> {
    let mut out = Vec::with_capacity(rows.len() * 3);
    for r in rows {
        let names: [String; 2] = match r.service.as_str() {
            "AmazonS3" => ["raw", "curated"].map(|b| format!("retail-lake-{b}-{}", r.account_id)),
            "AmazonEC2" => ["0a1b2c3d4e5f60718", "0f9e8d7c6b5a40312"].map(|i| format!("i-{i}")),
            "AmazonAthena" => ["analysts", "etl"].map(|w| {
                format!(
                    "arn:aws:athena:ap-northeast-2:{}:workgroup/{w}",
                    r.account_id
                )
            }),
            "AWSGlue" => ["orders-daily", "customers-scd"]
                .map(|j| format!("arn:aws:glue:ap-northeast-2:{}:job/{j}", r.account_id)),
            "AmazonRDS" => ["ops-mysql", "orders-replica"]
                .map(|d| format!("arn:aws:rds:ap-northeast-2:{}:db:{d}", r.account_id)),
            other => ["a", "b"].map(|k| format!("{}-{k}-{}", other.to_lowercase(), r.account_id)),
        };
        let amount: f64 = r.amortized_cost.parse().unwrap_or(0.0);
        for (resource_id, share) in names
            .into_iter()
            .zip([0.55, 0.25])
            .chain([("other".to_owned(), 0.20)])
        {
            let cost = format!("{:.6}", amount * share);
            out.push(ResourceCostRow {
                billing_month: r.billing_month,
                usage_date: r.usage_date,
                account_id: r.account_id.clone(),
                service: r.service.clone(),
                resource_id,
                currency: r.currency.clone(),
                unblended_cost: cost.clone(),
                amortized_cost: cost,
            });
        }
    }
    out
}

#[allow(clippy::type_complexity)]
fn costs(
    today: NaiveDate,
    rng: &mut fastrand::Rng,
) -> (Vec<NaiveDate>, Vec<CostRow>, Vec<AccountRow>) {
    let this_month = today.with_day(1).expect("first day");
    let month_before = |m: NaiveDate| (m - Duration::days(1)).with_day(1).expect("first day");
    let last_month = month_before(this_month);
    let months = vec![month_before(last_month), last_month, this_month];
    let mut rows = Vec::new();
    let mut day = months[0];
    // CUR lags about a day: the current month runs to yesterday (or to today on the 1st).
    let until = (today - Duration::days(1)).max(this_month);
    while day <= until {
        let month = day.with_day(1).expect("first day");
        let age = (today - day).num_days() as f64;
        // About USD 1,800 a day, growing 8% a month, quieter at weekends.
        let weekend = matches!(day.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
        let level = 1_800.0 * (1.0 - 0.08 * age / 30.0) * if weekend { 0.85 } else { 1.0 };
        for (i, (_, _, share)) in ACCOUNTS.iter().enumerate() {
            for (code, name, service_share, usage_type) in SERVICES {
                let mut amount = level * share * service_share * (0.9 + rng.f64() * 0.2);
                // This month Athena in the analytics account jumps: someone dropped a partition filter.
                if *code == "AmazonAthena" && i == 2 && month == this_month && day.day() >= 10 {
                    amount *= 3.5;
                }
                let cost = format!("{amount:.6}");
                rows.push(CostRow {
                    billing_month: month,
                    usage_date: day,
                    account_id: DEMO_ACCOUNT_IDS[i].to_owned(),
                    service: (*code).to_owned(),
                    service_name: Some((*name).to_owned()),
                    usage_type: (*usage_type).to_owned(),
                    charge_type: "Usage".to_owned(),
                    currency: "USD".to_owned(),
                    unblended_cost: cost.clone(),
                    net_unblended_cost: None,
                    amortized_cost: cost,
                    usage_amount: amount / 0.1,
                });
            }
        }
        day += Duration::days(1);
    }
    let accounts = ACCOUNTS
        .iter()
        .zip(DEMO_ACCOUNT_IDS)
        .map(|((name, team, _), id)| AccountRow {
            account_id: id.to_owned(),
            account_name: Some((*name).to_owned()),
            team: Some((*team).to_owned()),
        })
        .collect();
    (months, rows, accounts)
}
