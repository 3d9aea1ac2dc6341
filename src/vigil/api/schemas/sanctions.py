"""Schemas of the sanctions gap and of screening candidates with reviewers' decisions."""

from __future__ import annotations

import builtins
import datetime as dt
from typing import Literal, get_args
from uuid import UUID

from ninja import Field, Schema

from vigil.api.schemas.common import Note, Ref, TermOut

DecisionValue = Literal["pending", "confirmed", "rejected"]
ListState = Literal["listed", "pending", "not_found", "not_screened"]
DECISIONS: tuple[DecisionValue, ...] = get_args(DecisionValue)
LIST_STATES: tuple[ListState, ...] = get_args(ListState)


class ListOut(Schema):
    """A loaded sanctions list and whether it is too old to trust a "not found"."""

    name: str
    issuer: str
    programme: str
    version_date: dt.date | None
    stale: bool


class ListStatusOut(Schema):
    """A perpetrator's status on one list: listed, candidate awaiting review, or not found."""

    list: str
    state: ListState
    text: str
    entity_id: str
    score: float | None


class GapActOut(Schema):
    """An act a perpetrator took part in, with the role they had."""

    act: UUID
    act_type: TermOut
    role: str
    date: dt.date | None
    victim: Ref | None
    sentence_months: float | None


class GapRowOut(Schema):
    """One perpetrator, their acts and their status on each list."""

    person: Ref
    roles: list[str]
    acts: list[GapActOut]
    statuses: list[ListStatusOut]
    listed_by: list[str]
    unsanctioned: bool


class GapOut(Schema):
    """The sanctions gap over the perpetrators the user may see."""

    generated: dt.datetime
    lists: list[ListOut]
    missing_issuers: list[str]
    summary: list[str]
    rows: list[GapRowOut]


class ListedEntityOut(Schema):
    """The list entry a candidate points to."""

    list: str
    entity_id: str
    caption: str
    positions: builtins.list[str]  # the field "list" above hides the builtin in this class
    listing_date: str
    reason: str


class CandidateOut(Schema):
    """A candidate match between a perpetrator in the record and a listed entity."""

    id: UUID
    version: int
    person: Ref | None
    listed_entity: ListedEntityOut
    score: float
    query_name: str
    matched_name: str
    explanation: str
    decision: DecisionValue
    reviewed_at: dt.datetime | None
    review_note: str


class DecisionIn(Schema):
    """A reviewer's decision on a candidate, optionally with the version it was based on."""

    decision: Literal["confirmed", "rejected"]
    note: Note = ""
    version: int | None = Field(None, ge=1, le=2_000_000_000)
