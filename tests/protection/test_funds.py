"""Defence funds: grants recorded through the policy, totals and the chart without beneficiaries,
the auditor's export pseudonymised, encrypted, counted and audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pyrage
import pytest
from django.test import override_settings
from openpyxl import load_workbook

from tests.conftest import as_user, stepped_up
from vigil.audit.models import AuditEntry
from vigil.core.errors import StepUpRequired, ValidationFailed
from vigil.protection import cases, funds
from vigil.protection.chart import spending_svg
from vigil.protection.models import FundGrant

pytestmark = pytest.mark.django_db

IDENTITY = pyrage.x25519.Identity.generate()
RECIPIENT = str(IDENTITY.to_public())


@pytest.fixture
def ledger(users, canary):
    """A fund with four grants: two for a protection case, one named, one cancelled."""
    boss = users["coordinator"]
    with as_user(boss):
        fund = funds.create_fund(boss, name="Fictional Defence Fund", currency="EUR")
        case = cases.open_case(boss, beneficiary_name=canary)
        grants = [
            funds.record_grant(
                boss,
                fund,
                case=case,
                amount="1500",
                date="2025-03-01",
                purpose="legal_fees",
                status="disbursed",
            ),
            funds.record_grant(
                boss,
                fund,
                case=case,
                amount="250.50",
                date="2025-06-01",
                purpose="legal_fees",
            ),
            funds.record_grant(
                boss,
                fund,
                beneficiary_name=f"{canary} junior",
                amount="800",
                date="2026-01-10",
                purpose="relocation",
                status="disbursed",
            ),
            funds.record_grant(
                boss,
                fund,
                case=case,
                amount="999",
                date="2026-02-01",
                purpose="medical",
                status="cancelled",
            ),
        ]
    return fund, case, grants


def test_totals_sum_by_fund_year_and_purpose_and_leave_out_cancelled_grants(users, ledger):
    totals = funds.grant_totals(users["coordinator"])
    got = {(t.year, t.purpose, t.currency): (t.amount, t.grants) for t in totals}
    assert got == {
        (2025, "legal_fees", "EUR"): (Decimal("1750.50"), 2),
        (2026, "relocation", "EUR"): (Decimal("800.00"), 1),
    }
    assert {t.fund for t in totals} == {"Fictional Defence Fund"}


def test_totals_count_only_grants_the_user_may_see(users, ledger):
    assert funds.grant_totals(users["viewer"]) == []
    assert funds.grant_totals(users["colleague"]) == []
    assert funds.grant_totals(users["analyst"])  # analysts see restricted records


def test_spending_counts_only_disbursed_money_and_the_chart_names_no_beneficiary(
    users, ledger, canary
):
    spent = funds.spending_by_purpose(users["coordinator"])
    assert [(s.purpose, s.amount) for s in spent] == [
        ("legal_fees", Decimal("1500.00")),
        ("relocation", Decimal("800.00")),
    ]
    svg = spending_svg(spent, title="Disbursed", currency="EUR")
    assert svg.startswith("<svg") and svg.count("<rect") == 2
    assert "legal fees" in svg and "1,500.00 EUR" in svg
    assert canary not in svg
    assert spending_svg(spent, title="Disbursed", currency="USD") == ""


def test_a_grant_is_for_a_case_or_a_named_beneficiary_never_both_or_neither(users, ledger):
    fund, case, _ = ledger
    boss = users["coordinator"]
    with as_user(boss):
        for extra in ({}, {"case": case, "beneficiary_name": "Fictional Both"}):
            with pytest.raises(ValidationFailed):
                funds.record_grant(
                    boss, fund, amount="1", date="2026-01-01", purpose="other", **extra
                )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "-5"),
        ("amount", "NaN"),
        ("amount", "lots"),
        ("date", "2026-13-01"),
        ("purpose", "bribes"),
        ("currency", "euro"),
    ],
)
def test_bad_grant_input_is_a_clear_error(users, ledger, field, value):
    fund, case, _ = ledger
    given = {"amount": "10", "date": "2026-01-01", "purpose": "other", "currency": "EUR"}
    given[field] = value
    with as_user(users["coordinator"]), pytest.raises(ValidationFailed):
        funds.record_grant(users["coordinator"], fund, case=case, **given)


def test_a_named_beneficiary_is_encrypted_audited_and_granted_to_its_writer(users, ledger, canary):
    from django.db import connection

    _, _, grants = ledger
    named = grants[2]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {FundGrant._meta.db_table}")
        assert canary not in repr(cursor.fetchall())
    assert AuditEntry.objects.filter(
        event="identity_written", object_id=str(named.pk), meta__field="beneficiary_name"
    ).exists() or any(
        e.meta.get("field") == "beneficiary_name"
        for e in AuditEntry.objects.filter(event="identity_written", object_id=str(named.pk))
    )
    assert named.beneficiary_pseudonym == f"B-{named.number:04d}"


@override_settings(VIGIL_EXPORT_RECIPIENTS=[RECIPIENT])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_auditors_export_pseudonymises_beneficiaries_and_is_encrypted_and_audited(
    users, ledger, canary, fmt
):
    _, case, grants = ledger
    boss = users["coordinator"]
    with pytest.raises(StepUpRequired):
        funds.auditor_export(boss, fmt, request=None)
    result = funds.auditor_export(boss, fmt, request=stepped_up(boss))
    assert result.encrypted and result.filename.endswith(f".{fmt}.age")
    plain = pyrage.decrypt(result.data, [IDENTITY])
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(plain.decode())))
    else:
        sheet = load_workbook(io.BytesIO(plain), read_only=True).active
        rows = [
            [str(c) if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)
        ]
    assert rows[0] == list(funds.AUDIT_HEADER)
    beneficiaries = [r[-1] for r in rows[1:]]
    assert beneficiaries == [
        case.pseudonym,
        case.pseudonym,
        grants[2].beneficiary_pseudonym,
        case.pseudonym,
    ]
    assert canary not in plain.decode("utf-8", errors="replace")
    assert [r[2] for r in rows[1:]] == sorted(r[2] for r in rows[1:])
    entry = AuditEntry.objects.filter(event="export").latest("seq")
    assert entry.meta["count"] == 4 and entry.meta["format"] == fmt


def test_the_auditors_export_holds_only_grants_the_user_may_export(users, ledger):
    assert funds.auditor_rows(users["viewer"]) == []
    assert len(funds.auditor_rows(users["analyst"])) == 4


def test_disbursement_status_changes_through_the_policy(users, ledger):
    from vigil.core.errors import Forbidden

    _, _, grants = ledger
    with as_user(users["colleague"]), pytest.raises(Forbidden):
        funds.set_disbursement(users["colleague"], grants[1], "disbursed")
    with as_user(users["coordinator"]):
        funds.set_disbursement(users["coordinator"], grants[1], "disbursed")
    spent = funds.spending_by_purpose(users["coordinator"])
    assert spent[0].amount == Decimal("1750.50")
    assert dt.date(2025, 6, 1) == FundGrant.objects.get(pk=grants[1].pk).date
