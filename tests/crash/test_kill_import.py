"""kill -9 of `vigil import viasna` at random moments: the database opens and is intact, the audit
log verifies, the import is all-or-nothing, and re-running it gives the uninterrupted counts.

Runs on the database the test run is configured for (encrypted SQLite, or PostgreSQL when
VIGIL_DATABASE_URL is set). The file is Viasna-shaped with fictional names
(benchmarks/viasna_rows.py). The kills fall between the time an import of the header alone
takes (start-up) and the time the whole import takes; when a kill comes after the commit, the
next one starts again from a fresh copy of the empty installation, so that each kill
interrupts a first import rather than an idempotent re-run."""

from __future__ import annotations

import importlib.util
import random
import time
from pathlib import Path

import pytest

from .harness import Installation, Probe, installations, kill9

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ROWS = 800
KILLS = 6
SEED = 16
USER = "fictional-crash-importer"


def _viasna_file(path: Path) -> Path:
    spec = importlib.util.spec_from_file_location(
        "viasna_rows", ROOT / "benchmarks" / "viasna_rows.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_rows(path, ROWS, seed=SEED)


def _import(installation: Installation, path: Path) -> float:
    """Run the import to the end; return how long it took (process start to exit)."""
    started = time.monotonic()
    installation.ok("import", "viasna", str(path), "--as", USER)
    return time.monotonic() - started


def _intact(seen: Probe) -> None:
    assert seen.integrity == ["ok"]
    assert seen.audit == "ok"


def test_kill9_of_an_import_leaves_nothing_or_everything_and_a_rerun_gives_the_same_counts(
    tmp_path: Path,
) -> None:
    began = time.monotonic()
    rows = _viasna_file(tmp_path / "viasna.csv")
    with installations(tmp_path) as made:
        crashed = made.fresh("crashed")
        crashed.ok("users", "add", USER, "--role", "documenter")
        before = crashed.probe()
        _intact(before)

        pristine = made.clone(crashed, "pristine")  # never used: the source of fresh copies
        reference = made.clone(pristine, "reference")
        # An import of the header alone writes nothing: its time is the start-up's, and the
        # full import's time beyond it is spent reading and writing rows.
        header = tmp_path / "header-only.csv"
        header.write_text(rows.read_text(encoding="utf-8").splitlines()[0] + "\n")
        start_up = _import(reference, header)
        assert reference.probe().counts == before.counts
        uninterrupted = _import(reference, rows)
        after = reference.probe()
        _intact(after)
        assert after.counts["records.Person"] - before.counts["records.Person"] >= ROWS

        rng = random.Random(SEED)
        states: list[str] = []
        delays: list[float] = []
        for kill in range(KILLS):
            importer = crashed.start("import", "viasna", str(rows), "--as", USER)
            # Between the end of the start-up and the end of the uninterrupted import.
            delays.append(start_up + rng.uniform(0.0, 0.8) * (uninterrupted - start_up))
            time.sleep(delays[-1])
            if importer.poll() is None:
                kill9(importer)
                seen = crashed.probe()
                _intact(seen)
                assert seen.counts in (before.counts, after.counts), "a partial import survived"
                states.append("nothing" if seen.counts == before.counts else "everything")
            else:  # a faster run than the reference: no kill
                states.append(f"finished (exit {importer.returncode})")
            if states[-1] != "nothing" and kill < KILLS - 1:
                # The import is in: the next kill would only interrupt an idempotent re-run.
                crashed = made.clone(pristine, f"crashed-{kill}")

        kills = sum(s in ("nothing", "everything") for s in states)
        assert kills >= KILLS - 1
        assert "nothing" in states  # at least one kill landed before the commit

        _import(crashed, rows)
        final = crashed.probe()
        _intact(final)
        assert final.counts == after.counts
        assert "Audit log intact" in crashed.ok("audit", "verify")
    print(
        f"kill -9 of import ({'postgresql' if made.postgres else 'sqlite'}): {kills} kills, "
        f"states {states}, delays {[round(d, 1) for d in delays]} s, {ROWS} rows, "
        f"start-up {start_up:.1f} s, uninterrupted {uninterrupted:.1f} s, "
        f"total {time.monotonic() - began:.1f} s"
    )
