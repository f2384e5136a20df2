-- Alerts of the airflow topic name the Airflow owners of their DAG, so that their card can @mention the Teams
-- people airflow.owners maps them to.
ALTER TABLE alert ADD COLUMN owners TEXT NULL; -- Airflow owners of the alert's DAG, comma-separated
