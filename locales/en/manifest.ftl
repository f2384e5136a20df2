# The Teams app package's words (src/manifest.rs): the manifest in English, its Korean localization file.

manifest-name-full = Doberman, the data-lake watchdog
manifest-description-short = Your data lake's watchdog: catalog, usage, cost, alerts and requests
manifest-description-full = Doberman watches an AWS data lake for its data team and lives in Teams. Ask it about a table (catalog table sales.orders: columns, partitions, location, how fresh its data is and who reads it), the tables and databases queried most in Athena (top tables), this month's AWS cost against last month by account and service (cost), where each metric and dashboard lives (navigate) and its own health (status). Korean works too (테이블, 인기 테이블, 비용, 어디에, 상태). It reads the Glue Data Catalog, the Athena query history and the Cost and Usage Report on a schedule, never while you wait, and links to the Superset dashboards for deeper views.
