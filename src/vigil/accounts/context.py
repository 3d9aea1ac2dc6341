"""Template context about the signed-in session (for the page header)."""

from __future__ import annotations

from django.http import HttpRequest

from vigil.accounts.sessions import is_verified


def second_factor(request: HttpRequest) -> dict[str, bool]:
    """``signed_in``: authenticated *and* past the second factor. Before the code is entered the
    header shows no navigation: the links would only lead back to the code page, and they
    describe the system to whoever holds just the password."""
    user = getattr(request, "user", None)
    done = bool(user is not None and user.is_authenticated and is_verified(request))
    return {"signed_in": done}
