"""Schemas of interventions, the response gap and silent states."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from ninja import Schema

from vigil.api.schemas.common import Precision, RecordMeta, Ref, TermOut
from vigil.api.schemas.persons import CustodyOut


class InterventionOut(RecordMeta):
    """An intervention with the state's response and the persons it concerns."""

    intervention_type: TermOut
    party: Ref | None
    title: str
    reference: str
    url: str
    date: dt.date | None
    date_precision: Precision
    status: TermOut | None
    state_response: TermOut | None
    state_response_date: dt.date | None
    outcome: str
    follow_up_due: dt.date | None
    persons: list[Ref]
    acts: list[UUID]
    cases: list[Ref]


class DetainedOut(Schema):
    """A detained lawyer or defender and the responses nobody has made."""

    person: Ref
    professions: list[str]
    custody: CustodyOut
    missing: list[str]


class UnansweredOut(Schema):
    """A communication the state was asked to answer and has not."""

    intervention: Ref
    type: TermOut
    reference: str
    date: dt.date | None


class OverdueOut(Schema):
    """A follow-up whose date has passed with no response from the state."""

    intervention: Ref
    due: dt.date
    action: str


class ResponseGapOut(Schema):
    """The three lists an advocate works from, limited to what the user may see."""

    detained_without_response: list[DetainedOut]
    communications_without_state_response: list[UnansweredOut]
    overdue_follow_ups: list[OverdueOut]


class SilentStateOut(Schema):
    """A state with no recorded position on the topic, and how often it spoke on others."""

    state: Ref
    positions_on_other_subjects: int
