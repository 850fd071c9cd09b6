"""The legend of a panel figure, laid out and drawn by the explorer itself.

matplotlib's :class:`~matplotlib.legend.Legend` lays its entries out through nested packing
boxes on every draw; made anew for each set of entries and drawn, it cost ≈ 20 ms of a panel's
render (2026-12-04, ``cProfile`` of μν moved by factors of two: the legend changes on most such
moves, as the crossover, the estimate scale or a threshold leaves the T range). A class of
thirty moving μν at once queued behind those milliseconds (issue 18).

:class:`EntryLegend` draws the same entries — a handle (a line, a line with a marker, a
shaded box) and its label — in a grid computed once per set of entries: ``ncols`` columns
(fewer when long labels would not fit the figure's width) filled column by column (the first
columns take the extra rows), each column as wide as its widest entry, the block centred on the figure and its last row ``BOTTOM`` font sizes above the
figure's bottom edge. Every entry owns a *cell* of whole pixels; the cells tile the block
without overlapping, and each entry's ink lies inside its own cell. So an entry drawn once can
be pasted wherever its cell goes next (:meth:`EntryLegend.blit`): at whole-pixel offsets Agg
draws the same pixels (lines at 1/256 px, glyphs at 1/64 px). A full draw
(:meth:`EntryLegend.draw`: exports, previews, tests) draws every entry; a blit gives its pixels.

Tests: ``tests/app/test_legend.py`` (the layout, cells that hold their ink, a blit against a
full draw), ``tests/app/test_figures.py`` (a panel's new legend: no full frame, the pixels of a
full draw).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, Bbox

from explorer.app.render.stamps import Stamps

#: The layout, in font sizes (as matplotlib's legend defaults, whose look it keeps): handle
#: length, gap from handle to label, gap between columns, row pitch, the handle's height (a
#: shaded box; a line runs along its middle), room below a row's baseline, and the last row's
#: baseline room above the figure's bottom edge.
HANDLE, HANDLE_PAD, COLUMN_GAP, ROW, BOX, BELOW, BOTTOM = 2.0, 0.5, 0.9, 1.28, 0.7, 0.32, 1.1
#: Entries whose pixels a legend keeps (≈ 20 kB each at scale 1, 80 kB at scale 2): more than
#: the entries of a panel, pins included, the least recently drawn dropped first.
KEPT = 32


@dataclass(frozen=True)
class Cell:
    """An entry's place: its origin (the handle's left end on the label's baseline) and its
    cell (as wide as the entry with half a column gap each side, a row high), in display
    pixels (whole numbers; y upwards)."""

    key: str
    label: str
    x: int
    y: int
    box: tuple  # (x0, y0, x1, y1)


def columns(n: int, ncols: int) -> list:
    """Indices of ``n`` entries in at most ``ncols`` columns, filled column by column, the first
    columns one longer when ``n`` does not divide evenly.

    >>> columns(8, 3), columns(4, 3), columns(2, 3)
    ([[0, 1, 2], [3, 4, 5], [6, 7]], [[0, 1], [2], [3]], [[0], [1]])
    """
    per, extra = divmod(n, ncols)
    out, start = [], 0
    for c in range(ncols):
        size = per + (c < extra)
        if size:
            out.append(list(range(start, start + size)))
        start += size
    return out


class EntryLegend(Artist):
    """A legend of ``handles`` (key → a proxy :class:`~matplotlib.lines.Line2D` or
    :class:`~matplotlib.patches.Patch` whose style the entry copies) on ``figure``, showing the
    entries of :meth:`set_entries`, ``fontsize`` pt, in ``ncols`` columns."""

    def __init__(self, figure, handles: dict, fontsize: float, ncols: int = 3):
        super().__init__()
        self.set_figure(figure)
        self.handles, self.ncols = handles, ncols
        self.fontsize = fontsize
        self.prop = FontProperties(size=fontsize)
        self.entries: tuple = ()  # (key, label) in legend order
        self._place = Affine2D()  # points of an entry → display pixels at its origin
        self._artists: dict = {}  # key → the artists that draw its handle
        self._text = Text(0, 0, "", fontproperties=self.prop, ha="left", va="baseline")
        self._text.set_figure(figure)
        self._text.set_transform(self._place)
        self._widths: dict = {}  # (label, dpi) → the label's width in px (KEPT × 8 at most)
        self._stamps = Stamps(KEPT)  # (key, label, dpi) → an entry's cell as drawn

    def set_entries(self, entries) -> None:
        """Show ``entries``: (key, label) pairs in legend order, keys of :attr:`handles`."""
        unknown = [k for k, _ in entries if k not in self.handles]
        if unknown:
            raise ValueError(f"legend entries {unknown!r}: expected keys of {list(self.handles)}")
        self.entries = tuple(entries)
        self.stale = True

    @property
    def labels(self) -> list:
        """The labels shown, in legend order."""
        return [label for _, label in self.entries]

    # ---- layout -----------------------------------------------------------------------------
    def _label_width(self, label: str, dpi: float, renderer) -> float:
        key = (label, dpi)
        if key not in self._widths:
            if len(self._widths) >= 8 * KEPT:
                self._widths.clear()
            self._widths[key] = renderer.get_text_width_height_descent(label, self.prop, False)[0]
        return self._widths[key]

    def layout(self, renderer) -> list:
        """Every entry's :class:`Cell` at the renderer's resolution."""
        dpi = self.get_figure(root=True).dpi
        fs = self.fontsize * dpi / 72
        lead = (HANDLE + HANDLE_PAD) * fs
        widths = [lead + self._label_width(label, dpi, renderer) for _, label in self.entries]
        gap, pitch, below = round(COLUMN_GAP * fs), round(ROW * fs), round(BELOW * fs)
        room = self.get_figure(root=True).bbox.width
        for ncols in range(self.ncols, 0, -1):  # fewer columns when long labels need it
            cols = columns(len(self.entries), ncols)
            col_w = [math.ceil(max(widths[i] for i in col)) for col in cols]
            total = sum(col_w) + gap * (len(cols) - 1)
            if total + gap <= room:
                break
        x = round((room - total) / 2)
        rows = len(cols[0]) if cols else 0
        cells = []
        for c, col in enumerate(cols):
            for r, i in enumerate(col):  # the entry's own width: its column's gap or less
                y = round(BOTTOM * fs) + (rows - 1 - r) * pitch
                box = (x - gap // 2, y - below, x + math.ceil(widths[i]) + gap - gap // 2,
                       y - below + pitch)  # fmt: skip
                cells.append(Cell(*self.entries[i], x, y, box))
            x += col_w[c] + gap
        return cells

    def get_window_extent(self, renderer=None) -> Bbox:
        """The block of every cell (display pixels); a null box when there are no entries."""
        if renderer is None:
            renderer = self.get_figure(root=True).canvas.get_renderer()
        boxes = [c.box for c in self.layout(renderer)]
        if not boxes:
            return Bbox.null()
        x0, y0, x1, y1 = zip(*boxes, strict=True)
        return Bbox.from_extents(min(x0), min(y0), max(x1), max(y1))

    # ---- drawing ----------------------------------------------------------------------------
    def _handle_artists(self, key: str) -> list:
        """The artists that draw ``key``'s handle, in points from the entry's origin."""
        if key not in self._artists:
            proto, fs = self.handles[key], self.fontsize
            length, mid = HANDLE * fs, BOX * fs / 2
            if isinstance(proto, Patch):
                box = Rectangle((0, 0), length, BOX * fs)
                box.update_from(proto)
                artists = [box]
            else:
                line = Line2D([0, length], [mid, mid])
                line.update_from(proto)
                line.set_marker("None")
                artists = [line]
                if proto.get_marker() not in (None, "None", "none", ""):
                    dot = Line2D([length / 2], [mid])
                    dot.update_from(proto)
                    dot.set_linestyle("None")
                    artists.append(dot)
            for a in artists:
                a.set_figure(self.get_figure(root=True))
                a.set_transform(self._place)
            self._artists[key] = artists
        return self._artists[key]

    def _draw_entry(self, renderer, cell: Cell) -> None:
        dpi = self.get_figure(root=True).dpi
        self._place.clear().scale(dpi / 72).translate(cell.x, cell.y)
        for a in self._handle_artists(cell.key):
            a.draw(renderer)
        self._text.set_text(cell.label)
        self._text.set_position(((HANDLE + HANDLE_PAD) * self.fontsize, 0))
        self._text.draw(renderer)

    def draw(self, renderer) -> None:
        """Draw every entry (a full draw)."""
        if not self.get_visible():
            return
        for cell in self.layout(renderer):
            self._draw_entry(renderer, cell)
        self.stale = False

    def blit(self, canvas) -> None:
        """Draw every entry on ``canvas`` (Agg) whose cells are blank: an entry drawn before at
        this resolution is pasted at its cell (:class:`~explorer.app.render.stamps.Stamps`)."""
        renderer = canvas.get_renderer()
        dpi = self.get_figure(root=True).dpi
        for cell in self.layout(renderer):
            self._stamps.paste_or_draw(canvas, cell.box, (cell.key, cell.label, dpi),
                                       lambda c=cell: self._draw_entry(renderer, c))  # fmt: skip


__all__ = ["KEPT", "Cell", "EntryLegend", "columns"]
