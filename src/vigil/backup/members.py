"""What a backup archive may hold, under which paths, and where each file goes on restore."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from vigil.backup.manifest import NAME

DB_NAME = "vigil.db"
DUMP_NAME = "vigil.pgdump"
HEADER_NAME = "vigil.kdf.json"
SIGNING_KEY_NAME = "audit-signing.key"
EVIDENCE_PREFIX = "evidence/"

TOP_LEVEL = frozenset({NAME, DB_NAME, DUMP_NAME, HEADER_NAME, SIGNING_KEY_NAME})
# The evidence store's own layout: a two-hex-digit folder, then the random stored name.
_EVIDENCE = re.compile(r"^evidence/([0-9a-f]{2})/([0-9a-f]{32,64})\.age$")


def allowed(name: str) -> bool:
    """Whether ``name`` is a path Vigil writes into a backup (anything else is refused)."""
    if name in TOP_LEVEL:
        return True
    match = _EVIDENCE.match(name)
    return match is not None and match.group(2).startswith(match.group(1))


def is_evidence(name: str) -> bool:
    """Whether ``name`` is a stored evidence file's path in the archive."""
    return name.startswith(EVIDENCE_PREFIX)


def evidence_arcname(stored_name: str) -> str:
    """The archive path of the stored file named ``stored_name``."""
    return f"{EVIDENCE_PREFIX}{stored_name[:2]}/{stored_name}.age"


def evidence_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(archive path, file) of every stored evidence file under ``folder``, sorted.

    Partial files of an upload in progress (``.part``) and anything Vigil did not name are left
    out: they belong to no evidence record.
    """
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*/*.age")):
        name = EVIDENCE_PREFIX + path.relative_to(folder).as_posix()
        if allowed(name) and path.is_file():
            yield name, path
