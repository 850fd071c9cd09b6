"""Neutrino–electron elastic scattering with electromagnetic properties (paper eqs. 3–11).

Per free electron (``target=None``) or per atom (``target=...``, stepping approximation
eqs. 10–11, or ``binding="free"`` for Z free electrons). Units: T and E in energy units,
dσ/dT in area/energy (hepunits); read ``xs.total / (cm2 / keV)``.

Conventions (docs/design.md, "Physics conventions"):

* couplings (eq. 7): g_V = 2 sin²θ_W + ½ for ν_e (charged current included), 2 sin²θ_W − ½ for ν_μ,τ;
  g_A = +½ for ν_e, −½ for ν_μ,τ; antineutrinos g_A → −g_A;
* SM (eq. 6): G_F² m_e/(2π) {(g_V+g_A)² + (g_V−g_A)²(1−T/E)² + (g_A²−g_V²) m_e T/E²};
* magnetic moment (eq. 8): πα²/m_e² (1/T − 1/E) (μν/μ_B)², added incoherently;
* millicharge and charge radius (Giunti & Studenikin, Rev. Mod. Phys. 87, 531 (2015), one-photon
  exchange; not in the paper): g_V → g_V + (√2 π α/G_F)[⟨r²⟩/3 − qν/(m_e T)] in eq. 6, for ν and ν̄
  alike, with qν and ⟨r²⟩ the *neutrino's* (``nu.q``, ``nu.r2``) also for ν̄ (docs/design.md,
  "Antineutrinos"): the antineutrino carries −qν and −⟨r²⟩, but C conjugation flips its weak vector
  and electromagnetic currents together, so g_V (the same for ν and ν̄ in eq. 7) receives the same
  shift;
* EM = total − SM (computed without cancellation); all parts are 0 outside 0 < T ≤ T_max (eq. 4).
"""

from __future__ import annotations

import math

import numpy as np

from . import crossing
from ._validate import (
    check_choice,
    check_finite_nonneg,
    check_positive,
    check_sin2w,
)
from .atomic import step_factor_lite
from .constants import ALPHA, G_FERMI, HBARC2, ME, SIN2W_DEFAULT
from .kinematics import t_max_lite
from .neutrino import Neutrino, check_nu
from .result import CrossSection
from .targets import target as _as_target

__all__ = [
    "couplings",
    "crossings",
    "crossover",
    "crossover_estimate",
    "dsigma_dT",
    "dsigma_dT_free_lite",
]

#: Atomic binding models of ``binding=``: stepping (eqs. 10–11) or Z free electrons.
BINDINGS = ("stepping", "free")

_K_WEAK = G_FERMI**2 * ME / (2.0 * math.pi) * HBARC2  # area/energy
_K_MAG = math.pi * ALPHA**2 / ME**2 * HBARC2  # area (× 1/energy from (1/T − 1/E))
_K_SHIFT = math.sqrt(2.0) * math.pi * ALPHA / G_FERMI  # MeV⁻² → dimensionless after × [area/ħc²]


def couplings(nu: Neutrino, sin2w: float = SIN2W_DEFAULT) -> tuple:
    """(g_V, g_A) of eq. 7 for this neutrino state, without electromagnetic shifts.

    >>> couplings(Neutrino("e"), 0.25)
    (1.0, 0.5)
    >>> couplings(Neutrino("mu", anti=True), 0.25)
    (0.0, 0.5)
    """
    check_nu(nu)
    s = check_sin2w(sin2w)
    if nu.flavour == "e":
        gv, ga = 2.0 * s + 0.5, 0.5
    else:
        gv, ga = 2.0 * s - 0.5, -0.5
    return gv, (-ga if nu.anti else ga)


