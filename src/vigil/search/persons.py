"""Persons by any spelling, best first, through the policy: the persons list, the search page
and the API's ``q`` call this."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from vigil.core.db.keys_in import KeysIn, key_column
from vigil.records.models import Person
from vigil.records.visible import visible
from vigil.search.name_search import person_keys
from vigil.search.sync import catch_up

if TYPE_CHECKING:
    from vigil.accounts.types import User


def search_persons(query: str, user: User | None = None) -> QuerySet[Person]:
    """Persons with a name matching ``query`` in any script or spelling, best first; all when blank.

    Given a ``user``, only persons and names that user may view are searched: a hidden alias
    that finds a visible person would tell the searcher what the alias is. Without one, the
    caller restricts the result itself.
    """
    persons = Person.objects.order_by("display_name", "id")
    if user is not None:
        persons = visible(user, persons)
    text = " ".join(query.split())
    if not text:
        return persons
    catch_up()
    # The hits' ids as the database takes them (each what ``get_db_prep_value`` makes of it).
    params = person_keys(text, user)
    if not params:
        return persons.none()
    return persons.filter(KeysIn(Person, params)).order_by(_in_order(params), "display_name", "id")


def _in_order(params: list[Any]) -> RawSQL:
    """An ORDER BY term listing persons in the order of their ids ``params`` (as the database
    takes them).

    One CASE in SQL: Django's Case/When resolves each branch in Python, which costs more
    than the search itself for a hundred hits.
    """
    # Positions are our own integers, written as literals so every backend sorts them as numbers;
    # the ids are parameters (nosec B611 below).
    whens = " ".join(f"WHEN %s THEN {i}" for i in range(len(params)))
    return RawSQL(f"CASE {key_column(Person, connection)} {whens} END", params)  # noqa: S611  # nosec B611
