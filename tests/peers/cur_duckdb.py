"""A synthetic Cost and Usage Report in Parquet, and DuckDB (pinned in requirements.txt) running Doberman's cost
aggregation SQL over it, so the SQL really runs and its figures can be checked to the cent.

  python cur_duckdb.py generate LAYOUT DIR   LAYOUT is legacy or cur2. Writes DIR/*/…/*.parquet (hive partitions:
                                              year=/month= or billing_period=) and prints JSON {"columns": [...],
                                              "partition_bytes": {dir: bytes}, "line_items": n,
                                              "expected": [[day, account, service, unblended, amortized, net], ...]}
                                              CUR_SCALE=N multiplies the accounts (for benchmarks).
  python cur_duckdb.py query DIR DB TABLE    reads {"queries": [{"name", "sql", "parameters"}]} on stdin, runs each
                                              against DB.TABLE = the Parquet files, prints {"results": {name:
                                              {"columns": [...], "types": [...], "rows": [...]}}, "files_read": {name: n},
                                              "files_total": n}

The expected totals come from how each line item was made (its intended amortized cost is decided when it is
generated), not from any SQL: an independent answer to compare Doberman's queries with.
"""
import datetime
import decimal
import glob
import json
import os
import random
import re
import sys
import time

import duckdb

ACCOUNTS = {"111111111111": "data-platform", "222222222222": "commerce", "333333333333": "marketing 마케팅"}
for _i in range(1, int(os.environ.get("CUR_SCALE", "1"))):
    ACCOUNTS[f"{400000000000 + _i:012d}"] = f"account {_i}"
SERVICES = {"AmazonEC2": "Amazon Elastic Compute Cloud", "AmazonS3": "Amazon Simple Storage Service",
            "AmazonAthena": "Amazon Athena", "AWSGlue": "AWS Glue"}
MONTHS = [(2026, 9), (2026, 10), (2026, 11)]
DAYS = 6


def money(rng, low, high):
    return round(rng.uniform(low, high), 6)


def line_items():
    """Every line item with the amortized cost it is meant to have."""
    rng = random.Random(20261125)
    items = []
    for year, month in MONTHS:
        period = datetime.datetime(year, month, 1)
        for day in range(1, DAYS + 1):
            start = datetime.datetime(year, month, day, rng.randrange(0, 24))
            for account in ACCOUNTS:
                for service in SERVICES:
                    def item(kind, unblended, amortized, resource="", **extra):
                        row = {
                            "line_item_usage_start_date": start,
                            "bill_billing_period_start_date": period,
                            "line_item_usage_account_id": account,
                            "line_item_usage_account_name": ACCOUNTS[account],
                            "line_item_product_code": service,
                            "product_name": SERVICES[service],
                            "line_item_usage_type": f"APN2-{service}-Usage",
                            "line_item_line_item_type": kind,
                            "line_item_currency_code": "USD",
                            "line_item_unblended_cost": unblended,
                            "line_item_net_unblended_cost": round(unblended * 0.95, 6),
                            "line_item_usage_amount": money(rng, 0, 10),
                            "line_item_resource_id": resource,
                            "reservation_reservation_a_r_n": "",
                            "reservation_effective_cost": 0.0,
                            "reservation_unused_amortized_upfront_fee_for_billing_period": 0.0,
                            "reservation_unused_recurring_fee": 0.0,
                            "savings_plan_savings_plan_effective_cost": 0.0,
                            "savings_plan_total_commitment_to_date": 0.0,
                            "savings_plan_used_commitment": 0.0,
                            "year": str(year), "month": str(month), "billing_period": f"{year}-{month:02d}",
                            "_amortized": amortized,
                        }
                        row.update(extra)
                        items.append(row)

                    for r in range(rng.randrange(3, 14)):
                        cost = money(rng, 0.01, 40)
                        resource = "" if r == 0 else f"arn:aws:{service.lower()}:ap-northeast-2:{account}:res/{r}"
                        item("Usage", cost, cost, resource)
                    if service == "AmazonEC2":
                        eff = money(rng, 1, 20)
                        item("DiscountedUsage", 0.0, eff, "i-reserved", reservation_effective_cost=eff,
                             reservation_reservation_a_r_n="arn:aws:ec2:ri/1")
                        up, rec = money(rng, 0, 5), money(rng, 0, 5)
                        item("RIFee", money(rng, 5, 30), round(up + rec, 6),
                             reservation_unused_amortized_upfront_fee_for_billing_period=up,
                             reservation_unused_recurring_fee=rec, reservation_reservation_a_r_n="arn:aws:ec2:ri/1")
                        if day == 1:
                            item("Fee", money(rng, 100, 900), 0.0, reservation_reservation_a_r_n="arn:aws:ec2:ri/1")
                    if service == "AmazonAthena":
                        covered, effective = money(rng, 1, 30), money(rng, 1, 20)
                        item("SavingsPlanCoveredUsage", covered, effective, "wg/primary",
                             savings_plan_savings_plan_effective_cost=effective)
                        item("SavingsPlanNegation", -covered, 0.0, "wg/primary")
                        total, used = money(rng, 20, 30), money(rng, 5, 20)
                        item("SavingsPlanRecurringFee", total, round(total - used, 6),
                             savings_plan_total_commitment_to_date=total, savings_plan_used_commitment=used)
                        if day == 1:
                            item("SavingsPlanUpfrontFee", money(rng, 50, 90), 0.0)
                    if service == "AWSGlue" and day == 2:
                        fee = money(rng, 1, 9)
                        item("Fee", fee, fee)
                    tax = money(rng, 0, 3)
                    item("Tax", tax, tax)
                    if day == 3:
                        credit = -money(rng, 0, 10)
                        item("Credit", credit, credit)
                        refund = -money(rng, 0, 2)
                        item("Refund", refund, refund)
    return items


