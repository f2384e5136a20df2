# `status` (src/chat/status.rs) and its card (cards/status.json).

t_status_job = Job
t_status_last_run = Last run
t_status_result = Result
t_status_rows = Rows
t_status_data = Data
t_status_last_written = Last written
t_status_fresh = Fresh

status-title = Doberman status
status-up-since = up since { $when }
status-from-the-command-line = asked from the command line: this is the store's view, not a running server's
status-version = Version
status-database = Database
status-open-alerts = Open alerts
status-alerts-firing = { $topic } { $n }
status-no-alerts = none

status-healthy = ● healthy
status-alerts-open = ● alerts open
status-attention = ● attention
status-summary-healthy = Doberman { $version } is up, its data is current and no alert is open
status-summary-alerts = Doberman { $version } is up and its data is current; { $n ->
    [one] { $n } alert
   *[other] { $n } alerts
} open: { $alerts }
status-summary-attention = Doberman { $version } is up; { $n ->
    [one] { $n } thing needs attention
   *[other] { $n } things need attention
}

## Each job's last run

status-never = never
status-not-run-yet = not run yet
status-not-scheduled = not scheduled
status-succeeded = succeeded
status-running = running
status-skipped = skipped (another replica)
status-failed = failed: { $reason }
status-no-reason = no reason recorded

## When each fact family was last written

status-data-catalog = Glue catalog ({ $table })
status-data-usage = Athena queries ({ $table })
status-data-cost = Cost ({ $table })
status-data-airflow = Airflow runs ({ $table })
status-behind = behind
status-fresh = fresh
