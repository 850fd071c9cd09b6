"""Experiment presets and quick target choices (the limits on μν live in explorer.physics.limits).

An experiment preset is a complete set of parameters: picking one sets every control at once
(one recompute). The set-ups are "-like": a single representative neutrino energy stands for the
source spectrum, since the dashboard shows dσ/dT at fixed Eν.

>>> sorted(EXPERIMENTS)
['coherent-csi', 'gemma-ge', 'xenon-8b', 'xenon-pp']
>>> EXPERIMENTS["gemma-ge"].values["mu"]
2.9e-11
"""

from __future__ import annotations

from dataclasses import dataclass, field

from explorer.app.declare.params import STICKY
from explorer.app.state.traits import ExplorerState
from explorer.physics.limits import LIMITS

#: What a set-up button leaves as it is: the sticky parameters (presentation mode, pins) and
#: which panels are shown (a lecturer on the rates panel stays there).
KEPT = STICKY | {"channel"}

#: Quick target buttons: germanium and silicon (reactor detectors), argon and xenon (noble
#: liquids), caesium and iodine (CsI[Na], COHERENT), sodium (NaI).
TARGET_PRESETS = ("Ge", "Si", "Ar", "Xe", "Cs", "I", "Na")


@dataclass(frozen=True)
class Experiment:
    """A named set-up: every state parameter (defaults plus ``changes``, plus the rates panel's
    detector set-up ``rates``, a key of :data:`RATE_PRESETS`), a description, a source.

    One declaration sets both the dσ/dT panels and the rates panel: the source, material,
    recoil channel and counting window of the rates panel come from the rate preset ``rates``.
    """

    key: str
    label: str
    description: str
    changes: dict = field(default_factory=dict)
    rates: str = ""

    @property
    def values(self) -> dict:
        """The complete parameter set (every state parameter but those the set-ups keep:
        presentation mode, pins, and which panels are shown)."""
        out = {k: v for k, v in ExplorerState.defaults().items() if k not in KEPT}
        if self.rates:
            out.update(RATE_PRESETS[self.rates].changes)
        out.update(self.changes)
        out["preset"] = self.key
        return out


EXPERIMENTS = {
    e.key: e
    for e in (
        Experiment(
            "gemma-ge",
            "Reactor ν̄ₑ on germanium (GEMMA-like)",
            "Reactor antineutrinos (Eν ≈ 1.5 MeV stands for the fission spectrum) on a Ge detector "
            "with a 2.8 keV threshold, μν at the GEMMA limit 2.9×10⁻¹¹ μB.",
            dict(
                target="Ge",
                flavour="e",
                anti=True,
                mu_on=True,
                mu=LIMITS["gemma"].value,
                q_sign=0,
                r2=0.0,
                E=1.5,
                binding="stepping",
                form_factor="none",
                Te_min=1e-2,
                Te_max=2e3,
                TN_min=1e-5,
                TN_max=1.0,
                thr_e=2.8,
                thr_n=0.3,
            ),
            rates="gemma",
        ),
        Experiment(
            "coherent-csi",
            "CsI at a pion-decay-at-rest source (COHERENT-like)",
            "Prompt νμ from π⁺ → μ⁺ νμ at rest (Eν = 29.8 MeV) on caesium (CsI: pick I for the "
            "other half), Helm form factor, nuclear-recoil threshold ≈ 5 keV.",
            dict(
                target="Cs",
                flavour="mu",
                anti=False,
                mu_on=True,
                mu=LIMITS["gemma"].value,
                q_sign=0,
                r2=0.0,
                E=29.8,
                binding="stepping",
                form_factor="helm",
                Te_min=1e-1,
                Te_max=1e4,
                TN_min=1e-3,
                TN_max=100.0,
                thr_e=10.0,
                thr_n=5.0,
            ),
            rates="coherent",
        ),
        Experiment(
            "xenon-pp",
            "Xenon with solar pp neutrinos (electron recoils)",
            "Solar pp νₑ (endpoint 0.42 MeV) on liquid xenon with a 1 keV threshold, μν at the "
            "XENONnT limit 6.4×10⁻¹² μB.",
            dict(
                target="Xe",
                flavour="e",
                anti=False,
                mu_on=True,
                mu=LIMITS["xenonnt"].value,
                q_sign=0,
                r2=0.0,
                E=0.42,
                binding="stepping",
                form_factor="none",
                Te_min=1e-2,
                Te_max=1e3,
                TN_min=1e-6,
                TN_max=1e-2,
                thr_e=1.0,
                thr_n=1e-3,
            ),
            rates="xenonnt",
        ),
        Experiment(
            "xenon-8b",
            "Xenon with solar ⁸B neutrinos (CEvNS)",
            "Solar ⁸B νₑ (Eν ≈ 10 MeV) on xenon, Helm form factor, nuclear-recoil threshold "
            "≈ 1 keV, μν at the XENONnT limit.",
            dict(
                target="Xe",
                flavour="e",
                anti=False,
                mu_on=True,
                mu=LIMITS["xenonnt"].value,
                q_sign=0,
                r2=0.0,
                E=10.0,
                binding="stepping",
                form_factor="helm",
                Te_min=1e-1,
                Te_max=1e4,
                TN_min=1e-4,
                TN_max=10.0,
                thr_e=1.0,
                thr_n=1.0,
            ),
            rates="xenon-8b",
        ),
    )
}


