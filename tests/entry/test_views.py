"""The entry pages: forms, errors beside their fields, nothing lost, the policy's answers."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.entry.conftest import make_person
from vigil.accounts.testing import login_verified
from vigil.records.models import Act, Event, Involvement, Person, PersonName, Source

pytestmark = pytest.mark.django_db

TRIAL = {
    "victim_name_latn": "Ales Testavy",
    "victim_name_be": "Алесь Тэставы",
    "victim_name_ru": "",
    "date": "24.11.2021",
    "arrest_date": "August 2021",
    "court": "Fictional District Court",
    "judge_name": "Iudex Testovy",
    "judge_role": "judge",
    "prosecutor_name": "",
    "sentence_years": "4",
    "sentence_months": "6",
    "sentence_regime": "Strict-regime penal colony",
    "charge_1": "Part 2 of Art. 243 of the Criminal Code",
    "counsel_name": "",
    "confidentiality": "internal",
    "sources-TOTAL_FORMS": "2",
    "sources-INITIAL_FORMS": "0",
    "sources-MIN_NUM_FORMS": "0",
    "sources-MAX_NUM_FORMS": "10",
    "sources-0-title": "Fictional court monitoring note",
    "sources-0-source_type": "court_record",
    "sources-0-reliability": "Likely reliable",
    "sources-0-quote": "A fictional sentence.",
    "sources-0-claim_kind": "source_text",
    "sources-1-claim_kind": "source_text",
}


class Audit(HTMLParser):
    """What a strict CSP would block, and fields without a label."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.labels: set[str] = set()
        self.fields: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if "style" in a or tag == "style":
            self.problems.append(f"style on {tag}")
        if any(k.startswith("on") for k in a):
            self.problems.append(f"handler on {tag}")
        if tag == "script" and not (a.get("src") or "").startswith("/static/"):
            self.problems.append("inline script")
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in {"input", "select", "textarea"} and a.get("type") not in {"hidden", "submit"}:
            self.fields.append(str(a.get("id")))


def _audit(html: str) -> Audit:
    audit = Audit()
    audit.feed(html)
    return audit


@pytest.mark.parametrize("name", ["entry:index", "entry:arrest", "entry:trial", "entry:person_new"])
def test_pages_render_with_labels_and_no_inline_code(documenter_client, name):
    response = documenter_client.get(reverse(name))
    assert response.status_code == 200
    audit = _audit(response.content.decode())
    assert audit.problems == []
    assert [f for f in audit.fields if f not in audit.labels] == []


@pytest.mark.parametrize("name", ["entry:index", "entry:arrest", "entry:trial", "entry:person_new"])
def test_a_viewer_is_refused(viewer_client, name):
    assert viewer_client.get(reverse(name)).status_code == 403


