"""Ingest: stream an upload once, hashing and encrypting it as it passes, and record it."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

import pyrage
from django.db import transaction

from vigil.core.context import current_context
from vigil.core.errors import VigilError
from vigil.evidence.errors import UploadRefused, UploadTooLarge
from vigil.evidence.handling import INGEST, record_handling
from vigil.evidence.limits import max_upload_bytes
from vigil.evidence.models import EvidenceKey
from vigil.evidence.sniff import HEAD_BYTES, sniff
from vigil.evidence.storage import new_identity, new_stored_name, stored_path, write_encrypted
from vigil.records.models import Evidence, Source

CHUNK = 64 * 1024
NAME_LENGTH = 300


class HashingReader:
    """Wraps an upload: hands out bounded chunks, hashing, counting and capping as it goes."""

    def __init__(self, source: Any, limit: int) -> None:
        self.source = source
        self.limit = limit
        self.digest = hashlib.sha256()
        self.size = 0
        self.head = bytearray()
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        """At most ``size`` (and at most one chunk) of the upload's bytes."""
        want = CHUNK if size is None or size < 0 else min(size, CHUNK)
        try:
            data = self.source.read(want)
            if isinstance(data, str):
                raise UploadRefused("The upload must be opened in binary mode.")
            self.size += len(data)
            if self.size > self.limit:
                raise UploadTooLarge(
                    f"The file is larger than the {self.limit // (1024 * 1024)} MB limit "
                    "(VIGIL_MAX_UPLOAD_MB); nothing was stored."
                )
        except BaseException as exc:
            self.error = exc
            raise
        self.digest.update(data)
        if len(self.head) < HEAD_BYTES:
            self.head += data[: HEAD_BYTES - len(self.head)]
        return bytes(data)


def clean_name(original_name: str) -> str:
    """The original file name as kept for display: last path part, no control characters."""
    name = PureWindowsPath(PurePosixPath(original_name or "").name).name
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    return name[:NAME_LENGTH] or "unnamed"


def _refusal(reader: HashingReader) -> VigilError:
    if isinstance(reader.error, VigilError):
        return reader.error
    return UploadRefused("The upload could not be read to the end; nothing was stored.")


def ingest(
    source: Source,
    fileobj: Any,
    original_name: str,
    *,
    declared_type: str | None = None,
    description: str = "",
) -> Evidence:
    """Store ``fileobj`` as evidence of ``source``: SHA-256 of the original, encrypted at rest.

    The upload is read once, in chunks; nothing of ``original_name`` reaches a path. The
    content type comes from the bytes (``declared_type`` counts only for plain text).
    """
    current_context()  # fail before writing anything when no one is accountable
    reader = HashingReader(fileobj, max_upload_bytes())
    evidence = Evidence(
        source=source,
        original_name=clean_name(original_name),
        stored_name=new_stored_name(),
        description=description,
        confidentiality=source.confidentiality,
    )
    identity = new_identity()
    path = stored_path(evidence.stored_name)
    try:
        write_encrypted(reader, path, identity)
    except pyrage.EncryptError:
        raise _refusal(reader) from None
    try:
        if reader.size == 0:
            raise UploadRefused("The file is empty; nothing was stored.")
        evidence.sha256 = reader.digest.hexdigest()
        evidence.size = reader.size
        evidence.content_type = sniff(
            bytes(reader.head), complete=reader.size <= HEAD_BYTES, declared=declared_type
        )
        with transaction.atomic():
            evidence.save()
            EvidenceKey.objects.create(evidence=evidence, identity=str(identity))
            record_handling(evidence, INGEST, sha256=evidence.sha256)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return evidence
