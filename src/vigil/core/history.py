"""Version history: snapshots of records, single and bulk writes with identical history.

A single save writes a :class:`Version` row per save. A bulk write of new records
(:func:`bulk_create_records`) writes one :class:`VersionBatch` row per model and write; each
record it created keeps its version 1 *in its own row* (``version`` = 1, ``updated_at`` = the
batch's time) until its first change, which first writes that version 1 out as a stored row
(:func:`keep_first_version`, from the row as it was, in the same transaction). The readers
(:func:`history_of`, :func:`history_for`, :func:`first_versions`) return the stored versions
and the derived ones alike: the same model, object id, version, action, time, context, actor
and snapshot as the per-record row of a bulk write held before.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.fields import AutoFieldMixin
from django.dispatch import Signal
from django.utils import timezone

from vigil.core.chunks import chunked
from vigil.core.context import ChangeContext, current_context
from vigil.core.models import Action, Version, VersionBatch, VigilModel
from vigil.core.statements import Statement

BOOKKEEPING = {"version", "updated_at", "updated_by_id"}
# Rows per executemany call: large enough to amortise the call, small enough to stay flat.
INSERT_CHUNK = 1000
VERSION_COLUMNS = (
    "model",
    "object_id",
    "version",
    "action",
    "at",
    "context_id",
    "context_kind",
    "context_detail",
    "actor",
    "snapshot",
    "changed",
)

Converter = Callable[[Any], Any]
RowBuilder = Callable[[models.Model], list[Any]]

#: Sent inside the transaction of :func:`bulk_create_records` (``sender`` = the model,
#: ``objs`` = the new records), which sends no ``post_save``: outboxes hook writes here.
bulk_created = Signal()


def model_label(model: type[models.Model] | models.Model) -> str:
    """The stable name of a model in the history ("records.person")."""
    return model._meta.label_lower


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The record's own field values (attnames), as stored in the history."""
    return first_snapshot(obj, _snapshot_fields_of(type(obj)))


@lru_cache(maxsize=256)
def _snapshot_model_fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    """The fields a snapshot of ``model`` holds, in the model's order: every concrete field
    but those the model names in ``history_exclude`` (the one place that list is read)."""
    exclude = getattr(model, "history_exclude", ())
    return tuple(f for f in model._meta.concrete_fields if f.attname not in exclude)


@lru_cache(maxsize=256)
def _snapshot_fields_of(model: type[models.Model]) -> tuple[tuple[str, bool], ...]:
    """The snapshot's fields of ``model``: ``(attname, sealed)``, in the model's order."""
    return tuple(
        (str(f.attname), bool(getattr(f, "encrypted", False)))
        for f in _snapshot_model_fields(model)
    )


@lru_cache(maxsize=256)
def _snapshot_maker(model: type[models.Model]) -> Callable[[models.Model], dict[str, Any]]:
    """A faster :func:`snapshot` for many records of one model: same keys, order and values."""
    names: list[str] = []
    sealed: list[str] = []
    for attname, is_sealed in _snapshot_fields_of(model):
        (sealed if is_sealed else names).append(attname)
    if sealed or len(names) < 2:
        return snapshot
    values = attrgetter(*names)
    uuid_type = uuid.UUID

    def make(obj: models.Model) -> dict[str, Any]:
        snap = dict(zip(names, values(obj), strict=True))
        for k, v in snap.items():
            if type(v) is uuid_type:
                snap[k] = str(v)
        return snap

    return make


def _normalised(snap: dict[str, Any]) -> dict[str, Any]:
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    normal: dict[str, Any] = json.loads(json.dumps(snap, cls=DjangoJSONEncoder))
    return normal


def _changed(obj: models.Model, snap: dict[str, Any], previous: dict[str, Any] | None) -> list[str]:
    if previous is None:
        return []
    now = _normalised(snap)
    return sorted(k for k, v in now.items() if previous.get(k) != v and k not in BOOKKEEPING)


def record_version(obj: VigilModel, action: str, ctx: ChangeContext | None = None) -> None:
    """Append the version row for ``obj`` as just saved.

    The row is the one ``Version.objects.create`` wrote (the same values, prepared by the
    same fields, ``xact`` left to its column default), inserted by one prepared statement;
    the previous snapshot is read by a statement compiled once per process and database
    (``vigil.core.statements``). Building both queries with the ORM was most of the history's
    share of a single save (issue 14 §1). Version rows send no signals (none is connected)."""
    ctx = ctx or current_context()
    snap = snapshot(obj)
    label = model_label(obj)
    previous = None
    if obj.version > 1:
        found = _previous_snapshot().rows(label, obj.pk)
        previous = found[0][0] if found else None
    values = {
        "model": label,
        "object_id": obj.pk,
        "version": obj.version,
        "action": action,
        "at": obj.updated_at or timezone.now(),
        "context_id": ctx.id,
        "context_kind": ctx.kind,
        "context_detail": ctx.detail,
        "actor": ctx.actor_id,
        "snapshot": snap,
        "changed": _changed(obj, snap, previous),
    }
    connection = connections[router.db_for_write(Version)]
    params = [
        _version_field(name).get_db_prep_save(values[name], connection)
        for name in VERSION_COLUMNS
    ]
    with connection.cursor() as cursor:
        cursor.execute(_version_insert_sql(connection.alias), params)


@lru_cache(maxsize=1)
def _previous_snapshot() -> Statement:
    """The newest stored snapshot of one record (``model``, ``object_id``)."""
    return Statement(
        Version,
        [_version_field("model"), _version_field("object_id")],
        lambda label, pk: Version.objects.filter(model=label, object_id=pk)
        .order_by("-version")
        .values_list("snapshot")[:1],
    )


@lru_cache(maxsize=8)
def _version_insert_sql(alias: str) -> str:
    columns = [str(_version_field(name).column) for name in VERSION_COLUMNS]
    return _insert_sql(connections[alias], Version._meta.db_table, columns)


#: ``prepare_new``'s default: the change context's actor.
_CONTEXTS = object()


