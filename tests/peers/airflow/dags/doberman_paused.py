"""Doberman test DAG: paused when first parsed (is_paused_upon_creation), so it never runs on its own.
Works on Airflow 2.10 and 3.x."""
from datetime import datetime, timezone

try:  # Airflow 3.x
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.x
    from airflow import DAG
    from airflow.operators.bash import BashOperator

with DAG(
    dag_id="doberman_paused",
    schedule="@daily",
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    is_paused_upon_creation=True,
    tags=["doberman-test"],
    default_args={"owner": "data-eng"},
):
    BashOperator(task_id="noop", bash_command="true")
