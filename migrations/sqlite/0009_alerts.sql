-- Alerts: subscriptions, alerts, their cards and messages, mutes, the audit and the outbox.
-- Same tables as migrations/mysql (documented there in COMMENT clauses). Times are UTC, ISO 8601 text.

CREATE TABLE alert_subscription (
    conversation_id             TEXT NOT NULL,
    topic                       TEXT NOT NULL, -- jobs | freshness | cost | athena | heartbeat
    subscribed_by_aad_object_id TEXT NULL,
    subscribed_by_name          TEXT NULL,
    subscribed_at               TEXT NOT NULL,
    PRIMARY KEY (conversation_id, topic)
);
CREATE INDEX ix_alert_subscription_topic ON alert_subscription (topic);

CREATE TABLE alert_card (
    id                            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    topic                         TEXT    NOT NULL,
    opened_at                     TEXT    NOT NULL,
    closed_at                     TEXT    NULL,
    acknowledged_by_aad_object_id TEXT    NULL,
    acknowledged_by_name          TEXT    NULL,
    acknowledged_at               TEXT    NULL
);
CREATE INDEX ix_alert_card_open ON alert_card (closed_at, topic);

CREATE TABLE alert (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    alert_key      TEXT    NOT NULL,
    open_key       TEXT    NULL,     -- alert_key while firing, NULL once resolved
    topic          TEXT    NOT NULL,
    subject        TEXT    NOT NULL,
    severity       TEXT    NOT NULL, -- warning | critical
    title          TEXT    NOT NULL,
    detail         TEXT    NULL,
    state          TEXT    NOT NULL, -- firing | resolved
    card_id        INTEGER NOT NULL,
    first_fired_at TEXT    NOT NULL,
    last_seen_at   TEXT    NOT NULL,
    resolved_at    TEXT    NULL,
    fire_count     INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_alert_open ON alert (open_key);
CREATE INDEX ix_alert_card ON alert (card_id);
CREATE INDEX ix_alert_topic_state ON alert (topic, state, first_fired_at);

CREATE TABLE alert_event (
    id                  INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    card_id             INTEGER NOT NULL,
    alert_id            INTEGER NULL,
    at                  TEXT    NOT NULL,
    kind                TEXT    NOT NULL, -- fired | repeated | resolved | acknowledged | muted
    actor_aad_object_id TEXT    NULL,
    actor_name          TEXT    NULL,
    detail              TEXT    NULL
);
CREATE INDEX ix_alert_event_card ON alert_event (card_id, at);
CREATE INDEX ix_alert_event_at ON alert_event (at);

CREATE TABLE alert_mute (
    mute_key               TEXT NOT NULL PRIMARY KEY, -- a topic, or card:<id>
    muted_until            TEXT NOT NULL,
    muted_by_aad_object_id TEXT NULL,
    muted_by_name          TEXT NULL,
    muted_at               TEXT NOT NULL
);
CREATE INDEX ix_alert_mute_until ON alert_mute (muted_until);

CREATE TABLE alert_message (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    card_id     INTEGER NULL,             -- NULL for a heartbeat
    kind        TEXT    NOT NULL,         -- alert | heartbeat
    destination TEXT    NOT NULL,         -- conversation id, or webhook:<topic>
    activity_id TEXT    NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL
);
CREATE UNIQUE INDEX ux_alert_message_card ON alert_message (card_id, destination);
CREATE INDEX ix_alert_message_destination ON alert_message (destination);

CREATE TABLE outbox (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    message_id      INTEGER NOT NULL,
    operation       TEXT    NOT NULL, -- post | update
    payload         TEXT    NULL,
    state           TEXT    NOT NULL, -- pending | sent | dropped
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    claimed_by      TEXT    NULL,
    claimed_until   TEXT    NULL,
    created_at      TEXT    NOT NULL,
    sent_at         TEXT    NULL,
    last_error      TEXT    NULL
);
CREATE INDEX ix_outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX ix_outbox_message ON outbox (message_id, state);
