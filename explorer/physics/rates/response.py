"""Detector response: nuclear-recoil quenching (Lindhard) and an efficiency curve.

Quenching follows J. Lindhard et al., Mat. Fys. Medd. Dan. Vid. Selsk. 33, no. 10 (1963), in the
form of Lewin & Smith (Astropart. Phys. 6, 87 (1996)) and of most CEvNS analyses, so that
thresholds can be given in electron-equivalent energy (keVee). The efficiency is a function of the
observed energy (keVee when quenched) with values in [0, 1].
"""

from __future__ import annotations

import numpy as np
from hepunits import keV

from .._validate import check_choice, check_finite_nonneg, check_positive_scalar

__all__ = [
    "check_efficiency",
    "check_quenching",
    "lindhard_k",
    "lindhard_lite",
    "lindhard_quenching",
    "nr_from_ee",
]

_K_HINT = " (Lindhard k, e.g. 0.157 for Ge)"


def lindhard_k(Z, A):
    """Lindhard's k = 0.133 Z^{2/3} A^{-1/2} (Lindhard et al. 1963); ≈ 0.157 for Ge.

    >>> round(lindhard_k(32, 72.63), 3)
    0.157
    """
    return 0.133 * Z ** (2.0 / 3.0) * A**-0.5


def lindhard_quenching(T, Z, k=None, A=None):
    """Lindhard quenching factor Q(T) = E_ee/E_nr of a nuclear recoil (Lindhard et al., Mat. Fys.
    Medd. Dan. Vid. Selsk. 33, no. 10 (1963); the form of Lewin & Smith 1996 and of most CEvNS
    analyses):

    Q = k g(ε)/(1 + k g(ε)),  g = 3ε^0.15 + 0.7ε^0.6 + ε,  ε = 11.5 Z^{-7/3} T/keV.

    T ≥ 0 in energy units (nuclear recoil); Z the atomic number; k the Lindhard constant
    (default :func:`lindhard_k` (Z, A), needs A). Dimensionless, 0 at T = 0.

    >>> from hepunits import keV
    >>> round(lindhard_quenching(10 * keV, 32, k=0.157), 3)      # Ge at 10 keVnr
    0.234
    """
    T = check_finite_nonneg("T", T)
    if k is None:
        if A is None:
            raise ValueError(
                "lindhard_quenching needs k or the mass number A (k = 0.133 Z^2/3 A^-1/2)"
            )
        k = lindhard_k(Z, A)
    k = check_positive_scalar("k", k, _K_HINT)
    out = lindhard_lite(T, Z, k)
    return float(out) if out.ndim == 0 else out


def lindhard_lite(T, Z, k):
    """Q(T) on arrays; no validation: :func:`lindhard_quenching` validates."""
    eps = 11.5 * Z ** (-7.0 / 3.0) * (T / keV)
    g = 3.0 * eps**0.15 + 0.7 * eps**0.6 + eps
    return k * g / (1.0 + k * g)


def nr_from_ee(T_ee, Z, k):
    """Nuclear-recoil energy whose quenched energy is T_ee (Q(T) T is increasing); no validation."""
    if T_ee <= 0:
        return 0.0
    hi = T_ee
    while lindhard_lite(np.asarray(hi), Z, k) * hi < T_ee:
        hi *= 4.0
    from scipy.optimize import brentq  # lazily: the dashboard kernel stays light

    return brentq(
        lambda t: float(lindhard_lite(np.asarray(t), Z, k)) * t - T_ee,
        T_ee,
        hi,
        xtol=1e-300,
        rtol=1e-13,
    )


def check_quenching(quenching, k, channel):
    """None (no quenching), "lindhard" (k per element) or a number k > 0 for every element."""
    if quenching is None:
        if k is not None:
            raise ValueError("k is used only with quenching='lindhard'")
        return None
    check_choice("quenching", quenching, {"lindhard"})
    if channel != "nucleus":
        raise ValueError("quenching applies to nuclear recoils only (channel='nucleus')")
    if k is None:
        return "lindhard"
    return check_positive_scalar("k", k, _K_HINT)


def check_efficiency(efficiency):
    """None, or a checked callable eff(E_obs) from a callable or a table (E, eff)."""
    if efficiency is None:
        return None
    if callable(efficiency):
        fn = efficiency
    else:
        try:
            x, y = (np.asarray(v, dtype=float) for v in efficiency)
        except (TypeError, ValueError):
            raise ValueError(
                "efficiency must be a callable eff(E) or a table (E, eff) of two equal-length arrays"
            ) from None
        if x.ndim != 1 or x.shape != y.shape or x.size < 2 or np.any(np.diff(x) <= 0):
            raise ValueError("efficiency table (E, eff) needs ≥ 2 strictly increasing energies")
        fn = lambda E, x=x, y=y: np.interp(E, x, y)  # noqa: E731

    def checked(E):
        v = np.broadcast_to(np.asarray(fn(E), dtype=float), np.shape(E))
        if not np.all(np.isfinite(v)) or np.any(v < 0) or np.any(v > 1):
            raise ValueError("efficiency values must lie in [0, 1]")
        return v

    return checked
