"""Everything the person page shows to one user, each collection cut to what they may view."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet

from vigil.policy.access import restrict, visible_reference
from vigil.records.custody import ORDER, CustodyState
from vigil.records.dates import date_ordering, date_sort_key, display_date
from vigil.records.display_names import attach_display_names, display_name_for
from vigil.records.models import (
    Act,
    ActCharge,
    Case,
    Counsel,
    Event,
    ExternalId,
    Information,
    Involvement,
    Organisation,
    Participant,
    Person,
    PersonName,
    Profession,
)
from vigil.records.visible import custody_of, visible
from vigil.web.changes import Change, changes_of

if TYPE_CHECKING:
    from vigil.accounts.types import User

# What the timeline shows of a perpetrator: the involvement, its role and degree, and of the
# person or organisation its link and name (``person_name``: the id, the display name and
# whether it is withheld, as ``web.related`` reads related persons; an organisation's name):
# each row read every column of both (38 more, for one or two rows an act).
_INVOLVEMENT_SHOWN = (
    *(f.name for f in Involvement._meta.concrete_fields),
    "role",
    "degree",
    "perpetrator_person__display_name",
    "perpetrator_person__name_withheld",
    "perpetrator_organisation__display_name",
)

# Stands for a missing ``created_at`` in a sort key (its place is decided before it is compared).
_NO_TIME = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass
class ActRows:
    """The rows of one act that a user may view, each list in the page's order."""

    charges: list[ActCharge] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)
    counsel: list[Counsel] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)


@dataclass
class ActView:
    """One act of the timeline with its rows, and the sources on the act and on its event."""

    act: Act
    sources: list[Information] = field(default_factory=list)
    event_sources: list[Information] = field(default_factory=list)
    rows: ActRows = field(default_factory=ActRows)

    @property
    def charges(self) -> list[ActCharge]:
        return self.rows.charges

    @property
    def involvements(self) -> list[Involvement]:
        return self.rows.involvements

    @property
    def counsel(self) -> list[Counsel]:
        return self.rows.counsel

    @property
    def unconfirmed(self) -> list[Participant]:
        """Participants the source names whose role nobody has confirmed."""
        return [p for p in self.rows.participants if not p.confirmed_role]

    @property
    def confirmed(self) -> list[Participant]:
        """Participants whose role an analyst has confirmed."""
        return [p for p in self.rows.participants if p.confirmed_role]


@dataclass
class Profile:
    """The person page: identity, custody, timeline, perpetrator record and history."""

    person: Person
    birth_date: str
    names: list[PersonName]
    professions: list[Profession]
    external_ids: list[ExternalId]
    custody: CustodyState
    person_sources: list[Information]
    timeline: list[ActView]
    perpetrator_in: list[Involvement]
    history: list[Change]

    @property
    def acts(self) -> list[Act]:
        """The timeline's acts, in its order."""
        return [view.act for view in self.timeline]

    def named(self) -> list[Person | None]:
        """The other persons the page names: victims, perpetrators and counsel."""
        others: list[Person | None] = [i.act.victim_person for i in self.perpetrator_in]
        for view in self.timeline:
            others.extend(i.perpetrator_person for i in view.involvements)
            others.extend(c.lawyer for c in view.counsel)
        return others


def information_on(user: User, objs: Iterable[Model]) -> dict[Any, list[Information]]:
    """Live Information rows ``user`` may view on the given records (of one model), by target.

    The witness (``Source.source_person``) is never loaded here: it is read only through
    ``vigil.policy.identity.reveal``.
    """
    items = list(objs)
    if not items:
        return {}
    ct = ContentType.objects.get_for_model(type(items[0]))
    return {pk: rows for (_, pk), rows in information_about(user, items).items() if _ == ct.pk}


def information_about(
    user: User, objs: Iterable[Model]
) -> dict[tuple[int, Any], list[Information]]:
    """:func:`information_on` for records of several models in one query, by (content type id,
    target id): each row is restricted exactly as a query per model restricts it (the policy's
    condition is per row; the targets only choose which rows are asked for)."""
    ids: dict[int, list[Any]] = defaultdict(list)
    for obj in objs:
        ids[ContentType.objects.get_for_model(type(obj)).pk].append(obj.pk)
    if not ids:
        return {}
    wanted = Q()
    for ct_id, pks in ids.items():
        wanted |= Q(target_type_id=ct_id, target_id__in=pks)
    found: dict[tuple[int, Any], list[Information]] = defaultdict(list)
    rows = (
        restrict(user, "view", Information.objects.filter(wanted))
        .select_related("source", "source__reliability", "source__source_type", "reliability")
        .order_by("source__title", "id")
    )
    for info in rows:
        found[(info.target_type_id, info.target_id)].append(info)
    return found


