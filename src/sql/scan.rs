//! Reading tables off the tokens of a statement the parser cannot take: Trino's types inside expressions
//! (`CAST(x AS ARRAY(JSON))`), JSON path clauses, pattern recognition, statements nested deeper than the parser's
//! recursion limit. One unknown construct must not lose a statement's tables, so the names after `FROM`, `JOIN`,
//! `USING` (of a `MERGE`) and a query's `TABLE` are taken from the tokens — a lower-confidence reading, kept
//! internal — but only from a statement that is whole ([`whole`]): a truncated or broken one stays an error.

use std::collections::BTreeSet;

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::Token;

use super::{REFERENCE_ENDS, name_at, qualify, word};

/// Words a statement (or the query the reads are taken from) may start with.
const STARTS: &[&str] = &[
    "SELECT", "WITH", "VALUES", "TABLE", "INSERT", "UPDATE", "DELETE", "MERGE",
];

/// Words before `TABLE` that make it part of a statement's own syntax, not a query (`CREATE TABLE`, …).
const NOT_A_QUERY_TABLE: &[&str] = &[
    "CREATE",
    "ALTER",
    "DROP",
    "EXTERNAL",
    "TRUNCATE",
    "DESCRIBE",
    "DESC",
    "SHOW",
    "REPAIR",
    "OVERWRITE",
    "LOCK",
    "REPLACE",
    "EXISTS",
    "PROTECTED",
];

fn is_operator(t: &Token) -> bool {
    matches!(
        t,
        Token::Plus
            | Token::Minus
            | Token::Mul
            | Token::Div
            | Token::Mod
            | Token::Eq
            | Token::Neq
            | Token::Lt
            | Token::Gt
            | Token::LtEq
            | Token::GtEq
            | Token::StringConcat
            | Token::Period
            | Token::Comma
    )
}

/// A name's word: unquoted and no keyword, or quoted.
fn is_plain_name(t: &Token) -> bool {
    matches!(t, Token::Word(w) if w.quote_style.is_some() || w.keyword == Keyword::NoKeyword)
        || matches!(t, Token::DoubleQuotedString(_))
}

/// Whether `tokens` make a whole statement, as far as tokens tell: it starts as a statement does, its
/// parentheses and `CASE … END` balance, no template placeholder (`{{ … }}`) is left in it, it does not end on
/// an operator, `IN ()` lists something, no three names stand in a row, and what follows `FROM` or `JOIN` is a
/// name or a subquery (what [`super::strict`] checks of every statement, a word left hanging among them, is not
/// checked again). Why not, when it is not.
pub(super) fn whole(tokens: &[Token]) -> Result<(), &'static str> {
    let starts = tokens
        .first()
        .is_some_and(|t| *t == Token::LParen || word(t).is_some_and(|w| w.is_in(STARTS)));
    if !starts {
        return Err("it does not start as a statement does");
    }
    let (mut depth, mut cases, mut names_in_a_row) = (0i64, 0i64, 0usize);
    for (i, t) in tokens.iter().enumerate() {
        let next = tokens.get(i + 1);
        match t {
            Token::LBrace | Token::RBrace => return Err("a template placeholder is left in it"),
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth < 0 {
                    return Err("a parenthesis closes that was not opened");
                }
            }
            _ => {}
        }
        match word(t).as_deref() {
            Some("CASE") => cases += 1,
            Some("END") => cases -= 1,
            _ => {}
        }
        names_in_a_row = if is_plain_name(t) {
            names_in_a_row + 1
        } else {
            0
        };
        if names_in_a_row >= 3 {
            return Err("three names stand in a row");
        }
        if is_operator(t) && next.is_none() {
            return Err("it stops before it is finished");
        }
        if word(t).as_deref() == Some("IN")
            && next == Some(&Token::LParen)
            && tokens.get(i + 2) == Some(&Token::RParen)
        {
            return Err("IN () lists nothing");
        }
        if matches!(word(t).as_deref(), Some("FROM" | "JOIN")) {
            if matches!(next, Some(Token::Number(..))) {
                return Err("a number is not a table");
            }
            if let Some((_, after)) = name_at(tokens, i + 1)
                && matches!(
                    tokens.get(after),
                    Some(Token::Minus | Token::Plus | Token::Div | Token::Mod)
                )
            {
                return Err("a table's name has an operator in it");
            }
        }
    }
    if depth != 0 {
        return Err("its parentheses do not balance");
    }
    if cases != 0 {
        return Err("a CASE has no END");
    }
    Ok(())
}

