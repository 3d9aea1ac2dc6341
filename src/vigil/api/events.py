"""Events (what happened, when, where) and cases grouping persons and events."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Router

from vigil.api.acts import matching
from vigil.api.common import visible
from vigil.api.crud import Resource, Writer, register
from vigil.api.present import Visibility, choice, meta
from vigil.api.schemas.common import PRECISIONS
from vigil.api.schemas.events import (
    CASE_STATUSES,
    CaseCreate,
    CaseFilters,
    CaseOut,
    CaseUpdate,
    EventCreate,
    EventFilters,
    EventOut,
    EventUpdate,
)
from vigil.records.dates import display_date
from vigil.records.models import Act, Case, Event, Person

router = Router(tags=["events and cases"])


def select_events(request: HttpRequest, f: EventFilters) -> QuerySet[Event]:
    """Visible events by text, date range, type of a visible act, victim and case."""
    events = visible(request, Event.objects.all())
    text = " ".join((f.q or "").split())
    if text:
        events = events.filter(Q(title__icontains=text) | Q(description__icontains=text))
    if f.date_from is not None:
        events = events.filter(date__gte=f.date_from)
    if f.date_to is not None:
        events = events.filter(date__lte=f.date_to)
    if f.act_type or f.person is not None:
        acts = matching(request, type=f.act_type)
        if f.person is not None:
            acts = acts.filter(victim_person_id=f.person)
        events = events.filter(pk__in=acts.values("event_id"))
    if f.case is not None:
        cases = visible(request, Case.objects.filter(pk=f.case))
        events = events.filter(cases__in=cases)
    if f.confidentiality:
        events = events.filter(confidentiality=f.confidentiality)
    return events.order_by("date", "title", "id")


def select_cases(request: HttpRequest, f: CaseFilters) -> QuerySet[Case]:
    """Visible cases by text, status, visible person and confidentiality."""
    cases = visible(request, Case.objects.all())
    text = " ".join((f.q or "").split())
    if text:
        cases = cases.filter(Q(title__icontains=text) | Q(description__icontains=text))
    if f.status:
        cases = cases.filter(status=f.status)
    if f.person is not None:
        persons = visible(request, Person.objects.filter(pk=f.person))
        cases = cases.filter(persons__in=persons)
    if f.confidentiality:
        cases = cases.filter(confidentiality=f.confidentiality)
    return cases.distinct().order_by("title", "id")


def set_members(writer: Writer, case: Case, nested: dict[str, Any], creating: bool) -> None:
    """Replace the case's persons and events the user can see; hidden members stay."""
    for name, model in (("persons", Person), ("events", Event)):
        wanted = nested.get(name)
        if wanted is None:
            continue
        chosen = {writer.record(model, pk, name).pk for pk in dict.fromkeys(wanted)}
        members = getattr(case, name)
        current = set(members.values_list("pk", flat=True))
        seen = set(
            visible(writer.request, model.objects.filter(pk__in=current)).values_list(
                "pk", flat=True
            )
        )
        members.set(chosen | (current - seen))


def events_out(seen: Visibility, events: list[Event]) -> list[EventOut]:
    """Events with the acts and cases the user may see."""
    return [
        EventOut(
            **meta(e),
            title=e.title,
            description=e.description,
            place=e.place,
            country=e.country,
            date=e.date,
            date_precision=choice(e.date_precision, PRECISIONS),
            date_end=e.date_end,
            date_display=display_date(e.date, e.date_precision, e.date_end),
            acts=seen.refs(Act.objects.filter(event=e).order_by("date", "created_at")),
            cases=seen.refs(e.cases.order_by("title", "id")),
        )
        for e in events
    ]


def cases_out(seen: Visibility, cases: list[Case]) -> list[CaseOut]:
    """Cases with the persons and events the user may see."""
    return [
        CaseOut(
            **meta(c),
            title=c.title,
            status=choice(c.status, CASE_STATUSES),
            description=c.description,
            persons=seen.refs(c.persons.order_by("display_name", "id")),
            events=seen.refs(c.events.order_by("date", "title", "id")),
        )
        for c in cases
    ]


EVENTS = Resource(
    name="event",
    path="/events",
    model=Event,
    out=EventOut,
    create=EventCreate,
    update=EventUpdate,
    filters=EventFilters,
    present=events_out,
    select=select_events,
    clearable=frozenset({"date", "date_end"}),
)

CASES = Resource(
    name="case",
    path="/cases",
    model=Case,
    out=CaseOut,
    create=CaseCreate,
    update=CaseUpdate,
    filters=CaseFilters,
    present=cases_out,
    select=select_cases,
    nested=frozenset({"persons", "events"}),
    after_save=set_members,
)

register(router, EVENTS)
register(router, CASES)