def visible_acts(user: User, acts: QuerySet[Act]) -> QuerySet[Act]:
    """``acts`` that ``user`` may view, each with only the related rows they may view."""
    # The related rows are read only as rows of these acts, which the outer query restricts
    # for the same user: their act's check is made there, not again in each prefetch (their
    # other parents — the perpetrator, the lawyer, the participant — are still checked).
    of_acts = ("act",)
    return (
        visible(user, acts)
        .select_related("act_type", "place", "event", "sentence_regime", "restriction_measure")
        .prefetch_related(
            Prefetch(
                "charges",
                visible(
                    user, ActCharge.objects.select_related("provision"), checked_parents=of_acts
                ).order_by("id"),
            ),
            Prefetch(
                "involvements",
                visible(
                    user,
                    Involvement.objects.select_related(
                        "perpetrator_person", "perpetrator_organisation", "role", "degree"
                    ),
                    checked_parents=of_acts,
                ).order_by("created_at", "id"),
            ),
            Prefetch(
                "counsel",
                visible(
                    user, Counsel.objects.select_related("lawyer"), checked_parents=of_acts
                ).order_by("id"),
            ),
            Prefetch(
                "participants",
                visible(
                    user, Participant.objects.select_related("person"), checked_parents=of_acts
                ).order_by("id"),
            ),
        )
    )


def hide_places(user: User, acts: list[Act]) -> None:
    """Blank the place of acts whose place (an organisation) ``user`` may not view."""
    # The place is an organisation record of its own, not a parent the policy checks with the act.
    # Acts read with ``place_shown`` (``timeline_acts``) carry the answer; others are asked here.
    asked = [a for a in acts if a.place_id and not hasattr(a, "place_shown")]
    ids = {a.place_id for a in asked}
    shown = set()
    if ids:
        places = visible(user, Organisation.objects.filter(pk__in=ids))
        shown = set(places.values_list("pk", flat=True))
    for act in acts:
        if not act.place_id:
            continue
        if not getattr(act, "place_shown", act.place_id in shown):
            act.place = None  # for display only; these instances are never saved
            act.place_hidden = True  # type: ignore[attr-defined]  # not "no court named"


def timeline_acts(user: User, person: Person) -> list[Act]:
    """The acts against ``person`` that ``user`` may view, in timeline order, places cut; each
    says whether any counsel or participant row (of any confidentiality, deleted or not) names
    it (``has_counsel``, ``has_participants``: where none does, :func:`act_rows` does not read
    them)."""
    # Whether each act's place may be shown, asked in the acts' own query.
    shown = visible_reference(user, Organisation, "place_id")
    rows = (
        visible(user, Act.objects.filter(victim_person=person))
        .select_related("act_type", "place", "event", "sentence_regime", "restriction_measure")
        .annotate(
            place_shown=shown,
            has_counsel=Exists(Counsel.all_objects.filter(act=OuterRef("pk"))),
            has_participants=Exists(Participant.all_objects.filter(act=OuterRef("pk"))),
        )
    )
    # Read without ORDER BY (Django keys each of the ~100 selected columns of an ordered query
    # before writing it) and put in the model's order, ``date, created_at``, as the database
    # sorts it (a NULL where it puts one); the timeline's order is then applied over it.
    rows = rows.order_by()
    acts: list[Act] = list(rows)
    nulls_last = connections[rows.db].features.nulls_order_largest
    acts.sort(
        key=lambda a: (
            _in_order(a.date, dt.date.min, nulls_last),
            _in_order(a.created_at, _NO_TIME, nulls_last),
        )
    )
    acts.sort(key=lambda a: (date_sort_key(a.date, a.date_end), ORDER.get(a.act_type.key, 5)))
    hide_places(user, acts)
    return acts


