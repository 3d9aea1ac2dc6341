"""Persons: list with the web lists' filters, read, create with names, change, soft delete."""

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from vigil.api.acts import acts_out, matching
from vigil.api.auth import api_user
from vigil.api.common import Paged, visible, visible_or_404, writing
from vigil.api.crud import delete_record, guard_identity
from vigil.api.names import name_out
from vigil.api.present import Visibility, custody_out, meta, term_out
from vigil.api.schemas.common import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    Code,
    ConfidentialityLevel,
    DeleteIn,
    Search,
)
from vigil.api.schemas.persons import (
    CustodyValue,
    PersonCreate,
    PersonPublic,
    PersonSummary,
    PersonUpdate,
    ProfessionOut,
)
from vigil.policy.access import save_checked
from vigil.records.custody import ORDER, Custody, CustodyState
from vigil.records.custody_filter import filter_custody
from vigil.records.dates import date_sort_key
from vigil.records.models import Act, Counsel, Involvement, Person, PersonName, Profession
from vigil.search.persons import search_persons

router = Router(tags=["persons"])

# Operation ids are part of the published schema (clients generate method names from them):
# they keep the name of the module this router had before it was named for its resource.
OPERATION = "vigil_api_records_{}".format

# Fields a PATCH may set to null to clear; a null elsewhere means "leave unchanged".
CLEARABLE = {"birth_date", "contact_details", "family_contacts"}


class PersonFilters(Schema):
    """Filters of the persons list: name, custody, and the acts they suffered or took part in."""

    q: Search | None = None
    in_custody: bool | None = None
    custody: CustodyValue | None = None
    role: Literal["victim", "perpetrator", "lawyer"] | None = None
    act_type: Code | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    provision: UUID | None = None
    article: Search | None = None
    court: UUID | None = None
    confidentiality: ConfidentialityLevel | None = None


def search(request: HttpRequest, query: str) -> QuerySet[Person]:
    """Visible persons with a visible name (any script or stored spelling) containing ``query``."""
    return search_persons(query, api_user(request))


def _summary_fields(person: Person, custody: CustodyState | None) -> dict[str, Any]:
    return {
        **meta(person),
        "display_name": person.display_name,
        "name_withheld": person.name_withheld,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "birth_date_precision": person.birth_date_precision,
        "custody": custody_out(custody),
    }


def person_summaries(seen: Visibility, persons: list[Person]) -> list[PersonSummary]:
    """A page of persons with their custody."""
    custody = seen.custody(p.pk for p in persons)
    return [PersonSummary(**_summary_fields(p, custody.get(p.pk))) for p in persons]


def person_detail(seen: Visibility, person: Person) -> PersonPublic:
    """A person with the names, professions and timeline the user may see."""
    names = seen.view(PersonName.objects.filter(person=person)).order_by("-is_primary", "value")
    professions = seen.view(Profession.objects.filter(person=person)).select_related("profession")
    acts = list(seen.view(Act.objects.filter(victim_person=person)))
    acts.sort(
        key=lambda a: (
            date_sort_key(a.date, a.date_end),
            ORDER.get(a.act_type_id.split(".")[-1], 5),
        )
    )
    return PersonPublic(
        **_summary_fields(person, seen.custody([person.pk]).get(person.pk)),
        birth_place=person.birth_place,
        nationality=person.nationality,
        notes=person.notes,
        names=[name_out(n) for n in names],
        professions=[
            ProfessionOut(
                id=p.pk,
                profession=term_out(p.profession),
                licence_number=p.licence_number,
                licence_status=p.licence_status,
                since=p.since,
                until=p.until,
            )
            for p in professions
        ],
        timeline=acts_out(seen, acts),
    )


def _summaries(request: HttpRequest, persons: list[Person]) -> list[PersonSummary]:
    return person_summaries(Visibility(api_user(request)), persons)


def _acts_filtered(filters: PersonFilters) -> bool:
    return any(
        value not in (None, "")
        for value in (
            filters.act_type,
            filters.date_from,
            filters.date_to,
            filters.provision,
            filters.article,
            filters.court,
        )
    )


