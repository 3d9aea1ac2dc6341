"""Helpers for tests in any app: a signed-in client that has passed the second factor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vigil.accounts import sessions

if TYPE_CHECKING:
    from vigil.accounts.types import User


def login_verified(client: Any, user: User) -> Any:
    """Sign ``user`` in on a Django test client, as if the 2FA code had been entered."""
    client.force_login(user)
    session = client.session
    session[sessions.VERIFIED_AT] = sessions.now()
    session.save()
    return client
