"""Page layout: the widgets of the page other than controls and panels, their CSS and order.

Pure widget assembly: nothing here observes the state or computes. :class:`Page` holds the page's
own widgets (header, notices, preset and limit buttons, link, export) for the controller.
"""

from __future__ import annotations

import ipywidgets as widgets

from explorer.app.declare import dom
from explorer.app.declare.fmt import sci
from explorer.app.declare.params import FEATURED_LIMITS
from explorer.app.state.presets import EXPERIMENTS, RATE_PRESETS
from explorer.app.widgets.controls import make
from explorer.physics.limits import LIMITS

CSS = """
<style>
.nac-notice {background:#fff4e5;border-left:4px solid #e69500;padding:4px 8px;margin:4px 0}
.nac-error {background:#fdecea;border-left:4px solid #c0392b;padding:4px 8px;margin:4px 0}
.nac-panel img {max-width:100%;height:auto}
.nac-readout {font-size:1.05em;border-collapse:collapse}
.nac-readout td {padding:1px 8px 1px 0}
.nac-rlabel, .nac-source {color:#3d3d3d}
.nac-alt {position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
</style>
"""
#: Presentation mode, the headline and a visible keyboard focus (class names from :mod:`explorer.app.declare.dom`).
CSS += f"""
<style>
.{dom.PRESENT} .{dom.ADVANCED}, .{dom.PRESENT} .{dom.INTRO} {{display:none !important}}
.{dom.PRESENT} > .{dom.MESSAGES} {{order:-4}}
.{dom.PRESENT} > .{dom.HEADLINE} {{order:-3}}
.{dom.PRESENT} > .{dom.MOMENT} {{order:-2}}
.{dom.PRESENT} > .{dom.PANELS} {{order:-1}}
.{dom.HEADLINE} {{font-size:1.1em;margin:0.2em 0}}
.{dom.PRESENT} .{dom.HEADLINE} {{font-size:1.9em;line-height:1.2}}
.{dom.MOMENT} {{align-items:center;gap:0 0.4em}}
.{dom.MOMENT} .widget-slider {{width:auto !important;flex:1 1 420px;max-width:640px}}
.{dom.PANEL} img.widget-image {{max-height:calc(100vh - 40px);object-fit:contain}}
.{dom.PRESENT} .{dom.PANEL} img.widget-image {{max-height:calc(100vh - 190px)}}
@media (max-width: 600px) {{
  .{dom.PANEL}-rates {{overflow-x:auto}}
  .{dom.PANEL}-rates img.widget-image {{min-width:720px;max-width:none !important}}
}}
.{dom.PRESENT} .widget-label, .{dom.PRESENT} .widget-toggle-buttons button, .{dom.PRESENT} .nac-readout {{font-size:1.15em}}
.{dom.DASHBOARD} :focus-visible, .{dom.DASHBOARD} .noUi-handle:focus {{
  outline:3px solid #0072B2 !important;outline-offset:2px}}
</style>
"""

HEADER = (
    CSS + "<h2 style='margin:0.2em 0'>Neutrino–atom collisions: electromagnetic properties"
    "</h2><div class='nac-intro' style='color:#555'>How a neutrino magnetic moment μν, "
    "millicharge qν and charge "
    "radius ⟨r²⟩ show up in ν–e scattering on atoms and in CEvNS — Kouzakov &amp; "
    "Studenikin, <i>Neutrino-atom collisions</i>, arXiv:1603.02462. EM = total − SM; shaded: "
    "where the electromagnetic term |EM| beats the Standard Model term.</div>"
)

_WRAP = dict(flex_flow="row wrap", width="100%")
_AUTO = dict(width="auto")


def _button(description: str, tooltip: str, **kw) -> widgets.Button:
    return make(widgets.Button, description=description, tooltip=tooltip, layout=_AUTO, **kw)


class Page:
    """The page's own widgets. ``preset_buttons`` (key → Button), ``limit_buttons`` (key →
    Button), ``reset``, ``export_button`` are wired by the controller."""

    def __init__(self):
        # the notice and the error box are shown and hidden: their Layouts are their own
        self.notice, self.error = (
            make(widgets.HTML, layout=dict(display="none"), own_layout=True,
                 _dom_classes=(dom.MESSAGES,))
            for _ in range(2)
        )  # fmt: skip
        self.preset_info = make(widgets.HTML)
        self.global_readout = make(widgets.HTML)
        self.headline = make(widgets.HTML, _dom_classes=(dom.HEADLINE,))
        self.link = make(widgets.HTML)
        self.link_text = make(
            widgets.Text,
            description="Link to this view",
            style={"description_width": "initial"},
            layout=dict(width="98%"),
        )
        self.export_button = _button("Prepare downloads (CSV, PNG)", "", icon="download")
        self.export_links = make(widgets.HTML)
        self.preset_buttons = {k: _button(e.label, e.description) for k, e in EXPERIMENTS.items()}
        self.limit_buttons = {
            k: _button(
                f"μν = {sci(lim.value)} ({k})",
                f"{lim.label}, {lim.year}, {lim.kind}: {lim.source}"
                + (f". Caveats: {lim.caveats}" if lim.caveats else ""),
            )
            for k, lim in ((k, LIMITS[k]) for k in FEATURED_LIMITS)
        }
        self.reset = _button(
            "Reset", "all controls to their defaults (presentation mode and pins stay)"
        )
        self.rate_buttons = {
            k: _button(r.label, f"{r.note} ({r.source})") for k, r in RATE_PRESETS.items()
        }
        self.rate_info = make(widgets.HTML)

    def rate_presets(self) -> list:
        """The rates set-up buttons and their note, for the top of the rates control group."""
        box = make(widgets.Box, list(self.rate_buttons.values()), layout=_WRAP)
        return [box, self.rate_info]

    def children(self, control_boxes: list, panel_box, header_controls=(), moment=()) -> list:
        """The page from top to bottom: the set-ups, the headline, the μν bar (``moment``: the
        μν slider and switch, with the limit buttons) right above the plots, then the other
        controls; on a projector the slider and the curves it moves are on one screen, and the
        first screen of a laptop shows curves. ``header_controls`` go beside the set-up buttons
        (the presentation-mode switch)."""
        bar = make(widgets.Box, [*moment, *self.limit_buttons.values()], layout=_WRAP,
                   _dom_classes=(dom.MOMENT,))  # fmt: skip
        return [
            make(widgets.HTML, HEADER),
            self.notice,
            self.error,
            make(widgets.HTML, "<b>Experiment set-ups</b> (each sets every control, the event "
                 "rates panel too):"),
            make(widgets.Box, [*self.preset_buttons.values(), self.reset, *header_controls],
                 layout=_WRAP),
            self.preset_info,
            self.headline,
            bar,
            panel_box,
            make(widgets.Box, list(control_boxes), layout=_WRAP),
            make(widgets.HTML, "<b>Magnetic moment: theory and limits</b>"),
            self.global_readout,
            self.link_text,
            self.link,
            make(widgets.Box, [self.export_button, self.export_links], layout=_WRAP),
        ]  # fmt: skip
