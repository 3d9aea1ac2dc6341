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

import re
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


#: Tables that grow with the record or with use besides the records' own (every
#: ``VigilModel``): the history, the search index's and the audit log's; the alerts' notices,
#: outbox and delivery log (rows per event and recipient); the sanctions lists' entries and
#: changes (hundreds of thousands per list import) and the screenings (one per perpetrator and
#: list). A plain index build on one of them stops its writes for the build (seconds at
#: 100,000 rows) while the previous release serves. Not checked, as they do not grow
#: materially: accounts (users, tokens, sessions), policy, the alerts' watches, webhooks,
#: preferences and feed tokens, the sanctions lists themselves.
GROWING_APPS = frozenset({"search", "audit"})
GROWING_MODELS = frozenset(
    {
        ("core", "version"),
        ("core", "versionbatch"),
        ("alerts", "notification"),
        ("alerts", "outbox"),
        ("alerts", "deliverylog"),
        ("sanctions", "listedentity"),
        ("sanctions", "listchange"),
        ("sanctions", "listscreening"),
    }
)

_CREATE_INDEX = re.compile(
    r"\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY\b)(?:IF\s+NOT\s+EXISTS\s+)?"
    r"(?:\"?\w+\"?\s+)?ON\s+(?:ONLY\s+)?\"?(\w+)\"?",
    re.IGNORECASE,
)
_ADD_UNIQUE = re.compile(
    r"\bALTER\s+TABLE\s+(?:ONLY\s+)?\"?(\w+)\"?\s+ADD\s+(?:CONSTRAINT\s+\"?\w+\"?\s+)?"
    r"(?:UNIQUE|PRIMARY\s+KEY)\b(?![^;]*\bUSING\s+INDEX\b)",
    re.IGNORECASE,
)


def growing_tables(state: ProjectState) -> dict[str, tuple[str, str]]:
    """The tables that grow with the record, by table name: (app, model) of each."""
    from django.apps import apps

    from vigil.core.models import VigilModel

    records = {
        (m._meta.app_label, m._meta.model_name)
        for m in apps.get_models()
        if issubclass(m, VigilModel)
    }
    tables: dict[str, tuple[str, str]] = {}
    for (app, name), model in state.models.items():
        if (app, name) in records or (app, name) in GROWING_MODELS or app in GROWING_APPS:
            table = model.options.get("db_table") or f"{app}_{name}"
            tables[table] = (app, name)
    return tables


class _Recorder:
    """A stand-in schema editor that records what a ``RunPython`` step would send to
    PostgreSQL. Its ``apps`` and any query it reads from raise: such a step's other
    statements cannot be known without a database, and stay the author's responsibility."""

    class _Connection:
        vendor = "postgresql"
        alias = "default"

        class _Cursor:
            def __enter__(self) -> _Recorder._Connection._Cursor:
                return self

            def __exit__(self, *exc: object) -> None:
                return None

            def execute(self, sql: str, params: object = None) -> None:
                return None

            def fetchone(self) -> None:
                return None  # no such index yet, no row

        def cursor(self) -> _Cursor:
            return self._Cursor()

    def __init__(self) -> None:
        self.connection = self._Connection()
        self.statements: list[str] = []

    def execute(self, sql: object, params: object = None) -> None:
        self.statements.append(str(sql))

    def quote_name(self, name: str) -> str:
        return f'"{name}"'


class _NoApps:
    def __getattr__(self, name: str) -> Any:
        raise LookupError("a migration step's models are not inspected")


def _postgresql_statements(op: ops.base.Operation) -> list[str]:
    """The SQL a ``RunSQL`` or ``RunPython`` operation sends to PostgreSQL forwards, as far
    as it can be known without a database."""
    if isinstance(op, ops.RunSQL):
        sql = op.sql
        items = [sql] if isinstance(sql, str) else list(sql)
        return [str(s[0] if isinstance(s, (list, tuple)) else s) for s in items]
    if isinstance(op, ops.RunPython):
        editor = _Recorder()
        try:
            op.code(_NoApps(), editor)  # type: ignore[arg-type]  # stand-ins, by design
        except Exception:  # noqa: BLE001, S110  # nosec B110 - what was recorded still counts
            pass
        return editor.statements
    return []


