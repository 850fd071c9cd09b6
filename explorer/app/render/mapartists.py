"""The artists of the |EM|/SM map that matplotlib has no cheap form of: the cells of the map
drawn straight into the axes box (:class:`Cells`), and short texts over the map drawn as stamps
(:class:`Name`). Both keep what they computed while the figure's resolution and ranges stay, so a
render costs one ``draw_image`` each."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

#: Texts drawn over the image sit on a half-transparent white box (cheaper than a halo).
TEXT_BOX = dict(boxstyle="square,pad=0.15", facecolor="white", alpha=0.75, edgecolor="none")


class Cells(Artist):
    """The map's cells, coloured once per update, drawn straight into the axes box: each screen
    pixel takes the colour of the cell under its centre (nearest cell; transparent outside the
    cells). The pixel → cell lookup is kept while the axes box and limits stay, so a render
    costs one fancy index and one ``draw_image`` — no resampling of the 200 × 200 grid."""

    def __init__(self, ax):
        super().__init__()
        self.axes = ax
        self.set_figure(ax.figure)
        self.set_zorder(1)
        self._rgba = None  # (ny, nx, 4) uint8, row 0 at the lowest y
        self._edges = None
        self._lookup_key, self._lookup = None, None
        self._screen_key, self._screen = None, None
        self._version = 0

    def set_cells(self, rgba, x_edges, y_edges) -> None:
        """New colours (ny × nx × 4 bytes) on cells bounded by the given data-coordinate edges."""
        self._rgba = np.ascontiguousarray(rgba)
        self._edges = (x_edges, y_edges)
        self._version += 1
        self.stale = True

    def _pixel_cells(self, bbox, xlim, ylim):
        """(x0, y0, index): the screen pixels covering ``bbox`` from (x0, y0) up, each with the
        flat index of its cell (rows × columns + 1 for pixels outside the cells: transparent)."""
        x0, y0 = math.floor(bbox.x0), math.floor(bbox.y0)
        w, h = math.ceil(bbox.x1) - x0, math.ceil(bbox.y1) - y0
        xc = xlim[0] + (x0 + 0.5 + np.arange(w) - bbox.x0) / bbox.width * (xlim[1] - xlim[0])
        yc = ylim[0] + (y0 + 0.5 + np.arange(h) - bbox.y0) / bbox.height * (ylim[1] - ylim[0])
        xe, ye = self._edges
        nx, ny = len(xe) - 1, len(ye) - 1
        cols = np.searchsorted(xe, xc) - 1
        rows = np.searchsorted(ye, yc) - 1  # Agg's draw_image: row 0 at the bottom (y0)
        index = rows[:, None] * nx + cols[None, :]
        outside = ((rows < 0) | (rows >= ny))[:, None] | ((cols < 0) | (cols >= nx))[None, :]
        index[outside] = nx * ny
        return x0, y0, index

    def draw(self, renderer):
        if not self.get_visible() or self._rgba is None:
            return
        ax = self.axes
        bbox = ax.bbox
        key = (tuple(bbox.bounds), ax.get_xlim(), ax.get_ylim(), *map(bytes, self._edges))
        if key != self._lookup_key:
            self._lookup_key, self._lookup = key, self._pixel_cells(bbox, *key[1:3])
        x0, y0, index = self._lookup
        if (key, self._version) != self._screen_key:
            flat = np.concatenate((self._rgba.reshape(-1, 4), np.zeros((1, 4), np.uint8)))
            self._screen_key, self._screen = (key, self._version), flat[index]
        gc = renderer.new_gc()
        gc.set_clip_rectangle(bbox)
        renderer.draw_image(gc, x0, y0, self._screen)
        gc.restore()
        self.stale = False


class Name(Artist):
    """A short text on a white box (``TEXT_BOX``'s opacity) over the map, drawn as a stamp: the text is laid out
    and rasterised once per resolution (on a figure of its own), then each draw is one
    ``draw_image`` — the names of the limits are drawn on every render, over the image, and
    rasterising text each time cost more than the rest of the render. The box's right (``side``
    1) or left (``side`` 0) edge sits ``offset[0]`` pt from the point (``side`` in axes
    coordinates, ``y`` in data), the box centred on the line through it."""

    def __init__(self, ax, text: str, side: float, y: float, offset: tuple, fontsize: float,
                 color: str, zorder: float):  # fmt: skip
        super().__init__()
        self.axes = ax
        self.set_figure(ax.figure)
        self.set_zorder(zorder)
        self._text, self._side, self._y, self._offset = text, side, y, offset
        self._fontsize, self._color = fontsize, color
        self._stamp, self._stamp_dpi = None, None

    def get_text(self) -> str:
        return self._text

    def get_fontsize(self) -> float:
        return self._fontsize

    def _make_stamp(self, dpi: float):
        """The box with its text as (rows, columns, RGBA) bytes, row 0 at the top."""
        pad = 0.2 * self._fontsize / 72.0  # in
        probe = Figure(dpi=dpi)
        FigureCanvasAgg(probe)
        t = probe.text(0, 0, self._text, fontsize=self._fontsize)
        ext = t.get_window_extent(probe.canvas.get_renderer())
        w, h = ext.width / dpi + 2 * pad, ext.height / dpi + 2 * pad
        fig = Figure(figsize=(math.ceil(w * dpi) / dpi, math.ceil(h * dpi) / dpi), dpi=dpi,
                     facecolor="none")  # fmt: skip
        FigureCanvasAgg(fig)
        fig.text(0.5, 0.5, self._text, ha="center", va="center", fontsize=self._fontsize,
                 color=self._color)  # fmt: skip
        fig.canvas.draw()
        # the text (Agg: straight alpha) over a white box of TEXT_BOX's opacity
        rgba = np.asarray(fig.canvas.buffer_rgba()).astype(float)
        cover = rgba[..., 3:] / 255.0
        out = np.empty_like(rgba)
        out[..., :3] = rgba[..., :3] * cover + 255.0 * (1.0 - cover)
        out[..., 3:] = 255.0 * (cover + TEXT_BOX["alpha"] * (1.0 - cover))
        return np.round(out).astype(np.uint8)

    def _corner(self, renderer):
        """Stamp and its lower left pixel."""
        dpi = self.figure.dpi
        if self._stamp_dpi != dpi:
            self._stamp, self._stamp_dpi = self._make_stamp(dpi), dpi
        w = self._stamp.shape[1]
        x, y = self.axes.get_yaxis_transform().transform((self._side, self._y))
        dx = self._offset[0] * dpi / 72.0
        x0 = round(x + dx - (w if self._side else 0))
        # centred on its line (issue 23: a name above its line seemed to belong to the next one)
        return self._stamp, x0, round(y - self._stamp.shape[0] / 2)

    def get_window_extent(self, renderer=None):
        stamp, x0, y0 = self._corner(renderer)
        h, w = stamp.shape[:2]
        return Bbox.from_bounds(x0, y0, w, h)

    def draw(self, renderer):
        if not self.get_visible():
            return
        stamp, x0, y0 = self._corner(renderer)
        gc = renderer.new_gc()
        gc.set_clip_rectangle(self.axes.bbox)
        renderer.draw_image(gc, x0, y0, stamp[::-1])
        gc.restore()
        self.stale = False


__all__ = ["TEXT_BOX", "Cells", "Name"]
