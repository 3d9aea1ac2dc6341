"""The reader of the country report (change contexts come from tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def reader(db: Any) -> Any:
    """A fictional coordinator: the acting user the report is built for."""
    from vigil.accounts.models import User

    return User.objects.get_or_create(
        username="fictional-coordinator", defaults={"role": "coordinator"}
    )[0]
