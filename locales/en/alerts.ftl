# Alerts: what the rules find (src/alerts/rules.rs, kept in the store as messages and drawn for each reader), the
# alert card (src/alerts/mod.rs, cards/alert.json), and the subscription commands (src/chat/alerts.rs).

## Topics

alerts-topic-label = { $topic ->
    [jobs] Collectors
    [freshness] Freshness
    [cost] Cost
    [athena] Athena
    [airflow] Airflow
    [quality] Data checks
   *[other] { $topic }
}
# A topic within a sentence ("2 of 3 collectors alerts firing").
alerts-topic-word = { $topic ->
    [jobs] collectors
    [freshness] freshness
    [cost] cost
    [athena] athena
    [airflow] airflow
    [quality] data checks
   *[other] { $topic }
}

## What the rules find: titles and details

alerts-jobs-failed = The { $job } collector failed
alerts-jobs-failed-detail = Run of { $at }: { $error }
alerts-jobs-no-error = no error recorded
alerts-jobs-late = The { $job } collector did not run
alerts-jobs-late-detail = Last success { $at }; it runs every { $every }
alerts-jobs-late-detail-never = It never succeeded; it runs every { $every }

alerts-freshness-stale = { $table } is stale
alerts-freshness-stale-detail = Last changed { $at }; expected every { $every } ({ $how ->
    [learned] learned
   *[configured] configured
})

alerts-cost-budget = { $name } is over { $level } % of its { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} budget
alerts-cost-budget-detail = { $spent } of { $budget } spent ({ $pct } %)
alerts-cost-anomaly = Cost on { $day } is unusually high
alerts-cost-anomaly-detail = { $total } against { $mean } a day on average ({ $score } standard deviations)

alerts-athena-failing = Many Athena queries are failing
alerts-athena-failing-detail = { $failed } of { $total } in the last hour ({ $pct } %; { $usual } % over the week)
alerts-athena-scan = A query in { $workgroup } scanned { $bytes }
alerts-athena-scan-detail = Query { $query } at { $at }

alerts-airflow-failed = { $dag } failed
alerts-airflow-failed-run = Run { $run } failed { $at }
alerts-airflow-failed-run-undated = Run { $run } failed
alerts-airflow-retrying = Run { $run } failed and is being retried
alerts-airflow-try = { $task } (try { $try })
alerts-airflow-try-link = [{ $tried }]({ $url })
alerts-airflow-streak = { $n } failed runs in a row
alerts-airflow-next-retried = run { $run } failed too and is being retried
alerts-airflow-next-state = run { $run } is { $state } since { $at }
alerts-airflow-slow = { $dag } is running long
alerts-airflow-slow-detail = Run { $run } started { $at } and has run longer than { $limit } ({ $why })
alerts-airflow-limit-configured = its configured limit, { $limit }
alerts-airflow-limit-learned = { $factor } × the p95 of its last { $runs } successful runs, { $p95 }
alerts-airflow-late = { $dag } did not start
alerts-airflow-late-detail = Its run due { $at } had not started { $grace } later (the scheduler may be down, or the DAG stuck)
alerts-airflow-import = { $file } fails to import
alerts-airflow-import-on = { $file } fails to import ({ $instance })
alerts-airflow-import-detail = { $file }: { $error } · the DAGs it defines are not scheduled
alerts-airflow-no-error-text = no error text

alerts-quality-failed = { $check } failed
alerts-quality-error = { $check } could not run
alerts-quality-day-error = { $day }: could not run
alerts-quality-day-compare = { $day }: lake { $lake } · source { $source } ({ $difference })
alerts-quality-day-value = { $day }: { $value }
alerts-quality-day-status = { $day }: { $status }
alerts-quality-streak = { $n } failing days in a row

alerts-took-seconds = { $n }s
alerts-took-hours-minutes = { $h }h { $m }m

## The alert card

