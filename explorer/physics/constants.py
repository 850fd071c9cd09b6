"""Physical constants in the hepunits system (MeV = mm = ns = 1).

A quantity is a plain float: attach a unit by multiplying, read it back by dividing,
e.g. ``me / keV`` is the electron mass in keV.

Sources
-------
* CODATA 2022 recommended values (E. Tiesinga, P. J. Mohr, D. B. Newell, B. N. Taylor, "CODATA
  recommended values of the fundamental physical constants: 2022", Rev. Mod. Phys. 97, 025002
  (2025); https://physics.nist.gov/cuu/Constants/), written here as literals so that importing
  the physics does not import scipy (the dashboard kernel stays light). The tests check them
  against the CODATA 2022 numbers and against :mod:`scipy.constants` (scipy ≥ 1.15 ships
  CODATA 2022; 1.14 and earlier ship CODATA 2018, whose m_e is 1.4e-9 lower).
* ħc from :mod:`hepunits` (exact in SI since 2019: 197.3269804… MeV fm).
* sin²θ_W: the low-energy (Q → 0) MS-bar value 0.23867 (Erler & Ferro-Hernández, JHEP 03 (2018)
  196; PDG review "Electroweak model and constraints on new physics"). It is a *parameter*
  (``sin2w``) of every function that needs it; scipy's "weak mixing angle" is the on-shell value
  0.22305 and is deliberately not used.
"""

from __future__ import annotations

import math

import numpy as np
from hepunits import GeV, MeV, cm2, eV, hbarc, keV  # noqa: F401  (re-exported for convenience)

__all__ = [
    "ALPHA",
    "ATOMIC_MASS_UNIT",
    "E_HARTREE",
    "G_FERMI",
    "HBARC",
    "HBARC2",
    "ME",
    "SIN2W_DEFAULT",
    "dirac_magnetic_moment",
]

#: Fine-structure constant α, CODATA 2022: 7.2973525643(11)e-3, dimensionless.
ALPHA: float = 7.2973525643e-3

#: Fermi constant G_F/(ħc)³, CODATA 2022: 1.1663787(6)e-5 GeV⁻², here in MeV⁻².
G_FERMI: float = 1.1663787e-5 / GeV**2

#: Electron mass m_e c², CODATA 2022: 0.51099895069(16) MeV.
ME: float = 0.51099895069 * MeV

#: Atomic mass constant u c², CODATA 2022: 931.49410372(29) MeV.
ATOMIC_MASS_UNIT: float = 931.49410372 * MeV

#: ħc from hepunits (197.3269804 MeV fm), in MeV·mm.
HBARC: float = hbarc

#: (ħc)²: multiply a cross section in MeV⁻² by this to get an area in mm² (hepunits).
HBARC2: float = hbarc**2

#: Hartree energy E_h = α² m_e c² (paper, text after eq. 11: 27.2 eV), in MeV.
E_HARTREE: float = ALPHA**2 * ME

#: Default sin²θ_W: low-energy MS-bar value (see module docstring).
SIN2W_DEFAULT: float = 0.23867


def dirac_magnetic_moment(m_nu):
    """Magnetic moment of a Dirac neutrino in the minimally extended SM (paper eq. 1).

    μ_ii = 3 e G_F m_i / (8√2 π²) = (3 G_F m_e m_i / (4√2 π²)) μ_B,   with μ_B = e/(2 m_e).

    Parameters
    ----------
    m_nu : float or array, energy units (hepunits), m_nu ≥ 0
        Neutrino mass m_i c².

    Returns
    -------
    float or array
        μ_ii in units of the Bohr magneton μ_B (dimensionless).

    Examples
    --------
    The paper quotes ≈ 3.2×10⁻¹⁹ μ_B for m = 1 eV:

    >>> f"{dirac_magnetic_moment(1 * eV):.3e}"
    '3.203e-19'
    >>> f"{dirac_magnetic_moment(1e-6):.3e}"     # the same with a plain float (1e-6 MeV = 1 eV)
    '3.203e-19'
    """
    from ._validate import check_finite_nonneg

    m = check_finite_nonneg("m_nu", m_nu)
    out = 3.0 * G_FERMI * ME * m / (4.0 * math.sqrt(2.0) * math.pi**2)
    return float(out) if np.ndim(out) == 0 else out
