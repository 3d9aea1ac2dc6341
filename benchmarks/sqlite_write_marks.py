"""What detecting the writes of watched tables costs on SQLite, per statement compiled and per
page: the authorizer (``core.db.sqlcipher``) against a regular expression on the SQL text.

Captures the statements of pages (``web_cpu.py``'s person list and profiles) on a benchmark
database, then runs each of them again on a raw SQLCipher connection whose driver caches no
statement (every run compiles, as a statement met for the first time does): without an
authorizer, with the backend's authorizer, and without one but with the text matched against a
regular expression of the watched tables (what parsing the text would cost on every run, the
driver's statement cache notwithstanding). CPU time, medians of ``--rounds``.

    VIGIL_DATA_DIR=DIR/demo python benchmarks/sqlite_write_marks.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def captured(pages: list[str]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from web_cpu import fetch, page_urls, signed_in_client

    client = signed_in_client()
    urls = [url for page in pages for url in page_urls(0)[page]]
    for url in urls:
        fetch(client, url)
    with CaptureQueriesContext(connection) as found:
        for url in urls:
            fetch(client, url)
    return [q["sql"] for q in found.captured_queries if q["sql"].lstrip()[:6].upper() == "SELECT"]


def run(statements: list[str], mode: str, rounds: int, prefix: str = "") -> float:
    """Median CPU seconds of one pass over ``statements`` compiled afresh each time (with
    ``prefix`` ``EXPLAIN QUERY PLAN``: compiled, not run)."""
    from django.conf import settings
    from sqlcipher3 import dbapi2 as Database

    from vigil.core.db import write_marks
    from vigil.core.db.sqlcipher.base import WriteMarkState

    options = settings.DATABASES["default"]["OPTIONS"]
    conn = Database.connect(settings.DATABASES["default"]["NAME"], cached_statements=0)
    conn.execute(f"PRAGMA key = \"x'{bytes(options['key']).hex()}'\"")
    conn.execute(f"PRAGMA cache_size = {options['pragmas']['cache_size']}")
    pattern = re.compile(
        r'\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?('
        + "|".join(map(re.escape, write_marks.watched()))
        + r")\b",
        re.IGNORECASE,
    )
    if mode == "authorizer":
        conn.set_authorizer(WriteMarkState().authorize)
    times = []
    hits = 0
    for _ in range(rounds + 1):  # the first warms the page cache
        start = time.process_time()
        for sql in statements:
            if mode == "regex" and pattern.search(sql):
                hits += 1
            conn.execute(prefix + sql).fetchall()
        times.append(time.process_time() - start)
    conn.close()
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pages", nargs="+", default=["list", "profile"])
    args = parser.parse_args()
    import django

    django.setup()
    statements = captured(args.pages)
    found: dict[str, Any] = {"statements": len(statements), "authorizer_calls": calls(statements)}
    for prefix, what in (("EXPLAIN QUERY PLAN ", "compiled"), ("", "compiled and run")):
        for mode in ("none", "authorizer", "regex", "none", "authorizer", "regex"):
            seconds = run(statements, mode, args.rounds, prefix)
            key = f"{what}: {mode}"
            found.setdefault(key, []).append(round(seconds * 1e6 / len(statements), 1))
    print(json.dumps(found))  # µs per statement, two passes of each mode


def calls(statements: list[str]) -> int:
    """How many times SQLite calls an authorizer while compiling ``statements``."""
    from django.db import connection

    counted = [0]

    def count(*_: Any) -> int:
        counted[0] += 1
        return 0

    raw = connection.connection
    raw.set_authorizer(count)
    try:
        for sql in statements:
            raw.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    finally:
        raw.set_authorizer(raw.write_marks.authorize)
    return counted[0]


if __name__ == "__main__":
    main()
