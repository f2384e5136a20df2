-- MAX(finished_at) of one job's successes from the index (see the MySQL migration of the same number).
CREATE INDEX ix_job_run_success ON job_run (job, status, finished_at);