def _in_order(value: Any, missing: Any, nulls_last: bool) -> tuple[bool, Any]:
    """A sort key that orders ``value`` as an ascending ``ORDER BY`` does on a database that
    sorts a NULL after every value (``nulls_last``) or before."""
    return ((value is None) == nulls_last, missing if value is None else value)


def act_rows(user: User, acts: list[Act]) -> dict[Any, ActRows]:
    """The charges, perpetrators, counsel and participants of ``acts`` that ``user`` may view,
    by act, each in the order :func:`visible_acts` prefetches them.

    ``acts`` must be acts ``user`` may view (:func:`timeline_acts`): the rows are read as rows
    of those acts, so their act's check is not made again (their other parents are checked).
    Each kind is one query without ``ORDER BY``, sorted here by the same keys — the ids are
    unique and UUIDs sort alike in both databases and in Python, and a missing ``created_at``
    goes where the database puts a NULL — because Django keys every selected column of an
    ordered query before writing its ``ORDER BY``: most of a small read's compile time. Counsel
    and participants are read only when an act has such a row (``timeline_acts``).
    """
    found = {act.pk: ActRows() for act in acts}
    if not acts:
        return found
    by_pk = {act.pk: act for act in acts}
    of_acts = ("act",)

    def read(queryset: QuerySet[Any], among: Iterable[Act]) -> tuple[list[Any], bool]:
        """The rows, and whether their database sorts a NULL after every value."""
        wanted = [act.pk for act in among]
        if not wanted:
            return [], False
        rows = visible(user, queryset.filter(act_id__in=wanted), checked_parents=of_acts)
        rows = rows.order_by()
        return list(rows), connections[rows.db].features.nulls_order_largest

    def by_id(row: Any, nulls_last: bool) -> Any:
        return row.id

    def by_creation(row: Involvement, nulls_last: bool) -> tuple[Any, ...]:
        return (*_in_order(row.created_at, _NO_TIME, nulls_last), row.id)

    kinds: list[tuple[str, QuerySet[Any], Iterable[Act], Any]] = [
        ("charges", ActCharge.objects.select_related("provision"), acts, by_id),
        (
            "involvements",
            Involvement.objects.select_related(
                "perpetrator_person", "perpetrator_organisation", "role", "degree"
            ).only(*_INVOLVEMENT_SHOWN),
            acts,
            by_creation,
        ),
        (
            "counsel",
            Counsel.objects.select_related("lawyer"),
            [a for a in acts if getattr(a, "has_counsel", True)],
            by_id,
        ),
        (
            "participants",
            Participant.objects.select_related("person"),
            [a for a in acts if getattr(a, "has_participants", True)],
            by_id,
        ),
    ]
    for name, queryset, among, key in kinds:
        read_rows, nulls_last = read(queryset, among)
        for row in sorted(read_rows, key=lambda row: key(row, nulls_last)):
            act = by_pk[row.act_id]
            row.act = act  # as a prefetch leaves it
            getattr(found[act.pk], name).append(row)
    return found


def _timeline(
    acts: list[Act],
    sources: dict[tuple[int, Any], list[Information]],
    rows: dict[Any, ActRows],
) -> list[ActView]:
    """The timeline of ``acts`` with their rows and the sources on each act and on its event."""
    on_act = ContentType.objects.get_for_model(Act).pk
    on_event = ContentType.objects.get_for_model(Event).pk
    views = []
    for act in acts:
        own = sources.get((on_act, act.pk), [])
        act_sources = {i.source_id for i in own}
        event_sources = [
            i for i in sources.get((on_event, act.event_id), []) if i.source_id not in act_sources
        ]
        views.append(ActView(act, own, event_sources, rows[act.pk]))
    return views


def perpetrator_record(user: User, person: Person) -> list[Involvement]:
    """The visible acts in which the person took part as a perpetrator, oldest first."""
    rows = (
        visible(user, Involvement.objects.filter(perpetrator_person=person))
        .filter(act__deleted_at__isnull=True)
        .select_related(
            "role",
            "degree",
            "act__act_type",
            "act__victim_person",
            "act__victim_organisation",
            "act__sentence_regime",
            "act__restriction_measure",
        )
        .order_by(date_ordering("act__"), "act__created_at")
    )
    return list(rows)