LEGACY_DROP = {"line_item_usage_account_name", "billing_period", "product_name"}
CUR2_DROP = {"year", "month", "product_name"}


def generate(layout, out):
    items = line_items()
    con = duckdb.connect()
    columns = [k for k in items[0] if k != "_amortized"]
    con.execute("CREATE TABLE items (" + ", ".join(
        f"{c} {'TIMESTAMP' if isinstance(items[0][c], datetime.datetime) else 'DOUBLE' if isinstance(items[0][c], float) else 'VARCHAR'}"
        for c in columns) + ")")
    con.executemany(f"INSERT INTO items VALUES ({', '.join('?' for _ in columns)})",
                    [[it[c] for c in columns] for it in items])
    if layout == "legacy":
        keep = [c for c in columns if c not in LEGACY_DROP]
        select = ", ".join(keep) + ", product_name AS product_product_name"
        partition = "year, month"
    else:
        keep = [c for c in columns if c not in CUR2_DROP]
        select = ", ".join(keep) + (", map(['product_name', 'servicecode'], [product_name, line_item_product_code])"
                                    " AS product")
        partition = "billing_period"
    os.makedirs(out, exist_ok=True)
    con.execute(f"COPY (SELECT {select} FROM items) TO '{out}' (FORMAT PARQUET, PARTITION_BY ({partition}), "
                "OVERWRITE_OR_IGNORE)")
    schema = con.execute(f"SELECT * FROM read_parquet('{out}/**/*.parquet', hive_partitioning = true, "
                         "hive_types_autocast = false) LIMIT 0").description
    expected = {}
    for it in items:
        key = (it["line_item_usage_start_date"].date().isoformat(), it["line_item_usage_account_id"],
               it["line_item_product_code"])
        e = expected.setdefault(key, [decimal.Decimal(0)] * 3)
        e[0] += decimal.Decimal(str(it["line_item_unblended_cost"]))
        e[1] += decimal.Decimal(str(it["_amortized"]))
        e[2] += decimal.Decimal(str(it["line_item_net_unblended_cost"]))
    partitions = {}
    for path in glob.glob(f"{out}/**/*.parquet", recursive=True):
        part = os.path.relpath(os.path.dirname(path), out)
        partitions[part] = partitions.get(part, 0) + os.path.getsize(path)
    print(json.dumps({
        "columns": [d[0].lower() for d in schema],
        "partition_bytes": partitions,
        "line_items": len(items),
        "expected": [[*k, str(v[0]), str(v[1]), str(v[2])] for k, v in sorted(expected.items())],
    }))


def literal(p):
    """An Athena ExecutionParameters literal as a DuckDB parameter."""
    m = re.fullmatch(r"TIMESTAMP '(.*)'", p)
    if m:
        return datetime.datetime.fromisoformat(m.group(1))
    m = re.fullmatch(r"'(.*)'", p, re.S)
    return m.group(1).replace("''", "'") if m else float(p) if "." in p else int(p)


def value(v):
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    return v


def query(data, database, table):
    jobs = json.load(sys.stdin)["queries"]
    con = duckdb.connect()
    con.execute(f'CREATE SCHEMA "{database}"')
    con.execute(f'CREATE VIEW "{database}"."{table}" AS SELECT * FROM read_parquet(\'{data}/**/*.parquet\', '
                "hive_partitioning = true, hive_types_autocast = false)")
    results, files_read = {}, {}
    for job in jobs:
        params = [literal(p) for p in job["parameters"]]
        started = time.perf_counter()
        cur = con.execute(job["sql"], params)
        columns = [d[0] for d in cur.description]
        types = [str(d[1]) for d in cur.description]
        rows = [[value(v) for v in row] for row in cur.fetchall()]
        results[job["name"]] = {"columns": columns, "types": types, "rows": rows,
                                "elapsed_ms": round((time.perf_counter() - started) * 1000, 1)}
        plan = "\n".join(str(r[1]) for r in con.execute("EXPLAIN ANALYZE " + job["sql"], params).fetchall())
        m = re.search(r"Total Files Read:\s*(\d+)", plan)
        files_read[job["name"]] = int(m.group(1)) if m else None
    print(json.dumps({"results": results, "files_read": files_read,
                      "files_total": len(glob.glob(f"{data}/**/*.parquet", recursive=True))}))


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "query":
        query(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
