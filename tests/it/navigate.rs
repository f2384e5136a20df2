//! `navigate [word]` in chat and from the command line: the operator's navigation document (`navigate.file`)
//! with Doberman's own tables and dashboards, read once when the configuration loads.

use doberman::chat::{Chat, Settings};

use crate::cli::{doberman, run};
use crate::support::{TestDb, ask_card, two_backends};

const DOCUMENT: &str = r##"
[[entry]]
title = "Daily sales (일 매출) 🐕"
group = "Sales"
description = "Net sales per day and store, returns deducted."
owner = "매출분석팀"
keywords = ["revenue", "매출"]
where = [
  { kind = "dashboard", label = "Sales overview", url = "https://superset.example.com/superset/dashboard/sales/" },
  { kind = "table", label = "mart.fact_sales_daily" },
  { kind = "channel", label = "#sales-data" },
]

[[entry]]
title = "Campaign performance"
group = "Marketing"
description = "Spend (광고 비용) and attributed orders per campaign."
owner = "Marketing analytics"
keywords = ["ROAS", "캠페인"]
where = [{ kind = "table", label = "marketing.fact_campaign_daily" }]
"##;

/// A folder holding `navigate.toml` with `text`.
fn document(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("navigate.toml");
    std::fs::write(&path, text).expect("write the navigate file");
    let path = path.display().to_string();
    (dir, path)
}

/// The chat's settings with the navigation document at `path` and Superset.
fn settings_with_document(db: &TestDb, path: &str) -> Settings {
    let config = db.config_with(&[
        ("DOBERMAN_NAVIGATE__FILE", path),
        ("DOBERMAN_SUPERSET__URL", "https://superset.example.com"),
    ]);
    Settings::from_config(&config)
}

async fn chat_with_document(db: &TestDb, path: &str) -> Chat {
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    crate::support::chat(&store, settings_with_document(db, path))
}

async fn the_index_is_grouped_with_dobermans_own_entries_last(db: TestDb) {
    let (_dir, path) = document(DOCUMENT);
    let chat = chat_with_document(&db, &path).await;

    let (text, card) = ask_card(&chat, "navigate").await;

    assert!(
        text.contains("Where things live\n8 entries"),
        "2 of the file and 6 of Doberman's: {text}"
    );
    let sales = text.find("\nSales\n").expect("the Sales group");
    let marketing = text.find("\nMarketing\n").expect("the Marketing group");
    let own = text.find("\nDoberman\n").expect("Doberman's group");
    assert!(
        sales < marketing && marketing < own,
        "file order, then Doberman's: {text}"
    );
    assert!(
        text.contains("Daily sales (일 매출) 🐕\n📊 [Sales overview](https://superset.example.com/superset/dashboard/sales/) · 🗄️ mart.fact_sales_daily · 💬 #sales-data\nowner: 매출분석팀"),
        "Korean and emoji round-trip, places on one line: {text}"
    );
    assert!(
        text.contains(
            "📊 [Doberman cost](https://superset.example.com/superset/dashboard/doberman-cost/)"
        ),
        "{text}"
    );
    // Superset reads Doberman's tables in its MySQL database; SQLite has no such name.
    let cost_table = match db.url.rsplit_once('/') {
        Some((_, name)) if db.backend == doberman::config::Backend::MySql => {
            format!("🗄️ {name}.fact_cost_daily")
        }
        _ => "🗄️ fact_cost_daily".to_owned(),
    };
    assert!(text.contains(&cost_table), "`{cost_table}` in {text}");
    assert!(
        text.contains("data as of ") && text.contains("· navigate.toml"),
        "the file's name, not where it lives: {text}"
    );
    assert!(!text.contains(&path), "{text}");
    assert_eq!(card["actions"][0]["url"], "https://superset.example.com/");
}
two_backends!(the_index_is_grouped_with_dobermans_own_entries_last);

async fn a_korean_word_finds_title_and_keyword_hits_before_description_hits(db: TestDb) {
    let (_dir, path) = document(DOCUMENT);
    let chat = chat_with_document(&db, &path).await;

    let (text, card) = ask_card(&chat, "navigate 비용").await;

    assert!(
        text.contains("Navigate: 비용\n2 matches, best first"),
        "{text}"
    );
    let own = text
        .find("AWS cost (AWS 비용)")
        .expect("Doberman's cost entry");
    let campaign = text
        .find("Campaign performance")
        .expect("the campaign entry mentions 비용 in its description");
    assert!(own < campaign, "title hits rank first: {text}");
    assert!(
        text.contains("Marketing · owner: Marketing analytics"),
        "{text}"
    );
    assert_eq!(
        card["actions"][0]["url"], "https://superset.example.com/superset/dashboard/doberman-cost/",
        "the best match's dashboard is a button"
    );

    for (alias, expected) in [
        ("어디에 매출", "Daily sales (일 매출) 🐕"),
        ("내비게이션 REVENUE", "Daily sales (일 매출) 🐕"),
        ("where is roas", "Campaign performance"),
    ] {
        let (text, _) = ask_card(&chat, alias).await;
        assert!(
            text.contains(&format!("1 match\n{expected}")),
            "{alias}: {text}"
        );
    }
}
two_backends!(a_korean_word_finds_title_and_keyword_hits_before_description_hits);

