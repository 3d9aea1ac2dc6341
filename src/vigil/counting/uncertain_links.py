"""Linkage uncertainty carried into the estimate (after Sadinle 2018).

Linked lists are records (list, id) and links between records of different lists, each with
its match probability. The *point linkage* takes the links of probability ≥ 0.5, likeliest
first. Each *draw* instead keeps every link with its own probability (a Bernoulli draw, links
visited in a random order); in both, a link that would put two records of the same list in one
person is refused (each person at most once per list), and persons are the connected records.
Every draw gives an overlap table; the estimator runs once per distinct table and the draws'
answers are combined:

- LCMCR: the posterior draws of N of every linkage draw are pooled (the linkage draws
  integrate the posterior over the links, as in Sadinle's multiple imputation of links);
- log-linear: each table's answer is a distribution on log N whose median is the estimate and
  whose 2.5% / 97.5% quantiles are its profile-likelihood interval (a normal on each side of
  the median, with its own spread); the combined estimate and interval are the median and
  quantiles of the mixture of the draws.

When every draw gives the same table (all probabilities 0 or 1), the answer is exactly the
plain estimate of that table.
"""

from __future__ import annotations

import math
import secrets
import time
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from vigil.core.errors import ValidationFailed
from vigil.counting.estimate import LEVEL, Estimate, estimate
from vigil.counting.lcmcr import LcmcrSettings, fit_lcmcr
from vigil.counting.table import OverlapTable

#: Linkage draws by default: enough for the spread of a few uncertain links.
DEFAULT_DRAWS = 20
#: The point linkage keeps links at or above this probability.
POINT_PROBABILITY = 0.5

Record = tuple[str, str]  # (list name, id on that list)


@dataclass(frozen=True)
class Link:
    """A possible link between two records of different lists and its match probability."""

    a: Record
    b: Record
    probability: float


