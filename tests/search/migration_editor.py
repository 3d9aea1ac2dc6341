"""A stand-in for the schema editor a migration's step is given, for calling the step inside a
test's transaction (SQLite's real editor cannot be opened there): its ``connection`` and
``execute``, all a step of the search migrations uses."""

from __future__ import annotations

from django.db import connection


class InTransactionEditor:
    """What a migration's step uses of a schema editor, run on the test's connection."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
