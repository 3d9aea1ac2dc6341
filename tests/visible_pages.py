"""What the tests of pages read by compiled statements share (``records/test_page_visible.py``,
``search/test_found_pages.py``): the orders and bounds they try, fictional persons at every
level, and a page's values to compare."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from vigil.policy.rules import LEVELS
from vigil.records.models import Person

ORDERS = (
    ("display_name", "pk"),
    ("-display_name", "-pk"),
    ("birth_date", "pk"),
    ("-birth_date", "-pk"),
    ("updated_at", "pk"),
    ("-updated_at", "-pk"),
)
BOUNDS = ((0, 5), (3, 8), (10, 40), (40, 45), (0, 0))


def persons_at_every_level(name: Callable[[int], str], copies: int, **fields: Any) -> list[Person]:
    """``copies`` + n persons at the n-th level (0-based), named ``name(copy)`` — namesakes
    across levels, so an order falls back to the key among them — some born on an unknown day,
    one of each level with the name withheld."""
    made = []
    for n, level in enumerate(LEVELS):
        for copy in range(n + copies):
            born = dt.date(1960 + copy, 1 + n, 1) if copy % 3 else None
            made.append(
                Person.objects.create(
                    display_name=name(copy),
                    confidentiality=level,
                    birth_date=born,
                    name_withheld=copy == 2,
                    **fields,
                )
            )
    return made


def values(found: list[Person]) -> list[dict[str, Any]]:
    """Every field of each person (a page compared field by field, not by keys alone)."""
    return [{k: v for k, v in p.__dict__.items() if k != "_state"} for p in found]
