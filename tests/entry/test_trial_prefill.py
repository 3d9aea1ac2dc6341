"""A trial started from a profile begins with what is recorded (issue 10, small things)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests.entry.conftest import make_person
from vigil.core.context import change_context
from vigil.records.date_input import parse_date_input
from vigil.records.entry import (
    ArrestInput,
    OrganisationRef,
    PersonRef,
    TrialInput,
    record_arrest,
    record_trial,
)
from vigil.records.models import Act, Event, Organisation, Term

pytestmark = pytest.mark.django_db


def _value(html: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert found, name
    value = re.search(r'value="([^"]*)"', found.group())
    return value.group(1) if value else ""


def test_the_form_starts_with_the_defendant_arrest_court_and_judge(
    documenter: Any, documenter_client: Any, testavy: Any
) -> None:
    judge = make_person("Maksim Filatau")
    with change_context("test", actor=documenter):
        record_arrest(
            documenter,
            ArrestInput(
                victim=PersonRef(person_id=testavy.pk), date=parse_date_input("10.08.2021")
            ),
        )
        record_trial(
            documenter,
            TrialInput(
                victim=PersonRef(person_id=testavy.pk),
                date=parse_date_input("24.11.2021"),
                court=OrganisationRef(name="Fictional District Court"),
                judge=PersonRef(person_id=judge.pk),
                judge_role="presiding_judge",
            ),
        )
    html = documenter_client.get(reverse("entry:trial") + f"?person={testavy.pk}").content.decode()
    assert f'value="{testavy.pk}" checked' in html
    assert parse_date_input(_value(html, "arrest_date")) == parse_date_input("10.08.2021")
    assert _value(html, "court") == "Fictional District Court"
    assert f'id="judge-pick-{judge.pk}" value="{judge.pk}" checked' in html
    assert re.search(r'<option value="presiding_judge" selected>', html)


def test_a_place_of_detention_is_never_offered_as_the_court(
    documenter: Any, documenter_client: Any, testavy: Any
) -> None:
    with change_context("test", actor=documenter):
        prison = Organisation(
            display_name="Fictional Colony No. 0",
            kind_id=Term.pk_for("organisation_kind", "prison"),
        )
        prison.save()
        event = Event(title="Fictional sentence")
        event.save()
        Act(
            event=event,
            act_type_id=Term.pk_for("act_type", "sentence"),
            victim_person=testavy,
            place=prison,
        ).save()
    html = documenter_client.get(reverse("entry:trial") + f"?person={testavy.pk}").content.decode()
    assert "Fictional Colony No. 0" not in html
    assert _value(html, "court") == "" and _value(html, "arrest_date") == ""


def test_a_person_with_nothing_recorded_gets_only_the_defendant(
    documenter_client: Any, testavy: Any
) -> None:
    html = documenter_client.get(reverse("entry:trial") + f"?person={testavy.pk}").content.decode()
    assert f'value="{testavy.pk}" checked' in html
    assert _value(html, "court") == "" and 'name="judge_existing"' not in html
