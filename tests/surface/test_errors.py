"""Req 19: generic error pages with an error id, no stack traces, DEBUG off in production."""

from __future__ import annotations

import importlib
import logging
import re

import pytest
from django.core.checks import run_checks
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import get_resolver

from vigil.accounts.testing import login_verified
from vigil.web import errors

ERROR_ID = re.compile(r'<code class="error-id">([0-9a-f]{12})</code>')
CANARY = "fictional-canary-7f3a"


def _boom(request):
    raise RuntimeError(f"internal detail {CANARY}")


def test_req19_project_urls_install_the_generic_error_handlers():
    urlconf = importlib.import_module(get_resolver().urlconf_name)
    assert urlconf.handler400 == "vigil.web.errors.bad_request"
    assert urlconf.handler403 == "vigil.web.errors.permission_denied"
    assert urlconf.handler404 == "vigil.web.errors.page_not_found"
    assert urlconf.handler500 == "vigil.web.errors.server_error"


def test_req19_server_error_page_shows_an_error_id_and_no_traceback(caplog):
    request = RequestFactory().get("/persons/")
    try:
        _boom(request)
    except RuntimeError:
        with caplog.at_level(logging.ERROR, logger="vigil.errors"):
            response = errors.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    error_id = ERROR_ID.search(body).group(1)
    assert CANARY not in body and "Traceback" not in body and "RuntimeError" not in body
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info is not None and CANARY in str(logged[0].exc_info[1])


def test_req19_each_error_gets_a_fresh_id():
    request = RequestFactory().get("/")
    ids = {
        ERROR_ID.search(errors.page_not_found(request, Http404()).content.decode()).group(1)
        for _ in range(20)
    }
    assert len(ids) == 20


@pytest.mark.parametrize(
    ("handler", "exception", "status"),
    [
        (errors.bad_request, SuspiciousOperation(CANARY), 400),
        (errors.permission_denied, PermissionDenied(CANARY), 403),
        (errors.page_not_found, Http404(CANARY), 404),
    ],
)
def test_req19_client_error_pages_are_generic(handler, exception, status, caplog):
    with caplog.at_level(logging.WARNING, logger="vigil.errors"):
        response = handler(RequestFactory().get("/"), exception)
    body = response.content.decode()
    assert response.status_code == status
    assert ERROR_ID.search(body)
    assert CANARY not in body
    assert any(f": {status} GET" in r.getMessage() for r in caplog.records)


def test_req19_error_log_names_the_route_not_the_path(caplog, db):
    with caplog.at_level(logging.WARNING):
        Client().get("/no-such-page-fictional/")
    ours = [r for r in caplog.records if r.name == "vigil.errors"]
    assert ours, "the 404 was not logged"
    assert all("no-such-page-fictional" not in r.getMessage() for r in ours)
    django_request = [r for r in caplog.records if r.name == "django.request"]
    redact = errors.RedactPathFilter()
    assert all(redact.filter(r) for r in django_request)
    assert all("no-such-page-fictional" not in r.getMessage() for r in django_request)


def test_req19_unknown_page_for_a_signed_in_user_is_the_generic_404(make_admin):
    client = login_verified(Client(), make_admin("fictional-error-admin"))
    response = client.get("/persons/00000000-0000-4000-8000-000000000000/")
    assert response.status_code == 404
    assert ERROR_ID.search(response.content.decode())
    assert "no-store" in response.headers["Cache-Control"]


def test_req19_uncaught_exception_in_a_view_gives_the_generic_500(monkeypatch, make_admin, caplog):
    from vigil.web import views

    monkeypatch.setattr(views, "home_summary", lambda: _boom(None))
    client = login_verified(Client(raise_request_exception=False), make_admin("fictional-500"))
    with caplog.at_level(logging.ERROR, logger="vigil.errors"):
        response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 500
    error_id = ERROR_ID.search(body).group(1)
    assert CANARY not in body and "Traceback" not in body
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)


def test_req19_csrf_failure_is_the_generic_403(make_admin):
    client = login_verified(Client(enforce_csrf_checks=True), make_admin("fictional-csrf"))
    response = client.post("/accounts/sessions/end-all/")
    assert response.status_code == 403
    assert ERROR_ID.search(response.content.decode())
    assert "CSRF" not in response.content.decode()


def test_req19_debug_with_production_cookies_fails_the_system_check(settings):
    settings.DEBUG = True
    settings.SESSION_COOKIE_SECURE = True
    assert "vigil.E001" in {m.id for m in run_checks()}
    settings.DEBUG = False
    assert "vigil.E001" not in {m.id for m in run_checks()}


def _request_log(caplog, client: Client, path: str) -> tuple[int, list[logging.LogRecord]]:
    with caplog.at_level(logging.INFO):
        response = client.get(path)
    return response.status_code, [
        r for r in caplog.records if r.name in ("django.request", "vigil.errors")
    ]


def _formatted(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter()
    return "\n".join(formatter.format(r) for r in records)


def test_a_refused_request_is_logged_as_one_line_without_a_traceback(make_admin, caplog):
    client = login_verified(Client(), make_admin("fictional-refused", role="viewer"))
    status, records = _request_log(caplog, client, "/record/arrest/")
    assert status == 403
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].exc_info is None
    text = _formatted(records)
    assert "Traceback" not in text and "\n" not in text
    assert "403" in text and "entry:arrest" in text


def test_a_missing_page_is_logged_as_one_line_without_a_traceback(make_admin, caplog):
    client = login_verified(Client(), make_admin("fictional-missing"))
    status, records = _request_log(
        caplog, client, "/persons/00000000-0000-4000-8000-000000000000/"
    )
    assert status == 404
    assert len(records) == 1, [r.getMessage() for r in records]
    assert "Traceback" not in _formatted(records) and records[0].exc_info is None


def test_a_refusal_by_a_client_error_handler_keeps_its_error_id_without_traceback(caplog):
    with caplog.at_level(logging.WARNING, logger="vigil.errors"):
        response = errors.permission_denied(RequestFactory().get("/"), PermissionDenied(CANARY))
    error_id = ERROR_ID.search(response.content.decode()).group(1)
    (logged,) = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged.exc_info is None and CANARY not in _formatted([logged])