def successor_of(user: User, pk: Any) -> Any:
    """The id of the person a merged duplicate went into, when ``user`` may view both."""
    duplicate = visible(user, Person.all_objects.filter(pk=pk, merged_into__isnull=False))
    successor = duplicate.values_list("merged_into_id", flat=True).first()
    if successor is None or not visible(user, Person.objects.filter(pk=successor)).exists():
        return None
    return successor


def person_profile(user: User, person: Person) -> Profile:
    """Gather the person page of ``person`` as ``user`` may see it."""
    profile = _gather(user, person)
    attach_display_names(user, profile.named())  # one query for every name on the page
    return profile


@dataclass(frozen=True)
class Parts:
    """Whether any row, of any confidentiality and deleted or not, names the person as a
    perpetrator, as counsel or a participant, or in a case: where none does, the policy's reads
    of those rows would find nothing, so the page does not make them (one query for all)."""

    perpetrator: bool = True
    counsel: bool = True
    in_case: bool = True


def parts_taken(person: Person) -> Parts:
    """:class:`Parts` of ``person``, read in one query (the rows themselves are never read)."""
    found = (
        Person.all_objects.filter(pk=person.pk)
        .annotate(
            perpetrator=Exists(Involvement.all_objects.filter(perpetrator_person=OuterRef("pk"))),
            lawyer=Exists(Counsel.all_objects.filter(lawyer=OuterRef("pk"))),
            participant=Exists(Participant.all_objects.filter(person=OuterRef("pk"))),
            in_case=Exists(Case.persons.through.objects.filter(person=OuterRef("pk"))),
        )
        .values_list("perpetrator", "lawyer", "participant", "in_case")
        .first()
    )
    if found is None:
        return Parts()
    perpetrator, lawyer, participant, in_case = found
    return Parts(bool(perpetrator), bool(lawyer or participant), bool(in_case))


def _gather(user: User, person: Person, parts: Parts | None = None) -> Profile:
    """:func:`person_profile` without the other persons' names (the page attaches them once)."""
    if parts is None:
        parts = parts_taken(person)
    names = list(visible(user, person.names.all()))
    person.shown_name = display_name_for(person, names=names)  # type: ignore[attr-defined]
    birth = display_date(person.birth_date, person.birth_date_precision)
    acts = timeline_acts(user, person)
    events = {a.event_id: a.event for a in acts if a.event is not None}
    # One read for the sources on the person, the acts and their events.
    sources = information_about(user, [person, *acts, *events.values()])
    on_person = (ContentType.objects.get_for_model(Person).pk, person.pk)
    return Profile(
        person=person,
        birth_date=birth if person.birth_date else "",
        names=names,
        professions=list(
            visible(user, person.professions.select_related("profession", "bar_association"))
        ),
        external_ids=list(visible(user, person.external_ids.order_by("scheme", "value"))),
        custody=custody_of(user, person),
        person_sources=sources.get(on_person, []),
        timeline=_timeline(acts, sources, act_rows(user, acts)),
        perpetrator_in=perpetrator_record(user, person) if parts.perpetrator else [],
        history=changes_of(user, [person, *names]),
    )


def person_page(user: User, person: Person) -> dict[str, Any]:
    """Everything the person page shows, read once: the profile, related persons, the record
    as counsel and the drafts, with every other person's name attached in one query.

    The related persons and the drafts reuse the timeline's acts (the same acts, through the
    same policy, that they would otherwise read again); the risk panel takes them from the
    page (``{% risk_panel p d.acts %}``).
    """
    from vigil.outputs.menu import draft_menu
    from vigil.web.counsel import counsel_record
    from vigil.web.related import co_defendants, judges_of, same_judge

    parts = parts_taken(person)
    profile = _gather(user, person, parts)
    acts = profile.acts
    events = dict.fromkeys(a.event_id for a in acts)
    related = co_defendants(user, person, events=events, in_cases=parts.in_case)
    judged = same_judge(
        user, person, judges=judges_of(i for view in profile.timeline for i in view.involvements)
    )
    attach_display_names(user, [*profile.named(), *(r.person for r in (*related, *judged))])
    return {
        "d": profile,
        "co_defendants": related,
        "same_judge": judged,
        "counsel_in": counsel_record(user, person) if parts.counsel else [],
        "drafts": draft_menu(user, person, sees_acts=bool(acts)),
    }