def dsigma_dT_free_lite(T, E, gv, ga, mu, q, r2):
    """(sm, em, total) per free electron (eqs. 6–8 with the g_V shift), 0 outside 0 < T ≤ T_max;
    broadcasts. No validation: :func:`dsigma_dT` validates (``couplings`` gives gv, ga).

    Eq. 6 in g_L = (g_V + g_A)/2, g_R = (g_V − g_A)/2 form is 4[g_L² + a² g_R² − b g_L g_R] with
    a = 1 − T/E, b = m_e T/E², and b ≤ 2a inside the kinematic region. ``total`` (shifted g_V) is
    evaluated as the sum of squares 4[(g_L − b g_R/2)² + g_R² (a² − b²/4)], which is ≥ 0 by
    construction and overflows to +inf, never NaN, for absurdly small T. ``em`` is expanded
    analytically where the shift is small (full precision when EM is 10⁻²⁰ of SM) and taken as
    total − SM where it is large.
    """
    tmax = t_max_lite(E, ME)
    inside = (T > 0.0) & (T <= tmax)
    Ts = np.where(inside, T, tmax)  # a safe T where the point is outside (result masked below)
    y1 = 1.0 - Ts / E
    y1sq = y1 * y1
    mt = ME * Ts / (E * E)
    sm = _K_WEAK * ((gv + ga) ** 2 + (gv - ga) ** 2 * y1sq + (ga * ga - gv * gv) * mt)
    mag = 0.0
    if mu != 0.0:
        with np.errstate(divide="ignore", over="ignore"):  # +inf only for T below ~1e-300 MeV
            mag = _K_MAG * mu * mu * (1.0 / Ts - 1.0 / E)
    if q != 0.0 or r2 != 0.0:
        with np.errstate(over="ignore", invalid="ignore"):
            # shift of g_V; T floored at 1e-290 MeV so that d stays finite (d² → +inf, not NaN)
            d = _K_SHIFT * (r2 / HBARC2 / 3.0 - q / (ME * np.maximum(Ts, 1e-290)))
            gl, gr = 0.5 * (gv + d + ga), 0.5 * (gv + d - ga)
            gap = np.maximum(y1sq - 0.25 * mt * mt, 0.0)  # a² − b²/4 ≥ 0 (rounding at T_max)
            weak = 4.0 * _K_WEAK * ((gl - 0.5 * mt * gr) ** 2 + gr * gr * gap)
            small = _K_WEAK * (
                d * (2.0 * (gv + ga) + d)
                + d * (2.0 * (gv - ga) + d) * y1sq
                - d * (2.0 * gv + d) * mt
            )
            em = mag + np.where(np.abs(d) < 1.0, small, weak - sm)
        total = weak + mag
    else:
        em = mag + np.zeros_like(sm)
        total = sm + em
    zero = 0.0
    return np.where(inside, sm, zero), np.where(inside, em, zero), np.where(inside, total, zero)


def dsigma_dT(T, E, nu, target=None, binding="stepping", sin2w=SIN2W_DEFAULT):
    """dσ/dT for ν(ν̄) + e⁻ → ν(ν̄) + e⁻ with μν, qν and ⟨r²⟩ (eqs. 5–8, 10–11).

    Parameters
    ----------
    T : float or array, energy units, T ≥ 0
        Electron recoil kinetic energy (energy transfer, for a bound electron).
    E : float or array, energy units, E > 0
        Neutrino energy; broadcasts against T.
    nu : Neutrino
    target : None, str or Target
        None: per free electron. A target: per atom, with ``binding``.
    binding : {"stepping", "free"}
        "stepping": Σ_j n_j θ(T − I_j) × free-electron value (eqs. 10–11);
        "free": Z × free-electron value.
    sin2w : float in (0, 1)
        sin²θ_W (default 0.23867, low-energy MS-bar).

    Returns
    -------
    CrossSection
        ``.sm``, ``.em``, ``.total`` in area/energy; 0 outside 0 < T ≤ T_max = 2E²/(2E + m_e).
        (T = 0 is excluded: eq. 8 has a 1/T pole there.)

    Examples
    --------
    SM ν̄_e e⁻ at T = 0 (limit) is G_F² m_e/π (g_V² + g_A²); check at T ≪ E:

    >>> from hepunits import keV, MeV, cm2
    >>> nu = Neutrino("e", anti=True)
    >>> xs = dsigma_dT(1e-6 * keV, 1 * MeV, nu)
    >>> f"{xs.sm / (cm2 / MeV):.4e}"
    '1.0384e-44'
    >>> f"{dsigma_dT(1e-9, 1.0, nu).sm / (cm2 / MeV):.4e}"     # the same with plain floats in MeV
    '1.0384e-44'

    The magnetic term per Ge atom at 1 keV with the GEMMA bound, above the SM term:

    >>> xs = dsigma_dT(1 * keV, 1 * MeV, Neutrino("e", anti=True, mu=2.9e-11), target="Ge")
    >>> bool(xs.em > xs.sm)
    True
    """
    check_nu(nu)
    sin2w = check_sin2w(sin2w)
    T = check_finite_nonneg("T", T)
    E = check_positive("E", E)
    check_choice("binding", binding, set(BINDINGS))
    gv, ga = couplings(nu, sin2w)
    sm, em, total = dsigma_dT_free_lite(T, E, gv, ga, nu.mu, nu.q, nu.r2)
    if target is not None:
        tgt = _as_target(target)
        factor = step_factor_lite(T, tgt) if binding == "stepping" else float(tgt.Z)
        sm, em, total = sm * factor, em * factor, total * factor
    if np.ndim(total) == 0:
        sm, em, total = float(sm), float(em), float(total)
    return CrossSection(sm=sm, em=em, total=total)


