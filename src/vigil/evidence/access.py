"""Reading evidence: the original for those allowed, metadata-free shared copies, handling log."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from vigil.audit.services import audit
from vigil.core.errors import Forbidden
from vigil.evidence.errors import EvidenceFileMissing, IntegrityFailed
from vigil.evidence.handling import DOWNLOAD, EXPORT, SHARE, VIEW, record_handling
from vigil.evidence.models import EvidenceKey
from vigil.evidence.storage import iter_decrypted, parse_identity, stored_path
from vigil.evidence.strip import stripped_image
from vigil.policy.access import allows
from vigil.records.models import Evidence

if TYPE_CHECKING:
    from vigil.accounts.types import User

# The policy action each purpose needs: seeing the file, or sending it outside Vigil.
PURPOSES = {VIEW: "view", DOWNLOAD: "view", EXPORT: "export", SHARE: "export"}


def check_access(evidence: Evidence, user: User, purpose: str) -> None:
    """Raise Forbidden (and audit the denial) unless ``user`` may use the file for ``purpose``."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}; expected one of {tuple(PURPOSES)}")
    action = PURPOSES[purpose]
    if not allows(user, action, evidence):
        audit("denied", actor=user, obj=evidence, action=action)
        raise Forbidden(f"You may not {action} this evidence file.")


def _identity(evidence: Evidence) -> Any:
    key = EvidenceKey.objects.filter(evidence_id=evidence.pk).first()
    if key is None:
        raise EvidenceFileMissing(f"Evidence {evidence.pk} has no stored file key.")
    return parse_identity(key.identity)


def _label(evidence: Evidence) -> str:
    return f"evidence {evidence.pk}"


def original_chunks(evidence: Evidence) -> Iterator[bytes]:
    """The original bytes, decrypted chunk by chunk (no policy check, no handling-log entry)."""
    path = stored_path(evidence.stored_name)
    return iter_decrypted(path, _identity(evidence), _label(evidence))


def open_original(evidence: Evidence, user: User, purpose: str) -> Iterator[bytes]:
    """The original, unaltered bytes for ``user``; appends a handling-log entry for ``purpose``."""
    if purpose == SHARE:
        raise ValueError("a shared copy comes from shared_copy(), never the original")
    check_access(evidence, user, purpose)
    chunks = original_chunks(evidence)
    record_handling(evidence, purpose, actor=user, sha256=evidence.sha256)
    return chunks


def shared_copy(evidence: Evidence, user: User) -> bytes:
    """A copy of an image with its metadata (EXIF, GPS...) removed; handling-log entry "share"."""
    check_access(evidence, user, SHARE)
    original = b"".join(original_chunks(evidence))
    if hashlib.sha256(original).hexdigest() != evidence.sha256:
        raise IntegrityFailed(f"The stored file of {_label(evidence)} fails its SHA-256 check.")
    copy = stripped_image(original, evidence.content_type)
    record_handling(evidence, SHARE, actor=user, sha256=hashlib.sha256(copy).hexdigest())
    return copy
