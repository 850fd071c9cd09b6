"""The allowed-region figure of the moment-matrix mode (issue 22): the plane of two moments with
the third fixed, and the region each experiment allows — reactor and solar limits cut it in
different directions, because each bounds the effective moment of its own source.

Majorana: (|Λ₁|, |Λ₂|) with |Λ₃| and the phase of Λ₂ from the controls
(:func:`explorer.physics.probes.allowed_region`); Dirac: (μ₁₁, μ₂₂) with μ₃₃ fixed
(:func:`explorer.physics.probes.allowed_region_dirac`). The limits and what each bounds come from
:mod:`explorer.physics.limits` and :data:`explorer.physics.probes.PROBES` (one home).

Data path as everywhere in the app: :func:`region_view` (state → :class:`RegionView`, physics only)
→ :class:`RegionFigure` (a persistent Agg figure; the contours are redrawn on the same axes only
when the plane changes, the current point is moved in place) → :class:`RegionPanel` (the image).

>>> from explorer.app.state import ExplorerState
>>> v = region_view(ExplorerState(mm_mode="majorana"))
>>> v.labels[:2], [c.key for c in v.curves]
(('|Λ₁|', '|Λ₂|'), ['gemma', 'borexino', 'xenonnt', 'red-giant-2020'])
"""

from __future__ import annotations

import functools
import html
import math
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from explorer.physics import probes
from explorer.physics.limits import LIMITS, best

from .controls import make
from .figstyle import DPI, FONT, encode_png
from .fmt import sci
from .moments_mode import DIRAC, MAJORANA, mix_of

#: The limits drawn: the paper's reactor limit, the solar ones, the best astrophysical one.
REGION_LIMITS = ("gemma", "borexino", "xenonnt", best("astrophysical").key)
#: One colour and line style per limit (Okabe–Ito; styles tell them apart without colour).
STYLE = {
    "gemma": ("#D55E00", "-"),
    "borexino": ("#0072B2", "--"),
    "xenonnt": ("#009E73", "-."),
    best("astrophysical").key: ("#555555", ":"),
}
#: Points per axis of the grid, and the plotted range in units of the largest drawn limit.
N_GRID = 161
SPAN = 2.5
FIGSIZE = (6.4, 4.8)
#: The axes are in units of 10⁻¹¹ μB.
UNIT = 1e-11
#: What the figure depends on besides the point: the controls that move the contours.
PLANE_INPUTS = frozenset({"mm_mode", "mu33", "lam3", "lam_phase", "ordering"})
#: Everything it depends on besides the mode (the point too).
INPUTS = (PLANE_INPUTS - {"mm_mode"}) | {"mu11", "mu22", "lam1", "lam2"}


@dataclass(frozen=True)
class RegionCurve:
    """One limit's region: μ_eff on the grid (μ_B), the limit, and its legend label."""

    key: str
    mu_eff: np.ndarray
    limit: float
    label: str
    empty: bool  # nothing of the plotted plane is allowed


@dataclass(frozen=True)
class RegionView:
    """Everything the figure shows: the grid (μ_B), each limit's region, the current point, the
    axis labels and the note on the fixed moment."""

    mode: str
    x: np.ndarray
    y: np.ndarray
    curves: tuple
    point: tuple  # (x, y) in μ_B
    labels: tuple  # (x label, y label)
    fixed: str  # "|Λ₃| = 1×10⁻¹² μB, arg Λ₂ = 0°"
    alt: str


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


