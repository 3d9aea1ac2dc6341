"""Shared fixtures: the real data folder beside the project, and change contexts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path | None:
    """The folder of real sample data (`VIGIL_SAMPLE_DATA`, default ../shared/data), if present."""
    configured = os.environ.get("VIGIL_SAMPLE_DATA")
    path = Path(configured) if configured else ROOT.parent / "shared" / "data"
    return path if path.is_dir() else None


@pytest.fixture
def shared_data() -> Path:
    """Path to the real sample data; the test is skipped with a clear message when absent."""
    path = shared_data_dir()
    if path is None:
        pytest.skip("sample data folder not found (set VIGIL_SAMPLE_DATA to ../shared/data)")
    return path
