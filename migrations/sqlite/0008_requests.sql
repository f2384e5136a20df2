-- The request channel and its requirements (see the MySQL migration of the same number for every column).

-- Channels whose messages Doberman tracks as requirements.
CREATE TABLE request_channel (
    channel_id           TEXT NOT NULL PRIMARY KEY, -- Teams channel id (19:...@thread.tacv2)
    team_id              TEXT NULL,
    set_by_aad_object_id TEXT NULL,                 -- NULL: from requests.channel_id
    set_by_name          TEXT NULL,
    set_at               TEXT NOT NULL              -- UTC
);

-- Requirements: one per top-level message of a request channel.
CREATE TABLE requirement (
    id                     INTEGER NOT NULL PRIMARY KEY, -- the n of REQ-n, without gaps
    status                 TEXT    NOT NULL,             -- new | accepted | in_progress | done | rejected
    title                  TEXT    NOT NULL,
    body                   TEXT    NOT NULL,
    body_html              TEXT    NULL,
    attachments            TEXT    NULL,                 -- JSON array of {name, url}
    author_aad_object_id   TEXT    NULL,
    author_name            TEXT    NULL,
    author_teams_id        TEXT    NULL,
    assignee_aad_object_id TEXT    NULL,
    assignee_name          TEXT    NULL,
    assignee_teams_id      TEXT    NULL,
    reject_reason          TEXT    NULL,
    channel_id             TEXT    NOT NULL,
    teams_message_id       TEXT    NOT NULL,
    conversation_id        TEXT    NOT NULL,             -- the thread
    service_url            TEXT    NOT NULL,
    card_activity_id       TEXT    NULL,
    created_at             TEXT    NOT NULL,             -- UTC
    updated_at             TEXT    NOT NULL,
    edited_at              TEXT    NULL,
    closed_at              TEXT    NULL,
    deleted_at             TEXT    NULL
);
CREATE UNIQUE INDEX ux_requirement_message ON requirement (channel_id, teams_message_id);
CREATE INDEX ix_requirement_status ON requirement (status, created_at);
CREATE INDEX ix_requirement_author ON requirement (author_aad_object_id, created_at);
CREATE INDEX ix_requirement_assignee ON requirement (assignee_aad_object_id, status);

-- The REQ-n counter (one row).
CREATE TABLE requirement_sequence (
    id      INTEGER NOT NULL PRIMARY KEY, -- always 1
    last_id INTEGER NOT NULL              -- the last n given
);
INSERT INTO requirement_sequence (id, last_id) VALUES (1, 0);

-- Replies in a requirement's thread.
CREATE TABLE requirement_comment (
    id                   INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    requirement_id       INTEGER NOT NULL,
    teams_message_id     TEXT    NOT NULL,
    author_aad_object_id TEXT    NULL,
    author_name          TEXT    NULL,
    body                 TEXT    NOT NULL,
    created_at           TEXT    NOT NULL,
    edited_at            TEXT    NULL,
    deleted_at           TEXT    NULL
);
CREATE UNIQUE INDEX ux_requirement_comment_message ON requirement_comment (requirement_id, teams_message_id);

-- Audit of every requirement: who did what, when, the old and new status.
CREATE TABLE requirement_event (
    id                  INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    requirement_id      INTEGER NOT NULL,
    at                  TEXT    NOT NULL,
    kind                TEXT    NOT NULL, -- created | status | assigned | edited | deleted | commented
    actor_aad_object_id TEXT    NULL,
    actor_name          TEXT    NULL,
    old_status          TEXT    NULL,
    new_status          TEXT    NULL,
    detail              TEXT    NULL
);
CREATE INDEX ix_requirement_event_requirement ON requirement_event (requirement_id, at);
