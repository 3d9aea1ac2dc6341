"""Signal handlers: index sessions at sign-in, forget them at sign-out, end them on disable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from vigil.accounts import sessions
from vigil.accounts.auditing import audit
from vigil.accounts.models import User

if TYPE_CHECKING:
    from vigil.accounts.types import User


@receiver(user_logged_in, dispatch_uid="vigil_accounts_logged_in")
def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Start the session clock and index the session under its user."""
    if request is not None and hasattr(request, "session") and isinstance(user, User):
        sessions.start(request, user)
        audit("login", actor=user, obj=user)


@receiver(user_logged_out, dispatch_uid="vigil_accounts_logged_out")
def on_logged_out(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Drop the session from the index; Django deletes the session itself."""
    if request is not None and hasattr(request, "session"):
        sessions.forget(request)
    if isinstance(user, User):
        audit("logout", actor=user, obj=user)


@receiver(post_save, sender=User, dispatch_uid="vigil_accounts_disabled")
def on_user_saved(sender: Any, instance: User, **kwargs: Any) -> None:
    """A disabled account loses every session at once."""
    if not instance.is_active:
        sessions.end_all(instance)
