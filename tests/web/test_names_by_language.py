"""A person appears under the Cyrillic name recorded for the page's language (be, ru), in lists,
profiles, search results and dossiers; the primary name otherwise; never a name the reader may
not view."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from vigil.core.context import change_context
from vigil.records.display_names import display_name_for
from vigil.records.models import PersonName

pytestmark = pytest.mark.django_db

BELARUSIAN = "Тэста Фіктыўная"
RUSSIAN = "Теста Фиктивная"


def _get(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _h1(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found is not None
    return re.sub(r"<[^>]+>", "", found[1]).split("\n")[0].strip()


def _add_russian_name(person, level: str = "internal") -> None:
    with change_context("test", detail="russian name"):
        PersonName.objects.create(
            person=person, value=RUSSIAN, script="Cyrl", lang="ru", confidentiality=level
        )


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Testa Fictionalia"), ("be", BELARUSIAN), ("ru", "Testa Fictionalia")],
)
def test_the_profile_heading_uses_the_name_recorded_for_the_language(
    viewer_client, fictional_case, language, expected
):
    html = _get(viewer_client, reverse("web:person", args=[fictional_case.victim.pk]), language)
    assert _h1(html) == expected


def test_a_russian_page_uses_the_russian_form_once_one_is_recorded(viewer_client, fictional_case):
    _add_russian_name(fictional_case.victim)
    html = _get(viewer_client, reverse("web:person", args=[fictional_case.victim.pk]), "ru")
    assert _h1(html) == RUSSIAN
    assert (
        _h1(_get(viewer_client, reverse("web:person", args=[fictional_case.victim.pk]), "be"))
        == BELARUSIAN
    )


@pytest.mark.parametrize("language", ["be", "ru"])
def test_the_persons_list_and_search_show_the_language_form(
    viewer_client, fictional_case, language
):
    _add_russian_name(fictional_case.victim)
    expected = BELARUSIAN if language == "be" else RUSSIAN
    listing = _get(viewer_client, reverse("web:persons"), language)
    assert f">{expected}</a>" in listing
    assert ">Testa Fictionalia</a>" not in listing
    found = _get(viewer_client, "/search/?q=Fictionalia", language)
    assert expected in found


def test_a_name_the_reader_may_not_view_is_never_the_shown_name(viewer_client, fictional_case):
    # A viewer sees restricted records only by grant; the restricted Russian spelling stays hidden.
    _add_russian_name(fictional_case.victim, level="restricted")
    for url in (reverse("web:person", args=[fictional_case.victim.pk]), reverse("web:persons")):
        assert RUSSIAN not in _get(viewer_client, url, "ru")


def test_the_perpetrator_dossier_and_the_victims_timeline_name_people_by_language(
    viewer_client, fictional_case
):
    with change_context("test", detail="judge's name"):
        PersonName.objects.create(
            person=fictional_case.judge, value="Юдэкс Фіктус", script="Cyrl", lang="be"
        )
    dossier = _get(viewer_client, reverse("web:perpetrator", args=[fictional_case.judge.pk]), "be")
    assert _h1(dossier).startswith("Юдэкс Фіктус")
    assert BELARUSIAN in dossier  # the victim, in the list of victims
    timeline = _get(viewer_client, reverse("web:person", args=[fictional_case.victim.pk]), "be")
    assert "Юдэкс Фіктус" in timeline


def test_display_name_for_prefers_the_primary_official_form_and_keeps_a_withheld_name_withheld(
    fictional_case,
):
    victim = fictional_case.victim
    names = [
        PersonName(person=victim, value="Тэська", script="Cyrl", lang="be", kind="nickname"),
        PersonName(person=victim, value=BELARUSIAN, script="Cyrl", lang="be", kind="official"),
        PersonName(person=victim, value="Testa F.", script="Latn", lang="be", kind="official"),
    ]
    assert display_name_for(victim, "be", names) == BELARUSIAN
    assert display_name_for(victim, "en", names) == "Testa Fictionalia"
    victim.name_withheld = True
    assert display_name_for(victim, "be", names) == str(victim)
