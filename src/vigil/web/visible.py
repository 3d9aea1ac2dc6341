"""What one user may see, for the pages: a record or a 404, and lists cut to what is visible."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.http import Http404

from vigil.policy.access import restrict

if TYPE_CHECKING:
    from vigil.accounts.types import User

M = TypeVar("M", bound=models.Model)


def visible(user: User, queryset: models.QuerySet[M]) -> models.QuerySet[M]:
    """The part of ``queryset`` that ``user`` may view."""
    return restrict(user, "view", queryset)


def visible_or_404(user: User, queryset: models.QuerySet[M], pk: Any) -> M:
    """One record ``user`` may view; a hidden record is a 404 like a missing one."""
    found = visible(user, queryset).filter(pk=pk).first()
    if found is None:
        # Not visible and not existing look the same: no one learns which ids exist.
        raise Http404
    return found


def only_visible(user: User, items: Iterable[M]) -> list[M]:
    """``items`` (model instances, any mix of models) cut to those ``user`` may view, in order."""
    items = list(items)
    by_model: dict[type[models.Model], set[Any]] = {}
    for item in items:
        by_model.setdefault(type(item), set()).add(item.pk)
    seen: set[tuple[type[models.Model], Any]] = set()
    for model, ids in by_model.items():
        manager = getattr(model, "all_objects", model._default_manager)
        found = visible(user, manager.filter(pk__in=ids)).values_list("pk", flat=True)
        seen |= {(model, pk) for pk in found}
    return [item for item in items if (type(item), item.pk) in seen]
