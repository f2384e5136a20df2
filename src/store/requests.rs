//! The request channel: `request_channel`, `requirement`, `requirement_comment`, `requirement_event`.
//!
//! Teams may deliver an activity twice, and two deliveries may race: a message is one requirement (unique on the
//! channel and the Teams message id), a reply one comment. Requirement numbers have no gaps: the next number is
//! taken from `requirement_sequence` inside the transaction that writes the row (its row lock orders concurrent
//! intakes on MySQL; SQLite's write lock does the same), so a failed write gives its number back.

use chrono::{DateTime, Utc};

use super::{BeginWrite, BinText, Pool, Store, StoreError, on_pool};

/// Where a requirement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequirementStatus {
    /// Posted, nobody has looked at it yet.
    New,
    /// Someone will do it.
    Accepted,
    /// Being worked on.
    InProgress,
    /// Finished.
    Done,
    /// Will not be done (with a reason).
    Rejected,
}

impl RequirementStatus {
    /// The value stored in `requirement.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            RequirementStatus::New => "new",
            RequirementStatus::Accepted => "accepted",
            RequirementStatus::InProgress => "in_progress",
            RequirementStatus::Done => "done",
            RequirementStatus::Rejected => "rejected",
        }
    }

    /// The status a stored value names.
    pub fn parse(s: &str) -> Option<Self> {
        [
            RequirementStatus::New,
            RequirementStatus::Accepted,
            RequirementStatus::InProgress,
            RequirementStatus::Done,
            RequirementStatus::Rejected,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

/// A person as Teams names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// Entra object id.
    pub aad_object_id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Teams id (`29:…`), to @mention them.
    pub teams_id: Option<String>,
}

/// A top-level message of a request channel, as intake reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequirement {
    /// The request channel.
    pub channel_id: String,
    /// The message's Teams id.
    pub teams_message_id: String,
    /// The thread (`19:…;messageid=<teams_message_id>`).
    pub conversation_id: String,
    /// Where to answer.
    pub service_url: String,
    /// First line, trimmed.
    pub title: String,
    /// The message as readable text.
    pub body: String,
    /// The message as Teams sent it.
    pub body_html: Option<String>,
    /// Attachments as a JSON array of `{name, url}`, if any.
    pub attachments: Option<String>,
    /// Who posted it.
    pub author: Person,
    /// When (UTC).
    pub created_at: DateTime<Utc>,
}

/// A stored requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The n of REQ-n.
    pub id: i64,
    /// Where it stands.
    pub status: RequirementStatus,
    /// First line.
    pub title: String,
    /// Readable text.
    pub body: String,
    /// Attachments as a JSON array of `{name, url}`.
    pub attachments: Option<String>,
    /// Who posted it.
    pub author: Person,
    /// Who works on it.
    pub assignee: Person,
    /// Why it was rejected.
    pub reject_reason: Option<String>,
    /// The request channel.
    pub channel_id: String,
    /// The message's Teams id.
    pub teams_message_id: String,
    /// The thread.
    pub conversation_id: String,
    /// Where to answer.
    pub service_url: String,
    /// Doberman's card in the thread.
    pub card_activity_id: Option<String>,
    /// Posted (UTC).
    pub created_at: DateTime<Utc>,
    /// Last change (UTC).
    pub updated_at: DateTime<Utc>,
    /// Last edit in Teams.
    pub edited_at: Option<DateTime<Utc>>,
    /// Done or rejected at.
    pub closed_at: Option<DateTime<Utc>>,
    /// Deleted in Teams at.
    pub deleted_at: Option<DateTime<Utc>>,
}

impl Requirement {
    /// `REQ-12`.
    pub fn key(&self) -> String {
        format!("REQ-{}", self.id)
    }
}

/// A change of a requirement someone asks for (a button or a command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// To `accepted`.
    Accept,
    /// To `in_progress`.
    Start,
    /// To `done`.
    Done,
    /// To `rejected`, with the reason.
    Reject(String),
    /// Someone works on it.
    Assign(Person),
}

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// The requirement as it is now, and its status before.
    Applied(Requirement, RequirementStatus),
    /// It already was so: nothing written.
    Already(Requirement),
    /// No requirement has that number.
    Unknown,
}

