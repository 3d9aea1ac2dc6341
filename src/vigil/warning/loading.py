"""The record the acting user may see, as plain tables for the risk model.

Every queryset goes through the one policy (``restrict(user, "view", ...)``): acts, persons and
organisations the user may not view are not read, so they cannot inform a score.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

import pandas as pd
from django.db.models import QuerySet

from vigil.policy.access import restrict
from vigil.records.models import Act, Counsel, Person, Profession
from vigil.warning.record import WarningRecord

if TYPE_CHECKING:
    from vigil.accounts.types import User


class Include(StrEnum):
    REAL = "real"
    SYNTHETIC = "synthetic"
    ALL = "all"


def _scope(qs: QuerySet[Any], include: Include) -> QuerySet[Any]:
    if include is Include.REAL:
        return qs.filter(is_synthetic=False)
    if include is Include.SYNTHETIC:
        return qs.filter(is_synthetic=True)
    return qs


def visible_persons(user: User, include: Include, scheme: str | None = None) -> QuerySet[Person]:
    persons = _scope(restrict(user, "view", Person.objects.all()), include)
    if scheme:
        persons = persons.filter(external_ids__scheme=scheme)
    return persons


def load_record(
    user: User, include: Include = Include.REAL, scheme: str | None = None
) -> WarningRecord:
    """Acts on persons and organisations, memberships and counsel links ``user`` may view."""
    persons = visible_persons(user, include, scheme).values("pk")
    acts = _scope(restrict(user, "view", Act.objects.all()), include)
    person_acts = acts.filter(victim_person__in=persons, date__isnull=False).values_list(
        "pk", "victim_person_id", "act_type__key", "date", "known_since", "detention_days",
        "event_id",
    )  # fmt: skip
    org_acts = acts.filter(victim_organisation__isnull=False, date__isnull=False).values_list(
        "pk", "victim_organisation_id", "act_type__key", "date", "known_since"
    )
    professions = _scope(restrict(user, "view", Profession.objects.all()), include)
    members = professions.filter(person__in=persons, bar_association__isnull=False).values_list(
        "person_id", "bar_association_id"
    )
    counsel = _scope(restrict(user, "view", Counsel.objects.all()), include)
    counsel = counsel.filter(lawyer__in=persons, act__in=acts).values_list(
        "lawyer_id", "act__victim_person_id", "act_id"
    )
    record = WarningRecord(
        acts=pd.DataFrame(
            [(str(a), str(p), t, d, k, n, str(e)) for a, p, t, d, k, n, e in person_acts],
            columns=["act", "person", "act_type", "date", "known", "detention_days", "event"],
        ),
        org_acts=pd.DataFrame(
            [(str(a), str(o), t, d, k) for a, o, t, d, k in org_acts],
            columns=["act", "organisation", "act_type", "date", "known"],
        ),
        members=pd.DataFrame(
            [(str(p), str(o)) for p, o in members], columns=["person", "organisation"]
        ),
        counsel=pd.DataFrame(
            [(str(lw), str(c), str(a)) for lw, c, a in counsel if c is not None],
            columns=["lawyer", "client", "act"],
        ),
    )
    return record


def name_links(user: User) -> dict[str, str]:
    """ZUBR persons the names engine links to a person from another source (one to one).

    At or above the operating threshold, with no contradicting sex (ZUBR gives no birth date
    to contradict); each side used once, best score first. Offered links, not merges: they
    only make the backtest count the two as one person.
    """
    from vigil.importers.zubr_links import offer_links
    from vigil.names import OPERATING_THRESHOLD

    visible = set(visible_persons(user, Include.REAL).values_list("pk", flat=True))
    aliases: dict[str, str] = {}
    taken: set[Any] = set()
    for link in offer_links(threshold=OPERATING_THRESHOLD, limit=3):
        if link.zubr_person not in visible or link.other_person not in visible:
            continue
        if str(link.zubr_person) in aliases or link.other_person in taken:
            continue
        aliases[str(link.zubr_person)] = str(link.other_person)
        taken.add(link.other_person)
    return aliases
