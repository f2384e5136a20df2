//! The shared look's Rust side: cards cut to fit Teams' message size, cards as plain text (for terminals and
//! notifications), and numbers, money and times formatted for people.

use serde_json::{Value, json};

/// Teams refuses messages over about 100 KB; cards are kept under this.
pub const MAX_CARD_BYTES: usize = 80 * 1024;

/// Bytes of `v` as compact JSON, counted without building the text.
fn size(v: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    serde_json::to_writer(&mut count, v).map_or(usize::MAX, |()| count.0)
}

/// JSON pointer to the largest list in `v`: an array of more than one element whose bulk is spread over its
/// elements (no single element holds half of it), so cutting it removes entries rather than a whole section.
fn largest_array(v: &Value, path: String, best: &mut Option<(usize, String)>) {
    match v {
        Value::Array(items) => {
            if items.len() > 1 {
                let s = size(v);
                let biggest = items.iter().map(size).max().unwrap_or(0);
                if biggest * 2 < s && best.as_ref().is_none_or(|(b, _)| s > *b) {
                    *best = Some((s, path.clone()));
                }
            }
            for (i, item) in items.iter().enumerate() {
                largest_array(item, format!("{path}/{i}"), best);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                largest_array(
                    item,
                    format!("{path}/{}", k.replace('~', "~0").replace('/', "~1")),
                    best,
                );
            }
        }
        _ => {}
    }
}

/// A card that fits: over [`MAX_CARD_BYTES`], the largest lists are cut and the card says "…and N more", with
/// its first link to the full view.
pub fn fit(card: Value) -> Value {
    if size(&card) <= MAX_CARD_BYTES {
        return card;
    }
    let link = card["actions"]
        .as_array()
        .and_then(|actions| actions.iter().find(|a| a["type"] == "Action.OpenUrl"))
        .and_then(|a| a["url"].as_str())
        .map(str::to_owned);
    let mut card = card;
    let mut hidden = 0usize;
    // Leave room for the note.
    let budget = MAX_CARD_BYTES - 1024;
    while size(&card) > budget {
        let mut best = None;
        largest_array(&card, String::new(), &mut best);
        let Some((_, path)) = best else { break };
        let over = size(&card).saturating_sub(budget);
        let Some(items) = card.pointer_mut(&path).and_then(Value::as_array_mut) else {
            break;
        };
        let total = items.len();
        // Drop entries from the end until their bytes (and separating commas) cover the excess; keep one.
        let mut freed = 0;
        let mut lo = total;
        while lo > 1 && freed < over {
            lo -= 1;
            freed += size(&items[lo]) + 1;
        }
        items.truncate(lo);
        hidden += total - lo;
        if lo == total {
            break;
        }
    }
    if size(&card) > budget {
        // Nothing left to cut: say so rather than be refused by Teams, in a summary that fits.
        let summary = card["fallbackText"].as_str().map_or_else(
            || "This answer is too large to show here.".to_owned(),
            |s| cut(s, LAST_RESORT_CHARS),
        );
        card["body"] = json!([{ "type": "TextBlock", "text": summary, "wrap": true }]);
        cut_long_strings(&mut card);
    }
    let more = match &link {
        Some(url) => format!("…and {hidden} more. [See them all]({url})"),
        None => format!("…and {hidden} more."),
    };
    if let Some(body) = card["body"].as_array_mut() {
        body.push(json!({ "type": "TextBlock", "text": more, "wrap": true, "isSubtle": true }));
    }
    card
}

/// Characters a string keeps when a card must be cut to its summary.
const LAST_RESORT_CHARS: usize = 1_000;

/// Cuts every string of `v` longer than [`LAST_RESORT_CHARS`] (summaries, `speak`, titles, data) to that.
fn cut_long_strings(v: &mut Value) {
    match v {
        Value::String(s) if s.chars().count() > LAST_RESORT_CHARS => *s = cut(s, LAST_RESORT_CHARS),
        Value::Array(items) => items.iter_mut().for_each(cut_long_strings),
        Value::Object(map) => map.values_mut().for_each(cut_long_strings),
        _ => {}
    }
}

/// `s` in at most `max` characters: cut with "…" when longer.
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The card with its placeholders (`catalog db <name>`, `help <command>`) written `‹name›`: Teams and the Agents
/// Playground take `<name>` for an HTML tag and show nothing. Mentions (`<at>…</at>`), escaped `\\<` and the
/// values of `url`, `data`, `verb` and `id` are left as they are.
pub fn placeholders(card: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::String(s) if s.contains('<') => *s = angle_quoted(s),
            Value::Array(items) => items.iter_mut().for_each(walk),
            Value::Object(map) => map
                .iter_mut()
                .filter(|(k, _)| !matches!(k.as_str(), "url" | "data" | "verb" | "id"))
                .for_each(|(_, v)| walk(v)),
            _ => {}
        }
    }
    let mut card = card;
    walk(&mut card);
    card
}

