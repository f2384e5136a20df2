# navigate (src/chat/navigate.rs) and its card (cards/navigate.json).

## Doberman's own entries

navigate-usage-title = Table usage in Athena (테이블 사용량)
navigate-usage-description = Queries and bytes scanned per table and day, from the Athena query history: which tables are used, how much, and the trend.
navigate-history-title = Athena query history (쿼리 이력)
navigate-history-description = Every Athena query execution kept beyond Athena's 45 days: who ran what, state, run time, bytes scanned, SQL text, and which tables each query read or wrote.
navigate-cost-title = AWS cost (AWS 비용)
navigate-cost-description = Amortized cost per day, account, service and usage type from the Cost and Usage Report, and the costliest resources; month to date, projection and movers.
navigate-catalog-title = Glue catalog: databases, tables, columns (테이블 목록)
navigate-catalog-description = The current Glue catalog: every database, table and view with location, format and partitions, and every column with its type and comment; dropped ones are kept with when they were dropped.
navigate-freshness-title = Table growth and freshness (신선도)
navigate-freshness-description = One row per table per day: partitions, newest partition and last data update, to see growth and tables that stopped receiving data.
navigate-jobs-title = Doberman's jobs (수집 상태)
navigate-jobs-description = When each collector last ran, how it ended and how many rows it wrote.
navigate-dashboard-usage = Doberman usage
navigate-dashboard-cost = Doberman cost
navigate-dashboard-catalog = Doberman catalog
navigate-dashboard-operations = Doberman operations
navigate-command-top = top tables
navigate-command-cost = cost
navigate-command-table = catalog table <name>
navigate-command-search = catalog search <words>
navigate-command-status = status

## The card

navigate-ask-me = 🐕 ask me: { $command }
navigate-owner = owner: { $owner }
navigate-own-only = Doberman's own entries only
navigate-no-file = Only Doberman's own entries so far: set navigate.file to a file like navigate.example.toml to add your team's dashboards, tables and channels.
navigate-entries = { $n ->
        [one] { $n } entry
       *[other] { $n } entries
    }
navigate-groups = { $n ->
        [one] { $n } group
       *[other] { $n } groups
    }
navigate-index-title = Where things live
navigate-index-summary = Where things live: { $entries } in { $groups } ({ $names })
navigate-index-subtitle = { $entries } · navigate <word> finds one · 어디에 <단어>
navigate-group-more = …and { $n } more in { $group }: try navigate { $word }
navigate-open-superset = Open Superset
navigate-title = Navigate: { $words }
navigate-did-you-mean = Did you mean { $words }?
navigate-try = Try one word — a metric, a table, a team, or a group ({ $groups }) — or navigate alone for the whole index.
navigate-none-summary = Nothing in the navigation document matches “{ $words }”
navigate-none = Nothing matches “{ $words }”
navigate-more = …and { $n } more: try navigate with another word too (navigate { $words } <word>).
navigate-open = Open { $label }
navigate-one-match = 1 match
navigate-matches = { $n } matches, best first
navigate-some-match = No entry matches every word; { $entries } matching some, closest first
navigate-found-summary = { $n ->
        [one] { $n } match
       *[other] { $n } matches
    } for “{ $words }”: { $title }
