"""The seed facts as written into the record: only the seed articles are cited, the file's
notes for its maintainers are not record content, one quote of one source is one search hit."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db.models import Count

from vigil.core.context import change_context
from vigil.demo.seed_facts import load_seed_facts
from vigil.demo.seed_loader import load_seed_facts_into_record
from vigil.outputs.services import build_draft
from vigil.records.models import Information, Organisation, Person, PersonName, Source
from vigil.search.everything import search_everything

SEED_FILES = {"000_a439f83062f71956.txt", "003_7aec6bd4d9c44fef.txt"}


@pytest.fixture
def seeded(db: Any) -> None:
    with change_context("test", detail="seed facts"):
        load_seed_facts_into_record()


@pytest.fixture
def admin(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(
        username="fictional-admin",
        password="fictional-pass-Phrase-42",  # noqa: S106 - test-only credential
        role="admin",
    )


def test_the_demo_cites_the_two_seed_articles_and_nothing_else(seeded: None) -> None:
    assert set(Source.objects.values_list("citation", flat=True)) == SEED_FILES
    assert not Source.objects.filter(title__icontains="what we are building").exists()
    assert {s.seed_file for s in load_seed_facts().sources} == SEED_FILES


def test_no_source_and_no_claim_is_recorded_twice(seeded: None) -> None:
    assert not Source.objects.values("title", "url").annotate(n=Count("id")).filter(n__gt=1)
    assert (
        not Information.objects.values("source", "target_type", "target_id", "quote")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )


def test_spellings_no_seed_prints_are_names_without_a_citation(seeded: None) -> None:
    bialiatski = Person.objects.get(display_name="Ales Bialiatski")
    names = dict(PersonName.objects.filter(person=bialiatski).values_list("value", "id"))
    assert {"Бяляцкі", "Беляцкий", "Beliatsky", "Byalyatski"} <= set(names)
    cited = set(Information.objects.values_list("target_id", flat=True))
    assert names["Беляцкий"] not in cited and names["Бяляцкі"] not in cited
    assert names["Ales Bialiatski"] in cited and names["Bialiatski"] in cited


def test_the_profile_notes_are_what_the_sources_say_not_notes_for_maintainers(
    seeded: None,
) -> None:
    notes = Person.objects.get(display_name="Ales Bialiatski").notes
    for leftover in ("product brief", "seed-000", "seed-003", "founder, viasna", "(rejected)"):
        assert leftover not in notes
    assert "Founder of Belarusian Human Rights Center Viasna" in notes
    assert "Homo Homini Award" in notes
    assert "not recorded: a known error" in notes
    brahinets = Person.objects.get(display_name="Vital Brahinets").notes
    assert "seed-000" not in brahinets and "no act is recorded" not in brahinets
    for org in Organisation.objects.all():
        assert "product brief" not in org.notes and "seed-0" not in org.notes
    texts = " ".join(
        str(v)
        for model, fields in (
            ("event", ("title", "description")),
            ("act", ("description", "outcome")),
            ("intervention", ("title", "description")),
            ("statistic", ("method_note",)),
        )
        for row in apps.get_model("records", model).objects.values_list(*fields)
        for v in row
    )
    assert "seed-000" not in texts and "seed-003" not in texts
    assert "“International Responses to Belarus’s Human Rights Lawyer Crackdown" in texts


def test_a_search_for_a_spelling_shows_each_quote_of_a_source_once(
    seeded: None, admin: Any
) -> None:
    for query in ("Беляцкий", "Bialiatski"):
        results = search_everything(admin, query)
        hits = [h for g in results.found if g.key == "sources" for h in g.hits]
        quotes = [(h.title, " ".join(p.text for p in h.parts)) for h in hits]
        assert len(quotes) == len(set(quotes)), query
        assert not any("what we are building" in title for title, _ in quotes)
    persons = [
        h for g in search_everything(admin, "Беляцкий").found if g.key == "persons" for h in g.hits
    ]
    assert [h.title for h in persons] == ["Ales Bialiatski"]


def test_the_wgad_draft_cites_no_project_document(seeded: None, admin: Any) -> None:
    draft = build_draft(admin, "wgad", Person.objects.get(display_name="Ales Bialiatski"))
    notes = [f.text for f in draft.footnotes]
    assert notes and not any("what we are building" in t for t in notes)
    assert "what we are building" not in draft.text
