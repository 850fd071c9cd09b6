"""Three-flavour mixing: the PMNS matrix with cited defaults, and the mass-state content of solar
neutrinos at the Earth (adiabatic LMA), for the effective magnetic moment of
:mod:`explorer.physics.moments`.

Units: Δm² as an energy² in hepunits (``7.53e-5 * eV**2``); angles as sin²θ; phases in radians.

>>> mix = mixing("inverted")
>>> mix.ordering, round(float(mix.m2[2] / eV**2), 6)       # m₃² − m₁² = Δm²₂₁ + Δm²₃₂ < 0
('inverted', -0.002461)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from hepunits import eV

from ._validate import as_float_array, check_choice, check_finite_nonneg, check_positive
from .constants import G_FERMI, HBARC
from .sources import LMA, SOLAR_CORE_NE

__all__ = ["ORDERINGS", "PDG2022", "Mixing", "mixing", "solar_mass_fractions"]

ORDERINGS = ("normal", "inverted")

#: Default oscillation parameters: PDG 2022 (R. L. Workman et al., PTEP 2022, 083C01), summary
#: table of "Neutrino mixing". θ12, θ13 and Δm²21 are the ones the solar sources use
#: (:data:`explorer.physics.sources.LMA`, one home); θ23 and Δm²32 depend on the ordering; PDG 2022
#: quotes one δ_CP = 1.36 π (used for both orderings). Majorana phases default to 0.
PDG2022 = {
    "normal": {"sin2_theta23": 0.546, "dm2_32": 2.453e-3 * eV**2},
    "inverted": {"sin2_theta23": 0.539, "dm2_32": -2.536e-3 * eV**2},
    "delta_cp": 1.36 * math.pi,
}


def _unit_interval(name, value, open_=False):
    v = float(as_float_array(name, value))
    if not (0.0 < v < 1.0 if open_ else 0.0 <= v <= 1.0):
        raise ValueError(f"{name} must lie in {'(0, 1)' if open_ else '[0, 1]'}, got {value!r}")
    return v


@dataclass(frozen=True)
class Mixing:
    """Three-flavour mixing: PMNS angles and phases, and the mass-squared splittings.

    Parameters
    ----------
    sin2_theta12, sin2_theta13, sin2_theta23 : float in (0, 1)
    delta_cp : float, radians (Dirac CP phase δ)
    dm2_21 : energy², > 0 (e.g. ``7.53e-5 * eV**2``)
    dm2_32 : energy², ≠ 0 — > 0 normal ordering, < 0 inverted
    alpha21, alpha31 : float, radians (Majorana phases; PDG convention, default 0)

    ``U`` is the PDG parametrisation U = R₂₃ U₁₃(δ) R₁₂ · diag(1, e^{iα₂₁/2}, e^{iα₃₁/2});
    ``m2`` the masses squared relative to m₁²: (0, Δm²₂₁, Δm²₂₁ + Δm²₃₂).
    """

    sin2_theta12: float
    sin2_theta13: float
    sin2_theta23: float
    delta_cp: float
    dm2_21: float
    dm2_32: float
    alpha21: float = 0.0
    alpha31: float = 0.0

    def __post_init__(self):
        for name in ("sin2_theta12", "sin2_theta13", "sin2_theta23"):
            object.__setattr__(self, name, _unit_interval(name, getattr(self, name), True))
        for name in ("delta_cp", "alpha21", "alpha31", "dm2_21", "dm2_32"):
            object.__setattr__(self, name, float(as_float_array(name, getattr(self, name))))
        if not self.dm2_21 > 0:
            raise ValueError(
                f"dm2_21 must be > 0 (an energy², e.g. 7.5e-5 * eV**2), got {self.dm2_21!r}"
            )
        if self.dm2_32 == 0:
            raise ValueError("dm2_32 must be ≠ 0 (> 0 normal, < 0 inverted ordering), got 0.0")

    @property
    def ordering(self) -> str:
        return "normal" if self.dm2_32 > 0 else "inverted"

    @property
    def U(self) -> np.ndarray:
        """The 3×3 PMNS matrix U_ℓk (rows e, μ, τ; columns mass states 1, 2, 3)."""
        s12, s13, s23 = (
            math.sqrt(x) for x in (self.sin2_theta12, self.sin2_theta13, self.sin2_theta23)
        )
        c12, c13, c23 = (
            math.sqrt(1.0 - x) for x in (self.sin2_theta12, self.sin2_theta13, self.sin2_theta23)
        )
        ed = complex(math.cos(self.delta_cp), math.sin(self.delta_cp))  # e^{iδ}
        u = np.array(
            [
                [c12 * c13, s12 * c13, s13 / ed],
                [-s12 * c23 - c12 * s23 * s13 * ed, c12 * c23 - s12 * s23 * s13 * ed, s23 * c13],
                [s12 * s23 - c12 * c23 * s13 * ed, -c12 * s23 - s12 * c23 * s13 * ed, c23 * c13],
            ],
            dtype=complex,
        )
        majorana = np.exp(0.5j * np.array([0.0, self.alpha21, self.alpha31]))
        return u * majorana

    @property
    def m2(self) -> np.ndarray:
        """Masses squared relative to m₁² (energy²): (0, Δm²₂₁, Δm²₂₁ + Δm²₃₂)."""
        return np.array([0.0, self.dm2_21, self.dm2_21 + self.dm2_32])


def mixing(ordering="normal", **overrides):
    """PDG 2022 mixing for ``ordering`` ("normal" or "inverted"); keywords override parameters.

    θ12, θ13, Δm²21 come from :data:`explorer.physics.sources.LMA` (PDG 2022), so the solar
    mass-state fractions and the PMNS matrix share them.

    >>> round(float(abs(mixing().U[0, 1]) ** 2), 5)       # |U_e2|² = s12² c13² = 0.307 × 0.978
    0.30025
    """
    check_choice("ordering", ordering, set(ORDERINGS))
    params = {
        "sin2_theta12": LMA["sin2_theta12"],
        "sin2_theta13": LMA["sin2_theta13"],
        "dm2_21": LMA["dm2_21"],
        "delta_cp": PDG2022["delta_cp"],
        **PDG2022[ordering],
    }
    params.update(overrides)
    return Mixing(**params)


def as_mixing(mix) -> Mixing:
    """``mix`` if it is a :class:`Mixing`, PDG 2022 normal ordering for None; else ValueError."""
    mix = mixing() if mix is None else mix
    if not isinstance(mix, Mixing):
        raise ValueError(f"mix must be an explorer.physics.mixing.Mixing or None, got {mix!r}")
    return mix


def _cos2theta12_matter(E, n_e):
    """cos 2θ₁₂ᵐ at production in the Sun, adiabatic LMA (the formula of
    :func:`explorer.physics.sources.lma_survival`, PDG 2022 solar section):
    (cos2θ₁₂ − β)/√((cos2θ₁₂ − β)² + sin²2θ₁₂), β = 2√2 G_F n_e Eν cos²θ₁₃ / Δm²₂₁.
    To be consolidated with sources (which has no public function for it yet)."""
    s12, s13 = LMA["sin2_theta12"], LMA["sin2_theta13"]
    c2 = 1.0 - 2.0 * s12
    sin2_2 = 4.0 * s12 * (1.0 - s12)
    v = math.sqrt(2.0) * G_FERMI * n_e * HBARC**3  # √2 G_F n_e as an energy
    beta = 2.0 * v * E * (1.0 - s13) / LMA["dm2_21"]
    return (c2 - beta) / np.sqrt((c2 - beta) ** 2 + sin2_2)


def solar_mass_fractions(E, n_e=None):
    """P(νe → νk), k = 1, 2, 3, of solar νe at the Earth (adiabatic LMA, oscillations averaged).

    P₁ = cos²θ₁₃ cos²θ₁₂ᵐ, P₂ = cos²θ₁₃ sin²θ₁₂ᵐ, P₃ = sin²θ₁₃ (θ₁₃ in vacuum; Grimus et al.,
    Nucl. Phys. B 648, 376 (2003); Giunti & Studenikin RMP Sec. VI), with the mixing and the
    production density of :func:`explorer.physics.sources.lma_survival`, so that
    Σ_k |U_ek|² P_k equals its P_ee. E: energy > 0; n_e: number per volume.
    Returns an array of shape E.shape + (3,) summing to 1.
    """
    E = check_positive("E", E)
    n_e = SOLAR_CORE_NE if n_e is None else float(check_finite_nonneg("n_e", n_e))
    c2m = _cos2theta12_matter(E, n_e)
    s13 = LMA["sin2_theta13"]
    return np.stack(
        [(1.0 - s13) * 0.5 * (1.0 + c2m), (1.0 - s13) * 0.5 * (1.0 - c2m), np.full_like(c2m, s13)],
        axis=-1,
    )
