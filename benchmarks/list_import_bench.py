"""Benchmark a sanctions list import (`import_list`): entities/s, first import and re-import.

Runs in one process against a fresh database (encrypted SQLite by default, or a new database
on the PostgreSQL cluster given by ``--postgres``), with the real OFAC SDN file (and the EU
list) from the sample data folder. Reading the file alone (parsing, no database) is timed
too, so the share of the database write is visible.

    python benchmarks/list_import_bench.py [--data DIR] [--postgres URL] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LISTS = (("ofac-sdn", "ofac/sdn.csv"), ("eu-765", "sanctions/eu_reg_765_2006_annexI.csv"))


def _fresh(pg_url: str | None) -> None:
    """Point this process at a new, initialised database."""
    data_dir = Path(tempfile.mkdtemp(prefix="vigil-list-bench-"))
    os.environ.update(
        VIGIL_DATA_DIR=str(data_dir), VIGIL_KEY_SOURCE="keyfile", VIGIL_ALLOW_KEYFILE="1",
        DJANGO_SETTINGS_MODULE="vigil.settings",
    )  # fmt: skip
    if pg_url:
        import psycopg

        base, name = pg_url.rsplit("/", 1)[0], "vigil_list_bench"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["VIGIL_DATABASE_URL"] = f"{base}/{name}"
    subprocess.run([sys.executable, "-m", "vigil", "init"], check=True, capture_output=True)


def _count(reader: Any, path: Path) -> int:
    return sum(1 for _ in reader(path))


def _timed(fn: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


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
        _, parse_wall, parse_cpu = _timed(partial(_count, KINDS[kind].reader, path))
        firsts = []
        for _ in range(args.repeat):
            ListChange.objects.all().delete()
            ListedEntity.objects.all().delete()
            SanctionsList.objects.all().delete()
            report, wall, cpu = _timed(partial(import_list, kind, path))
            firsts.append((cpu, wall, report.added))
        cpu, wall, added = sorted(firsts)[len(firsts) // 2]
        again, rwall, rcpu = _timed(partial(import_list, kind, path))
        row = {
            "list": kind, "vendor": connection.vendor, "entities": added,
            "first_wall_s": round(wall, 3), "first_cpu_s": round(cpu, 3),
            "entities_s_wall": round(added / wall), "entities_s_cpu": round(added / cpu),
            "reimport_cpu_s": round(rcpu, 3), "reimport_entities_s_cpu": round(added / rcpu),
            "reimport_unchanged": again.unchanged,
            "parse_cpu_s": round(parse_cpu, 3), "parse_entities_s_cpu": round(added / parse_cpu),
        }  # fmt: skip
        results.append(row)
        print(json.dumps(row), flush=True)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
