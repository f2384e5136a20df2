//! `formatDateTime` with the .NET-style format strings Adaptive Expressions use, in UTC.

use chrono::{DateTime, Datelike, Timelike, Utc};

use super::expr::EvalError;

/// Parses an ISO 8601 timestamp (with `Z` or an offset; without one, UTC).
pub fn parse(s: &str) -> Result<DateTime<Utc>, EvalError> {
    if let Ok(at) = DateTime::parse_from_rfc3339(s) {
        return Ok(at.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(s, format) {
            return Ok(naive.and_utc());
        }
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(date
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc());
    }
    Err(EvalError(format!("`{s}` is not an ISO 8601 timestamp")))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Formats `at` (UTC) with a .NET-style pattern: `yyyy yy MMMM MMM MM M dddd ddd dd d HH H hh h mm m ss s fff ff f
/// tt`, `'literal'`, anything else as is.
pub fn format(at: &DateTime<Utc>, pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                out.push(chars[i]);
                i += 1;
            }
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|x| **x == c).count();
        let hour12 = match at.hour() % 12 {
            0 => 12,
            h => h,
        };
        let piece = match (c, run) {
            ('y', 4..) => format!("{:04}", at.year()),
            ('y', _) => format!("{:02}", at.year() % 100),
            ('M', 4..) => MONTHS[at.month0() as usize].to_owned(),
            ('M', 3) => MONTHS[at.month0() as usize][..3].to_owned(),
            ('M', 2) => format!("{:02}", at.month()),
            ('M', _) => at.month().to_string(),
            ('d', 4..) => DAYS[at.weekday().num_days_from_monday() as usize].to_owned(),
            ('d', 3) => DAYS[at.weekday().num_days_from_monday() as usize][..3].to_owned(),
            ('d', 2) => format!("{:02}", at.day()),
            ('d', _) => at.day().to_string(),
            ('H', 2..) => format!("{:02}", at.hour()),
            ('H', _) => at.hour().to_string(),
            ('h', 2..) => format!("{hour12:02}"),
            ('h', _) => hour12.to_string(),
            ('m', 2..) => format!("{:02}", at.minute()),
            ('m', _) => at.minute().to_string(),
            ('s', 2..) => format!("{:02}", at.second()),
            ('s', _) => at.second().to_string(),
            ('f', n) => format!("{:03}", at.timestamp_subsec_millis())[..n.min(3)].to_owned(),
            ('t', 2..) => if at.hour() < 12 { "AM" } else { "PM" }.to_owned(),
            ('t', _) => if at.hour() < 12 { "A" } else { "P" }.to_owned(),
            _ => c.to_string().repeat(run),
        };
        out.push_str(&piece);
        i += run;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_adaptive_expressions() {
        let at = parse("2026-11-25T21:05:03.120Z").unwrap();
        assert_eq!(
            format(&at, "yyyy-MM-ddTHH:mm:ss.fffZ"),
            "2026-11-25T21:05:03.120Z"
        );
        assert_eq!(format(&at, "yy/M/d h:m:s tt"), "26/11/25 9:5:3 PM");
        assert_eq!(
            format(&parse("2026-01-02T03:04:05Z").unwrap(), "dd MMM yyyy"),
            "02 Jan 2026"
        );
        assert_eq!(
            format(&parse("2026-11-25T09:00:00+09:00").unwrap(), "HH:mm"),
            "00:00"
        );
        assert_eq!(format(&at, "'at' HH'h'"), "at 21h");
        assert!(parse("yesterday").is_err());
    }
}
