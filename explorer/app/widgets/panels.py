"""One panel per channel: the figure (as a PNG in an ``Image`` widget) and its readouts.

A panel is made from its channel's record (:mod:`explorer.app.declare.channels`: title, figure,
pins, maps, width) and shows a view model and nothing else: it never reads the state.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from explorer.app.declare import dom
from explorer.app.declare.channels import channel as as_channel
from explorer.app.declare.channels import resolve
from explorer.app.render.mapfigure import MapFigure
from explorer.app.render.regionfigure import RegionFigure
from explorer.app.state.pins import MAX_PINS
from explorer.app.view.model import RegionView
from explorer.app.view.readouts import readouts_html
from explorer.app.widgets.controls import make


class ChannelPanel(widgets.VBox):
    """A channel's title, figure image and readout table. :meth:`show` redraws in place."""

    def __init__(self, channel, figure=None):
        self.record = ch = as_channel(channel)
        self.channel = ch.name
        self.figure = figure if figure is not None else resolve(ch.figure)(ch)
        self.image = make(widgets.Image, format="png", layout=dict(width="100%", height="auto"))
        self.readout = make(widgets.HTML)
        self.heading = make(widgets.HTML, f"<b>{html.escape(ch.title)}</b>")
        self.view = None  # the view model on display
        self.draws = 0
        self.scale = 1.0
        children = [self.heading, self.image, self.readout]
        self.map_alt = ""
        if ch.pins:  # pins: the controller wires the buttons
            self.pin_button = make(
                widgets.Button, description="Pin these curves", icon="thumb-tack",
                layout=dict(width="auto"),
                tooltip=f"Keep the current curves as a faint reference (up to {MAX_PINS})",
            )  # fmt: skip
            self.unpin_buttons = [  # shown one per pin: their Layouts are their own
                make(widgets.Button, description=f"✕ pin {i + 1}", tooltip="",
                     layout=dict(width="auto", display="none"), own_layout=True)
                for i in range(MAX_PINS)
            ]  # fmt: skip
            bar = make(widgets.HBox, [self.pin_button, *self.unpin_buttons],
                       layout=dict(flex_flow="row wrap"))  # fmt: skip
            children.insert(2, bar)
        if ch.map:  # the |EM|/SM map (issue 11.2), shown when the state's ``map`` is not "off"
            self.map_image = make(
                widgets.Image,
                format="png",
                layout=dict(width="100%", height="auto", display="none"),
                own_layout=True,
            )
            self.map_figures: dict = {}  # axis → MapFigure, made on first use
            children.insert(2, self.map_image)
        super().__init__(
            children,
            layout=widgets.Layout(
                flex=ch.width,
                min_width="300px",
                margin="0 0.5% 1em 0.5%",
            ),
            _dom_classes=(dom.PANEL, f"{dom.PANEL}-{ch.name}"),
        )

    def show(self, view) -> None:
        """Move the figure to ``view`` (the channel's view model), render it into the image,
        show its map, refresh the readout."""
        self.view = view
        if self.record.map:
            self.show_map(view.map)
        self.figure.update(view)
        self.image.value = self.figure.render()
        if self.record.pins:
            self._show_pin_buttons(view.pins)
        alt = (getattr(view, "alt_text", "") or view.title) + self.map_alt
        text = f"<span class='nac-alt' role='note'>{html.escape(alt)}</span>" + readouts_html(
            view.readouts
        )
        if self.readout.value != text:  # the plot described in words, for screen readers
            self.readout.value = text
        self.draws += 1

    def _show_pin_buttons(self, pins: tuple) -> None:
        for i, b in enumerate(self.unpin_buttons):
            want = "flex" if i < len(pins) else "none"
            if b.layout.display != want:
                b.layout.display = want
            tip = f"Remove pin {i + 1}: {pins[i].label}" if i < len(pins) else ""
            if b.tooltip != tip:
                b.tooltip = tip
        full = len(pins) >= MAX_PINS
        if self.pin_button.disabled != full:
            self.pin_button.disabled = full

    def show_map(self, data) -> None:
        """Draw the |EM|/SM map ``data`` (a :class:`~explorer.app.view.model.MapData`) under the
        plot, or hide the map (``None``); :meth:`show` calls it with its view's map."""
        if data is None:
            self.map_alt = ""
            if self.map_image.layout.display != "none":
                self.map_image.layout.display = "none"
            return
        fig = self.map_figures.get(data.axis)
        if fig is None:
            fig = self.map_figures[data.axis] = MapFigure(self.record, data.axis)
            if self.scale != 1.0:
                fig.set_scale(self.scale)
        fig.update(data)
        self.map_image.value = fig.render()
        self.map_alt = " Map: " + data.alt
        if self.map_image.layout.display != "flex":
            self.map_image.layout.display = "flex"

    def toggled(self) -> list:
        """The panel's widgets whose display toggles: its unpin buttons and its map."""
        unpin = self.unpin_buttons if self.record.pins else []
        return [*unpin, *([self.map_image] if self.record.map else [])]

    def set_scale(self, scale: float) -> None:
        """Render every figure of the panel at ``scale`` × DPI (the screen's pixel ratio)."""
        self.scale = scale
        self.figure.set_scale(scale)
        for fig in getattr(self, "map_figures", {}).values():
            fig.set_scale(scale)


class RegionPanel(widgets.VBox):
    """The figure's image with its heading and a text for screen readers; shown in the matrix
    modes. :meth:`show` takes a :class:`RegionView` (None: nothing to show)."""

    def __init__(self):
        self.figure = RegionFigure()
        self.image = make(widgets.Image, format="png", layout=dict(width="100%", height="auto"))
        self.alt = make(widgets.HTML)
        self.draws = 0
        self.mode = ""  # the mode last drawn ("" when hidden)
        heading = make(widgets.HTML, "<b>Moment matrix: the region each limit allows</b> "
                       "<span class='nac-source'>(each limit bounds its own effective moment: "
                       "explorer.physics.probes)</span>")  # fmt: skip
        super().__init__([heading, self.image, self.alt],
                         layout=widgets.Layout(flex="1 1 45%", min_width="300px",
                                               max_width="760px", margin="0 0.5% 1em 0.5%",
                                               display="none"),
                         _dom_classes=(dom.REGION,))  # fmt: skip

    def show(self, v: RegionView | None) -> None:
        want = "none" if v is None else "flex"
        if self.layout.display != want:
            self.layout.display = want
        self.mode = "" if v is None else v.mode
        if v is None:
            return
        self.figure.update(v)
        self.image.value = self.figure.render()
        self.alt.value = f"<div class='nac-alt'>{html.escape(v.alt)}</div>"
        self.draws += 1
