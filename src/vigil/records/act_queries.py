"""Acts matching the list filters (type, dates, provision charged, court, needs review): the
query the lists and the API share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, QuerySet

from vigil.records.models import Act
from vigil.records.visible import visible

if TYPE_CHECKING:
    from vigil.accounts.types import User

ACT_FILTERS = ("act_type", "date_from", "date_to", "provision", "court", "needs_review")


def has_act_filter(data: dict[str, Any]) -> bool:
    """Whether any filter on the acts behind a row is set."""
    return any(data.get(name) for name in ACT_FILTERS)


def matching_acts(
    user: User, data: dict[str, Any], *, per_act: bool = False, of_visible_victims: bool = False
) -> QuerySet[Act]:
    """Acts ``user`` may view that satisfy every act filter in ``data`` at once.

    ``per_act``: the provision as a probe of each act's charges (for a query that reads a few
    acts, such as one person's), instead of a list of every act charged with it (for a query
    that reads every matching act): the same acts.

    ``of_visible_victims``: the acts are read only as the acts of their victim, a person the
    outer query restricts for ``user`` (the person list: ``victim_person = person`` or
    ``person IN (victims)``): the policy leaves the victim's check to that query. Not for a
    query that reads the acts themselves (a count of acts, their events).

    A charge is always read as a charge of one of these acts (the act checked here), so the
    policy leaves its act's check to this query.
    """
    acts = Act.objects.all()
    if data.get("act_type"):
        acts = acts.filter(act_type=data["act_type"])
    if data.get("date_from"):
        acts = acts.filter(date__gte=data["date_from"])
    if data.get("date_to"):
        acts = acts.filter(date__lte=data["date_to"])
    if data.get("court"):
        acts = acts.filter(place=data["court"])
    if data.get("needs_review"):
        acts = acts.exclude(review_note="")
    if data.get("provision"):
        charges = visible(user, data["provision"].charges.all(), checked_parents=("act",))
        if per_act:
            acts = acts.filter(Exists(charges.filter(act=OuterRef("pk"))))
        else:
            acts = acts.filter(pk__in=charges.values("act_id"))
    # The policy's conditions last: SQLite tests a row's conditions in the order written (its
    # subqueries after its columns), so an act the filters reject is not probed for its
    # parents — a provision's charge before the act's event.
    victim = ("victim_person",) if of_visible_victims else ()
    return visible(user, acts, checked_parents=victim)
