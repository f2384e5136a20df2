//! `status` in chat: jobs and data freshness from the store.

use chrono::Duration;
use doberman::cards::kit;
use doberman::chat::{Reply, Settings};
use doberman::i18n::{self, Lang, english_besides};
use doberman::store::{
    CatalogScope, ConversationKind, ConversationRef, DatabaseRow, JobOutcome, JobStatus, Store,
    TableRow, now,
};

use crate::support::{TestDb, two_backends};

/// A catalog run that succeeded, a usage run that failed, and catalog data three hours old (its hourly job is
/// behind); the chat's settings schedule those two jobs. Returns the settings.
async fn seed_status(store: &Store) -> Settings {
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
    }
}

async fn status_shows_jobs_and_what_is_behind(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let settings = seed_status(&store).await;
    let chat = crate::support::chat(&store, settings);

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

async fn status_reads_in_korean(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let settings = seed_status(&store).await;

    let reply = i18n::scope(
        Lang::Ko,
        doberman::chat::status::answer(&store, &settings, now()),
    )
    .await
    .expect("an answer");

    let Reply::Card(card) = reply else {
        panic!("expected a card: {reply:?}")
    };
    assert_eq!(kit::problems(&card), Vec::<String>::new());
    let text = kit::to_text(&card);
    for expected in [
        "Doberman 상태",
        "● 확인 필요",
        "(1일 전)부터 실행 중",
        "버전: ",
        "데이터베이스: ",
        "열린 알림: 없음",
        "작업 | 마지막 실행 | 결과 | 행 수",
        "(5분 전) | 성공 | 12,345",
        "| 실패: AWS athena:ListQueryExecutions failed for work group `분석`: throttled | 0",
        "cost | 기록 없음 | 일정 없음 | –",
        "데이터 | 마지막 기록 | 최신 여부",
        "Glue 카탈로그 (dim_table) |",
        "(3시간 전) | 지연",
        "비용 (fact_cost_daily) | 기록 없음 | –",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from\n{text}");
    }
    assert!(
        card["fallbackText"]
            .as_str()
            .is_some_and(|s| s.contains("확인이 필요한 항목이 2건 있습니다")),
        "{}",
        card["fallbackText"]
    );
    let left = english_besides(
        &text,
        &[
            "AWS athena:ListQueryExecutions failed for work group",
            "throttled",
            "dim_table",
            "fact_athena_query",
            "fact_cost_daily",
            "fact_airflow_dag_run",
            "catalog",
            "usage",
            "cost",
            "airflow",
            "checks",
            "sqlite",
            "mysql",
        ],
    );
    assert!(left.is_empty(), "English left {left:?} in\n{text}");
}
two_backends!(status_reads_in_korean);

fn conversation(id: &str, kind: ConversationKind) -> ConversationRef {
    let seen = now() - Duration::hours(2);
    ConversationRef {
        conversation_id: id.to_owned(),
        kind,
        service_url: "https://smba.trafficmanager.net/apac/tenant/".to_owned(),
        tenant_id: None,
        bot_id: None,
        team_id: None,
        team_name: None,
        channel_id: None,
        channel_name: None,
        user_id: None,
        user_aad_object_id: None,
        user_name: None,
        active: true,
        inactive_reason: None,
        first_seen_at: seen,
        last_seen_at: seen,
        locale: None,
    }
}

async fn conversations_are_listed_in_the_askers_language(db: TestDb) {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let seoul = chrono_tz::Asia::Seoul;
    let nobody = i18n::scope(Lang::Ko, async {
        doberman::chat::conversations::list(&store, seoul).await
    })
    .await
    .expect("an answer");
    assert_eq!(
        nobody,
        Reply::Text("아직 저와 대화한 곳이 없습니다. 팀이나 채팅에 저를 설치해 주세요.".to_owned())
    );
    // A team's General channel (its id is the team's), a personal chat, and a group chat Doberman was removed from.
    let general = ConversationRef {
        team_id: Some("19:team@thread.tacv2".to_owned()),
        team_name: Some("Data Platform".to_owned()),
        channel_id: Some("19:team@thread.tacv2".to_owned()),
        ..conversation("19:team@thread.tacv2", ConversationKind::Channel)
    };
    let personal = ConversationRef {
        user_name: Some("이영희".to_owned()),
        ..conversation("a:1", ConversationKind::Personal)
    };
    let group = conversation("19:group@thread.v2", ConversationKind::Group);
    for c in [&general, &personal, &group] {
        store.upsert_conversation(c).await.expect("save");
    }
    store
        .deactivate_conversation("19:group@thread.v2", "Doberman was removed")
        .await
        .expect("deactivate");

    let list =
        async |lang| match i18n::scope(lang, doberman::chat::conversations::list(&store, seoul))
            .await
            .expect("an answer")
        {
            Reply::Text(text) => text,
            other => panic!("expected text: {other:?}"),
        };
    let (en, ko) = (list(Lang::En).await, list(Lang::Ko).await);

    assert!(
        en.contains("I know 3 conversations, 2 where I may post:"),
        "{en}"
    );
    assert!(
        en.contains("channel **General** in team **Data Platform** — active, last seen 20"),
        "{en}"
    );
    assert!(
        en.contains("personal chat with **이영희** — active"),
        "{en}"
    );
    assert!(
        en.contains("group chat — inactive: Doberman was removed"),
        "{en}"
    );
    assert!(
        ko.contains("대화 3곳을 알고 있고, 그중 2곳에 글을 올릴 수 있습니다:"),
        "{ko}"
    );
    assert!(
        ko.contains("**Data Platform** 팀의 **일반** 채널 — 활성, 마지막 확인 20"),
        "{ko}"
    );
    assert!(ko.contains("**이영희** 님과의 개인 채팅 — 활성"), "{ko}");
    assert!(ko.contains("그룹 채팅 — 비활성: Doberman이 제거됨"), "{ko}");
    assert!(ko.contains("KST"), "{ko}");
    let left = english_besides(&ko, &["Data Platform"]);
    assert!(left.is_empty(), "English left {left:?} in\n{ko}");
}
two_backends!(conversations_are_listed_in_the_askers_language);
