"""The version table keeps one index by record, leading with object_id (issue 14 §3).

The unique (model, object_id, version) becomes (object_id, model, version), which also serves
every lookup by object_id alone, so the separate indexes on ``model`` and ``object_id`` go:
a bulk import then maintains two indexes per version row fewer. Only indexes change; the old
code reads and writes the same columns. The new constraint is added before the old one is
removed, so uniqueness holds throughout.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_shared_generation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="version",
            constraint=models.UniqueConstraint(
                fields=("object_id", "model", "version"), name="uniq_version_by_object"
            ),
        ),
        migrations.RemoveConstraint(model_name="version", name="uniq_version"),
        migrations.AlterField(
            model_name="version", name="model", field=models.CharField(max_length=100)
        ),
        migrations.AlterField(model_name="version", name="object_id", field=models.UUIDField()),
    ]
