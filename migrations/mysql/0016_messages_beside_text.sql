-- Alerts and check verdicts are drawn in each reader's language from a stored message (a Fluent message id and its
-- arguments, as JSON). The columns people read without Doberman (Superset: alert.title and .detail,
-- fact_check_result.message) keep the text in English, times in UTC; the message goes in a column of its own.
ALTER TABLE alert
    ADD COLUMN title_msg TEXT NULL
        COMMENT 'title as a stored message (JSON), drawn in each reader''s language; NULL when title is plain text',
    ADD COLUMN detail_msg TEXT NULL
        COMMENT 'detail as a stored message (JSON), drawn in each reader''s language; NULL when detail is plain text',
    MODIFY COLUMN title TEXT NOT NULL
        COMMENT 'One line for people, in English',
    MODIFY COLUMN detail TEXT NULL
        COMMENT 'What was seen, with the figures, in English (times in UTC)';

ALTER TABLE fact_check_result
    ADD COLUMN message_msg TEXT NULL
        COMMENT 'message as a stored message (JSON), drawn in each reader''s language; NULL when message is plain text',
    MODIFY COLUMN message TEXT NULL
        COMMENT 'What it found, in words, in English: the failure or the error';
