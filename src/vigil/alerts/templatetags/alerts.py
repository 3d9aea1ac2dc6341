"""``{% unread_notifications %}``: the bell's count in the page header."""

from __future__ import annotations

from typing import Any

from django import template

from vigil.alerts.notifications import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count(user) if user is not None and user.is_authenticated else 0