class RegionFigure:
    """The figure, made once; :meth:`update` redraws the contours when the plane changed and moves
    the point, :meth:`render` encodes a PNG."""

    def __init__(self):
        self.figure = fig = Figure(figsize=FIGSIZE, dpi=DPI, layout=None)
        FigureCanvasAgg(fig)
        fig.subplots_adjust(left=0.12, right=0.97, top=0.86, bottom=0.36)
        self.ax = ax = fig.add_subplot(1, 1, 1)
        ax.tick_params(labelsize=FONT["tick"])
        ax.grid(True, alpha=0.25)
        (self.point,) = ax.plot([np.nan], [np.nan], ls="none", marker="o", ms=8, mfc="white",
                                mec="black", mew=2, zorder=5)  # fmt: skip
        self.edge_note = ax.text(0.98, 0.98, "", transform=ax.transAxes, ha="right", va="top",
                                 fontsize=FONT["small"])  # fmt: skip
        self.title = fig.text(0.12, 0.93, "", ha="left", va="center", fontsize=FONT["title"])
        handles = [Line2D([], [], color=STYLE[k][0], ls=STYLE[k][1], lw=2) for k in REGION_LIMITS]
        handles.append(Line2D([], [], ls="none", marker="o", mfc="white", mec="black", mew=2))
        self._handles = handles
        self._legend = None
        self._artists: list = []
        self._plane = None

    def update(self, v: RegionView) -> None:
        """Show the view model ``v``."""
        plane = (v.mode, v.fixed, id(v.curves))
        if plane != self._plane:
            self._draw_plane(v)
            self._plane = plane
        span = v.x[-1]
        px, py = (min(c, span) / UNIT for c in v.point)
        self.point.set_data([px], [py])
        off = [f"{lab} = {sci(c)} μB →" for lab, c in zip(v.labels, v.point, strict=True)
               if c > span]  # fmt: skip
        self.edge_note.set_text("outside the plot: " + ", ".join(off) if off else "")

    def _draw_plane(self, v: RegionView) -> None:
        for a in self._artists:
            a.remove()
        self._artists = []
        ax = self.ax
        X, Y = v.x / UNIT, v.y / UNIT
        for c in v.curves:
            colour, ls = STYLE[c.key]
            filled = ax.contourf(X, Y, c.mu_eff, levels=[0.0, c.limit], colors=[colour],
                                 alpha=0.10)  # fmt: skip
            line = ax.contour(X, Y, c.mu_eff, levels=[c.limit], colors=[colour],
                              linestyles=[ls], linewidths=2)  # fmt: skip
            self._artists += [filled, line]
        ax.set_xlim(0, X[-1])
        ax.set_ylim(0, Y[-1])
        ax.set_xlabel(f"{v.labels[0]} (10⁻¹¹ μB)", fontsize=FONT["axis"])
        ax.set_ylabel(f"{v.labels[1]} (10⁻¹¹ μB)", fontsize=FONT["axis"])
        kind = "Majorana transition moments" if v.mode == MAJORANA else "Dirac diagonal moments"
        self.title.set_text(f"What each limit allows: {kind}\n{v.fixed}")
        labels = [c.label + (" (none here)" if c.empty else "") for c in v.curves]
        if self._legend is not None:
            self._legend.remove()
        self._legend = self.figure.legend(
            self._handles, [*labels, "current matrix"], loc="lower left",
            bbox_to_anchor=(0.01, 0.0), fontsize=FONT["small"] - 1, frameon=False,
        )  # fmt: skip

    def render(self) -> bytes:
        """Draw and encode the figure as PNG."""
        self.figure.canvas.draw()
        return encode_png(self.figure.canvas)


class RegionPanel(widgets.VBox):
    """The figure's image with its heading and a text for screen readers; shown in the matrix
    modes. :meth:`show` takes a :class:`RegionView` (None: nothing to show)."""

    def __init__(self):
        self.figure = RegionFigure()
        self.image = make(widgets.Image, format="png", layout=dict(width="100%", height="auto"))
        self.alt = make(widgets.HTML)
        self.draws = 0
        self.mode = ""  # the mode last drawn ("" when hidden)
        heading = make(widgets.HTML, "<b>Moment matrix: the region each limit allows</b> "
                       "<span class='nac-source'>(each limit bounds its own effective moment: "
                       "explorer.physics.probes)</span>")  # fmt: skip
        super().__init__([heading, self.image, self.alt],
                         layout=widgets.Layout(flex="1 1 45%", min_width="300px",
                                               max_width="760px", margin="0 0.5% 1em 0.5%",
                                               display="none"),
                         _dom_classes=("nac-region",))  # fmt: skip

    def show(self, v: RegionView | None) -> None:
        want = "none" if v is None else "flex"
        if self.layout.display != want:
            self.layout.display = want
        self.mode = "" if v is None else v.mode
        if v is None:
            return
        self.figure.update(v)
        self.image.value = self.figure.render()
        self.alt.value = f"<div class='nac-alt'>{html.escape(v.alt)}</div>"
        self.draws += 1


__all__ = ["INPUTS", "PLANE_INPUTS", "REGION_LIMITS", "RegionFigure", "RegionPanel", "RegionView",
           "region_view"]  # fmt: skip
