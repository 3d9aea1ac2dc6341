"""Schemas of persons, their professions and custody."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

from ninja import Field, Schema

from vigil.api.schemas.acts import ActOut
from vigil.api.schemas.common import (
    ConfidentialityLevel,
    CountryCode,
    NonEmptyLine,
    Note,
    Precision,
    RecordMeta,
    TermOut,
    text,
)
from vigil.api.schemas.names import NameIn, NameOut

SexValue = Literal["female", "male", "other", "unknown"]
CustodyValue = Literal[
    "in_custody",
    "term_ended_release_not_recorded",
    "restricted_liberty",
    "not_in_custody",
    "died_in_custody",
    "unknown",
]
IDENTITY = "Write-only: stored encrypted, never returned; changing it needs the right to reveal it."
BirthPlace = Annotated[str, text(200)]


class PersonCreate(Schema):
    """A new person: a display name, the names in every script, and what is known."""

    display_name: NonEmptyLine
    names: list[NameIn] = Field(default_factory=list, max_length=50)
    sex: SexValue = "unknown"
    birth_date: dt.date | None = None
    birth_date_precision: Precision = "day"
    birth_place: BirthPlace = ""
    nationality: CountryCode = ""
    notes: Note = ""
    contact_details: Note | None = Field(None, description=IDENTITY)
    family_contacts: Note | None = Field(None, description=IDENTITY)
    confidentiality: ConfidentialityLevel = "internal"


class PersonUpdate(Schema):
    """A change to a person; ``version`` is the version the change was based on."""

    version: int = Field(..., ge=1, le=2_000_000_000)
    display_name: NonEmptyLine | None = None
    sex: SexValue | None = None
    birth_date: dt.date | None = None
    birth_date_precision: Precision | None = None
    birth_place: BirthPlace | None = None
    nationality: CountryCode | None = None
    notes: Note | None = None
    contact_details: Note | None = Field(None, description=IDENTITY)
    family_contacts: Note | None = Field(None, description=IDENTITY)
    confidentiality: ConfidentialityLevel | None = None


class CustodyOut(Schema):
    """Custody derived from the acts the user may see, never from a source's label."""

    status: CustodyValue
    since: dt.date | None
    term_ends: dt.date | None
    term_expired_without_release: bool


class PersonSummary(RecordMeta):
    """A person in a list."""

    display_name: str
    name_withheld: bool
    sex: SexValue
    birth_date: dt.date | None
    birth_date_precision: Precision
    custody: CustodyOut


class ProfessionOut(Schema):
    """A profession a person holds or held (lawyers with their licence)."""

    id: UUID
    profession: TermOut
    licence_number: str
    licence_status: str
    since: dt.date | None
    until: dt.date | None


class PersonPublic(PersonSummary):
    """A person as the API shows it: names, professions, custody and timeline."""

    birth_place: str
    nationality: str
    notes: str
    names: list[NameOut]
    professions: list[ProfessionOut]
    timeline: list[ActOut]
