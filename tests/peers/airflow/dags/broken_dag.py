"""Doberman test DAG file that cannot be imported: Airflow lists it under import errors.
(The words DAG and airflow appear here so that Airflow's safe-mode scan does parse this file.)"""
import nonexistent_module_xyz  # noqa: F401

from airflow import DAG  # noqa: E402,F401