/// The CTE names a statement declares anywhere (`WITH a AS (`, `, b (x, y) AS (`): its scopes are not known here,
/// so a name declared anywhere is not read as a table anywhere.
fn cte_names(tokens: &[Token]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (i, t) in tokens.iter().enumerate() {
        let declares = i > 0
            && (tokens[i - 1] == Token::Comma
                || matches!(word(&tokens[i - 1]).as_deref(), Some("WITH" | "RECURSIVE")));
        if !declares {
            continue;
        }
        let Token::Word(w) = t else { continue };
        let mut j = i + 1;
        if tokens.get(j) == Some(&Token::LParen) {
            j = super::matching_paren(tokens, j).map_or(tokens.len(), |c| c + 1);
        }
        if tokens.get(j).and_then(word).as_deref() == Some("AS")
            && tokens.get(j + 1) == Some(&Token::LParen)
        {
            names.insert(w.value.to_lowercase());
        }
    }
    names
}

/// The tables a whole statement the parser could not take reads, from its tokens: the names after `FROM` (each
/// of its comma list), `JOIN`, a `MERGE`'s `USING` and a query's `TABLE`, in query context (not `EXTRACT(x FROM
/// y)`), less the CTE names it declares.
pub(super) fn scanned_reads(tokens: &[Token], context_db: Option<&str>) -> Vec<String> {
    let ctes = cte_names(tokens);
    let merge = tokens.first().and_then(word).as_deref() == Some("MERGE");
    let mut reads = Vec::new();
    let read_name = |i: usize, reads: &mut Vec<String>| -> Option<usize> {
        if tokens.get(i + 1) == Some(&Token::LParen) {
            // UNNEST(…), LATERAL (…), TABLE(…): not a table.
            return None;
        }
        let (parts, after) = name_at(tokens, i)?;
        if !(parts.len() == 1 && ctes.contains(&parts[0].to_lowercase())) {
            reads.push(qualify(&parts, context_db));
        }
        Some(after)
    };
    // Whether each open parenthesis holds a query (so its FROM is a table's).
    let mut queries: Vec<bool> = vec![true];
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let in_query = queries.last().copied().unwrap_or(true);
        match t {
            Token::LParen => {
                let opens_query =
                    tokens.get(i + 1).and_then(word).is_some_and(|w| {
                        matches!(w.as_str(), "SELECT" | "WITH" | "VALUES" | "TABLE")
                    }) || (i > 0
                        && matches!(
                            word(&tokens[i - 1]).as_deref(),
                            Some("FROM" | "JOIN" | "LATERAL")
                        ));
                queries.push(opens_query);
            }
            Token::RParen => {
                queries.pop();
            }
            _ => {}
        }
        let keyword = word(t);
        match keyword.as_deref() {
            Some("FROM")
                if in_query && !(i > 0 && word(&tokens[i - 1]).as_deref() == Some("DELETE")) =>
            {
                // Each item of the list: a name, then its alias, sample or time travel up to a comma or the
                // clause's end.
                let mut at = i + 1;
                while let Some(after) = read_name(at, &mut reads) {
                    let mut depth = 0usize;
                    let mut k = after;
                    let mut more = false;
                    while let Some(t) = tokens.get(k) {
                        match t {
                            Token::LParen => depth += 1,
                            Token::RParen if depth == 0 => break,
                            Token::RParen => depth -= 1,
                            Token::Comma if depth == 0 => {
                                more = true;
                                break;
                            }
                            t if depth == 0 && word(t).is_some_and(|w| w.is_in(REFERENCE_ENDS)) => {
                                break;
                            }
                            _ => {}
                        }
                        k += 1;
                    }
                    if !more {
                        break;
                    }
                    at = k + 1;
                }
            }
            Some("JOIN") if in_query => {
                let _ = read_name(i + 1, &mut reads);
            }
            Some("USING") if merge && in_query && queries.len() == 1 => {
                let _ = read_name(i + 1, &mut reads);
            }
            Some("TABLE") if in_query => {
                let statement_syntax =
                    i > 0 && word(&tokens[i - 1]).is_some_and(|w| w.is_in(NOT_A_QUERY_TABLE));
                if !statement_syntax {
                    let _ = read_name(i + 1, &mut reads);
                }
            }
            _ => {}
        }
        i += 1;
    }
    reads
}

/// The tables named by a query's `TABLE t` (Trino's short `SELECT * FROM t`), which the parser takes but does not
/// name as relations: `INSERT INTO archive.t TABLE sales.t`, `TABLE sales.orders`.
pub(super) fn table_queries(tokens: &[Token], context_db: Option<&str>) -> Vec<String> {
    let mut reads = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if word(t).as_deref() != Some("TABLE") || tokens.get(i + 1) == Some(&Token::LParen) {
            continue;
        }
        let statement_syntax =
            i > 0 && word(&tokens[i - 1]).is_some_and(|w| w.is_in(NOT_A_QUERY_TABLE));
        if !statement_syntax && let Some((parts, _)) = name_at(tokens, i + 1) {
            reads.push(qualify(&parts, context_db));
        }
    }
    reads
}
