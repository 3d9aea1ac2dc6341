"""Reads every request makes, built and compiled by Django's ORM once per process and database.

Every signed-in page reads the session, the user, the user's case grants and the unread count;
a list page reads the shared generation of its pickers' options too. Each is a one-table read by
key, and Django built, resolved and compiled each anew on every request: about 0.2 ms of CPU a
query against 0.02 ms for the statement itself. A :class:`Statement` keeps what the ORM
compiled and runs it again with the request's values: the same SQL, the same parameters as the
ORM prepares them, the same converted values back (Django's converters for the columns).

How the values find their place: the queryset is built once per database with stand-in values
(each unique: a random key, an odd instant), compiled, and each stand-in — prepared as the
field it is compared with prepares it — is looked up in the compiled parameters. A stand-in
found nowhere (the lookup prepared it another way) is an error at the first read, never a
wrong statement; a test compares every statement with its queryset's results.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model, QuerySet


def stand_in(field: Field[Any, Any]) -> Any:
    """A value for ``field`` that no compiled constant equals (random per process)."""
    internal = field.get_internal_type()
    if internal == "UUIDField":
        return uuid.uuid4()
    if internal == "DateTimeField":
        # An instant no query holds as a constant: random microseconds in 1971.
        return dt.datetime(1971, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
            microseconds=secrets.randbelow(10**12) + 1
        )
    if internal in ("CharField", "TextField"):
        return "stand-in-" + secrets.token_hex(12)
    if internal in ("BigIntegerField", "IntegerField", "BigAutoField", "AutoField"):
        return 10**12 + secrets.randbelow(10**9)
    raise TypeError(f"no stand-in for a {internal}")


class _Compiled:
    """One database's statement: its SQL, where each value goes, and the columns' converters."""

    def __init__(self, sql: str, params: list[Any], slots: list[tuple[int, int]], converters: Any):
        self.sql = sql
        self.params = params
        self.slots = slots  # (position in params, index of the value)
        self.converters = converters  # [(column, [converter, ...], expression), ...]


class Statement:
    """A ``values_list`` read built once per database by ``build(*values)`` and run again.

    ``model``: the model read (its database is chosen by the router on each read);
    ``fields``: for each value, the field it is compared with (it is prepared as that field's;
    a foreign key's value is the key it holds).
    """

    def __init__(
        self,
        model: type[Model],
        fields: Sequence[Any],
        build: Callable[..., QuerySet[Any]],
    ) -> None:
        self.model = model
        # A foreign key's value is its target's (prepared as the target prepares it).
        self.fields: tuple[Field[Any, Any], ...] = tuple(
            f.target_field if f.is_relation else f for f in fields
        )
        self.build = build
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        connection = connections[alias]
        standing = [stand_in(f) for f in self.fields]
        queryset = self.build(*standing).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        params = list(params)
        slots: list[tuple[int, int]] = []
        for index, (field, value) in enumerate(zip(self.fields, standing, strict=True)):
            prepared = field.get_db_prep_value(value, connection)
            found = [n for n, p in enumerate(params) if type(p) is type(prepared) and p == prepared]
            if not found:
                raise ValueError(f"{self.model.__name__}: value {index} not found in {sql!r}")
            slots.extend((n, index) for n in found)
        columns = [s[0] for s in compiler.select[: compiler.col_count]]
        converters = [
            (n, convs, expression)
            for n, (convs, expression) in compiler.get_converters(columns).items()
        ]
        return _Compiled(sql, params, slots, converters)

    def rows(self, *values: Any, using: str | None = None) -> list[tuple[Any, ...]]:
        """The rows the queryset ``build(*values)`` reads, as ``values_list`` gives them, from
        the database ``using`` (default: the router's for reading ``model``; a read that locks
        or that a write depends on names the database written to, as the ORM would)."""
        alias = using or router.db_for_read(self.model) or "default"
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        connection = connections[alias]
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = self.fields[index].get_db_prep_value(values[index], connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        if not compiled.converters:
            return [tuple(row) for row in found]
        converted = []
        for row in found:
            values_out = list(row)
            for position, convs, expression in compiled.converters:
                value = values_out[position]
                for converter in convs:
                    value = converter(value, expression, connection)
                values_out[position] = value
            converted.append(tuple(values_out))
        return converted
