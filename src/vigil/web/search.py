"""The simple person search of the first UI: a substring of any stored name, paginated."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from vigil.records.custody import CustodyState, custody_by_person
from vigil.records.dates import display_date
from vigil.records.models import Act, Person
from vigil.records.names import normalised_name


def search_persons(query: str) -> QuerySet[Person]:
    """Persons whose display name or any live stored name contains ``query``; all when blank."""
    persons = Person.objects.order_by("display_name", "id")
    text = " ".join(query.split())
    if not text:
        return persons
    # SQLite folds case for ASCII only, so the case-folded `normalised` column carries Cyrillic.
    folded = normalised_name(text)
    match = Q(display_name__icontains=text) | Q(
        names__value__icontains=text, names__deleted_at__isnull=True
    )
    if folded:
        match |= Q(names__normalised__contains=folded, names__deleted_at__isnull=True)
    ids = Person.objects.filter(match).values("id")
    return persons.filter(id__in=ids)


@dataclass(frozen=True)
class PersonRow:
    """One line of the persons list: the person and their derived custody."""

    person: Person
    custody: CustodyState | None

    @property
    def born(self) -> str:
        """The birth date at its precision, blank when unknown."""
        p = self.person
        return display_date(p.birth_date, p.birth_date_precision) if p.birth_date else ""


@dataclass(frozen=True)
class PersonPage:
    """One page of search results."""

    query: str
    page: Page
    rows: list[PersonRow]


def person_page(query: str, number: str | int | None, per_page: int = 25) -> PersonPage:
    """The page ``number`` of persons matching ``query``, with each person's custody."""
    page = Paginator(search_persons(query), per_page).get_page(number)
    persons = list(page.object_list)
    custody = custody_by_person(Act.objects.filter(victim_person__in=persons))
    return PersonPage(query, page, [PersonRow(p, custody.get(p.pk)) for p in persons])
