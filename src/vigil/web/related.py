"""Persons related to a person: co-defendants (same event or case), and the same judge's."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vigil.records.models import Act, Case, Involvement, Person
from vigil.records.visible import visible

if TYPE_CHECKING:
    from vigil.accounts.types import User

JUDGING = ("perpetrator_role.judge", "perpetrator_role.presiding_judge")
LIMIT = 50
# Each list is ordered by name and then by key: persons of the same name (and a person reached
# through two rows) come in one order whatever plan the database chose, and the same ones are
# cut at the limit.
# What the page shows of a related person (its link and its name in the page's language:
# ``display_name_for``): up to 200 rows of four records each are read, and loading every
# column of each was most of the section's time.
_SHOWN = ("display_name", "name_withheld")


@dataclass(frozen=True)
class Related:
    """A related person and why they are related."""

    person: Person
    via: str
    through: Any


def co_defendants(
    user: User, person: Person, events: Iterable[Any] | None = None, *, in_cases: bool = True
) -> list[Related]:
    """Other victims of acts in the events and cases that hold acts against ``person``.

    ``events``: the events of the acts against ``person`` that ``user`` may view, when the
    caller has read those acts already (the profile's timeline); else they are read here.
    ``in_cases=False``: the caller knows no case holds ``person`` (the case links are not read).
    """
    if events is None:
        own_acts = visible(user, Act.objects.filter(victim_person=person))
        events = own_acts.values_list("event_id", flat=True).distinct()
    events = list(events)
    found: dict[Any, Related] = {}
    for act in (
        visible(user, Act.objects.filter(event__in=events))
        .exclude(victim_person=person)
        .filter(victim_person__isnull=False)
        .select_related("victim_person", "event")
        .only("victim_person", *(f"victim_person__{f}" for f in _SHOWN), "event__title")
        .order_by("victim_person__display_name", "victim_person_id", "pk")[: LIMIT * 4]
    ):
        found.setdefault(act.victim_person_id, Related(act.victim_person, "event", act.event))
    if in_cases:
        cases = visible(user, Case.objects.filter(persons=person))
        links = (
            Case.persons.through.objects.filter(
                case__in=cases.values("pk"),
                person__in=visible(user, Person.objects.exclude(pk=person.pk)).values("pk"),
            )
            .select_related("person", "case")
            .order_by("person__display_name", "person_id", "pk")[:LIMIT]
        )
        for link in links:
            found.setdefault(link.person_id, Related(link.person, "case", link.case))
    return sorted(found.values(), key=lambda r: str(r.person))[:LIMIT]


def judges_of(involvements: Iterable[Involvement]) -> set[Any]:
    """The persons who judged, from the involvements of a person's acts as the caller read them
    (the profile's timeline reads the ones the user may view)."""
    return {
        i.perpetrator_person_id
        for i in involvements
        if i.role_id in JUDGING and i.perpetrator_person_id is not None
    }


def same_judge(user: User, person: Person, judges: Iterable[Any] | None = None) -> list[Related]:
    """Other persons sentenced or tried by a judge who judged ``person``.

    ``judges``: :func:`judges_of` the acts against ``person`` that ``user`` may view, when the
    caller has read them (the profile's timeline); else they are read here.
    """
    if judges is None:
        judged = visible(
            user,
            Involvement.objects.filter(
                act__victim_person=person, role_id__in=JUDGING, perpetrator_person__isnull=False
            ),
        )
        # Materialised first: as a subquery, SQLite started from every judge involvement.
        judges = judged.values_list("perpetrator_person_id", flat=True).distinct()
    judges = sorted(judges, key=str)
    if not judges:
        return []
    found: dict[Any, Related] = {}
    victim = [f"act__victim_person__{f}" for f in ("id", *_SHOWN)]
    judge = [f"perpetrator_person__{f}" for f in ("id", *_SHOWN)]
    rows = (
        visible(
            user, Involvement.objects.filter(perpetrator_person__in=judges, role_id__in=JUDGING)
        )
        .exclude(act__victim_person=person)
        .filter(act__victim_person__isnull=False)
        .order_by("act__victim_person__display_name", "act__victim_person_id", "pk")
        .values_list(*victim, *judge)[: LIMIT * 4]
    )
    # Up to 200 rows of values; a Person (its id and the shown columns, as ``only`` reads it)
    # is made for each person kept, not four records for every row.
    judges_read: dict[Any, Person] = {}
    for row in rows:
        if row[0] in found:
            continue
        if len(found) >= LIMIT:
            break
        through = judges_read.get(row[3])
        if through is None:
            through = judges_read[row[3]] = _shown_person(rows.db, row[3:])
        found[row[0]] = Related(_shown_person(rows.db, row[:3]), "judge", through)
    return list(found.values())


def _shown_person(db: str, values: tuple[Any, ...]) -> Person:
    """A person as ``Person.objects.only("display_name", "name_withheld")`` reads it."""
    return Person.from_db(db, ["id", *_SHOWN], values)
