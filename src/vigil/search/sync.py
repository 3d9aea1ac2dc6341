"""Keeping the index current: on every save (signals), and from the history for bulk writes.

Single saves send ``post_save`` and are indexed in their own transaction. Bulk inserts
(importers, the synthetic demo) send no signal but write their history (one batch row per
model and write, naming every record it created), so :func:`catch_up` replays the version
rows and the batches written since it last ran.

The catch-up goes by id: the watermarks name the last version row and batch replayed. On
SQLite one write transaction runs at a time, so ids commit in order and a row the catch-up
has not seen always has a higher id than the ones it has. On PostgreSQL ids come from a
sequence when a row is inserted, not when it commits: a long bulk write (an import, on any
host) holds rows with low ids uncommitted while others commit higher ones, and the watermarks
pass the low ids before they are visible. There every history row records its transaction
(``xact``, migration core 0005) and the catch-up keeps a third mark, :data:`HORIZON`: the
oldest transaction that may still write this database's rows when it last moved the
watermarks (:func:`horizon`; not the cluster's ``pg_snapshot_xmin``).
Every row of an older transaction was visible to that catch-up; a row of a transaction at or
past the horizon that has ended since, below a watermark, may not have been, and the
watermark is moved back to it (:func:`_late_positions`): the replay then goes over it and
whatever followed it again (replaying is idempotent). A rolled-back transaction leaves no row
and holds nothing back; a long one holds back only the check of rows that committed out of
order while it ran, never the replay of rows as they commit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection, connections, transaction
from django.db.models.signals import post_save

from vigil.core.history import batch_ids
from vigil.core.models import Version, VersionBatch
from vigil.core.watched import changed, watch
from vigil.records.models import PersonName
from vigil.search.documents import FIELDS, index_documents
from vigil.search.models import IndexState
from vigil.search.name_index import add_name_forms, index_persons, lock_for_writing

WATERMARK = "history"
#: Where the replay of the batches stands: ``pk * BATCH_SPAN + n`` = batch ``pk`` is next, its
#: first ``n`` records replayed (every batch before it done).
BATCH_WATERMARK = "history-batches"
BATCH_SPAN = 2**32
#: PostgreSQL: this database's horizon when the watermarks were last moved (:func:`horizon`,
#: in the catch-up's first statement): rows of older transactions below the watermarks were
#: all replayed; rows of this one or later ones below them may not be.
HORIZON = "history-horizon"
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
    """Replay history written since the last run (version rows, then the records of batches);
    True when the index is current."""
    read = _read_positions()
    last, newest, batch_mark, newest_batch = read.replay_from()
    start, skip = divmod(batch_mark, BATCH_SPAN)
    batches_pending = newest_batch > 0 and newest_batch >= start
    if newest <= last and not batches_pending:
        return True
    pending: dict[str, set[Any]] = defaultdict(set)
    seen, count = last, 0
    if newest > last:
        versions = Version.objects.filter(pk__gt=last, pk__lte=newest, model__in=INDEXED)
        rows = versions.order_by("pk").values_list("pk", "model", "object_id")
        if limit is not None:
            rows = rows[:limit]
        for pk, label, object_id in rows:
            pending[label].add(object_id)
            seen, count = pk, count + 1
    stored_done = limit is None or count < limit
    if stored_done:
        seen = max(newest, last)
    mark = batch_mark
    batches_done = True
    if stored_done and batches_pending:
        batches = VersionBatch.objects.filter(pk__gte=start, pk__lte=newest_batch).order_by("pk")
        for batch in batches.only("pk", "model", "object_ids").iterator(chunk_size=20):
            if batch.model not in INDEXED:
                mark = (batch.pk + 1) * BATCH_SPAN
                continue
            first = skip if batch.pk == start else 0
            ids = batch_ids(batch)[first:]
            room = None if limit is None else limit - count
            if room is not None and room < len(ids):
                pending[batch.model].update(ids[:room])
                mark, batches_done = batch.pk * BATCH_SPAN + first + room, False
                break
            pending[batch.model].update(ids)
            count += len(ids)
            mark = (batch.pk + 1) * BATCH_SPAN
        else:
            mark = max(mark, (newest_batch + 1) * BATCH_SPAN)
    current = stored_done and batches_done
    with transaction.atomic():
        # The index's write lock before the watermark rows: a rebuild takes it first and
        # writes the watermarks last, so the other order would wait for each other. While a
        # rebuild runs the search does not wait for it: the replay is left for later.
        if not lock_for_writing(wait=False):
            return False
        # Locked: two searches catching up at once would write the same rows twice.
        states = {
            s.key: s.value
            for s in IndexState.objects.select_for_update().filter(
                key__in=[WATERMARK, BATCH_WATERMARK, HORIZON]
            )
        }
        if (
            states.get(WATERMARK, 0) != read.last
            or states.get(BATCH_WATERMARK, 0) != read.batch_mark
            or states.get(HORIZON) != read.stored_horizon
        ):
            return True  # someone else caught up meanwhile
        for label in INDEXED:  # persons before their names
            if pending.get(label):
                reindex(label, pending[label])
        set_watermark(seen)
        _set(BATCH_WATERMARK, mark)
        if read.horizon is not None:
            _set(HORIZON, read.horizon)
    return current


def lag() -> int:
    """History rows (version rows and records of batches) of indexed models not yet replayed
    (0 when the index is current)."""
    last, _, batch_mark, _ = _read_positions().replay_from()
    stored = Version.objects.filter(pk__gt=last, model__in=INDEXED).count()
    start, skip = divmod(batch_mark, BATCH_SPAN)
    batches = VersionBatch.objects.filter(pk__gte=start, model__in=INDEXED)
    written = sum(batches.values_list("count", flat=True))
    if batches.filter(pk=start).exists():
        written -= skip
    return stored + written


def newest_history() -> int:
    """The id of the newest history row (0 when there is none)."""
    return Version.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def newest_batch() -> int:
    """The id of the newest batch row (0 when there is none)."""
    return VersionBatch.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def horizon() -> int | None:
    """PostgreSQL: this database's horizon: every row that a transaction older than it wrote
    in this database is visible to the statements that follow. None on SQLite.

    It is the snapshot's ``xmax`` or the oldest of the snapshot's running transactions
    (``xip``) not known to write elsewhere, whichever is lower — not ``pg_snapshot_xmin``,
    the oldest running anywhere in the cluster: on a server shared with other databases, a
    long transaction in one of them held back the replay of rows that committed late here.

    Why it is never later than the true horizon (a later one would lose a late row). Take a
    transaction T of this database with an id below it. T is below ``xmax``, so the snapshot
    either counts it as ended (its rows, if it committed, are visible to this statement and
    to every later one: a statement's snapshot is this one or newer) or lists it as running.
    A listed T is left out of the minimum only when another database's session shows T as
    its transaction, or T was prepared in another database; a session never changes
    database, and a transaction's id is its own while it runs, so T would be that other
    database's — a contradiction. So T has ended and its rows are visible. What this relies
    on and what it does not:

    - A transaction that has no id yet (it has not written) gets one at or above ``xmax``
      when it writes: at or above the horizon, whichever database it is in.
    - The running list and the sessions are read at different moments (the sessions' table
      is copied once per transaction): a transaction that moved between them (prepared
      meanwhile, or ended and a new one began) is simply not recognised, so it stays in the
      minimum — an unrecognised transaction only holds the horizon back, never forward. A
      32-bit id could name another transaction only after ~4 billion more (while one runs,
      PostgreSQL stops before its 32 bits come round).
    - A prepared transaction of this database stays in the minimum (its database is this
      one), and so does a session of no database (``datid`` NULL, a background process).
    - Another role's sessions show their ``backend_xid`` and ``datid`` (only their query and
      state are hidden), so no privilege is needed; were they hidden, nothing would be left
      out and the horizon would be the cluster's again.
    - Ids are the 64-bit ``xid8`` (epoch included), as the history rows' ``xact``; only the
      comparison with a session's or a prepared transaction's 32-bit id is made as ``xid``.
    - On a hot standby the running list is the primary's and the sessions are the
      standby's: it must run on the primary. It does: the catch-up uses the default
      database (the primary) and writes its watermarks there.
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_HORIZON_SQL}")
        value: int = cursor.fetchone()[0]
    return value


