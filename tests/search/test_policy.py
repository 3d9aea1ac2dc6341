"""Every hit is cut by the access policy: hidden records and names find nothing, show nothing."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.search.conftest import add_name
from vigil.core.context import change_context
from vigil.records.models import Act, Event, Information, Person, Source, Term
from vigil.search import name_search
from vigil.search.everything import search_everything
from vigil.search.name_search import find_persons
from vigil.search.persons import search_persons

pytestmark = pytest.mark.django_db


@pytest.fixture
def canary() -> str:
    """A unique word planted in restricted rows."""
    return f"Canary{uuid.uuid4().hex[:10]}"


@pytest.fixture(params=["with the forms", "in the forms' order"])
def checks(request, monkeypatch):  # type: ignore[no-untyped-def]
    """The policy asked in the statement that reads the forms, or after them in their order
    (``name_search.CHECK_FROM``: a large batch of forms is checked only as far as needed)."""
    if request.param != "with the forms":
        monkeypatch.setattr(name_search, "CHECK_FROM", 1)
        monkeypatch.setattr(name_search, "CHECK_BATCH", 1)
    return request.param


def test_a_hidden_person_is_not_found_by_any_spelling(viewer, admin_user, db, checks):
    with change_context("test"):
        hidden = Person.objects.create(display_name="Ales Fiktsiukevich", confidentiality="secret")
        add_name(hidden, "Алесь Фікцюкевіч", confidentiality="secret")
    assert list(search_persons("Фікцюкевіч", viewer)) == []
    assert find_persons("Fiktsiukevich", viewer) == []
    assert list(search_persons("Фікцюкевіч", admin_user)) == [hidden]


def test_a_hidden_name_does_not_find_the_visible_person(
    testavy, viewer, admin_user, canary, checks
):
    with change_context("test"):
        add_name(testavy.person, f"Ales {canary}", confidentiality="restricted")
    assert list(search_persons(canary, viewer)) == []
    assert list(search_persons(canary, admin_user)) == [testavy.person]
    # Nor does its sound: a spelling of the hidden alias finds nobody either.
    assert find_persons(canary.upper(), viewer) == []


def test_a_name_of_a_visible_person_shows_only_when_the_name_is_visible(
    testavy, viewer, canary, checks
):
    with change_context("test"):
        add_name(testavy.person, f"Testavy {canary}", confidentiality="restricted")
    hits = find_persons("Testavy", viewer)
    assert [h.person_id for h in hits] == [testavy.person.pk]
    assert canary not in hits[0].form


def test_no_role_no_results(testavy, django_user_model, checks):
    disabled = django_user_model.objects.create_user(username="fictional-gone", is_active=False)
    assert find_persons("Testavy", disabled) == []
    assert search_everything(disabled, "Testavy").total == 0


@pytest.fixture
def hidden_texts(testavy, canary):  # type: ignore[no-untyped-def]
    """Restricted rows carrying the canary next to visible ones carrying 'fictionalword'."""
    with change_context("test"):
        event = Event.objects.create(title="Fictional open event", description="fictionalword")
        Event.objects.create(title=f"Fictional {canary}", confidentiality="restricted")
        hidden_act = Act.objects.create(
            event=event,
            act_type_id=Term.pk_for("act_type", "arrest"),
            victim_person=testavy.person,
            description=f"fictionalword {canary}",
            confidentiality="restricted",
        )
        Source.objects.create(title=f"Fictional leak {canary}", confidentiality="secret")
        open_source = Source.objects.create(title="Fictional open bulletin fictionalword")
        # A visible quote about a hidden act: the quote would reveal the act.
        Information.objects.create(
            source=open_source,
            target_type=ContentType.objects.get_for_model(Act),
            target_id=hidden_act.pk,
            quote=f"fictionalword quote {canary}",
        )
        Information.objects.create(
            source=open_source,
            target_type=ContentType.objects.get_for_model(Event),
            target_id=event.pk,
            quote=f"fictionalword restricted quote {canary}",
            confidentiality="restricted",
        )
    return event


def test_hidden_texts_are_not_found(hidden_texts, viewer, admin_user, canary):
    assert search_everything(viewer, canary).total == 0
    assert search_everything(admin_user, canary).total == 5


def test_no_confidential_snippet_appears_on_the_page(hidden_texts, viewer_client, canary):
    html = viewer_client.get("/search/", {"q": "fictionalword"}).content.decode()
    assert "Fictional open event" in html and "Fictional open bulletin" in html
    assert canary not in html


def test_an_administrator_sees_the_same_snippets(hidden_texts, admin_client, canary):
    html = admin_client.get("/search/", {"q": "fictionalword"}).content.decode()
    assert canary in html
