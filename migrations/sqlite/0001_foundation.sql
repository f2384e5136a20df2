-- Doberman foundation: where Doberman may post, and one row per scheduled job run.
-- Same tables as migrations/mysql (documented there in COMMENT clauses). Times are UTC, ISO 8601 text.

-- Conversations (personal chats, group chats, channels) where Doberman is installed and may post.
CREATE TABLE conversation_ref (
    conversation_id    TEXT    NOT NULL PRIMARY KEY, -- Teams conversation id
    kind               TEXT    NOT NULL,             -- personal | group | channel
    service_url        TEXT    NOT NULL,             -- Bot Connector base URL to post to
    tenant_id          TEXT    NULL,                 -- Entra tenant id
    bot_id             TEXT    NULL,                 -- Doberman's own id here (28:<app id>)
    team_id            TEXT    NULL,                 -- channel conversations: the team
    team_name          TEXT    NULL,
    channel_id         TEXT    NULL,                 -- channel conversations: the channel
    channel_name       TEXT    NULL,
    user_id            TEXT    NULL,                 -- personal chats: the user's Teams id (29:...)
    user_aad_object_id TEXT    NULL,                 -- personal chats: the user's Entra object id
    user_name          TEXT    NULL,
    active             INTEGER NOT NULL DEFAULT 1,   -- 1 while Doberman may post here
    inactive_reason    TEXT    NULL,                 -- why active became 0
    first_seen_at      TEXT    NOT NULL,             -- UTC
    last_seen_at       TEXT    NOT NULL              -- UTC
);
CREATE INDEX ix_conversation_ref_team ON conversation_ref (team_id);
CREATE INDEX ix_conversation_ref_kind_active ON conversation_ref (kind, active);

-- One row per scheduled job run (collectors, alert rules, heartbeat).
CREATE TABLE job_run (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    job          TEXT    NOT NULL,           -- job name
    started_at   TEXT    NOT NULL,           -- UTC
    finished_at  TEXT    NULL,               -- UTC; NULL while running or if the process died mid-run
    status       TEXT    NOT NULL,           -- running | succeeded | failed | skipped
    rows_written INTEGER NOT NULL DEFAULT 0, -- rows inserted or updated
    error_text   TEXT    NULL                -- failed runs: the error chain
);
CREATE INDEX ix_job_run_job_started ON job_run (job, started_at);
CREATE INDEX ix_job_run_status ON job_run (status);
