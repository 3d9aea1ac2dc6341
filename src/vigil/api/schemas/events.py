"""Schemas of events (what happened, when, where) and of cases grouping persons and events."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args
from uuid import UUID

from ninja import Field, Schema

from vigil.api.schemas.common import (
    Code,
    ConfidentialityLevel,
    CountryCode,
    DatesIn,
    Note,
    Precision,
    RecordMeta,
    Ref,
    Search,
    Title,
    Version,
    text,
)

Place = Annotated[str, text(200)]
CaseStatus = Literal["open", "closed"]
CASE_STATUSES: tuple[CaseStatus, ...] = get_args(CaseStatus)
IdList = list[UUID]


class EventCreate(DatesIn):
    """A new event (what happened, when and where); acts are recorded against it."""

    title: Title
    description: Note = ""
    place: Place = ""
    country: CountryCode = "BY"
    confidentiality: ConfidentialityLevel = "internal"


class EventUpdate(DatesIn):
    """A change to an event."""

    version: Version
    title: Title | None = None
    description: Note | None = None
    place: Place | None = None
    country: CountryCode | None = None
    confidentiality: ConfidentialityLevel | None = None


class EventOut(RecordMeta):
    """An event with the acts and cases the user may see."""

    title: str
    description: str
    place: str
    country: str
    date: dt.date | None
    date_precision: Precision
    date_end: dt.date | None
    date_display: str
    acts: list[Ref]
    cases: list[Ref]


class EventFilters(Schema):
    """Filters of the events list."""

    q: Search | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    act_type: Code | None = None
    person: UUID | None = None
    case: UUID | None = None
    confidentiality: ConfidentialityLevel | None = None


class CaseCreate(Schema):
    """A new case grouping persons and events."""

    title: Title
    status: CaseStatus = "open"
    description: Note = ""
    persons: IdList = Field(default_factory=list, max_length=500)
    events: IdList = Field(default_factory=list, max_length=500)
    confidentiality: ConfidentialityLevel = "internal"


class CaseUpdate(Schema):
    """A change to a case; ``persons``/``events`` replace the members the user can see."""

    version: Version
    title: Title | None = None
    status: CaseStatus | None = None
    description: Note | None = None
    persons: IdList | None = Field(None, max_length=500)
    events: IdList | None = Field(None, max_length=500)
    confidentiality: ConfidentialityLevel | None = None


class CaseOut(RecordMeta):
    """A case with the persons and events the user may see."""

    title: str
    status: CaseStatus
    description: str
    persons: list[Ref]
    events: list[Ref]


class CaseFilters(Schema):
    """Filters of the cases list."""

    q: Search | None = None
    status: CaseStatus | None = None
    person: UUID | None = None
    confidentiality: ConfidentialityLevel | None = None