@dataclass(frozen=True)
class LinkedLists:
    """The records of each list and the possible links between them."""

    members: dict[str, tuple[str, ...]]
    links: tuple[Link, ...]

    @property
    def lists(self) -> tuple[str, ...]:
        return tuple(self.members)

    def as_json(self) -> dict[str, Any]:
        return {
            "members": {name: list(ids) for name, ids in self.members.items()},
            "links": [[*link.a, *link.b, link.probability] for link in self.links],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkedLists:
        members = {str(k): tuple(str(i) for i in v) for k, v in data["members"].items()}
        links = tuple(
            Link((str(a), str(i)), (str(b), str(j)), float(p)) for a, i, b, j, p in data["links"]
        )
        return checked(cls(members, links))


def checked(linked: LinkedLists) -> LinkedLists:
    """Refuse links to unknown records, links within one list and probabilities outside 0–1."""
    if len(linked.members) < 2:
        raise ValidationFailed("linked lists: at least two lists are needed")
    known = {(name, i) for name, ids in linked.members.items() for i in ids}
    for link in linked.links:
        for record in (link.a, link.b):
            if record not in known:
                raise ValidationFailed(f"linked lists: a link names an unknown record {record}")
        if link.a[0] == link.b[0]:
            raise ValidationFailed(f"linked lists: a link within one list ({link.a[0]})")
        if not 0.0 <= link.probability <= 1.0 or math.isnan(link.probability):
            raise ValidationFailed(
                f"linked lists: probability {link.probability} is not between 0 and 1"
            )
    return linked


def draw_table(linked: LinkedLists, rng: np.random.Generator | None = None) -> OverlapTable:
    """The overlap table of the point linkage (``rng`` None) or of one random linkage draw."""
    index = {
        (name, i): n
        for n, (name, i) in enumerate(
            (name, i) for name, ids in linked.members.items() for i in ids
        )
    }
    list_of = [name for name, ids in linked.members.items() for _ in ids]
    position = {name: j for j, name in enumerate(linked.lists)}
    parent = list(range(len(index)))
    lists_in = [{list_of[n]} for n in range(len(index))]

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    if rng is None:
        chosen = sorted(
            (link for link in linked.links if link.probability >= POINT_PROBABILITY),
            key=lambda link: (-link.probability, link.a, link.b),
        )
    else:
        chosen = _draw_links(linked.links, rng)
    for link in chosen:
        ra, rb = root(index[link.a]), root(index[link.b])
        if ra == rb or lists_in[ra] & lists_in[rb]:
            continue  # already one person, or a list would hold the person twice
        parent[rb] = ra
        lists_in[ra] |= lists_in[rb]
    patterns: Counter[tuple[int, ...]] = Counter()
    for n in range(len(index)):
        if root(n) == n:
            bits = [0] * len(position)
            for name in lists_in[n]:
                bits[position[name]] = 1
            patterns[tuple(bits)] += 1
    return OverlapTable.from_counts(linked.lists, dict(patterns))


def _draw_links(links: tuple[Link, ...], rng: np.random.Generator) -> list[Link]:
    """One draw of the links: a record's competing links to one other list are exclusive —
    at most one is kept, each with its probability (scaled down when they add up to more than
    1); the kept links come back in random order."""
    groups: dict[tuple[Record, str], list[Link]] = {}
    for link in links:
        groups.setdefault((link.a, link.b[0]), []).append(link)
    kept = []
    for group in groups.values():
        total = sum(link.probability for link in group)
        scale = max(1.0, total)
        pick = rng.random() * scale
        for link in group:
            if pick < link.probability:
                kept.append(link)
                break
            pick -= link.probability
    return [kept[k] for k in rng.permutation(len(kept))]


def estimate_with_links(
    linked: LinkedLists,
    method: str = "loglinear",
    draws: int = DEFAULT_DRAWS,
    seed: int | None = None,
    lcmcr_settings: LcmcrSettings | None = None,
) -> Estimate:
    """The estimate with the linkage's uncertainty in its interval (see the module)."""
    if draws < 1:
        raise ValidationFailed("linkage draws must be at least 1")
    started = time.perf_counter()
    seed = secrets.randbits(32) if seed is None else seed
    rng = np.random.default_rng(seed)
    point_table = draw_table(linked)
    tables = [draw_table(linked, rng) for _ in range(draws)]
    distinct: dict[bytes, tuple[OverlapTable, int]] = {}
    for table in tables:
        key = table.counts.tobytes()
        previous = distinct.get(key)
        distinct[key] = (table, (previous[1] if previous else 0) + 1)
    plain = estimate(point_table, method=method, seed=seed, lcmcr_settings=lcmcr_settings)
    observed = [t.observed for t in tables]
    summary: dict[str, Any] = {
        "draws": draws,
        "distinct_tables": len(distinct),
        "seed": seed,
        "links": len(linked.links),
        "uncertain_links": sum(0.0 < link.probability < 1.0 for link in linked.links),
        "observed_range": [min(observed), max(observed)],
        "interval_if_links_certain": [round(plain.interval[0], 1), round(plain.interval[1], 1)],
        "estimate_if_links_certain": round(plain.estimate, 1),
    }
    only = next(iter(distinct.values()))[0]
    if len(distinct) == 1 and np.array_equal(only.counts, point_table.counts):
        # Every draw is the point linkage: nothing uncertain to carry.
        note = f"Linkage: {draws} draws all gave the same overlap table (no uncertain links)."
        return replace(plain, linkage=summary, notes=[*plain.notes, note])
    if method == "lcmcr":
        point, interval, per_table = _pooled_lcmcr(distinct, seed, lcmcr_settings)
    else:
        point, interval, per_table = _mixed_loglinear(distinct, method)
    summary["estimates_range"] = [round(min(per_table), 1), round(max(per_table), 1)]
    notes = [
        *plain.notes,
        f"Linkage uncertainty: {draws} linkage draws (seed {seed}) gave {len(distinct)} "
        f"different overlap tables; {min(observed):,} – {max(observed):,} persons observed, "
        f"estimates {min(per_table):,.0f} – {max(per_table):,.0f}.",
        f"With the links taken as certain: {plain.estimate:,.0f}, interval "
        f"{plain.interval[0]:,.0f} – {plain.interval[1]:,.0f}; the interval above carries the "
        "linkage's uncertainty.",
    ]
    return Estimate(
        observed=point_table.observed,
        estimate=point,
        interval=interval,
        level=LEVEL,
        method=method,
        models=plain.models,
        interval_kind=plain.interval_kind + ", combined over linkage draws",
        seconds=time.perf_counter() - started,
        notes=notes,
        linkage=summary,
    )


def _pooled_lcmcr(
    distinct: dict[bytes, tuple[OverlapTable, int]],
    seed: int,
    settings: LcmcrSettings | None,
) -> tuple[float, tuple[float, float], list[float]]:
    pooled = []
    medians = []
    for n, (table, weight) in enumerate(distinct.values()):
        fitted = fit_lcmcr(table, seed=seed + n, settings=settings, level=LEVEL)
        medians.append(fitted.median)
        pooled.append(np.repeat(fitted.draws.reshape(-1), weight))
    draws = np.concatenate(pooled)
    tail = (1 - LEVEL) / 2
    low, high = np.quantile(draws, [tail, 1 - tail])
    return float(np.median(draws)), (float(low), float(high)), medians


def _mixed_loglinear(
    distinct: dict[bytes, tuple[OverlapTable, int]], method: str
) -> tuple[float, tuple[float, float], list[float]]:
    # scipy here, not at the top: the URL conf and every `vigil` command import this module
    # (through the stored link runs), and scipy.stats alone costs 0.7 s to import.
    from scipy.optimize import brentq
    from scipy.stats import norm

    z = float(norm.ppf(1 - (1 - LEVEL) / 2))
    centre, left, right, weights, points = [], [], [], [], []
    for table, weight in distinct.values():
        result = estimate(table, method=method)
        m = math.log(result.estimate)
        centre.append(m)
        left.append(max((m - math.log(result.interval[0])) / z, 1e-12))
        right.append(max((math.log(result.interval[1]) - m) / z, 1e-12))
        weights.append(weight)
        points.append(result.estimate)
    c, sl, sr = np.array(centre), np.array(left), np.array(right)
    w = np.array(weights, dtype=float) / sum(weights)

    def cdf(x: float) -> float:
        spread = np.where(x < c, sl, sr)
        return float(np.sum(w * norm.cdf((x - c) / spread)))

    low_end = float(np.min(c - 10 * sl))
    high_end = float(np.max(c + 10 * sr))

    def quantile(q: float) -> float:
        return math.exp(brentq(lambda x: cdf(x) - q, low_end, high_end, xtol=1e-12))

    tail = (1 - LEVEL) / 2
    return quantile(0.5), (quantile(tail), quantile(1 - tail)), points
