"""Which of a person's recorded names a reader of one language sees.

In the Belarusian and Russian interface (and documents rendered in those languages) a person
appears under the Cyrillic name recorded for that language, when there is one the reader may
view; otherwise, and in English, under the primary name (``Person.display_name``). The names
a caller passes are those the reader may view (the policy's cut), so a confidential spelling
never leaks through a list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language

from vigil.records.models import Person, PersonName
from vigil.records.models.fields import NameKind, Script

if TYPE_CHECKING:
    from vigil.accounts.types import User

__all__ = ["CYRILLIC_LANGUAGES", "display_name_for", "display_names_for", "ui_language"]

# Languages whose readers expect a Cyrillic name when one is recorded for them.
CYRILLIC_LANGUAGES = ("be", "ru")
# Among several names for the language: the primary one, then official forms, then the rest;
# a previous name or a nickname never stands for the person.
_KIND_ORDER = {NameKind.OFFICIAL: 0, NameKind.TRANSLITERATION: 1, NameKind.ALIAS: 2}


def ui_language(language: str | None = None) -> str:
    """The primary subtag of ``language`` (default: the active language), lower case."""
    return (language or get_language() or "en").replace("_", "-").split("-", 1)[0].lower()


def _is_cyrillic(name: PersonName) -> bool:
    if name.script:
        return name.script == Script.CYRILLIC
    return any("\u0400" <= ch <= "\u04ff" for ch in name.value)


def _rank(name: PersonName) -> tuple[int, int, str]:
    return (0 if name.is_primary else 1, _KIND_ORDER.get(NameKind(name.kind), 9), name.value)


def display_name_for(
    person: Person, language: str | None = None, names: Iterable[PersonName] = ()
) -> str:
    """The name ``person`` is shown under in ``language`` (default: the active language).

    ``names`` are the person's names the reader may view. A withheld name stays withheld.
    """
    if person.name_withheld or not person.display_name:
        return str(person)
    lang = ui_language(language)
    if lang in CYRILLIC_LANGUAGES:
        fitting = [
            n
            for n in names
            if n.lang
            and ui_language(n.lang) == lang
            and _is_cyrillic(n)
            and n.kind in _KIND_ORDER
            and n.value.strip()
            and n.deleted_at is None
        ]
        if fitting:
            return min(fitting, key=_rank).value.strip()
    return person.display_name


def display_names_for(
    persons: Iterable[Person], names: Iterable[PersonName], language: str | None = None
) -> dict[Any, str]:
    """:func:`display_name_for` for many persons at once, by person id.

    ``names`` is a queryset or list of the names the reader may view (any persons').
    """
    by_person: dict[Any, list[PersonName]] = defaultdict(list)
    for name in names:
        by_person[name.person_id].append(name)
    return {p.pk: display_name_for(p, language, by_person.get(p.pk, ())) for p in persons}


def visible_display_names(
    user: User, persons: Iterable[Person], language: str | None = None
) -> dict[Any, str]:
    """:func:`display_names_for` over the names ``user`` may view (one query for all persons)."""
    from vigil.policy.access import restrict

    people = list(persons)
    lang = ui_language(language)
    if lang not in CYRILLIC_LANGUAGES or not people:
        return {p.pk: display_name_for(p, lang) for p in people}
    names = restrict(
        user,
        "view",
        PersonName.objects.filter(person__in=[p.pk for p in people], lang__istartswith=lang),
    )
    return display_names_for(people, names, lang)


def attach_display_names(
    user: User, persons: Iterable[Person | None], language: str | None = None
) -> None:
    """Set ``shown_name`` on each person (display only) so pages show names in one query."""
    # The same person may come as several instances (a victim here, a perpetrator there).
    people: dict[Any, list[Person]] = defaultdict(list)
    for p in persons:
        if p is not None and not hasattr(p, "shown_name"):
            people[p.pk].append(p)
    if not people:
        return
    firsts = [instances[0] for instances in people.values()]
    for pk, name in visible_display_names(user, firsts, language).items():
        for instance in people[pk]:
            instance.shown_name = name  # type: ignore[attr-defined]  # display only
