# The commands' words (src/chat/commands.rs): cmd-<name>-summary is one line (also the Teams manifest's
# description, at most 128 characters), cmd-<name>-help the whole story for `help <command>`, cmd-<name>-arg<N>
# what its N-th argument is.

cmd-help-summary = What Doberman can do, or how to use one command
cmd-help-help = Without a command, lists everything you can ask. With one, explains it: its arguments, other names and examples.
cmd-help-arg1 = a command to explain

cmd-catalog-table-summary = A table's columns, partitions, location, format, how fresh its data is and who reads it
cmd-catalog-table-help = Shows a Glue table as the catalog collector last saw it: columns with types and comments (🔑 marks partition keys), location, format, partitions and the newest one, when its data last changed, and the Athena work groups that used it most in the last 30 days. A name that is not exact gets the close matches; one close match is shown directly.
cmd-catalog-table-arg1 = a table: db.table, or just its name

cmd-catalog-search-summary = Find tables by words in their names, column names and comments, most used first
cmd-catalog-search-help = Finds tables with every word you give at the start of a word in the database or table name, a column name, a column comment or the description (Korean compounds match by their parts too). Name matches come first, then columns, then comments; ties by Athena use in the last 30 days.
cmd-catalog-search-arg1 = words of table or column names or comments (Korean too)

cmd-catalog-db-summary = A database's tables with how fresh each one's data is and how much it is queried
cmd-catalog-db-help = Lists the tables of a Glue database (in every configured account and region) by name, with their format, partitions, when their data last changed and their Athena queries in the last 30 days.
cmd-catalog-db-arg1 = a Glue database

cmd-top-tables-summary = The tables queried most in Athena, with bytes scanned and the trend
cmd-top-tables-help = Ranks tables by the Athena queries that read or wrote them (or by the bytes those queries scanned) over the last 7, 30 or 90 days (or any number of days up to 90), in one database or all, against the period before. Say it your way: `most used tables last week`, `인기 테이블 30일 스캔량`.
cmd-top-tables-arg1 = 7d (default), 30d, 90d or any Nd up to 90d; db <name>; by queries (default) or by scanned

cmd-top-databases-summary = The databases queried most in Athena, with bytes scanned and the trend
cmd-top-databases-help = Ranks databases by the Athena queries that used their tables over the last 7, 30 or 90 days.
cmd-top-databases-arg1 = 7d (default), 30d, 90d or any Nd up to 90d; by queries (default) or by scanned

cmd-cost-summary = AWS cost: month to date against last month, projection, top services or accounts, movers
cmd-cost-help = Amortized AWS cost from the Cost and Usage Report, for every account the report covers. This month is compared with the same days of last month and projected from the last seven days; other months with the month before; today with the day before and the two weeks before it; weeks, quarters and the last N days with the period before of the same length. Say it your way: `what did we spend last week`, `이번 달 팀별 비용`.
cmd-cost-arg1 = this month (default), last month, today, yesterday, this week, last week, this quarter, last quarter, YYYY-MM or last Nd; by service (default), account, team or resource

cmd-navigate-summary = Which metric lives where: the dashboards, tables, channels and owners of each, by topic
cmd-navigate-help = The team's navigation document (navigate.file) plus Doberman's own tables and dashboards. Without a word, the index by group; with words, the entries whose title, keywords, description, places or owner mention them, title and keyword hits first.
cmd-navigate-arg1 = a metric, table, team or keyword (Korean too); none shows the whole index

cmd-airflow-summary = Today's Airflow board: failed, late, running and succeeded DAGs, the worst first
cmd-airflow-help = Shows each DAG that is on (not paused) by its latest run that is not a backfill: failed ones with their failed tasks and log links, late ones (their next run was due more than airflow.late_after ago and not created), running ones, then the rest; files that fail to import; and today's runs.

cmd-airflow-failed-summary = Airflow DAG runs that failed, with their failed tasks, tries and log links
cmd-airflow-failed-help = Lists the DAG runs that failed in the last 24 hours (or 7 days), newest first, each with the tasks that failed, their try numbers and a link to the log; backfills are marked.
cmd-airflow-failed-arg1 = the last 24 hours (the default) or 7 days

cmd-airflow-heatmap-summary = The Airflow schedule heatmap: when in the week DAGs run and for how long
cmd-airflow-heatmap-help = Draws the DAG runs (not backfills) in progress in each hour of each weekday over the last 7 (or 30) days, in schedule.timezone: each cell's colour is the run minutes, its number the runs. The busiest hours are named under it. Shows where the scheduler is crowded and where a new DAG fits.
cmd-airflow-heatmap-arg1 = the last 7 days (the default) or 30 days
cmd-airflow-heatmap-arg2 = one Airflow instance (default: all)

cmd-airflow-dag-summary = One Airflow DAG: schedule, owners, next run, its last runs with durations and the trend
cmd-airflow-dag-help = Shows a DAG's schedule, owners and next run, its last 10 runs with their durations and failed tasks, and how long its recent successful runs take against the ones before.
cmd-airflow-dag-arg1 = the DAG's id, as Airflow shows it

