import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import shared_data_dir
from tests.module_data import built_once

from vigil.core.context import change_context
from vigil.importers.viasna import import_viasna
from vigil.sanctions.lists import import_list


@pytest.fixture
def eu_file(shared_data: Path) -> Path:
    return shared_data / "sanctions" / "eu_reg_765_2006_annexI.csv"


@pytest.fixture
def viasna_file(shared_data: Path) -> Path:
    return shared_data / "viasna" / "prisoners_sample.csv"


@pytest.fixture(scope="module")
def _eu_record_once(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The real Viasna sample and the real EU list, imported once per module
    (tests/module_data.py: each test runs in a savepoint of the module's transaction)."""
    data = shared_data_dir()
    if data is None:  # `shared_data` skips the test with its message
        yield
        return
    with built_once(django_db_blocker), change_context("test"):
        import_viasna(data / "viasna" / "prisoners_sample.csv")
        import_list(
            "eu-765",
            data / "sanctions" / "eu_reg_765_2006_annexI.csv",
            version_date=dt.date(2026, 7, 17),
        )
        yield


@pytest.fixture
def record_with_eu_list(_eu_record_once, db, eu_file, viasna_file):
    """The real Viasna sample and the real EU list, imported (real facts only)."""
    return eu_file