def _builds_index(field: models.Field[Any, Any]) -> bool:
    return bool(getattr(field, "db_index", False) or field.unique) and not field.primary_key


def _plain_index_builds(
    app: str,
    op: ops.base.Operation,
    state: ProjectState,
    tables: dict[str, tuple[str, str]],
    created: set[tuple[str, str]],
) -> Iterator[str]:
    """What in ``op`` builds a plain (not concurrent) index on a growing table on
    PostgreSQL."""
    if isinstance(op, ops.SeparateDatabaseAndState):
        for inner in op.database_operations:
            yield from _plain_index_builds(app, inner, state, tables, created)
        return
    model = getattr(op, "model_name_lower", None)
    growing = set(tables.values()) - created
    if model is not None and (app, model) in growing:
        if isinstance(op, ops.AddIndex) and not getattr(op, "concurrently_on_postgresql", False):
            if type(op).__name__ != "AddIndexConcurrently":
                yield f"{_describe(app, op)} {op.index.name}"
        elif (
            isinstance(op, ops.AddConstraint)
            and isinstance(op.constraint, models.UniqueConstraint)
            and not getattr(op, "concurrently_on_postgresql", False)
        ):
            yield f"{_describe(app, op)} {op.constraint.name}"
        elif isinstance(op, ops.AddField) and _builds_index(op.field):
            yield _describe(app, op)
        elif isinstance(op, ops.AlterField):
            old = state.models[app, model].fields.get(op.name)
            if _builds_index(op.field) and (old is None or not _builds_index(old)):
                yield _describe(app, op)
        elif isinstance(op, (ops.AlterUniqueTogether, ops.AlterIndexTogether)):
            yield _describe(app, op)
    for sql in _postgresql_statements(op):
        for pattern in (_CREATE_INDEX, _ADD_UNIQUE):
            for match in pattern.finditer(sql):
                if tables.get(match.group(1)) in growing:
                    yield f"{type(op).__name__} {' '.join(match.group(0).split())}"


def blocking_index_builds(
    released: Iterable[tuple[str, str]], loader: MigrationLoader | None = None
) -> list[Finding]:
    """New migrations that build a plain index on a table that grows with the record or with
    use (:data:`GROWING_MODELS`, :data:`GROWING_APPS`, the records') on PostgreSQL: the build
    stops the table's writes while the previous release serves. Build it ``CONCURRENTLY``
    (:class:`vigil.core.concurrent_index.AddIndexConcurrentlyOnPostgreSQL`, or
    :func:`vigil.core.concurrent_index.build_index` in a ``RunPython`` step) in a migration
    with ``atomic = False``. Found: ``AddIndex``, a unique ``AddConstraint``, an
    ``AddField``/``AlterField`` that indexes a column, ``CREATE INDEX`` or ``ADD UNIQUE`` in
    ``RunSQL`` and in what a ``RunPython`` step sends to PostgreSQL (run against a recording
    stand-in). Tables the same migration creates are empty and not counted."""
    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    done = set(released)
    found: list[Finding] = []
    reason = (
        "builds an index without CONCURRENTLY on a growing table on PostgreSQL: the table's "
        "writes wait for the build while the previous release serves"
    )
    for (app, name), migration in sorted(loader.disk_migrations.items()):
        if (app, name) in done or not type(migration).__module__.startswith("vigil."):
            continue
        state = loader.project_state((app, name), at_end=False)
        found.extend(
            Finding(app, name, what, reason) for what in index_builds_in(app, migration, state)
        )
    return found


def index_builds_in(app: str, migration: Migration, before: ProjectState) -> list[str]:
    """What of ``migration`` builds a plain index on a growing table on PostgreSQL."""
    state = before.clone()
    created: set[tuple[str, str]] = set()
    found: list[str] = []
    for op in migration.operations:
        if isinstance(op, ops.CreateModel):
            created.add((app, op.name_lower))
        # The state before the operation: a table created in this migration is not in it, and
        # an AlterField's old field is.
        found.extend(_plain_index_builds(app, op, state, growing_tables(state), created))
        op.state_forwards(app, state)
    return found
