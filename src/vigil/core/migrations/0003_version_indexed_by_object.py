"""The version table keeps one index by record, leading with object_id (issue 14 §3).

The unique (model, object_id, version) becomes (object_id, model, version), which also serves
every lookup by object_id alone, so the separate indexes on ``model`` and ``object_id`` go:
a bulk import then maintains two indexes per version row fewer. Only indexes change; the old
code reads and writes the same columns. The new constraint is added before the old one is
removed, so uniqueness holds throughout.

On PostgreSQL the new constraint's index is built ``CONCURRENTLY`` and then made the
constraint (since 2026-12-07; a plain build stopped the version table's writes for its length
while the previous release served), so the migration holds no transaction (``atomic =
False``); the other steps run after it in one transaction. A database that applied it before keeps
what it built then.
"""

from django.conf import settings
from django.db import migrations, models

from vigil.core.concurrent_index import (
    AddUniqueConstraintConcurrentlyOnPostgreSQL,
    in_one_transaction,
)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("core", "0002_shared_generation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddUniqueConstraintConcurrentlyOnPostgreSQL(
            model_name="version",
            constraint=models.UniqueConstraint(
                fields=("object_id", "model", "version"), name="uniq_version_by_object"
            ),
        ),
        in_one_transaction(
            migrations.RemoveConstraint(model_name="version", name="uniq_version"),
            migrations.AlterField(
                model_name="version", name="model", field=models.CharField(max_length=100)
            ),
            migrations.AlterField(model_name="version", name="object_id", field=models.UUIDField()),
        ),
    ]
