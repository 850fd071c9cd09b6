"""Locate the upper edge of the low-T region where |EM| ≥ SM (docs/design.md, "EM term and
crossover"): the one crossover search of the package.

:func:`low_t_edge` is the search of ``electron.crossover`` and ``nucleus.crossover``;
:func:`search_grid`, :func:`first_below` and :func:`refine_rows` are its steps, public so that a
caller searching many rows at once (the app's |EM|/SM map: one row per μν) runs the same search
vectorised over rows instead of a copy of it. No argument checks: the checked outer functions
(``electron.crossover``, ``nucleus.crossover``) validate.

>>> import numpy as np
>>> f = lambda T: np.log(1e-3 / T)      # |EM|/SM = 10⁻³/T: the edge is at T = 10⁻³
>>> round(low_t_edge(f, 1.0) * 1e3, 9)
1.0
"""

from __future__ import annotations

from functools import cache

import numpy as np

#: The search starts this far below T_max; a region lying wholly below counts as empty.
T_FLOOR_FRACTION = 1e-16
_GRID = 257
_SUB = 129
_ROUNDS = 2
# Relative offsets probed around each analytic candidate point (see candidates()).
_BANDS = np.array([1e-4, 1e-2, 0.1])
_OFFSETS = np.concatenate(([1.0], 1.0 + _BANDS, 1.0 - _BANDS))


