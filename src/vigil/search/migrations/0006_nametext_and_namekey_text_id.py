"""The forms' normalised texts in a table of their own (``NameText``), and each name key row
the id of its form's text (``NameKey.text_id``), carried by the key index.

The name search reads the text ids with the key rows (from the key index alone), reads the
texts of the forms it keeps by id, orders those forms by tier, rank and string similarity
before reading any, and then reads only the forms it needs (docs/benchmarks.md §4, fourteenth
round). The table is filled with the distinct texts of the stored forms, and every key row's
id from its form's text (a form is never changed, so its text is the one its keys were
written with).

The key index: on SQLite ``search_namekey_key_form`` (key, form) becomes
``search_namekey_key_form_text`` (key, form, text id); the indexes go first and come back
after the fill (each row is then written once into them). On PostgreSQL, which has no plain
key index since 0005, the prefix index ``search_namekey_key_prefix_form`` (key
varchar_pattern_ops, form_id) stays as it is here, serving the search and taking writes
through the fill; 0007 builds it again with ``INCLUDE (text_id)`` ``CONCURRENTLY`` (the
plain index of the model's state is not built there). Until 2026-12-07 this migration
dropped that index and built it again plainly in its own transaction (the key table took no
writes and the search read without it for the whole migration); a database that applied it
then keeps what it built — Django never runs an applied migration again — and 0007 finds
the index already carrying the text id and does nothing. Reversing drops the column and the
table and restores SQLite's index as it was.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

SQLITE_KEY_FORM = "CREATE INDEX search_namekey_key_form ON search_namekey (key, form_id)"
SQLITE_KEY_FORM_TEXT = (
    "CREATE INDEX search_namekey_key_form_text ON search_namekey (key, form_id, text_id)"
)


def _run(sqlite: list[str], postgresql: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        for sql in sqlite if vendor == "sqlite" else postgresql if vendor == "postgresql" else []:
            schema_editor.execute(sql)

    return run


def fill_texts(apps: Any, schema_editor: Any) -> None:
    """The stored forms' distinct texts, and every key row's id of its form's text."""
    schema_editor.execute(
        "INSERT INTO search_nametext (normalised)"
        " SELECT DISTINCT normalised FROM search_nameform ORDER BY normalised"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE search_namekey SET text_id = t.id FROM search_nameform f"
            " JOIN search_nametext t ON t.normalised = f.normalised"
            " WHERE f.id = search_namekey.form_id"
        )
        schema_editor.execute("ANALYZE search_nametext")
        return
    schema_editor.execute(
        "UPDATE search_namekey SET text_id = (SELECT t.id FROM search_nameform f"
        " JOIN search_nametext t ON t.normalised = f.normalised"
        " WHERE f.id = search_namekey.form_id)"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0005_drop_namekey_plain_key_index_on_postgresql")]

    # One transaction (the data steps with SQLite's index swap); PostgreSQL's index is rebuilt
    # concurrently by 0007, outside any transaction.
    operations = [
        # SQLite's key index goes first (each row is then written once into its new one).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="namekey", name="search_namekey_key_form")
            ],
            database_operations=[
                migrations.RunPython(
                    _run(["DROP INDEX IF EXISTS search_namekey_key_form"], []),
                    _run([SQLITE_KEY_FORM], []),
                )
            ],
        ),
        migrations.CreateModel(
            name="NameText",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("normalised", models.CharField(max_length=300)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("normalised",), name="search_nametext_once")
                ]
            },
        ),
        migrations.AddField(
            model_name="namekey",
            name="text_id",
            # Nullable with a constant default: added in place (no table copy on SQLite), and
            # the previous release's inserts, which do not name it, still succeed.
            field=models.BigIntegerField(null=True, db_default=models.Value(0)),
        ),
        migrations.RunPython(fill_texts, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="namekey",
                    index=models.Index(
                        fields=["key", "form", "text_id"], name="search_namekey_key_form_text"
                    ),
                )
            ],
            database_operations=[
                migrations.RunPython(
                    _run([SQLITE_KEY_FORM_TEXT], []),
                    _run(["DROP INDEX IF EXISTS search_namekey_key_form_text"], []),
                )
            ],
        ),
    ]
