"""``pk IN (…)`` on a model's table with the keys written as parameters as they are given.

The condition ``pk__in`` makes, without Django preparing each key again through its lookup
machinery every time the queryset is compiled (the count, then the page): for the hundreds of
keys a name search reads, that preparation cost more than the database's work on them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import BooleanField, Expression


def key_column(model: type[models.Model], connection: Any) -> str:
    """The model's primary key column, qualified by its table and quoted for ``connection``."""
    quote = connection.ops.quote_name
    return f"{quote(model._meta.db_table)}.{quote(model._meta.pk.column)}"


class KeysIn(Expression):
    """``model``'s primary key in ``keys`` — keys as the database takes them (prepared once by
    the caller), each one a parameter."""

    output_field = BooleanField()

    def __init__(self, model: type[models.Model], keys: list[Any]) -> None:
        super().__init__()
        self.model = model
        self.keys = list(keys)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        marks = ", ".join(["%s"] * len(self.keys))
        return f"{key_column(self.model, connection)} IN ({marks})", tuple(self.keys)


class KeysAny(KeysIn):
    """``KeysIn`` written ``= ANY(…)`` with the keys as one array parameter on PostgreSQL
    (elsewhere as ``KeysIn``): one statement text whatever the number of keys — a prepared
    statement serves every call and PostgreSQL can keep its plan — and one value bound and
    parsed instead of hundreds."""

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        if connection.vendor != "postgresql":
            return super().as_sql(compiler, connection)
        array = f"%s::{self.model._meta.pk.db_type(connection)}[]"
        return f"{key_column(self.model, connection)} = ANY({array})", (self.keys,)