alerts-title-stale = { $firing } of { $total } tables are stale
alerts-title-firing = { $firing } of { $total } { $topic } alerts firing
alerts-title-closed = { $total } { $topic } alerts
alerts-status-resolved = ✅ RESOLVED
alerts-status-acknowledged = 👀 ACKNOWLEDGED
alerts-status-critical = 🔴 FIRING
alerts-status-firing = 🟠 FIRING
alerts-subtitle = { $topic } · since { $since }
alerts-fact-firing = Firing
alerts-fact-firing-value = { $firing } of { $total }
alerts-fact-seen = Seen
alerts-fact-seen-value = { $n } time(s), last { $last }
alerts-fact-resolved = Resolved
alerts-fact-acknowledged = Acknowledged
alerts-fact-acknowledged-value = by { $who }, { $at }
alerts-fact-muted-until = Muted until
alerts-owners = Owners: { $owners }
alerts-resolved = resolved
alerts-resolved-at = resolved { $at }
alerts-resolved-was = { $when }; it was: { $was }
alerts-resolved-over = Over: { $title }
alerts-resolved-freshness = { $name } is no longer stale
alerts-resolved-jobs = The { $name } collector runs again
alerts-resolved-airflow-failed = { $name } succeeded again
alerts-resolved-airflow-slow = { $name }'s long run ended
alerts-resolved-airflow-late = { $name } started
alerts-resolved-airflow-import = { $name } imports again
alerts-resolved-count = { $n } resolved
alerts-resolved-names-more = { $names } and { $n } more
alerts-footer = Alert #{ $id } · topic `{ $topic }` · `mute { $topic } 1h` silences the topic
alerts-fallback = alert
alerts-unrenderable = An alert could not be drawn; see the logs.

t_alert_acknowledge = Acknowledge
t_alert_mute_hour = Mute 1h
t_alert_mute_day = Mute 1d

## Subscriptions and mutes

alerts-not-a-topic-near = { $word } is not a topic: did you mean `{ $near }`? Topics: { $topics }
alerts-not-a-topic = { $word } is not a topic. Topics: { $topics }
alerts-admins-only-title = For admins only here
alerts-admins-only = In channels and group chats `{ $command }` is for Doberman's admins.
alerts-admins-only-fix = Ask one of them, or subscribe in your personal chat with me.
alerts-subscribe-where = Subscriptions belong to a chat or channel: ask me in one.
alerts-subscribed = 🔔 Subscribed: { $topic ->
    [heartbeat] the morning heartbeat
   *[other] `{ $topic }` alerts
} come here from now on. Each problem gets one card, updated in place until it resolves. `unsubscribe { $topic }` stops them.
alerts-already-subscribed = 🔔 { $topic ->
    [heartbeat] the morning heartbeat
   *[other] `{ $topic }` alerts
} already come here.
alerts-unsubscribed = 🔕 Unsubscribed: no new { $topic ->
    [heartbeat] the morning heartbeat
   *[other] `{ $topic }` alerts
} will come here.
alerts-not-subscribed = This chat was not subscribed to { $topic ->
    [heartbeat] the morning heartbeat
   *[other] `{ $topic }` alerts
}.
alerts-subscriptions-none = This chat receives no alerts. `subscribe <topic>` sends some here; topics: `jobs`, `freshness`, `cost`, `athena`, `heartbeat`.
alerts-subscriptions = This chat receives: { $topics }.
alerts-muted-until = `{ $key }` until { $until }
alerts-muted-list = Muted: { $mutes }.
alerts-firing-now = Firing now: { $list }.
alerts-mute-too-long = mute for at most 7d: a longer silence is an `unsubscribe`
alerts-muted = 🔇 `{ $topic }` is muted until { $until }: no new cards of it are posted anywhere meanwhile (alerts are still recorded). `unmute { $topic }` ends it.
alerts-unmuted = 🔔 `{ $topic }` is no longer muted: its cards are posted from the next check on.
alerts-not-muted = `{ $topic }` was not muted.
alerts-not-running = Alerts are not running in this Doberman.
alerts-mute-hours = Mute for 1 to { $max } hours.
alerts-firing-count = { $topic } { $n }
