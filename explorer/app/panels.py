"""One panel per channel: the figure (as a PNG in an ``Image`` widget) and its readouts."""

from __future__ import annotations

import html

import ipywidgets as widgets

from . import dom
from .compute import PanelData
from .figures import PanelFigure
from .fmt import energy, sci

TITLES = {
    "electron": "ν–e scattering on an atom (eqs. 5–11)",
    "nucleus": "Coherent elastic ν–nucleus scattering, CEvNS (eqs. 12–16)",
}


def crossover_text(d: PanelData) -> str:
    """The crossover in words, with its unit: ``'20.6 keV'``, or why there is none."""
    if d.crossover_kind == "none":
        return "none (|EM| < SM at every T)"
    if d.crossover_kind == "all":
        return f"|EM| ≥ SM up to T_max = {energy(d.tmax)}"
    return energy(d.crossover)


def readout_html(d: PanelData, state) -> str:
    """The readout under a panel (HTML; every number formatted here, no user text)."""
    eq = "eq. 9" if d.channel == "electron" else "eq. 16"
    est = energy(d.estimate) if d.estimate > 0 else "— (μν off)"
    rows = [
        ("Crossover |EM| = SM (exact)", f"<b>{crossover_text(d)}</b>"),
        (f"{eq} scale (μν only)", est),
        ("T_max", energy(d.tmax)),
    ]
    if d.threshold > d.tmax:
        ratio = f"— (threshold {energy(d.threshold)} is above T_max)"
    elif d.ratio_at_threshold != d.ratio_at_threshold:  # NaN
        ratio = "— (no SM events there)"
    else:
        ratio = f"{sci(d.ratio_at_threshold, 3)} at T = {energy(d.threshold)}"
    rows.append(("EM/SM at threshold", ratio))
    x = d.extra
    if d.channel == "electron":
        n = x["electrons_at_threshold"]
        rows.append(
            (
                "Electrons ionisable at threshold",
                f"{n:g} of {x['Z']}"
                + (" (free: all)" if state.binding == "free" else " (stepping, eqs. 10–11)"),
            )
        )
        rows.append(("First ionisation energy I₁", energy(x["ionisation"])))
        rows.append(("Atomic-recoil scale 2Z^(4/3)·E_h·m_e/M_N", energy(x["recoil_scale"])))
    else:
        rows.append(("Weak charge C_V", f"{x['weak_charge']:.2f} (Z = {x['Z']}, N̄ = {x['N']:.2f})"))
        rows.append(("Nuclear mass M_N (mean)", f"{x['mass_GeV']:.2f} GeV"))
    body = "".join(
        f"<tr><td style='padding:1px 8px 1px 0;color:#555'>{html.escape(k)}</td><td>{v}</td></tr>"
        for k, v in rows
    )
    return f"<table style='font-size:0.92em;border-collapse:collapse'>{body}</table>"


class ChannelPanel(widgets.VBox):
    """A channel's title, figure image and readout table. :meth:`show` redraws in place."""

    def __init__(self, channel: str):
        self.channel = channel
        self.figure = PanelFigure(channel)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%", height="auto"))
        self.readout = widgets.HTML()
        self.heading = widgets.HTML(f"<b>{html.escape(TITLES[channel])}</b>")
        self.data: PanelData | None = None
        self.draws = 0
        super().__init__(
            [self.heading, self.image, self.readout],
            layout=widgets.Layout(flex="1 1 45%", min_width="300px", margin="0 0.5% 1em 0.5%"),
        )
        self.add_class(dom.PANEL)
        self.add_class(f"{dom.PANEL}-{channel}")

    def show(self, data: PanelData, state) -> None:
        """Move the figure to ``data``, render it into the image, refresh the readout."""
        self.data = data
        self.figure.update(data, state)
        self.image.value = self.figure.render()
        self.readout.value = readout_html(data, state)
        self.draws += 1
