//! Numbers, money, dates and times written the current language's way, their patterns from the catalogs
//! (`locales/*/fmt.ftl`): `2026-11-25 18:00 KST (3h ago)`, `2026년 11월 25일 18:00 KST (3시간 전)`.

use chrono::{DateTime, NaiveDate, Utc};

use crate::t;

/// ASCII digits with a comma every three from the right: `1234567` → `1,234,567` (both languages group so).
pub fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count with thousands separators: `1,234,567`, `-12`.
pub fn count(n: i64) -> String {
    let out = group_thousands(&n.unsigned_abs().to_string());
    if n < 0 { format!("-{out}") } else { out }
}

/// A number: whole ones grouped (`1,234`), others with up to two decimals (`1,234.5`), at least `min_decimals`.
pub fn number(value: f64, min_decimals: Option<usize>) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let min = min_decimals.unwrap_or(0).min(6);
    let decimals = min.max(2);
    let scaled = (value.abs() * 10f64.powi(decimals as i32)).round() as u128;
    let unit = 10u128.pow(decimals as u32);
    let (whole, mut frac) = (scaled / unit, format!("{:0decimals$}", scaled % unit));
    while frac.len() > min && frac.ends_with('0') {
        frac.pop();
    }
    let sign = if value < 0.0 && scaled != 0 { "-" } else { "" };
    let whole = group_thousands(&whole.to_string());
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    }
}

/// Decimal places a currency is written with: none for the won and the yen.
pub fn currency_decimals(currency: &str) -> usize {
    match currency {
        "KRW" | "JPY" => 0,
        _ => 2,
    }
}

/// Money with its currency: `USD 62.50`, `KRW 1,234,567`; in Korean the won is `1,234,567원`.
pub fn money(amount: f64, currency: &str) -> String {
    let decimals = currency_decimals(currency);
    let scale = 10f64.powi(decimals as i32);
    let units = (amount * scale).round() as i64;
    let sign = if units < 0 { "-" } else { "" };
    let units = units.unsigned_abs();
    let whole = count((units / scale as u64) as i64);
    let figure = if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!(
            "{sign}{whole}.{:0decimals$}",
            units % scale as u64,
            decimals = decimals
        )
    };
    t!("fmt-money", currency = currency, amount = figure)
}

/// How long ago, for people: `just now`, `5m ago`, `3h ago`, `2d ago` (`in 5m` for the future); `방금`, `5분 전`.
pub fn ago(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - at).num_seconds();
    let (future, s) = (seconds < 0, seconds.unsigned_abs());
    let span = match s {
        0..60 => return t!("fmt-just-now"),
        60..3600 => t!("fmt-span-minutes", n = s / 60),
        3600..86_400 => t!("fmt-span-hours", n = s / 3600),
        _ => t!("fmt-span-days", n = s / 86_400),
    };
    if future {
        t!("fmt-in", span = span)
    } else {
        t!("fmt-ago", span = span)
    }
}

/// A span of time, short: `45m`, `3h`, `2d` / `45분`, `3시간`, `2일`.
pub fn span(d: chrono::Duration) -> String {
    let s = d.num_seconds().unsigned_abs();
    match s {
        0..3600 => t!("fmt-span-minutes", n = s / 60),
        3600..86_400 => t!("fmt-span-hours", n = s / 3600),
        _ => t!("fmt-span-days", n = s / 86_400),
    }
}

/// A time in `tz`: `2026-11-25 18:00 KST` / `2026년 11월 25일 18:00 KST`.
pub fn time(at: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    at.with_timezone(&tz)
        .format(&t!("fmt-datetime-pattern"))
        .to_string()
}

/// A time for people in `tz`, with how long ago: `2026-11-25 18:00 KST (3h ago)`.
pub fn when(at: DateTime<Utc>, now: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    t!("fmt-when", time = time(at, tz), ago = ago(at, now))
}

/// A day: `2026-11-25` / `2026년 11월 25일`.
pub fn day(d: NaiveDate) -> String {
    d.format(&t!("fmt-date-pattern")).to_string()
}

/// A month: `November 2026` / `2026년 11월`.
pub fn month(first: NaiveDate) -> String {
    use chrono::Datelike;
    t!(
        "fmt-month",
        year = first.year().to_string(),
        month = first.month() as i64
    )
}
