"""Schemas of names, organisations, events and cases."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from vigil.api.schemas.common import (
    Code,
    ConfidentialityLevel,
    CountryCode,
    DatesIn,
    LanguageTag,
    Note,
    Precision,
    RecordMeta,
    Ref,
    Search,
    TermOut,
    Version,
    nonempty,
    text,
)
from vigil.api.schemas.records import NameIn, NameKindValue, NameOut, ScriptValue

Title = nonempty(300)
Place = text(200)
Scheme = text(40)
CaseStatus = Literal["open", "closed"]
IdList = list[UUID]


class NameChange(Schema):
    """A change to a stored name (of a person or an organisation)."""

    version: Version
    value: Title | None = None
    script: ScriptValue | None = None
    lang: LanguageTag | None = None
    kind: NameKindValue | None = None
    scheme: Scheme | None = None
    is_primary: bool | None = None
    confidentiality: ConfidentialityLevel | None = None


class PersonNameCreate(NameIn):
    """A further name of a person; by default as confidential as the person."""

    person: UUID
    confidentiality: ConfidentialityLevel | None = None


class PersonNameOut(RecordMeta):
    """A stored name of a person."""

    person: Ref | None
    value: str
    script: str
    lang: str
    kind: str
    scheme: str
    is_primary: bool


class OrganisationNameCreate(NameIn):
    """A further name of an organisation."""

    organisation: UUID
    confidentiality: ConfidentialityLevel | None = None


class OrganisationNameOut(RecordMeta):
    """A stored name of an organisation."""

    organisation: Ref | None
    value: str
    script: str
    lang: str
    kind: str
    scheme: str
    is_primary: bool


class NameFilters(Schema):
    """Filters of a names list."""

    q: Search | None = None


class PersonNameFilters(NameFilters):
    """Filters of the person names list."""

    person: UUID | None = None


class OrganisationNameFilters(NameFilters):
    """Filters of the organisation names list."""

    organisation: UUID | None = None


class OrganisationCreate(Schema):
    """A new organisation: court, prison, ministry, bar association, NGO, UN body, state."""

    display_name: Title
    names: list[NameIn] = Field(default_factory=list, max_length=50)
    kind: Code | None = Field(None, description="A key of the organisation_kind vocabulary.")
    parent: UUID | None = None
    country: CountryCode = ""
    notes: Note = ""
    confidentiality: ConfidentialityLevel = "internal"


class OrganisationUpdate(Schema):
    """A change to an organisation; ``version`` is the version the change was based on."""

    version: Version
    display_name: Title | None = None
    kind: Code | None = None
    parent: UUID | None = None
    country: CountryCode | None = None
    notes: Note | None = None
    confidentiality: ConfidentialityLevel | None = None


class OrganisationOut(RecordMeta):
    """An organisation with the names the user may see."""

    display_name: str
    kind: TermOut | None
    parent: Ref | None
    country: str
    notes: str
    names: list[NameOut]


class OrganisationFilters(Schema):
    """Filters of the organisations list."""

    q: Search | None = None
    kind: Code | None = None
    country: CountryCode | None = None
    confidentiality: ConfidentialityLevel | None = None


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
    """A new case dossier grouping persons and events."""

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
