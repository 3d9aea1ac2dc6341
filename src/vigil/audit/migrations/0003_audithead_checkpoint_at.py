"""The head remembers when the last checkpoint was signed: time-based checkpoints cost no query."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_auditentry_seal_each_entry")]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="checkpoint_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
