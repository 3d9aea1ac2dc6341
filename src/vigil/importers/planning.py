"""The machinery every importer shares: a batch planner and a fast model constructor.

An importer plans the records each row derives (with ids from ``stable_id``) into a
:class:`Plan`, a row at a time (a bad row's records are dropped whole), then writes a batch at a
time with :func:`vigil.records.upsert.upsert_records`. Records many rows share (judges, courts,
provisions) are planned once and remembered across batches.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

from vigil.core.models import VigilModel
from vigil.importers.rows import RowProblem
from vigil.records.models import (
    Act,
    ActCharge,
    Event,
    ExternalId,
    Information,
    Involvement,
    LegalProvision,
    Organisation,
    OrganisationName,
    Participant,
    Person,
    PersonName,
    Source,
)
from vigil.records.upsert import UpsertReport

# Shared records (judges, prisons, provisions and their names) kept across batches so that a
# later batch reuses them instead of planning and comparing them again; past this many the
# memory is given back and they are simply planned again.
SHARED_LIMIT = 50_000

# The models importers write, in the order they are written (references before referrers).
WRITE_ORDER: tuple[type[VigilModel], ...] = (
    Source,
    Organisation,
    OrganisationName,
    Person,
    PersonName,
    ExternalId,
    LegalProvision,
    Event,
    Act,
    ActCharge,
    Involvement,
    Participant,
    Information,
)


@dataclass
class ImportReport:
    """What an import did: rows read, imported, reported; records created/updated."""

    path: str
    rows: int = 0
    imported: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    upsert: UpsertReport = field(default_factory=UpsertReport)
    unit: str = "line"  # what a problem's number counts: the file's lines, or its records
    # Rows imported with a value kept verbatim that a person must check ("needs review").
    review: list[RowProblem] = field(default_factory=list)
    # Rows whose id was recorded before with another page (line, id, old URL, new URL).
    url_changes: list[tuple[int, str, str, str]] = field(default_factory=list)
    # Persons whose primary name changed: the old name is kept as an alias.
    renamed: int = 0
    # Perpetrators screened against the loaded sanctions lists after the import.
    screened: int = 0

    def notes(self) -> list[str]:
        """Lines of the summary particular to a format (none here)."""
        return []

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "rows": self.rows,
            "imported": self.imported,
            "rejected": len(self.problems),
            "problems": [{self.unit: p.line, "reason": p.reason} for p in self.problems],
            "created": dict(self.upsert.created),
            "updated": dict(self.upsert.updated),
            "unchanged": self.upsert.total("unchanged"),
            "needs_review": [{self.unit: p.line, "reason": p.reason} for p in self.review],
            "url_changes": [
                {"line": line, "id": rid, "old": old, "new": new}
                for line, rid, old, new in self.url_changes
            ],
            "renamed": self.renamed,
            "screened": self.screened,
        }


# SQLite page cache during an import (KiB, as ``PRAGMA cache_size`` takes a negative count):
# the inserts into the record, version and index B-trees of one transaction touch pages all
# over the file (random keys); with the everyday 32 MiB cache the transaction spills and
# re-reads (decrypting again) the same pages. Bounded, so memory stays flat past its size.
IMPORT_CACHE_KIB = 262_144


@contextmanager
def import_cache() -> Iterator[None]:
    """A larger page cache on encrypted SQLite for the duration of an import (else nothing)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


class Plan:
    """The records planned from the rows, shared entities (judges, prisons, laws) deduplicated.

    ``records`` holds the current batch only; ``shared`` keeps the shared records of earlier
    batches (already written or found unchanged in this import) so they are not planned again.
    ``write_order`` lists the models references-first: :meth:`take` sorts by it.
    """

    shared_limit = SHARED_LIMIT

    def __init__(self, write_order: Sequence[type[VigilModel]]) -> None:
        self.rank = {m: i for i, m in enumerate(write_order)}
        self.records: dict[Any, VigilModel] = {}
        self.pending: dict[Any, VigilModel] = {}
        self.shared: dict[Any, VigilModel] = {}
        self.shared_pending: list[VigilModel] = []
        self.shared_batch: list[VigilModel] = []
        self.ct_person = ContentType.objects.get_for_model(Person)
        self.ct_event = ContentType.objects.get_for_model(Event)

    def get(self, pk: Any) -> VigilModel | None:
        """The record planned (or already settled) under ``pk``, if any."""
        return self.pending.get(pk) or self.records.get(pk) or self.shared.get(pk)

    def add(self, obj: VigilModel) -> VigilModel:
        if obj.pk in self.records:
            return self.records[obj.pk]
        return self.pending.setdefault(obj.pk, obj)

    def add_shared(self, obj: VigilModel) -> VigilModel:
        """Plan a record many rows refer to (call :meth:`get` first to avoid building it)."""
        kept = self.add(obj)
        if kept is obj:
            self.shared_pending.append(obj)
        return kept

    def end_row(self, *, keep: bool) -> None:
        if keep:
            self.records.update(self.pending)
            self.shared_batch.extend(self.shared_pending)
        self.pending = {}
        self.shared_pending = []

    def settle(self, *, written: bool) -> None:
        """After a batch: remember its shared records if they were written, else forget them."""
        if written:
            if len(self.shared) + len(self.shared_batch) > self.shared_limit:
                self.shared = {}
            self.shared.update((o.pk, o) for o in self.shared_batch)
        self.shared_batch = []

    def take(self) -> list[VigilModel]:
        """The planned records in dependency order; the plan starts afresh."""
        taken = sorted(self.records.values(), key=lambda o: self.rank[type(o)])
        self.records = {}
        return taken


_FRESH = object()


@lru_cache(maxsize=64)
def _blueprint(
    model: type[VigilModel],
) -> tuple[dict[str, tuple[int, bool]], list[Any], tuple[str, ...], bool]:
    """Per field name and attname: its position and whether it is a relation; the defaults;
    the attnames in order; whether the model can be built without calling ``__init__``."""
    index: dict[str, tuple[int, bool]] = {}
    defaults: list[Any] = []
    for i, f in enumerate(model._meta.concrete_fields):
        index[f.attname] = (i, False)
        index[f.name] = (i, f.is_relation)
        # Callable defaults (the id's uuid4) are called per record, as Model() would.
        defaults.append(_FRESH if f.has_default() and callable(f.default) else f.get_default())
    attnames = tuple(f.attname for f in model._meta.concrete_fields)
    # ``Model.__init__`` only sets the attnames (through descriptors that, on a new object,
    # have no cache to clear) and sends pre_init/post_init: with no receiver for this model
    # and no private fields (generic relations) the result is the same object, built faster.
    direct = (
        not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
        and not model._meta.private_fields
        and len(attnames) == len(model._meta.fields)
    )
    return index, defaults, attnames, direct


def new_record(model: type[VigilModel], **values: Any) -> VigilModel:
    """``model(**values)`` without Django's per-field descriptor work: the same record, faster."""
    index, defaults, attnames, direct = _blueprint(model)
    args = defaults.copy()
    for key, value in values.items():
        i, relation = index[key]
        args[i] = value.pk if relation and value is not None else value
    fields = model._meta.concrete_fields
    for i, value in enumerate(args):
        if value is _FRESH:
            args[i] = fields[i].get_default()
    if not direct:
        return model(*args)  # type: ignore[misc]  # the plugin reads *args as the id alone
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(zip(attnames, args, strict=True))
    return obj
