"""Counting-experiment sensitivity to μν, qν or ⟨r²⟩ (paper eq. 9 made quantitative).

Counting in a window: expected b = N_SM + B events (SM neutrino scattering plus a flat observed
background), observed the median n = b; a parameter is excluded when its extra counts |N_EM|
exceed the classical Poisson upper limit (:func:`poisson_upper_limit`). The checked inputs travel
as one record, :class:`SensitivityInput`, to the unchecked :func:`sensitivity_lite`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from hepunits import cm2

from .._validate import (
    as_float_array,
    check_choice,
    check_nonneg_scalar,
    check_open_unit,
    check_positive_scalar,
    check_scalar,
)
from ..neutrino import Q_MAX, R2_MAX
from .counting import (
    EXPOSURE_HINT,
    Window,
    check_counting,
    counts_lite,
    observed_end,
    takes_options,
)

__all__ = [
    "PARAMETERS",
    "Sensitivity",
    "SensitivityInput",
    "poisson_upper_limit",
    "sensitivity",
    "sensitivity_curve",
    "sensitivity_lite",
]

PARAMETERS = ("mu", "q", "r2")
_REF = {"mu": 1e-10, "q": 1e-13, "r2": 1e-32 * cm2}  # where N_EM is sampled (exact scaling)
_LIMITS = {"q": Q_MAX, "r2": R2_MAX}


def poisson_upper_limit(b, cl=0.9):
    """Signal s excluded at confidence ``cl`` when n = b events are observed on a background b.

    Classical (Neyman) upper limit of a Poisson mean with known background, with the median
    ("Asimov") outcome n = b and the continuous extension of the Poisson CDF,
    P(N ≤ n | λ) = Q(n + 1, λ) (regularised upper incomplete gamma):
    Q(b + 1, s + b) = 1 − cl  ⇒  s = Q⁻¹(b + 1, 1 − cl) − b.
    b = 0 gives −ln(1 − cl) (2.30 at 90 % CL); for b ≫ 1, s → z √b (z the one-sided Gaussian
    quantile, 1.28 at 90 %). Cross-checked against a discrete Poisson sum in the tests.

    >>> round(poisson_upper_limit(0.0, 0.9), 4)
    2.3026
    """
    b = check_nonneg_scalar("background", b, " (expected events)")
    cl = check_open_unit("cl", cl)
    from scipy.special import gammainccinv  # lazily: the dashboard kernel stays light

    return float(gammainccinv(b + 1.0, 1.0 - cl) - b)


@dataclass(frozen=True)
class Sensitivity:
    """Result of :func:`sensitivity`; ``float(result)`` is the excluded value.

    value        the smallest |parameter| excluded (μν in μ_B, qν in e, ⟨r²⟩ as an area); inf if
                 no value can be excluded (no EM counts in the window)
    parameter    "mu", "q" or "r2"
    signal_limit the EM counts that must be exceeded (:func:`poisson_upper_limit`)
    n_sm         expected SM events in the window
    n_background expected background events in the window
    cl           confidence level
    """

    value: float
    parameter: str
    signal_limit: float
    n_sm: float
    n_background: float
    cl: float

    def __float__(self) -> float:
        return float(self.value)


@dataclass(frozen=True)
class SensitivityInput:
    """The checked inputs of :func:`sensitivity_lite`: the counting window (a
    :class:`~explorer.physics.rates.counting.Window`), the exposure (mass × time > 0), the flat
    observed background rate (≥ 0, per mass · time · energy), the parameter ("mu" | "q" | "r2"),
    the confidence level cl in (0, 1) and the sign (+1 or −1) of the qν or ⟨r²⟩ scanned."""

    window: Window
    exposure: float
    background: float
    parameter: str = "mu"
    cl: float = 0.9
    sign: int = 1


def _smallest_root(a, b, s):
    """Smallest x > 0 with |a x + b x²| = s (s > 0); inf if none."""
    roots = []
    for rhs in (s, -s):
        # b x² + a x − rhs = 0
        if b == 0.0:
            if a != 0.0:
                roots.append(rhs / a)
            continue
        disc = a * a + 4.0 * b * rhs
        if disc < 0:
            continue
        sq = math.sqrt(disc)
        qv = -0.5 * (a + math.copysign(sq, a)) if a != 0 else -0.5 * sq
        roots.extend([qv / b] + ([-rhs / qv] if qv != 0 else []))
    pos = [r for r in roots if r > 0 and math.isfinite(r)]
    return min(pos) if pos else math.inf


def _em_counts(inp: SensitivityInput, x):
    """EM events in the window with the parameter at x (the others 0)."""
    kw = {"mu": 0.0, "q": 0.0, "r2": 0.0, inp.parameter: x}
    return inp.exposure * counts_lite(inp.window, kw["mu"], kw["q"], kw["r2"])[1]


def _solve(inp: SensitivityInput, s):
    """The smallest |parameter| whose |N_EM| exceeds s (signed for qν, ⟨r²⟩; inf if none)."""
    if inp.parameter == "mu":
        ref = _REF["mu"]
        n1 = _em_counts(inp, ref) / ref**2
        return math.sqrt(s / n1) if n1 > 0 else math.inf
    x0 = inp.sign * _REF[inp.parameter]
    value = math.inf
    for _ in range(3):  # refit the exact quadratic near the answer (rounding only)
        up, down = _em_counts(inp, x0), _em_counts(inp, -x0)
        a = (up - down) / (2.0 * abs(x0))
        b = (up + down) / (2.0 * x0 * x0)
        value = _smallest_root(a, b, s)
        if not math.isfinite(value) or abs(value / abs(x0) - 1.0) < 1e-3:
            break
        x0 = inp.sign * min(value, _LIMITS[inp.parameter])
    return inp.sign * value if math.isfinite(value) else math.inf


def sensitivity_lite(inp: SensitivityInput) -> Sensitivity:
    """:func:`sensitivity` on checked inputs; no validation: :func:`sensitivity` validates."""
    w = inp.window
    n_sm = inp.exposure * counts_lite(w, 0.0, 0.0, 0.0)[0]
    width = max(observed_end(w) - w.lo, 0.0) if math.isinf(w.hi) else w.hi - w.lo
    n_b = inp.background * inp.exposure * width
    s = poisson_upper_limit(n_sm + n_b, inp.cl)
    return Sensitivity(_solve(inp, s), inp.parameter, s, n_sm, n_b, inp.cl)


@takes_options
def sensitivity(
    src,
    material,
    exposure,
    threshold,
    background,
    channel,
    parameter="mu",
    cl=0.9,
    T_max=None,
    sign=1,
    **options,
):
    """Smallest μν (or |qν|, |⟨r²⟩|) that a counting experiment would exclude (eq. 9 made
    quantitative).

    Counting in the window [threshold, T_max]: expected b = N_SM + B events (SM neutrino
    scattering plus a flat background B = background × exposure × window width), observed the
    median n = b.

    Semantics of the inputs: ``background`` is the rate *observed* by the detector (as papers
    quote it, per mass · time · observed energy, after every cut), so the efficiency is **not**
    applied to it again; ``efficiency`` multiplies the neutrino events N_SM and N_EM only.
    ``T_max=None`` runs the window to the kinematic end of the recoil spectrum and counts the
    flat background over all of it (9.75 MeV of electron recoils for a reactor): give the
    experiment's own window instead (the rates panel's set-ups do). The parameter is excluded
    when its extra counts |N_EM| exceed the classical Poisson upper limit
    s = :func:`poisson_upper_limit` (b, cl). One parameter at a time (the others 0).
    N_EM = μν² N₁ exactly (eq. 8 adds incoherently), so μν = √(s/N₁); for qν and ⟨r²⟩
    N_EM = a x + b x² exactly (the shift of g_V or C_V is linear in x and the cross section
    quadratic in it) and the smallest x > 0 with |a x + b x²| = s is returned (a deficit counts
    like an excess: a symmetric approximation). ``sign=-1`` scans negative qν or ⟨r²⟩.

    Parameters
    ----------
    src, material, channel, binding, form_factor, sin2w, quenching, k, efficiency : as in
        :func:`~explorer.physics.rates.counts`
    exposure : mass × time (> 0)
    threshold : energy (> 0), lower edge of the window (keVee when quenched)
    background : flat *observed* background rate ≥ 0 per (mass · time · energy), e.g.
        ``1 / (kg * day * keV)`` (not multiplied by the efficiency)
    parameter : {"mu", "q", "r2"};  cl : confidence level in (0, 1);  T_max : None or energy

    Returns
    -------
    Sensitivity (``float(...)`` is the value: μν in μ_B, qν in e, ⟨r²⟩ as an area).

    >>> from hepunits import GW, m, kg, day, keV
    >>> from explorer.physics import sources
    >>> src = sources.reactor(3 * GW, 13.9 * m)
    >>> res = sensitivity(src, "Ge", 1.5 * kg * 365 * day, 2.8 * keV, 2.5 / (kg * day * keV),
    ...                   "electron", T_max=10 * keV)
    >>> 1e-11 < float(res) < 1e-10
    True
    """
    w, *_ = check_counting(src, material, channel, threshold, T_max, **options)
    check_choice("parameter", parameter, set(PARAMETERS))
    exp_ = check_positive_scalar("exposure", exposure, EXPOSURE_HINT)
    bkg = check_nonneg_scalar("background", background, " (events per mass · time · energy)")
    cl = check_open_unit("cl", cl)
    if sign not in (1, -1):
        raise ValueError(f"sign must be +1 or -1, got {sign!r}")
    return sensitivity_lite(SensitivityInput(w, exp_, bkg, parameter, cl, sign))


def sensitivity_curve(
    thresholds, src, material, exposure, background, channel, window=None, **kwargs
):
    """:func:`sensitivity` for each threshold of an array (same keywords); returns the values.

    ``window=None``: every window ends at ``T_max`` (a keyword of :func:`sensitivity`);
    ``window=w`` (> 1): each window is [threshold, w × threshold].

    >>> from hepunits import GW, m, kg, day, keV
    >>> from explorer.physics import sources
    >>> src = sources.reactor(3 * GW, 13.9 * m)
    >>> v = sensitivity_curve([1 * keV, 3 * keV], src, "Ge", 365 * kg * day, 0.0, "electron",
    ...                       T_max=20 * keV)
    >>> bool(v[0] < v[1])                                    # a lower threshold reaches further
    True
    """
    th = as_float_array("thresholds", thresholds)
    if window is not None:
        w = check_scalar("window", window, "a number > 1 (T_max = window × threshold)", 1.0)
        if "T_max" in kwargs:
            raise ValueError("give either window or T_max, not both")
    out = []
    for t in th.ravel():
        if window is not None:
            kwargs["T_max"] = w * t
        out.append(float(sensitivity(src, material, exposure, t, background, channel, **kwargs)))
    arr = np.array(out).reshape(th.shape)
    return float(arr) if arr.ndim == 0 else arr
