"""Req 17: HTTP hardening on every route, for anonymous and signed-in users; clean templates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.core.checks import run_checks
from django.test import Client
from django.utils import timezone

from tests.surface.people import make_fictional_person
from tests.surface.routes import all_routes, fallback_value
from vigil.accounts.models import ApiToken
from vigil.accounts.testing import login_verified
from vigil.records.models import Person
from vigil.web.security import PERMISSIONS_POLICY, csp_problems

SRC = Path(__file__).resolve().parents[2] / "src" / "vigil"
REQUIRED_CSP = (
    "default-src 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
)
HSTS_SECONDS = 365 * 24 * 3600


def assert_hardened(response, path: str, *, signed_in: bool) -> None:
    where = f"{response.status_code} {path}"
    assert response.status_code < 500, where
    csp = response.headers.get("Content-Security-Policy", "")
    for directive in REQUIRED_CSP:
        assert directive in csp, f"{where}: CSP lacks {directive!r}: {csp!r}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in response.headers.get("Permissions-Policy", ""), where
    assert response.headers.get("Strict-Transport-Security", "").startswith(
        f"max-age={HSTS_SECONDS}"
    ), where
    if signed_in:
        assert "no-store" in response.headers.get("Cache-Control", ""), where


@pytest.fixture
def production_transport(settings):
    """HSTS as the production settings give it (HTTPS requests; TLS ends at the proxy)."""
    settings.SECURE_HSTS_SECONDS = HSTS_SECONDS
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True


@pytest.fixture
def sweep_objects(make_admin):
    """Real objects whose ids fill the routes' parameters."""
    admin = make_admin("fictional-sweep-admin")
    person = make_fictional_person("Fictia Sweepova")
    token = ApiToken.objects.create(
        user=admin, name="fictional", digest="0" * 64, expires_at=timezone.now()
    )
    return admin, person, token


def _filler(admin, person, token):
    def value(name: str, converter: str, callback) -> str:
        model_admin = getattr(callback, "model_admin", None)
        if name == "object_id" and model_admin is not None:
            obj = model_admin.model._base_manager.order_by("pk").first()
            return str(obj.pk) if obj is not None else fallback_value(name, converter, callback)
        known = {
            "id": admin.pk,
            "content_type_id": ContentType.objects.get_for_model(Person).pk,
            "object_id": person.pk,
            "person_id": person.pk,
        }
        if name in known:
            return str(known[name])
        if name == "pk" and converter == "uuid":
            return str(token.pk if "token" in callback.__name__ else person.pk)
        return fallback_value(name, converter, callback)

    return value


def _sweep(routes, admin) -> None:
    anonymous, signed_in = Client(), login_verified(Client(), admin)
    for route in routes:
        assert_hardened(anonymous.get(route.path, secure=True), route.path, signed_in=False)
        if SESSION_KEY not in signed_in.session:  # a GET that signs out must not end the sweep
            signed_in = login_verified(Client(), admin)
        assert_hardened(signed_in.get(route.path, secure=True), route.path, signed_in=True)


def _is_sample(pattern: str) -> bool:
    # One registered model stands for the admin's identical per-model pages.
    return not pattern.startswith("admin/") or "/records/" not in pattern or "/person/" in pattern


@pytest.mark.slow  # every web, account and sampled admin route requested: ~4 s
def test_req17_header_sweep_web_account_and_sample_admin_routes(
    sweep_objects, production_transport
):
    admin, person, token = sweep_objects
    routes = [r for r in all_routes(_filler(admin, person, token)) if _is_sample(r.pattern)]
    assert any(r.path == f"/persons/{person.pk}/" for r in routes)
    assert any(r.path == f"/accounts/tokens/{token.pk}/revoke/" for r in routes)
    assert any(r.path == f"/admin/records/person/{person.pk}/change/" for r in routes)
    _sweep(routes, admin)


@pytest.mark.slow
def test_req17_header_sweep_every_route_anonymous_and_signed_in(
    sweep_objects, production_transport
):
    admin, person, token = sweep_objects
    routes = all_routes(_filler(admin, person, token))
    assert len(routes) > 100
    _sweep(routes, admin)


