"""Schemas of persons, their names and professions, custody, and acts."""

from __future__ import annotations

import datetime as dt
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from vigil.api.schemas.common import (
    ConfidentialityLevel,
    CountryCode,
    LanguageTag,
    NonEmptyLine,
    Note,
    Precision,
    RecordMeta,
    Ref,
    TermOut,
    text,
)

SexValue = Literal["female", "male", "other", "unknown"]
ScriptValue = Literal["Cyrl", "Latn", "Zyyy", ""]
NameKindValue = Literal["official", "transliteration", "alias", "previous", "nickname"]
CustodyValue = Literal[
    "in_custody",
    "term_ended_release_not_recorded",
    "restricted_liberty",
    "not_in_custody",
    "died_in_custody",
    "unknown",
]
Inchoate = Literal["", "preparation", "attempt"]
Scheme = text(40)
IDENTITY = "Write-only: stored encrypted, never returned; changing it needs the right to reveal it."
BirthPlace = text(200)


class NameIn(Schema):
    """One name of a person, in one script and language."""

    value: NonEmptyLine
    script: ScriptValue = ""
    lang: LanguageTag = ""
    kind: NameKindValue = "official"
    scheme: Scheme = ""
    is_primary: bool = False


class NameOut(NameIn):
    """A stored name."""

    id: UUID


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


class ChargeOut(Schema):
    """A legal provision an act rests on, as the source wrote it."""

    id: UUID
    provision: str
    provision_id: UUID
    code: str
    article: str
    part: str
    point: str
    title: str
    inchoate: Inchoate
    text_as_written: str


class PerpetratorOut(Schema):
    """A perpetrator in an act, with role and degree of involvement."""

    id: UUID
    person: Ref | None
    organisation: Ref | None
    role: TermOut
    degree: TermOut | None


class ParticipantOut(Schema):
    """Someone a source names in an act whose role is not confirmed (not counsel)."""

    id: UUID
    person: Ref | None
    name_text: str
    stated_role: str
    confirmed_role: str


class ActOut(RecordMeta):
    """One act with its charges, perpetrators, counsel and participants the user may see."""

    event: Ref | None
    act_type: TermOut
    victim_person: Ref | None
    victim_organisation: Ref | None
    date: dt.date | None
    date_precision: Precision
    date_end: dt.date | None
    place: Ref | None
    place_text: str
    status: Literal["ongoing", "ended", "unknown"]
    outcome: str
    description: str
    sentence_months: float | None
    sentence_regime: TermOut | None
    restriction_measure: TermOut | None
    suspended: bool
    fine_amount: float | None
    fine_unit: str
    sentence_text: str
    source_status: str
    detention_days: int | None
    known_since: dt.date | None = Field(
        description="When the organisation learned of the act; models see it only from then."
    )
    known_since_assumed: bool = Field(
        description="No date of learning was given: the act's own date stands in for it."
    )
    charges: list[ChargeOut]
    perpetrators: list[PerpetratorOut]
    counsel: list[Ref]
    participants: list[ParticipantOut]


class PersonPublic(PersonSummary):
    """A person as the API shows it: names, professions, custody and timeline."""

    birth_place: str
    nationality: str
    notes: str
    names: list[NameOut]
    professions: list[ProfessionOut]
    timeline: list[ActOut]
