"""The allowed regions of the moment-matrix mode (issue 22): the plane of two moments with the
third fixed, and the region each experiment allows — reactor and solar limits cut it in
different directions, because each bounds the effective moment of its own source.

Majorana: (|Λ₁|, |Λ₂|) with |Λ₃| and the phase of Λ₂ from the controls
(:func:`explorer.physics.probes.allowed_region`); Dirac: (μ₁₁, μ₂₂) with μ₃₃ fixed
(:func:`explorer.physics.probes.allowed_region_dirac`). The limits and what each bounds come from
:mod:`explorer.physics.limits` and :data:`explorer.physics.probes.PROBES` (one home).
:func:`region_view` makes the view model (:class:`~explorer.app.view.model.RegionView`) that the
figure (:mod:`explorer.app.render.regionfigure`) takes alone.

>>> from explorer.app.state.traits import ExplorerState
>>> v = region_view(ExplorerState(mm_mode="majorana"))
>>> v.labels[:2], [c.key for c in v.curves]
(('|Λ₁|', '|Λ₂|'), ['gemma', 'borexino', 'xenonnt', 'red-giant-2020'])
"""

from __future__ import annotations

import functools
import math

import numpy as np

from explorer.app.declare.fmt import sci
from explorer.app.state.matrix import DIRAC, MAJORANA, mix_of
from explorer.app.view.model import RegionCurve, RegionView
from explorer.physics import probes
from explorer.physics.limits import LIMITS, best

#: The limits drawn: the paper's reactor limit, the solar ones, the best astrophysical one.
REGION_LIMITS = ("gemma", "borexino", "xenonnt", best("astrophysical").key)
#: Points per axis of the grid, and the plotted range in units of the largest drawn limit.
N_GRID = 161
SPAN = 2.5
#: What the figure depends on besides the point: the controls that move the contours.
PLANE_INPUTS = frozenset({"mm_mode", "mu33", "lam3", "lam_phase", "ordering"})
#: Everything it depends on besides the mode (the point too).
INPUTS = (PLANE_INPUTS - {"mm_mode"}) | {"mu11", "mu22", "lam1", "lam2"}


def _label(key: str) -> str:
    lim, probe = LIMITS[key], probes.PROBES[key]
    name = lim.label.split(" (")[0].split(",")[0]
    return f"{name} {lim.year} < {sci(lim.value)} μB: {probe.description}"


@functools.lru_cache(maxsize=8)
def _curves(mode: str, fixed: float, phase_deg: float, ordering: str) -> tuple:
    span = SPAN * max(LIMITS[k].value for k in REGION_LIMITS)
    grid = np.linspace(0.0, span, N_GRID)
    mix = mix_of(ordering)
    out = []
    for key in REGION_LIMITS:
        lim, probe = LIMITS[key].value, probes.PROBES[key]
        if mode == MAJORANA:
            r = probes.allowed_region(lim, probe, grid, grid, fixed, (1, 2),
                                      (0.0, math.radians(phase_deg), 0.0), mix)  # fmt: skip
        else:
            r = probes.allowed_region_dirac(lim, probe, grid, grid, fixed, (1, 2), mix)
        out.append(RegionCurve(key, r.mu_eff, lim, _label(key), not r.allowed.any()))
    return grid, tuple(out)


def region_view(state) -> RegionView | None:
    """The figure's view model for ``state``; None in single-μν mode."""
    if state.mm_mode == MAJORANA:
        fixed, phase = state.lam3, state.lam_phase
        labels = ("|Λ₁|", "|Λ₂|")
        point = (state.lam1, state.lam2)
        note = f"|Λ₃| = {sci(fixed)} μB, arg Λ₂ = {phase:.0f}°"
    elif state.mm_mode == DIRAC:
        fixed, phase = state.mu33, 0.0
        labels = ("μ₁₁", "μ₂₂")
        point = (state.mu11, state.mu22)
        note = f"μ₃₃ = {sci(fixed)} μB"
    else:
        return None
    grid, curves = _curves(state.mm_mode, float(fixed), float(phase), state.ordering)
    note += f", {state.ordering} ordering"
    inside = [c.key for c in curves if _allowed_at(c, grid, point)]
    alt = (
        f"Allowed regions in the plane ({labels[0]}, {labels[1]}) with {note}: "
        + "; ".join(c.label for c in curves)
        + f". The current point ({sci(point[0])}, {sci(point[1])}) μB is allowed by "
        + (", ".join(LIMITS[k].experiment for k in inside) if inside else "none of them")
        + "."
    )
    return RegionView(state.mm_mode, grid, grid, curves, point, labels, note, alt)


def _allowed_at(c: RegionCurve, grid, point) -> bool:
    """Whether the grid cell nearest ``point`` is allowed (a point off the plot: its edge)."""
    i = int(np.clip(np.searchsorted(grid, point[1]), 0, grid.size - 1))
    j = int(np.clip(np.searchsorted(grid, point[0]), 0, grid.size - 1))
    if point[0] > grid[-1] or point[1] > grid[-1]:
        return False
    return bool(c.mu_eff[i, j] <= c.limit)


__all__ = ["INPUTS", "PLANE_INPUTS", "REGION_LIMITS", "region_view"]
