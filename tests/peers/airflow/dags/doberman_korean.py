"""Doberman test DAG whose dag_id is Korean (주문_적재 = "order load"), to test Unicode ids in URLs and JSON.
Unscheduled. Works on Airflow 2.10 and 3.x."""
from datetime import datetime, timezone

try:  # Airflow 3.x
    from airflow.providers.standard.operators.bash import BashOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.x
    from airflow import DAG
    from airflow.operators.bash import BashOperator

with DAG(
    dag_id="주문_적재",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["doberman-test"],
    default_args={"owner": "data-eng"},
):
    BashOperator(task_id="적재", bash_command="true")
