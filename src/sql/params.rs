//! Named parameters in the SQL people write for data checks (`:day`, `:from`, `:to`): found outside strings,
//! quoted names and comments, and turned into the placeholders of the engine that runs the statement, so values
//! are always bound, never pasted in. Also the check that a statement is one query (it may not write).

use std::fmt;

/// The parameters a check's SQL may use.
pub const NAMES: [&str; 3] = ["day", "from", "to"];

/// Whose placeholders and quoting rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Athena (Trino): `?`, values in `ExecutionParameters`.
    Athena,
    /// MySQL/MariaDB: `?`; a backslash escapes inside strings.
    MySql,
    /// PostgreSQL: `$1`, `$2`; `::` casts; dollar-quoted strings.
    Postgres,
}

/// A statement with its placeholders, and which parameter each binds, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// The SQL with `?` (or `$n`) for each parameter.
    pub sql: String,
    /// For `?`: the name of each placeholder in order (a name may repeat). For `$n`: the name of `$1`, `$2`, ….
    pub names: Vec<&'static str>,
}

/// Why a statement cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError(pub String);

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a scan of a statement found outside strings and comments.
#[derive(Debug, Default)]
struct Scan {
    /// Byte ranges of `:name` parameters (the colon included) and their names.
    params: Vec<(usize, usize, String)>,
    /// The first word.
    first_word: Option<String>,
    /// Whether anything but whitespace and comments follows a `;`.
    more_than_one: bool,
    /// Whether a string, quoted name or comment is left open.
    unterminated: bool,
    /// Words outside strings, quoted names and comments, in capitals.
    words: Vec<String>,
    /// Whether a MySQL `/*! … */` comment (which MySQL runs) is there.
    executable_comment: bool,
    /// Where the first `;` outside strings and comments is.
    first_semicolon: Option<usize>,
}

fn scan(sql: &str, dialect: Dialect) -> Scan {
    let b = sql.as_bytes();
    let mut out = Scan::default();
    let mut i = 0;
    let mut after_semicolon = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' | b'"' | b'`' => {
                let quote = c;
                // Backslashes escape in MySQL's strings (both quotes) and in PostgreSQL's E'…' strings.
                let backslashes = (dialect == Dialect::MySql && quote != b'`')
                    || (dialect == Dialect::Postgres
                        && quote == b'\''
                        && i > 0
                        && matches!(b[i - 1], b'E' | b'e')
                        && (i < 2 || !(b[i - 2].is_ascii_alphanumeric() || b[i - 2] == b'_')));
                i += 1;
                let mut closed = false;
                while i < b.len() {
                    if b[i] == b'\\' && backslashes {
                        i += 2;
                        continue;
                    }
                    if b[i] == quote {
                        if b.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                out.unterminated |= !closed;
                if after_semicolon {
                    out.more_than_one = true;
                }
                continue;
            }
            // MySQL reads `--` as a comment only before a space or a control character.
            b'-' if b.get(i + 1) == Some(&b'-')
                && (dialect != Dialect::MySql
                    || b.get(i + 2)
                        .is_none_or(|n| n.is_ascii_whitespace() || n.is_ascii_control())) =>
            {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'#' if dialect == Dialect::MySql => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                if dialect == Dialect::MySql && b.get(i + 2) == Some(&b'!') {
                    out.executable_comment = true;
                }
                match sql[i + 2..].find("*/") {
                    Some(end) => i += 2 + end + 2,
                    None => {
                        out.unterminated = true;
                        i = b.len();
                    }
                }
                continue;
            }
            b'$' if dialect == Dialect::Postgres => {
                // $tag$ … $tag$ (a dollar-quoted string); `$1` is a placeholder written by hand.
                let tag_end = sql[i + 1..]
                    .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .map(|n| i + 1 + n);
                if let Some(end) = tag_end
                    && b[end] == b'$'
                    && !b[i + 1..end].first().is_some_and(u8::is_ascii_digit)
                {
                    let tag = &sql[i..=end];
                    match sql[end + 1..].find(tag) {
                        Some(close) => i = end + 1 + close + tag.len(),
                        None => {
                            out.unterminated = true;
                            i = b.len();
                        }
                    }
                    continue;
                }
            }
            b';' => {
                if !after_semicolon {
                    out.first_semicolon = Some(i);
                }
                after_semicolon = true;
                i += 1;
                continue;
            }
            b':' => {
                let prev_colon = i > 0 && b[i - 1] == b':';
                let next_colon = b.get(i + 1) == Some(&b':');
                if !prev_colon && !next_colon {
                    let start = i + 1;
                    let end = sql[start..]
                        .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                        .map_or(sql.len(), |n| start + n);
                    if end > start && !b[start].is_ascii_digit() {
                        out.params.push((i, end, sql[start..end].to_owned()));
                        i = end;
                        continue;
                    }
                }
            }
            _ => {}
        }
        if (c.is_ascii_alphabetic() || c == b'_')
            && (i == 0
                || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'$'))
        {
            let end = sql[i..]
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_' || ch == '$'))
                .map_or(sql.len(), |n| i + n);
            out.words.push(sql[i..end].to_ascii_uppercase());
        }
        if !c.is_ascii_whitespace() {
            if after_semicolon {
                out.more_than_one = true;
            }
            if out.first_word.is_none() {
                let end = sql[i..]
                    .find(|ch: char| !ch.is_ascii_alphabetic())
                    .map_or(sql.len(), |n| i + n);
                out.first_word = Some(if end > i {
                    sql[i..end].to_ascii_uppercase()
                } else {
                    (c as char).to_string()
                });
            }
        }
        i += 1;
    }
    out
}

