//! `[teams]`: the bot's identity, whom it trusts and what it may call.

use std::net::SocketAddr;

use super::{Loader, Secret, Setting};

/// `[teams]` settings: the Bot Framework identity and the doors it keeps.
#[derive(Debug, Clone)]
pub struct TeamsConfig {
    /// `teams.app_id`: the bot's Microsoft App ID (Entra application id); inbound tokens must name it as their
    /// audience. Empty: not configured, and `/api/messages` refuses everything (unless `dev_mode`).
    pub app_id: String,
    /// `teams.app_password`: the app's client secret, for outbound tokens.
    pub app_password: Option<Secret>,
    /// `teams.tenant_id`: the tenant of a single-tenant bot, for the outbound token endpoint; `botframework.com`
    /// for a multi-tenant one.
    pub tenant_id: String,
    /// `teams.allowed_tenants`: tenants whose activities are accepted; empty accepts any.
    pub allowed_tenants: Vec<String>,
    /// `teams.openid_metadata_url`: the Bot Framework OpenID document that names the signing keys.
    pub openid_metadata_url: url::Url,
    /// `teams.token_url`: the outbound token endpoint, `{tenant_id}` already substituted.
    pub token_url: url::Url,
    /// `teams.allowed_service_urls`: URL prefixes the bot ever sends to (its token goes with each call).
    pub allowed_service_urls: Vec<url::Url>,
    /// `teams.admins`: Entra object ids of the people allowed to run admin commands.
    pub admins: Vec<String>,
    /// `teams.dev_mode`: no inbound or outbound auth, for the local Teams emulator; loopback only.
    pub dev_mode: bool,
    /// `teams.tenant_requests_per_second`: calls to the Bot Connector per second per tenant (Teams documents 50
    /// per app per tenant; older documents say 30). Each tenant is paced on its own.
    pub tenant_requests_per_second: u32,
    /// `teams.queue_mib`: memory for acknowledged activities waiting for their answer; past it `/api/messages`
    /// answers 503 with `Retry-After`.
    pub queue_mib: u32,
}

/// Teams' documented limit of Bot Connector requests per second per app per tenant (older documents say 30): the
/// default of `teams.tenant_requests_per_second`.
pub const TENANT_REQUESTS_PER_SECOND: u32 = 50;

/// Microsoft's documented Teams service hosts (public cloud and GCC).
pub const TEAMS_SERVICE_URLS: [&str; 3] = [
    "https://smba.trafficmanager.net/",
    "https://smba.onyx.prod.teams.trafficmanager.net/",
    "https://smba.infra.gcc.teams.microsoft.com/",
];

pub(super) fn load_teams(l: &mut Loader, listen: SocketAddr) -> TeamsConfig {
    let app_id: String = l.get("teams.app_id", String::new(), |id: &String| {
        if id.is_empty() || uuid::Uuid::try_parse(id).is_ok() {
            Ok(())
        } else {
            Err("expected a GUID such as 8f0c2e7a-4b1d-4c3e-9a55-2d6f1e0b7c11 (the Microsoft App ID of the bot's \
                 Entra registration)"
                .into())
        }
    });
    // Empty or blank is read as unset, so `app_id` without a real secret is refused below.
    let app_password: Option<Secret> = l.get("teams.app_password", None, |_| Ok(()));
    let tenant_id: String = l.get("teams.tenant_id", "botframework.com".to_owned(), |t| {
        if !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
        {
            Ok(())
        } else {
            Err("expected a tenant id (GUID) or domain such as botframework.com".into())
        }
    });
    let allowed_tenants = l.get("teams.allowed_tenants", Vec::new(), |_| Ok(()));
    let openid_metadata_url = l.get(
        "teams.openid_metadata_url",
        url::Url::parse("https://login.botframework.com/v1/.well-known/openidconfiguration")
            .expect("the built-in OpenID URL is valid"),
        |_| Ok(()),
    );
    let token_template: String = l.get(
        "teams.token_url",
        "https://login.microsoftonline.com/{tenant_id}/oauth2/v2.0/token".to_owned(),
        |_| Ok(()),
    );
    let token_url = match url::Url::from_env(&token_template.replace("{tenant_id}", &tenant_id)) {
        Ok(url) => url,
        Err(_) => {
            l.problem(
                "teams.token_url",
                "expected an http:// or https:// URL ({tenant_id} is replaced by teams.tenant_id)",
            );
            url::Url::parse("https://login.microsoftonline.com/").expect("valid")
        }
    };
    let allowed_service_urls = l.get(
        "teams.allowed_service_urls",
        TEAMS_SERVICE_URLS
            .iter()
            .map(|u| url::Url::parse(u).expect("the built-in service URLs are valid"))
            .collect(),
        |urls: &Vec<url::Url>| {
            if urls.is_empty() {
                Err("expected at least one URL prefix: the bot could not answer anyone".into())
            } else {
                Ok(())
            }
        },
    );
    let admins = l.get("teams.admins", Vec::new(), |_| Ok(()));
    let dev_mode = l.get("teams.dev_mode", false, |_| Ok(()));
    if dev_mode && (!app_id.is_empty() || app_password.is_some()) {
        let set = if app_id.is_empty() {
            "teams.app_password"
        } else {
            "teams.app_id"
        };
        l.problem(
            "teams.dev_mode",
            format!(
                "development mode turns authentication off, and {set} is set: this is a production configuration \
                 (unset one or the other)"
            ),
        );
    } else if dev_mode && !listen.ip().is_loopback() {
        l.problem(
            "teams.dev_mode",
            format!("development mode turns authentication off, so it needs a loopback http.listen, not {listen}"),
        );
    }
    let tenant_requests_per_second = l.get(
        "teams.tenant_requests_per_second",
        TENANT_REQUESTS_PER_SECOND,
        |n| {
            if (1..=10_000).contains(n) {
                Ok(())
            } else {
                Err("expected 1 to 10000 requests per second".into())
            }
        },
    );
    let queue_mib = l.get("teams.queue_mib", 64, |n| {
        if (1..=16_384).contains(n) {
            Ok(())
        } else {
            Err("expected 1 to 16384 MiB".into())
        }
    });
    TeamsConfig {
        app_id,
        app_password,
        tenant_id,
        allowed_tenants,
        openid_metadata_url,
        token_url,
        allowed_service_urls,
        admins,
        dev_mode,
        tenant_requests_per_second,
        queue_mib,
    }
}

impl TeamsConfig {
    /// What keeps `serve` from answering in Teams with this configuration (checked by `serve` and
    /// `check-config`, not by commands that only package or read, like `manifest`).
    pub fn serving_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !self.dev_mode && !self.app_id.is_empty() && self.app_password.is_none() {
            problems.push(
                "teams.app_password: required when teams.app_id is set: Doberman needs it to answer (set \
                 DOBERMAN_TEAMS__APP_PASSWORD)"
                    .to_owned(),
            );
        }
        problems
    }
}
