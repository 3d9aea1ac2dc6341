"""TOTP secrets encrypted at rest: a UUID key (the encryption binds the row id), then the copy.

The old table is renamed aside, the new one created under the model's name, every device
copied with its secret sealed by ``EncryptedTextField`` (bound to the new table and row), and
the old table dropped. Devices keep their confirmation and last accepted time-step, so nobody
re-enrols and no used code becomes valid again.
"""

from __future__ import annotations

import uuid
from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import vigil.crypto.fields

COPIED = ("user_id", "created_at", "confirmed_at", "last_used_step")


def _copy(source: Any, target: Any) -> None:
    for old in source.objects.order_by("created_at").iterator():
        new = target(secret=old.secret, **{name: getattr(old, name) for name in COPIED})
        new.save()
        # auto_now_add overwrote the enrolment time on save; put the original back.
        target.objects.filter(pk=new.pk).update(created_at=old.created_at)


def encrypt_secrets(apps: Any, schema_editor: Any) -> None:
    """Copy each device into the new table; the field seals the secret on save."""
    _copy(apps.get_model("accounts", "LegacyTOTPDevice"), apps.get_model("accounts", "TOTPDevice"))


def decrypt_secrets(apps: Any, schema_editor: Any) -> None:
    """Copy each device back into the plain table (reversing the migration)."""
    _copy(apps.get_model("accounts", "TOTPDevice"), apps.get_model("accounts", "LegacyTOTPDevice"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_second_factor_sessions_tokens"),
        ("backup", "0001_initial"),  # the organisation keyring wraps the secrets' data keys
    ]

    operations = [
        migrations.AlterField(
            model_name="totpdevice",
            name="user",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.RenameModel("TOTPDevice", "LegacyTOTPDevice"),
        migrations.CreateModel(
            name="TOTPDevice",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("secret", vigil.crypto.fields.EncryptedTextField(verbose_name="secret")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "confirmed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="confirmed at"),
                ),
                (
                    "last_used_step",
                    models.BigIntegerField(default=-1, verbose_name="last accepted time-step"),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="totp_device",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "authenticator",
            },
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets, elidable=False),
        migrations.DeleteModel("LegacyTOTPDevice"),
    ]