async fn a_word_nothing_matches_says_so_and_what_to_try(db: TestDb) {
    let (_dir, path) = document(DOCUMENT);
    let chat = chat_with_document(&db, &path).await;

    let (text, card) = ask_card(&chat, "navigate nonexistent-word").await;

    assert!(
        text.contains("Nothing matches “nonexistent-word”"),
        "{text}"
    );
    assert!(
        text.contains("a group (Sales, Marketing, Doberman)"),
        "{text}"
    );
    assert_eq!(card["actions"], serde_json::json!([]));

    let (text, _) = ask_card(&chat, "navigate revnue").await;
    assert!(text.contains("Did you mean revenue?"), "{text}");
}
two_backends!(a_word_nothing_matches_says_so_and_what_to_try);

/// What the document of these tests says and what they ask: data, not Doberman's words.
const DOCUMENT_DATA: &[&str] = &[
    "Daily sales (일 매출) 🐕",
    "Net sales per day and store, returns deducted.",
    "Campaign performance",
    "Spend (광고 비용) and attributed orders per campaign.",
    "Marketing analytics",
    "Sales overview",
    "#sales-data",
    "Sales",
    "Marketing",
    "revenue",
    "revnue",
    "nonexistent-word",
    "zzzz",
];

/// Asserts that the Korean answer to `asked` has each of `expected` and no English but data; its card.
async fn korean(chat: &Chat, asked: &str, expected: &[&str]) -> serde_json::Value {
    let (text, card) = crate::support::ask_korean(chat, asked, false).await;
    assert_korean(asked, &text, &card, expected);
    card
}

/// [`korean`] for `navigate <words>`, asked of the answer itself: whatever the parser makes of the words.
fn korean_search(settings: &Settings, words: &str, expected: &[&str]) -> serde_json::Value {
    let reply = doberman::i18n::sync_scope(doberman::i18n::Lang::Ko, || {
        doberman::chat::navigate::answer(settings, words, doberman::store::now())
    });
    let doberman::chat::Reply::Card(card) = reply else {
        panic!("{words}: a card")
    };
    assert_eq!(doberman::cards::kit::problems(&card), Vec::<String>::new());
    let text = doberman::cards::kit::to_text(&card);
    assert_korean(words, &text, &card, expected);
    card
}

fn assert_korean(asked: &str, text: &str, card: &serde_json::Value, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "{asked}: {e:?} missing from:\n{text}");
    }
    assert_eq!(
        doberman::i18n::english_besides(text, DOCUMENT_DATA),
        Vec::<String>::new(),
        "{asked}: English left in:\n{text}"
    );
    for action in card["actions"].as_array().into_iter().flatten() {
        let title = action["title"].as_str().unwrap_or_default();
        assert!(
            doberman::i18n::english_besides(title, DOCUMENT_DATA).is_empty(),
            "{asked}: a button in English: {title}"
        );
    }
}

async fn the_index_and_a_search_are_answered_in_korean(db: TestDb) {
    let (_dir, path) = document(DOCUMENT);
    let chat = chat_with_document(&db, &path).await;

    let card = korean(
        &chat,
        "navigate",
        &[
            "무엇이 어디에 있나\n항목 8개 · `어디에 ‹단어›`로 찾아보세요",
            "\nDoberman\nAthena 테이블 사용량\n",
            "🐕 물어보기: `인기 테이블`",
            "AWS 비용",
            "담당: 매출분석팀",
            "데이터 기준: ",
            " · navigate.toml",
        ],
    )
    .await;
    assert_eq!(card["actions"][0]["title"], "Superset 열기");

    let settings = settings_with_document(&db, &path);
    let card = korean_search(
        &settings,
        "사용량",
        &[
            "찾기: 사용량\n2건, 잘 맞는 순\nAthena 테이블 사용량\n",
            "Athena 쿼리 이력",
            "Doberman · 담당: Doberman",
        ],
    );
    assert_eq!(card["actions"][0]["title"], "Doberman 사용량 열기");
    let card = korean_search(
        &settings,
        "비용",
        &[
            "찾기: 비용\n2건, 잘 맞는 순\nAWS 비용",
            "CUR(비용 및 사용 보고서)",
        ],
    );
    assert_eq!(card["actions"][0]["title"], "Doberman 비용 열기");
    korean_search(
        &settings,
        "비용 revenue",
        &["모든 단어에 맞는 항목은 없습니다. 일부 단어에 맞는 항목 3개, 가까운 순"],
    );
    korean(
        &chat,
        "navigate revenue",
        &["찾기: revenue\n1건\nDaily sales"],
    )
    .await;
    korean(&chat, "어디에 매출", &["1건\nDaily sales (일 매출) 🐕"]).await;
}
two_backends!(the_index_and_a_search_are_answered_in_korean);

