"""What one user may see: the one module every surface asks (pages, API, drafts, counts).

:func:`vigil.policy.access.restrict` is the policy; this module is the only place that words
the questions the surfaces put to it, one function per question:

- :func:`visible` — the part of a queryset the user may view;
- :func:`visible_one` / :func:`visible_or_404` — one record, or nothing (hidden looks missing);
- :func:`custody_seen_by` / :func:`custody_of` — custody derived only from the acts the user
  may view (stored per ceiling when the user's view is exactly a ceiling, else derived).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.http import Http404

from vigil.policy.access import exact_ceiling, restrict
from vigil.records.custody import Custody, CustodyState, custody_by_person
from vigil.records.custody_store import stored_at
from vigil.records.models import Act, Person

if TYPE_CHECKING:
    from vigil.accounts.types import User

M = TypeVar("M", bound=models.Model)


def visible(
    user: User, queryset: models.QuerySet[M], *, checked_parents: Iterable[str] = ()
) -> models.QuerySet[M]:
    """The part of ``queryset`` that ``user`` may view.

    ``checked_parents``: parents the statement already checks (``policy.access.restrict``):
    only for rows read as rows of parents that the outer query restricts for ``user``.
    """
    return restrict(user, "view", queryset, checked_parents=checked_parents)


def visible_one(user: User, queryset: models.QuerySet[M], pk: Any) -> M | None:
    """The record ``pk`` of ``queryset`` when ``user`` may view it; else None."""
    return visible(user, queryset).filter(pk=pk).first()


def visible_or_404(user: User, queryset: models.QuerySet[M], pk: Any) -> M:
    """One record ``user`` may view, for a page; a hidden record is a 404 like a missing one."""
    found = visible_one(user, queryset, pk)
    if found is None:
        # Not visible and not existing look the same: no one learns which ids exist.
        raise Http404
    return found


def custody_seen_by(
    user: User,
    person_ids: Iterable[Any] | models.QuerySet[Any] | None = None,
    today: dt.date | None = None,
) -> dict[Any, CustodyState]:
    """The custody of these persons (every person: None; ids: a list or a subquery) derived
    from the acts ``user`` may view; a person with no such act is absent."""
    if person_ids is not None and not isinstance(person_ids, models.QuerySet):
        person_ids = list(person_ids)
    level = exact_ceiling(user)
    if level is not None:
        return stored_at(level, person_ids, today)
    acts = Act.objects.all()
    if person_ids is not None:
        acts = acts.filter(victim_person_id__in=person_ids)
    return custody_by_person(visible(user, acts), today)


def custody_of(user: User, person: Person) -> CustodyState:
    """One person's custody derived from the acts ``user`` may view (none: unknown)."""
    found = custody_seen_by(user, [person.pk]).get(person.pk)
    return found if found is not None else CustodyState(Custody.UNKNOWN)
