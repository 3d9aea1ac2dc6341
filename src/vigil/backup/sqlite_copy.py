"""Opening an SQLCipher copy with a raw key, outside Django."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher

from vigil.backup.manifest import BackupInvalid


@contextmanager
def open_encrypted(path: Path, key: bytes, *, key_confirmed: bool = False) -> Iterator[Any]:
    """A read-only SQLCipher connection to ``path`` keyed with ``key``.

    With ``key_confirmed`` (the key's fingerprint matched the manifest's), a database that does
    not open is damaged: an altered page holding the schema fails like a wrong key would.
    """
    conn = sqlcipher.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError:
            if key_confirmed:
                raise BackupInvalid(
                    "The database in the backup is damaged: it does not open with the key it "
                    "was made under."
                ) from None
            raise BackupInvalid(
                "The database in the backup does not open with this key (wrong key, or altered)."
            ) from None
        yield conn
    finally:
        conn.close()


def check_integrity(conn: Any) -> None:
    """SQLCipher's page authentication and SQLite's integrity check both pass."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlcipher.DatabaseError:
        raise BackupInvalid("The database in the backup is damaged.") from None
    if problems:
        raise BackupInvalid(
            f"The database in the backup fails page authentication ({len(problems)} problems)."
        )
    if result != ["ok"]:
        raise BackupInvalid("The database in the backup fails SQLite's integrity check.")