async fn nothing_found_and_no_document_are_answered_in_korean(db: TestDb) {
    let (_dir, path) = document(DOCUMENT);
    let chat = chat_with_document(&db, &path).await;

    korean(
        &chat,
        "navigate nonexistent-word",
        &[
            "“nonexistent-word”에 맞는 항목이 없습니다",
            "그룹(Sales, Marketing, Doberman) 가운데 한 단어로 찾아보세요",
            "`어디에`만 입력하면 됩니다",
        ],
    )
    .await;
    korean(&chat, "어디에 revnue", &["혹시 revenue인가요?"]).await;
    korean_search(
        &settings_with_document(&db, &path),
        "zzzz",
        &[
            "“zzzz”에 맞는 항목이 없습니다",
            "`어디에`만 입력하면 됩니다",
        ],
    );

    let store = db.store().await;
    let bare = crate::support::chat(&store, Settings::default());
    korean(
        &bare,
        "navigate",
        &[
            "아직 Doberman 기본 항목만 있습니다",
            "`navigate.file`",
            " · Doberman 기본 항목만",
        ],
    )
    .await;
}
two_backends!(nothing_found_and_no_document_are_answered_in_korean);

#[tokio::test]
async fn navigate_is_in_help() {
    let db = TestDb::sqlite();
    let store = db.store().await;
    store.migrate().await.expect("migrate");
    let chat = crate::support::chat(&store, Settings::default());

    let (text, _) = ask_card(&chat, "help").await;
    assert!(text.contains("navigate [word…] |"), "{text}");

    let (text, _) = ask_card(&chat, "help 어디에").await;
    assert!(
        text.contains("Also: nav, where, where is, 네비게이션, 내비게이션, 어디에"),
        "{text}"
    );

    let (text, _) = ask_card(&chat, "navigate").await;
    assert!(
        text.contains("set navigate.file"),
        "without a file, how to add one: {text}"
    );
}

#[test]
fn ask_navigate_prints_the_answer_in_the_terminal() {
    let db = TestDb::sqlite();
    let (_dir, path) = document(DOCUMENT);

    let (out, stdout, stderr) = run(doberman(&[
        ("DOBERMAN_DATABASE__URL", &db.url),
        ("DOBERMAN_NAVIGATE__FILE", &path),
    ])
    .args(["ask", "navigate", "매출"]));

    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("Navigate: 매출"), "{stdout}");
    assert!(stdout.contains("Daily sales (일 매출) 🐕"), "{stdout}");
}

#[test]
fn a_broken_navigate_file_stops_check_config_naming_the_file_and_entry() {
    let (_dir, path) = document(
        "[[entry]]\ntitle = \"Sales\"\nwhere = [{ kind = \"dashboard\", label = \"x\", url = \"superset/sales\" }]\n",
    );

    let (out, _, stderr) = run(doberman(&[("DOBERMAN_NAVIGATE__FILE", &path)]).arg("check-config"));

    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("navigate.file"), "{stderr}");
    assert!(stderr.contains(&path), "{stderr}");
    assert!(stderr.contains("entry 1 (`Sales`)"), "{stderr}");
    assert!(
        stderr.contains("the url `superset/sales` of `x` is not an http:// or https:// URL"),
        "{stderr}"
    );

    let (out, stdout, stderr) = run(doberman(&[(
        "DOBERMAN_NAVIGATE__FILE",
        concat!(env!("CARGO_MANIFEST_DIR"), "/navigate.example.toml"),
    )])
    .arg("check-config"));
    assert!(out.status.success(), "the example is valid: {stderr}");
    assert!(stdout.contains("[navigate]\nfile = "), "{stdout}");
}
