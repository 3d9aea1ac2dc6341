"""Benchmark a sanctions list import (`import_list`): entities/s, first import and re-import.

Runs in one process against a fresh database (encrypted SQLite by default, or a new database
on the PostgreSQL cluster given by ``--postgres``), with the real OFAC SDN file (and the EU
list) from the sample data folder. Reading the file alone (parsing, no database) is timed
too, so the share of the database write is visible. Each figure is the median of ``--repeat``
runs (first import, re-import of the same file, parse alone), in CPU seconds of this process;
on a PostgreSQL cluster on this machine the server's CPU for the same work is added
(``server_cpu_s``, read from its backend process: ``/proc/PID/schedstat`` in nanoseconds where
the kernel has it, else ``/proc/PID/stat`` in clock ticks), so ``total_cpu_s`` compares across
databases.

    python benchmarks/list_import_bench.py [--data DIR] [--postgres URL] [--repeat N]
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from web_load import process_cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
LISTS = (("ofac-sdn", "ofac/sdn.csv"), ("eu-765", "sanctions/eu_reg_765_2006_annexI.csv"))


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _server_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend, if it runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    # The scheduler's count in nanoseconds (utime + stime come in 10 ms ticks: a tenth of the
    # server's share of one import).
    return process_cpu_seconds(int(pid))


def _fresh(pg_url: str | None) -> None:
    """Point this process at a new, initialised database."""
    data_dir = Path(tempfile.mkdtemp(prefix="vigil-list-bench-"))
    atexit.register(shutil.rmtree, data_dir, True)  # the run's key file and database
    os.environ.update(
        VIGIL_DATA_DIR=str(data_dir), VIGIL_KEY_SOURCE="keyfile", VIGIL_ALLOW_KEYFILE="1",
        DJANGO_SETTINGS_MODULE="vigil.settings",
    )  # fmt: skip
    if pg_url:
        import psycopg

        # One database per run: a before and an after run can share the cluster at once.
        base, name = pg_url.rsplit("/", 1)[0], f"vigil_list_bench_{os.getpid()}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["VIGIL_DATABASE_URL"] = f"{base}/{name}"
    subprocess.run([sys.executable, "-m", "vigil", "init"], check=True, capture_output=True)


def _count(reader: Any, path: Path) -> int:
    return sum(1 for _ in reader(path))


def _timed(fn: Any) -> tuple[Any, float, float, float | None]:
    """Result, wall seconds, this process's CPU seconds, the database server's (or None)."""
    server = _server_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after = _server_cpu()
    return result, wall, cpu, None if server is None or after is None else after - server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("VIGIL_SAMPLE_DATA") or str(ROOT.parent / "shared" / "data")
    parser.add_argument("--data", default=default, help="the sample data folder")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL cluster to use")
    parser.add_argument("--repeat", type=int, default=3, help="first imports per list (median)")
    args = parser.parse_args()
    _fresh(args.postgres)
    import django

    django.setup()
    from django.db import connection

    from vigil.sanctions.lists import KINDS, import_list
    from vigil.sanctions.models import ListChange, ListedEntity, SanctionsList

    results: list[dict[str, Any]] = []
    for kind, rel in LISTS:
        path = Path(args.data) / rel
        parses = [_timed(partial(_count, KINDS[kind].reader, path)) for _ in range(args.repeat)]
        parse_cpu = _median([p[2] for p in parses])
        firsts, agains = [], []
        for _ in range(args.repeat):
            ListChange.objects.all().delete()
            ListedEntity.objects.all().delete()
            SanctionsList.objects.all().delete()
            firsts.append(_timed(partial(import_list, kind, path)))
            agains.append(_timed(partial(import_list, kind, path)))
        added = firsts[0][0].added
        assert all(a[0].unchanged == added for a in agains), "a re-import changed something"
        row: dict[str, Any] = {"list": kind, "vendor": connection.vendor, "entities": added}
        for label, runs in (("first", firsts), ("reimport", agains)):
            wall = _median([r[1] for r in runs])
            cpu = _median([r[2] for r in runs])
            server = [r[3] for r in runs if r[3] is not None]
            total = _median([r[2] + (r[3] or 0.0) for r in runs])
            row.update({
                f"{label}_wall_s": round(wall, 3), f"{label}_cpu_s": round(cpu, 3),
                f"{label}_entities_s_wall": round(added / wall),
                f"{label}_entities_s_cpu": round(added / cpu),
            })  # fmt: skip
            if server:
                row.update({
                    f"{label}_server_cpu_s": round(_median(server), 3),
                    f"{label}_total_cpu_s": round(total, 3),
                    f"{label}_entities_s_total_cpu": round(added / total),
                })  # fmt: skip
        row.update(parse_cpu_s=round(parse_cpu, 3), parse_entities_s_cpu=round(added / parse_cpu))
        results.append(row)
        print(json.dumps(row), flush=True)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.postgres:
        connection.close()
        _drop(args.postgres)


def _drop(pg_url: str) -> None:
    import psycopg

    base = pg_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "vigil_list_bench_{os.getpid()}"')


if __name__ == "__main__":
    main()
