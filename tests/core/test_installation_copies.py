"""The tests' copies of one `vigil init` (tests/conftest.py ``initialised_data`` and
``copy_installation``) are whole, private installations of their own."""

from __future__ import annotations

import hashlib
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import OPEN_DATABASE_FILES, copy_installation, keyfile_env

pytestmark = pytest.mark.slow

ADD_USER = (
    "from vigil.accounts.models import User; "
    "User.objects.create_user('fictional-copy-user', role='viewer'); "
    "print(User.objects.count())"
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_copy_is_a_closed_private_installation_that_writes_only_to_itself(
    tmp_path: Path, initialised_data: Path
) -> None:
    assert sorted(p.name for p in initialised_data.iterdir()) == [
        "secret_key",
        "vigil.db",
        "vigil.key",
    ]
    before = _digest(initialised_data / "vigil.db")
    first = copy_installation(initialised_data, tmp_path / "first")
    second = copy_installation(initialised_data, tmp_path / "second")

    for copy in (first, second):
        # The modes `vigil init` gives them: the key and the secret readable by the owner only.
        assert _mode(copy) == 0o700
        assert {p.name: _mode(p) for p in copy.iterdir()} == {
            "secret_key": 0o600,
            "vigil.db": 0o600,
            "vigil.key": 0o600,
        }
        assert not any((copy / name).exists() for name in OPEN_DATABASE_FILES)

    done = subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "vigil", "shell", "-c", ADD_USER],
        env=keyfile_env(first),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "1"  # the copied key opens the copied file
    assert _digest(first / "vigil.db") != before
    assert _digest(second / "vigil.db") == _digest(initialised_data / "vigil.db") == before
    assert not any((first / name).exists() for name in OPEN_DATABASE_FILES)  # closed again
