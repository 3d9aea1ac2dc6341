"""Full-text indexes: FTS5 on SQLite (SQLCipher has it), a GIN tsvector index on PostgreSQL."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_textdocument_fts USING fts5(folded, "
    "content='search_textdocument', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_textdocument_ai AFTER INSERT ON search_textdocument BEGIN "
    "INSERT INTO search_textdocument_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE TRIGGER search_textdocument_ad AFTER DELETE ON search_textdocument BEGIN "
    "INSERT INTO search_textdocument_fts(search_textdocument_fts, rowid, folded) "
    "VALUES ('delete', old.id, old.folded); END",
    "CREATE TRIGGER search_textdocument_au AFTER UPDATE ON search_textdocument BEGIN "
    "INSERT INTO search_textdocument_fts(search_textdocument_fts, rowid, folded) "
    "VALUES ('delete', old.id, old.folded); "
    "INSERT INTO search_textdocument_fts(rowid, folded) VALUES (new.id, new.folded); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_textdocument_au",
    "DROP TRIGGER IF EXISTS search_textdocument_ad",
    "DROP TRIGGER IF EXISTS search_textdocument_ai",
    "DROP TABLE IF EXISTS search_textdocument_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX search_textdocument_tsv ON search_textdocument "
    "USING gin (to_tsvector('simple'::regconfig, folded))",
    # Prefix lookups of name tokens (LIKE 'x%') need the pattern operator class.
    "CREATE INDEX search_namekey_key_like ON search_namekey (key varchar_pattern_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_namekey_key_like",
    "DROP INDEX IF EXISTS search_textdocument_tsv",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
