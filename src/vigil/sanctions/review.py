"""The review of screening candidates: both sides of each candidate, side by side.

"Confirm only when name, role and dates agree" needs the facts to compare: for the
perpetrator, the names, roles, birth date, courts and acts the record holds (as the reviewer
may see them) — for a perpetrator organisation its names, kind, roles, cases and acts; for the
list entry, its names, birth dates, positions, listing reason,
programme and listing date (whatever the imported list carries).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from vigil.policy.access import restrict
from vigil.records.dates import display_date
from vigil.records.models import (
    Case,
    Involvement,
    Organisation,
    OrganisationName,
    Person,
    PersonName,
)
from vigil.sanctions.labels import local_date
from vigil.sanctions.models import Decision, ListedEntity, ScreeningMatch

if TYPE_CHECKING:
    from vigil.accounts.types import User

MAX_ACTS = 6
# Candidates per page of the review: each is a card comparing both sides, so a page of 200
# was tens of thousands of pixels tall on a phone.
PAGE_SIZE = 10


@dataclass(frozen=True)
class ActFact:
    """One act of the perpetrator: what, when, where, against whom (as the reviewer may see)."""

    act_type: str
    date: str
    court: str
    victim: str
    roles: str


@dataclass
class RecordSide:
    """What the record says about the perpetrator (a person, or an organisation)."""

    person: Person | None
    organisation: Organisation | None = None
    kind: str = ""  # an organisation's kind (court, security service...), labelled
    names: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    birth_date: str = ""
    courts: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    acts: list[ActFact] = field(default_factory=list)
    more_acts: int = 0

    @property
    def is_organisation(self) -> bool:
        return self.organisation is not None

    @property
    def display_name(self) -> str:
        subject = self.organisation if self.organisation is not None else self.person
        return subject.display_name if subject is not None else ""

    @property
    def url_name(self) -> str:
        """The record page's URL name (``web:person`` or ``web:organisation``)."""
        return "web:organisation" if self.organisation is not None else "web:person"

    @property
    def pk(self) -> Any:
        subject = self.organisation if self.organisation is not None else self.person
        return subject.pk if subject is not None else None


@dataclass(frozen=True)
class ListSide:
    """What the list entry says."""

    entity: ListedEntity
    list_label: str
    names: list[str]
    birth_dates: list[str]
    birth_places: list[str]
    nationalities: list[str]
    positions: list[str]
    reason: str
    programme: str
    listing_date: str
    active: bool


@dataclass(frozen=True)
class Candidate:
    match: ScreeningMatch
    record: RecordSide
    listed: ListSide

    @property
    def decision_label(self) -> str:
        return str(self.match.get_decision_display())


def _birth_date(person: Person) -> str:
    if not person.birth_date:
        return ""
    return display_date(person.birth_date, person.birth_date_precision or "day")


def _programme(entity: ListedEntity) -> str:
    """The entry's programme key with the list's programme beside it, when they differ."""
    own, lists = entity.programme, entity.sanctions_list.programme
    if own and lists and own != lists:
        return f"{own} — {lists}"
    return own or lists


def list_side(entity: ListedEntity) -> ListSide:
    """The list entry's facts, dates in the active language's format."""
    names = [n["value"] for n in entity.names if n.get("value")]
    return ListSide(
        entity=entity,
        list_label=entity.sanctions_list.label,
        names=names,
        birth_dates=[local_date(d) for d in entity.birth_dates],
        birth_places=list(entity.birth_places),
        nationalities=list(entity.nationalities),
        positions=list(entity.positions),
        reason=entity.reason,
        programme=_programme(entity),
        listing_date=local_date(entity.listing_date),
        active=entity.active,
    )


def record_sides(user: User, persons: list[Person]) -> dict[Any, RecordSide]:
    """The record's side for each perpetrator, through the policy (hidden acts never show)."""
    sides = {p.pk: RecordSide(person=p, birth_date=_birth_date(p)) for p in persons}
    if not sides:
        return sides
    ids = list(sides)
    for name in restrict(user, "view", PersonName.objects.filter(person_id__in=ids)):
        side = sides[name.person_id]
        if name.value not in side.names:
            side.names.append(name.value)
    involvements = restrict(user, "view", Involvement.objects.filter(perpetrator_person_id__in=ids))
    _add_acts(user, sides, involvements, "perpetrator_person_id")
    return sides


def organisation_sides(user: User, organisations: list[Organisation]) -> dict[Any, RecordSide]:
    """The record's side for each perpetrator organisation, through the policy."""
    sides = {
        o.pk: RecordSide(
            person=None, organisation=o, kind=o.kind.label() if o.kind is not None else ""
        )
        for o in organisations
    }
    if not sides:
        return sides
    ids = list(sides)
    for name in restrict(user, "view", OrganisationName.objects.filter(organisation_id__in=ids)):
        side = sides[name.organisation_id]
        if name.value not in side.names:
            side.names.append(name.value)
    involvements = restrict(
        user, "view", Involvement.objects.filter(perpetrator_organisation_id__in=ids)
    )
    _add_acts(user, sides, involvements, "perpetrator_organisation_id")
    return sides


