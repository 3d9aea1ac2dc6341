"""What the organisation, event, case and perpetrator pages show, cut to what a user may view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse

from vigil.records.dates import date_ordering
from vigil.records.display_names import attach_display_names
from vigil.records.models import (
    Act,
    Case,
    Event,
    EventLink,
    Information,
    Involvement,
    Organisation,
    OrganisationName,
    Person,
)
from vigil.records.places import court_of
from vigil.records.sentence_totals import SentenceTotals, sentence_totals
from vigil.records.visible import visible
from vigil.web.changes import Change, changes_of
from vigil.web.profile import hide_places, information_on, perpetrator_record, visible_acts

if TYPE_CHECKING:
    from vigil.accounts.types import User

MAX_ROWS = 200


def _acts(user: User, acts: QuerySet[Act]) -> list[Act]:
    found = visible_acts(
        user,
        acts.select_related("victim_person", "victim_organisation").order_by(
            date_ordering(), "created_at"
        ),
    )
    shown = list(found[:MAX_ROWS])
    hide_places(user, shown)
    _name_people(user, shown)
    return shown


def _name_people(user: User, acts: list[Act]) -> None:
    """Victims, perpetrators and counsel of ``acts`` under their names in the page's language."""
    people: list[Person | None] = []
    for act in acts:
        people.append(act.victim_person)
        people.extend(i.perpetrator_person for i in act.involvements.all())
        people.extend(c.lawyer for c in act.counsel.all())
    attach_display_names(user, people)


@dataclass
class OrganisationPage:
    """An organisation: names, acts against it, acts held there, acts it took part in."""

    organisation: Organisation
    names: list[OrganisationName]
    parent: Organisation | None
    children: list[Organisation]
    acts_against: list[Act]
    acts_here: list[Act]
    perpetrated: list[Involvement]
    sources: list[Information]
    history: list[Change]


def organisation_page(user: User, org: Organisation) -> OrganisationPage:
    """Gather the organisation page of ``org`` as ``user`` may see it."""
    names = list(visible(user, org.names.all()))
    parent = visible(user, Organisation.objects.filter(pk=org.parent_id)).first()
    perpetrated = (
        visible(user, Involvement.objects.filter(perpetrator_organisation=org))
        .select_related("role", "act__act_type", "act__victim_person", "act__victim_organisation")
        .order_by(date_ordering("act__"), "act__created_at")
    )
    return OrganisationPage(
        organisation=org,
        names=names,
        parent=parent,
        children=list(visible(user, org.children.all()).order_by("display_name")[:MAX_ROWS]),
        acts_against=_acts(user, Act.objects.filter(victim_organisation=org)),
        acts_here=_acts(user, Act.objects.filter(place=org)),
        perpetrated=list(perpetrated[:MAX_ROWS]),
        sources=information_on(user, [org]).get(org.pk, []),
        history=changes_of(user, [org, *names]),
    )


@dataclass
class EventPage:
    """An event: its acts (with charges, perpetrators, counsel), sources, cases, links."""

    event: Event
    acts: list[Act]
    sources: list[Information]
    act_sources: list[tuple[Act, list[Information]]]
    cases: list[Case]
    links: list[EventLink]
    history: list[Change]


def event_page(user: User, event: Event) -> EventPage:
    """Gather the event page of ``event`` as ``user`` may see it."""
    acts = _acts(user, Act.objects.filter(event=event))
    on_acts = information_on(user, acts)
    links = visible(user, EventLink.objects.filter(from_event=event)).select_related(
        "to_event", "relation"
    )
    return EventPage(
        event=event,
        acts=acts,
        sources=information_on(user, [event]).get(event.pk, []),
        act_sources=[(a, on_acts[a.pk]) for a in acts if on_acts.get(a.pk)],
        cases=list(visible(user, event.cases.all()).order_by("title")),
        links=list(links),
        history=changes_of(user, [event]),
    )


@dataclass
class CasePage:
    """A case: the persons and events it groups, their acts, history."""

    case: Case
    persons: list[Person]
    events: list[Event]
    acts: list[Act]
    sources: list[Information]
    history: list[Change]


def case_page(user: User, case: Case) -> CasePage:
    """Gather the case page of ``case`` as ``user`` may see it."""
    events = list(visible(user, case.events.all()).order_by(date_ordering(), "title")[:MAX_ROWS])
    persons = list(visible(user, case.persons.all()).order_by("display_name")[:MAX_ROWS])
    attach_display_names(user, persons)
    return CasePage(
        case=case,
        persons=persons,
        events=events,
        acts=_acts(user, Act.objects.filter(event__in=events)),
        sources=information_on(user, [case]).get(case.pk, []),
        history=changes_of(user, [case]),
    )


@dataclass(frozen=True)
class Victim:
    """A victim (person or organisation) and the page that shows them."""

    record: Any
    url: str


@dataclass
class PerpetratorPage:
    """Every visible act a person took part in as a perpetrator, with victims and courts."""

    person: Person
    involvements: list[Involvement]
    victims: list[Victim]
    sentences: list[Involvement]
    courts: list[Organisation]
    totals: SentenceTotals
    first: dt.date | None
    last: dt.date | None

    @property
    def roles(self) -> list[str]:
        return sorted({str(i.role) for i in self.involvements})

    @property
    def act_count(self) -> int:
        """Acts this person took part in, each once (two involvements in one act: one act)."""
        return len({i.act_id for i in self.involvements})


def _has_sentence(act: Act) -> bool:
    return bool(
        act.sentence_months is not None
        or act.sentence_regime_id
        or act.restriction_measure_id
        or act.fine_amount is not None
    )


def perpetrator_page(user: User, person: Person) -> PerpetratorPage:
    """Gather the perpetrator page of ``person`` as ``user`` may see it."""
    # The policy makes an involvement visible only with its act, and an act only with its victim.
    rows = perpetrator_record(user, person)
    victims: dict[Any, Victim] = {}
    for i in rows:
        if i.act.victim_person is not None:
            url = reverse("web:person", args=[i.act.victim_person_id])
            victims.setdefault(i.act.victim_person_id, Victim(i.act.victim_person, url))
        elif i.act.victim_organisation is not None:
            url = reverse("web:organisation", args=[i.act.victim_organisation_id])
            victims.setdefault(i.act.victim_organisation_id, Victim(i.act.victim_organisation, url))
    # Each act's place as the user may see it (a hidden one is blank); only courts are courts.
    place_ids = {i.act.place_id for i in rows if i.act.place_id}
    shown = {o.pk: o for o in visible(user, Organisation.objects.filter(pk__in=place_ids))}
    for i in rows:
        if i.act.place_id and i.act.place_id not in shown:
            i.act.place_hidden = True  # type: ignore[attr-defined]  # not "no court named"
        i.act.place = shown.get(i.act.place_id)  # display only; never saved
    courts = sorted(
        {c.pk: c for i in rows if (c := court_of(i.act)) is not None}.values(),
        key=lambda c: c.display_name,
    )
    # Each sentencing act once, however many involvements link the person to it.
    attach_display_names(user, [i.act.victim_person for i in rows])
    sentences = list({i.act_id: i for i in rows if _has_sentence(i.act)}.values())
    dates = [i.act.date for i in rows if i.act.date]
    return PerpetratorPage(
        person=person,
        involvements=rows,
        victims=sorted(victims.values(), key=lambda v: str(v.record)),
        sentences=sentences,
        courts=courts,
        totals=sentence_totals(i.act for i in rows),
        first=min(dates) if dates else None,
        last=max(dates) if dates else None,
    )
