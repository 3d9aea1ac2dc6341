"""Benchmark the country report (PDF with charts) over ~100k acts against its SQL alone.

Creates a fresh encrypted database in a temporary folder (``vigil init``, not timed), fills it
with fictional records from ``vigil.demo.synthetic.generate`` (not timed), then times, in the
same process and on the same data:

- the report: every figure's queries, the charts and the PDF (``report_pdf``);
- the baseline: the same aggregate SQL statements alone, replayed on the same connection
  with the same page cache.

Outputs never show synthetic records, so this script alone builds its ``Coverage`` with
``include_synthetic=True``; no command or view can. Median of ``--repeat`` runs.

    python benchmarks/country_report_bench.py [--acts 100000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACTS_PER_PERSON = 3.0


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def prepare(folder: Path) -> None:
    """Point Vigil at a fresh encrypted database in ``folder`` and create it."""
    os.environ.update(
        VIGIL_DATA_DIR=str(folder),
        VIGIL_KEY_SOURCE="keyfile",
        VIGIL_ALLOW_KEYFILE="1",
        DJANGO_SETTINGS_MODULE="vigil.settings",
    )
    os.environ.pop("VIGIL_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "vigil", "init"], check=True, env=os.environ, capture_output=True
    )


def fill(acts: int) -> tuple[int, float]:
    """Generate fictional persons until about ``acts`` acts exist; the act count and seconds."""
    from vigil.core.context import change_context
    from vigil.demo.synthetic import generate
    from vigil.records.models import Act

    start = time.perf_counter()
    with change_context("cli", detail="country report benchmark"):
        generate(int(acts / ACTS_PER_PERSON), acts_per_person=ACTS_PER_PERSON, seed=1)
    return Act.all_objects.count(), time.perf_counter() - start


def timed(work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--acts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="use (and keep) this folder for the database")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="vigil-country-bench-"))
    fresh = not (folder / "vigil.db").exists()
    if fresh:
        prepare(folder)
    else:
        os.environ.update(
            VIGIL_DATA_DIR=str(folder), VIGIL_KEY_SOURCE="keyfile", VIGIL_ALLOW_KEYFILE="1",
            DJANGO_SETTINGS_MODULE="vigil.settings",
        )  # fmt: skip
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vigil.records.models import Act
    from vigil.reports.charts import chart, data_uri
    from vigil.reports.coverage import Coverage
    from vigil.reports.document import report_pdf
    from vigil.reports.figures import all_figures
    from vigil.reports.pagecache import page_cache

    if fresh:
        acts, seconds = fill(args.acts)
        print(f"generated {acts:,} synthetic acts in {seconds:.0f} s (not timed below)")
    acts = Act.all_objects.count()
    from vigil.accounts.models import User

    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": "admin"})
    # Benchmark only: outputs never include synthetic data.
    coverage = Coverage(admin, include_synthetic=True)

    with CaptureQueriesContext(connection) as captured:
        figures = all_figures(coverage)
    statements = [q["sql"] for q in captured.captured_queries]

    def baseline() -> None:
        with page_cache(), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    def charts() -> None:
        for found in figures:
            canvas = chart(found)
            if canvas is not None:
                data_uri(canvas)

    results: dict[str, list[float]] = {"sql": [], "figures": [], "charts": [], "report": []}
    pdf = b""
    for _ in range(args.repeat):
        results["sql"].append(timed(baseline))
        results["figures"].append(timed(lambda: all_figures(coverage)))
        results["charts"].append(timed(charts))
        start = time.perf_counter()
        pdf = report_pdf(coverage)
        results["report"].append(time.perf_counter() - start)
    median = {k: statistics.median(v) for k, v in results.items()}

    import matplotlib
    import sqlcipher3
    import weasyprint

    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, load {os.getloadavg()[0]:.1f}")
    print(
        f"versions: Python {platform.python_version()}, Django {django.get_version()}, "
        f"matplotlib {matplotlib.__version__}, WeasyPrint {weasyprint.__version__}, "
        f"SQLite (SQLCipher) {sqlcipher3.sqlite_version}"
    )
    print(f"data: {acts:,} acts (synthetic), {len(statements)} aggregate SQL statements")
    print(f"rows per figure: {', '.join(f'{f.name} {len(f.rows)}' for f in figures)}")
    print(f"median of {args.repeat} runs:")
    print(f"  baseline, the aggregate SQL alone:  {median['sql']:.2f} s")
    print(f"  figures (SQL + Python):             {median['figures']:.2f} s")
    print(f"  charts (matplotlib, PNG):           {median['charts']:.2f} s")
    print(f"  full report, PDF ({len(pdf) // 1024} KB):       {median['report']:.2f} s")
    print(f"  report / baseline:                  {median['report'] / median['sql']:.1f}x")
    verdict = "met" if median["report"] <= 10 else "NOT met"
    print(f"  target (docs/benchmarks.md §4): <= 10 s -> {verdict}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