def prepare_new(obj: VigilModel, ctx: ChangeContext, now: Any, actor_id: Any = _CONTEXTS) -> None:
    """Set the bookkeeping fields a first save would set (``actor_id``: the context's, when a
    caller preparing many records has read it once)."""
    actor = ctx.actor_id if actor_id is _CONTEXTS else actor_id
    state = obj.__dict__
    if not obj._state.fields_cache and "created_by_id" in state and "created_at" in state:
        # The same assignments without the related-object descriptors (which only clear a
        # cached related object, and a record holding none has none to clear).
        state["version"] = 1
        state["created_at"] = state["created_at"] or now
        state["updated_at"] = now
        state["created_by_id"] = state["created_by_id"] or actor
        state["updated_by_id"] = actor
        return
    obj.version = 1
    obj.created_at = obj.created_at or now
    obj.updated_at = now
    obj.created_by_id = obj.created_by_id or actor
    obj.updated_by_id = actor


def bulk_create_records(
    objs: Sequence[VigilModel], *, batch_size: int = 500, ctx: ChangeContext | None = None
) -> list[VigilModel]:
    """Insert new records and the history of the write (one :class:`VersionBatch` row): every
    reader of the history sees the first versions single saves would have written.

    All records must be of one model. The caller owns the transaction (imports wrap a whole
    batch). ``batch_size`` applies to models the fast path does not handle (multi-table
    inheritance), which go through Django's ``bulk_create``.
    """
    if not objs:
        return []
    ctx = ctx or current_context()
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    # No savepoint inside the caller's transaction (as Django's bulk_create): on SQLite a
    # savepoint keeps a copy of every page it changes until released, and a batch's inserts
    # into random-keyed indexes change a page per row once the indexes outgrow the batch
    # (memory and copying that grew with the database during an import). An error here still
    # rolls back the caller's transaction, which owns the records.
    with transaction.atomic(using=alias, savepoint=False):
        # One batch row per model and time: a record's batch is found by its updated_at.
        now = _free_time(model, timezone.now())
        undated = [obj for obj in objs if obj.created_at is None]
        actor_id = ctx.actor_id  # a property: read once for the batch, not twice a record
        for obj in objs:
            prepare_new(obj, ctx, now, actor_id)
        # A record whose row, read back, gives the very snapshot its version row would hold
        # is listed in the batch; any other (a value in a form the batch cannot give back,
        # e.g. Decimal("30.0") in a batch whose decimals are written trimmed) gets its version
        # row as before.
        trimmed = _trimmed_decimals(model, objs)
        kept = _kept_exactly(model, trimmed)
        batched: list[VigilModel] = []
        single: list[VigilModel] = []
        for obj in objs:
            (batched if kept(obj) else single).append(obj)
        if batched:
            # The batch row first: it claims the time before any record is written with it.
            claimed = _claim_batch(model, batched, ctx, now, trimmed)
            if claimed != now:
                for obj in objs:
                    obj.updated_at = claimed
                for obj in undated:
                    obj.created_at = claimed
                now = claimed
        if model._meta.parents:
            model.all_objects.bulk_create(objs, batch_size=batch_size)
        else:
            insert_rows(connection, model, objs)
        if single:
            _insert_versions(connections[router.db_for_write(Version)], single, ctx, now)
        for obj in objs:
            obj._state.adding = False
            obj._state.db = alias
        bulk_created.send(sender=model, objs=objs)
    return list(objs)


def insert_rows(
    connection: BaseDatabaseWrapper, model: type[models.Model], objs: Sequence[models.Model]
) -> None:
    """INSERT the rows of new records of one model with executemany, values prepared as
    Django would (no history: :func:`bulk_create_records` writes it). An automatic primary key
    that the records leave unset is left to the database."""
    fields = list(model._meta.local_concrete_fields)
    pk = model._meta.pk
    if isinstance(pk, AutoFieldMixin) and all(o.pk is None for o in objs):
        fields.remove(pk)
    build = _row_builder(model, connection, fields)
    columns = [str(f.column) for f in fields]
    _write_rows(connection, model._meta.db_table, columns, (build(o) for o in objs))


def _insert_versions(
    connection: BaseDatabaseWrapper, objs: Sequence[VigilModel], ctx: ChangeContext, now: Any
) -> None:
    """INSERT one create version per record: the row :func:`_version_row` would write."""

    def prep(name: str, value: Any) -> Any:
        return _version_field(name).get_db_prep_save(value, connection)

    snap_field = _version_field("snapshot")
    model = type(objs[0])
    snapshot_text = _snapshot_json(model, snap_field, connection)
    if snapshot_text is None:
        make_snapshot = _snapshot_maker(model)
        encode_snapshot = _snapshot_encoder(snap_field, connection)

        def snapshot_text(obj: models.Model) -> Any:
            return encode_snapshot(make_snapshot(obj))

    object_id = _converter(_version_field("object_id"), connection)
    head = (prep("model", model_label(objs[0])),)
    middle = (
        prep("action", Action.CREATE.value),
        prep("at", now),
        prep("context_id", ctx.id),
        prep("context_kind", ctx.kind),
        prep("context_detail", ctx.detail),
        prep("actor", ctx.actor_id),
    )
    version = prep("version", 1)
    changed = prep("changed", [])
    columns = [str(_version_field(n).column) for n in VERSION_COLUMNS]
    convert_id = object_id.convert
    rows = ((*head, convert_id(o.pk), version, *middle, snapshot_text(o), changed) for o in objs)
    _write_rows(connection, Version._meta.db_table, columns, rows)


