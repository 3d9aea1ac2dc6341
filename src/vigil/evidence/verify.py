"""`vigil evidence verify`: decrypt each stored file and recompute the SHA-256 of the original."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from vigil.core.errors import VigilError
from vigil.evidence.handling import VERIFY, record_handling
from vigil.evidence.models import EvidenceKey
from vigil.evidence.storage import decrypt_into, parse_identity, stored_path
from vigil.records.models import Evidence


@dataclass(frozen=True)
class FileCheck:
    """The result of checking one stored file."""

    evidence_id: str
    expected: str
    actual: str = ""
    size: int = 0
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem

    def line(self) -> str:
        """One line for the command's output."""
        if self.ok:
            return f"ok       {self.evidence_id} sha256 {self.expected}"
        return f"MISMATCH {self.evidence_id}: {self.problem}"


class _Counter:
    """A sink that hashes and counts what is written to it."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        return None


def check_file(evidence: Evidence) -> FileCheck:
    """Decrypt and hash the stored file of ``evidence`` and compare with what was recorded."""
    eid = str(evidence.pk)
    key = EvidenceKey.objects.filter(evidence_id=evidence.pk).first()
    if key is None:
        return FileCheck(eid, evidence.sha256, problem="no stored file key")
    counter = _Counter()
    try:
        path = stored_path(evidence.stored_name)
        decrypt_into(path, parse_identity(key.identity), counter, f"evidence {eid}")
    except VigilError as exc:
        return FileCheck(eid, evidence.sha256, problem=exc.message)
    actual = counter.digest.hexdigest()
    problem = ""
    if actual != evidence.sha256:
        problem = "SHA-256 differs"
    elif counter.size != evidence.size:
        problem = "size differs"
    return FileCheck(eid, evidence.sha256, actual, counter.size, problem)


def verify(evidence_list: Iterable[Evidence]) -> Iterator[FileCheck]:
    """Check each file, appending a "verify" handling-log entry with the hash found."""
    for evidence in evidence_list:
        check = check_file(evidence)
        record_handling(evidence, VERIFY, sha256=check.actual)
        yield check


def all_evidence() -> Iterator[Evidence]:
    """Every evidence record, deleted ones included (their files are kept too)."""
    return Evidence.all_objects.order_by("created_at", "id").iterator()
