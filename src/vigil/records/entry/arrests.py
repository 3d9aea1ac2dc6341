"""Which recorded arrest a trial follows, so a trial entry never adds a second arrest silently.

A trial form may give the date of the arrest. When the person already has an arrest on that
date (the two dates overlap at the precision each is known: "August 2021" and "10.08.2021"
agree), the trial follows that arrest and nothing is written again, and the trial's sources are
not cited for it. When the person has arrests only on other dates, or several on that date, the
user is asked which one the trial follows, or whether to add a new arrest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from vigil.core.dates import Precision, UncertainDate
from vigil.policy.access import restrict
from vigil.records.date_input import DateInput
from vigil.records.entry.inputs import ArrestChoiceNeeded, EntryError, TrialInput
from vigil.records.models import Act, Person

if TYPE_CHECKING:
    from vigil.accounts.types import User


@dataclass(frozen=True)
class ArrestPlan:
    """What a trial entry does about the arrest: follow a recorded one, add one, or neither."""

    reuse: Act | None = None
    add: DateInput | None = None


def _period(date: dt.date | None, precision: str, end: dt.date | None) -> tuple[Any, Any] | None:
    """The first and last day an uncertain date may stand for; None when unknown."""
    if date is None:
        return None
    try:
        value = UncertainDate(date, Precision(precision), end)
    except ValueError:  # a stored date whose precision does not fit it: compare the day
        return (date, end or date)
    return (value.earliest(), value.end or value.latest())


def same_arrest_date(act: Act, typed: DateInput) -> bool:
    """Whether a recorded act's date and a typed date may be the same day."""
    a = _period(act.date, act.date_precision, act.date_end)
    b = _period(typed.date, typed.precision, typed.end)
    if a is None or b is None:
        return False
    return bool(a[0] <= b[1] and b[0] <= a[1])


def recorded_arrests(user: User, person: Person) -> list[Act]:
    """The arrests of ``person`` that ``user`` may view, oldest first (undated last)."""
    found = restrict(
        user, "view", Act.objects.filter(victim_person=person, act_type__key="arrest")
    ).select_related("event")
    return sorted(found, key=lambda a: (a.date is None, a.date or dt.date.min, a.created_at))


def plan_arrest(user: User, victim: Person, data: TrialInput, *, new_victim: bool) -> ArrestPlan:
    """Follow the chosen or the one matching recorded arrest; add one only when none is recorded
    or the user chose to; otherwise raise :class:`ArrestChoiceNeeded`."""
    if data.arrest_id is not None:
        chosen = next((a for a in recorded_arrests(user, victim) if a.pk == data.arrest_id), None)
        if chosen is None:
            raise EntryError("arrest_date", _("No arrest of this person with this id."))
        return ArrestPlan(reuse=chosen)
    if data.arrest_date is None:
        return ArrestPlan()
    if new_victim or data.new_arrest:
        return ArrestPlan(add=data.arrest_date)
    arrests = recorded_arrests(user, victim)
    matching = [a for a in arrests if same_arrest_date(a, data.arrest_date)]
    if len(matching) == 1:
        return ArrestPlan(reuse=matching[0])
    if not arrests:
        return ArrestPlan(add=data.arrest_date)
    raise ArrestChoiceNeeded(arrests)