def apply_experiment(state: ExplorerState, key: str) -> None:
    """Set every parameter of ``state`` to the preset ``key`` (one recompute).

    >>> apply_experiment(ExplorerState(), "gemma")
    Traceback (most recent call last):
    ...
    ValueError: preset must be one of ['gemma-ge', 'coherent-csi', 'xenon-pp', 'xenon-8b'], got 'gemma'
    """
    if key not in EXPERIMENTS:
        raise ValueError(f"preset must be one of {list(EXPERIMENTS)!r}, got {key!r}")
    state.update(**EXPERIMENTS[key].values)


@dataclass(frozen=True)
class RatePreset:
    """A detector set-up for the rates panel: the rates parameters it sets, and its sources.

    ``numbers`` lists each input with its value and where it comes from (the cited paper, or
    "illustrative" where the set-up picks a round value the paper does not fix); the note shown
    on the page is ``description`` followed by that list. The counting window [r_threshold,
    r_window] is the experiment's own, so the sensitivity counts the background over that
    window only. ``r_background`` is the *observed* background (as the papers quote it).
    """

    key: str
    label: str
    description: str
    source: str
    changes: dict
    numbers: tuple = ()

    @property
    def note(self) -> str:
        """The description and the list of numbers with their sources (plain text)."""
        rows = "; ".join(f"{q} {v} ({src})" for q, v, src in self.numbers)
        return f"{self.description} Numbers: {rows}." if rows else self.description


#: COHERENT 2017 (Akimov et al., Science 357, 1123 (2017)): 1.76×10²³ protons on target in
#: 308.1 days; the mean rate in the unit of ``r_protons`` (10¹⁵/s), to the papers' 3 digits.
COHERENT_POT = 1.76e23
COHERENT_DAYS = 308.1
COHERENT_PROTONS = round(COHERENT_POT / (COHERENT_DAYS * 86400.0) / 1e15, 2)  # 6.61

_GEMMA = "Beda et al. 2012"
_CONUS = "Bonet et al. 2021"
_COHERENT = "Akimov et al. 2017"
_XENON = "Aprile et al. 2022"
_XENON_8B = "Aprile et al. 2024"
_ILL = "illustrative"
#: XENONnT's ⁸B CEvNS search: 3.51 t·yr; the live time that gives it with the 4.18 t mass.
XENON_8B_DAYS = round(3.51e3 * 365.25 / 4180.0, 1)  # 306.7