def mark_current(newest: int, batch: int, horizon: int | None = None) -> None:
    """Record that the index reflects the history up to version row ``newest`` and batch
    ``batch`` and, on PostgreSQL, every row of a transaction older than ``horizon`` (from
    :func:`newest_history`, :func:`newest_batch` and :func:`horizon`, read before a
    rebuild)."""
    set_watermark(newest)
    _set(BATCH_WATERMARK, (batch + 1) * BATCH_SPAN)
    if horizon is not None:
        _set(HORIZON, horizon)


@dataclass(frozen=True)
class _Positions:
    """What a catch-up starts from, read in one statement: the watermarks as stored, the
    newest history rows and, on PostgreSQL, the horizons and the oldest rows that committed
    late (below a watermark, after the catch-up that moved it past them)."""

    last: int
    newest: int
    batch_mark: int
    newest_batch: int
    #: PostgreSQL: this database's horizon now (:func:`horizon`; the one the catch-up
    #: records); else None.
    horizon: int | None = None
    #: The horizon the last catch-up recorded (None: none yet, or not PostgreSQL).
    stored_horizon: int | None = None
    #: The lowest version row and batch that committed late (None: none).
    late_version: int | None = None
    late_batch: int | None = None

    def replay_from(self) -> tuple[int, int, int, int]:
        """The watermarks moved back below the rows that committed late, and the newest rows:
        ``(last, newest, batch_mark, newest_batch)``."""
        last, mark = self.last, self.batch_mark
        if self.late_version is not None:
            last = min(last, self.late_version - 1)
        if self.late_batch is not None:
            mark = min(mark, self.late_batch * BATCH_SPAN)
        return last, self.newest, mark, self.newest_batch


