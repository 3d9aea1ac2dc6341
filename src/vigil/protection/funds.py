"""Defence funds and their grants: record, disburse, total, chart, export for auditors.

Totals, the chart and the auditor's export name no beneficiary: a grant paid for a protection
case is that case's pseudonym ("P-0007"), any other grant its own ("B-0012"). A named
beneficiary is written encrypted, audited by field name, and read only through the reveal.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from vigil.core.day_input import parse_day
from vigil.core.errors import NotFound, ValidationFailed
from vigil.policy.access import allows, restrict, save_checked
from vigil.policy.auditing import audit
from vigil.policy.export import ExportResult, export_table
from vigil.protection.access import give_creator_access
from vigil.protection.models import (
    BeneficiaryAccess,
    DefenceFund,
    Disbursement,
    FundGrant,
    GrantPurpose,
    ProtectionCase,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from vigil.accounts.types import User

MAX_AMOUNT = Decimal("9999999999.99")


def _currency(value: Any) -> str:
    code = str(value or "").strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValidationFailed("A currency is a three-letter ISO 4217 code, like EUR or USD.")
    return code


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise ValidationFailed("An amount is a number, like 1500 or 1500.50.") from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT:
        raise ValidationFailed("An amount is more than 0 and less than ten billion.")
    return amount.quantize(Decimal("0.01"))


def _date(value: Any) -> dt.date:
    """A date given as a date, or typed in the page's pattern or ISO (``parse_day``)."""
    if isinstance(value, dt.date):
        return value
    day = parse_day(str(value or ""))
    if day is None:
        raise ValidationFailed(_("Give the date."))
    return day