cmd-checks-summary = Today's data checks (정합성): failing first, then passed, by table
cmd-checks-help = Lists every data check (checks.dir, and Glue Data Quality rulesets when read) by its latest result: failed ones with the numbers of each side, those that could not run (a timeout, a refused query), those not run yet, then the ones that passed.

cmd-check-run-summary = Run a data check now and show what it found (admins)
cmd-check-run-help = Runs the check for the day its schedule would check now (yesterday, for most), records the result (replacing that day's) and shows its history. Its alert card follows at the next evaluation.
cmd-check-run-arg1 = the check's name, as in its file

cmd-check-summary = One data check's history with the numbers of each side, or a table's checks
cmd-check-help = For a check: its last 14 days with the number each side gave and the difference, where it runs, and its last failure's message. For a table (database.table): each of its checks by latest result.
cmd-check-arg1 = a check's name, or a table as database.table for all of its checks

cmd-status-summary = Is Doberman well: version, uptime, each job's last run, how fresh each kind of data is
cmd-status-help = Shows the version and uptime, the last run of every collector with its result, and when the catalog, the query history and the cost facts were last written, flagging what is more than two of its job's periods behind.

cmd-requests-summary = Requirements from the request channel: open ones, yours, or all
cmd-requests-help = Lists the requirements of the request channel, newest first: by default those not done, rejected or deleted; `mine` those you asked for or work on; `all` every one (the latest 50).
cmd-requests-arg1 = which: open (the default), mine (asked by or assigned to you) or all

cmd-request-summary = A requirement's details and history, or change it: accept, start, done, reject, assign
cmd-request-help = Without a change, shows the requirement with its comments and history. `accept`, `start` and `done` move it on, `reject <reason>` closes it with the reason, `assign me` or `assign @person` says who works on it. The card in its thread is updated and its author is told there.
cmd-request-arg1 = a requirement, e.g. REQ-12
cmd-request-arg2 = a change

cmd-subscriptions-summary = Which alert topics this chat or channel receives, and which are muted
cmd-subscriptions-help = Lists the topics sent here (jobs, freshness, cost, athena, airflow, quality, heartbeat), the topics muted and until when, and the alerts firing now.

cmd-subscribe-summary = Send this chat or channel a topic's alerts: jobs, freshness, cost, athena, airflow, quality, heartbeat
cmd-subscribe-help = From now on alerts of the topic come here as cards, one per problem, updated in place as it goes on and when it resolves. `heartbeat` is the morning card saying Doberman is alive. In channels and group chats only Doberman's admins may subscribe; in your personal chat anyone may.
cmd-subscribe-arg1 = jobs, freshness, cost, athena, airflow, quality or heartbeat

cmd-unsubscribe-summary = Stop sending this chat or channel a topic's alerts
cmd-unsubscribe-help = Cards already posted stay (and are still updated); no new ones come. Same permissions as `subscribe`.
cmd-unsubscribe-arg1 = a topic this chat or channel receives

cmd-mute-summary = Post no new alert cards of a topic for a while, everywhere (alerts are still recorded; admins)
cmd-mute-help = While a topic is muted no new card of it is posted anywhere; Doberman still records its alerts, and cards still open when the mute ends are posted then. A card's own Mute button mutes just that card. A mute applies in every chat and channel, so it is for admins; to stop a topic reaching you, `unsubscribe` it.
cmd-mute-arg1 = jobs, freshness, cost, athena, airflow or quality
cmd-mute-arg2 = how long, e.g. 30m, 2h, 1d (at most 7d)

cmd-unmute-summary = End a topic's mute (admins)
cmd-unmute-help = Alerts of the topic are posted again from the next evaluation on.
cmd-unmute-arg1 = a muted topic

cmd-conversations-summary = Where Doberman is installed and may post (admins)
cmd-conversations-help = Lists the chats and channels Doberman has heard from, with the team and channel names, and whether it may still post there.

cmd-language-summary = The language Doberman speaks in this chat or channel: 한국어 or English
cmd-language-help = Without an argument, says which language this chat gets and why. `language ko` or `language en` sets it for everyone here, answers and alerts alike; `language auto` goes back to each person's Teams language (alerts then follow the last message here). In channels and group chats only Doberman's admins may set it.
cmd-language-arg1 = ko (한국어), en (English), or auto: each person's own Teams language

cmd-requests-here-summary = Make this channel the request channel: every message becomes a tracked requirement (admins)
cmd-requests-here-help = From now on every new message in this channel becomes a requirement (REQ-1, REQ-2, …) that Doberman answers in its thread with a card; replies become its comments, and edits and deletions are kept. Messages that @mention Doberman stay commands. The team needs Doberman installed with its permission to read channel messages (the app package asks for it).

# A placeholder in a usage line (`help [command…]`), by its key (the argument's name, every character besides
# letters and digits a hyphen): English writes the name as it is declared.
cmd-arg-name = { $key ->
   *[other] { $name }
}
