"""``{% person_solidarity person %}``: the statements about a person, on their profile."""

from __future__ import annotations

from typing import Any

from django import template

from vigil.solidarity.statements import statements_about

register = template.Library()


@register.inclusion_tag("solidarity/_person_panel.html", takes_context=True)
def person_solidarity(context: dict[str, Any], person: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"person": person, "statements": statements_about(user, person) if user else []}
