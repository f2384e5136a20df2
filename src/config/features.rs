//! `[usage]`, `[requests]` and `[superset]`: the single-setting sections of one feature each.

use super::Loader;

/// `[usage]` settings: the Athena query history.
#[derive(Debug, Clone)]
pub struct UsageConfig {
    /// `usage.max_sql_bytes`: SQL text kept per query, cut on a character boundary; 0 keeps none.
    pub max_sql_bytes: u32,
}

/// `[requests]` settings: the request channel.
#[derive(Debug, Clone, Default)]
pub struct RequestsConfig {
    /// `requests.channel_id`: a Teams channel id (`19:…@thread.tacv2`) whose messages become requirements, made a
    /// request channel at start. Empty: only channels where an admin typed `requests here`.
    pub channel_id: Option<String>,
}

/// `[chat]` settings: how Doberman talks.
#[derive(Debug, Clone, Default)]
pub struct ChatConfig {
    /// `chat.default_locale`: the language of answers when an activity carries no locale Doberman speaks, and of
    /// proactive cards in conversations that never said (`en-US` or `ko-KR`; default `en-US`).
    pub default_locale: crate::i18n::Lang,
}

/// Loads `[chat]`.
pub(super) fn load_chat(l: &mut Loader) -> ChatConfig {
    ChatConfig {
        default_locale: l.get("chat.default_locale", crate::i18n::Lang::En, |_| Ok(())),
    }
}

/// `[superset]` settings: where people go for deeper views.
#[derive(Debug, Clone)]
pub struct SupersetConfig {
    /// `superset.url`: Superset's base URL; cards link to its dashboards (by slug, e.g. `doberman-cost`). Empty:
    /// no links.
    pub url: Option<url::Url>,
}

/// The link to the Superset dashboard `slug` under `base` (`superset.url`), when Superset is configured.
pub fn dashboard_url(base: Option<&url::Url>, slug: &str) -> Option<String> {
    base.map(|u| {
        format!(
            "{}/superset/dashboard/{slug}/",
            u.as_str().trim_end_matches('/')
        )
    })
}

/// Loads `[usage]`.
pub(super) fn load_usage(l: &mut Loader) -> UsageConfig {
    UsageConfig {
        max_sql_bytes: l.get("usage.max_sql_bytes", 65_536, |n| {
            if *n <= 262_144 {
                Ok(())
            } else {
                Err("expected bytes from 0 to 262144 (Athena's own limit on a query)".into())
            }
        }),
    }
}

/// Loads `[superset]`.
pub(super) fn load_superset(l: &mut Loader) -> SupersetConfig {
    SupersetConfig {
        url: l.get("superset.url", None, |_| Ok(())),
    }
}

/// Loads `[requests]`.
pub(super) fn load_requests(l: &mut Loader) -> RequestsConfig {
    RequestsConfig {
        channel_id: l.get("requests.channel_id", None, |id: &Option<String>| match id {
            Some(id) if id.chars().any(char::is_whitespace) || id.contains(";messageid=") => Err(
                "expected a Teams channel id such as 19:…@thread.tacv2, without a thread (or type `requests \
                 here` in the channel instead)"
                    .to_owned(),
            ),
            _ => Ok(()),
        }),
    }
}
