"""Time the restore drill of docs/operations.md on an installation with evidence files.

Creates a fresh encrypted SQLite installation in a temporary folder (``vigil init`` with a
keyfile kept outside it, not timed), stores ``--files`` fictional evidence files of
``--size-kb`` random bytes each (not timed), signs a checkpoint, then times each command of the
drill in its own process: ``backup create``, ``backup verify``, ``backup restore`` into a new
empty folder, ``evidence verify --all`` and ``audit verify`` on the restored copy. Prints the
seconds per command and the archive's size.

    python benchmarks/restore_drill_bench.py [--files 200] [--size-kb 1024] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pyrage import x25519

ROOT = Path(__file__).resolve().parent.parent
OPERATOR = "fictional-bench-admin"

FILL = """
import io
import os
from vigil.core.context import change_context
from vigil.evidence.ingest import ingest
from vigil.records.models import Source
count, size = COUNT, SIZE
with change_context("job", detail="restore drill benchmark"):
    source = Source(title="Fictional benchmark source")
    source.save()
    for i in range(count):
        ingest(source, io.BytesIO(os.urandom(size)), f"fictional-{i}.bin")
"""


def vigil(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "vigil", *args], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"vigil {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--size-kb", type=int, default=1024)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    options = parser.parse_args()
    work = options.keep or Path(tempfile.mkdtemp(prefix="vigil-restore-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        base = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_")}
        base.update(
            PYTHONPATH=str(ROOT / "src"),
            VIGIL_KEY_SOURCE="keyfile",
            VIGIL_ALLOW_KEYFILE="1",
            VIGIL_KEYFILE=str(work / "master.key"),
        )
        live = dict(base, VIGIL_DATA_DIR=str(work / "live"))
        restored = dict(base, VIGIL_DATA_DIR=str(work / "restored"))
        vigil(live, "init")
        vigil(live, "users", "add", OPERATOR, "--role", "admin")
        _fill(live, options.files, options.size_kb * 1024)
        vigil(live, "audit", "checkpoint")
        identity = work / "keyholder.identity"
        key = x25519.Identity.generate()
        identity.write_text(f"{key}\n")
        archive = work / "vigil-bench.age"
        times = {
            "backup create": vigil(
                live, "backup", "create", "--to", str(archive), "--recipient", str(key.to_public())
            ),
            "backup verify": vigil(
                restored, "backup", "verify", str(archive), "--identity", str(identity)
            ),
            "backup restore": vigil(
                restored, "backup", "restore", str(archive), "--identity", str(identity)
            ),
            "evidence verify --all": vigil(
                restored, "evidence", "verify", "--all", "--as", OPERATOR
            ),
            "audit verify": vigil(restored, "audit", "verify"),
        }
        total_mb = options.files * options.size_kb / 1024
        print(
            f"{options.files} evidence files of {options.size_kb} KiB ({total_mb:.0f} MiB); "
            f"archive {archive.stat().st_size / 2**20:.0f} MiB"
        )
        for name, seconds in times.items():
            print(f"{name:<24} {seconds:7.1f} s")
    finally:
        if options.keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _fill(env: dict[str, str], count: int, size: int) -> None:
    script = FILL.replace("COUNT, SIZE", f"{count}, {size}")
    subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "vigil", "shell", "-c", script],
        env=env,
        check=True,
        capture_output=True,
    )


if __name__ == "__main__":
    main()