def _read_positions() -> _Positions:
    if connection.vendor == "postgresql":
        return _late_positions()
    return _Positions(*_positions())


def _positions() -> tuple[int, int, int, int]:
    """The watermark, the newest history row's id, the batch watermark and the newest batch's
    id, in one query (every name search asks).

    The statement is written here, not by the ORM: building four querysets and their
    subqueries cost Django about a millisecond a search, many times the database's work
    (two primary-key maxima and two reads of a two-row table)."""
    with connection.cursor() as cursor:
        cursor.execute(_positions_sql(), [WATERMARK, BATCH_WATERMARK])
        newest, last, batches, newest_batch_pk = cursor.fetchone()
    return last or 0, newest or 0, batches or 0, newest_batch_pk or 0


def _positions_sql() -> str:
    quote = connection.ops.quote_name
    state, value, key, pk = (quote(n) for n in (IndexState._meta.db_table, "value", "key", "id"))
    versions, batches = (quote(m._meta.db_table) for m in (Version, VersionBatch))
    # Only table and column names of our own models; the keys are parameters.
    mark = f"(SELECT {value} FROM {state} WHERE {key} = %s)"  # noqa: S608  # nosec B608
    return (
        f"SELECT (SELECT MAX({pk}) FROM {versions}), {mark}, {mark}, "  # noqa: S608  # nosec B608
        f"(SELECT MAX({pk}) FROM {batches})"
    )


#: The horizon of this database (see :func:`horizon`): the snapshot's ``xmax``, or the oldest
#: of its running transactions (``xip``) not known to be another database's, whichever is
#: lower. Known: a session of another database shows it as its ``backend_xid``
#: (``pg_stat_get_activity``; shown to every role), or a transaction prepared in another
#: database has it (``pg_prepared_xacts``). The running list holds 64-bit ids (xid8), these
#: two 32-bit ones: compared as ``xid`` (a running id's 32 bits name one transaction).
_HORIZON_SQL = (
    "(SELECT COALESCE(MIN(r.x), pg_snapshot_xmax(pg_current_snapshot()))::text::bigint"
    " FROM pg_snapshot_xip(pg_current_snapshot()) AS r(x)"
    " WHERE NOT EXISTS (SELECT FROM pg_stat_get_activity(NULL) AS a"
    " WHERE a.backend_xid = r.x::xid"
    " AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database()))"
    " AND NOT EXISTS (SELECT FROM pg_prepared_xacts AS p"
    " WHERE p.transaction = r.x::xid AND p.database <> current_database()))"
)


def _late_positions() -> _Positions:
    """PostgreSQL: :func:`_positions`, the horizons and the rows that committed late, in one
    statement.

    A row committed late when its transaction is at or past the stored horizon (it may still
    have been running when the last catch-up moved the watermarks), has ended by now (before
    the current horizon: every row of it is visible to this statement and the ones after),
    and lies below a watermark. Such a row may also have been visible and replayed then (a
    transaction that committed while an older one still ran): replaying it again is
    harmless. A dump restored into another cluster brings the horizon of its own transaction
    ids: against it the check finds no row (or rows the dump already held, replayed again),
    which is right, since a dump holds no uncommitted rows; the next catch-up that moves the
    watermarks records the cluster's own. The rows are found through the ``xact`` indexes;
    only those of indexed models count."""
    with connection.cursor() as cursor:
        cursor.execute(_late_positions_sql(connection.alias), [WATERMARK, BATCH_WATERMARK, HORIZON])
        newest, last, marked, newest_batch_pk, now, stored, late_v, late_b = cursor.fetchone()
    return _Positions(
        last or 0, newest or 0, marked or 0, newest_batch_pk or 0, now, stored, late_v, late_b
    )


