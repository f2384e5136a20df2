# top tables and top databases (src/chat/top.rs) and their card (cards/top.json).

## Card template's fixed words

t_top_queries = Queries
t_top_scanned = Scanned
t_top_open_dashboard = Open the usage dashboard

## Options as typed (usage problems: the reply adds a full stop)

top-bad-database = { $name } is not a database name
top-bad-days = { $word } is not a period I can show: give 1d to { $max }d
top-unknown-option = I don't know { $word } here. Try `top tables 30d`, `top tables db sales by scanned` or `top databases 90d` (인기 테이블 30일)

## The card

top-trend-new = new
top-no-database = (no database)
top-title = Top { $what ->
        [databases] databases
       *[tables] tables
    } · last { $days ->
        [one] { $days } day
       *[other] { $days } days
    }
top-subtitle = by { $by ->
        [scanned] bytes scanned
       *[queries] queries
    } · { $scope }
top-scope-database = database { $name }
top-scope-all = all databases
top-stale = The usage collector last succeeded { $ago }; these figures may be behind.
top-summary = { $title }: { $name } leads with { $queries }
top-summary-none = { $title }: no queries recorded
top-fact-queries = Queries
top-fact-scanned = Scanned
top-scanned-cost = { $bytes } (≈ { $cost } at USD { $price }/TB)
top-hint-no-history = No query history is stored yet: the usage collector fills it (doberman jobs, doberman collect usage).
top-hint-database = Check the database name (top databases lists them), or try a longer period: top { $what ->
        [databases] databases
       *[tables] tables
    } 90d.
top-hint-longer = Try a longer period: top { $what ->
        [databases] databases
       *[tables] tables
    } 90d.
top-hint-nothing = Nothing was queried in Athena in 90 days.
top-name-label = { $what ->
        [databases] Database
       *[tables] Table
    }
top-trend-label = vs previous { $days ->
        [one] day
       *[other] { $days } days
    }
top-empty = No queries recorded in the last { $days ->
        [one] day
       *[other] { $days } days
    }
