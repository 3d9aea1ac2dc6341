"""Store an estimate with what it came from, and recompute it exactly from what was stored.

What is stored: the estimator's inputs (the overlap table, or the linked lists with their link
probabilities), the method, the seed actually used, the sampler settings, the versions of
Vigil, Python and the numerical libraries, and the command that reproduces it. Recomputing
runs the same function on the stored inputs; with the same versions it gives the same JSON,
number for number (the log-linear fits are deterministic, the samplers seeded).
"""

from __future__ import annotations

import platform
from dataclasses import asdict, replace
from importlib import metadata
from typing import TYPE_CHECKING, Any

from vigil.core.errors import ValidationFailed
from vigil.counting.estimate import Estimate, estimate
from vigil.counting.lcmcr import LcmcrSettings
from vigil.counting.table import OverlapTable
from vigil.counting.uncertain_links import LinkedLists, estimate_with_links

if TYPE_CHECKING:
    from vigil.accounts.types import User

LIBRARIES = ("vigil", "numpy", "scipy", "statsmodels")


def versions() -> dict[str, str]:
    """Versions of Python, Vigil and the libraries the estimators compute with."""
    found = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "unknown"
    return found


def table_inputs(table: OverlapTable) -> dict[str, Any]:
    """The overlap table as stored: list names and one row per pattern with its count."""
    return {
        "kind": "table",
        "lists": list(table.lists),
        "cells": [
            [*(int(b) for b in pattern), int(n)]
            for pattern, n in zip(table.patterns, table.counts, strict=True)
        ],
    }


def links_inputs(linked: LinkedLists, draws: int) -> dict[str, Any]:
    return {"kind": "links", "draws": draws, **linked.as_json()}


def table_from_inputs(inputs: dict[str, Any]) -> OverlapTable:
    """The overlap table the estimate used (for links: the point linkage's)."""
    if inputs.get("kind") == "links":
        from vigil.counting.uncertain_links import draw_table

        return draw_table(LinkedLists.from_json(inputs))
    if inputs.get("kind") != "table":
        raise ValidationFailed(f"stored inputs of unknown kind {inputs.get('kind')!r}")
    lists = tuple(inputs["lists"])
    counts = {tuple(int(b) for b in row[:-1]): int(row[-1]) for row in inputs["cells"]}
    return OverlapTable.from_counts(lists, counts)


def used_seed(result: Estimate) -> int | None:
    """The seed a run used (drawn when none was given), so that storing it repeats the run."""
    if result.linkage is not None:
        return int(result.linkage["seed"])
    if result.method == "lcmcr":
        return int(result.models[0]["seed"])
    return None


def settings_json(settings: LcmcrSettings | None, method: str) -> dict[str, Any]:
    return asdict(settings or LcmcrSettings()) if method == "lcmcr" else {}


def compute(
    inputs: dict[str, Any], method: str, seed: int | None, settings: dict[str, Any]
) -> Estimate:
    """Run the estimator on stored inputs: the one path both a first run and a recompute take."""
    lcmcr = replace(LcmcrSettings(), **settings) if settings else None
    if inputs.get("kind") == "links":
        return estimate_with_links(
            LinkedLists.from_json(inputs),
            method=method,
            draws=int(inputs["draws"]),
            seed=seed,
            lcmcr_settings=lcmcr,
        )
    return estimate(table_from_inputs(inputs), method=method, seed=seed, lcmcr_settings=lcmcr)


def store(
    result: Estimate,
    inputs: dict[str, Any],
    *,
    user: User,
    label: str,
    category: str,
    command: str,
    settings: dict[str, Any],
    period: str = "",
) -> Any:
    """Save ``result`` with its inputs as a StoredEstimate for ``user`` (through the policy)."""
    from vigil.counting.models import Category, StoredEstimate
    from vigil.policy.access import save_checked

    if not label.strip():
        raise ValidationFailed("an estimate is saved under a label: --save 'LABEL'")
    if category not in Category.values:
        raise ValidationFailed(
            f"unknown category {category!r}; use one of {', '.join(Category.values)}"
        )
    row = StoredEstimate(
        label=label.strip()[:200],
        category=category,
        period=period.strip()[:100],
        method=result.method,
        seed=used_seed(result),
        settings=settings,
        inputs=inputs,
        result=result.as_json(),
        observed=result.observed,
        estimate=result.estimate,
        interval_low=result.interval[0],
        interval_high=result.interval[1],
        level=result.level,
        versions=versions(),
        command=command,
    )
    return save_checked(user, "add", row)


def recompute(stored: Any) -> Estimate:
    """The stored estimate computed again from its stored inputs, method, seed and settings."""
    return compute(stored.inputs, stored.method, stored.seed, stored.settings)


def reproduces(stored: Any) -> tuple[bool, Estimate]:
    """Whether recomputing gives exactly the stored JSON, and the recomputed estimate."""
    again = recompute(stored)
    return again.as_json() == stored.result, again
