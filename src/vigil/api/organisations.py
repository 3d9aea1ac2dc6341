"""Organisations (courts, prisons, ministries, bar associations, NGOs, states) with their names."""

from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Router

from vigil.api.acts import term_filter
from vigil.api.common import visible
from vigil.api.crud import Resource, Writer, register
from vigil.api.errors import InvalidField
from vigil.api.names import name_out, spelled
from vigil.api.present import Visibility, meta, term_out
from vigil.api.schemas.names import NameIn
from vigil.api.schemas.organisations import (
    OrganisationCreate,
    OrganisationFilters,
    OrganisationOut,
    OrganisationUpdate,
)
from vigil.records.models import Organisation, OrganisationName

router = Router(tags=["organisations"])


def select_organisations(request: HttpRequest, f: OrganisationFilters) -> QuerySet[Organisation]:
    """Visible organisations by any visible name, kind, country and confidentiality."""
    orgs = visible(request, Organisation.objects.all())
    if f.q and f.q.split():
        text = " ".join(f.q.split())
        named = visible(request, OrganisationName.objects.filter(spelled(text)))
        orgs = orgs.filter(
            Q(display_name__icontains=text) | Q(pk__in=named.values("organisation_id"))
        )
    if f.kind:
        orgs = orgs.filter(term_filter("kind", "organisation_kind", f.kind))
    if f.country:
        orgs = orgs.filter(country=f.country)
    if f.confidentiality:
        orgs = orgs.filter(confidentiality=f.confidentiality)
    return orgs.select_related("kind", "parent").order_by("display_name", "id")


def add_names(writer: Writer, org: Organisation, nested: dict[str, Any], creating: bool) -> None:
    """The names sent with a new organisation; the first is primary unless one is marked."""
    names = [NameIn.model_validate(n) for n in nested.get("names") or []]
    if names and not any(n.is_primary for n in names):
        names[0].is_primary = True
    for name in names:
        writer.add(
            OrganisationName(organisation=org, confidentiality=org.confidentiality, **name.dict())
        )


def check_parent(org: Organisation) -> None:
    """An organisation is not its own parent."""
    if org.parent_id is not None and org.parent_id == org.pk:
        raise InvalidField("parent", "An organisation cannot be its own parent.")


def organisations_out(seen: Visibility, orgs: list[Organisation]) -> list[OrganisationOut]:
    """Organisations with the names the user may see."""
    names: dict[Any, list[OrganisationName]] = defaultdict(list)
    visible_names = seen.view(OrganisationName.objects.filter(organisation__in=orgs))
    for name in visible_names.order_by("-is_primary", "value"):
        names[name.organisation_id].append(name)
    return [
        OrganisationOut(
            **meta(o),
            display_name=o.display_name,
            kind=term_out(o.kind),
            parent=seen.ref(Organisation, o.parent),
            country=o.country,
            notes=o.notes,
            names=[name_out(n) for n in names[o.pk]],
        )
        for o in orgs
    ]


ORGANISATIONS = Resource(
    name="organisation",
    path="/organisations",
    model=Organisation,
    out=OrganisationOut,
    create=OrganisationCreate,
    update=OrganisationUpdate,
    filters=OrganisationFilters,
    present=organisations_out,
    select=select_organisations,
    refs={"parent": Organisation},
    terms={"kind": "organisation_kind"},
    nested=frozenset({"names"}),
    clearable=frozenset({"kind", "parent"}),
    check=check_parent,
    after_save=add_names,
)

register(router, ORGANISATIONS)
