"""Persistent matplotlib figures, one per channel, mutated in place and rendered to PNG bytes.

A :class:`PanelFigure` owns a :class:`matplotlib.figure.Figure` on an Agg canvas (no pyplot, no
backend switching). Every artist is made once in ``__init__``; :meth:`PanelFigure.update` moves
them with ``set_data``/``set_verts``/``set_segments``; :meth:`PanelFigure.render` draws and
encodes on the render loop every figure shares (:mod:`explorer.app.render.loop`);
:mod:`explorer.app.render.style` has the look and the frame.

>>> from explorer.app.state.traits import ExplorerState
>>> from explorer.app.view.compute import compute_view
>>> fig = PanelFigure("electron")
>>> fig.update(compute_view("electron", ExplorerState()))
>>> fig.render()[:8]
b'\\x89PNG\\r\\n\\x1a\\n'
>>> render_png(fig.figure)[:8]      # a full draw (export) gives the same kind of bytes
b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from explorer.app.declare.channels import channel as as_channel
from explorer.app.declare.fmt import energy
from explorer.app.render.figdata import bands, y_limits
from explorer.app.render.labels import DecadeGrid, DecadeLabels, LegendLayer
from explorer.app.render.loop import Blitted, encode_png, render_png
from explorer.app.render.style import (
    COLORS,
    FONT,
    N_EDGE_LABELS,
    PIN_COLORS,
    PIN_STYLE,
    STYLES,
    legend_handles,
    new_figure,
)

__all__ = ["PanelFigure", "encode_png", "render_png"]

#: A pin's legend text after its label, when it lies wholly above or below the dσ/dT axis.
_PIN_SUFFIX = {"": "", "above": " ▲ above the axis", "below": " ▼ below the axis"}


class PanelFigure(Blitted):
    """The figure of one channel (``"electron"`` or ``"nucleus"``), built once.

    Rendering blits: the static layer (frame, ticks, grid, labels, legend, title, binding edges) is
    drawn once per T range, title and edges and kept as a bitmap; :meth:`render` restores it and
    draws only the artists that data move (curves, shading, crossover marker and text, vertical
    lines, Eν). The dσ/dT decade labels, its grid lines and tick marks, and the legend are
    redrawn alone when only they change (:mod:`explorer.app.render.labels`). The y limits snap
    to whole decades, and move only when the curves leave the top two decades or outgrow the
    axis, so that most slider moves keep even those.
    """

    def __init__(self, channel):
        ch = as_channel(channel)
        self.channel = ch.name
        self.figure, self.ax = fig, ax = new_figure(ch)
        xy = blended_transform_factory(ax.transData, ax.transAxes)
        self._xy = xy
        self._make_regions(ax, xy)
        self._make_lines(ax, xy)
        self.title = fig.text(0.012, 0.96, "", ha="left", va="center", fontsize=FONT["title"])
        self.energy_text = fig.text(0.985, 0.96, "", ha="right", va="center",
                                    fontsize=FONT["note"])  # fmt: skip
        self._handles = legend_handles(ch)
        self.legend = LegendLayer(ax, self._handles, FONT["legend"])
        self.off_left = ax.text(0.01, 0.1, "", transform=ax.transAxes, ha="left", va="bottom",
                                fontsize=FONT["small"], color="#333333", zorder=7)  # fmt: skip
        self.off_right = ax.text(0.99, 0.1, "", transform=ax.transAxes, ha="right",
                                 va="bottom", fontsize=FONT["small"], color="#333333", zorder=7)  # fmt: skip
        self._pins_off = {}  # pin index → "above" or "below" the dσ/dT axis
        self.y_labels = DecadeLabels(ax)
        self.y_grid = DecadeGrid(ax, self.y_labels)
        self._dynamic = [
            *self.pin_lines,
            self.shade,
            self.line_sm,
            self.line_em_pos,
            self.line_em_neg,
            self.line_total,
            self.vline_cross,
            self.marker_cross,
            self.vline_est,
            self.vline_tmax,
            self.vline_thr,
            self.cross_text,
            self.message,
            self.off_left,
            self.off_right,
            self.energy_text,
        ]
        # The order of a full draw: axes children by zorder, then the Eν text outside the axes.
        # Static artists all lie below zorder 3, moving ones above, so that blitting gives the
        # same pixels as a full draw. The title and the binding edges are static: they change
        # with the target, the model or the T range, and then the static layer is redrawn.
        self._dynamic.sort(key=lambda a: (a is self.energy_text, a.get_zorder()))
        for a in self._dynamic:
            a.set_animated(True)
        self._edges_key = ()
        self._physics = None  # the PanelPhysics on display
        self._fresh_limits = True  # the next update sets the dσ/dT axis from its curves alone

    def forget_limits(self, forget: bool = True) -> None:
        """Set the dσ/dT axis at the next update from its curves alone, without the hysteresis
        that keeps it across slider moves: a link's first view then does not depend on what the
        figure showed before (a pre-heated kernel draws the defaults first; a cold one does not).
        ``forget=False`` withdraws the request (the link changed nothing).
        """
        self._fresh_limits = forget

    # ------------------------------------------------------------------------------------
    def _make_regions(self, ax, xy) -> None:
        """The shading where |EM| ≥ SM and the binding edges with their labels."""
        # shaded low-T region(s) where |EM| ≥ SM: bands in (data x, axes y)
        self.shade = PolyCollection(
            [], facecolors=COLORS["em"], alpha=0.10, edgecolors="none", transform=xy, zorder=3.0
        )
        ax.add_collection(self.shade, autolim=False)
        # binding edges (electron panel)
        self.edges = LineCollection(
            [], colors=COLORS["edge"], linewidths=0.8, linestyles=":", transform=xy, zorder=2.9
        )
        ax.add_collection(self.edges, autolim=False)
        self.edge_labels = [
            ax.text(
                np.nan,
                0.985,
                "",
                transform=xy,
                rotation=90,
                ha="right",
                va="top",
                fontsize=FONT["small"],
                color=COLORS["edge"],
                visible=False,
                zorder=2.95,
            )
            for _ in range(N_EDGE_LABELS)
        ]

    def _make_lines(self, ax, xy) -> None:
        """Curves, vertical markers, the crossover marker and the texts that move with data."""
        nan2 = ([np.nan], [np.nan])
        self.pin_lines = [ax.plot(*nan2, color=c, **PIN_STYLE, zorder=3.2)[0] for c in PIN_COLORS]
        (self.line_sm,) = ax.plot(*nan2, color=COLORS["sm"], **STYLES["sm"], zorder=4)
        (self.line_em_pos,) = ax.plot(*nan2, color=COLORS["em"], **STYLES["em_pos"], zorder=4)
        (self.line_em_neg,) = ax.plot(*nan2, color=COLORS["em"], **STYLES["em_neg"], zorder=4)
        (self.line_total,) = ax.plot(*nan2, color=COLORS["total"], **STYLES["total"], zorder=5)
        self.vline_cross = ax.plot(
            *nan2, color=COLORS["cross"], lw=1.0, ls="-.", transform=xy, zorder=3.5
        )[0]
        (self.marker_cross,) = ax.plot(
            *nan2, ls="none", marker="o", ms=7, mfc="white", mec=COLORS["cross"], mew=2, zorder=6
        )
        self.vline_est = ax.plot(
            *nan2, color=COLORS["estimate"], lw=1.2, ls=":", transform=xy, zorder=3.5
        )[0]
        self.vline_tmax = ax.plot(
            *nan2, color=COLORS["tmax"], lw=1.2, ls=(0, (6, 2, 1, 2)), transform=xy, zorder=3.5
        )[0]
        self.vline_thr = ax.plot(
            *nan2, color=COLORS["threshold"], lw=1.2, transform=xy, zorder=3.5
        )[0]
        self.cross_text = ax.text(
            np.nan,
            0.03,
            "",
            transform=xy,
            ha="left",
            va="bottom",
            fontsize=FONT["small"],
            color=COLORS["cross"],
            zorder=7,
        )
        self.message = ax.text(
            0.5,
            0.5,
            "",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=FONT["note"],
            color="#555555",
            visible=False,
            zorder=7,
        )

    def frame_key(self) -> tuple:
        """The static layer's key: a dσ/dT axis moved by whole decades, or spanning another
        number of them, keeps it, and so does a new legend that fits below the axes; only the
        decade labels, the y grid and marks, the legend are drawn again (:meth:`frame_labels`)."""
        legend = () if self.legend.fits else self.legend.keys
        return (self.ax.get_xlim(), self.title.get_text(),
                self._edges_key, legend)  # fmt: skip

    def frame_labels(self) -> tuple:
        return (self.y_labels, self.y_grid, self.legend)

    def moving(self) -> list:
        return self._dynamic

    @staticmethod
    def _vline(line: Line2D, x: float, show: bool) -> None:
        if show and np.isfinite(x) and x > 0:
            line.set_data([x, x], [0.0, 1.0])
            line.set_visible(True)
        else:
            line.set_visible(False)

    def update(self, view) -> None:
        """Move every artist to ``view`` (a :class:`~explorer.app.view.model.PanelView`).

        When the view's physics is the one already shown (a view-only change: threshold,
        decades), the curves and everything else the physics fixes are left alone, so their
        cached paths are reused and the change costs no more than the floor.
        """
        p = view.physics
        if p is not self._physics:
            self._physics = p
            self._show_physics(p)
        current = None if self._fresh_limits else self.ax.get_ylim()
        self._fresh_limits = False
        limits = y_limits(p.curves, None if view.y_fit else view.y_decades, current)
        if limits is not None and limits != self.ax.get_ylim():
            self.ax.set_ylim(*limits)
        self.y_labels.update()
        self.y_grid.update()
        self._vline(self.vline_thr, view.threshold, True)
        self._show_pins(view)
        self._mark_off_scale(view)

    def _show_pins(self, view) -> None:
        """The pinned curves (on the live grid), faint; unused pin lines hidden. A pin wholly
        above or below the dσ/dT axis (which fits the live curves) stays in the legend as
        "pin k ▲ above the axis" (or "▼ below")."""
        T = view.curves.T
        bottom, top = self.ax.get_ylim()
        self._pins_off = {}
        for i, line in enumerate(self.pin_lines):
            pin = view.pins[i] if i < len(view.pins) else None
            shown = pin is not None and bool((pin.total > 0).any())
            if shown:
                values = pin.total[pin.total > 0]
                if values.max() < bottom:
                    self._pins_off[i] = "below"
                elif values.min() > top:
                    self._pins_off[i] = "above"
                shown = i not in self._pins_off
            line.set_visible(shown)
            if shown:
                line.set_data(T, np.where(pin.total > 0, pin.total, np.nan))
            if pin is not None:  # the legend says what the pin shows, and where it hides
                text = f"pin {i + 1}: {pin.short}" if pin.short else f"pin {i + 1}"
                if pin.same_as:
                    text += f" (= {pin.same_as})"
                for key in (f"pin{i}", f"pin{i}_above", f"pin{i}_below"):
                    suffix = _PIN_SUFFIX[key.partition("_")[2]]
                    self._handles[key].set_label(text + suffix)

    def _mark_off_scale(self, view) -> None:
        """Name, at the axis edge with its value, every marker that lies outside the plotted T
        range; and keep the legend to what is drawn."""
        p = view.physics
        lo, hi = self.ax.get_xlim()
        c = p.crossover
        markers = {
            "cross": c.value if c.kind == "edge" else np.nan,
            "estimate": p.estimate if p.estimate > 0 else np.nan,
            "tmax": p.tmax,
            "threshold": view.threshold,
        }
        names = {"cross": "crossover", "estimate": self._handles["estimate"].get_label(),
                 "tmax": "Tmax", "threshold": "threshold"}  # fmt: skip
        left = [f"◀ {names[k]} {energy(x)}" for k, x in markers.items() if x < lo]
        right = [f"{names[k]} {energy(x)} ▶" for k, x in markers.items() if x > hi]
        self.off_left.set_text("\n".join(left))
        self.off_right.set_text("\n".join(right))
        curves = p.curves
        drawn = {
            "sm": bool((curves.sm > 0).any()),
            "em_pos": bool((curves.em > 0).any()),
            "em_neg": bool((curves.em < 0).any()),
            "total": bool((curves.total > 0).any()),
            "shade": bool(self.shade.get_paths()),
            "cross": self.cross_text.get_visible(),
            "edges": bool(p.edges),
            **{f"pin{i}": line.get_visible() for i, line in enumerate(self.pin_lines)},
            **{f"pin{i}_{side}": True for i, side in self._pins_off.items()},
            **{k: bool(lo <= x <= hi) for k, x in markers.items() if k != "cross"},
        }
        keys = tuple((k, self._handles[k].get_label()) for k in self._handles if drawn.get(k))
        if keys != self.legend.keys:
            self.legend.show(keys)

    def _show_physics(self, p) -> None:
        """Move the artists that the physics fixes: curves, shading, markers, edges, texts."""
        c = p.curves
        T, sm, em, total = c.T, c.sm, c.em, c.total
        _set_line(self.line_sm, T, sm)
        _set_line(self.line_total, T, total)
        _set_line(self.line_em_pos, T, np.where(em > 0, em, np.nan))
        _set_line(self.line_em_neg, T, np.where(em < 0, -em, np.nan))
        lo, hi = float(T[0]), float(T[-1])
        if self.ax.get_xlim() != (lo, hi):
            self.ax.set_xlim(lo, hi)
        empty = not max(float(sm.max()), float(np.abs(em).max()), float(total.max())) > 0
        self.message.set_visible(empty)
        if empty:
            text = p.notice or f"no recoils in this T range\n(Tmax = {energy(p.tmax)})"
            self.message.set_text(text)
        self.shade.set_verts(bands(T, sm, em))
        self._crossover(p.crossover, lo, hi)
        self._vline(self.vline_est, p.estimate, p.estimate > 0)
        self._vline(self.vline_tmax, p.tmax, True)
        self._edges(p.edges)
        if self.title.get_text() != p.title:
            self.title.set_text(p.title)
        self.energy_text.set_text(p.energy_label)

    def _crossover(self, c, lo: float, hi: float) -> None:
        """The crossover line, marker and label (only for a finite edge)."""
        edge = c.kind == "edge"
        self._vline(self.vline_cross, c.value, edge)
        inside = edge and lo <= c.value <= hi
        self.marker_cross.set_visible(inside and c.sm_at > 0)
        if inside and c.sm_at > 0:
            self.marker_cross.set_data([c.value], [c.sm_at])
        self.cross_text.set_visible(inside)
        if inside:
            # the label on the side of the line with more room (log fraction of the axis)
            right = math.log(c.value / lo) > 0.5 * math.log(hi / lo)
            self.cross_text.set_horizontalalignment("right" if right else "left")
            self.cross_text.set_position((c.value / 1.08 if right else c.value * 1.08, 0.03))
            self.cross_text.set_text(f"|EM| = SM at {energy(c.value)}")

    def _edges(self, edges: tuple) -> None:
        """Binding edges with labels on the s levels (and K): static layer, redrawn when moved."""
        self._edges_key = edges
        self.edges.set_segments([[(x, 0.0), (x, 1.0)] for _, x in edges])
        labelled = [(n, x) for n, x in edges if n == "K" or n.endswith("1")]
        for text, item in zip(self.edge_labels, labelled + [None] * N_EDGE_LABELS, strict=False):
            if item is None:
                text.set_visible(False)
            else:
                text.set_position((item[1], 0.985))
                text.set_text(item[0])
                text.set_visible(True)


def _set_line(line, x, y) -> None:
    """``line.set_data(x, y)`` unless it already shows exactly these values: a curve that a
    change leaves alone (the SM curve when μν moves) keeps its cached path, and the render
    skips transforming its 2000 points again."""
    old_x, old_y = line.get_data(orig=True)
    if np.array_equal(old_x, x) and np.array_equal(old_y, y, equal_nan=True):
        return
    line.set_data(x, y)
