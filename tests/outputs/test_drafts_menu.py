"""Drafts from the profile (WGAD, urgent appeal, brief), the appeal's freshness note, and the
brief's sources listed once."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType

from vigil.accounts import sessions
from vigil.accounts.stepup import step_up_url
from vigil.accounts.testing import login_verified
from vigil.audit.models import AuditEntry
from vigil.core.context import change_context
from vigil.outputs.citing import Citations
from vigil.outputs.services import build_draft
from vigil.records.models import (
    Act,
    ClaimKind,
    Event,
    Information,
    Person,
    PersonName,
    Source,
    Term,
)

pytestmark = pytest.mark.django_db
PASSWORD = "fictional-pass-Phrase-42"  # noqa: S105 - test-only credential


def _cite(source: Source, target: object, quote: str) -> None:
    Information.objects.create(
        source=source,
        target_type=ContentType.objects.get_for_model(type(target)),
        target_id=target.pk,
        quote=quote,
    )


def _fictional_prisoner(*, arrested: dt.date, level: str = "internal") -> Person:
    """A fictional (not synthetic-flagged: drafts refuse those) person with two cited acts."""
    with change_context("test"):
        person = Person.objects.create(display_name="Fictiva Testava", confidentiality=level)
        PersonName.objects.create(person=person, value="Fictiva Testava", is_primary=True)
        event = Event.objects.create(title="Fictional prosecution", date=arrested)
        arrest = Act.objects.create(
            event=event,
            act_type_id=Term.pk_for("act_type", "arrest"),
            victim_person=person,
            date=arrested,
            confidentiality=level,
        )
        sentence = Act.objects.create(
            event=event,
            act_type_id=Term.pk_for("act_type", "sentence"),
            victim_person=person,
            date=arrested + dt.timedelta(days=200),
            sentence_text="fictional term",
            confidentiality=level,
        )
        page = Source.objects.create(title="Fictional monitoring page", url="https://example.org/p")
        # The same page recorded a second time (another address form): one source all the same.
        again = Source.objects.create(title="Fictional monitoring page", url="http://www.example.org/p/")
        _cite(page, arrest, "Arrested on a fictional date.")
        _cite(page, sentence, "Sentenced to a fictional term.")
        _cite(again, sentence, "Sentenced, as reported again.")
    return person


@pytest.fixture
def analyst(django_user_model):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user(
        username="fictional-analyst", password=PASSWORD, role="analyst"
    )


def test_a_brief_lists_each_source_once_however_many_claims_and_records_cite_it(analyst):
    person = _fictional_prisoner(arrested=dt.date(2021, 3, 2))
    draft = build_draft(analyst, "brief", person)
    assert [f.title for f in draft.footnotes] == ["Fictional monitoring page"]
    lines = [f.short_text for f in draft.footnotes]
    assert len(lines) == len(set(lines))


def test_identical_sources_collapse_in_every_draft_while_quotes_stay_apart(analyst):
    person = _fictional_prisoner(arrested=dt.date(2021, 3, 2))
    draft = build_draft(analyst, "wgad", person)
    urls = {f.url for f in draft.footnotes}
    assert len(urls) == 1  # the second record of the page is not a second source
    quotes = {f.quote for f in draft.footnotes}
    assert "Arrested on a fictional date." in quotes


def test_one_footnote_per_source_says_when_its_claims_are_of_different_kinds():
    source = Source(id=uuid.uuid4(), title="Fictional article")
    cites = Citations(one_per_source=True)
    a = Information(id=uuid.uuid4(), source=source, claim_kind=ClaimKind.SOURCE_TEXT, quote="a")
    b = Information(id=uuid.uuid4(), source=source, claim_kind=ClaimKind.READER_COMMENT, quote="b")
    assert cites.cite([a]) == cites.cite([b]) == (1,)
    assert len(cites.footnotes) == 1
    assert "reader's comment" in cites.footnotes[0].claim_kind


def test_an_appeal_built_from_facts_years_old_says_so_at_the_top(analyst):
    person = _fictional_prisoner(arrested=dt.date(2020, 8, 14))  # sentence on 2021-03-02
    draft = build_draft(analyst, "appeal", person)
    assert draft.notes[0].startswith("Prepared from the Vigil record on")
    first = draft.notes[1]
    assert first.startswith("The most recent fact in this appeal is from 2021-03-02.")
    assert "confirm the person's situation today" in first


def test_an_appeal_from_recent_facts_states_the_date_without_the_warning(analyst):
    arrested = dt.date.today() - dt.timedelta(days=230)
    draft = build_draft(analyst, "appeal", _fictional_prisoner(arrested=arrested))
    latest = (arrested + dt.timedelta(days=200)).isoformat()
    assert draft.notes[1] == f"The most recent fact in this appeal is from {latest}."


def test_the_profile_offers_the_three_drafts_in_both_formats(client, analyst):
    person = _fictional_prisoner(arrested=dt.date(2021, 3, 2))
    login_verified(client, analyst)
    html = client.get(f"/persons/{person.pk}/").content.decode()
    for kind in ("wgad", "appeal", "brief"):
        for fmt in ("docx", "pdf"):
            assert f'href="/outputs/{kind}/{person.pk}.{fmt}"' in html
    assert "WGAD communication" in html and "Urgent appeal" in html and "Case brief" in html
    assert "fresh code from your authenticator app" in html  # not all public: step-up


def test_a_synthetic_person_and_an_unexportable_record_get_no_download_links(
    client, django_user_model, analyst
):
    viewer = django_user_model.objects.create_user(username="fictional-viewer", role="viewer")
    person = _fictional_prisoner(arrested=dt.date(2021, 3, 2))
    login_verified(client, viewer)  # a viewer may not export internal records
    html = client.get(f"/persons/{person.pk}/").content.decode()
    assert "/outputs/" not in html and "records you may not export" in html
    with change_context("test"):
        Person.objects.filter(pk=person.pk).update(is_synthetic=True)
    login_verified(client, analyst)
    html = client.get(f"/persons/{person.pk}/").content.decode()
    assert "/outputs/" not in html and "this person is synthetic" in html


@pytest.mark.slow  # ~1.0 s a run on a quiet 2-core machine
def test_downloading_from_the_profile_needs_a_recent_second_factor_and_is_audited(
    client, analyst, settings
):
    person = _fictional_prisoner(arrested=dt.date(2021, 3, 2))
    login_verified(client, analyst)
    session = client.session
    session[sessions.VERIFIED_AT] = sessions.now() - 3600  # the second factor is an hour old
    session.save()
    url = f"/outputs/appeal/{person.pk}.pdf"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == step_up_url(url)
    login_verified(client, analyst)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(event="export", object_id=str(person.pk)).exists()


def test_a_draft_of_public_records_needs_no_fresh_second_factor_and_is_audited_all_the_same(
    client, analyst
):
    from vigil.outputs.exporting import drawn_on

    person = _fictional_prisoner(arrested=dt.date(2021, 3, 2), level="public")
    with change_context("test"):
        for records in drawn_on(person):
            records.update(confidentiality="public")
    login_verified(client, analyst)
    session = client.session
    session[sessions.VERIFIED_AT] = sessions.now() - 3600
    session.save()
    response = client.get(f"/outputs/wgad/{person.pk}.docx")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="wgad-fictiva-testava-')
    entry = AuditEntry.objects.get(event="export", object_id=str(person.pk))
    assert entry.meta["format"] == "docx" and entry.meta["size"] == len(response.content)


def test_a_person_with_no_act_against_them_is_offered_no_drafts(client, analyst):
    with change_context("test"):
        lawyer = Person.objects.create(display_name="Advocata Fictiva")
    login_verified(client, analyst)
    html = client.get(f"/persons/{lawyer.pk}/").content.decode()
    assert "Drafts for advocacy" not in html and "/outputs/" not in html


def test_a_draft_names_the_colony_a_place_of_detention_and_says_no_court_is_named(analyst):
    from vigil.records.models import Organisation

    person = _fictional_prisoner(arrested=dt.date(2021, 3, 2))
    with change_context("test"):
        colony = Organisation.objects.create(
            display_name="Fictional Penal Colony No. 0",
            kind_id=Term.pk_for("organisation_kind", "prison"),
        )
        Act.objects.filter(victim_person=person, act_type__key="sentence").update(place=colony)
    text = build_draft(analyst, "wgad", person).text
    assert "place of detention stated by the source: Fictional Penal Colony No. 0" in text
    assert "court not named in the source" in text
    assert "court: Fictional Penal Colony" not in text


def test_the_record_sets_are_asked_in_one_query_with_the_answers_of_one_query_each(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vigil.outputs.exporting import all_public, any_row, drawn_on, may_export_all
    from vigil.policy.access import one_reading, restrict

    person = _fictional_prisoner(arrested=dt.date(2022, 3, 1), level="restricted")
    records = drawn_on(person)
    missing = Person.objects.filter(pk=uuid.uuid4())
    assert not any_row([])
    assert not any_row([missing, Person.objects.none(), Person.objects.filter(pk__in=[])])
    assert any_row([missing, Person.objects.filter(pk=person.pk)])
    for user in users.values():
        one_each = not any(
            qs.exclude(pk__in=restrict(user, "export", qs).values("pk")).exists() for qs in records
        )
        with one_reading(), CaptureQueriesContext(connection) as captured:
            together = may_export_all(user, records)
        assert together == one_each
        assert len(captured.captured_queries) <= 2  # the user's grants, then one question
    assert all_public(records) is False
    assert all_public([Person.objects.filter(pk=person.pk, confidentiality="public")]) is True


def test_both_questions_of_the_menu_are_one_query_with_the_policys_answer_for_each_row(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vigil.outputs.exporting import drawn_on, export_state
    from vigil.policy.access import one_reading, restrict

    person = _fictional_prisoner(arrested=dt.date(2022, 3, 1), level="restricted")
    with change_context("test"):
        gone = Person.objects.create(display_name="Fictiva Deleta", confidentiality="secret")
        gone.soft_delete("fictional")
    # A set read through another manager (deleted rows included) is judged row by row too.
    records = [*drawn_on(person), Person.all_objects.filter(pk=gone.pk)]
    answers = set()
    for user in users.values():
        one_each = not any(
            qs.exclude(pk__in=restrict(user, "export", qs).values("pk")).exists() for qs in records
        )
        with one_reading(), CaptureQueriesContext(connection) as captured:
            state = export_state(user, records)
        assert state == (one_each, False)
        assert len(captured.captured_queries) <= 2  # the user's grants, then one question
        answers.add(one_each)
    assert answers == {True, False}  # some roles may export it all, others may not


def test_the_records_a_draft_draws_on_are_named_in_one_read_and_hold_every_cited_record():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from vigil.outputs.exporting import drawn_on

    person = _fictional_prisoner(arrested=dt.date(2021, 3, 2))
    with change_context("test"):
        name = PersonName.objects.get(person=person)
        event = Event.objects.get(title="Fictional prosecution")
        elsewhere = Person.objects.create(display_name="Fictiva Elsewhere")
        page = Source.objects.create(title="Fictional other page", url="https://example.org/q")
        for target in (person, name, event, elsewhere):
            _cite(page, target, f"A fictional claim on {type(target).__name__}.")
    with CaptureQueriesContext(connection) as reads:
        records = drawn_on(person)
    # The cited records' ids in one statement (a list the menu's question uses by key).
    assert len(reads.captured_queries) == 1
    by_model = {qs.model: qs for qs in records}
    cited = {str(i.target_id) for i in by_model[Information]}
    assert cited == {str(a.pk) for a in Act.objects.filter(victim_person=person)} | {
        str(person.pk),
        str(name.pk),
        str(event.pk),
    }
    assert set(by_model[Source].values_list("title", flat=True)) == {
        "Fictional monitoring page",
        "Fictional other page",
    }
