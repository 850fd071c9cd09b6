"""The allowed-region figure of the moment-matrix mode (issue 22), made once and mutated in
place: the contours are redrawn on the same axes only when the plane changes (the mode, the fixed
moment, the phase, the ordering), the current point moves over the cached static layer (the
render loop of :mod:`explorer.app.render.loop`). It takes a
:class:`~explorer.app.view.model.RegionView` only.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from explorer.app.declare.fmt import sci
from explorer.app.render.loop import Blitted
from explorer.app.render.style import DPI, FONT
from explorer.app.state.matrix import MAJORANA
from explorer.app.view.model import RegionView
from explorer.app.view.region import REGION_LIMITS
from explorer.physics.limits import best

#: One colour and line style per limit (Okabe–Ito; styles tell them apart without colour).
STYLE = {
    "gemma": ("#D55E00", "-"),
    "borexino": ("#0072B2", "--"),
    "xenonnt": ("#009E73", "-."),
    best("astrophysical").key: ("#555555", ":"),
}
FIGSIZE = (6.4, 4.8)
#: The axes are in units of 10⁻¹¹ μB.
UNIT = 1e-11


class RegionFigure(Blitted):
    """The figure, made once; :meth:`update` redraws the contours when the plane changed and moves
    the point; :meth:`render` (the render loop) blits and encodes a PNG."""

    def __init__(self):
        self.figure = fig = Figure(figsize=FIGSIZE, dpi=DPI, layout=None)
        FigureCanvasAgg(fig)
        fig.subplots_adjust(left=0.12, right=0.97, top=0.86, bottom=0.36)
        self.ax = ax = fig.add_subplot(1, 1, 1)
        ax.tick_params(labelsize=FONT["tick"])
        ax.grid(True, alpha=0.25)
        (self.point,) = ax.plot([np.nan], [np.nan], ls="none", marker="o", ms=8, mfc="white",
                                mec="black", mew=2, zorder=5, animated=True)  # fmt: skip
        self.edge_note = ax.text(0.98, 0.98, "", transform=ax.transAxes, ha="right", va="top",
                                 fontsize=FONT["small"], animated=True)  # fmt: skip
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

    def frame_key(self) -> tuple:
        return (self._plane, self.title.get_text())

    def moving(self) -> list:
        return [self.point, self.edge_note]


__all__ = ["RegionFigure"]
