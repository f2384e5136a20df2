# `cost` (src/chat/cost.rs) and its card (cards/cost.json).

t_cost_cost = Cost
t_cost_open_dashboard = Open the cost dashboard

## Usage problems

cost-unknown-word = I don't know { $word } here. Try `cost`, `cost last month`, `cost today`, `cost last week`, `cost last 30d`, `cost 2026-10`, `cost by account`, `cost by team` or `cost by resource`.
cost-days-out-of-range = { $typed } is out of range: ask for the last 1 to { $max } days, or for a quarter (`cost last quarter`).

## Months, quarters and ranges

cost-month-name = { $month ->
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
}
cost-month-short = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
}
# A day without its year, for "Latest day (11-24)" (chrono's strftime).
cost-month-day-pattern = %m-%d
cost-range = { $from } – { $to }

## The card's header

cost-title = AWS cost · { $period }
cost-title-plain = AWS cost
cost-title-latest-day = AWS cost · { $day }, the latest day in
cost-subtitle = by { $by ->
    [account] account
    [team] team
    [resource] resource
   *[service] service
} · { $currency }, amortized
cost-rate = { $to } at { $rate } per { $from } (configured rate)
cost-group = { $by ->
    [account] Account
    [team] Team
    [resource] Resource
   *[service] Service
}
cost-change-header = Change
cost-no-team = (no team)
cost-new = new
cost-no-data = no data

## Summaries: "AWS cost, last week: USD 1,234.00, up 5.0% on the week before"

cost-summary = AWS cost, { $period }: { $total }, { $change }
cost-summary-day = AWS cost on { $day }: { $total }, { $change }
cost-summary-empty = No AWS cost data for { $period }
cost-summary-nothing = No AWS cost data yet
cost-change = { $dir ->
    [up] up { $pct }% on { $before }
    [same] about the same as { $before }
    [down] down { $pct }% on { $before }
   *[none] with nothing to compare on { $before }
}

## Periods, and the periods they are compared with

cost-name-month-to-date = { $month } to date
cost-before-same-days = the same days of { $month }
cost-name-yesterday = yesterday, { $day }
cost-before-day = the day before
cost-name-this-week = this week to date
cost-before-this-week = the same days of last week
cost-name-last-week = last week
cost-before-last-week = the week before
cost-name-quarter-to-date = Q{ $quarter } { $year } to date
cost-name-quarter = Q{ $quarter } { $year }
cost-before-quarter-same-days = the same days of Q{ $quarter } { $year }
cost-name-last-days = { $n ->
    [one] the last day
   *[other] the last { $n } days
}
cost-before-days = { $n ->
    [one] the day before
   *[other] the { $n } days before
}

## Facts

cost-fact-month-to-date = Month to date (1–{ $day })
cost-fact-same-days = Same days of { $month }
cost-fact-projected = Projected for { $month }
cost-fact-latest-day = Latest day ({ $day })
cost-anomaly = { $amount } · anomaly score { $score }
cost-fact-today = Today ({ $day })
cost-today-not-in = not in the report yet (it lags about a day)
cost-today-lag = Today ({ $today }) is not in the Cost and Usage Report yet; its latest day is { $latest }.
cost-fact-against-days = Against the { $n } days before
cost-mean-anomaly = mean { $amount } · anomaly score { $score }
cost-fact-this-week = This week ({ $range })
cost-fact-this-week-before = Same days of last week ({ $range })
cost-fact-last-week = Last week ({ $range })
cost-fact-last-week-before = The week before ({ $range })
cost-fact-quarter = { $quarter } ({ $range })
cost-fact-last-days = { $n ->
    [one] Last day ({ $range })
   *[other] Last { $n } days ({ $range })
}
cost-fact-days-before = { $n ->
    [one] The day before ({ $range })
   *[other] The { $n } days before ({ $range })
}

## The change column and the movers

cost-vs-month-days = vs { $month } 1–{ $day }
cost-vs-month = vs { $month }
cost-vs-day-before = vs the day before
cost-vs-this-week-before = vs last week, same days
cost-vs-last-week-before = vs the week before
cost-vs-quarter = vs { $quarter }
cost-vs-days-before = { $n ->
    [one] vs the day before
   *[other] vs the { $n } days before
}
cost-movers-day = Biggest movers, day over day
cost-movers-week = Biggest movers, week over week
cost-movers-month = Biggest movers, month over month
cost-movers-quarter = Biggest movers, quarter over quarter
cost-movers-days = { $n ->
    [one] Biggest movers, day over day
   *[other] Biggest movers, against the { $n } days before
}
cost-mover = { $arrow } { $name } { $sign }{ $amount } ({ $pct })
cost-mover-new = { $arrow } { $name } { $sign }{ $amount } (new)

## Empty states, staleness and the footer

cost-empty-period = No cost data for this period
cost-empty-title = No cost data for { $period }
cost-empty-hint-collect = The cost collector has not stored anything yet: set cost.database and run doberman collect cost.
cost-empty-hint-try = Try cost last month, or cost YYYY-MM for a month with data.
cost-empty-hint-month = The stored report runs through { $latest }. Try cost, cost last month, or cost YYYY-MM for a month with data.
cost-empty-hint-range = The stored report runs through { $latest }. Try cost today for the latest day, or cost last 30d.
cost-empty-resources = No resources stored for this period
cost-empty-resources-hint = The collector keeps the costliest resources of each day and service (cost.top_resources) when the report has resource ids; try cost by service.
cost-stale = The cost collector last succeeded { $ago }; it runs every { $hours }h, so these figures may be behind.
cost-stale-never = The cost collector has not succeeded yet on this store.
cost-as-of = { $when } · CUR through { $day }
