"""What the risk pages show, read through the policy: the at-risk list, a person's panel, the
model card. Each function that returns a person's score audits the view (``risk_view``, who
and how many, never the score). Callers check the role first (``require_risk``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vigil.accounts.auditing import audit
from vigil.core.chunks import chunked
from vigil.policy.access import may_see_risk, restrict
from vigil.records.models import Act, Person
from vigil.records.precursors import PRECURSOR_ACT_TYPES
from vigil.warning.charts import signal_strip, sparkline
from vigil.warning.models import ModelFit, RiskScore, WatchedPerson

if TYPE_CHECKING:
    from vigil.accounts.types import User

TREND_FITS = 12


def signal_label(signal: str) -> str:
    """A reader's words for a model signal (``n_search`` → "search")."""
    from vigil.warning import labels

    return str(labels.LABELS.get(signal, signal.removeprefix("n_").replace("_", " ")))


def latest_fit(user: User) -> ModelFit | None:
    """The most recent stored fit ``user`` may see (risk roles only)."""
    return restrict(user, "view", ModelFit.objects.all()).order_by("-fitted_at", "-id").first()


@dataclass
class Source:
    act: str
    person: str | None
    date: dt.date | None
    kind: str


@dataclass
class Reason:
    signal: str
    label: str
    value: float
    weight: float
    sources: list[Source] = field(default_factory=list)
    hidden: int = 0  # source acts the viewer may not view


@dataclass
class Row:
    person: Person
    score: RiskScore
    trend: Any
    change: float | None
    reasons: list[Reason]
    entry: WatchedPerson | None


def _sources(user: User, ids: Iterable[str]) -> dict[str, Source]:
    ids = sorted({i for i in ids if i})
    found: dict[str, Source] = {}
    for chunk in chunked(ids, 900):
        acts = restrict(user, "view", Act.objects.filter(pk__in=chunk))
        for pk, person, date, kind in acts.values_list(
            "pk", "victim_person_id", "date", "act_type__key"
        ):
            found[str(pk)] = Source(str(pk), str(person) if person else None, date, kind)
    return found


def _reasons(score: RiskScore, sources: dict[str, Source]) -> list[Reason]:
    out = []
    for r in score.reasons:
        shown = [sources[a] for a in r.get("records", []) if a in sources]
        out.append(
            Reason(
                r["signal"],
                signal_label(r["signal"]),
                r["value"],
                r["weight"],
                shown,
                len(r.get("records", [])) - len(shown),
            )
        )
    return out


History = dict[str, list[tuple[dt.date, float]]]


def _history(user: User, fit: ModelFit, persons: list[Any]) -> History:
    rows = restrict(
        user,
        "view",
        RiskScore.objects.filter(
            person__in=persons, fit__horizon_days=fit.horizon_days, fit__outcome=fit.outcome,
            fit__fitted_at__lte=fit.fitted_at,
        ),
    ).order_by("fit__fitted_at", "fit_id")  # fmt: skip
    out: dict[str, list[tuple[dt.date, float]]] = defaultdict(list)
    for person, as_of, p in rows.values_list("person_id", "fit__as_of", "probability"):
        out[str(person)].append((as_of, p))
    return {k: v[-TREND_FITS:] for k, v in out.items()}


def scores_of(user: User, fit: ModelFit, only: str = "") -> QuerySet[RiskScore]:
    """The fit's scores ``user`` may see; ``only="above"`` keeps those over the threshold."""
    rows = restrict(user, "view", RiskScore.objects.filter(fit=fit)).select_related("person")
    if only == "above":
        rows = rows.filter(above_threshold=True)
    return rows.order_by("-probability", "person_id")


def rows_for(
    user: User, fit: ModelFit, scores: Iterable[RiskScore], route: str, action: str = "list"
) -> list[Row]:
    """The page's rows with trend, reasons and their sources; the view is audited."""
    scores = list(scores)
    persons = [s.person_id for s in scores]
    history = _history(user, fit, persons)
    sources = _sources(user, (a for s in scores for r in s.reasons for a in r.get("records", [])))
    entries = {
        e.person_id: e
        for e in restrict(user, "view", WatchedPerson.objects.filter(person__in=persons))
    }
    rows = []
    for s in scores:
        points = history.get(str(s.person_id), [])
        change = points[-1][1] - points[-2][1] if len(points) >= 2 else None
        rows.append(
            Row(
                person=s.person,
                score=s,
                trend=sparkline(points, fit.threshold, label=_("Risk over the stored fits")),
                change=change,
                reasons=_reasons(s, sources),
                entry=entries.get(s.person_id),
            )
        )
    if action == "list":
        audit("risk_view", actor=user, action="list", count=len(rows), route=route)
    return rows


@dataclass
class Panel:
    fit: ModelFit | None
    row: Row | None
    entry: WatchedPerson | None
    signals: list[Source]
    strip: Any


def person_panel(
    user: User, person: Person, acts: Iterable[Act] | None = None
) -> Panel | None:
    """The risk panel of a person page, or None for a role that may not see risk scores.

    ``acts``: the acts against ``person`` that ``user`` may view, with their types, when the
    caller has read them (the profile's timeline); else the precursors are read here.
    """
    if not may_see_risk(user):
        return None
    fit = latest_fit(user)
    score = (
        restrict(user, "view", RiskScore.objects.filter(fit=fit, person=person))
        .select_related("person")
        .first()
        if fit
        else None
    )
    row = rows_for(user, fit, [score], "person panel", "panel")[0] if fit and score else None
    if row is not None:
        audit("risk_view", actor=user, obj=person, action="panel", count=1, route="person panel")
    entry = restrict(user, "view", WatchedPerson.objects.filter(person=person)).first()
    if acts is None:
        precursors = list(
            restrict(
                user,
                "view",
                Act.objects.filter(victim_person=person, act_type__key__in=PRECURSOR_ACT_TYPES,
                                   date__isnull=False),  # fmt: skip
            )
            .order_by("date")
            .select_related("act_type")
        )
    else:
        precursors = sorted(
            (a for a in acts if a.act_type.key in PRECURSOR_ACT_TYPES and a.date is not None),
            key=lambda a: a.date,
        )
    signals = [Source(str(a.pk), str(person.pk), a.date, str(a.act_type)) for a in precursors]
    strip = None
    points = [(s.date, s.kind) for s in signals if s.date is not None]  # all: dated acts
    if points:
        start = points[0][0]
        # To the date of the scores (the record's "now"), or today without a fit.
        end = max(fit.as_of if fit else timezone.localdate(), points[-1][0])
        strip = signal_strip(points, start, end, label=_("Signals over time"))
    return Panel(fit, row, entry, signals, strip)