/// Whether `sql` is one query that reads: it begins with SELECT, WITH, VALUES, TABLE or `(`, is one statement,
/// closes every string and comment, and uses only the known parameters. (The read-only transaction is what stops
/// a query that writes through a function or a data-modifying `WITH`; this refuses what is plainly not a query
/// before anything runs.)
pub fn read_only_query(sql: &str, dialect: Dialect) -> Result<(), String> {
    let s = scan(sql, dialect);
    if s.unterminated {
        return Err("a string, quoted name or comment is not closed".to_owned());
    }
    if s.more_than_one {
        return Err("holds more than one statement: write one query".to_owned());
    }
    if s.executable_comment {
        return Err("MySQL runs /*! … */ comments: write the SQL plainly".to_owned());
    }
    match s.first_word.as_deref() {
        Some("SELECT" | "WITH" | "VALUES" | "TABLE" | "(") => {}
        Some(w) => {
            return Err(format!(
                "must be one query (SELECT or WITH), not {w}: checks only read"
            ));
        }
        None => return Err("is empty".to_owned()),
    }
    if s.words.iter().any(|w| w == "INTO") {
        return Err(
            "SELECT … INTO writes (a table, a file, variables): checks only read".to_owned(),
        );
    }
    if dialect == Dialect::Athena {
        match crate::sql::tables(sql, None) {
            Ok(t) if !t.writes.is_empty() => {
                return Err(format!(
                    "writes {}: checks only read",
                    t.writes.into_iter().collect::<Vec<_>>().join(", ")
                ));
            }
            _ => {}
        }
    }
    if let Some((_, _, name)) = s
        .params
        .iter()
        .find(|(_, _, n)| !NAMES.contains(&n.as_str()))
    {
        return Err(format!(
            "`:{name}` is not a parameter: use :day (the day checked), :from and :to (its start and the next day's)"
        ));
    }
    Ok(())
}

/// `sql` without the `;` that may end it and the comments after it: for wrapping it in another statement.
pub fn without_final_semicolon(sql: &str, dialect: Dialect) -> &str {
    let s = scan(sql, dialect);
    match s.first_semicolon {
        Some(at) if !s.more_than_one && !s.unterminated => sql[..at].trim_end(),
        _ => sql.trim_end(),
    }
}