def test_a_viewer_posting_a_trial_is_refused_and_nothing_saved(viewer_client):
    response = viewer_client.post(reverse("entry:trial"), TRIAL)
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_signed_out_is_sent_to_sign_in(client, db):
    response = client.get(reverse("entry:trial"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_posting_a_trial_records_it_and_opens_the_profile(documenter_client):
    response = documenter_client.post(reverse("entry:trial"), TRIAL)
    assert response.status_code == 302
    victim = Person.objects.get(display_name="Ales Testavy")
    assert response["Location"] == reverse("web:person", args=[victim.pk])
    sentence = Act.objects.get(act_type__key="sentence")
    assert sentence.sentence_months == 54
    assert sentence.sentence_regime_id == "detention_regime.maximum_colony"
    assert Involvement.objects.filter(perpetrator_person__display_name="Iudex Testovy").count() == 2
    assert Source.objects.get().source_type_id == "source_type.court_record"
    assert set(victim.names.values_list("value", "lang")) == {
        ("Ales Testavy", ""),
        ("Алесь Тэставы", "be"),
    }
    page = documenter_client.get(response["Location"]).content.decode()
    assert "Iudex Testovy" in page and "Trial" in page


def test_errors_show_beside_their_fields_and_keep_what_was_typed(documenter_client):
    bad = {**TRIAL, "date": "sometime in spring", "charge_1": "not a citation"}
    response = documenter_client.post(reverse("entry:trial"), bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved yet" in html
    date_field = re.search(r'<div class="field field--error">.*?</div>', html, re.S)
    assert date_field and "sometime in spring" in date_field.group()
    assert 'value="not a citation"' in html
    assert 'value="Iudex Testovy"' in html
    assert 'value="Алесь Тэставы"' in html
    assert not Event.objects.exists() and not Person.objects.exists()


def test_a_service_error_lands_on_its_field(documenter_client):
    bad = {**TRIAL, "sources-1-url": "https://example.org/no-title"}
    response = documenter_client.post(reverse("entry:trial"), bad)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the title of the source." in html
    assert not Person.objects.exists()


def test_an_unknown_regime_is_refused_server_side(documenter_client):
    response = documenter_client.post(reverse("entry:trial"), {**TRIAL, "sentence_regime": "spa"})
    assert response.status_code == 200
    assert "is not in the list" in response.content.decode()
    assert not Act.objects.exists()


def test_missing_victim_is_an_error_on_the_name(documenter_client):
    data = {**TRIAL, "victim_name_latn": "", "victim_name_be": ""}
    html = documenter_client.post(reverse("entry:trial"), data).content.decode()
    assert "Choose the person or give their name" in html


def test_arrest_form_records_arrest_and_detention(documenter_client):
    data = {
        "victim_name_latn": "Ales Testavy",
        "date": "March 2021",
        "place": "Fictional town",
        "agency": "Fictional Security Committee",
        "officer_name": "Inquisitor Testovy",
        "officer_role": "investigator",
        "detained": "on",
        "detention_place": "Fictional Pre-trial Prison No. 0",
        "confidentiality": "internal",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    response = documenter_client.post(reverse("entry:arrest"), data)
    assert response.status_code == 302
    kinds = sorted(Act.objects.values_list("act_type__key", flat=True))
    assert kinds == ["arrest", "detention"]
    assert Act.objects.get(act_type__key="arrest").date_precision == "month"


def test_trial_for_an_existing_person_from_the_profile_link(documenter_client, testavy):
    page = documenter_client.get(reverse("entry:trial") + f"?person={testavy.pk}")
    assert f'value="{testavy.pk}" checked' in page.content.decode()
    data = {**TRIAL, "victim_existing": str(testavy.pk), "victim_name_latn": ""}
    response = documenter_client.post(reverse("entry:trial"), data)
    assert response["Location"] == reverse("web:person", args=[testavy.pk])
    assert Person.objects.count() == 2  # the victim and the new judge


def test_a_hidden_person_cannot_be_picked(documenter_client, other_documenter):
    hidden = make_person("Secreta Testova", level="restricted", actor=other_documenter)
    page = documenter_client.get(reverse("entry:trial") + f"?person={hidden.pk}").content.decode()
    assert f'value="{hidden.pk}"' not in page
    data = {**TRIAL, "victim_existing": str(hidden.pk)}
    html = documenter_client.post(reverse("entry:trial"), data).content.decode()
    assert "No person with this id." in html
    assert not Act.objects.exists()


def test_new_person_with_names_in_several_scripts(documenter_client):
    data = {
        "names-TOTAL_FORMS": "3",
        "names-INITIAL_FORMS": "0",
        "names-0-value": "Ales Testavy",
        "names-0-kind": "official",
        "names-1-value": "Алесь Тэставы",
        "names-1-lang": "be",
        "names-1-kind": "official",
        "names-2-kind": "official",
        "sex": "male",
        "birth_date": "1962",
        "confidentiality": "internal",
    }
    response = documenter_client.post(reverse("entry:person_new"), data)
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.birth_date_precision == "year"
    assert sorted(person.names.values_list("script", flat=True)) == ["Cyrl", "Latn"]


def test_edit_person_shows_current_names_and_saves_changes(client, coordinator, testavy):
    login_verified(client, coordinator)
    url = reverse("entry:person_edit", args=[testavy.pk])
    html = client.get(url).content.decode()
    assert 'value="Алесь Тэставы"' in html
    names = list(testavy.names.order_by("-is_primary", "value"))
    data = {
        "names-TOTAL_FORMS": "3",
        "names-INITIAL_FORMS": "2",
        "names-0-id": str(names[0].pk),
        "names-0-value": names[0].value,
        "names-0-kind": "official",
        "names-0-is_primary": "on",
        "names-1-id": str(names[1].pk),
        "names-1-value": names[1].value,
        "names-1-kind": "official",
        "names-1-DELETE": "on",
        "names-2-value": "Алесь Тестовый",
        "names-2-kind": "transliteration",
        "sex": "unknown",
        "confidentiality": "internal",
        "version": str(testavy.version),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert sorted(PersonName.objects.filter(person=testavy).values_list("value", flat=True)) == [
        "Ales Testavy",
        "Алесь Тестовый",
    ]


def test_edit_person_from_a_stale_page_is_refused_with_a_message(client, coordinator, testavy):
    login_verified(client, coordinator)
    url = reverse("entry:person_edit", args=[testavy.pk])
    stale = testavy.version
    from vigil.core.context import change_context

    with change_context("test", actor=coordinator):
        testavy.notes = "meanwhile"
        testavy.save()
    data = {
        "names-TOTAL_FORMS": "1",
        "names-INITIAL_FORMS": "0",
        "names-0-value": "Ales Renamed",
        "names-0-kind": "official",
        "sex": "unknown",
        "confidentiality": "internal",
        "version": str(stale),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    testavy.refresh_from_db()
    assert testavy.display_name == "Ales Testavy"


def test_edit_of_a_hidden_person_is_404_and_of_a_visible_one_without_rights_403(
    documenter_client, other_documenter, testavy
):
    hidden = make_person("Secreta Testova", level="restricted", actor=other_documenter)
    assert documenter_client.get(reverse("entry:person_edit", args=[hidden.pk])).status_code == 404
    # An internal person someone else recorded: visible, but not the documenter's to change.
    assert documenter_client.get(reverse("entry:person_edit", args=[testavy.pk])).status_code == 403


def test_term_picker_finds_labels_in_any_language_and_answers_in_the_users(documenter_client):
    url = reverse("entry:terms", args=["detention_regime"])
    html = documenter_client.get(url, {"q": "строгого"}).content.decode()
    assert 'value="Strict-regime penal colony"' in html
    documenter_client.post(reverse("set_language"), {"language": "be"})
    html = documenter_client.get(url, {"q": "strict"}).content.decode()
    assert "Папраўчая калонія строгага рэжыму" in html


def test_term_picker_refuses_other_vocabularies(documenter_client):
    assert documenter_client.get(reverse("entry:terms", args=["nope"])).status_code == 404


def test_provision_picker_offers_known_provisions_as_parseable_citations(documenter_client):
    documenter_client.post(reverse("entry:trial"), TRIAL)
    html = documenter_client.get(reverse("entry:provisions"), {"q": "243"}).content.decode()
    assert 'value="Part 2 of Art. 243 of the Criminal Code"' in html


def test_source_search_offers_only_visible_sources(documenter_client, documenter, other_documenter):
    from vigil.core.context import change_context

    with change_context("test", actor=other_documenter):
        Source(title="Fictional secret testimony", confidentiality="restricted").save()
        Source(title="Fictional public report").save()
    url = reverse("entry:suggest_source")
    html = documenter_client.get(
        url, {"field": "sources-0", "sources-0-search": "Fictional"}
    ).content.decode()
    assert "Fictional public report" in html
    assert "secret testimony" not in html
    assert documenter_client.get(url, {"field": "evil"}).status_code == 404


def test_arrest_form_keeps_the_day_the_organisation_learned_of_it(documenter_client):
    data = {
        "victim_name_latn": "Ales Testavy",
        "date": "March 2021",
        "known_since": "2021-04-02",
        "officer_role": "investigator",
        "confidentiality": "internal",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    assert documenter_client.post(reverse("entry:arrest"), data).status_code == 302
    assert set(Act.objects.values_list("known_since", "known_since_assumed")) == {
        (dt.date(2021, 4, 2), False)
    }
    html = documenter_client.get(reverse("entry:arrest")).content.decode()
    # A day field in the page's language (not the browser's <input type="date">).
    assert 'name="known_since"' in html and 'placeholder="yyyy-mm-dd"' in html
