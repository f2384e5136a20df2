//! `conversation_ref`: where Doberman may post.

use chrono::{DateTime, Utc};

use super::{BinText, Store, StoreError, on_pool};

/// What kind of conversation a reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationKind {
    /// A 1:1 chat with one person.
    Personal,
    /// A group chat.
    Group,
    /// A channel of a team.
    Channel,
}

impl ConversationKind {
    /// The value stored in `conversation_ref.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationKind::Personal => "personal",
            ConversationKind::Group => "group",
            ConversationKind::Channel => "channel",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "personal" => Some(ConversationKind::Personal),
            "group" => Some(ConversationKind::Group),
            "channel" => Some(ConversationKind::Channel),
            _ => None,
        }
    }
}

/// A conversation Doberman has heard from, with what it needs to post there later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationRef {
    /// Teams conversation id.
    pub conversation_id: String,
    /// Personal, group or channel.
    pub kind: ConversationKind,
    /// Bot Connector base URL for this conversation.
    pub service_url: String,
    /// Entra tenant id.
    pub tenant_id: Option<String>,
    /// Doberman's id in this conversation (`28:<app id>`).
    pub bot_id: Option<String>,
    /// Team id, for channels.
    pub team_id: Option<String>,
    /// Team name, for channels.
    pub team_name: Option<String>,
    /// Channel id, for channels.
    pub channel_id: Option<String>,
    /// Channel name, for channels.
    pub channel_name: Option<String>,
    /// The person's Teams id, for personal chats.
    pub user_id: Option<String>,
    /// The person's Entra object id, for personal chats.
    pub user_aad_object_id: Option<String>,
    /// The person's display name, for personal chats.
    pub user_name: Option<String>,
    /// Whether Doberman may post here.
    pub active: bool,
    /// Why it may not, when inactive.
    pub inactive_reason: Option<String>,
    /// When Doberman first heard from this conversation (UTC).
    pub first_seen_at: DateTime<Utc>,
    /// When Doberman last heard from it (UTC).
    pub last_seen_at: DateTime<Utc>,
    /// The locale of the last activity that carried one (BCP 47, `ko-KR`).
    pub locale: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    conversation_id: BinText,
    kind: String,
    service_url: String,
    tenant_id: Option<String>,
    bot_id: Option<String>,
    team_id: Option<BinText>,
    team_name: Option<String>,
    channel_id: Option<BinText>,
    channel_name: Option<String>,
    user_id: Option<BinText>,
    user_aad_object_id: Option<String>,
    user_name: Option<String>,
    active: bool,
    inactive_reason: Option<String>,
    first_seen_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    locale: Option<String>,
}

impl TryFrom<Row> for ConversationRef {
    type Error = StoreError;

    fn try_from(r: Row) -> Result<Self, StoreError> {
        let kind = ConversationKind::parse(&r.kind).ok_or_else(|| StoreError::Query {
            context: "read a conversation reference",
            source: sqlx::Error::Decode(format!("unknown conversation kind `{}`", r.kind).into()),
        })?;
        Ok(ConversationRef {
            conversation_id: r.conversation_id.0,
            kind,
            service_url: r.service_url,
            tenant_id: r.tenant_id,
            bot_id: r.bot_id,
            team_id: r.team_id.map(|t| t.0),
            team_name: r.team_name,
            channel_id: r.channel_id.map(|t| t.0),
            channel_name: r.channel_name,
            user_id: r.user_id.map(|t| t.0),
            user_aad_object_id: r.user_aad_object_id,
            user_name: r.user_name,
            active: r.active,
            inactive_reason: r.inactive_reason,
            first_seen_at: r.first_seen_at,
            last_seen_at: r.last_seen_at,
            locale: r.locale,
        })
    }
}

const COLUMNS: &str = "conversation_id, kind, service_url, tenant_id, bot_id, team_id, team_name, channel_id, \
    channel_name, user_id, user_aad_object_id, user_name, active, inactive_reason, first_seen_at, last_seen_at, locale";

