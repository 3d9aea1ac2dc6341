"""The five lists of the workspace: persons, perpetrators, organisations, cases and events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from vigil.policy.public import public_fields
from vigil.records.act_queries import has_act_filter, matching_acts
from vigil.records.act_victims import estimate, persons_with_acts
from vigil.records.custody_filter import custody_with_acts, filter_custody, name_order_plans
from vigil.records.display_names import attach_display_names
from vigil.records.models import Act, Case, Event, Involvement, Organisation, Person, Term
from vigil.records.visible import count_visible, custody_seen_by, page_visible, visible
from vigil.search.persons import Found, search_persons
from vigil.web import filters as f
from vigil.web import listing
from vigil.web.listing import ROWS_IN_ORDER, Column, ListSpec
from vigil.web.search import PersonRow

if TYPE_CHECKING:
    from vigil.accounts.types import User

# Persons -------------------------------------------------------------------------------------


def _persons(user: User, qs: QuerySet[Person], data: dict[str, Any]) -> QuerySet[Person]:
    qs = f.by_level(search_persons(data.get("q") or "", user), data)
    if data.get("custody") and has_act_filter(data):
        acts, listed = _acts_both_ways(user, data)
        rows = data.get(ROWS_IN_ORDER)
        return custody_with_acts(user, qs, data["custody"], acts, rows, listed)
    if data.get("custody"):
        return filter_custody(user, qs, data["custody"])
    if has_act_filter(data):
        return _with_acts(user, qs, data)
    return qs


# Where the first estimate of an act filter's share is kept, for the page read after the count.
_SHARE = "_act_share"


def _with_acts(user: User, persons: QuerySet[Person], data: dict[str, Any]) -> QuerySet[Person]:
    """The persons with a matching act, in SQL shaped for the statement: the count (its cap + 1
    rows, in any order) and the page within it, or a page past the cap (``ROWS_IN_ORDER``)."""
    rows = data[ROWS_IN_ORDER] if ROWS_IN_ORDER in data else listing.COUNT_CAP + 1
    probed, acts = _acts_both_ways(user, data)
    if name_order_plans() and data.get(_SHARE) is None:
        data[_SHARE] = estimate(persons, probed)  # the data this view's statements share
    return persons_with_acts(persons, acts, rows, data.get(_SHARE), probed)


def _acts_both_ways(user: User, data: dict[str, Any]) -> tuple[QuerySet[Act], QuerySet[Act]]:
    """The matching acts shaped for probing a person's, and for reading them all (the same
    query unless a provision is chosen); read only as acts of the list's persons, whose
    check the list's query makes (``of_visible_victims``)."""
    probed = matching_acts(user, data, per_act=True, of_visible_victims=True)
    listed = matching_acts(user, data, of_visible_victims=True) if data.get("provision") else probed
    return probed, listed


def _persons_narrowed(data: dict[str, Any]) -> bool:
    """A custody or act filter is set: the list's count stops at a cap (``listing.COUNT_CAP``)."""
    return bool(data.get("custody")) or has_act_filter(data)


def _persons_stop_early(data: dict[str, Any]) -> bool:
    """An act filter (with custody or not), on a database where a page past the count's cap
    may be read in other SQL than its count."""
    return has_act_filter(data) and name_order_plans()


def _person_rows(user: User, persons: list[Person]) -> list[PersonRow]:
    custody = custody_seen_by(user, [p.pk for p in persons])
    attach_display_names(user, persons)
    return [PersonRow(p, custody.get(p.pk)) for p in persons]


PERSONS = ListSpec(
    name="persons",
    title=_("Persons"),
    model=Person,
    form_class=f.PersonFilterForm,
    columns=(
        Column("name", _("Name"), ("display_name",), indexed=True),
        Column("born", _("Born"), ("birth_date",), indexed=True),
        Column("custody", _("Custody")),
        Column("updated", _("Last changed"), ("updated_at",), indexed=True),
        Column("record", _("Record")),
    ),
    default_sort="name",
    rows=_persons,
    decorate=_person_rows,
    row_template="vigil/rows/person.html",
    export_fields=public_fields(Person),
    capped=_persons_narrowed,
    stops_early=_persons_stop_early,
    by_keys=lambda user, keys: visible(user, Person.objects.filter(pk__in=keys)),
    count_all=lambda user: count_visible(user, Person),
    page_all=lambda user, order, low, high: page_visible(user, Person, order, low, high),
    found=lambda user, query: Found(query, user),
    help_text=_(
        "Custody is derived from the acts you may view. Act filters keep persons with at least "
        "one act that matches them all."
    ),
)

# Perpetrators --------------------------------------------------------------------------------