def _text(value: Any, limit: int, what: str, *, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        raise ValidationFailed(f"{what} may hold at most {limit} characters.")
    if required and not text:
        raise ValidationFailed(f"{what} is required.")
    return text


def _choice(value: Any, choices: Any, what: str) -> Any:
    if value in choices.values:
        return value
    raise ValidationFailed(f"{what} is one of: {', '.join(choices.values)}.")


# --- funds and grants ---------------------------------------------------------------------


def create_fund(
    user: User,
    *,
    name: str,
    currency: str = "EUR",
    description: str = "",
    confidentiality: str = "internal",
    synthetic: bool = False,
) -> DefenceFund:
    """Add a defence fund (``synthetic``: a fictional one, the demo's; its grants are too)."""
    if confidentiality not in ("internal", "restricted", "secret"):
        raise ValidationFailed("A fund is internal, restricted or secret.")
    fund = DefenceFund(
        name=_text(name, 200, "A fund's name", required=True),
        currency=_currency(currency),
        description=_text(description, 20_000, "A description"),
        confidentiality=confidentiality,
        is_synthetic=synthetic,
    )
    return save_checked(user, "add", fund)


def visible_funds(user: User) -> models.QuerySet[DefenceFund]:
    return restrict(user, "view", DefenceFund.objects.all())


def visible_grants(user: User) -> models.QuerySet[FundGrant]:
    return restrict(user, "view", FundGrant.objects.all())


def get_fund(user: User, pk: Any) -> DefenceFund:
    found = visible_funds(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("No defence fund with this id.")
    return found


def get_grant(user: User, pk: Any) -> FundGrant:
    found = visible_grants(user).select_related("fund", "case").filter(pk=pk).first()
    if found is None:
        raise NotFound("No grant with this id.")
    return found


def record_grant(
    user: User,
    fund: DefenceFund,
    *,
    amount: Any,
    date: Any,
    purpose: str,
    currency: str | None = None,
    case: ProtectionCase | None = None,
    beneficiary_name: str = "",
    status: str = Disbursement.APPROVED,
    note: str = "",
    confidentiality: str = "restricted",
) -> FundGrant:
    """Record a grant from ``fund`` for a protection case or a named beneficiary."""
    name = _text(beneficiary_name, 5000, "A beneficiary's name")
    if (case is None) == (not name):
        raise ValidationFailed(
            "A grant is for a protection case or for a named beneficiary: give exactly one."
        )
    if case is not None and not allows(user, "view", case):
        raise NotFound("No protection case with this id.")
    if not allows(user, "view", fund):
        raise NotFound("No defence fund with this id.")
    if confidentiality not in ("restricted", "secret"):
        raise ValidationFailed("A grant is restricted or secret.")
    if case is not None and case.confidentiality == "secret":
        confidentiality = "secret"  # as secret as the case it pays for
    grant = FundGrant(
        fund=fund,
        case=case,
        amount=_amount(amount),
        currency=_currency(currency or fund.currency),
        date=_date(date),
        purpose=_choice(purpose, GrantPurpose, "A purpose"),
        status=_choice(status, Disbursement, "A disbursement status"),
        note=_text(note, 20_000, "A note"),
        confidentiality=confidentiality,
        # A grant from a fictional fund, or for a fictional case, is fictional.
        is_synthetic=fund.is_synthetic or (case is not None and case.is_synthetic),
    )
    with transaction.atomic():
        grant.beneficiary_name = name
        save_checked(user, "add", grant)
        if name:
            audit("identity_written", actor=user, obj=grant, field="beneficiary_name")
            give_creator_access(user, grant)
    return grant


def named_identities_granted(user: User, grants: list[FundGrant]) -> set[Any]:
    """Ids of grants without a case whose named beneficiary ``user`` may reveal."""
    named = [g.pk for g in grants if g.case_id is None]
    if not named:
        return set()
    revealable = restrict(user, "reveal_identity", FundGrant.objects.filter(pk__in=named))
    held = BeneficiaryAccess.objects.active().filter(user=user, fund_grant__in=revealable)
    return set(held.values_list("fund_grant_id", flat=True))


def set_disbursement(user: User, grant: FundGrant, status: str) -> FundGrant:
    """Mark a grant approved, disbursed or cancelled."""
    grant.status = _choice(status, Disbursement, "A disbursement status")
    return save_checked(user, "change", grant)


# --- figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    """Money granted in one group, in one currency; never a beneficiary."""

    fund: str
    year: int
    purpose: str
    purpose_label: str
    currency: str
    amount: Decimal
    grants: int


def grant_totals(user: User, *, fund: DefenceFund | None = None) -> list[Total]:
    """Grants ``user`` may see, not cancelled, summed by fund, year, purpose and currency.

    The one function behind the funds page, the fund page, the API and the documentation's
    figure "granted by fund, year and purpose" (docs/figures.md).
    """
    rows = visible_grants(user).exclude(status=Disbursement.CANCELLED)
    if fund is not None:
        rows = rows.filter(fund=fund)
    grouped = (
        rows.annotate(year=ExtractYear("date"))
        .values("fund__name", "year", "purpose", "currency")
        .annotate(amount=Sum("amount"), grants=Count("pk"))
        .order_by("fund__name", "-year", "purpose", "currency")
    )
    labels = dict(GrantPurpose.choices)
    return [
        Total(
            fund=g["fund__name"],
            year=g["year"],
            purpose=g["purpose"],
            purpose_label=str(labels.get(g["purpose"], g["purpose"])),
            currency=g["currency"],
            amount=Decimal(g["amount"]).quantize(Decimal("0.01")),
            grants=g["grants"],
        )
        for g in grouped
    ]


@dataclass(frozen=True)
class Spent:
    """What was disbursed on one purpose, in one currency."""

    purpose: str
    label: str
    currency: str
    amount: Decimal


def spending_by_purpose(user: User, *, fund: DefenceFund | None = None) -> list[Spent]:
    """Disbursed money by purpose and currency, largest first (the chart's one figure)."""
    rows = visible_grants(user).filter(status=Disbursement.DISBURSED)
    if fund is not None:
        rows = rows.filter(fund=fund)
    summed: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for purpose, currency, amount in rows.values_list("purpose", "currency", "amount"):
        summed[(purpose, currency)] += Decimal(amount)
    labels = dict(GrantPurpose.choices)
    found = [
        Spent(p, str(labels.get(p, p)), c, a.quantize(Decimal("0.01")))
        for (p, c), a in summed.items()
    ]
    return sorted(found, key=lambda s: (s.currency, -s.amount, s.purpose))


# --- the auditor's export -----------------------------------------------------------------

AUDIT_HEADER = (
    "grant",
    "fund",
    "date",
    "year",
    "amount",
    "currency",
    "purpose",
    "disbursement",
    "beneficiary",
)


def auditor_rows(user: User) -> list[list[Any]]:
    """Every grant ``user`` may export, beneficiaries pseudonymised, oldest first."""
    rows = restrict(user, "export", FundGrant.objects.all()).select_related("fund", "case")
    return [
        [
            g.reference,
            g.fund.name,
            g.date.isoformat(),
            g.date.year,
            g.amount,
            g.currency,
            g.purpose,
            g.status,
            g.beneficiary_pseudonym,
        ]
        for g in rows.order_by("date", "number")
    ]


def auditor_export(
    user: User,
    format: str = "csv",  # noqa: A002
    *,
    request: HttpRequest | None = None,
) -> ExportResult:
    """The auditor's export (CSV or XLSX): age-encrypted, stepped-up, counted and audited."""
    return export_table(
        user, AUDIT_HEADER, auditor_rows(user), format, name="grants", request=request
    )
