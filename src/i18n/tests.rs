use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

use super::*;

fn resource(lang: Lang) -> fluent_syntax::ast::Resource<&'static str> {
    fluent_syntax::parser::parse(SOURCES[lang.index()]).expect("the catalog parses")
}

/// Every variable a message uses, in its value and its attributes, selectors included.
fn variables(resource: &ast::Resource<&'static str>) -> BTreeMap<String, BTreeSet<String>> {
    fn pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for element in &p.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expr(expression, out);
            }
        }
    }
    fn expr(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Select { selector, variants } => {
                inline(selector, out);
                for v in variants {
                    pattern(&v.value, out);
                }
            }
            ast::Expression::Inline(i) => inline(i, out),
        }
    }
    fn inline(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => expr(expression, out),
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    inline(a, out);
                }
            }
            _ => {}
        }
    }
    let mut all = BTreeMap::new();
    for entry in &resource.body {
        if let ast::Entry::Message(m) = entry {
            let mut vars = BTreeSet::new();
            if let Some(v) = &m.value {
                pattern(v, &mut vars);
            }
            for a in &m.attributes {
                pattern(&a.value, &mut vars);
            }
            all.insert(m.id.name.to_owned(), vars);
        }
    }
    all
}

#[test]
fn both_catalogs_load() {
    check().unwrap();
}

#[test]
fn every_message_is_in_both_languages() {
    let en: BTreeSet<&String> = ids(Lang::En).iter().collect();
    let ko: BTreeSet<&String> = ids(Lang::Ko).iter().collect();
    let only_en: Vec<_> = en.difference(&ko).collect();
    let only_ko: Vec<_> = ko.difference(&en).collect();
    assert!(only_en.is_empty(), "missing in Korean: {only_en:?}");
    assert!(only_ko.is_empty(), "missing in English: {only_ko:?}");
}

#[test]
fn korean_messages_use_only_the_variables_english_is_given() {
    let en = variables(&resource(Lang::En));
    let ko = variables(&resource(Lang::Ko));
    for (id, vars) in &ko {
        let given = en.get(id).cloned().unwrap_or_default();
        let unknown: Vec<_> = vars.difference(&given).collect();
        assert!(
            unknown.is_empty(),
            "`{id}`: Korean uses {unknown:?}, which the English (and so the code) does not give"
        );
    }
}