/// A reply in a requirement's thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    /// The request channel.
    pub channel_id: String,
    /// The Teams id of the thread's first message (the requirement's).
    pub root_message_id: String,
    /// The reply's Teams id.
    pub teams_message_id: String,
    /// Who replied.
    pub author: Person,
    /// The reply as readable text.
    pub body: String,
    /// When (UTC).
    pub created_at: DateTime<Utc>,
}

/// An edit in Teams of a request channel message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageEdit {
    /// The message's Teams id.
    pub teams_message_id: String,
    /// The new first line.
    pub title: String,
    /// The new text.
    pub body: String,
    /// The new HTML.
    pub body_html: Option<String>,
    /// Who edited it.
    pub by: Person,
    /// When (UTC).
    pub at: DateTime<Utc>,
}

/// Which requirements `requests` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequirementFilter<'a> {
    /// Not done, rejected or deleted.
    Open,
    /// Asked by or assigned to this person.
    Of(&'a Person),
    /// Every one.
    All,
}

/// What a message edit or deletion in a request channel touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touched {
    /// The requirement's own message (its id).
    Requirement(i64),
    /// A comment of this requirement.
    Comment(i64),
    /// Nothing Doberman tracks.
    Nothing,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    status: String,
    title: String,
    body: String,
    attachments: Option<String>,
    author_aad_object_id: Option<String>,
    author_name: Option<String>,
    author_teams_id: Option<String>,
    assignee_aad_object_id: Option<String>,
    assignee_name: Option<String>,
    assignee_teams_id: Option<String>,
    reject_reason: Option<String>,
    channel_id: BinText,
    teams_message_id: BinText,
    conversation_id: BinText,
    service_url: String,
    card_activity_id: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    edited_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    deleted_at: Option<DateTime<Utc>>,
}

impl TryFrom<Row> for Requirement {
    type Error = StoreError;

    fn try_from(r: Row) -> Result<Self, StoreError> {
        let status = RequirementStatus::parse(&r.status).ok_or_else(|| StoreError::Query {
            context: "read a requirement",
            source: sqlx::Error::Decode(format!("unknown status `{}`", r.status).into()),
        })?;
        Ok(Requirement {
            id: r.id,
            status,
            title: r.title,
            body: r.body,
            attachments: r.attachments,
            author: Person {
                aad_object_id: r.author_aad_object_id,
                name: r.author_name,
                teams_id: r.author_teams_id,
            },
            assignee: Person {
                aad_object_id: r.assignee_aad_object_id,
                name: r.assignee_name,
                teams_id: r.assignee_teams_id,
            },
            reject_reason: r.reject_reason,
            channel_id: r.channel_id.0,
            teams_message_id: r.teams_message_id.0,
            conversation_id: r.conversation_id.0,
            service_url: r.service_url,
            card_activity_id: r.card_activity_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
            edited_at: r.edited_at,
            closed_at: r.closed_at,
            deleted_at: r.deleted_at,
        })
    }
}

const COLUMNS: &str = "id, status, title, body, attachments, author_aad_object_id, author_name, author_teams_id, \
    assignee_aad_object_id, assignee_name, assignee_teams_id, reject_reason, channel_id, teams_message_id, conversation_id, \
    service_url, card_activity_id, created_at, updated_at, edited_at, closed_at, deleted_at";

/// Records one audit event in transaction `$tx`: requirement, time, kind, actor's Entra id and name, old and
/// new status, detail.
macro_rules! insert_event {
    ($tx:ident, $id:expr, $at:expr, $kind:expr, $aad:expr, $name:expr, $old:expr, $new:expr, $detail:expr) => {
        sqlx::query(
            "INSERT INTO requirement_event (requirement_id, at, kind, actor_aad_object_id, actor_name, old_status, \
             new_status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind($id)
        .bind($at)
        .bind($kind)
        .bind($aad)
        .bind($name)
        .bind($old)
        .bind($new)
        .bind($detail)
        .execute(&mut *$tx)
        .await?
    };
}

/// How often intake tries again after losing a race for the next number.
const RACE_ATTEMPTS: usize = 5;

/// A unique-key clash (a concurrent delivery of the same message won) or a deadlock: the write can be tried
/// again.
fn lost_a_race(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d)
        if d.is_unique_violation() || d.code().as_deref() == Some("40001"))
}

