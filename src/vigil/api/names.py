"""Names of persons and organisations in every script: add, change, soft delete, list."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Router

from vigil.api.common import visible
from vigil.api.crud import Resource, register
from vigil.api.present import Visibility, meta
from vigil.api.schemas.names import (
    NameChange,
    NameOut,
    OrganisationNameCreate,
    OrganisationNameFilters,
    OrganisationNameOut,
    PersonNameCreate,
    PersonNameFilters,
    PersonNameOut,
)
from vigil.policy.access import restrict, save_checked
from vigil.records.models import Organisation, OrganisationName, Person, PersonName
from vigil.records.names import normalised_name

router = Router(tags=["names"])


def spelled(query: str | None) -> Q:
    """Names containing ``query`` as typed or in normalised (case- and script-folded) form."""
    text = " ".join((query or "").split())
    if not text:
        return Q()
    match = Q(value__icontains=text)
    folded = normalised_name(text)
    if folded:
        match |= Q(normalised__contains=folded)
    return match


def select_person_names(request: HttpRequest, f: PersonNameFilters) -> QuerySet[PersonName]:
    """Visible names of visible persons, by person and spelling."""
    names = PersonName.objects.filter(spelled(f.q))
    if f.person is not None:
        names = names.filter(person_id=f.person)
    return visible(request, names).select_related("person").order_by("value", "id")


def select_organisation_names(
    request: HttpRequest, f: OrganisationNameFilters
) -> QuerySet[OrganisationName]:
    """Visible names of visible organisations, by organisation and spelling."""
    names = OrganisationName.objects.filter(spelled(f.q))
    if f.organisation is not None:
        names = names.filter(organisation_id=f.organisation)
    return visible(request, names).select_related("organisation").order_by("value", "id")


def _name_fields(name: PersonName | OrganisationName) -> dict[str, Any]:
    return {
        "value": name.value,
        "script": name.script,
        "lang": name.lang,
        "kind": name.kind,
        "scheme": name.scheme,
        "is_primary": name.is_primary,
    }


def name_out(name: PersonName | OrganisationName) -> NameOut:
    """A stored name, as part of its person or organisation."""
    return NameOut(id=name.pk, **_name_fields(name))


def person_names_out(seen: Visibility, names: list[PersonName]) -> list[PersonNameOut]:
    """Stored names of persons."""
    return [
        PersonNameOut(**meta(n), person=seen.ref(Person, n.person), **_name_fields(n))
        for n in names
    ]


def organisation_names_out(
    seen: Visibility, names: list[OrganisationName]
) -> list[OrganisationNameOut]:
    """Stored names of organisations."""
    return [
        OrganisationNameOut(
            **meta(n), organisation=seen.ref(Organisation, n.organisation), **_name_fields(n)
        )
        for n in names
    ]


def _only_primary(writer: Any, name: Any, nested: dict[str, Any], creating: bool) -> None:
    """A name made primary takes the mark from the owner's other names the user may change."""
    if not name.is_primary:
        return
    owner = "person" if isinstance(name, PersonName) else "organisation"
    others = type(name).objects.filter(**{owner: getattr(name, owner)}, is_primary=True)
    for other in restrict(writer.user, "change", others.exclude(pk=name.pk)):
        other.is_primary = False
        save_checked(writer.user, "change", other)


PERSON_NAMES = Resource(
    name="person name",
    path="/person-names",
    model=PersonName,
    out=PersonNameOut,
    create=PersonNameCreate,
    update=NameChange,
    filters=PersonNameFilters,
    present=person_names_out,
    select=select_person_names,
    refs={"person": Person},
    inherit="person",
    after_save=_only_primary,
)

ORGANISATION_NAMES = Resource(
    name="organisation name",
    path="/organisation-names",
    model=OrganisationName,
    out=OrganisationNameOut,
    create=OrganisationNameCreate,
    update=NameChange,
    filters=OrganisationNameFilters,
    present=organisation_names_out,
    select=select_organisation_names,
    refs={"organisation": Organisation},
    inherit="organisation",
    after_save=_only_primary,
)

register(router, PERSON_NAMES)
register(router, ORGANISATION_NAMES)
