"""Quality of name screening on the EU list: recall and precision per direction and half."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from screening_data import FORMS, PERTURBATIONS, Person, query_text, unseen_romanisations
from vigil.names import NameIndex, NameRecord

# A searcher takes (query, birth or None, target form, true entity id) and returns the entity
# ids at or above its threshold; the truth lets the baseline score Vigil's candidates plus the
# right person, and Vigil ignores it.
Searcher = Callable[[str, str | None, str, str], list[str]]


@dataclass
class Tally:
    """Hits, queries and returned results of one cell of the table."""

    hits: int = 0
    queries: int = 0
    returned: int = 0
    correct: int = 0

    def add(self, truth: str, found: list[str]) -> None:
        """Count one query."""
        self.queries += 1
        self.returned += len(found)
        if truth in found:
            self.hits += 1
            self.correct += 1

    def merge(self, other: Tally) -> None:
        """Add another tally into this one."""
        self.hits += other.hits
        self.queries += other.queries
        self.returned += other.returned
        self.correct += other.correct

    @property
    def recall(self) -> float:
        """Share of queries whose person was returned."""
        return self.hits / self.queries if self.queries else 0.0

    @property
    def precision(self) -> float:
        """Share of returned results that were the right person."""
        return self.correct / self.returned if self.returned else 1.0


def vigil_searcher(persons: list[Person], *, with_birth: bool) -> Searcher:
    """A Searcher over one NameIndex per target form."""
    indexes = vigil_indexes(persons, with_birth=with_birth)

    def search(query: str, birth: str | None, target: str, truth: str) -> list[str]:
        return [c.entity_id for c in indexes[target].search(query, birth=birth, limit=50)]

    return search


def vigil_indexes(persons: list[Person], *, with_birth: bool) -> dict[str, NameIndex]:
    """One NameIndex per target form (what the baseline takes its candidates from)."""
    return {
        target: NameIndex(
            NameRecord(p.entity_id, [p.forms[target]], p.birth if with_birth else None)
            for p in persons
        )
        for target in FORMS
    }


def directions() -> list[tuple[str, str]]:
    """The 12 (query form, indexed form) pairs."""
    return [(q, t) for q in FORMS for t in FORMS if q != t]


def direction_table(
    search: Searcher, half: Iterable[Person], *, with_birth: bool
) -> dict[tuple[str, str], Tally]:
    """Per direction tallies for the persons of one half."""
    half = list(half)
    table = {}
    for q, t in directions():
        tally = Tally()
        for p in half:
            birth = p.birth if with_birth else None
            tally.add(p.entity_id, search(query_text(p.forms[q]), birth, t, p.entity_id))
        table[(q, t)] = tally
    return table


def perturbed_table(search: Searcher, half: Iterable[Person]) -> dict[str, Tally]:
    """Tallies per perturbation, each query searched against the three other forms."""
    half = list(half)
    table: dict[str, Tally] = {}
    for name, make in PERTURBATIONS.items():
        tally = Tally()
        for p in half:
            for source in FORMS:
                query = make(p, source)
                for target in FORMS:
                    if target != source:
                        tally.add(p.entity_id, search(query, None, target, p.entity_id))
        table[name] = tally
    tally = Tally()
    for p in half:
        for source, query in unseen_romanisations(p):
            for target in FORMS:
                if target != source:
                    tally.add(p.entity_id, search(query, None, target, p.entity_id))
    table["unseen romanisation"] = tally
    return table


def misses(
    search: Searcher, half: Iterable[Person], *, with_birth: bool
) -> list[tuple[str, str, str, list[str]]]:
    """(direction, query, truth, returned) for every direction query that failed."""
    found = []
    for p in half:
        for q, t in directions():
            query = query_text(p.forms[q])
            result = search(query, p.birth if with_birth else None, t, p.entity_id)
            if result != [p.entity_id]:
                found.append((f"{q}->{t}", query, p.forms[t], result))
    return found