impl Store {
    /// Makes `channel_id` a request channel (again); true when it was not one.
    pub async fn set_request_channel(
        &self,
        channel_id: &str,
        team_id: Option<&str>,
        by: &Person,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = match self.pool {
            Pool::MySql(_) => {
                "INSERT IGNORE INTO request_channel (channel_id, team_id, set_by_aad_object_id, set_by_name, \
                 set_at) VALUES (?, ?, ?, ?, ?)"
            }
            Pool::Sqlite(_) => {
                "INSERT OR IGNORE INTO request_channel (channel_id, team_id, set_by_aad_object_id, set_by_name, \
                 set_at) VALUES (?, ?, ?, ?, ?)"
            }
        };
        on_pool!(self, pool => sqlx::query(sql)
            .bind(channel_id)
            .bind(team_id)
            .bind(&by.aad_object_id)
            .bind(&by.name)
            .bind(at)
            .execute(pool)
            .await
            .map(|r| r.rows_affected() == 1))
        .map_err(StoreError::query("set the request channel"))
    }

    /// Whether messages of `channel_id` become requirements.
    pub async fn is_request_channel(&self, channel_id: &str) -> Result<bool, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM request_channel WHERE channel_id = ?")
            .bind(channel_id)
            .fetch_one(pool)
            .await)
        .map(|n| n > 0)
        .map_err(StoreError::query("read the request channels"))
    }

    /// Records a top-level message as the next requirement, or finds the one it already is (a second
    /// delivery); true when it is new.
    pub async fn record_requirement(
        &self,
        new: &NewRequirement,
    ) -> Result<(Requirement, bool), StoreError> {
        let mut last_error = None;
        for _ in 0..RACE_ATTEMPTS {
            match self.insert_requirement(new).await {
                Ok(Some(created)) => return Ok((created, true)),
                Ok(None) => {}
                Err(StoreError::Query { source, context }) if lost_a_race(&source) => {
                    last_error = Some(StoreError::Query { source, context });
                }
                Err(e) => return Err(e),
            }
            // Recorded before, or by a delivery racing this one.
            if let Some(existing) = self
                .requirement_of_message(&new.channel_id, &new.teams_message_id)
                .await?
            {
                return Ok((existing, false));
            }
            // Another message took the number: take the next one.
        }
        Err(last_error.unwrap_or(StoreError::Query {
            context: "record a requirement",
            source: sqlx::Error::RowNotFound,
        }))
    }

    /// The insert of [`Store::record_requirement`]: `None` when the message is already a requirement.
    async fn insert_requirement(
        &self,
        new: &NewRequirement,
    ) -> Result<Option<Requirement>, StoreError> {
        let context = "record a requirement";
        let id: Option<i64> = on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await?;
            let known: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM requirement WHERE channel_id = ? AND teams_message_id = ?")
                .bind(&new.channel_id)
                .bind(&new.teams_message_id)
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_some() {
                tx.rollback().await?;
                return Ok(None);
            }
            // The counter row's lock orders concurrent intakes; a rollback gives the number back.
            sqlx::query("UPDATE requirement_sequence SET last_id = last_id + 1 WHERE id = 1")
                .execute(&mut *tx)
                .await?;
            let id: i64 = sqlx::query_scalar("SELECT last_id FROM requirement_sequence WHERE id = 1")
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO requirement (id, status, title, body, body_html, attachments, author_aad_object_id, \
                 author_name, author_teams_id, channel_id, teams_message_id, conversation_id, service_url, \
                 created_at, updated_at) VALUES (?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(id)
                .bind(&new.title)
                .bind(&new.body)
                .bind(&new.body_html)
                .bind(&new.attachments)
                .bind(&new.author.aad_object_id)
                .bind(&new.author.name)
                .bind(&new.author.teams_id)
                .bind(&new.channel_id)
                .bind(&new.teams_message_id)
                .bind(&new.conversation_id)
                .bind(&new.service_url)
                .bind(new.created_at)
                .bind(new.created_at)
                .execute(&mut *tx)
                .await?;
            insert_event!(tx, id, new.created_at, "created", &new.author.aad_object_id, &new.author.name, None::<&str>, RequirementStatus::New.as_str(), None::<&str>);
            tx.commit().await?;
            Ok::<Option<i64>, sqlx::Error>(Some(id))
        }.await)
        .map_err(StoreError::query(context))?;
        match id {
            Some(id) => self.requirement(id).await,
            None => Ok(None),
        }
    }

    /// Applies a status change or an assignment, with its audit event, in one transaction.
    pub async fn change_requirement(
        &self,
        id: i64,
        change: &Change,
        by: &Person,
        at: DateTime<Utc>,
    ) -> Result<Changed, StoreError> {
        let Some(before) = self.requirement(id).await? else {
            return Ok(Changed::Unknown);
        };
        let old = before.status;
        let new = match change {
            Change::Accept => RequirementStatus::Accepted,
            Change::Start => RequirementStatus::InProgress,
            Change::Done => RequirementStatus::Done,
            Change::Reject(_) => RequirementStatus::Rejected,
            Change::Assign(_) => old,
        };
        let same = match change {
            Change::Assign(p) => {
                before.assignee.aad_object_id.is_some()
                    && before.assignee.aad_object_id == p.aad_object_id
                    || before.assignee.teams_id.is_some() && before.assignee.teams_id == p.teams_id
            }
            Change::Reject(reason) => {
                old == new && before.reject_reason.as_deref() == Some(reason.as_str())
            }
            _ => old == new,
        };
        if same {
            return Ok(Changed::Already(before));
        }
        let closed = matches!(new, RequirementStatus::Done | RequirementStatus::Rejected);
        on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await?;
            match change {
                Change::Assign(p) => {
                    sqlx::query(
                        "UPDATE requirement SET assignee_aad_object_id = ?, assignee_name = ?, assignee_teams_id = ?, \
                         updated_at = ? WHERE id = ?")
                        .bind(&p.aad_object_id)
                        .bind(&p.name)
                        .bind(&p.teams_id)
                        .bind(at)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                _ => {
                    let reason = match change {
                        Change::Reject(reason) => Some(reason.as_str()),
                        _ => None,
                    };
                    sqlx::query(
                        "UPDATE requirement SET status = ?, reject_reason = ?, \
                         closed_at = CASE WHEN ? THEN COALESCE(closed_at, ?) ELSE NULL END, updated_at = ? WHERE id = ?")
                        .bind(new.as_str())
                        .bind(reason)
                        .bind(closed)
                        .bind(at)
                        .bind(at)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let (kind, detail) = match change {
                Change::Assign(p) => ("assigned", p.name.clone()),
                Change::Reject(reason) => ("status", Some(reason.clone())),
                _ => ("status", None),
            };
            let status_change = kind == "status";
            insert_event!(tx, id, at, kind, &by.aad_object_id, &by.name, status_change.then_some(old.as_str()), status_change.then_some(new.as_str()), detail);
            tx.commit().await
        }.await)
        .map_err(StoreError::query("change a requirement"))?;
        Ok(match self.requirement(id).await? {
            Some(after) => Changed::Applied(after, old),
            None => Changed::Unknown,
        })
    }

    /// Requirements for the `requests` command, newest first: `open` (not done nor rejected, not deleted), those
    /// `person` asked or works on, or all; at most `limit`.
    pub async fn requirements(
        &self,
        filter: RequirementFilter<'_>,
        limit: u32,
    ) -> Result<Vec<Requirement>, StoreError> {
        let (condition, person): (&str, Option<&Person>) = match filter {
            RequirementFilter::Open => (
                "deleted_at IS NULL AND status NOT IN ('done', 'rejected')",
                None,
            ),
            RequirementFilter::Of(p) => (
                "(author_aad_object_id = ? OR assignee_aad_object_id = ? OR assignee_teams_id = ?)",
                Some(p),
            ),
            RequirementFilter::All => ("1 = 1", None),
        };
        let sql =
            format!("SELECT {COLUMNS} FROM requirement WHERE {condition} ORDER BY id DESC LIMIT ?");
        let rows: Vec<Row> = on_pool!(self, pool => {
            let mut q = sqlx::query_as(&sql);
            // An unknown id binds NULL, which equals nothing.
            if let Some(p) = person {
                q = q
                    .bind(p.aad_object_id.as_deref())
                    .bind(p.aad_object_id.as_deref())
                    .bind(p.teams_id.as_deref());
            }
            q.bind(i64::from(limit)).fetch_all(pool).await
        })
        .map_err(StoreError::query("list requirements"))?;
        rows.into_iter().map(Requirement::try_from).collect()
    }

    /// Requirement `id` (REQ-id).
    pub async fn requirement(&self, id: i64) -> Result<Option<Requirement>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM requirement WHERE id = ?");
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await)
        .map_err(StoreError::query("read a requirement"))?;
        row.map(Requirement::try_from).transpose()
    }

    /// The requirement a channel message is, if any.
    pub async fn requirement_of_message(
        &self,
        channel_id: &str,
        teams_message_id: &str,
    ) -> Result<Option<Requirement>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM requirement WHERE channel_id = ? AND teams_message_id = ?"
        );
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(channel_id)
            .bind(teams_message_id)
            .fetch_optional(pool)
            .await)
        .map_err(StoreError::query("read a requirement"))?;
        row.map(Requirement::try_from).transpose()
    }

    /// Remembers Doberman's card in the requirement's thread, to update it in place later.
    pub async fn set_requirement_card(
        &self,
        id: i64,
        card_activity_id: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("UPDATE requirement SET card_activity_id = ? WHERE id = ?")
            .bind(card_activity_id)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ()))
        .map_err(StoreError::query("remember a requirement's card"))
    }

    /// Records a reply in a requirement's thread as a comment (once per reply); the requirement's id and
    /// whether the comment is new, or `None` when the thread is not a requirement's.
    pub async fn record_comment(&self, c: &NewComment) -> Result<Option<(i64, bool)>, StoreError> {
        let Some(requirement) = self
            .requirement_of_message(&c.channel_id, &c.root_message_id)
            .await?
        else {
            return Ok(None);
        };
        let id = requirement.id;
        let insert = match self.pool {
            Pool::MySql(_) => "INSERT IGNORE INTO requirement_comment",
            Pool::Sqlite(_) => "INSERT OR IGNORE INTO requirement_comment",
        };
        let created = on_pool!(self, pool => async {
            let mut tx = pool.begin_write().await?;
            let created = sqlx::query(&format!(
                    "{insert} (requirement_id, teams_message_id, author_aad_object_id, author_name, body, \
                     created_at) VALUES (?, ?, ?, ?, ?, ?)"))
                .bind(id)
                .bind(&c.teams_message_id)
                .bind(&c.author.aad_object_id)
                .bind(&c.author.name)
                .bind(&c.body)
                .bind(c.created_at)
                .execute(&mut *tx)
                .await?
                .rows_affected() == 1;
            if created {
                insert_event!(tx, id, c.created_at, "commented", &c.author.aad_object_id, &c.author.name, None::<&str>, None::<&str>, None::<&str>);
                sqlx::query("UPDATE requirement SET updated_at = ? WHERE id = ? AND updated_at < ?")
                    .bind(c.created_at)
                    .bind(id)
                    .bind(c.created_at)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(created)
        }.await)
        .map_err(StoreError::query("record a comment"))?;
        Ok(Some((id, created)))
    }

    /// An edit in Teams of a request channel message: a requirement's message gets its new title and text (the
    /// old text kept in the audit), a comment its new text.
    pub async fn edit_request_message(
        &self,
        channel_id: &str,
        edit: &MessageEdit,
    ) -> Result<Touched, StoreError> {
        let (teams_message_id, title, body, by, at) = (
            edit.teams_message_id.as_str(),
            edit.title.as_str(),
            edit.body.as_str(),
            &edit.by,
            edit.at,
        );
        let body_html = edit.body_html.as_deref();
        let context = "record an edit";
        if let Some(r) = self
            .requirement_of_message(channel_id, teams_message_id)
            .await?
        {
            if r.body == edit.body && r.title == edit.title {
                return Ok(Touched::Requirement(r.id));
            }
            on_pool!(self, pool => async {
                let mut tx = pool.begin_write().await?;
                sqlx::query(
                    "UPDATE requirement SET title = ?, body = ?, body_html = ?, edited_at = ?, updated_at = ? \
                     WHERE id = ?")
                    .bind(title)
                    .bind(body)
                    .bind(body_html)
                    .bind(at)
                    .bind(at)
                    .bind(r.id)
                    .execute(&mut *tx)
                    .await?;
                insert_event!(tx, r.id, at, "edited", &by.aad_object_id, &by.name, None::<&str>, None::<&str>, &r.body);
                tx.commit().await
            }.await)
            .map_err(StoreError::query(context))?;
            return Ok(Touched::Requirement(r.id));
        }
        let Some(requirement_id) = self
            .requirement_of_comment(channel_id, teams_message_id)
            .await?
        else {
            return Ok(Touched::Nothing);
        };
        on_pool!(self, pool => sqlx::query(
                "UPDATE requirement_comment SET body = ?, edited_at = ? WHERE requirement_id = ? \
                 AND teams_message_id = ?")
            .bind(body)
            .bind(at)
            .bind(requirement_id)
            .bind(teams_message_id)
            .execute(pool)
            .await
            .map(|_| ()))
        .map_err(StoreError::query(context))?;
        Ok(Touched::Comment(requirement_id))
    }

    /// A deletion in Teams of a request channel message: marked deleted, never erased.
    pub async fn delete_request_message(
        &self,
        channel_id: &str,
        teams_message_id: &str,
        by: &Person,
        at: DateTime<Utc>,
    ) -> Result<Touched, StoreError> {
        let context = "record a deletion";
        if let Some(r) = self
            .requirement_of_message(channel_id, teams_message_id)
            .await?
        {
            if r.deleted_at.is_none() {
                on_pool!(self, pool => async {
                    let mut tx = pool.begin_write().await?;
                    sqlx::query("UPDATE requirement SET deleted_at = ?, updated_at = ? WHERE id = ?")
                        .bind(at)
                        .bind(at)
                        .bind(r.id)
                        .execute(&mut *tx)
                        .await?;
                    insert_event!(tx, r.id, at, "deleted", &by.aad_object_id, &by.name, None::<&str>, None::<&str>, None::<&str>);
                    tx.commit().await
                }.await)
                .map_err(StoreError::query(context))?;
            }
            return Ok(Touched::Requirement(r.id));
        }
        let Some(requirement_id) = self
            .requirement_of_comment(channel_id, teams_message_id)
            .await?
        else {
            return Ok(Touched::Nothing);
        };
        on_pool!(self, pool => sqlx::query(
                "UPDATE requirement_comment SET deleted_at = COALESCE(deleted_at, ?) WHERE requirement_id = ? \
                 AND teams_message_id = ?")
            .bind(at)
            .bind(requirement_id)
            .bind(teams_message_id)
            .execute(pool)
            .await
            .map(|_| ()))
        .map_err(StoreError::query(context))?;
        Ok(Touched::Comment(requirement_id))
    }

    /// The requirement a reply of a request channel is a comment of, if any.
    async fn requirement_of_comment(
        &self,
        channel_id: &str,
        teams_message_id: &str,
    ) -> Result<Option<i64>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar::<_, i64>(
                "SELECT c.requirement_id FROM requirement_comment c JOIN requirement r ON r.id = c.requirement_id \
                 WHERE r.channel_id = ? AND c.teams_message_id = ?")
            .bind(channel_id)
            .bind(teams_message_id)
            .fetch_optional(pool)
            .await)
        .map_err(StoreError::query("find a comment"))
    }

    /// Comments of a requirement, oldest first: (author name, text, deleted).
    pub async fn requirement_comments(
        &self,
        id: i64,
    ) -> Result<Vec<(Option<String>, String, bool)>, StoreError> {
        let rows: Vec<(Option<String>, String, Option<DateTime<Utc>>)> = on_pool!(self, pool =>
            sqlx::query_as(
                "SELECT author_name, body, deleted_at FROM requirement_comment WHERE requirement_id = ? \
                 ORDER BY created_at, id")
            .bind(id)
            .fetch_all(pool)
            .await)
        .map_err(StoreError::query("read a requirement's comments"))?;
        Ok(rows
            .into_iter()
            .map(|(a, b, d)| (a, b, d.is_some()))
            .collect())
    }

    /// The audit of a requirement, oldest first: (kind, actor name, old status, new status).
    pub async fn requirement_events(
        &self,
        id: i64,
    ) -> Result<Vec<(String, Option<String>, Option<String>, Option<String>)>, StoreError> {
        on_pool!(self, pool => sqlx::query_as(
                "SELECT kind, actor_name, old_status, new_status FROM requirement_event WHERE requirement_id = ? \
                 ORDER BY id")
            .bind(id)
            .fetch_all(pool)
            .await)
        .map_err(StoreError::query("read a requirement's history"))
    }
}
