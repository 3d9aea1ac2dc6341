"""Token authentication: no token, a wrong, revoked or expired token all get a JSON 401."""

from datetime import timedelta

import pytest
from django.utils import timezone

from vigil.accounts.models import ApiToken
from vigil.accounts.tokens import digest

PATHS = ["/persons", "/acts", "/interventions", "/response-gap", "/sanctions/gap"]


@pytest.mark.parametrize("path", PATHS)
def test_call_without_token_gets_json_401(api, db, path):
    response = api.get(path, role=None)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "token" in response.json()["error"]
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    ["Bearer vigil_not-a-real-token", "Bearer ", "Basic Zm9vOmJhcg==", "vigil_abc", "Bearer x y"],
)
def test_call_with_bad_token_gets_401(client, db, header):
    response = client.get("/api/persons", headers={"Authorization": header})
    assert response.status_code == 401
    assert set(response.json()) == {"error"}


def test_revoked_token_gets_401(api, tokens):
    assert api.get("/persons", role="viewer").status_code == 200
    ApiToken.objects.filter(digest=digest(tokens["viewer"])).update(revoked_at=timezone.now())
    assert api.get("/persons", role="viewer").status_code == 401


def test_expired_token_gets_401(api, tokens):
    past = timezone.now() - timedelta(seconds=1)
    ApiToken.objects.filter(digest=digest(tokens["viewer"])).update(expires_at=past)
    assert api.get("/persons", role="viewer").status_code == 401


def test_token_of_disabled_user_gets_401(api, users):
    users["viewer"].is_active = False
    users["viewer"].save()
    assert api.get("/persons", role="viewer").status_code == 401


def test_session_login_alone_does_not_open_the_api(client, users):
    from vigil.accounts.testing import login_verified

    login_verified(client, users["admin"])
    assert client.get("/api/persons").status_code == 401


@pytest.mark.slow  # ~1.8 s a run on a quiet 2-core machine
def test_schema_and_docs_page_are_served_without_a_cdn(client, db):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/persons/{id}" in schema.json()["paths"]
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "//" not in html.replace("https://", "").split("<body")[0]


def test_token_clients_need_no_csrf_cookie(tokens):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/persons",
        data='{"display_name": "Csrfa Fictiva"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {tokens['documenter']}"},
    )
    assert response.status_code == 201


def test_responses_and_errors_are_not_cached(api, db):
    assert api.get("/persons")["Cache-Control"] == "no-store"
    assert api.get("/persons", role=None)["Cache-Control"] == "no-store"
