"""What the hearing and statement forms offer to choose, each through the one access policy.

Cases, judges and prosecutors are unbounded (an organisation's record holds thousands), so they
are found by what the user types — a case by its title or by the name of a person in it, a judge
or a prosecutor by name in any spelling — never listed in full or cut at an arbitrary count.
Courts are a country's court system: a bounded set, offered whole in a select.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Q

from vigil.core.chunks import chunked
from vigil.core.models import VigilModel
from vigil.policy.access import restrict
from vigil.records.models import Case, Involvement, Organisation, Person, Term
from vigil.search.persons import search_persons

if TYPE_CHECKING:
    from vigil.accounts.types import User

M = TypeVar("M", bound=VigilModel)

#: What a search offers at most: a few to choose among, typing more narrows it.
FOUND = 10
#: Characters a search needs before it looks (one or two letters match nearly everything).
MIN_TYPED = 2
#: The roles a judge or a prosecutor is recorded in (perpetrator_role terms).
OFFICIAL_ROLES = {
    "judge": ("judge", "presiding_judge"),
    "prosecutor": ("prosecutor",),
}


def _typed(text: str) -> str:
    return " ".join((text or "").split())[:200]


def visible_choice(user: User, model: type[M], pk: Any) -> M | None:
    """The record ``pk`` of ``model`` when ``user`` may view it; None when it is hidden, missing
    or not an id at all (the three look the same, so no one learns which ids exist)."""
    if pk in (None, ""):
        return None
    if not isinstance(pk, uuid.UUID):
        try:
            pk = uuid.UUID(str(pk))
        except ValueError:
            return None
    return restrict(user, "view", model.objects.filter(pk=pk)).first()


def visible_choices(user: User, model: type[M], pks: list[Any]) -> list[M]:
    """The records of ``pks`` that ``user`` may view, in the order given, each once."""
    wanted: list[uuid.UUID] = []
    for pk in pks:
        try:
            wanted.append(pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk)))
        except ValueError:
            continue
    found = {r.pk: r for r in restrict(user, "view", model.objects.filter(pk__in=wanted))}
    return [found[pk] for pk in dict.fromkeys(wanted) if pk in found]


def has_cases(user: User) -> bool:
    """Whether ``user`` may view at least one case (a hearing needs one to belong to)."""
    return restrict(user, "view", Case.objects.all()).exists()


def _title_has(word: str) -> Q:
    # SQLite's LIKE folds ASCII letters only: also try the word as it is most often written
    # ("дело" finds "Дело") so a Cyrillic title is found on both databases.
    forms = dict.fromkeys((word, word.lower(), word.capitalize(), word.upper()))
    match = Q()
    for form in forms:
        match |= Q(title__icontains=form)
    return match


def find_cases(user: User, typed: str, limit: int = FOUND) -> list[Case]:
    """Cases ``user`` may view whose title holds every word typed, or that group a person whose
    name (in any spelling) is the one typed; by title."""
    text = _typed(typed)
    if len(text) < MIN_TYPED:
        return []
    titled = Q()
    for word in text.split():
        titled &= _title_has(word)
    persons = list(search_persons(text, user).values_list("pk", flat=True)[:50])
    matched = titled | Q(persons__in=persons) if persons else titled
    found = restrict(user, "view", Case.objects.filter(pk__in=Case.objects.filter(matched)))
    return list(found.order_by("title", "pk")[:limit])


def cases_of(user: User, persons: list[Person], limit: int = FOUND) -> list[Case]:
    """Cases ``user`` may view that group one of ``persons``, by title (a statement about a
    person most often concerns their case)."""
    if not persons:
        return []
    grouped = Case.objects.filter(persons__in=persons).values("pk")
    found = restrict(user, "view", Case.objects.filter(pk__in=grouped))
    return list(found.order_by("title", "pk")[:limit])


#: Persons of a name search checked for the role at most (best first): a common given name
#: alone finds thousands; the judge sought is among the first when more of the name is typed.
SEARCHED = 2000


def find_officials(user: User, typed: str, role: str, limit: int = FOUND) -> list[Person]:
    """Persons ``user`` may view recorded as ``role`` ("judge" or "prosecutor") whose name in
    any spelling is the one typed, best match first (the persons list's own name search)."""
    text = _typed(typed)
    if role not in OFFICIAL_ROLES or len(text) < MIN_TYPED:
        return []
    # The search's ids first, then their roles: filtering the search by a subquery of every
    # involvement in the role made the database read them all (175 ms against 5 ms at 100k).
    ids = list(search_persons(text, user).values_list("pk", flat=True)[:SEARCHED])
    terms = [Term.pk_for("perpetrator_role", r) for r in OFFICIAL_ROLES[role]]
    in_role: set[Any] = set()
    for chunk in chunked(ids, 500):
        rows = Involvement.objects.filter(perpetrator_person__in=chunk, role_id__in=terms)
        in_role.update(rows.values_list("perpetrator_person", flat=True))
    chosen = [pk for pk in ids if pk in in_role][:limit]
    found = {p.pk: p for p in restrict(user, "view", Person.objects.filter(pk__in=chosen))}
    return [found[pk] for pk in chosen if pk in found]


def court_options(user: User) -> list[tuple[Any, str]]:
    """Every court ``user`` may view, by name: a country's courts are a bounded set."""
    court = Term.pk_for("organisation_kind", "court")
    courts = restrict(user, "view", Organisation.objects.filter(kind_id=court))
    return list(courts.order_by("display_name", "pk").values_list("pk", "display_name"))


def find_organisations(user: User, typed: str, limit: int = 8) -> list[Organisation]:
    """Organisations ``user`` may see whose name (any recorded form) contains what was typed."""
    from vigil.records.names import normalised_name

    text = _typed(typed)
    if len(text) < MIN_TYPED:
        return []
    key = normalised_name(text)
    named = Q(display_name__icontains=text) | Q(
        names__normalised__contains=key, names__deleted_at__isnull=True
    )
    found = restrict(user, "view", Organisation.objects.filter(named).distinct())
    return list(found.order_by("display_name")[:limit])
