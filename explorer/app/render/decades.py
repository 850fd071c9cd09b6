"""The dσ/dT axis's decade labels, drawn apart from the rest of the static layer.

A μν move that makes the curves leave their top two decades moves the dσ/dT axis by whole
decades (:func:`~explorer.app.render.figdata.y_limits`). The grid lines and tick marks then stay
where they were, in pixels — only the labels' numbers change (``10⁻⁴⁵`` → ``10⁻⁴⁴``). Drawing the
whole static layer again for that cost a panel ≈ 20 ms (its texts, most of all), two thirds of
such a move; a class of thirty moving μν by factors of two at once spent most of its kernels'
time there (issue 18). So the labels are artists of their own, not matplotlib's tick labels
(turned off on this axis): the static layer is keyed by where the ticks fall (axes fractions),
not by the limits; when only the numbers change, :meth:`~explorer.app.render.loop.Blitted.render`
pastes the strip left of the axis as the layer had it without labels and draws these labels on
it. A full draw (export, preview) draws them like any artist, at the same pixels.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.transforms import Bbox

from explorer.app.render.style import decade_label


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
        """The figure's strip left of the axis's tick marks (display pixels): the labels lie
        inside it, and nothing that the labels' changes could leave behind lies outside."""
        fig = self.ax.figure
        x0 = self.ax.get_window_extent().x0
        ticks = self.ax.yaxis.get_major_ticks()[0].tick1line.get_markersize() * fig.dpi / 72
        return Bbox.from_extents(0, 0, math.floor(x0 - ticks) - 1, fig.bbox.height)
