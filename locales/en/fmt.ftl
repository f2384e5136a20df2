# How numbers, money, times and spans are written (src/i18n/fmt.rs).
# Patterns are chrono's strftime: %Y year, %m month, %-m month without padding, %d day, %H:%M time, %Z zone.

fmt-datetime-pattern = %Y-%m-%d %H:%M %Z
fmt-date-pattern = %Y-%m-%d
fmt-when = { $time } ({ $ago })
fmt-just-now = just now
fmt-ago = { $span } ago
fmt-in = in { $span }
fmt-span-minutes = { $n }m
fmt-span-hours = { $n }h
fmt-span-days = { $n }d
fmt-money = { $currency } { $amount }
fmt-month = { $month ->
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
} { $year }
fmt-queries = { $n ->
    [one] { $n } query
   *[other] { $n } queries
}
