"""The simple person search of the first UI: a substring of any stored name, paginated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from vigil.policy.access import restrict
from vigil.records.custody import CustodyState, custody_by_person
from vigil.records.dates import display_date
from vigil.records.models import Act, Person, PersonName
from vigil.records.names import normalised_name


def search_persons(query: str, user: Any = None) -> QuerySet[Person]:
    """Persons whose display name or any live stored name contains ``query``; all when blank.

    Given a ``user``, only persons and names that user may view are searched: a hidden alias
    that finds a visible person would tell the searcher what the alias is. Without one, the
    caller restricts the result itself.
    """
    persons = Person.objects.order_by("display_name", "id")
    names = PersonName.objects.all()
    if user is not None:
        persons = restrict(user, "view", persons)
        names = restrict(user, "view", names)
    text = " ".join(query.split())
    if not text:
        return persons
    # SQLite folds case for ASCII only, so the case-folded `normalised` column carries Cyrillic.
    folded = normalised_name(text)
    spelled = Q(value__icontains=text)
    if folded:
        spelled |= Q(normalised__contains=folded)
    named = names.filter(spelled).values("person_id")
    return persons.filter(Q(display_name__icontains=text) | Q(id__in=named))


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


def person_page(user: Any, query: str, number: str | int | None, per_page: int = 25) -> PersonPage:
    """The page ``number`` of visible persons matching ``query``, with custody from visible acts."""
    page = Paginator(search_persons(query, user), per_page).get_page(number)
    persons = list(page.object_list)
    acts = restrict(user, "view", Act.objects.filter(victim_person__in=persons))
    custody = custody_by_person(acts)
    return PersonPage(query, page, [PersonRow(p, custody.get(p.pk)) for p in persons])
