"""Change history as the UI shows it: which record, what action, when, through which context."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse

from vigil.core.history import history_for
from vigil.core.models import Version
from vigil.policy.access import restrict, restrict_history_of
from vigil.records.models import Person

PERSON_LABEL = Person._meta.label_lower
# Saving always touches these; naming them as "changed" would hide the real change.
BOOKKEEPING = frozenset({"version", "updated_at", "updated_by", "updated_by_id"})


@dataclass(frozen=True)
class Change:
    """One Version row with the names the UI needs; never the record's field values."""

    version: Version
    kind: str
    person_url: str | None
    admin_url: str | None

    @property
    def changed_fields(self) -> list[str]:
        """The names of the fields this version changed (empty for a creation)."""
        return [str(n) for n in self.version.changed or [] if n not in BOOKKEEPING]


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def describe(version: Version) -> Change:
    """The UI view of one version row."""
    model = _model(version.model)
    kind = str(model._meta.verbose_name) if model else version.model
    person_url = None
    if version.model == PERSON_LABEL:
        person_url = reverse("web:person", args=[version.object_id])
    admin_url = None
    if model is not None:
        try:
            admin_url = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                args=[version.object_id],
            )
        except NoReverseMatch:
            admin_url = None
    return Change(version=version, kind=kind, person_url=person_url, admin_url=admin_url)


def recent_changes(user: Any, limit: int = 15) -> list[Change]:
    """The latest changes to records ``user`` may view, newest first."""
    rows = restrict(user, "view", Version.objects.all())
    return [describe(v) for v in rows.select_related("actor").order_by("-at", "-id")[:limit]]


def changes_of(user: Any, objs: Iterable[models.Model]) -> list[Change]:
    """The versions of the given records that ``user`` may view, newest first."""
    objs = list(objs)
    rows = restrict_history_of(user, history_for(objs), {type(o) for o in objs})
    return [describe(v) for v in rows.select_related("actor").order_by("-at", "-id")]
