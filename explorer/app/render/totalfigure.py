"""The figure of the σ-above-threshold panel, made once and mutated in place: σ_SM, |σ_EM| and
σ_total against Eν (log–log, left axis) and the EM share EM/total (right axis), the current Eν,
the Eν below which no recoil passes the threshold, and pinned curves. It takes a
:class:`~explorer.app.view.model.TotalView` only, and renders on the shared render loop.

>>> from explorer.app.state.traits import ExplorerState
>>> from explorer.app.view.compute import compute_view
>>> fig = TotalFigure("total")
>>> fig.update(compute_view("total", ExplorerState(channel="total")))
>>> fig.render()[:8]
b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from explorer.app.render.loop import Blitted
from explorer.app.render.style import (
    COLORS,
    DPI,
    FIGSIZE,
    FONT,
    PIN_COLORS,
    PIN_STYLE,
    STYLES,
    log_axes,
)


class TotalFigure(Blitted):
    """σ(T ≥ threshold) against Eν; :meth:`update` moves the artists, ``render`` encodes."""

    def __init__(self, channel=None):
        self.figure = fig = Figure(figsize=FIGSIZE, dpi=DPI, layout=None)
        FigureCanvasAgg(fig)
        fig.subplots_adjust(left=0.19, right=0.86, top=0.905, bottom=0.34)
        self.ax = ax = fig.add_subplot()
        log_axes(ax, numticks=12)
        ax.set_xlabel("neutrino energy Eν (MeV)", fontsize=FONT["axis"])
        ax.set_ylabel("σ(T ≥ threshold) (cm²/atom)", fontsize=FONT["axis"])
        self.ax_share = share = ax.twinx()
        share.set_ylabel("EM share = EM/total", fontsize=FONT["axis"], color=COLORS["em"])
        share.tick_params(labelsize=FONT["tick"], colors=COLORS["em"])
        self._lines(ax, share)
        self._legend, self._legend_keys = None, ()
        self.title = fig.text(0.012, 0.96, "", ha="left", va="center", fontsize=FONT["note"])
        self.message = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                               fontsize=FONT["note"], color="#555555", visible=False)  # fmt: skip
        self._moving = [*self.pin_lines, self.sm, self.em_pos, self.em_neg, self.total,
                        self.share, self.now, self.e_thr, self.message]  # fmt: skip
        for a in self._moving:
            a.set_animated(True)

    def _lines(self, ax, share) -> None:
        nan2 = ([np.nan], [np.nan])
        self.pin_lines = [ax.plot(*nan2, color=c, **PIN_STYLE, zorder=3.2)[0] for c in PIN_COLORS]
        (self.sm,) = ax.plot(*nan2, color=COLORS["sm"], **STYLES["sm"], label="σ SM", zorder=4)
        (self.em_pos,) = ax.plot(*nan2, color=COLORS["em"], **STYLES["em_pos"],
                                 label="|σ EM|, EM > 0", zorder=4)  # fmt: skip
        (self.em_neg,) = ax.plot(*nan2, color=COLORS["em"], **STYLES["em_neg"],
                                 label="|σ EM|, EM < 0", zorder=4)  # fmt: skip
        (self.total,) = ax.plot(*nan2, color=COLORS["total"], **STYLES["total"],
                                label="σ total", zorder=5)  # fmt: skip
        (self.share,) = share.plot(*nan2, color=COLORS["em"], lw=1.0, ls=(0, (1, 1.5)),
                                   label="EM share →", zorder=4)  # fmt: skip
        xy = ax.get_xaxis_transform()
        (self.now,) = ax.plot(*nan2, color=COLORS["threshold"], lw=1.2, transform=xy,
                              label="current Eν", zorder=3.5)  # fmt: skip
        (self.e_thr,) = ax.plot(*nan2, color=COLORS["tmax"], lw=1.0, ls=":", transform=xy,
                                label="Eν threshold", zorder=3.5)  # fmt: skip

    def frame_key(self) -> tuple:
        return (self.ax.get_xlim(), self.ax.get_ylim(), self.ax_share.get_ylim(),
                self.title.get_text(), self._legend_keys)  # fmt: skip

    def moving(self) -> list:
        return self._moving

    def update(self, view) -> None:
        """Move every artist to ``view`` (a :class:`~explorer.app.view.model.TotalView`)."""
        p, c = view.physics, view.curves
        E, positive = c.T, c.total > 0
        self.sm.set_data(E, np.where(c.sm > 0, c.sm, np.nan))
        self.total.set_data(E, np.where(positive, c.total, np.nan))
        self.em_pos.set_data(E, np.where(c.em > 0, c.em, np.nan))
        self.em_neg.set_data(E, np.where(c.em < 0, -c.em, np.nan))
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(positive, c.em / c.total, np.nan)
        self.share.set_data(E, share)
        self.ax.set_xlim(E[0], E[-1])
        self.ax.set_ylim(*_decades(c))
        low = np.nanmin(share) if np.isfinite(share).any() else 0.0
        self.ax_share.set_ylim(min(-0.05, math.floor(low * 10) / 10), 1.05)
        self.now.set_data([view.E, view.E], [0.0, 1.0])
        self.e_thr.set_data([p.e_threshold] * 2, [0.0, 1.0])
        self.e_thr.set_visible(E[0] < p.e_threshold < E[-1])
        for i, line in enumerate(self.pin_lines):
            pin = view.pins[i] if i < len(view.pins) else None
            line.set_visible(pin is not None)
            if pin is not None:
                line.set_data(E, np.where(pin.total > 0, pin.total, np.nan))
        self.message.set_visible(not positive.any())
        self.message.set_text(p.notice or "no recoil above the threshold\nat any Eν shown")
        self.title.set_text(p.title)
        self._show_legend()

    def _show_legend(self) -> None:
        """The legend under the plot, listing only what is drawn (part of the static layer)."""
        lines = [self.sm, self.em_pos, self.em_neg, self.total, self.share, self.now, self.e_thr]
        drawn = [a for a in lines if a.get_visible() and np.isfinite(a.get_ydata()).any()]
        keys = tuple(a.get_label() for a in drawn)
        if keys == self._legend_keys:
            return
        if self._legend is not None:
            self._legend.remove()
        self._legend = self.figure.legend(
            handles=drawn, loc="lower center", ncols=3, fontsize=FONT["legend"], frameon=False,
            bbox_to_anchor=(0.5, 0.0), handlelength=2.0, columnspacing=0.9,
        )  # fmt: skip
        self._legend_keys = keys


def _decades(c) -> tuple:
    """The σ axis in whole decades over the drawn curves (at most 12 decades)."""
    values = np.concatenate([c.sm[c.sm > 0], np.abs(c.em[c.em != 0]), c.total[c.total > 0]])
    if not values.size:
        return 1e-50, 1e-40
    hi = 10.0 ** math.ceil(math.log10(values.max()))
    lo = max(10.0 ** math.floor(math.log10(np.percentile(values, 2))), hi * 1e-12)
    return lo, hi


__all__ = ["TotalFigure"]