// Names are kept when an activity does not carry them (most activities don't); a new activity reactivates.
const UPSERT_MYSQL: &str = "INSERT INTO conversation_ref (conversation_id, kind, service_url, tenant_id, bot_id, \
    team_id, team_name, channel_id, channel_name, user_id, user_aad_object_id, user_name, active, inactive_reason, \
    first_seen_at, last_seen_at, locale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?) \
    ON DUPLICATE KEY UPDATE kind = VALUES(kind), service_url = VALUES(service_url), \
    tenant_id = COALESCE(VALUES(tenant_id), tenant_id), bot_id = COALESCE(VALUES(bot_id), bot_id), \
    team_id = COALESCE(VALUES(team_id), team_id), team_name = COALESCE(VALUES(team_name), team_name), \
    channel_id = COALESCE(VALUES(channel_id), channel_id), \
    channel_name = COALESCE(VALUES(channel_name), channel_name), user_id = COALESCE(VALUES(user_id), user_id), \
    user_aad_object_id = COALESCE(VALUES(user_aad_object_id), user_aad_object_id), \
    user_name = COALESCE(VALUES(user_name), user_name), active = 1, inactive_reason = NULL, \
    last_seen_at = GREATEST(last_seen_at, VALUES(last_seen_at)), locale = COALESCE(VALUES(locale), locale)";

const UPSERT_SQLITE: &str = "INSERT INTO conversation_ref (conversation_id, kind, service_url, tenant_id, bot_id, \
    team_id, team_name, channel_id, channel_name, user_id, user_aad_object_id, user_name, active, inactive_reason, \
    first_seen_at, last_seen_at, locale) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?) \
    ON CONFLICT (conversation_id) DO UPDATE SET kind = excluded.kind, service_url = excluded.service_url, \
    tenant_id = COALESCE(excluded.tenant_id, tenant_id), bot_id = COALESCE(excluded.bot_id, bot_id), \
    team_id = COALESCE(excluded.team_id, team_id), team_name = COALESCE(excluded.team_name, team_name), \
    channel_id = COALESCE(excluded.channel_id, channel_id), \
    channel_name = COALESCE(excluded.channel_name, channel_name), user_id = COALESCE(excluded.user_id, user_id), \
    user_aad_object_id = COALESCE(excluded.user_aad_object_id, user_aad_object_id), \
    user_name = COALESCE(excluded.user_name, user_name), active = 1, inactive_reason = NULL, \
    last_seen_at = MAX(last_seen_at, excluded.last_seen_at), locale = COALESCE(excluded.locale, locale)";

/// What an activity tells of its conversation, written with the activity's inbox row (in arrival order, so a
/// removal and a new install keep theirs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConversationChange {
    /// Heard from it: its reference is saved, and it is active again.
    Seen(Box<ConversationRef>),
    /// Doberman was removed from it.
    Removed {
        /// The conversation.
        conversation_id: String,
        /// Why, for `conversations`.
        reason: String,
    },
}

/// The upsert statement of `backend`.
pub(super) fn upsert_sql(backend: super::Backend) -> &'static str {
    match backend {
        super::Backend::MySql => UPSERT_MYSQL,
        super::Backend::Sqlite => UPSERT_SQLITE,
    }
}

/// The deactivation statement (both dialects).
pub(super) const DEACTIVATE: &str =
    "UPDATE conversation_ref SET active = 0, inactive_reason = ? WHERE conversation_id = ?";

/// Binds `change`'s values to `query`, which holds its statement ([`upsert_sql`] or [`DEACTIVATE`]).
pub(super) fn bind_change<'q, DB>(
    query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>,
    change: &'q ConversationChange,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments<'q>>
where
    DB: sqlx::Database,
    String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    DateTime<Utc>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    match change {
        ConversationChange::Seen(r) => query
            .bind(&r.conversation_id)
            .bind(r.kind.as_str())
            .bind(&r.service_url)
            .bind(&r.tenant_id)
            .bind(&r.bot_id)
            .bind(&r.team_id)
            .bind(&r.team_name)
            .bind(&r.channel_id)
            .bind(&r.channel_name)
            .bind(&r.user_id)
            .bind(&r.user_aad_object_id)
            .bind(&r.user_name)
            .bind(r.first_seen_at)
            .bind(r.last_seen_at)
            .bind(&r.locale),
        ConversationChange::Removed {
            conversation_id,
            reason,
        } => query.bind(reason).bind(conversation_id),
    }
}

