"""Schemas of sources, their evidence files, and information (a source supporting a fact)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args
from uuid import UUID

from ninja import Field, Schema

from vigil.api.schemas.common import (
    Code,
    ConfidentialityLevel,
    DatesIn,
    Note,
    Precision,
    RecordMeta,
    Ref,
    Search,
    TermOut,
    Url,
    Version,
    nonempty,
    text,
)

SourceTitle = Annotated[str, nonempty(500)]
Publisher = Annotated[str, text(300)]
ClaimKindValue = Literal["source_text", "reader_comment", "derived"]
TargetType = Literal["person", "organisation", "event", "act", "case", "intervention", "statistic"]
CLAIM_KINDS: tuple[ClaimKindValue, ...] = get_args(ClaimKindValue)
WITNESS = "Write-only: stored encrypted, never returned; read only through an audited reveal."


class SourceCreate(DatesIn):
    """A new source; a witness (person or contact) makes it restricted."""

    title: SourceTitle
    source_type: Code | None = Field(None, description="A key of the source_type vocabulary.")
    reliability: Code | None = Field(None, description="source_reliability vocabulary key.")
    url: Url = ""
    publisher: Publisher = ""
    citation: Note = ""
    notes: Note = ""
    source_person: UUID | None = Field(None, description=WITNESS)
    witness_contact: Note | None = Field(None, description=WITNESS)
    confidentiality: ConfidentialityLevel = "internal"


class SourceUpdate(DatesIn):
    """A change to a source; changing the witness needs the right to reveal it."""

    version: Version
    title: SourceTitle | None = None
    source_type: Code | None = None
    reliability: Code | None = None
    url: Url | None = None
    publisher: Publisher | None = None
    citation: Note | None = None
    notes: Note | None = None
    source_person: UUID | None = Field(None, description=WITNESS)
    witness_contact: Note | None = Field(None, description=WITNESS)
    confidentiality: ConfidentialityLevel | None = None


class EvidenceOut(Schema):
    """A stored evidence file: its name, size and SHA-256 computed at ingest."""

    id: UUID
    original_name: str
    sha256: str
    size: int
    content_type: str
    description: str


class SourceOut(RecordMeta):
    """A source as the API shows it: never who the witness is or how to reach them."""

    title: str
    source_type: TermOut | None
    reliability: TermOut | None
    url: str
    publisher: str
    citation: str
    notes: str
    date: dt.date | None
    date_precision: Precision
    date_end: dt.date | None
    evidence: list[EvidenceOut]


class SourceFilters(Schema):
    """Filters of the sources list."""

    q: Search | None = None
    source_type: Code | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    confidentiality: ConfidentialityLevel | None = None


class TargetOut(Schema):
    """The fact a source supports."""

    type: TargetType
    id: UUID


class InformationCreate(Schema):
    """A citation: this source supports that fact; by default as confidential as the source."""

    source: UUID
    target_type: TargetType
    target_id: UUID
    claim_kind: ClaimKindValue = "source_text"
    quote: Note = ""
    reliability: Code | None = None
    note: Note = ""
    confidentiality: ConfidentialityLevel | None = None


class InformationUpdate(Schema):
    """A change to a citation (another source or fact is another citation)."""

    version: Version
    claim_kind: ClaimKindValue | None = None
    quote: Note | None = None
    reliability: Code | None = None
    note: Note | None = None
    confidentiality: ConfidentialityLevel | None = None


class InformationOut(RecordMeta):
    """A citation; its target only when the user may see that fact."""

    source: Ref | None
    target: TargetOut | None
    claim_kind: ClaimKindValue
    quote: str
    reliability: TermOut | None
    note: str


class InformationFilters(Schema):
    """Filters of the information list: by source, or by the fact supported."""

    source: UUID | None = None
    target_type: TargetType | None = None
    target_id: UUID | None = None
