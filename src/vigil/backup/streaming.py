"""A tar streamed through age, both ways, with no plaintext tar on disk.

Writing: a thread writes the tar into a pipe that age encrypts into the backup file. Reading:
a thread decrypts the backup into a pipe that is read as a tar stream, member by member, so
the evidence store is never held twice (tar and extracted files) while a backup is checked.
"""

from __future__ import annotations

import os
import tarfile
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pyrage

from vigil.backup.manifest import BackupInvalid


def _worker(task: Callable[[], None]) -> tuple[threading.Thread, list[BaseException]]:
    failures: list[BaseException] = []

    def run() -> None:
        try:
            task()
        except BaseException as exc:  # handed to the caller's thread
            failures.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, failures


def encrypt_tar(
    members: Iterable[tuple[str, Path]], dest: Path, recipients: Sequence[Any]
) -> None:
    """Write a tar of ``members`` (archive path, file) age-encrypted to ``dest`` (new file)."""
    read_fd, write_fd = os.pipe()

    def produce() -> None:
        with os.fdopen(write_fd, "wb") as pipe, tarfile.open(fileobj=pipe, mode="w|") as tar:
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)

    thread, failures = _worker(produce)
    try:
        with os.fdopen(read_fd, "rb") as pipe, dest.open("xb") as out:
            pyrage.encrypt_io(pipe, out, list(recipients))
            out.flush()
            os.fsync(out.fileno())
    finally:
        # Closing the read end (above) stops a producer blocked on a full pipe.
        thread.join()
    if failures:
        raise failures[0]


def decrypt_tar(
    path: Path,
    identities: Sequence[Any],
    folder: Path,
    accept: Callable[[tarfile.TarInfo], bool],
) -> None:
    """Decrypt ``path`` and extract its tar into ``folder``, refusing members ``accept`` rejects.

    BackupInvalid when the file does not decrypt (wrong identity, altered: age authenticates
    every 64 KiB chunk and the end) or the tar is damaged or holds a refused member.
    """
    read_fd, write_fd = os.pipe()

    def decrypt() -> None:
        with path.open("rb") as source, os.fdopen(write_fd, "wb") as pipe:
            pyrage.decrypt_io(source, pipe, list(identities))

    thread, failures = _worker(decrypt)
    problem: BackupInvalid | None = None
    refused = False
    try:
        with os.fdopen(read_fd, "rb") as pipe:
            try:
                with tarfile.open(fileobj=pipe, mode="r|") as tar:
                    for member in tar:
                        if not accept(member):
                            refused = True
                            break
                        tar.extract(member, folder, filter="data")
            except tarfile.TarError:
                problem = BackupInvalid("The backup's archive is damaged.")
            if not refused:
                # Read to the end, so that age authenticates the last chunk too.
                while pipe.read(1 << 16):
                    pass
    finally:
        thread.join()
    if refused:
        raise BackupInvalid("The backup holds an unexpected entry.")
    if failures:
        if isinstance(failures[0], (pyrage.DecryptError, OSError)):
            # pyrage reports a chunk that fails authentication mid-stream as an OSError.
            raise BackupInvalid(
                f"{path} does not decrypt with the identities given: wrong identity, or the "
                "file was altered."
            )
        raise failures[0]
    if problem is not None:
        raise problem
