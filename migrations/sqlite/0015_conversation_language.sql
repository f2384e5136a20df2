-- The language Doberman speaks in each conversation: `locale` is the last one Teams sent with an activity from it
-- (BCP 47, e.g. ko-KR), `language` the one set there with the `language` command (ko or en), which wins.
-- Proactive cards (alerts, the heartbeat, request threads) are drawn in it.
ALTER TABLE conversation_ref ADD COLUMN locale TEXT;   -- last activity locale seen here (BCP 47)
ALTER TABLE conversation_ref ADD COLUMN language TEXT; -- set with the language command: ko or en
