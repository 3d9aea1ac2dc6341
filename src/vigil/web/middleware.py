"""Every web request runs inside a change context naming its user, and reads grants once."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from vigil.core.context import change_context
from vigil.policy.access import one_reading


class ChangeContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with change_context("web", actor=actor, detail=f"{request.method} {request.path}"[:200]):
            return self.get_response(request)


class PolicyReadingMiddleware:
    """The user's case grants are read once per request, not once per restricted query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with one_reading():
            return self.get_response(request)
