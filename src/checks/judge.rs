//! What a check's answers mean: pass or fail, the numbers on each side, how far apart, and a sentence that says
//! it. Pure: the answers in, the verdict out.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::json;

use super::{Answer, Value};
use crate::config::checks::Tolerance;

/// A check's verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// `pass`, `fail` or `error`.
    pub status: &'static str,
    /// The system of record's number.
    pub source_value: Option<f64>,
    /// The lake's number.
    pub lake_value: Option<f64>,
    /// How far apart (lake − source), or outside the limit.
    pub difference: Option<f64>,
    /// Every compared column, or sample rows.
    pub detail: Option<serde_json::Value>,
    /// In words.
    pub message: String,
}

impl Verdict {
    /// The check could not tell.
    pub fn error(message: impl Into<String>) -> Verdict {
        Verdict {
            status: "error",
            source_value: None,
            lake_value: None,
            difference: None,
            detail: None,
            message: message.into(),
        }
    }
}

/// A number as people read it: whole numbers with thousands separators, others with up to 4 decimals.
pub fn num(n: f64) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    let negative = n < 0.0;
    let a = n.abs();
    let (whole, frac) = if a.fract() == 0.0 && a < 1e15 {
        (format!("{a:.0}"), String::new())
    } else {
        let s = format!("{a:.4}");
        let (w, f) = s.split_once('.').unwrap_or((&s, ""));
        let f = f.trim_end_matches('0');
        (
            w.to_owned(),
            if f.is_empty() {
                String::new()
            } else {
                format!(".{f}")
            },
        )
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}{grouped}{frac}", if negative { "-" } else { "" })
}

fn signed(n: f64) -> String {
    if n > 0.0 {
        format!("+{}", num(n))
    } else {
        num(n)
    }
}

/// The numbers of an answer's first row; NULL reads as 0 (a SUM over no rows), text that is not a number is an
/// error naming the column.
fn numbers(answer: &Answer, side: &str) -> Result<Vec<(String, f64)>, String> {
    let Some(row) = answer.rows.first() else {
        return Err(format!(
            "{side} returned no row: the query must return one row of numbers"
        ));
    };
    if answer.truncated || answer.rows.len() > 1 {
        return Err(format!(
            "{side} returned more than one row: the query must return one row of numbers (no GROUP BY)"
        ));
    }
    row.iter()
        .enumerate()
        .map(|(i, v)| {
            let name = answer
                .columns
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("column {}", i + 1));
            match v {
                Value::Num(n) => Ok((name, *n)),
                Value::Null => Ok((name, 0.0)),
                Value::Bool(b) => Ok((name, f64::from(u8::from(*b)))),
                Value::Text(t) => t
                    .trim()
                    .parse()
                    .map(|n| (name.clone(), n))
                    .map_err(|_| format!("{side}: `{name}` is not a number: {t}")),
                other => Err(format!("{side}: `{name}` is not a number: {other}")),
            }
        })
        .collect()
}

