"""Coherent elastic neutrino–nucleus scattering (CEvNS) with μν, qν and ⟨r²⟩ (paper eqs. 12–16).

Units: T (nuclear recoil kinetic energy) and E in energy units; dσ/dT in area/energy (hepunits),
per nucleus for an isotope and per atom (abundance-weighted sum over isotopes) for a natural element.

Conventions (docs/design.md, "Physics conventions"):

* Section 3 of the paper uses Gaussian charge units, e² = α. Read that way, eq. 15 is
  πα² Z² (μν/μ_B)²/m_e² · (1/T − 1/E + T/4E²), consistent with eq. 8 (with e² = 4πα it would be
  4π too large) and with eq. 16, which is exactly its T → 0 ratio to eq. 14.
* eq. 13 (interference of qν and ⟨r²⟩ with the weak amplitude) is used with the photon-exchange sign
  that also holds for electrons (charge −1 there, +Z here):
  η = 1 − (√2 π α Z/(G_F C_V)) [⟨r²⟩/3 − qν/(M_N T)],   C_V = [Z(1 − 4 sin²θ_W) − N]/2 < 0,
  so a positive ⟨r²⟩ *raises* CEvNS (Cadeddu et al., Phys. Rev. D 98, 113010 (2018)).
  **Eq. 13 as printed has the opposite overall sign of the correction.**
* eq. 14 with the exact (1 − T/T_max), T_max = 2E²/(2E + M_N); nuclear mass M_N per isotope.
* F(q²) = 1 as in the paper (valid for E of a few MeV); optional Helm form factor (Lewin & Smith,
  Astropart. Phys. 6, 87 (1996)) applied to the weak and electromagnetic parts alike.
* EM = total − SM; every part is 0 outside 0 < T ≤ T_max.

Scope (docs/design.md, "Hydrogen and odd-A nuclei"): eq. 14 is the coherent *vector* cross section
of a spin-0 nucleus. The axial-vector current, which couples to the nuclear spin, is left out: for
odd-A nuclei (¹²⁷I, ¹³³Cs, ²³Na, ⁷³Ge, ¹²⁹Xe, ¹³¹Xe …) that is a correction of order a percent or
less, not included here. For ¹H, a free proton, the axial current dominates the SM term (g_A²/C_V² ≈
800 at sin²θ_W = 0.23867) and eq. 14 is wrong by orders of magnitude, so every CEvNS function
refuses a target containing ¹H (natural H, "H1") with a ValueError; use the electron channel for
hydrogen.

Neutrino properties (docs/design.md, "Antineutrinos"): ``nu.q`` and ``nu.r2`` are the *neutrino's*
millicharge and charge radius, for ``anti=True`` as well. The antineutrino carries −qν and −⟨r²⟩,
but its weak vector coupling to the nucleus changes sign too (C conjugation flips the weak vector
and the electromagnetic currents together), so the relative shift of C_V, and η, are the same for ν
and ν̄: the same formula holds for both, with the neutrino's qν and ⟨r²⟩.
"""

from __future__ import annotations

import math

import numpy as np

from . import crossing
from ._validate import (
    check_finite_nonneg,
    check_positive,
    check_sin2w,
    renamed_keyword,
)
from .constants import ALPHA, G_FERMI, HBARC2, ME, SIN2W_DEFAULT
from .form_factor import FORM_FACTORS, check_form_factor, helm_form_factor, helm_lite
from .kinematics import t_max_lite
from .neutrino import check_nu
from .result import CrossSection
from .targets import target as _as_target

__all__ = [
    "FORM_FACTORS",
    "check_form_factor",
    "check_target",
    "crossings",
    "crossover",
    "crossover_estimate",
    "dsigma_dT",
    "dsigma_dT_lite",
    "eta",
    "helm_form_factor",
    "weak_charge",
]

_K_WEAK = G_FERMI**2 / math.pi * HBARC2  # × M_N C_V² → area/energy
_K_MAG = math.pi * ALPHA**2 / ME**2 * HBARC2  # × Z² μ² (1/T − 1/E + T/4E²) → area/energy
_K_SHIFT = math.sqrt(2.0) * math.pi * ALPHA / G_FERMI


