"""Writing records in bulk: a batch planner, a fast constructor, and the batch writers.

Every bulk writer of the record shares this module. The importers (Viasna, ZUBR) plan the
records each row derives (ids from ``stable_id``) into a :class:`Plan`, a row at a time (a bad
row's records are dropped whole), and write a batch at a time with
:func:`vigil.records.upsert.upsert_records` (idempotent: created once, updated on change).
The synthetic and planted generators collect new records in :class:`NewRecords` and write
them with their first versions. The sanctions lists and stored custody, which keep no history,
insert with :func:`insert_plain`. Every record written here gets the history a single save
would write (``vigil.core.history.bulk_create_records``).
"""

from __future__ import annotations

import gc
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, models, router
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

from vigil.core.history import bulk_create_records, insert_rows
from vigil.core.models import VigilModel
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

M = TypeVar("M", bound=models.Model)

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

# SQLite page cache during a bulk write (KiB, as ``PRAGMA cache_size`` takes a negative count):
# the inserts into the record, version and index B-trees of one transaction touch pages all
# over the file (random keys); with the everyday 32 MiB cache the transaction spills and
# re-reads (decrypting again) the same pages. Bounded, so memory stays flat past its size.
BULK_CACHE_KIB = 262_144


# The cyclic garbage collector during a bulk write: a batch keeps tens of thousands of records
# (each a container with its ``__dict__`` and state) alive until it is written, so they outlive
# the youngest generations and the default thresholds ran a collection of the whole heap every
# few hundred rows; measured on 6,000 rows on PostgreSQL: 1,588 collections, 24 % of the
# import's CPU (3 collections, 0.1 s, with these). The records are freed by reference counting
# when their batch is done; collections still run, every 100,000 allocations.
BULK_GC_THRESHOLD = (100_000, 50, 1000)
_gc_lock = threading.Lock()
_gc_depth = 0
_gc_saved: tuple[int, int, int] = (0, 0, 0)
_gc_froze = False  # whether the outermost bulk write froze the objects (and so unfreezes them)


@contextmanager
def bulk_gc() -> Iterator[None]:
    """Fewer garbage collections for the duration of a bulk write (process-wide, restored
    after the outermost one ends): the objects that exist before it are frozen out of the
    collector's scans (``gc.freeze``) and the youngest generation is collected less often.

    In a process that has frozen objects already (a ``vigil serve`` worker freezes what it
    loaded: ``core.serving_worker.settle_collector``) they are left frozen, before and after:
    ``gc.unfreeze`` would give the worker's whole start-up back to every full collection."""
    global _gc_depth, _gc_saved, _gc_froze
    with _gc_lock:
        _gc_depth += 1
        if _gc_depth == 1:
            _gc_saved = gc.get_threshold()
            _gc_froze = gc.get_freeze_count() == 0
            if _gc_froze:
                gc.freeze()
            gc.set_threshold(*BULK_GC_THRESHOLD)
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0:
                gc.set_threshold(*_gc_saved)
                if _gc_froze:
                    gc.unfreeze()


@contextmanager
def bulk_cache() -> Iterator[None]:
    """A larger page cache on encrypted SQLite for the duration of a bulk write, and fewer
    garbage collections (:func:`bulk_gc`) on every database; the planner's statistics are
    brought up to date after it (:func:`refresh_statistics` on SQLite, also when the write
    failed; :func:`analyse_grown_tables` on PostgreSQL, after a write that completed)."""
    if connection.vendor != "sqlite":
        with bulk_gc():
            yield
        analyse_grown_tables()
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        with bulk_gc():
            yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")
        refresh_statistics()


def refresh_statistics() -> None:
    """Bring the planner's statistics up to date during a bulk write, after each batch: on
    SQLite ``PRAGMA optimize``, on PostgreSQL :func:`analyse_grown_tables` (inside the bulk
    write's transaction, whose own rows its ``ANALYZE`` samples); elsewhere nothing.

    A planner that knows a table only as it was when the write began plans the next batch's
    reads for an empty table. SQLite's knows a table's size only from ``ANALYZE``: the stored
    custody refresh of the synthetic generator read the acts by type (every act of the
    database) instead of by person, 0.6 s per 500 persons at 20,000. PostgreSQL's scales a
    table's row count by its current size but, with no statistics of its columns, made the
    same choice for the Viasna import's custody refresh: at 10,000 rows each refresh read
    every act of the 13 types it asks for (0.35-0.45 s each, growing with the database; three
    times the client's CPU on the server at 100,000 rows). Both analyse only the tables never
    analysed or that grew markedly since (SQLite's pragma with a bounded sample; PostgreSQL's
    once a table doubled), so a load of N batches analyses each table about log2(N) times.
    """
    if connection.vendor == "postgresql":
        analyse_grown_tables()
        return
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA optimize=0x10002")
        cursor.fetchall()


