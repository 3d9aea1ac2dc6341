"""The pages and the API of protection cases and funds, and the promise that a user without the
grant never learns who a beneficiary is: not from a page, an export, the API, an alert or a log."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging

import pyrage
import pytest
from django.test import Client, override_settings
from openpyxl import load_workbook

from tests.conftest import as_user, stepped_up
from vigil.accounts.testing import login_verified
from vigil.accounts.tokens import create_token
from vigil.alerts.models import Notification, Outbox
from vigil.audit.models import AuditEntry
from vigil.protection import cases, funds
from vigil.protection.access import grant_access
from vigil.protection.models import FundGrant, ProtectionAction, ProtectionCase

pytestmark = pytest.mark.django_db

IDENTITY = pyrage.x25519.Identity.generate()
RECIPIENT = str(IDENTITY.to_public())


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _export_text(plain: bytes, fmt: str) -> str:
    if fmt == "csv":
        return plain.decode("utf-8")
    sheet = load_workbook(io.BytesIO(plain), read_only=True).active
    return repr(list(sheet.iter_rows(values_only=True)))


@pytest.fixture
def planted(users, canary):
    """A documenter's case, action, fund and grants; the canary only in identity fields."""
    owner = users["documenter"]
    with as_user(owner):
        case = cases.open_case(
            owner,
            beneficiary_name=canary,
            beneficiary_contacts=f"{canary}@example.org",
            location=f"{canary} street",
            dependants=f"{canary} junior",
            threats="Fictional threats: summoned by the KGB twice",
        )
        action = cases.add_action(owner, case, kind="legal_aid", due="2026-02-01")
    boss = users["coordinator"]
    with as_user(boss):
        fund = funds.create_fund(boss, name="Fictional Solidarity Fund")
        paid = funds.record_grant(
            boss,
            fund,
            case=case,
            amount="1200",
            date="2026-01-05",
            purpose="legal_fees",
            status="disbursed",
        )
        named = funds.record_grant(
            boss,
            fund,
            beneficiary_name=f"{canary} senior",
            amount="300",
            date="2026-01-07",
            purpose="family",
        )
    return {"case": case, "action": action, "fund": fund, "paid": paid, "named": named}


def _pages(p) -> list[str]:
    return [
        "/protection/",
        f"/protection/cases/{p['case'].pk}/",
        f"/protection/cases/{p['case'].pk}/identity/",
        "/protection/funds/",
        f"/protection/funds/{p['fund'].pk}/",
        "/alerts/",
        "/",
    ]


def test_a_coordinator_sees_the_case_by_pseudonym_and_never_the_name(users, planted, canary):
    client = login_verified(Client(), users["coordinator"])
    board = client.get("/protection/")
    assert board.status_code == 200
    assert planted["case"].pseudonym in _body(board)
    page = client.get(f"/protection/cases/{planted['case'].pk}/")
    assert page.status_code == 200
    assert "Fictional threats" in _body(page)
    assert "Who this is is hidden" in _body(page)
    for path in _pages(planted):
        response = client.get(path)
        assert response.status_code < 500, path
        assert canary not in _body(response), path


@override_settings(VIGIL_EXPORT_RECIPIENTS=[RECIPIENT], VIGIL_LOG_LEVEL="DEBUG")
@pytest.mark.parametrize("role", ["coordinator", "analyst", "viewer", "colleague", "admin"])
def test_a_user_without_the_grant_learns_no_beneficiary_from_any_surface(
    users, planted, canary, role, caplog
):
    caplog.set_level(logging.DEBUG)
    user = users[role]
    client = login_verified(Client(raise_request_exception=False), user)
    for path in _pages(planted):
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code < 500, (method, path)
            assert canary not in _body(response), (role, method, path)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/protection/funds/grants.{fmt}")
        assert response.status_code < 500
        if response.status_code == 200:
            text = _export_text(pyrage.decrypt(response.content, [IDENTITY]), fmt)
            assert canary not in text
            assert planted["case"].pseudonym in text or role in ("viewer", "colleague")
    token = create_token(user, "fictional token")[1]
    headers = {"Authorization": f"Bearer {token}"}
    for path in (
        "/api/protection/cases",
        f"/api/protection/cases/{planted['case'].pk}",
        "/api/protection/funds",
        "/api/protection/grants",
        "/api/protection/totals",
        "/api/openapi.json",
    ):
        response = client.get(path, headers=headers)
        assert response.status_code < 500, path
        assert canary not in _body(response), (role, path)
    assert canary not in caplog.text
    stored = [
        *Notification.objects.values(),
        *Outbox.objects.values(),
        *AuditEntry.objects.values(),
    ]
    assert canary not in repr(stored)


