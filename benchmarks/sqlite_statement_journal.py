"""Why a row-level trigger made bulk writes inside a test's transaction 15-fold slower on SQLite.

Migration ``records/0014`` first put row-level triggers on SQLite (one ``UPDATE`` of a one-row
mark table per row written). Writes inside pytest-django's transaction (a ``SAVEPOINT`` held
for the whole test) became 15-20 times slower, writes outside one did not (docs/benchmarks.md
§4, "The home page on SQLite, fifteenth round"). This script reproduces it without Django, on
plain ``sqlite3`` and on SQLCipher (``sqlcipher3``, keyed as Vigil keys it), with Vigil's
pragmas (WAL, ``synchronous=FULL``, the bulk writer's 256 MiB page cache, ``temp_store``
memory): a table with a random 32-character key and two random-keyed indexes, prefilled, then
rows inserted one statement each (``executemany``, as ``core.history.insert_rows``) in batches
of 1,000, each batch a ``SAVEPOINT`` inside an open transaction and savepoint (``--outer
savepoint``: a test) or its own transaction (``--outer none``: ``vigil demo``, an import).

The cause it shows: any trigger on the table — even ``WHEN 0`` or a body that writes nothing —
makes each single-row ``INSERT`` a statement that needs a statement journal (SQLite opens one
for a statement that may write several rows and may abort; a trigger makes it "multi-write"),
so every row opens and releases a statement savepoint. With ``temp_store=MEMORY`` the
sub-journal is an in-memory file of 1 KiB chunks in a linked list; releasing a statement
savepoint truncates that file back to where the statement began, and truncating to a non-zero
size walks the chunk list from its first chunk. Outside any savepoint the statement starts at
offset 0 (truncating to 0 frees the list: cheap); inside a savepoint the list holds every page
the savepoint has journaled (tens to hundreds of MB in a test that writes thousands of
records), walked once per row: the cost per row grows with what the savepoint holds
(``--held`` rewrites that many prefilled rows inside the savepoint first). With
``temp_store=FILE`` the sub-journal is a file that is never truncated this way.

``--mark app`` writes the mark as an application could: one ``UPDATE`` of the mark row after
each writing statement, with no trigger (no statement journal for the single-row ``INSERT``);
``UPDATE mark SET ...`` without a ``WHERE`` opens a statement journal of its own (it may write
several rows and its NOT NULL columns may abort), ``--mark approwid`` names the row by its
rowid (a one-pass update of one row: none).

    python benchmarks/sqlite_statement_journal.py [--lib sqlite3|sqlcipher] [--outer none]
        [--mark none|row|select|when0|app|approwid] [--rows 20000] [--prefill 100000] [--held 0]
        [--temp MEMORY|FILE]
    python benchmarks/sqlite_statement_journal.py --matrix   # the table in docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

MARKS = {
    "none": None,
    # What migration records/0014 first created on SQLite.
    "row": "UPDATE mark SET n = n + 1, token = (random() & 4611686018427387903)",
    "norandom": "UPDATE mark SET n = n + 1",
    "select": "SELECT 1",
    "when0": "UPDATE mark SET n = n + 1",
    "app": None,
    "approwid": None,
}
APP_MARK = "UPDATE mark SET n = n + 1, token = (random() & 4611686018427387903)"
# The same row named by its rowid: a one-pass update of one row, no statement journal (without
# the WHERE clause SQLite may update several rows, and the NOT NULL columns may abort: it opens
# one, and the mark costs what a trigger costs).
APP_MARK_ROWID = APP_MARK + " WHERE rowid = 1"
BATCH = 1000


def connect(lib: str, path: Path, temp: str) -> Any:
    if lib == "sqlite3":
        conn = sqlite3.connect(path, isolation_level=None)
    else:
        from sqlcipher3 import dbapi2  # Vigil's driver

        conn = dbapi2.connect(str(path), isolation_level=None)
        conn.execute("PRAGMA key = \"x'" + "5a" * 32 + "'\"")  # a throwaway key
    for pragma in (
        "journal_mode = WAL",
        "synchronous = FULL",
        "cache_size = -262144",  # records.batch.BULK_CACHE_KIB
        f"temp_store = {temp}",
    ):
        conn.execute(f"PRAGMA {pragma}").fetchall()
    return conn


def rows(count: int) -> Any:
    return ((uuid.uuid4().hex, uuid.uuid4().hex, uuid.uuid4().hex, i) for i in range(count))


def prefill(lib: str, path: Path, count: int) -> None:
    conn = connect(lib, path, "MEMORY")
    conn.execute("CREATE TABLE t (id char(32) PRIMARY KEY, a text NOT NULL, b text NOT NULL,"
                 " n integer NOT NULL)")  # fmt: skip
    conn.execute("CREATE INDEX t_a ON t (a)")
    conn.execute("CREATE INDEX t_b ON t (b)")
    conn.execute("CREATE TABLE mark (n bigint NOT NULL, token bigint NOT NULL)")
    conn.execute("INSERT INTO mark VALUES (0, 0)")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows(count))
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    conn.close()


def run(args: argparse.Namespace, path: Path) -> str:
    conn = connect(args.lib, path, args.temp)
    body = MARKS[args.mark]
    if body is not None:
        when = " WHEN 0" if args.mark == "when0" else ""
        conn.execute(f"CREATE TRIGGER t_mark AFTER INSERT ON t{when} BEGIN {body}; END")
    insert = "INSERT INTO t VALUES (?, ?, ?, ?)"
    inside = args.outer == "savepoint"
    if inside:
        conn.execute("BEGIN")
        conn.execute("SAVEPOINT test")
        if args.held:  # pages the test's savepoint holds before the measured writes
            conn.execute("UPDATE t SET n = n + 1 WHERE rowid <= ?", (args.held,))
    started = time.process_time()
    for _ in range(0, args.rows, BATCH):
        conn.execute("SAVEPOINT batch" if inside else "BEGIN")
        if args.mark in ("app", "approwid"):
            mark = APP_MARK if args.mark == "app" else APP_MARK_ROWID
            for row in rows(BATCH):
                conn.execute(insert, row)
                conn.execute(mark)
        else:
            conn.executemany(insert, rows(BATCH))
        conn.execute("RELEASE batch" if inside else "COMMIT")
    cpu = time.process_time() - started
    if inside:
        conn.execute("ROLLBACK")
    conn.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return (
        f"| {args.lib} | {args.outer} | {args.temp} | {args.mark} | {args.held:,} | {args.rows:,}"
        f" | {cpu:.2f} s | {cpu / args.rows * 1e6:,.0f} µs | {rss} MB |"
    )


MATRIX = [
    # (lib, outer, temp, mark, held, rows)
    *[(lib, outer, "MEMORY", mark, 0, 20000)
      for lib in ("sqlite3", "sqlcipher") for outer in ("none", "savepoint")
      for mark in ("none", "row", "app", "approwid")],
    *[("sqlcipher", "savepoint", "MEMORY", mark, 0, 20000) for mark in ("select", "when0")],
    *[("sqlcipher", "savepoint", "MEMORY", "row", 0, n) for n in (5000, 10000, 40000)],
    *[("sqlcipher", "savepoint", "MEMORY", "row", held, 5000) for held in (50000, 100000)],
    ("sqlcipher", "savepoint", "FILE", "row", 0, 20000),
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lib", choices=("sqlite3", "sqlcipher"), default="sqlcipher")
    parser.add_argument("--outer", choices=("savepoint", "none"), default="savepoint")
    parser.add_argument("--mark", choices=tuple(MARKS), default="row")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--prefill", type=int, default=100000)
    parser.add_argument("--held", type=int, default=0)
    parser.add_argument("--temp", choices=("MEMORY", "FILE"), default="MEMORY")
    parser.add_argument("--db", help="a prefilled copy to write to (the matrix's runs)")
    parser.add_argument("--matrix", action="store_true", help="every case, each in its process")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="stmt-journal-"))
    try:
        if args.matrix:
            print("| library | outer | temp_store | mark | held | rows | CPU | a row | peak RSS |")
            print("|---|---|---|---|---:|---:|---:|---:|---:|")
            for lib in ("sqlite3", "sqlcipher"):
                prefill(lib, folder / f"{lib}.db", args.prefill)
            for lib, outer, temp, mark, held, count in MATRIX:
                copy = folder / "run.db"
                shutil.copyfile(folder / f"{lib}.db", copy)
                cmd = [sys.executable, __file__, "--lib", lib, "--outer", outer, "--temp", temp,
                       "--mark", mark, "--held", str(held), "--rows", str(count),
                       "--prefill", str(args.prefill), "--db", str(copy)]  # fmt: skip
                done = subprocess.run(cmd, capture_output=True, text=True, check=True)
                print(done.stdout.strip(), flush=True)
                for extra in folder.glob("run.db*"):
                    extra.unlink()
            return
        if args.db:
            path = Path(args.db)
        else:
            path = folder / "run.db"
            prefill(args.lib, path, args.prefill)
        print(run(args, path))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
