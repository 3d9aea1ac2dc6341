"""Duplicate warnings while a name is typed: persons the user may view whose names are alike."""

from __future__ import annotations

import threading
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Max

from vigil.names import NameIndex, NameRecord
from vigil.names.index import expand_forms
from vigil.policy.access import restrict
from vigil.records.models import Person, PersonName

if TYPE_CHECKING:
    from vigil.accounts.types import User

# A surname typed alone has no given name to confirm it and scores about 0.7 against a full
# name in another script ("Беляцкий" ~ "Ales Bialiatski" 0.63): a warning, unlike a merge,
# may be shown a little below the review threshold.
WARN_THRESHOLD = 0.6
MIN_LENGTH = 3

_lock = threading.Lock()
_cache: dict[str, Any] = {}


@dataclass(frozen=True)
class Suggestion:
    """A visible person who may be the one being typed, and the stored name that matched."""

    person: Person
    form: str
    score: float


def _fingerprint() -> tuple[Any, ...]:
    """Changes whenever a person or a name is added, edited, merged or deleted."""
    people = Person.all_objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    names = PersonName.all_objects.aggregate(n=Count("pk"), at=Max("updated_at"))
    return (people["n"], people["at"], names["n"], names["at"])


def _build() -> NameIndex:
    forms: dict[Any, list[str]] = defaultdict(list)
    people = Person.objects.filter(name_withheld=False).values_list("pk", "display_name")
    for pk, display in people:
        if display.strip():
            forms[pk].append(display)
    for pk, value in PersonName.objects.filter(
        person__deleted_at__isnull=True, person__name_withheld=False
    ).values_list("person_id", "value"):
        if value not in forms[pk]:
            forms[pk].append(value)
    return NameIndex(NameRecord(str(pk), names) for pk, names in forms.items())


def name_index() -> NameIndex:
    """The index of every live person's names, rebuilt when the record changed."""
    key = _fingerprint()
    with _lock:
        if _cache.get("key") != key:
            _cache["index"] = _build()
            _cache["key"] = key
        return _cache["index"]


def suggest_persons(
    user: User, text: str, *, limit: int = 5, exclude: Any = None
) -> list[Suggestion]:
    """Persons ``user`` may view whose visible names are like ``text``, best first.

    The index holds every name; a match counts only when both the person and the name that
    matched are visible to ``user``, so a hidden alias never leads to anyone.
    """
    text = " ".join((text or "").split())[:200]
    if len(text) < MIN_LENGTH:
        return []
    found = name_index().search(text, limit=limit * 4, threshold=WARN_THRESHOLD)
    ids = [uuid.UUID(c.entity_id) for c in found if c.entity_id != str(exclude)]
    people = {p.pk: p for p in restrict(user, "view", Person.objects.filter(pk__in=ids))}
    allowed: dict[Any, set[str]] = defaultdict(set)
    for p in people.values():
        allowed[p.pk].update(expand_forms(p.display_name))
    names = restrict(user, "view", PersonName.objects.filter(person_id__in=list(people)))
    for pk, value in names.values_list("person_id", "value"):
        allowed[pk].update(expand_forms(value))
    result: list[Suggestion] = []
    for c in found:
        pk = uuid.UUID(c.entity_id)
        if pk in people and c.form in allowed[pk]:
            result.append(Suggestion(people[pk], c.form, c.score))
    return result[:limit]
