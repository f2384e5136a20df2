# catalog table, catalog db, catalog search (src/chat/catalog.rs) and their cards (cards/catalog_table.json,
# cards/catalog_list.json).

## Card templates' fixed words

t_catalog_column = Column
t_catalog_type = Type
t_catalog_comment = Comment
t_catalog_table = Table
t_catalog_about = About
t_catalog_data_changed = Data changed
t_catalog_queries_30d = Queries (30d)
t_catalog_open_dashboard = Open the catalog dashboard

## Names as typed (usage problems: the reply adds a full stop)

catalog-bad-table-parts = { $name } is not a table name; write db.table, e.g. catalog table sales.orders
catalog-bad-table-chars = { $name } is not a table name: names have letters, digits, _ and -; e.g. catalog table sales.orders
catalog-bad-database = { $name } is not a database name: names have letters, digits, _ and -; e.g. catalog db sales

## How fresh a table's data is (badges)

catalog-fresh-view = view
catalog-unknown = unknown
catalog-fresh-on-time = fresh · { $ago }
catalog-fresh-late = stale · { $ago }
catalog-fresh-unwatched = changed · { $ago }
catalog-expected-every = every { $span } ({ $source ->
        [learned] learned from its changes
       *[rule] alerts.freshness
    })
catalog-not-watched = not watched: no alerts.freshness rule names it, and it changed too seldom to learn from

## Shared

catalog-stale = The catalog collector last succeeded { $ago }; the catalog may be behind.
catalog-empty-catalog = The catalog is empty: the catalog collector fills it (doberman jobs, doberman collect catalog), or try the demo data (doberman demo).
catalog-tables = { $n ->
        [one] { $n } table
       *[other] { $n } tables
    }
catalog-row-partitions = { $n ->
        [one] { $n } partition
       *[other] { $n } partitions
    }

## catalog table

catalog-also-in = { $name } is also in { $places }.
catalog-only-close-table = There is no table { $name }; this is the only close match.
catalog-same-name-title = { $n } tables are called { $name }
catalog-same-name-subtitle = in several databases, accounts or regions
catalog-same-name-notice = Ask for one as catalog table <db.table>.
catalog-no-table = There is no table { $name }
catalog-did-you-mean = Did you mean one of these?
catalog-no-table-empty = No table is called { $name } or anything close
catalog-no-table-hint = Check the spelling, list a database with catalog db <name>, or search words with catalog search { $word }.
# A name that is not a Glue name (a Korean word) is searched for as catalog search does.
catalog-word-only-match = No table is called { $name }; this is the only table with that word.
catalog-word-matches = No table is called { $name }; these tables have that word.
catalog-gone-title = That table just went away
catalog-gone-message = { $name } was dropped a moment ago.
catalog-gone-fix = Ask again to see what is there now.
catalog-fact-location = Location
catalog-fact-format = Format
catalog-fact-expected = Expected to change
catalog-fact-partitions = Partitions
catalog-partitions = { $n } by { $keys }
catalog-partitions-uncounted = not counted yet, by { $keys }
catalog-fact-newest-partition = Newest partition
catalog-fact-data-changed = Data changed
catalog-fact-rows = Rows
catalog-fact-size = Size
catalog-fact-owner = Owner
catalog-fact-account = Account
catalog-columns-more = …and { $n } more columns
catalog-what-view = view
catalog-what-table = table
catalog-what-format-table = { $format } table
catalog-columns = { $n ->
        [one] { $n } column
       *[other] { $n } columns
    }
catalog-table-summary = { $name }: { $what }, { $columns }, data { $fresh }
catalog-columns-title = Columns ({ $n })
catalog-readers-title = Read most by · { $queries } in { $days } days
catalog-readers-title-none = Read most by · last { $days } days
catalog-readers-empty = No Athena query used it in the last { $days } days.

## catalog db

catalog-only-close-database = There is no database { $name }; this is the only close match.
catalog-no-database-hint = Check the spelling, or find tables by a word with catalog search { $name }.
catalog-database-did-you-mean = Did you mean: { $names }?
catalog-database-command = catalog db { $name }
catalog-no-database = There is no database { $name }
catalog-no-database-empty = No database is called { $name }
catalog-fact-tables = Tables
catalog-fact-about = About
catalog-fact-not-changed = Not changed in { $days } days
catalog-database-summary = Database { $name }: { $tables }
catalog-database-title = Database { $name }
catalog-database-subtitle = { $tables }, by name
catalog-database-empty = { $name } has no tables
catalog-database-empty-hint = Tables appear after the next catalog run if they were created since.

## catalog search

catalog-search-what-title = Search for what?
catalog-search-what-message = Give a word of a table or column name or comment.
catalog-search-what-fix = For example: catalog search customer, or catalog search 주문.
catalog-search-hint = Search finds tables whose names, column names or comments have words starting with each word you give; try fewer or shorter words, or list a database with catalog db <name>.
catalog-search-summary = Catalog search “{ $words }”: { $found } found
catalog-search-title = Tables matching “{ $words }”
catalog-search-subtitle = { $found } found · names first, then columns, then comments; most used first
catalog-search-truncated = Every word here is in more than { $cap } places: these are the best of its first { $cap } uses. Add a word, or a rarer one, to search them all.
catalog-search-empty = Nothing matches “{ $words }”
