"""Benchmark the drafts: WGAD communication, SP appeal, case brief for a Viasna-sample person.

Creates a fresh encrypted database (``vigil init``, not timed), imports the real Viasna sample
from ``../shared/data`` (or ``VIGIL_SAMPLE_DATA``) and the seed facts, then times, for one
person, building each draft from the record and rendering it to DOCX and PDF. The baseline, in
the same run, is rendering the same template (and an empty DOCX) with an empty draft: what
WeasyPrint and python-docx cost before any record is read. Target: WGAD draft ≤ 1 s.

    python benchmarks/outputs_bench.py [--repeat 5] [--row 1]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def sample_data() -> Path:
    configured = os.environ.get("VIGIL_SAMPLE_DATA")
    path = Path(configured) if configured else ROOT.parent / "shared" / "data"
    if not (path / "viasna" / "prisoners_sample.csv").is_file():
        sys.exit("sample data not found (set VIGIL_SAMPLE_DATA to ../shared/data)")
    return path


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of ``fn`` over ``repeat`` runs (after a warm-up);
    on a shared machine the CPU time is the figure that does not depend on the neighbours."""
    fn()
    runs, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(runs), statistics.median(cpu)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--row", default="1", help="the Viasna sample row (id column) to draft")
    args = parser.parse_args()
    data = sample_data()
    work = Path(tempfile.mkdtemp(prefix="vigil-outputs-bench-"))
    os.environ.update(
        {
            "VIGIL_DATA_DIR": str(work),
            "DJANGO_SETTINGS_MODULE": "vigil.settings",
            "VIGIL_KEY_SOURCE": "keyfile",
            "VIGIL_ALLOW_KEYFILE": "1",
        }
    )
    subprocess.run([sys.executable, "-m", "vigil", "init"], check=True, capture_output=True)

    import django

    django.setup()
    from vigil.core.context import change_context
    from vigil.demo.seed_loader import load_seed_facts_into_record
    from vigil.importers.viasna import import_viasna
    from vigil.outputs.document import Draft
    from vigil.outputs.render import draft_docx, draft_html, draft_pdf
    from vigil.outputs.services import BUILDERS
    from vigil.records.models import Act, ExternalId

    with change_context("job", detail="outputs benchmark"):
        report = import_viasna(data / "viasna" / "prisoners_sample.csv")
        load_seed_facts_into_record()
    person = ExternalId.objects.get(scheme="viasna", value=args.row).person
    assert person is not None
    from vigil.accounts.models import User

    user, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": "admin"})
    acts = Act.objects.filter(victim_person=person).count()

    empty = Draft(kind="wgad", title="")
    base_html, _ = timed(lambda: draft_html(empty), args.repeat)
    base_pdf, _ = timed(lambda: draft_pdf(empty), args.repeat)
    base_docx, _ = timed(lambda: draft_docx(empty), args.repeat)

    print(f"machine: {os.cpu_count()} cores, {cpu_model()}, Python {platform.python_version()}")
    print(
        f"data: Viasna sample, {report.imported} rows imported; person row {args.row}, "
        f"{acts} acts; median of {args.repeat} runs after a warm-up"
    )
    print(
        f"baseline (empty draft, same template): html {base_html * 1000:.0f} ms, "
        f"pdf {base_pdf * 1000:.0f} ms, docx {base_docx * 1000:.0f} ms"
    )
    print(
        f"{'draft':<8}{'build':>10}{'+docx':>10}{'+pdf':>10}{'pdf/baseline':>14}"
        f"{'cpu build':>11}{'cpu +pdf':>10}"
    )
    for kind, build in BUILDERS.items():
        draft = build(user, person)
        t_build, c_build = timed(lambda b=build: b(user, person), args.repeat)
        t_docx, _ = timed(lambda b=build: draft_docx(b(user, person)), args.repeat)
        t_pdf, c_pdf = timed(lambda b=build: draft_pdf(b(user, person)), args.repeat)
        print(
            f"{kind:<8}{t_build * 1000:>8.0f}ms{t_docx * 1000:>8.0f}ms{t_pdf * 1000:>8.0f}ms"
            f"{t_pdf / base_pdf:>13.1f}×{c_build * 1000:>9.0f}ms{c_pdf * 1000:>8.0f}ms"
            f"  ({len(draft.footnotes)} sources, {len(draft.missing)} missing)"
        )
    print("target: WGAD draft ≤ 1 s (build + DOCX, and build + PDF)")


if __name__ == "__main__":
    main()
