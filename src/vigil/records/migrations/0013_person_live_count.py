"""PostgreSQL: live persons counted per level by triggers (``vigil.records.live_count``).

``records_person_live_count`` holds signed numbers per level; statement-level triggers on
``records_person`` append what each ``INSERT``, ``UPDATE`` and ``DELETE`` (``COPY`` too) changed
in the live rows at each level, and a ``TRUNCATE`` empties it. A writer in ``READ COMMITTED``
that gets the advisory lock without waiting folds the rows it sees into one per level. The
table is filled from the rows present, under a lock that keeps writers out meanwhile. SQLite:
nothing (it counts a whole table cheaply).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FUNCTION = """
CREATE FUNCTION records_person_live_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    added bigint := 0;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM records_person_live_count;
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO records_person_live_count (confidentiality, n)
            SELECT confidentiality, count(*) FROM new_rows
            WHERE deleted_at IS NULL GROUP BY confidentiality;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO records_person_live_count (confidentiality, n)
            SELECT confidentiality, -count(*) FROM old_rows
            WHERE deleted_at IS NULL GROUP BY confidentiality;
    ELSE
        INSERT INTO records_person_live_count (confidentiality, n)
            SELECT confidentiality, sum(d) FROM (
                SELECT confidentiality, 1 AS d FROM new_rows WHERE deleted_at IS NULL
                UNION ALL
                SELECT confidentiality, -1 AS d FROM old_rows WHERE deleted_at IS NULL
            ) AS changed
            GROUP BY confidentiality HAVING sum(d) <> 0;
    END IF;
    GET DIAGNOSTICS added = ROW_COUNT;
    -- Fold the rows this statement sees into one per level: only in READ COMMITTED (a fresh
    -- snapshot per statement) and only for the holder of the advisory lock (tried, never
    -- waited for), so no two transactions ever delete the same rows.
    IF added > 0
       AND current_setting('transaction_isolation') = 'read committed'
       AND pg_try_advisory_xact_lock(hashtext('records_person_live_count'), 0) THEN
        WITH gone AS (
            DELETE FROM records_person_live_count RETURNING confidentiality, n
        )
        INSERT INTO records_person_live_count (confidentiality, n)
            SELECT confidentiality, sum(n) FROM gone
            GROUP BY confidentiality HAVING sum(n) <> 0;
    END IF;
    RETURN NULL;
END
$$
"""

POSTGRES_FORWARD = [
    "LOCK TABLE records_person IN SHARE MODE",
    "CREATE TABLE records_person_live_count ("
    " confidentiality varchar(12) NOT NULL, n bigint NOT NULL)",
    FUNCTION,
    "CREATE TRIGGER records_person_live_count_insert AFTER INSERT ON records_person"
    " REFERENCING NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION records_person_live_count()",
    "CREATE TRIGGER records_person_live_count_update AFTER UPDATE ON records_person"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION records_person_live_count()",
    "CREATE TRIGGER records_person_live_count_delete AFTER DELETE ON records_person"
    " REFERENCING OLD TABLE AS old_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION records_person_live_count()",
    "CREATE TRIGGER records_person_live_count_truncate AFTER TRUNCATE ON records_person"
    " FOR EACH STATEMENT EXECUTE FUNCTION records_person_live_count()",
    "INSERT INTO records_person_live_count (confidentiality, n)"
    " SELECT confidentiality, count(*) FROM records_person"
    " WHERE deleted_at IS NULL GROUP BY confidentiality",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS records_person_live_count_truncate ON records_person",
    "DROP TRIGGER IF EXISTS records_person_live_count_delete ON records_person",
    "DROP TRIGGER IF EXISTS records_person_live_count_update ON records_person",
    "DROP TRIGGER IF EXISTS records_person_live_count_insert ON records_person",
    "DROP FUNCTION IF EXISTS records_person_live_count()",
    "DROP TABLE IF EXISTS records_person_live_count",
]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("records", "0012_involvement_covering_index")]

    operations = [migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD))]
