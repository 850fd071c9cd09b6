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
    """The legend of a figure below its axes ``ax``, as a label group: :meth:`show` puts a new
    legend (animated: a full draw of a live render skips it) with the entries it stands for."""

    def __init__(self, ax):
        self.ax = ax
        self.legend = None
        self.keys: tuple = ()  # the legend's entries (key, label)
        self.fits = True  # the legend lies inside its strip
        self._pixels = self._stamp = None  # the legend's last drawn pixels, and for what

    def show(self, legend, keys: tuple) -> None:
        """Replace the legend (the old one is removed from the figure)."""
        if self.legend is not None:
            self.legend.remove()
        self.legend, self.keys = legend, keys
        legend.set_animated(True)
        renderer = self.ax.figure.canvas.get_renderer()
        self.fits = legend.get_window_extent(renderer).y1 < band(self.ax) - 1

    def key(self) -> tuple:
        return self.keys

    def strip(self) -> Bbox:
        """The figure's width below :func:`band` (display pixels)."""
        return Bbox.from_extents(0, 0, self.ax.figure.bbox.width, math.floor(band(self.ax)) - 1)

    def draw(self, figure) -> None:
        """Draw the legend, or paste it as it was last drawn at this resolution (it sits apart
        from every other artist, and its ten texts cost a third of a full draw)."""
        legend, canvas = self.legend, figure.canvas
        if legend is None:
            return
        stamp = (legend, figure.dpi, canvas.get_width_height())
        if stamp == self._stamp:
            canvas.restore_region(self._pixels)
            return
        figure.draw_artist(legend)
        # two pixels round the legend's box: its anti-aliased edges, nothing else's
        box = legend.get_window_extent(canvas.get_renderer()).padded(2)
        self._pixels, self._stamp = canvas.copy_from_bbox(box), stamp
