//! The Bot Framework protocol, by hand: activity types, inbound token validation, and the connector client that
//! answers. Protocol only: no store, no commands.

pub mod activity;
pub mod auth;
pub mod connector;
pub mod webhook;

pub use activity::{Activity, Attachment, ChannelAccount, ConversationAccount};
pub use auth::{AuthError, TokenValidator, VerifiedToken};
pub use connector::{Answer, ConnectorClient, ConnectorError, ResourceResponse};

/// The HTTP client of every outbound call (connector, webhooks, the dead-man's switch, OpenID metadata): it
/// never follows a redirect, since a redirect would carry a card, and to the connector Doberman's token, to an
/// address nobody allowed.
pub fn http_client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(std::time::Duration::from_secs(5))
        .user_agent(concat!("Doberman/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Which service URLs Doberman sends to: its bearer token goes with every call, so an activity naming any other
/// URL is refused rather than answered (SSRF).
#[derive(Debug, Clone)]
pub struct ServiceUrlPolicy {
    prefixes: Vec<url::Url>,
    allow_loopback: bool,
}

impl ServiceUrlPolicy {
    /// Allows URLs under `prefixes` (same scheme, host and port; path prefix), plus loopback hosts when
    /// `allow_loopback` (development mode).
    pub fn new(prefixes: Vec<url::Url>, allow_loopback: bool) -> ServiceUrlPolicy {
        ServiceUrlPolicy {
            prefixes,
            allow_loopback,
        }
    }

    /// Whether `service_url` may be sent to.
    pub fn allows(&self, service_url: &str) -> bool {
        let Ok(url) = url::Url::parse(service_url) else {
            return false;
        };
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
            return false;
        }
        if self.allow_loopback && is_loopback_host(&url) {
            return true;
        }
        self.prefixes.iter().any(|prefix| {
            prefix.scheme() == url.scheme()
                && prefix.host() == url.host()
                && prefix.port_or_known_default() == url.port_or_known_default()
                && url.path().starts_with(prefix.path())
        })
    }
}

fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(loopback: bool) -> ServiceUrlPolicy {
        ServiceUrlPolicy::new(
            crate::config::TEAMS_SERVICE_URLS
                .iter()
                .map(|u| url::Url::parse(u).unwrap())
                .collect(),
            loopback,
        )
    }

    #[test]
    fn service_url_policy_cases() {
        let cases = [
            (
                "https://smba.trafficmanager.net/amer/tenant/",
                false,
                true,
                "Microsoft's host",
            ),
            (
                "https://SMBA.trafficmanager.net/emea/",
                false,
                true,
                "host case does not matter",
            ),
            (
                "https://smba.trafficmanager.net:443/amer/",
                false,
                true,
                "explicit default port",
            ),
            (
                "http://smba.trafficmanager.net/amer/",
                false,
                false,
                "plain http to Microsoft's host",
            ),
            (
                "https://smba.trafficmanager.net.evil.com/amer/",
                false,
                false,
                "suffix attack",
            ),
            (
                "https://evil.com/smba.trafficmanager.net/",
                false,
                false,
                "host in the path",
            ),
            ("https://user@evil.com/", false, false, "userinfo trick"),
            (
                "https://smba.trafficmanager.net:8443/amer/",
                false,
                false,
                "other port",
            ),
            (
                "http://127.0.0.1:56150/_connector",
                false,
                false,
                "loopback outside dev mode",
            ),
            (
                "http://127.0.0.1:56150/_connector",
                true,
                true,
                "loopback in dev mode",
            ),
            (
                "http://localhost:1/_connector",
                true,
                true,
                "localhost in dev mode",
            ),
            ("http://[::1]:1/", true, true, "IPv6 loopback in dev mode"),
            (
                "http://10.0.0.1/",
                true,
                false,
                "a private address is not loopback",
            ),
            ("file:///etc/passwd", true, false, "not http"),
            ("not a url", true, false, "garbage"),
        ];
        for (url, loopback, allowed, case) in cases {
            assert_eq!(policy(loopback).allows(url), allowed, "{case}: {url}");
        }
    }
}
