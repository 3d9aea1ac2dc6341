"""A mark for every write to what the record's counts read (``records.count_changes``).

``records_count_change`` holds rows ``(n, token)``: ``n`` how many marks, ``token`` a random
number below 2**62. Its sums, ``(SUM(n), SUM(token) mod 2**62)``, are what a reader compares
with the value its cached counts were read under: every committed write changes them.

- SQLite: nothing (the counts are read each time). Its only kind of trigger, one per row,
  slowed bulk writes made inside a test's transaction 15-fold (the name search's scale test:
  35 s → 530 s in CI; the same generation through `vigil demo` was unchanged): any trigger
  makes each row's statement open a statement journal, and inside a savepoint its release walks
  everything the savepoint has journaled (found later: docs/benchmarks.md §4, "The home page on
  SQLite, fifteenth round"). Its marks came later: migration 0015, written by Vigil's backend.
- PostgreSQL: statement-level triggers append one row per writing statement (``TRUNCATE``
  too), so concurrent writers never wait for one another on it; a writer in ``READ
  COMMITTED`` that gets the advisory lock without waiting folds the rows it sees into one
  (their sums, unchanged), as ``records_person_live_count`` (migration 0013) does.

A mark is written in the writer's transaction: a reader sees it exactly when it sees the rows.
A rolled-back write's random token is never seen again. Not a model: Django's flush must not
empty it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# The watched tables as this migration made their triggers (frozen: a migration must do on a
# new database what it did when it was written — a table added to the live list later may not
# exist yet here). The live list is ``records.count_changes.WATCHED``; a test checks that the
# migrated database's triggers cover exactly it, so a table added there needs a migration of
# its own that adds its triggers.
WATCHED = (
    "records_storedcustody",
    "records_act",
    "records_involvement",
    "records_person",
    "records_organisation",
    "records_event",
    "records_participant",
    "records_source",
    "records_statistic",
    "records_term",
)

FUNCTION = """
CREATE FUNCTION records_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO records_count_change (n, token)
        VALUES (1, floor(random() * 4611686018427387904::float8)::bigint);
    -- Fold the rows this statement sees into one: only in READ COMMITTED (a fresh snapshot
    -- per statement) and only for the holder of the advisory lock (tried, never waited for),
    -- so no two transactions ever delete the same rows. The sums stay what they were.
    IF current_setting('transaction_isolation') = 'read committed'
       AND pg_try_advisory_xact_lock(hashtext('records_count_change'), 0) THEN
        WITH gone AS (DELETE FROM records_count_change RETURNING n, token)
        INSERT INTO records_count_change (n, token)
            SELECT sum(n)::bigint, mod(sum(token), 4611686018427387904)::bigint FROM gone
            HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END
$$
"""

POSTGRES_FORWARD = [
    "CREATE TABLE records_count_change (n bigint NOT NULL, token bigint NOT NULL)",
    "INSERT INTO records_count_change (n, token) VALUES (0, 0)",
    FUNCTION,
    *[
        f"CREATE TRIGGER records_count_change_{op.lower()} AFTER {op} ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION records_count_change()"
        for table in WATCHED
        for op in ("INSERT", "UPDATE", "DELETE", "TRUNCATE")
    ],
]
POSTGRES_BACKWARD = [
    *[
        f"DROP TRIGGER IF EXISTS records_count_change_{op.lower()} ON {table}"
        for table in WATCHED
        for op in ("INSERT", "UPDATE", "DELETE", "TRUNCATE")
    ],
    "DROP FUNCTION IF EXISTS records_count_change()",
    "DROP TABLE IF EXISTS records_count_change",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":  # SQLite: nothing (above)
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("records", "0013_person_live_count")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
