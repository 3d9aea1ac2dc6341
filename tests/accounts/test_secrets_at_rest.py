"""TOTP secrets are encrypted at rest on every backend; the other account secrets are digests."""

from __future__ import annotations

import time
import uuid

import pyotp
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from vigil.accounts import recovery, totp
from vigil.accounts.models import TOTPDevice
from vigil.accounts.tokens import create_token

BEFORE = ("accounts", "0002_second_factor_sessions_tokens")


def _raw_secret(device_id: uuid.UUID) -> str:
    with connection.cursor() as cursor:
        key = device_id.hex if connection.vendor == "sqlite" else device_id
        cursor.execute("SELECT secret FROM accounts_totpdevice WHERE id = %s", [key])
        return str(cursor.fetchone()[0])


def _every_accounts_cell() -> str:
    """Every value of every accounts table, as the database stores it."""
    cells: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if not table.startswith("accounts_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            cells += [str(value) for row in cursor.fetchall() for value in row]
    return "\n".join(cells)


@pytest.mark.django_db
def test_req2_totp_secret_never_reaches_the_column_in_plaintext(device):
    raw = _raw_secret(device.pk)
    assert device.secret not in raw
    assert device.secret.lower() not in raw.lower()
    assert TOTPDevice.objects.get(pk=device.pk).secret == device.secret


@pytest.mark.django_db
def test_req2_totp_secret_copied_to_another_device_fails_to_decrypt(device, make_user):
    other = TOTPDevice.objects.create(
        user=make_user("fictional-second"), secret=pyotp.random_base32(32)
    )
    with connection.cursor() as cursor:
        key = other.pk.hex if connection.vendor == "sqlite" else other.pk
        cursor.execute(
            "UPDATE accounts_totpdevice SET secret = %s WHERE id = %s",
            [_raw_secret(device.pk), key],
        )
    with pytest.raises(Exception):  # noqa: B017 - any decryption failure, never the secret
        _ = TOTPDevice.objects.get(pk=other.pk).secret


@pytest.mark.django_db
def test_req2_totp_secret_cannot_be_filtered_or_bulk_updated_in_plaintext(device):
    with pytest.raises(Exception):  # noqa: B017 - the database never sees the secret
        TOTPDevice.objects.filter(secret=device.secret).exists()
    with pytest.raises(Exception):  # noqa: B017
        TOTPDevice.objects.filter(pk=device.pk).update(secret="JBSWY3DPEHPK3PXP")


@pytest.mark.django_db
def test_req6_sign_in_with_an_encrypted_secret_works_and_replay_is_refused(
    client, user, device, password, sign_in
):
    fresh = TOTPDevice.objects.get(pk=device.pk)  # secret read back from the ciphertext
    code = pyotp.TOTP(fresh.secret).now()
    sign_in(client, user, password)
    assert client.post("/accounts/2fa/", {"code": code, "next": "/"})["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    sign_in(client, user, password)
    replay = client.post("/accounts/2fa/", {"code": code, "next": "/"})
    assert replay.status_code == 200 and "not valid" in replay.content.decode()
    assert client.get("/")["Location"].startswith("/accounts/2fa/")


@pytest.mark.django_db
def test_req2_no_account_secret_is_stored_in_clear(user, device):
    codes = recovery.regenerate(user)
    _, raw_token = create_token(user, "fictional laptop")
    stored = _every_accounts_cell()
    assert device.secret not in stored
    for code in codes:
        assert code not in stored and recovery.normalise(code) not in stored
    assert raw_token not in stored
    assert user.username in stored  # the dump did read the tables


@pytest.mark.slow  # ~1.8 s a run on a quiet 2-core machine
@pytest.mark.django_db(transaction=True)
def test_req2_migration_keeps_existing_devices_and_encrypts_their_secrets():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    user = old.get_model("accounts", "User").objects.create(
        username="fictional-upgraded", password="!", role="analyst"
    )
    secret = pyotp.random_base32(32)
    enrolled = timezone.now() - timezone.timedelta(days=30)
    now = time.time()
    used_step = pyotp.TOTP(secret).timecode(now)
    legacy = old.get_model("accounts", "TOTPDevice").objects.create(
        user_id=user.pk, secret=secret, confirmed_at=enrolled, last_used_step=used_step
    )
    old.get_model("accounts", "TOTPDevice").objects.filter(pk=legacy.pk).update(created_at=enrolled)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    device = TOTPDevice.objects.get(user_id=user.pk)
    assert isinstance(device.pk, uuid.UUID)
    assert secret not in _raw_secret(device.pk)
    assert device.secret == secret
    assert device.confirmed_at == enrolled and device.created_at == enrolled
    assert device.last_used_step == used_step
    code_used_before = pyotp.TOTP(secret).at(now)
    assert not totp.verify(device, code_used_before, at=now)  # no used code becomes valid again
    assert totp.verify(device, pyotp.TOTP(secret).at(now + 30), at=now + 30)
