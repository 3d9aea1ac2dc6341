"""Middleware: session time limits, and no page but enrolment until 2FA is passed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from vigil.accounts import sessions
from vigil.accounts.totp import confirmed_device

View = Callable[..., HttpResponse]
V = TypeVar("V", bound=Callable[..., Any])


def allowed_before_2fa(view: V) -> V:
    """Mark a view as reachable by a signed-in user who has not passed 2FA yet."""
    view.vigil_before_2fa = True  # type: ignore[attr-defined]
    return view


def _with_next(url: str, request: HttpRequest) -> str:
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class SessionLimitsMiddleware:
    """Ends sessions idle for 30 minutes or older than 12 hours; records activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if sessions.expired(request.session) is not None:
                logout(request)
                return HttpResponseRedirect(_with_next(reverse("login"), request))
            sessions.touch(request.session)
        return self.get_response(request)


class SecondFactorMiddleware:
    """A signed-in user who has not passed 2FA reaches only enrolment, verification, sign-out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: View, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        """Redirect to verification (or enrolment) unless the view is allowed before 2FA."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or sessions.is_verified(request):
            return None
        if getattr(view, "vigil_before_2fa", False):
            return None
        target = "accounts_2fa_verify" if confirmed_device(user) else "accounts_2fa_enrol"
        return HttpResponseRedirect(_with_next(reverse(target), request))
