-- Alerts of the airflow topic name the Airflow owners of their DAG, so that their card can @mention the Teams
-- people airflow.owners maps them to.

ALTER TABLE alert
    ADD COLUMN owners TEXT NULL
        COMMENT 'Airflow owners of the DAG the alert is about, comma-separated as Airflow gives them (airflow topic)',
    MODIFY COLUMN topic VARCHAR(32) NOT NULL
        COMMENT 'jobs | freshness | cost | athena | airflow';