def _isotope_cv(tgt, sin2w):
    """C_V of each isotope of ``tgt`` (array, unchecked)."""
    return 0.5 * (tgt.Z * (1.0 - 4.0 * sin2w) - tgt.arrays["N"])


@renamed_keyword("tgt", "target")
def check_target(target):
    """The target as a Target if CEvNS (eq. 14) applies to it; ValueError for ¹H (docs/design.md,
    "Hydrogen and odd-A nuclei").

    A target that contains ¹H, a free proton (natural H, "H1"), is refused with a message that
    says why; a display can call this first and show the message as its notice.

    >>> check_target("Ge").label
    'Ge'
    >>> check_target("H")
    Traceback (most recent call last):
    ...
    ValueError: target='H' contains ¹H, a free proton: ...
    """
    tgt = _as_target(target)
    if np.any((tgt.arrays["N"] == 0) & (tgt.Z == 1)):
        raise ValueError(
            f"target={tgt.label!r} contains ¹H, a free proton: CEvNS (eq. 14) is the coherent vector "
            "cross section of a spin-0 nucleus, and for the proton the axial current dominates "
            "(g_A²/C_V² ≈ 800), so eq. 14 is wrong by orders of magnitude. Allowed: targets with "
            "Z ≥ 2, or deuterium 'H2'; use the electron channel for hydrogen."
        )
    return tgt


@renamed_keyword("tgt", "target")
def weak_charge(target, sin2w=SIN2W_DEFAULT):
    """C_V = [Z(1 − 4 sin²θ_W) − N]/2 (below eq. 12); N is the abundance-weighted mean for an element.

    Dimensionless, negative. The weak charge in the other common normalisation is Q_W = −2 C_V.

    >>> round(weak_charge("Xe132", sin2w=0.25), 6)     # Z(1 − 1) − 78, halved
    -39.0
    """
    tgt = _as_target(target)
    s = check_sin2w(sin2w)
    return 0.5 * (tgt.Z * (1.0 - 4.0 * s) - tgt.N)


def dsigma_dT_lite(T, E, target, mu, q, r2, sin2w, helm):
    """(sm, em, total) of eqs. 13–15 per atom of a Target, summed over isotopes, 0 outside
    0 < T ≤ T_max; ``helm`` a bool. No validation: :func:`dsigma_dT` validates."""
    a = target.arrays
    Z = float(target.Z)
    shape = (-1,) + (1,) * max(np.ndim(T), np.ndim(E))
    M = a["mass"].reshape(shape)
    w = a["fraction"].reshape(shape)
    cv = _isotope_cv(target, sin2w).reshape(shape)
    T = np.asarray(T)[None, ...]
    E = np.asarray(E)[None, ...]
    tmax = t_max_lite(E, M)
    inside = (T > 0.0) & (T <= tmax)
    Ts = np.where(inside, T, tmax)
    unit = (w * _K_WEAK) * M * (1.0 - Ts / tmax)  # eq. 14 without C_V²
    sm = unit * (cv * cv)
    if mu != 0.0:
        u = 1.0 - 0.5 * Ts / E
        with np.errstate(over="ignore"):  # +inf only for T below ~1e-300 MeV
            mag = (
                w * (_K_MAG * Z * Z * mu * mu) * (u * u / Ts)
            )  # (1/T − 1/E + T/4E²) = (1 − T/2E)²/T
    else:
        mag = 0.0
    if q != 0.0 or r2 != 0.0:
        # η C_V = C_V − Z (√2πα/G_F)[⟨r²⟩/3 − qν/(M T)]: no division by C_V (³He has C_V = 0 at
        # sin²θ_W = 1/8); overflows to +inf, never NaN, for absurdly small T
        with np.errstate(over="ignore"):
            dcv = -(_K_SHIFT * Z) * (r2 / HBARC2 / 3.0 - q / (M * Ts))
            em = unit * dcv * (2.0 * cv + dcv) + mag  # (η² − 1) SM + mag
            total = unit * (cv + dcv) ** 2 + mag  # η² SM + mag, ≥ 0 term by term
    else:
        em = mag + np.zeros_like(sm)
        total = sm + em
    if helm:
        f2 = helm_lite(Ts, M, a["N"].reshape(shape) + Z) ** 2
        sm, em, total = sm * f2, em * f2, total * f2
    sm = np.where(inside, sm, 0.0).sum(axis=0)
    em = np.where(inside, em, 0.0).sum(axis=0)
    total = np.where(inside, total, 0.0).sum(axis=0)
    return sm, em, total


