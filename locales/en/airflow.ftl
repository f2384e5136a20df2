# Airflow: the board, failed runs, one DAG and the schedule heatmap (src/chat/airflow.rs, cards/airflow.json,
# cards/airflow_heatmap.json, the image of src/cards/heatmap.rs).

## How long a run took, and when it started (strftime patterns).
airflow-span-seconds = { $s }s
airflow-span-minutes = { $m }m
airflow-span-minutes-seconds = { $m }m { $s }s
airflow-span-hours = { $h }h
airflow-span-hours-minutes = { $h }h { $m }m
airflow-time-pattern = %H:%M %Z
airflow-day-time-pattern = %m-%d %H:%M %Z

## A run's state as Airflow names it; a state Doberman does not know is shown as Airflow writes it.
airflow-state = { $state ->
    [failed] failed
    [success] success
    [running] running
    [queued] queued
   *[other] { $state }
}
# What started a run (`scheduled`, `manual`, `backfill`, `dataset_triggered`, …); `shown` is it with spaces.
airflow-run-type = { $kind ->
   *[other] { $shown }
}
airflow-running-for = running { $span }
airflow-backfill = backfill
airflow-task-try = { $task } (try { $attempt })
airflow-failed-tasks = failed: { $tasks }
airflow-owner = owner { $owner }

## Every Airflow card.
airflow-stale = The airflow collector last succeeded { $ago }; these runs may be behind.
airflow-not-collected = No Airflow is collected yet
airflow-not-collected-hint = Set airflow.instances (a web server and a user with the Viewer role); the airflow collector reads it every 5 minutes (doberman collect airflow).
airflow-not-collected-fix = No Airflow is collected yet: set airflow.instances.
airflow-state-label = State
airflow-log = log
airflow-open-dashboard = Open the Airflow dashboard
airflow-run = Run
airflow-n-failed = { $n } failed

## `airflow`: today's board.
airflow-board-title = Airflow · today
airflow-latest-run = Latest run
airflow-due = due { $time }, no run yet
airflow-late = late { $span }
airflow-no-run-yet = no run yet
airflow-no-runs = no runs
airflow-import-failed = { $file } fails to import: its DAGs do not run
airflow-import-error = import error
airflow-n-late = { $n } late
airflow-all-well = all well
airflow-today = Today
airflow-today-runs = { $n ->
    [one] { $n } run
   *[other] { $n } runs
} since 00:00 { $zone }: { $succeeded } succeeded, { $failed } failed, { $running } running
airflow-board-summary = Airflow today: { $failed } failed, { $late } late, { $running } running, { $succeeded } succeeded
airflow-none-on = No DAG is on
airflow-none-on-hint = Every DAG is paused or gone from Airflow's files.
airflow-board-more = and { $n } more (airflow dag <id> shows one)

## `airflow failed [24h|7d]`.
airflow-window-unknown = I don't know { $typed } here. Try `airflow failed` (the last 24 hours) or `airflow failed 7d`
airflow-last-24h = last 24 hours
airflow-last-days = last { $days } days
airflow-failed-title = Airflow · failed runs, { $period }
airflow-failed-none = No DAG run failed in the { $period }
airflow-failed-summary = { $n ->
    [one] { $n } DAG run
   *[other] { $n } DAG runs
} failed in the { $period }
airflow-none-failed = none failed
airflow-failed-hint-week = airflow failed 7d looks back a week.
airflow-failed-hint-board = airflow shows today's board.
airflow-failed-more = Only the newest { $n } are listed.

## `airflow dag <dag_id>`.
airflow-dag-which = Which DAG? Try `airflow dag orders_daily`
airflow-dag-not-id = { $typed } is not a DAG id
airflow-no-dag-title = No such DAG
airflow-no-dag = No DAG is called { $id }.
airflow-no-dag-fix = `airflow` lists the DAGs that are on.
airflow-instance = Instance
airflow-instance-also = { $instance } (also on { $n } more)
airflow-owners = Owners
airflow-schedule = Schedule
airflow-schedule-none = none: triggered only
airflow-next-run = Next run
airflow-trend-same = = the runs before
airflow-trend-up = ▲ { $pct }% on the runs before
airflow-trend-down = ▼ { $pct }% on the runs before
airflow-typical = Typical run
# `trend` is empty or starts with a space: ` (▲ 20% on the runs before)`.
airflow-typical-value = { $span } over the last { $n ->
    [one] { $n } success
   *[other] { $n } successes
}{ $trend }
airflow-paused = paused
airflow-on = on
airflow-none = none
airflow-dag-summary = DAG { $dag }: { $on }, last run { $last }
airflow-in-files = in Airflow's files
airflow-gone = gone from Airflow's files
airflow-failed-tasks-label = Failed tasks
airflow-no-runs-recorded = No runs recorded
airflow-no-runs-recorded-hint = None in the collected history (airflow.history_days back from the first collection).

## `airflow heatmap [7d|30d] [instance]`.
airflow-heatmap-period-unknown = I don't know { $typed } here. Try `airflow heatmap` (the last 7 days) or `airflow heatmap 30d`
airflow-heatmap-not-instance = { $typed } is neither a period (7d or 30d) nor an Airflow instance's name
airflow-no-instance-title = No such Airflow instance
airflow-no-instance = No Airflow instance is named { $name }.
airflow-heatmap-all = `airflow heatmap` draws every instance together.
airflow-heatmap-period = last { $days } days · { $zone }
# Weekdays, 0 = Monday: on the card, and (short) in the image.
airflow-weekday = { $day ->
    [0] Mon
    [1] Tue
    [2] Wed
    [3] Thu
    [4] Fri
    [5] Sat
   *[6] Sun
}
airflow-heatmap-weekday = { $day ->
    [0] Mon
    [1] Tue
    [2] Wed
    [3] Thu
    [4] Fri
    [5] Sat
   *[6] Sun
}
airflow-heatmap-busy = { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
} · { $minutes } run minutes
airflow-heatmap-alt = Heatmap of Airflow DAG runs by weekday (rows, Monday first) and hour of day (columns, 0 to 23, { $zone }), { $period }: { $runs ->
    [one] { $runs } run
   *[other] { $runs } runs
} in progress over { $hours } of 168 hours. Busiest: { $busiest }.
airflow-heatmap-quiet = No runs at { $hours }.
airflow-heatmap-summary = Airflow heatmap, { $period }: busiest { $hour } ({ $value })
airflow-heatmap-summary-none = Airflow heatmap, { $period }: no runs
airflow-heatmap-title = Airflow schedule heatmap (시간표 히트맵)
airflow-heatmap-empty = No DAG run in the { $period }
airflow-heatmap-empty-hint = Backfills are left out. Try `airflow heatmap 30d`, or `airflow` for today's board.
# The image's legend, beside the colour ramp from 0: every character must be in GLYPHS of src/cards/heatmap.rs.
airflow-heatmap-legend = { $max } run minutes · number: runs
t_airflow_heatmap_busiest_hours = Busiest hours
t_airflow_heatmap_open_dashboard = Open the Airflow dashboard