/// `row_count_match` and `aggregate_match`: each number of the lake's row against the source's, in column order.
pub fn compare(
    tolerance: Tolerance,
    source: &Answer,
    lake: &Answer,
    source_label: &str,
) -> Verdict {
    let s = match numbers(source, source_label) {
        Ok(s) => s,
        Err(e) => return Verdict::error(e),
    };
    let l = match numbers(lake, "the lake") {
        Ok(l) => l,
        Err(e) => return Verdict::error(e),
    };
    if s.len() != l.len() {
        return Verdict::error(format!(
            "{source_label} returned {} numbers and the lake {}: write the same columns on both sides",
            s.len(),
            l.len()
        ));
    }
    if s.is_empty() {
        return Verdict::error("the queries returned no column");
    }
    let mut columns = Vec::new();
    let mut failures = Vec::new();
    let mut worst: Option<(f64, f64, f64, f64)> = None; // (excess, source, lake, difference)
    for ((name, sv), (_, lv)) in s.iter().zip(&l) {
        let difference = lv - sv;
        let allowed = tolerance.allowed(*sv, *lv);
        let ok = difference.abs() <= allowed + f64::EPSILON * sv.abs().max(lv.abs());
        columns.push(json!({"column": name, "source": sv, "lake": lv, "difference": difference, "allowed": allowed, "ok": ok}));
        let excess = difference.abs() - allowed;
        if !ok {
            let pct = if *sv != 0.0 {
                format!(" ({:+.2}%)", difference / sv.abs() * 100.0)
            } else {
                String::new()
            };
            let label = if s.len() > 1 {
                format!("{name}: ")
            } else {
                String::new()
            };
            failures.push(format!(
                "{label}lake {} vs {source_label} {}, off by {}{pct}, more than the tolerance {tolerance}",
                num(*lv),
                num(*sv),
                signed(difference)
            ));
        }
        if worst.is_none_or(|w| excess > w.0) {
            worst = Some((excess, *sv, *lv, difference));
        }
    }
    let (_, sv, lv, difference) = worst.expect("at least one column");
    let detail = (s.len() > 1).then(|| json!({ "columns": columns }));
    if failures.is_empty() {
        let message = if s.len() == 1 {
            if difference == 0.0 {
                format!("lake {} = {source_label} {}", num(lv), num(sv))
            } else {
                format!(
                    "lake {} vs {source_label} {}, off by {}: within the tolerance {tolerance}",
                    num(lv),
                    num(sv),
                    signed(difference)
                )
            }
        } else {
            format!("all {} numbers match {source_label}", s.len())
        };
        Verdict {
            status: "pass",
            source_value: Some(sv),
            lake_value: Some(lv),
            difference: Some(difference),
            detail,
            message,
        }
    } else {
        Verdict {
            status: "fail",
            source_value: Some(sv),
            lake_value: Some(lv),
            difference: Some(difference),
            detail,
            message: failures.join("; "),
        }
    }
}

/// `not_null`: the answer is (rows, nulls).
pub fn not_null(tolerance: Tolerance, answer: &Answer, column: &str) -> Verdict {
    let n = match numbers(answer, "the lake") {
        Ok(n) if n.len() >= 2 => n,
        Ok(_) => return Verdict::error("the lake returned fewer numbers than expected"),
        Err(e) => return Verdict::error(e),
    };
    let (rows, nulls) = (n[0].1, n[1].1);
    let allowed = tolerance.allowed(rows, rows);
    let base = Verdict {
        status: "pass",
        source_value: None,
        lake_value: Some(nulls),
        difference: Some((nulls - allowed).max(0.0)),
        detail: Some(json!({"rows": rows, "nulls": nulls, "allowed": allowed})),
        message: String::new(),
    };
    if nulls <= allowed {
        Verdict {
            message: format!("{} NULL {column} in {} rows", num(nulls), num(rows)),
            ..base
        }
    } else {
        Verdict {
            status: "fail",
            message: format!(
                "{} of {} rows have no {column} (NULL), more than the tolerance {tolerance}",
                num(nulls),
                num(rows)
            ),
            ..base
        }
    }
}

/// `unique`: the answer is (duplicated keys, rows in them).
pub fn unique(tolerance: Tolerance, answer: &Answer, columns: &[String]) -> Verdict {
    let n = match numbers(answer, "the lake") {
        Ok(n) if n.len() >= 2 => n,
        Ok(_) => return Verdict::error("the lake returned fewer numbers than expected"),
        Err(e) => return Verdict::error(e),
    };
    let (keys, rows) = (n[0].1, n[1].1);
    let allowed = tolerance.allowed(rows, rows);
    let key = columns.join(", ");
    let base = Verdict {
        status: "pass",
        source_value: None,
        lake_value: Some(keys),
        difference: Some((keys - allowed).max(0.0)),
        detail: Some(json!({"duplicated_keys": keys, "rows": rows, "allowed": allowed})),
        message: format!("({key}) is unique"),
    };
    if keys <= allowed {
        if keys > 0.0 {
            return Verdict {
                message: format!(
                    "{} duplicated ({key}) keys: within the tolerance {tolerance}",
                    num(keys)
                ),
                ..base
            };
        }
        base
    } else {
        Verdict {
            status: "fail",
            message: format!(
                "{} ({key}) keys appear more than once ({} rows)",
                num(keys),
                num(rows)
            ),
            ..base
        }
    }
}

