# Data checks: `checks`, `check <name or table>`, `check run <name>` (src/chat/checks.rs, the airflow card), and
# what a check found (src/checks/judge.rs, src/checks/mod.rs), stored as a message and written when read.

## The chat's answers.
# A check's latest status: `pass`, `fail`, `error`, or `none` (it has not run).
checks-status = { $status ->
    [pass] pass
    [fail] fail
    [error] error
   *[none] not run
}
checks-numbers = source { $source } · lake { $lake } ({ $diff })
checks-numbers-same = source { $source } · lake { $lake }
checks-warn = warn
checks-owner = owner { $owner }
checks-day-pattern = %m-%d
checks-not-run-yet = has not run yet
checks-status-label = Status
checks-more-link = more
checks-open-dashboard = Open the data quality dashboard
checks-check-label = Check
checks-latest-result = Latest result
checks-none-declared = No data check is declared
checks-none-declared-hint = Write checks in checks.dir (checks/*.toml, `doberman check validate` reads them), or set checks.glue_data_quality to read AWS Glue Data Quality results.
checks-n-failing = { $n } failing
checks-n-could-not-run = { $n } could not run
checks-n-passed = { $n } passed
checks-n-not-run-yet = { $n } not run yet
checks-all-pass = all pass
checks-board-title = Data checks · today
checks-board-summary = Data checks: { $failed } failing, { $errors } could not run, { $passed } passed, { $notrun } not run yet
checks-board-subtitle = { $checks ->
    [one] { $checks } check
   *[other] { $checks } checks
} on { $tables ->
    [one] { $tables } table
   *[other] { $tables } tables
} · failing first
checks-latest-results = Latest results
checks-latest-results-value = { $failed } failed · { $errors } could not run · { $passed } passed
checks-board-more = and { $n } more that passed or have not run (check <table> lists a table's)
checks-day-checked = Day checked
checks-found = What it found
checks-now = Now
checks-runs = Runs
checks-source = source { $source }
checks-lake = lake { $lake }
checks-last-failure = Last failure
checks-last-days = { $n ->
    [one] Last { $n } day
   *[other] Last { $n } days
}
checks-last-days-value = { $passed } passed · { $failed } did not
checks-not-run-title = It has not run yet
checks-not-run-hint = It runs on its schedule; an admin can run it now with `check run <name>`.
checks-table-title = Data checks · { $table }
checks-table-summary = { $table }: { $failed } failing, { $errors } could not run, { $passed } passed
checks-no-such-title = No such check
checks-no-such = No check and no table with checks is called { $typed }.
checks-no-such-fix = `checks` lists every check; `check <name>` or `check <database.table>` shows one.
checks-cannot-run-title = Checks cannot run here
checks-cannot-run = This Doberman runs no checks.
checks-cannot-run-fix = Set checks.dir.
checks-no-such-declared = No check in checks.dir is called { $typed }.
checks-no-such-declared-fix = `checks` lists them; Glue Data Quality rulesets run in Glue, not here.
checks-ran = ran for { $day } in { $duration }: { $status }
checks-ms = { $ms } ms
checks-secs = { $s } s
checks-data-checks = Data checks
checks-name-one = name a check or a table

## What a check found. `where` is `lake` or `source`, `side` the source's name (its host, or Athena); numbers
## come written (`1,204`), `diff` with its sign, `pct` empty or ` (-0.50%)`, `label` empty or `amount: `.
checks-verdict-no-row = { $where ->
    [lake] the lake
   *[source] { $side }
} returned no row: the query must return one row of numbers
checks-verdict-many-rows = { $where ->
    [lake] the lake
   *[source] { $side }
} returned more than one row: the query must return one row of numbers (no GROUP BY)
checks-verdict-not-a-number = { $where ->
    [lake] the lake
   *[source] { $side }
}: `{ $column }` is not a number: { $value }
checks-verdict-count-mismatch = { $side } returned { $source } numbers and the lake { $lake }: write the same columns on both sides
checks-verdict-no-column = the queries returned no column
checks-verdict-off = { $label }lake { $lake } vs { $side } { $source }, off by { $diff }{ $pct }, more than the tolerance { $tolerance }
checks-verdict-off-more = { $label }lake { $lake } vs { $side } { $source }, off by { $diff }{ $pct }, more than the tolerance { $tolerance }; { $more ->
    [one] { $more } more column is off too
   *[other] { $more } more columns are off too
}
checks-verdict-equal = lake { $lake } = { $side } { $source }
checks-verdict-within = lake { $lake } vs { $side } { $source }, off by { $diff }: within the tolerance { $tolerance }
checks-verdict-all-match = all { $n } numbers match { $side }
checks-verdict-fewer-numbers = the lake returned fewer numbers than expected
checks-verdict-no-number = the lake returned no number
checks-verdict-nulls-ok = { $nulls } NULL { $column } in { $rows } rows
checks-verdict-nulls-fail = { $nulls } of { $rows } rows have no { $column } (NULL), more than the tolerance { $tolerance }
checks-verdict-unique = ({ $key }) is unique
checks-verdict-dupes-ok = { $keys } duplicated ({ $key }) keys: within the tolerance { $tolerance }
checks-verdict-dupes = { $keys } ({ $key }) keys appear more than once ({ $rows } rows)
checks-verdict-not-a-time = the newest { $column } is not a time: { $value }
checks-verdict-no-time = the table has no { $column } at all
checks-verdict-fresh = the newest { $column } is { $newest } UTC, { $age }h old
checks-verdict-stale = the newest { $column } is { $newest } UTC, { $age }h old: more than { $max }h
# `bounds`: `both`, `min`, `max` or `any`.
checks-verdict-range-out = { $n } rows, outside the expected { $bounds ->
    [both] { $min } to { $max }
    [min] at least { $min }
    [max] at most { $max }
   *[any] any
}
checks-verdict-range-in = { $n } rows, within { $bounds ->
    [both] { $min } to { $max }
    [min] at least { $min }
    [max] at most { $max }
   *[any] any
}
checks-verdict-no-bad-row = no row found
# `n` a number; `truncated` is `yes` when there were more rows than counted.
checks-verdict-bad-rows = { $truncated ->
    [yes] more than { $n } rows
   *[no] { $n ->
        [one] { $n } row
       *[other] { $n } rows
    }
} that must not exist; the first: { $first }
checks-glue-failed = { $failed } of { $rules } rules failed (score { $score }%): { $said }
checks-glue-errors = { $errors } rules could not be evaluated: { $said }
checks-glue-passed = all { $rules } rules passed (score { $score }%)

## Why a check could not tell.
checks-error-not-identifier = `{ $name }` is not a plain identifier
checks-error-no-lake-sql = the check has no lake SQL
checks-error-no-source = the check has no source side
checks-error-not-one-sided = not a one-sided check
checks-error-no-account = { $where ->
    [lake] the lake
   *[source] { $side }
}: no AWS account `{ $account }` to run Athena in (checks.account, aws.accounts)
# `error` is the system's own words (Athena's, the driver's).
checks-error = { $where ->
    [lake] the lake
   *[source] { $side }
}: { $error }
checks-error-connect = { $where ->
    [lake] the lake
   *[source] { $side }
}: cannot connect to { $host }: { $detail }
checks-error-timeout = { $where ->
    [lake] the lake
   *[source] { $side }
}: { $host } did not answer within { $secs }s; the query was stopped
checks-error-refused = { $where ->
    [lake] the lake
   *[source] { $side }
}: { $host } refused the query: { $detail }
