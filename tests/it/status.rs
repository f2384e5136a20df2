//! `status` in chat: jobs and data freshness from the store.

use chrono::Duration;
use doberman::chat::Settings;
use doberman::store::{CatalogScope, DatabaseRow, JobOutcome, JobStatus, TableRow, now};

use crate::support::{TestDb, two_backends};

async fn status_shows_jobs_and_what_is_behind(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let t = now();
    let ok = store
        .start_job_run("catalog", t - Duration::minutes(5))
        .await
        .expect("start");
    store
        .finish_job_run(
            ok,
            t - Duration::minutes(4),
            &JobOutcome {
                status: JobStatus::Succeeded,
                rows_written: 12_345,
                error_text: None,
            },
        )
        .await
        .expect("finish");
    let bad = store
        .start_job_run("usage", t - Duration::minutes(1))
        .await
        .expect("start");
    store
        .finish_job_run(
            bad,
            t,
            &JobOutcome {
                status: JobStatus::Failed,
                rows_written: 0,
                error_text: Some(
                    "AWS athena:ListQueryExecutions failed for work group `분석`: throttled\nmore"
                        .into(),
                ),
            },
        )
        .await
        .expect("finish");
    // The catalog data was written three hours ago: its hourly job is behind.
    store
        .write_catalog_database(
            &CatalogScope {
                account: "lake".into(),
                region: "ap-northeast-2".into(),
            },
            &DatabaseRow {
                name: "sales".into(),
                ..DatabaseRow::default()
            },
            &[TableRow {
                name: "orders".into(),
                table_format: "hive".into(),
                ..TableRow::default()
            }],
            t - Duration::hours(3),
        )
        .await
        .expect("catalog");
    let chat = crate::support::chat(
        &store,
        Settings {
            timezone: chrono_tz::Asia::Seoul,
            superset_url: None,
            periods: [
                ("catalog".to_owned(), Duration::hours(1)),
                ("usage".to_owned(), Duration::minutes(15)),
            ]
            .into(),
            started_at: Some(t - Duration::days(1)),
            ..Settings::default()
        },
    );

    let (text, _) = crate::support::ask_card(&chat, "상태").await;

    assert!(text.contains("Doberman status"), "{text}");
    assert!(text.contains("● attention"), "{text}");
    assert!(
        text.contains("up since") && text.contains("(1d ago)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Version: {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    assert!(text.contains("(5m ago) | succeeded | 12,345"), "{text}");
    assert!(
        text.contains(
            "failed: AWS athena:ListQueryExecutions failed for work group `분석`: throttled | 0"
        ),
        "the first line of the error: {text}"
    );
    assert!(text.contains("cost | never | not scheduled | –"), "{text}");
    assert!(
        text.contains("Glue catalog (dim_table) |") && text.contains("(3h ago) | behind"),
        "{text}"
    );
    assert!(
        text.contains("Cost (fact_cost_daily) | never | –"),
        "{text}"
    );
}
two_backends!(status_shows_jobs_and_what_is_behind);