impl Store {
    /// Records that Doberman heard from a conversation at `r.last_seen_at`: inserts it, or refreshes what the new
    /// activity carries (keeping names it does not carry) and marks it active again.
    pub async fn upsert_conversation(&self, r: &ConversationRef) -> Result<(), StoreError> {
        let change = ConversationChange::Seen(Box::new(r.clone()));
        let sql = upsert_sql(self.backend());
        on_pool!(self, pool => bind_change(sqlx::query(sql), &change)
            .execute(pool)
            .await
            .map(|_| ()))
        .map_err(StoreError::query("save a conversation reference"))
    }

    /// The language to speak in a conversation: the one set there with `language`, else the locale of its last
    /// activity that carried one; `None` when neither is known (or the conversation is not).
    pub async fn conversation_language(
        &self,
        conversation_id: &str,
    ) -> Result<Option<crate::i18n::Lang>, StoreError> {
        let row: Option<(Option<String>, Option<String>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT language, locale FROM conversation_ref WHERE conversation_id = ?")
            .bind(conversation_id)
            .fetch_optional(pool)
            .await)
        .map_err(StoreError::query("read a conversation's language"))?;
        Ok(row.and_then(|(language, locale)| {
            language
                .as_deref()
                .and_then(crate::i18n::Lang::from_tag)
                .or_else(|| locale.as_deref().and_then(crate::i18n::Lang::from_tag))
        }))
    }

    /// The language set in a conversation with `language`, if any.
    pub async fn conversation_language_setting(
        &self,
        conversation_id: &str,
    ) -> Result<Option<crate::i18n::Lang>, StoreError> {
        let row: Option<(Option<String>,)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT language FROM conversation_ref WHERE conversation_id = ?")
            .bind(conversation_id)
            .fetch_optional(pool)
            .await)
        .map_err(StoreError::query("read a conversation's language"))?;
        Ok(row
            .and_then(|(l,)| l)
            .as_deref()
            .and_then(crate::i18n::Lang::from_tag))
    }

    /// Sets the language Doberman speaks in a conversation (`None`: follow the activities' locale again); whether
    /// the conversation is known.
    pub async fn set_conversation_language(
        &self,
        conversation_id: &str,
        language: Option<crate::i18n::Lang>,
    ) -> Result<bool, StoreError> {
        let code = language.map(|l| l.code());
        let done = on_pool!(self, pool => sqlx::query(
            "UPDATE conversation_ref SET language = ? WHERE conversation_id = ?")
            .bind(code)
            .bind(conversation_id)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
        .map_err(StoreError::query("set a conversation's language"))?;
        Ok(done > 0)
    }

    /// One conversation by id.
    pub async fn conversation(
        &self,
        conversation_id: &str,
    ) -> Result<Option<ConversationRef>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM conversation_ref WHERE conversation_id = ?");
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(conversation_id)
            .fetch_optional(pool)
            .await)
        .map_err(StoreError::query("read a conversation reference"))?;
        row.map(ConversationRef::try_from).transpose()
    }

    /// Every conversation, or the active ones only, in order of first contact.
    pub async fn conversations(
        &self,
        active_only: bool,
    ) -> Result<Vec<ConversationRef>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM conversation_ref WHERE active = 1 OR ? = 0 ORDER BY first_seen_at, conversation_id"
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(active_only)
            .fetch_all(pool)
            .await)
        .map_err(StoreError::query("list conversation references"))?;
        rows.into_iter().map(ConversationRef::try_from).collect()
    }

    /// Marks a conversation as one Doberman may no longer post to; returns false when it was not known.
    pub async fn deactivate_conversation(
        &self,
        conversation_id: &str,
        reason: &str,
    ) -> Result<bool, StoreError> {
        let affected = on_pool!(self, pool => sqlx::query(DEACTIVATE)
        .bind(reason)
        .bind(conversation_id)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
        .map_err(StoreError::query("deactivate a conversation reference"))?;
        Ok(affected > 0)
    }
}
