"""The figures of the country report, each an aggregate query over covered records.

Every figure carries its period, the sources behind it and the command that reproduces it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, DateField, Max, Min, Value, When
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import translation

from vigil.core.errors import ValidationFailed
from vigil.core.spreadsheet import csv_text
from vigil.records.custody import (
    COUNTED,
    DETAINING,
    RELEVANT,
    custody_by_person,
    custody_counts,
)
from vigil.records.models import (
    Act,
    ActCharge,
    Intervention,
    Involvement,
    LegalProvision,
    Person,
    Profession,
    Source,
    Statistic,
    Term,
)
from vigil.records.places import court_decisions
from vigil.reports.attribution import Attribution, sources_of, sources_of_acts
from vigil.reports.coverage import Coverage
from vigil.reports.pagecache import page_cache
from vigil.reports.series import LAWTREND_SERIES

TOP = 15
JUDGE_ROLES = ("perpetrator_role.judge", "perpetrator_role.presiding_judge")
# What happened to lawyers, by the act types that count for each category.
LAWYER_CATEGORIES: dict[str, tuple[str, ...]] = {
    "disbarred or licence suspended": ("disbarment", "licence_suspension"),
    "detained": tuple(sorted(DETAINING)),
    "sentenced": ("sentence",),
}


def act_types(*keys: str) -> list[str]:
    """Term ids of act types."""
    return [Term.pk_for("act_type", k) for k in keys]


@dataclass
class Figure:
    """One figure: a table of rows, what it counts, its period and its sources."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    method: str
    attribution: Attribution
    period: tuple[Any, Any] = (None, None)
    notes: list[str] = field(default_factory=list)
    generated: dt.date = field(default_factory=dt.date.today)

    @property
    def command(self) -> str:
        """The command that prints this figure's full table."""
        return f"vigil country-report figure {self.name} --csv"

    @property
    def period_text(self) -> str:
        """The period the data covers ("2011-08 to 2024-06"), or that no dated data exists."""
        start, end = self.period
        if start is None and end is None:
            return "no dated records"
        if start == end:
            return str(start)
        return f"{start} to {end}"

    def to_csv(self) -> str:
        """The full table as CSV."""
        return csv_text(self.columns, self.rows)


def _span(queryset: Any, fmt: str = "%Y-%m-%d") -> tuple[str | None, str | None]:
    found = queryset.aggregate(first=Min("date"), last=Max("date"))
    first, last = found["first"], found["last"]
    return (first.strftime(fmt) if first else None, last.strftime(fmt) if last else None)


def _victim_acts(coverage: Coverage, *keys: str) -> Any:
    return coverage.apply(
        Act.all_objects.filter(act_type_id__in=act_types(*keys), victim_person__isnull=False),
        "victim_person__",
    )


def detained_by_month(coverage: Coverage) -> Figure:
    """Persons detained per month, from arrest and detention acts."""
    acts = _victim_acts(coverage, *DETAINING)
    # One pass: acts dated less precisely than the month fall in a group of their own.
    month = Case(
        When(date__isnull=False, date_precision__in=("day", "month"), then=TruncMonth("date")),
        default=Value(None),
        output_field=DateField(),
    )
    grouped = list(
        acts.annotate(month=month)
        .values("month")
        .annotate(persons=Count("victim_person", distinct=True), acts=Count("id"))
        .order_by("month")
    )
    rows = [(r["month"].strftime("%Y-%m"), r["persons"], r["acts"]) for r in grouped if r["month"]]
    vague = sum(r["acts"] for r in grouped if not r["month"])
    notes = []
    if vague:
        notes.append(
            f"{vague} arrest or detention acts have no date precise to the month and are "
            "not counted by month."
        )
    dated = acts.filter(date__isnull=False, date_precision__in=("day", "month"))
    return Figure(
        "detained-by-month",
        "Persons detained, by month",
        ("month", "persons detained", "acts"),
        rows,
        "Arrest and detention acts (including administrative and incommunicado detention) "
        "against persons, counted by the month of the act; a person detained twice in a "
        "month counts once in that month.",
        sources_of_acts(dated, coverage),
        (rows[0][0], rows[-1][0]) if rows else (None, None),
        notes,
    )


