"""A lawyer's profile lists the cases they appear in as counsel, as a judge's lists theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import term
from vigil.core.context import change_context
from vigil.records.models import Act, Counsel, Participant, Person

pytestmark = pytest.mark.django_db


def _counsel_section(client, person) -> str:  # type: ignore[no-untyped-def]
    html = client.get(reverse("web:person", args=[person.pk])).content.decode()
    assert 'id="counsel-title"' in html, "no counsel section"
    start = html.index('id="counsel-title"')
    return html[start : html.index("</section>", start)]


def test_a_lawyers_profile_lists_acts_as_counsel_with_role_unconfirmed_where_the_source_is_open(
    viewer_client, fictional_case
):
    with change_context("test"):
        Counsel.objects.create(act=fictional_case.arrest, lawyer=fictional_case.lawyer)
    section = _counsel_section(viewer_client, fictional_case.lawyer)
    rows = section.split("<tr>")[2:]
    assert len(rows) == 2
    arrest, sentence = rows  # oldest first
    assert "Arrest" in arrest and "role unconfirmed" not in arrest
    assert "Conviction and sentence" in sentence and "role unconfirmed" in sentence
    assert "Testa Fictionalia" in arrest and "4 years 6 months" in sentence
    assert "Appears as counsel in 2 acts." in section


def test_confirmed_counsel_and_a_source_naming_them_in_the_same_act_show_one_confirmed_row(
    viewer_client, fictional_case
):
    with change_context("test"):
        Counsel.objects.create(act=fictional_case.sentence, lawyer=fictional_case.lawyer)
    section = _counsel_section(viewer_client, fictional_case.lawyer)
    assert "Appears as counsel in 1 act." in section and "role unconfirmed" not in section


def test_acts_the_user_may_not_view_and_other_participant_roles_are_left_out(
    viewer_client, fictional_case
):
    with change_context("test"):
        hidden = Act.objects.create(
            event=fictional_case.event,
            act_type_id=term("act_type", "trial"),
            victim_person=fictional_case.victim,
            date=dt.date(2021, 2, 1),
            confidentiality="restricted",
        )
        Counsel.objects.create(act=hidden, lawyer=fictional_case.lawyer)
        witness = Person.objects.create(display_name="Testis Fictus", is_synthetic=True)
        Participant.objects.create(
            act=fictional_case.sentence, person=witness, name_text="Testis", stated_role="witness"
        )
    section = _counsel_section(viewer_client, fictional_case.lawyer)
    assert "Trial" not in section and "Appears as counsel in 1 act." in section
    html = viewer_client.get(reverse("web:person", args=[witness.pk])).content.decode()
    assert 'id="counsel-title"' not in html
