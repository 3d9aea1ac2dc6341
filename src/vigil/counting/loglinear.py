"""Log-linear models of the overlap table (Poisson GLM), chosen by AIC, with a profile interval.

Each model has an intercept, one main effect per list and a subset of the two-way interactions;
it is fitted by statsmodels' Poisson GLM to the 2^k - 1 observed cells. The fitted value of the
unobserved all-zero cell is exp(intercept), so the estimate of the total is observed + exp(b0).
With k ≤ 5 lists every subset of two-way terms is fitted (64 models for 4 lists, 1,024 for 5);
beyond that a stepwise search (add or drop the term that lowers AIC most) is used.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass

import numpy as np

from vigil.core.errors import ValidationFailed
from vigil.counting.table import OverlapTable

EXHAUSTIVE_MAX_LISTS = 5
# A model whose unobserved cell is beyond this many times the observed count is not estimable
# (the likelihood keeps rising as the intercept grows: a zero cell the model cannot explain).
MAX_RATIO = 1e4
# A list or interaction coefficient this large sits on the boundary (an empty margin the model
# explains by an infinite effect): the fit is not a proper maximum and is left out.
MAX_EFFECT = 15.0

Pair = tuple[int, int]


@dataclass(frozen=True)
class LoglinearFit:
    """One fitted model: its two-way terms, the estimate of the total, AIC and BIC."""

    pairs: tuple[Pair, ...]
    unobserved: float
    estimate: float
    llf: float
    aic: float
    bic: float
    parameters: int


@dataclass(frozen=True)
class LoglinearResult:
    """The models ranked by AIC, the chosen one and its 95% profile-likelihood interval."""

    fits: tuple[LoglinearFit, ...]
    chosen: LoglinearFit
    interval: tuple[float, float]
    level: float
    search: str
    not_estimable: int


def fit_loglinear(table: OverlapTable, level: float = 0.95) -> LoglinearResult:
    """Fit the hierarchical two-way models, choose by AIC, profile the chosen model's intercept."""
    k = len(table.lists)
    candidates = list(itertools.combinations(range(k), 2))
    fits: dict[tuple[Pair, ...], LoglinearFit | None] = {}
    if k <= EXHAUSTIVE_MAX_LISTS:
        search = f"all {2 ** len(candidates)} subsets of the {len(candidates)} two-way terms"
        for size in range(len(candidates) + 1):
            for pairs in itertools.combinations(candidates, size):
                fits[pairs] = _fit(table, pairs)
    else:
        search = "stepwise (add or drop one two-way term while AIC falls)"
        _stepwise(table, candidates, fits)
    good = sorted((f for f in fits.values() if f is not None), key=lambda f: f.aic)
    if not good:
        raise ValidationFailed(
            "no log-linear model could be fitted to this table (too many empty cells)"
        )
    chosen = good[0]
    interval = profile_interval(table, chosen, level)
    return LoglinearResult(
        fits=tuple(good),
        chosen=chosen,
        interval=interval,
        level=level,
        search=search,
        not_estimable=sum(1 for f in fits.values() if f is None),
    )


def akaike_weights(fits: tuple[LoglinearFit, ...]) -> list[float]:
    """exp(-ΔAIC/2), normalised: the relative support of each model among those fitted."""
    best = min(f.aic for f in fits)
    raw = [math.exp(-(f.aic - best) / 2) for f in fits]
    total = sum(raw)
    return [w / total for w in raw]


def term_names(lists: tuple[str, ...], pairs: tuple[Pair, ...]) -> list[str]:
    return [f"{lists[a]}:{lists[b]}" for a, b in pairs]


def design(table: OverlapTable, pairs: tuple[Pair, ...]) -> np.ndarray:
    """Columns: intercept, main effects, then the chosen two-way products."""
    x = table.patterns.astype(float)
    columns = [np.ones(len(x)), *x.T, *(x[:, a] * x[:, b] for a, b in pairs)]
    return np.column_stack(columns)


def _fit(table: OverlapTable, pairs: tuple[Pair, ...]) -> LoglinearFit | None:
    exog = design(table, pairs)
    cells, parameters = exog.shape
    if parameters > cells or np.linalg.matrix_rank(exog) < parameters:
        return None
    result = _glm(table.counts, exog, offset=None)
    if result is None:
        return None
    unobserved = float(np.exp(result.params[0]))
    if not np.isfinite(unobserved) or unobserved > MAX_RATIO * table.observed:
        return None
    if np.abs(result.params[1:]).max() > MAX_EFFECT:
        return None
    llf = float(result.llf)
    return LoglinearFit(
        pairs=pairs,
        unobserved=unobserved,
        estimate=table.observed + unobserved,
        llf=llf,
        aic=2 * parameters - 2 * llf,
        bic=parameters * math.log(cells) - 2 * llf,
        parameters=parameters,
    )


