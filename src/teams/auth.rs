//! Inbound authentication: the Bot Framework JWT on `POST /api/messages`, checked as Microsoft's
//! JwtTokenValidation does (see the ordered checks in `shared/notes/teams-protocol.md`).
//!
//! Keys come from the OpenID metadata document's `jwks_uri`, cached; an unknown `kid` refreshes them at most once
//! a minute, and they are refreshed at least daily.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, DecodingKey, Validation, errors::ErrorKind};
use serde::Deserialize;
use tokio::sync::{Mutex, RwLock};

/// The only issuer of Bot Framework channel tokens (public cloud).
pub const BOT_FRAMEWORK_ISSUER: &str = "https://api.botframework.com";
/// Clock skew allowed on `exp` and `nbf`.
pub const CLOCK_SKEW: Duration = Duration::from_secs(300);
/// Unknown `kid`s refresh the keys no more often than this.
const UNKNOWN_KID_REFRESH: Duration = Duration::from_secs(60);
/// After a failed fetch with no keys at hand, requests are refused at once for this long rather than each
/// waiting on an endpoint that is down.
const FAILED_FETCH_BACKOFF: Duration = Duration::from_secs(10);
/// Keys are refetched at least this often.
const MAX_KEY_AGE: Duration = Duration::from_secs(24 * 3600);

/// Why a request was not authenticated. Shown in logs, never to the caller (who gets a bare 401).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    /// No `Authorization` header.
    #[error("no Authorization header")]
    MissingHeader,
    /// Not exactly `Bearer <token>`.
    #[error("the Authorization header is not `Bearer <token>`")]
    MalformedHeader,
    /// Not a JWT.
    #[error("the token is not a well-formed JWT")]
    MalformedToken,
    /// `alg` other than RS256.
    #[error("the token's algorithm {0} is not RS256")]
    Algorithm(String),
    /// No `kid` in the header.
    #[error("the token names no signing key (kid)")]
    MissingKeyId,
    /// `iss` is not the Bot Framework.
    #[error("the token's issuer is not {BOT_FRAMEWORK_ISSUER}")]
    Issuer,
    /// The `kid` is not among the published keys, even after a refresh.
    #[error("the signing key {0} is not published in the Bot Framework key set")]
    UnknownKey(String),
    /// The signature does not verify.
    #[error("the token's signature is invalid")]
    Signature,
    /// `exp` passed (beyond the skew).
    #[error("the token has expired")]
    Expired,
    /// `nbf` in the future (beyond the skew).
    #[error("the token is not valid yet")]
    NotYetValid,
    /// `aud` is not this bot.
    #[error("the token's audience is not this bot's app id")]
    Audience,
    /// A required claim is missing or malformed.
    #[error("the token's claims are invalid: {0}")]
    Claims(String),
    /// The signing key is not endorsed for the activity's channel.
    #[error("the signing key is not endorsed for channel `{0}`")]
    NotEndorsed(String),
    /// No `serviceurl` claim.
    #[error("the token carries no serviceurl claim")]
    MissingServiceUrl,
    /// `serviceurl` differs from the activity's `serviceUrl`.
    #[error("the token's serviceurl does not match the activity's serviceUrl")]
    ServiceUrlMismatch,
    /// The keys could not be fetched.
    #[error("the Bot Framework signing keys could not be fetched: {0}")]
    KeysUnavailable(String),
    /// No app id is configured: nothing can be authenticated.
    #[error("teams.app_id is not configured")]
    NotConfigured,
}

/// What a verified token says, for the checks that need the activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    /// The `serviceurl` claim, if any.
    pub service_url: Option<String>,
    /// Channels the signing key is endorsed for (empty: any).
    pub endorsements: Vec<String>,
}

impl VerifiedToken {
    /// The checks that need the activity: key endorsement for its channel, and its `serviceUrl`.
    pub fn check_activity(
        &self,
        channel_id: Option<&str>,
        service_url: Option<&str>,
    ) -> Result<(), AuthError> {
        if !self.endorsements.is_empty() {
            let channel = channel_id.unwrap_or_default();
            if !self.endorsements.iter().any(|e| e == channel) {
                return Err(AuthError::NotEndorsed(channel.to_owned()));
            }
        }
        let claimed = self
            .service_url
            .as_deref()
            .ok_or(AuthError::MissingServiceUrl)?;
        let normal = |s: &str| s.trim_end_matches('/').to_ascii_lowercase();
        match service_url {
            Some(actual) if normal(actual) == normal(claimed) => Ok(()),
            _ => Err(AuthError::ServiceUrlMismatch),
        }
    }
}

#[derive(Debug, Deserialize)]
struct Claims {
    #[serde(default)]
    iss: Option<String>,
    #[serde(default)]
    serviceurl: Option<String>,
}

#[derive(Debug, Deserialize)]
struct OpenIdMetadata {
    jwks_uri: String,
}

