"""`vigil init` says what it created, and a bad passphrase descriptor is a clear error."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import child_env

PASSPHRASE = "fictional init passphrase, long enough"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = child_env()
    env.update(VIGIL_DATA_DIR=str(tmp_path / "data"), VIGIL_KEY_SOURCE="passphrase", **extra)
    env.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
    return env


def _vigil(args: list[str], env: dict[str, str], pass_fds: tuple[int, ...] = ()):
    return subprocess.run(
        [sys.executable, "-m", "vigil", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        pass_fds=pass_fds,
    )


@pytest.mark.slow
def test_init_in_passphrase_mode_names_only_files_it_created(tmp_path):
    read, write = os.pipe()
    os.write(write, (PASSPHRASE + "\n").encode())
    os.close(write)
    try:
        run = _vigil(["init"], _env(tmp_path, VIGIL_PASSPHRASE_FD=str(read)), (read,))
    finally:
        os.close(read)
    assert run.returncode == 0, run.stderr
    assert "passphrase" in run.stdout
    named = [p.rstrip(".,;:") for p in re.findall(r"/[^\s()]+", run.stdout)]
    assert named, run.stdout
    for path in named:
        assert Path(path).exists(), f"init printed {path}, which does not exist:\n{run.stdout}"
    assert not (tmp_path / "data" / "vigil.key").exists()
    assert "vigil.key" not in run.stdout


@pytest.mark.slow  # ~0.9 s a run on a quiet 2-core machine
def test_init_with_a_closed_passphrase_descriptor_is_a_clear_error(tmp_path):
    read, write = os.pipe()
    os.close(read)
    os.close(write)
    run = _vigil(["init"], _env(tmp_path, VIGIL_PASSPHRASE_FD=str(read)))
    assert run.returncode == 2
    assert f"VIGIL_PASSPHRASE_FD={read}" in run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("made", [False, True], ids=["no-folder", "empty-folder"])
def test_a_command_where_no_installation_is_says_so_and_creates_nothing(tmp_path, made):
    """Outside `vigil init` a passphrase-keyed command in a folder with no installation (a
    mistyped VIGIL_DATA_DIR) is pointed at `vigil init`; it neither asks for a passphrase nor
    starts an empty database there."""
    folder = tmp_path / "data"
    if made:
        folder.mkdir()
    read, write = os.pipe()
    os.write(write, (PASSPHRASE + "\n").encode())
    os.close(write)
    try:
        run = _vigil(
            ["stats"], _env(tmp_path, VIGIL_PASSPHRASE_FD=str(read), VIGIL_USER="x"), (read,)
        )
    finally:
        os.close(read)
    assert run.returncode == 2, run.stderr
    assert f"No Vigil installation in {folder}" in run.stderr
    assert "vigil init" in run.stderr and "Traceback" not in run.stderr
    assert (sorted(folder.iterdir()) if made else folder.exists()) in ([], False)
