"""Benchmark `vigil import viasna`: rows/s and peak memory, with history, against a naive loader.

For each size and backend (encrypted SQLite, PostgreSQL) the script writes fictional
Viasna-shaped rows (``viasna_rows.py``), creates a fresh database (``vigil init``, not timed),
runs the real CLI in a fresh subprocess, and reads its wall time, CPU time and peak RSS from
``os.wait4``. Start-up is measured by importing a header-only file into another fresh database
and subtracted. A row counts only when its records, their version rows and change-log entries
are written, so after each run the database is counted: records, version rows, distinct
(model, record) in the history, and the import's own report must all agree. The baseline, in
the same run and database, is a plain ``csv.reader`` + ``executemany`` into one table.

    python benchmarks/import_bench.py [--sizes 1000,10000,100000 | --quick] [--backends ...]
        [--postgres URL] [--prefix NAME]

``--prefix`` names this run's databases (and folders), so that two runs share one cluster at
the same time: e.g. the branch point and a change, each with its own ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from viasna_rows import HEADER, write_rows

ROOT = Path(__file__).resolve().parent.parent
PG_PORT = "55433"
VIGIL = [sys.executable, "-m", "vigil"]
# Imports act for a named account (``--as``); the benchmark creates a fictional one.
USER = "fictional-bench-importer"


@dataclass
class Run:
    """One measured subprocess."""

    wall: float
    cpu: float
    peak_mb: float
    stdout: str


def measure(cmd: list[str], env: dict[str, str], label: str) -> Run:
    """Run ``cmd`` in a fresh process; wall time, CPU time and peak RSS of that process alone."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        sys.exit(f"{label} failed (exit {proc.returncode}):\n{stdout}\n{stderr}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout)


