"""Errors are JSON with the status of their VigilError; pages are bounded."""

import logging
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigil.core.errors import ConflictError, VigilError


def test_invalid_uuid_gets_json_422(api, db):
    response = api.get("/persons/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["error"] == "The request is not valid."
    assert response.json()["detail"][0]["loc"][-1] == "id"


def test_malformed_json_body_gets_json_400(api, db):
    response = api.call("POST", "/persons", "admin", "{not json")
    assert response.status_code == 400
    assert set(response.json()) == {"error"}


def test_control_characters_are_refused(api, db):
    response = api.call("POST", "/persons", "admin", {"display_name": "Nul\x00Fictiva"})
    assert response.status_code == 422


@pytest.mark.parametrize("error", [ConflictError("stale"), VigilError("bad input")])
def test_vigil_errors_keep_their_status(api, db, monkeypatch, error):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr("vigil.api.persons.search", fail)
    response = api.get("/persons")
    assert response.status_code == error.status
    assert response.json() == {"error": error.message}


def test_unexpected_error_is_a_json_500_with_an_id_and_no_traceback(api, db, monkeypatch):
    canary = f"canary-{uuid.uuid4().hex}"

    def fail(*args, **kwargs):
        raise RuntimeError(canary)

    monkeypatch.setattr("vigil.api.persons.search", fail)
    response = api.get("/persons")
    assert response.status_code == 500
    body = response.json()
    assert body["id"] and body["id"] in body["error"]
    text = response.content.decode()
    assert canary not in text and "Traceback" not in text and "RuntimeError" not in text


@pytest.mark.parametrize("query", [{"limit": 201}, {"limit": 0}, {"offset": -1}, {"limit": "x"}])
def test_out_of_bounds_paging_gets_422(api, db, query):
    assert api.get("/persons", **query).status_code == 422


def test_page_reports_its_bounds_and_total(api, world):
    page = api.get("/persons", limit=2, offset=1).json()
    assert (page["limit"], page["offset"], page["count"]) == (2, 1, 4)
    assert len(page["items"]) == 2
    assert api.get("/persons", limit=200, offset=4).json()["items"] == []


def test_default_page_is_fifty(api, db):
    assert api.get("/persons").json()["limit"] == 50


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(limit=st.integers(1, 200), offset=st.integers(0, 6))
def test_pages_partition_the_list(api, world, limit, offset):
    everyone = [p["id"] for p in api.get("/persons", limit=200).json()["items"]]
    page = api.get("/persons", limit=limit, offset=offset).json()
    assert page["count"] == len(everyone)
    assert [p["id"] for p in page["items"]] == everyone[offset : offset + limit]


def test_schema_choices_match_the_models():
    from typing import get_args

    from vigil.api.schemas import common, names, persons
    from vigil.core.models import Confidentiality
    from vigil.records.models import DatePrecision, NameKind, Script, Sex

    assert set(get_args(common.ConfidentialityLevel)) == set(Confidentiality.values)
    assert set(get_args(common.Precision)) == set(DatePrecision.values)
    assert set(get_args(persons.SexValue)) == set(Sex.values)
    assert set(get_args(names.ScriptValue)) == {*Script.values, ""}
    assert set(get_args(names.NameKindValue)) == set(NameKind.values)


def test_every_choice_a_presenter_checks_lists_exactly_the_stored_values():
    from vigil.api import checks
    from vigil.api.schemas import acts, common, events, protection, sanctions, solidarity, sources
    from vigil.protection import models as protection_models
    from vigil.records import checks as record_checks
    from vigil.records import models as records
    from vigil.records.models.cases import CaseStatus
    from vigil.sanctions.gap import STATUS_ORDER
    from vigil.sanctions.models import Decision
    from vigil.solidarity import calendar
    from vigil.solidarity import models as solidarity_models

    calendar_kinds = {v for k, v in vars(calendar.Kind).items() if k.isupper()}
    pairs = [
        (common.PRECISIONS, records.DatePrecision.values),
        (acts.ACT_STATUSES, records.ActStatus.values),
        (acts.INCHOATES, records.Inchoate.values),
        (events.CASE_STATUSES, CaseStatus.values),
        (sources.CLAIM_KINDS, records.ClaimKind.values),
        (protection.URGENCIES, protection_models.Urgency.values),
        (protection.PROTECTION_STATUSES, protection_models.CaseStatus.values),
        (protection.PURPOSES, protection_models.GrantPurpose.values),
        (protection.DISBURSEMENTS, protection_models.Disbursement.values),
        (sanctions.DECISIONS, Decision.values),
        (sanctions.LIST_STATES, list(STATUS_ORDER)),
        (solidarity.HEARING_KINDS, solidarity_models.HearingKind.values),
        (solidarity.ACCESS_CODES, solidarity_models.Access.values),
        (solidarity.STATEMENT_KINDS, solidarity_models.StatementKind.values),
        (solidarity.CALENDAR_KINDS, calendar_kinds),
        (checks.KINDS, list(record_checks.KINDS)),
    ]
    for members, stored in pairs:
        assert len(members) == len(set(members))
        assert set(members) == set(stored), members


def test_a_stored_choice_the_schema_does_not_list_is_refused_not_passed_on():
    from vigil.api.present import choice
    from vigil.api.schemas.common import PRECISIONS
    from vigil.api.schemas.protection import URGENCIES

    assert choice("month", PRECISIONS) == "month"
    assert choice(3, URGENCIES) == 3
    with pytest.raises(ValueError, match="fortnight"):
        choice("fortnight", PRECISIONS)
    with pytest.raises(ValueError):
        choice(5, URGENCIES)


def test_a_record_with_an_unknown_stored_choice_is_a_500_not_a_silent_value(api, db):
    from vigil.records.models import Event

    body = {"title": "Fictional search", "date": "2021-03-01"}
    created = api.call("POST", "/events", "admin", body)
    assert created.status_code == 201, created.content
    # "season": not a precision, and short enough for the column (PostgreSQL checks the width)
    Event.objects.filter(pk=created.json()["id"]).update(date_precision="season")
    response = api.get(f"/events/{created.json()['id']}")
    assert response.status_code == 500
    assert "season" not in response.content.decode()


def test_lone_surrogate_in_a_body_is_a_4xx(api, db):
    response = api.call("POST", "/persons", "admin", '{"display_name": "Fict\\ud800iva"}')
    assert 400 <= response.status_code < 500


def test_an_api_refusal_is_logged_as_one_line_without_a_traceback(api, db, caplog):
    body = {"display_name": "Publica Fictiva", "confidentiality": "public"}
    with caplog.at_level(logging.INFO):
        response = api.call("POST", "/persons", "documenter", body)
    assert response.status_code == 403
    logged = [r for r in caplog.records if r.name in ("django.request", "vigil.errors")]
    assert len(logged) <= 1 and all(r.exc_info is None for r in logged)