def candidates(A, B, d_values) -> np.ndarray:
    """Recoil energies where a coupling shift d(T) = A + B/T takes each value in ``d_values``.

    The millicharge and charge-radius shifts of g_V (electrons) and of η − 1 (nuclei) have this
    form. Where d passes the values that make EM vanish or equal ±SM, |EM| < SM can hold in a band
    far narrower than any fixed grid step (≈ 1/|A| in ln T); these points and offsets of 10⁻⁴…10 %
    around them are added to the search grid. ``A`` and ``B`` may be arrays (one per isotope).
    Only a shift with both parts (A ≠ 0 and B ≠ 0) has such narrow bands: with qν alone d runs
    smoothly over decades of T, and with ⟨r²⟩ alone it is constant; then nothing is added.
    """
    A = np.atleast_1d(np.asarray(A, dtype=float))
    B = np.atleast_1d(np.asarray(B, dtype=float))
    if np.all(A == 0.0) or np.all(B == 0.0):
        return np.empty(0)
    den = np.asarray(d_values, dtype=float)[:, None] - A[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (B[None, :] / den).ravel()
    t = t[np.isfinite(t) & (t > 0.0)]
    return np.multiply.outer(t, _OFFSETS).ravel()


#: Points of the search grid of :func:`low_t_edge`, and of its refinement sub-grids and rounds.
GRID, SUB, ROUNDS = _GRID, _SUB, _ROUNDS


@cache
def _unit(n: int) -> np.ndarray:
    """``n`` evenly spaced fractions from 0 to 1 (read-only: shared by every call)."""
    u = np.linspace(0.0, 1.0, n)
    u.flags.writeable = False
    return u


def log_grid(a, b, n: int) -> np.ndarray:
    """``n`` log-spaced points from ``a`` to ``b`` (> 0), both ends exact; for arrays ``a`` and
    ``b`` one row per pair, shape ``a.shape + (n,)``. ``np.geomspace`` gives the same points
    (to rounding) at four times the cost, which the crossover searches pay on every redraw.

    >>> g = log_grid(1e-3, 10.0, 5)
    >>> float(g[0]), float(g[-1]), bool(np.allclose(g, [1e-3, 1e-2, 1e-1, 1.0, 10.0], rtol=1e-14, atol=0))
    (0.001, 10.0, True)
    >>> np.round(log_grid(np.array([1.0, 2.0]), np.array([4.0, 8.0]), 3), 12).tolist()
    [[1.0, 2.0, 4.0], [2.0, 4.0, 8.0]]
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    la = np.log(a)[..., None]
    out = np.exp(la + (np.log(b)[..., None] - la) * _unit(n))
    out[..., 0] = a
    out[..., -1] = b
    return out


def search_grid(t_lo: float, t_hi: float, extra=None, n: int = _GRID) -> np.ndarray:
    """The search grid: ``n`` log-spaced points from ``t_lo`` to ``t_hi`` plus the ``extra``
    candidate points that lie between them."""
    grid = log_grid(t_lo, t_hi, n)
    if extra is not None and len(extra):
        extra = np.asarray(extra, dtype=float)
        grid = np.unique(np.concatenate((grid, extra[(extra > t_lo) & (extra < t_hi)])))
    return grid


def interpolate_root(a, b, fa, fb):
    """The root of the log ratio in [a, b], linear in (log T, log ratio); the finite end where
    the ratio is not finite at both (arrays or scalars)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        la, lb = np.log(a), np.log(b)
        t = np.exp(la + (lb - la) * fa / (fa - fb))
    return np.where(np.isfinite(fa) & np.isfinite(fb), t, np.where(np.isfinite(fb), b, a))


def refine_rows(log_ratio_rows, a, b, fa, fb, points: int = _SUB, rounds: int = _ROUNDS):
    """For each row k, the point where ``log ratio < 0`` changes truth value first in
    [a[k], b[k]] (it differs at the two ends): ``rounds`` successive sub-grids of ``points``
    log-spaced points narrow the bracket, then :func:`interpolate_root`.

    ``log_ratio_rows(sub, rows)`` gives the log ratio of the rows ``rows`` (indices) on ``sub``,
    an array (len(rows), points). A row whose change lies at its bracket's start within rounding
    ends there.
    """
    a, b, fa, fb = (np.array(x, dtype=float, ndmin=1) for x in (a, b, fa, fb))
    neg_a = fa < 0
    out = np.full(a.shape, np.nan)
    live = np.arange(a.size)
    for _ in range(rounds):
        if not live.size:
            break
        sub = log_grid(a[live], b[live], points)
        fs = np.asarray(log_ratio_rows(sub, live), dtype=float)
        # fs[:, -1] differs from fa by construction
        j = np.argmax((fs < 0) != neg_a[live, None], axis=1)
        at_start = j == 0  # the change is at a within rounding
        out[live[at_start]] = a[live[at_start]]
        k, j, live = np.flatnonzero(~at_start), j[~at_start], live[~at_start]
        a[live], b[live] = sub[k, j - 1], sub[k, j]
        fa[live], fb[live] = fs[k, j - 1], fs[k, j]
    out[live] = interpolate_root(a[live], b[live], fa[live], fb[live])
    return out


def first_below(f):
    """For log ratios ``f`` (rows × grid points): the index of each row's first point where
    ``f < 0``, and whether the row has one."""
    neg = np.asarray(f) < 0
    return np.argmax(neg, axis=-1), neg.any(axis=-1)


def _refine(log_ratio, a: float, b: float, fa: float, fb: float) -> float:
    """The point where ``log_ratio < 0`` changes truth value first in [a, b] (it differs at a and
    b): :func:`refine_rows` for one row."""
    return float(refine_rows(lambda sub, _rows: log_ratio(sub[0])[None], a, b, fa, fb)[0])


def low_t_edge(log_ratio, t_hi: float, extra=None, t_lo: float | None = None) -> float:
    """Return the smallest T in [t_lo, t_hi] where ``log_ratio(T) < 0`` first happens.

    ``log_ratio(T)`` is log|EM| − log SM evaluated on an array of T. ``t_lo`` is where the search
    starts (default 10⁻¹⁶ t_hi; the first ionisation energy I₁ with stepping, docs/design.md,
    "Crossover with stepping"). Returns 0.0 when the ratio is already below 1 at ``t_lo`` (no low-T
    region), and ``t_hi`` when it never falls below 1. The search grid is 257 log-spaced points plus
    the ``extra`` candidate points (narrow dips, kinematic edges of isotopes); the first bracket is
    narrowed by successive 129-point sub-grids, then the root is interpolated linearly in (log T,
    log ratio): relative accuracy better than 1e-9 on smooth ratios.
    """
    if t_lo is None:
        t_lo = t_hi * T_FLOOR_FRACTION
    if not t_lo < t_hi:
        return 0.0
    grid = search_grid(t_lo, t_hi, extra)
    f = log_ratio(grid)
    neg = np.flatnonzero(f < 0)
    if neg.size == 0:
        return float(t_hi)
    i = neg[0]
    if i == 0:
        return 0.0
    return _refine(log_ratio, grid[i - 1], grid[i], f[i - 1], f[i])


#: Points of the scan in :func:`all_crossings` (log-spaced, plus the candidate points).
SCAN = 4097


def all_crossings(log_ratio, t_lo: float, t_hi: float, extra=None) -> np.ndarray:
    """Every T in (t_lo, t_hi) where |EM| = SM, i.e. where ``log_ratio`` changes sign; sorted.

    Scans 4097 log-spaced points plus the ``extra`` candidates and refines each bracket as in
    :func:`low_t_edge`. Two crossings closer than the scan step (and not announced by a candidate
    point) can be missed together; a touch without a change of sign is not a crossing.
    """
    if not t_lo < t_hi:
        return np.empty(0)
    grid = search_grid(t_lo, t_hi, extra, SCAN)
    f = log_ratio(grid)
    neg = f < 0
    idx = np.flatnonzero(neg[1:] != neg[:-1])
    roots = [_refine(log_ratio, grid[i], grid[i + 1], f[i], f[i + 1]) for i in idx]
    # A touch (the ratio reaches 1 and turns back, e.g. |η² − 1| at η = 0 for CEvNS) shows up as
    # two sign changes at one point, on either side of a candidate point; it is not a crossing.
    out: list = []
    for r in roots:
        if out and r - out[-1] <= 1e-9 * r:
            out.pop()
        else:
            out.append(r)
    return np.array(out)
