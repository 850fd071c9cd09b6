"""The control widgets, each linked to one trait of the state (no logic here beyond the links)."""

from __future__ import annotations

import math

import ipywidgets as widgets
import periodictable

from .presets import TARGET_PRESETS
from .state import BOUNDS, ExplorerState, elements

_STYLE = {"description_width": "10.5em"}
_WIDE = widgets.Layout(width="98%")


class Binding:
    """Two-way sync of ``state.<name>`` and ``widget.value`` that ignores slider snapping.

    A browser slider rounds a value it is given to its step and sends the rounded value back
    (a preset's Eν = 1.5 MeV would come back as 10^0.18 = 1.51 MeV). A change from the widget
    that lies within half a step of the state's value is that echo, not a user's move, so it is
    not written to the state; everything else is.
    """

    def __init__(self, state, name: str, widget):
        self.state, self.name, self.widget = state, name, widget
        self.log = isinstance(widget, widgets.FloatLogSlider)
        step = getattr(widget, "step", None)
        self.tol = 0.5 * step * (1 + 1e-9) if isinstance(step, float) else 0.0
        widget.value = getattr(state, name)
        state.observe(self._to_widget, names=name)
        widget.observe(self._to_state, names="value")

    def _to_widget(self, change):
        if self.widget.value != change["new"]:
            self.widget.value = change["new"]

    def _to_state(self, change):
        new, cur = change["new"], getattr(self.state, self.name)
        if new == cur:
            return
        if self.tol:
            gap = abs(math.log10(new) - math.log10(cur)) if self.log else abs(new - cur)
            if gap <= self.tol:
                return
        setattr(self.state, self.name, new)


def _log_slider(
    name: str, description: str, step: float = 0.01, fmt: str = ".3g", tooltip: str = ""
):
    lo, hi = BOUNDS[name]
    return widgets.FloatLogSlider(
        base=10,
        min=math.log10(lo),
        max=math.log10(hi),
        step=step,
        description=description,
        readout_format=fmt,
        style=_STYLE,
        layout=_WIDE,
        tooltip=tooltip,
        continuous_update=True,
    )


def _lin_slider(name: str, description: str, step: float, fmt: str):
    lo, hi = BOUNDS[name]
    return widgets.FloatSlider(
        min=lo,
        max=hi,
        step=step,
        description=description,
        readout_format=fmt,
        style=_STYLE,
        layout=_WIDE,
    )


def _toggle(options, description: str, tooltips=None):
    return widgets.ToggleButtons(
        options=options,
        description=description,
        style={**_STYLE, "button_width": "auto"},
        tooltips=tooltips or [],
        layout=widgets.Layout(width="auto"),
    )


class Controls:
    """Builds every control and links it to ``state``; ``widgets`` maps trait name → widget."""

    def __init__(self, state: ExplorerState):
        self.state = state
        w = {}
        w["flavour"] = _toggle([("νₑ", "e"), ("ν_μ", "mu"), ("ν_τ", "tau")], "Flavour")
        w["anti"] = _toggle([("ν", False), ("ν̄ (anti)", True)], "Particle")
        w["mu_on"] = widgets.Checkbox(
            description="magnetic moment on", indent=False, layout=widgets.Layout(width="auto")
        )
        w["mu"] = _log_slider("mu", "μν (μ_B)", fmt=".2g")
        w["q_sign"] = _toggle(
            [("−", -1), ("off", 0), ("+", 1)],
            "Millicharge qν",
            tooltips=["negative qν", "qν = 0", "positive qν"],
        )
        w["q"] = _log_slider("q", "|qν| (e)", fmt=".2g")
        w["r2"] = _lin_slider("r2", "⟨r²⟩ (10⁻³² cm²)", 0.1, ".1f")
        w["E"] = _log_slider("E", "Eν (MeV)")
        opts = [(f"{s} (Z = {periodictable.elements.symbol(s).number})", s) for s in elements()]
        w["target"] = widgets.Dropdown(
            options=opts, description="Element", style=_STYLE, layout=widgets.Layout(width="auto")
        )
        w["binding"] = _toggle(
            [("stepping (eqs. 10–11)", "stepping"), ("free electrons", "free")], "Atomic binding"
        )
        w["form_factor"] = _toggle([("F = 1 (paper)", "none"), ("Helm", "helm")], "Form factor")
        w["sin2w"] = _lin_slider("sin2w", "sin²θ_W", 0.0001, ".5f")
        w["channel"] = _toggle(
            [("both", "both"), ("ν–e", "electron"), ("CEvNS", "nucleus")], "Show"
        )
        w["Te_min"] = _log_slider("Te_min", "ν–e: T min (keV)", fmt=".2e")
        w["Te_max"] = _log_slider("Te_max", "ν–e: T max (keV)")
        w["TN_min"] = _log_slider("TN_min", "CEvNS: T min (keV)", fmt=".2e")
        w["TN_max"] = _log_slider("TN_max", "CEvNS: T max (keV)", fmt=".2e")
        w["y_decades"] = _lin_slider("y_decades", "dσ/dT decades", 1.0, ".0f")
        w["thr_e"] = _log_slider("thr_e", "ν–e threshold (keV)")
        w["thr_n"] = _log_slider("thr_n", "CEvNS threshold (keV)", fmt=".2e")
        w["m_nu"] = _log_slider("m_nu", "m_ν for eq. 1 (eV)")
        self.widgets = w
        self.links = [Binding(state, name, widget) for name, widget in w.items()]
        self.target_buttons = []
        for sym in TARGET_PRESETS:
            b = widgets.Button(
                description=sym,
                tooltip=f"target {sym}",
                layout=widgets.Layout(width="auto", min_width="3em"),
            )
            b.on_click(lambda _b, s=sym: setattr(state, "target", s))
            self.target_buttons.append(b)

    def boxes(self) -> list:
        """The control groups as wrapping boxes (Neutrino, Target & model, View)."""
        w = self.widgets

        def group(title, children):
            return widgets.VBox(
                [widgets.HTML(f"<b>{title}</b>"), *children],
                layout=widgets.Layout(
                    flex="1 1 30%",
                    min_width="280px",
                    margin="0 0.5% 0.5em 0.5%",
                    padding="4px",
                    border="1px solid #ddd",
                ),
            )

        quick = widgets.HBox(self.target_buttons, layout=widgets.Layout(flex_flow="row wrap"))
        return [
            group(
                "Neutrino",
                [
                    w["flavour"],
                    w["anti"],
                    w["mu_on"],
                    w["mu"],
                    w["q_sign"],
                    w["q"],
                    w["r2"],
                    w["E"],
                ],
            ),
            group(
                "Target and model", [quick, w["target"], w["binding"], w["form_factor"], w["sin2w"]]
            ),
            group(
                "View and readouts",
                [
                    w["channel"],
                    w["Te_min"],
                    w["Te_max"],
                    w["TN_min"],
                    w["TN_max"],
                    w["y_decades"],
                    w["thr_e"],
                    w["thr_n"],
                    w["m_nu"],
                ],
            ),
        ]
