# The morning heartbeat (src/alerts/mod.rs, cards/heartbeat.json).

heartbeat-title = Good morning: Doberman is alive
heartbeat-subtitle = version { $version } · up { $uptime } · { $time }
heartbeat-summary = Doberman { $version } is alive: { $failures } failed job run(s) in 24h, { $open } open alert(s)
heartbeat-status-well = ● all well
heartbeat-status-attention = ● attention
heartbeat-fact-freshness = Freshness
heartbeat-fact-freshness-value = { $stale } stale of { $watched } watched tables ({ $unwatched } not watched)
heartbeat-fact-cost = Cost { $day }
heartbeat-cost-not-yet = no cost data yet for that day (the report lags)
heartbeat-cost-none = no cost data
heartbeat-fact-open-alerts = Open alerts
heartbeat-fact-job-runs = Job runs (24h)
heartbeat-fact-job-runs-value = { $n } failed
heartbeat-fact-airflow = Airflow runs (24h)
heartbeat-fact-airflow-value = { $ok } ok · { $failed } failed · { $running } still running
heartbeat-fact-checks = Data checks
heartbeat-fact-checks-value = { $pass } passed · { $fail } failed · { $error } could not run
heartbeat-job-ok = ✅ { $job }: { $ok } succeeded
heartbeat-job-failed = ❌ { $job }: { $ok } succeeded, { $failed } failed — { $error }
heartbeat-alert-line = 🔔 { $topic }: { $n } firing
heartbeat-footer = Daily at { $at } · if this card does not come, Doberman is down
heartbeat-fallback = Doberman is alive
heartbeat-fallback-text = Doberman is alive.

t_heartbeat_jobs = Last night's jobs
t_heartbeat_open_alerts = Open alerts
t_heartbeat_dashboard = Operations dashboard
