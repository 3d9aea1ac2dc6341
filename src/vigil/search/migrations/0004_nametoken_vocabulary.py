"""The name index's vocabulary (``NameToken``): each stored token with the keys it gives.

The name search reads the other words' key rows of the forms with a surname as the rows of
the tokens giving those keys (one row a form and token instead of one a key). The table is
created and filled from the forms already indexed (their tokens, as the key rows were
written from them), so an existing database searches correctly at once; reversing drops it.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

#: Forms' texts read at a time while filling the vocabulary.
_BATCH = 5000


def fill_vocabulary(apps: Any, schema_editor: Any) -> None:
    """Every token of every stored form, with its keys (``name_index.vocabulary``)."""
    from vigil.names import normalise
    from vigil.search.name_index import vocabulary

    name_form = apps.get_model("search", "NameForm")
    name_token = apps.get_model("search", "NameToken")
    tokens: set[str] = set()
    texts = name_form.objects.values_list("text", flat=True).distinct()
    for text in texts.iterator(chunk_size=_BATCH):
        tokens.update(normalise(text).split())
    rows = [name_token(token=token, key=key) for token, key in sorted(vocabulary(tokens))]
    name_token.objects.bulk_create(rows, batch_size=1000)
    if schema_editor.connection.vendor == "postgresql":
        # Its statistics at once, for the search's plans (autovacuum's come later).
        schema_editor.execute("ANALYZE search_nametoken")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_namekey_prefix_covering_and_key_statistics")]

    operations = [
        migrations.CreateModel(
            name="NameToken",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=100)),
                ("key", models.CharField(max_length=100)),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["key", "token"],
                        name="search_nametoken_key_token",
                        opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("token", "key"), name="search_nametoken_once")
                ],
            },
        ),
        migrations.RunPython(fill_vocabulary, migrations.RunPython.noop),
    ]