# A table is analysed at the end of a bulk write when it has at least this many pages (8 KiB
# each: some 300 persons; a small import's tables stay below it) and was never analysed, was
# empty when last analysed (the planner then takes it for empty whatever its size — also
# after a large write was rolled back and left its pages behind), or has at least
# GROWN_FACTOR times the pages it had when last analysed.
ANALYSE_MIN_PAGES = 8
GROWN_FACTOR = 2

_GROWN_TABLES = """
SELECT relname FROM (
  SELECT c.relname, c.reltuples, c.relpages,
         pg_relation_size(c.oid) / current_setting('block_size')::int AS pages
  FROM pg_class c
  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
) t
WHERE pages >= %s AND (reltuples <= 0 OR pages >= %s * relpages)
ORDER BY 1
"""


def analyse_grown_tables() -> list[str]:
    """On PostgreSQL, ``ANALYZE`` the tables that grew markedly since they were last analysed
    (or were never analysed; see ``ANALYSE_MIN_PAGES``); the tables analysed. Elsewhere
    nothing. Called after each batch of a bulk write (:func:`refresh_statistics`, inside its
    transaction: ``ANALYZE`` samples the transaction's own rows, and its lock, held to the
    commit, blocks no read or write; another bulk write's ``SKIP_LOCKED`` passes the table by)
    and once more at its end.

    PostgreSQL's autovacuum analyses a table only after the rows written to it were committed
    and some time has passed (up to a minute), and never what a test's transaction writes.
    Until then its planner scales the row counts by the table's current size but has no
    statistics of the columns: right after the synthetic generator filled an empty database
    with 20,000 persons, each name search took about a second (a page of search results
    several), against milliseconds once analysed. Run at the end of a bulk write (after its
    commit when it has its own transaction); ``SKIP_LOCKED`` leaves a table another session
    is vacuuming or analysing to that session instead of waiting for it.
    """
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(_GROWN_TABLES, [ANALYSE_MIN_PAGES, GROWN_FACTOR])
        tables = [row[0] for row in cursor.fetchall()]
        if tables:
            names = ", ".join(connection.ops.quote_name(t) for t in tables)
            cursor.execute(f"ANALYZE (SKIP_LOCKED) {names}")
    return tables


class Plan:
    """The records planned from the rows, shared entities (judges, prisons, laws) deduplicated.

    ``records`` holds the current batch only; ``shared`` keeps the shared records of earlier
    batches (already written or found unchanged in this import) so they are not planned again.
    ``write_order`` lists the models references-first: :meth:`take` sorts by it.
    """

    shared_limit = SHARED_LIMIT

    def __init__(self, write_order: Sequence[type[VigilModel]] = WRITE_ORDER) -> None:
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
        pk = obj.pk
        kept = self.records.get(pk)
        if kept is not None:
            return kept
        return self.pending.setdefault(pk, obj)

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


class NewRecords:
    """New records collected by model and written, with their first versions, on :meth:`flush`.

    Models are written in the order they were first added (add references first); ``counts``
    holds the records written per model label.
    """

    def __init__(self, batch_size: int = 1000) -> None:
        self.batch_size = batch_size
        self.counts: Counter[str] = Counter()
        self.pending: dict[type[VigilModel], list[VigilModel]] = {}

    def add(self, obj: M) -> M:
        """Collect ``obj`` (a new record) for the next flush."""
        self.pending.setdefault(type(obj), []).append(obj)  # type: ignore[arg-type]
        return obj

    def flush(self) -> None:
        """Write what was collected (the caller owns the transaction)."""
        for model, objs in self.pending.items():
            bulk_create_records(objs, batch_size=self.batch_size)
            self.counts[model._meta.label_lower] += len(objs)
        self.pending = {}