#[test]
fn korean_messages_hold_no_english_words() {
    let resource = resource(Lang::Ko);
    let mut found = Vec::new();
    for entry in &resource.body {
        if let ast::Entry::Message(m) = entry {
            // Patterns and format strings are not prose.
            if m.id.name.ends_with("-pattern") {
                continue;
            }
            let source = message(Lang::Ko, m.id.name, None);
            let words = english_words(&source);
            if !words.is_empty() {
                found.push(format!("{}: {words:?}", m.id.name));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English left in Korean messages:\n{}",
        found.join("\n")
    );
}

/// Every `t!("…")` and `Msg::new("…")` of the code names a message of both catalogs.
#[test]
fn every_message_the_code_asks_for_exists() {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut missing = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(src)];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // The module's own docs and tests name messages as examples.
                if !path.ends_with("i18n") {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let code = std::fs::read_to_string(&path).unwrap();
            for opener in ["t!(", "Msg::new("] {
                for (at, _) in code.match_indices(opener) {
                    // `format!(` ends in `t!(` too.
                    let before = code[..at].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    let rest = code[at + opener.len()..].trim_start();
                    let Some(rest) = rest.strip_prefix('"') else {
                        continue;
                    };
                    let id = &rest[..rest.find('"').unwrap()];
                    if id.is_empty()
                        || !id
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    {
                        continue;
                    }
                    seen += 1;
                    for lang in Lang::ALL {
                        if !has(lang, id) {
                            missing.push(format!(
                                "{}: `{id}` not in {}",
                                path.display(),
                                lang.code()
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(
        seen >= 10,
        "the scan found only {seen} messages: is it looking in the right place?"
    );
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn languages_are_read_from_tags_and_words() {
    assert_eq!(Lang::from_tag("ko-KR"), Some(Lang::Ko));
    assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
    assert_eq!(Lang::from_tag("ja-JP"), None);
    assert_eq!(Lang::from_word("한국어"), Some(Lang::Ko));
    assert_eq!(Lang::from_word("English"), Some(Lang::En));
    assert_eq!(Lang::from_word("ko"), Some(Lang::Ko));
}

#[test]
fn plurals_numbers_and_times_follow_the_language() {
    use chrono::TimeZone;
    let at = chrono::Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    let now = at + chrono::Duration::hours(3);
    let seoul = chrono_tz::Asia::Seoul;
    let en = sync_scope(Lang::En, || {
        (
            crate::t!("fmt-queries", n = 1),
            crate::t!("fmt-queries", n = 1234),
            fmt::when(at, now, seoul),
            fmt::money(1234567.0, "KRW"),
            fmt::money(62.5, "USD"),
            fmt::month(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()),
        )
    });
    let ko = sync_scope(Lang::Ko, || {
        (
            crate::t!("fmt-queries", n = 1),
            crate::t!("fmt-queries", n = 1234),
            fmt::when(at, now, seoul),
            fmt::money(1234567.0, "KRW"),
            fmt::money(62.5, "USD"),
            fmt::month(chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()),
        )
    });
    assert_eq!(en.0, "1 query");
    assert_eq!(en.1, "1,234 queries");
    assert_eq!(en.2, "2026-11-25 18:00 KST (3h ago)");
    assert_eq!(en.3, "KRW 1,234,567");
    assert_eq!(en.4, "USD 62.50");
    assert_eq!(en.5, "October 2026");
    assert_eq!(ko.0, "쿼리 1건");
    assert_eq!(ko.1, "쿼리 1,234건");
    assert_eq!(ko.2, "2026년 11월 25일 18:00 KST (3시간 전)");
    assert_eq!(ko.3, "1,234,567원");
    assert_eq!(ko.4, "USD 62.50");
    assert_eq!(ko.5, "2026년 10월");
    // Outside any scope: English.
    assert_eq!(current(), Lang::En);
}

#[test]
fn a_stored_message_is_written_in_the_readers_language() {
    use chrono::TimeZone;
    let at = chrono::Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    let stored = Msg::new("fmt-when")
        .text("time", "x")
        .time("ago", at)
        .to_stored();
    let now = at + chrono::Duration::minutes(5);
    let en = sync_scope(Lang::En, || {
        Msg::render_stored(&stored, now, chrono_tz::UTC)
    });
    let ko = sync_scope(Lang::Ko, || {
        Msg::render_stored(&stored, now, chrono_tz::UTC)
    });
    assert_eq!(en, "x (2026-11-25 09:00 UTC (5m ago))");
    assert_eq!(ko, "x (2026년 11월 25일 09:00 UTC (5분 전))");
    assert_eq!(
        Msg::render_stored("plain old text", now, chrono_tz::UTC),
        "plain old text"
    );
}

#[test]
fn numbers_are_grouped_with_up_to_two_decimals() {
    assert_eq!(fmt::number(1234567.0, None), "1,234,567");
    assert_eq!(fmt::number(1234.5, None), "1,234.5");
    assert_eq!(fmt::number(-0.004, None), "0");
    assert_eq!(fmt::number(2.0, Some(2)), "2.00");
    assert_eq!(fmt::count(-1234), "-1,234");
}

#[test]
fn english_besides_data_skips_names_code_and_addresses_but_finds_words() {
    let text = "`check ‹database.table›`로 보세요 · sales.orders 갱신 지연 · https://x.example/a_b · 김민지 stale";
    assert_eq!(
        english_besides(text, &["김민지"]),
        ["stale"],
        "a dotted name inside code keeps the code's backticks paired"
    );
    assert_eq!(
        english_besides("[image: 시간표] done", &["done"]),
        Vec::<String>::new()
    );
    assert_eq!(english_besides("매출 Revenue", &[]), ["Revenue"]);
}
