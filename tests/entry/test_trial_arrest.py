"""A trial entry follows a recorded arrest instead of adding a second one (issue 10, item 5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.entry.test_views import TRIAL
from vigil.core.context import change_context
from vigil.records.date_input import parse_date_input
from vigil.records.entry import (
    ArrestChoiceNeeded,
    ArrestInput,
    PersonRef,
    SourceInput,
    TrialInput,
    record_arrest,
    record_trial,
)
from vigil.records.models import Act, EventLink, Information, Person

pytestmark = pytest.mark.django_db


def _arrests(person: Person) -> list[Act]:
    return list(Act.objects.filter(victim_person=person, act_type__key="arrest"))


@pytest.fixture
def arrested(documenter: Any, testavy: Person) -> Act:
    """Testavy's arrest on 10 August 2021, cited to a fictional arrest report."""
    data = ArrestInput(
        victim=PersonRef(person_id=testavy.pk),
        date=parse_date_input("10.08.2021"),
        sources=[SourceInput(title="Fictional arrest report")],
    )
    with change_context("test", actor=documenter):
        return record_arrest(documenter, data).acts[0]


def _trial(victim: Person, arrest_date: str, **extra: Any) -> TrialInput:
    return TrialInput(
        victim=PersonRef(person_id=victim.pk),
        date=parse_date_input("24.11.2021"),
        arrest_date=parse_date_input(arrest_date),
        sources=[SourceInput(title="Fictional court monitoring note")],
        **extra,
    )


@pytest.mark.parametrize("typed", ["10.08.2021", "August 2021", "2021"])
def test_a_trial_on_a_recorded_arrest_date_follows_that_arrest(
    documenter, testavy, arrested, typed
):
    with change_context("test", actor=documenter):
        recorded = record_trial(documenter, _trial(testavy, typed))
    assert _arrests(testavy) == [arrested]
    assert recorded.reused == [arrested]
    assert [a.act_type.key for a in recorded.acts] == ["trial"]
    # The trial's source is not cited for the arrest it did not report.
    act_type = ContentType.objects.get_for_model(Act)
    cited = Information.objects.filter(target_type=act_type, target_id=arrested.pk)
    assert [i.source.title for i in cited] == ["Fictional arrest report"]
    link = EventLink.objects.get(from_event=recorded.event)
    assert (link.to_event_id, link.relation_id) == (arrested.event_id, "chain_relation.follows")


def test_an_arrest_on_another_date_is_a_question_and_nothing_is_saved(
    documenter, testavy, arrested
):
    acts = Act.objects.count()
    with change_context("test", actor=documenter), pytest.raises(ArrestChoiceNeeded) as asked:
        record_trial(documenter, _trial(testavy, "March 2022"))
    assert asked.value.field == "arrest_date"
    assert asked.value.arrests == [arrested]
    assert Act.objects.count() == acts


def test_the_user_may_choose_the_recorded_arrest_or_a_new_one(documenter, testavy, arrested):
    with change_context("test", actor=documenter):
        chosen = record_trial(documenter, _trial(testavy, "March 2022", arrest_id=arrested.pk))
        assert chosen.reused == [arrested] and _arrests(testavy) == [arrested]
        added = record_trial(documenter, _trial(testavy, "March 2022", new_arrest=True))
    assert [a.act_type.key for a in added.acts] == ["arrest", "trial"]
    assert len(_arrests(testavy)) == 2


def test_a_person_without_arrests_gets_the_arrest_of_the_form(documenter, testavy):
    with change_context("test", actor=documenter):
        recorded = record_trial(documenter, _trial(testavy, "August 2021"))
    assert [a.act_type.key for a in recorded.acts] == ["arrest", "trial"]
    assert recorded.reused == []


def test_the_trial_form_reuses_the_arrest_and_asks_about_another_date(
    documenter_client, testavy, arrested
):
    base = {**TRIAL, "victim_existing": str(testavy.pk), "victim_name_latn": "", "judge_name": ""}
    response = documenter_client.post(reverse("entry:trial"), {**base, "arrest_date": "March 2022"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Which arrest does this trial follow?" in html
    assert f'id="arrest-choice-{arrested.pk}" value="{arrested.pk}"' in html
    assert len(_arrests(testavy)) == 1
    data = {**base, "arrest_date": "March 2022", "arrest_choice": str(arrested.pk)}
    assert documenter_client.post(reverse("entry:trial"), data).status_code == 302
    data = {**base, "arrest_date": "10.08.2021"}
    assert documenter_client.post(reverse("entry:trial"), data).status_code == 302
    assert _arrests(testavy) == [arrested]
