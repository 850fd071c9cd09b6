"""The legend of every control and readout, for the teaching notebooks (from the registry).

>>> "| μν (μB) |" in legend_markdown()
True
"""

from __future__ import annotations

from explorer.app.declare.params import PARAMS

#: Buttons, curves and readouts (not parameters): label → what it is.
OTHERS = {
    "Experiment set-ups": "GEMMA-like reactor Ge, COHERENT-like CsI, xenon with solar pp or ⁸B "
    "neutrinos: each sets every control at once, the event-rates panel's source, detector and "
    "window too.",
    "μν = … buttons": "set μν to an experimental limit (GEMMA, red giants, Borexino, XENONnT); "
    "they sit with the μν slider right above the plots.",
    "Reset": "every control back to its default.",
    "Moment matrix": "with the μν model set to a Dirac matrix or Majorana Λ: the effective moment "
    "μ_eff the rates panel's source sees at its baseline (readout under the μν bar; it feeds the "
    "plots), each limit compared with the μ_eff of its own source, and a figure of the region "
    "each limit allows in the plane of two moments (the third fixed).",
    "Curves": "SM (weak; blue, solid), |EM| (vermillion, dash-dot; dashed where EM < 0; "
    "EM = total − SM), total (black, thin); shaded where |EM| ≥ SM. Okabe–Ito colours.",
    "Vertical lines": "crossover (vermillion dash-dot, with a marker), eq. 9 / eq. 16 scale "
    "(grey dotted), Tmax (dark grey dash-dot), threshold (green), binding edges (purple dotted). "
    "A marker outside the plotted range is named at the edge with its value.",
    "Readouts": "crossover (exact, with unit) and the eq. 9/16 scale, Tmax, EM/SM at the "
    "threshold, ionisable electrons, I₁, atomic-recoil scale, C_V, M_N.",
    "Link to this view": "the state as a query string; add it to the dashboard's address to share "
    "the view.",
    "Prepare downloads": "CSV of the curves (with a header naming units and parameters) and PNG "
    "figures.",
}


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell (a ``|`` would split the row)."""
    return text.replace("|", "\\|")


def legend_markdown() -> str:
    """A markdown table of every control (label, unit, help), then the buttons and readouts."""
    rows = ["| Control | What it does |", "|---|---|"]
    rows += [f"| {_cell(p.label + p.unit_suffix)} | {_cell(p.help)} |" for p in PARAMS]
    rows += [f"| {_cell(label)} | {_cell(text)} |" for label, text in OTHERS.items()]
    return "\n".join(rows)
