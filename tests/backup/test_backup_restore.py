"""Backups that restore everything (issue 16): the database, the evidence store, the audit
signing key and the key header, checked on restore by `evidence verify --all` and `audit verify`.
"""

import json

import pytest
from django.db import connection

from vigil.backup.archive import verify_backup
from vigil.backup.manifest import BackupInvalid, sha256_file
from vigil.backup.members import SIGNING_KEY_NAME, evidence_arcname

from .drill import (
    OPERATOR,
    backup,
    checkpoints_in,
    env_for,
    history_seen,
    key_holder,
    open_archive,
    populate,
    reseal,
    run_drill,
    vigil_cli,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("restores embedded SQLCipher (PostgreSQL: test_backup_restore_postgres)")


@pytest.fixture
def installation(tmp_path, settings):
    return populate(tmp_path, settings)


def test_backup_holds_the_database_evidence_and_signing_key_each_with_its_sha256(
    tmp_path, installation
):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    files = open_archive(result.path, identity)
    listed = {f.name: f for f in result.manifest.files}
    stored = {evidence_arcname(e.stored_name) for e in installation.evidence}
    assert stored <= set(listed)
    assert {"vigil.db", SIGNING_KEY_NAME} <= set(listed)
    assert set(files) == set(listed) | {"manifest.json"}
    assert files[SIGNING_KEY_NAME] == installation.signing_key.read_bytes()
    for name, entry in listed.items():
        assert entry.size == len(files[name])
    for evidence in installation.evidence:
        path = installation.evidence_dir / evidence.stored_name[:2] / f"{evidence.stored_name}.age"
        assert listed[evidence_arcname(evidence.stored_name)].sha256 == sha256_file(path)
    manifest = verify_backup(result.path, [identity_file])
    assert manifest.names() == set(listed)
    assert json.loads(files["manifest.json"])["format"] == "vigil-backup/2"


@pytest.mark.slow  # a backup, a restore into a new folder and both verifications as processes: ~5 s
def test_restore_drill_into_an_empty_folder_passes_evidence_verify_and_audit_verify(
    tmp_path, installation
):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    target = tmp_path / "restored"
    env = env_for(target)
    out = run_drill(result.path, identity_file, env)
    assert "2 evidence files" in out["verify"]
    assert "2 evidence file(s) with their SHA-256 checked" in out["restore"]
    restored = checkpoints_in(out["restore"], "verified against")
    assert restored >= 1
    assert "All 2 evidence file(s) match their SHA-256." in out["evidence"]
    # Commands that audit sign a checkpoint as they finish, so the count grows by the drill's
    # own commands; the explicit checkpoint adds one more.
    audited = checkpoints_in(out["audit"], "consistent with")
    assert audited >= restored
    assert checkpoints_in(out["audit-again"], "consistent with") > audited
    # The checkpoint after the restore was signed with the restored key, not a new one.
    assert (target / SIGNING_KEY_NAME).read_bytes() == installation.signing_key.read_bytes()
    assert (target / SIGNING_KEY_NAME).stat().st_mode & 0o077 == 0
    assert (target / "vigil.db").exists()
    assert (target / "secret_key").stat().st_mode & 0o077 == 0
    assert not [p for p in target.iterdir() if p.name.startswith(".vigil-restore-")]
    # The history round-trips: the batch row of the bulk write and the versions it holds.
    assert result.manifest.row_counts["core_versionbatch"] == 1
    assert history_seen(env) == history_seen()
    for evidence in installation.evidence:
        restored = target / "evidence" / evidence.stored_name[:2] / f"{evidence.stored_name}.age"
        original = installation.evidence_dir / restored.relative_to(target / "evidence")
        assert restored.read_bytes() == original.read_bytes()


@pytest.mark.slow  # ~1.1 s a run on a quiet 2-core machine
def test_verify_fails_when_an_evidence_file_is_missing_from_the_archive(tmp_path, installation):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    files = open_archive(result.path, identity)
    gone = evidence_arcname(installation.evidence[1].stored_name)
    reseal(result.path, identity, files, drop=gone)
    with pytest.raises(BackupInvalid, match=f"missing 1 file.*{gone}"):
        verify_backup(result.path, [identity_file])
    # Also taken out of the manifest: the database still lists the file.
    reseal(result.path, identity, files, drop=gone, unlist=True)
    with pytest.raises(BackupInvalid, match=f"lacks 1 stored evidence file.*{gone}"):
        verify_backup(result.path, [identity_file])
    done = vigil_cli(
        env_for(tmp_path / "elsewhere"),
        "backup",
        "verify",
        str(result.path),
        "--identity",
        str(identity_file),
    )
    assert done.returncode == 2
    assert "lacks 1 stored evidence file" in done.stderr
    assert "Traceback" not in done.stderr


def test_verify_fails_when_the_signing_key_is_missing_from_the_archive(tmp_path, installation):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    files = open_archive(result.path, identity)
    reseal(result.path, identity, files, drop=SIGNING_KEY_NAME)
    with pytest.raises(BackupInvalid, match=f"missing 1 file.*{SIGNING_KEY_NAME}"):
        verify_backup(result.path, [identity_file])
    reseal(result.path, identity, files, drop=SIGNING_KEY_NAME, unlist=True)
    with pytest.raises(BackupInvalid, match="checkpoint.*not the audit signing key"):
        verify_backup(result.path, [identity_file])


def test_backup_create_refuses_when_checkpoints_exist_but_the_signing_key_is_gone(
    tmp_path, installation
):
    identity, _ = key_holder(tmp_path)
    installation.signing_key.unlink()
    with pytest.raises(BackupInvalid, match="signing key .* is missing"):
        backup(tmp_path, identity)
    assert not (tmp_path / "vigil-backup.age").exists()


def test_restore_refuses_a_non_empty_folder_and_leaves_it_alone(tmp_path, installation):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    target = tmp_path / "in-use"
    target.mkdir()
    (target / "notes.txt").write_text("someone's file\n")
    done = vigil_cli(
        env_for(target), "backup", "restore", str(result.path), "--identity", str(identity_file)
    )
    assert done.returncode == 2
    assert "is not empty (notes.txt)" in done.stderr
    assert "Traceback" not in done.stderr
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


@pytest.mark.slow  # ~0.8 s a run on a quiet 2-core machine
@pytest.mark.parametrize("damage", ["flipped-byte", "altered-evidence", "wrong-identity"])
def test_restore_refuses_a_corrupted_archive_and_writes_nothing(tmp_path, installation, damage):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    if damage == "flipped-byte":
        data = bytearray(result.path.read_bytes())
        data[len(data) // 2] ^= 0x01
        result.path.write_bytes(bytes(data))
        expected = "does not decrypt"
    elif damage == "altered-evidence":
        files = open_archive(result.path, identity)
        name = evidence_arcname(installation.evidence[0].stored_name)
        files[name] = files[name][:-1] + bytes([files[name][-1] ^ 1])
        reseal(result.path, identity, files, rehash=False)
        expected = f"{name} in the backup does not match its SHA-256"
    else:
        (tmp_path / "stranger").mkdir()
        _, identity_file = key_holder(tmp_path / "stranger")
        expected = "does not decrypt"
    target = tmp_path / "restored"
    done = vigil_cli(
        env_for(target), "backup", "restore", str(result.path), "--identity", str(identity_file)
    )
    assert done.returncode == 2
    assert expected in done.stderr
    assert "Traceback" not in done.stderr
    assert not target.exists()


@pytest.mark.slow  # ~1.8 s a run on a quiet 2-core machine
def test_checkpoint_on_a_restored_copy_without_its_key_refuses_instead_of_making_one(
    tmp_path, installation
):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    target = tmp_path / "restored"
    env = env_for(target)
    done = vigil_cli(env, "backup", "restore", str(result.path), "--identity", str(identity_file))
    assert done.returncode == 0, done.stderr
    (target / SIGNING_KEY_NAME).unlink()
    done = vigil_cli(env, "audit", "checkpoint")
    assert done.returncode == 2
    assert "signing key" in done.stderr and "is missing" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (target / SIGNING_KEY_NAME).exists()



@pytest.mark.slow
def test_passphrase_installation_restore_drill_entirely_from_the_command_line(tmp_path):
    """docs/operations.md's drill on a passphrase-keyed installation: the key header travels
    in the backup and the restored database opens with the same passphrase."""
    passphrase = tmp_path / "passphrase.txt"
    passphrase.write_text("fictional drill passphrase 1\n")
    identity, identity_file = key_holder(tmp_path)
    source_dir, target = tmp_path / "live", tmp_path / "restored"

    def run(data_dir, *args):
        with passphrase.open() as handle:
            env = env_for(data_dir)
            env.update(VIGIL_KEY_SOURCE="passphrase", VIGIL_PASSPHRASE_FD=str(handle.fileno()))
            del env["VIGIL_KEYFILE"]
            done = vigil_cli(env, *args, pass_fds=(handle.fileno(),))
        assert done.returncode == 0, f"vigil {' '.join(args)}: {done.stdout}{done.stderr}"
        return done.stdout

    run(source_dir, "init")
    run(source_dir, "users", "add", OPERATOR, "--role", "admin")
    source_id = run(source_dir, "shell", "-c", NEW_SOURCE).split()[-1]
    statement = tmp_path / "statement.txt"
    statement.write_text("fictional statement\n" * 100)
    run(source_dir, "evidence", "add", str(statement), "--source", source_id, "--as", OPERATOR)
    run(source_dir, "audit", "checkpoint")
    archive = tmp_path / "vigil-drill.age"
    recipient = str(identity.to_public())
    run(source_dir, "backup", "create", "--to", str(archive), "--recipient", recipient)
    restored = run(target, "backup", "restore", str(archive), "--identity", str(identity_file))
    assert "1 evidence file(s) with their SHA-256 checked" in restored
    assert (target / "vigil.kdf.json").read_bytes() == (source_dir / "vigil.kdf.json").read_bytes()
    checked = run(target, "evidence", "verify", "--all", "--as", OPERATOR)
    assert "All 1 evidence file(s) match" in checked
    assert checkpoints_in(run(target, "audit", "verify"), "consistent with") >= 1


NEW_SOURCE = (
    "from vigil.core.context import change_context\n"
    "from vigil.records.models import Source\n"
    "with change_context('test', detail='restore drill'):\n"
    "    s = Source(title='Fictional drill source'); s.save()\n"
    "print(s.pk)\n"
)


@pytest.mark.slow  # ~1.0 s a run on a quiet 2-core machine
def test_a_format_1_backup_still_verifies_but_restore_refuses_it_clearly(tmp_path, installation):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    files = open_archive(result.path, identity)
    manifest = json.loads(files["manifest.json"])
    manifest["format"] = "vigil-backup/1"
    del manifest["extra"]
    manifest["files"] = [f for f in manifest["files"] if f["name"] == "vigil.db"]
    old = {"vigil.db": files["vigil.db"], "manifest.json": json.dumps(manifest).encode()}
    reseal(result.path, identity, old)
    assert verify_backup(result.path, [identity_file]).format == "vigil-backup/1"
    target = tmp_path / "restored"
    done = vigil_cli(
        env_for(target), "backup", "restore", str(result.path), "--identity", str(identity_file)
    )
    assert done.returncode == 2
    assert "made by an older Vigil" in done.stderr
    assert not target.exists()


@pytest.mark.slow  # ~1.0 s a run on a quiet 2-core machine
def test_restore_accepts_a_folder_holding_only_the_keyfile_its_key_source_reads(
    tmp_path, installation, settings
):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    target = tmp_path / "restored"
    target.mkdir(mode=0o700)
    keyfile = target / "vigil.key"
    keyfile.write_bytes(settings.KEY_FILE.read_bytes())
    env = dict(env_for(target), VIGIL_KEYFILE=str(keyfile))
    done = vigil_cli(env, "backup", "restore", str(result.path), "--identity", str(identity_file))
    assert done.returncode == 0, done.stderr
    assert "2 evidence file(s) with their SHA-256 checked" in done.stdout
