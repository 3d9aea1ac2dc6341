"""Migrations that are safe while the previous release still serves (several hosts upgrade one
after another, and `vigil init` migrates while old code answers requests).

The rule: a release's new migrations only add. The old code keeps reading and writing the
columns it knows, so a new migration must not remove or rename a column or table, must not
make a column NOT NULL that old code may leave empty, must not change a column's type (on
PostgreSQL old code's prepared statements keep the result type they were prepared with), and
a new NOT NULL column needs a database default (``db_default``) because old code's INSERTs do
not name it. Removing or
renaming waits for the release after the one that stopped using it, and is then listed, with
its reason, in the allow-list the test keeps (tests/core/test_migration_safety.py).

:func:`unsafe_operations` names what breaks the rule; ``RunSQL`` and ``RunPython`` cannot be
inspected and are the author's responsibility.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.migrations import Migration
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

#: Operations that remove or rename what the previous release reads.
ALWAYS_UNSAFE = (
    ops.RemoveField,
    ops.DeleteModel,
    ops.RenameField,
    ops.RenameModel,
    ops.AlterModelTable,
)


@dataclass(frozen=True)
class Finding:
    """One operation of one migration that the previous release's code would trip over."""

    app: str
    migration: str
    operation: str  # e.g. "RemoveField accounts.user.phone"
    reason: str

    @property
    def key(self) -> tuple[str, str, str]:
        """What an allow-list entry names: (app, migration, operation)."""
        return (self.app, self.migration, self.operation)

    def __str__(self) -> str:
        return f"{self.app}.{self.migration}: {self.operation} — {self.reason}"


def _describe(app: str, op: ops.base.Operation) -> str:
    model = getattr(op, "model_name", None) or getattr(op, "name", "")
    if isinstance(op, ops.RenameModel):
        return f"{type(op).__name__} {app}.{op.old_name}"
    field = getattr(op, "name", None) if hasattr(op, "model_name") else None
    if isinstance(op, ops.RenameField):
        field = op.old_name
    return f"{type(op).__name__} {app}.{(model or '').lower()}" + (f".{field}" if field else "")


def _not_null_without_db_default(field: models.Field[Any, Any]) -> bool:
    if field.null or field.many_to_many or isinstance(field, models.AutoField):
        return False
    return field.db_default is models.NOT_PROVIDED


#: What a field's column type depends on besides its class.
_TYPE_ARGUMENTS = ("max_length", "max_digits", "decimal_places")


def _column_type(field: models.Field[Any, Any]) -> tuple[Any, ...]:
    """What fixes the column's type: the field's kind and its size arguments. A statement the
    previous release prepared on PostgreSQL (``VIGIL_PG_PREPARE``) keeps the result type it was
    prepared with, and fails once the column's type — a varchar's length included — changes."""
    return (field.get_internal_type(), *(getattr(field, a, None) for a in _TYPE_ARGUMENTS))


def unsafe_in(app: str, migration: Migration, before: ProjectState) -> Iterator[Finding]:
    """The operations of ``migration`` that break the rule, given the state ``before`` it."""
    state = before.clone()
    created: set[str] = set()  # tables this migration creates: no old code knows them
    for op in migration.operations:
        found = ""
        if isinstance(op, ops.CreateModel):
            created.add(op.name_lower)
        elif getattr(op, "model_name_lower", None) in created:
            pass
        elif isinstance(op, ALWAYS_UNSAFE):
            found = "removes or renames what the previous release reads"
        elif isinstance(op, ops.AddField) and _not_null_without_db_default(op.field):
            found = (
                "a NOT NULL column without db_default: the previous release's inserts fail; "
                "give it db_default= (or null=True)"
            )
        elif isinstance(op, ops.AlterField):
            old = state.models[app, op.model_name_lower].fields.get(op.name)
            if old is not None and old.null and not op.field.null:
                found = "makes a column NOT NULL that the previous release may leave empty"
            elif old is not None and _column_type(old) != _column_type(op.field):
                found = (
                    "changes the column's type: the previous release's statements prepared "
                    "on PostgreSQL fail on each open connection; add a new column instead"
                )
        if found:
            yield Finding(app, migration.name, _describe(app, op), found)
        op.state_forwards(app, state)


def unsafe_operations(
    released: Iterable[tuple[str, str]], loader: MigrationLoader | None = None
) -> list[Finding]:
    """Every finding in the migrations of Vigil's apps that are not in ``released``."""
    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    done = set(released)
    findings: list[Finding] = []
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if (app, name) in done or not type(migration).__module__.startswith("vigil."):
            continue
        before = loader.project_state((app, name), at_end=False)
        findings.extend(unsafe_in(app, migration, before))
    return findings


def history_unkept(
    released: Iterable[tuple[str, str]], loader: MigrationLoader | None = None
) -> list[Finding]:
    """New migrations that run code (``RunPython``, ``RunSQL``) in an app holding records and
    do not call ``keep_first_versions``: a data migration that changes the rows of records a
    bulk write created would change their version 1, which is derived from the row until its
    first change (``vigil.core.history``). Call ``keep_first_versions(rows)`` on the rows
    first, then change them (and write it in the migration's source, which is checked)."""
    import inspect
    import sys

    from django.apps import apps

    from vigil.core.models import VigilModel

    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    done = set(released)
    holding = {m._meta.app_label for m in apps.get_models() if issubclass(m, VigilModel)}
    found: list[Finding] = []
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if (app, name) in done or app not in holding:
            continue
        if not type(migration).__module__.startswith("vigil."):
            continue
        code = [o for o in migration.operations if isinstance(o, (ops.RunPython, ops.RunSQL))]
        if not code:
            continue
        source = inspect.getsource(sys.modules[type(migration).__module__])
        if "keep_first_versions" not in source:
            reason = "runs code on an app's records without keep_first_versions first"
            found.extend(Finding(app, name, type(o).__name__, reason) for o in code)
    return found
