"""Collect the static files once per set of files: `vigil serve` skips collectstatic (17 s of
compression here) when STATIC_ROOT already holds exactly what the finders would copy."""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command

STAMP = ".vigil-collected"
IGNORED = ["CVS", ".*", "*~"]  # collectstatic's own default ignore patterns


def _sources() -> dict[str, Path]:
    """Every file collectstatic would copy, by the name it gets under STATIC_ROOT (the first
    finder that has a name wins, as in collectstatic)."""
    found: dict[str, Path] = {}
    for finder in get_finders():
        for name, storage in finder.list(IGNORED):
            prefix = getattr(storage, "prefix", None) or ""
            key = f"{prefix}/{name}" if prefix else name
            found.setdefault(key.replace(os.sep, "/"), Path(storage.path(name)))
    return found


def fingerprint(sources: dict[str, Path]) -> str:
    """A digest of the names and contents of ``sources`` (:func:`_sources`) and of the storage
    that post-processes them (whitenoise's compression)."""
    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for name, path in sorted(sources.items()):
        digest.update(name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def is_current(root: Path, sources: dict[str, Path], expected: str) -> bool:
    """Whether ``root`` was collected from the files that give ``expected`` and still holds
    every one of ``sources``."""
    stamp = root / STAMP
    if not stamp.is_file() or stamp.read_text() != expected:
        return False
    return all((root / name).is_file() for name in sources)


def collect_static() -> bool:
    """Run collectstatic unless STATIC_ROOT is current; True when it collected. A collection
    clears the folder first (collectstatic alone keeps a copy newer than its source even when
    the contents differ, e.g. after a downgrade). Processes that share a STATIC_ROOT (several
    servers, or hosts on one volume) collect one at a time: they lock the folder itself."""
    root = Path(settings.STATIC_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    sources = _sources()
    expected = fingerprint(sources)
    if is_current(root, sources, expected):
        return False
    lock = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_current(root, sources, expected):  # another process collected meanwhile
            return False
        call_command("collectstatic", interactive=False, clear=True, verbosity=0)
        written = root / f"{STAMP}.{os.getpid()}"
        written.write_text(expected)
        written.replace(root / STAMP)
    finally:
        os.close(lock)  # releases the lock
    return True