@renamed_keyword("tgt", "target")
def dsigma_dT(T, E, nu, target, form_factor=None, sin2w=SIN2W_DEFAULT):
    """CEvNS dσ/dT with μν, qν and ⟨r²⟩: η² × eq. 14 + eq. 15 (Gaussian units, docs/design.md,
    "Gaussian units in Section 3" and "Sign of eq. 13").

    Parameters
    ----------
    T : float or array, energy units, T ≥ 0
        Nuclear recoil kinetic energy T_N.
    E : float or array, energy units, E > 0; broadcasts against T.
    nu : Neutrino       (CEvNS is the same for every flavour and for ν̄ at this order; ``nu.q`` and
                        ``nu.r2`` are the neutrino's, see the module docstring)
    target : str or Target (natural element: per atom, summed over isotopes; isotope: per nucleus;
                        not ¹H or natural H: ValueError)
    form_factor : None, "none" or "helm"
        None/"none": F = 1 (the paper, E of a few MeV); "helm": Lewin–Smith Helm F(q)², applied to
        every part.
    sin2w : float in (0, 1)

    Returns
    -------
    CrossSection in area/energy; each part 0 outside 0 < T ≤ T_max(E, M_N).

    Examples
    --------
    At T → 0 the SM part is G_F² M_N C_V²/π (eq. 14):

    >>> from hepunits import keV, MeV, cm2
    >>> from explorer.physics import Neutrino
    >>> xs = dsigma_dT(1e-9 * keV, 10 * MeV, Neutrino(), "Xe132")
    >>> f"{xs.sm / (cm2 / keV):.4e}"
    '2.9559e-39'
    >>> f"{dsigma_dT(1e-12, 10.0, Neutrino(), 'Xe132').sm / (cm2 / keV):.4e}"   # plain MeV
    '2.9559e-39'
    """
    check_nu(nu)
    tgt = check_target(target)
    sin2w = check_sin2w(sin2w)
    helm = check_form_factor(form_factor)
    T = check_finite_nonneg("T", T)
    E = check_positive("E", E)
    sm, em, total = dsigma_dT_lite(T, E, tgt, nu.mu, nu.q, nu.r2, sin2w, helm)
    if np.ndim(total) == 0:
        sm, em, total = float(sm), float(em), float(total)
    return CrossSection(sm=sm, em=em, total=total)


@renamed_keyword("tgt", "target")
def eta(T, E, nu, target, sin2w=SIN2W_DEFAULT):
    """η of eq. 13 with the sign of docs/design.md, "Sign of eq. 13": (dσ/dT)_SM^Q = η² (dσ/dT)_SM.

    η = 1 − (√2 π α Z/(G_F C_V)) [⟨r²⟩/3 − qν/(M_N T)]   (Gaussian units, e² = α).
    The paper prints the bracket with the opposite overall sign; see the module docstring.

    η depends on T, not on E; E is validated and broadcast so that the call matches
    :func:`dsigma_dT`. For a natural element, the abundance-weighted mean nucleus (mean N and M_N)
    is used. T > 0 (the millicharge term has a 1/T pole). η is undefined where C_V = 0 (e.g. ³He
    at sin²θ_W = 1/8, where the weak amplitude vanishes): ValueError. ¹H is refused (see the
    module docstring). ``nu.q`` and ``nu.r2`` are the neutrino's, for ν̄ too (same η).

    >>> from hepunits import keV, MeV, cm2
    >>> from explorer.physics import Neutrino
    >>> eta(1 * keV, 10 * MeV, Neutrino(), "Ge")
    1.0
    >>> bool(eta(1 * keV, 10 * MeV, Neutrino(r2=1e-32 * cm2), "Ge") > 1)   # ⟨r²⟩ > 0 raises CEvNS
    True
    """
    check_nu(nu)
    tgt = check_target(target)
    s = check_sin2w(sin2w)
    T = check_positive("T", T)
    E = check_positive("E", E)
    cv = weak_charge(tgt, s)
    if cv == 0.0:
        raise ValueError(
            f"eta is undefined for {tgt.label} at sin2w={s!r}: its weak charge C_V is 0 (η = 1 + ΔC_V/C_V)"
        )
    out = 1.0 - (_K_SHIFT * tgt.Z / cv) * (nu.r2 / HBARC2 / 3.0 - nu.q / (tgt.mass * T))
    out = np.broadcast_to(out, np.broadcast(T, E).shape)
    return float(out) if out.ndim == 0 else out.copy()


