"""Where demo commands look: the demo folder under VIGIL_DATA_DIR, or that folder itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vigil.demo.location import MARKER, enter_demo_environment


def test_demo_commands_use_the_demo_folder_under_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGIL_DATA_DIR", str(tmp_path))
    assert enter_demo_environment() == tmp_path / "demo"


def test_demo_commands_accept_the_demo_folder_itself(tmp_path: Path, monkeypatch):
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / MARKER).write_text("demo\n")
    monkeypatch.setenv("VIGIL_DATA_DIR", str(folder))  # what `vigil serve` on the demo takes
    assert enter_demo_environment() == folder
    assert os.environ["VIGIL_KEYFILE"] == str(folder / "vigil.key")


@pytest.fixture(autouse=True)
def _keep_environment(monkeypatch):
    """enter_demo_environment writes os.environ; monkeypatch restores every variable after."""
    import os

    for name in ("VIGIL_KEYFILE", "VIGIL_DEMO", "VIGIL_SECURE_COOKIES", "VIGIL_DATABASE_URL"):
        monkeypatch.setenv(name, os.environ.get(name, "x"))
        monkeypatch.delenv(name)