def test_a_granted_coordinator_reveals_the_identity_once_stepped_up_and_it_is_audited(
    users, planted, canary
):
    boss = users["coordinator"]
    grant_access(users["admin"], boss, planted["case"], request=stepped_up(users["admin"]))
    client = login_verified(Client(), boss)
    assert canary not in _body(client.get(f"/protection/cases/{planted['case'].pk}/"))
    shown = client.get(f"/protection/cases/{planted['case'].pk}/identity/")
    assert shown.status_code == 200
    assert canary in _body(shown)
    assert AuditEntry.objects.filter(
        event="identity_read", actor_id=boss.pk, object_id=str(planted["case"].pk)
    ).exists()
    stale = Client()
    stale.force_login(boss)
    redirected = stale.get(f"/protection/cases/{planted['case'].pk}/identity/")
    assert redirected.status_code == 302 and canary not in _body(redirected)


def test_the_web_forms_open_a_case_add_an_action_record_a_grant_and_show_totals(users, canary):
    client = login_verified(Client(), users["coordinator"])
    created = client.post(
        "/protection/cases/new/",
        {"beneficiary_name": canary, "urgency": "1", "threats": "Fictional raid", "needs": "visa"},
    )
    case = ProtectionCase.objects.get()
    assert created.status_code == 302 and created["Location"].endswith(f"{case.pk}/")
    client.post(
        f"/protection/cases/{case.pk}/actions/",
        {"kind": "relocation", "due": "2026-03-01", "owner": str(users["coordinator"].pk)},
    )
    action = ProtectionAction.objects.get()
    assert action.kind == "relocation" and action.owner == users["coordinator"]
    client.post(f"/protection/actions/{action.pk}/", {"status": "done"})
    assert ProtectionAction.objects.get().status == "done"
    client.post("/protection/funds/", {"name": "Fictional Fund", "currency": "EUR"})
    fund = funds.visible_funds(users["coordinator"]).get()
    client.post(
        f"/protection/funds/{fund.pk}/",
        {
            "case": str(case.pk),
            "amount": "2500",
            "date": "2026-02-02",
            "purpose": "relocation",
            "status": "disbursed",
        },
    )
    assert FundGrant.objects.get().amount == 2500
    page = _body(client.get("/protection/funds/"))
    assert "2500.00 EUR" in page and "<svg" in page and "relocation" in page
    assert canary not in page
    client.post(f"/protection/cases/{case.pk}/close/", {"outcome": "Fictional: resettled"})
    assert ProtectionCase.objects.get().status == "closed"


def test_a_belarusian_page_takes_dates_in_its_own_form_and_refuses_others_in_belarusian(
    users, planted
):
    coordinator = users["coordinator"]
    coordinator.language = "be"
    coordinator.save(update_fields=["language"])
    client = login_verified(Client(), coordinator)
    case = planted["case"]
    client.post(
        f"/protection/cases/{case.pk}/actions/", {"kind": "relocation", "due": "01.03.2026"}
    )
    assert ProtectionAction.objects.filter(kind="relocation").get().due == dt.date(2026, 3, 1)
    fund = planted["fund"]
    client.post(
        f"/protection/funds/{fund.pk}/",
        {
            "amount": "700",
            "date": "15.01.2026",
            "purpose": "legal_fees",
            "beneficiary_name": "Fictional Grantee",
        },
    )
    assert FundGrant.objects.filter(amount=700).get().date == dt.date(2026, 1, 15)
    refused = client.post(
        f"/protection/funds/{fund.pk}/",
        {
            "amount": "800",
            "date": "01/15/2026",
            "purpose": "legal_fees",
            "beneficiary_name": "Fictional Grantee",
        },
        follow=True,
    )
    assert "запішыце яе як дд.мм.гггг" in _body(refused)
    assert not FundGrant.objects.filter(amount=800).exists()
    page = _body(client.get(f"/protection/cases/{case.pk}/"))
    assert 'placeholder="дд.мм.гггг"' in page and 'type="date"' not in page