def _ratio_parts(nu, tgt, sin2w, helm):
    """(log-ratio factory, candidate points, T_max factory) shared by crossover and crossings."""
    a = tgt.arrays
    cv = _isotope_cv(tgt, sin2w)
    extra = np.empty(0)
    if np.all(cv != 0.0) and len(a["mass"]) > 0:
        # η − 1 = A + B/T per isotope; probe where η = 1, 0, −1 (EM = 0 or −SM…) and η² = 2 (EM = SM)
        k = _K_SHIFT * tgt.Z / cv
        extra = crossing.candidates(
            -k * nu.r2 / HBARC2 / 3.0,
            k * nu.q / a["mass"],
            (0.0, -1.0, -2.0, -1.0 + math.sqrt(2), -1.0 - math.sqrt(2)),
        )

    def at(e):
        def log_ratio(T):
            sm, em, _ = dsigma_dT_lite(T, e, tgt, nu.mu, nu.q, nu.r2, sin2w, helm)
            with np.errstate(divide="ignore"):
                return np.log(np.abs(em)) - np.log(sm)

        # stop just below the lightest isotope's T_max, where SM → 0 linearly; probe just below
        # each heavier isotope's T_max, where its share of the sum drops out
        tmaxes = t_max_lite(e, a["mass"])
        edges = np.outer(tmaxes, 1.0 - np.array([1e-9, 1e-4, 1e-2])).ravel()
        pts = np.concatenate((extra, edges, tmaxes * (1 + 1e-9)))
        return log_ratio, pts, _search_top(e, a["mass"])

    return at


def _search_top(e, masses) -> float:
    """Just below the lightest isotope's T_max, where SM → 0 linearly."""
    return float(t_max_lite(e, masses).max()) * (1 - 1e-12)


@renamed_keyword("tgt", "target")
def crossover_range(E, target):
    """(T_lo, T_hi): where :func:`crossover` searches at one neutrino energy ``E`` (MeV units).

    T_hi lies just below the lightest isotope's T_max (eq. 4 with its nuclear mass), where SM → 0
    linearly; T_lo = 10⁻¹⁶ T_hi. Refuses a target containing ¹H (docs/design.md, "Hydrogen and
    odd-A nuclei"). A caller that searches many neutrinos at once (the app's |EM|/SM map) uses
    this range with :mod:`explorer.physics.crossing`.

    >>> from hepunits import MeV, keV
    >>> lo, hi = crossover_range(1 * MeV, "Ge70")
    >>> round(hi / keV, 4), lo / hi
    (0.0307, 1e-16)
    """
    tgt = check_target(target)
    t_hi = _search_top(float(check_positive("E", E)), tgt.arrays["mass"])
    return t_hi * crossing.T_FLOOR_FRACTION, t_hi


