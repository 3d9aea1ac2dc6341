"""Finding one person (or organisation) from what a user types: an id, or a name that resolves
to one."""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.db.models import Q, QuerySet

from vigil.core.errors import NotFound, ValidationFailed
from vigil.records.models import Organisation, Person
from vigil.records.names import normalised_name

T = TypeVar("T", Person, Organisation)


def resolve_person(text: str, queryset: QuerySet[Person] | None = None) -> Person:
    """The one person ``text`` names (UUID or name); otherwise a clear error with candidates."""
    return _resolve(
        text,
        queryset if queryset is not None else Person.objects.all(),
        ("person", "persons"),
        "give a person's id or name (an empty one names nobody)",
    )


def resolve_organisation(text: str, queryset: QuerySet[Organisation] | None = None) -> Organisation:
    """The one organisation ``text`` names (UUID or name); otherwise a clear error."""
    return _resolve(
        text,
        queryset if queryset is not None else Organisation.objects.all(),
        ("organisation", "organisations"),
        "give an organisation's id or name (an empty one names none)",
    )


def _resolve(text: str, records: QuerySet[T], nouns: tuple[str, str], empty: str) -> T:
    """The one record of ``records`` that ``text`` names by id, display name or a live name."""
    one, many = nouns
    text = text.strip()
    if not text:
        raise ValidationFailed(empty)
    try:
        return records.get(pk=uuid.UUID(text))
    except ValueError:
        pass
    except records.model.DoesNotExist:
        raise NotFound(f"no {one} with id {text}") from None
    key = normalised_name(text)
    found = list(
        records.filter(
            Q(display_name__iexact=text) | Q(names__normalised=key, names__deleted_at__isnull=True)
        ).distinct()[:20]
    )
    if not found:
        raise NotFound(f"no {one} named {text!r}")
    if len(found) > 1:
        listing = "; ".join(f"{r.display_name} ({r.pk})" for r in found)
        raise ValidationFailed(f"{text!r} names {len(found)} {many}: {listing}. Use the id.")
    return found[0]
