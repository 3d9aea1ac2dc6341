"""Persons from ZUBR who may be persons recorded from other sources: offered, never merged.

The names engine compares every ZUBR person with every victim recorded from another source
(a Viasna prisoner spelled in Latin, a person entered by hand), across scripts. A pair scoring
at or above the review threshold, with no contradicting sex, is offered for a human to decide
on the merge page; nothing is joined here. The merge suggestions (``merge_candidates``) find
the same pairs from either side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vigil.core.chunks import chunked
from vigil.names import OPERATING_THRESHOLD, REVIEW_THRESHOLD, NameIndex, NameRecord
from vigil.records.models import Person, PersonName

SCHEME = "zubr"
KNOWN_SEX = {"male", "female"}


@dataclass(frozen=True)
class PossibleLink:
    """A ZUBR person and a person from another source whose names the scorer finds close."""

    zubr_person: Any
    zubr_name: str
    other_person: Any
    other_name: str
    score: float
    why: str

    @property
    def at_operating_threshold(self) -> bool:
        return self.score >= OPERATING_THRESHOLD

    def describe(self) -> str:
        level = "likely" if self.at_operating_threshold else "review"
        return f"{self.zubr_name} ~ {self.other_name}: {self.score:.2f} ({level})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "zubr_person": str(self.zubr_person),
            "zubr_name": self.zubr_name,
            "other_person": str(self.other_person),
            "other_name": self.other_name,
            "score": round(self.score, 3),
            "at_operating_threshold": self.at_operating_threshold,
            "why": self.why,
        }


def _select(qs: Any) -> tuple[dict[Any, Person], dict[Any, list[str]]]:
    """Persons of a queryset by id, and each one's display and stored names without repeats."""
    # In the order of their ids and names, whatever the database's collation: the offers are
    # the same on SQLite and PostgreSQL.
    persons = {p.pk: p for p in sorted(qs, key=lambda p: str(p.pk))}
    names: dict[Any, list[str]] = {pk: [] for pk in persons}
    for pk, person in persons.items():
        if person.display_name.strip():
            names[pk].append(person.display_name)
    # The ids in chunks (not the queryset as a subquery: PostgreSQL without fresh statistics
    # after a bulk import planned that IN (SELECT DISTINCT … NOT EXISTS …) for minutes).
    ids = list(persons)
    rows = []
    for keys in chunked(ids, 900):
        chunk = PersonName.objects.filter(person_id__in=keys)
        rows.extend(chunk.values_list("person_id", "value"))
    for pk, value in sorted(rows, key=lambda row: (str(row[0]), row[1])):
        if pk in persons and value not in names[pk]:
            names[pk].append(value)
    return persons, {pk: forms for pk, forms in names.items() if forms}


def offer_links(threshold: float = REVIEW_THRESHOLD, limit: int = 5) -> list[PossibleLink]:
    """Pairs (ZUBR person, victim from another source) worth a human look, best first."""
    live = Person.objects.filter(is_synthetic=False, name_withheld=False)
    zubr, zubr_names = _select(live.filter(external_ids__scheme=SCHEME))
    others, other_names = _select(
        live.filter(acts__isnull=False).exclude(external_ids__scheme=SCHEME).distinct()
    )
    if not zubr or not others:
        return []
    index = NameIndex(
        NameRecord(str(pk), forms, None, zubr[pk].sex if zubr[pk].sex in KNOWN_SEX else None)
        for pk, forms in zubr_names.items()
    )
    by_id = {str(pk): pk for pk in zubr}
    best: dict[tuple[Any, Any], PossibleLink] = {}
    for pk, forms in other_names.items():
        other = others[pk]
        sex = other.sex if other.sex in KNOWN_SEX else None
        for query in forms:
            for c in index.search(query, gender=sex, limit=limit, threshold=threshold):
                found = zubr[by_id[c.entity_id]]
                if sex and found.sex in KNOWN_SEX and found.sex != sex:
                    continue  # a contradicting sex: never the same person
                key = (found.pk, pk)
                if key not in best or c.score > best[key].score:
                    best[key] = PossibleLink(
                        found.pk, zubr_names[found.pk][0], pk, forms[0], c.score,
                        f"{query} ~ {c.form}: {c.explanation}",
                    )  # fmt: skip
    return sorted(best.values(), key=lambda link: (-link.score, link.zubr_name, link.other_name))
