"""``{{ act|court_of }}``, ``{{ act|detention_place_of }}``, ``{{ act|court_not_named }}``:
an act's place by what it is (see ``vigil.records.places``)."""

from __future__ import annotations

from typing import Any

from django import template

from vigil.records import places

register = template.Library()


@register.filter(name="court_of")
def court_of(act: Any) -> Any:
    """The act's court, or None."""
    return places.court_of(act)


@register.filter(name="detention_place_of")
def detention_place_of(act: Any) -> Any:
    """The act's place of detention, or None."""
    return places.detention_place_of(act)


@register.filter(name="court_not_named")
def court_not_named(act: Any) -> bool:
    """Whether the act is a criminal-court act whose court the record does not name."""
    return places.court_not_named(act)


@register.filter(name="other_place")
def other_place(act: Any) -> Any:
    """The act's place when it is neither a court nor a place of detention, else None."""
    if places.court_of(act) is None and places.detention_place_of(act) is None:
        return act.place
    return None
