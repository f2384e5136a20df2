"""The `doberman sql-tables` contract implemented with Python's sqlglot (pinned in requirements.txt), Athena
dialect, for comparison in benches/sql.rs: the same JSON Lines in, the same JSON Lines out.

Reads {"sql", "context_db"} lines on stdin; writes {"reads", "writes", "error"} lines. With --repeat N it
processes the input N times (printing the output once) and writes {"seconds": …, "statements": …} to stderr.
"""
import json
import logging
import sys
import time

import sqlglot
from sqlglot import exp

# sqlglot warns on every statement it falls back to parsing as a generic command; the answer says enough.
logging.getLogger("sqlglot").setLevel(logging.ERROR)

TARGETS = (exp.Insert, exp.Create, exp.Merge, exp.Update, exp.Delete, exp.Drop, exp.TruncateTable, exp.Alter)


def qualify(table, context_db):
    parts = [p for p in (table.catalog, table.db, table.name) if p]
    parts = [p.lower() for p in parts]
    if parts:
        parts[-1] = parts[-1].split("$")[0]
    if len(parts) == 3 and parts[0] == "awsdatacatalog":
        parts = parts[1:]
    if len(parts) == 1 and context_db:
        parts.insert(0, context_db.lower())
    return ".".join(parts)


def tables(sql, context_db):
    reads, writes = set(), set()
    for statement in sqlglot.parse(sql, read="athena"):
        if statement is None:
            continue
        ctes = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
        target = None
        if isinstance(statement, TARGETS):
            t = statement.this
            if isinstance(t, exp.Schema):
                t = t.this
            if isinstance(t, exp.Table):
                target = t
        for table in statement.find_all(exp.Table):
            if not table.name:
                continue
            name = qualify(table, context_db)
            if table is target:
                writes.add(name)
            elif not table.db and table.name.lower() in ctes:
                continue
            else:
                reads.add(name)
    return {"reads": sorted(reads), "writes": sorted(writes), "error": None}


def answer(line):
    try:
        item = json.loads(line)
        return tables(item["sql"], item.get("context_db"))
    except Exception as e:  # any failure is this input's error, as in the contract
        return {"reads": [], "writes": [], "error": f"{type(e).__name__}: {e}"[:300]}


def main():
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    lines = [l for l in sys.stdin.read().splitlines() if l.strip()]
    start = time.perf_counter()
    for i in range(repeat):
        answers = [answer(l) for l in lines]
    seconds = time.perf_counter() - start
    for a in answers:
        print(json.dumps(a, ensure_ascii=False))
    print(json.dumps({"seconds": seconds, "statements": len(lines) * repeat}), file=sys.stderr)


if __name__ == "__main__":
    main()
