"""Encrypted backups: the database, the evidence store, the audit signing key and the key
header, with a SHA-256 manifest, in a tar age-encrypted to recipients; and their verification."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections

from vigil.audit.errors import AuditError
from vigil.backup import pg_tools
from vigil.backup.audit_hook import head_anchor
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
from vigil.backup.members import (
    DB_NAME,
    DUMP_NAME,
    HEADER_NAME,
    SIGNING_KEY_NAME,
    allowed,
    evidence_arcname,
    evidence_files,
)
from vigil.backup.progress import progress
from vigil.backup.sqlite_copy import check_integrity, open_encrypted
from vigil.backup.streaming import decrypt_tar, encrypt_tar
from vigil.core import replica
from vigil.crypto.envelope import fingerprint
from vigil.crypto.keyholders import parse_recipients, read_identities
from vigil.crypto.keysource import KeySourceConfig, database_key

__all__ = ["DB_NAME", "DUMP_NAME", "BackupResult", "create_backup", "verify_backup"]

CHECKPOINT_TABLE = "audit_auditcheckpoint"
EVIDENCE_TABLE = "records_evidence"
# How long a backup waits for the replica to replay the primary's writes before dumping the
# primary instead.
BACKUP_CATCH_UP_SECONDS = 60.0


@dataclass(frozen=True)
class BackupResult:
    """A written backup: where, its digest and its manifest."""

    path: Path
    sha256: str
    size: int
    manifest: Manifest
    # Where the database copy was read: "primary", or "replica" (VIGIL_DATABASE_REPLICA_URL).
    source: str = "primary"


def key_header_path() -> Path | None:
    """The passphrase header, which a restore needs beside the database, if there is one."""
    config = getattr(settings, "KEY_SOURCE_CONFIG", None)
    path = getattr(config, "header_path", None)
    return Path(path) if path and Path(path).exists() else None


def signing_key_path() -> Path:
    """Where this installation's audit signing key lives (it may not exist yet)."""
    from vigil.audit.signing import key_path

    return key_path()


def evidence_dir() -> Path:
    """The evidence store (settings.EVIDENCE_DIR)."""
    return Path(settings.EVIDENCE_DIR)


def manifest_extra(manifest: Manifest) -> dict[str, Any]:
    """Extra metadata written into every backup's manifest (``manifest.extra``).

    The one place to add facts a backup should carry beyond its files, row counts and audit
    head (for example an anchor of the audit log's head): return them keyed by a name of their
    own; verification leaves keys it does not know alone.
    """
    return {}


