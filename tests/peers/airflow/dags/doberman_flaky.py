"""Doberman test DAGs for the `airflow` alert topic: doberman_flaky_sqlite and doberman_flaky_mysql, one for each
store backend's run of the alert test, so that the two runs (which share one Airflow) do not trigger and clear
the same DAG. As doberman_fails: the second task fails on tries 1 and 2 (one retry 2 s later), so a triggered run
fails; cleared, it passes on try 3. Owned by 민수. Works on Airflow 2.10 and 3.x."""
from datetime import datetime, timedelta, timezone

try:  # Airflow 3.x
    from airflow.providers.standard.operators.python import PythonOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.x
    from airflow import DAG
    from airflow.operators.python import PythonOperator


def _explode(ti):
    if ti.try_number <= 2:
        raise RuntimeError(f"{ti.dag_id}: failing on purpose (try {ti.try_number}; passes once cleared)")


for backend in ("sqlite", "mysql"):
    with DAG(
        dag_id=f"doberman_flaky_{backend}",
        schedule=None,
        start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
        catchup=False,
        tags=["doberman-test"],
        default_args={"owner": "민수", "retries": 1, "retry_delay": timedelta(seconds=2)},
    ) as dag:
        prepare = PythonOperator(task_id="prepare", python_callable=lambda: None)
        explode = PythonOperator(task_id="explode", python_callable=_explode)
        prepare >> explode
    globals()[dag.dag_id] = dag
