"""What the hearing form offers to choose: visible cases, courts, judges and prosecutors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vigil.policy.access import restrict
from vigil.records.models import Case, Involvement, Organisation, Person, Term

if TYPE_CHECKING:
    from vigil.accounts.types import User

LIMIT = 500


def hearing_options(user: User) -> dict[str, list[tuple[Any, str]]]:
    """Choices for the hearing form, each limited to what ``user`` may see."""
    cases = restrict(user, "view", Case.objects.all()).order_by("title")[:LIMIT]
    courts = restrict(
        user,
        "view",
        Organisation.objects.all().filter(kind_id=Term.pk_for("organisation_kind", "court")),
    ).order_by("display_name")[:LIMIT]
    return {
        "case": [(c.pk, c.title) for c in cases],
        "court": [(o.pk, o.display_name) for o in courts],
        "judge": _people(user, ("judge", "presiding_judge")),
        "prosecutor": _people(user, ("prosecutor",)),
    }


def _people(user: User, roles: tuple[str, ...]) -> list[tuple[Any, str]]:
    involved = Involvement.objects.filter(
        role_id__in=[Term.pk_for("perpetrator_role", r) for r in roles]
    ).values("perpetrator_person")
    persons = restrict(user, "view", Person.objects.all().filter(pk__in=involved))
    return [(p.pk, p.display_name) for p in persons.order_by("display_name")[:LIMIT]]


def statement_cases(user: User) -> list[tuple[Any, str]]:
    """Cases a statement may concern: those ``user`` may see, by title."""
    cases = restrict(user, "view", Case.objects.all()).order_by("title")[:LIMIT]
    return [(c.pk, c.title) for c in cases]


def find_organisations(user: User, typed: str, limit: int = 8) -> list[Organisation]:
    """Organisations ``user`` may see whose name (any recorded form) contains what was typed."""
    from django.db.models import Q

    from vigil.records.names import normalised_name

    text = " ".join(typed.split())[:200]
    if len(text) < 2:
        return []
    key = normalised_name(text)
    named = Q(display_name__icontains=text) | Q(
        names__normalised__contains=key, names__deleted_at__isnull=True
    )
    found = restrict(user, "view", Organisation.objects.filter(named).distinct())
    return list(found.order_by("display_name")[:limit])
