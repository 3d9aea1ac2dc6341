"""Linkage uncertainty carried into the estimate: resampled links widen the interval."""

from __future__ import annotations

import numpy as np
import pytest

from vigil.core.errors import ValidationFailed
from vigil.counting import estimate
from vigil.counting.uncertain_links import (
    Link,
    LinkedLists,
    draw_table,
    estimate_with_links,
)

LISTS = ("A", "B", "C")


def simulated(total: int = 1500, uncertain_share: float = 0.0, seed: int = 3) -> LinkedLists:
    """Three lists catching persons independently; every true link listed, a share of them
    at probability 0.6 instead of 1, plus a false candidate link at 0.3 per uncertain one."""
    rng = np.random.default_rng(seed)
    caught = rng.random((total, 3)) < np.array([0.3, 0.25, 0.35])
    members: dict[str, list[str]] = {name: [] for name in LISTS}
    for person, row in enumerate(caught):
        for j, name in enumerate(LISTS):
            if row[j]:
                members[name].append(f"{name}{person}")
    links = []
    for person, row in enumerate(caught):
        on = [LISTS[j] for j in range(3) if row[j]]
        for x in range(len(on)):
            for y in range(x + 1, len(on)):
                uncertain = rng.random() < uncertain_share
                a, b = (on[x], f"{on[x]}{person}"), (on[y], f"{on[y]}{person}")
                links.append(Link(a, b, 0.6 if uncertain else 1.0))
                if uncertain:
                    other = members[on[y]][int(rng.integers(len(members[on[y]])))]
                    if other != b[1]:
                        links.append(Link(a, (on[y], other), 0.3))
    return LinkedLists({k: tuple(v) for k, v in members.items()}, tuple(links))


def test_the_point_linkage_counts_each_person_once_across_lists() -> None:
    linked = LinkedLists(
        {"A": ("a1", "a2"), "B": ("b1", "b2"), "C": ("c1",)},
        (
            Link(("A", "a1"), ("B", "b1"), 0.9),
            Link(("B", "b1"), ("C", "c1"), 0.8),
            # a2 may be b1 too, but b1 is taken by a likelier link: refused, not merged.
            Link(("A", "a2"), ("B", "b1"), 0.7),
            Link(("A", "a2"), ("B", "b2"), 0.2),
        ),
    )
    table = draw_table(linked)
    counts = {tuple(int(b) for b in p): int(n) for p, n in zip(table.patterns, table.counts,
                                                             strict=True) if n}
    assert counts == {(1, 1, 1): 1, (1, 0, 0): 1, (0, 1, 0): 1}
    assert table.observed == 3


def test_certain_links_give_exactly_the_plain_estimate() -> None:
    linked = simulated(uncertain_share=0.0)
    plain = estimate(draw_table(linked), method="loglinear")
    carried = estimate_with_links(linked, method="loglinear", draws=10, seed=5)
    assert carried.estimate == plain.estimate
    assert carried.interval == plain.interval
    assert carried.linkage is not None and carried.linkage["distinct_tables"] == 1
    assert carried.as_json()["linkage"]["uncertain_links"] == 0


def test_uncertain_links_widen_the_interval() -> None:
    linked = simulated(uncertain_share=0.3)
    plain = estimate(draw_table(linked), method="loglinear")
    carried = estimate_with_links(linked, method="loglinear", draws=20, seed=5)
    assert carried.linkage is not None and carried.linkage["distinct_tables"] > 1
    plain_width = plain.interval[1] - plain.interval[0]
    carried_width = carried.interval[1] - carried.interval[0]
    assert carried_width > 1.2 * plain_width
    assert carried.interval[0] < carried.estimate < carried.interval[1]
    # The answer with links taken as certain is reported beside it.
    assert carried.linkage["estimate_if_links_certain"] == round(plain.estimate, 1)


def test_the_same_seed_repeats_the_combined_estimate() -> None:
    linked = simulated(uncertain_share=0.3)
    first = estimate_with_links(linked, draws=8, seed=11)
    again = estimate_with_links(linked, draws=8, seed=11)
    assert first.as_json() == again.as_json()


def test_lcmcr_pools_the_draws_of_every_linkage() -> None:
    from vigil.counting.lcmcr import LcmcrSettings

    linked = simulated(total=800, uncertain_share=0.3)
    settings = LcmcrSettings(burn_in=200, samples=100, thin=2, chains=2)
    carried = estimate_with_links(linked, method="lcmcr", draws=4, seed=2,
                                  lcmcr_settings=settings)
    assert carried.method == "lcmcr"
    assert carried.interval[0] < carried.estimate < carried.interval[1]
    assert carried.linkage is not None and carried.linkage["draws"] == 4


@pytest.mark.parametrize(
    ("link", "message"),
    [
        (Link(("A", "a1"), ("B", "zz"), 0.5), "unknown record"),
        (Link(("A", "a1"), ("A", "a1"), 0.5), "within one list"),
        (Link(("A", "a1"), ("B", "b1"), 1.5), "between 0 and 1"),
    ],
)
def test_bad_links_are_refused_with_their_reason(link: Link, message: str) -> None:
    data = LinkedLists({"A": ("a1",), "B": ("b1",)}, (link,)).as_json()
    with pytest.raises(ValidationFailed, match=message):
        LinkedLists.from_json(data)