def _snapshot_json(
    model: type[models.Model], field: models.Field[Any, Any], connection: BaseDatabaseWrapper
) -> Callable[[models.Model], str] | None:
    """The snapshot of a record of ``model`` as the JSON text the version row stores, built in
    one step, or None where the field does not take the text itself.

    The very text :func:`snapshot` encoded by the field's ``DjangoJSONEncoder`` gives (the same
    keys, order, values and spacing): the values are read from the record's ``__dict__``, the
    UUID fields' values are turned to ``str`` by position instead of testing every value, the
    batch's shared timestamps are encoded once; anything else the encoder's ``default`` handles
    as before. (orjson, in the lock through followthemoney, encodes 4x faster but writes other
    spacing and non-ASCII letters unescaped: the version rows would no longer be the bytes a
    single save writes.)
    """
    encoder_class = getattr(field, "encoder", None)
    if encoder_class is not DjangoJSONEncoder:
        return None
    # SQLite takes the JSON text as the parameter; PostgreSQL's COPY (how _write_rows writes
    # there) is sent the same text psycopg's Jsonb would send: json.dumps with this encoder.
    text_json = (
        type(connection.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value
        or connection.vendor == "postgresql"
    ) and (
        type(field).get_prep_value is models.JSONField.get_prep_value
        and type(field).get_db_prep_save is models.JSONField.get_db_prep_save
        and type(field).get_db_prep_value is models.JSONField.get_db_prep_value
    )
    if not text_json:
        return None
    fields = _snapshot_model_fields(model)
    if len(fields) < 2:
        return None
    names = tuple(str(f.attname) for f in fields)
    # The history never holds an encrypted field's plaintext (nor its ciphertext).
    sealed = tuple(i for i, f in enumerate(fields) if getattr(f, "encrypted", False))
    stamps = tuple(i for i, f in enumerate(fields) if isinstance(f, models.DateTimeField))
    uuids = tuple(
        i
        for i, f in enumerate(fields)
        if isinstance(f.target_field if isinstance(f, models.ForeignKey) else f, models.UUIDField)
    )
    values = _values_getter(names)
    encoder = encoder_class()
    default = encoder.default
    encode = encoder.encode
    memo: dict[Any, str] = {}
    # str() of the ids, by their integer (records of a batch share their actor, events,
    # persons); bounded, so memory stays flat.
    texts: dict[int, str] = {}
    uuid_type = uuid.UUID
    datetime_type = dt.datetime

    def text(obj: models.Model) -> str:
        row = list(values(obj))
        for i in sealed:
            row[i] = "[encrypted]"
        for i in uuids:
            value = row[i]
            if type(value) is uuid_type:
                number = value.int
                found = texts.get(number)
                if found is None:
                    if len(texts) > 100_000:
                        texts.clear()
                    found = texts[number] = str(value)
                row[i] = found
        for i in stamps:
            value = row[i]
            if type(value) is datetime_type:
                found = memo.get(value)
                if found is None:
                    if len(memo) > 64:
                        memo.clear()
                    found = memo[value] = default(value)
                row[i] = found
        # A UUID held by a field of another type goes to the encoder's default: str(), as
        # snapshot() would have made it.
        return str(encode(dict(zip(names, row, strict=True))))

    return text


def _write_rows(
    connection: BaseDatabaseWrapper,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> None:
    """Write prepared INSERT parameters: ``COPY ... FROM STDIN`` on PostgreSQL (one statement
    for the lot instead of one per row), else ``executemany`` a chunk at a time."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            names = ", ".join(quote(c) for c in columns)
            # Table and column names come from model metadata, quoted; values are streamed.
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = _insert_sql(connection, table, columns)
        chunk: list[Sequence[Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= INSERT_CHUNK:
                cursor.executemany(sql, chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)


def _snapshot_encoder(field: models.Field[Any, Any], connection: BaseDatabaseWrapper) -> Converter:
    """The snapshot's INSERT parameter, as ``field.get_db_prep_save`` gives it, made faster.

    Timestamps (every record of a batch shares its ``created_at``/``updated_at``) are
    encoded once by the field's own encoder and put in as the strings it would write; where
    the database takes the JSON text itself (SQLite) one encoder serves every snapshot.
    """
    encoder_class = field.encoder or json.JSONEncoder  # type: ignore[attr-defined]
    default = encoder_class().default
    memo: dict[Any, str] = {}

    def plain(snap: dict[str, Any]) -> dict[str, Any]:
        for key, value in snap.items():
            if type(value) is dt.datetime:
                text = memo.get(value)
                if text is None:
                    if len(memo) > 64:
                        memo.clear()
                    text = memo[value] = default(value)
                snap[key] = text
        return snap

    text_json = (
        type(connection.ops).adapt_json_value is BaseDatabaseOperations.adapt_json_value
        and type(field).get_prep_value is models.JSONField.get_prep_value
        and type(field).get_db_prep_save is models.JSONField.get_db_prep_save
    )
    if text_json:
        encode = encoder_class().encode  # json.dumps(value, cls=encoder) with one instance

        return lambda snap: encode(plain(snap))
    return lambda snap: field.get_db_prep_save(plain(snap), connection)


def _version_field(name: str) -> models.Field[Any, Any]:
    """A concrete field of :class:`Version` (none of its fields is a reverse relation)."""
    return cast("models.Field[Any, Any]", Version._meta.get_field(name))


def _columns(fields: Iterable[models.Field[Any, Any]]) -> list[str]:
    """The fields' column names (a concrete field always has one)."""
    return [cast(str, f.column) for f in fields]


def _insert_sql(connection: BaseDatabaseWrapper, table: str, columns: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    # Table and column names come from model metadata, quoted; values are parameters.
    return f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608  # nosec B608


def _row_builder(
    model: type[models.Model],
    connection: BaseDatabaseWrapper,
    fields: Sequence[models.Field[Any, Any]] | None = None,
) -> RowBuilder:
    """A function giving one record's INSERT parameters, the conversions chosen once per call."""
    fields = model._meta.local_concrete_fields if fields is None else fields
    get_all = _values_getter(tuple(str(f.attname) for f in fields))
    pre_saves = [(i, f) for i, f in enumerate(fields) if _needs_pre_save(f)]
    conversions = [_converter(f, connection) for f in fields]
    checked = [(i, c.kind, c.convert) for i, c in enumerate(conversions) if c.kind is not None]
    always = [
        (i, c.convert) for i, c in enumerate(conversions) if c.kind is None and not c.uuid_hex
    ]
    # UUIDs written as 32 hex digits (SQLite), converted here rather than through a call per
    # value; records of a batch share ids (actor, event, person), each converted once.
    hexed = [(i, c.convert) for i, c in enumerate(conversions) if c.uuid_hex]
    hexes: dict[int, str] = {}
    uuid_type = uuid.UUID
    # The types of a row's values for which no checked position needs converting (whether one
    # does depends on the value's type only): such a row skips the checks; bounded.
    plain_rows: set[tuple[type, ...]] = set()

    def build(obj: models.Model) -> list[Any]:
        # Related objects set on the record (not just their ids) are checked as Django's
        # bulk_create would; a record built from ids alone has none to check.
        if obj._state.fields_cache:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        values = list(get_all(obj))
        for i, f in pre_saves:
            values[i] = f.pre_save(obj, True)
        if checked:
            signature = tuple(map(type, values))
            if signature not in plain_rows:
                plain = True
                for i, kind, convert in checked:
                    value = values[i]
                    # Values of the plain type (and None) are what the field would send anyway;
                    # so is a text field's str subclass (a choices member), which its
                    # preparation returns as it is.
                    if value is not None and type(value) is not kind:
                        if kind is str and isinstance(value, str):
                            continue
                        values[i] = convert(value)
                        plain = False
                if plain:
                    if len(plain_rows) > 1024:
                        plain_rows.clear()
                    plain_rows.add(signature)
        for i, convert in hexed:
            value = values[i]
            if type(value) is uuid_type:
                number = value.int
                found = hexes.get(number)
                if found is None:
                    if len(hexes) > 100_000:
                        hexes.clear()
                    # ``UUID.hex`` without its property call.
                    found = hexes[number] = f"{number:032x}"
                values[i] = found
            elif value is not None:
                values[i] = convert(value)
        for i, convert in always:
            values[i] = convert(values[i])
        return values

    return build


def _values_getter(names: tuple[str, ...]) -> Callable[[models.Model], tuple[Any, ...]]:
    """The values of these attnames of a record, as a tuple: read from the instance's
    ``__dict__`` (where a loaded or built record holds every one; the descriptors of foreign
    keys would return the same value, slower), else with ``getattr`` (a deferred field)."""
    from_dict = itemgetter(*names)
    from_attrs = attrgetter(*names)
    single = len(names) == 1

    def values(obj: models.Model) -> tuple[Any, ...]:
        try:
            found = from_dict(obj.__dict__)
        except KeyError:
            found = from_attrs(obj)
        return (found,) if single else found

    return values


def _needs_pre_save(field: models.Field[Any, Any]) -> bool:
    """Whether the field computes its stored value (encryption, auto_now) instead of reading it."""
    if type(field).pre_save is models.Field.pre_save:
        return False
    if isinstance(field, models.DateField) and type(field).pre_save in (
        models.DateField.pre_save,
        models.DateTimeField.pre_save,
    ):
        return bool(field.auto_now or field.auto_now_add)
    return True


@dataclass(frozen=True)
class _Conversion:
    """How one field's value becomes its INSERT parameter.

    ``kind``: values of exactly this type (and None) are sent as they are, because the field's
    preparation is known to return them unchanged; any other value, or every value when
    ``kind`` is None, goes through ``convert`` (the field's own ``get_db_prep_save``).
    """

    kind: type | None
    convert: Converter
    #: A UUID written as its 32 hex digits (``value.hex``); other values go through ``convert``.
    uuid_hex: bool = False


_TEXT_PREP = (models.CharField.get_prep_value, models.TextField.get_prep_value)
_TEXT_PYTHON = (models.CharField.to_python, models.TextField.to_python)


def _converter(field: models.Field[Any, Any], connection: BaseDatabaseWrapper) -> _Conversion:
    """The conversion of ``field`` on ``connection``; see :class:`_Conversion`."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    cls = type(target)
    prep = field.get_db_prep_save

    def convert(value: Any) -> Any:
        return prep(value, connection)

    inherited = (
        cls.get_db_prep_save is models.Field.get_db_prep_save
        and cls.get_db_prep_value is models.Field.get_db_prep_value
    )
    if inherited and cls.get_prep_value in _TEXT_PREP and cls.to_python in _TEXT_PYTHON:
        return _Conversion(str, convert)
    if inherited and cls.get_prep_value is models.BooleanField.get_prep_value:
        return _Conversion(bool, convert)
    if (
        isinstance(target, models.IntegerField)
        and cls.get_db_prep_value is models.IntegerField.get_db_prep_value
        and cls.get_prep_value is models.IntegerField.get_prep_value
        and type(connection.ops).adapt_integerfield_value
        is BaseDatabaseOperations.adapt_integerfield_value
    ):
        return _Conversion(int, convert)
    if (
        isinstance(target, models.IntegerField)
        and not isinstance(target, AutoFieldMixin)
        and cls.get_db_prep_value is models.IntegerField.get_db_prep_value
        and cls.get_prep_value is models.IntegerField.get_prep_value
        and connection.vendor == "postgresql"
    ):
        # PostgreSQL's operations wrap an int in the driver's sized type (Int2, Int4, Int8)
        # for server-side binding; the rows built here go out by COPY in text form, where
        # the wrapped and the plain int are the same digits: an int is sent as it is.
        return _Conversion(int, convert)
    if (
        cls is models.UUIDField
        and cls.get_db_prep_value is models.UUIDField.get_db_prep_value
        and not connection.features.has_native_uuid_field
    ):
        # Stored as 32 hex digits where the database has no UUID type (SQLite): the row
        # builder writes a UUID's ``hex``, any other value goes through the field.
        return _Conversion(None, convert, uuid_hex=True)
    if (
        cls is models.UUIDField
        and cls.get_db_prep_value is models.UUIDField.get_db_prep_value
        and cls.get_db_prep_save is models.Field.get_db_prep_save
        and type(field).get_db_prep_save in _UUID_SAVES
        and connection.features.has_native_uuid_field
    ):
        # A database with a UUID type (PostgreSQL) is sent the UUID itself: what the field's
        # preparation returns for a value of exactly that type (a foreign key's too).
        return _Conversion(uuid.UUID, convert)
    if (
        isinstance(target, AutoFieldMixin)
        and isinstance(target, models.IntegerField)
        and cls.get_prep_value is models.IntegerField.get_prep_value
        and type(connection.ops).validate_autopk_value
        is BaseDatabaseOperations.validate_autopk_value
    ):
        # A reference to an automatic integer key (a content type): an int is sent as it is.
        return _Conversion(int, convert)
    if (
        cls is models.DateField
        and type(connection.ops).adapt_datefield_value
        is BaseDatabaseOperations.adapt_datefield_value
    ):
        # Dates differ from record to record; the field would send str(date), its ISO text.
        remembered = _memoised(convert)

        def iso(value: Any) -> Any:
            return value.isoformat() if type(value) is dt.date else remembered(value)

        return _Conversion(None, iso)
    if (
        cls is models.DateField
        and cls.get_db_prep_value is models.DateField.get_db_prep_value
        and _adapts_date_as_itself(connection)
    ):
        # PostgreSQL is sent the date itself (its adapt_datefield_value returns the value).
        return _Conversion(dt.date, convert)
    if isinstance(target, models.DateField):
        return _Conversion(None, _memoised(convert))
    return _Conversion(None, convert)


#: A foreign key's and a plain field's ``get_db_prep_save``: both hand a UUID to the target
#: field's ``get_db_prep_value`` (a foreign key first turns None and "" into None).
_UUID_SAVES = (models.Field.get_db_prep_save, models.ForeignKey.get_db_prep_save)


def _adapts_date_as_itself(connection: BaseDatabaseWrapper) -> bool:
    """Whether the connection's operations send a date as the date itself (PostgreSQL's)."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.operations import DatabaseOperations

    return type(connection.ops).adapt_datefield_value is DatabaseOperations.adapt_datefield_value


def _memoised(convert: Converter) -> Converter:
    """``convert``, remembering the last value (records of a batch share their timestamps)."""
    last: list[Any] = [object(), None]

    def remembered(value: Any) -> Any:
        if value is None:
            return None
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return remembered


def _version_row(obj: VigilModel, action: str, ctx: ChangeContext, now: Any) -> Version:
    return Version(
        model=model_label(obj),
        object_id=obj.pk,
        version=obj.version,
        action=action,
        at=now,
        context_id=ctx.id,
        context_kind=ctx.kind,
        context_detail=ctx.detail,
        actor_id=ctx.actor_id,
        snapshot=snapshot(obj),
        changed=[],
    )


FieldCheck = Callable[[Any], bool]

#: A batch's form of a decimal field whose version 1 is derived with the value's trailing
#: zeros after the point taken off (the column gives back 30.0, the record held 30): the third
#: item of the field's entry in ``VersionBatch.fields``.
TRIMMED = "trimmed"


def _trimmed(value: Decimal) -> Decimal:
    """``value`` without trailing zeros after the point (30.0 -> 30, 2.50 -> 2.5, 0.0 -> 0)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _exact_decimal(places: int) -> FieldCheck:
    """Whether a value is a decimal with exactly the column's places (what the row gives)."""
    wanted = -places

    def exact(v: Any) -> bool:
        return (
            type(v) is Decimal
            and v.is_finite()
            and isinstance(exponent := v.as_tuple().exponent, int)
            and exponent == wanted
        )

    return exact


def _trimmed_decimal(places: int) -> FieldCheck:
    """Whether a value is a decimal the row gives back trimmed (:func:`_trimmed`): at most the
    column's places, no trailing zero after the point, not a negative zero."""

    def trimmed(v: Any) -> bool:
        if type(v) is not Decimal or not v.is_finite():
            return False
        sign, digits, exponent = v.as_tuple()
        if not isinstance(exponent, int) or not -places <= exponent <= 0 or len(digits) > 28:
            return False
        if exponent < 0 and digits[-1] == 0:
            return False
        return not (sign and not any(digits))

    return trimmed


@lru_cache(maxsize=256)
def _decimal_fields(model: type[models.Model]) -> tuple[tuple[str, int], ...]:
    """The snapshot's decimal fields of ``model``: ``(attname, decimal places)``."""
    return tuple(
        (str(f.attname), int(f.decimal_places))
        for f in _snapshot_model_fields(model)
        if isinstance(f, models.DecimalField) and not getattr(f, "encrypted", False)
    )


def _trimmed_decimals(model: type[models.Model], objs: Sequence[models.Model]) -> frozenset[str]:
    """The decimal fields a batch of ``objs`` derives trimmed: those whose values are more
    often of the trimmed form (an importer's Decimal("30")) than of the column's (a generator's
    Decimal("30.0")). Each record whose value fits neither the chosen form keeps a version row."""
    chosen: set[str] = set()
    for name, places in _decimal_fields(model):
        exact, trimmed = _exact_decimal(places), _trimmed_decimal(places)
        score = 0
        for obj in objs:
            value = obj.__dict__.get(name)
            if value is not None:
                score += trimmed(value) - exact(value)
        if score > 0:
            chosen.add(name)
    return frozenset(chosen)


def _field_check(field: models.Field[Any, Any], form: str | None = None) -> FieldCheck | None:
    """A test that a value of ``field`` is kept by the database in the form it has (reading
    the row back gives a value :func:`snapshot` encodes to the same text), or None when no
    value of this field can be trusted to be (the record then keeps a version row). ``form``
    :data:`TRIMMED`: a decimal field's value is read back trimmed (:func:`_trimmed`)."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    cls = type(target)
    if cls is models.UUIDField or isinstance(target, models.UUIDField):
        return lambda v: type(v) is uuid.UUID
    if isinstance(target, models.BooleanField):
        return lambda v: type(v) is bool
    if isinstance(target, (models.CharField, models.TextField)) and cls.to_python in _TEXT_PYTHON:
        # Text (a TextChoices member too: JSON writes a str subclass as its text).
        return lambda v: isinstance(v, str)
    if isinstance(target, models.IntegerField) and not isinstance(target, models.BooleanField):
        return lambda v: isinstance(v, int) and not isinstance(v, bool)
    if isinstance(target, models.FloatField):
        return lambda v: type(v) is float
    if isinstance(target, models.DecimalField):
        places = int(target.decimal_places)
        return _trimmed_decimal(places) if form == TRIMMED else _exact_decimal(places)
    if cls is models.DateTimeField:
        return lambda v: type(v) is dt.datetime and v.utcoffset() == dt.timedelta(0) and v.fold == 0
    if cls is models.DateField:
        return lambda v: type(v) is dt.date
    if isinstance(target, models.JSONField):
        encoder = target.encoder

        def same_json(v: Any) -> bool:
            try:
                return bool(json.loads(json.dumps(v, cls=encoder)) == v) and _plain_json(v)
            except (TypeError, ValueError):
                return False

        return same_json
    return None


def _plain_json(value: Any) -> bool:
    """Only the types JSON reads back as themselves (no tuple, no non-str key)."""
    if value is None or type(value) in (str, int, float, bool):
        return True
    if type(value) is list:
        return all(_plain_json(v) for v in value)
    if type(value) is dict:
        return all(type(k) is str and _plain_json(v) for k, v in value.items())
    return False


@lru_cache(maxsize=256)
def _kept_exactly(
    model: type[models.Model], trimmed: frozenset[str] = frozenset()
) -> Callable[[models.Model], bool]:
    """Whether a new record's own values are what its row gives back (so its version 1 can
    be derived from the row, byte for byte): every snapshot field's value None or of the form
    the database keeps (``trimmed``: the decimal fields the batch derives trimmed)."""
    checks: list[tuple[str, FieldCheck, frozenset[type]]] = []
    for f in _snapshot_model_fields(model):
        if getattr(f, "encrypted", False):
            continue  # an encrypted field's snapshot is "[encrypted]", whatever it holds
        check = _field_check(f, TRIMMED if f.attname in trimmed else None)
        if check is None:
            return lambda obj: False
        checks.append((str(f.attname), check, _plain_types(f)))
    names = tuple(n for n, _, _ in checks)
    tests = tuple((plain, c) for _, c, plain in checks)
    pk_name = str(model._meta.pk.attname)
    values = _values_getter((pk_name, *names))
    uuid_type = uuid.UUID
    none_type = type(None)
    datetime_type = dt.datetime
    # The last datetime accepted, with the check that accepted it: the records of a batch
    # share their created_at and updated_at (one datetime object), checked once, not per record.
    accepted: list[Any] = [None, None]
    # The types of a record's values (its key first) that need no check at all: every value
    # None or of a type its field's check accepts as it is. Whether they do depends only on
    # the types, so a record whose types were seen before is decided by one set lookup
    # (records of a batch share a handful of such signatures); bounded.
    plain_signatures: set[tuple[type, ...]] = set()

    def kept(obj: models.Model) -> bool:
        found = values(obj)
        signature = tuple(map(type, found))
        if signature in plain_signatures:
            return True
        if signature[0] is not uuid_type:
            return False
        plain_only = True
        for value, kind, (plain, test) in zip(found[1:], signature[1:], tests, strict=True):
            # None and a value of a type the check accepts as it is need no call.
            if kind is none_type or kind in plain:
                continue
            plain_only = False
            if kind is datetime_type:
                # A datetime is immutable: the very object the same check accepted passes again.
                if value is accepted[0] and test is accepted[1]:
                    continue
                if not test(value):
                    return False
                accepted[0], accepted[1] = value, test
                continue
            if not test(value):
                return False
        if plain_only:
            if len(plain_signatures) > 1024:
                plain_signatures.clear()
            plain_signatures.add(signature)
        return True

    return kept


def _plain_types(field: models.Field[Any, Any]) -> frozenset[type]:
    """Types whose every value :func:`_field_check` accepts for ``field``, so the check need
    not be called for them (a decimal, a datetime or JSON is always checked)."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    cls = type(target)
    if cls is models.UUIDField or isinstance(target, models.UUIDField):
        return frozenset({uuid.UUID})
    if isinstance(target, models.BooleanField):
        return frozenset({bool})
    if isinstance(target, (models.CharField, models.TextField)) and cls.to_python in _TEXT_PYTHON:
        return frozenset({str})
    if isinstance(target, models.IntegerField):
        return frozenset({int})
    if isinstance(target, models.FloatField):
        return frozenset({float})
    if cls is models.DateField:
        return frozenset({dt.date})
    return frozenset()


def _ids(objs: Iterable[models.Model]) -> list[bytes]:
    """The records' UUID keys as 16 bytes each (``UUID.bytes``, without its property call)."""
    return [o.pk.int.to_bytes(16) for o in objs]


def _free_time(model: type[models.Model], now: dt.datetime) -> dt.datetime:
    """``now``, or the next microsecond no batch of ``model`` holds (one batch per time)."""
    label = model_label(model)
    taken = set(
        VersionBatch.objects.filter(
            model=label, at__gte=now, at__lt=now + dt.timedelta(milliseconds=1)
        ).values_list("at", flat=True)
    )
    while now in taken:
        now += dt.timedelta(microseconds=1)
    return now


def snapshot_fields(
    model: type[models.Model], trimmed: Collection[str] = ()
) -> list[list[Any]]:
    """The snapshot's fields of ``model`` as a batch stores them: ``[attname, sealed]``, and
    ``[attname, sealed, "trimmed"]`` for a decimal field the batch derives trimmed."""
    return [
        [name, sealed, TRIMMED] if name in trimmed else [name, sealed]
        for name, sealed in _snapshot_fields_of(model)
    ]


#: How many times a write takes the next free microsecond after another write committed a
#: batch of its model at the time it chose (each retry waits for that other write to end).
CLAIM_ATTEMPTS = 50


def _claim_batch(
    model: type[models.Model],
    objs: Sequence[models.Model],
    ctx: ChangeContext,
    now: dt.datetime,
    trimmed: Collection[str] = (),
) -> dt.datetime:
    """Write the batch row at ``now`` or, when a concurrent write of the same model committed a
    batch at that time first, at the next free microsecond: the time the batch holds.

    The row is inserted skipping a conflict on the unique (model, at) (``ON CONFLICT DO
    NOTHING`` on PostgreSQL, ``INSERT OR IGNORE`` on SQLite), then the batch holding that time
    is read: ours (its record ids are these new records') or another write's. No savepoint: on
    SQLite one per batch held a copy of every page it changed (an import's memory grew), and
    on PostgreSQL thousands of subtransactions in one import slow every other session's
    snapshots. On PostgreSQL an insert that meets another transaction's uncommitted batch at
    the same time waits for it; if that commits, nothing is inserted and the next free time
    is taken. SQLite has one writer at a time (BEGIN IMMEDIATE): the free time it reads is
    never taken by another write before this one commits.
    """
    label = model_label(model)
    for _ in range(CLAIM_ATTEMPTS):
        batch = _batch_row(model, objs, ctx, now, trimmed)
        VersionBatch.objects.bulk_create([batch], ignore_conflicts=True)
        held = (
            VersionBatch.objects.filter(model=label, at=now)
            .values_list("object_ids", flat=True)
            .first()
        )
        if held is None:
            # Nothing holds the time, yet the row was not written: not a time taken by
            # another write (a constraint the insert skipped); never go on without history.
            raise IntegrityError(f"the batch of {label} at {now} could not be written")
        if bytes(held) == batch.object_ids:
            return now
        now = _free_time(model, now + dt.timedelta(microseconds=1))
    raise IntegrityError(f"no free batch time for {label} after {now}")


def _batch_row(
    model: type[models.Model],
    objs: Sequence[models.Model],
    ctx: ChangeContext,
    now: Any,
    trimmed: Collection[str] = (),
) -> VersionBatch:
    return VersionBatch(
        model=model_label(model),
        at=now,
        context_id=ctx.id,
        context_kind=ctx.kind,
        context_detail=ctx.detail,
        actor_id=ctx.actor_id,
        count=len(objs),
        object_ids=b"".join(_ids(objs)),
        fields=snapshot_fields(model, trimmed),
    )


def batch_ids(batch: VersionBatch) -> list[uuid.UUID]:
    """The ids of the records a batch created, in write order."""
    raw = bytes(batch.object_ids)
    return [uuid.UUID(bytes=key) for key in chunked(raw, 16)]


def _position_in(batch: VersionBatch, pk: uuid.UUID) -> int | None:
    """Where the batch wrote the record (0 first), or None when it did not write it."""
    raw: bytes | None = getattr(batch, "_raw_ids", None)
    if raw is None:
        raw = bytes(batch.object_ids)
        batch._raw_ids = raw  # type: ignore[attr-defined]
    # Searched, not indexed: a page asks one or two records of a batch of thousands. The
    # last place the id is written at, on a 16-byte boundary (a match across two ids is not
    # one).
    key = pk.bytes
    at = raw.rfind(key)
    while at > 0 and at % 16:
        at = raw.rfind(key, 0, at + 15)
    return None if at < 0 else at // 16


def first_snapshot(row: models.Model, fields: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """The snapshot of a batch-created record at version 1: :func:`snapshot` of its row over
    the fields the batch recorded (a field added since is not in it)."""
    data: dict[str, Any] = {}
    for name, sealed, *form in fields:
        if sealed:
            # The history never holds an encrypted field's plaintext (nor its ciphertext).
            data[name] = "[encrypted]"
            continue
        value = getattr(row, name)
        if form and form[0] == TRIMMED and isinstance(value, Decimal) and value.is_finite():
            value = _trimmed(value)  # the record held 30 where the column gives back 30.0
        data[name] = str(value) if isinstance(value, uuid.UUID) else value
    return data


def first_snapshot_text(row: models.Model, fields: Sequence[Sequence[Any]]) -> str:
    """The JSON text the version 1 row of a bulk write stored for ``row`` (the text a save of
    the derived version writes: ``json.dumps`` with the snapshot field's encoder)."""
    return json.dumps(first_snapshot(row, fields), cls=DjangoJSONEncoder)


def _derived(batch: VersionBatch, row: models.Model, position: int) -> Version:
    text = first_snapshot_text(row, batch.fields)
    version = Version(
        model=batch.model,
        object_id=row.pk,
        version=1,
        action=Action.CREATE.value,
        at=batch.at,
        context_id=batch.context_id,
        context_kind=batch.context_kind,
        context_detail=batch.context_detail,
        actor_id=batch.actor_id,
        snapshot=json.loads(text),
        changed=[],
    )
    if batch.actor_id is not None and "actor" in batch._state.fields_cache:
        version.actor = batch.actor
    # Its place among the batch's rows: a bulk write's version rows were ordered so.
    version._position = position  # type: ignore[attr-defined]
    return version


CHUNK = 500


def first_versions(
    model: type[models.Model], ids: Iterable[Any], *, lock: bool = False
) -> dict[Any, Version]:
    """The version 1 of those records of ``model`` (by id) that a bulk write created and that
    still hold it in their row (version 1, no stored version): unsaved :class:`Version`
    objects, by record id. ``lock`` reads the rows ``FOR NO KEY UPDATE`` (before a change):
    other writers of the rows wait, a reference checked to them does not (the change never
    touches a key; a full search-index rebuild checks its rows' references to them)."""
    label = model_label(model)
    manager = getattr(model, "all_objects", model._default_manager)
    found: dict[Any, Version] = {}
    wanted = list(dict.fromkeys(ids))
    for chunk in chunked(wanted, CHUNK):
        rows = manager.filter(pk__in=chunk, version=1)
        if lock:
            rows = rows.select_for_update(no_key=True)
        held: dict[Any, Any] = {r.pk: r for r in rows}
        if not held:
            continue
        stored = set(
            Version.objects.filter(model=label, object_id__in=list(held)).values_list(
                "object_id", flat=True
            )
        )
        rows_left = [r for pk, r in held.items() if pk not in stored]
        times = {r.updated_at for r in rows_left if r.updated_at is not None}
        if not times:
            continue
        batches = {
            b.at: b
            for b in VersionBatch.objects.filter(model=label, at__in=times).select_related("actor")
        }
        for r in rows_left:
            batch = batches.get(r.updated_at)
            position = None if batch is None else _position_in(batch, r.pk)
            if batch is not None and position is not None:
                found[r.pk] = _derived(batch, r, position)
    return found


def keep_first_version(obj: VigilModel) -> None:
    """Before the first change of a record a bulk write created: store its version 1, derived
    from its row as it still is (locked, in the caller's transaction), so that the change's
    version names the fields it changed against exactly what was written."""
    derived = first_versions(type(obj), [obj.pk], lock=True).get(obj.pk)
    if derived is not None:
        derived.save()


def keep_first_versions(rows: models.QuerySet[Any]) -> int:
    """Store the derived version 1 of every record of ``rows`` that still holds it (before a
    change that does not go through ``save()``: a queryset's ``update()``, a data migration).
    Returns how many were stored."""
    model = rows.model
    if not (isinstance(model, type) and issubclass(model, VigilModel)):
        return 0
    ids = list(rows.filter(version=1).values_list("pk", flat=True))
    derived = first_versions(model, ids, lock=True)
    for version in derived.values():
        version.save()
    return len(derived)


class History(list[Version]):
    """A record's versions, oldest first (stored and derived alike)."""

    def first(self) -> Version | None:
        return self[0] if self else None

    def last(self) -> Version | None:
        return self[-1] if self else None

    def get(self) -> Version:
        if len(self) != 1:
            raise Version.MultipleObjectsReturned if self else Version.DoesNotExist
        return self[0]

    def exists(self) -> bool:
        return bool(self)

    def count(self) -> int:  # type: ignore[override]
        return len(self)


def stored_history_of(obj: models.Model) -> models.QuerySet[Version]:
    """The stored version rows of one record, oldest first."""
    return Version.objects.filter(model=model_label(obj), object_id=obj.pk).order_by("version")


def history_of(obj: models.Model) -> History:
    """The versions of one record, oldest first: its stored versions and, for a record a bulk
    write created that has not changed since, its version 1 derived from the batch."""
    stored = list(stored_history_of(obj))
    if stored:
        return History(stored)
    derived = first_versions(type(obj), [obj.pk]).get(obj.pk)
    return History([derived] if derived is not None else [])


def stored_history_for(objs: Iterable[models.Model]) -> models.QuerySet[Version]:
    """The stored version rows of several records of mixed types, newest first."""
    ids = [o.pk for o in objs]
    return Version.objects.filter(object_id__in=ids).order_by("-at", "-id")


def derived_for(objs: Iterable[models.Model], stored: Iterable[Version] = ()) -> list[Version]:
    """The derived version 1 of those of ``objs`` (mixed types, as just read) that still hold
    it. One query reads the batches at the records' times and one asks which of the records in
    them have a stored version (those have no derived one), whatever their models: the version
    1 is derived from the rows as the caller read them (a record read at version 1 holds the
    ``updated_at`` of its row: a change that moves it either bumps the version or stores
    version 1 first), exactly as :func:`first_versions` derives it from the rows it reads
    again. A record read without every field its batch recorded is read again there.
    ``stored``: version rows already read for some of them (a record with a stored version
    has no derived one)."""
    has_rows = {(v.model, v.object_id) for v in stored}
    candidates: dict[tuple[str, Any], list[models.Model]] = {}
    for o in objs:
        # Versions only grow: a record read past version 1 holds no derived version.
        if (
            isinstance(o, VigilModel)
            and o.version == 1
            and o.updated_at is not None
            and (model_label(o), o.pk) not in has_rows
        ):
            candidates.setdefault((model_label(o), o.updated_at), []).append(o)
    if not candidates:
        return []
    times: dict[str, list[Any]] = {}
    for label, at in candidates:
        times.setdefault(label, []).append(at)
    condition = models.Q(pk__in=[])
    for label, ats in times.items():
        condition |= models.Q(model=label, at__in=ats)
    batches = VersionBatch.objects.filter(condition).select_related("actor")
    held: list[tuple[VersionBatch, models.Model, int]] = []
    for batch in batches:
        for o in candidates.get((batch.model, batch.at), []):
            position = _position_in(batch, o.pk)
            if position is not None:
                held.append((batch, o, position))
    if not held:
        return []
    # A stored version of any confidentiality: ``stored`` may be what one user may see.
    asked = models.Q(pk__in=[])
    by_label: dict[str, list[Any]] = {}
    for batch, o, _ in held:
        by_label.setdefault(batch.model, []).append(o.pk)
    for label, pks in by_label.items():
        asked |= models.Q(model=label, object_id__in=pks)
    with_rows = set(Version.objects.filter(asked).values_list("model", "object_id"))
    found: list[Version] = []
    read_again: dict[type[models.Model], list[Any]] = {}
    for batch, o, position in held:
        if (batch.model, o.pk) in with_rows:
            continue
        deferred = o.get_deferred_fields()
        if any(name in deferred for name, *_ in batch.fields):
            read_again.setdefault(type(o), []).append(o.pk)
            continue
        found.append(_derived(batch, o, position))
    for model, ids in read_again.items():
        found.extend(first_versions(model, ids).values())
    return found


def newest_first(versions: Iterable[Version]) -> list[Version]:
    """Versions newest first, as ``order_by("-at", "-id")`` ordered the stored rows: by time,
    then stored rows by id, then derived ones (one batch per model and time) by their place
    in the write, last written first, as the per-record rows of a bulk write were."""
    return sorted(
        versions,
        key=lambda v: (v.at, v.pk is not None, v.pk or getattr(v, "_position", 0), v.model),
        reverse=True,
    )


def history_for(objs: Iterable[models.Model]) -> list[Version]:
    """The versions of several records of mixed types, newest first (stored and derived)."""
    objs = list(objs)
    stored = list(stored_history_for(objs))
    return newest_first([*stored, *derived_for(objs, stored)])


def batch_versions(batch: VersionBatch) -> list[Version]:
    """The derived versions 1 of a batch's records that still hold them, in write order."""
    model = apps_model(batch.model)
    if model is None:
        return []
    ids = batch_ids(batch)
    found = first_versions(model, ids)
    return [found[pk] for pk in ids if pk in found]


def apps_model(label: str) -> type[models.Model] | None:
    from django.apps import apps

    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def all_versions() -> Iterable[Version]:
    """Every version, stored and derived (for checks and tests: it reads every batch)."""
    yield from Version.objects.order_by("id").iterator(chunk_size=2000)
    for batch in (
        VersionBatch.objects.order_by("id").select_related("actor").iterator(chunk_size=100)
    ):
        yield from batch_versions(batch)


def count_versions() -> int:
    """How many versions the history holds, stored and derived."""
    derived = 0
    for batch in VersionBatch.objects.order_by("id").iterator(chunk_size=100):
        model = apps_model(batch.model)
        if model is None:
            continue
        ids = batch_ids(batch)
        manager = getattr(model, "all_objects", model._default_manager)
        for chunk in chunked(ids, CHUNK):
            stored = Version.objects.filter(model=batch.model, object_id__in=chunk)
            derived += (
                manager.filter(pk__in=chunk, version=1, updated_at=batch.at)
                .exclude(pk__in=stored.values("object_id"))
                .count()
            )
    return Version.objects.count() + derived


def forget_in_batch(obj: models.Model) -> int:
    """Take a record about to be purged out of the batch that created it (its id, its count;
    an emptied batch goes): no trace of it stays in the history. Returns 1 when its version 1
    was still derived (a version the purge removes), else 0."""
    if not isinstance(obj, VigilModel) or type(obj.pk) is not uuid.UUID:
        return 0  # not a record with a history
    label = model_label(obj)
    derived = first_versions(type(obj), [obj.pk]).get(obj.pk)
    at = derived.at if derived is not None else None
    if at is None:
        at = (
            Version.objects.filter(model=label, object_id=obj.pk, version=1)
            .values_list("at", flat=True)
            .first()
        )
    if at is None:
        return 0
    for batch in VersionBatch.objects.select_for_update().filter(model=label, at=at):
        raw = bytes(batch.object_ids)
        kept = b"".join(key for key in chunked(raw, 16) if key != obj.pk.bytes)
        if kept == raw:
            continue
        rows = VersionBatch.objects.filter(pk=batch.pk)
        if kept:
            rows.update(object_ids=kept, count=len(kept) // 16)
        else:
            rows.delete()
    return 1 if derived is not None else 0
