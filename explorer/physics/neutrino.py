"""The neutrino: flavour, ν or ν̄, and its electromagnetic properties."""

from __future__ import annotations

import math
from dataclasses import dataclass

from hepunits import cm2

from ._validate import check_flavour, check_instance

FLAVOURS = ("e", "mu", "tau")

#: Slider-domain ceilings used for validation messages and property tests (not physics limits).
MU_MAX = 1e-6  # μν / μ_B
Q_MAX = 1e-3  # |qν| / e
R2_MAX = 1e-26 * cm2  # |⟨r²⟩|


@dataclass(frozen=True)
class Neutrino:
    """A neutrino (or antineutrino) beam state with electromagnetic properties.

    ``q`` and ``r2`` are always the properties of the *neutrino* of this flavour, also when
    ``anti=True`` (docs/design.md, "Antineutrinos"): the antineutrino carries −qν and −⟨r²⟩. Pass
    the same numbers for ν and ν̄. The cross sections need no sign change for ν̄: the
    photon-exchange shift of the weak vector coupling, g_V → g_V + (√2πα/G_F)[⟨r²⟩/3 − qν/(m_e T)]
    (electrons) and the same bracket in η (nuclei), is the same for ν and ν̄, because C conjugation
    flips the weak vector current and the electromagnetic current together — their interference, and
    so the relative shift, keeps its sign. (Only g_A changes sign for ν̄, eq. 7.) μν enters squared.

    Parameters
    ----------
    flavour : {"e", "mu", "tau"}
        Flavour at the detector.
    anti : bool
        True for an antineutrino (g_A → −g_A in eq. 6).
    mu : float, dimensionless, 0 ≤ mu ≤ 1e-6
        Effective magnetic moment μν in units of the Bohr magneton μ_B (paper eq. 8).
    q : float, dimensionless, |q| ≤ 1e-3
        Millicharge qν of the neutrino in units of the proton charge e (paper eq. 12,
        e_ν = qν e); the antineutrino's is −qν.
    r2 : float, area (hepunits), |r2| ≤ 1e-26 cm²
        Charge radius ⟨r²⟩ of the neutrino (paper eq. 12); the antineutrino's is −⟨r²⟩.
        Use ``1e-32 * cm2``.

    Examples
    --------
    >>> Neutrino("e", anti=True, mu=2.9e-11)
    Neutrino(ν̄_e, μν=2.9e-11 μ_B, qν=0 e, ⟨r²⟩=0 cm²)
    >>> Neutrino("muon")
    Traceback (most recent call last):
    ...
    ValueError: flavour must be one of ['e', 'mu', 'tau'], got 'muon'
    """

    flavour: str = "e"
    anti: bool = False
    mu: float = 0.0
    q: float = 0.0
    r2: float = 0.0

    def __post_init__(self):
        check_flavour(self.flavour, self.anti, FLAVOURS)
        for name, value in (("mu", self.mu), ("q", self.q), ("r2", self.r2)):
            try:
                v = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"{name} must be a real number, got {value!r}") from None
            if not math.isfinite(v):
                raise ValueError(f"{name} must be finite, got {value!r}")
            object.__setattr__(self, name, v)
        if not 0.0 <= self.mu <= MU_MAX:
            raise ValueError(f"mu must lie in [0, {MU_MAX:g}] (units of μ_B), got {self.mu!r}")
        if abs(self.q) > Q_MAX:
            raise ValueError(f"q must lie in [-{Q_MAX:g}, {Q_MAX:g}] (units of e), got {self.q!r}")
        if abs(self.r2) > R2_MAX:
            raise ValueError(
                f"r2 must lie in [-{R2_MAX / cm2:g}, {R2_MAX / cm2:g}] cm² (pass r2 * cm2), "
                f"got {self.r2 / cm2!r} cm²"
            )

    @property
    def label(self) -> str:
        """Unicode label, e.g. ``ν̄_e``."""
        sym = {"e": "e", "mu": "μ", "tau": "τ"}[self.flavour]
        return ("ν̄" if self.anti else "ν") + "_" + sym

    def __repr__(self) -> str:
        return (
            f"Neutrino({self.label}, μν={self.mu:g} μ_B, qν={self.q:g} e, "
            f"⟨r²⟩={self.r2 / cm2:g} cm²)"
        )


def check_nu(nu):
    """The ``nu`` argument of every cross-section function must be a :class:`Neutrino`."""
    return check_instance("nu", nu, Neutrino, "explorer.physics.Neutrino")
