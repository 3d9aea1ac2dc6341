"""Persons who are the victim of at least one matching act: the same persons by either of two
SQL shapes, the cheaper chosen on SQLite by an estimate (issue 14 §2).

- **driven by the acts**, ``id IN (victims of the matching acts)``: every matching act is read
  (and the policy checked on it) before the first person — cheap when few acts match, seconds
  at 100k persons when most do (a sentence since 2023: 60,870 acts, 4.5 s a page);
- **driven by the persons**, ``EXISTS (a matching act of this person)``: each person is probed
  on the ``(victim_person, date)`` index in the order the statement reads persons, and the
  statement stops once it has the rows it needs (a page sorted by name, a capped count) —
  cheap when many persons match, but when few do it probes every person (0.2-0.6 s at 100k).

Which reads less depends on how many persons match, which only the data says: the persons of
the list are counted (an index count) and a sample of them probed. PostgreSQL's planner weighs
the two itself from its statistics: it keeps the first shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from vigil.records.models import Act, Person

# Costs of the two shapes, in µs of CPU, measured on encrypted SQLite at 100k persons and 300k
# acts: per matching act read when the acts drive (its row, the policy's probes of its event,
# victim and organisation), and per person probed when the persons drive.
ACT_COST = 40
PROBE_COST = 6
# Persons of a list this short are probed without an estimate (under ~25 ms); the sample:
# persons probed to find the share that matches.
FEW_PERSONS = 4000
SAMPLE = 200


@dataclass(frozen=True)
class Share:
    """How many persons the list holds, and the share of them with a matching act."""

    persons: int
    matching: float

    def probes(self, rows: int | None) -> float:
        """Persons probed before ``rows`` of them match (None, or fewer match: all of them)."""
        if rows is None or self.matching <= 0:
            return self.persons
        return min(self.persons, rows / self.matching)

    def persons_drive(self, rows: int | None) -> bool:
        """Whether probing persons until ``rows`` match reads less than reading every
        matching act (about one act per matching person)."""
        acts = self.persons * self.matching
        return self.probes(rows) * PROBE_COST <= acts * ACT_COST


def estimate(persons: QuerySet[Person], acts: QuerySet[Act], sample: int = SAMPLE) -> Share:
    """The persons of ``persons`` and the share of a sample of them who are the victim of one
    of ``acts`` (in SQL shaped for probing a person's acts).

    The sample: the first persons by name from each end (the name index; a page sorted by
    name reads them first). Not the first by id: imported records get ordered ids, so those are
    the oldest records, not a spread.
    """
    everyone = persons.order_by().count()
    if everyone <= FEW_PERSONS:
        return Share(everyone, 1.0)  # probing all of them is cheap, whatever the share
    half = sample // 2
    first = persons.order_by("display_name", "pk").values("pk")[:half]
    last = persons.order_by("-display_name", "-pk").values("pk")[:half]
    probed = persons.filter(Q(pk__in=first) | Q(pk__in=last)).order_by()
    hits = probed.filter(_matched(acts)).count()
    return Share(everyone, hits / min(2 * half, everyone))


def persons_with_acts(
    persons: QuerySet[Person],
    acts: QuerySet[Act],
    rows: int | None = None,
    share: Share | None = None,
    probed: QuerySet[Act] | None = None,
) -> QuerySet[Person]:
    """``persons`` who are the victim of at least one of ``acts``; the same persons, whichever
    SQL reads them.

    ``rows``: how many rows the statement needs in the order it reads persons (a page sorted
    by an indexed column: its last row's position; a capped count: the cap + 1); None: all of
    them (a page sorted otherwise, an export). ``share``: the estimate, when the caller has it
    already. ``probed``: the same acts in SQL shaped for probing one person's acts
    (``act_queries.matching_acts(per_act=True)``), when it differs.
    """
    probed = acts if probed is None else probed
    if connection.vendor == "sqlite":
        if (share or estimate(persons, probed)).persons_drive(rows):
            return driven_by_persons(persons, probed)
    return driven_by_acts(persons, acts)


def driven_by_acts(persons: QuerySet[Person], acts: QuerySet[Act]) -> QuerySet[Person]:
    """``persons`` who are the victim of one of ``acts``, read from a list of the acts' victims."""
    return persons.filter(pk__in=acts.values("victim_person_id"))


def driven_by_persons(persons: QuerySet[Person], acts: QuerySet[Act]) -> QuerySet[Person]:
    """``persons`` who are the victim of one of ``acts``, each person probed for such an act."""
    return persons.filter(_matched(acts))


def _matched(acts: QuerySet[Act]) -> Exists:
    return Exists(acts.filter(victim_person=OuterRef("pk")))
