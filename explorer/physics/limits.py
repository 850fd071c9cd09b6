"""Experimental upper limits on the effective neutrino magnetic moment, each with its source.

One home for every limit the explorer shows: the dashboard's readouts, its μν buttons, its presets
and the teaching notebooks import them from here. Values are in units of the Bohr magneton μ_B.

An "effective" magnetic moment is what a given experiment constrains: a reactor experiment sees
the moment of the ν̄_e it detects, a solar-neutrino experiment a combination weighted by the
flavour mixture that arrives at Earth, and the stellar-cooling bounds a sum over all mass
states. Comparing one μν with several limits is therefore an order-of-magnitude comparison, not a
like-for-like one; ``constrains`` says which moment each limit bounds.

>>> LIMITS["gemma"].value
2.9e-11
>>> [lim.key for lim in LIMITS.values()][:2]          # the paper's two, refs. [15] and [16]
['gemma', 'red-giant']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LIMITS", "Limit"]


@dataclass(frozen=True)
class Limit:
    """An upper limit on an effective neutrino magnetic moment.

    Parameters
    ----------
    key : str
        Short name used in links and code (``"gemma"``).
    label : str
        Name on the page.
    value : float
        The limit, in units of μ_B.
    cl : str
        Confidence level or kind of bound (``"90% CL"``).
    constrains : str
        Which effective moment the experiment bounds.
    source : str
        Citation.
    """

    key: str
    label: str
    value: float
    cl: str
    constrains: str
    source: str

    def __post_init__(self):
        if not (0.0 < self.value < 1e-6):
            raise ValueError(f"Limit value must lie in (0, 1e-6) μ_B, got {self.value!r}")


LIMITS: dict[str, Limit] = {
    lim.key: lim
    for lim in (
        Limit(
            "gemma",
            "GEMMA (reactor ν̄ₑ on Ge)",
            2.9e-11,
            "90% CL",
            "reactor ν̄ₑ",
            "A. G. Beda et al., Adv. High Energy Phys. 2012, 350150 (paper ref. 15)",
        ),
        Limit(
            "red-giant",
            "Red giants, 1990 (plasmon decay)",
            3e-12,
            "astrophysical bound",
            "all flavours (sum over mass states)",
            "G. G. Raffelt, Phys. Rev. Lett. 64, 2856 (1990) (paper ref. 16)",
        ),
        Limit(
            "red-giant-2020",
            "Red giants, 2020 (tip of the RGB)",
            1.2e-12,
            "95% CL (1.2–1.5×10⁻¹² by distance calibration)",
            "all flavours (sum over mass states)",
            "F. Capozzi and G. Raffelt, Phys. Rev. D 102, 083007 (2020), arXiv:2007.03694",
        ),
        Limit(
            "borexino",
            "Borexino (solar ν on e⁻)",
            2.8e-11,
            "90% CL",
            "solar ν flavour mixture at Earth",
            "M. Agostini et al. (Borexino), Phys. Rev. D 96, 091103(R) (2017)",
        ),
        Limit(
            "xenonnt",
            "XENONnT (solar ν on e⁻ in Xe)",
            6.4e-12,
            "90% CL",
            "solar ν flavour mixture at Earth",
            "E. Aprile et al. (XENON), Phys. Rev. Lett. 129, 161805 (2022)",
        ),
    )
}
