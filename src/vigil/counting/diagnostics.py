"""Convergence diagnostics of MCMC draws: effective sample size, split R-hat, Geweke z.

Definitions follow Gelman et al., *Bayesian Data Analysis* (3rd ed., §11.4–11.5): the ESS uses
the chains' combined autocorrelation truncated by Geyer's initial positive sequence; split R-hat
cuts each chain in half. Geweke's z compares the mean of the first 10% of a chain with the mean
of its last 50%, each with its own ESS-based standard error.
"""

from __future__ import annotations

import math

import numpy as np


def _autocovariance(x: np.ndarray) -> np.ndarray:
    """Autocovariance of one chain at every lag (FFT, biased estimator)."""
    n = len(x)
    centred = x - x.mean()
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, size)
    return np.fft.irfft(spectrum * np.conjugate(spectrum), size)[:n] / n


def effective_sample_size(chains: np.ndarray) -> float:
    """ESS of draws shaped (chains, draws), all chains together."""
    chains = np.atleast_2d(np.asarray(chains, dtype=float))
    m, n = chains.shape
    if n < 4:
        return float(m * n)
    acov = np.array([_autocovariance(c) for c in chains])
    within = acov[:, 0].mean() * n / (n - 1)
    var_plus = within * (n - 1) / n
    if m > 1:
        var_plus += chains.mean(axis=1).var(ddof=1)
    if var_plus <= 0:
        return float(m * n)
    rho = 1 - (within - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    # Geyer: sum consecutive pairs while their sum stays positive (and make it monotone).
    total = 0.0
    previous = math.inf
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair <= 0:
            break
        pair = min(pair, previous)
        total += pair
        previous = pair
    tau = -1 + 2 * total
    return float(m * n / max(tau, 1 / math.log10(m * n + 10)))


def split_rhat(chains: np.ndarray) -> float:
    """Potential scale reduction of draws shaped (chains, draws), each chain cut in half."""
    chains = np.atleast_2d(np.asarray(chains, dtype=float))
    half = chains.shape[1] // 2
    if half < 2:
        return math.nan
    parts = np.concatenate([chains[:, :half], chains[:, -half:]])
    within = parts.var(axis=1, ddof=1).mean()
    between = half * parts.mean(axis=1).var(ddof=1)
    if within == 0:
        return 1.0 if between == 0 else math.inf
    var_plus = (half - 1) / half * within + between / half
    return float(math.sqrt(var_plus / within))


def geweke_z(chain: np.ndarray, first: float = 0.1, last: float = 0.5) -> float:
    """Geweke's z: (mean of the first part - mean of the last part) / its standard error."""
    chain = np.asarray(chain, dtype=float)
    n = len(chain)
    a = chain[: max(int(first * n), 2)]
    b = chain[n - max(int(last * n), 2) :]
    var = a.var(ddof=1) / effective_sample_size(a) + b.var(ddof=1) / effective_sample_size(b)
    if var == 0:
        return 0.0
    return float((a.mean() - b.mean()) / math.sqrt(var))
