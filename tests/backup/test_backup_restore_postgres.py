"""Backups that restore everything, on PostgreSQL: pg_dump (custom format) inside the encrypted
archive, pg_restore into an empty database, the same checks as on SQLite."""

import json
import secrets
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection

from vigil.backup.archive import verify_backup
from vigil.backup.manifest import BackupInvalid
from vigil.backup.members import DUMP_NAME, SIGNING_KEY_NAME, evidence_arcname

from .drill import (
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

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (VIGIL_DATABASE_URL)")


@pytest.fixture
def installation(tmp_path, settings):
    return populate(tmp_path, settings)


def _server_url() -> str:
    params = connection.get_connection_params()
    user = params.get("user") or ""
    password = f":{params['password']}" if params.get("password") else ""
    host = params.get("host") or "localhost"
    port = f":{params['port']}" if params.get("port") else ""
    return f"postgres://{user}{password}@{host}{port}/postgres"


@pytest.fixture
def empty_database():
    """A new, empty database on the same server (dropped afterwards), as its URL."""
    name = f"vigil_restore_{secrets.token_hex(4)}"
    server = _server_url()
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(server)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgres_restore_drill_into_an_empty_database_passes_evidence_and_audit_verify(
    tmp_path, installation, empty_database
):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    assert result.manifest.engine == "postgresql"
    files = open_archive(result.path, identity)
    assert files[DUMP_NAME].startswith(b"PGDMP")  # pg_dump's custom format
    assert SIGNING_KEY_NAME in files
    for evidence in installation.evidence:
        assert evidence_arcname(evidence.stored_name) in files
    target = tmp_path / "restored"
    out = run_drill(result.path, identity_file, env_for(target, empty_database))
    assert "Restored the postgresql backup" in out["restore"]
    assert "2 evidence file(s) with their SHA-256 checked" in out["restore"]
    assert "All 2 evidence file(s) match their SHA-256." in out["evidence"]
    # Commands that audit sign a checkpoint as they finish; the explicit checkpoint adds one.
    audited = checkpoints_in(out["audit"], "consistent with")
    assert audited >= 1
    assert checkpoints_in(out["audit-again"], "consistent with") > audited
    assert (target / SIGNING_KEY_NAME).read_bytes() == installation.signing_key.read_bytes()
    with psycopg.connect(empty_database) as restored:
        persons = restored.execute("SELECT count(*) FROM records_person").fetchone()[0]
    assert persons == result.manifest.row_counts["records_person"] >= 1
    # The history round-trips: the batch row of the bulk write and the versions it holds.
    assert result.manifest.row_counts["core_versionbatch"] == 1
    assert history_seen(env_for(target, empty_database)) == history_seen()


def test_postgres_restore_refuses_a_database_holding_vigil_tables_and_writes_nothing(
    tmp_path, installation, empty_database
):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    env = env_for(tmp_path / "first", empty_database)
    done = vigil_cli(env, "backup", "restore", str(result.path), "--identity", str(identity_file))
    assert done.returncode == 0, done.stderr
    target = tmp_path / "second"
    done = vigil_cli(
        env_for(target, empty_database),
        "backup",
        "restore",
        str(result.path),
        "--identity",
        str(identity_file),
    )
    assert done.returncode == 2
    assert "already holds" in done.stderr and "Vigil table(s)" in done.stderr
    assert "Traceback" not in done.stderr
    assert not target.exists()


def test_postgres_restore_of_a_corrupted_archive_leaves_the_database_empty(
    tmp_path, installation, empty_database
):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    result.path.write_bytes(bytes(data))
    target = tmp_path / "restored"
    done = vigil_cli(
        env_for(target, empty_database),
        "backup",
        "restore",
        str(result.path),
        "--identity",
        str(identity_file),
    )
    assert done.returncode == 2
    assert "does not decrypt" in done.stderr
    assert not target.exists()
    with psycopg.connect(empty_database) as restored:
        tables = restored.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    assert tables == 0


def test_postgres_backup_verify_fails_when_evidence_or_the_signing_key_is_missing(
    tmp_path, installation
):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    files = open_archive(result.path, identity)
    for gone in (evidence_arcname(installation.evidence[0].stored_name), SIGNING_KEY_NAME):
        reseal(result.path, identity, files, drop=gone)
        with pytest.raises(BackupInvalid, match=f"missing 1 file.*{gone}"):
            verify_backup(result.path, [identity_file])
    reseal(result.path, identity, files, drop=SIGNING_KEY_NAME, unlist=True)
    with pytest.raises(BackupInvalid, match="not the audit signing key"):
        verify_backup(result.path, [identity_file])


def test_postgres_restore_accepts_a_database_whose_only_tables_are_not_vigils(
    tmp_path, installation, empty_database
):
    with psycopg.connect(empty_database, autocommit=True) as other:
        other.execute("CREATE TABLE fictional_unrelated (id integer)")
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    env = env_for(tmp_path / "restored", empty_database)
    done = vigil_cli(env, "backup", "restore", str(result.path), "--identity", str(identity_file))
    assert done.returncode == 0, done.stderr
    with psycopg.connect(empty_database) as restored:
        kept = restored.execute("SELECT count(*) FROM fictional_unrelated").fetchone()[0]
        persons = restored.execute("SELECT count(*) FROM records_person").fetchone()[0]
    assert kept == 0 and persons == result.manifest.row_counts["records_person"]


def test_restore_refuses_a_backup_of_the_other_engine_naming_the_setting(
    tmp_path, installation, empty_database
):
    identity, identity_file = key_holder(tmp_path)
    result = backup(tmp_path, identity)
    files = open_archive(result.path, identity)
    manifest = json.loads(files["manifest.json"])
    manifest["engine"] = "sqlite"
    files["manifest.json"] = json.dumps(manifest).encode()
    reseal(result.path, identity, files)
    target = tmp_path / "restored"
    done = vigil_cli(
        env_for(target, empty_database),
        "backup",
        "restore",
        str(result.path),
        "--identity",
        str(identity_file),
    )
    assert done.returncode == 2
    assert "backup of a sqlite database but Vigil is configured for postgresql" in done.stderr
    assert "unset VIGIL_DATABASE_URL" in done.stderr
    assert not target.exists()
