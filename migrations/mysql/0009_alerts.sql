-- Alerts: which conversation gets which topic, the alerts themselves (one row per firing episode), the cards that
-- show them (one card per problem; subjects firing together share one), each card's copy in each destination,
-- mutes, the audit, and the durable outbox the delivery worker sends from. All times are UTC.

CREATE TABLE alert_subscription (
    conversation_id     VARCHAR(400) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'conversation_ref.conversation_id that receives the topic',
    topic               VARCHAR(32)  NOT NULL
        COMMENT 'jobs | freshness | cost | athena | heartbeat',
    subscribed_by_aad_object_id VARCHAR(64) NULL
        COMMENT 'Entra object id of who typed `subscribe`',
    subscribed_by_name  VARCHAR(255) NULL
        COMMENT 'Their display name',
    subscribed_at       DATETIME(6)  NOT NULL
        COMMENT 'UTC time of the subscription',
    PRIMARY KEY (conversation_id, topic),
    KEY ix_alert_subscription_topic (topic)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Which chat or channel receives which alert topic';

CREATE TABLE alert_card (
    id                  BIGINT       NOT NULL AUTO_INCREMENT
        COMMENT 'Card id (data of its buttons)',
    topic               VARCHAR(32)  NOT NULL
        COMMENT 'jobs | freshness | cost | athena',
    opened_at           DATETIME(6)  NOT NULL
        COMMENT 'UTC time its first alert fired',
    closed_at           DATETIME(6)  NULL
        COMMENT 'UTC time its last alert resolved; NULL while any fires',
    acknowledged_by_aad_object_id VARCHAR(64) NULL
        COMMENT 'Entra object id of who pressed Acknowledge',
    acknowledged_by_name VARCHAR(255) NULL
        COMMENT 'Their display name',
    acknowledged_at     DATETIME(6)  NULL
        COMMENT 'UTC time of the acknowledgement',
    PRIMARY KEY (id),
    KEY ix_alert_card_open (closed_at, topic)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'One card per problem: the alerts that fired together on a topic';

CREATE TABLE alert (
    id                  BIGINT       NOT NULL AUTO_INCREMENT
        COMMENT 'Alert id: one row per firing episode of a key',
    alert_key           VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'topic:subject, e.g. freshness:prod/ap-northeast-2/sales.orders (topic:#hash when longer)',
    open_key            VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL
        COMMENT 'alert_key while firing, NULL once resolved: at most one firing episode per key',
    topic               VARCHAR(32)  NOT NULL
        COMMENT 'jobs | freshness | cost | athena',
    subject             TEXT         NOT NULL
        COMMENT 'What the alert is about (a job, account/region/database.table, a budget, a query)',
    severity            VARCHAR(16)  NOT NULL
        COMMENT 'warning | critical',
    title               TEXT         NOT NULL
        COMMENT 'One line for people',
    detail              TEXT         NULL
        COMMENT 'What was seen, with the figures',
    state               VARCHAR(16)  NOT NULL
        COMMENT 'firing | resolved',
    card_id             BIGINT       NOT NULL
        COMMENT 'alert_card.id of the card showing it',
    first_fired_at      DATETIME(6)  NOT NULL
        COMMENT 'UTC time this episode began',
    last_seen_at        DATETIME(6)  NOT NULL
        COMMENT 'UTC time a rule last found it',
    resolved_at         DATETIME(6)  NULL
        COMMENT 'UTC time a rule stopped finding it',
    fire_count          INT          NOT NULL
        COMMENT 'Evaluations that found it in this episode',
    PRIMARY KEY (id),
    UNIQUE KEY ux_alert_open (open_key),
    KEY ix_alert_card (card_id),
    KEY ix_alert_topic_state (topic, state, first_fired_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Alerts: what rules found, from first firing to resolution';

CREATE TABLE alert_event (
    id                  BIGINT       NOT NULL AUTO_INCREMENT,
    card_id             BIGINT       NOT NULL
        COMMENT 'alert_card.id',
    alert_id            BIGINT       NULL
        COMMENT 'alert.id (NULL for events of the whole card: acknowledged, muted)',
    at                  DATETIME(6)  NOT NULL
        COMMENT 'UTC time',
    kind                VARCHAR(16)  NOT NULL
        COMMENT 'fired | repeated | resolved | acknowledged | muted',
    actor_aad_object_id VARCHAR(64)  NULL
        COMMENT 'Entra object id of who acted (NULL: a rule)',
    actor_name          VARCHAR(255) NULL
        COMMENT 'Their display name',
    detail              TEXT         NULL
        COMMENT 'What changed',
    PRIMARY KEY (id),
    KEY ix_alert_event_card (card_id, at),
    KEY ix_alert_event_at (at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Audit of every alert: fired, repeated, resolved, acknowledged, muted';

CREATE TABLE alert_mute (
    mute_key            VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'A topic (freshness) or a card (card:<id>)',
    muted_until         DATETIME(6)  NOT NULL
        COMMENT 'UTC time the mute ends',
    muted_by_aad_object_id VARCHAR(64) NULL
        COMMENT 'Entra object id of who muted',
    muted_by_name       VARCHAR(255) NULL
        COMMENT 'Their display name',
    muted_at            DATETIME(6)  NOT NULL
        COMMENT 'UTC time of the mute',
    PRIMARY KEY (mute_key),
    KEY ix_alert_mute_until (muted_until)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Muted topics and cards: nothing new is posted for them until muted_until';

CREATE TABLE alert_message (
    id                  BIGINT       NOT NULL AUTO_INCREMENT,
    card_id             BIGINT       NULL
        COMMENT 'alert_card.id shown (NULL for a heartbeat)',
    kind                VARCHAR(16)  NOT NULL
        COMMENT 'alert | heartbeat',
    destination         VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'conversation_ref.conversation_id, or webhook:<topic> for a Workflows webhook of alerts.webhooks',
    activity_id         VARCHAR(64)  NULL
        COMMENT 'Teams id of the posted message, for updates in place',
    active              TINYINT      NOT NULL DEFAULT 1
        COMMENT '0 once the destination refused it for good (Doberman removed)',
    created_at          DATETIME(6)  NOT NULL
        COMMENT 'UTC time',
    PRIMARY KEY (id),
    UNIQUE KEY ux_alert_message_card (card_id, destination),
    KEY ix_alert_message_destination (destination)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Each card''s (or heartbeat''s) message in each destination';

CREATE TABLE outbox (
    id                  BIGINT       NOT NULL AUTO_INCREMENT
        COMMENT 'Sent in id order per message',
    message_id          BIGINT       NOT NULL
        COMMENT 'alert_message.id',
    operation           VARCHAR(16)  NOT NULL
        COMMENT 'post | update',
    payload             MEDIUMTEXT   NULL
        COMMENT 'Heartbeats: the card data as JSON (alert cards are drawn from the alert tables when sent)',
    state               VARCHAR(16)  NOT NULL
        COMMENT 'pending | sent | dropped',
    attempts            INT          NOT NULL DEFAULT 0
        COMMENT 'Delivery attempts so far',
    next_attempt_at     DATETIME(6)  NOT NULL
        COMMENT 'UTC time it may be tried (again)',
    claimed_by          VARCHAR(255) NULL
        COMMENT 'The Doberman process sending it',
    claimed_until       DATETIME(6)  NULL
        COMMENT 'UTC time the claim lapses (a process killed mid-send leaves it to lapse)',
    created_at          DATETIME(6)  NOT NULL
        COMMENT 'UTC time it was written, in the transaction that changed the alert',
    sent_at             DATETIME(6)  NULL
        COMMENT 'UTC time Teams or the webhook accepted it',
    last_error          TEXT         NULL
        COMMENT 'Why the last attempt failed',
    PRIMARY KEY (id),
    KEY ix_outbox_due (state, next_attempt_at),
    KEY ix_outbox_message (message_id, state)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Messages to send, written with the alert changes they announce';
