"""Stamps: the pixels of a label drawn once on a blank background, pasted the next time.

A label group of the static layer (:mod:`explorer.app.render.labels`) draws its texts on a
blank strip. Drawn at whole-pixel places, a text or a legend entry is the same pixels wherever
it goes (Agg places glyphs at 1/64 px and lines at 1/256 px: a whole-pixel shift shifts them
exactly), so a group keeps each one's pixels and pastes them instead of drawing it again: a
text costs ≈ 0.5–1 ms to lay out and draw in matplotlib 3.11, a paste a few µs.

:class:`Stamps` pastes only onto a box whose pixels are all the colour they were under the
stamp when it was made, and keeps only what was drawn on such a box: anything else under a box
(a neighbour's ink, a line) and the label is drawn as always.

Tests: ``tests/app/test_legend.py``, ``tests/app/test_figures.py`` (pasted labels give the
pixels of a full draw; none drawn again where a stamp serves).
"""

from __future__ import annotations

from collections import OrderedDict

import numpy as np


class Stamps:
    """Stamps by key, at most ``limit`` of them (the least recently used go first)."""

    def __init__(self, limit: int):
        self.limit = limit
        self._items: OrderedDict = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def paste_or_draw(self, canvas, box: tuple, key, draw) -> bool:
        """Fill ``box`` ``(x0, y0, x1, y1)`` (whole display pixels, y upwards) of ``canvas``
        (Agg) with the stamp of ``key``, or call ``draw()`` and keep what it drew there as that
        stamp. True if pasted."""
        rgba = np.asarray(canvas.buffer_rgba())
        height, width = rgba.shape[:2]
        x0, y0, x1, y1 = box
        if x0 < 0 or y0 < 0 or x1 > width or y1 > height or x0 >= x1 or y0 >= y1:
            draw()
            return False
        region = rgba[height - y1 : height - y0, x0:x1]
        blank = region[0, 0].copy()
        if not (region == blank).all():
            draw()
            return False
        key = (key, x1 - x0, y1 - y0, tuple(blank))
        pixels = self._items.pop(key, None)
        pasted = pixels is not None
        if pasted:
            region[...] = pixels
        else:
            draw()
            pixels = region.copy()
        self._items[key] = pixels  # the most recently used last
        if len(self._items) > self.limit:
            del self._items[next(iter(self._items))]
        return pasted


__all__ = ["Stamps"]
