"""Step-up: sensitive actions need a second-factor check from the last few minutes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from vigil.accounts.sessions import has_recent_2fa
from vigil.core.errors import StepUpRequired

STEP_UP_MINUTES = 5


def require_recent_2fa(request: HttpRequest, minutes: float = STEP_UP_MINUTES) -> None:
    """Raise StepUpRequired unless this session passed 2FA within ``minutes``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_recent_2fa(request, minutes):
        raise StepUpRequired()


def step_up_url(next_url: str) -> str:
    """The step-up page, returning to ``next_url`` afterwards."""
    return f"{reverse('accounts_step_up')}?{urlencode({'next': next_url})}"


def step_up_required(
    minutes: float = STEP_UP_MINUTES,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: send the user to the step-up page first when 2FA is not recent."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                require_recent_2fa(request, minutes)
            except StepUpRequired:
                # A POST body cannot survive the redirect: the user returns to the page by GET.
                return HttpResponseRedirect(step_up_url(request.get_full_path()))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
