"""The person list's search: any spelling of any stored name, best match first, paginated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator

from vigil.records.custody import CustodyState
from vigil.records.dates import display_date
from vigil.records.display_names import attach_display_names
from vigil.records.models import Person
from vigil.records.visible import custody_seen_by
from vigil.search.persons import search_persons

if TYPE_CHECKING:
    from vigil.accounts.types import User


@dataclass(frozen=True)
class PersonRow:
    """One line of the persons list: the person and their derived custody."""

    person: Person
    custody: CustodyState | None

    @property
    def born(self) -> str:
        """The birth date at its precision, blank when unknown."""
        return self.born_in(None)

    def born_in(self, language: str | None) -> str:
        """:attr:`born` in ``language`` (None: the active one), for a caller that read the
        language once for many rows."""
        p = self.person
        return (
            display_date(p.birth_date, p.birth_date_precision, language=language)
            if p.birth_date
            else ""
        )


@dataclass(frozen=True)
class PersonPage:
    """One page of search results."""

    query: str
    page: Page
    rows: list[PersonRow]


def person_page(user: User, query: str, number: str | int | None, per_page: int = 25) -> PersonPage:
    """The page ``number`` of visible persons matching ``query``, with custody from visible acts."""
    page = Paginator(search_persons(query, user), per_page).get_page(number)
    persons = list(page.object_list)
    custody = custody_seen_by(user, [p.pk for p in persons])
    attach_display_names(user, persons)
    return PersonPage(query, page, [PersonRow(p, custody.get(p.pk)) for p in persons])
