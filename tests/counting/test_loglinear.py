import itertools
import math

import numpy as np
import pytest

from tests.counting.synthetic import HETEROGENEOUS, INDEPENDENT, simulate_lists
from vigil.counting.loglinear import (
    _fit,
    akaike_weights,
    fit_loglinear,
    multinomial_llf,
    profile_interval,
)
from vigil.counting.table import OverlapTable, parse_overlap_table, read_overlap_table

# Published sensitivity of the Kosovo estimate to the log-linear model (PROVENANCE.md):
# independence 7,394.6, all two-way interactions 14,402.5.
KOSOVO_INDEPENDENCE = 7394.6
KOSOVO_ALL_TWO_WAY = 14402.5


@pytest.fixture
def kosovo(shared_data):
    return read_overlap_table(shared_data / "mse" / "kosovo_1999_4lists.csv")


def test_kosovo_independence_and_all_two_way_fits_match_the_published_figures(kosovo):
    result = fit_loglinear(kosovo)
    by_terms = {fit.pairs: fit for fit in result.fits}
    all_pairs = tuple(itertools.combinations(range(4), 2))
    assert by_terms[()].estimate == pytest.approx(KOSOVO_INDEPENDENCE, abs=0.1)
    assert by_terms[all_pairs].estimate == pytest.approx(KOSOVO_ALL_TWO_WAY, abs=0.1)


def test_kosovo_searches_all_64_models_and_the_aic_choice_lies_in_the_published_range(kosovo):
    result = fit_loglinear(kosovo)
    assert len(result.fits) + result.not_estimable == 64
    assert result.chosen.aic == min(fit.aic for fit in result.fits)
    assert KOSOVO_INDEPENDENCE <= result.chosen.estimate <= KOSOVO_ALL_TWO_WAY
    low, high = result.interval
    assert kosovo.observed < low < result.chosen.estimate < high
    assert math.isclose(sum(akaike_weights(result.fits)), 1.0)


def test_profile_interval_ends_are_where_the_likelihood_falls_by_the_chi2_cut(kosovo):
    fit = _fit(kosovo, ())
    low, high = profile_interval(kosovo, fit)
    grid = fit.estimate + np.linspace(-20, 20, 81)
    peak = max(multinomial_llf(kosovo, (), t) for t in grid)
    for end in (low, high):
        assert peak - multinomial_llf(kosovo, (), end) == pytest.approx(3.8415 / 2, abs=0.01)


def test_recovers_the_known_total_of_independent_lists_within_its_interval():
    table = simulate_lists(2000, INDEPENDENT, seed=2)
    result = fit_loglinear(table)
    low, high = result.interval
    assert low <= 2000 <= high
    assert abs(result.chosen.estimate - 2000) < 100


def test_more_than_five_lists_use_the_stepwise_search():
    table = simulate_lists(3000, [(1.0, [0.3, 0.25, 0.35, 0.2, 0.3, 0.25])], seed=4)
    result = fit_loglinear(table)
    assert result.search.startswith("stepwise")
    assert len(result.fits) < 2**15
    assert result.interval[0] <= 3000 <= result.interval[1]


def test_capture_heterogeneity_pulls_the_log_linear_estimate_down():
    """What the latent-class model is for: with heterogeneous capture, log-linear two-way
    models underestimate. Averaged over seeds so the test asserts the bias, not luck."""
    tables = [simulate_lists(2000, HETEROGENEOUS, seed=s) for s in range(5)]
    estimates = [fit_loglinear(table).chosen.estimate for table in tables]
    assert sum(estimates) / len(estimates) < 2000


@pytest.mark.slow
def test_profile_interval_of_the_true_model_covers_the_total_about_95_percent_of_the_time():
    hits = 0
    runs = 200
    for seed in range(1000, 1000 + runs):
        table = simulate_lists(2000, INDEPENDENT, seed=seed)
        low, high = profile_interval(table, _fit(table, ()))
        hits += low <= 2000 <= high
    assert 0.90 <= hits / runs <= 0.99


def test_models_explaining_an_empty_overlap_by_an_infinite_effect_are_left_out():
    # Nobody is on both A and B: an A:B term would need an effect of minus infinity.
    table = parse_overlap_table(
        "A,B,C,n\n1,0,0,50\n0,1,0,40\n0,0,1,30\n1,1,0,0\n1,0,1,10\n0,1,1,8\n1,1,1,0\n"
    )
    result = fit_loglinear(table)
    assert result.not_estimable > 0
    assert all((0, 1) not in fit.pairs for fit in result.fits)
    low, high = result.interval
    assert table.observed <= low < result.chosen.estimate < high


def test_two_lists_fit_only_the_independence_model():
    table = parse_overlap_table("A,B,n\n1,0,50\n0,1,40\n1,1,10\n")
    result = fit_loglinear(table)
    assert [fit.pairs for fit in result.fits] == [()]
    assert result.chosen.estimate == pytest.approx(60 * 50 / 10)  # Lincoln–Petersen


def test_the_order_of_the_list_columns_does_not_change_the_estimate(kosovo):
    order = [2, 0, 3, 1]
    shuffled = OverlapTable.from_counts(
        tuple(kosovo.lists[j] for j in order),
        {tuple(int(p[j]) for j in order): int(n) for p, n in zip(kosovo.patterns, kosovo.counts)},
    )
    first, second = fit_loglinear(kosovo), fit_loglinear(shuffled)
    assert second.chosen.estimate == pytest.approx(first.chosen.estimate, rel=1e-6)
    assert second.interval == pytest.approx(first.interval, rel=1e-5)
