"""Idempotent bulk writes: records with deterministic ids are created once, updated on change.

Importers plan records with ids derived from the source's own identifiers (``stable_id``),
then call :func:`upsert_records`. New records go in with :func:`bulk_create_records` (same
history as single saves); an existing record whose imported fields changed is saved again,
which writes a new version; an unchanged one is left alone, so a second import writes nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models, router

from vigil.core.chunks import chunked
from vigil.core.history import bulk_create_records
from vigil.core.models import VigilModel

NAMESPACE = uuid.UUID("6f1c3d4e-7a2b-5c9d-8e0f-1a2b3c4d5e6f")
# Fields an importer never owns: identity, bookkeeping, and what analysts decide.
NOT_IMPORTED = {
    "id",
    "version",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "deleted_at",
    "deleted_by",
    "deletion_reason",
    "confidentiality",
    "merged_into",
    "confirmed_role",
}


_NAMESPACE_BYTES = NAMESPACE.bytes
# uuid.UUID(bytes=..., version=5) clears these bits and sets the variant and version.
_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_SET = (0x8000 << 48) | (5 << 76)
_SAFE = uuid.SafeUUID.unknown


def stable_id(*parts: object) -> uuid.UUID:
    """A deterministic UUID for a record derived from a source's identifiers.

    ``uuid.uuid5(NAMESPACE, "\\x1f".join(parts))``, computed without UUID's constructor
    checks (an import computes one per record): the first 16 of SHA-1's 20 bytes are its
    value shifted right by 32 bits.
    """
    name = "\x1f".join(map(str, parts))
    digest = _sha1(_NAMESPACE_BYTES + name.encode(), usedforsecurity=False).digest()
    value = _new_object(_UUID)
    _set_attribute(value, "int", ((int.from_bytes(digest) >> 32) & _CLEAR) | _SET)
    _set_attribute(value, "is_safe", _SAFE)
    return value


_sha1 = hashlib.sha1
_new_object = object.__new__
_set_attribute = object.__setattr__
_UUID = uuid.UUID


@dataclass
class UpsertReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skipped_deleted: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def total(self, kind: str) -> int:
        return sum(getattr(self, kind).values())


def _owned_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in NOT_IMPORTED]


def existing_ids(model: type[models.Model], ids: Sequence[Any]) -> set[Any]:
    """Which of ``ids`` the model's table holds (soft-deleted rows too), as primary key values.

    ``model.all_objects.filter(pk__in=...)`` in one plain query per chunk: an import asks this
    of every id it plans, and Django's lookup machinery prepares each id again per query.
    """
    pk = model._meta.pk
    alias = router.db_for_read(model)
    connection = connections[alias]
    prep = pk.get_db_prep_value
    native = connection.features.has_native_uuid_field
    quote = connection.ops.quote_name
    column = quote(str(pk.column))
    head = f"SELECT {column} FROM {quote(model._meta.db_table)} WHERE {column} "  # noqa: S608  # nosec B608
    # PostgreSQL is sent a chunk of UUIDs as one array (``= ANY(%s)``): the same rows, with a
    # short statement the driver parses once instead of a 900-placeholder text per chunk.
    as_array = connection.vendor == "postgresql" and native and isinstance(pk, models.UUIDField)
    # Without a UUID type (SQLite) the field sends a UUID as its 32 hex digits: made inline.
    hexed = (
        not native
        and isinstance(pk, models.UUIDField)
        and type(pk).get_db_prep_value is models.UUIDField.get_db_prep_value
    )
    found: set[Any] = set()
    with connection.cursor() as cursor:
        for chunk in chunked(ids, 900):
            if hexed:
                params = [
                    v.hex if type(v) is uuid.UUID else prep(v, connection, prepared=False)
                    for v in chunk
                ]
            else:
                params = [
                    v if native and type(v) is uuid.UUID else prep(v, connection, prepared=False)
                    for v in chunk
                ]
            if as_array:
                cursor.execute(head + "= ANY(%s)", [params])
            else:
                cursor.execute(head + "IN (" + ", ".join(["%s"] * len(params)) + ")", params)
            found.update(pk.to_python(row[0]) for row in cursor.fetchall())
    return found


def upsert_records(
    objs: Iterable[VigilModel],
    report: UpsertReport | None = None,
    *,
    keep: Callable[[VigilModel], Collection[str]] | None = None,
) -> UpsertReport:
    """Create or update planned records, model by model in the order first seen.

    The caller owns the transaction. Records must carry deterministic ids. ``keep(record)``
    names the fields an existing record keeps as they are (a file that does not hold the
    column they come from): only new records get the planned values for them.
    """
    from vigil.records.batch import refresh_statistics
    from vigil.records.merge import follow_merges

    report = report or UpsertReport()
    objs = list(objs)
    follow_merges(objs)  # records that name a merged-away person go to the survivor
    by_model: dict[type[VigilModel], dict[Any, VigilModel]] = {}
    for obj in objs:
        by_model.setdefault(type(obj), {})[obj.pk] = obj
    for model, planned in by_model.items():
        label = model._meta.label_lower
        fields = _owned_fields(model)
        ids = list(planned)
        found = existing_ids(model, ids)
        # Full instances only for records that exist (a re-import), to compare their fields.
        existing: dict[Any, VigilModel] = {}
        if not found:
            # A first import: every planned record is new (no per-id lookups in ``found``).
            new = list(planned.values())
        else:
            for chunk in chunked([pk for pk in ids if pk in found], 900):
                existing.update(model.all_objects.in_bulk(chunk))
            new = [o for pk, o in planned.items() if pk not in found]
        bulk_create_records(new)
        report.created[label] += len(new)
        for pk, current in existing.items():
            wanted = planned[pk]
            if current.deleted_at is not None:
                report.skipped_deleted[label] += 1
                continue
            kept = keep(wanted) if keep is not None else ()
            changed = [
                f.attname
                for f in fields
                if f.name not in kept and getattr(current, f.attname) != getattr(wanted, f.attname)
            ]
            if not changed:
                report.unchanged[label] += 1
                continue
            for attname in changed:
                setattr(current, attname, getattr(wanted, attname))
            current.save()
            report.updated[label] += 1
    # The statistics the planner reads next batch: without them a connection that opened on
    # an emptier database reads every act of a type for each stored custody refresh (the
    # refresh of a batch then grows with the database, and an import with the square of its
    # rows). A no-op unless a table grew markedly since it was last analysed.
    refresh_statistics()
    return report
