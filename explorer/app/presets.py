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

from explorer.physics.limits import LIMITS

from .state import ExplorerState

#: Quick target buttons: germanium and silicon (reactor detectors), argon and xenon (noble
#: liquids), caesium and iodine (CsI[Na], COHERENT), sodium (NaI).
TARGET_PRESETS = ("Ge", "Si", "Ar", "Xe", "Cs", "I", "Na")


@dataclass(frozen=True)
class Experiment:
    """A named set-up: every state parameter (defaults plus ``changes``), a description, a source."""

    key: str
    label: str
    description: str
    changes: dict = field(default_factory=dict)

    @property
    def values(self) -> dict:
        """The complete parameter set (every state parameter)."""
        out = ExplorerState.defaults()
        out.update(self.changes)
        return out


EXPERIMENTS = {
    e.key: e
    for e in (
        Experiment(
            "gemma-ge",
            "Reactor ν̄_e on germanium (GEMMA-like)",
            "Reactor antineutrinos (Eν ≈ 1.5 MeV stands for the fission spectrum) on a Ge detector "
            "with a 2.8 keV threshold, μν at the GEMMA limit 2.9×10⁻¹¹ μ_B.",
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
        ),
        Experiment(
            "coherent-csi",
            "CsI at a pion-decay-at-rest source (COHERENT-like)",
            "Prompt ν_μ from π⁺ → μ⁺ ν_μ at rest (Eν = 29.8 MeV) on caesium (CsI: pick I for the "
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
        ),
        Experiment(
            "xenon-pp",
            "Xenon with solar pp neutrinos (electron recoils)",
            "Solar pp ν_e (endpoint 0.42 MeV) on liquid xenon with a 1 keV threshold, μν at the "
            "XENONnT limit 6.4×10⁻¹² μ_B.",
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
        ),
        Experiment(
            "xenon-8b",
            "Xenon with solar ⁸B neutrinos (CEvNS)",
            "Solar ⁸B ν_e (Eν ≈ 10 MeV) on xenon, Helm form factor, nuclear-recoil threshold "
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
