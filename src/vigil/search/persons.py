"""Persons by any spelling, best first, through the policy: the persons list, the search page
and the API's ``q`` call this."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import QuerySet

from vigil.core.db.keys_in import KeysIn, keys_order
from vigil.records.models import Person
from vigil.records.visible import count_visible, page_visible, visible
from vigil.search.name_search import person_keys
from vigil.search.sync import catch_up

if TYPE_CHECKING:
    from vigil.accounts.types import User

# The order of persons a search lists, after the search's own (and of every person when blank).
ORDER = ("display_name", "id")


def search_persons(query: str, user: User | None = None) -> QuerySet[Person]:
    """Persons with a name matching ``query`` in any script or spelling, best first; all when blank.

    Given a ``user``, only persons and names that user may view are searched: a hidden alias
    that finds a visible person would tell the searcher what the alias is. Without one, the
    caller restricts the result itself.
    """
    persons = Person.objects.order_by(*ORDER)
    if user is not None:
        persons = visible(user, persons)
    text = " ".join(query.split())
    if not text:
        return persons
    return _found_in(persons, _keys(text, user))


def _keys(text: str, user: User | None) -> list[Any]:
    catch_up()
    # The hits' ids as the database takes them (each what ``get_db_prep_value`` makes of it).
    return person_keys(text, user)


def _found_in(persons: QuerySet[Person], params: list[Any]) -> QuerySet[Person]:
    if not params:
        return persons.none()
    order = keys_order(Person, params, connection)
    return persons.filter(KeysIn(Person, params)).order_by(order, *ORDER)


class Found:
    """The persons a name search found for a user, searched once: the rows
    ``search_persons(query, user)`` gives, as a queryset or counted and paged another way."""

    def __init__(self, query: str, user: User) -> None:
        self.user = user
        text = " ".join(query.split())
        # The hits' ids as the database takes them, best first (none for a blank query: every
        # person, which this class does not serve).
        if not text:
            raise ValueError("a search without text finds every person: use search_persons")
        self.keys = _keys(text, user)

    def queryset(self) -> QuerySet[Person]:
        """``search_persons(query, user)``, without searching again."""
        return _found_in(visible(self.user, Person.objects.order_by(*ORDER)), self.keys)

    def count(self) -> int:
        """How many they are: ``queryset().count()``."""
        return count_visible(self.user, Person, self.keys)

    def page(self, order: Sequence[str] | None, low: int, high: int) -> list[Person] | None:
        """Rows ``low`` to ``high`` of ``queryset()`` — in its order (the search's), or sorted by
        ``order`` when given — read by :func:`vigil.records.visible.page_visible`; None when
        this user's rows cannot be read that way (then: slice ``queryset()``)."""
        if order is None:
            return page_visible(self.user, Person, ORDER, low, high, self.keys, by_keys=True)
        return page_visible(self.user, Person, order, low, high, self.keys)
