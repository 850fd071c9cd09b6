"""The static layer's label groups: labels that change more often than the rest of the layer,
drawn over the layer's blank strip when only they changed (``Blitted.frame_labels``).

* :class:`DecadeLabels` — the dσ/dT axis's decade labels. A μν move that makes the curves leave
  their top two decades moves the axis by whole decades
  (:func:`~explorer.app.render.figdata.y_limits`); with fixed axes the grid lines and tick marks
  then stay where they were, in pixels, and only the numbers change (``10⁻⁴⁵`` → ``10⁻⁴⁴``).
  The labels sit at whole pixels, so one drawn before is pasted at its new place
  (:class:`~explorer.app.render.stamps.Stamps`): a move draws only the decades new to the axis.
* :class:`DecadeGrid` — the dσ/dT axis's grid lines and tick marks. In fit axes a μν move
  often changes how many decades the axis spans, and so where every decade lies: drawn over
  the rest of the axes' static artists, they are drawn again alone.
* :class:`LegendLayer` — the legend below the axes: it loses an entry when a marker (the
  crossover, the estimate scale, a threshold) leaves the T range, which a factor of two in μν
  often does.

Drawing a panel's whole static layer again costs ≈ 20 ms (its texts, most of all); a class of
thirty moving μν by factors of two at once spent most of its kernels' time there (issue 18). A
group's strip holds everything its labels can cover and nothing that changes with them, and the
strips do not overlap (:func:`band`, :func:`tick_edge`), so each group is redrawn alone. A full
draw (export, preview) draws the same artists like any other, at the same pixels.

Tests: ``tests/app/test_figures.py`` (an axis moved by whole decades, a new legend, a legend too
tall for its strip, a new span of decades: no full draw where none is needed, and always the
pixels of a full draw).
"""

from __future__ import annotations

import math

from matplotlib.artist import Artist
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox, IdentityTransform

from explorer.app.render.legend import EntryLegend
from explorer.app.render.stamps import Stamps
from explorer.app.render.style import decade_label


def band(ax) -> float:
    """The line between the two groups' strips, in display pixels: two tick-label heights below
    the axes (the decade labels above it, the legend below)."""
    return ax.get_window_extent().y0 - 2 * ax.yaxis.get_major_ticks()[0].label1.get_fontsize() * (
        ax.figure.dpi / 72
    )


def tick_edge(ax) -> int:
    """The first pixel column of the y tick marks (left of the axes): the decade labels' strip
    ends before it, the grid's begins with it."""
    ticks = ax.yaxis.get_major_ticks()[0].tick1line.get_markersize() * ax.figure.dpi / 72
    return math.floor(ax.get_window_extent().x0 - ticks)


class DecadeTexts(Artist):
    """The decade labels of ``ax``'s y axis as one artist: matplotlib's label (look, place) at
    each of :attr:`ticks`, its anchor rounded to whole pixels (≤ ½ px from the tick: nothing
    to see), so that a label once drawn can be pasted at any other decade (:meth:`blit`)."""

    def __init__(self, ax):
        super().__init__()
        self.ax = ax
        self._proto = ax.yaxis.get_major_ticks()[0].label1  # matplotlib's label: look and place
        self._text = Text(0, 0, "")
        self._text.update_from(self._proto)
        self._text.set_transform(IdentityTransform())
        self._text.set_figure(ax.figure)
        self.set_figure(ax.figure)
        self.ticks: list = []
        self._stamps = Stamps(limit=24)  # more than the decades of an axis

    def _place(self, tick: float) -> None:
        x, y = self._proto.get_transform().transform((0.0, tick))
        self._text.set_position((round(x), round(y)))
        self._text.set_text(decade_label(tick))

    def draw(self, renderer) -> None:
        """Draw every label (a full draw)."""
        for tick in self.ticks:
            self._place(tick)
            self._text.draw(renderer)
        self.stale = False

    def blit(self, canvas) -> None:
        """Draw every label on ``canvas`` (Agg), pasting those drawn before at this resolution."""
        renderer = canvas.get_renderer()
        dpi = self.ax.figure.dpi
        for tick in self.ticks:
            self._place(tick)
            box = self._text.get_window_extent(renderer)
            cell = (math.floor(box.x0) - 2, math.floor(box.y0) - 2, math.ceil(box.x1) + 2,
                    math.ceil(box.y1) + 2)  # fmt: skip
            self._stamps.paste_or_draw(canvas, cell, (self._text.get_text(), dpi),
                                       lambda: self._text.draw(renderer))  # fmt: skip


