"""Schemas of protection cases and defence funds: identities are write-only, never output."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args
from uuid import UUID

from ninja import Field, Schema
from pydantic import StringConstraints

from vigil.api.schemas.common import Note, RecordMeta, Version, nonempty, text

Urgency = Literal[1, 2, 3, 4]
URGENCIES: tuple[Urgency, ...] = get_args(Urgency)
ProtectionStatus = Literal["open", "closed"]
PROTECTION_STATUSES: tuple[ProtectionStatus, ...] = get_args(ProtectionStatus)
CaseLevel = Literal["restricted", "secret"]
ActionKind = Literal[
    "emergency_grant",
    "legal_aid",
    "relocation",
    "digital_security",
    "medical_family",
    "trial_monitoring",
    "public_statement",
    "quiet_diplomacy",
]
ActionStatus = Literal["planned", "in_progress", "done", "cancelled"]
Purpose = Literal[
    "legal_fees",
    "emergency",
    "relocation",
    "medical",
    "family",
    "digital_security",
    "trial_monitoring",
    "other",
]
Disbursement = Literal["approved", "disbursed", "cancelled"]
PURPOSES: tuple[Purpose, ...] = get_args(Purpose)
DISBURSEMENTS: tuple[Disbursement, ...] = get_args(Disbursement)
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
# At least 1, at most ten digits before the point, at most two after: money as text, exact.
Amount = Annotated[str, StringConstraints(pattern=r"^[1-9][0-9]{0,9}(\.[0-9]{1,2})?$")]
IDENTITY = "Encrypted; write-only: never returned by the API, revealed only in the web UI."


class ProtectionActionOut(Schema):
    """One action of a case."""

    id: UUID
    kind: ActionKind
    status: ActionStatus
    due: dt.date | None
    owner: str | None
    note: str


class ProtectionCaseOut(RecordMeta):
    """A protection case under its pseudonym: the assessment, actions and outcome, no identity."""

    pseudonym: str
    urgency: Urgency
    status: ProtectionStatus
    threats: str
    needs: str
    opened_on: dt.date
    closed_on: dt.date | None
    outcome: str
    identity_granted: bool
    actions: list[ProtectionActionOut]


class ProtectionCaseCreate(Schema):
    """A new protection case; the identity fields are encrypted and never returned."""

    beneficiary_name: Annotated[str, nonempty(5000)] = Field(..., description=IDENTITY)
    beneficiary_contacts: Note = Field("", description=IDENTITY)
    location: Annotated[str, text(5000)] = Field("", description=IDENTITY)
    dependants: Note = Field("", description=IDENTITY)
    urgency: Urgency = 2
    threats: Note = ""
    needs: Note = ""
    confidentiality: CaseLevel = "restricted"


class ProtectionCaseUpdate(Schema):
    """A change of the assessment (the version read; a stale one is a 409)."""

    version: Version
    urgency: Urgency | None = None
    threats: Note | None = None
    needs: Note | None = None


class ProtectionActionCreate(Schema):
    """A new action for a case."""

    kind: ActionKind
    due: dt.date | None = None
    note: Note = ""
    status: ActionStatus = "planned"


class ProtectionFundOut(RecordMeta):
    name: str
    currency: str
    description: str


class ProtectionFundCreate(Schema):
    name: Annotated[str, nonempty(200)]
    currency: Currency = "EUR"
    description: Note = ""


class ProtectionGrantOut(RecordMeta):
    """A grant: its beneficiary only as a pseudonym."""

    reference: str
    fund: UUID
    case: UUID | None
    beneficiary: str
    amount: str
    currency: str
    date: dt.date
    purpose: Purpose
    status: Disbursement


class ProtectionGrantCreate(Schema):
    """A grant for a protection case (``case``) or a named beneficiary, not both."""

    case: UUID | None = None
    beneficiary_name: Annotated[str, text(5000)] = Field("", description=IDENTITY)
    amount: Amount
    currency: Currency | None = None
    date: dt.date
    purpose: Purpose
    status: Disbursement = "approved"
    note: Note = ""


class ProtectionTotalOut(Schema):
    """Money granted in one fund, year, purpose and currency (cancelled grants left out)."""

    fund: str
    year: int
    purpose: Purpose
    currency: str
    amount: str
    grants: int