def insert_plain(objs: Sequence[models.Model]) -> None:
    """INSERT new rows of a model that keeps no history (one model; the caller's transaction).

    The values are prepared as Django's ``bulk_create`` prepares them; an automatic primary key
    left unset is assigned by the database (and not read back).
    """
    if not objs:
        return
    model = type(objs[0])
    insert_rows(connections[router.db_for_write(model)], model, objs)


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """Take ``count`` values of ``model``'s automatic integer key, for rows that other rows of
    the same write refer to (so that both go through :func:`insert_plain`, which reads no key
    back). Call it inside the writing transaction.

    PostgreSQL: the key's own sequence (``nextval``), as the database would have assigned
    them. SQLite: the numbers after the highest ever given (its ``AUTOINCREMENT`` counter, or
    the highest key); SQLite has one writer at a time, and a write after another connection's
    commit fails rather than reusing a number.
    """
    if count <= 0:
        return []
    conn = connections[router.db_for_write(model)]
    table = model._meta.db_table
    column = str(model._meta.pk.column)
    quote = conn.ops.quote_name
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # Names come from model metadata, quoted; SQLite's counter table may not exist yet.
        cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608  # nosec B608
        start = int(cursor.fetchone()[0])
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'")
        if cursor.fetchone():
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            start = max(start, int(found[0])) if found else start
    return list(range(start + 1, start + 1 + count))


_FRESH = object()


@lru_cache(maxsize=64)
def _blueprint(
    model: type[models.Model],
) -> tuple[
    dict[str, tuple[int, bool]],
    list[Any],
    tuple[str, ...],
    bool,
    tuple[tuple[int, models.Field[Any, Any]], ...],
]:
    """Per field name and attname: its position and whether it is a relation; the defaults;
    the attnames in order; whether the model can be built without calling ``__init__``; the
    positions (and fields) whose default is called per record."""
    index: dict[str, tuple[int, bool]] = {}
    defaults: list[Any] = []
    for i, f in enumerate(model._meta.concrete_fields):
        index[f.attname] = (i, False)
        index[f.name] = (i, f.is_relation)
        # Callable defaults (the id's uuid4) are called per record, as Model() would.
        defaults.append(_FRESH if f.has_default() and callable(f.default) else f.get_default())
    attnames = tuple(f.attname for f in model._meta.concrete_fields)
    # ``Model.__init__`` given every concrete value positionally only sets the attnames
    # (through descriptors that, on a new object, have no cache to clear) and sends
    # pre_init/post_init: with no receiver for this model the result is the same object, built
    # faster. A generic foreign key (a private field) is not touched by positional values; any
    # other private field keeps the constructor.
    private = model._meta.private_fields
    direct = (
        not pre_init.has_listeners(model)
        and not post_init.has_listeners(model)
        and all(isinstance(f, GenericForeignKey) for f in private)
        and len(attnames) == len(model._meta.fields)
    )
    fields = model._meta.concrete_fields
    fresh = tuple((i, f) for i, f in enumerate(fields) if defaults[i] is _FRESH)
    return index, defaults, attnames, direct, fresh


@lru_cache(maxsize=64)
def _template(
    model: type[models.Model],
) -> tuple[dict[str, Any], dict[str, str], frozenset[str], tuple[tuple[str, Any], ...]]:
    """For the direct build: every attname with its default (``_FRESH`` where the default is
    called per record), the attname of each field name and attname, the names that are
    relations, and the attnames (with fields) whose default is called per record."""
    _, defaults, attnames, _, fresh = _blueprint(model)
    fields = model._meta.concrete_fields
    attname_of: dict[str, str] = {}
    relations: set[str] = set()
    for f in fields:
        attname_of[f.attname] = f.attname
        attname_of[f.name] = f.attname
        if f.is_relation and f.name != f.attname:
            relations.add(f.name)
    template = dict(zip(attnames, defaults, strict=True))
    return template, attname_of, frozenset(relations), tuple((f.attname, f) for _, f in fresh)


def new_record(model: type[M], /, **values: Any) -> M:
    """``model(**values)`` without Django's per-field descriptor work: the same record, faster.

    A related field takes a record or its id (by the field's name) or an id (by its attname);
    an unknown field name raises ``KeyError``.
    """
    index, defaults, attnames, direct, fresh = _blueprint(model)
    if not direct:
        args = defaults.copy()
        for key, value in values.items():
            i, relation = index[key]
            args[i] = value.pk if relation and isinstance(value, models.Model) else value
        for i, f in fresh:
            if args[i] is _FRESH:
                args[i] = f.get_default()
        return model(*args)
    template, attname_of, relations, fresh_names = _template(model)
    state = template.copy()
    for key, value in values.items():
        if key in relations and isinstance(value, models.Model):
            value = value.pk
        state[attname_of[key]] = value
    for name, f in fresh_names:
        if state[name] is _FRESH:
            state[name] = f.get_default()
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(state)
    return obj
