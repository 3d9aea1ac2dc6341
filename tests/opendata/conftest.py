"""Open-data tests run in a test change context, with the public pages routed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from vigil.core.context import ChangeContext, change_context


@pytest.fixture
def ctx(db: Any) -> Iterator[ChangeContext]:
    """Changes made under a test context with no actor."""
    with change_context("test", detail="open data tests") as c:
        yield c