def create_backup(dest: Path, recipients: Sequence[str]) -> BackupResult:
    """Write an age-encrypted backup to ``dest`` (refuses to overwrite): the database, the key
    header, the audit signing key and every stored evidence file, with a SHA-256 manifest."""
    parsed = parse_recipients(recipients)
    dest = Path(dest)
    if dest.exists():
        raise BackupInvalid(f"{dest} exists; refusing to overwrite it.")
    master = master_key()
    try:  # before the copy: the copy holds at least the anchored entries
        anchor = head_anchor()
    except AuditError as unsigned:  # checkpoints exist but their signing key is gone
        raise BackupInvalid(str(unsigned)) from unsigned
    work = Path(tempfile.mkdtemp(prefix="vigil-backup-", dir=_private_tmp()))
    try:
        payload = work / "payload"
        payload.mkdir(mode=0o700)
        # The database first: every evidence row in it has its file on disk already (files are
        # written before their row), so the evidence listed afterwards covers them all.
        source = DEFAULT_DB_ALIAS
        if connection.vendor == "sqlite":
            manifest = _copy_sqlite(payload, master)
        elif connection.vendor == "postgresql":
            source = _dump_source()
            manifest = _dump_postgres(payload, master, source)
        else:
            raise BackupInvalid(f"Backups of {connection.vendor} databases are not supported.")
        manifest.audit_anchor = anchor
        sources = [(p.name, p) for p in sorted(payload.iterdir())]
        header = key_header_path()
        if header is not None:
            sources.append((HEADER_NAME, header))
        signing = signing_key_path()
        if signing.exists():
            sources.append((SIGNING_KEY_NAME, signing))
        elif manifest.row_counts.get(CHECKPOINT_TABLE, 0):
            raise BackupInvalid(
                f"The audit log has signed checkpoints but the signing key {signing} is "
                "missing: put it back (from an earlier backup) before backing up, or the "
                "backup's audit log could not be verified."
            )
        sources.extend(evidence_files(evidence_dir()))
        manifest.files = [
            file_entry(path, name)
            for name, path in progress(sources, desc="hashing", unit="file")
        ]
        manifest.extra = manifest_extra(manifest)
        (payload / NAME).write_text(manifest.dumps(), encoding="utf-8")
        members = [(NAME, payload / NAME), *sources]
        partial = dest.with_name(dest.name + ".partial")
        if partial.exists():
            raise BackupInvalid(
                f"{partial} exists: another backup is being written, or one was interrupted "
                "(then remove it)."
            )
        try:
            encrypt_tar(progress(members, desc="archiving", unit="file"), partial, parsed)
            os.replace(partial, dest)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    where = "replica" if source == replica.REPLICA else "primary"
    return BackupResult(dest, sha256_file(dest), dest.stat().st_size, manifest, where)


def _dump_source() -> str:
    """The replica when one is configured, reachable and has replayed everything the primary
    had written when the backup began (so the dump holds at least the anchored audit head);
    else the primary, with a warning in the log."""
    if replica.available() and replica.wait_for_replay(BACKUP_CATCH_UP_SECONDS):
        return replica.REPLICA
    return DEFAULT_DB_ALIAS


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