@renamed_keyword("tgt", "target")
def crossover(E, nu, target, form_factor=None, sin2w=SIN2W_DEFAULT):
    """Nuclear recoil T where |EM| = SM: upper edge of the low-T region where |EM| ≥ SM.

    From the full formulas (eqs. 13–15, summed over the isotopes of a natural element).
    Returns 0 when there is no such region (or it lies below 10⁻¹⁶ T_max), T_max of the lightest
    isotope when |EM| ≥ SM all the way. Energy units. When the ratio crosses 1 more than once this
    is the lowest crossing; :func:`crossings` returns all of them. ¹H is refused (module docstring).

    >>> from hepunits import MeV, eV
    >>> from explorer.physics import Neutrino
    >>> round(crossover(10 * MeV, Neutrino(mu=2.9e-11), "Ge") / eV, 5)
    0.48696
    """
    check_nu(nu)
    tgt = check_target(target)
    sin2w = check_sin2w(sin2w)
    helm = check_form_factor(form_factor)
    E = check_positive("E", E)
    at = _ratio_parts(nu, tgt, sin2w, helm)

    def one(e):
        if nu.mu == 0.0 and nu.q == 0.0 and nu.r2 == 0.0:
            return 0.0
        log_ratio, pts, t_hi = at(e)
        return crossing.low_t_edge(log_ratio, t_hi, pts)

    if E.ndim == 0:
        return one(float(E))
    return np.vectorize(one, otypes=[float])(E)


@renamed_keyword("tgt", "target")
def crossings(E, nu, target, T_lo=None, T_hi=None, form_factor=None, sin2w=SIN2W_DEFAULT):
    """Every nuclear recoil T in (T_lo, T_hi) where |EM| = SM, sorted (an array, possibly empty).

    As :func:`explorer.physics.electron.crossings`: a display uses ``len(...) > 1`` to say that
    the ratio crosses more than once. E is a single energy; T_lo defaults to 10⁻¹⁶ T_max and T_hi
    to T_max of the lightest isotope (larger values are clipped to it).

    >>> from hepunits import MeV, eV
    >>> from explorer.physics import Neutrino
    >>> (crossings(10 * MeV, Neutrino(mu=2.9e-11), "Ge") / eV).round(5).tolist()
    [0.48696, 3069.83398]

    (the second: 0.02 % below T_max of ⁷⁰Ge, the lightest isotope, where SM → 0 and the magnetic
    term, finite at T_max, wins again)
    """
    check_nu(nu)
    tgt = check_target(target)
    sin2w = check_sin2w(sin2w)
    helm = check_form_factor(form_factor)
    if np.ndim(E) != 0:
        raise ValueError(
            f"E must be a single energy for crossings, got an array of shape {np.shape(E)}"
        )
    e = float(check_positive("E", E))
    log_ratio, pts, t_top = _ratio_parts(nu, tgt, sin2w, helm)(e)
    floor = t_top * crossing.T_FLOOR_FRACTION
    lo = floor if T_lo is None else max(float(check_finite_nonneg("T_lo", T_lo)), floor)
    hi = t_top if T_hi is None else min(float(check_finite_nonneg("T_hi", T_hi)), t_top)
    if nu.mu == 0.0 and nu.q == 0.0 and nu.r2 == 0.0:
        return np.empty(0)
    return crossing.all_crossings(log_ratio, lo, hi, pts)


@renamed_keyword("tgt", "target")
def crossover_estimate(nu, target, sin2w=SIN2W_DEFAULT):
    """Scale of eq. 16: T ≈ π²α²/(G_F² M_N m_e²) (Z/C_V)² (μν/μ_B)²; magnetic moment only.

    This is the exact T → 0 ratio of eq. 15 to eq. 14. For a natural element, M_N C_V² is replaced
    by its abundance-weighted mean Σ_i f_i M_i C_V,i², which keeps that property. Energy units;
    +inf where that mean is 0 (e.g. ³He at sin²θ_W = 1/8: no weak scattering at all). ¹H is refused.

    >>> from hepunits import eV
    >>> from explorer.physics import Neutrino
    >>> f"{crossover_estimate(Neutrino(mu=2.9e-11), 'Ge') / eV:.4e}"
    '4.8688e-01'
    """
    check_nu(nu)
    tgt = check_target(target)
    s = check_sin2w(sin2w)
    a = tgt.arrays
    cv = _isotope_cv(tgt, s)
    mcv2 = float(np.sum(a["fraction"] * a["mass"] * cv * cv))
    if mcv2 == 0.0:
        return math.inf if nu.mu > 0 else 0.0
    return math.pi**2 * ALPHA**2 * tgt.Z**2 * nu.mu**2 / (G_FERMI**2 * ME**2 * mcv2)
