"""Benchmark `vigil import zubr` on the real ZUBR file: records/s, a second run, links offered.

In a fresh database (encrypted SQLite, or a new PostgreSQL database with ``--postgres URL``)
the script imports the Viasna sample first (not timed; it gives the names engine persons from
another source to offer links to), then runs the real CLI on ZUBR's 6,616 records twice in
fresh processes: the first writes everything, the second must change nothing. Start-up is
included (one process each). Reads ``../shared/data`` (``VIGIL_SAMPLE_DATA``).

    python benchmarks/zubr_import_bench.py [--postgres postgres://USER@HOST:PORT/DB] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

from import_bench import VIGIL, fresh_database, measure

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("VIGIL_SAMPLE_DATA", ROOT.parent / "shared" / "data"))
USER = "fictional-bench-importer"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL server's URL (a database is created)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    zubr = DATA / "zubr" / "admin_decisions.json"
    viasna = DATA / "viasna" / "prisoners_sample.csv"
    if not zubr.is_file():
        sys.exit(f"{zubr}: not found (set VIGIL_SAMPLE_DATA)")
    with tempfile.TemporaryDirectory() as tmp:
        env = fresh_database(Path(tmp), "zubr_bench", args.postgres)
        create = f"from vigil.accounts.models import User; User.objects.create_user({USER!r}, role='documenter')"  # noqa: E501
        measure([*VIGIL, "shell", "-c", create], env, "create user")
        measure([*VIGIL, "import", "viasna", str(viasna), "--as", USER], env, "viasna")
        cmd = [*VIGIL, "import", "zubr", str(zubr), "--json", "--as", USER]
        first = measure(cmd, env, "first zubr import")
        second = measure(cmd, env, "second zubr import")
    report, again = json.loads(first.stdout), json.loads(second.stdout)
    links = report["possible_links"]
    figures = {
        "backend": "postgresql" if args.postgres else "encrypted sqlite",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        "records": report["rows"],
        "decisions_imported": report["imported"],
        "repeats": len(report["repeats"]),
        "rejected": report["rejected"],
        "records_created": sum(report["created"].values()),
        "first_run_s": round(first.wall, 1),
        "records_per_s": round(report["rows"] / first.wall),
        "first_run_cpu_s": round(first.cpu, 1),
        "peak_mb": round(first.peak_mb),
        "second_run_s": round(second.wall, 1),
        "second_run_created": sum(again["created"].values()),
        "second_run_updated": sum(again["updated"].values()),
        "persons": report["persons"],
        "joined_persons": report["joined_persons"],
        "unconfirmed_judges": report["unconfirmed_judges"],
        "links_offered": len(links),
        "links_at_operating_threshold": sum(1 for k in links if k["at_operating_threshold"]),
        "viasna_persons_offered": len({k["other_person"] for k in links}),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        print(f"{key:>30}: {value}")


if __name__ == "__main__":
    main()
