"""Fixtures for the language tests: the catalogues and the user-language middleware in place."""

from __future__ import annotations

from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "vigil" / "locale"
LANGUAGES = ("be", "ru")
AUTH = "vigil.accounts.authentication.AuthenticationMiddleware"
USER_LANGUAGE = "vigil.accounts.language.UserLanguageMiddleware"


def catalogue(lang: str, suffix: str = "po") -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"django.{suffix}"


@pytest.fixture
def with_user_language(settings):  # type: ignore[no-untyped-def]
    """The middleware right after AuthenticationMiddleware, as the settings should have it."""
    middleware = [m for m in settings.MIDDLEWARE if m != USER_LANGUAGE]
    middleware.insert(middleware.index(AUTH) + 1, USER_LANGUAGE)
    settings.MIDDLEWARE = middleware
    settings.ROOT_URLCONF = "tests.i18n.urls"
    return settings
