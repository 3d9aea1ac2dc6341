"""Change history as the UI shows it: which record, what action, when, through which context."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from vigil.core.chunks import chunked
from vigil.core.history import (
    apps_model,
    batch_ids,
    derived_for,
    first_versions,
    newest_first,
    stored_history_for,
)
from vigil.core.models import Version, VersionBatch
from vigil.core.titles import has_titles, titles_of
from vigil.policy.access import histories_visible, history_visible, restrict, restrict_history_of

if TYPE_CHECKING:
    from vigil.accounts.types import User

# What wrote a version (``core.context.KINDS``), as a person reads it.
CONTEXT_LABELS = {
    "web": _("web"),
    "api": _("API"),
    "cli": _("command line"),
    "job": _("scheduled job"),
    "migration": _("database migration"),
    "test": _("test"),
    "system": _("system"),
}
# Saving always touches these; naming them as "changed" would hide the real change.
BOOKKEEPING = frozenset({"version", "updated_at", "updated_by", "updated_by_id"})


@dataclass(frozen=True)
class Change:
    """One Version row with the names the UI needs; never the record's field values.

    ``title`` and ``url`` name the record and open its page (or the page of the record it
    belongs to) when the user may view it (``vigil.core.titles``); ``hint`` holds the record's
    short id only for a kind no app names, for a tooltip, never as text.
    """

    version: Version
    kind: str
    admin_url: str | None
    title: str = ""
    url: str | None = None
    hint: str = ""

    @property
    def through(self) -> str:
        """The context that wrote the version, labelled ("command line", never "cli")."""
        kind = self.version.context_kind
        return str(CONTEXT_LABELS.get(kind, kind))

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
    """The UI view of one version row, before it is titled (:func:`_titled`)."""
    model = _model(version.model)
    kind = str(model._meta.verbose_name) if model else version.model
    admin_url = None
    if model is not None:
        try:
            admin_url = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                args=[version.object_id],
            )
        except NoReverseMatch:
            admin_url = None
    hint = "" if has_titles(version.model) else str(version.object_id)[:8]
    return Change(version=version, kind=kind, admin_url=admin_url, hint=hint)


def recent_changes(user: User, limit: int = 15) -> list[Change]:
    """The latest changes to records ``user`` may view, newest first (stored versions and the
    versions 1 a bulk write's batch holds)."""
    rows = restrict(user, "view", Version.objects.all())
    stored = list(rows.select_related("actor").order_by("-at", "-id")[:limit])
    cutoff = stored[-1].at if len(stored) >= limit else None
    derived: list[Version] = []
    batches = VersionBatch.objects.select_related("actor").order_by("-at", "-id")
    for batch in batches.iterator(chunk_size=20):
        if len(derived) >= limit or (cutoff is not None and batch.at < cutoff):
            break
        model = apps_model(batch.model)
        if model is None:
            continue
        ids = batch_ids(batch)
        visible = history_visible(user, model, ids)
        if not visible:
            continue
        newest = [pk for pk in reversed(ids) if pk in visible]
        taken = 0
        for chunk in chunked(newest, 100):  # last written first, until enough
            found = first_versions(model, chunk)
            derived.extend(found.values())
            taken += len(found)
            if taken >= limit:
                break
    versions = newest_first([*stored, *derived])[:limit]
    return _titled(user, [describe(v) for v in versions])


def changes_of(user: User, objs: Iterable[models.Model]) -> list[Change]:
    """The versions of the given records that ``user`` may view, newest first."""
    objs = list(objs)
    rows = restrict_history_of(user, stored_history_for(objs), {type(o) for o in objs})
    stored = list(rows.select_related("actor"))
    derived = derived_for(objs, stored)
    by_model: dict[str, list[Version]] = {}
    for v in derived:
        by_model.setdefault(v.model, []).append(v)
    wanted: dict[type[models.Model], list[Version]] = {}
    for label, found in by_model.items():
        model = apps_model(label)
        if model is not None:
            wanted[model] = found
    # Whose history the user may view, asked for every model in one query.
    visible = histories_visible(user, {m: [v.object_id for v in vs] for m, vs in wanted.items()})
    allowed: list[Version] = []
    for model, found in wanted.items():
        allowed.extend(v for v in found if v.object_id in visible[model])
    versions = newest_first([*stored, *allowed])
    # The records asked about were read by the page through the policy: named from them.
    return _titled(user, [describe(v) for v in versions], in_hand=objs)


def _titled(
    user: User, changes: list[Change], in_hand: Iterable[models.Model] = ()
) -> list[Change]:
    """Give each change the title and page of its record, read through the access policy in
    one batch per kind (``vigil.core.titles``): a record the user may not view stays untitled.
    ``in_hand``: records the caller has read through the policy for this user."""
    wanted: dict[str, set[str]] = {}
    for c in changes:
        wanted.setdefault(c.version.model, set()).add(str(c.version.object_id))
    found = titles_of(lambda rows: restrict(user, "view", rows), wanted, in_hand)
    titled = []
    for c in changes:
        named = found.get((c.version.model, str(c.version.object_id)))
        if named is not None:
            c = replace(c, title=named.text, url=named.url)
        titled.append(c)
    return titled