#: Set-ups of the rates panel ("-like": the cited papers' numbers, not their analyses).
RATE_PRESETS = {
    r.key: r
    for r in (
        RatePreset(
            "gemma",
            "Reactor on Ge, e⁻ recoils (GEMMA-like)",
            "1.5 kg of Ge at 13.9 m from a 3 GW core, electron recoils 2.8–10 keV.",
            "A. G. Beda et al., Adv. High Energy Phys. 2012, 350150",
            dict(r_source="reactor", r_power=3.0, r_distance=13.9, r_material="Ge",
                 r_channel="electron", r_mass=1.5, r_days=365.0, r_threshold=2.8, r_window=10.0,
                 r_background=2.5),
            (("power", "3 GW", _GEMMA), ("distance", "13.9 m", _GEMMA),
             ("mass", "1.5 kg Ge", _GEMMA), ("threshold", "2.8 keV", _GEMMA),
             ("window to", "10 keV", _ILL), ("background", "2.5 /(kg·day·keV)", _GEMMA),
             ("live time", "365 days", _ILL),
             ("flux", "2.52×10¹³ cm⁻²s⁻¹ here, 2.7×10¹³ quoted", "sources.reactor")),
        ),
        RatePreset(
            "conus",
            "Reactor on Ge, nuclear recoils (CONUS-like)",
            "4 kg of Ge at 17.1 m from a 3.9 GW core, nuclear recoils from 1.5 keV (≈ 0.3 keVee "
            "with Lindhard quenching, k = 0.157) to 3 keV.",
            "H. Bonet et al. (CONUS), Phys. Rev. Lett. 126, 041804 (2021)",
            dict(r_source="reactor", r_power=3.9, r_distance=17.1, r_material="Ge",
                 r_channel="nucleus", r_mass=4.0, r_days=250.0, r_threshold=1.5, r_window=3.0,
                 r_background=10.0),
            (("power", "3.9 GW", _CONUS), ("distance", "17.1 m", _CONUS),
             ("mass", "4 kg Ge (3.76 kg active)", _CONUS),
             ("threshold", "≈ 0.3 keVee = 1.5 keVnr", _CONUS + ", Lindhard k = 0.157"),
             ("window to", "3 keVnr", _ILL), ("background", "10 /(kg·day·keV)", _ILL),
             ("live time", "250 days", _ILL)),
        ),
        RatePreset(
            "coherent",
            "π-DAR on CsI, nuclear recoils (COHERENT-like)",
            f"14.6 kg of CsI[Na] at 19.3 m from the SNS ({COHERENT_PROTONS:.3g}×10¹⁵ p/s, 0.08 ν "
            "per flavour per proton), 308.1 days, nuclear recoils 5–60 keV, low steady-state "
            "background.",
            "D. Akimov et al. (COHERENT), Science 357, 1123 (2017)",
            dict(r_source="pion-dar", r_protons=COHERENT_PROTONS, r_distance=19.3,
                 r_material="CsI", r_channel="nucleus", r_mass=14.6, r_days=COHERENT_DAYS,
                 r_threshold=5.0, r_window=60.0, r_background=1e-3),
            (("protons", "1.76×10²³ POT in 308.1 days", _COHERENT),
             ("ν per flavour per proton", "0.08", _COHERENT), ("distance", "19.3 m", _COHERENT),
             ("mass", "14.6 kg CsI[Na]", _COHERENT), ("threshold", "5 keVnr", _ILL),
             ("window to", "60 keVnr", _ILL), ("background", "10⁻³ /(kg·day·keV)", _ILL),
             ("the paper's counts", "134 ± 22 observed, 173 ± 48 predicted after the detector's "
              "efficiency and quenching; the panel counts for an ideal detector", _COHERENT)),
        ),
        RatePreset(
            "xenonnt",
            "Solar ν on Xe, e⁻ recoils (XENONnT-like)",
            "4.18 t of liquid xenon for 97.1 days, electron recoils 1–30 keV, "
            "15.8 events/(t·yr·keV).",
            "E. Aprile et al. (XENON), Phys. Rev. Lett. 129, 161805 (2022)",
            dict(r_source="solar", r_material="Xe", r_channel="electron", r_mass=4180.0,
                 r_days=97.1, r_threshold=1.0, r_window=30.0,
                 r_background=round(15.8 / (1000 * 365.25), 10)),  # 15.8 /(t·yr·keV)
            (("mass", "4.18 t", _XENON), ("live time", "97.1 days", _XENON),
             ("window", "1–30 keV", _XENON),
             ("background", "15.8 events/(t·yr·keV) = 4.33×10⁻⁵ /(kg·day·keV)", _XENON),
             ("source", "B16-GS98 pp, ⁷Be, pep, ⁸B with LMA", "sources.solar")),
        ),
        RatePreset(
            "xenon-8b",
            "Solar ⁸B on Xe, nuclear recoils (XENONnT-like CEvNS)",
            "Liquid xenon, 3.51 t·yr of exposure, nuclear recoils 1–10 keV from the Sun's ⁸B "
            "neutrinos (the other solar lines give recoils below the threshold).",
            "E. Aprile et al. (XENON), Phys. Rev. Lett. 133, 191002 (2024)",
            dict(r_source="solar", r_material="Xe", r_channel="nucleus", r_mass=4180.0,
                 r_days=XENON_8B_DAYS, r_threshold=1.0, r_window=10.0, r_background=1e-4),
            (("exposure", "3.51 t·yr", _XENON_8B), ("mass", "4.18 t", _ILL),
             ("threshold", "1 keVnr", _ILL), ("window to", "10 keVnr", _ILL),
             ("background", "10⁻⁴ /(kg·day·keV)", _ILL),
             ("source", "B16-GS98 ⁸B with LMA", "sources.solar")),
        ),
    )
}  # fmt: skip
