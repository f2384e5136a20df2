//! What a check's answers mean: pass or fail, the numbers on each side, how far apart, and a sentence that says
//! it. Pure: the answers in, the verdict out. The sentence is a message of the catalogs ([`Msg`], `checks-verdict-*`),
//! stored as such and written in the language of whoever reads it.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::json;

use super::{Answer, Value};
use crate::config::checks::Tolerance;
use crate::i18n::Msg;

/// Which side of a check a message is about: the lake, or the system of record named by its label (its host, or
/// Athena). The catalogs' messages choose their words by it (`where` and `side`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where<'a> {
    /// The lake.
    Lake,
    /// The source, by its label.
    Source(&'a str),
}

impl Where<'_> {
    /// `msg` about this side.
    pub fn on(self, msg: Msg) -> Msg {
        match self {
            Where::Lake => msg.text("where", "lake").text("side", ""),
            Where::Source(label) => msg.text("where", "source").text("side", label),
        }
    }
}

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
    /// In words, written when read.
    pub message: Msg,
}

impl Verdict {
    /// The check could not tell, and `message` says why.
    pub fn error(message: Msg) -> Verdict {
        Verdict {
            status: "error",
            source_value: None,
            lake_value: None,
            difference: None,
            detail: None,
            message,
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
fn numbers(answer: &Answer, side: Where<'_>) -> Result<Vec<(String, f64)>, Msg> {
    let Some(row) = answer.rows.first() else {
        return Err(side.on(Msg::new("checks-verdict-no-row")));
    };
    if answer.truncated || answer.rows.len() > 1 {
        return Err(side.on(Msg::new("checks-verdict-many-rows")));
    }
    let not_a_number = |name: &str, value: String| {
        side.on(Msg::new("checks-verdict-not-a-number")
            .text("column", name)
            .text("value", value))
    };
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
                    .map_err(|_| not_a_number(&name, t.clone())),
                other => Err(not_a_number(&name, other.to_string())),
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
    let s = match numbers(source, Where::Source(source_label)) {
        Ok(s) => s,
        Err(e) => return Verdict::error(e),
    };
    let l = match numbers(lake, Where::Lake) {
        Ok(l) => l,
        Err(e) => return Verdict::error(e),
    };
    if s.len() != l.len() {
        return Verdict::error(
            Msg::new("checks-verdict-count-mismatch")
                .text("side", source_label)
                .text("source", s.len().to_string())
                .text("lake", l.len().to_string()),
        );
    }
    if s.is_empty() {
        return Verdict::error(Msg::new("checks-verdict-no-column"));
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
            failures.push(
                Msg::new("checks-verdict-off")
                    .text("label", label)
                    .text("lake", num(*lv))
                    .text("side", source_label)
                    .text("source", num(*sv))
                    .text("diff", signed(difference))
                    .text("pct", pct)
                    .text("tolerance", tolerance.to_string()),
            );
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
                Msg::new("checks-verdict-equal")
                    .text("lake", num(lv))
                    .text("side", source_label)
                    .text("source", num(sv))
            } else {
                Msg::new("checks-verdict-within")
                    .text("lake", num(lv))
                    .text("side", source_label)
                    .text("source", num(sv))
                    .text("diff", signed(difference))
                    .text("tolerance", tolerance.to_string())
            }
        } else {
            Msg::new("checks-verdict-all-match")
                .text("n", s.len().to_string())
                .text("side", source_label)
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
        // The first column off, and how many more are (each one's numbers are in the detail).
        let more = failures.len() - 1;
        let mut message = failures.swap_remove(0);
        if more > 0 {
            message.id = "checks-verdict-off-more".to_owned();
            message = message.num("more", more as f64);
        }
        Verdict {
            status: "fail",
            source_value: Some(sv),
            lake_value: Some(lv),
            difference: Some(difference),
            detail,
            message,
        }
    }
}

/// `not_null`: the answer is (rows, nulls).
pub fn not_null(tolerance: Tolerance, answer: &Answer, column: &str) -> Verdict {
    let n = match numbers(answer, Where::Lake) {
        Ok(n) if n.len() >= 2 => n,
        Ok(_) => return Verdict::error(Msg::new("checks-verdict-fewer-numbers")),
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
        message: Msg::new("checks-verdict-nulls-ok")
            .text("nulls", num(nulls))
            .text("column", column)
            .text("rows", num(rows)),
    };
    if nulls <= allowed {
        base
    } else {
        Verdict {
            status: "fail",
            message: Msg::new("checks-verdict-nulls-fail")
                .text("nulls", num(nulls))
                .text("rows", num(rows))
                .text("column", column)
                .text("tolerance", tolerance.to_string()),
            ..base
        }
    }
}

/// `unique`: the answer is (duplicated keys, rows in them).
pub fn unique(tolerance: Tolerance, answer: &Answer, columns: &[String]) -> Verdict {
    let n = match numbers(answer, Where::Lake) {
        Ok(n) if n.len() >= 2 => n,
        Ok(_) => return Verdict::error(Msg::new("checks-verdict-fewer-numbers")),
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
        message: Msg::new("checks-verdict-unique").text("key", key.clone()),
    };
    if keys <= allowed {
        if keys > 0.0 {
            return Verdict {
                message: Msg::new("checks-verdict-dupes-ok")
                    .text("keys", num(keys))
                    .text("key", key)
                    .text("tolerance", tolerance.to_string()),
                ..base
            };
        }
        base
    } else {
        Verdict {
            status: "fail",
            message: Msg::new("checks-verdict-dupes")
                .text("keys", num(keys))
                .text("key", key)
                .text("rows", num(rows)),
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
                return Verdict::error(
                    Msg::new("checks-verdict-not-a-time")
                        .text("column", column)
                        .text("value", text),
                );
            }
            parsed
        }
        Some(other) => {
            return Verdict::error(
                Msg::new("checks-verdict-not-a-time")
                    .text("column", column)
                    .text("value", other.to_string()),
            );
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
            message: Msg::new("checks-verdict-no-time").text("column", column),
        };
    };
    let age_hours = ((now.naive_utc() - newest).num_seconds() as f64 / 3600.0).max(0.0);
    let age_hours = (age_hours * 100.0).round() / 100.0;
    let detail = Some(
        json!({"newest": newest.format("%Y-%m-%d %H:%M:%S").to_string(), "max_age_hours": max_hours}),
    );
    let said = |id: &str| {
        Msg::new(id)
            .text("column", column)
            .text("newest", newest.format("%Y-%m-%d %H:%M").to_string())
            .text("age", num(age_hours))
    };
    if age_hours <= max_hours {
        Verdict {
            status: "pass",
            source_value: None,
            lake_value: Some(age_hours),
            difference: Some(0.0),
            detail,
            message: said("checks-verdict-fresh"),
        }
    } else {
        Verdict {
            status: "fail",
            source_value: None,
            lake_value: Some(age_hours),
            difference: Some(age_hours - max_hours),
            detail,
            message: said("checks-verdict-stale").text("max", num(max_hours)),
        }
    }
}

/// `row_count_range`: the answer's first number within `min..=max`.
pub fn range(answer: &Answer, min: Option<f64>, max: Option<f64>) -> Verdict {
    let n = match numbers(answer, Where::Lake) {
        Ok(n) if !n.is_empty() => n[0].1,
        Ok(_) => return Verdict::error(Msg::new("checks-verdict-no-number")),
        Err(e) => return Verdict::error(e),
    };
    let bounds = match (min, max) {
        (Some(_), Some(_)) => "both",
        (Some(_), None) => "min",
        (None, Some(_)) => "max",
        (None, None) => "any",
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
        message: Msg::new(if outside.is_some() {
            "checks-verdict-range-out"
        } else {
            "checks-verdict-range-in"
        })
        .text("n", num(n))
        .text("bounds", bounds)
        .text("min", min.map(num).unwrap_or_default())
        .text("max", max.map(num).unwrap_or_default()),
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
            message: Msg::new("checks-verdict-no-bad-row"),
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
    Verdict {
        status: "fail",
        source_value: None,
        lake_value: Some(n as f64),
        difference: Some(n as f64),
        detail: Some(json!({"rows": sample, "truncated": answer.truncated})),
        message: Msg::new("checks-verdict-bad-rows")
            .num("n", n as f64)
            .text("truncated", if answer.truncated { "yes" } else { "no" })
            .text("first", first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, sync_scope};

    /// The verdict's sentence as `lang` reads it.
    fn said_in(lang: Lang, v: &Verdict) -> String {
        sync_scope(lang, || v.message.render(Utc::now(), chrono_tz::UTC))
    }

    /// The verdict's sentence in English.
    fn said(v: &Verdict) -> String {
        said_in(Lang::En, v)
    }

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
            assert_eq!(v.status, status, "{case}: {}", said(&v));
            assert_eq!(v.difference, Some(lake - source), "{case}");
        }
        let v = compare(Tolerance::Absolute(0.0), &one(1204.0), &one(1198.0), "ERP");
        assert_eq!(
            said(&v),
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
            said(&v).starts_with("amount: lake 990.5 vs POS 1,000.5"),
            "{}",
            said(&v)
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
        assert!(said(&v).contains("많음"), "{}", said(&v));
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
            said(&v),
            "1 row that must not exist; the first: order_id=7, amount=-3"
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

    #[test]
    fn every_verdict_is_a_stored_message_written_in_the_readers_language() {
        let now = DateTime::parse_from_rfc3339("2026-12-06T10:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let two = |a: f64, b: f64| Answer {
            columns: vec!["orders".into(), "amount".into()],
            rows: vec![vec![Value::Num(a), Value::Num(b)]],
            ..Answer::default()
        };
        let newest = |t: &str| Answer {
            columns: vec!["max".into()],
            rows: vec![vec![Value::Text(t.into())]],
            ..Answer::default()
        };
        let day = std::time::Duration::from_secs(26 * 3600);
        let bad_rows = Answer {
            columns: vec!["order_id".into()],
            rows: vec![vec![Value::Num(7.0)], vec![Value::Num(8.0)]],
            truncated: true,
            ..Answer::default()
        };
        // (verdict, in English, in Korean)
        let cases: Vec<(Verdict, &str, &str)> = vec![
            (
                compare(Tolerance::Absolute(0.0), &one(1204.0), &one(1198.0), "erp"),
                "lake 1,198 vs erp 1,204, off by -6 (-0.50%), more than the tolerance 0",
                "레이크 1,198, erp 1,204: 차이 -6 (-0.50%)로 허용 오차(0)를 넘습니다",
            ),
            (
                compare(
                    Tolerance::Absolute(0.0),
                    &two(10.0, 100.0),
                    &two(9.0, 90.0),
                    "erp",
                ),
                "orders: lake 9 vs erp 10, off by -1 (-10.00%), more than the tolerance 0; 1 more column is off too",
                "orders: 레이크 9, erp 10: 차이 -1 (-10.00%)로 허용 오차(0)를 넘습니다. 다른 열 1개도 허용 오차를 넘습니다",
            ),
            (
                compare(Tolerance::Absolute(0.0), &one(5.0), &one(5.0), "erp"),
                "lake 5 = erp 5",
                "레이크 5 = erp 5",
            ),
            (
                compare(Tolerance::Percent(1.0), &one(1200.0), &one(1190.0), "erp"),
                "lake 1,190 vs erp 1,200, off by -10: within the tolerance 1%",
                "레이크 1,190, erp 1,200: 차이 -10, 허용 오차(1%) 이내",
            ),
            (
                compare(
                    Tolerance::Absolute(0.0),
                    &Answer::default(),
                    &one(1.0),
                    "erp",
                ),
                "erp returned no row: the query must return one row of numbers",
                "erp에서 행이 반환되지 않았습니다. 쿼리는 숫자로 된 행 하나를 반환해야 합니다",
            ),
            (
                compare(Tolerance::Absolute(0.0), &one(1.0), &two(1.0, 2.0), "erp"),
                "erp returned 1 numbers and the lake 2: write the same columns on both sides",
                "erp은(는) 숫자 1개, 레이크는 2개를 반환했습니다. 양쪽에 같은 열을 쓰십시오",
            ),
            (
                not_null(Tolerance::Absolute(0.0), &two(1198.0, 3.0), "customer_id"),
                "3 of 1,198 rows have no customer_id (NULL), more than the tolerance 0",
                "1,198행 중 3행에 customer_id 값이 없어(`NULL`) 허용 오차(0)를 넘습니다",
            ),
            (
                unique(
                    Tolerance::Absolute(0.0),
                    &two(2.0, 5.0),
                    &["order_id".into()],
                ),
                "2 (order_id) keys appear more than once (5 rows)",
                "(order_id) 키 2개가 두 번 이상 나옵니다(5행)",
            ),
            (
                freshness(&newest("2026-12-04 12:00:00"), "updated_at", day, now),
                "the newest updated_at is 2026-12-04 12:00 UTC, 46h old: more than 26h",
                "가장 최근 updated_at은(는) 2026-12-04 12:00 UTC로, 46시간 전입니다. 26시간을 넘었습니다",
            ),
            (
                range(&one(1200.0), Some(50_000.0), Some(200_000.0)),
                "1,200 rows, outside the expected 50,000 to 200,000",
                "1,200행으로 예상 범위(50,000~200,000)를 벗어났습니다",
            ),
            (
                range(&one(150.0), Some(100.0), None),
                "150 rows, within at least 100",
                "150행으로 범위(100 이상) 안에 있습니다",
            ),
            (
                custom(&bad_rows),
                "more than 2 rows that must not exist; the first: order_id=7",
                "있어서는 안 되는 행이 2개 넘게 있습니다. 첫 행: order_id=7",
            ),
            (
                custom(&Answer::default()),
                "no row found",
                "찾은 행이 없습니다",
            ),
        ];
        for (verdict, english, korean) in cases {
            let stored = verdict.message.to_stored();
            assert!(stored.starts_with("{\"msg\""), "{stored}");
            assert_eq!(said(&verdict), english);
            assert_eq!(said_in(Lang::Ko, &verdict), korean, "{english}");
            let read = sync_scope(Lang::Ko, || {
                Msg::render_stored(&stored, now, chrono_tz::UTC)
            });
            assert_eq!(read, korean, "stored and read back");
        }
    }
}
