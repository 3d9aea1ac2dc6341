"""The admin: every record model registered, pages load, no hard delete, saves are versioned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from vigil.core.context import change_context
from vigil.core.history import history_of
from vigil.records import models as record_models
from vigil.records.models import (
    Case,
    Counsel,
    CustodyEvent,
    EventLink,
    Evidence,
    Intervention,
    LegalAmendment,
    OrganisationName,
    PersonMerge,
    Profession,
    Statistic,
    Term,
)

pytestmark = pytest.mark.django_db

RECORD_MODELS = [
    m
    for name in record_models.__all__
    if isinstance(m := getattr(record_models, name), type)
    and issubclass(m, models.Model)
    and not m._meta.abstract
]


def _url(model: type[models.Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def every_record(fictional_case):  # type: ignore[no-untyped-def]
    """One row of every record model, all fictional."""
    c = fictional_case
    with change_context("test"):
        org = c.sentence.place
        OrganisationName.objects.create(organisation=org, value="Fictional Colony Zero")
        Profession.objects.create(
            person=c.lawyer, profession_id=Term.pk_for("profession", "lawyer")
        )
        EventLink.objects.create(
            from_event=c.event,
            to_event=c.event,
            relation_id=Term.pk_for("chain_relation", "follows"),
        )
        Counsel.objects.create(act=c.sentence, lawyer=c.lawyer)
        LegalAmendment.objects.create(
            provision=c.sentence.charges.get().provision, summary="A fictional amendment"
        )
        evidence = Evidence.objects.create(
            source=c.act_source,
            original_name="fictional.pdf",
            stored_name="f0",
            sha256="0" * 64,
            size=1,
        )
        CustodyEvent.objects.create(evidence=evidence, action="ingest", context_kind="test")
        case = Case.objects.create(title="Fictional case file")
        case.persons.add(c.victim)
        Intervention.objects.create(
            intervention_type_id=Term.pk_for("intervention_type", "urgent_appeal"),
            title="Fictional urgent appeal",
        )
        Statistic.objects.create(subject="fictional count", value=3)
        PersonMerge.objects.create(keep=c.victim, duplicate=c.judge, reason="fictional merge")
    return c


def test_every_record_model_is_registered():
    missing = [m.__name__ for m in RECORD_MODELS if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda m: m.__name__)
def test_admin_pages_load_and_refuse_deletion(admin_client, every_record, model):
    changelist = admin_client.get(_url(model, "changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    assert admin_client.get(_url(model, "changelist"), {"q": "fictional"}).status_code == 200
    obj = model._default_manager.first()
    assert obj is not None, f"no {model.__name__} row to open"
    change = admin_client.get(_url(model, "change", obj.pk))
    assert change.status_code == 200
    assert "deletelink" not in change.content.decode()
    assert admin_client.get(_url(model, "delete", obj.pk)).status_code == 403
    assert admin_client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model._default_manager.filter(pk=obj.pk).exists()


def test_admin_bulk_delete_action_is_refused(admin_client, fictional_case):
    person = fictional_case.judge
    response = admin_client.post(
        _url(type(person), "changelist"),
        {"action": "delete_selected", "_selected_action": [str(person.pk)], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert type(person).objects.filter(pk=person.pk).exists()


def _event_form(event, **changes):  # type: ignore[no-untyped-def]
    data = {
        "title": event.title,
        "date": event.date.isoformat(),
        "date_precision": event.date_precision,
        "date_end": "",
        "description": event.description,
        "place": event.place,
        "country": event.country,
        "confidentiality": event.confidentiality,
        "loaded_version": str(event.version),
    }
    data.update(changes)
    return data


def test_admin_save_is_versioned_under_a_web_context_naming_the_user(
    admin_client, admin_user, fictional_case
):
    event = fictional_case.event
    response = admin_client.post(
        _url(type(event), "change", event.pk), _event_form(event, place="Fictional town")
    )
    assert response.status_code == 302
    latest = history_of(event).last()
    assert latest.version == event.version + 1
    assert latest.context_kind == "web"
    assert latest.actor_id == admin_user.pk
    assert "place" in latest.changed


def test_admin_refuses_a_save_based_on_a_stale_version(admin_client, fictional_case):
    event = fictional_case.event
    stale = _event_form(event, place="Stale fictional town")
    with change_context("test"):
        event.description = "Changed meanwhile (fictional)."
        event.save()
    response = admin_client.post(_url(type(event), "change", event.pk), stale)
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    event.refresh_from_db()
    assert event.place == ""


def test_admin_add_page_loads_for_persons(admin_client, db):
    assert admin_client.get(_url(record_models.Person, "add")).status_code == 200


def test_admin_person_names_added_inline_are_indexed_for_search(admin_client, fictional_case):
    person = fictional_case.judge
    data = {
        "display_name": person.display_name,
        "sex": "unknown",
        "birth_date": "",
        "birth_date_precision": "day",
        "birth_place": "",
        "nationality": "",
        "notes": "",
        "merged_into": "",
        "confidentiality": "internal",
        "loaded_version": str(person.version),
        "names-TOTAL_FORMS": "1",
        "names-INITIAL_FORMS": "0",
        "names-0-value": "ІЎДЭКС Фіктус",
        "names-0-script": "Cyrl",
        "names-0-lang": "be",
        "names-0-kind": "alias",
        "names-0-scheme": "",
        "names-0-confidentiality": "internal",
        "external_ids-TOTAL_FORMS": "0",
        "external_ids-INITIAL_FORMS": "0",
        "professions-TOTAL_FORMS": "0",
        "professions-INITIAL_FORMS": "0",
    }
    response = admin_client.post(_url(type(person), "change", person.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    name = person.names.get()
    assert name.normalised == "іўдэкс фіктус"
    assert history_of(name).get().context_kind == "web"


def test_user_admin_shows_the_role_column(admin_client, admin_user):
    html = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "column-role" in html
    assert "Administrator" in html
    change = admin_client.get(reverse("admin:accounts_user_change", args=[admin_user.pk]))
    assert 'name="role"' in change.content.decode()


def test_dates_stay_dates_in_the_admin_list(admin_client, fictional_case):
    html = admin_client.get(_url(type(fictional_case.arrest), "changelist")).content.decode()
    assert "10 August 2020" in html
    assert dt.date(2020, 8, 10).isoformat() not in html
