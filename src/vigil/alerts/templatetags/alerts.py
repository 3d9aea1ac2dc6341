"""``{% unread_notifications %}``: the bell's count in the page header."""

from __future__ import annotations

from typing import Any

from django import template

from vigil.alerts.notifications import unread_count
from vigil.alerts.watching import is_watching

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count(user) if user is not None and user.is_authenticated else 0


@register.inclusion_tag("alerts/watch_button.html", takes_context=True)
def watch_button(context: dict[str, Any], record: Any) -> dict[str, Any]:
    """A Watch / Stop watching button for ``record`` (a person, organisation or case)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "record": record,
        "kind": record._meta.model_name,
        "watching": bool(user is not None and is_watching(user, record)),
        "csrf_token": context.get("csrf_token"),
    }
