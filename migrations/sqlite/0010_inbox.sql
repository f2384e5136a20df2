-- The inbox: acknowledged activities not yet answered (documented in migrations/mysql). Times are UTC, ISO 8601
-- text.

CREATE TABLE inbox (
    id              INTEGER NOT NULL PRIMARY KEY,
    conversation_id TEXT    NOT NULL,
    activity        TEXT    NOT NULL,
    received_at     TEXT    NOT NULL,
    claimed_by      TEXT    NULL,
    claimed_until   TEXT    NULL
);
CREATE INDEX ix_inbox_claim ON inbox (claimed_by, claimed_until);