/// `freshness`: the answer is the newest value; naive timestamps are read as UTC.
pub fn freshness(
    answer: &Answer,
    column: &str,
    max_age: std::time::Duration,
    now: DateTime<Utc>,
) -> Verdict {
    let newest: Option<NaiveDateTime> = match answer.rows.first().and_then(|r| r.first()) {
        None | Some(Value::Null) => None,
        Some(Value::Time(t)) => Some(*t),
        Some(Value::Date(d)) => d.and_hms_opt(0, 0, 0),
        Some(Value::Text(t)) => {
            let text = t.trim();
            // Athena's `timestamp with time zone` reads as text ending in its zone (`… UTC`, `… Asia/Seoul`).
            let (t, zone) = match text.rsplit_once(' ') {
                Some((time, zone)) if zone.parse::<chrono_tz::Tz>().is_ok() => {
                    (time, zone.parse::<chrono_tz::Tz>().ok())
                }
                _ => (text, None),
            };
            let naive = NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f"))
                .ok()
                .or_else(|| {
                    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                        .ok()
                        .and_then(|d| d.and_hms_opt(0, 0, 0))
                });
            let parsed = match (naive, zone) {
                (Some(n), Some(z)) => n.and_local_timezone(z).earliest().map(|t| t.naive_utc()),
                (Some(n), None) => Some(n),
                (None, _) => DateTime::parse_from_rfc3339(t).ok().map(|t| t.naive_utc()),
            };
            if parsed.is_none() {
                return Verdict::error(format!("the newest {column} is not a time: {text}"));
            }
            parsed
        }
        Some(other) => {
            return Verdict::error(format!("the newest {column} is not a time: {other}"));
        }
    };
    let max_hours = max_age.as_secs_f64() / 3600.0;
    let Some(newest) = newest else {
        return Verdict {
            status: "fail",
            source_value: None,
            lake_value: None,
            difference: None,
            detail: None,
            message: format!("the table has no {column} at all"),
        };
    };
    let age_hours = ((now.naive_utc() - newest).num_seconds() as f64 / 3600.0).max(0.0);
    let age_hours = (age_hours * 100.0).round() / 100.0;
    let detail = Some(
        json!({"newest": newest.format("%Y-%m-%d %H:%M:%S").to_string(), "max_age_hours": max_hours}),
    );
    if age_hours <= max_hours {
        Verdict {
            status: "pass",
            source_value: None,
            lake_value: Some(age_hours),
            difference: Some(0.0),
            detail,
            message: format!(
                "the newest {column} is {} UTC, {}h old",
                newest.format("%Y-%m-%d %H:%M"),
                num(age_hours)
            ),
        }
    } else {
        Verdict {
            status: "fail",
            source_value: None,
            lake_value: Some(age_hours),
            difference: Some(age_hours - max_hours),
            detail,
            message: format!(
                "the newest {column} is {} UTC, {}h old: more than {}h",
                newest.format("%Y-%m-%d %H:%M"),
                num(age_hours),
                num(max_hours)
            ),
        }
    }
}

