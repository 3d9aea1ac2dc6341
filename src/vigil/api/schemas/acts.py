"""Schemas of acts with their charges, perpetrators and counsel: writing them, reading them."""

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
    TermOut,
    Version,
    nonempty,
    text,
)

ActStatusValue = Literal["ongoing", "ended", "unknown"]
Inchoate = Literal["", "preparation", "attempt"]
ACT_STATUSES: tuple[ActStatusValue, ...] = get_args(ActStatusValue)
INCHOATES: tuple[Inchoate, ...] = get_args(Inchoate)
LegalCodeValue = Literal["criminal", "administrative", "other"]
Months = float
Text300 = Annotated[str, text(300)]
Text100 = Annotated[str, text(100)]
Text40 = Annotated[str, text(40)]
Article = Annotated[str, nonempty(20)]
Part = Annotated[str, text(10)]


class ChargeIn(Schema):
    """A charge: a provision by id, or by code, article, part and point (recorded if new)."""

    provision: UUID | None = Field(None, description="An existing legal provision's id.")
    jurisdiction: CountryCode = "BY"
    code: LegalCodeValue = "criminal"
    article: Article | None = None
    part: Part = ""
    point: Part = ""
    title: Text300 = ""
    inchoate: Inchoate = ""
    text_as_written: Note = ""
    confidentiality: ConfidentialityLevel | None = None


class InvolvementIn(Schema):
    """A perpetrator in an act: a person or an organisation, with role and degree."""

    perpetrator_person: UUID | None = None
    perpetrator_organisation: UUID | None = None
    role: Code = Field(..., description="A key of the perpetrator_role vocabulary (judge...).")
    degree: Code | None = Field(None, description="A key of the involvement_degree vocabulary.")
    note: Note = ""
    confidentiality: ConfidentialityLevel | None = None


class CounselIn(Schema):
    """A lawyer defending the victim in an act."""

    lawyer: UUID
    note: Note = ""
    confidentiality: ConfidentialityLevel | None = None


class ActFields(DatesIn):
    """The fields of an act shared by creation and change."""

    victim_person: UUID | None = None
    victim_organisation: UUID | None = None
    place: UUID | None = Field(None, description="The court, prison, colony or SIZO.")
    place_text: Text300 | None = None
    status: ActStatusValue | None = None
    outcome: Text300 | None = None
    description: Note | None = None
    sentence_months: Months | None = Field(None, ge=0, le=9999)
    sentence_regime: Code | None = Field(None, description="detention_regime vocabulary key.")
    restriction_measure: Code | None = Field(None, description="restriction_measure key.")
    suspended: bool | None = None
    fine_amount: float | None = Field(None, ge=0, le=1e11)
    fine_unit: Text40 | None = None
    sentence_text: Text300 | None = None
    source_status: Text100 | None = None
    detention_days: int | None = Field(None, ge=0, le=366, description="Days of arrest.")
    known_since: dt.date | None = Field(
        None, description="When the organisation learned of the act (a new act: today)."
    )


class ActCreate(ActFields):
    """A new act in an event, with its charges, perpetrators and counsel in one call."""

    event: UUID
    act_type: Code = Field(..., description="A key of the act_type vocabulary (arrest...).")
    charges: list[ChargeIn] = Field(default_factory=list, max_length=50)
    perpetrators: list[InvolvementIn] = Field(default_factory=list, max_length=50)
    counsel: list[CounselIn] = Field(default_factory=list, max_length=20)
    confidentiality: ConfidentialityLevel | None = Field(
        None, description="Defaults to the event's confidentiality."
    )


class ActUpdate(ActFields):
    """A change to an act (its charges, perpetrators and counsel change through their own paths)."""

    version: Version
    event: UUID | None = None
    act_type: Code | None = None
    confidentiality: ConfidentialityLevel | None = None


class ActFilters(Schema):
    """Filters of the acts list (the web lists' filters)."""

    person: UUID | None = None
    event: UUID | None = None
    type: Code | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    provision: UUID | None = None
    article: Search | None = None
    court: UUID | None = None
    status: ActStatusValue | None = None
    confidentiality: ConfidentialityLevel | None = None


class ProvisionOut(Schema):
    """A legal provision."""

    id: UUID
    label: str
    jurisdiction: str
    code: str
    article: str
    part: str
    point: str
    title: str


class ChargeCreate(ChargeIn):
    """A charge added to an act."""

    act: UUID


class ChargeUpdate(Schema):
    """A change to a charge (another provision is another charge)."""

    version: Version
    inchoate: Inchoate | None = None
    text_as_written: Note | None = None
    confidentiality: ConfidentialityLevel | None = None


class ChargeRecordOut(RecordMeta):
    """A charge with its act and provision."""

    act: UUID
    provision: ProvisionOut
    inchoate: Inchoate
    text_as_written: str


class ActRowFilters(Schema):
    """Filters of the rows of acts: by act, by person."""

    act: UUID | None = None


class InvolvementCreate(InvolvementIn):
    """A perpetrator added to an act."""

    act: UUID


class InvolvementUpdate(Schema):
    """A change to an involvement."""

    version: Version
    perpetrator_person: UUID | None = None
    perpetrator_organisation: UUID | None = None
    role: Code | None = None
    degree: Code | None = None
    note: Note | None = None
    confidentiality: ConfidentialityLevel | None = None


class InvolvementOut(RecordMeta):
    """A perpetrator in an act, with the act's type and date for a perpetrator's page."""

    act: UUID
    act_type: TermOut
    act_date: dt.date | None
    victim: Ref | None
    perpetrator_person: Ref | None
    perpetrator_organisation: Ref | None
    role: TermOut
    degree: TermOut | None
    note: str


class InvolvementFilters(ActRowFilters):
    """Filters of the involvements list (a perpetrator's page: ``perpetrator``)."""

    perpetrator: UUID | None = None
    role: Code | None = None


class CounselCreate(CounselIn):
    """Counsel added to an act."""

    act: UUID


class CounselUpdate(Schema):
    """A change to counsel."""

    version: Version
    note: Note | None = None
    confidentiality: ConfidentialityLevel | None = None


class CounselOut(RecordMeta):
    """Counsel in an act."""

    act: UUID
    lawyer: Ref | None
    note: str


class CounselFilters(ActRowFilters):
    """Filters of the counsel list."""

    lawyer: UUID | None = None


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
    status: ActStatusValue
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
