"""Key rotation: a new organisation key version re-wraps every data key; a rekey changes the
master key (and, on SQLite, the database key) without losing the organisation keys."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from vigil.backup.keyring import master_key, org_label
from vigil.backup.models import OrganisationKey
from vigil.crypto.envelope import Place, fingerprint, rewrap, unwrap_key, wrap_key
from vigil.crypto.errors import KeySourceError
from vigil.crypto.fields import EncryptedTextField, Sealed, field_keyring

BATCH = 500


@dataclass(frozen=True)
class RotationReport:
    """What a rotation did (counts only, never values)."""

    old_versions: tuple[int, ...]
    new_version: int
    values: int


def encrypted_fields(
    model_list: Iterable[type[models.Model]] | None = None,
) -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every concrete model with encrypted fields, and those fields."""
    found = []
    for model in model_list if model_list is not None else apps.get_models():
        if model._meta.abstract or model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return found


def rotate_org_key(model_list: Iterable[type[models.Model]] | None = None) -> RotationReport:
    """Create a new organisation key version, re-wrap every data key, delete the old versions."""
    keyring = field_keyring()
    keyring.current()  # makes sure version 1 exists before rotating away from it
    master = master_key()
    fp = fingerprint(master)
    targets = encrypted_fields(model_list)
    values = 0
    with transaction.atomic():
        rows = list(OrganisationKey.objects.select_for_update().filter(master_fingerprint=fp))
        old_versions = tuple(sorted({row.version for row in rows}))
        new_version = max(old_versions) + 1
        new_key = secrets.token_bytes(32)
        OrganisationKey.objects.create(
            version=new_version,
            master_fingerprint=fp,
            wrapped=wrap_key(master, new_key, org_label(new_version)),
        )
        for model, fields in targets:
            values += _rewrap_model(model, fields, keyring, new_version, new_key)
        OrganisationKey.objects.exclude(version=new_version).delete()
    forget = getattr(keyring, "forget", None)
    if forget is not None:
        forget()
    return RotationReport(old_versions, new_version, values)


def _rewrap_model(
    model: type[models.Model],
    fields: list[EncryptedTextField],
    keyring: object,
    new_version: int,
    new_key: bytes,
) -> int:
    manager = model._base_manager
    table = model._meta.db_table
    count = 0
    names = [f.attname for f in fields]
    rows = manager.order_by("pk").values_list("pk", *names)
    for row in rows.iterator(chunk_size=BATCH):
        pk, tokens = row[0], row[1:]
        changes = {}
        for field, token in zip(fields, tokens, strict=True):
            if token is None:
                continue
            place = Place(table, str(pk), cast(str, field.column))
            changes[field.attname] = Sealed(rewrap(token, place, keyring, new_version, new_key))  # type: ignore[arg-type]
        if changes:
            manager.filter(pk=pk).update(**changes)
            count += len(changes)
    return count


def rekey_master(new_master: bytes) -> None:
    """Wrap the organisation keys under ``new_master`` and, on SQLite, rekey the database."""
    old_master = master_key()
    old_fp, new_fp = fingerprint(old_master), fingerprint(new_master)
    if old_fp == new_fp:
        raise KeySourceError("The new key is the key already in use.")
    with transaction.atomic():
        for row in OrganisationKey.objects.filter(master_fingerprint=old_fp):
            key = unwrap_key(old_master, bytes(row.wrapped), org_label(row.version))
            OrganisationKey.objects.update_or_create(
                version=row.version,
                master_fingerprint=new_fp,
                defaults={"wrapped": wrap_key(new_master, key, org_label(row.version))},
            )
    if connection.vendor == "sqlite":
        if connection.in_atomic_block:
            raise KeySourceError("The database key cannot be changed inside a transaction.")
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA rekey = \"x'{new_master.hex()}'\"")
    _use_master(new_master)
    with transaction.atomic():
        OrganisationKey.objects.exclude(master_fingerprint=new_fp).delete()


def _use_master(key: bytes) -> None:
    """Make new connections (and the keyring) use ``key`` in this process."""
    configured = getattr(settings, "MASTER_KEY", None)
    if configured is not None and hasattr(configured, "replace"):
        configured.replace(key)
        return
    options = settings.DATABASES["default"].setdefault("OPTIONS", {})
    options.pop("key_file", None)
    options["key"] = key
    connection.settings_dict.setdefault("OPTIONS", {})
    connection.settings_dict["OPTIONS"].pop("key_file", None)
    connection.settings_dict["OPTIONS"]["key"] = key
