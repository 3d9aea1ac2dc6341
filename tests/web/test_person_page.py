"""The person page: identity, names, custody, the timeline with its sources, history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from vigil.core.context import change_context
from vigil.records.models import Act, Person, Term

pytestmark = pytest.mark.django_db


def _page(client, person) -> str:
    response = client.get(reverse("web:person", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_person_page_shows_names_in_every_script_with_kind_and_language(
    viewer_client, fictional_case
):
    html = _page(viewer_client, fictional_case.victim)
    assert '<td data-label="Name"><span lang="be">Тэста Фіктыўная</span></td>' in html
    assert (
        '<td data-label="Script">Cyrillic</td><td data-label="Language">Belarusian</td>'
        '<td data-label="Kind">official</td>'
    ) in html  # labels, not codes


def test_person_page_shows_birth_date_at_its_precision(viewer_client, fictional_case):
    html = _page(viewer_client, fictional_case.victim)
    assert '1980 <span class="muted">(known to the year)' in html
    assert "1 January 1980" not in html


def test_person_page_shows_external_ids_with_status_and_link(viewer_client, fictional_case):
    html = _page(viewer_client, fictional_case.victim)
    assert "<code>fictional-0001</code>" in html
    assert "status as listed by the source: active" in html
    assert 'href="https://example.org/fictional-0001"' in html


def test_person_page_lists_the_timeline_in_date_order(viewer_client, fictional_case):
    html = _page(viewer_client, fictional_case.victim)
    arrest = html.index(f'id="act-{fictional_case.arrest.pk}"')
    sentence = html.index(f'id="act-{fictional_case.sentence.pk}"')
    appeal = html.index(f'id="act-{fictional_case.appeal.pk}"')
    assert arrest < sentence < appeal
    assert ">10 August 2020</time>" in html
    assert ">June 2021</time>" in html


def test_timeline_shows_charges_sentence_and_perpetrators(viewer_client, fictional_case):
    html = _page(viewer_client, fictional_case.victim)
    assert "<strong>Part 1 of Art. 342 CC</strong>" in html
    assert "attempt (Art. 14)" in html
    assert "“Part 1 of Art. 342 (fictional wording)”" in html
    assert "<strong>4 years 6 months</strong>, General-regime penal colony" in html
    assert "fine 100 base rates" in html
    assert "Fictional Penal Colony No. 0" in html
    judge_link = f'<a href="/persons/{fictional_case.judge.pk}/">Iudex Fictus</a>'
    assert judge_link in html


def test_timeline_labels_participants_whose_role_is_unconfirmed(viewer_client, fictional_case):
    html = _page(viewer_client, fictional_case.victim)
    assert "named by the source as counsel — role not confirmed" in html
    assert f'href="/persons/{fictional_case.lawyer.pk}/">Advocata Imaginaria</a>' in html
    assert "<dt>Counsel</dt>" not in html


def test_timeline_shows_sources_on_the_act_its_event_and_the_person(viewer_client, fictional_case):
    html = _page(viewer_client, fictional_case.victim)
    sentence = html.index(f'id="act-{fictional_case.sentence.pk}"')
    appeal = html.index(f'id="act-{fictional_case.appeal.pk}"')
    sentence_block = html[sentence:appeal]
    assert 'href="https://example.org/c"' in sentence_block
    assert "Sentenced to a fictional term." in sentence_block
    assert "Fictional monitoring page" in sentence_block
    assert "on the event “Fictional prosecution of Testa Fictionalia”" in sentence_block
    assert "Sources about this person" in html
    assert "Fictional profile page" in html


def test_custody_badge_says_when_the_term_ended_without_a_recorded_release(
    viewer_client, fictional_case
):
    html = _page(viewer_client, fictional_case.victim)
    assert "Custody unknown" in html and "In custody" not in html
    assert "term ended 10 February 2025, release not recorded" in html


def test_custody_badge_shows_release_recorded_as_an_act(viewer_client, fictional_case):
    with change_context("test"):
        Act.objects.create(
            event=fictional_case.event,
            act_type_id=Term.pk_for("act_type", "release"),
            victim_person=fictional_case.victim,
            date=dt.date(2024, 1, 5),
        )
    html = _page(viewer_client, fictional_case.victim)
    assert "Not in custody" in html
    assert "release not recorded" not in html


def test_person_page_badges_synthetic_records_and_confidentiality(viewer_client, fictional_case):
    html = _page(viewer_client, fictional_case.victim)
    assert 'class="badge badge--synthetic"' in html
    assert "badge--level-internal" in html


def test_judge_page_shows_the_acts_and_sentences_handed_as_perpetrator(
    viewer_client, fictional_case
):
    html = _page(viewer_client, fictional_case.judge)
    assert "As a perpetrator" in html
    assert f'<a href="/persons/{fictional_case.victim.pk}/">Testa Fictionalia</a>' in html
    assert "4 years 6 months" in html
    assert "No acts recorded against this person." in html


def test_edit_history_lists_versions_with_changed_field_names_only(viewer_client, fictional_case):
    with change_context("test"):
        victim = Person.objects.get(pk=fictional_case.victim.pk)
        victim.notes = "A fictional revised note"
        victim.save()
    html = _page(viewer_client, fictional_case.victim)
    history = html[html.index("Edit history") :]
    assert "<code>notes</code>" in history
    assert "Updated" in history and "Created" in history
    # The person's two names, each by its value (the history names records, never by an id).
    assert history.count(">Name: ") == 2
    assert ">Name: Тэста Фіктыўная</a>" in history
    assert "A fictional revised note" not in history


def test_merged_duplicate_redirects_to_the_kept_person(viewer_client, fictional_case):
    with change_context("test"):
        duplicate = Person.objects.create(display_name="Testa Fictionalia (duplicate)")
        duplicate.merged_into = fictional_case.victim
        duplicate.soft_delete("fictional duplicate")
    response = viewer_client.get(reverse("web:person", args=[duplicate.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:person", args=[fictional_case.victim.pk])


def test_unknown_person_is_not_found(viewer_client, db):
    response = viewer_client.get("/persons/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


def test_person_page_shows_what_an_act_needs_reviewed(viewer_client, fictional_case):
    note = "decision 'compulsory medical measures': not a term Vigil can read; needs review"
    with change_context("test"):
        sentence = fictional_case.sentence
        sentence.review_note = note
        sentence.save()
    html = _page(viewer_client, fictional_case.victim)
    assert "<dt>Needs review</dt>" in html
    assert "decision &#x27;compulsory medical measures&#x27;" in html


def test_a_charge_reads_in_the_page_language_short_form():
    from vigil.records.models import LegalProvision

    provision = LegalProvision(code="criminal", article="342", part="1")
    assert provision.short_label("en") == "Part 1 of Art. 342 CC"
    assert provision.short_label("ru") == "ч. 1 ст. 342 УК"
    assert provision.short_label("be") == "ч. 1 арт. 342 КК"
    other = LegalProvision(code="administrative", article="24.23", part="1", point="2")
    assert other.short_label("be") == "п. 2 ч. 1 арт. 24.23 КаАП"
    assert other.short_label("ru") == "п. 2 ч. 1 ст. 24.23 КоАП"