def _glm(counts: np.ndarray, exog: np.ndarray, offset: np.ndarray | None):
    """Poisson GLM fit, or None when it does not converge to finite values."""
    # statsmodels and scipy cost about a second to import: every command and worker would pay it
    # at start-up, so they load when a model is first fitted.
    import statsmodels.api as sm
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = sm.GLM(counts, exog, family=sm.families.Poisson(), offset=offset).fit(
                maxiter=200, tol=1e-10
            )
        except (ValueError, np.linalg.LinAlgError, FloatingPointError):
            return None
    if not result.converged or not np.all(np.isfinite(result.params)):
        return None
    return result


def multinomial_llf(table: OverlapTable, pairs: tuple[Pair, ...], total: float) -> float:
    """Log-likelihood of a total N under the model: the full 2^k table with N - n persons in the
    empty cell is multinomial; its cell probabilities are the Poisson fit's, maximised for this N
    (Cormack 1992). Constant terms (the observed cells' factorials) are left out."""
    from scipy.special import gammaln

    missing = total - table.observed
    exog = np.vstack([design(table, pairs), _empty_row(len(table.lists), len(pairs))])
    counts = np.append(table.counts.astype(float), missing)
    result = _glm(counts, exog, offset=None)
    if result is None:
        return -math.inf
    with np.errstate(divide="ignore"):
        log_p = np.log(result.mu / result.mu.sum())
    occupied = counts > 0
    return float(
        gammaln(total + 1) - gammaln(missing + 1) + (counts[occupied] * log_p[occupied]).sum()
    )


def _empty_row(k: int, interactions: int) -> np.ndarray:
    row = np.zeros(1 + k + interactions)
    row[0] = 1.0
    return row


def profile_interval(
    table: OverlapTable, fit: LoglinearFit, level: float = 0.95
) -> tuple[float, float]:
    """Profile-likelihood interval for the total N: the N whose multinomial log-likelihood
    (``multinomial_llf``) is within chi2(1, level)/2 of its maximum."""
    from scipy.optimize import brentq, minimize_scalar
    from scipy.stats import chi2

    cut = chi2.ppf(level, 1) / 2
    n = table.observed

    def llf(total: float) -> float:
        return multinomial_llf(table, fit.pairs, total)

    try:
        top = minimize_scalar(
            lambda t: -llf(t),
            bracket=(max(n + 1e-6, fit.estimate * 0.9), fit.estimate, fit.estimate * 1.1),
            tol=1e-10,
        )
    except ValueError:
        # The maximum sits at (or next to) the observed count, where no bracket around the
        # estimate exists (a small table with almost no one unobserved): search the bounds.
        top = minimize_scalar(
            lambda t: -llf(t),
            bounds=(n + 1e-6, max(2.0 * fit.estimate, n + 2.0)),
            method="bounded",
            options={"xatol": 1e-8},
        )
    peak, best = float(top.x), -float(top.fun)

    def gap(total: float) -> float:
        return best - llf(total) - cut

    low = float(n) if gap(float(n)) <= 0 else brentq(gap, float(n), peak, xtol=1e-3)
    step, inner, outer = peak - n + 1.0, peak, 2 * peak - n + 1.0
    while gap(outer) < 0:
        inner, outer, step = outer, outer + 2 * step, 2 * step
        if outer > MAX_RATIO * n:
            raise ValidationFailed(
                "the interval of the chosen log-linear model is unbounded "
                "(the table cannot pin down the unobserved cell)"
            )
    high = brentq(gap, inner, outer, xtol=1e-3)
    return low, high


def _stepwise(
    table: OverlapTable,
    candidates: list[Pair],
    fits: dict[tuple[Pair, ...], LoglinearFit | None],
) -> None:
    def fitted(pairs: tuple[Pair, ...]) -> LoglinearFit | None:
        key = tuple(sorted(pairs))
        if key not in fits:
            fits[key] = _fit(table, key)
        return fits[key]

    current: tuple[Pair, ...] = ()
    best = fitted(current)
    if best is None:
        return
    while True:
        moves = [tuple(sorted((*current, p))) for p in candidates if p not in current]
        moves += [tuple(q for q in current if q != p) for p in current]
        scored = [f for f in (fitted(m) for m in moves) if f is not None]
        better = min(scored, key=lambda f: f.aic, default=None)
        if better is None or better.aic >= best.aic - 1e-9:
            return
        best, current = better, better.pairs
