"""The parameter registry: every user-facing parameter of the dashboard, declared once.

Each :class:`Param` says what a parameter is (default, bounds, unit, label, help), how it is
shown (widget kind, group), how it travels in a link (URL name, aliases, codec) and what it
changes (the panels it affects, and whether it is a physics input or only a view setting).
Everything else is generated from this table: the state traits and their clamping
(:mod:`explorer.app.state.traits`), the widgets (:mod:`explorer.app.widgets.controls`), the legend (:mod:`explorer.app.declare.legend`), the link reader and
writer (:mod:`explorer.app.state.urlstate`), the CSV header (:mod:`explorer.app.view.export`) and the dependency sets below. Adding a
control is one entry here plus its physics.

Values are in display units (μB, e, 10⁻³² cm², MeV, keV, eV).

>>> REGISTRY["mu"].bounds, REGISTRY["mu"].unit, REGISTRY["mu"].url
((1e-14, 1e-08), 'μB', 'mu')
>>> sorted(PHYSICS_INPUTS["nucleus"])[:4]
['E', 'TN_max', 'TN_min', 'axes']
>>> sorted(VIEW_INPUTS["electron"])
['map', 'pins_e', 'thr_e', 'y_decades']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from explorer.app.declare.channels import CHANNELS, SHOWN
from explorer.physics.constants import SIN2W_DEFAULT
from explorer.physics.electron import BINDINGS
from explorer.physics.limits import LIMITS, best
from explorer.physics.mixing import ORDERINGS
from explorer.physics.neutrino import FLAVOURS, MU_MAX, Q_MAX
from explorer.physics.nucleus import FORM_FACTORS

#: The limits with a μν button and a line on the μν maps: the paper's two (refs. 15, 16),
#: Borexino, and the best direct and astrophysical limits of the table (computed, not typed).
#: The page's limits table lists every entry of :data:`~explorer.physics.limits.LIMITS`.
FEATURED_LIMITS = tuple(
    dict.fromkeys(("gemma", "red-giant", best("astrophysical").key, "borexino", best("direct").key))
)

#: The panels, in page order: one record each (:mod:`.channels`).
PANELS = tuple(CHANNELS)
#: Readouts of the page outside the panels (eq. 1 and the limits).
PAGE = "page"
_BOTH = frozenset({"electron", "nucleus"})
_ALL = frozenset(PANELS)

#: Control groups in page order ("header": shown in the page's top bar, not in a group box;
#: "moment": the μν bar right above the plots, with the limit buttons).
GROUPS = ("header", "moment", "neutrino", "target", "view", "rates")
#: Widget kinds: log slider, linear slider, toggle buttons, dropdown, checkbox.
KINDS = ("log", "lin", "toggle", "dropdown", "check", "none")  # none: no widget of its own


@dataclass(frozen=True)
class Param:
    """One user-facing parameter.

    ``affects`` names the panels (and ``"page"``) whose display it changes; ``physics`` says
    whether it is a physics input (its change recomputes those panels' curves) or a view setting
    (its change rebuilds the view from the physics already computed). ``codec`` names the link
    reader/writer in :mod:`explorer.app.state.urlstate`; ``url=None`` means the parameter travels inside another
    one's URL value (``mu_on`` in ``mu=off``).
    """

    name: str
    default: object
    kind: str
    label: str
    help: str
    group: str
    affects: frozenset
    physics: bool = True
    bounds: tuple | None = None
    unit: str = ""
    url: str | None = None
    aliases: tuple = ()
    codec: str = "number"
    options: tuple = ()  # ((label, value), ...) for toggle and dropdown
    value_aliases: dict = field(default_factory=dict)  # URL spellings → value
    step: float = 0.01  # log10 step for "log", value step for "lin"
    fmt: str = ".3g"  # readout format of a slider
    only_when: tuple = ()  # (parameter, value or tuple of values): shown only in that case
    advanced: bool = False  # folded away in presentation mode
    sticky: bool = False  # kept by the set-up buttons and Reset (presentation mode, pins)
    silent_default: bool = False  # not named in figure captions while at its default (a mode)

    def __post_init__(self):
        if self.group not in GROUPS:
            raise ValueError(f"Param {self.name}: group must be one of {GROUPS}")
        if self.kind not in KINDS:
            raise ValueError(f"Param {self.name}: kind must be one of {KINDS}, got {self.kind!r}")
        if self.kind in ("log", "lin"):
            lo, hi = self.bounds
            if not lo < hi or not lo <= self.default <= hi:
                raise ValueError(f"Param {self.name}: default {self.default} outside {self.bounds}")
            if self.kind == "log" and lo <= 0:
                raise ValueError(f"Param {self.name}: a log slider needs bounds > 0")

    @property
    def values(self) -> tuple:
        """The allowed values of a choice parameter."""
        return tuple(v for _, v in self.options)

    @property
    def unit_suffix(self) -> str:
        """`` (unit)`` for labels, or nothing."""
        return f" ({self.unit})" if self.unit else ""


def _p(name, default, kind, label, help, group, affects, **kw) -> Param:
    return Param(name, default, kind, label, help, group, frozenset(affects), **kw)


_E, _N, _R, _S = {"electron"}, {"nucleus"}, {"rates"}, {"total"}

# The table is laid out by hand, one entry per block (ruff format would put every field on a line).
# fmt: off
PARAMS: tuple[Param, ...] = (
    # -- the view (first in links: which panel)
    _p("preset", "", "none", "Set-up",
       "The experiment set-up the view started from (set by its button); its note travels "
       "with the link.", "view", {PAGE}, physics=False, url="preset", codec="preset"),
    _p("channel", "both", "toggle", "Show", "Both panels, or only ν–e, or only CEvNS.", "view",
       set(), physics=False, url="channel", codec="choice",
       options=(("both", "both"), *((c.short, c.name) for c in CHANNELS.values())),
       value_aliases={"all": "both", **{a: c.name for c in CHANNELS.values() for a in c.aliases}}),
    _p("present", False, "check", "Presentation mode",
       "For a projector: the advanced controls fold away and the crossover is shown in large "
       "type (the plots' text is projector-sized at any width).", "header", {PAGE},
       physics=False, url="present", codec="bool", sticky=True),
    # -- the target
    _p("target", "Ge", "dropdown", "Element or isotope",
       "Detector target: a natural element (isotope mix, any Z with data) or one isotope "
       "(Ge72, Xe136, …). Quick buttons: Ge, Si, Ar, Xe, Cs, I, Na.", "target", _BOTH | _S,
       url="target", codec="target"),
    # -- the neutrino
    _p("flavour", "e", "toggle", "Flavour",
       "νₑ, νμ or ντ at the detector: sets g_V and g_A of eq. 7 (νₑ includes the charged "
       "current). CEvNS does not depend on it.", "neutrino", _E | _S, url="flavour", codec="choice",
       aliases=("flavor",), options=(("νₑ", "e"), ("νμ", "mu"), ("ντ", "tau")),
       value_aliases={"electron": "e", "nue": "e", "muon": "mu", "μ": "mu", "numu": "mu",
                      "τ": "tau", "nutau": "tau"}),
    _p("anti", True, "toggle", "Particle",
       "Neutrino or antineutrino (g_A → −g_A in eq. 6). qν and ⟨r²⟩ are the neutrino's; the "
       "antineutrino carries −qν and −⟨r²⟩, and its g_V shift is the same.", "neutrino", _E | _S,
       url="anti", codec="bool", options=(("ν", False), ("ν̄ (anti)", True))),
    _p("mu_on", True, "check", "magnetic moment on",
       "Switches the magnetic moment off (μν = 0) without moving its slider.", "moment",
       _ALL | {PAGE}, url=None),
    _p("mu", 2.9e-11, "log", "μν",
       "Effective magnetic moment in Bohr magnetons, log scale (eqs. 8 and 15). Default: the "
       "GEMMA limit.", "moment", _ALL | {PAGE}, bounds=(1e-14, 1e-8), unit="μB", url="mu",
       codec="switch", fmt=".2g", only_when=("mm_mode", "single")),
    # -- the moment matrix (issue 22): what an experiment sees is an effective moment
    _p("mm_mode", "single", "toggle", "μν model",
       "One effective μν for every flavour (the paper's eq. 8), or a 3×3 moment matrix in the "
       "mass basis (Giunti & Studenikin, RMP 87, 531 (2015), Sec. VI): Dirac (diagonal μ₁₁, "
       "μ₂₂, μ₃₃) or Majorana (transition moments Λ₁, Λ₂, Λ₃). With a matrix, the panels use "
       "the effective moment that the rates panel's source sees at its baseline.", "moment",
       _ALL | {PAGE}, url="mm", codec="choice", silent_default=True,
       options=(("single μν", "single"), ("Dirac matrix", "dirac"), ("Majorana Λ", "majorana")),
       value_aliases={"mu": "single", "off": "single", "d": "dirac", "m": "majorana",
                      "lambda": "majorana"}),
    *(_p(f"mu{k}{k}", d, "log", f"μ{s}{s}",
         f"Dirac diagonal magnetic moment of mass state ν{s}, in Bohr magnetons, log scale.",
         "moment", _ALL | {PAGE}, bounds=(1e-14, 1e-8), unit="μB", url=f"mu{k}{k}", fmt=".2g",
         only_when=("mm_mode", "dirac"))
      for k, s, d in ((1, "₁", 3e-11), (2, "₂", 1e-11), (3, "₃", 1e-12))),
    *(_p(f"lam{k}", d, "log", f"|Λ{s}|",
         f"Majorana transition moment |Λ{s}| (Λ₁ = λ₂₃, Λ₂ = λ₃₁, Λ₃ = λ₁₂; Grimus et al. "
         "2003), in Bohr magnetons, log scale.", "moment", _ALL | {PAGE}, bounds=(1e-14, 1e-8),
         unit="μB", url=f"lam{k}", fmt=".2g", only_when=("mm_mode", "majorana"))
      for k, s, d in ((1, "₁", 2e-11), (2, "₂", 2e-11), (3, "₃", 1e-12))),
    _p("lam_phase", 0.0, "lin", "arg Λ₂",
       "Phase of Λ₂ relative to Λ₁ and Λ₃ (degrees): it matters for a beam at a baseline "
       "(reactor, π-DAR), not for solar neutrinos or stars (incoherent sums).", "moment",
       _ALL | {PAGE}, bounds=(0.0, 360.0), unit="°", url="zeta", step=1.0, fmt=".0f",
       only_when=("mm_mode", "majorana")),
    _p("ordering", "normal", "toggle", "Mass ordering",
       "Normal (m₁ < m₂ < m₃) or inverted (m₃ < m₁ < m₂) ordering: sets θ₂₃ and Δm²₃₂ of "
       "the PMNS matrix (PDG 2022).", "moment", _ALL | {PAGE}, url="order", codec="choice",
       only_when=("mm_mode", ("dirac", "majorana")),
       options=(("normal", "normal"), ("inverted", "inverted")),
       value_aliases={"no": "normal", "nh": "normal", "io": "inverted", "ih": "inverted"}),
    _p("q_sign", 0, "toggle", "Millicharge qν", "Sign of the millicharge, or off.", "neutrino",
       _ALL, url=None, options=(("−", -1), ("off", 0), ("+", 1))),
    _p("q", 1e-13, "log", "|qν|",
       "Size of the millicharge in units of the proton charge e, log scale (eq. 13 and the "
       "g_V shift in ν–e scattering).", "neutrino", _ALL, bounds=(1e-16, 1e-10), unit="e",
       url="q", codec="signed", fmt=".2g"),
    _p("r2", 0.0, "lin", "⟨r²⟩",
       "Charge radius, linear, either sign (eq. 13; positive raises CEvNS).", "neutrino", _ALL,
       bounds=(-50.0, 50.0), unit="10⁻³² cm²", url="r2", step=0.1, fmt=".1f"),
    _p("E", 1.0, "log", "Eν", "Neutrino energy, log scale; sets Tmax (eq. 4).", "neutrino",
       _BOTH, bounds=(0.01, 100.0), unit="MeV", url="E", aliases=("enu", "e_nu")),
    # -- the model
    _p("binding", "stepping", "toggle", "Atomic binding",
       "Stepping approximation (eqs. 10–11: only electrons with binding energy I_j ≤ T count) or "
       "Z free electrons.", "target", _E | _R | _S, url="binding", codec="choice",
       options=(("stepping (eqs. 10–11)", "stepping"), ("free electrons", "free")),
       value_aliases={"step": "stepping", "bound": "stepping"}),
    _p("form_factor", "none", "toggle", "Form factor",
       "Nuclear form factor in CEvNS: F = 1 as in the paper (Eν of a few MeV) or Helm "
       "(Lewin & Smith) for higher Eν.", "target", _N | _R | _S, url="ff", codec="choice",
       aliases=("form_factor",), advanced=True,
       options=(("F = 1 (paper)", "none"), ("Helm", "helm")),
       value_aliases={"1": "none", "off": "none", "f1": "none"}),
    _p("sin2w", SIN2W_DEFAULT, "lin", "sin²θ_W",
       "Weak mixing angle (default 0.23867, the low-energy MS-bar value).", "target", _ALL,
       bounds=(0.20, 0.26), url="sin2w", step=0.0001, fmt=".5f", advanced=True),
    # -- axes and readouts
    _p("axes", "fit", "toggle", "Axes",
       "Fit: the recoil axis runs up to just past Tmax and the dσ/dT axis spans the curves. "
       "Fixed: the ranges below.", "view", _BOTH, url="axes", codec="choice", advanced=True,
       options=(("fit the physics", "fit"), ("fixed ranges", "fixed"))),
    _p("Te_min", 1e-2, "log", "ν–e: T from", "Lower end of the electron-recoil axis.", "view",
       _E, bounds=(1e-4, 1e4), unit="keV", url="Te_min", fmt=".3g", only_when=("axes", "fixed")),
    _p("Te_max", 1e3, "log", "ν–e: T to", "Upper end of the electron-recoil axis.", "view", _E,
       bounds=(1e-4, 1e4), unit="keV", url="Te_max", only_when=("axes", "fixed")),
    _p("TN_min", 1e-5, "log", "CEvNS: T from", "Lower end of the nuclear-recoil axis.", "view",
       _N, bounds=(1e-7, 1e3), unit="keV", url="TN_min", fmt=".3g", only_when=("axes", "fixed")),
    _p("TN_max", 10.0, "log", "CEvNS: T to", "Upper end of the nuclear-recoil axis.", "view", _N,
       bounds=(1e-7, 1e3), unit="keV", url="TN_max", fmt=".3g", only_when=("axes", "fixed")),
    _p("y_decades", 8.0, "lin", "dσ/dT decades",
       "How many decades the dσ/dT axis spans below its top.", "view", _BOTH, physics=False,
       bounds=(2.0, 20.0), unit="decades", url="ydec", aliases=("y_decades",), step=1.0,
       fmt=".0f", only_when=("axes", "fixed")),
    _p("thr_e", 2.8, "log", "ν–e threshold",
       "Detector threshold for electron recoils: the green line and the EM/SM readout.", "view",
       _E, physics=False, bounds=(1e-4, 1e4), unit="keV", url="thr_e"),
    _p("thr_n", 1e-2, "log", "CEvNS threshold",
       "Detector threshold for nuclear recoils: the green line and the EM/SM readout.", "view",
       _N, physics=False, bounds=(1e-7, 1e3), unit="keV", url="thr_n", fmt=".3g"),
    _p("map", "off", "toggle", "Map of |EM|/SM",
       "Adds a map under each plot: |EM|/SM over recoil energy and μν (or |qν|) for the "
       "current target, ν and Eν, with the crossover line, the eq. 9 / eq. 16 scale, the "
       "threshold and the μν limits; the marked row is the current slider value.", "view",
       _BOTH, physics=False, url="map", codec="choice",
       options=(("off", "off"), ("(T, μν)", "mu"), ("(T, |qν|)", "q")),
       value_aliases={"0": "off", "none": "off", "no": "off", "μν": "mu", "qν": "q"}),
    _p("pins_e", "", "none", "ν–e pins",
       "Reference curves pinned on the ν–e panel (up to three; each is the physics inputs of "
       "the pinned view, drawn faintly on the live axes).", "view", _E, physics=False,
       url="pin_e", codec="pins", sticky=True),
    _p("pins_n", "", "none", "CEvNS pins",
       "Reference curves pinned on the CEvNS panel (up to three; each is the physics inputs "
       "of the pinned view, drawn faintly on the live axes).", "view", _N, physics=False,
       url="pin_n", codec="pins", sticky=True),
    _p("pins_t", "", "none", "σ pins",
       "Reference curves pinned on the σ-above-threshold panel (up to three; each is the "
       "physics inputs of the pinned view, drawn faintly on the live axes).", "view", _S,
       physics=False, url="pin_t", codec="pins", sticky=True),
    _p("x_recoil", "electron", "toggle", "σ above threshold: recoils",
       "Which recoils the σ-above-threshold panel integrates: electrons (ν–e with the binding "
       "model above, threshold 'ν–e threshold') or nuclei (CEvNS with the form factor above, "
       "threshold 'CEvNS threshold').", "target", _S, url="xrec", codec="choice",
       options=(("electrons", "electron"), ("nuclei", "nucleus")),
       value_aliases={"e": "electron", "n": "nucleus", "cevns": "nucleus"},
       only_when=("channel", "total")),
    _p("m_nu", 0.1, "log", "mν for eq. 1",
       "Neutrino mass for eq. 1's Dirac magnetic moment readout.", "view", {PAGE},
       physics=False, bounds=(1e-3, 10.0), unit="eV", url="m_nu", advanced=True),
    # -- event rates in a detector (the rates panel)
    _p("r_source", "reactor", "dropdown", "Source",
       "Neutrino source: reactor ν̄ₑ (Huber–Mueller fission spectra, Vogel–Engel below 2 MeV, "
       "ν̄ from 0.6 neutron captures on ²³⁸U per fission), π⁺ decay at rest (prompt νμ line "
       "and delayed νₑ, ν̄μ), or the Sun (B16-GS98 pp, ⁷Be, pep, measured ⁸B spectrum, LMA "
       "flavour conversion).", "rates", _R, url="src", codec="choice",
       options=(("reactor ν̄ₑ", "reactor"), ("π-DAR (spallation)", "pion-dar"),
                ("solar ν", "solar")),
       value_aliases={"dar": "pion-dar", "pion": "pion-dar", "sun": "solar"}),
    _p("r_power", 3.0, "log", "Reactor power",
       "Thermal power of the reactor core (reactor source only).", "rates", _R,
       bounds=(0.01, 10.0), unit="GW", url="power", only_when=("r_source", "reactor")),
    _p("r_protons", 5.0, "log", "Proton rate",
       "Protons on target per second, in 10¹⁵/s; 0.08 ν of each flavour per proton (π-DAR "
       "source only).", "rates", _R, bounds=(0.01, 100.0), unit="10¹⁵/s", url="pot",
       only_when=("r_source", "pion-dar")),
    _p("r_distance", 13.9, "log", "Distance",
       "Distance from the source to the detector (reactor and π-DAR; the Sun is at 1 AU).",
       "rates", _R, bounds=(1.0, 1e4), unit="m", url="dist",
       only_when=("r_source", ("reactor", "pion-dar"))),
    _p("r_material", "Ge", "dropdown", "Detector material",
       "Detector material; rates are per kg of this material (formula units per kg).", "rates",
       _R, url="mat", codec="choice",
       options=tuple((m, m) for m in ("Ge", "Si", "Xe", "Ar", "CsI", "NaI", "C3F8", "H2O"))),
    _p("r_channel", "electron", "toggle", "Recoil",
       "Which recoils the detector counts: electrons (ν–e, eqs. 5–11) or nuclei (CEvNS).",
       "rates", _R, url="rch", codec="choice",
       options=(("electrons", "electron"), ("nuclei", "nucleus")),
       value_aliases={"e": "electron", "n": "nucleus", "cevns": "nucleus"}),
    _p("r_mass", 1.5, "log", "Detector mass", "Mass of detector material.", "rates", _R,
       bounds=(1e-3, 1e5), unit="kg", url="kg"),
    _p("r_days", 365.0, "log", "Live time", "Days of data taking.", "rates", _R,
       bounds=(1.0, 1e4), unit="days", url="days"),
    _p("r_threshold", 2.8, "log", "Threshold",
       "Lower end of the counting window (recoil energy; nuclear-recoil energy for CEvNS).",
       "rates", _R, bounds=(1e-4, 1e4), unit="keV", url="thr"),
    _p("r_window", 10.0, "log", "Window to",
       "Upper end of the counting window (recoil energy).", "rates", _R, bounds=(1e-3, 1e5),
       unit="keV", url="win"),
    _p("r_background", 2.5, "log", "Background",
       "Flat background in counts per (kg · day · keV) over the window.", "rates", _R,
       bounds=(1e-6, 1e4), unit="/(kg·day·keV)", url="bkg", fmt=".2g"),
)
# fmt: on

#: Name → parameter.
REGISTRY: dict[str, Param] = {p.name: p for p in PARAMS}


def applies(p: Param, values) -> bool:
    """Whether ``p`` means anything for the state (or dict) ``values``: its ``only_when`` case
    holds (the reactor power with a reactor source, the axis ranges with fixed axes). Controls
    that do not apply are hidden, and captions do not name them.

    >>> applies(REGISTRY["r_power"], {"r_source": "solar"}), applies(REGISTRY["r_distance"],
    ...     {"r_source": "pion-dar"})
    (False, True)
    """
    if not p.only_when:
        return True
    key, want = p.only_when
    have = values[key] if isinstance(values, dict) else getattr(values, key)
    return have in want if isinstance(want, tuple) else have == want


#: Parameter names in link and CSV order.
NAMES: tuple[str, ...] = tuple(p.name for p in PARAMS)
#: Numeric bounds in display units, name → (lo, hi).
BOUNDS: dict[str, tuple] = {p.name: p.bounds for p in PARAMS if p.bounds}
#: Each panel's physics inputs: a change recomputes its curves.
PHYSICS_INPUTS: dict[str, frozenset] = {
    panel: frozenset(p.name for p in PARAMS if p.physics and panel in p.affects)
    | CHANNELS[panel].physics_inputs
    for panel in PANELS
}
#: Each panel's view inputs: a change rebuilds its view from the physics already computed.
VIEW_INPUTS: dict[str, frozenset] = {
    panel: (
        frozenset(p.name for p in PARAMS if not p.physics and panel in p.affects)
        | CHANNELS[panel].view_inputs
    )
    - PHYSICS_INPUTS[panel]
    for panel in PANELS
}
#: Inputs of the page's own readouts (eq. 1, limits).
PAGE_INPUTS: frozenset = frozenset(p.name for p in PARAMS if PAGE in p.affects)

#: In "fit" axes, the recoil axis spans FIT_RANGE[0] decades up to a round value (1, 2, 5 × 10ⁿ)
#: at or above FIT_RANGE[1] · Tmax.
FIT_RANGE = (5, 1.2)
#: In "fit" axes, the dσ/dT axis spans at most this many decades.
FIT_DECADES = 12

#: Parameters the set-up buttons and Reset leave as they are.
STICKY: frozenset = frozenset(p.name for p in PARAMS if p.sticky)

#: Pairs of range parameters (lower, upper, the least ratio upper/lower the state keeps).
AXIS_PAIRS = (
    ("Te_min", "Te_max", 10.0),
    ("TN_min", "TN_max", 10.0),
    ("r_threshold", "r_window", 1.1),
)

assert set(SHOWN) == set(REGISTRY["channel"].values)

# The slider domains lie inside what the physics accepts (one definition of each domain).
assert REGISTRY["mu"].bounds[1] <= MU_MAX and REGISTRY["q"].bounds[1] <= Q_MAX
assert set(REGISTRY["flavour"].values) == set(FLAVOURS)
assert set(REGISTRY["binding"].values) == set(BINDINGS)
assert set(REGISTRY["form_factor"].values) == set(FORM_FACTORS)
assert set(REGISTRY["ordering"].values) == set(ORDERINGS)
assert LIMITS["gemma"].value == REGISTRY["mu"].default
