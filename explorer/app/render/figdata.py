"""Geometry from view data for the panel figures: the shaded bands and the y range.

Pure functions of arrays (no matplotlib), tested on their own.
"""

from __future__ import annotations

import numpy as np

from explorer.app.declare.params import FIT_DECADES


def y_limits(c, decades, current=None) -> tuple | None:
    """The dσ/dT axis in whole decades: ``decades`` below the top, or (``decades=None``) spanning
    the curves (from their 2nd percentile to their top, at most FIT_DECADES). Hysteresis: the
    ``current`` limits are kept while the top stays in their top two decades and the bottom fits,
    so that most slider moves keep the cached frame; ``current=None``: the limits of the curves
    alone (a link's first view). None when nothing is plotted.
    """
    if current is None:
        current = (np.nan, np.nan)  # every comparison with NaN fails: nothing is kept
    top = max(float(c.sm.max()), float(np.abs(c.em).max()), float(c.total.max()))
    if not top > 0:
        return None
    hi = 10.0 ** np.ceil(np.log10(top * 2.0))
    if decades is not None:
        lo = hi / 10.0**decades
        keep = current[1] / 100.0 < top <= current[1] and np.isclose(
            current[1] / current[0], hi / lo
        )
        return tuple(current) if keep else (lo, hi)
    vals = np.concatenate([c.sm[c.sm > 0], np.abs(c.em[c.em != 0])])
    low = float(np.percentile(vals, 2.0)) / 2.0
    lo = max(10.0 ** np.floor(np.log10(low)), hi / 10.0**FIT_DECADES)
    keep = current[1] / 100.0 < top <= current[1] and current[0] <= low and current[0] >= lo / 10.0
    return tuple(current) if keep else (lo, hi)


def bands(T, sm, em) -> list:
    """Polygons (data x, axes y) over the runs of T where |EM| ≥ SM and there are events."""
    win = (np.abs(em) >= sm) & (sm > 0)
    if not win.any():
        return []
    d = np.diff(win.astype(np.int8))
    starts = list(np.flatnonzero(d == 1) + 1)
    stops = list(np.flatnonzero(d == -1))
    if win[0]:
        starts.insert(0, 0)
    if win[-1]:
        stops.append(len(T) - 1)
    return [
        [(T[a], 0.0), (T[b], 0.0), (T[b], 1.0), (T[a], 1.0)]
        for a, b in zip(starts, stops, strict=True)
    ]
