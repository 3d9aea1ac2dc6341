"""The slowest statements of each benchmarked page, with the database's query plan.

    VIGIL_DATA_DIR=... python benchmarks/web_explain.py PLAN.json [--top 3]

Reads a plan written by ``web_plan.py`` (each page's statements, slowest first, with their
time on capture) and prints, per scenario, the slowest statements of its first pages with
``EXPLAIN QUERY PLAN`` (SQLite) or ``EXPLAIN`` (PostgreSQL) — where the hot spots are.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def explain(sql: str) -> list[str]:
    """The query plan of ``sql`` as lines."""
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return [f"{row[0]}<-{row[1]} {row[-1]}" for row in rows]
    return [row[0] for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--pages", type=int, default=2, help="pages per scenario to look at")
    args = parser.parse_args()
    import django

    django.setup()
    plan = json.loads(args.plan.read_text())
    for name, pages in plan["pages"].items():
        for url, page in list(zip(plan["urls"][name], pages, strict=True))[: args.pages]:
            total = sum(page["timings"]) * 1000
            print(f"\n## {name} {url}: {page['queries']} queries, {total:.0f} ms of SQL")
            for seconds, sql in page["slowest"][: args.top]:
                print(f"\n{seconds * 1000:.0f} ms: {sql[:1500]}")
                if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    for line in explain(sql):
                        print(f"    {line}")


if __name__ == "__main__":
    main()
