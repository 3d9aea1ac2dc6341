"""Bearer-token authentication for the API (tokens are stored hashed; see accounts.tokens)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from vigil.accounts.models import User
from vigil.accounts.tokens import authenticate_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer vigil_...``: the token's active user, or a 401."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        """The user the token belongs to, if it is valid, unexpired and unrevoked."""
        return authenticate_token(token.strip())


def api_user(request: HttpRequest) -> User:
    """The user the request's token authenticated (ninja stores it in ``request.auth``)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # unreachable behind TokenAuth; refuse rather than guess
        from ninja.errors import AuthenticationError

        raise AuthenticationError()
    return user
