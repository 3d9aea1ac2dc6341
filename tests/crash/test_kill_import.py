"""kill -9 of `vigil import viasna` at random moments: the database opens and is intact, the audit
log verifies, the import is all-or-nothing, and re-running it gives the uninterrupted counts.

Runs on the database the test run is configured for (encrypted SQLite, or PostgreSQL when
VIGIL_DATABASE_URL is set). The file is Viasna-shaped with fictional names
(benchmarks/viasna_rows.py) and longer than one write batch (2,000 rows). Each kill comes
when the database has grown by a seeded random share of what the whole import adds (measured
on an uninterrupted copy): rows are being written and not yet committed, however loaded the
machine. When a kill comes after the commit, the next one starts again from a fresh copy of
the empty installation, so that each kill interrupts a first import, not an idempotent re-run.
"""

from __future__ import annotations

import importlib.util
import random
import time
from pathlib import Path

import pytest

from .harness import Installation, Probe, installations, kill9, wait_for_growth

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ROWS = 2600
BATCH = 2000  # rows the importer plans before it writes (import_viasna's batch_rows)
KILLS = 5
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
    tmp_path: Path, installation_template: Installation
) -> None:
    began = time.monotonic()
    rows = _viasna_file(tmp_path / "viasna.csv")
    with installations(tmp_path, installation_template) as made:
        crashed = made.fresh("crashed")
        crashed.ok("users", "add", USER, "--role", "documenter")
        before = crashed.probe()
        _intact(before)

        pristine = made.clone(crashed, "pristine")  # never used: the source of fresh copies
        reference = made.clone(pristine, "reference")
        empty = reference.stored_bytes()
        uninterrupted = _import(reference, rows)
        grown = reference.stored_bytes() - empty
        after = reference.probe()
        _intact(after)
        assert after.counts["records.Person"] - before.counts["records.Person"] >= ROWS

        rng = random.Random(SEED)
        # One random share in each of KILLS equal slices of 5-70 %, in a random order.
        slices = [(0.05 + 0.65 * k / KILLS, 0.05 + 0.65 * (k + 1) / KILLS) for k in range(KILLS)]
        shares = [rng.uniform(low, high) for low, high in slices]
        rng.shuffle(shares)
        states: list[str] = []
        for kill, share in enumerate(shares):
            importer = crashed.start("import", "viasna", str(rows), "--as", USER)
            start = crashed.stored_bytes()
            reached = wait_for_growth(crashed, importer, start + int(share * grown))
            if reached is not None and importer.poll() is None:
                kill9(importer)
                seen = crashed.probe()
                _intact(seen)
                assert seen.counts in (before.counts, after.counts), "a partial import survived"
                state = "nothing" if seen.counts == before.counts else "everything"
                states.append(f"{state} (+{(reached - start) / 2**20:.1f} MiB)")
            else:  # it ended before the database grew that much
                importer.wait()
                states.append(f"finished (exit {importer.returncode})")
            if not states[-1].startswith("nothing") and kill < KILLS - 1:
                # The import is in: the next kill would only interrupt an idempotent re-run.
                crashed = made.clone(pristine, f"crashed-{kill}")

        kills = sum(not s.startswith("finished") for s in states)
        assert kills >= KILLS - 1, states
        assert any(s.startswith("nothing") for s in states)  # a kill landed before the commit

        _import(crashed, rows)
        final = crashed.probe()
        _intact(final)
        assert final.counts == after.counts
        assert "Audit log intact" in crashed.ok("audit", "verify")
    print(
        f"kill -9 of import ({'postgresql' if made.postgres else 'sqlite'}): {kills} kills, "
        f"states {states}, {ROWS} rows adding {grown / 2**20:.1f} MiB, "
        f"uninterrupted {uninterrupted:.1f} s, "
        f"total {time.monotonic() - began:.1f} s"
    )