def _ratio_parts(nu, sin2w):
    """(g_V, g_A, candidate points) shared by :func:`crossover` and :func:`crossings`."""
    gv, ga = couplings(nu, sin2w)
    root = math.sqrt(2.0 * gv * gv + ga * ga)
    extra = crossing.candidates(
        _K_SHIFT * nu.r2 / HBARC2 / 3.0,
        -_K_SHIFT * nu.q / ME,
        # d where the weak part of EM vanishes (0, −2g_V), is extremal (−g_V), or equals ±SM,
        # all in the T ≪ E limit; the offsets of candidates() cover the T dependence
        (0.0, -gv, -2.0 * gv, -gv + root, -gv - root),
    )

    def log_ratio_at(e):
        def log_ratio(T):
            sm, em, _ = dsigma_dT_free_lite(T, e, gv, ga, nu.mu, nu.q, nu.r2)
            with np.errstate(divide="ignore"):
                return np.log(np.abs(em)) - np.log(sm)

        return log_ratio

    return log_ratio_at, extra


def _first_level(target, binding):
    """I₁ of the target with stepping (nothing is ionised below it), else None."""
    if target is not None and binding == "stepping":
        return float(_as_target(target).arrays["edge"][0])
    return None


def crossover_range(E, target=None, binding="stepping"):
    """(T_lo, T_hi): where :func:`crossover` searches at one neutrino energy ``E`` (MeV units).

    T_hi = T_max of eq. 4 with M = m_e; T_lo is the lowest level I₁ of ``target`` with
    ``binding="stepping"`` (nothing is ionised below it: docs/design.md, "Crossover with
    stepping"), else 10⁻¹⁶ T_hi. A caller that searches many neutrinos at once (the app's
    |EM|/SM map) uses this range with :mod:`explorer.physics.crossing`.

    >>> from hepunits import MeV, eV, keV
    >>> lo, hi = crossover_range(1 * MeV, "Ge")
    >>> round(lo / eV, 2), round(hi / keV, 1)
    (7.9, 796.5)
    """
    e = float(check_positive("E", E))
    check_choice("binding", binding, set(BINDINGS))
    t_hi = float(t_max_lite(e, ME))
    floor = _first_level(target, binding)
    return (t_hi * crossing.T_FLOOR_FRACTION if floor is None else floor), t_hi


def crossover(E, nu, target=None, binding="stepping", sin2w=SIN2W_DEFAULT):
    """Recoil energy T where |EM| = SM: the upper edge of the low-T region where |EM| ≥ SM.

    Found from the full formulas (eqs. 6–8 and the qν, ⟨r²⟩ shift), not from eq. 9. Binding cancels
    in the ratio EM/SM (eqs. 10–11 multiply both parts by the same factor), so the ratio is that of
    a free electron — but with ``binding="stepping"`` nothing is ionised below the lowest level I₁,
    so the search starts at I₁ (docs/design.md, "Crossover with stepping"): a region lying wholly
    below I₁ is no region (0), and if |EM| ≥ SM on all of [I₁, T_max] the answer is T_max, even when
    the free-electron ratio dips below 1 somewhere under I₁. When the ratio crosses 1 more than
    once, this is the lowest crossing (above I₁); :func:`crossings` returns all of them.

    Parameters
    ----------
    E : float or array, energy units, E > 0
    nu : Neutrino
    target : None, str or Target
    binding : {"stepping", "free"}   (used with a target)
    sin2w : float in (0, 1)

    Returns
    -------
    float or array, energy units
        0 when there is no such region (μν = qν = ⟨r²⟩ = 0, an edge below 10⁻¹⁶ T_max, or
        |EM| < SM at I₁ with stepping); T_max when |EM| ≥ SM up to the kinematic limit.

    Examples
    --------
    >>> from hepunits import keV, MeV, eV, cm2
    >>> nu = Neutrino("e", anti=True, mu=2.9e-11)
    >>> round(crossover(1 * MeV, nu) / keV, 3)
    20.612
    >>> crossover(1 * MeV, Neutrino("e", anti=True))
    0.0
    >>> weak = Neutrino("e", anti=True, mu=3e-13)          # edge at 2.16 eV, below Ge's I₁ = 7.90 eV
    >>> round(crossover(1 * MeV, weak) / eV, 3), crossover(1 * MeV, weak, target="Ge")
    (2.162, 0.0)

    A dip of |EM| below SM at 0.99–5.15 eV, under Ge's I₁: per free electron the edge is 0.99 eV;
    per Ge atom with stepping |EM| ≥ SM on all of [I₁, T_max], so the answer is T_max:

    >>> dip = Neutrino("e", anti=True, q=6.6e-16, r2=50e-32 * cm2)
    >>> round(crossover(1 * MeV, dip) / eV, 2), round(crossover(1 * MeV, dip, "Ge") / keV, 3)
    (0.99, 796.496)
    """
    check_nu(nu)
    sin2w = check_sin2w(sin2w)
    E = check_positive("E", E)
    check_choice("binding", binding, set(BINDINGS))
    floor = _first_level(target, binding)
    log_ratio_at, extra = _ratio_parts(nu, sin2w)

    def one(e):
        if nu.mu == 0.0 and nu.q == 0.0 and nu.r2 == 0.0:
            return 0.0
        return crossing.low_t_edge(log_ratio_at(e), t_max_lite(e, ME), extra, t_lo=floor)

    if E.ndim == 0:
        return one(float(E))
    return np.vectorize(one, otypes=[float])(E)