def django_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of a subprocess using a fresh data folder and the chosen database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_")}
    env["VIGIL_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "vigil.settings"
    # A keyfile rather than a passphrase: the same SQLCipher encryption, no prompt, and no
    # key derivation at every start.
    env["VIGIL_KEY_SOURCE"] = "keyfile"
    env["VIGIL_ALLOW_KEYFILE"] = "1"
    if database_url:
        env["VIGIL_DATABASE_URL"] = database_url
    return env


def fresh_database(work: Path, name: str, pg_url: str | None) -> dict[str, str]:
    """Create an empty Vigil database (SQLCipher file, or a new PostgreSQL database)."""
    url = None
    if pg_url:
        import psycopg

        base = pg_url.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"{base}/{name}"
    env = django_env(work / name, url)
    measure([*VIGIL, "init"], env, f"vigil init ({name})")
    create = f"from vigil.accounts.models import User; User.objects.create_user({USER!r}, role='documenter')"  # noqa: E501
    measure([*VIGIL, "shell", "-c", create], env, "create user")
    return env


# --- helpers that run inside a subprocess, against the benchmark's database ---------------


def _setup_django() -> Any:
    import django

    django.setup()
    from django.db import connection

    return connection


def count_main() -> None:
    """Print the records, versions (stored and held by batches) and distinct versioned records
    in the database."""
    connection = _setup_django()
    from django.apps import apps

    from vigil.core.history import count_versions
    from vigil.core.models import Version, VersionBatch, VigilModel

    tables = set(connection.introspection.table_names())
    models = [
        m for m in apps.get_models()
        if issubclass(m, VigilModel) and m._meta.db_table in tables
    ]  # fmt: skip
    records = sum(m.all_objects.count() for m in models)
    # Stored version rows plus the versions 1 a bulk write's batch holds (records still at
    # version 1, in their batch, with no stored version: disjoint from the stored ones).
    stored = Version.objects.count()
    versions = count_versions()
    distinct = Version.objects.values("model", "object_id").distinct().count() + versions - stored
    contexts = sorted(
        set(Version.objects.values_list("context_kind", flat=True).distinct())
        | set(VersionBatch.objects.values_list("context_kind", flat=True).distinct())
    )
    print(json.dumps({"records": records, "versions": versions, "distinct": distinct,
                      "contexts": contexts, "vendor": connection.vendor}))  # fmt: skip


def baseline_main(path: str) -> None:
    """The naive loader: csv.reader + executemany into one table, no history; print its time."""
    connection = _setup_django()
    connection.ensure_connection()
    raw = connection.connection
    columns = ", ".join(f'"{c}" TEXT' for c in HEADER)
    marks = ", ".join(["%s" if connection.vendor == "postgresql" else "?"] * len(HEADER))
    from django.db import transaction

    start, cpu = time.perf_counter(), time.process_time()
    # One transaction, as any loader that is not pathologically slow would use.
    with transaction.atomic():
        cursor = raw.cursor()
        cursor.execute(f"CREATE TABLE bench_baseline ({columns})")
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            cursor.executemany(f"INSERT INTO bench_baseline VALUES ({marks})", reader)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    cursor = raw.cursor()
    cursor.execute("SELECT count(*) FROM bench_baseline")
    rows = cursor.fetchone()[0]
    print(json.dumps({"rows": rows, "wall": elapsed, "cpu": cpu}))


def _json_tail(text: str) -> dict[str, Any]:
    return json.loads(text[text.index("{") :])


# --- the benchmark -------------------------------------------------------------------------


def bench_one(work: Path, size: int, csv_path: Path, empty: Path, backend: str,
              pg_url: str | None, prefix: str = "") -> dict[str, Any]:  # fmt: skip
    """Measure one import of ``size`` rows on ``backend``; verify the history; run the baseline."""
    startup_env = fresh_database(work, f"{prefix}{backend}_startup_{size}", pg_url)
    startup = measure(
        [*VIGIL, "import", "viasna", str(empty), "--as", USER], startup_env, "empty import"
    )
    env = fresh_database(work, f"{prefix}{backend}_{size}", pg_url)
    cmd = [*VIGIL, "import", "viasna", str(csv_path), "--json", "--as", USER]
    run = measure(cmd, env, "import")
    report = _json_tail(run.stdout)
    counted = _json_tail(measure([sys.executable, __file__, "--count"], env, "count").stdout)
    base = _json_tail(
        measure([sys.executable, __file__, "--baseline", str(csv_path)], env, "baseline").stdout
    )
    created = sum(report["created"].values())
    ok = (
        report["imported"] == size
        and counted["records"] == counted["versions"] == counted["distinct"] == created
        and counted["contexts"] == ["cli"]
        and base["rows"] == size
    )
    net_wall = max(run.wall - startup.wall, 1e-9)
    net_cpu = max(run.cpu - startup.cpu, 1e-9)
    result = {
        "size": size, "backend": backend, "rows_s": size / net_wall, "rows_s_cpu": size / net_cpu,
        "rows_s_e2e": size / run.wall, "peak_mb": run.peak_mb, "startup_s": startup.wall,
        "records": counted["records"], "versions": counted["versions"],
        "distinct": counted["distinct"], "created": created, "ok": ok,
        "base_rows_s": size / base["wall"], "base_rows_s_cpu": size / max(base["cpu"], 1e-9),
    }  # fmt: skip
    result["ratio"] = result["base_rows_s"] / result["rows_s"]
    print(
        f"  {backend:8} {size:>7} rows: {result['rows_s']:8.0f} rows/s "
        f"({result['rows_s_cpu']:.0f}/s of CPU), peak {run.peak_mb:.0f} MB; "
        f"records {counted['records']} = versions {counted['versions']} = versioned records "
        f"{counted['distinct']} = created {created}, contexts {counted['contexts']}: "
        f"{'OK' if ok else 'MISMATCH'}; baseline {result['base_rows_s']:.0f} rows/s",
        flush=True,
    )
    return result


def start_postgres() -> str | None:
    """Start the throwaway cluster; its URL, or None (with a message) when it cannot start."""
    script = ROOT / "scripts" / "pg-throwaway"
    try:
        done = subprocess.run([str(script), "start", PG_PORT], capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"PostgreSQL skipped: the throwaway cluster did not start ({exc})")
        return None
    if done.returncode != 0 or not done.stdout.strip():
        print(f"PostgreSQL skipped: the throwaway cluster did not start: {done.stderr.strip()}")
        return None
    return done.stdout.strip().splitlines()[-1]


def stop_postgres() -> None:
    """Stop the throwaway cluster and remove its data."""
    subprocess.run([str(ROOT / "scripts" / "pg-throwaway"), "stop", PG_PORT], check=False)


def machine_facts(pg_url: str | None) -> list[str]:
    """Cores, CPU model, load and the versions the figures depend on."""
    import django
    import sqlcipher3

    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor() or "unknown",
    )  # fmt: skip
    conn = sqlcipher3.connect(":memory:")
    cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
    facts = [
        f"cores: {os.cpu_count()}; CPU: {model}",
        f"load average at start (1/5/15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLCipher {cipher} (SQLite {sqlcipher3.sqlite_version})",
    ]
    if pg_url:
        import psycopg

        with psycopg.connect(pg_url) as pg:
            row = pg.execute("SHOW server_version").fetchone()
        facts.append(f"PostgreSQL {row[0] if row else '?'} (throwaway cluster, durable defaults)")
    return facts