/// `<word>` → `‹word›` where the word starts with a letter and is not `at`.
fn angle_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        let escaped = rest[..open].ends_with('\\');
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        // A placeholder may be a few words (`<name or table…>`), never starting or ending with a space.
        let word_end = after
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '…' | ' ')))
            .unwrap_or(after.len());
        let word = &after[..word_end];
        let placeholder = !escaped
            && after[word_end..].starts_with('>')
            && word.chars().next().is_some_and(char::is_alphabetic)
            && !word.ends_with(' ')
            && word.chars().count() <= 32
            && word != "at";
        if placeholder {
            out.push('‹');
            out.push_str(word);
            out.push('›');
            rest = &after[word_end + 1..];
        } else {
            out.push('<');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// `n` things, counted as people read them: `1 query`, `1,204 queries`.
pub fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// Text for a terminal: Teams' markdown marks taken off (`**bold**` → `bold`, `\\[` → `[`); backticks stay, as they
/// read well there.
pub fn unmarked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
            }
            // A terminal shows `<name>` as it is.
            '‹' => out.push('<'),
            '›' => out.push('>'),
            _ => out.push(c),
        }
    }
    out
}

/// Characters of a person's words a card repeats back.
pub const ECHO_CHARS: usize = 60;

/// A person's words, repeated back on a card: on one line, at most [`ECHO_CHARS`] characters, and with the
/// characters of Teams' markdown escaped, so that `[click](https://…)` shows as typed instead of as a link and
/// `**` as two stars; in “quotes”, so it reads as what was typed.
pub fn quote(s: &str) -> String {
    format!("“{}”", echo(s))
}

/// [`quote`] without the quotes.
pub fn echo(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let short = cut(&one_line, ECHO_CHARS);
    let mut out = String::with_capacity(short.len() + 8);
    for c in short.chars() {
        if c.is_control() {
            continue;
        }
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What Teams renders badly and Microsoft's parser lets through: a card not at schema 1.5, too large, without a
/// summary, with an expression left unexpanded, an empty FactSet, an Image without url or an action without
/// title. Empty when the card is fine.
pub fn problems(card: &Value) -> Vec<String> {
    let mut found = Vec::new();
    if card["type"] != "AdaptiveCard" {
        found.push("not an AdaptiveCard".to_owned());
    }
    if card["version"] != "1.5" {
        found.push(format!("version {} (Teams renders 1.5)", card["version"]));
    }
    if size(card) > MAX_CARD_BYTES {
        found.push(format!("{} bytes, over {MAX_CARD_BYTES}", size(card)));
    }
    if card["fallbackText"].as_str().is_none_or(str::is_empty) {
        found.push("no fallbackText summary".to_owned());
    }
    fn walk(v: &Value, path: &str, found: &mut Vec<String>) {
        match v {
            Value::String(s) if s.contains("${") => found.push(format!("{path}: unexpanded `{s}`")),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(i, item)| walk(item, &format!("{path}/{i}"), found)),
            Value::Object(map) => {
                let kind = map.get("type").and_then(Value::as_str).unwrap_or_default();
                if kind == "FactSet"
                    && map
                        .get("facts")
                        .and_then(Value::as_array)
                        .is_none_or(Vec::is_empty)
                {
                    found.push(format!("{path}: empty FactSet"));
                }
                if kind == "Image"
                    && map
                        .get("url")
                        .and_then(Value::as_str)
                        .is_none_or(str::is_empty)
                {
                    found.push(format!("{path}: Image without url"));
                }
                if kind.starts_with("Action.")
                    && map
                        .get("title")
                        .and_then(Value::as_str)
                        .is_none_or(str::is_empty)
                {
                    found.push(format!("{path}: action without title"));
                }
                for (k, item) in map {
                    walk(item, &format!("{path}/{k}"), found);
                }
            }
            _ => {}
        }
    }
    walk(card, "", &mut found);
    found
}

/// Every word a person reads on a card: its text ([`to_text`]), its fallback text and its buttons' titles.
pub fn words(card: &Value) -> String {
    let mut words = to_text(card);
    words.push('\n');
    words.push_str(card["fallbackText"].as_str().unwrap_or_default());
    for action in card["actions"].as_array().into_iter().flatten() {
        words.push('\n');
        words.push_str(action["title"].as_str().unwrap_or_default());
    }
    words
}

/// The card as plain lines: text blocks, facts as `title: value`, table rows as cells joined by ` | `, images as
/// their alt text.
pub fn to_text(card: &Value) -> String {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v["type"].as_str() {
            Some("TextBlock") => {
                if let Some(t) = v["text"].as_str() {
                    out.push(t.to_owned());
                }
            }
            Some("Image") => {
                // A terminal shows no picture: what it shows, in words.
                if let Some(alt) = v["altText"].as_str().filter(|a| !a.is_empty()) {
                    out.push(format!("[image: {alt}]"));
                }
            }
            Some("FactSet") => {
                for fact in v["facts"].as_array().into_iter().flatten() {
                    out.push(format!(
                        "{}: {}",
                        fact["title"].as_str().unwrap_or(""),
                        fact["value"].as_str().unwrap_or("")
                    ));
                }
            }
            Some("TableRow") => {
                let cells: Vec<String> = v["cells"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|cell| {
                        let mut inner = Vec::new();
                        walk(&cell["items"], &mut inner);
                        inner.join(" ")
                    })
                    .collect();
                out.push(cells.join(" | "));
            }
            _ => match v {
                Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
                Value::Object(map) => {
                    for key in ["body", "items", "columns", "rows"] {
                        if let Some(child) = map.get(key) {
                            walk(child, out);
                        }
                    }
                }
                _ => {}
            },
        }
    }
    let mut lines = Vec::new();
    walk(card, &mut lines);
    lines.join("\n")
}

