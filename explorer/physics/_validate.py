"""Argument checks shared by the public functions.

Public functions validate once and then call fast, unchecked numpy kernels (the "lite function"
pattern of PlasmaPy). Every failure is a ``ValueError`` naming the argument, the value and the
allowed range.
"""

from __future__ import annotations

import numpy as np


def _show(value) -> str:
    a = np.asarray(value)
    if a.ndim == 0:
        return repr(a.item())
    return f"array of shape {a.shape}"


def as_float_array(name: str, value) -> np.ndarray:
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a real number or an array of real numbers, got {value!r}"
        ) from None
    if not np.all(np.isfinite(a)):
        bad = a[~np.isfinite(a)].ravel()[0] if a.ndim else a.item()
        raise ValueError(f"{name} must be finite, got {bad!r} in {_show(value)}")
    return a


def check_finite_nonneg(name: str, value) -> np.ndarray:
    a = as_float_array(name, value)
    if np.any(a < 0):
        raise ValueError(f"{name} must be ≥ 0 (allowed: 0 ≤ {name} < ∞), got {a.min()!r}")
    return a


def check_positive(name: str, value) -> np.ndarray:
    a = as_float_array(name, value)
    if np.any(a <= 0):
        raise ValueError(f"{name} must be > 0 (allowed: 0 < {name} < ∞), got {a.min()!r}")
    return a


def check_sin2w(sin2w) -> float:
    try:
        s = float(sin2w)
    except (TypeError, ValueError):
        raise ValueError(f"sin2w must be a real number in (0, 1), got {sin2w!r}") from None
    if not np.isfinite(s) or not 0.0 < s < 1.0:
        raise ValueError(f"sin2w must lie in the open interval (0, 1), got {sin2w!r}")
    return s


def check_nu(nu):
    """The ``nu`` argument of every cross-section function must be a :class:`Neutrino`."""
    from .neutrino import Neutrino

    if not isinstance(nu, Neutrino):
        raise ValueError(f"nu must be an explorer.physics.Neutrino, got {nu!r}")
    return nu


def check_choice(name: str, value, allowed) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {sorted(allowed)!r}, got {value!r}")
    return value