#[derive(Debug, Deserialize)]
struct JwkSet {
    keys: Vec<Jwk>,
}

#[derive(Debug, Deserialize)]
struct Jwk {
    #[serde(default)]
    kid: Option<String>,
    kty: String,
    #[serde(default)]
    n: Option<String>,
    #[serde(default)]
    e: Option<String>,
    #[serde(default)]
    endorsements: Vec<String>,
}

struct Key {
    decoding: DecodingKey,
    endorsements: Vec<String>,
}

#[derive(Default)]
struct KeyCache {
    keys: HashMap<String, Key>,
    fetched_at: Option<Instant>,
    last_kid_refresh: Option<Instant>,
    /// The last failed fetch while no keys were at hand: when, and why.
    failed: Option<(Instant, String)>,
}

/// Validates inbound Bot Framework tokens.
pub struct TokenValidator {
    http: reqwest::Client,
    metadata_url: url::Url,
    audiences: Vec<String>,
    cache: RwLock<KeyCache>,
    refreshing: Mutex<()>,
}

impl std::fmt::Debug for TokenValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenValidator")
            .field("metadata_url", &self.metadata_url.as_str())
            .field("audiences", &self.audiences)
            .finish_non_exhaustive()
    }
}

impl TokenValidator {
    /// A validator for tokens addressed to `app_id`, with keys from `metadata_url`.
    pub fn new(http: reqwest::Client, metadata_url: url::Url, app_id: &str) -> TokenValidator {
        let audiences = if app_id.is_empty() {
            Vec::new()
        } else {
            // Newer Teams SDKs also accept the api:// forms of the app id.
            vec![
                app_id.to_owned(),
                format!("api://{app_id}"),
                format!("api://botid-{app_id}"),
            ]
        };
        TokenValidator {
            http,
            metadata_url,
            audiences,
            cache: RwLock::new(KeyCache::default()),
            refreshing: Mutex::new(()),
        }
    }

