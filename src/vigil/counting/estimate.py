"""One entry point for both estimators and the one shape of their answer (JSON and text)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from vigil.core.errors import ValidationFailed
from vigil.counting.lcmcr import LcmcrSettings, fit_lcmcr
from vigil.counting.loglinear import akaike_weights, fit_loglinear, term_names
from vigil.counting.table import OverlapTable

METHODS = ("loglinear", "lcmcr")
LEVEL = 0.95
# How many of the best log-linear models the sensitivity line covers.
TOP_MODELS = 5


@dataclass(frozen=True)
class Estimate:
    """The estimate of the total with its interval, and what it rests on."""

    observed: int
    estimate: float
    interval: tuple[float, float]
    level: float
    method: str
    models: list[dict[str, Any]]
    interval_kind: str
    seconds: float
    notes: list[str]
    #: How linkage uncertainty was carried (``uncertain_links.estimate_with_links``), if it was.
    linkage: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        """The documented JSON shape: observed, estimate, interval, level, method, models."""
        out = {
            "observed": self.observed,
            "estimate": round(self.estimate, 1),
            "interval": [round(self.interval[0], 1), round(self.interval[1], 1)],
            "level": self.level,
            "method": self.method,
            "models": self.models,
        }
        if self.linkage is not None:
            out["linkage"] = self.linkage
        return out

    def as_text(self) -> str:
        """A readable summary: the number, its interval, the model behind it, its sensitivity."""
        low, high = self.interval
        lines = [
            f"Observed on at least one list: {self.observed:,}",
            f"Estimated total ({self.method}): {self.estimate:,.0f}",
            f"{self.level:.0%} interval: {low:,.0f} – {high:,.0f} ({self.interval_kind})",
            f"Never on any list (estimated): {self.estimate - self.observed:,.0f}",
        ]
        lines += self.notes
        lines.append(f"Computed in {self.seconds:.1f} s.")
        return "\n".join(lines)


def estimate(
    table: OverlapTable,
    method: str = "loglinear",
    seed: int | None = None,
    lcmcr_settings: LcmcrSettings | None = None,
) -> Estimate:
    """Estimate the total population from the overlap table with ``method`` (see METHODS)."""
    if method not in METHODS:
        raise ValidationFailed(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    started = time.perf_counter()
    if method == "loglinear":
        result = _loglinear(table)
    else:
        result = _lcmcr(table, seed, lcmcr_settings)
    return Estimate(**result, seconds=time.perf_counter() - started)


def _loglinear(table: OverlapTable) -> dict[str, Any]:
    fitted = fit_loglinear(table, LEVEL)
    weights = akaike_weights(fitted.fits)
    best_aic = fitted.chosen.aic
    models = [
        {
            "terms": term_names(table.lists, fit.pairs),
            "estimate": round(fit.estimate, 1),
            "aic": round(fit.aic, 2),
            "bic": round(fit.bic, 2),
            "delta_aic": round(fit.aic - best_aic, 2),
            "weight": round(weight, 4),
            "chosen": fit is fitted.chosen,
        }
        for fit, weight in zip(fitted.fits, weights, strict=True)
    ]
    top = [f.estimate for f in fitted.fits[:TOP_MODELS]]
    every = [f.estimate for f in fitted.fits]
    by_bic = min(fitted.fits, key=lambda f: f.bic)
    chosen_terms = ", ".join(term_names(table.lists, fitted.chosen.pairs)) or "none"
    notes = [
        f"Chosen by AIC among {fitted.search}: main effects + two-way terms [{chosen_terms}]"
        f" (AIC {fitted.chosen.aic:.1f}, BIC {fitted.chosen.bic:.1f}).",
        f"Lowest BIC: {by_bic.estimate:,.0f}"
        + (" (the same model)." if by_bic is fitted.chosen else " (a different model)."),
        f"Model sensitivity: the {len(top)} best models by AIC give {min(top):,.0f} – "
        f"{max(top):,.0f}; all {len(every)} fitted models give {min(every):,.0f} – "
        f"{max(every):,.0f}.",
    ]
    notes.append(f"The {len(top)} best models (two-way terms, estimate, ΔAIC, Akaike weight):")
    notes += [
        f"  {', '.join(term_names(table.lists, fit.pairs)) or '(independence)'}: "
        f"{fit.estimate:,.0f}, ΔAIC {fit.aic - best_aic:.1f}, weight {weight:.3f}"
        for fit, weight in list(zip(fitted.fits, weights, strict=True))[:TOP_MODELS]
    ]
    if fitted.not_estimable:
        notes.append(
            f"{fitted.not_estimable} models could not be estimated (empty cells) and were left out."
        )
    notes.append(
        "Assumes a closed population, lists whose dependence the two-way terms capture, "
        "and no three-way or higher interaction."
    )
    return {
        "observed": table.observed,
        "estimate": fitted.chosen.estimate,
        "interval": fitted.interval,
        "level": LEVEL,
        "method": "loglinear",
        "models": models,
        "interval_kind": "profile likelihood for N, chosen model, multinomial (Cormack 1992)",
        "notes": notes,
    }


#: Convergence is doubted below this ESS or above this split R-hat.
MIN_ESS = 100
MAX_RHAT = 1.05


def _lcmcr(
    table: OverlapTable, seed: int | None, settings: LcmcrSettings | None
) -> dict[str, Any]:
    fitted = fit_lcmcr(table, seed=seed, settings=settings, level=LEVEL)
    s = fitted.settings
    diagnostics = {
        k: (None if isinstance(v, float) and math.isnan(v) else v)
        for k, v in fitted.diagnostics.items()
    }
    model = {
        "model": "LCMCR (Manrique-Vallier 2016)",
        "classes": s.classes,
        "alpha_prior": [s.alpha_shape, s.alpha_rate],
        "chains": s.chains,
        "burn_in": s.burn_in,
        "samples": s.samples,
        "thin": s.thin,
        "seed": fitted.seed,
        "posterior_mean": round(float(np.mean(fitted.draws)), 1),
        **diagnostics,
    }
    rhat = diagnostics.get("split_rhat")
    ess = float(diagnostics["ess"])  # type: ignore[arg-type]
    converged = ess >= MIN_ESS and (rhat is None or float(rhat) <= MAX_RHAT)  # type: ignore[arg-type]
    model["converged"] = converged
    warn = []
    if not converged:
        warn.append(
            "Warning: the chains may not have converged (split R-hat > 1.05 or ESS < 100); "
            "run longer before publishing this figure."
        )
    notes = [
        f"Posterior median of {s.chains} chains × {s.samples} draws (burn-in {s.burn_in}, "
        f"thinning {s.thin}, K* = {s.classes} classes, seed {fitted.seed}: "
        f"--seed {fitted.seed} repeats this run).",
        f"Convergence: ESS {diagnostics['ess']}, split R-hat {rhat}, "
        f"Geweke z {diagnostics['geweke_z']}; "
        f"{diagnostics['occupied_classes_mean']} classes occupied on average.",
        *warn,
        "Assumes a closed population and lists independent within each latent class "
        "(heterogeneity of capture is what the classes model).",
    ]
    return {
        "observed": table.observed,
        "estimate": fitted.median,
        "interval": fitted.interval,
        "level": LEVEL,
        "method": "lcmcr",
        "models": [model],
        "interval_kind": "equal-tailed posterior credible interval",
        "notes": notes,
    }
