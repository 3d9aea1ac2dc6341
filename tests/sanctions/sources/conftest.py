"""Real lists read once per session (through the `shared_data` fixture) and file helpers."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from vigil.sanctions.sources import READERS, ReadResult


@cache
def _collected(kind: str, path: Path) -> ReadResult:
    """Read a real list once; tests only look at the result."""
    return READERS[kind](path).collect()


@pytest.fixture
def eu_list(shared_data: Path) -> ReadResult:
    """The EU 765/2006 Annex I transcription."""
    return _collected("eu-765", shared_data / "sanctions" / "eu_reg_765_2006_annexI.csv")


@pytest.fixture
def ofac_list(shared_data: Path) -> ReadResult:
    """The OFAC SDN legacy CSV snapshot."""
    return _collected("ofac-sdn", shared_data / "ofac" / "sdn.csv")


@pytest.fixture
def un_list(shared_data: Path) -> ReadResult:
    """The UN Security Council consolidated list."""
    return _collected("un", shared_data / "un" / "UN_consolidated.xml")
