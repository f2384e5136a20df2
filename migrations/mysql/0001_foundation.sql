-- Doberman foundation: where Doberman may post, and one row per scheduled job run.
-- All times are UTC. Text is utf8mb4 so Korean and emoji round-trip.

CREATE TABLE conversation_ref (
    conversation_id    VARCHAR(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'Teams conversation id: a:... personal chat, 19:...@thread.v2 group chat, 19:...@thread.tacv2 channel',
    kind               VARCHAR(16)  NOT NULL
        COMMENT 'personal | group | channel',
    service_url        VARCHAR(512) NOT NULL
        COMMENT 'Bot Connector base URL to post to, from the activity''s serviceUrl',
    tenant_id          VARCHAR(64)  NULL
        COMMENT 'Microsoft Entra tenant id of the conversation',
    bot_id             VARCHAR(255) NULL
        COMMENT 'Doberman''s own id in this conversation (28:<app id>)',
    team_id            VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL
        COMMENT 'Teams team id (19:...@thread.tacv2 of its General channel) for channel conversations',
    team_name          VARCHAR(255) NULL
        COMMENT 'Team name as Teams last reported it',
    channel_id         VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL
        COMMENT 'Teams channel id for channel conversations',
    channel_name       VARCHAR(255) NULL
        COMMENT 'Channel name as Teams last reported it',
    user_id            VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL
        COMMENT 'Personal chats: the user''s Teams id (29:...)',
    user_aad_object_id VARCHAR(64)  NULL
        COMMENT 'Personal chats: the user''s Entra object id',
    user_name          VARCHAR(255) NULL
        COMMENT 'Personal chats: the user''s display name',
    active             TINYINT(1)   NOT NULL DEFAULT 1
        COMMENT '1 while Doberman may post here; 0 after it was removed or Teams refused a post',
    inactive_reason    VARCHAR(255) NULL
        COMMENT 'Why active became 0 (uninstalled, BotNotInConversationRoster, conversation not found)',
    first_seen_at      DATETIME(6)  NOT NULL
        COMMENT 'UTC time Doberman first heard from this conversation',
    last_seen_at       DATETIME(6)  NOT NULL
        COMMENT 'UTC time of the latest activity from this conversation',
    PRIMARY KEY (conversation_id),
    KEY ix_conversation_ref_team (team_id),
    KEY ix_conversation_ref_kind_active (kind, active)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Conversations (personal chats, group chats, channels) where Doberman is installed and may post';

CREATE TABLE job_run (
    id           BIGINT       NOT NULL AUTO_INCREMENT
        COMMENT 'Surrogate key, increasing with start time',
    job          VARCHAR(64)  NOT NULL
        COMMENT 'Job name, e.g. catalog, usage, cost, heartbeat',
    started_at   DATETIME(6)  NOT NULL
        COMMENT 'UTC start time',
    finished_at  DATETIME(6)  NULL
        COMMENT 'UTC end time; NULL while running or if the process died mid-run',
    status       VARCHAR(16)  NOT NULL
        COMMENT 'running | succeeded | failed | skipped',
    rows_written BIGINT       NOT NULL DEFAULT 0
        COMMENT 'Rows the run inserted or updated in the store',
    error_text   TEXT         NULL
        COMMENT 'For failed runs: the error and its causes, outermost first',
    PRIMARY KEY (id),
    KEY ix_job_run_job_started (job, started_at),
    KEY ix_job_run_status (status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'One row per scheduled job run (collectors, alert rules, heartbeat)';
