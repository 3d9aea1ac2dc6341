"""`vigil check --deploy` is clean for production-like settings (req 17 and 19 settings)."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import child_env

PRODUCTION = {
    "VIGIL_SECURE_COOKIES": "1",
    "VIGIL_TLS": "1",
    "VIGIL_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
    "VIGIL_ALLOWED_HOSTS": "vigil.example.org",
    "VIGIL_KEY_SOURCE": "keyfile",
    "VIGIL_ALLOW_KEYFILE": "1",
}


def vigil(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "vigil", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def production_env(tmp_path_factory) -> dict[str, str]:
    """A production-like environment around a data folder made by `vigil init`."""
    env = child_env()
    env.update(PRODUCTION)
    env["VIGIL_SECRET_KEY"] = secrets.token_urlsafe(64)[:50]
    env["VIGIL_DATA_DIR"] = str(Path(tmp_path_factory.mktemp("deploy")) / "data")
    env.setdefault("DJANGO_SETTINGS_MODULE", "vigil.settings")
    init = vigil(["init"], env)
    assert init.returncode == 0, init.stderr
    return env


@pytest.mark.slow
def test_req17_check_deploy_is_clean_for_production_settings(production_env):
    result = vigil(["check", "--deploy", "--fail-level", "WARNING"], production_env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_req19_check_fails_when_debug_is_on_in_production(production_env):
    result = vigil(["check", "--deploy"], {**production_env, "VIGIL_DEBUG": "1"})
    assert result.returncode != 0
    assert "vigil.E001" in result.stdout + result.stderr


@pytest.mark.slow
def test_req17_check_warns_when_tls_redirect_has_no_proxy_header(production_env):
    env = {k: v for k, v in production_env.items() if k != "VIGIL_PROXY_SSL_HEADER"}
    result = vigil(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "vigil.W001" in result.stdout + result.stderr
