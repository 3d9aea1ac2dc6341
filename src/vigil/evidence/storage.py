"""Where stored files live and how they are encrypted: one age file per evidence, own key.

Each file is encrypted with age (``pyrage``: X25519 recipient, ChaCha20-Poly1305 in 64 KiB
authenticated chunks) to a fresh identity made for that file alone. The identity is kept in an
encrypted database field (``EvidenceKey``) wrapped by the organisation key, so rotating keys
re-wraps it and a copy of the evidence folder alone is ciphertext.
"""

from __future__ import annotations

import os
import queue
import re
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pyrage
from django.conf import settings
from pyrage import x25519

from vigil.evidence.errors import EvidenceFileMissing, IntegrityFailed

SUFFIX = ".age"
_NAME = re.compile(r"^[0-9a-f]{32,64}$")
_BATCH = 256 * 1024
_END = object()


class Sink(Protocol):
    """Something plaintext is written to."""

    def write(self, data: bytes) -> int: ...


def evidence_dir() -> Path:
    """The folder stored evidence lives in (settings.EVIDENCE_DIR, never a served path)."""
    return Path(settings.EVIDENCE_DIR)


def new_stored_name() -> str:
    """A random stored name: nothing of the user's file name or content reaches a path."""
    return secrets.token_hex(20)


def stored_path(stored_name: str) -> Path:
    """The path of a stored file; refuses any name Vigil did not generate."""
    if not _NAME.match(stored_name):
        raise IntegrityFailed(f"The stored name {stored_name!r} is not one Vigil generates.")
    return evidence_dir() / stored_name[:2] / (stored_name + SUFFIX)


def new_identity() -> x25519.Identity:
    """A fresh age identity for one file."""
    return x25519.Identity.generate()


def parse_identity(text: str) -> x25519.Identity:
    """The age identity stored for a file."""
    return x25519.Identity.from_str(text)


def write_encrypted(reader: Any, path: Path, identity: x25519.Identity) -> None:
    """Encrypt everything ``reader`` yields into ``path``, atomically (all or nothing)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            pyrage.encrypt_io(reader, out, [identity.to_public()])
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def decrypt_into(path: Path, identity: x25519.Identity, sink: Sink, what: str) -> None:
    """Decrypt ``path`` chunk by chunk into ``sink``; IntegrityFailed if it was altered."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise EvidenceFileMissing(f"The stored file of {what} is missing.") from None
    with handle:
        try:
            pyrage.decrypt_io(handle, sink, [identity])
        except (pyrage.DecryptError, OSError):
            # pyrage reports a bad chunk as an OSError, and so a reader that went away.
            if getattr(sink, "stopped", False):
                raise _Stopped from None
            raise IntegrityFailed(
                f"The stored file of {what} does not decrypt: it was altered, truncated or "
                "cannot be read."
            ) from None


class _Stopped(Exception):
    """The reader of a decrypting stream went away."""


class _QueueSink:
    """Batches decrypted bytes into a bounded queue; gives up when the reader left."""

    def __init__(self, out: queue.Queue[Any], stop: threading.Event) -> None:
        self.out = out
        self.stop = stop
        self.buffer = bytearray()
        self.stopped = False

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= _BATCH:
            self.push(bytes(self.buffer))
            self.buffer.clear()
        return len(data)

    def flush(self) -> None:
        return None

    def push(self, item: Any) -> None:
        while True:
            if self.stop.is_set():
                self.stopped = True
                raise _Stopped
            try:
                self.out.put(item, timeout=0.1)
                return
            except queue.Full:
                continue


def iter_decrypted(path: Path, identity: x25519.Identity, what: str) -> Iterator[bytes]:
    """The plaintext of ``path`` as a stream of chunks, never whole in memory or on disk."""
    if not path.exists():
        raise EvidenceFileMissing(f"The stored file of {what} is missing.")
    # pyrage pushes plaintext into a writer; a thread turns that into chunks a response pulls.
    out: queue.Queue[Any] = queue.Queue(maxsize=8)
    stop = threading.Event()
    sink = _QueueSink(out, stop)

    def run() -> None:
        try:
            decrypt_into(path, identity, sink, what)
            if sink.buffer:
                sink.push(bytes(sink.buffer))
            sink.push(_END)
        except _Stopped:
            return
        except BaseException as exc:
            try:
                sink.push(exc)
            except _Stopped:
                return

    return _drain(threading.Thread(target=run, daemon=True), out, stop)


def _drain(
    worker: threading.Thread, out: queue.Queue[Any], stop: threading.Event
) -> Iterator[bytes]:
    worker.start()
    try:
        while True:
            item = out.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join(timeout=5)