def crossings(E, nu, target=None, binding="stepping", T_lo=None, T_hi=None, sin2w=SIN2W_DEFAULT):
    """Every recoil energy in (T_lo, T_hi) where |EM| = SM, sorted (an array, possibly empty).

    The ratio |EM|/SM can cross 1 several times (a narrow dip where the qν and ⟨r²⟩ shifts cancel,
    docs/design.md, "EM term and crossover"); :func:`crossover` returns only the edge of the low-T
    region. A display uses ``len(crossings(...)) > 1`` to say that the ratio crosses more than once
    in its range.

    Parameters
    ----------
    E : float, energy units, E > 0 (a single energy)
    nu, target, binding, sin2w : as in :func:`crossover`
    T_lo : float, energy units, or None
        Start of the range (None: from the lowest T). It is raised to I₁ with stepping on a
        target (nothing is ionised below it) and to 10⁻¹⁶ T_max.
    T_hi : float, energy units, or None
        End of the range; None or anything above T_max: T_max.

    Returns
    -------
    numpy array, energy units. Found on a 4097-point log scan plus the points where the qν and
    ⟨r²⟩ shifts make narrow dips, each refined to ~1e-9 relative.

    Examples
    --------
    >>> from hepunits import MeV, eV, cm2
    >>> dip = Neutrino("e", anti=True, q=6.6e-16, r2=50e-32 * cm2)
    >>> (crossings(1 * MeV, dip) / eV).round(2).tolist()    # |EM| < SM between the two
    [0.99, 5.15]
    >>> crossings(1 * MeV, dip, target="Ge").size                   # none above I₁ = 7.90 eV
    0
    """
    check_nu(nu)
    sin2w = check_sin2w(sin2w)
    if np.ndim(E) != 0:
        raise ValueError(
            f"E must be a single energy for crossings, got an array of shape {np.shape(E)}"
        )
    e = float(check_positive("E", E))
    check_choice("binding", binding, set(BINDINGS))
    tmax = t_max_lite(e, ME)
    # never below I₁ with stepping (nothing is ionised there), nor below the search floor
    lo = max(
        tmax * crossing.T_FLOOR_FRACTION,
        _first_level(target, binding) or 0.0,
        0.0 if T_lo is None else float(check_finite_nonneg("T_lo", T_lo)),
    )
    hi = tmax if T_hi is None else min(float(check_finite_nonneg("T_hi", T_hi)), tmax)
    if nu.mu == 0.0 and nu.q == 0.0 and nu.r2 == 0.0:
        return np.empty(0)
    log_ratio_at, extra = _ratio_parts(nu, sin2w)
    return crossing.all_crossings(log_ratio_at(e), lo, hi, extra)


def crossover_estimate(nu):
    """Order-of-magnitude scale of eq. 9: T ≈ π²α²/(G_F² m_e³) (μν/μ_B)².

    Eq. 9 compares eq. 8 with eq. 6 at T ≪ E and drops the factor 1/(g_V² + g_A²) of the exact
    low-T crossing, T = π²α² μν²/(G_F² m_e³ (g_V² + g_A²)). Magnetic moment only. Energy units.

    >>> from hepunits import keV
    >>> round(crossover_estimate(Neutrino("e", anti=True, mu=2.9e-11)) / keV, 2)
    24.35
    """
    check_nu(nu)
    return math.pi**2 * ALPHA**2 / (G_FERMI**2 * ME**3) * nu.mu**2
