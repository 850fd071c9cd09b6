"""The rates panel's figure, made once and mutated in place: dR/dT (left) and the μν a counting
experiment excludes against its threshold (right), with the experimental limits.

It takes a :class:`~explorer.app.view.rates.RatesView` only.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from explorer.app.render.loop import Blitted
from explorer.app.render.style import COLORS, DPI, FONT, STYLES, decade_label
from explorer.physics.limits import LIMITS, best

#: Figure size in inches (1134 × 567 px at DPI 135): the whole page width, text in the
#: panel figures' sizes (:data:`~explorer.app.render.style.FONT`).
FIGSIZE = (8.4, 4.2)
#: Limits drawn on the sensitivity plot: the paper's reactor limit and the best direct and
#: astrophysical limits of the table (computed by :func:`explorer.physics.limits.best`).
SHOWN_LIMITS = ("gemma", best("direct").key, best("astrophysical").key)


def _log_axes(ax, xlabel: str, ylabel: str) -> None:
    ax.set_xscale("log")
    ax.set_yscale("log")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(LogLocator(base=10.0, numticks=8))
        axis.set_minor_locator(NullLocator())
        axis.set_major_formatter(FuncFormatter(decade_label))
    ax.set_xlabel(xlabel, fontsize=FONT["axis"])
    ax.set_ylabel(ylabel, fontsize=FONT["axis"])
    ax.tick_params(labelsize=FONT["tick"])
    ax.grid(True, which="major", alpha=0.25)


class RatesFigure(Blitted):
    """Both plots of the rates panel; :meth:`update` moves the artists, :meth:`render` encodes."""

    def __init__(self, channel=None):  # one figure for the rates channel
        self.figure = fig = Figure(figsize=FIGSIZE, dpi=DPI, layout=None)
        FigureCanvasAgg(fig)
        # the legends sit under the plots (never on the curves): room for three rows of them
        fig.subplots_adjust(left=0.085, right=0.985, top=0.9, bottom=0.32, wspace=0.3)
        self.ax_rate, self.ax_sens = fig.subplots(1, 2)
        _log_axes(self.ax_rate, "recoil energy T (keV)", "dR/dT (events per kg·day·keV)")
        _log_axes(self.ax_sens, "threshold (keV)", "μν excluded at 90 % CL (μB)")
        nan2 = ([np.nan], [np.nan])
        a = self.ax_rate
        (self.sm,) = a.plot(*nan2, color=COLORS["sm"], **STYLES["sm"], label="SM (weak)")
        (self.em_pos,) = a.plot(*nan2, color=COLORS["em"], **STYLES["em_pos"], label="|EM|, EM > 0")
        (self.em_neg,) = a.plot(*nan2, color=COLORS["em"], **STYLES["em_neg"], label="|EM|, EM < 0")
        (self.total,) = a.plot(*nan2, color=COLORS["total"], **STYLES["total"], label="total")
        (self.bkg,) = a.plot(*nan2, color="#7f7f7f", lw=1.2, ls=":", label="background")
        self.window = a.axvspan(1, 2, color=COLORS["threshold"], alpha=0.08, label="window")
        (self.thr,) = a.plot(*nan2, color=COLORS["threshold"], lw=1.2, label="threshold")
        b = self.ax_sens
        (self.curve,) = b.plot(*nan2, color=COLORS["total"], lw=1.8, label="this detector")
        (self.here,) = b.plot(*nan2, ls="none", marker="o", ms=7, mfc="white",
                              mec=COLORS["threshold"], mew=2, label="at the threshold")  # fmt: skip
        self._limit_lines = []
        for key, ls in zip(SHOWN_LIMITS, ("--", "-.", ":"), strict=True):
            lim = LIMITS[key]
            name = lim.label.split(" (")[0].split(",")[0]
            label = f"{name} {lim.year}"
            self._limit_lines.append(
                b.axhline(lim.value, color="#555555", lw=1.0, ls=ls, label=label)
            )
        self._legends, self._legend_keys = {}, None
        self.title = fig.text(0.085, 0.95, "", ha="left", va="center", fontsize=FONT["title"])
        # blitting, as in PanelFigure: the frames, ticks, legends and limit lines are a cached
        # bitmap, redrawn only when an axis range or the title changes
        self._dynamic = [self.window, self.sm, self.em_pos, self.em_neg, self.total, self.bkg,
                         self.thr, self.curve, self.here]  # fmt: skip
        for a in self._dynamic:
            a.set_animated(True)
            a.set_zorder(10 + a.get_zorder())  # above the legends, as blitting draws them

    def update(self, v) -> None:
        """Move every artist to the view model ``v``."""
        T = v.T
        self.sm.set_data(T, v.sm)
        self.total.set_data(T, v.total)
        self.em_pos.set_data(T, np.where(v.em > 0, v.em, np.nan))
        self.em_neg.set_data(T, np.where(v.em < 0, -v.em, np.nan))
        self.bkg.set_data([T[0], T[-1]], [v.background, v.background])
        lo, hi = v.window
        self.window.set_visible(lo < hi)
        if lo < hi:
            self.window.set_x(lo)
            self.window.set_width(hi - lo)
        self.thr.set_data([lo, lo], [1e-300, 1e300])
        a = self.ax_rate
        a.set_xlim(T[0], T[-1] * 1.2)
        top = max(float(np.nanmax(v.total)), v.background, 1e-300)
        a.set_ylim(*_decades(top * 1e-7, top * 5))
        ok = np.isfinite(v.sens_curve)
        self.curve.set_data(v.thresholds[ok], v.sens_curve[ok])
        here = math.isfinite(v.sensitivity)
        self.here.set_visible(here)
        if here:
            self.here.set_data([lo], [v.sensitivity])
        b = self.ax_sens
        b.set_xlim(v.thresholds[0], max(v.thresholds[-1], lo) * 1.5)
        vals = [*v.sens_curve[ok], *(LIMITS[k].value for k in SHOWN_LIMITS)]
        b.set_ylim(*_decades(min(vals) / 3, max(vals) * 3))
        self.title.set_text(v.title)
        self._show_legends()

    def _show_legends(self) -> None:
        """Each plot's legend, under it, listing only the artists drawn with data (generated from
        the artists, so "|EM|, EM < 0" appears only when a negative EM is drawn)."""
        drawn = {ax: [a for a in (*ax.patches, *ax.lines) if _drawn(a)]
                 for ax in (self.ax_rate, self.ax_sens)}  # fmt: skip
        # the limits' long labels first: the legend fills its left (wider) column first
        drawn[self.ax_sens].sort(key=lambda a: a not in self._limit_lines)
        keys = tuple(tuple(a.get_label() for a in artists) for artists in drawn.values())
        if keys == self._legend_keys:
            return
        self._legend_keys = keys
        for ax, artists in drawn.items():
            if ax.get_legend() is not None:
                ax.get_legend().remove()
            ax.legend(handles=artists, fontsize=FONT["legend"], frameon=False, loc="upper left",
                      bbox_to_anchor=(-0.12, -0.19), ncols=3 if ax is self.ax_rate else 2,
                      handlelength=1.8, columnspacing=0.8, handletextpad=0.4, labelspacing=0.25)  # fmt: skip

    def frame_key(self) -> tuple:
        return (self.ax_rate.get_xlim(), self.ax_rate.get_ylim(), self.ax_sens.get_xlim(),
                self.ax_sens.get_ylim(), self.title.get_text(), self._legend_keys)  # fmt: skip

    def moving(self) -> list:
        return self._dynamic


def _drawn(artist) -> bool:
    """Whether ``artist`` is visible with something to draw (a line with a finite point)."""
    if not artist.get_visible() or artist.get_label().startswith("_"):
        return False
    if hasattr(artist, "get_ydata"):
        x = np.asarray(artist.get_xdata(), float)
        y = np.asarray(artist.get_ydata(), float)
        return bool((np.isfinite(x) & np.isfinite(y)).any())
    return True


def _decades(lo: float, hi: float) -> tuple:
    """The range widened to whole decades (so that most changes keep the cached frame)."""
    return 10.0 ** math.floor(math.log10(lo)), 10.0 ** math.ceil(math.log10(hi))