def _in_custody(request: HttpRequest, persons: QuerySet[Person], wanted: bool) -> QuerySet[Person]:
    seen = Visibility(api_user(request))
    held = [
        pk
        for pk, state in seen.custody(persons.values("pk")).items()
        if state.status is Custody.IN_CUSTODY
    ]
    return persons.filter(pk__in=held) if wanted else persons.exclude(pk__in=held)


@router.get(
    "/persons",
    response={200: list[PersonSummary], **LIST_ERRORS},
    operation_id=OPERATION("list_persons"),
)
@paginate(Paged, prepare=_summaries)
def list_persons(request: HttpRequest, filters: Query[PersonFilters]) -> QuerySet[Person]:
    """Persons the user may see, by any stored spelling, custody, role and the acts they suffered.

    ``in_custody``: in custody (true) or not (false; "term ended, release not recorded" is not in
    custody); ``custody``: one derived state, as in the web list's filter (see /glossary/).

    ``role``: ``victim``, ``perpetrator`` or ``lawyer``; the act filters (type, dates, provision,
    article, court) select victims of matching acts, or perpetrators and lawyers in them.
    """
    persons = search(request, filters.q or "")
    if filters.role or _acts_filtered(filters):
        acts = matching(
            request,
            filters.act_type,
            filters.date_from,
            filters.date_to,
            filters.provision,
            filters.article,
            filters.court,
        )
        persons = persons.filter(pk__in=_people_in(request, acts, filters.role or "victim"))
    if filters.confidentiality:
        persons = persons.filter(confidentiality=filters.confidentiality)
    if filters.in_custody is not None:
        persons = _in_custody(request, persons, filters.in_custody)
    if filters.custody:
        persons = filter_custody(api_user(request), persons, filters.custody)
    return persons.order_by("display_name", "id")


def _people_in(request: HttpRequest, acts: QuerySet[Act], role: str) -> Any:
    if role == "perpetrator":
        rows = visible(request, Involvement.objects.filter(act__in=acts))
        return rows.filter(perpetrator_person__isnull=False).values("perpetrator_person_id")
    if role == "lawyer":
        return visible(request, Counsel.objects.filter(act__in=acts)).values("lawyer_id")
    return acts.filter(victim_person__isnull=False).values("victim_person_id")


@router.get(
    "/persons/{id}",
    response={200: PersonPublic, **READ_ERRORS},
    operation_id=OPERATION("get_person"),
)
def get_person(request: HttpRequest, id: UUID) -> PersonPublic:
    """One person with names, professions, custody and timeline (what the user may see)."""
    person = visible_or_404(request, Person.objects.all(), id)
    return person_detail(Visibility(api_user(request)), person)


@router.post(
    "/persons",
    response={201: PersonPublic, **WRITE_ERRORS},
    operation_id=OPERATION("create_person"),
)
def create_person(request: HttpRequest, payload: PersonCreate) -> Status[PersonPublic]:
    """Record a new person with their names in every script (documenters and above)."""
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
    return Status(201, person_detail(Visibility(user), person))


@router.patch(
    "/persons/{id}",
    response={200: PersonPublic, **WRITE_ERRORS},
    operation_id=OPERATION("update_person"),
)
def update_person(request: HttpRequest, id: UUID, payload: PersonUpdate) -> PersonPublic:
    """Change a person; a stale ``version`` is refused with 409."""
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    changes = {k: v for k, v in changes.items() if v is not None or k in CLEARABLE}
    with writing(request) as user:
        person = visible_or_404(request, Person.objects.all(), id)
        guard_identity(user, person, changes)
        for field, value in changes.items():
            setattr(person, field, value)
        # The version the client read, so a concurrent change surfaces as a conflict.
        person.version = payload.version
        save_checked(user, "change", person)
    return person_detail(Visibility(user), person)


@router.delete(
    "/persons/{id}",
    response={204: None, **WRITE_ERRORS},
    operation_id=OPERATION("delete_person"),
)
def delete_person(request: HttpRequest, id: UUID, payload: DeleteIn) -> Status[None]:
    """Soft-delete a person with a reason (coordinators and admins); the history is kept."""
    delete_record(request, Person, id, payload)
    return Status(204, None)
