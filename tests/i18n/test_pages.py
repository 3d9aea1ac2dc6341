"""Pages render in the language the browser asks for."""

from __future__ import annotations

import pytest
from django.conf import settings

from vigil.accounts.testing import login_verified

pytestmark = pytest.mark.django_db

LOGIN_TITLE = {"en": "Sign in to Vigil", "be": "Уваход у Vigil", "ru": "Вход в Vigil"}


@pytest.mark.parametrize("lang", ["en", "be", "ru"])
def test_login_page_follows_the_language_cookie(client, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert LOGIN_TITLE[lang] in html
    assert f'<html lang="{lang}">' in html
    assert response["Content-Language"] == lang


def test_login_page_follows_the_browser_accept_language(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="be,ru;q=0.8").content.decode()
    assert "Імя карыстальніка" in html
    assert "Уваход у Vigil" in html


def test_not_found_page_is_translated(client, django_user_model):
    user = django_user_model.objects.create_user("reader-404", password="fictional-pass-42x")
    login_verified(client, user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get("/no-such-page-at-all/")
    assert response.status_code == 404
    assert "Не найдено" in response.content.decode()
