"""Everything the person page shows to one user, each collection cut to what they may view."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet

from vigil.policy.access import restrict, visible_reference
from vigil.records.act_rows import ACT_RELATED, ROW_KINDS, database_order, presence_annotations
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
    """``acts`` that ``user`` may view, each with only the related rows they may view (each
    kind of :data:`~vigil.records.act_rows.ROW_KINDS` prefetched in its order)."""
    # The related rows are read only as rows of these acts, which the outer query restricts
    # for the same user: their act's check is made there, not again in each prefetch.
    return (
        visible(user, acts)
        .select_related(*ACT_RELATED)
        .prefetch_related(*(Prefetch(kind.name, kind.ordered(user)) for kind in ROW_KINDS))
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
        .select_related(*ACT_RELATED)
        .annotate(place_shown=shown, **presence_annotations())
    )
    # Read without ORDER BY (Django keys each of the ~100 selected columns of an ordered query
    # before writing it) and put in the model's order, ``date, created_at``, as the database
    # sorts it (a NULL where it puts one); the timeline's order is then applied over it.
    rows = rows.order_by()
    acts: list[Act] = list(rows)
    acts.sort(key=database_order(Act, Act._meta.ordering, _nulls_last(rows)))  # type: ignore[arg-type]
    acts.sort(key=lambda a: (date_sort_key(a.date, a.date_end), ORDER.get(a.act_type.key, 5)))
    hide_places(user, acts)
    return acts


def _nulls_last(rows: QuerySet[Any]) -> bool:
    """Whether the database of ``rows`` sorts a NULL after every value."""
    return bool(connections[rows.db].features.nulls_order_largest)


def act_rows(user: User, acts: list[Act]) -> dict[Any, ActRows]:
    """The charges, perpetrators, counsel and participants of ``acts`` that ``user`` may view,
    by act, each in the order :func:`visible_acts` prefetches them: both are built from
    :data:`~vigil.records.act_rows.ROW_KINDS`.

    ``acts`` must be acts ``user`` may view (:func:`timeline_acts`): the rows are read as rows
    of those acts, so their act's check is not made again (their other parents are checked).
    Each kind is one query without ``ORDER BY``, sorted here by the kind's keys
    (:meth:`~vigil.records.act_rows.RowKind.sort_key`: the ids are unique and UUIDs sort alike
    in both databases and in Python, and a missing ``created_at`` goes where the database puts
    a NULL) — because Django keys every selected column of an ordered query before writing its
    ``ORDER BY``: most of a small read's compile time. A kind with a presence annotation
    (counsel, participants) is read only for acts that have such a row (``timeline_acts``).
    """
    found = {act.pk: ActRows() for act in acts}
    if not acts:
        return found
    by_pk = {act.pk: act for act in acts}
    for kind in ROW_KINDS:
        presence = kind.presence
        wanted = [a.pk for a in acts if presence is None or getattr(a, presence, True)]
        if not wanted:
            continue
        rows = kind.visible_rows(user, wanted)
        read_rows = list(rows)
        for row in sorted(read_rows, key=kind.sort_key(_nulls_last(rows))):
            act = by_pk[row.act_id]
            row.act = act  # as a prefetch leaves it
            getattr(found[act.pk], kind.name).append(row)
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
