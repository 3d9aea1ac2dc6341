"""The pages show a viewer only what the policy lets them view, down to each related row."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from vigil.accounts.testing import login_verified
from vigil.core.context import change_context
from vigil.records.models import Act, Information, Person, PersonName, Source, Term
from vigil.search.persons import search_persons

pytestmark = pytest.mark.django_db


@pytest.fixture
def canary() -> str:
    """A unique string planted in restricted rows."""
    return f"Canary{uuid.uuid4().hex[:12]}"


@pytest.fixture
def admin_page(admin_user):  # type: ignore[no-untyped-def]
    """A client of its own for the administrator (``admin_page`` shares ``client``)."""
    return login_verified(Client(), admin_user)


@pytest.fixture
def hidden_rows(fictional_case, canary):  # type: ignore[no-untyped-def]
    """Restricted rows (no owner, no grant) around the internal fictional victim."""
    victim = fictional_case.victim
    with change_context("test"):
        witness = Person.objects.create(display_name="Fictional Testis Occultus")
        PersonName.objects.create(
            person=victim, value=f"Fictional alias {canary}", confidentiality="restricted"
        )
        Act.objects.create(
            event=fictional_case.event,
            act_type_id=Term.pk_for("act_type", "detention"),
            victim_person=victim,
            date=dt.date(2022, 2, 2),
            description=canary,
            confidentiality="restricted",
        )
        source = Source.objects.create(
            title=f"Fictional witness statement {canary}",
            source_person=witness,
            confidentiality="restricted",
        )
        Information.objects.create(
            source=source,
            target_type=ContentType.objects.get_for_model(Person),
            target_id=victim.pk,
        )
        # A source naming a witness is restricted by the model itself; this one names none.
        open_source = Source.objects.create(title="Fictional open statement")
        Information.objects.create(
            source=open_source,
            target_type=ContentType.objects.get_for_model(Person),
            target_id=victim.pk,
        )
        Person.objects.create(display_name=f"Fictional Arcana {canary}", confidentiality="secret")
    return fictional_case


def _stat(html: str, label: str) -> int:
    match = re.search(
        r'<span class="stat__n">(\d+)</span> <span class="stat__label">' + label, html
    )
    assert match, label
    return int(match.group(1))


def test_person_page_leaves_out_restricted_names_acts_and_sources(
    viewer_client, hidden_rows, canary
):
    response = viewer_client.get(reverse("web:person", args=[hidden_rows.victim.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fictional open statement" in html and "Тэста Фіктыўная" in html
    assert canary not in html
    # The witness of a source is an identity field: shown only through `reveal`.
    assert "Fictional Testis Occultus" not in html


def test_person_page_custody_ignores_acts_the_user_may_not_see(
    viewer_client, admin_page, hidden_rows
):
    with change_context("test"):
        Act.objects.create(
            event=hidden_rows.event,
            act_type_id=Term.pk_for("act_type", "release"),
            victim_person=hidden_rows.victim,
            date=dt.date(2023, 1, 1),
            confidentiality="secret",
        )
    seen = viewer_client.get("/").content.decode()
    admin = admin_page.get("/").content.decode()
    assert _stat(seen, "term ended, release not recorded") == 1
    assert _stat(admin, "term ended, release not recorded") == 0
    assert _stat(seen, "in custody") == _stat(admin, "in custody") == 0


def test_home_counts_only_what_the_user_may_view(viewer_client, admin_page, hidden_rows):
    assert _stat(viewer_client.get("/").content.decode(), "persons") == 4
    assert _stat(admin_page.get("/").content.decode(), "persons") == 5


def test_recent_changes_list_no_hidden_record(viewer_client, admin_page, hidden_rows):
    secret = Person.objects.get(confidentiality="secret")
    assert str(secret.pk) not in viewer_client.get("/").content.decode()
    assert f'href="/persons/{secret.pk}/"' in admin_page.get("/").content.decode()


def test_search_by_a_hidden_alias_finds_nobody(viewer, admin_user, hidden_rows, canary):
    assert list(search_persons(canary, viewer)) == []
    named = set(Person.objects.filter(display_name__contains=canary))
    assert set(search_persons(canary, admin_user)) == {hidden_rows.victim, *named}


def test_hidden_person_is_a_404_like_a_missing_one(viewer_client, hidden_rows):
    secret = Person.objects.get(confidentiality="secret")
    assert viewer_client.get(reverse("web:person", args=[secret.pk])).status_code == 404
    assert viewer_client.get(reverse("web:person", args=[uuid.uuid4()])).status_code == 404


def test_admin_is_for_administrators_only(django_user_model):
    coordinator = django_user_model.objects.create_user(
        username="fictional-staff-coordinator", role="coordinator", is_staff=True
    )
    client = login_verified(Client(), coordinator)
    response = client.get(reverse("admin:records_person_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_change_form_has_no_witness_field(admin_page, hidden_rows, canary):
    source = Source.objects.get(title__contains=canary)
    url = reverse("admin:records_source_change", args=[source.pk])
    html = admin_page.get(url).content.decode()
    assert 'name="title"' in html
    assert 'name="source_person"' not in html and "Fictional Testis" not in html