/// `row_count_range`: the answer's first number within `min..=max`.
pub fn range(answer: &Answer, min: Option<f64>, max: Option<f64>) -> Verdict {
    let n = match numbers(answer, "the lake") {
        Ok(n) if !n.is_empty() => n[0].1,
        Ok(_) => return Verdict::error("the lake returned no number"),
        Err(e) => return Verdict::error(e),
    };
    let bounds = match (min, max) {
        (Some(lo), Some(hi)) => format!("{} to {}", num(lo), num(hi)),
        (Some(lo), None) => format!("at least {}", num(lo)),
        (None, Some(hi)) => format!("at most {}", num(hi)),
        (None, None) => "any".to_owned(),
    };
    let below = min.filter(|lo| n < *lo).map(|lo| n - lo);
    let above = max.filter(|hi| n > *hi).map(|hi| n - hi);
    let outside = below.or(above);
    Verdict {
        status: if outside.is_some() { "fail" } else { "pass" },
        source_value: None,
        lake_value: Some(n),
        difference: Some(outside.unwrap_or(0.0)),
        detail: Some(json!({"min": min, "max": max})),
        message: match outside {
            Some(_) => format!("{} rows, outside the expected {bounds}", num(n)),
            None => format!("{} rows, within {bounds}", num(n)),
        },
    }
}

