"""The backup manifest: files with SHA-256 and size, row counts per table, the audit head.

Format 2 lists every file of the archive by its path inside it (the database or dump, the key
header, the audit signing key, ``evidence/xx/NAME.age``) and carries ``extra``: metadata other
parts of Vigil add (see ``archive.manifest_extra``). Format 1 backups (database only) still
verify.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from vigil.core.errors import VigilError

FORMAT = "vigil-backup/2"
READABLE_FORMATS = ("vigil-backup/1", FORMAT)
NAME = "manifest.json"
AUDIT_HEAD_TABLE = "audit_audithead"


class BackupInvalid(VigilError):
    """A backup does not prove itself: it does not decrypt, or does not match its manifest."""


@dataclass(frozen=True)
class FileEntry:
    name: str
    size: int
    sha256: str


@dataclass
class Manifest:
    """What a backup holds, written inside it."""

    engine: str
    created_at: str
    master_fingerprint: str
    files: list[FileEntry] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    audit_head: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    audit_anchor: dict[str, Any] | None = None  # signed, for `vigil audit verify --anchor`
    format: str = FORMAT

    def names(self) -> set[str]:
        """The archive paths of every listed file."""
        return {f.name for f in self.files}

    def dumps(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def loads(cls, text: str) -> Manifest:
        try:
            data = json.loads(text)
            if data.get("format") not in READABLE_FORMATS:
                raise BackupInvalid(
                    f"The backup's manifest is not in a format this Vigil reads "
                    f"({', '.join(READABLE_FORMATS)})."
                )
            files = [FileEntry(**f) for f in data.pop("files")]
            return cls(files=files, **data)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise BackupInvalid("The backup's manifest is malformed.") from exc


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_entry(path: Path, name: str | None = None) -> FileEntry:
    """The manifest entry of one file, under its archive path ``name`` (default: its name)."""
    return FileEntry(
        name=name or path.name, size=path.stat().st_size, sha256=sha256_file(path)
    )


def _some(names: set[str]) -> str:
    shown = sorted(names)[:3]
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return ", ".join(shown) + more


def present_files(folder: Path) -> set[str]:
    """Archive paths of the files under an extracted ``folder``, the manifest excepted."""
    return {
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
    } - {NAME}


def check_files(manifest: Manifest, folder: Path, progress: Any = None) -> None:
    """Every listed file present with its size and digest, and nothing else."""
    listed = manifest.names()
    present = present_files(folder)
    missing = listed - present
    if missing:
        raise BackupInvalid(
            f"The backup is missing {len(missing)} file(s) its manifest lists: {_some(missing)}."
        )
    if present - listed:
        raise BackupInvalid(
            f"The backup holds other files than its manifest lists: {_some(present - listed)}."
        )
    entries = progress(manifest.files) if progress else manifest.files
    for entry in entries:
        path = folder / entry.name
        if path.stat().st_size != entry.size or sha256_file(path) != entry.sha256:
            raise BackupInvalid(f"{entry.name} in the backup does not match its SHA-256.")


def sqlite_row_counts(conn: Any) -> dict[str, int]:
    """Rows per table of an open SQLite/SQLCipher connection."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    counts = {}
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        # Table names come from sqlite_master and are quoted: not user input.
        sql = f"SELECT count(*) FROM {quoted}"  # noqa: S608  # nosec B608
        counts[name] = conn.execute(sql).fetchone()[0]
    return counts


def sqlite_audit_head(conn: Any) -> dict[str, Any] | None:
    """The audit log's size and head hash, when the database has an audit log."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (AUDIT_HEAD_TABLE,)
    ).fetchone()
    if not exists:
        return None
    sql = f"SELECT size, head_hash FROM {AUDIT_HEAD_TABLE} WHERE id = 1"  # noqa: S608  # nosec B608 (a constant)
    row = conn.execute(sql).fetchone()
    return {"size": 0, "head_hash": ""} if row is None else {"size": row[0], "head_hash": row[1]}
