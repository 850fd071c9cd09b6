"""The legend of every control and readout, for the teaching notebooks (one source, tested).

>>> "| μν (μ_B) |" in legend_markdown()
True
"""

from __future__ import annotations

#: control (state parameter) → (label on the page, what it does)
CONTROLS = {
    "flavour": (
        "Flavour",
        "ν_e, ν_μ or ν_τ at the detector: sets g_V, g_A of eq. 7 (ν_e includes the "
        "charged current). CEvNS does not depend on it.",
    ),
    "anti": ("Particle", "neutrino or antineutrino (g_A → −g_A in eq. 6)."),
    "mu_on": (
        "magnetic moment on",
        "switches the magnetic moment off (μν = 0) without moving its slider.",
    ),
    "mu": (
        "μν (μ_B)",
        "effective magnetic moment in Bohr magnetons, log scale 10⁻¹⁴…10⁻⁸ (eqs. 8, 15).",
    ),
    "q_sign": ("Millicharge qν", "sign of the millicharge, or off."),
    "q": (
        "|qν| (e)",
        "size of the millicharge in units of the proton charge, log scale (eq. 13 and "
        "the g_V shift in ν–e scattering).",
    ),
    "r2": (
        "⟨r²⟩ (10⁻³² cm²)",
        "charge radius, linear, either sign (eq. 13; positive raises CEvNS).",
    ),
    "E": ("Eν (MeV)", "neutrino energy, log scale 0.01…100 MeV; sets T_max (eq. 4)."),
    "target": (
        "Element / quick buttons",
        "detector element (natural isotopic mix, any Z with data); "
        "buttons for Ge, Si, Ar, Xe, Cs, I, Na.",
    ),
    "binding": (
        "Atomic binding",
        "stepping approximation (eqs. 10–11: only electrons with binding "
        "I_j ≤ T count) or Z free electrons.",
    ),
    "form_factor": (
        "Form factor",
        "nuclear form factor in CEvNS: F = 1 as in the paper (Eν of a few "
        "MeV) or Helm (Lewin & Smith) for higher Eν.",
    ),
    "sin2w": ("sin²θ_W", "weak mixing angle (default 0.23867, low-energy MS-bar)."),
    "channel": ("Show", "both panels, or only ν–e, or only CEvNS."),
    "Te_min": ("ν–e: T min (keV)", "lower end of the electron-recoil axis."),
    "Te_max": ("ν–e: T max (keV)", "upper end of the electron-recoil axis."),
    "TN_min": ("CEvNS: T min (keV)", "lower end of the nuclear-recoil axis."),
    "TN_max": ("CEvNS: T max (keV)", "upper end of the nuclear-recoil axis."),
    "y_decades": ("dσ/dT decades", "how many decades the dσ/dT axis spans below its top."),
    "thr_e": ("ν–e threshold (keV)", "detector threshold: green line and the EM/SM readout."),
    "thr_n": ("CEvNS threshold (keV)", "the same for nuclear recoils."),
    "m_nu": ("m_ν for eq. 1 (eV)", "neutrino mass for eq. 1's Dirac magnetic moment readout."),
}

#: buttons and readouts
OTHERS = {
    "Experiment set-ups": "GEMMA-like reactor Ge, COHERENT-like CsI, xenon with solar pp or ⁸B "
    "neutrinos: each sets every control at once.",
    "μν = … buttons": "set μν to an experimental limit (GEMMA, red giants, Borexino, XENONnT).",
    "Reset": "every control back to its default.",
    "Curves": "SM (blue), |EM| (red, dashed where EM < 0), total (black); shaded where |EM| ≥ SM.",
    "Vertical lines": "crossover (red dash-dot, with a marker), eq. 9 / eq. 16 scale (grey "
    "dotted), T_max (dash-dot), threshold (green), binding edges (brown dotted).",
    "Readouts": "crossover (exact, with unit) and the eq. 9/16 scale, T_max, EM/SM at the "
    "threshold, ionisable electrons, I₁, atomic-recoil scale, C_V, M_N.",
    "Link to this view": "the state as a query string; add it to the dashboard's address to share "
    "the view.",
    "Prepare downloads": "CSV of the curves (with a header naming units and parameters) and PNG "
    "figures.",
}


def legend_markdown() -> str:
    """A markdown table of every control, then the buttons and readouts."""
    rows = ["| Control | What it does |", "|---|---|"]
    rows += [f"| {label} | {text} |" for label, text in CONTROLS.values()]
    rows += [f"| {label} | {text} |" for label, text in OTHERS.items()]
    return "\n".join(rows)