/// `custom`: every row returned is a row that is wrong.
pub fn custom(answer: &Answer) -> Verdict {
    let n = answer.rows.len();
    if n == 0 {
        return Verdict {
            status: "pass",
            source_value: None,
            lake_value: Some(0.0),
            difference: Some(0.0),
            detail: None,
            message: "no row found".to_owned(),
        };
    }
    let sample: Vec<serde_json::Value> = answer
        .rows
        .iter()
        .take(5)
        .map(|r| {
            serde_json::Value::Object(
                r.iter()
                    .enumerate()
                    .map(|(i, v)| {
                        (
                            answer
                                .columns
                                .get(i)
                                .cloned()
                                .unwrap_or_else(|| format!("column {}", i + 1)),
                            serde_json::Value::String(crate::checks::cut(&v.to_string(), 200)),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let first = answer.rows[0]
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{}={v}", answer.columns.get(i).map_or("?", String::as_str)))
        .collect::<Vec<_>>()
        .join(", ");
    let count = if answer.truncated {
        format!("more than {}", num(n as f64))
    } else {
        num(n as f64)
    };
    Verdict {
        status: "fail",
        source_value: None,
        lake_value: Some(n as f64),
        difference: Some(n as f64),
        detail: Some(json!({"rows": sample, "truncated": answer.truncated})),
        message: format!("{count} rows that must not exist; the first: {first}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(n: f64) -> Answer {
        Answer {
            columns: vec!["count".into()],
            rows: vec![vec![Value::Num(n)]],
            truncated: false,
            bytes_scanned: None,
        }
    }

    #[test]
    fn numbers_are_written_as_people_read_them() {
        for (n, text) in [
            (1204.0, "1,204"),
            (-6.0, "-6"),
            (1_234_567.891, "1,234,567.891"),
            (0.5, "0.5"),
            (0.0, "0"),
        ] {
            assert_eq!(num(n), text, "{n}");
        }
    }

    #[test]
    fn a_count_matches_within_its_tolerance_and_fails_outside_it() {
        let cases = [
            (Tolerance::Absolute(0.0), 1204.0, 1204.0, "pass", "exact"),
            (
                Tolerance::Absolute(0.0),
                1204.0,
                1198.0,
                "fail",
                "one row off with none allowed",
            ),
            (
                Tolerance::Percent(1.0),
                1200.0,
                1190.0,
                "pass",
                "10 of 1% of 1200",
            ),
            (
                Tolerance::Percent(0.1),
                1200.0,
                1190.0,
                "fail",
                "10 above 0.1% of 1200",
            ),
            (
                Tolerance::Absolute(5.0),
                0.0,
                5.0,
                "pass",
                "absolute from zero",
            ),
            (
                Tolerance::Percent(10.0),
                0.0,
                3.0,
                "fail",
                "percent of an empty source is of the lake",
            ),
        ];
        for (tolerance, source, lake, status, case) in cases {
            let v = compare(tolerance, &one(source), &one(lake), "ERP");
            assert_eq!(v.status, status, "{case}: {}", v.message);
            assert_eq!(v.difference, Some(lake - source), "{case}");
        }
        let v = compare(Tolerance::Absolute(0.0), &one(1204.0), &one(1198.0), "ERP");
        assert_eq!(
            v.message,
            "lake 1,198 vs ERP 1,204, off by -6 (-0.50%), more than the tolerance 0"
        );
    }

    #[test]
    fn an_aggregate_compares_every_column_and_reports_the_worst() {
        let source = Answer {
            columns: vec!["orders".into(), "amount".into()],
            rows: vec![vec![Value::Num(10.0), Value::Num(1000.5)]],
            truncated: false,
            bytes_scanned: None,
        };
        let lake = Answer {
            rows: vec![vec![Value::Text("10".into()), Value::Num(990.5)]],
            ..source.clone()
        };
        let v = compare(Tolerance::Absolute(0.0), &source, &lake, "POS");
        assert_eq!(v.status, "fail");
        assert_eq!((v.source_value, v.lake_value), (Some(1000.5), Some(990.5)));
        assert!(
            v.message.starts_with("amount: lake 990.5 vs POS 1,000.5"),
            "{}",
            v.message
        );
        let columns = &v.detail.expect("detail")["columns"];
        assert_eq!(columns[0]["ok"], true);
        assert_eq!(columns[1]["ok"], false);
    }

    #[test]
    fn answers_that_are_not_numbers_are_errors_not_failures() {
        let empty = Answer::default();
        assert_eq!(
            compare(Tolerance::default(), &empty, &one(1.0), "ERP").status,
            "error"
        );
        let text = Answer {
            columns: vec!["n".into()],
            rows: vec![vec![Value::Text("많음".into())]],
            ..Answer::default()
        };
        let v = compare(Tolerance::default(), &one(1.0), &text, "ERP");
        assert_eq!(v.status, "error");
        assert!(v.message.contains("많음"), "{}", v.message);
    }

    #[test]
    fn freshness_ranges_and_custom_rows_have_verdicts() {
        let now = DateTime::parse_from_rfc3339("2026-12-06T10:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let newest = |t: &str| Answer {
            columns: vec!["max".into()],
            rows: vec![vec![Value::Text(t.into())]],
            ..Answer::default()
        };
        let day = std::time::Duration::from_secs(26 * 3600);
        assert_eq!(
            freshness(&newest("2026-12-05 12:00:00"), "updated_at", day, now).status,
            "pass"
        );
        let late = freshness(&newest("2026-12-04 12:00:00"), "updated_at", day, now);
        assert_eq!((late.status, late.lake_value), ("fail", Some(46.0)));
        assert_eq!(range(&one(50.0), Some(100.0), None).difference, Some(-50.0));
        assert_eq!(range(&one(150.0), Some(100.0), Some(200.0)).status, "pass");
        let rows = Answer {
            columns: vec!["order_id".into(), "amount".into()],
            rows: vec![vec![Value::Num(7.0), Value::Num(-3.0)]],
            ..Answer::default()
        };
        let v = custom(&rows);
        assert_eq!(v.status, "fail");
        assert_eq!(
            v.message,
            "1 rows that must not exist; the first: order_id=7, amount=-3"
        );
        assert_eq!(custom(&Answer::default()).status, "pass");
        // Athena's timestamp with time zone, an ISO time with its offset: read; text that is no time: an error.
        let zoned = freshness(
            &newest("2026-12-06 02:00:00.000 Asia/Seoul"),
            "updated_at",
            day,
            now,
        );
        assert_eq!((zoned.status, zoned.lake_value), ("pass", Some(17.0)));
        let iso = freshness(&newest("2026-12-05T19:00:00+09:00"), "updated_at", day, now);
        assert_eq!(iso.lake_value, Some(24.0));
        assert_eq!(
            freshness(&newest("어제"), "updated_at", day, now).status,
            "error"
        );
        // A query left with a GROUP BY returns rows, not a number: an error, not a comparison of the first.
        let grouped = Answer {
            columns: vec!["n".into()],
            rows: vec![vec![Value::Num(1.0)], vec![Value::Num(2.0)]],
            ..Answer::default()
        };
        assert_eq!(
            compare(Tolerance::default(), &grouped, &one(1.0), "ERP").status,
            "error"
        );
    }
}