def test_req17_no_store_on_signed_in_pages_and_on_responses_setting_cookies(make_admin):
    admin = make_admin("fictional-cache-admin")
    client = login_verified(Client(), admin)
    assert "no-store" in client.get("/").headers["Cache-Control"]
    anonymous = Client().get("/accounts/login/")
    assert "no-store" in anonymous.headers["Cache-Control"]  # it sets the CSRF cookie


def test_req17_permissions_policy_denies_camera_microphone_geolocation():
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in PERMISSIONS_POLICY


def test_req17_csp_setting_is_strict_and_checked():
    assert csp_problems(django_settings.CONTENT_SECURITY_POLICY) == []
    weak = {"DIRECTIVES": {**django_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]}}
    weak["DIRECTIVES"]["script-src"] = ["'self'", "'unsafe-inline'"]
    weak["DIRECTIVES"]["img-src"] = ["https://cdn.example.org", "*"]
    problems = csp_problems(weak)
    assert any("unsafe-inline" in p for p in problems)
    assert any("img-src allows *" in p for p in problems)
    assert csp_problems(None)  # no policy at all is a problem


def test_req17_system_check_fails_without_csp_middleware(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "csp" not in m]
    assert "vigil.E002" in {m.id for m in run_checks()}


def test_req17_system_check_passes_with_project_settings():
    assert not {m.id for m in run_checks()} & {"vigil.E001", "vigil.E002"}


# --- templates and static files ------------------------------------------------------------
SERVED = [SRC / "templates", SRC / "static"]
EXTERNAL_IN_ATTRIBUTE = re.compile(
    r"""(?:src|href|action|srcset|poster|data|formaction|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)
EXTERNAL_IN_CSS = re.compile(r"""(?:url\(\s*["']?|@import\s+["']?)\s*(?:https?:)?//""", re.I)
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)[^>]*>|<script\b[^>]*>\s*(?!</script>)\S", re.IGNORECASE
)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style\b", re.IGNORECASE)
HANDLER = re.compile(r"\s(?:on[a-z]+|hx-on(?::[\w:-]+)?)\s*=", re.IGNORECASE)


def served_files() -> list[Path]:
    suffixes = {".html", ".htm", ".css", ".js", ".svg", ".txt"}
    return [p for root in SERVED for p in sorted(root.rglob("*")) if p.suffix in suffixes]


def test_req17_templates_and_static_files_load_nothing_from_another_origin():
    files = served_files()
    assert any(p.name == "base.html" for p in files)
    offenders = [
        f"{p.relative_to(SRC)}: {m.group()}"
        for p in files
        for pattern in (EXTERNAL_IN_ATTRIBUTE, EXTERNAL_IN_CSS)
        for m in pattern.finditer(p.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("pattern", "what"),
    [(INLINE_SCRIPT, "inline script"), (INLINE_STYLE, "inline style"), (HANDLER, "handler")],
)
def test_req17_templates_have_no_inline_script_style_or_event_handlers(pattern, what):
    offenders = [
        f"{p.relative_to(SRC)}: {m.group().strip()}"
        for p in served_files()
        if p.suffix in {".html", ".htm", ".svg"}
        for m in pattern.finditer(p.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offenders == [], f"{what} found"


@pytest.mark.parametrize(
    ("snippet", "pattern"),
    [
        ('<script src="https://cdn.example.org/x.js"></script>', EXTERNAL_IN_ATTRIBUTE),
        ("<link href='//fonts.example.org/css'>", EXTERNAL_IN_ATTRIBUTE),
        ("body { background: url(https://example.org/a.png) }", EXTERNAL_IN_CSS),
        ("<script>alert(1)</script>", INLINE_SCRIPT),
        ('<p style="color: red">', INLINE_STYLE),
        ('<button onclick="go()">', HANDLER),
        ('<div hx-on:click="go()">', HANDLER),
    ],
)
def test_req17_template_grep_catches_what_it_forbids(snippet, pattern):
    assert pattern.search(snippet)


def test_req17_template_grep_allows_urls_in_text_and_scripts_from_self():
    text = "<p>See https://example.org for the standard.</p>"
    assert not EXTERNAL_IN_ATTRIBUTE.search(text) and not EXTERNAL_IN_CSS.search(text)
    assert not INLINE_SCRIPT.search('<script src="/static/vigil/htmx.min.js"></script>')
