"""International dates on the calendar: UN sessions, UPR and submission deadlines.

Entered by an admin or a coordinator from the announcement of the body concerned (with its
link); Vigil ships no such date. They are public facts, so the calendar feed shows their titles.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from vigil.core.errors import Forbidden, NotFound, ValidationFailed
from vigil.policy.access import reference_allows
from vigil.solidarity.models import InternationalDate, InternationalDateKind

if TYPE_CHECKING:
    from vigil.accounts.types import User

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


def may_edit(user: User) -> bool:
    """Admins and coordinators add and remove international dates."""
    return reference_allows(user, "change")


def add_date(user: User, date: dt.date, kind: str, title: str, url: str = "") -> InternationalDate:
    """Record one international date; ValidationFailed names what is wrong."""
    if not may_edit(user):
        raise Forbidden("Only an admin or a coordinator may add an international date.")
    title = " ".join((title or "").split())
    if not title:
        raise ValidationFailed("Give the date a title (the session or the deadline).")
    if kind not in InternationalDateKind.values:
        raise ValidationFailed(
            f"Unknown kind {kind!r}; known: {', '.join(InternationalDateKind.values)}."
        )
    if not EARLIEST <= date <= LATEST:
        raise ValidationFailed("The date must fall between 2000 and 2100.")
    url = (url or "").strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationFailed("The link must be an http:// or https:// address.")
    row = InternationalDate.objects.create(
        date=date, kind=kind, title=title[:300], url=url[:500], created_by=user
    )
    return row


def remove_date(user: User, pk: str) -> None:
    """Remove one international date (a cancelled session, a mistake)."""
    if not may_edit(user):
        raise Forbidden("Only an admin or a coordinator may remove an international date.")
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        raise NotFound("No such international date.") from None
    row = InternationalDate.objects.filter(pk=key).first()
    if row is None:
        raise NotFound("No such international date.")
    row.delete()


def upcoming(start: dt.date, end: dt.date) -> list[InternationalDate]:
    return list(InternationalDate.objects.filter(date__range=(start, end)))
