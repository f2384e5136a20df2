//! Teams message HTML as readable text: paragraphs and line breaks kept, lists as `- ` or `1. ` lines, links as
//! `text (url)`, mentions as `@Name`, entities decoded; every other tag dropped. Text in any language passes
//! through unchanged.

/// List levels indented at most; deeper lists stay at this indent.
const MAX_INDENT: usize = 6;

/// The readable text of a Teams message body (HTML, or plain text, which passes through).
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    // Open lists: None for <ul>, Some(next number) for <ol>.
    let mut lists: Vec<Option<u32>> = Vec::new();
    // The href of the open <a>, and where its text starts in `out`.
    let mut link: Option<(String, usize)> = None;
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        push_text(&mut out, &rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            // A lone `<` is text.
            push_text(&mut out, &rest[start..]);
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        rest = &rest[start + end + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("br", _) => out.push('\n'),
            (
                "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "pre" | "tr",
                _,
            ) => {
                new_line(&mut out);
            }
            ("td" | "th", true) => out.push(' '),
            ("ul", false) => {
                new_line(&mut out);
                lists.push(None);
            }
            ("ol", false) => {
                new_line(&mut out);
                lists.push(Some(1));
            }
            ("ul" | "ol", true) => {
                lists.pop();
                new_line(&mut out);
            }
            ("li", false) => {
                new_line(&mut out);
                // Indented by its depth, up to a limit: a deep nesting otherwise repeats its indent on every
                // item, and a message of thousands of nested lists becomes gigabytes.
                out.push_str(&"  ".repeat(lists.len().saturating_sub(1).min(MAX_INDENT)));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("- "),
                }
            }
            ("at", false) => out.push('@'),
            ("a", false) => {
                link = attribute(tag, "href").map(|href| (decode(&href), out.len()));
            }
            ("a", true) => {
                if let Some((href, from)) = link.take() {
                    let text = out[from..].trim().to_owned();
                    if !href.is_empty() && text != href {
                        out.push_str(&format!(" ({href})"));
                    }
                }
            }
            ("img", _) => {
                if let Some(alt) = attribute(tag, "alt").filter(|a| !a.is_empty()) {
                    out.push_str(&decode(&alt));
                }
            }
            _ => {}
        }
    }
    push_text(&mut out, rest);
    // Trim each line's end, and keep at most one blank line in a row.
    let mut text = String::with_capacity(out.len());
    let mut blank = 0;
    for line in out.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 || text.is_empty() {
                continue;
            }
        } else {
            blank = 0;
        }
        text.push_str(line);
        text.push('\n');
    }
    text.trim_end().to_owned()
}

fn new_line(out: &mut String) {
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Text between tags: entities decoded, runs of whitespace (HTML's) made one space.
fn push_text(out: &mut String, raw: &str) {
    let decoded = decode(raw);
    let mut last_space = out.ends_with(' ') || out.ends_with('\n') || out.is_empty();
    for c in decoded.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
        } else {
            out.push(if c == '\u{a0}' { ' ' } else { c });
            last_space = false;
        }
    }
}

/// The value of an attribute in a tag's text (`a href="…"`), quoted with " or '.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let value = &tag[at..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        let inner = &value[1..];
        Some(inner[..inner.find(quote)?].to_owned())
    } else {
        Some(value.split_whitespace().next()?.to_owned())
    }
}

/// HTML entities: the named ones Teams writes and every numeric one.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let entity = after
            .find(';')
            .filter(|&end| end <= 10)
            .map(|end| (&after[1..end], end));
        let decoded = entity.and_then(|(name, end)| {
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn teams_html_becomes_readable_text() {
        for (html, expected, case) in [
            ("plain text", "plain text", "plain text passes"),
            (
                "<p>주문 데이터 필요합니다 🙏</p><p>기간: 2024&nbsp;1월&amp;2월</p>",
                "주문 데이터 필요합니다 🙏\n기간: 2024 1월&2월",
                "paragraphs, entities, Korean and emoji",
            ),
            (
                "<div>Need:<ul><li>orders</li><li>refunds<ol><li>by day</li><li>by store</li></ol></li></ul>thanks</div>",
                "Need:\n- orders\n- refunds\n  1. by day\n  2. by store\nthanks",
                "nested lists",
            ),
            (
                r#"<p>See <a href="https://wiki.example.com/x?a=1&amp;b=2">the wiki</a> and <a href="https://x.example.com">https://x.example.com</a></p>"#,
                "See the wiki (https://wiki.example.com/x?a=1&b=2) and https://x.example.com",
                "links keep their address once",
            ),
            (
                "<p><at>Doberman</at> line one<br>line two</p>",
                "@Doberman line one\nline two",
                "mentions and line breaks",
            ),
            (
                "a &lt;b&gt; &#54620;&#xAE00; & c",
                "a <b> 한글 & c",
                "numeric entities, a lone &",
            ),
            (
                "<p>  spaced \n\n  out  </p>",
                "spaced out",
                "HTML whitespace collapses",
            ),
        ] {
            assert_eq!(html_to_text(html), expected, "{case}");
        }
    }

    #[test]
    fn deep_nesting_grows_the_text_linearly_not_quadratically() {
        let depth = 5_000;
        let html = format!("{}{}", "<ul>".repeat(depth), "<li>x</li>".repeat(depth));

        let text = html_to_text(&html);

        assert!(
            text.len() <= 4 * html.len(),
            "{} bytes of HTML became {} bytes of text",
            html.len(),
            text.len()
        );
        assert!(
            text.lines()
                .all(|l| l == format!("{}- x", "  ".repeat(MAX_INDENT)))
        );
    }
}
