import io
import json
import secrets
import sqlite3
import tarfile
from io import StringIO
from pathlib import Path

import pyrage
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from pyrage import x25519

from vigil.backup.archive import create_backup, verify_backup
from vigil.backup.keyring import master_key
from vigil.backup.manifest import BackupInvalid, sha256_file
from vigil.core.context import change_context
from vigil.crypto.keysource import database_key
from vigil.records.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the test restore here opens the embedded SQLCipher database")


@pytest.fixture(autouse=True)
def _own_evidence_store_and_signing_key(settings, tmp_path):
    # Backups now hold the evidence store and the audit signing key: keep other tests' files
    # (in the session's shared data folder) out of these archives.
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "audit-signing.key"


@pytest.fixture
def key_holder(tmp_path):
    identity = x25519.Identity.generate()
    path = tmp_path / "keyholder.identity"
    path.write_text(f"{identity}\n")
    return identity, path


@pytest.fixture
def canary():
    value = f"CANARY-{secrets.token_hex(8)}"
    with change_context("test"):
        Person.objects.create(display_name="Fictional Witness Example", notes=value)
    return value


def _backup(tmp_path, key_holder):
    identity, _ = key_holder
    return create_backup(tmp_path / "vigil.backup.age", [str(identity.to_public())])


def _open(path: Path, identity) -> dict[str, bytes]:
    tar = tarfile.open(fileobj=io.BytesIO(pyrage.decrypt(path.read_bytes(), [identity])))
    return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def _reseal(path: Path, identity, files: dict[str, bytes], rehash: bool = True) -> None:
    """Write a new backup with altered contents, as someone holding a recipient could."""
    manifest = json.loads(files["manifest.json"])
    if rehash:
        for entry in manifest["files"]:
            import hashlib

            entry["sha256"] = hashlib.sha256(files[entry["name"]]).hexdigest()
            entry["size"] = len(files[entry["name"]])
    files["manifest.json"] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(pyrage.encrypt(buffer.getvalue(), [identity.to_public()]))


def test_req4_backup_verify_proves_a_fresh_backup_by_test_restore(tmp_path, key_holder, canary):
    result = _backup(tmp_path, key_holder)
    assert result.sha256 == sha256_file(result.path)
    assert result.manifest.row_counts["records_person"] >= 1
    manifest = verify_backup(result.path, [key_holder[1]])
    assert manifest.row_counts == result.manifest.row_counts
    # Every audit entry is sealed with a key derived from the signing key, so a record that was
    # audited has one, and the backup carries it.
    assert {f.name for f in manifest.files} == {"vigil.db", "audit-signing.key"}


def test_req4_backup_is_age_encrypted_and_its_database_copy_stays_encrypted(
    tmp_path, key_holder, canary
):
    result = _backup(tmp_path, key_holder)
    assert result.path.read_bytes().startswith(b"age-encryption.org/v1")
    files = _open(result.path, key_holder[0])
    assert canary.encode() not in files["vigil.db"]
    copy = tmp_path / "copy.db"
    copy.write_bytes(files["vigil.db"])
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(copy).execute("SELECT count(*) FROM sqlite_master").fetchall()


def test_req4_one_flipped_byte_in_the_backup_file_fails_verify(tmp_path, key_holder, canary):
    result = _backup(tmp_path, key_holder)
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    result.path.write_bytes(bytes(data))
    with pytest.raises(BackupInvalid, match="does not decrypt"):
        verify_backup(result.path, [key_holder[1]])


def test_req4_flipped_byte_in_the_database_fails_the_manifest_digest(tmp_path, key_holder, canary):
    result = _backup(tmp_path, key_holder)
    files = _open(result.path, key_holder[0])
    db = bytearray(files["vigil.db"])
    db[5000] ^= 0x01
    files["vigil.db"] = bytes(db)
    _reseal(result.path, key_holder[0], files, rehash=False)
    with pytest.raises(BackupInvalid, match="does not match its SHA-256"):
        verify_backup(result.path, [key_holder[1]])


def test_req4_flipped_byte_in_the_schema_page_is_reported_as_damage_not_a_wrong_key(
    tmp_path, key_holder, canary
):
    result = _backup(tmp_path, key_holder)
    files = _open(result.path, key_holder[0])
    db = bytearray(files["vigil.db"])
    db[200] ^= 0x01  # page 1: the schema every open reads first
    files["vigil.db"] = bytes(db)
    _reseal(result.path, key_holder[0], files)
    with pytest.raises(BackupInvalid, match="damaged"):
        verify_backup(result.path, [key_holder[1]])


