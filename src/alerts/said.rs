//! What an alert says, as the store keeps it: its title and detail are written by the rules as stored messages
//! ([`Msg`]) and drawn when a card is drawn, in the language of the conversation it goes to, its times in
//! `schedule.timezone` — so one alert reads in Korean in one chat and in English in another.
//!
//! A stored text is one of:
//! - a message (`{"msg": …}`, [`Msg::to_stored`]), whose text arguments may themselves be stored texts (a span, an
//!   amount of money, a check's verdict): they are drawn first, in the same language;
//! - pieces joined (`{"join": [...], "sep": " · "}`, [`joined`]): a detail of several parts, each a stored text;
//! - anything else: plain text (data, and alerts written before), shown as it is ([`Msg::render_stored`]).
//!
//! The lifecycle compares the stored forms to tell a changed alert from a repeated one: they hold instants and
//! figures, not words, so an alert found again as it was is stored the same.

use crate::i18n::Msg;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// `msg` as the store keeps it.
pub fn stored(msg: &Msg) -> String {
    msg.to_stored()
}

/// Stored texts shown one after another with `sep` between them, as the store keeps them.
pub fn joined(pieces: &[String], sep: &str) -> String {
    crate::i18n::joined(pieces, sep)
}

/// A stored text written in the current language, its times in `tz` with how long before `now`.
pub fn draw(stored: &str, now: DateTime<Utc>, tz: Tz) -> String {
    crate::i18n::draw_stored(stored, now, tz)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, sync_scope};
    use chrono::TimeZone;

    #[test]
    fn a_stored_text_is_drawn_in_the_current_language_with_its_pieces() {
        let at = Utc.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap();
        let now = at + chrono::Duration::hours(3);
        let every = stored(&Msg::new("fmt-span-hours").num("n", 26.0));
        let detail = joined(
            &[
                stored(
                    &Msg::new("alerts-freshness-stale-detail")
                        .time("at", at)
                        .text("every", every)
                        .text("how", "configured"),
                ),
                "plain data".to_owned(),
            ],
            " · ",
        );
        let seoul = chrono_tz::Asia::Seoul;

        let en = sync_scope(Lang::En, || draw(&detail, now, seoul));
        let ko = sync_scope(Lang::Ko, || draw(&detail, now, seoul));

        assert_eq!(
            en,
            "Last changed 2026-11-25 09:00 KST (3h ago); expected every 26h (configured) · plain data"
        );
        assert_eq!(
            ko,
            "마지막 변경 2026년 11월 25일 09:00 KST (3시간 전); 예상 주기 26시간 (설정값) · plain data"
        );
        assert_eq!(draw("written before", now, seoul), "written before");
    }
}
