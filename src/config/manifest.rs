//! `[manifest]`: what the Teams app package says of itself.

use super::Loader;

/// `[manifest]` settings: what `doberman manifest` writes into the Teams app package besides the commands.
#[derive(Debug, Clone)]
pub struct ManifestConfig {
    /// `manifest.id`: the Teams app's id (a GUID), kept across versions so an upload updates the app. Empty: the
    /// bot's `teams.app_id`.
    pub id: Option<uuid::Uuid>,
    /// `manifest.name`: the app's short name in Teams (at most 30 characters).
    pub name: String,
    /// `manifest.developer_name`: who publishes it, shown on the app's page.
    pub developer_name: String,
    /// `manifest.website_url`: the publisher's page (https); required to make a package.
    pub website_url: Option<url::Url>,
    /// `manifest.privacy_url`: the privacy statement (https). Empty: `website_url`.
    pub privacy_url: Option<url::Url>,
    /// `manifest.terms_url`: the terms of use (https). Empty: `website_url`.
    pub terms_url: Option<url::Url>,
    /// `manifest.valid_domains`: further domains the app opens (the host of `superset.url` is always in).
    pub valid_domains: Vec<String>,
}

/// Loads `[manifest]`.
pub(super) fn load_manifest(l: &mut Loader) -> ManifestConfig {
    let https = |url: &Option<url::Url>| match url {
        Some(u) if u.scheme() != "https" => Err("Teams takes https:// URLs only".to_owned()),
        _ => Ok(()),
    };
    ManifestConfig {
        id: l.get("manifest.id", None, |_| Ok(())),
        name: l.get("manifest.name", "Doberman".to_owned(), |n: &String| {
            if (1..=30).contains(&n.chars().count()) {
                Ok(())
            } else {
                Err("expected 1 to 30 characters (the manifest's name.short)".into())
            }
        }),
        developer_name: l.get(
            "manifest.developer_name",
            "Data platform team".to_owned(),
            |n: &String| {
                if (1..=32).contains(&n.chars().count()) {
                    Ok(())
                } else {
                    Err("expected 1 to 32 characters".into())
                }
            },
        ),
        website_url: l.get("manifest.website_url", None, https),
        privacy_url: l.get("manifest.privacy_url", None, https),
        terms_url: l.get("manifest.terms_url", None, https),
        valid_domains: l.get(
            "manifest.valid_domains",
            Vec::new(),
            |domains: &Vec<String>| match domains.iter().find(|d| {
                d.is_empty()
                    || d.contains("://")
                    || d.contains('/')
                    || !d.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*'))
            }) {
                Some(d) => Err(format!(
                    "`{d}` is not a domain (a host name such as superset.example.com, no scheme or path)"
                )),
                None => Ok(()),
            },
        ),
    }
}
