"""Listed entities written as rows: a record read from a list file straight into column values.

A list import writes thousands of entities at once. Building a ``ListedEntity`` per entity and
letting Django prepare each of its fields cost more than reading the file; here each record
becomes one tuple of parameters, its JSON columns encoded by one encoder, and the tuples are
written with ``COPY`` on PostgreSQL and ``executemany`` elsewhere. The stored values are the
ones ``ListedEntity(...).save()`` would store (the same JSON text; tests compare them).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

from vigil.sanctions.models import ListedEntity
from vigil.sanctions.sources.records import ListedRecord, NameForm

# The columns a record fills, in the order `_content` gives them; JSON ones marked.
CONTENT_FIELDS = (
    "schema",
    "caption",
    "names",
    "birth_dates",
    "birth_places",
    "gender",
    "nationalities",
    "positions",
    "programme",
    "listing_date",
    "measures",
    "reason",
    "fingerprint",
)
# Every column but the key (a test checks none is missing when the model gains a field).
INSERT_FIELDS = (
    "sanctions_list",
    "entity_id",
    *CONTENT_FIELDS,
    "active",
    "first_seen",
    "removed_in",
)
_UPDATE_FIELDS = (*CONTENT_FIELDS, "active", "removed_in")
# What json.dumps(value) gives, as JSONField.get_db_prep_save calls it (no encoder class).
_encode = json.JSONEncoder().encode
_quote = json.encoder.encode_basestring_ascii  # the escaping json.dumps applies to a string
CHUNK = 1000


def json_strings(values: Sequence[str]) -> str:
    """``json.dumps(list(values))`` for strings, built from the strings' own escapes."""
    if not values:
        return "[]"
    try:
        return "[" + ", ".join(map(_quote, values)) + "]"
    except TypeError:  # not all strings: the encoder decides
        return _encode(list(values))


def json_names(names: Sequence[NameForm]) -> str:
    """``json.dumps([{"value": …, "kind": …}, …])``, as the ``names`` column holds them."""
    try:
        items = [
            '{"value": ' + _quote(n.value) + ', "kind": ' + _quote(n.kind) + "}" for n in names
        ]
    except TypeError:
        return _encode([{"value": n.value, "kind": n.kind} for n in names])
    return "[" + ", ".join(items) + "]"


def _content(record: ListedRecord) -> tuple[Any, ...]:
    """The record's values for CONTENT_FIELDS, JSON columns as their JSON text."""
    return (
        record.schema,
        record.primary_name[:500],
        json_names(record.names),
        json_strings(record.birth_dates),
        json_strings(record.birth_places),
        record.gender or "",
        json_strings(record.nationalities),
        json_strings(record.positions),
        record.programme or "",
        record.listing_date or "",
        json_strings(record.measures),
        record.reason or "",
        record.raw_fingerprint,
    )


class EntityWriter:
    """New and changed entities of one list, written in chunks inside the caller's transaction."""

    def __init__(self, list_id: int, first_seen: dt.date | None) -> None:
        self.connection: BaseDatabaseWrapper = connections[router.db_for_write(ListedEntity)]
        self.list_id = list_id
        self.first_seen = self.connection.ops.adapt_datefield_value(first_seen)
        self.new: list[tuple[Any, ...]] = []
        self.changed: list[tuple[Any, ...]] = []

    def add(self, record: ListedRecord) -> None:
        """A record the list did not hold: a new active entity."""
        self.new.append(
            (self.list_id, record.entity_id, *_content(record), True, self.first_seen, "")
        )
        if len(self.new) >= CHUNK:
            self._insert()

    def change(self, pk: int, record: ListedRecord) -> None:
        """The entity ``pk`` now reads as ``record`` (and is active again if it was removed)."""
        self.changed.append((*_content(record), True, "", pk))
        if len(self.changed) >= CHUNK:
            self._update()

    def finish(self) -> None:
        """Write what is left."""
        self._insert()
        self._update()

    def _insert(self) -> None:
        if self.new:
            _insert(self.connection, _columns(INSERT_FIELDS), self.new)
            self.new = []

    def _update(self) -> None:
        if not self.changed:
            return
        quote = self.connection.ops.quote_name
        assignments = ", ".join(f"{quote(c)} = %s" for c in _columns(_UPDATE_FIELDS))
        table, pk = quote(ListedEntity._meta.db_table), quote(str(ListedEntity._meta.pk.column))
        # Table and column names come from the model, quoted; values are parameters.
        sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608  # nosec B608
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, self.changed)
        self.changed = []


def _columns(names: Sequence[str]) -> list[str]:
    fields = [ListedEntity._meta.get_field(name) for name in names]
    # get_field may also answer a reverse relation (no column); these names are all columns.
    return [str(field.column) for field in fields]  # type: ignore[union-attr]


def _insert(
    connection: BaseDatabaseWrapper, columns: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT the rows: ``COPY … FROM STDIN`` on PostgreSQL, else ``executemany``."""
    quote = connection.ops.quote_name
    table = quote(ListedEntity._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Text COPY: the JSON columns' text is read by PostgreSQL as jsonb.
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        # Table and column names come from the model, quoted; values are parameters.
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608  # nosec B608
