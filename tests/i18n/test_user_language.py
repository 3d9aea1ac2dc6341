"""A signed-in user's language: saved when they switch, applied in any browser afterwards."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from vigil.accounts.language import remember, supported
from vigil.accounts.testing import login_verified

pytestmark = pytest.mark.django_db

PASSWORD = "fictional-pass-Phrase-42"  # noqa: S105 - test-only credential
OVERVIEW = {"en": ">Overview<", "be": ">Агляд<", "ru": ">Обзор<"}


@pytest.fixture
def reader(django_user_model):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_user("reader-lang", password=PASSWORD, role="viewer")


def _home(client) -> str:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_switching_language_saves_it_on_the_account(client, reader, with_user_language):
    login_verified(client, reader)
    response = client.post("/i18n/setlang/", {"language": "be", "next": "/"})
    assert response.status_code == 302
    reader.refresh_from_db()
    assert reader.language == "be"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "be"


def test_saved_language_applies_in_a_browser_that_never_chose_one(
    client, reader, with_user_language
):
    reader.language = "ru"
    reader.save()
    login_verified(client, reader)
    html = _home(client)
    assert OVERVIEW["ru"] in html
    assert '<html lang="ru">' in html


def test_the_choice_made_in_one_browser_follows_the_user_to_another(
    client, reader, with_user_language
):
    login_verified(client, reader)
    client.post("/i18n/setlang/", {"language": "be", "next": "/"})
    other_browser = Client()
    login_verified(other_browser, reader)
    assert OVERVIEW["be"] in _home(other_browser)


def test_this_browsers_explicit_choice_wins_over_the_saved_language(
    client, reader, with_user_language
):
    reader.language = "ru"
    reader.save()
    login_verified(client, reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert OVERVIEW["en"] in _home(client)


def test_a_user_without_a_saved_language_gets_the_browsers_language(
    client, reader, with_user_language
):
    login_verified(client, reader)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="be")
    assert OVERVIEW["be"] in response.content.decode()


def test_switching_before_the_second_factor_does_not_change_the_account(
    client, reader, with_user_language
):
    client.force_login(reader)  # password accepted, code not yet entered
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    reader.refresh_from_db()
    assert reader.language == ""


def test_an_unsupported_language_is_neither_saved_nor_applied(client, reader, with_user_language):
    login_verified(client, reader)
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    reader.refresh_from_db()
    assert reader.language == ""
    remember(reader, "xx")
    reader.refresh_from_db()
    assert reader.language == ""


def test_signed_out_visitors_can_switch_too(client, with_user_language):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Вход в Vigil" in client.get("/accounts/login/").content.decode()


def test_supported_maps_regional_codes_to_the_configured_language():
    assert supported("ru-RU") == "ru"
    assert supported("be") == "be"
    assert supported("de") is None
    assert supported("") is None
