"""The render loop that every figure of the app shares: blit, encode, hand the bytes on.

A figure (:class:`Blitted`) is made once on an Agg canvas and mutated in place by its
``update``; :meth:`Blitted.render` then

1. **blits**: draws the static layer (frame, ticks, labels, legend …) in full only when its key
   changes (:meth:`Blitted.frame_key`: the axis limits, the title …) and keeps it as a bitmap,
   else restores that bitmap; then draws only the moving artists (:meth:`Blitted.moving`) over
   it, in the order of a full draw, and whatever the figure adds (:meth:`Blitted.after_blit`);
2. **encodes** the canvas as PNG with fixed settings (:func:`encode_png`);
3. **hands the bytes on**: returns them (a panel puts them in its ``widgets.Image``, the server's
   previews in its page).

Exports draw everything at once (:func:`render_png`, :func:`export_png`), never through the
cache, and leave the figure as it was.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from explorer.app.render.style import (
    CAPTION_FONT,
    DPI,
    EXPORT_DPI,
    PNG_COMPRESS_LEVEL,
    PNG_PALETTE_COLOURS,
    caption_lines,
)


class Blitted:
    """A figure on the render loop: ``self.figure`` on an Agg canvas, its static layer cached
    between renders. Subclasses say what the static layer depends on (:meth:`frame_key`) and
    which artists move (:meth:`moving`)."""

    figure: Figure
    _background: object = None
    _bg_key: object = None
    _label_strips: tuple = ()  # each label group's strip of the static layer, without its labels
    _labels_keys: tuple = ()

    def frame_key(self) -> tuple:
        """What the cached static layer depends on: when it changes, the next render draws the
        whole figure again."""
        raise NotImplementedError

    def moving(self) -> list:
        """The artists drawn over the static layer on every render, in the order of a full draw."""
        raise NotImplementedError

    def draw_frame(self, canvas) -> None:
        """Draw the whole figure (the static layer with everything on it); a figure may paste
        parts it drew before instead, if the result is the same pixels."""
        canvas.draw()

    def after_blit(self, new_frame: bool) -> None:
        """Draw what the figure adds over the moving artists (``new_frame``: the static layer was
        just drawn in full)."""

    def frame_labels(self) -> tuple:
        """Groups of labels of the static layer that change more often than the rest of it
        (none by default), each with ``key()`` (what its pixels depend on beyond
        :meth:`frame_key`), ``strip()`` (a region holding all it draws and nothing else that
        changes with it, apart from every other group's strip) and ``draw(figure)``; a group
        that changed alone is drawn again over its strip as the layer had it without labels
        (:mod:`explorer.app.render.labels`)."""
        return ()

    def render(self) -> bytes:
        """Draw the current state over the cached static layer and return PNG bytes."""
        canvas = self.figure.canvas
        key = self.frame_key()
        groups = self.frame_labels()
        keys = tuple(g.key() for g in groups)
        new_frame = self._background is None or key != self._bg_key
        if new_frame:
            self.draw_frame(canvas)  # the groups are animated: not drawn here
            self._label_strips = tuple(canvas.copy_from_bbox(g.strip()) for g in groups)
        else:
            canvas.restore_region(self._background)
        redrawn = [i for i, k in enumerate(keys) if new_frame or k != self._labels_keys[i]]
        for i in redrawn:
            if not new_frame:
                canvas.restore_region(self._label_strips[i])
            groups[i].draw(self.figure)
        if new_frame or redrawn:  # the static layer as it is now, its labels included
            self._background, self._bg_key = canvas.copy_from_bbox(self.figure.bbox), key
            self._labels_keys = keys
        for a in self.moving():
            if a.get_visible():
                self.figure.draw_artist(a)
        self.after_blit(new_frame)
        return encode_png(canvas)

    def set_scale(self, scale: float) -> None:
        """Render at ``scale`` × DPI from now on (the screen's pixel ratio,
        :func:`~explorer.app.render.style.render_scale`)."""
        self.figure.set_dpi(DPI * scale)
        self.forget_frame()

    def forget_frame(self) -> None:
        """Drop the cached frame (after the figure was drawn at another resolution)."""
        self._background = None

    def forget_limits(self, forget: bool = True) -> None:
        """Set the data axes at the next update from the data alone (a link's first view); a
        figure without hysteresis in its axes has nothing to forget."""


def encode_png(canvas) -> bytes:
    """Encode what ``canvas`` (Agg) holds now as PNG, with the fixed encoder settings: a palette
    image of :data:`~explorer.app.render.style.PNG_PALETTE_COLOURS` colours."""
    rgba = np.asarray(canvas.buffer_rgba())
    buf = io.BytesIO()
    # opaque figure: RGB is a quarter less to compress than RGBA, for the same picture
    image = Image.fromarray(rgba, "RGBA").convert("RGB")
    image = image.quantize(PNG_PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE)
    image.save(buf, format="png", compress_level=PNG_COMPRESS_LEVEL)
    return buf.getvalue()


def render_png(figure: Figure) -> bytes:
    """Draw every artist of ``figure`` (animated ones too) and encode it as a live plot is: a
    blitted frame must give the same bytes. (:func:`export_png` reads the drawn canvas itself and
    keeps every colour.)"""
    animated = [a for a in figure.findobj() if a.get_animated()]
    for a in animated:
        a.set_animated(False)
    try:
        figure.canvas.draw()
        return encode_png(figure.canvas)
    finally:
        for a in animated:
            a.set_animated(True)


def export_png(figure: Figure, caption: str, dpi: int = EXPORT_DPI) -> bytes:
    """The figure at ``dpi`` under a caption strip (what the view shows: exactly the inputs of
    this figure, :func:`~explorer.app.view.export.caption`), wrapped to the figure's width so that it is never cut
    and never overlaps the figure's title. The figure is left as it was."""
    old = figure.get_dpi()
    figure.set_dpi(dpi)
    try:
        render_png(figure)
        body = np.asarray(figure.canvas.buffer_rgba())[..., :3].copy()
    finally:
        figure.set_dpi(old)
    width_in = figure.get_figwidth()
    lines = caption_lines(caption, width_in)
    strip = Figure(figsize=(width_in, (len(lines) * CAPTION_FONT * 1.3 + 8) / 72), dpi=dpi)
    FigureCanvasAgg(strip)
    strip.text(0.006, 0.5, "\n".join(lines), ha="left", va="center", fontsize=CAPTION_FONT,
               color="#333333", linespacing=1.3)  # fmt: skip
    strip.canvas.draw()
    top = np.asarray(strip.canvas.buffer_rgba())[..., :3]
    if top.shape[1] != body.shape[1]:  # rounding of the widths: the strip follows the figure
        top = np.asarray(Image.fromarray(top).resize((body.shape[1], top.shape[0])))
    buf = io.BytesIO()
    Image.fromarray(np.vstack([top, body])).save(
        buf, format="png", compress_level=PNG_COMPRESS_LEVEL
    )
    return buf.getvalue()


__all__ = ["Blitted", "encode_png", "export_png", "render_png"]