/// `sql` with its `:day`/`:from`/`:to` turned into `dialect`'s placeholders.
pub fn bind(sql: &str, dialect: Dialect) -> Result<Bound, ParamError> {
    read_only_query(sql, dialect).map_err(ParamError)?;
    let s = scan(sql, dialect);
    let mut out = String::with_capacity(sql.len());
    let mut names: Vec<&'static str> = Vec::new();
    let mut last = 0;
    for (start, end, name) in &s.params {
        let name = NAMES
            .iter()
            .copied()
            .find(|n| n == name)
            .ok_or_else(|| ParamError(format!("`:{name}` is not a parameter")))?;
        out.push_str(&sql[last..*start]);
        match dialect {
            Dialect::Athena | Dialect::MySql => {
                out.push('?');
                names.push(name);
            }
            Dialect::Postgres => {
                let n = match names.iter().position(|x| *x == name) {
                    Some(p) => p + 1,
                    None => {
                        names.push(name);
                        names.len()
                    }
                };
                out.push_str(&format!("${n}"));
            }
        }
        last = *end;
    }
    out.push_str(&sql[last..]);
    Ok(Bound { sql: out, names })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_parameters_become_each_engines_placeholders() {
        let sql = "SELECT count(*) FROM orders WHERE order_date = :day AND ts >= :from AND ts < :to AND d2 = :day";
        let mysql = bind(sql, Dialect::MySql).expect("binds");
        assert_eq!(
            mysql.sql,
            "SELECT count(*) FROM orders WHERE order_date = ? AND ts >= ? AND ts < ? AND d2 = ?"
        );
        assert_eq!(mysql.names, ["day", "from", "to", "day"]);
        let pg = bind(sql, Dialect::Postgres).expect("binds");
        assert_eq!(
            pg.sql,
            "SELECT count(*) FROM orders WHERE order_date = $1 AND ts >= $2 AND ts < $3 AND d2 = $1"
        );
        assert_eq!(pg.names, ["day", "from", "to"]);
    }

    #[test]
    fn text_that_only_looks_like_a_parameter_is_left_alone() {
        let cases = [
            (
                Dialect::Postgres,
                "SELECT ':day', \":day\", x::date, $$ :day $$ FROM t -- :day\n WHERE d = :day /* :to */",
                "SELECT ':day', \":day\", x::date, $$ :day $$ FROM t -- :day\n WHERE d = $1 /* :to */",
            ),
            (
                Dialect::MySql,
                "SELECT 'it\\'s :day', `:day` FROM t WHERE d = :day # :from",
                "SELECT 'it\\'s :day', `:day` FROM t WHERE d = ? # :from",
            ),
            (
                Dialect::Athena,
                "SELECT '주문 :day 🐕' FROM t WHERE dt = :day",
                "SELECT '주문 :day 🐕' FROM t WHERE dt = ?",
            ),
        ];
        for (dialect, sql, expected) in cases {
            assert_eq!(
                bind(sql, dialect).expect("binds").sql,
                expected,
                "{dialect:?}: {sql}"
            );
        }
    }

    #[test]
    fn a_final_semicolon_and_its_comment_are_cut_for_wrapping() {
        for (sql, cut) in [
            ("SELECT 1;", "SELECT 1"),
            ("SELECT 1; -- the rows that are wrong", "SELECT 1"),
            (
                "SELECT ';' AS s -- a ; here\n;",
                "SELECT ';' AS s -- a ; here",
            ),
            ("SELECT 1", "SELECT 1"),
        ] {
            assert_eq!(without_final_semicolon(sql, Dialect::Athena), cut, "{sql}");
        }
    }

    #[test]
    fn only_one_reading_query_is_accepted() {
        for (sql, why) in [
            ("DELETE FROM orders", "not DELETE"),
            ("SELECT 1; DROP TABLE orders", "more than one statement"),
            ("INSERT INTO t SELECT 1", "not INSERT"),
            (
                "SELECT * FROM t WHERE d = :date",
                "`:date` is not a parameter",
            ),
            ("SELECT 'open", "not closed"),
            ("", "is empty"),
        ] {
            let err = read_only_query(sql, Dialect::MySql).expect_err(sql);
            assert!(err.contains(why), "{sql}: {err}");
        }
        assert!(read_only_query("CREATE TABLE x AS SELECT 1", Dialect::Athena).is_err());
        // What each engine reads differently from a plain scanner.
        for (sql, dialect) in [
            ("SELECT 1 --0; DELETE FROM t", Dialect::MySql),
            ("SELECT \"\\\" x\"; DELETE FROM t; -- \"", Dialect::MySql),
            ("SELECT 1 /*! ; DELETE FROM t */", Dialect::MySql),
            ("SELECT E'\\' x'; DELETE FROM t; -- '", Dialect::Postgres),
            ("SELECT * INTO OUTFILE '/tmp/x' FROM t", Dialect::MySql),
            ("SELECT * INTO copy FROM t", Dialect::Postgres),
        ] {
            assert!(read_only_query(sql, dialect).is_err(), "{dialect:?}: {sql}");
        }
        assert_eq!(
            read_only_query("SELECT 'E', 'it''s' AS into_x", Dialect::Postgres),
            Ok(())
        );
        for ok in [
            "SELECT count(*) FROM orders WHERE order_date = :day;",
            "  -- the count\nWITH o AS (SELECT 1 AS n) SELECT sum(n) FROM o",
            "(SELECT 1)",
        ] {
            assert_eq!(read_only_query(ok, Dialect::Postgres), Ok(()), "{ok}");
        }
    }
}
