"""Shared fixtures: the real data folder beside the project, and change contexts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent

# Property tests check behaviour, not speed: on a 2-core machine shared by pytest-xdist workers a
# 200 ms per-example deadline fails at random (tests/counting/test_table.py did in a full run).
settings.register_profile("vigil", deadline=None)
settings.load_profile("vigil")


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


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Give the encrypted test database its own key (each run has its own data folder)."""
    from django.conf import settings

    from vigil.core.keys import create_key_file

    key = Path(settings.KEY_FILE)
    if not key.exists():  # the master key also wraps field keys on PostgreSQL
        create_key_file(key)


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """Leave the thread in the default language: a request in Russian must not leak into the
    next test (Django's LocaleMiddleware activates a language and leaves it active)."""
    yield
    from django.utils import translation

    translation.activate("en")


@pytest.fixture(autouse=True)
def _fresh_filter_options():
    """Forget the filter pickers' cached options: each test's database starts anew (a rollback
    sends no signal that would clear them)."""
    yield
    from vigil.web.filters import forget_options

    forget_options()
