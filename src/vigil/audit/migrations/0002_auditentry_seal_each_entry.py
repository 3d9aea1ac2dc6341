"""Each audit entry gets a seal (HMAC of its hash under the signing key); existing entries are
sealed now, so that a later edit re-hashed without the key shows at the entry it changed."""

from typing import Any

from django.db import migrations, models


def seal_existing(apps: Any, schema_editor: Any) -> None:
    entry = apps.get_model("audit", "AuditEntry")
    rows = entry.objects.using(schema_editor.connection.alias).order_by("seq")
    if not rows.exists():
        return  # a new installation: no key is created until something is audited
    from vigil.audit.signing import seal_key, seal_with, signing_key

    key = seal_key(signing_key())
    batch = []
    for row in rows.iterator(chunk_size=2000):
        row.seal = seal_with(key, row.entry_hash)
        batch.append(row)
        if len(batch) == 2000:
            entry.objects.bulk_update(batch, ["seal"])
            batch = []
    if batch:
        entry.objects.bulk_update(batch, ["seal"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="seal",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