class DecadeLabels:
    """The y tick labels of ``ax`` (a log axis with a tick per shown decade), as a label group of
    the figure's render loop: :attr:`texts` (a :class:`DecadeTexts`, animated: a full draw of a
    live render skips it)."""

    def __init__(self, ax):
        self.ax = ax
        self.texts = DecadeTexts(ax)
        self.texts.set_animated(True)
        ax.figure.add_artist(self.texts)
        ax.tick_params(axis="y", labelleft=False)
        self._ylim = None  # the limits the labels were last put on
        self._key: tuple = (None, ())

    def update(self) -> None:
        """Put a label on every tick of the current y limits (matplotlib's tick locator); the
        same limits as last time: nothing to do."""
        if self.ax.get_ylim() == self._ylim:
            return
        lo, hi = self._ylim = self.ax.get_ylim()
        ticks = self.ax.yaxis.get_major_locator().tick_values(lo, hi)
        shown = [t for t in ticks if lo * (1 - 1e-9) <= t <= hi * (1 + 1e-9)]
        self.texts.ticks = shown
        self._key = (self._ylim, tuple(decade_label(t) for t in shown))

    @property
    def ticks(self) -> list:
        """The decades shown (a new list whenever the limits change)."""
        return self.texts.ticks

    def key(self) -> tuple:
        """What the labels' pixels depend on, beyond the static layer's key."""
        return self._key

    def strip(self) -> Bbox:
        """The figure's strip left of the axis's tick marks and above :func:`band` (display
        pixels): every label lies inside it."""
        fig = self.ax.figure
        return Bbox.from_extents(0, math.ceil(band(self.ax)), tick_edge(self.ax) - 1,
                                 fig.bbox.height)  # fmt: skip

    def draw(self, figure) -> None:
        self.texts.blit(figure.canvas)


class DecadeGrid:
    """The grid lines and tick marks of ``ax``'s y axis at the decades of ``labels`` (a
    :class:`DecadeLabels`), as artists of the figure's render loop (animated), in matplotlib's
    look; matplotlib's own y grid and marks are off. They are drawn over every other static
    artist of the axes (``ZORDER``), under everything that moves, so that they can be drawn
    again alone; a grid line at the axis's limits would lie on the frame, and is left out."""

    ZORDER = 2.99

    def __init__(self, ax, labels: DecadeLabels):
        self.ax, self.labels = ax, labels
        self._ticks = None  # the decades the marks and lines were put at
        self._fractions: tuple = ()  # where they lie, as fractions of the axis (its key)
        proto = ax.yaxis.get_major_ticks()[0]
        self.marks = Line2D([], [], linestyle="None")
        self.marks.update_from(proto.tick1line)
        self.marks.set_transform(ax.get_yaxis_transform(which="tick1"))
        self.lines = LineCollection([], transform=ax.get_yaxis_transform(which="grid"))
        grid = proto.gridline
        self.lines.set(colors=[grid.get_color()], linewidths=[grid.get_linewidth()],
                       linestyles=[grid.get_linestyle()], alpha=grid.get_alpha())  # fmt: skip
        ax.add_collection(self.lines, autolim=False)
        ax.add_line(self.marks)
        self.marks.set_clip_on(False)
        for a in (self.lines, self.marks):
            a.set_zorder(self.ZORDER)
            a.set_animated(True)
        ax.tick_params(axis="y", left=False)
        ax.yaxis.grid(False)

    def update(self) -> None:
        """Put the marks and lines at the decades of the labels (if they moved)."""
        ticks = self.labels.ticks
        if ticks is self._ticks:
            return
        self._ticks = ticks
        lo, hi = self.ax.get_ylim()
        span = math.log10(hi / lo)
        self._fractions = tuple(round(math.log10(t / lo) / span, 9) for t in ticks)
        inner = [t for t in ticks if lo * (1 + 1e-9) < t < hi * (1 - 1e-9)]
        self.marks.set_data([0.0] * len(ticks), ticks)
        self.lines.set_segments([[(0.0, t), (1.0, t)] for t in inner])

    def key(self) -> tuple:
        return self._fractions

    def strip(self) -> Bbox:
        """The axes and the tick marks left of them, two pixels round (display pixels)."""
        box = self.ax.get_window_extent()
        return Bbox.from_extents(tick_edge(self.ax), math.floor(box.y0) - 2,
                                 math.ceil(box.x1) + 2, math.ceil(box.y1) + 2)  # fmt: skip

    def draw(self, figure) -> None:
        figure.draw_artist(self.lines)
        figure.draw_artist(self.marks)


class LegendLayer:
    """The legend of a figure below its axes ``ax``, as a label group: an
    :class:`~explorer.app.render.legend.EntryLegend` of ``handles`` (animated: a full draw of a
    live render skips it), showing the entries of :meth:`show`."""

    def __init__(self, ax, handles: dict, fontsize: float):
        self.ax = ax
        self.legend = EntryLegend(ax.figure, handles, fontsize)
        self.legend.set_animated(True)
        ax.figure.add_artist(self.legend)
        self.fits = True  # the legend lies inside its strip

    @property
    def keys(self) -> tuple:
        """The legend's entries (key, label)."""
        return self.legend.entries

    def show(self, keys: tuple) -> None:
        """Show the entries ``keys`` ((key, label) pairs, in legend order)."""
        self.legend.set_entries(keys)
        renderer = self.ax.figure.canvas.get_renderer()
        self.fits = self.legend.get_window_extent(renderer).y1 < band(self.ax) - 1

    def key(self) -> tuple:
        return self.keys

    def strip(self) -> Bbox:
        """The figure's width below :func:`band` (display pixels)."""
        return Bbox.from_extents(0, 0, self.ax.figure.bbox.width, math.floor(band(self.ax)) - 1)

    def draw(self, figure) -> None:
        """Draw the legend on its blank strip, each entry pasted as it was last drawn
        (:meth:`~explorer.app.render.legend.EntryLegend.blit`)."""
        self.legend.blit(figure.canvas)
