"""Nuclear form factor of CEvNS: F = 1 (the paper, valid for Eν of a few MeV) or the Helm form
factor (R. H. Helm, Phys. Rev. 104, 1466 (1956), with the parameters of J. D. Lewin and
P. F. Smith, Astropart. Phys. 6, 87 (1996), §4), applied to the weak and electromagnetic parts
of :func:`explorer.physics.nucleus.dsigma_dT` alike."""

from __future__ import annotations

import math

import numpy as np
from hepunits import fermi

from ._validate import check_choice, check_finite_nonneg, renamed_keyword
from .constants import HBARC
from .targets import target as _as_target

__all__ = ["FORM_FACTORS", "check_form_factor", "helm_form_factor", "helm_lite"]

# Helm parameters, Lewin & Smith (1996) §4: c = 1.23 A^{1/3} − 0.60 fm, a = 0.52 fm, s = 0.9 fm.
HELM_S = 0.9 * fermi
HELM_A = 0.52 * fermi

#: Nuclear form factors of ``form_factor=``: F = 1 (the paper) or Helm (Lewin & Smith).
FORM_FACTORS = ("none", "helm")


def check_form_factor(form_factor) -> bool:
    """True for the Helm form factor, False for F = 1; ValueError for anything else."""
    ff = "none" if form_factor is None else form_factor
    check_choice("form_factor", ff, set(FORM_FACTORS))
    return ff == "helm"


def helm_lite(T, M, A):
    """Helm F(q) with |q|² = 2 M T + T² (recoil three-momentum) for nuclear mass M and mass
    number A; broadcasts. No validation: :func:`helm_form_factor` validates."""
    c = 1.23 * A ** (1.0 / 3.0) * fermi - 0.60 * fermi
    rn = np.sqrt(c * c + (7.0 / 3.0) * math.pi**2 * HELM_A**2 - 5.0 * HELM_S**2)
    q = np.sqrt(2.0 * M * T + T * T) / HBARC  # 1/length
    x = q * rn
    xs = np.where(x > 1e-3, x, 1.0)
    j1_over_x = np.where(x > 1e-3, (np.sin(xs) - xs * np.cos(xs)) / xs**3, 1.0 / 3.0 - x * x / 30.0)
    return 3.0 * j1_over_x * np.exp(-0.5 * (q * HELM_S) ** 2)


@renamed_keyword("tgt", "target")
def helm_form_factor(T, target):
    """Helm nuclear form factor F(q), |q|² = 2 M_N T + T² (Lewin & Smith 1996, eq. 4.7).

    T ≥ 0 in energy units; dimensionless, F = 1 at T = 0. For a natural element the isotopes'
    values are abundance-averaged (for display; :func:`explorer.physics.nucleus.dsigma_dT` applies each isotope's F²).

    >>> from hepunits import keV
    >>> round(helm_form_factor(0.0, "Xe"), 12)
    1.0
    >>> round(helm_form_factor(10 * keV, "Xe132"), 4)
    0.7798
    """
    tgt = _as_target(target)
    T = check_finite_nonneg("T", T)
    a = tgt.arrays
    shape = (-1,) + (1,) * T.ndim
    A = (a["N"] + tgt.Z).reshape(shape)
    out = np.tensordot(a["fraction"], helm_lite(T[None, ...], a["mass"].reshape(shape), A), axes=1)
    return float(out) if out.ndim == 0 else out
