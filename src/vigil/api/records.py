"""Persons and acts: list, read, create and change, all through the access policy."""

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from vigil.api.auth import api_user
from vigil.api.common import Paged, visible, visible_or_404, writing
from vigil.api.present import Visibility, acts_out, person_detail, person_summaries
from vigil.api.schemas.common import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, Code, Search
from vigil.api.schemas.records import (
    ActOut,
    PersonCreate,
    PersonPublic,
    PersonSummary,
    PersonUpdate,
)
from vigil.policy.access import save_checked
from vigil.records.custody import Custody
from vigil.records.models import Act, Person, PersonName
from vigil.records.names import normalised_name

router = Router(tags=["records"])

# Fields a PATCH may set to null to clear; a null elsewhere means "leave unchanged".
CLEARABLE = {"birth_date"}


class PersonFilters(Schema):
    """Filters of the persons list."""

    q: Search | None = None
    in_custody: bool | None = None


class ActFilters(Schema):
    """Filters of the acts list."""

    person: UUID | None = None
    type: Code | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def search(request: HttpRequest, query: str) -> QuerySet[Person]:
    """Visible persons whose display name or any *visible* name contains ``query``."""
    persons = visible(request, Person.objects.all())
    text = " ".join(query.split())
    if not text:
        return persons
    # A hidden alias must not find its person (the web search matches every stored name).
    folded = normalised_name(text)
    match = Q(value__icontains=text)
    if folded:
        match |= Q(normalised__contains=folded)
    names = visible(request, PersonName.objects.filter(match)).values("person_id")
    return persons.filter(Q(display_name__icontains=text) | Q(pk__in=names))


def _summaries(request: HttpRequest, persons: list[Person]) -> list[dict[str, Any]]:
    return person_summaries(Visibility(api_user(request)), persons)


def _acts(request: HttpRequest, acts: list[Act]) -> list[dict[str, Any]]:
    return acts_out(Visibility(api_user(request)), acts)


@router.get("/persons", response={200: list[PersonSummary], **LIST_ERRORS})
@paginate(Paged, prepare=_summaries)
def list_persons(request: HttpRequest, filters: Query[PersonFilters]) -> QuerySet[Person]:
    """Persons the user may see, by any stored spelling, optionally only those in custody."""
    persons = search(request, filters.q or "")
    if filters.in_custody is not None:
        seen = Visibility(api_user(request))
        held = [
            pk
            for pk, state in seen.custody(persons.values("pk")).items()
            if state.status is Custody.IN_CUSTODY
        ]
        persons = (
            persons.filter(pk__in=held) if filters.in_custody else persons.exclude(pk__in=held)
        )
    return persons.order_by("display_name", "id")


@router.get("/persons/{id}", response={200: PersonPublic, **READ_ERRORS})
def get_person(request: HttpRequest, id: UUID) -> dict[str, Any]:
    """One person with names, professions, custody and timeline (what the user may see)."""
    person = visible_or_404(request, Person.objects.all(), id)
    return person_detail(Visibility(api_user(request)), person)


@router.post("/persons", response={201: PersonPublic, **WRITE_ERRORS})
def create_person(request: HttpRequest, payload: PersonCreate) -> tuple[int, dict[str, Any]]:
    """Record a new person with their names (documenters and above)."""
    data = payload.dict(exclude={"names"})
    names = payload.names
    if names and not any(n.is_primary for n in names):
        names[0].is_primary = True
    with writing(request) as user:
        person = save_checked(user, "add", Person(**data))
        for name in names:
            save_checked(
                user,
                "add",
                PersonName(person=person, confidentiality=person.confidentiality, **name.dict()),
            )
    return 201, person_detail(Visibility(user), person)


@router.patch("/persons/{id}", response={200: PersonPublic, **WRITE_ERRORS})
def update_person(request: HttpRequest, id: UUID, payload: PersonUpdate) -> dict[str, Any]:
    """Change a person; a stale ``version`` is refused with 409."""
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    changes = {k: v for k, v in changes.items() if v is not None or k in CLEARABLE}
    with writing(request) as user:
        person = visible_or_404(request, Person.objects.all(), id)
        for field, value in changes.items():
            setattr(person, field, value)
        # The version the client read, so a concurrent change surfaces as a conflict.
        person.version = payload.version
        save_checked(user, "change", person)
    return person_detail(Visibility(user), person)


@router.get("/acts", response={200: list[ActOut], **LIST_ERRORS})
@paginate(Paged, prepare=_acts)
def list_acts(request: HttpRequest, filters: Query[ActFilters]) -> QuerySet[Act]:
    """Acts the user may see, by victim, type and date range."""
    condition = Q()
    if filters.person is not None:
        condition &= Q(victim_person_id=filters.person)
    if filters.type:
        condition &= Q(act_type__key=filters.type) | Q(act_type_id=filters.type)
    if filters.date_from is not None:
        condition &= Q(date__gte=filters.date_from)
    if filters.date_to is not None:
        condition &= Q(date__lte=filters.date_to)
    return visible(request, Act.objects.filter(condition)).order_by("date", "created_at", "id")


@router.get("/acts/{id}", response={200: ActOut, **READ_ERRORS})
def get_act(request: HttpRequest, id: UUID) -> dict[str, Any]:
    """One act with its charges, perpetrators, counsel and participants."""
    act = visible_or_404(request, Act.objects.all(), id)
    return acts_out(Visibility(api_user(request)), [act])[0]
