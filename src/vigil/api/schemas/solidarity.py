"""Schemas of trial monitoring, solidarity statements and the calendar."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args
from uuid import UUID

from ninja import Field, Schema

from vigil.api.schemas.common import (
    ConfidentialityLevel,
    Note,
    RecordMeta,
    Ref,
    Url,
    nonempty,
    text,
)

HearingKindCode = Literal["first_instance", "appeal", "cassation", "other"]
AccessCode = Literal["admitted", "refused_entry", "refused_visa"]
AnswerCode = Literal["yes", "no", "unknown"]
StatementKindCode = Literal[
    "statement", "letter", "joint_letter", "un_communication", "government", "campaign"
]
CalendarKind = Literal[
    "hearing",
    "appeal-deadline",
    "sentence-end",
    "follow-up",
    "endangered-lawyer-day",
    "un-session",
    "upr-deadline",
    "submission-deadline",
    "international-date",
]
HEARING_KINDS: tuple[HearingKindCode, ...] = get_args(HearingKindCode)
ACCESS_CODES: tuple[AccessCode, ...] = get_args(AccessCode)
STATEMENT_KINDS: tuple[StatementKindCode, ...] = get_args(StatementKindCode)
CALENDAR_KINDS: tuple[CalendarKind, ...] = get_args(CalendarKind)


class HearingOut(RecordMeta):
    """A hearing; the court, judge and prosecutor only when the user may see them."""

    case: Ref
    date: dt.date
    time: dt.time | None
    kind: HearingKindCode
    court: Ref | None
    court_text: str
    judge: Ref | None
    prosecutor: Ref | None
    appeal_deadline: dt.date | None
    notes: str
    observers: list[str] = Field(description="user names of the observers assigned")
    reports: list[ObservationOut]


class ObservationOut(RecordMeta):
    """One observer's report against the fair-trial checklist (keys of fair_trial_check)."""

    observer: str
    access: AccessCode
    answers: dict[str, AnswerCode]
    duration_minutes: int | None
    motions_refused: int | None
    notes: str
    refusal_act: UUID | None


HearingOut.model_rebuild()


class HearingIn(Schema):
    """A new hearing of a case; ids must name records the user may see."""

    case: UUID
    date: dt.date = Field(ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))
    time: dt.time | None = None
    kind: HearingKindCode = "first_instance"
    court: UUID | None = None
    court_text: Annotated[str, text(300)] = ""
    judge: UUID | None = None
    prosecutor: UUID | None = None
    appeal_deadline: dt.date | None = Field(None, ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))
    notes: Note = ""


class ObserverIn(Schema):
    """The user to assign as observer (coordinators: anyone; others: themselves)."""

    observer: UUID


class ObservationIn(Schema):
    """The calling user's observation of a hearing; ``answers`` keyed by checklist item."""

    access: AccessCode = "admitted"
    answers: dict[str, AnswerCode] = Field(default_factory=dict)
    duration_minutes: int | None = Field(None, ge=1, le=1440)
    motions_refused: int | None = Field(None, ge=0, le=1000)
    notes: Note = ""


class StatementOut(RecordMeta):
    """A statement or letter with what the user may see of whom it concerns."""

    kind: StatementKindCode
    title: str
    date: dt.date | None
    author: Ref | None
    author_text: str
    url: str
    summary: str
    edition: int | None = Field(description="year of the Day of the Endangered Lawyer")
    followed: str
    followed_date: dt.date | None
    persons: list[Ref]
    cases: list[Ref]
    signatories: list[str]


class StatementIn(Schema):
    """A new statement: by an organisation of the record or a name as stated."""

    title: Annotated[str, nonempty(300)]
    kind: StatementKindCode = "statement"
    date: dt.date | None = Field(None, ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))
    author: UUID | None = None
    author_text: Annotated[str, text(300)] = ""
    url: Url = ""
    summary: Note = ""
    edition: int | None = Field(None, ge=2009, le=2100)
    followed: Note = ""
    followed_date: dt.date | None = Field(None, ge=dt.date(1900, 1, 1), le=dt.date(2200, 12, 31))
    persons: list[UUID] = Field(default_factory=list, max_length=200)
    cases: list[UUID] = Field(default_factory=list, max_length=200)
    signatories: list[Annotated[str, text(300)]] = Field(default_factory=list, max_length=500)
    confidentiality: ConfidentialityLevel = "internal"


class CalendarItemOut(Schema):
    """One dated item; ``title`` names the record (the user may see it)."""

    date: dt.date
    kind: CalendarKind
    title: str
    link: str
