"""Protection cases and defence funds: pseudonyms out, identities in (write-only)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from vigil.api.auth import api_user
from vigil.api.common import Paged, writing
from vigil.api.errors import InvalidField
from vigil.api.present import choice, meta
from vigil.api.schemas.common import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from vigil.api.schemas.protection import (
    DISBURSEMENTS,
    PROTECTION_STATUSES,
    PURPOSES,
    URGENCIES,
    ProtectionActionCreate,
    ProtectionActionOut,
    ProtectionCaseCreate,
    ProtectionCaseOut,
    ProtectionCaseUpdate,
    ProtectionFundCreate,
    ProtectionFundOut,
    ProtectionGrantCreate,
    ProtectionGrantOut,
    ProtectionTotalOut,
)
from vigil.core.errors import NotFound
from vigil.protection import cases, funds
from vigil.protection.access import may_see_identity
from vigil.protection.models import DefenceFund, FundGrant, ProtectionCase

if TYPE_CHECKING:
    from vigil.accounts.types import User

router = Router(tags=["protection"])


def case_out(user: User, case: ProtectionCase) -> ProtectionCaseOut:
    actions = cases.visible_actions(user, case).select_related("owner")
    return ProtectionCaseOut(
        **meta(case),
        pseudonym=case.pseudonym,
        urgency=choice(case.urgency, URGENCIES),
        status=choice(case.status, PROTECTION_STATUSES),
        threats=case.threats,
        needs=case.needs,
        opened_on=case.opened_on,
        closed_on=case.closed_on,
        outcome=case.outcome,
        identity_granted=may_see_identity(user, case),
        actions=[
            ProtectionActionOut(
                id=a.pk,
                kind=a.kind,
                status=a.status,
                due=a.due,
                owner=a.owner.get_username() if a.owner else None,
                note=a.note,
            )
            for a in actions
        ],
    )


def grant_out(grant: FundGrant) -> ProtectionGrantOut:
    return ProtectionGrantOut(
        **meta(grant),
        reference=grant.reference,
        fund=grant.fund_id,
        case=grant.case_id,
        beneficiary=grant.beneficiary_pseudonym,
        amount=str(grant.amount),
        currency=grant.currency,
        date=grant.date,
        purpose=choice(grant.purpose, PURPOSES),
        status=choice(grant.status, DISBURSEMENTS),
    )


def _cases(request: HttpRequest, items: list[ProtectionCase]) -> list[ProtectionCaseOut]:
    user = api_user(request)
    return [case_out(user, c) for c in items]


def _grants(request: HttpRequest, items: list[FundGrant]) -> list[ProtectionGrantOut]:
    return [grant_out(g) for g in items]


def _case(user: User, id: UUID) -> ProtectionCase:  # noqa: A002
    return cases.get_case(user, id)


@router.get("/protection/cases", response={200: list[ProtectionCaseOut], **LIST_ERRORS})
@paginate(Paged, prepare=_cases)
def list_cases(request: HttpRequest) -> QuerySet[ProtectionCase]:
    """Protection cases the user may see, most urgent first, under their pseudonyms."""
    return cases.visible_cases(api_user(request)).order_by("status", "urgency", "number")


@router.get("/protection/cases/{id}", response={200: ProtectionCaseOut, **READ_ERRORS})
def get_case(request: HttpRequest, id: UUID) -> ProtectionCaseOut:  # noqa: A002
    """One case: assessment, actions and outcome; the identity is never returned."""
    user = api_user(request)
    return case_out(user, _case(user, id))


@router.post("/protection/cases", response={201: ProtectionCaseOut, **WRITE_ERRORS})
def create_case(
    request: HttpRequest, payload: ProtectionCaseCreate
) -> Status[ProtectionCaseOut]:
    """Open a case; the identity is encrypted, audited, and granted to its writer only."""
    with writing(request) as user:
        case = cases.open_case(user, **payload.dict())
    return Status(201, case_out(user, case))


@router.patch("/protection/cases/{id}", response={200: ProtectionCaseOut, **WRITE_ERRORS})
def update_case(request: HttpRequest, id: UUID, payload: ProtectionCaseUpdate) -> ProtectionCaseOut:  # noqa: A002
    """Change the assessment; a stale ``version`` is refused with 409."""
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    changes = {k: v for k, v in changes.items() if v is not None}
    with writing(request) as user:
        case = _case(user, id)
        cases.update_assessment(user, case, version=payload.version, **changes)
    return case_out(user, case)


@router.post("/protection/cases/{id}/actions", response={201: ProtectionCaseOut, **WRITE_ERRORS})
def create_action(
    request: HttpRequest,
    id: UUID,  # noqa: A002
    payload: ProtectionActionCreate,
) -> Status[ProtectionCaseOut]:
    """Add an action (owned by the caller) to a case."""
    with writing(request) as user:
        case = _case(user, id)
        cases.add_action(user, case, owner=user, **payload.dict())
    return Status(201, case_out(user, case))


@router.get("/protection/funds", response={200: list[ProtectionFundOut], **LIST_ERRORS})
@paginate(Paged, prepare=lambda request, items: [fund_out(f) for f in items])
def list_funds(request: HttpRequest) -> QuerySet[DefenceFund]:
    """Defence funds the user may see."""
    return funds.visible_funds(api_user(request))


def fund_out(fund: DefenceFund) -> ProtectionFundOut:
    return ProtectionFundOut(
        **meta(fund), name=fund.name, currency=fund.currency, description=fund.description
    )


@router.post("/protection/funds", response={201: ProtectionFundOut, **WRITE_ERRORS})
def create_fund(
    request: HttpRequest, payload: ProtectionFundCreate
) -> Status[ProtectionFundOut]:
    """Add a defence fund (coordinators and administrators)."""
    with writing(request) as user:
        fund = funds.create_fund(user, **payload.dict())
    return Status(201, fund_out(fund))


@router.post("/protection/funds/{id}/grants", response={201: ProtectionGrantOut, **WRITE_ERRORS})
def create_grant(
    request: HttpRequest,
    id: UUID,  # noqa: A002
    payload: ProtectionGrantCreate,
) -> Status[ProtectionGrantOut]:
    """Record a grant for a protection case or a named beneficiary (encrypted, never returned)."""
    data = payload.dict()
    case_id = data.pop("case")
    with writing(request) as user:
        fund = funds.get_fund(user, id)
        case = None
        if case_id is not None:
            try:
                case = cases.get_case(user, case_id)
            except NotFound:
                raise InvalidField("case", "no protection case with this id") from None
        if (case is None) == (not data["beneficiary_name"].strip()):
            raise InvalidField("case", "give a protection case or a beneficiary's name, not both")
        grant = funds.record_grant(user, fund, case=case, **data)
    return Status(201, grant_out(grant))


@router.get("/protection/grants", response={200: list[ProtectionGrantOut], **LIST_ERRORS})
@paginate(Paged, prepare=_grants)
def list_grants(request: HttpRequest) -> QuerySet[FundGrant]:
    """Grants the user may see, newest first; beneficiaries as pseudonyms."""
    return funds.visible_grants(api_user(request)).select_related("case")


@router.get("/protection/totals", response={200: list[ProtectionTotalOut], **LIST_ERRORS})
def grant_totals(request: HttpRequest) -> list[ProtectionTotalOut]:
    """Money granted by fund, year, purpose and currency; no beneficiary."""
    return [
        ProtectionTotalOut(
            fund=t.fund,
            year=t.year,
            purpose=choice(t.purpose, PURPOSES),
            currency=t.currency,
            amount=str(t.amount),
            grants=t.grants,
        )
        for t in funds.grant_totals(api_user(request))
    ]
