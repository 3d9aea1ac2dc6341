import secrets
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from sqlcipher3 import dbapi2 as sqlcipher

from vigil.backup.keyring import database_keyring, master_key
from vigil.backup.models import OrganisationKey
from vigil.backup.rekey import rekey_from_source
from vigil.backup.rotation import rekey_master, rotate_org_key
from vigil.crypto import kdf
from vigil.crypto.envelope import token_version
from vigil.crypto.errors import DecryptionFailed
from vigil.crypto.keysource import KeySourceConfig, database_key


def _canaries(model, n=3):
    return {
        model.objects.create(contact=f"CANARY-{secrets.token_hex(6)}").pk: None for _ in range(n)
    }


def _fill(model, n=3):
    made = {}
    for _ in range(n):
        canary = f"CANARY-{secrets.token_hex(6)}"
        made[model.objects.create(contact=canary, identity=canary + "-id").pk] = canary
    return made


def _tokens(model):
    return list(model.objects.values_list("contact", "identity"))


def test_req3_keys_rotate_rewraps_every_data_key_without_data_loss(witness_model):
    made = _fill(witness_model)
    report = rotate_org_key([witness_model])
    assert report.values == 2 * len(made)
    assert report.new_version == 2 and report.old_versions == (1,)
    for pk, canary in made.items():
        loaded = witness_model.objects.get(pk=pk)
        assert (loaded.contact, loaded.identity) == (canary, canary + "-id")
    assert {token_version(t) for pair in _tokens(witness_model) for t in pair} == {2}


def test_req3_keys_rotate_leaves_no_old_version_material(witness_model):
    pk = witness_model.objects.create(contact="Fictional contact").pk
    old_token = witness_model.objects.values_list("contact", flat=True).get(pk=pk)
    rotate_org_key([witness_model])
    assert list(OrganisationKey.objects.values_list("version", flat=True)) == [2]
    loaded = witness_model.objects.get(pk=pk)
    loaded.__dict__["contact"] = old_token  # an old copy of the value, as kept by an adversary
    with pytest.raises(DecryptionFailed, match="version 1 is not available"):
        loaded.contact  # noqa: B018


def test_req3_values_saved_after_rotation_use_the_new_version(witness_model):
    rotate_org_key([witness_model])
    rotate_org_key([witness_model])
    w = witness_model.objects.create(contact="Fictional contact")
    assert token_version(witness_model.objects.values_list("contact", flat=True).get(pk=w.pk)) == 3


def test_req3_vigil_keys_rotate_command_reports_the_new_version(witness_model):
    out = StringIO()
    call_command("keys", "rotate", stdout=out)
    assert "Organisation key now version 2" in out.getvalue()


def _opens(path: Path, key: bytes) -> bool:
    conn = sqlcipher.connect(str(path))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher.DatabaseError:
        return False
    finally:
        conn.close()


@pytest.fixture
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the database key (PRAGMA rekey) applies to the embedded SQLCipher database")


def test_req3_keys_rotate_rekey_changes_the_database_key_without_data_loss(
    witness_model_tx, _sqlite_only
):
    made = _fill(witness_model_tx)
    old_key = master_key()
    config = settings.KEY_SOURCE_CONFIG
    assert config.source == "keyfile"
    rotate_org_key([witness_model_tx])
    rekey_from_source(config)
    new_key = master_key()
    assert new_key != old_key
    assert database_key(config) == new_key  # the keyfile now holds the new key
    db = Path(connection.settings_dict["NAME"])
    assert _opens(db, new_key) and not _opens(db, old_key)
    connection.close()
    database_keyring().forget()
    for pk, canary in made.items():
        assert witness_model_tx.objects.get(pk=pk).contact == canary


def test_req3_rekey_to_a_new_passphrase_derives_the_key_with_argon2id(
    witness_model_tx, _sqlite_only, tmp_path, monkeypatch
):
    monkeypatch.setattr(kdf, "DEFAULT_MEMORY_COST", 1024)
    monkeypatch.setattr(kdf, "DEFAULT_TIME_COST", 1)
    made = _fill(witness_model_tx, 2)
    old_key = master_key()
    config = KeySourceConfig(
        source="passphrase", header_path=tmp_path / "vigil.kdf.json", key_file=tmp_path / "k"
    )
    new_pass = "fictional new passphrase for key holders"
    answers = [new_pass, new_pass]
    try:
        rekey_from_source(config, prompt=lambda _: answers.pop(0))
        assert database_key(config, prompt=lambda _: new_pass) == master_key()
        connection.close()
        database_keyring().forget()
        for pk, canary in made.items():
            assert witness_model_tx.objects.get(pk=pk).contact == canary
    finally:
        rekey_master(old_key)


@pytest.mark.django_db
def test_a_first_key_made_anew_is_not_served_from_the_process_cache():
    """A database emptied (a flush, a restore) and given a new first key: the process keyring
    unwraps the new version 1, not the old one it cached (which the data would not open)."""
    keyring = database_keyring()
    _, first = keyring.current()
    OrganisationKey.objects.all().delete()
    _, again = keyring.current()
    assert again != first
    assert keyring.key(1) == again
