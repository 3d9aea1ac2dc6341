"""Finding one person (or organisation) from what a user types: an id, or a name that resolves
to one."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from vigil.core.errors import NotFound, ValidationFailed
from vigil.records.models import Organisation, Person
from vigil.records.names import normalised_name


def resolve_person(text: str, queryset: QuerySet[Person] | None = None) -> Person:
    """The one person ``text`` names (UUID or name); otherwise a clear error with candidates."""
    people = queryset if queryset is not None else Person.objects.all()
    text = text.strip()
    if not text:
        raise ValidationFailed("give a person's id or name (an empty one names nobody)")
    try:
        return people.get(pk=uuid.UUID(text))
    except ValueError:
        pass
    except Person.DoesNotExist:
        raise NotFound(f"no person with id {text}") from None
    key = normalised_name(text)
    found = list(
        people.filter(
            Q(display_name__iexact=text) | Q(names__normalised=key, names__deleted_at__isnull=True)
        ).distinct()[:20]
    )
    if not found:
        raise NotFound(f"no person named {text!r}")
    if len(found) > 1:
        listing = "; ".join(f"{p.display_name} ({p.pk})" for p in found)
        raise ValidationFailed(f"{text!r} names {len(found)} persons: {listing}. Use the id.")
    return found[0]


def resolve_organisation(text: str, queryset: QuerySet[Organisation] | None = None) -> Organisation:
    """The one organisation ``text`` names (UUID or name); otherwise a clear error."""
    orgs = queryset if queryset is not None else Organisation.objects.all()
    text = text.strip()
    if not text:
        raise ValidationFailed("give an organisation's id or name (an empty one names none)")
    try:
        return orgs.get(pk=uuid.UUID(text))
    except ValueError:
        pass
    except Organisation.DoesNotExist:
        raise NotFound(f"no organisation with id {text}") from None
    key = normalised_name(text)
    found = list(
        orgs.filter(
            Q(display_name__iexact=text) | Q(names__normalised=key, names__deleted_at__isnull=True)
        ).distinct()[:20]
    )
    if not found:
        raise NotFound(f"no organisation named {text!r}")
    if len(found) > 1:
        listing = "; ".join(f"{o.display_name} ({o.pk})" for o in found)
        raise ValidationFailed(f"{text!r} names {len(found)} organisations: {listing}. Use the id.")
    return found[0]
