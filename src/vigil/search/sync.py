"""Keeping the index current: on every save (signals), and from the history for bulk writes.

Single saves send ``post_save`` and are indexed in their own transaction. Bulk inserts
(importers, the synthetic demo) send no signal but write a history row per record, so
:func:`catch_up` replays the history written since it last ran.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Subquery
from django.db.models.signals import post_save

from vigil.core.models import Version
from vigil.records.models import PersonName
from vigil.search.documents import FIELDS, index_documents
from vigil.search.models import IndexState
from vigil.search.name_index import index_persons

WATERMARK = "history"
#: History rows replayed per search at most; past that the page says the index lags behind.
CATCH_UP_LIMIT = 5000
NAME_MODELS = ("records.person", "records.personname")
INDEXED = (*NAME_MODELS, *FIELDS)


def reindex(label: str, ids: Iterable[Any]) -> None:
    """Rewrite the index entries of these records of model ``label`` (deleted ones vanish)."""
    ids = list(ids)
    if label == "records.person":
        index_persons(ids)
    elif label == "records.personname":
        owners = PersonName.all_objects.filter(pk__in=ids).values_list("person_id", flat=True)
        index_persons(set(owners), ids)
    elif label in FIELDS:
        index_documents(label, ids)


def catch_up(limit: int | None = CATCH_UP_LIMIT) -> bool:
    """Replay history rows written since the last run; True when the index is current."""
    last, newest = _positions()
    if newest <= last:
        return True
    versions = Version.objects.filter(pk__gt=last, pk__lte=newest, model__in=INDEXED)
    rows = versions.order_by("pk").values_list("pk", "model", "object_id")
    if limit is not None:
        rows = rows[:limit]
    pending: dict[str, set[Any]] = defaultdict(set)
    seen, count = last, 0
    for pk, label, object_id in rows:
        pending[label].add(object_id)
        seen, count = pk, count + 1
    current = limit is None or count < limit
    with transaction.atomic():
        # Locked: two searches catching up at once would write the same rows twice.
        state = IndexState.objects.select_for_update().filter(key=WATERMARK).first()
        if state is not None and state.value > last:
            return True  # someone else caught up meanwhile
        for label in INDEXED:  # persons before their names
            if pending.get(label):
                reindex(label, pending[label])
        set_watermark(newest if current else seen)
    return current


def lag() -> int:
    """History rows of indexed models not yet replayed (0 when the index is current)."""
    return Version.objects.filter(pk__gt=_watermark(), model__in=INDEXED).count()


def newest_history() -> int:
    """The id of the newest history row (0 when there is none)."""
    return Version.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _positions() -> tuple[int, int]:
    """The watermark and the newest history row's id, in one query (every name search asks)."""
    mark = IndexState.objects.filter(key=WATERMARK).values("value")[:1]
    found = list(Version.objects.order_by("-pk").values_list("pk", Subquery(mark))[:1])
    if not found:
        return _watermark(), 0
    newest, last = found[0]
    return last or 0, newest


def _watermark() -> int:
    return IndexState.objects.filter(key=WATERMARK).values_list("value", flat=True).first() or 0


def set_watermark(value: int) -> None:
    """Record that the index reflects the history up to row ``value``."""
    IndexState.objects.update_or_create(key=WATERMARK, defaults={"value": value})


def _saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Index one saved record in the same transaction as the save."""
    if raw:
        return
    label = sender._meta.label_lower
    if label == "records.personname":
        # The name may have moved (a merge): its old owner loses it, the new one gains it.
        index_persons({instance.person_id}, {instance.pk})
    else:
        reindex(label, [instance.pk])


def connect() -> None:
    """Connect the save signals of every indexed model."""
    from django.apps import apps

    for label in INDEXED:
        post_save.connect(
            _saved, sender=apps.get_model(label), dispatch_uid=f"vigil_search_{label}"
        )