def table(results: list[dict[str, Any]]) -> str:
    """The figures as a markdown table."""
    lines = [
        "| rows | backend | rows/s | rows/s of CPU | peak MB | records written | versions written "
        "| baseline rows/s | ratio (baseline ÷ Vigil) | history check |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['size']:,} | {r['backend']} | {r['rows_s']:,.0f} | {r['rows_s_cpu']:,.0f} "
            f"| {r['peak_mb']:.0f} | {r['records']:,} | {r['versions']:,} "
            f"| {r['base_rows_s']:,.0f} | {r['ratio']:.0f}× | {'OK' if r['ok'] else 'MISMATCH'} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Parse options, run every measurement, print the table and the machine."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated row counts")
    parser.add_argument("--quick", action="store_true", help="only 1,000 and 10,000 rows")
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite and/or postgres")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--postgres", metavar="URL", help="use this cluster (not a throwaway one)")
    parser.add_argument("--prefix", default="", help="prefix of this run's database names")
    parser.add_argument("--count", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--baseline", metavar="CSV", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count:
        return count_main()
    if args.baseline:
        return baseline_main(args.baseline)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
    sizes = [1000, 10000] if args.quick else [int(s) for s in args.sizes.split(",")]
    backends = [b.strip() for b in args.backends.split(",")]
    work = Path(tempfile.mkdtemp(prefix="vigil-import-bench-"))
    own_cluster = "postgres" in backends and not args.postgres
    pg_url = start_postgres() if own_cluster else args.postgres
    results: list[dict[str, Any]] = []
    try:
        facts = machine_facts(pg_url)
        print("\n".join(facts), flush=True)
        empty = work / "empty.csv"
        empty.write_text(",".join(HEADER) + "\r\n", encoding="utf-8")
        for size in sizes:
            csv_path = write_rows(work / f"rows_{size}.csv", size, seed=args.seed)
            for backend in backends:
                if backend == "postgres" and pg_url is None:
                    continue
                url = pg_url if backend == "postgres" else None
                results.append(
                    bench_one(work, size, csv_path, empty, backend, url, args.prefix)
                )
    finally:
        if own_cluster and pg_url:
            stop_postgres()
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(results))
    print()
    print("\n".join(f"- {fact}" for fact in facts))
    print(f"- load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("- rows/s: rows ÷ (import wall time − wall time of the same command on an empty file);"
          " rows/s of CPU: the same with the process's user+system CPU time")  # fmt: skip
    startups = ", ".join(f"{r['backend']} {r['size']}: {r['startup_s']:.1f}s" for r in results)
    print(f"- start-up (same command, empty file): {startups}")
    if any(not r["ok"] for r in results):
        sys.exit("history check failed: records, versions and the import report disagree")


if __name__ == "__main__":
    main()
