"""Full text over descriptions, sources and quotes: the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from vigil.core.context import change_context
from vigil.records.models import (
    Act,
    Event,
    Information,
    Organisation,
    OrganisationName,
    Source,
    Term,
)
from vigil.search.everything import search_everything
from vigil.search.fulltext import matching_documents
from vigil.search.models import TextDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(testavy):  # type: ignore[no-untyped-def]
    """An event, an act, a source, a quote and an organisation with fictional wording."""
    with change_context("test"):
        event = Event.objects.create(
            title="Fictional search of the Testavy flat",
            description="Officers seized a laptop and a ёлка decoration in Фіктыўск.",
            date=dt.date(2021, 7, 14),
        )
        act = Act.objects.create(
            event=event,
            act_type_id=Term.pk_for("act_type", "arrest"),
            victim_person=testavy.person,
            description="Затрыманы за ўдзел у фіктыўным пікеце.",
        )
        source = Source.objects.create(
            title="Fictional Herald report",
            citation="Fictional Herald, 15 July 2021, page 3.",
            notes="Fictional internal note: zanotka-private",
            witness_contact="zanotka-witness-contact",
        )
        Information.objects.create(
            source=source,
            target_type=ContentType.objects.get_for_model(Act),
            target_id=act.pk,
            quote="He was detained at dawn by masked officers.",
        )
        court = Organisation.objects.create(display_name="Fictional District Court of Testograd")
        OrganisationName.objects.create(organisation=court, value="Фіктыўны раённы суд")
    return event, act, source, court


def found(query: str) -> set[tuple[str, str]]:
    return {(d.model, str(d.object_id)) for d in matching_documents(query)}


def test_event_description_is_found_by_a_word(texts):
    event = texts[0]
    assert found("laptop") == {("records.event", str(event.pk))}


def test_act_description_is_found_in_belarusian_with_any_case_and_diacritic(texts):
    act = texts[1]
    assert ("records.act", str(act.pk)) in found("ФІКТЫЎНЫМ")
    assert ("records.act", str(act.pk)) in found("удзел")  # ў folded to у


def test_yo_and_ye_are_one_letter(texts):
    assert ("records.event", str(texts[0].pk)) in found("елка")


def test_words_match_as_prefixes_and_all_must_occur(texts):
    event = texts[0]
    assert ("records.event", str(event.pk)) in found("offic seiz")
    assert ("records.event", str(event.pk)) not in found("officers helicopter")


def test_source_title_citation_and_quote_are_found(texts):
    source = texts[2]
    assert ("records.source", str(source.pk)) in found("herald page")
    assert {m for m, _ in found("masked dawn")} == {"records.information"}


def test_organisation_names_are_found_in_every_script(texts):
    assert {m for m, _ in found("Testograd")} == {"records.organisation"}
    assert {m for m, _ in found("раённы")} == {"records.organisationname"}


def test_notes_and_encrypted_identity_fields_are_never_indexed(texts):
    bodies = " ".join(TextDocument.objects.values_list("body", flat=True))
    assert "zanotka" not in bodies
    assert found("zanotka") == set()


def test_an_edit_replaces_the_text_and_a_soft_delete_removes_it(texts):
    event = texts[0]
    with change_context("test"):
        event.description = "Officers seized a fictional tablet."
        event.save()
    assert found("laptop") == set()
    assert ("records.event", str(event.pk)) in found("tablet")
    with change_context("test"):
        event.soft_delete("fictional duplicate")
    assert found("tablet") == set()


def test_punctuation_and_quotes_in_a_query_are_only_separators(texts):
    assert found('"herald" page* -3 (') == found("herald page 3") != set()
    assert found("'; DROP TABLE x; --") == set()
    assert found("***") == set()


def test_the_search_page_groups_every_kind_of_record(texts, admin_user):
    results = search_everything(admin_user, "fictional")
    kinds = {g.key for g in results.found}
    assert kinds == {"events", "sources", "organisations"}
    assert {g.key for g in search_everything(admin_user, "фіктыўным").found} == {"acts"}


def test_the_database_carries_its_own_full_text_index(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_textdocument_fts'")
            assert "fts5" in cursor.fetchone()[0]
        else:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_textdocument_tsv'"
            )
            assert "gin" in cursor.fetchone()[0]