def test_bad_form_input_is_a_message_not_an_error(users, planted):
    client = login_verified(Client(), users["coordinator"])
    response = client.post(
        f"/protection/funds/{planted['fund'].pk}/",
        {"amount": "lots", "date": "someday", "purpose": "bribes", "beneficiary_name": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert "An amount is a number" in _body(response)
    assert FundGrant.objects.count() == 2


def test_a_viewer_may_not_open_a_case(users, canary):
    client = login_verified(Client(), users["viewer"])
    assert client.post("/protection/cases/new/", {"beneficiary_name": canary}).status_code == 404
    assert not ProtectionCase.objects.exists()


def _api(client, user, method, path, body=None):
    token = create_token(user, "fictional token")[1]
    headers = {"Authorization": f"Bearer {token}"}
    if body is None:
        return getattr(client, method)(f"/api{path}", headers=headers)
    return getattr(client, method)(
        f"/api{path}", data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_the_api_opens_a_case_adds_an_action_records_a_grant_and_totals_it(users, canary):
    client, boss = Client(), users["coordinator"]
    made = _api(
        client,
        boss,
        "post",
        "/protection/cases",
        {"beneficiary_name": canary, "urgency": 1, "threats": "Fictional"},
    )
    assert made.status_code == 201, made.content
    case = made.json()
    assert canary not in made.content.decode()
    assert case["pseudonym"].startswith("P-") and case["identity_granted"] is True
    acted = _api(
        client,
        boss,
        "post",
        f"/protection/cases/{case['id']}/actions",
        {"kind": "quiet_diplomacy", "due": "2026-04-01"},
    )
    assert acted.status_code == 201
    assert acted.json()["actions"][0]["kind"] == "quiet_diplomacy"
    changed = _api(
        client,
        boss,
        "patch",
        f"/protection/cases/{case['id']}",
        {"version": case["version"], "urgency": 3},
    )
    assert changed.status_code == 200 and changed.json()["urgency"] == 3
    stale = _api(
        client,
        boss,
        "patch",
        f"/protection/cases/{case['id']}",
        {"version": case["version"], "urgency": 2},
    )
    assert stale.status_code == 409
    fund = _api(client, boss, "post", "/protection/funds", {"name": "Fictional API Fund"}).json()
    both = _api(
        client,
        boss,
        "post",
        f"/protection/funds/{fund['id']}/grants",
        {
            "case": case["id"],
            "beneficiary_name": "Fictional",
            "amount": "10",
            "date": "2026-01-01",
            "purpose": "other",
        },
    )
    assert both.status_code == 422
    grant = _api(
        client,
        boss,
        "post",
        f"/protection/funds/{fund['id']}/grants",
        {
            "case": case["id"],
            "amount": "700.25",
            "date": "2026-01-01",
            "purpose": "legal_fees",
            "status": "disbursed",
        },
    )
    assert grant.status_code == 201, grant.content
    assert grant.json()["beneficiary"] == case["pseudonym"]
    totals = _api(client, boss, "get", "/protection/totals").json()
    assert totals == [
        {
            "fund": "Fictional API Fund",
            "year": 2026,
            "purpose": "legal_fees",
            "currency": "EUR",
            "amount": "700.25",
            "grants": 1,
        }
    ]
    hidden = _api(client, users["viewer"], "get", f"/protection/cases/{case['id']}")
    assert hidden.status_code == 404


def test_the_api_schema_keeps_one_component_per_name(client):
    """Protection schemas must not replace the records' own (e.g. CaseOut) in the OpenAPI."""
    from vigil.api.api import api

    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    assert "pseudonym" not in components["CaseOut"]["properties"]
    assert "pseudonym" in components["ProtectionCaseOut"]["properties"]


def test_a_named_grant_beneficiary_shows_only_to_its_granted_writer(users, planted, canary):
    named = planted["named"]
    path = f"/protection/grants/{named.pk}/identity/"
    writer = login_verified(Client(), users["coordinator"])
    fund_page = _body(writer.get(f"/protection/funds/{planted['fund'].pk}/"))
    assert path in fund_page and canary not in fund_page
    shown = writer.get(path)
    assert shown.status_code == 200 and f"{canary} senior" in _body(shown)
    assert AuditEntry.objects.filter(event="identity_read", object_id=str(named.pk)).exists()
    other = login_verified(Client(), users["coordinator2"])
    assert path not in _body(other.get(f"/protection/funds/{planted['fund'].pk}/"))
    assert other.get(path).status_code == 404
