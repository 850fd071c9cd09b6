"""Locate the upper edge of the low-T region where |EM| ≥ SM (DESIGN §4.6)."""

from __future__ import annotations

import numpy as np

#: The search starts this far below T_max; a region lying wholly below counts as empty.
T_FLOOR_FRACTION = 1e-16
_GRID = 129
_SUB = 33
_ROUNDS = 4


def low_t_edge(log_ratio, t_hi: float) -> float:
    """Return the smallest T in (T_FLOOR, t_hi] where ``log_ratio(T) < 0`` first happens.

    ``log_ratio(T)`` is log|EM| − log SM evaluated on an array of T. Returns 0.0 when the ratio is
    already below 1 at the floor (no low-T region), and ``t_hi`` when it never falls below 1.
    The bracket found on a log grid is narrowed by successive 33-point sub-grids, then the root is
    interpolated linearly in (log T, log ratio): relative accuracy better than 1e-9 on smooth ratios.
    """
    grid = np.geomspace(t_hi * T_FLOOR_FRACTION, t_hi, _GRID)
    f = log_ratio(grid)
    neg = np.flatnonzero(f < 0)
    if neg.size == 0:
        return float(t_hi)
    i = neg[0]
    if i == 0:
        return 0.0
    a, b = grid[i - 1], grid[i]
    fa, fb = f[i - 1], f[i]
    for _ in range(_ROUNDS):
        sub = np.geomspace(a, b, _SUB)
        fs = log_ratio(sub)
        j = np.flatnonzero(fs < 0)[0]  # fs[-1] < 0 by construction of the bracket
        if j == 0:  # the edge is at a within rounding
            return float(a)
        a, b, fa, fb = sub[j - 1], sub[j], fs[j - 1], fs[j]
    la, lb = np.log(a), np.log(b)
    return float(np.exp(la + (lb - la) * fa / (fa - fb)))
