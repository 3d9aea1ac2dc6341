"""A place of detention is shown as one, never as the court; only courts are courts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import term
from vigil.core.context import change_context
from vigil.records.models import Act, Involvement, Organisation
from vigil.reports.coverage import Coverage
from vigil.reports.figures import figure

pytestmark = pytest.mark.django_db


def _html(client, name: str, pk) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def _timeline_entry(html: str, act: Act) -> str:
    start = html.index(f'id="act-{act.pk}"')
    return html[start : html.index("</article>", start)]


def test_the_profile_labels_the_colony_a_place_of_detention_and_says_no_court_is_named(
    viewer_client, fictional_case
):
    html = _html(viewer_client, "web:person", fictional_case.victim.pk)
    entry = _timeline_entry(html, fictional_case.sentence)
    assert "<dt>Place of detention</dt>" in entry
    assert "Fictional Penal Colony No. 0" in entry
    assert "<dt>Court</dt>" in entry and "court not named in the source" in entry
    assert "<dt>Place</dt>" not in entry


def test_a_sentence_handed_by_a_court_shows_the_court_and_the_place_of_detention_apart(
    viewer_client, fictional_case
):
    with change_context("test"):
        court = Organisation.objects.create(
            display_name="Fictional Regional Court", kind_id=term("organisation_kind", "court")
        )
        held = fictional_case.sentence.place
        retrial = Act.objects.create(
            event=fictional_case.event,
            act_type_id=term("act_type", "sentence"),
            victim_person=fictional_case.victim,
            date=dt.date(2022, 1, 10),
            place=court,
        )
        Act.objects.create(
            event=fictional_case.event,
            act_type_id=term("act_type", "detention"),
            victim_person=fictional_case.victim,
            date=dt.date(2022, 1, 11),
            place=held,
        )
    entry = _timeline_entry(
        _html(viewer_client, "web:person", fictional_case.victim.pk), retrial
    )
    assert "<dt>Court</dt>" in entry and "Fictional Regional Court" in entry
    assert "court not named" not in entry


def test_the_judge_dossier_lists_only_courts_as_courts(viewer_client, fictional_case):
    with change_context("test"):
        court = Organisation.objects.create(
            display_name="Fictional District Court", kind_id=term("organisation_kind", "court")
        )
        trial = Act.objects.create(
            event=fictional_case.event,
            act_type_id=term("act_type", "trial"),
            victim_person=fictional_case.victim,
            date=dt.date(2021, 2, 20),
            place=court,
        )
        Involvement.objects.create(
            act=trial,
            perpetrator_person=fictional_case.judge,
            role_id=term("perpetrator_role", "judge"),
        )
    html = _html(viewer_client, "web:perpetrator", fictional_case.judge.pk)
    courts = html[html.index('id="perp-courts"') :].split("</section>")[0]
    assert "Fictional District Court" in courts
    assert "Fictional Penal Colony" not in courts
    assert "Courts and places" not in html
    # The colony is still shown, for what it is, beside the sentence.
    assert "place of detention: <a" in html and "court not named in the source" in html


def test_the_country_reports_courts_figure_counts_courts_from_every_source_and_no_prison(
    fictional_case, admin_user
):
    with change_context("test"):
        court = Organisation.objects.create(
            display_name="Fictional Administrative Court",
            kind_id=term("organisation_kind", "court"),
        )
        for kind in ("administrative_arrest", "administrative_fine"):  # as ZUBR records them
            Act.objects.create(
                event=fictional_case.event,
                act_type_id=term("act_type", kind),
                victim_person=fictional_case.victim,
                date=dt.date(2021, 5, 1),
                place=court,
            )
    found = figure("courts", Coverage(admin_user))
    assert [r[0] for r in found.rows] == ["Fictional Administrative Court"]
    assert found.rows[0][1:] == (2, 1)


def test_a_court_the_reader_may_not_view_is_neither_shown_nor_called_not_named(
    viewer_client, fictional_case
):
    with change_context("test"):
        court = Organisation.objects.create(
            display_name="Fictional Closed Court",
            kind_id=term("organisation_kind", "court"),
            confidentiality="restricted",
        )
        trial = Act.objects.create(
            event=fictional_case.event,
            act_type_id=term("act_type", "trial"),
            victim_person=fictional_case.victim,
            date=dt.date(2021, 2, 20),
            place=court,
        )
    entry = _timeline_entry(_html(viewer_client, "web:person", fictional_case.victim.pk), trial)
    assert "Fictional Closed Court" not in entry
    assert "court not named" not in entry and "<dt>Court</dt>" not in entry
