"""Doberman test DAG: the first task succeeds, the second raises; with one retry 2 s later a triggered run goes
up_for_retry, then failed. Clearing the failed task (or the run) makes it pass: it fails only on tries 1 and 2,
so a cleared run ends in success (try 3). The owner's name is Korean, to test Unicode.
Works on Airflow 2.10 and 3.x."""
from datetime import datetime, timedelta, timezone

try:  # Airflow 3.x
    from airflow.providers.standard.operators.python import PythonOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.x
    from airflow import DAG
    from airflow.operators.python import PythonOperator


def _explode(ti):
    if ti.try_number <= 2:
        raise RuntimeError(f"doberman_fails: failing on purpose (try {ti.try_number}; passes once cleared)")


with DAG(
    dag_id="doberman_fails",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["doberman-test"],
    default_args={"owner": "민수", "retries": 1, "retry_delay": timedelta(seconds=2)},
):
    prepare = PythonOperator(task_id="prepare", python_callable=lambda: None)
    explode = PythonOperator(task_id="explode", python_callable=_explode)
    prepare >> explode
