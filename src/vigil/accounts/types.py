"""Who is asking: the type of a Vigil user, and of whoever a request carries."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from vigil.accounts.models import User

# Whoever asks: a signed-in user, the anonymous one or nobody (the policy denies both everything).
AnyUser: TypeAlias = User | AnonymousUser | None


class SignedInRequest(HttpRequest):
    """A request to a view behind ``login_required``: its user is a :class:`User`.

    For annotations only (Django builds the request): the views that need a signed-in user
    say so, and mypy checks that they pass a ``User`` on.
    """

    user: User


__all__ = ["AnyUser", "SignedInRequest", "User"]
