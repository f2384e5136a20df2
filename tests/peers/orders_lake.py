"""A small `sales.orders` lake table in Parquet (hive partitions dt=YYYY-MM-DD) for the data-check tests, with
planted mistakes whose numbers the tests know: its queries run through cur_duckdb.py (`query DIR sales orders`).

  python orders_lake.py generate DIR   writes DIR/dt=…/orders.parquet and prints JSON {"days": {dt: {"rows",
                                        "amount", "null_customers", "duplicated_keys", "duplicated_rows",
                                        "negative_amounts", "newest"}}}

Day 2026-12-05 has 1,198 rows (the system of record in the tests has 1,204), 3 orders without a customer, one
order_id twice and 2 negative amounts; 2026-12-03 and 2026-12-04 are clean. Names are Korean and emoji.
"""
import datetime
import decimal
import json
import os
import sys

import duckdb

DAYS = {"2026-12-03": 1200, "2026-12-04": 1000, "2026-12-05": 1198}


def generate(out):
    con = duckdb.connect()
    con.execute("CREATE TABLE orders (order_id BIGINT, customer_id BIGINT, store VARCHAR, amount DECIMAL(18,2), "
                "updated_at TIMESTAMP, dt VARCHAR)")
    summary = {}
    next_id = 1
    for dt, n in DAYS.items():
        day = datetime.date.fromisoformat(dt)
        rows = []
        for i in range(n):
            amount = decimal.Decimal(1000 + (i * 37) % 9000) / 100
            customer = 10_000 + i
            if dt == "2026-12-05" and i < 3:
                customer = None
            if dt == "2026-12-05" and i in (10, 11):
                amount = -amount
            order_id = next_id
            if dt == "2026-12-05" and i == 20:
                order_id = next_id - 1  # the previous order's id again
            next_id += 1
            updated = datetime.datetime.combine(day, datetime.time(0, 0)) + datetime.timedelta(seconds=i * 60)
            rows.append((order_id, customer, f"매장 {i % 7} 🐕", amount, updated, dt))
        con.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)", rows)
        summary[dt] = {
            "rows": n,
            "amount": str(sum(r[3] for r in rows)),
            "null_customers": sum(1 for r in rows if r[1] is None),
            "duplicated_keys": 1 if dt == "2026-12-05" else 0,
            "duplicated_rows": 2 if dt == "2026-12-05" else 0,
            "negative_amounts": sum(1 for r in rows if r[3] < 0),
            "newest": max(r[4] for r in rows).isoformat(sep=" "),
        }
    os.makedirs(out, exist_ok=True)
    con.execute(f"COPY orders TO '{out}' (FORMAT PARQUET, PARTITION_BY (dt), OVERWRITE_OR_IGNORE true)")
    print(json.dumps({"days": summary}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "generate":
        generate(sys.argv[2])
    else:
        sys.exit(__doc__)
