"""New migrations are safe while the previous release serves (docs/operations.md, "Several
hosts"): nothing the old code reads is removed or renamed, and no column becomes one its
inserts cannot fill. A migration that must break the rule is listed in ALLOWED with why."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from vigil.core.concurrent_index import (
    AddIndexConcurrentlyOnPostgreSQL,
    AddUniqueConstraintConcurrentlyOnPostgreSQL,
    build_index,
)
from vigil.core.migration_safety import (
    blocking_index_builds,
    history_unkept,
    index_builds_in,
    unsafe_in,
    unsafe_operations,
)

RELEASED_FILE = Path(__file__).with_name("released_migrations.txt")

#: (app, migration, operation) → why it is safe to run while the previous release serves
#: (e.g. the release before stopped reading the column). Empty: nothing needs it yet.
ALLOWED: dict[tuple[str, str, str], str] = {}

#: (app, migration, operation) → why code a migration runs in an app holding records changes no
#: record's row (so no version 1 derived from a row can change).
CHANGES_NO_RECORD: dict[tuple[str, str, str], str] = {
    ("records", "0013_person_live_count", "RunPython"): (
        "PostgreSQL only: creates the table of live persons per level and its triggers, and "
        "fills it from a count of records_person; no row of a record is written"
    ),
    ("records", "0014_record_counts_change_marks", "RunPython"): (
        "creates the table of change marks (records.count_changes) and the triggers that add "
        "to it on every write of a counted table; no row of a record is written"
    ),
    ("records", "0015_sqlite_count_change_mark", "RunPython"): (
        "SQLite only: creates the one-row table of the change mark that the SQLite backend "
        "writes (records.count_changes); no row of a record is written"
    ),
}


#: (app, migration, operation) → why a new migration still builds a plain index on a growing
#: table on PostgreSQL (the table's writes wait for the build while the previous release
#: serves), and what would lift it. Empty: search 0006's rebuild of the key index moved to
#: 0007 (concurrent), alerts 0003's outbox digest index to alerts 0004.
BLOCKING_KEPT: dict[tuple[str, str, str], str] = {}


def released() -> set[tuple[str, str]]:
    rows = RELEASED_FILE.read_text(encoding="utf-8").splitlines()
    return {tuple(r.split()) for r in rows if r.strip() and not r.startswith("#")}  # type: ignore[misc]


@pytest.fixture(scope="module")
def loader() -> MigrationLoader:
    return MigrationLoader(None, ignore_no_migrations=True)


def test_no_new_migration_removes_renames_or_tightens_what_the_previous_release_uses(loader):
    found = [f for f in unsafe_operations(released(), loader) if f.key not in ALLOWED]
    assert found == [], (
        "These migrations would break the previous release while it still serves. Add instead "
        "(db_default= for a new NOT NULL column), remove or rename one release later, or list "
        "the operation in ALLOWED with the reason it is safe:\n" + "\n".join(map(str, found))
    )


def test_every_allowed_exception_names_an_operation_the_check_finds(loader):
    found = {f.key for f in unsafe_operations(set(), loader)}
    assert set(ALLOWED) <= found  # a stale entry would silently allow a later one


def test_the_released_list_names_only_migrations_that_exist(loader):
    on_disk = set(loader.disk_migrations)
    assert released() <= on_disk


def _check(loader: MigrationLoader, *operations: object) -> list[str]:
    migration = migrations.Migration("9999_planted", "accounts")
    migration.operations = list(operations)
    return [f.operation for f in unsafe_in("accounts", migration, loader.project_state())]


def test_removing_or_renaming_a_column_or_table_is_found(loader):
    assert _check(
        loader,
        migrations.RemoveField("user", "role"),
        migrations.RenameField("apitoken", "name", "label"),
        migrations.RenameModel("ApiToken", "AccessToken"),
    ) == [
        "RemoveField accounts.user.role",
        "RenameField accounts.apitoken.name",
        "RenameModel accounts.ApiToken",
    ]


def test_a_new_not_null_column_needs_a_database_default(loader):
    assert _check(
        loader,
        migrations.AddField("user", "fictional_flag", models.BooleanField(default=False)),
        migrations.AddField(
            "user", "fictional_safe", models.BooleanField(default=False, db_default=False)
        ),
        migrations.AddField("user", "fictional_nullable", models.TextField(null=True)),
    ) == ["AddField accounts.user.fictional_flag"]


def test_making_a_nullable_column_not_null_is_found_and_loosening_is_not(loader):
    state = loader.project_state()
    nullable = next(
        name
        for name, field in state.models["accounts", "user"].fields.items()
        if field.null and isinstance(field, models.DateTimeField)
    )
    assert _check(loader, migrations.AlterField("user", nullable, models.DateTimeField())) == [
        f"AlterField accounts.user.{nullable}"
    ]
    assert (
        _check(loader, migrations.AlterField("user", nullable, models.DateTimeField(null=True)))
        == []
    )


def test_changing_a_column_type_or_its_length_is_found_and_a_same_type_change_is_not(loader):
    state = loader.project_state()
    name, text = next(
        (name, field)
        for name, field in state.models["accounts", "user"].fields.items()
        if isinstance(field, models.CharField) and field.max_length and not field.choices
    )
    longer = models.CharField(max_length=text.max_length + 1, null=text.null, blank=text.blank)
    assert _check(loader, migrations.AlterField("user", name, longer)) == [
        f"AlterField accounts.user.{name}"
    ]
    assert _check(loader, migrations.AlterField("user", name, models.TextField())) == [
        f"AlterField accounts.user.{name}"
    ]
    same = models.CharField(
        max_length=text.max_length, null=text.null, blank=text.blank, help_text="only words"
    )
    assert _check(loader, migrations.AlterField("user", name, same)) == []


def test_columns_of_a_table_created_in_the_same_migration_are_not_findings(loader):
    assert (
        _check(
            loader,
            migrations.CreateModel("FictionalNew", [("id", models.BigAutoField(primary_key=True))]),
            migrations.AddField("fictionalnew", "flag", models.BooleanField(default=False)),
        )
        == []
    )


def test_no_new_data_migration_changes_records_without_keeping_their_first_versions(loader):
    # A bulk write's records hold their version 1 in their row until their first change; a
    # data migration changing those rows must store those versions first (keep_first_versions).
    found = [f for f in history_unkept(released(), loader) if f.key not in CHANGES_NO_RECORD]
    assert found == []


def test_every_migration_said_to_change_no_record_is_one_the_check_finds(loader):
    found = {f.key for f in history_unkept(set(), loader)}
    assert set(CHANGES_NO_RECORD) <= found  # a stale entry would silently allow a later one


def test_a_data_migration_on_records_without_keep_first_versions_is_found(loader):
    # records.0006 (released before the batch history) fills a column with RunPython.
    found = {(f.app, f.migration, f.operation) for f in history_unkept(set(), loader)}
    assert ("records", "0006_act_known_since", "RunPython") in found


def test_no_new_migration_builds_a_plain_index_on_a_growing_table(loader):
    found = [f for f in blocking_index_builds(released(), loader) if f.key not in BLOCKING_KEPT]
    assert found == [], (
        "These migrations build an index on a table that grows with the record without "
        "CONCURRENTLY on PostgreSQL: its writes wait for the build while the previous release "
        "serves. Use AddIndexConcurrentlyOnPostgreSQL or build_index "
        "(vigil.core.concurrent_index) in a migration with atomic = False:\n"
        + "\n".join(map(str, found))
    )


def test_every_kept_blocking_build_is_one_the_check_finds(loader):
    found = {f.key for f in blocking_index_builds(set(), loader)}
    assert set(BLOCKING_KEPT) <= found  # a stale entry would silently allow a later one


def _builds(app: str, *operations: object) -> list[str]:
    migration = migrations.Migration("9999_planted", app)
    migration.operations = list(operations)
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return index_builds_in(app, migration, loader.project_state())


#: What core 0005 ran on PostgreSQL until this check was written (its indexes are now built
#: CONCURRENTLY by core 0006).
OLD_CORE_0005 = [
    "ALTER TABLE core_version ALTER COLUMN xact SET DEFAULT (pg_current_xact_id()::text::bigint)",
    "CREATE INDEX IF NOT EXISTS core_version_xact ON core_version (xact)",
    "CREATE INDEX IF NOT EXISTS core_versionbatch_xact ON core_versionbatch (xact)",
]


def _postgresql_step(statements: list[str]) -> migrations.RunPython:
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return migrations.RunPython(run, migrations.RunPython.noop)


def test_the_old_history_transaction_indexes_are_found_and_the_concurrent_ones_are_not():
    assert _builds("core", _postgresql_step(OLD_CORE_0005)) == [
        "RunPython CREATE INDEX IF NOT EXISTS core_version_xact ON core_version",
        "RunPython CREATE INDEX IF NOT EXISTS core_versionbatch_xact ON core_versionbatch",
    ]
    assert _builds("core", migrations.RunSQL(OLD_CORE_0005[1])) == [
        "RunSQL CREATE INDEX IF NOT EXISTS core_version_xact ON core_version"
    ]

    def concurrent(apps, schema_editor):
        build_index(
            schema_editor,
            "core_version_xact",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS core_version_xact ON core_version (xact)",
        )

    assert _builds("core", migrations.RunPython(concurrent)) == []


def test_a_plain_index_on_a_record_table_is_found_and_a_concurrent_one_is_not():
    index = models.Index(fields=["display_name", "id"], name="fictional_person_name")
    unique = models.UniqueConstraint(fields=["display_name", "id"], name="fictional_unique")
    assert _builds(
        "records",
        migrations.AddIndex("person", index),
        AddIndexConcurrentlyOnPostgreSQL("person", index),
        migrations.AddConstraint("person", unique),
        AddUniqueConstraintConcurrentlyOnPostgreSQL("person", unique),
        migrations.AddField(
            "person", "fictional_code", models.CharField(max_length=9, null=True, db_index=True)
        ),
        migrations.AddField("person", "fictional_plain", models.TextField(null=True)),
        migrations.RunSQL("CREATE INDEX fictional_x ON records_person (display_name)"),
        migrations.RunSQL("CREATE INDEX CONCURRENTLY fictional_y ON records_person (display_name)"),
        migrations.RunSQL("ALTER TABLE records_person ADD CONSTRAINT fictional_z UNIQUE (id)"),
    ) == [
        "AddIndex records.person fictional_person_name",
        "AddConstraint records.person fictional_unique",
        "AddField records.person.fictional_code",
        "RunSQL CREATE INDEX fictional_x ON records_person",
        "RunSQL ALTER TABLE records_person ADD CONSTRAINT fictional_z UNIQUE",
    ]


def test_indexes_on_a_new_table_or_a_table_that_does_not_grow_with_the_record_are_not_found():
    assert (
        _builds(
            "search",
            migrations.CreateModel(
                "FictionalNew",
                [("id", models.BigAutoField(primary_key=True)), ("word", models.TextField())],
            ),
            migrations.AddIndex("fictionalnew", models.Index(fields=["word"], name="fictional_w")),
            migrations.RunSQL("CREATE INDEX fictional_v ON search_fictionalnew (word)"),
        )
        == []
    )
    assert (
        _builds(
            "accounts",
            migrations.AddIndex("user", models.Index(fields=["last_login"], name="fictional_l")),
        )
        == []
    )


def test_plain_indexes_on_the_alert_outbox_and_the_sanctions_entries_are_found():
    # They grow with use (per event and recipient; hundreds of thousands per list import).
    assert _builds(
        "alerts",
        migrations.AddIndex("outbox", models.Index(fields=["sent_at"], name="fictional_o")),
        migrations.AddIndex("deliverylog", models.Index(fields=["at"], name="fictional_d")),
        migrations.AddIndex("notification", models.Index(fields=["kind"], name="fictional_n")),
        migrations.AddIndex("webhook", models.Index(fields=["url"], name="fictional_w")),
    ) == [
        "AddIndex alerts.outbox fictional_o",
        "AddIndex alerts.deliverylog fictional_d",
        "AddIndex alerts.notification fictional_n",
    ]
    assert _builds(
        "sanctions",
        migrations.AddIndex("listedentity", models.Index(fields=["caption"], name="fictional_e")),
        migrations.AddIndex("listchange", models.Index(fields=["at"], name="fictional_c")),
        migrations.AddIndex("sanctionslist", models.Index(fields=["name"], name="fictional_s")),
    ) == [
        "AddIndex sanctions.listedentity fictional_e",
        "AddIndex sanctions.listchange fictional_c",
    ]
