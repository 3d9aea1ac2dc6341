"""Every test here runs inside a test change context with the database available."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from vigil.core.context import ChangeContext, change_context


@pytest.fixture
def ctx(db: Any) -> Iterator[ChangeContext]:
    """Changes made under a test context with no actor."""
    with change_context("test", detail="country report tests") as c:
        yield c


@pytest.fixture
def reader(db: Any) -> Any:
    """A fictional coordinator: the acting user the report is built for."""
    from vigil.accounts.models import User

    return User.objects.get_or_create(
        username="fictional-coordinator", defaults={"role": "coordinator"}
    )[0]
