"""A test process's own data folder (key file and database) is removed when that process ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# A process that looks like a test run (pytest imported) and names no data folder: settings
# make one; the process prints it and ends.
PROBE = (
    "import sys, types; sys.modules.setdefault('pytest', types.ModuleType('pytest'));"
    "import vigil.settings as s; (s.DATA_DIR / 'vigil.key').write_text('fictional');"
    "print(s.DATA_DIR)"
)


def test_a_test_process_removes_the_data_folder_it_made_when_it_ends():
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_DATA_DIR")}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    folder = Path(done.stdout.strip().splitlines()[-1])
    assert folder.name.startswith("vigil-test-")
    assert not folder.exists()


def test_a_data_folder_the_test_run_was_given_is_kept(tmp_path):
    given = tmp_path / "given"
    given.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIL_DATA_DIR")}
    env["VIGIL_DATA_DIR"] = str(given)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    assert Path(done.stdout.strip().splitlines()[-1]) == given
    assert (given / "vigil.key").exists()
