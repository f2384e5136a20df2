-- Alerts and check verdicts are drawn in each reader's language from a stored message (a Fluent message id and its
-- arguments, as JSON). The columns people read without Doberman (alert.title and .detail,
-- fact_check_result.message) keep the text in English, times in UTC; the message goes in a column of its own.
ALTER TABLE alert ADD COLUMN title_msg TEXT;              -- title as a stored message; NULL when plain text
ALTER TABLE alert ADD COLUMN detail_msg TEXT;             -- detail as a stored message; NULL when plain text
ALTER TABLE fact_check_result ADD COLUMN message_msg TEXT; -- message as a stored message; NULL when plain text
