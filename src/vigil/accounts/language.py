"""Each user's interface language: saved when they switch it, applied on every later request."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from vigil.accounts import sessions
from vigil.accounts.middleware import allowed_before_2fa
from vigil.accounts.models import User


def supported(code: str | None) -> str | None:
    """The configured language for ``code`` ("be", "ru-RU" → "ru"), or None when unsupported."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def has_explicit_choice(request: HttpRequest) -> bool:
    """True when this browser chose a language itself (the switcher's cookie)."""
    return supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)) is not None


def remember(user: User, code: str) -> None:
    """Save ``code`` as the user's language (only a supported one, only when it changed)."""
    language = supported(code)
    if language is not None and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@allowed_before_2fa
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher that also saves the choice on a signed-in user's account.

    Reachable before the second factor (the code page must be readable), but only a session
    that passed it changes the account: a password alone must not alter it.
    """
    response = django_set_language(request)
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated and sessions.is_verified(request):
        remember(user, request.POST.get("language", ""))
    return response


class UserLanguageMiddleware:
    """Activate a signed-in user's saved language unless this browser chose one itself.

    Goes after AuthenticationMiddleware (it reads ``request.user``) and LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not has_explicit_choice(request):
            language = supported(getattr(user, "language", ""))
            if language is not None:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
