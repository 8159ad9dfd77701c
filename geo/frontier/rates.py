"""Exact comparison of two Poisson rates: is a recent count more than a sector's usual rate?

Given ``n1`` events in a recent window of ``t1`` days and ``n0`` events in the
sector's own baseline of ``t0`` days, under H0 (the same rate in both) the
recent count, conditional on the total ``n = n1 + n0``, is
``Binomial(n, t1 / (t1 + t0))``. The one-sided p-value for "more than usual"
is ``P(X ≥ n1)``: exact for any counts, so 1 event against 2 is judged by
the binomial, not by a percentage. "More than usual" is claimed only when
``p < ALPHA`` (0.05).

No SciPy at run time: the binomial upper tail is the regularised incomplete
beta function ``I_p(n1, n - n1 + 1)``, evaluated by its continued fraction
(Lentz's method) with ``math.lgamma``. ``tests/test_frontier.py`` checks it
against ``scipy.stats.binomtest``.
"""

from __future__ import annotations

import math

#: Significance level for "more than usual" (one-sided).
ALPHA = 0.05
_EPS = 1e-15
_TINY = 1e-300
_MAX_ITER = 10_000


def _beta_cf(a: float, b: float, x: float) -> float:
    # Continued fraction of the incomplete beta (Numerical Recipes §6.4), modified Lentz.
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_ITER + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            return h
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


def betainc_reg(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta function ``I_x(a, b)`` for ``a, b > 0``, ``0 ≤ x ≤ 1``."""
    if not (a > 0 and b > 0):
        raise ValueError(f"betainc_reg needs a, b > 0 (got a={a}, b={b})")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    # The fraction converges fast on this side of the mean; use the symmetry otherwise.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_cf(a, b, x) / a
    return 1.0 - front * _beta_cf(b, a, 1.0 - x) / b


def binom_sf(k: int, n: int, p: float) -> float:
    """``P(X ≥ k)`` for ``X ~ Binomial(n, p)`` (the upper tail including ``k``)."""
    k, n = int(k), int(n)
    if n < 0 or not (0.0 <= p <= 1.0):
        raise ValueError(f"binom_sf needs n ≥ 0 and 0 ≤ p ≤ 1 (got n={n}, p={p})")
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return 1.0
    if n <= 60:
        # Small n: the exact sum is cheap and has no continued-fraction tolerance.
        q = 1.0 - p
        return min(1.0, sum(math.comb(n, j) * p**j * q ** (n - j) for j in range(k, n + 1)))
    return min(1.0, max(0.0, betainc_reg(k, n - k + 1, p)))


def rate_test(n1: int, t1: float, n0: int, t0: float) -> float:
    """One-sided exact p-value that the rate in window 1 exceeds the rate in window 0.

    Parameters
    ----------
    n1, t1 : int, float
        Events in the recent window and its length (days).
    n0, t0 : int, float
        Events in the baseline and its length (days).

    Returns
    -------
    float
        ``P(X ≥ n1)``, ``X ~ Binomial(n1 + n0, t1 / (t1 + t0))``; NaN when a
        window has no length (no test possible).
    """
    if not (t1 > 0 and t0 > 0):
        return math.nan
    return binom_sf(n1, n1 + n0, t1 / (t1 + t0))


def verdict(p: float, n1: int, expected: float) -> str:
    """Plain words for a test result (what the table and the chart say)."""
    if math.isnan(p):
        return "no baseline"
    if p < ALPHA and n1 > expected:
        return "more than usual"
    if n1 == 0:
        return "none"
    return "within the usual range"
