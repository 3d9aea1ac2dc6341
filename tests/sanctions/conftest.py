from pathlib import Path

import pytest

from vigil.core.context import change_context
from vigil.importers.viasna import import_viasna
from vigil.sanctions.lists import import_list


@pytest.fixture
def eu_file(shared_data: Path) -> Path:
    return shared_data / "sanctions" / "eu_reg_765_2006_annexI.csv"


@pytest.fixture
def viasna_file(shared_data: Path) -> Path:
    return shared_data / "viasna" / "prisoners_sample.csv"


@pytest.fixture
def record_with_eu_list(db, eu_file, viasna_file):
    """The real Viasna sample and the real EU list, imported (real facts only)."""
    import datetime as dt

    with change_context("test"):
        import_viasna(viasna_file)
        import_list("eu-765", eu_file, version_date=dt.date(2026, 7, 17))
    return eu_file