    /// Checks the `Authorization` header and the token in it; the activity checks follow with
    /// [`VerifiedToken::check_activity`].
    pub async fn verify(&self, authorization: Option<&str>) -> Result<VerifiedToken, AuthError> {
        if self.audiences.is_empty() {
            return Err(AuthError::NotConfigured);
        }
        let header = authorization.ok_or(AuthError::MissingHeader)?;
        let token = header
            .strip_prefix("Bearer ")
            .filter(|t| !t.is_empty() && !t.contains(' '))
            .ok_or(AuthError::MalformedHeader)?;
        let jwt_header =
            jsonwebtoken::decode_header(token).map_err(|_| AuthError::MalformedToken)?;
        if jwt_header.alg != Algorithm::RS256 {
            return Err(AuthError::Algorithm(format!("{:?}", jwt_header.alg)));
        }
        let kid = jwt_header.kid.ok_or(AuthError::MissingKeyId)?;
        // The issuer is checked before the signature, as the SDKs do.
        let unverified: Claims = jsonwebtoken::dangerous::insecure_decode_claims(token)
            .map_err(|_| AuthError::MalformedToken)?;
        if unverified.iss.as_deref() != Some(BOT_FRAMEWORK_ISSUER) {
            return Err(AuthError::Issuer);
        }
        self.ensure_fresh(&kid).await?;

        let cache = self.cache.read().await;
        let key = cache
            .keys
            .get(&kid)
            .ok_or_else(|| AuthError::UnknownKey(kid.clone()))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[BOT_FRAMEWORK_ISSUER]);
        validation.set_audience(&self.audiences);
        validation.leeway = CLOCK_SKEW.as_secs();
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "iss", "aud"]);
        let data = jsonwebtoken::decode::<Claims>(token, &key.decoding, &validation).map_err(
            |e| match e.kind() {
                ErrorKind::InvalidSignature => AuthError::Signature,
                ErrorKind::ExpiredSignature => AuthError::Expired,
                ErrorKind::ImmatureSignature => AuthError::NotYetValid,
                ErrorKind::InvalidAudience => AuthError::Audience,
                ErrorKind::InvalidIssuer => AuthError::Issuer,
                ErrorKind::InvalidAlgorithm => AuthError::Algorithm("mismatch".into()),
                ErrorKind::MissingRequiredClaim(claim) => {
                    AuthError::Claims(format!("{claim} is missing"))
                }
                ErrorKind::InvalidClaimFormat(claim) => {
                    AuthError::Claims(format!("{claim} is malformed"))
                }
                _ => AuthError::MalformedToken,
            },
        )?;
        Ok(VerifiedToken {
            service_url: data.claims.serviceurl,
            endorsements: key.endorsements.clone(),
        })
    }

    /// Fetches the keys when there are none, when they are a day old, or (at most once a minute) when `kid` is
    /// unknown.
    async fn ensure_fresh(&self, kid: &str) -> Result<(), AuthError> {
        // Why a refresh is due: no keys or day-old keys, or (rate-limited) a kid the current keys lack.
        let due = |cache: &KeyCache| {
            let stale = cache
                .fetched_at
                .is_none_or(|at| at.elapsed() >= MAX_KEY_AGE);
            let unknown = !cache.keys.contains_key(kid)
                && cache
                    .last_kid_refresh
                    .is_none_or(|at| at.elapsed() >= UNKNOWN_KID_REFRESH);
            (stale, unknown)
        };
        {
            let cache = self.cache.read().await;
            let (stale, unknown) = due(&cache);
            if !stale && !unknown {
                return Ok(());
            }
            if let Some((at, why)) = cache.failed.as_ref().filter(|_| cache.keys.is_empty())
                && at.elapsed() < FAILED_FETCH_BACKOFF
            {
                return Err(AuthError::KeysUnavailable(why.clone()));
            }
        }
        // One refresh at a time; whoever waited re-checks what the refresh brought.
        let _guard = self.refreshing.lock().await;
        let (stale, unknown) = due(&*self.cache.read().await);
        if !stale && !unknown {
            return Ok(());
        }
        let fetched = self.fetch_keys().await;
        let mut cache = self.cache.write().await;
        if !stale {
            // Only refreshes caused by unknown kids count against their rate limit.
            cache.last_kid_refresh = Some(Instant::now());
        }
        match fetched {
            Ok(keys) => {
                tracing::info!(keys = keys.len(), "fetched the Bot Framework signing keys");
                cache.keys = keys;
                cache.fetched_at = Some(Instant::now());
                cache.failed = None;
                Ok(())
            }
            Err(e) if !cache.keys.is_empty() => {
                // Keep serving with the keys we have; the next request tries again after the back-off.
                tracing::warn!(error = %e, "refreshing the Bot Framework signing keys failed; keeping the old ones");
                cache.fetched_at = Some(Instant::now() - MAX_KEY_AGE + UNKNOWN_KID_REFRESH);
                Ok(())
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot fetch the Bot Framework signing keys; refusing activities");
                cache.failed = Some((Instant::now(), e.clone()));
                Err(AuthError::KeysUnavailable(e))
            }
        }
    }

    async fn fetch_keys(&self) -> Result<HashMap<String, Key>, String> {
        let metadata: OpenIdMetadata = self.get_json(self.metadata_url.as_str()).await?;
        let set: JwkSet = self.get_json(&metadata.jwks_uri).await?;
        let mut keys = HashMap::new();
        for jwk in set.keys {
            let (Some(kid), "RSA", Some(n), Some(e)) = (jwk.kid, jwk.kty.as_str(), jwk.n, jwk.e)
            else {
                continue;
            };
            match DecodingKey::from_rsa_components(&n, &e) {
                Ok(decoding) => {
                    keys.insert(
                        kid,
                        Key {
                            decoding,
                            endorsements: jwk.endorsements,
                        },
                    );
                }
                Err(e) => tracing::warn!(%kid, error = %e, "skipping an unusable signing key"),
            }
        }
        if keys.is_empty() {
            return Err("the key set has no usable RSA keys".into());
        }
        Ok(keys)
    }

    async fn get_json<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, String> {
        let response = self
            .http
            .get(url)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map_err(|e| format!("GET {url}: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("GET {url}: HTTP {}", response.status()));
        }
        response.json().await.map_err(|e| format!("GET {url}: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(service_url: Option<&str>, endorsements: &[&str]) -> VerifiedToken {
        VerifiedToken {
            service_url: service_url.map(str::to_owned),
            endorsements: endorsements.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn service_urls_compare_without_case_or_trailing_slash() {
        let t = token(Some("https://smba.trafficmanager.net/amer/"), &["msteams"]);

        assert_eq!(
            t.check_activity(
                Some("msteams"),
                Some("https://SMBA.trafficmanager.net/amer")
            ),
            Ok(())
        );
        assert_eq!(
            t.check_activity(Some("msteams"), Some("https://evil.example/amer/")),
            Err(AuthError::ServiceUrlMismatch)
        );
        assert_eq!(
            t.check_activity(Some("msteams"), None),
            Err(AuthError::ServiceUrlMismatch)
        );
    }

    #[test]
    fn endorsements_restrict_channels_only_when_present() {
        assert_eq!(
            token(Some("https://x/"), &["webchat"])
                .check_activity(Some("msteams"), Some("https://x/")),
            Err(AuthError::NotEndorsed("msteams".into()))
        );
        assert_eq!(
            token(Some("https://x/"), &[]).check_activity(Some("msteams"), Some("https://x/")),
            Ok(())
        );
    }

    #[test]
    fn a_token_without_serviceurl_is_refused() {
        assert_eq!(
            token(None, &["msteams"]).check_activity(Some("msteams"), Some("https://x/")),
            Err(AuthError::MissingServiceUrl)
        );
    }
}
