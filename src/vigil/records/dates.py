"""Display and sorting of uncertain dates stored as (date, precision, end)."""

from __future__ import annotations

import datetime as dt

from vigil.core.dates import Precision, UncertainDate


def display_date(date: dt.date | None, precision: str, end: dt.date | None = None) -> str:
    """A human form of a stored uncertain date ("August 2011", "2011", "unknown")."""
    if date is None:
        return "unknown" if end is None else f"before {end.isoformat()}"
    return str(UncertainDate(date, Precision(precision), end))