def _period(rows: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    """The first and last date over grouped rows carrying ``first`` and ``last``."""
    firsts = [r["first"] for r in rows if r["first"]]
    lasts = [r["last"] for r in rows if r["last"]]
    return (
        min(firsts).isoformat() if firsts else None,
        max(lasts).isoformat() if lasts else None,
    )


def sentences_by_article(coverage: Coverage) -> Figure:
    """Sentences by the legal provision they rest on."""
    sentences = _victim_acts(coverage, "sentence")
    counts = list(
        coverage.apply(ActCharge.all_objects.filter(act__in=sentences.values("pk")))
        .values("provision_id")
        .annotate(
            acts=Count("act_id", distinct=True),
            persons=Count("act__victim_person", distinct=True),
            first=Min("act__date"),
            last=Max("act__date"),
        )
        .order_by("-acts")
    )
    provisions = LegalProvision.all_objects.in_bulk([c["provision_id"] for c in counts])
    rows = sorted(
        (
            (
                str(provisions[c["provision_id"]]),
                provisions[c["provision_id"]].title,
                c["acts"],
                c["persons"],
            )
            for c in counts
        ),
        key=lambda r: (-r[2], r[0]),
    )
    charged = coverage.apply(ActCharge.all_objects.all()).values("act_id")
    uncharged = sentences.exclude(pk__in=charged).count()
    notes = [f"{uncharged} sentences have no recorded legal provision."] if uncharged else []
    return Figure(
        "sentences-by-article",
        "Sentences by article of the law",
        ("provision", "title as used", "sentences", "persons"),
        rows,
        "Conviction and sentence acts, counted under each provision charged; a sentence on "
        "two articles counts under both.",
        sources_of_acts(sentences, coverage),
        _period(counts),
        notes,
    )


def judges(coverage: Coverage, top: int = TOP) -> Figure:
    """Judges by the number of acts they took part in (top N)."""
    involvements = coverage.apply(
        Involvement.all_objects.filter(role_id__in=JUDGE_ROLES, perpetrator_person__isnull=False),
        "perpetrator_person__",
        "act__",
    )
    counted = list(
        involvements.values("perpetrator_person_id", "perpetrator_person__display_name")
        .annotate(
            acts=Count("act_id", distinct=True),
            victims=Count("act__victim_person", distinct=True),
            first=Min("act__date"),
            last=Max("act__date"),
        )
        .order_by("-acts", "perpetrator_person__display_name")
    )
    total = len(counted)
    rows = [(r["perpetrator_person__display_name"], r["acts"], r["victims"]) for r in counted[:top]]
    acts = Act.all_objects.filter(pk__in=involvements.values("act_id"))
    notes = (
        [f"The {len(rows)} judges with the most acts, of {total} judges in the record."]
        if total > len(rows)
        else []
    )
    return Figure(
        "judges",
        "Judges, by acts they took part in",
        ("judge", "acts", "victims"),
        rows,
        "Involvements with the role judge or presiding judge, counted by distinct act.",
        sources_of_acts(acts, coverage),
        _period(counted),
        notes,
    )


def courts(coverage: Coverage, top: int = TOP) -> Figure:
    """Courts by the number of decisions recorded there, from every source (top N).

    The acts are :func:`vigil.records.places.court_decisions`: trials, sentences, appeal and
    cassation decisions, administrative arrests and fines whose place is a court.
    """
    acts = coverage.apply(court_decisions(Act.all_objects.all()), "place__")
    counted = list(
        acts.values("place_id", "place__display_name")
        .annotate(
            acts=Count("id"),
            persons=Count("victim_person", distinct=True),
            first=Min("date"),
            last=Max("date"),
        )
        .order_by("-acts", "place__display_name")
    )
    total = len(counted)
    rows = [(r["place__display_name"], r["acts"], r["persons"]) for r in counted[:top]]
    notes = (
        [f"The {len(rows)} courts with the most acts, of {total} courts in the record."]
        if total > len(rows)
        else []
    )
    return Figure(
        "courts",
        "Courts, by decisions recorded there",
        ("court", "acts", "persons"),
        rows,
        "Trials, sentences, appeal and cassation decisions, administrative arrests and fines "
        "whose place is a court, from every source; a place of detention is never a court.",
        sources_of_acts(acts, coverage),
        _period(counted),
        notes,
    )


def lawyers(coverage: Coverage) -> Figure:
    """Lawyers disbarred, detained and sentenced, by year."""
    lawyer_ids = coverage.apply(
        Profession.all_objects.filter(profession_id="profession.lawyer"), "person__"
    ).values("person_id")
    rows: list[tuple[Any, ...]] = []
    every: list[str] = []
    for category, keys in LAWYER_CATEGORIES.items():
        acts = _victim_acts(coverage, *keys).filter(victim_person_id__in=lawyer_ids)
        every.extend(keys)
        for r in (
            acts.annotate(year=ExtractYear("date"))
            .values("year")
            .annotate(persons=Count("victim_person", distinct=True), acts=Count("id"))
            .order_by("year")
        ):
            rows.append((r["year"] or "undated", category, r["persons"], r["acts"]))
    rows.sort(key=lambda r: (str(r[0]), list(LAWYER_CATEGORIES).index(r[1])))
    all_acts = _victim_acts(coverage, *every).filter(victim_person_id__in=lawyer_ids)
    years = [r[0] for r in rows if r[0] != "undated"]
    return Figure(
        "lawyers",
        "Lawyers disbarred, detained and sentenced, by year",
        ("year", "what happened", "lawyers", "acts"),
        rows,
        "Acts against persons recorded with the profession lawyer (advocate): disbarment and "
        "licence suspension, arrest and detention, conviction and sentence.",
        sources_of_acts(all_acts, coverage),
        (min(years), max(years)) if years else (None, None),
    )


def ngo_liquidations(coverage: Coverage) -> Figure:
    """The Lawtrend series of NGOs liquidated or in liquidation (only the published points)."""
    stats = coverage.apply(
        Statistic.all_objects.filter(series=LAWTREND_SERIES, as_of__isnull=False)
    ).select_related("source")
    # A source the user may not view is not named, even beside a figure they may see.
    shown = set(
        coverage.apply(Source.all_objects.filter(pk__in=stats.values("source_id"))).values_list(
            "pk", flat=True
        )
    )
    rows = [
        (
            s.as_of.strftime("%Y-%m") if s.as_of_precision == "month" else s.as_of.isoformat(),
            int(s.value) if s.value == int(s.value) else float(s.value),
            s.get_qualifier_display(),
            (s.source.url or s.source.title) if s.source_id in shown else "",
        )
        for s in stats.order_by("as_of")
    ]
    return Figure(
        "ngo-liquidations",
        "NGOs liquidated or in liquidation since 2020 (cumulative)",
        ("month", "organisations", "qualifier", "source"),
        rows,
        "Lawtrend's monthly monitoring as published, one point per published month; months "
        "with no published figure are left empty, never interpolated.",
        sources_of(Statistic, stats, coverage, lead="Lawtrend monitoring as published"),
        (rows[0][0], rows[-1][0]) if rows else (None, None),
    )


def interventions(coverage: Coverage) -> Figure:
    """Interventions by type and by the state's response."""
    records = coverage.apply(Intervention.all_objects.all())
    counted = records.values("intervention_type_id", "state_response_id").annotate(n=Count("id"))
    labels = dict(
        Term.objects.filter(vocabulary__in=("intervention_type", "state_response")).values_list(
            "id", "label_en"
        )
    )
    rows = sorted(
        (
            (
                labels.get(r["intervention_type_id"], r["intervention_type_id"]),
                labels[r["state_response_id"]] if r["state_response_id"] else "not recorded",
                r["n"],
            )
            for r in counted
        ),
        key=lambda r: (-r[2], r[0], r[1]),
    )
    return Figure(
        "interventions",
        "International interventions and the state's responses",
        ("type of intervention", "state's response", "interventions"),
        rows,
        "Interventions in the record (UN, governments, bar associations, NGOs), by type and "
        "by the response of the state; 'not recorded' means no response is entered, which is "
        "not the same as a recorded absence of response.",
        sources_of(Intervention, records, coverage),
        _span(records),
    )


def solidarity_statements(coverage: Coverage) -> Figure:
    """Statements and letters of solidarity by kind, with the persons they concern."""
    from vigil.solidarity.models import Statement, StatementKind

    records = coverage.apply(Statement.all_objects.all())
    persons = coverage.apply(Person.all_objects.all()).values("pk")
    counted = records.values("kind").annotate(n=Count("id", distinct=True))
    concerned = dict(
        records.filter(persons__in=persons)
        .values("kind")
        .annotate(p=Count("persons", distinct=True))
        .values_list("kind", "p")
    )
    with translation.override("en"):
        labels = {k.value: str(k.label) for k in StatementKind}
    rows = sorted(
        (
            (labels.get(r["kind"], r["kind"]), r["n"], concerned.get(r["kind"], 0))
            for r in counted
        ),
        key=lambda r: (-r[1], r[0]),
    )
    return Figure(
        "solidarity-statements",
        "Statements and letters of solidarity",
        ("kind", "statements", "persons concerned"),
        rows,
        "Statements, letters and campaigns of solidarity in the record (bar associations, "
        "Lawyers for Lawyers, UN experts, governments), by kind; persons concerned counts the "
        "distinct persons a statement names directly (not through a case).",
        sources_of(Statement, records, coverage),
        _span(records),
    )


# The custody states as the report names them (definitions: ``records.custody``).
CUSTODY_LABELS = {
    "in_custody": "in custody",
    "term_ended_release_not_recorded": "term ended, release not recorded (custody unknown)",
    "restricted_liberty": "restricted liberty (khimiya, home confinement, house arrest)",
    "not_in_custody": "not in custody",
    "died_in_custody": "died in custody",
}


def custody_now(coverage: Coverage) -> Figure:
    """Persons by custody state today, derived from the covered acts (``records.custody``)."""
    acts = _victim_acts(coverage, *RELEVANT)
    counts = custody_counts(custody_by_person(acts).values())
    rows = [(CUSTODY_LABELS[c.value], counts[c.value]) for c in COUNTED if counts[c.value]]
    return Figure(
        "custody-now",
        "Persons by custody state today",
        ("custody state", "persons"),
        rows,
        "Derived from the recorded acts by one rule (see the glossary): in custody when the "
        "latest arrest, detention or sentence of deprivation of liberty has no later release "
        "and its term has not ended; a term that has ended with no release recorded is counted "
        "apart (custody unknown), never as in custody; restricted liberty apart from both.",
        sources_of_acts(acts, coverage),
        _span(acts),
    )


FIGURES: dict[str, Callable[[Coverage], Figure]] = {
    "custody-now": custody_now,
    "detained-by-month": detained_by_month,
    "sentences-by-article": sentences_by_article,
    "courts": courts,
    "judges": judges,
    "lawyers": lawyers,
    "ngo-liquidations": ngo_liquidations,
    "interventions": interventions,
    "solidarity-statements": solidarity_statements,
}


def figure(name: str, coverage: Coverage) -> Figure:
    """The figure called ``name`` over ``coverage`` (its user, ceiling and synthetic choice)."""
    if name not in FIGURES:
        raise ValidationFailed(f"No figure {name!r}; the figures are: {', '.join(FIGURES)}.")
    return FIGURES[name](coverage)


def all_figures(coverage: Coverage) -> list[Figure]:
    """Every figure of the report over ``coverage``, in report order."""
    with page_cache():
        return [build(coverage) for build in FIGURES.values()]
