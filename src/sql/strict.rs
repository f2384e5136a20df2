//! What Athena (Trino's grammar, Athena's DDL) refuses and `sqlparser`'s lenient generic dialect takes: other
//! databases' syntax (`==`, `::`, `TOP`, `DISTINCT ON`, `QUALIFY`, `* EXCEPT`, `LIMIT … OFFSET`), a join without
//! its condition, a `MERGE` without `WHEN`, a sample without its method, a statement left unfinished. Athena fails
//! such a query, so it read no table: counting its tables would count usage that did not happen.

use sqlparser::tokenizer::Token;

use super::{REFERENCE_ENDS, keywords_at, matching_paren, name_at, word};

/// Words after which a statement cannot end, nor a parenthesis close or a list go on.
const DANGLING: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "AND",
    "OR",
    "ON",
    "BY",
    "JOIN",
    "AS",
    "IN",
    "SET",
    "INTO",
    "VALUES",
    "THEN",
    "ELSE",
    "WHEN",
    "CASE",
    "NOT",
    "IS",
    "LIKE",
    "BETWEEN",
    "OF",
    "USING",
    "HAVING",
    "LIMIT",
    "UNION",
    "EXCEPT",
    "INTERSECT",
    "DISTINCT",
    "OVER",
    "PARTITION",
    "TABLE",
    "WITH",
];

/// Clause words that cannot stand where a table's name is expected after `FROM` or `JOIN`.
const CLAUSES: &[&str] = &[
    "WHERE",
    "GROUP",
    "ORDER",
    "HAVING",
    "LIMIT",
    "UNION",
    "EXCEPT",
    "INTERSECT",
    "ON",
    "USING",
    "JOIN",
    "SELECT",
    "FROM",
    "AS",
];

/// Why Athena would refuse the statement `tokens`, if it would, as far as these checks tell.
pub(super) fn not_athena(tokens: &[Token]) -> Option<&'static str> {
    let first = tokens.first().and_then(word).unwrap_or_default();
    for (i, t) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1);
        match t {
            Token::DoubleEq => return Some("`==` (Athena compares with `=`)"),
            Token::DoubleColon => return Some("`::` casts (Athena casts with CAST)"),
            Token::Placeholder(p) if p.starts_with('$') => {
                return Some("a `$` macro is left in it");
            }
            _ => {}
        }
        let w = word(t);
        let hangs = *t == Token::Comma || w.is_some_and(|w| w.is_in(DANGLING));
        if hangs && matches!(next, None | Some(Token::RParen) | Some(Token::Comma)) {
            return Some("it stops before it is finished");
        }
        if (*t == Token::Comma || w.as_deref() == Some("SELECT"))
            && next.and_then(word).as_deref() == Some("FROM")
        {
            return Some("nothing is selected before FROM");
        }
        match w.as_deref() {
            Some("FROM" | "JOIN")
                if !(first == "PREPARE" && i == 2)
                    && next.and_then(word).is_some_and(|n| n.is_in(CLAUSES)) =>
            {
                return Some("a table's name is missing");
            }
            Some("SET")
                if first == "UPDATE" && next.and_then(word).is_some_and(|n| n.is_in(CLAUSES)) =>
            {
                return Some("nothing is set");
            }
            Some("SELECT") if keywords_at(tokens, i + 1, &["TOP"]) => {
                return Some("TOP (Athena limits with LIMIT)");
            }
            Some("DISTINCT") if keywords_at(tokens, i + 1, &["ON"]) => {
                return Some("DISTINCT ON (not in Athena)");
            }
            // As a clause (`… FROM t QUALIFY row_number() …`), not a column or alias named so.
            Some("QUALIFY")
                if i > 0
                    && matches!(
                        tokens[i - 1],
                        Token::Word(_) | Token::RParen | Token::Number(..)
                    )
                    && (next == Some(&Token::LParen)
                        || next.and_then(word).is_some_and(|n| !n.is_in(CLAUSES))) =>
            {
                return Some("QUALIFY (not in Athena: filter a window function in an outer query)");
            }
            // A typed literal without its value: `WHERE ts > TIMESTAMP`.
            Some("TIMESTAMP" | "DATE")
                if next.is_none()
                    && i > 0
                    && matches!(
                        tokens[i - 1],
                        Token::Eq | Token::Neq | Token::Lt | Token::Gt | Token::LtEq | Token::GtEq
                    ) =>
            {
                return Some("it stops before it is finished");
            }
            Some("EXCEPT" | "EXCLUDE")
                if i > 0 && tokens[i - 1] == Token::Mul && next == Some(&Token::LParen) =>
            {
                return Some("SELECT * EXCEPT (not in Athena)");
            }
            Some("LIMIT")
                if matches!(next, Some(Token::Number(..)))
                    && keywords_at(tokens, i + 2, &["OFFSET"]) =>
            {
                return Some("OFFSET comes before LIMIT in Athena");
            }
            Some("TABLESAMPLE")
                if !keywords_at(tokens, i + 1, &["BERNOULLI"])
                    && !keywords_at(tokens, i + 1, &["SYSTEM"]) =>
            {
                return Some("TABLESAMPLE needs BERNOULLI or SYSTEM");
            }
            Some("FOR") if keywords_at(tokens, i + 1, &["SYSTEM_TIME", "AS", "OF"]) => {
                return Some("Athena's time travel is FOR TIMESTAMP AS OF or FOR VERSION AS OF");
            }
            Some("JOIN") if !joined_on(tokens, i) => {
                return Some("a JOIN needs ON or USING (or CROSS JOIN)");
            }
            _ => {}
        }
    }
    if first == "MERGE" && !tokens.iter().any(|t| word(t).as_deref() == Some("WHEN")) {
        return Some("a MERGE needs WHEN MATCHED or WHEN NOT MATCHED");
    }
    if first == "DELETE"
        && keywords_at(tokens, 1, &["FROM"])
        && let Some((_, after)) = name_at(tokens, 2)
        && tokens
            .get(after)
            .is_some_and(|t| word(t).as_deref() != Some("WHERE"))
    {
        return Some("Athena's DELETE takes no alias");
    }
    if first == "WITH" {
        return without_query(tokens);
    }
    None
}

