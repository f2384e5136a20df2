//! Which tables an Athena statement reads and writes (pure: no I/O).
//!
//! Athena speaks Trino/Presto DML and Hive DDL plus Iceberg statements. `sqlparser`'s generic dialect reads most
//! of it; what it cannot (time travel, `OPTIMIZE`, `VACUUM`, `UNLOAD`, `EXPLAIN`, `PREPARE`, `SHOW`/`DESCRIBE`,
//! Hive `CREATE EXTERNAL TABLE`) is recognised from the statement's leading tokens first. Writes are named by the
//! statement's leading keywords; reads are every relation the parser visits, less CTE names and the written
//! table's own position. Names are lower-cased `db.table`; unqualified names take the query's database;
//! `awsdatacatalog.` is dropped, other catalogs kept. Comments and string literals never produce names, and
//! nothing here panics on any input.

pub mod params;
mod scan;
mod strict;

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use sqlparser::ast::{ObjectName, Query, Visit, Visitor};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

/// The tables a statement reads and writes, as `db.table` (or `catalog.db.table`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tables {
    /// Read, sorted.
    pub reads: BTreeSet<String>,
    /// Written (created, altered, dropped or changed), sorted.
    pub writes: BTreeSet<String>,
}

/// Why a statement could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SqlError(pub String);

/// The tables `sql` reads and writes; unqualified names are in `context_db`.
pub fn tables(sql: &str, context_db: Option<&str>) -> Result<Tables, SqlError> {
    if strict::nests_comments(sql) {
        return Err(SqlError(
            "not Athena SQL: a comment inside a comment".into(),
        ));
    }
    let tokens = Tokenizer::new(&GenericDialect {}, sql)
        .tokenize()
        .map_err(|e| SqlError(format!("cannot tokenize: {e}")))?;
    let tokens: Vec<Token> = tokens
        .into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let mut out = Tables::default();
    for statement in tokens
        .split(|t| *t == Token::SemiColon)
        .filter(|s| !s.is_empty())
    {
        let found = statement_tables(statement, context_db)?;
        out.reads.extend(found.reads);
        out.writes.extend(found.writes);
    }
    Ok(out)
}

fn word(t: &Token) -> Option<Upper> {
    match t {
        Token::Word(w) if w.quote_style.is_none() => Some(Upper::of(&w.value)),
        _ => None,
    }
}

/// An unquoted word upper-cased without allocating, to compare with keywords: words longer than any keyword
/// compare as the empty string (every statement's words are looked at, so this is on the hot path).
#[derive(Clone, Copy, Default)]
struct Upper {
    bytes: [u8; Upper::MAX],
    len: u8,
}

impl Upper {
    const MAX: usize = 16;

    fn of(word: &str) -> Upper {
        let mut out = Upper::default();
        if word.len() <= Upper::MAX && word.is_ascii() {
            out.bytes[..word.len()].copy_from_slice(word.as_bytes());
            out.bytes[..word.len()].make_ascii_uppercase();
            out.len = word.len() as u8;
        }
        out
    }