@lru_cache(maxsize=4)
def _late_positions_sql(alias: str) -> str:
    """The statement of :func:`_late_positions`, built once per database (every search runs
    it). The indexed models' labels are written in as an array literal, not sent as a
    parameter: they are this module's constants (checked to be plain labels), and adapting a
    list parameter cost a search more than the rest of the statement's client work."""
    quote = connections[alias].ops.quote_name
    state, value, key, pk, xact, model = (
        quote(n) for n in (IndexState._meta.db_table, "value", "key", "id", "xact", "model")
    )
    versions, batches = (quote(m._meta.db_table) for m in (Version, VersionBatch))
    if not all(re.fullmatch(r"[a-z_]+\.[a-z_]+", label) for label in INDEXED):
        raise ValueError(f"not a model label: {INDEXED!r}")
    labels = "ARRAY[" + ", ".join(f"'{label}'" for label in INDEXED) + "]"
    # Only table and column names of our own models and the labels above; keys are parameters.
    mark = f"(SELECT {value} FROM {state} WHERE {key} = %s)"  # noqa: S608  # nosec B608

    def late(table: str, below: str) -> str:
        # The rows of the ended transactions first, through the xact index (OFFSET 0 keeps
        # the planner from turning MIN into a walk up the primary key that filters on xact).
        ended = (
            f"SELECT {pk}, {model} FROM {table} "  # noqa: S608  # nosec B608
            f"WHERE {xact} >= p.stored AND {xact} < p.horizon OFFSET 0"
        )
        return (
            f"(SELECT MIN(r.{pk}) FROM ({ended}) AS r "  # noqa: S608  # nosec B608
            f"WHERE r.{pk} {below} AND r.{model} = ANY({labels}))"
        )

    return (
        f"SELECT p.newest, p.last, p.marked, p.newest_batch, p.horizon, p.stored, "  # noqa: S608  # nosec B608
        f"{late(versions, '<= COALESCE(p.last, 0)')}, "
        f"{late(batches, f'< COALESCE(p.marked, 0) / {BATCH_SPAN}')} "
        f"FROM (SELECT (SELECT MAX({pk}) FROM {versions}) AS newest, {mark} AS last, "
        f"{mark} AS marked, (SELECT MAX({pk}) FROM {batches}) AS newest_batch, "
        f"{_HORIZON_SQL} AS horizon, {mark} AS stored) AS p"
    )


def _mark(key: str) -> int:
    return IndexState.objects.filter(key=key).values_list("value", flat=True).first() or 0


def _set(key: str, value: int) -> None:
    IndexState.objects.update_or_create(key=key, defaults={"value": value})


def _watermark() -> int:
    return IndexState.objects.filter(key=WATERMARK).values_list("value", flat=True).first() or 0


def set_watermark(value: int) -> None:
    """Record that the index reflects the history up to row ``value``."""
    IndexState.objects.update_or_create(key=WATERMARK, defaults={"value": value})


#: The columns an indexed model's entries are made from (``name_index._forms``,
#: ``documents.FIELDS``; the live managers read ``deleted_at``): a save that writes the values
#: these held leaves its entries as they were (``vigil.core.watched``).
WATCHED: dict[str, tuple[str, ...]] = {
    "records.person": ("display_name", "deleted_at"),
    "records.personname": ("value", "person_id", "deleted_at"),
    **{label: (*fields, "deleted_at") for label, fields in FIELDS.items()},
}


def _saved(
    sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """Index one saved record in the same transaction as the save (nothing when the save
    changed none of the columns its entries are made from)."""
    if raw:
        return
    label = sender._meta.label_lower
    if not created and not changed(instance, WATCHED[label], kwargs.get("update_fields")):
        return
    if label == "records.personname":
        if created:
            # A new name adds its own form, if any: the person's other forms do not change.
            add_name_forms([instance.pk])
        else:
            # The name may have moved (a merge): its old owner loses it, the new one gains it.
            index_persons({instance.person_id}, {instance.pk})
    elif label == "records.person" and created:
        index_persons([instance.pk], fresh=True)  # a new person has no forms to replace
    else:
        reindex(label, [instance.pk])


def connect() -> None:
    """Connect the save signals of every indexed model."""
    from django.apps import apps

    for label in INDEXED:
        watch(apps.get_model(label), WATCHED[label])
        post_save.connect(
            _saved, sender=apps.get_model(label), dispatch_uid=f"vigil_search_{label}"
        )
