"""`vigil serve` runs the deploy checks first and refuses to start on an error (req 17, 19)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from vigil.core import serving
from vigil.core.errors import ConfigurationError

PRODUCTION = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
    "DEBUG": False,
}


class _Closed:
    def close(self) -> None:
        """Nothing to close: these tests never open the database."""


@pytest.fixture
def started(monkeypatch) -> list[str]:
    """Addresses gunicorn was started on (it is never really started)."""
    runs: list[str] = []
    monkeypatch.setattr(serving, "check_database_ready", lambda: None)
    monkeypatch.setattr(serving, "collect_static", lambda: False)
    monkeypatch.setattr(serving, "connection", _Closed())
    monkeypatch.setattr(
        "gunicorn.app.base.BaseApplication.run", lambda app: runs.append(app.cfg.bind[0])
    )
    monkeypatch.delenv("VIGIL_DEMO", raising=False)
    return runs


@pytest.fixture
def production(settings) -> None:
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)


def _serve(host: str = "127.0.0.1") -> list[str]:
    said: list[str] = []
    serving.serve(host, 8123, 1, say=said.append)
    return said


def test_req17_serve_starts_when_the_deploy_checks_pass(started, production):
    said = _serve()
    assert started == ["127.0.0.1:8123"]
    assert not [line for line in said if line.startswith("warning")]


def test_req17_serve_refuses_to_start_on_a_failed_security_check(started, production, settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'", "'unsafe-inline'"]}
    }
    with pytest.raises(ConfigurationError) as refused:
        _serve()
    assert "vigil.E002" in refused.value.message
    assert started == []


def test_req19_serve_refuses_debug_with_production_cookies(started, production, settings):
    settings.DEBUG = True
    with pytest.raises(ConfigurationError, match="vigil.E001"):
        _serve()
    assert started == []


def test_req17_serve_prints_warnings_and_still_starts(started, production, settings):
    del settings.SECURE_PROXY_SSL_HEADER
    said = _serve()
    assert any(line.startswith("warning: vigil.W001") for line in said)
    assert started == ["127.0.0.1:8123"]


def test_req17_plain_http_on_a_public_address_is_refused(started, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    with pytest.raises(ConfigurationError) as refused:
        _serve("0.0.0.0")  # noqa: S104 - the address under test
    assert "security.W012" in refused.value.message
    assert "0.0.0.0" in refused.value.message
    assert started == []


def test_req19_debug_on_a_public_address_is_refused(started, production, settings):
    settings.DEBUG = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    with pytest.raises(ConfigurationError, match="security.W018"):
        _serve("192.0.2.10")
    assert started == []


def test_req17_demo_on_loopback_relaxes_only_the_plain_http_checks(started, settings, monkeypatch):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    monkeypatch.setenv("VIGIL_DEMO", "1")
    said = _serve("localhost")
    assert started == ["localhost:8123"]
    assert not any("security.W012" in line for line in said if line.startswith("warning"))
    assert any("security.W012" in line for line in said if line.startswith("demo"))


def test_req17_demo_on_a_public_address_gets_no_relaxation(started, settings, monkeypatch):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    monkeypatch.setenv("VIGIL_DEMO", "1")
    with pytest.raises(ConfigurationError, match="security.W012"):
        _serve("0.0.0.0")  # noqa: S104 - the address under test
    assert started == []


def test_req17_same_settings_without_demo_print_the_http_warnings(started, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    said = _serve()
    assert any(line.startswith("warning: security.W012") for line in said)
    assert started == ["127.0.0.1:8123"]


def test_req17_serve_command_refuses_with_a_clear_message(started, production, settings):
    settings.CONTENT_SECURITY_POLICY = {}
    with pytest.raises(ConfigurationError, match="Refusing to serve"):
        call_command("serve", "--port", "8124")
    assert started == []


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.0.2.1", False),
        ("vigil.example.org", False),
    ],  # noqa: S104
)
def test_loopback_addresses_are_recognised(host, local):
    assert serving.is_loopback(host) is local
