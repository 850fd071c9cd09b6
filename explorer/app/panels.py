"""One panel per channel: the figure (as a PNG in an ``Image`` widget) and its readouts.

A panel shows a :class:`~explorer.app.model.PanelView` and nothing else: it never reads the state.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from . import dom
from .figures import PanelFigure
from .model import PanelView
from .pins import MAX_PINS
from .ratefigure import RatesFigure
from .readouts import readouts_html

TITLES = {
    "electron": "ν–e scattering on an atom (eqs. 5–11)",
    "nucleus": "Coherent elastic ν–nucleus scattering, CEvNS (eqs. 12–16)",
    "rates": "Event rates in a detector: counts and the μν it can exclude (eq. 9 made quantitative)",
}


class ChannelPanel(widgets.VBox):
    """A channel's title, figure image and readout table. :meth:`show` redraws in place."""

    def __init__(self, channel: str):
        self.channel = channel
        self.figure = RatesFigure() if channel == "rates" else PanelFigure(channel)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%", height="auto"))
        self.readout = widgets.HTML()
        self.heading = widgets.HTML(f"<b>{html.escape(TITLES[channel])}</b>")
        self.view: PanelView | None = None
        self.draws = 0
        children = [self.heading, self.image, self.readout]
        if channel != "rates":  # pins: the controller wires the buttons
            self.pin_button = widgets.Button(
                description="Pin these curves", icon="thumb-tack", layout=widgets.Layout(width="auto"),
                tooltip=f"Keep the current curves as a faint reference (up to {MAX_PINS})",
            )  # fmt: skip
            self.unpin_buttons = [
                widgets.Button(description=f"✕ pin {i + 1}",
                               layout=widgets.Layout(width="auto", display="none"))
                for i in range(MAX_PINS)
            ]  # fmt: skip
            bar = widgets.HBox([self.pin_button, *self.unpin_buttons],
                               layout=widgets.Layout(flex_flow="row wrap"))  # fmt: skip
            children.insert(2, bar)
        super().__init__(
            children,
            layout=widgets.Layout(
                flex="1 1 45%" if channel != "rates" else "1 1 95%",
                min_width="300px",
                margin="0 0.5% 1em 0.5%",
            ),
        )
        self.add_class(dom.PANEL)
        self.add_class(f"{dom.PANEL}-{channel}")

    def show(self, view: PanelView) -> None:  # or a RatesView for the rates panel
        """Move the figure to ``view``, render it into the image, refresh the readout."""
        self.view = view
        self.figure.update(view)
        self.image.value = self.figure.render()
        if self.channel != "rates":
            self._show_pin_buttons(view.pins)
        alt = getattr(view, "alt_text", "") or view.title
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
