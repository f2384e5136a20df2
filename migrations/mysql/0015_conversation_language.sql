-- The language Doberman speaks in each conversation: `locale` is the last one Teams sent with an activity from it
-- (BCP 47, e.g. ko-KR), `language` the one set there with the `language` command (ko or en), which wins.
-- Proactive cards (alerts, the heartbeat, request threads) are drawn in it.
ALTER TABLE conversation_ref
    ADD COLUMN locale VARCHAR(35) NULL COMMENT 'last activity locale seen here (BCP 47)',
    ADD COLUMN language VARCHAR(8) NULL COMMENT 'language set with the language command: ko or en';
