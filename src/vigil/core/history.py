"""Version history: snapshots of records, single and bulk writes with identical history."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.fields import AutoFieldMixin
from django.dispatch import Signal
from django.utils import timezone

from vigil.core.context import ChangeContext, current_context
from vigil.core.models import Action, Version, VigilModel

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
    data: dict[str, Any] = {}
    exclude = getattr(obj, "history_exclude", ())
    for f in obj._meta.concrete_fields:
        if f.attname in exclude:
            continue
        if getattr(f, "encrypted", False):
            # The history never holds an encrypted field's plaintext (nor its ciphertext).
            data[f.attname] = "[encrypted]"
            continue
        value = getattr(obj, f.attname)
        data[f.attname] = str(value) if isinstance(value, uuid.UUID) else value
    return data


@lru_cache(maxsize=256)
def _snapshot_maker(model: type[models.Model]) -> Callable[[models.Model], dict[str, Any]]:
    """A faster :func:`snapshot` for many records of one model: same keys, order and values."""
    exclude = getattr(model, "history_exclude", ())
    names: list[str] = []
    sealed: list[str] = []
    for f in model._meta.concrete_fields:
        if f.attname in exclude:
            continue
        (sealed if getattr(f, "encrypted", False) else names).append(f.attname)
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


def record_version(obj: VigilModel, action: str, ctx: ChangeContext | None = None) -> Version:
    """Append the version row for ``obj`` as just saved."""
    ctx = ctx or current_context()
    snap = snapshot(obj)
    previous = None
    if obj.version > 1:
        prev = (
            Version.objects.filter(model=model_label(obj), object_id=obj.pk)
            .order_by("-version")
            .values_list("snapshot", flat=True)
            .first()
        )
        previous = prev
    return Version.objects.create(
        model=model_label(obj),
        object_id=obj.pk,
        version=obj.version,
        action=action,
        at=obj.updated_at or timezone.now(),
        context_id=ctx.id,
        context_kind=ctx.kind,
        context_detail=ctx.detail,
        actor_id=ctx.actor_id,
        snapshot=snap,
        changed=_changed(obj, snap, previous),
    )


def prepare_new(obj: VigilModel, ctx: ChangeContext, now: Any) -> None:
    """Set the bookkeeping fields a first save would set."""
    state = obj.__dict__
    if not obj._state.fields_cache and "created_by_id" in state and "created_at" in state:
        # The same assignments without the related-object descriptors (which only clear a
        # cached related object, and a record holding none has none to clear).
        state["version"] = 1
        state["created_at"] = state["created_at"] or now
        state["updated_at"] = now
        state["created_by_id"] = state["created_by_id"] or ctx.actor_id
        state["updated_by_id"] = ctx.actor_id
        return
    obj.version = 1
    obj.created_at = obj.created_at or now
    obj.updated_at = now
    obj.created_by_id = obj.created_by_id or ctx.actor_id
    obj.updated_by_id = ctx.actor_id


def bulk_create_records(
    objs: Sequence[VigilModel], *, batch_size: int = 500, ctx: ChangeContext | None = None
) -> list[VigilModel]:
    """Insert new records and their first version rows, as single saves would.

    All records must be of one model. The caller owns the transaction (imports wrap a whole
    batch). ``batch_size`` applies to models the fast path does not handle (multi-table
    inheritance), which go through Django's ``bulk_create``.
    """
    if not objs:
        return []
    ctx = ctx or current_context()
    now = timezone.now()
    model = type(objs[0])
    for obj in objs:
        prepare_new(obj, ctx, now)
    alias = router.db_for_write(model)
    connection = connections[alias]
    # No savepoint inside the caller's transaction (as Django's bulk_create): on SQLite a
    # savepoint keeps a copy of every page it changes until released, and a batch's inserts
    # into random-keyed indexes change a page per row once the indexes outgrow the batch
    # (memory and copying that grew with the database during an import). An error here still
    # rolls back the caller's transaction, which owns the records.
    with transaction.atomic(using=alias, savepoint=False):
        if model._meta.parents:
            model.all_objects.bulk_create(objs, batch_size=batch_size)
        else:
            insert_rows(connection, model, objs)
        _insert_versions(connections[router.db_for_write(Version)], objs, ctx, now)
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
    exclude = getattr(model, "history_exclude", ())
    fields = [f for f in model._meta.concrete_fields if f.attname not in exclude]
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
    always = [(i, c.convert) for i, c in enumerate(conversions) if c.kind is None]

    def build(obj: models.Model) -> list[Any]:
        # Related objects set on the record (not just their ids) are checked as Django's
        # bulk_create would; a record built from ids alone has none to check.
        if obj._state.fields_cache:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        values = list(get_all(obj))
        for i, f in pre_saves:
            values[i] = f.pre_save(obj, True)
        for i, kind, convert in checked:
            value = values[i]
            # Values of the plain type (and None) are what the field would send anyway.
            if value is not None and type(value) is not kind:
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
        cls is models.UUIDField
        and cls.get_db_prep_value is models.UUIDField.get_db_prep_value
        and not connection.features.has_native_uuid_field
    ):
        hexes: dict[int, str] = {}

        def uuid_hex(value: Any) -> Any:
            # Stored as 32 hex digits where the database has no UUID type (SQLite); records
            # of a batch share ids (actor, event, person), each written once per call.
            if type(value) is uuid.UUID:
                number = value.int
                found = hexes.get(number)
                if found is None:
                    if len(hexes) > 100_000:
                        hexes.clear()
                    found = hexes[number] = value.hex
                return found
            return None if value is None else prep(value, connection)

        return _Conversion(None, uuid_hex)
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
    if isinstance(target, models.DateField):
        return _Conversion(None, _memoised(convert))
    return _Conversion(None, convert)


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


def history_of(obj: models.Model) -> models.QuerySet[Version]:
    """The versions of one record, oldest first."""
    return Version.objects.filter(model=model_label(obj), object_id=obj.pk).order_by("version")


def history_for(objs: Iterable[models.Model]) -> models.QuerySet[Version]:
    """The versions of several records of mixed types, newest first."""
    ids = [o.pk for o in objs]
    return Version.objects.filter(object_id__in=ids).order_by("-at", "-id")
