"""`vigil warning score`: score the population today, store the scores, their reasons and the fit.

Reads the record through the policy for the acting user (``loading``), adds the register's
watched persons and leaves out those marked relocated, safe or arrested, scores with
:func:`vigil.warning.current.score_current`, optionally runs the backtest for the model card,
and stores it all in one transaction: a :class:`ModelFit`, one :class:`RiskScore` per person
(history: each run adds a fit, so a trend can be shown). Persons whose score is at or above
the alert threshold now but was not in the previous fit of the same horizon and outcome notify
their watchers (``risk.threshold``). Audited as ``risk_model`` / ``score`` with a count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from vigil.accounts.auditing import audit
from vigil.core.errors import ValidationFailed
from vigil.policy.access import require_risk, restrict
from vigil.warning.backtest import BacktestConfig, BacktestFailed, run_backtest
from vigil.warning.current import describe_record, score_current
from vigil.warning.links import confirmed_aliases
from vigil.warning.loading import Include, load_record, name_links
from vigil.warning.model import MIN_EVENTS
from vigil.warning.models import ModelFit, RegisterStatus, RiskScore, WatchedPerson
from vigil.warning.outcomes import Outcome

if TYPE_CHECKING:
    from vigil.accounts.types import User

LINK_MODES = ("names", "confirmed", "none")
Progress = Callable[[Iterable[Any]], Iterable[Any]]


@dataclass(frozen=True)
class Scoring:
    """One run of :func:`run_scoring`: the stored fit, the persons who crossed the alert
    threshold since the previous fit (ids, sorted) and how many notifications that wrote."""

    fit: ModelFit
    crossed: list[str]
    notified: int


def aliases_for(user: User, links: str, include: Include) -> dict[str, str]:
    """Persons counted as one: offered (names), human-confirmed, or none."""
    if links not in LINK_MODES:
        raise ValidationFailed(f"--links must be one of {', '.join(LINK_MODES)}.")
    if include is Include.SYNTHETIC or links == "none":
        return {}
    return name_links(user) if links == "names" else confirmed_aliases(user)


def run_scoring(
    user: User,
    *,
    at: dt.date | None = None,
    horizon_days: int = 90,
    outcome: Outcome = Outcome.CRIMINAL,
    links: str = "names",
    include: Include = Include.REAL,
    backtest: bool = True,
    bootstrap: int = 200,
    progress: Progress = lambda xs: xs,
) -> Scoring:
    """Score, store and notify; the stored fit and who crossed the threshold."""
    require_risk(user, "add", route="warning score")
    at = at or timezone.localdate()
    record = load_record(user, include)
    aliases = aliases_for(user, links, include)
    record.merge_persons(aliases, links)
    register = restrict(user, "view", WatchedPerson.objects.all())
    watched = {
        aliases.get(str(p), str(p))
        for p in register.filter(status=RegisterStatus.WATCHED).values_list("person", flat=True)
    }
    closed = {
        aliases.get(str(p), str(p))
        for p in register.exclude(status=RegisterStatus.WATCHED).values_list("person", flat=True)
    }
    current = score_current(
        record, at, horizon_days, outcome, also=watched, leave_out=closed
    )
    figures: dict[str, Any] = {}
    if backtest:
        try:
            # Cut-offs whose horizon closed by the date of the scores: nothing after it is read.
            last = at - dt.timedelta(days=horizon_days)
            config = BacktestConfig(
                horizon_days=horizon_days, outcome=outcome, bootstrap=bootstrap, end=last
            )
            figures = run_backtest(record, config, progress)
        except BacktestFailed as exc:
            # The English text (as the command prints it), and the reason's code and figures
            # the model card writes it again from, in the page's language.
            figures = {"error": exc.message, "error_code": exc.code, "error_values": exc.values}
        except ValidationFailed as exc:
            figures = {"error": exc.message}
    with transaction.atomic():
        previous = (
            ModelFit.objects.filter(horizon_days=horizon_days, outcome=outcome.value)
            .order_by("-fitted_at", "-id")
            .first()
        )
        fit = ModelFit.objects.create(
            fitted_at=timezone.now(),
            as_of=at,
            horizon_days=horizon_days,
            outcome=outcome.value,
            links=links,
            method=current.method,
            training_rows=current.training_rows,
            training_events=current.training_events,
            min_events=MIN_EVENTS,
            population=len(current.scores),
            threshold=current.threshold,
            note=current.note,
            coefficients=current.coefficients,
            data={**describe_record(record, at), "records": include.value},
            backtest=figures,
            by=user,
        )
        RiskScore.objects.bulk_create(
            [
                RiskScore(
                    fit=fit,
                    person_id=s.person,
                    probability=s.probability,
                    above_threshold=s.above_threshold,
                    reasons=s.reasons,
                    last_signal_on=s.last_signal_on,
                    last_signal_act=s.last_signal_act,
                )
                for s in current.scores
            ],
            batch_size=500,
        )
        above = {s.person for s in current.scores if s.above_threshold}
        before: set[str] = set()
        if previous is not None:
            before = {
                str(p)
                for p in previous.scores.filter(above_threshold=True).values_list(
                    "person", flat=True
                )
            }
        crossed = sorted(above - before)
        notified = _notify(crossed, fit)
        audit("risk_model", actor=user, action="score", count=len(current.scores),
              route="cli:warning score")  # fmt: skip
    return Scoring(fit=fit, crossed=crossed, notified=notified)


def _notify(persons: list[str], fit: ModelFit) -> int:
    from vigil.alerts.events import risk_threshold_crossed

    return risk_threshold_crossed(persons, f"fit{fit.pk}")