@dataclass
class PerpetratorRow:
    """A perpetrator with what they did, counted over the visible record."""

    person: Person
    roles: set[str] = field(default_factory=set)
    acts: set[Any] = field(default_factory=set)
    victims: set[Any] = field(default_factory=set)
    sentences: set[Any] = field(default_factory=set)

    @property
    def role_labels(self) -> list[str]:
        return sorted(self.roles)


def _involvements(user: User, data: dict[str, Any]) -> QuerySet[Involvement]:
    rows = visible(user, Involvement.objects.filter(perpetrator_person__isnull=False))
    if has_act_filter(data):
        rows = rows.filter(act__in=matching_acts(user, data).values("pk"))
    if data.get("role"):
        rows = rows.filter(role=data["role"])
    return rows


def _perpetrators(user: User, qs: QuerySet[Person], data: dict[str, Any]) -> QuerySet[Person]:
    involved = _involvements(user, data)
    qs = f.by_level(search_persons(data.get("q") or "", user), data)
    count = (
        involved.filter(perpetrator_person=OuterRef("pk"))
        .order_by()
        .values("perpetrator_person")
        .annotate(n=Count("act", distinct=True))
        .values("n")
    )
    return qs.filter(pk__in=involved.values("perpetrator_person_id")).annotate(
        act_count=Coalesce(Subquery(count, output_field=IntegerField()), 0)
    )


def _perpetrator_rows(user: User, persons: list[Person]) -> list[PerpetratorRow]:
    rows = {p.pk: PerpetratorRow(p) for p in persons}
    attach_display_names(user, persons)
    involvements = Involvement.objects.filter(perpetrator_person__in=persons)
    involved = visible(user, involvements).values_list(
        "perpetrator_person_id",
        "role_id",
        "act_id",
        "act__victim_person_id",
        "act__victim_organisation_id",
        "act__sentence_months",
        "act__sentence_regime_id",
        "act__restriction_measure_id",
        "act__fine_amount",
    )
    role_ids: set[str] = set()
    found: list[tuple[Any, ...]] = list(involved)
    for _pid, role, *_rest in found:
        role_ids.add(role)
    labels = {t.pk: t.label() for t in Term.objects.filter(pk__in=role_ids)}
    for pid, role, act, vp, vo, months, regime, measure, fine in found:
        row = rows[pid]
        row.roles.add(labels.get(role, role))
        row.acts.add(act)
        if vp or vo:
            row.victims.add(vp or vo)
        if months is not None or regime or measure or fine is not None:
            row.sentences.add(act)
    return [rows[p.pk] for p in persons]


PERPETRATORS = ListSpec(
    name="perpetrators",
    title=_("Perpetrators"),
    model=Person,
    form_class=f.PerpetratorFilterForm,
    columns=(
        Column("name", _("Name"), ("display_name",)),
        Column("roles", _("Roles")),
        Column("acts", _("Acts"), ("act_count",), numeric=True),
        Column("victims", _("Victims"), numeric=True),
        Column("sentences", _("Sentences handed"), numeric=True),
        Column("record", _("Record")),
    ),
    default_sort="-acts",
    rows=_perpetrators,
    decorate=_perpetrator_rows,
    row_template="vigil/rows/perpetrator.html",
    export_fields=public_fields(Person),
    help_text=_("Persons recorded as perpetrators (judges, prosecutors, investigators...)."),
)

# Organisations -------------------------------------------------------------------------------


@dataclass
class CountedRow:
    """A record with counts of the visible records linked to it."""

    obj: Any
    counts: dict[str, int]


def _organisations(
    user: User, qs: QuerySet[Organisation], data: dict[str, Any]
) -> QuerySet[Organisation]:
    qs = f.by_level(f.text_filter(visible(user, qs), "display_name", data.get("q") or ""), data)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if has_act_filter(data):
        acts = matching_acts(user, data)
        qs = qs.filter(
            Q(pk__in=acts.values("victim_organisation_id")) | Q(pk__in=acts.values("place_id"))
        )
    return qs.select_related("kind")


def _grouped(qs: QuerySet[Any], key: str) -> dict[Any, int]:
    return dict(qs.order_by().values_list(key).annotate(n=Count("pk", distinct=True)))


def _organisation_rows(user: User, orgs: list[Organisation]) -> list[CountedRow]:
    acts = visible(user, Act.objects.all())
    against = _grouped(acts.filter(victim_organisation__in=orgs), "victim_organisation_id")
    here = _grouped(acts.filter(place__in=orgs), "place_id")
    perpetrated = _grouped(
        visible(user, Involvement.objects.filter(perpetrator_organisation__in=orgs)),
        "perpetrator_organisation_id",
    )
    return [
        CountedRow(
            o,
            {
                "against": against.get(o.pk, 0),
                "here": here.get(o.pk, 0),
                "perpetrated": perpetrated.get(o.pk, 0),
            },
        )
        for o in orgs
    ]


