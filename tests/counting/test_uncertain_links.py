"""Linkage uncertainty carried into the estimate: resampled links widen the interval."""

from __future__ import annotations

import pytest

from tests.counting.synthetic import simulated_links as simulated
from vigil.core.errors import ValidationFailed
from vigil.counting import estimate
from vigil.counting.uncertain_links import (
    Link,
    LinkedLists,
    draw_table,
    estimate_with_links,
)


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


@pytest.mark.slow  # ~1.8 s a run on a quiet 2-core machine
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


@pytest.mark.slow  # ~1.4 s a run on a quiet 2-core machine
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