    /// Whether it is one of `words` (upper-case keywords), compared as bytes.
    fn is_in(&self, words: &[&str]) -> bool {
        let me = &self.bytes[..usize::from(self.len)];
        words.iter().any(|w| w.as_bytes() == me)
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl std::ops::Deref for Upper {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<&str> for Upper {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Whether the tokens from `i` are these unquoted keywords.
fn keywords_at(tokens: &[Token], i: usize, words: &[&str]) -> bool {
    words
        .iter()
        .enumerate()
        .all(|(k, w)| tokens.get(i + k).and_then(word).as_deref() == Some(*w))
}

/// An object name (`a`, `a.b`, `"a"."b"`, `` `a`.b ``) at `i`: its parts and the index after it.
fn name_at(tokens: &[Token], mut i: usize) -> Option<(Vec<String>, usize)> {
    let mut parts = Vec::new();
    loop {
        match tokens.get(i)? {
            Token::Word(w) => parts.push(w.value.clone()),
            Token::DoubleQuotedString(s) => parts.push(s.clone()),
            _ => return None,
        }
        i += 1;
        if tokens.get(i) == Some(&Token::Period) {
            i += 1;
        } else {
            return Some((parts, i));
        }
    }
}

/// `db.table` from name parts: lower-cased, metadata suffixes (`$partitions`) dropped, the context database for a bare
/// name, `awsdatacatalog` dropped.
fn qualify(parts: &[String], context_db: Option<&str>) -> String {
    let mut parts: Vec<String> = parts.iter().map(|p| p.to_lowercase()).collect();
    // Iceberg's and Hive's metadata tables (`orders$partitions`) are their table's; any other `$` is the name's.
    const METADATA: [&str; 6] = [
        "partitions",
        "snapshots",
        "files",
        "manifests",
        "history",
        "refs",
    ];
    if let Some(last) = parts.last_mut()
        && let Some((table, suffix)) = last.rsplit_once('$')
        && METADATA.contains(&suffix)
    {
        *last = table.to_owned();
    }
    if parts.len() == 3 && parts[0] == "awsdatacatalog" {
        parts.remove(0);
    }
    if parts.len() == 1
        && let Some(db) = context_db
    {
        parts.insert(0, db.to_lowercase());
    }
    parts.join(".")
}

/// SQL text from tokens, quotes escaped again (a token's `Display` prints `'it's'` for `'it''s'`).
fn rebuild(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| match t {
            Token::SingleQuotedString(s) => format!("'{}'", s.replace('\'', "''")),
            Token::Word(w) if w.quote_style == Some('"') => {
                format!("\"{}\"", w.value.replace('"', "\"\""))
            }
            Token::Word(w) if w.quote_style == Some('`') => {
                format!("`{}`", w.value.replace('`', "``"))
            }
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words that end a table's reference in `FROM` or `JOIN` (its alias, sample or time travel come before them):
/// the next clause, or the next join.
const REFERENCE_ENDS: &[&str] = &[
    "WHERE",
    "GROUP",
    "ORDER",
    "HAVING",
    "LIMIT",
    "UNION",
    "EXCEPT",
    "INTERSECT",
    "WINDOW",
    "OFFSET",
    "FETCH",
    "JOIN",
    "INNER",
    "LEFT",
    "RIGHT",
    "FULL",
    "CROSS",
    "NATURAL",
    "ON",
    "USING",
];

/// Removes Iceberg time travel (`FOR TIMESTAMP AS OF …`, `FOR VERSION AS OF …`), which the parser does not know.
fn without_time_travel(tokens: &[Token]) -> Vec<Token> {
    if !tokens.iter().any(|t| word(t).is_some_and(|w| w == "FOR")) {
        return tokens.to_vec();
    }
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let travel = keywords_at(tokens, i, &["FOR", "TIMESTAMP", "AS", "OF"])
            || keywords_at(tokens, i, &["FOR", "VERSION", "AS", "OF"])
            || keywords_at(tokens, i, &["FOR", "SYSTEM_TIME", "AS", "OF"]);
        if !travel {
            out.push(tokens[i].clone());
            i += 1;
            continue;
        }
        i += 4;
        let mut depth = 0usize;
        while let Some(t) = tokens.get(i) {
            match t {
                Token::LParen => depth += 1,
                Token::RParen if depth == 0 => break,
                Token::RParen => depth -= 1,
                Token::Comma if depth == 0 => break,
                t if depth == 0
                    && word(t).is_some_and(|w| w == "AS" || w.is_in(REFERENCE_ENDS)) =>
                {
                    break;
                }
                _ => {}
            }
            i += 1;
        }
    }
    out
}

/// Relations of parsed statements that are tables, not CTEs in scope where they are named.
///
/// A CTE's name is in scope in its query's body, in the CTEs declared after it, and in its own body only under
/// `WITH RECURSIVE`: `WITH orders AS (SELECT * FROM orders)` reads the table `orders`. Scopes are kept as a stack
/// as the visitor enters and leaves queries; the bodies of a `WITH`'s CTEs are known by address when their query
/// is entered.
#[derive(Default)]
struct Relations {
    seen: Vec<Vec<String>>,
    /// The CTE names in scope, innermost query last.
    scopes: Vec<BTreeSet<String>>,
    /// CTE bodies about to be visited, by address: the names in scope inside each.
    bodies: Vec<(*const Query, BTreeSet<String>)>,
}

impl Visitor for Relations {
    type Break = ();

    fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
        let parts: Vec<String> = relation
            .0
            .iter()
            .filter_map(|p| p.as_ident().map(|i| i.value.clone()))
            .collect();
        let cte = parts.len() == 1
            && self
                .scopes
                .last()
                .is_some_and(|s| s.contains(&parts[0].to_lowercase()));
        if !cte {
            self.seen.push(parts);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        let address = query as *const Query;
        // Inside a CTE's body, the names its WITH gave it; elsewhere, those of the enclosing query.
        let mut scope = match self.bodies.iter().position(|(b, _)| *b == address) {
            Some(i) => self.bodies.swap_remove(i).1,
            None => self.scopes.last().cloned().unwrap_or_default(),
        };
        if let Some(with) = &query.with {
            let outer = scope.clone();
            let names: Vec<String> = with
                .cte_tables
                .iter()
                .map(|c| c.alias.name.value.to_lowercase())
                .collect();
            for (i, cte) in with.cte_tables.iter().enumerate() {
                let mut inside = outer.clone();
                let visible = if with.recursive { i + 1 } else { i };
                inside.extend(names[..visible].iter().cloned());
                self.bodies.push((&*cte.query as *const Query, inside));
            }
            scope.extend(names);
        }
        self.scopes.push(scope);
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &Query) -> ControlFlow<()> {
        self.scopes.pop();
        ControlFlow::Continue(())
    }
}

/// Every relation the parser finds in `tokens` that is a table, not a CTE. The parser takes the tokens as they
/// are (no second tokenizing pass). What it cannot take is read token by token ([`scanned_reads`]) when the
/// statement is whole ([`whole`]), else it is an error.
fn parsed_reads(tokens: &[Token], context_db: Option<&str>) -> Result<Vec<String>, SqlError> {
    if tokens.len() > PARSE_BUDGET {
        scan::whole(tokens).map_err(|why| SqlError(format!("cannot read it: {why}")))?;
        return Ok(scan::scanned_reads(tokens, context_db));
    }
    parser_reads(tokens, context_db)
}

/// [`parsed_reads`] through the parser, whatever the statement's length.
fn parser_reads(tokens: &[Token], context_db: Option<&str>) -> Result<Vec<String>, SqlError> {
    let statements = match Parser::new(&GenericDialect {})
        .with_tokens(without_time_travel(tokens))
        .parse_statements()
    {
        Ok(statements) => statements,
        Err(e) => {
            scan::whole(tokens).map_err(|why| SqlError(format!("cannot parse: {e} ({why})")))?;
            return Ok(scan::scanned_reads(tokens, context_db));
        }
    };
    let mut relations = Relations::default();
    let _ = statements.visit(&mut relations);
    let mut reads: Vec<String> = relations
        .seen
        .iter()
        .map(|parts| qualify(parts, context_db))
        .collect();
    reads.extend(scan::table_queries(tokens, context_db));
    Ok(reads)
}

/// The most tokens a statement may have for the parser to read it. Longer ones (tools' union-all reports, dbt
/// models: 16 KB and more) are read token by token ([`scan::scanned_reads`]), which takes time in proportion to
/// their length: the parser's cost grows with each token it clones and every alternative it tries, and one
/// pathological statement must not stall the usage collector. The corpus's long statements read the same both
/// ways.
const PARSE_BUDGET: usize = 2_000;

/// The index just after the top-level `AS` that starts a CTAS or view query (not Hive's `STORED AS`).
fn query_after_as(tokens: &[Token]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            t if depth == 0 && word(t).as_deref() == Some("AS") => {
                let stored = i > 0 && word(&tokens[i - 1]).as_deref() == Some("STORED");
                if !stored {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn statement_tables(tokens: &[Token], context_db: Option<&str>) -> Result<Tables, SqlError> {
    if let Some(why) = strict::not_athena(tokens) {
        return Err(SqlError(format!("not Athena SQL: {why}")));
    }
    let first = tokens.first().and_then(word).unwrap_or_default();
    let mut out = Tables::default();
    let name_after = |i: usize| -> Result<String, SqlError> {
        name_at(tokens, i)
            .filter(|_| !tokens.get(i).is_some_and(is_syntax_word))
            .map(|(parts, _)| qualify(&parts, context_db))
            .ok_or_else(|| {
                SqlError(format!(
                    "expected a table name after {}",
                    rebuild(&tokens[..i.min(tokens.len())])
                ))
            })
    };
    let skip = |words: &[&str], mut i: usize| {
        while tokens.get(i).and_then(word).is_some_and(|w| w.is_in(words)) {
            i += 1;
        }
        i
    };
    match first.as_str() {
        "USING" if keywords_at(tokens, 1, &["EXTERNAL", "FUNCTION"]) => {
            // USING EXTERNAL FUNCTION f(…) RETURNS t LAMBDA '…' [, …] query: the UDFs declared, then the query.
            let query = top_level(tokens)
                .find(|(_, t)| word(t).is_some_and(|w| w == "SELECT" || w == "WITH"))
                .map(|(i, _)| i)
                .ok_or_else(|| SqlError("USING EXTERNAL FUNCTION needs a query after it".into()))?;
            out = statement_tables(&tokens[query..], context_db)?;
        }
        "EXPLAIN" => {
            // EXPLAIN [ANALYZE] [VERBOSE] [(options)] statement: reads what it reads; EXPLAIN ANALYZE runs it, so
            // it writes what it writes too.
            let analyze = keywords_at(tokens, 1, &["ANALYZE"]);
            let mut i = skip(&["ANALYZE", "VERBOSE"], 1);
            if tokens.get(i) == Some(&Token::LParen) {
                while i < tokens.len() && tokens[i] != Token::RParen {
                    i += 1;
                }
                i += 1;
            }
            let inner = statement_tables(tokens.get(i..).unwrap_or_default(), context_db)?;
            out.reads = inner.reads;
            if analyze {
                out.writes = inner.writes;
            }
        }
        "UNLOAD" => {
            // UNLOAD (query) TO 's3://…' WITH (…): reads only.
            let (Some(Token::LParen), Some(close)) = (tokens.get(1), matching_paren(tokens, 1))
            else {
                return Err(SqlError("UNLOAD needs a parenthesised query".into()));
            };
            if !keywords_at(tokens, close + 1, &["TO"])
                || !matches!(tokens.get(close + 2), Some(Token::SingleQuotedString(_)))
            {
                return Err(SqlError("UNLOAD needs TO 's3://…'".into()));
            }
            out.reads = statement_tables(&tokens[2..close], context_db)?.reads;
        }
        "PREPARE" => {
            // PREPARE name FROM statement: what the statement reads and writes.
            if !(tokens
                .get(1)
                .is_some_and(|t| matches!(t, Token::Word(_)) && !is_syntax_word(t))
                && keywords_at(tokens, 2, &["FROM"])
                && tokens.len() > 3)
            {
                return Err(SqlError(
                    "PREPARE needs a name, FROM and a statement".into(),
                ));
            }
            out = statement_tables(&tokens[3..], context_db)?;
        }
        "EXECUTE" => {
            // EXECUTE name [USING values]: the prepared statement's tables were counted when it was prepared.
            if !tokens
                .get(1)
                .is_some_and(|t| matches!(t, Token::Word(_)) && !is_syntax_word(t))
            {
                return Err(SqlError("EXECUTE needs a prepared statement's name".into()));
            }
        }
        "DEALLOCATE" | "USE" | "SET" | "RESET" | "START" | "COMMIT" | "ROLLBACK" => {}
        "DESCRIBE" | "DESC" => {
            let i = skip(&["FORMATTED", "EXTENDED", "TABLE", "VIEW"], 1);
            if tokens.get(i).and_then(word).as_deref() != Some("INPUT")
                && tokens.get(i).and_then(word).as_deref() != Some("OUTPUT")
            {
                out.reads.insert(name_after(i)?);
            }
        }
        "SHOW" => {
            if keywords_at(tokens, 1, &["COLUMNS"]) {
                // SHOW COLUMNS {FROM|IN} t [{FROM|IN} db]
                let (parts, after) = name_at(tokens, 3)
                    .ok_or_else(|| SqlError("SHOW COLUMNS needs a table".into()))?;
                let db = if tokens
                    .get(after)
                    .and_then(word)
                    .is_some_and(|w| w == "FROM" || w == "IN")
                {
                    name_at(tokens, after + 1).map(|(p, _)| p.join("."))
                } else {
                    None
                };
                out.reads
                    .insert(qualify(&parts, db.as_deref().or(context_db)));
            } else if keywords_at(tokens, 1, &["PARTITIONS"])
                || keywords_at(tokens, 1, &["TBLPROPERTIES"])
            {
                out.reads.insert(name_after(2)?);
            } else if keywords_at(tokens, 1, &["CREATE", "TABLE"])
                || keywords_at(tokens, 1, &["CREATE", "VIEW"])
            {
                out.reads.insert(name_after(3)?);
            }
            // SHOW TABLES / DATABASES / SCHEMAS / VIEWS / FUNCTIONS …: no table.
        }
        "OPTIMIZE" => {
            // OPTIMIZE t REWRITE DATA USING BIN_PACK [WHERE …]
            let (_, after) =
                name_at(tokens, 1).ok_or_else(|| SqlError("OPTIMIZE needs a table".into()))?;
            if !keywords_at(tokens, after, &["REWRITE", "DATA", "USING", "BIN_PACK"]) {
                return Err(SqlError(
                    "OPTIMIZE needs REWRITE DATA USING BIN_PACK".into(),
                ));
            }
            out.writes.insert(name_after(1)?);
        }
        "VACUUM" => {
            out.writes.insert(name_after(1)?);
        }
        "MSCK" => {
            let i = skip(&["REPAIR", "TABLE"], 1);
            out.writes.insert(name_after(i)?);
        }
        "DROP" | "ALTER" | "TRUNCATE" => {
            let i = skip(&["TABLE", "VIEW", "MATERIALIZED"], 1);
            if !keywords_at(tokens, 1, &["DATABASE"]) && !keywords_at(tokens, 1, &["SCHEMA"]) {
                let i = if keywords_at(tokens, i, &["IF", "EXISTS"]) {
                    i + 2
                } else {
                    i
                };
                out.writes.insert(name_after(i)?);
                let after = name_at(tokens, i).map_or(tokens.len(), |(_, after)| after);
                if first == "ALTER" && keywords_at(tokens, after, &["RENAME", "TO"]) {
                    // ALTER TABLE a RENAME TO b: both names change.
                    out.writes.insert(name_after(after + 2)?);
                } else if first == "ALTER"
                    && keywords_at(tokens, 1, &["VIEW"])
                    && let Some(query) = query_after_as(&tokens[after..])
                {
                    // ALTER VIEW v [FORCE] ADD|UPDATE DIALECT AS query: reads what its query reads.
                    out.reads
                        .extend(view_query(&tokens[after + query..], context_db)?);
                }
            }
        }
        "CREATE" => {
            let i = skip(
                &[
                    "OR",
                    "REPLACE",
                    "EXTERNAL",
                    "PROTECTED",
                    "MULTI",
                    "DIALECT",
                    "MULTI_DIALECT",
                ],
                1,
            );
            let kind = tokens.get(i).and_then(word).unwrap_or_default();
            if kind == "TABLE" || kind == "VIEW" {
                let mut j = i + 1;
                if keywords_at(tokens, j, &["IF", "NOT", "EXISTS"]) {
                    j += 3;
                }
                let name = name_after(j)?;
                let after = name_at(tokens, j).map_or(tokens.len(), |(_, after)| after);
                // `SHOW VIEW JSON` before AS asks for the view's definition without creating it.
                let dry_run = tokens[after..]
                    .windows(3)
                    .any(|w| keywords_at(w, 0, &["SHOW", "VIEW", "JSON"]));
                if !dry_run {
                    out.writes.insert(name);
                }
                if let Some(query) = query_after_as(&tokens[j..]) {
                    out.reads
                        .extend(view_query(&tokens[j + query..], context_db)?);
                }
            }
            // CREATE DATABASE / SCHEMA / FUNCTION: no table.
        }
        "INSERT" | "UPDATE" | "DELETE" | "MERGE" => {
            if first == "DELETE" && !keywords_at(tokens, 1, &["FROM"]) {
                return Err(SqlError("DELETE needs FROM".into()));
            }
            if first == "INSERT" && !keywords_at(tokens, 1, &["INTO"]) {
                return Err(SqlError("Athena inserts with INSERT INTO".into()));
            }
            let i = skip(&["INTO", "OVERWRITE", "TABLE", "FROM"], 1);
            let target = name_after(i)?;
            let mut reads = parsed_reads(tokens, context_db)?;
            // The target's own position is a write; any other mention of it is a read.
            if let Some(pos) = reads.iter().position(|r| *r == target) {
                reads.remove(pos);
            }
            out.writes.insert(target);
            out.reads.extend(reads);
        }
        _ => {
            out.reads.extend(parsed_reads(tokens, context_db)?);
        }
    }
    Ok(out)
}

/// What the query after a CTAS's or view's `AS` reads: `… WITH [NO] DATA` ends a CTAS and is not part of it; an
/// empty query is an error.
fn view_query(query: &[Token], context_db: Option<&str>) -> Result<Vec<String>, SqlError> {
    let mut query = query;
    let n = query.len();
    if n >= 3 && keywords_at(query, n - 3, &["WITH", "NO", "DATA"]) {
        query = &query[..n - 3];
    } else if n >= 2 && keywords_at(query, n - 2, &["WITH", "DATA"]) {
        query = &query[..n - 2];
    }
    if query.is_empty() {
        return Err(SqlError("nothing follows AS".into()));
    }
    parsed_reads(query, context_db)
}

/// The tokens outside any parentheses, with their index.
fn top_level(tokens: &[Token]) -> impl Iterator<Item = (usize, &Token)> {
    let mut depth = 0usize;
    tokens.iter().enumerate().filter(move |(_, t)| {
        let outside = depth == 0 && !matches!(t, Token::LParen | Token::RParen);
        match t {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
        outside
    })
}

/// Unquoted words of a statement's own syntax that cannot stand where a table's name is expected
/// (`CREATE TABLE AS SELECT 1`, `ALTER TABLE RENAME TO t2`).
fn is_syntax_word(t: &Token) -> bool {
    const SYNTAX: &[&str] = &[
        "AS", "SELECT", "FROM", "WHERE", "RENAME", "TO", "SET", "WITH", "VALUES", "USING", "ADD",
        "IF", "ON", "JOIN", "GROUP", "ORDER", "LIMIT",
    ];
    word(t).is_some_and(|w| w.is_in(SYNTAX))
}

/// The index of the `)` matching the `(` at `open`.
fn matching_paren(tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// One line of `doberman sql-tables` output.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Line {
    /// Tables read.
    pub reads: Vec<String>,
    /// Tables written.
    pub writes: Vec<String>,
    /// Why the statement could not be read, if it could not.
    pub error: Option<String>,
}

/// The `doberman sql-tables` contract for one input object `{"sql": …, "context_db": …}`.
pub fn line(input: &str) -> Line {
    #[derive(serde::Deserialize)]
    struct Input {
        sql: String,
        #[serde(default)]
        context_db: Option<String>,
    }
    let parsed: Result<Input, _> = serde_json::from_str(input);
    let result = parsed
        .map_err(|e| SqlError(format!("not a {{\"sql\", \"context_db\"}} object: {e}")))
        .and_then(|i| tables(&i.sql, i.context_db.as_deref()));
    match result {
        Ok(t) => Line {
            reads: t.reads.into_iter().collect(),
            writes: t.writes.into_iter().collect(),
            error: None,
        },
        Err(e) => Line {
            reads: Vec::new(),
            writes: Vec::new(),
            error: Some(e.0),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Case {
        sql: String,
        context_db: Option<String>,
        reads: Vec<String>,
        writes: Vec<String>,
        error: bool,
    }

    /// The corpus: hand-written cases, and real-world shapes labelled from Athena's documentation
    /// (`tests/fixtures/sql/README.md`).
    const CORPUS: [&str; 2] = [
        include_str!("../../tests/fixtures/sql/athena.jsonl"),
        include_str!("../../tests/fixtures/sql/athena-wild.jsonl"),
    ];

    /// Every statement of the corpus gives exactly its expected tables (all differences reported at once).
    #[test]
    fn the_athena_corpus() {
        let mut wrong = Vec::new();
        let mut count = 0;
        for line in CORPUS
            .iter()
            .flat_map(|c| c.lines())
            .filter(|l| !l.trim().is_empty())
        {
            let case: Case = serde_json::from_str(line).expect("a corpus line");
            count += 1;
            match (tables(&case.sql, case.context_db.as_deref()), case.error) {
                (Err(_), true) => {}
                (Ok(t), true) => {
                    wrong.push(format!("{}\n  expected an error, got {t:?}", case.sql))
                }
                (Err(e), false) => wrong.push(format!("{}\n  unexpected error: {e}", case.sql)),
                (Ok(t), false) => {
                    let reads: Vec<String> = t.reads.into_iter().collect();
                    let writes: Vec<String> = t.writes.into_iter().collect();
                    if reads != case.reads || writes != case.writes {
                        wrong.push(format!(
                            "{}\n  expected reads {:?} writes {:?}\n  got      reads {reads:?} writes {writes:?}",
                            case.sql, case.reads, case.writes
                        ));
                    }
                }
            }
        }
        assert!(count >= 600, "the corpus has {count} statements");
        assert!(
            wrong.is_empty(),
            "{} of {count} wrong:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }

    /// The corpus's long queries (past the parse budget) read the same token by token as through the parser.
    #[test]
    fn long_statements_read_the_same_token_by_token_as_parsed() {
        let mut long = 0;
        for line in CORPUS
            .iter()
            .flat_map(|c| c.lines())
            .filter(|l| !l.trim().is_empty())
        {
            let case: Case = serde_json::from_str(line).expect("a corpus line");
            let Ok(tokens) = Tokenizer::new(&GenericDialect {}, &case.sql).tokenize() else {
                continue;
            };
            let tokens: Vec<Token> = tokens
                .into_iter()
                .filter(|t| !matches!(t, Token::Whitespace(_)))
                .collect();
            // Queries: a write's target is the statement's own syntax, read off its first words.
            if tokens.len() <= PARSE_BUDGET || case.error || !case.writes.is_empty() {
                continue;
            }
            long += 1;
            let db = case.context_db.as_deref();
            let parsed: BTreeSet<String> = parser_reads(&tokens, db)
                .expect("parses")
                .into_iter()
                .collect();
            let scanned: BTreeSet<String> = scan::scanned_reads(&tokens, db).into_iter().collect();
            assert_eq!(scanned, parsed, "{}…", &case.sql[..200]);
            assert_eq!(
                parsed.into_iter().collect::<Vec<_>>(),
                case.reads,
                "{}…",
                &case.sql[..200]
            );
        }
        assert!(long >= 10, "the corpus has {long} long statements");
    }

    /// A statement far past the parse budget (a 5,000-branch report, 1 MB) is read token by token: every table.
    #[test]
    fn a_huge_report_is_read_token_by_token() {
        let branches: Vec<String> = (0..5_000)
            .map(|i| format!("SELECT '{i}' AS shop, count(*) AS n FROM shop_{}.orders WHERE dt = '2026-11-20'", i % 50))
            .collect();
        let sql = branches.join("\nUNION ALL\n");
        assert!(sql.len() > 400_000);
        let found = tables(&sql, Some("db")).expect("reads");
        let want: BTreeSet<String> = (0..50).map(|i| format!("shop_{i}.orders")).collect();
        assert_eq!(found.reads, want);
        assert!(found.writes.is_empty());
    }

    #[test]
    fn the_json_lines_contract() {
        let ok =
            line(r#"{"sql": "INSERT INTO a SELECT * FROM b JOIN b ON true", "context_db": null}"#);
        assert_eq!(
            ok,
            Line {
                reads: vec!["b".into()],
                writes: vec!["a".into()],
                error: None
            }
        );
        let bad = line(r#"{"sql": "SELEKT"}"#);
        assert!(bad.error.is_some() && bad.reads.is_empty() && bad.writes.is_empty());
        assert!(line("not json").error.is_some());
    }

    /// Random pieces of real statements — cut anywhere, joined to others, with words dropped or doubled — never
    /// make the extractor panic. Seeded, so a failure repeats.
    #[test]
    fn nothing_panics_on_random_pieces_of_real_statements() {
        let statements: Vec<String> = CORPUS
            .iter()
            .flat_map(|c| c.lines())
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let case: Case = serde_json::from_str(l).expect("a corpus line");
                case.sql
            })
            .collect();
        let mut rng = fastrand::Rng::with_seed(23);
        let piece = |rng: &mut fastrand::Rng, s: &str| -> String {
            let chars: Vec<char> = s.chars().collect();
            let a = rng.usize(0..=chars.len());
            let b = rng.usize(a..=chars.len());
            chars[a..b].iter().collect()
        };
        for _ in 0..3_000 {
            let one = &statements[rng.usize(..statements.len())];
            let other = &statements[rng.usize(..statements.len())];
            let text = match rng.u8(0..4) {
                0 => piece(&mut rng, one),
                1 => format!("{}{}", piece(&mut rng, one), piece(&mut rng, other)),
                2 => format!("{one} {}", piece(&mut rng, other)),
                _ => {
                    let mut words: Vec<&str> = one.split_whitespace().collect();
                    if !words.is_empty() {
                        let at = rng.usize(..words.len());
                        if rng.bool() {
                            words.remove(at);
                        } else {
                            words.insert(at, words[at]);
                        }
                    }
                    words.join(" ")
                }
            };
            let _ = tables(&text, Some("db"));
        }
    }

    #[test]
    fn nothing_panics_on_fragments_of_real_statements() {
        for line in CORPUS[0].lines() {
            let case: Case = serde_json::from_str(line).expect("a corpus line");
            let chars: Vec<char> = case.sql.chars().collect();
            for cut in 0..chars.len() {
                let prefix: String = chars[..cut].iter().collect();
                let _ = tables(&prefix, Some("db"));
            }
        }
    }
}
