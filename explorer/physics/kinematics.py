"""Two-body kinematics of ν + X → ν + X with X at rest (paper eqs. 3 and 4)."""

from __future__ import annotations

import numpy as np

from ._validate import check_finite_nonneg, check_positive

__all__ = ["cos_recoil_angle", "t_max", "t_max_lite"]


def t_max_lite(E, mass):
    """T_max = 2E²/(2E + M) (eq. 4) on arrays; no validation: :func:`t_max` validates."""
    return 2.0 * E * E / (2.0 * E + mass)


def t_max(E, mass):
    """Maximum recoil kinetic energy, T_max = 2E²/(2E + M) (paper eq. 4; the same below eq. 14).

    Parameters
    ----------
    E : float or array, energy units, E > 0
        Neutrino energy.
    mass : float or array, energy units, mass > 0
        Target mass (m_e for eq. 4, the nuclear mass M_N for CEvNS).

    Returns
    -------
    float or array, energy units

    Examples
    --------
    >>> from hepunits import MeV, keV
    >>> from explorer.physics.constants import ME
    >>> round(t_max(1 * MeV, ME) / keV, 3)
    796.496
    >>> round(t_max(1.0, 0.51099895069), 6)     # plain floats in MeV
    0.796496
    """
    E = check_positive("E", E)
    mass = check_positive("mass", mass)
    out = t_max_lite(E, mass)
    return float(out) if np.ndim(out) == 0 else out


def cos_recoil_angle(T, E, mass):
    """Cosine of the recoil angle χ to the beam (paper eq. 3, with m_e → M for any target).

    cos χ = (E + M)/E · [T/(T + 2M)]^{1/2},   0 ≤ T ≤ T_max; cos χ = 1 at T = T_max.

    Parameters
    ----------
    T : float or array, energy units, 0 ≤ T ≤ T_max(E, mass)
    E : float or array, energy units, E > 0
    mass : float, energy units, mass > 0

    Examples
    --------
    >>> from explorer.physics.constants import ME
    >>> round(cos_recoil_angle(t_max(2.0, ME), 2.0, ME), 12)   # forward recoil at the kinematic edge
    1.0
    >>> cos_recoil_angle(0.0, 2.0, ME)
    0.0
    """
    T = check_finite_nonneg("T", T)
    E = check_positive("E", E)
    mass = check_positive("mass", mass)
    tm = t_max_lite(E, mass)
    if np.any(T > tm * (1 + 1e-12)):
        raise ValueError(
            f"T must lie in [0, T_max] = [0, 2E²/(2E+M)] for a recoil angle to exist, got T={T.max()!r}"
        )
    out = np.minimum((E + mass) / E * np.sqrt(T / (T + 2.0 * mass)), 1.0)
    return float(out) if np.ndim(out) == 0 else out