/// ASCII digits with a comma every three from the right: `1234567` → `1,234,567`.
pub use crate::i18n::fmt::{count, group_thousands};

/// Money with its currency, in the current language: `KRW 1,234,567`, `USD 62.50`, `1,234,567원`.
pub use crate::i18n::fmt::money;

/// Bytes in binary units: `512 B`, `1.5 KiB`, `12.4 TiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// How long ago, for people, in the current language: `3h ago`, `3시간 전`.
pub use crate::i18n::fmt::ago;

/// A time for people in `tz`, with how long ago: `2026-11-25 18:00 KST (3h ago)`.
pub use crate::i18n::fmt::when;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn table_card(rows: usize) -> Value {
        let rows: Vec<Value> = (0..rows)
            .map(|i| json!({"type": "TableRow", "cells": [{"type": "TableCell", "items": [{"type": "TextBlock", "text": format!("row {i} 데이터 🐕 {}", "x".repeat(40))}]}]}))
            .collect();
        json!({
            "type": "AdaptiveCard", "version": "1.5", "fallbackText": "big",
            "body": [{"type": "TextBlock", "text": "head"}, {"type": "Table", "columns": [{"width": 1}], "rows": rows}],
            "actions": [{"type": "Action.OpenUrl", "title": "Open", "url": "https://superset.example.com/d/1"}]
        })
    }

    #[test]
    fn a_card_whose_words_are_huge_still_fits() {
        // A person's 300 KB of words in the title, the summary and `speak`, with no list to cut.
        let words = "주문🐕x".repeat(100_000);
        let card = json!({
            "type": "AdaptiveCard", "version": "1.5", "fallbackText": words, "speak": words,
            "body": [{"type": "TextBlock", "text": words}, {"type": "FactSet", "facts": [{"title": words, "value": words}]}],
        });
        let card = fit(card);
        let bytes = serde_json::to_vec(&card).unwrap().len();
        assert!(bytes <= MAX_CARD_BYTES, "{bytes} bytes");
        assert!(problems(&card).is_empty(), "{:?}", problems(&card));
        assert!(
            card["fallbackText"]
                .as_str()
                .unwrap()
                .starts_with("주문🐕x")
        );
    }

    #[test]
    fn placeholders_are_angle_quoted_and_mentions_and_escapes_are_not() {
        let card = json!({"body": [{"type": "TextBlock", "text": "catalog db <name> · help <command> · <REQ-n> · <db.table>"},
            {"type": "TextBlock", "text": "check <name or table…> · 검증 <이름 또는 테이블…> · <name >"},
            {"type": "TextBlock", "text": "<at>김민지</at> \\<x\\> a < b > c <1>"}],
            "actions": [{"type": "Action.OpenUrl", "url": "https://x/<id>"}]});
        let card = placeholders(card);
        assert_eq!(
            card["body"][0]["text"],
            "catalog db ‹name› · help ‹command› · ‹REQ-n› · ‹db.table›"
        );
        assert_eq!(
            card["body"][1]["text"],
            "check ‹name or table…› · 검증 ‹이름 또는 테이블…› · <name >"
        );
        assert_eq!(
            card["body"][2]["text"],
            "<at>김민지</at> \\<x\\> a < b > c <1>"
        );
        assert_eq!(card["actions"][0]["url"], "https://x/<id>");
        assert_eq!(unmarked("help ‹command›"), "help <command>");
    }

    #[test]
    fn a_terminal_sees_no_markdown_marks() {
        assert_eq!(unmarked("**REQ-12** was accepted."), "REQ-12 was accepted.");
        assert_eq!(unmarked(&quote("[a](b) **c**")), "“[a](b) **c**”");
        assert_eq!(unmarked("Type `help`, 3 * 4"), "Type `help`, 3 * 4");
    }

    #[test]
    fn echoed_words_are_short_one_line_and_never_markup() {
        assert_eq!(
            quote("[click](https://evil.example)"),
            "“\\[click\\](https://evil.example)”"
        );
        assert_eq!(
            echo("**bold** _it_ <at>x</at> `c` \\"),
            "\\*\\*bold\\*\\* \\_it\\_ \\<at\\>x\\</at\\> \\`c\\` \\\\"
        );
        assert_eq!(echo("a\n\n  b\tc\u{0}"), "a b c");
        let long = echo(&"주문".repeat(5_000));
        assert_eq!(long.chars().count(), ECHO_CHARS);
        assert!(long.ends_with('…'));
        assert_eq!(echo("sales.orders 🐕"), "sales.orders 🐕");
    }

    #[test]
    fn small_cards_are_left_alone() {
        let card = table_card(10);
        assert_eq!(fit(card.clone()), card);
    }

    #[test]
    fn large_cards_are_cut_to_fit_with_a_note_and_the_link() {
        let card = fit(table_card(5000));

        let bytes = serde_json::to_vec(&card).unwrap().len();
        assert!(bytes <= MAX_CARD_BYTES, "{bytes} bytes");
        let kept = card["body"][1]["rows"].as_array().unwrap().len();
        assert!(kept > 100, "as many rows as fit are kept: {kept}");
        let note = card["body"].as_array().unwrap().last().unwrap()["text"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            note,
            format!(
                "…and {} more. [See them all](https://superset.example.com/d/1)",
                5000 - kept
            )
        );
    }

    #[test]
    fn problems_are_found() {
        let card = json!({"type": "AdaptiveCard", "version": "1.6", "body": [
            {"type": "FactSet", "facts": []},
            {"type": "Image"},
            {"type": "TextBlock", "text": "${x}"}
        ], "actions": [{"type": "Action.Execute", "verb": "v"}]});

        let found = problems(&card);

        assert_eq!(found.len(), 6, "{found:#?}");
        assert!(problems(&fit(table_card(3))).is_empty());
    }

    #[test]
    fn plain_text_reads_text_facts_and_tables() {
        let card = json!({"type": "AdaptiveCard", "body": [
            {"type": "TextBlock", "text": "Title"},
            {"type": "FactSet", "facts": [{"title": "Queries", "value": "1,234"}]},
            {"type": "Table", "rows": [{"type": "TableRow", "cells": [
                {"type": "TableCell", "items": [{"type": "TextBlock", "text": "a"}]},
                {"type": "TableCell", "items": [{"type": "TextBlock", "text": "1"}]}]}]},
            {"type": "Container", "items": [{"type": "TextBlock", "text": "inside"}]},
            {"type": "Image", "url": "data:image/png;base64,AAAA", "altText": "a heatmap"}
        ]});
        assert_eq!(
            to_text(&card),
            "Title\nQueries: 1,234\na | 1\ninside\n[image: a heatmap]"
        );
    }

    #[test]
    fn numbers_money_bytes_and_times_for_people() {
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(-999), "-999");
        assert_eq!(money(1_234_567.0, "KRW"), "KRW 1,234,567");
        assert_eq!(money(62.499, "USD"), "USD 62.50");
        assert_eq!(money(-3.5, "USD"), "USD -3.50");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(13_633_903_392_358), "12.4 TiB");
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        assert_eq!(ago(now - chrono::Duration::seconds(30), now), "just now");
        assert_eq!(ago(now - chrono::Duration::minutes(5), now), "5m ago");
        assert_eq!(ago(now - chrono::Duration::hours(3), now), "3h ago");
        assert_eq!(ago(now - chrono::Duration::days(2), now), "2d ago");
        assert_eq!(ago(now + chrono::Duration::minutes(5), now), "in 5m");
        assert_eq!(
            when(
                now - chrono::Duration::hours(3),
                now,
                chrono_tz::Asia::Seoul
            ),
            "2026-11-25 18:00 KST (3h ago)"
        );
    }
}
