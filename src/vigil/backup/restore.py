"""`vigil backup restore`: a backup into an empty data folder (and, on PostgreSQL, an empty
database), then the checks a restored Vigil must pass before anyone relies on it.

Nothing is written to the target until the whole archive has decrypted and passed
``check_archive`` in a staging folder inside the data folder (owner-only, removed afterwards):
a damaged or altered backup leaves the target as it was.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from vigil.backup import pg_tools
from vigil.backup.archive import (
    backup_key,
    check_archive,
    evidence_dir,
    open_archive,
    signing_key_path,
)
from vigil.backup.audit_hook import audit_event
from vigil.backup.manifest import BackupInvalid, Manifest
from vigil.backup.members import (
    DB_NAME,
    DUMP_NAME,
    EVIDENCE_PREFIX,
    HEADER_NAME,
    SIGNING_KEY_NAME,
    is_evidence,
)
from vigil.backup.progress import progress
from vigil.core.errors import VigilError
from vigil.core.keys import create_secret_key
from vigil.crypto.envelope import fingerprint
from vigil.crypto.keyholders import read_identities
from vigil.crypto.keysource import LazyMasterKey

STAGING_PREFIX = ".vigil-restore-"


@dataclass(frozen=True)
class RestoreReport:
    """A restored installation and what its checks found."""

    data_dir: Path
    manifest: Manifest
    evidence_checked: int
    audit_size: int
    audit_checkpoints: int

    def summary(self) -> str:
        """One line for the operator."""
        counts = self.manifest.row_counts
        return (
            f"Restored the {self.manifest.engine} backup made {self.manifest.created_at} into "
            f"{self.data_dir}: {sum(counts.values())} rows in {len(counts)} tables (integrity "
            f"and row counts checked), {self.evidence_checked} evidence file(s) with their "
            f"SHA-256 checked, audit log of {self.audit_size} entries verified against "
            f"{self.audit_checkpoints} signed checkpoint(s)."
        )


def _data_dir() -> Path:
    return Path(settings.DATA_DIR)


def _keyfile_in_use() -> Path | None:
    config = getattr(settings, "KEY_SOURCE_CONFIG", None)
    if config is not None and getattr(config, "source", "") == "keyfile":
        return Path(config.key_file)
    return None


def _targets() -> dict[str, Path]:
    """Where each fixed archive member goes on this installation."""
    config = getattr(settings, "KEY_SOURCE_CONFIG", None)
    header = Path(getattr(config, "header_path", _data_dir() / HEADER_NAME))
    targets = {HEADER_NAME: header, SIGNING_KEY_NAME: signing_key_path()}
    if connection.vendor == "sqlite":
        targets[DB_NAME] = Path(connection.settings_dict["NAME"])
    return targets


def require_empty_target() -> None:
    """Refuse a data folder holding anything but the keyfile the key source reads."""
    data_dir = _data_dir()
    keyfile = _keyfile_in_use()
    if data_dir.exists():
        if not data_dir.is_dir():
            raise BackupInvalid(f"VIGIL_DATA_DIR {data_dir} is not a folder.")
        present = sorted(p.name for p in data_dir.iterdir() if keyfile is None or p != keyfile)
        if present:
            shown = ", ".join(present[:5]) + (" …" if len(present) > 5 else "")
            raise BackupInvalid(
                f"VIGIL_DATA_DIR {data_dir} is not empty ({shown}); a restore goes into an "
                "empty folder and never overwrites an installation. Point VIGIL_DATA_DIR at a "
                "new folder."
            )
    elsewhere = [p for p in [*_targets().values(), evidence_dir()] if p.exists()]
    if elsewhere:
        raise BackupInvalid(
            f"{elsewhere[0]} exists already; a restore never overwrites it. Move it away or "
            "point the setting that names it at a new path."
        )


def restore_backup(path: Path, identity_files: Sequence[Path]) -> RestoreReport:
    """Restore the backup at ``path`` into this (empty) installation and check the result."""
    identities = read_identities(identity_files)
    path = Path(path)
    if not path.is_file():
        raise BackupInvalid(f"No backup file at {path}.")
    require_empty_target()
    data_dir = _data_dir()
    created = not data_dir.exists()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=data_dir))
    try:
        manifest, folder = open_archive(path, identities, staging)
        _check_restorable(manifest)
        key = check_archive(manifest, folder)
        if manifest.engine == "postgresql":
            key = backup_key(folder)
            if fingerprint(key) != manifest.master_fingerprint:
                raise BackupInvalid(
                    "The backup was made under another master key: configure the key source "
                    "that gives that key (VIGIL_KEY_SOURCE and its settings)."
                )
            _load_postgres(manifest, folder / DUMP_NAME)
        _use_master_key(key)
        _place(folder, manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return check_restored(manifest)


def _check_restorable(manifest: Manifest) -> None:
    if manifest.format.endswith("/1"):
        raise BackupInvalid(
            "This backup was made by an older Vigil and holds the database only (no evidence "
            "files, no audit signing key); `vigil backup restore` needs a backup made by "
            "`vigil backup create` of this version."
        )
    if manifest.engine != connection.vendor:
        where = (
            "set VIGIL_DATABASE_URL to an empty PostgreSQL database"
            if manifest.engine == "postgresql"
            else "unset VIGIL_DATABASE_URL (the backup is of the embedded SQLite database)"
        )
        raise BackupInvalid(
            f"This is a backup of a {manifest.engine} database but Vigil is configured for "
            f"{connection.vendor}: {where}."
        )


def _load_postgres(manifest: Manifest, dump: Path) -> None:
    existing = pg_tools.existing_tables(set(manifest.row_counts))
    if existing:
        shown = ", ".join(existing[:5]) + (" …" if len(existing) > 5 else "")
        raise BackupInvalid(
            f"The target database already holds {len(existing)} Vigil table(s) ({shown}); "
            "restore into a new, empty database."
        )
    pg_tools.restore_dump(dump)


def _use_master_key(key: bytes | None) -> None:
    # With a passphrase, the key was derived once from the backup's header: keep it, so the
    # restored database opens without asking again (a passphrase descriptor is read once).
    configured = getattr(settings, "MASTER_KEY", None)
    if key is not None and isinstance(configured, LazyMasterKey):
        configured.replace(key)


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    shutil.move(str(source), str(target))
    target.chmod(0o600)


def _place(folder: Path, manifest: Manifest) -> None:
    """Move the checked files to where this installation reads them; the database last."""
    store = evidence_dir()
    evidence = sorted(n for n in manifest.names() if is_evidence(n))
    for name in progress(evidence, desc="restoring evidence", unit="file"):
        _move(folder / name, store / name.removeprefix(EVIDENCE_PREFIX))
    if store.exists():
        store.chmod(0o700)
    targets = _targets()
    for name in (SIGNING_KEY_NAME, HEADER_NAME, DB_NAME):
        if name in manifest.names() and name in targets:
            _move(folder / name, targets[name])
    # A new web secret: sessions of the old installation do not carry over (as after `init`).
    create_secret_key(_data_dir())


def check_restored(manifest: Manifest) -> RestoreReport:
    """The restored installation's own checks: row counts (PostgreSQL; SQLite's were checked
    on the staged copy with its integrity), every evidence file's SHA-256, the audit log."""
    from vigil.audit.verify import verify_log
    from vigil.evidence.verify import all_evidence, check_file

    data_dir = _data_dir()
    try:
        if manifest.engine == "postgresql":
            with connection.cursor() as cursor:
                counts = pg_tools.row_counts(cursor)
            # Tables that are not Vigil's may share the database; only the backup's count.
            differing = sorted(
                t for t in manifest.row_counts if counts.get(t) != manifest.row_counts[t]
            )
            if differing:
                differ = ", ".join(differing)
                raise BackupInvalid(f"row counts differ from the manifest in {differ}")
        checked = 0
        for evidence in progress(all_evidence(), desc="verifying evidence", unit="file"):
            result = check_file(evidence)
            if not result.ok:
                raise BackupInvalid(f"evidence {result.evidence_id}: {result.problem}")
            checked += 1
        audit = verify_log()
    except VigilError as exc:
        raise BackupInvalid(
            f"The backup was restored into {data_dir}, but the restored copy fails its checks: "
            f"{exc.message.rstrip('.')}. Do not rely on it."
        ) from None
    audit_event("restore", count=checked, size=audit.size, result="ok")
    return RestoreReport(data_dir, manifest, checked, audit.size, audit.checkpoints)