def _add_acts(user: User, sides: dict[Any, RecordSide], involvements: Any, key: str) -> None:
    """Roles, courts, acts and cases of each side from its visible involvements."""
    involvements = involvements.select_related(
        "role", "act", "act__act_type", "act__place", "act__place__kind", "act__victim_person"
    ).order_by("act__date")
    by_act: dict[Any, dict[Any, list[Involvement]]] = defaultdict(lambda: defaultdict(list))
    event_ids: dict[Any, set[Any]] = defaultdict(set)
    victim_ids: set[Any] = set()
    for inv in involvements:
        by_act[getattr(inv, key)][inv.act_id].append(inv)
        event_ids[getattr(inv, key)].add(inv.act.event_id)
        if inv.act.victim_person_id:
            victim_ids.add(inv.act.victim_person_id)
    visible_victims = set(
        restrict(user, "view", Person.objects.filter(pk__in=victim_ids)).values_list(
            "pk", flat=True
        )
    )
    for pid, acts in by_act.items():
        side = sides[pid]
        roles: dict[str, str] = {}
        for invs in acts.values():
            act = invs[0].act
            for inv in invs:
                roles.setdefault(inv.role.key, inv.role.label())
            court = _court(act)
            if court and court not in side.courts:
                side.courts.append(court)
            if len(side.acts) < MAX_ACTS:
                side.acts.append(
                    ActFact(
                        act_type=act.act_type.label(),
                        date=_act_date(act),
                        court=court,
                        victim=_victim(act, visible_victims),
                        roles=", ".join(dict.fromkeys(inv.role.label() for inv in invs)),
                    )
                )
            else:
                side.more_acts += 1
        side.roles = list(roles.values())
    all_events = {e for events in event_ids.values() for e in events}
    cases = restrict(user, "view", Case.objects.filter(events__in=all_events)).prefetch_related(
        "events"
    )
    for case in cases.distinct():
        case_events = {e.pk for e in case.events.all()}
        for pid, events in event_ids.items():
            if events & case_events and case.title not in sides[pid].cases:
                sides[pid].cases.append(case.title)


def _act_date(act: Any) -> str:
    return str(act.date_display) if act.date or act.date_end else ""


def _court(act: Any) -> str:
    """The court where the act happened, when the record names one."""
    place = act.place
    if place is not None and place.kind_id and place.kind.key == "court":
        return place.display_name
    return ""


def _victim(act: Any, visible: set[Any]) -> str:
    person = act.victim_person
    if person is None:
        return ""
    if person.name_withheld:
        return gettext("name withheld by the source")
    if person.pk not in visible:
        return gettext("a person you may not see")
    return person.display_name


def _visible_matches(user: User) -> QuerySet[ScreeningMatch]:
    """Candidates of persons, and of organisations, that ``user`` may see."""
    visible_orgs = restrict(user, "view", Organisation.objects.all()).values("pk")
    return (
        restrict(user, "view", ScreeningMatch.objects.all())
        .filter(Q(person__isnull=False) | Q(organisation__in=visible_orgs))
        .select_related(
            "person",
            "organisation",
            "organisation__kind",
            "reviewed_by",
            "listed_entity",
            "listed_entity__sanctions_list",
        )
    )


def candidates(user: User, matches: Iterable[ScreeningMatch]) -> list[Candidate]:
    """Both sides of each of ``matches`` (already restricted to what ``user`` may see)."""
    rows = list(matches)
    sides = record_sides(user, [m.person for m in rows if m.person is not None])
    org_sides = organisation_sides(
        user, list({m.organisation_id: m.organisation for m in rows if m.organisation}.values())
    )
    found = []
    for m in rows:
        side = sides.get(m.person_id) if m.person_id else org_sides.get(m.organisation_id)
        if side is not None:
            found.append(Candidate(match=m, record=side, listed=list_side(m.listed_entity)))
    return found


def _pending_matches(user: User) -> QuerySet[ScreeningMatch]:
    """Candidates awaiting review that ``user`` may see, best score first (then by id, so a
    page is the same page on every request)."""
    return _visible_matches(user).filter(decision=Decision.PENDING).order_by("-score", "pk")


def pending_count(user: User) -> int:
    """How many candidates await review for ``user``: the one count the gap page and the
    review page show."""
    return _pending_matches(user).count()


@dataclass(frozen=True)
class PendingPage:
    """One page of the review queue: the page (numbers, neighbours) and its candidates."""

    page: Page[ScreeningMatch]
    candidates: list[Candidate]


def pending_page(user: User, number: Any, per_page: int | None = None) -> PendingPage:
    """Page ``number`` (1-based; anything not a page number gives the nearest page) of the
    candidates awaiting review that ``user`` may see, both sides built only for that page."""
    size = per_page or PAGE_SIZE
    page = Paginator(_pending_matches(user), size).get_page(number)
    return PendingPage(page=page, candidates=candidates(user, page.object_list))


def page_of_pending(user: User, pk: Any) -> int | None:
    """The review page on which candidate ``pk`` is shown to ``user``; None when it is not
    awaiting review or ``user`` may not see it."""
    matches = _pending_matches(user)
    match = matches.filter(pk=pk).values("pk", "score").first()
    if match is None:
        return None
    ahead = matches.filter(
        Q(score__gt=match["score"]) | Q(score=match["score"], pk__lt=match["pk"])
    ).count()
    return ahead // PAGE_SIZE + 1


def recent_decisions(user: User, limit: int = 20) -> list[Candidate]:
    """The latest confirmed or rejected candidates ``user`` may see, newest first (to undo)."""
    matches = _visible_matches(user).exclude(decision=Decision.PENDING).order_by("-reviewed_at")
    return candidates(user, matches[:limit])


def candidate(user: User, pk: Any) -> Candidate | None:
    """One match that ``user`` may see, with both sides; None when there is none."""
    found = candidates(user, _visible_matches(user).filter(pk=pk))
    return found[0] if found else None
