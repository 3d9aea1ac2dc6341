"""``{% risk_panel person [acts] %}``: the risk panel of a person page, for risk roles only."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

from vigil.policy.access import may_see_risk as _may_see_risk
from vigil.warning.models import RegisterStatus
from vigil.warning.reading import person_panel

register = template.Library()


@register.inclusion_tag("warning/panel.html", takes_context=True)
def risk_panel(context: dict[str, Any], person: Any, acts: Any = None) -> dict[str, Any]:
    """Nothing for roles that may not see risk scores; the view is audited when a score shows.

    ``acts``: the acts against ``person`` the page already read for this user (its timeline).
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    panel = person_panel(user, person, acts) if user is not None else None
    return {
        "panel": panel,
        "person": person,
        "statuses": RegisterStatus.choices,
        "csrf_token": context.get("csrf_token"),
        "request": request,
        "user": user,
    }


@register.filter
def percent(value: float | None) -> str:
    """0.01234 → "1.2%" (the decimal mark of the active language)."""
    if value is None:
        return "—"
    return f"{number_format(round(100 * float(value), 1), 1)}%"


@register.simple_tag(takes_context=True)
def may_see_risk(context: dict[str, Any]) -> bool:
    """Whether the signed-in user's role may see risk scores (for the menu link)."""
    request = context.get("request")
    return _may_see_risk(getattr(request, "user", None))
