"""Each name key row holds its form's normalised text (``NameKey.normalised``).

The name search reads the texts with the key rows (from the key indexes alone): the forms of
equal rank are ordered by their string similarity before any form is read, and only the forms
of the first persons are read instead of up to 500. The column is filled from the stored forms
(a form is never changed, so its text is the one its keys were written with); the key index
``search_namekey_key_form`` becomes ``search_namekey_key_form_text`` (key, form, text) and, on
PostgreSQL, the prefix index ``search_namekey_key_prefix_form`` carries the text too
(``INCLUDE``). Reversing drops the column and restores the two indexes as they were.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

POSTGRES_PREFIX_DROP = ["DROP INDEX IF EXISTS search_namekey_key_prefix_form"]
POSTGRES_PREFIX_WITH_TEXT = [
    "CREATE INDEX search_namekey_key_prefix_form ON search_namekey "
    "(key varchar_pattern_ops, form_id) INCLUDE (normalised)",
    "ANALYZE search_namekey",
]
POSTGRES_PREFIX_WITHOUT_TEXT = [
    "CREATE INDEX search_namekey_key_prefix_form ON search_namekey "
    "(key varchar_pattern_ops, form_id)",
    "ANALYZE search_namekey",
]


def _postgres(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


def fill_texts(apps: Any, schema_editor: Any) -> None:
    """Every key row's text: its form's normalised text."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "UPDATE search_namekey SET normalised = f.normalised"
            " FROM search_nameform f WHERE f.id = search_namekey.form_id"
        )
        return
    schema_editor.execute(
        "UPDATE search_namekey SET normalised ="
        " (SELECT f.normalised FROM search_nameform f WHERE f.id = search_namekey.form_id)"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_nametoken_vocabulary")]

    operations = [
        # The indexes go first and come back after the fill (each row is written once).
        migrations.RunPython(
            _postgres(POSTGRES_PREFIX_DROP), _postgres(POSTGRES_PREFIX_WITHOUT_TEXT)
        ),
        migrations.RemoveIndex(model_name="namekey", name="search_namekey_key_form"),
        migrations.AddField(
            model_name="namekey",
            name="normalised",
            field=models.CharField(default="", max_length=300),
            preserve_default=False,
        ),
        migrations.RunPython(fill_texts, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="namekey",
            index=models.Index(
                fields=["key", "form", "normalised"], name="search_namekey_key_form_text"
            ),
        ),
        migrations.RunPython(_postgres(POSTGRES_PREFIX_WITH_TEXT), _postgres(POSTGRES_PREFIX_DROP)),
    ]