def _dump_postgres(folder: Path, master: bytes, alias: str = DEFAULT_DB_ALIAS) -> Manifest:
    pg_dump = pg_tools.find_tool("pg_dump")
    flags, env, dbname = pg_tools.connection_argv(alias)
    dump = folder / DUMP_NAME
    source = connections[alias]
    source.ensure_connection()
    # pg_dump and the row counts read the same exported snapshot, so they agree (a standby
    # exports snapshots too: the dump is then read from the replica, not the primary).
    with source.connection.transaction(), source.connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        argv = [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"]
        argv += [*flags, dbname]
        done = subprocess.run(argv, env=env, capture_output=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise BackupInvalid(f"pg_dump failed (exit status {done.returncode}).")
        counts = pg_tools.row_counts(cursor)
    return Manifest(
        engine="postgresql",
        created_at=_now(),
        master_fingerprint=fingerprint(master),
        row_counts=counts,
    )


def verify_backup(path: Path, identity_files: Sequence[Path], key: bytes | None = None) -> Manifest:
    """Decrypt, check the manifest and test-restore the database; BackupInvalid on any mismatch."""
    identities = read_identities(identity_files)
    work = Path(tempfile.mkdtemp(prefix="vigil-verify-", dir=_private_tmp()))
    try:
        manifest, folder = open_archive(Path(path), identities, work)
        check_archive(manifest, folder, key)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def open_archive(path: Path, identities: Sequence[Any], work: Path) -> tuple[Manifest, Path]:
    """Decrypt ``path`` and extract it under ``work``; the manifest and the extracted folder."""
    if not path.is_file():
        raise BackupInvalid(f"No backup file at {path}.")
    folder = work / "payload"
    folder.mkdir(mode=0o700)
    decrypt_tar(path, identities, folder, _acceptable)
    for sub in folder.rglob("*"):
        sub.chmod(0o700 if sub.is_dir() else 0o600)
    if not (folder / NAME).exists():
        raise BackupInvalid("The backup has no manifest.")
    manifest = Manifest.loads((folder / NAME).read_text(encoding="utf-8"))
    return manifest, folder


def check_archive(manifest: Manifest, folder: Path, key: bytes | None = None) -> bytes | None:
    """Every check an extracted backup must pass before it is trusted or restored.

    The files match the manifest (none missing, none added, every SHA-256); the database opens
    with the master key, passes its integrity checks and has the manifest's row counts; an
    audit log with signed checkpoints comes with its signing key; and (SQLite) every evidence
    record's stored file is in the backup. Returns the master key the database opened with.
    """
    unknown = sorted(n for n in manifest.names() if not allowed(n))
    if unknown:
        raise BackupInvalid(f"The backup's manifest lists an unexpected file {unknown[0][:80]!r}.")
    check_files(manifest, folder, progress=lambda f: progress(f, desc="checking", unit="file"))
    if manifest.engine == "sqlite":
        key = key if key is not None else backup_key(folder)
        stored = _verify_sqlite(manifest, folder / DB_NAME, key)
        _check_evidence_listed(manifest, stored)
    elif manifest.engine == "postgresql":
        pg_tools.check_dump(folder / DUMP_NAME)
    else:
        raise BackupInvalid(f"The backup names an unknown engine {manifest.engine!r}.")
    _check_signing_key(manifest)
    return key


def backup_key(folder: Path) -> bytes:
    """The master key to open the backup's database with.

    With a passphrase, the key comes from the backup's own key header when it differs from this
    installation's (or this installation has none yet, as before a restore); otherwise it is
    the installation's master key.
    """
    config = getattr(settings, "KEY_SOURCE_CONFIG", None)
    header = folder / HEADER_NAME
    if isinstance(config, KeySourceConfig) and config.source == "passphrase" and header.exists():
        live = key_header_path()
        if live is None or live.read_bytes() != header.read_bytes():
            return database_key(dataclasses.replace(config, header_path=header))
    return master_key()


def _check_signing_key(manifest: Manifest) -> None:
    if manifest.format.endswith("/1"):
        return  # format 1 backups never held the key (restore refuses them)
    if manifest.row_counts.get(CHECKPOINT_TABLE, 0) and SIGNING_KEY_NAME not in manifest.names():
        raise BackupInvalid(
            f"The backup holds {manifest.row_counts[CHECKPOINT_TABLE]} signed audit "
            "checkpoint(s) but not the audit signing key: its audit log could not be verified "
            "after a restore."
        )


def _check_evidence_listed(manifest: Manifest, stored_names: list[str]) -> None:
    if manifest.format.endswith("/1"):
        return  # format 1 backups held the database only
    names = manifest.names()
    missing = [n for n in stored_names if evidence_arcname(n) not in names]
    if missing:
        shown = ", ".join(evidence_arcname(n) for n in missing[:3])
        raise BackupInvalid(
            f"The backup lacks {len(missing)} stored evidence file(s) its database lists: "
            f"{shown}{' …' if len(missing) > 3 else ''}."
        )


def _acceptable(member: tarfile.TarInfo) -> bool:
    # Only regular files under plain relative paths; which paths are Vigil's is checked
    # against the manifest afterwards (an extra file is reported by name there).
    parts = member.name.split("/")
    return member.isfile() and not any(p in ("", "..") or p.startswith(".") for p in parts)


def _verify_sqlite(manifest: Manifest, db: Path, key: bytes) -> list[str]:
    """Check the database copy; return the stored names of its evidence records."""
    if fingerprint(key) != manifest.master_fingerprint:
        raise BackupInvalid(
            "The backup was made under another master key: give that key (`backup verify "
            "--key-file`; for a restore, configure the key source that gives it)."
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
        if EVIDENCE_TABLE not in counts:
            return []
        sql = f"SELECT stored_name FROM {EVIDENCE_TABLE}"  # noqa: S608  # nosec B608 (a constant)
        return [row[0] for row in conn.execute(sql)]
