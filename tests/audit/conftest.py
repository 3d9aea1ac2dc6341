"""Audit tests sign with a key in their own temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def audit_key_file(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Each test gets a fresh checkpoint signing key path (created on first use)."""
    path = tmp_path / "audit-signing.key"
    settings.AUDIT_SIGNING_KEY_FILE = path
    return path
