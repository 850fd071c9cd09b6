"""Atomic binding in neutrino–electron scattering: the stepping approximation (paper eqs. 10–11)
and the atomic-recoil energy scale (paper, text after eq. 11)."""

from __future__ import annotations

import numpy as np

from ._validate import check_finite_nonneg, renamed_keyword
from .constants import E_HARTREE, ME
from .targets import target as _as_target

__all__ = ["recoil_scale", "step_factor", "step_factor_lite"]


def step_factor_lite(T, target):
    """Σ_j n_j θ(T − I_j) (eqs. 10–11) for a Target and an array T; no validation:
    :func:`step_factor` validates."""
    a = target.arrays
    return a["step"][np.searchsorted(a["edge"], T, side="right")]


@renamed_keyword("tgt", "target")
def step_factor(T, target):
    """Number of electrons that energy transfer T can ionise: Σ_j n_j θ(T − I_j) (eqs. 10–11).

    θ(0) = 1: a level counts from T = I_j on. Non-decreasing in T; equals Z for T ≥ I_K.

    Parameters
    ----------
    T : float or array, energy units, T ≥ 0
    target : Target or str

    Returns
    -------
    float or array (dimensionless electron count)

    Examples
    --------
    >>> from hepunits import keV, eV
    >>> step_factor(20 * keV, "Ge")                 # above the K edge, 11.103 keV: all 32 electrons
    32.0
    >>> step_factor([5 * eV, 10 * eV, 11.0 * keV], "Ge").tolist()   # below I₁; 4s+4p; all but K
    [0.0, 4.0, 30.0]
    """
    tgt = _as_target(target)
    T = check_finite_nonneg("T", T)
    out = step_factor_lite(T, tgt)
    return float(out) if np.ndim(out) == 0 else out


@renamed_keyword("tgt", "target")
def recoil_scale(target):
    """Energy range above a threshold where atomic recoil matters: 2 Z^{4/3} E_h m_e/M_N.

    Thomas–Fermi estimate quoted in the paper after eq. 11 (from Kouzakov & Studenikin,
    arXiv:1412.7061), with E_h = α² m_e. Energy units.

    Examples
    --------
    >>> from hepunits import eV
    >>> round(recoil_scale("Ge") / eV, 3)           # the paper: ≈ 0.04 eV for germanium
    0.042
    """
    tgt = _as_target(target)
    return 2.0 * tgt.Z ** (4.0 / 3.0) * E_HARTREE * ME / tgt.mass
