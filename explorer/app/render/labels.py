"""The static layer's label groups: labels that change more often than the rest of the layer,
drawn over the layer's blank strip when only they changed (``Blitted.frame_labels``).

* :class:`DecadeLabels` — the dσ/dT axis's decade labels. A μν move that makes the curves leave
  their top two decades moves the axis by whole decades
  (:func:`~explorer.app.render.figdata.y_limits`); with fixed axes the grid lines and tick marks
  then stay where they were, in pixels, and only the numbers change (``10⁻⁴⁵`` → ``10⁻⁴⁴``).
* :class:`LegendLayer` — the legend below the axes: it loses an entry when a marker (the
  crossover, the estimate scale, a threshold) leaves the T range, which a factor of two in μν
  often does.

Drawing a panel's whole static layer again costs ≈ 20 ms (its texts, most of all); a class of
thirty moving μν by factors of two at once spent most of its kernels' time there (issue 18). A
group's strip holds everything its labels can cover and nothing that changes with them, and the
two strips do not overlap (:func:`band`), so each group is redrawn alone. A full draw (export,
preview) draws the same artists like any other, at the same pixels.

Tests: ``tests/app/test_figures.py`` (an axis moved by whole decades, a new legend, a legend too
tall for its strip: no full draw where none is needed, and always the pixels of a full draw).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.transforms import Bbox

from explorer.app.render.legend import EntryLegend
from explorer.app.render.style import decade_label


def band(ax) -> float:
    """The line between the two groups' strips, in display pixels: two tick-label heights below
    the axes (the decade labels above it, the legend below)."""
    return ax.get_window_extent().y0 - 2 * ax.yaxis.get_major_ticks()[0].label1.get_fontsize() * (
        ax.figure.dpi / 72
    )


class DecadeLabels:
    """The y tick labels of ``ax`` (a log axis with a tick per shown decade), as artists of the
    figure's render loop: :attr:`texts`, animated (a full draw of a live render skips them)."""

    def __init__(self, ax):
        self.ax = ax
        self._proto = ax.yaxis.get_major_ticks()[0].label1  # matplotlib's label: look and place
        ax.tick_params(axis="y", labelleft=False)
        self.texts: list = []
        self.fractions: tuple = ()
        self._ylim = None  # the limits the labels were last put on

    def _new_text(self):
        text = self.ax.text(0.0, np.nan, "", visible=False)
        text.update_from(self._proto)
        text.set_transform(self._proto.get_transform())
        text.set_animated(True)
        self.texts.append(text)

    def update(self) -> None:
        """Put a label on every tick of the current y limits (matplotlib's tick locator); the
        same limits as last time: nothing to do."""
        if self.ax.get_ylim() == self._ylim:
            return
        lo, hi = self._ylim = self.ax.get_ylim()
        ticks = self.ax.yaxis.get_major_locator().tick_values(lo, hi)
        span = math.log10(hi / lo)
        shown = [t for t in ticks if lo * (1 - 1e-9) <= t <= hi * (1 + 1e-9)]
        self.fractions = tuple(round(math.log10(t / lo) / span, 9) for t in shown)
        while len(self.texts) < len(shown):
            self._new_text()
        for text, tick in zip(self.texts, shown + [None] * len(self.texts), strict=False):
            text.set_visible(tick is not None)
            if tick is not None:
                text.set_position((0.0, tick))
                text.set_text(decade_label(tick))

    def key(self) -> tuple:
        """What the labels' pixels depend on, beyond the static layer's key."""
        return self.ax.get_ylim(), tuple(t.get_text() for t in self.texts if t.get_visible())

    def strip(self) -> Bbox:
        """The figure's strip left of the axis's tick marks and above :func:`band` (display
        pixels): every label lies inside it."""
        fig = self.ax.figure
        x0 = self.ax.get_window_extent().x0
        ticks = self.ax.yaxis.get_major_ticks()[0].tick1line.get_markersize() * fig.dpi / 72
        return Bbox.from_extents(0, math.ceil(band(self.ax)), math.floor(x0 - ticks) - 1,
                                 fig.bbox.height)  # fmt: skip

    def draw(self, figure) -> None:
        for text in self.texts:
            if text.get_visible():
                figure.draw_artist(text)


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