/// Whether the `JOIN` at `at` has its condition (`ON`, `USING`), or needs none (`CROSS JOIN`, `NATURAL JOIN`).
fn joined_on(tokens: &[Token], at: usize) -> bool {
    // `CROSS JOIN`, `NATURAL [LEFT|RIGHT|FULL|INNER] [OUTER] JOIN`.
    let before =
        |n: usize| at >= n && matches!(word(&tokens[at - n]).as_deref(), Some("CROSS" | "NATURAL"));
    if before(1) || before(2) || before(3) {
        return true;
    }
    let mut depth = 0usize;
    for t in &tokens[at + 1..] {
        match t {
            Token::LParen => depth += 1,
            Token::RParen if depth == 0 => return false,
            Token::RParen => depth -= 1,
            _ if depth > 0 => {}
            t => match word(t).as_deref() {
                Some("ON" | "USING") => return true,
                Some(w) if REFERENCE_ENDS.contains(&w) => return false,
                _ => {}
            },
        }
    }
    false
}

/// Why a statement that starts with `WITH` has no query after its CTEs (`WITH x AS (…)`, `WITH x AS (…), SELECT
/// …`), if it has none. A list the checks cannot follow is left to the parser.
fn without_query(tokens: &[Token]) -> Option<&'static str> {
    let mut i = 1;
    if keywords_at(tokens, i, &["RECURSIVE"]) {
        i += 1;
    }
    loop {
        if !matches!(tokens.get(i), Some(Token::Word(_))) {
            return None;
        }
        i += 1;
        if tokens.get(i) == Some(&Token::LParen) {
            i = matching_paren(tokens, i)? + 1;
        }
        if !keywords_at(tokens, i, &["AS"]) || tokens.get(i + 1) != Some(&Token::LParen) {
            return None;
        }
        i = matching_paren(tokens, i + 1)? + 1;
        match tokens.get(i) {
            None => return Some("WITH declares, but no query follows"),
            Some(Token::Comma) => {
                if tokens
                    .get(i + 1)
                    .and_then(word)
                    .is_some_and(|w| matches!(w.as_str(), "SELECT" | "WITH" | "VALUES" | "TABLE"))
                {
                    return Some("a comma stands before the query");
                }
                i += 1;
            }
            Some(_) => return None,
        }
    }
}

/// Whether `sql` nests a block comment (`/* a /* b */ c */`): Athena ends a comment at its first `*/`, so what
/// follows is taken as SQL and fails; the tokenizer here would take the whole as one comment.
pub(super) fn nests_comments(sql: &str) -> bool {
    let bytes = sql.as_bytes();
    let (mut i, mut quote, mut block) = (0, None::<u8>, false);
    while i < bytes.len() {
        let (c, next) = (bytes[i], bytes.get(i + 1).copied());
        match (quote, block) {
            (Some(q), _) => {
                if c == q {
                    quote = None;
                }
            }
            (None, true) => {
                if c == b'*' && next == Some(b'/') {
                    block = false;
                    i += 1;
                } else if c == b'/' && next == Some(b'*') {
                    return true;
                }
            }
            (None, false) => match (c, next) {
                (b'\'' | b'"' | b'`', _) => quote = Some(c),
                (b'-', Some(b'-')) => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                (b'/', Some(b'*')) => {
                    block = true;
                    i += 1;
                }
                _ => {}
            },
        }
        i += 1;
    }
    false
}
