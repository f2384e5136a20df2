-- The inbox: every activity Doberman acknowledged with 200 is written here before the acknowledgement, and deleted
-- once its answer reached Teams (or was handed to the outbox, or given up with a logged reason). A process killed
-- with activities waiting leaves their rows; the next start on the same host, or any replica once the claim has
-- lapsed, answers them. All times are UTC.

CREATE TABLE inbox (
    id                  BIGINT       NOT NULL
        COMMENT 'Random id chosen by the accepting process',
    conversation_id     VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'The activity''s conversation: its answers go in order within it',
    activity            MEDIUMTEXT   NOT NULL
        COMMENT 'The verified activity as JSON',
    received_at         DATETIME(6)  NOT NULL
        COMMENT 'UTC time it was acknowledged',
    claimed_by          VARCHAR(255) NULL
        COMMENT 'The Doberman process answering it; NULL when released by a graceful stop',
    claimed_until       DATETIME(6)  NULL
        COMMENT 'UTC time the claim lapses unless its process renews it',
    PRIMARY KEY (id),
    KEY ix_inbox_claim (claimed_by, claimed_until)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Acknowledged activities not yet answered';