def test_req4_flipped_byte_with_a_rehashed_manifest_fails_the_integrity_check(
    tmp_path, key_holder, canary
):
    result = _backup(tmp_path, key_holder)
    files = _open(result.path, key_holder[0])
    db = bytearray(files["vigil.db"])
    db[len(db) - 100] ^= 0x01
    files["vigil.db"] = bytes(db)
    _reseal(result.path, key_holder[0], files)
    with pytest.raises(BackupInvalid, match="damaged|page authentication|integrity"):
        verify_backup(result.path, [key_holder[1]])


def test_req4_row_counts_differing_from_the_manifest_fail_verify(tmp_path, key_holder, canary):
    result = _backup(tmp_path, key_holder)
    files = _open(result.path, key_holder[0])
    manifest = json.loads(files["manifest.json"])
    manifest["row_counts"]["records_person"] += 1
    files["manifest.json"] = json.dumps(manifest).encode()
    _reseal(result.path, key_holder[0], files)
    with pytest.raises(BackupInvalid, match="records_person"):
        verify_backup(result.path, [key_holder[1]])


def test_req4_audit_head_differing_from_the_manifest_fails_verify(tmp_path, key_holder, canary):
    result = _backup(tmp_path, key_holder)
    files = _open(result.path, key_holder[0])
    manifest = json.loads(files["manifest.json"])
    manifest["audit_head"] = {"size": 7, "head_hash": "0" * 64}
    files["manifest.json"] = json.dumps(manifest).encode()
    _reseal(result.path, key_holder[0], files)
    with pytest.raises(BackupInvalid, match="audit log head"):
        verify_backup(result.path, [key_holder[1]])


def test_req4_extra_file_in_the_backup_fails_verify(tmp_path, key_holder, canary):
    result = _backup(tmp_path, key_holder)
    files = _open(result.path, key_holder[0])
    files["extra.sql"] = b"-- planted"
    _reseal(result.path, key_holder[0], files)
    with pytest.raises(BackupInvalid, match="other files"):
        verify_backup(result.path, [key_holder[1]])


def test_req4_wrong_identity_or_wrong_key_fails_verify(tmp_path, key_holder, canary):
    result = _backup(tmp_path, key_holder)
    stranger = tmp_path / "stranger.identity"
    stranger.write_text(f"{x25519.Identity.generate()}\n")
    with pytest.raises(BackupInvalid, match="does not decrypt"):
        verify_backup(result.path, [stranger])
    with pytest.raises(BackupInvalid, match="another master key"):
        verify_backup(result.path, [key_holder[1]], key=secrets.token_bytes(32))


def test_req4_backup_refuses_to_overwrite_and_needs_a_recipient(tmp_path, key_holder):
    result = _backup(tmp_path, key_holder)
    with pytest.raises(BackupInvalid, match="refusing to overwrite"):
        _backup(tmp_path, key_holder)
    from vigil.crypto.errors import KeyBackupError

    with pytest.raises(KeyBackupError, match="recipient"):
        create_backup(tmp_path / "other.age", [])
    assert result.path.exists()


def test_req4_vigil_backup_commands_create_and_verify(tmp_path, key_holder, canary):
    identity, identity_file = key_holder
    target = tmp_path / "cli.age"
    out = StringIO()
    call_command(
        "backup",
        "create",
        "--to",
        str(target),
        "--recipient",
        str(identity.to_public()),
        stdout=out,
    )
    assert "Backup written" in out.getvalue()
    out = StringIO()
    call_command("backup", "verify", str(target), "--identity", str(identity_file), stdout=out)
    assert "Backup verified" in out.getvalue()
    data = bytearray(target.read_bytes())
    data[-10] ^= 0x80
    target.write_bytes(bytes(data))
    with pytest.raises(BackupInvalid):
        call_command("backup", "verify", str(target), "--identity", str(identity_file))


def test_req3_vigil_keys_rotate_rekey_replaces_the_database_key(tmp_path, key_holder):
    old_key = master_key()
    call_command("keys", "rotate", "--rekey", stdout=StringIO())
    new_key = master_key()
    assert new_key != old_key
    assert database_key(settings.KEY_SOURCE_CONFIG) == new_key
    result = _backup(tmp_path, key_holder)
    with pytest.raises(BackupInvalid, match="another master key"):
        verify_backup(result.path, [key_holder[1]], key=old_key)
    assert verify_backup(result.path, [key_holder[1]]).row_counts == result.manifest.row_counts
