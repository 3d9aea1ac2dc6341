"""Encrypted backups: a consistent copy plus manifest in a tar, age-encrypted to recipients."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyrage
from django.conf import settings
from django.db import connection

from vigil.backup.keyring import master_key
from vigil.backup.manifest import (
    NAME,
    BackupInvalid,
    Manifest,
    check_files,
    file_entry,
    sha256_file,
    sqlite_audit_head,
    sqlite_row_counts,
)
from vigil.backup.sqlite_copy import check_integrity, open_encrypted
from vigil.crypto.custody import parse_recipients, read_identities
from vigil.crypto.envelope import fingerprint

DB_NAME = "vigil.db"
DUMP_NAME = "vigil.pgdump"


@dataclass(frozen=True)
class BackupResult:
    """A written backup: where, its digest and its manifest."""

    path: Path
    sha256: str
    size: int
    manifest: Manifest


def key_header_path() -> Path | None:
    """The passphrase header, which a restore needs beside the database, if there is one."""
    config = getattr(settings, "KEY_SOURCE_CONFIG", None)
    path = getattr(config, "header_path", None)
    return Path(path) if path and Path(path).exists() else None


def create_backup(dest: Path, recipients: Sequence[str]) -> BackupResult:
    """Write an age-encrypted backup of the database to ``dest`` (refuses to overwrite)."""
    parsed = parse_recipients(recipients)
    dest = Path(dest)
    if dest.exists():
        raise BackupInvalid(f"{dest} exists; refusing to overwrite it.")
    master = master_key()
    work = Path(tempfile.mkdtemp(prefix="vigil-backup-", dir=_private_tmp()))
    try:
        payload = work / "payload"
        payload.mkdir(mode=0o700)
        if connection.vendor == "sqlite":
            manifest = _copy_sqlite(payload, master)
        elif connection.vendor == "postgresql":
            manifest = _dump_postgres(payload, master)
        else:
            raise BackupInvalid(f"Backups of {connection.vendor} databases are not supported.")
        header = key_header_path()
        if header is not None:
            shutil.copy2(header, payload / header.name)
        manifest.files = [file_entry(p) for p in sorted(payload.iterdir())]
        (payload / NAME).write_text(manifest.dumps(), encoding="utf-8")
        tar_path = work / "backup.tar"
        with tarfile.open(tar_path, "w") as tar:
            for path in sorted(payload.iterdir()):
                tar.add(path, arcname=path.name, recursive=False)
        partial = dest.with_name(dest.name + ".partial")
        pyrage.encrypt_file(str(tar_path), str(partial), parsed)
        os.replace(partial, dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BackupResult(dest, sha256_file(dest), dest.stat().st_size, manifest)


def _private_tmp() -> str | None:
    # A PostgreSQL dump is plaintext until encrypted: keep it in the owner-only data folder.
    data_dir = Path(getattr(settings, "DATA_DIR", "") or tempfile.gettempdir())
    return str(data_dir) if data_dir.is_dir() else None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _copy_sqlite(folder: Path, master: bytes) -> Manifest:
    copy = folder / DB_NAME
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupInvalid("A backup cannot be taken inside a transaction.")
    with connection.cursor() as cursor:
        # One read transaction: a consistent copy, encrypted with the same key.
        cursor.execute("VACUUM INTO %s", [str(copy)])
    with open_encrypted(copy, master) as conn:
        counts = sqlite_row_counts(conn)
        head = sqlite_audit_head(conn)
    return Manifest(
        engine="sqlite",
        created_at=_now(),
        master_fingerprint=fingerprint(master),
        row_counts=counts,
        audit_head=head,
    )


def _dump_postgres(folder: Path, master: bytes) -> Manifest:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupInvalid("pg_dump is not installed; install PostgreSQL's client tools.")
    params = connection.get_connection_params()
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    dump = folder / DUMP_NAME
    connection.ensure_connection()
    # pg_dump and the row counts read the same exported snapshot, so they agree.
    with connection.connection.transaction(), connection.connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        argv = [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"]
        for flag, key in (("--host", "host"), ("--port", "port"), ("--username", "user")):
            if params.get(key):
                argv.append(f"{flag}={params[key]}")
        argv.append(str(params.get("dbname") or connection.settings_dict["NAME"]))
        done = subprocess.run(argv, env=env, capture_output=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise BackupInvalid(f"pg_dump failed (exit status {done.returncode}).")
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        )
        counts = {}
        for (name,) in cursor.fetchall():
            quoted = '"' + name.replace('"', '""') + '"'
            # nosec B608: the table name comes from the catalogue and is quoted.
            cursor.execute(f"SELECT count(*) FROM {quoted}")  # noqa: S608  # nosec B608
            counts[name] = cursor.fetchone()[0]
    return Manifest(
        engine="postgresql",
        created_at=_now(),
        master_fingerprint=fingerprint(master),
        row_counts=counts,
    )


def verify_backup(path: Path, identity_files: Sequence[Path], key: bytes | None = None) -> Manifest:
    """Decrypt, check the manifest and test-restore the database; BackupInvalid on any mismatch."""
    identities = read_identities(identity_files)
    if not Path(path).is_file():
        raise BackupInvalid(f"No backup file at {path}.")
    work = Path(tempfile.mkdtemp(prefix="vigil-verify-", dir=_private_tmp()))
    try:
        tar_path = work / "backup.tar"
        try:
            pyrage.decrypt_file(str(path), str(tar_path), identities)
        except (pyrage.DecryptError, OSError):
            # pyrage reports a chunk that fails authentication mid-stream as an OSError.
            raise BackupInvalid(
                f"{path} does not decrypt with the identities given: wrong identity, or the "
                "file was altered."
            ) from None
        folder = work / "payload"
        _extract(tar_path, folder)
        manifest = Manifest.loads((folder / NAME).read_text(encoding="utf-8"))
        check_files(manifest, folder)
        if manifest.engine == "sqlite":
            _verify_sqlite(manifest, folder / DB_NAME, key if key is not None else master_key())
        elif manifest.engine == "postgresql":
            _verify_postgres(folder / DUMP_NAME)
        else:
            raise BackupInvalid(f"The backup names an unknown engine {manifest.engine!r}.")
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _extract(tar_path: Path, folder: Path) -> None:
    folder.mkdir(mode=0o700)
    try:
        with tarfile.open(tar_path, "r") as tar:
            for member in tar.getmembers():
                if not member.isfile() or "/" in member.name or member.name.startswith("."):
                    raise BackupInvalid("The backup holds an unexpected entry.")
            tar.extractall(folder, filter="data")
    except tarfile.TarError:
        raise BackupInvalid("The backup's archive is damaged.") from None
    if not (folder / NAME).exists():
        raise BackupInvalid("The backup has no manifest.")


def _verify_sqlite(manifest: Manifest, db: Path, key: bytes) -> None:
    if fingerprint(key) != manifest.master_fingerprint:
        raise BackupInvalid(
            "The backup was made under another master key: give that key (--key-file)."
        )
    with open_encrypted(db, key, key_confirmed=True) as conn:
        check_integrity(conn)
        counts = sqlite_row_counts(conn)
        if counts != manifest.row_counts:
            differing = sorted(
                t
                for t in set(counts) | set(manifest.row_counts)
                if counts.get(t) != manifest.row_counts.get(t)
            )
            raise BackupInvalid(f"Row counts differ from the manifest in: {', '.join(differing)}.")
        if sqlite_audit_head(conn) != manifest.audit_head:
            raise BackupInvalid("The audit log head differs from the manifest.")


def _verify_postgres(dump: Path) -> None:
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise BackupInvalid("pg_restore is not installed; install PostgreSQL's client tools.")
    done = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [pg_restore, "--list", str(dump)], capture_output=True, check=False
    )
    if done.returncode != 0:
        raise BackupInvalid("The PostgreSQL dump in the backup is not readable by pg_restore.")
