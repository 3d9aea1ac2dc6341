import numpy as np
import pytest

from vigil.counting.diagnostics import effective_sample_size, geweke_z, split_rhat


def _ar1(rho, n, rng):
    x = np.empty(n)
    x[0] = rng.normal()
    noise = rng.normal(size=n) * np.sqrt(1 - rho**2)
    for t in range(1, n):
        x[t] = rho * x[t - 1] + noise[t]
    return x


def test_independent_draws_have_an_ess_near_their_number():
    draws = np.random.default_rng(1).normal(size=(2, 2000))
    assert effective_sample_size(draws) == pytest.approx(4000, rel=0.15)


def test_autocorrelated_draws_have_the_ess_of_an_ar1_process():
    rng = np.random.default_rng(2)
    draws = np.array([_ar1(0.9, 20000, rng) for _ in range(2)])
    expected = 40000 * (1 - 0.9) / (1 + 0.9)
    assert effective_sample_size(draws) == pytest.approx(expected, rel=0.25)


def test_split_rhat_is_one_for_mixed_chains_and_large_for_separated_ones():
    rng = np.random.default_rng(3)
    mixed = rng.normal(size=(2, 1000))
    apart = np.array([rng.normal(size=1000), rng.normal(size=1000) + 3])
    assert split_rhat(mixed) < 1.01
    assert split_rhat(apart) > 1.5


def test_geweke_z_is_small_for_a_stationary_chain_and_large_for_a_drifting_one():
    rng = np.random.default_rng(4)
    assert abs(geweke_z(rng.normal(size=5000))) < 3
    assert abs(geweke_z(rng.normal(size=5000) + np.linspace(0, 2, 5000))) > 5
