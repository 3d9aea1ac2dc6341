"""Index builds that do not stop writes while the previous release serves (PostgreSQL).

A plain ``CREATE INDEX`` holds a SHARE lock on its table for the whole build: every insert,
update and delete of that table waits (seconds on a history or name-key table of 100,000
records, more on a large record). ``CREATE INDEX CONCURRENTLY`` lets writes go on; it cannot
run inside a transaction, so a migration using it sets ``atomic = False`` (each of its other
operations then commits on its own), and a build that fails leaves an INVALID index behind,
which the next attempt drops and builds again. SQLite is unchanged: its index builds are
plain (one writer at a time, and a build is part of the migration's transaction).

The migration checks (:mod:`vigil.core.migration_safety`) find a new migration that builds a
plain index on a growing table on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.migrations.operations import AddConstraint, AddIndex, SeparateDatabaseAndState
from django.db.migrations.operations.base import Operation


def index_state(connection: Any, name: str) -> tuple[bool, str] | None:
    """PostgreSQL: whether the index ``name`` (on the search path) is valid — a failed
    concurrent build leaves it INVALID — and its definition (``pg_get_indexdef``); None when
    there is no such index."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indisvalid, pg_get_indexdef(c.oid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE c.relname = %s AND pg_table_is_visible(c.oid)",
            [name],
        )
        row = cursor.fetchone()
    return None if row is None else (bool(row[0]), str(row[1]))


def build_index(schema_editor: Any, name: str, create: str) -> None:
    """PostgreSQL: run ``create`` (a ``CREATE INDEX CONCURRENTLY IF NOT EXISTS name …``)
    after dropping an INVALID index ``name`` a failed build left (``IF NOT EXISTS`` would keep
    it, unused by every query and still written on every insert)."""
    if " CONCURRENTLY " not in create.upper() or name not in create:
        raise ValueError(f"not a concurrent build of {name}: {create}")
    found = index_state(schema_editor.connection, name)
    if found is not None and not found[0]:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(name)}")
    schema_editor.execute(create)


def _migrated_model(
    operation: AddIndex | AddConstraint, app_label: str, schema_editor: Any, to_state: Any
) -> Any:
    """The model ``operation`` changes, or None when its database is not migrated here."""
    model = to_state.apps.get_model(app_label, operation.model_name)
    if not operation.allow_migrate_model(schema_editor.connection.alias, model):
        return None
    return model


class AddIndexConcurrentlyOnPostgreSQL(AddIndex):
    """``AddIndex`` built ``CONCURRENTLY`` on PostgreSQL (Django's ``AddIndexConcurrently``
    is PostgreSQL's alone) and as usual elsewhere. Its migration must set ``atomic = False``.
    Backwards the index is dropped as ``RemoveIndex`` does."""

    atomic = False
    concurrently_on_postgresql = True

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = _migrated_model(self, app_label, schema_editor, to_state)
        if model is None:
            return
        sql = str(self.index.create_sql(model, schema_editor, concurrently=True))
        create = sql.replace("INDEX CONCURRENTLY ", "INDEX CONCURRENTLY IF NOT EXISTS ", 1)
        build_index(schema_editor, self.index.name, create)

    def describe(self) -> str:
        return f"{super().describe()} (concurrently on PostgreSQL)"


class AddUniqueConstraintConcurrentlyOnPostgreSQL(AddConstraint):
    """``AddConstraint`` of a plain ``UniqueConstraint`` (columns only) whose index is built
    ``CONCURRENTLY`` on PostgreSQL, then made the constraint (``ADD CONSTRAINT … UNIQUE USING
    INDEX``: a moment's lock, no scan). Elsewhere as usual, in a transaction of its own (on
    SQLite the table is copied). Its migration must set ``atomic = False``."""

    atomic = False
    concurrently_on_postgresql = True

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            with transaction.atomic(using=schema_editor.connection.alias):
                super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = _migrated_model(self, app_label, schema_editor, to_state)
        if model is None:
            return
        unique = self.constraint
        if not isinstance(unique, models.UniqueConstraint) or (
            unique.condition
            or unique.expressions
            or getattr(unique, "include", None)
            or getattr(unique, "opclasses", None)
        ):
            raise ValueError(f"not a unique constraint on columns alone: {unique!r}")
        quote = schema_editor.quote_name
        table = model._meta.db_table
        columns = ", ".join(quote(model._meta.get_field(f).column) for f in unique.fields)
        build_index(
            schema_editor,
            unique.name,
            f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {quote(unique.name)} "
            f"ON {quote(table)} ({columns})",
        )
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_constraint WHERE conname = %s AND conrelid = %s::regclass",
                [unique.name, table],
            )
            made = cursor.fetchone()
        if not made:  # a run that failed after this step left it made
            schema_editor.execute(
                f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(unique.name)} "
                f"UNIQUE USING INDEX {quote(unique.name)}"
            )

    def describe(self) -> str:
        return f"{super().describe()} (its index concurrently on PostgreSQL)"


def in_one_transaction(*operations: Operation) -> SeparateDatabaseAndState:
    """``operations`` run together in one transaction in a migration with ``atomic = False``
    (Django runs such a migration's operations outside any). Put the concurrent builds first
    and this after them: a run that fails is not recorded and runs again from the start, and
    a concurrent build runs again harmlessly (``IF NOT EXISTS``, an invalid index dropped),
    while these are rolled back together (a table SQLite copies to alter it is not left half
    copied, and a dropped constraint is not dropped twice)."""
    group = SeparateDatabaseAndState(
        database_operations=list(operations), state_operations=list(operations)
    )
    group.atomic = True  # type: ignore[misc]  # Django reads it from the instance as well
    return group
