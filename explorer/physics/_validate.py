"""Argument checks shared by the public functions: the one home of every check in
:mod:`explorer.physics`.

Public functions validate once and then call fast, unchecked numpy kernels (the "lite function"
pattern of PlasmaPy: ``t_max`` checks and calls ``t_max_lite``). Every failure is a
``ValueError`` naming the argument, the value and the allowed range.
"""

from __future__ import annotations

import functools
import math
import warnings

import numpy as np


def _show(value) -> str:
    a = np.asarray(value)
    if a.ndim == 0:
        return repr(a.item())
    return f"array of shape {a.shape}"


def as_float_array(
    name: str, value, dtype=float, what="a real number or an array of real numbers"
) -> np.ndarray:
    """``value`` as a finite array of ``dtype``; ``what`` says what is allowed."""
    try:
        a = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be {what}, got {value!r}") from None
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
    return check_open_unit("sin2w", sin2w)


def check_instance(name: str, value, cls: type, what: str):
    """``value`` must be an instance of ``cls`` (``what``: its public name, for the message).

    The record classes pass themselves in (``neutrino.check_nu``, ``moments.check_moments``), so
    that this module imports none of the modules it serves (no import cycle).
    """
    if not isinstance(value, cls):
        raise ValueError(f"{name} must be an {what}, got {value!r}")
    return value


def check_choice(name: str, value, allowed) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {sorted(allowed)!r}, got {value!r}")
    return value


def check_scalar(name: str, value, allowed: str, lo=None, lo_open=True) -> float:
    """A finite real number, optionally above ``lo`` (``lo_open``: strictly); ``allowed`` says
    what is allowed in the message (e.g. "> 0 (mass × time, e.g. 1 * kg * 365 * day)")."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number ({allowed}), got {value!r}") from None
    if not math.isfinite(v) or (lo is not None and (v <= lo if lo_open else v < lo)):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return v


def check_positive_scalar(name: str, value, hint: str = "") -> float:
    """A finite number > 0; ``hint`` names a unit and an example (" (a length, e.g. 19.3 * m)")."""
    return check_scalar(name, value, f"> 0 (allowed: 0 < {name} < ∞){hint}", 0.0)


def check_nonneg_scalar(name: str, value, hint: str = "") -> float:
    """A finite number ≥ 0."""
    return check_scalar(name, value, f"≥ 0 (allowed: 0 ≤ {name} < ∞){hint}", 0.0, lo_open=False)


def check_open_unit(name: str, value) -> float:
    """A number in the open interval (0, 1) (a confidence level, sin²θ_W)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number in (0, 1), got {value!r}") from None
    if not (math.isfinite(v) and 0.0 < v < 1.0):
        raise ValueError(f"{name} must lie in the open interval (0, 1), got {value!r}")
    return v


def check_int_range(name: str, value, lo: int, hi: int) -> int:
    """An integer in [lo, hi] (a number of quadrature nodes)."""
    if not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value!r}")
    return int(value)


def renamed_keyword(old: str, new: str):
    """Decorator: the keyword ``old`` still works for ``new``, with a DeprecationWarning.

    The signature shown (``inspect.signature``) is the new one; giving both raises TypeError,
    as Python does for a keyword given twice.
    """

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if old in kwargs:
                if new in kwargs:
                    raise TypeError(f"{fn.__name__}() got both {new}= and its old name {old}=")
                warnings.warn(
                    f"{fn.__name__}({old}=...) is deprecated: use {new}=",
                    DeprecationWarning,
                    stacklevel=2,
                )
                kwargs[new] = kwargs.pop(old)
            return fn(*args, **kwargs)

        return wrapper

    return decorate


def check_flavour(flavour, anti, flavours) -> None:
    """A flavour of ``flavours`` (:data:`~explorer.physics.neutrino.FLAVOURS`) and a bool
    ``anti``."""
    check_choice("flavour", flavour, set(flavours))
    if not isinstance(anti, bool):
        raise ValueError(f"anti must be True or False, got {anti!r}")