ORGANISATIONS = ListSpec(
    name="organisations",
    title=_("Organisations"),
    model=Organisation,
    form_class=f.OrganisationFilterForm,
    columns=(
        Column("name", _("Name"), ("display_name",)),
        Column("kind", _("Kind"), ("kind__label_en",)),
        Column("country", _("Country"), ("country",)),
        Column("against", _("Acts against it"), numeric=True),
        Column("here", _("Acts held there"), numeric=True),
        Column("perpetrated", _("As perpetrator"), numeric=True),
        Column("record", _("Record")),
    ),
    default_sort="name",
    rows=_organisations,
    decorate=_organisation_rows,
    row_template="vigil/rows/organisation.html",
    export_fields=public_fields(Organisation),
    help_text=_("Act filters keep organisations an act was against or held at (a court)."),
)

# Cases ---------------------------------------------------------------------------------------


def _cases(user: User, qs: QuerySet[Case], data: dict[str, Any]) -> QuerySet[Case]:
    qs = f.by_level(f.text_filter(visible(user, qs), "title", data.get("q") or ""), data)
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if has_act_filter(data):
        events = matching_acts(user, data).values("event_id")
        linked = Case.events.through.objects.filter(event_id__in=events).values("case_id")
        qs = qs.filter(pk__in=linked)
    return qs


def _case_rows(user: User, cases: list[Case]) -> list[CountedRow]:
    ids = [c.pk for c in cases]
    persons = _grouped(
        Case.persons.through.objects.filter(
            case_id__in=ids, person_id__in=visible(user, Person.objects.all()).values("pk")
        ),
        "case_id",
    )
    events = _grouped(
        Case.events.through.objects.filter(
            case_id__in=ids, event_id__in=visible(user, Event.objects.all()).values("pk")
        ),
        "case_id",
    )
    return [
        CountedRow(c, {"persons": persons.get(c.pk, 0), "events": events.get(c.pk, 0)})
        for c in cases
    ]


CASES = ListSpec(
    name="cases",
    title=_("Cases"),
    model=Case,
    form_class=f.CaseFilterForm,
    columns=(
        Column("title", _("Title"), ("title",)),
        Column("status", _("Status"), ("status",)),
        Column("persons", _("Persons"), numeric=True),
        Column("events", _("Events"), numeric=True),
        Column("updated", _("Last changed"), ("updated_at",)),
        Column("record", _("Record")),
    ),
    default_sort="title",
    rows=_cases,
    decorate=_case_rows,
    row_template="vigil/rows/case.html",
    export_fields=public_fields(Case),
    help_text=_("Act filters keep cases with an event holding a matching act."),
)

# Events --------------------------------------------------------------------------------------


def _events(user: User, qs: QuerySet[Event], data: dict[str, Any]) -> QuerySet[Event]:
    qs = f.by_level(f.text_filter(visible(user, qs), "title", data.get("q") or ""), data)
    if has_act_filter(data):
        qs = qs.filter(pk__in=matching_acts(user, data).values("event_id"))
    return qs


def _event_rows(user: User, events: list[Event]) -> list[CountedRow]:
    acts = visible(user, Act.objects.filter(event__in=events))
    counts = _grouped(acts, "event_id")
    victims: dict[Any, int] = defaultdict(int)
    for event_id, n in (
        acts.filter(Q(victim_person__isnull=False) | Q(victim_organisation__isnull=False))
        .order_by()
        .values_list("event_id")
        .annotate(
            n=Count("victim_person", distinct=True) + Count("victim_organisation", distinct=True)
        )
    ):
        victims[event_id] = n
    return [CountedRow(e, {"acts": counts.get(e.pk, 0), "victims": victims[e.pk]}) for e in events]


EVENTS = ListSpec(
    name="events",
    title=_("Events"),
    model=Event,
    form_class=f.EventFilterForm,
    columns=(
        Column("date", _("Date"), ("date",)),
        Column("title", _("Title"), ("title",)),
        Column("place", _("Place"), ("place",)),
        Column("acts", _("Acts"), numeric=True),
        Column("victims", _("Victims"), numeric=True),
        Column("record", _("Record")),
    ),
    default_sort="-date",
    rows=_events,
    decorate=_event_rows,
    row_template="vigil/rows/event.html",
    export_fields=public_fields(Event),
    help_text=_("Act filters keep events holding at least one act that matches them all."),
)

SPECS = {s.name: s for s in (PERSONS, PERPETRATORS, ORGANISATIONS, CASES, EVENTS)}
