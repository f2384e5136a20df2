//! The clock every part of Doberman reads: the system's, unless `DOBERMAN_NOW` sets where it starts.
//!
//! `DOBERMAN_NOW=2028-02-29T23:30:00+09:00` starts the clock at that instant when the process first reads it,
//! and lets it run from there at the normal rate. The whole program — and the test suite — can then be run as
//! if on a given day: the 1st of a month, 29 February, New Year's Eve, a daylight-saving change. It is for
//! tests and demonstrations; `serve` logs it loudly when set.

use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};

/// The environment variable that sets the clock's start.
pub const NOW_VAR: &str = "DOBERMAN_NOW";

static OFFSET: OnceLock<Duration> = OnceLock::new();

/// The current time.
pub fn now() -> DateTime<Utc> {
    Utc::now() + offset()
}

/// How far the clock is from the system's: zero unless [`NOW_VAR`] is set.
pub fn offset() -> Duration {
    *OFFSET.get_or_init(|| match std::env::var(NOW_VAR) {
        Ok(value) if !value.trim().is_empty() => match parse(&value) {
            Ok(start) => start - Utc::now(),
            // Read once, before anything is dated: a wrong value must not run the program on the wrong day.
            Err(e) => {
                eprintln!("doberman: {NOW_VAR}: {e}");
                std::process::exit(2);
            }
        },
        _ => Duration::zero(),
    })
}

/// Whether the clock was moved by [`NOW_VAR`].
pub fn is_set() -> bool {
    offset() != Duration::zero()
}

fn parse(value: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(value.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            format!("{e}: expected a time with its offset, like 2028-02-29T23:30:00+09:00")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_is_read_with_its_offset_and_nonsense_is_refused() {
        assert_eq!(
            parse("2028-02-29T23:30:00+09:00").unwrap().to_rfc3339(),
            "2028-02-29T14:30:00+00:00"
        );
        let e = parse("2028-02-30").unwrap_err();
        assert!(e.contains("like 2028-02-29T23:30:00+09:00"), "{e}");
    }
}
