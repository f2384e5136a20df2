-- The request channel: every top-level message posted there becomes a requirement (REQ-<n>), answered in its
-- thread and followed to done. Kept here so Superset can show backlog and lead times. All times are UTC.

CREATE TABLE request_channel (
    channel_id           VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Teams channel id (19:...@thread.tacv2) whose messages become requirements',
    team_id              VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL
        COMMENT 'Teams team id of the channel',
    set_by_aad_object_id VARCHAR(64)  NULL
        COMMENT 'Entra object id of the admin who typed `requests here` (NULL: from requests.channel_id)',
    set_by_name          VARCHAR(255) NULL
        COMMENT 'Their display name',
    set_at               DATETIME(6)  NOT NULL
        COMMENT 'UTC time the channel became a request channel',
    PRIMARY KEY (channel_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Channels whose messages Doberman tracks as requirements';

CREATE TABLE requirement (
    id                     BIGINT        NOT NULL
        COMMENT 'The n of REQ-n: 1, 2, 3, ... without gaps',
    status                 VARCHAR(16)   NOT NULL
        COMMENT 'new | accepted | in_progress | done | rejected',
    title                  VARCHAR(500)  NOT NULL
        COMMENT 'First line of the message, trimmed',
    body                   TEXT          NOT NULL
        COMMENT 'The whole message as readable text (links, lists and Korean kept)',
    body_html              MEDIUMTEXT    NULL
        COMMENT 'The message as Teams sent it (HTML)',
    attachments            TEXT          NULL
        COMMENT 'Attached files and links as a JSON array of {name, url}',
    author_aad_object_id   VARCHAR(64)   NULL
        COMMENT 'Entra object id of the person who posted it',
    author_name            VARCHAR(255)  NULL
        COMMENT 'Their display name',
    author_teams_id        VARCHAR(255)  NULL
        COMMENT 'Their Teams id (29:...), to @mention them',
    assignee_aad_object_id VARCHAR(64)   NULL
        COMMENT 'Entra object id of the person working on it',
    assignee_name          VARCHAR(255)  NULL
        COMMENT 'Their display name',
    assignee_teams_id      VARCHAR(255)  NULL
        COMMENT 'Their Teams id (29:...), when assigned by @mention',
    reject_reason          TEXT          NULL
        COMMENT 'Why it was rejected',
    channel_id             VARCHAR(255)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Teams channel id (request_channel.channel_id)',
    teams_message_id       VARCHAR(64)   CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Teams id of the message; one message is one requirement',
    conversation_id        VARCHAR(400)  CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'The thread: 19:...@thread.tacv2;messageid=<teams_message_id>',
    service_url            VARCHAR(512)  NOT NULL
        COMMENT 'Bot Connector base URL to answer in the thread',
    card_activity_id       VARCHAR(64)   NULL
        COMMENT 'Teams id of Doberman''s card in the thread, updated in place',
    created_at             DATETIME(6)   NOT NULL
        COMMENT 'UTC time the message was posted',
    updated_at             DATETIME(6)   NOT NULL
        COMMENT 'UTC time of the latest change (status, edit, comment)',
    edited_at              DATETIME(6)   NULL
        COMMENT 'UTC time the message was last edited in Teams',
    closed_at              DATETIME(6)   NULL
        COMMENT 'UTC time it became done or rejected (lead time = closed_at - created_at)',
    deleted_at             DATETIME(6)   NULL
        COMMENT 'UTC time the message was deleted in Teams; the requirement is kept',
    PRIMARY KEY (id),
    UNIQUE KEY ux_requirement_message (channel_id, teams_message_id),
    KEY ix_requirement_status (status, created_at),
    KEY ix_requirement_author (author_aad_object_id, created_at),
    KEY ix_requirement_assignee (assignee_aad_object_id, status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Requirements: one per top-level message of a request channel';

CREATE TABLE requirement_sequence (
    id      TINYINT NOT NULL
        COMMENT 'Always 1: one row',
    last_id BIGINT  NOT NULL
        COMMENT 'The last n given to a requirement; taken and raised in the transaction that writes it',
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'The REQ-n counter: a row lock that makes the numbers gap-free under concurrent intake';

INSERT INTO requirement_sequence (id, last_id) VALUES (1, 0);

CREATE TABLE requirement_comment (
    id                   BIGINT        NOT NULL AUTO_INCREMENT
        COMMENT 'Surrogate key',
    requirement_id       BIGINT        NOT NULL
        COMMENT 'requirement.id',
    teams_message_id     VARCHAR(64)   CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Teams id of the reply; one reply is one comment',
    author_aad_object_id VARCHAR(64)   NULL
        COMMENT 'Entra object id of the person who replied',
    author_name          VARCHAR(255)  NULL
        COMMENT 'Their display name',
    body                 TEXT          NOT NULL
        COMMENT 'The reply as readable text',
    created_at           DATETIME(6)   NOT NULL
        COMMENT 'UTC time of the reply',
    edited_at            DATETIME(6)   NULL
        COMMENT 'UTC time it was last edited',
    deleted_at           DATETIME(6)   NULL
        COMMENT 'UTC time it was deleted in Teams; the comment is kept',
    PRIMARY KEY (id),
    UNIQUE KEY ux_requirement_comment_message (requirement_id, teams_message_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Replies in a requirement''s thread';

CREATE TABLE requirement_event (
    id                  BIGINT       NOT NULL AUTO_INCREMENT
        COMMENT 'Surrogate key, in the order things happened',
    requirement_id      BIGINT       NOT NULL
        COMMENT 'requirement.id',
    at                  DATETIME(6)  NOT NULL
        COMMENT 'UTC time',
    kind                VARCHAR(16)  NOT NULL
        COMMENT 'created | status | assigned | edited | deleted | commented',
    actor_aad_object_id VARCHAR(64)  NULL
        COMMENT 'Entra object id of who did it',
    actor_name          VARCHAR(255) NULL
        COMMENT 'Their display name',
    old_status          VARCHAR(16)  NULL
        COMMENT 'Status before (status changes)',
    new_status          VARCHAR(16)  NULL
        COMMENT 'Status after',
    detail              TEXT         NULL
        COMMENT 'The reason, the assignee, or the text before an edit',
    PRIMARY KEY (id),
    KEY ix_requirement_event_requirement (requirement_id, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Audit of every requirement: who did what, when, the old and new status';
