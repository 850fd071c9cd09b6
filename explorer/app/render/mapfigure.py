"""The figure of a "where EM wins" map, made once and mutated in place (Agg canvas, no pyplot).

A :class:`MapFigure` shows one :class:`~explorer.app.view.model.MapData`: |EM|/SM as cells in
(log₁₀ T, log₁₀ y) coordinates (colour map ``viridis``: perceptually uniform and readable with the
common colour-vision deficiencies; a fixed log colour scale, 10⁻⁴…10⁴, so that a colour means the
same ratio after every update), the crossover line (the readout's |EM| = SM edge, black with a
white halo), the eq. 9 / eq. 16 scale, the detector threshold, the experimental limits on μν
(named inside the map just above their lines) and the current slider value with the readout's crossover on it
(and a clicked point, if any). Cells with no events (SM = 0: beyond T_max, below I₁ with
stepping) are light grey. Every line has a white halo, so it reads on any colour of the map.

:meth:`MapFigure.update` moves the artists (new cell colours, ``set_data`` on the lines);
:meth:`MapFigure.render` blits them over a cached static layer (frame, ticks, colour bar, legend)
and encodes the PNG on the render loop every figure shares (:mod:`explorer.app.render.loop`).

>>> from explorer.app.state.traits import ExplorerState
>>> from explorer.app.view.emmap import compute_map
>>> fig = MapFigure("electron", "mu")
>>> fig.update(compute_map("electron", ExplorerState(), "mu", n=40))
>>> fig.render()[:8]
b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colormaps
from matplotlib import patheffects as pe
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator, NullLocator
from matplotlib.transforms import Bbox

from explorer.app.declare.channels import channel as as_channel
from explorer.app.declare.fmt import energy, sci
from explorer.app.render.loop import Blitted
from explorer.app.render.mapartists import TEXT_BOX, Cells, Name
from explorer.app.render.style import COLORS, DPI, FIGSIZE, FONT, decade_label
from explorer.app.view.emmap import AXES

__all__ = ["RATIO_DECADES", "MapFigure"]

#: The colour scale spans 10^±RATIO_DECADES in |EM|/SM (beyond: the end colours).
RATIO_DECADES = 4
#: The threshold line: the panels' bluish green (pink dotted means binding edges there), on a
#: white halo that keeps it apart from viridis' own greens.
THRESHOLD = COLORS["threshold"]
#: Colour of cells with no events.
NO_EVENTS = "#e4e4e4"
#: Colour map: viridis (van der Walt & Smith, matplotlib 2.0, 2015), perceptually uniform and
#: readable with the common colour-vision deficiencies; it changes hue along the scale (purple,
#: teal at |EM|/SM = 1, yellow), which separates "SM wins" from "EM wins" better than cividis.
CMAP = "viridis"

_HALO = [pe.withStroke(linewidth=3.6, foreground="white")]

_Y_LABEL = {"mu": "magnetic moment μν (μB)", "q": "millicharge |qν| (e)"}
_CURRENT = {"mu": "current μν", "q": "current |qν|"}

#: The layout, in fractions of the figure (FIGSIZE at DPI: 648 × 540 px, text ≥ 10 pt), from the
#: top: the title and the held parameters (each in its own strip), the map (the colour bar at
#: its right, its name above the bar), the tick labels, the x label, the legend in 2 columns.
#: Inside the map: off-scale markers at the top corners, notes at the bottom left, the names
#: of the limits just above their lines at the right or left end.
_AXES = dict(left=0.155, right=0.85, top=0.855, bottom=0.33)
_CBAR = (0.885, 0.33, 0.022, 0.45)  # left, bottom, width, height
_CBAR_LABEL_Y = 0.8
_TITLE_Y, _HELD_Y = 0.96, 0.905
_X_LABEL_Y, _Y_LABEL_X = 0.225, 0.012
#: Half height of a title strip, × the text's font size (a line of text is ≈ 1.2 of it).
_STRIP_HALF = 0.7
#: Height of the box of a limit's name (pt), × the font size (the text ≈ 1.2, the pads 0.4), and
#: its gap to the line (pt).
_LINE_HEIGHT, _LIMIT_GAP = 1.6, 1.5


#: Strips of title text kept (each 648 px × ≤ 31 px RGBA at DPI: ≤ 80 kB).
N_STRIPS = 16


def _strip(fig, y: float, fontsize: float):
    """The full-width band of pixels around a line of text of ``fontsize`` pt at figure height
    ``y`` (at the figure's current resolution)."""
    h = fig.bbox.height
    half = _STRIP_HALF * fontsize * fig.dpi / 72.0
    return Bbox.from_extents(0, y * h - half, fig.bbox.width, y * h + half)


def _log_tick(x, _pos=None) -> str:
    """Tick label of a log₁₀ coordinate: ``-11`` → ``10⁻¹¹``."""
    return decade_label(10.0**x)


class MapFigure(Blitted):
    """The map of one channel (``"electron"``/``"nucleus"``) over one axis (``"mu"``/``"q"``)."""

    def __init__(self, channel, axis: str):
        ch = as_channel(channel)
        if not ch.map:
            raise ValueError(f"channel {ch.name!r} has no map")
        if axis not in AXES:
            raise ValueError(f"axis must be one of {AXES}, got {axis!r}")
        self.record, self.channel, self.axis = ch, ch.name, axis
        self.figure = fig = Figure(figsize=FIGSIZE, dpi=DPI, layout=None)
        FigureCanvasAgg(fig)
        fig.subplots_adjust(**_AXES)
        self.ax = ax = fig.add_subplot()
        self.cax = cax = fig.add_axes(_CBAR)
        self._frame(fig, ax)
        cmap = colormaps[CMAP].with_extremes(bad=NO_EVENTS)
        norm = Normalize(-RATIO_DECADES, RATIO_DECADES)
        self._cmap, self._norm = cmap, norm
        self.image = ax.add_artist(Cells(ax))
        cb = fig.colorbar(ScalarMappable(norm, cmap), cax=cax, extend="both")
        cb.set_ticks(FixedLocator(range(-RATIO_DECADES, RATIO_DECADES + 1, 2)))
        cb.ax.yaxis.set_major_formatter(FuncFormatter(_log_tick))
        cb.ax.yaxis.set_minor_locator(NullLocator())
        cb.ax.tick_params(labelsize=FONT["tick"])
        fig.text(0.99, _CBAR_LABEL_Y, "|EM|/SM", ha="right", va="bottom", fontsize=FONT["axis"])
        cb.ax.axhline(0.0, color="black", lw=2.0)  # ratio 1: the crossover
        self._make_lines(ax)
        self.title = fig.text(0.02, _TITLE_Y, "", ha="left", va="center", fontsize=FONT["title"])
        self.held = fig.text(0.02, _HELD_Y, "", ha="left", va="center", fontsize=FONT["note"],
                             color="#333333")  # fmt: skip
        self.notice = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                              fontsize=FONT["note"], visible=False, zorder=8,
                              bbox=TEXT_BOX)  # fmt: skip
        self._legend = self._make_legend(fig)
        self._limit_artists: list = []
        self.limit_names: list = []
        self._limits_key = None
        # drawn over the cached frame in the order of a full draw (zorder, then creation):
        # the image, the frame's lines, the limits, the lines, the texts
        lines = [self.line_cross, self.line_scale, self.line_thr, self.line_current,
                 self.marker_cross, self.marker_mark, self.off_left, self.off_right,
                 self.note, self.notice]  # fmt: skip
        self._lines = sorted(lines, key=lambda a: a.get_zorder())
        self._drawn = self._lines
        # The title and the held parameters change with Eν, μν…: they are not in the cached
        # frame (which changes only with the axis ranges and the limits). Each sits in a fixed
        # strip across the top; a strip once drawn is kept per text (drawing text costs more
        # than the rest of a render), so only a new text is drawn.
        self._texts: list = []
        for a in (self.title, self.held):
            a.set_animated(True)
        self._strips: dict = {}
        self._shown_ratio = None
        for a in [self.image, *self.ax.spines.values(), *self._lines]:
            a.set_animated(True)

    # ------------------------------------------------------------------------------------
    def _frame(self, fig, ax) -> None:
        """Axis labels at fixed places (no automatic layout), decade ticks."""
        what = self.record.recoil
        x_mid = (_AXES["left"] + _AXES["right"]) / 2
        y_mid = (_AXES["bottom"] + _AXES["top"]) / 2
        fig.text(x_mid, _X_LABEL_Y, f"{what} recoil energy T (keV)", ha="center", va="center",
                 fontsize=FONT["axis"])  # fmt: skip
        fig.text(_Y_LABEL_X, y_mid, _Y_LABEL[self.axis], rotation=90, ha="left", va="center",
                 fontsize=FONT["axis"])  # fmt: skip
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_locator(MultipleLocator(1.0))
            axis.set_minor_locator(NullLocator())
            axis.set_major_formatter(FuncFormatter(_log_tick))
        ax.tick_params(labelsize=FONT["tick"])

    def _make_lines(self, ax) -> None:
        nan2 = ([np.nan], [np.nan])
        (self.line_cross,) = ax.plot(*nan2, color="black", lw=2.2, path_effects=_HALO, zorder=5)
        (self.line_scale,) = ax.plot(*nan2, color=COLORS["em"], lw=1.8, ls=(0, (2, 2)),
                                     path_effects=_HALO, zorder=4)  # fmt: skip
        (self.line_thr,) = ax.plot(*nan2, color=THRESHOLD, lw=1.8,
                                   path_effects=_HALO, zorder=4)  # fmt: skip
        (self.line_current,) = ax.plot(*nan2, color=COLORS["sm"], lw=1.6, ls=(0, (6, 2)),
                                       path_effects=_HALO, zorder=4.5)  # fmt: skip
        (self.marker_cross,) = ax.plot(*nan2, ls="none", marker="o", ms=8, mfc="white",
                                       mec="black", mew=2, zorder=6)  # fmt: skip
        (self.marker_mark,) = ax.plot(*nan2, ls="none", marker="X", ms=10, mfc="white",
                                      mec="black", mew=1.2, zorder=6)  # fmt: skip
        kw = dict(transform=ax.transAxes, fontsize=FONT["small"], color="#222222", zorder=7,
                  bbox=TEXT_BOX)  # fmt: skip
        # off-scale markers at the top corners, notes at the bottom: they never meet
        self.off_left = ax.text(0.015, 0.975, "", ha="left", va="top", **kw)
        self.off_right = ax.text(0.985, 0.975, "", ha="right", va="top", **kw)
        self.note = ax.text(0.015, 0.025, "", ha="left", va="bottom", **kw)

    def _make_legend(self, fig):
        est = f"{self.record.estimate_eq} scale"
        if self.axis == "q":
            est += " (μν only)"
        handles = [
            Line2D([], [], color="black", lw=2.2, label="|EM| = SM (crossover)"),
            Line2D([], [], color=COLORS["em"], lw=1.8, ls=(0, (2, 2)), label=est),
            Line2D([], [], color=THRESHOLD, lw=1.8, label="threshold"),
            Line2D([], [], color=COLORS["sm"], lw=1.6, ls=(0, (6, 2)), marker="o", mfc="white",
                   mec="black", label=f"{_CURRENT[self.axis]}, its crossover"),
            Patch(facecolor=NO_EVENTS, edgecolor="#999999", label="no events (SM = 0)"),
        ]  # fmt: skip
        if self.axis == "mu":
            handles.append(Line2D([], [], color="#222222", lw=1.0, ls="--", label="limits on μν"))
        else:  # no line to show: the entry says so
            handles.append(Line2D([], [], color="none", label="no cited qν limit in the explorer"))
        return fig.legend(handles=handles, loc="lower center", ncols=2, fontsize=FONT["legend"],
                          frameon=False, bbox_to_anchor=(0.5, 0.0), handlelength=2.2,
                          columnspacing=1.0, handletextpad=0.5, labelspacing=0.3,
                          borderaxespad=0.3)  # fmt: skip

    def _show_limits(self, limits: tuple) -> None:
        """Horizontal lines at the limits, each named just above its line inside the map, at
        the right end or, where that name would meet the one below, at the left end (near-equal
        limits share a name; a name may cross the next line up, over which it is drawn with a
        white halo). Lines and names are redrawn over the image."""
        ylim = self.ax.get_ylim()
        if (limits, ylim) == self._limits_key:
            return
        for a in self._limit_artists:
            a.remove()
        self._limit_artists, self.limit_names = [], []
        self._limits_key = (limits, ylim)
        # a name's height in data units (the axes' height in pt does not depend on the dpi)
        axes_pt = FIGSIZE[1] * 72.0 * (_AXES["top"] - _AXES["bottom"])
        per_pt = (ylim[1] - ylim[0]) / axes_pt
        height = (_LINE_HEIGHT * FONT["small"] + _LIMIT_GAP) * per_pt
        groups: list = []  # [names, y, side]
        top = {1.0: -math.inf, 0.0: -math.inf}  # top of the last name on each side
        for label, value in sorted(limits, key=lambda lv: lv[1]):
            ly = math.log10(value)
            line = self.ax.axhline(ly, color="#222222", lw=1.0, ls="--", zorder=3, animated=True)
            self._limit_artists.append(line)
            if groups and ly - groups[-1][1] < 0.25 * height:  # the same line: one name
                groups[-1][0] += ", " + label
                continue
            side = next((s for s in (1.0, 0.0) if ly >= top[s]), None)
            if side is None:  # no room on either side: named with the one below
                groups[-1][0] += ", " + label
                continue
            top[side] = ly + height
            groups.append([label, ly, side])
        for label, ly, side in groups:
            off = (-3.0 if side else 3.0, _LIMIT_GAP)
            name = Name(self.ax, label, side, ly, off, FONT["small"], "#222222", zorder=5.5)
            self.ax.add_artist(name)
            name.set_animated(True)
            self._limit_artists.append(name)
            self.limit_names.append(name)
        # over the image in the order of a full draw: by zorder (the names over the lines)
        self._drawn = sorted([*self._limit_artists, *self._lines], key=lambda a: a.get_zorder())

    # ------------------------------------------------------------------------------------
    def update(self, d) -> None:
        """Move every artist to the map ``d`` (a :class:`~explorer.app.view.model.MapData`)."""
        if (d.channel, d.axis) != (self.channel, self.axis):
            raise ValueError(
                f"this figure shows {self.channel}/{self.axis}, got data for {d.channel}/{d.axis}"
            )
        lx, ly = np.log10(d.T), np.log10(d.y)
        hx, hy = (lx[-1] - lx[0]) / (len(lx) - 1), (ly[-1] - ly[0]) / (len(ly) - 1)
        if d.ratio is not self._shown_ratio:  # a new map (not only a new current value)
            self._shown_ratio = d.ratio
            with np.errstate(divide="ignore", invalid="ignore"):
                rgba = self._cmap(self._norm(np.log10(d.ratio)), bytes=True)
            # cells centred on the grid points: edges half a step out
            xe = np.linspace(lx[0] - hx / 2, lx[-1] + hx / 2, len(lx) + 1)
            ye = np.linspace(ly[0] - hy / 2, ly[-1] + hy / 2, len(ly) + 1)
            self.image.set_cells(rgba, xe, ye)
        self.ax.set_xlim(lx[0], lx[-1])
        self.ax.set_ylim(ly[0], ly[-1])
        # the crossover line: rows with a region (0: none); "all" rows sit at the search's end
        with np.errstate(divide="ignore"):
            cx = np.where(d.cross > 0, np.log10(d.cross), np.nan)
        self.line_cross.set_data(cx, ly)
        with np.errstate(divide="ignore"):
            sx = np.where((d.scale > 0) & np.isfinite(d.scale), np.log10(d.scale), np.nan)
        self.line_scale.set_data(sx, ly)
        self._vline(self.line_thr, d.threshold, ly)
        on = d.current is not None
        self.line_current.set_visible(on)
        if on:
            yc = math.log10(d.current)
            self.line_current.set_data([lx[0], lx[-1]], [yc, yc])
        edge = on and 0 < d.current_cross < d.t_top * (1 - 1e-9)
        self.marker_cross.set_visible(edge)
        if edge:
            self.marker_cross.set_data([math.log10(d.current_cross)], [yc])
        self.marker_mark.set_visible(d.mark is not None)
        if d.mark is not None:
            self.marker_mark.set_data([math.log10(d.mark[0])], [math.log10(d.mark[1])])
        self._off_scale(d, on)
        self._show_limits(d.limits)
        self.notice.set_visible(bool(d.notice))
        self.notice.set_text(d.notice)
        self.title.set_text(d.title)
        self.held.set_text(f"held: {d.held}")

    @staticmethod
    def _vline(line, x: float, ly) -> None:
        if x > 0 and math.isfinite(x):
            lx = math.log10(x)
            line.set_data([lx, lx], [ly[0], ly[-1]])
            line.set_visible(True)
        else:
            line.set_visible(False)

    def _off_scale(self, d, on: bool) -> None:
        """Name, at the top corners with their values, the markers outside the T range; say at
        the bottom why the current value has no marker."""
        lo, hi = d.T[0], d.T[-1]
        marks = {"threshold": d.threshold}
        if on and 0 < d.current_cross < d.t_top * (1 - 1e-9):
            marks["crossover"] = d.current_cross
        left = [f"◀ {k} {energy(x)}" for k, x in marks.items() if x < lo]
        right = [f"{k} {energy(x)} ▶" for k, x in marks.items() if x > hi]
        self.off_left.set_text("\n".join(left))
        self.off_right.set_text("\n".join(right))
        name = "μν" if d.axis == "mu" else "qν"
        note = ""
        if on and d.current_cross == 0.0:
            note = f"current {name} {sci(d.current)}:\nno region where |EM| ≥ SM"
        if not on:
            note = f"{name} is off: the live plot\n({name} = 0) is not on this map"
        self.note.set_text(note)

    def frame_key(self) -> tuple:
        return (self.ax.get_xlim(), self.ax.get_ylim(), self._limits_key, self.figure.dpi)

    def moving(self) -> list:
        # the image would cover the inner half of the frame's lines: they are drawn after it
        return [self.image, *self.ax.spines.values(), *self._drawn]

    def after_blit(self, new_frame: bool) -> None:
        """The title and the held parameters, each from its kept strip of pixels when its text
        was drawn before (drawing text costs more than the rest of a render)."""
        canvas, fig = self.figure.canvas, self.figure
        if new_frame:
            self._strips.clear()
            self._texts = [(a, _strip(fig, a.get_position()[1], a.get_fontsize()))
                           for a in (self.title, self.held)]  # fmt: skip
        for a, bbox in self._texts:
            k = (bbox.y0, a.get_text())
            strip = self._strips.get(k)
            if strip is None:
                fig.draw_artist(a)
                if len(self._strips) >= N_STRIPS:
                    self._strips.pop(next(iter(self._strips)))
                strip = self._strips[k] = canvas.copy_from_bbox(bbox)
            else:
                canvas.restore_region(strip)
