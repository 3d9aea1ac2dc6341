"""Finding a recorded source to cite again, among those the user may view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from vigil.policy.access import restrict
from vigil.records.models import Source

if TYPE_CHECKING:
    from vigil.accounts.types import User

MIN_LENGTH = 3


def find_sources(user: User, text: str, limit: int = 8) -> list[Source]:
    """Visible sources whose title, publisher or address contains ``text``, newest first."""
    text = " ".join((text or "").split())[:200]
    if len(text) < MIN_LENGTH:
        return []
    found = Source.objects.filter(
        Q(title__icontains=text) | Q(url__icontains=text) | Q(publisher__icontains=text)
    ).order_by("-created_at")
    return list(restrict(user, "view", found)[:limit])
