"""Reactor ν̄_e: fission spectra, ν̄ from neutron capture on ²³⁸U, and the flux of a core.

Re-exported by :mod:`explorer.physics.sources` (``sources.reactor``, ``sources.fission_spectrum``,
…), the public home of these names (docs/design.md, "Physics API"). Data: ``data/reactor_fits.csv``
(REFERENCE).

What the spectrum is made of, per fission of the fuel mix:

* E ≥ 2 MeV: the Huber (²³⁵U, ²³⁹Pu, ²⁴¹Pu) and Mueller (²³⁸U) fits;
* E < 2 MeV: the Vogel–Engel exp-quadratic joined continuously at 2 MeV — a stated
  extrapolation (no published fit with the fits' precision covers 0–2 MeV; the summation
  calculations of Kopeikin et al. were not available to this work);
* ν̄ from ²³⁸U(n,γ)²³⁹U → ²³⁹Np → ²³⁹Pu: two β⁻ decays per capture, ``capture_rate`` captures
  per fission (default :data:`U238_CAPTURES_PER_FISSION`).

>>> from hepunits import GW, m, cm2, s
>>> f"{reactor(3 * GW, 13.9 * m).total_flux * cm2 * s:.3e}"
'2.520e+13'
"""

from __future__ import annotations

import functools
import math

import numpy as np
import periodictable
from hepunits import MeV

from ._validate import (
    as_float_array,
    check_choice,
    check_nonneg_scalar,
    check_positive_scalar,
)
from .constants import ALPHA, ME
from .flux import Source, csv_rows, integrate, spectrum
from .targets import ATOMIC_MASS_UNIT

__all__ = [
    "DEFAULT_FRACTIONS",
    "FISSION_ISOTOPES",
    "LOW_ENERGY_REL_UNCERTAINTY",
    "U238_CAPTURES_PER_FISSION",
    "antineutrinos_per_fission",
    "capture_spectrum",
    "fission_spectrum",
    "mean_energy_per_fission",
    "reactor",
    "reactor_band",
]


@functools.cache
def _reactor_table() -> dict:
    out = {}
    for r in csv_rows("reactor_fits.csv"):
        a = np.array([float(r[f"a{k}"]) for k in range(6)])
        b = np.array([float(r[f"b{k}"]) for k in range(3)])
        out[r["isotope"]] = (a, b, float(r["energy_MeV"]) * MeV)
    return out


#: Fission isotopes of :func:`reactor`.
FISSION_ISOTOPES = ("U235", "U238", "Pu239", "Pu241")
#: Default fuel mix (fission fractions): an illustrative mid-cycle pressurised-water reactor,
#: of the size quoted by Bemporad, Gratta & Vogel, Rev. Mod. Phys. 74, 297 (2002).
DEFAULT_FRACTIONS = {"U235": 0.56, "U238": 0.07, "Pu239": 0.30, "Pu241": 0.07}
#: Energy where the Huber/Mueller fits take over from the low-energy extension.
REACTOR_E_JOIN = 2.0 * MeV
#: Upper end of the reactor spectrum (fits end at 8 MeV; 8–10 MeV is their extrapolation).
REACTOR_E_MAX = 10.0 * MeV
#: Neutron captures on ²³⁸U per fission in a power reactor: ≈ 0.6, the figure usually quoted
#: for pressurised-water reactors by the Kurchatov reactor-neutrino group (V. I. Kopeikin,
#: L. A. Mikaelyan, V. V. Sinev) whose spectra GEMMA (Beda et al., arXiv:1005.2736) uses — quoted
#: here without re-reading their papers; GEMMA's 2.7e13 cm⁻²s⁻¹ implies 7.2 ν̄ per fission,
#: consistent with ≈ 6 from fission + 2 × 0.6. It depends on the fuel and its burn-up: a
#: parameter of :func:`reactor`.
U238_CAPTURES_PER_FISSION: float = 0.6
#: Relative uncertainty given to everything below 2 MeV (fission extrapolation and capture ν̄)
#: by :func:`reactor_band`: an **assumption of this package** ("tens of %" below ~1 MeV), not a
#: published error.
LOW_ENERGY_REL_UNCERTAINTY: float = 0.25


def _q_beta(parent: str, daughter: str, A: int) -> float:
    """β⁻ Q value M(parent) − M(daughter) from atomic masses (AME2020 via periodictable)."""
    diff = getattr(periodictable, parent)[A].mass - getattr(periodictable, daughter)[A].mass
    return diff * ATOMIC_MASS_UNIT


#: Q values of the capture chain (AME2020 via periodictable): ²³⁹U → ²³⁹Np 1.2617 MeV,
#: ²³⁹Np → ²³⁹Pu 0.7227 MeV.
Q_U239 = _q_beta("U", "Np", 239)
Q_NP239 = _q_beta("Np", "Pu", 239)


def _allowed_beta_minus(E, Q, Z):
    """Allowed β⁻ ν̄ spectrum (unnormalised): E² p W F(Z, W), W = Q + m_e − E, daughter charge Z;
    F the non-relativistic Fermi function 2πη/(1 − e^{−2πη}), η = Zα W/p (e.g. Bahcall,
    "Neutrino Astrophysics", Cambridge 1989, ch. 6). Recoil neglected."""
    W = np.maximum(Q + ME - E, ME)
    p = np.sqrt(np.maximum(W * W - ME * ME, 0.0))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        eta = Z * ALPHA * W / p
        fermi = np.where(p > 0, 2.0 * math.pi * eta / (-np.expm1(-2.0 * math.pi * eta)), 0.0)
    return np.where((E >= 0) & (E < Q), E * E * p * W * fermi, 0.0)


@functools.cache
def _capture_norms():
    return tuple(
        integrate(lambda E, Q=Q, Z=Z: _allowed_beta_minus(E, Q, Z), 0.0, Q)
        for Q, Z in ((Q_U239, 93), (Q_NP239, 94))
    )


def _capture(E):
    """ν̄ per capture per energy (two decays, each normalised to 1), E in energy units."""
    n_u, n_np = _capture_norms()
    return _allowed_beta_minus(E, Q_U239, 93) / n_u + _allowed_beta_minus(E, Q_NP239, 94) / n_np


def capture_spectrum(E):
    """ν̄_e per neutron capture on ²³⁸U per energy: ²³⁹U (Q = 1.2617 MeV) and ²³⁹Np
    (Q = 0.7227 MeV) β⁻ decays, one ν̄ each (2 per capture).

    Each decay is drawn as one allowed ground-state-to-ground-state branch with the
    non-relativistic Fermi function — an **approximation** of the shape: the real decays feed
    excited states too, so the true spectra end lower. The number of ν̄ (2 per capture) is exact,
    and the magnetic-moment rate at T ≪ Eν depends on the number far more than on the shape.

    >>> from hepunits import MeV
    >>> capture_spectrum(1.3 * MeV), capture_spectrum(-1.0)
    (0.0, 0.0)
    """
    E = as_float_array("E", E)
    out = _capture(np.maximum(E, 0.0)) * (E >= 0)
    return float(out) if out.ndim == 0 else out


def fission_spectrum(E, isotope):
    """ν̄_e per fission per energy of one fission isotope: dN/dE (1/energy), E in energy units.

    E ≥ 2 MeV: exp(Σ_k a_k E^k), E in MeV — Huber, Phys. Rev. C 84, 024617 (2011) (²³⁵U, ²³⁹Pu,
    ²⁴¹Pu) and Mueller et al., Phys. Rev. C 83, 054615 (2011) (²³⁸U); fitted over 2–8 MeV and
    extrapolated to 10 MeV.
    E < 2 MeV: the Vogel–Engel exp-quadratic (Phys. Rev. D 39, 3378 (1989)), multiplied by a
    constant so that it meets the Huber/Mueller value at 2 MeV (factors 0.996–1.10), extended to
    E = 0. This is a *stated extrapolation*: below ~1 MeV reactor spectra are uncertain at the tens
    of % level (:func:`reactor_band`). The ν̄ from neutron capture on ²³⁸U are not fission ν̄:
    see :func:`capture_spectrum`.

    >>> from hepunits import MeV
    >>> round(fission_spectrum(3 * MeV, "U235") * MeV, 4)      # exp(Σ a_k 3^k)
    0.6558
    """
    check_choice("isotope", isotope, set(FISSION_ISOTOPES))
    E = as_float_array("E", E)
    out = _fission_mix(E / MeV, (isotope,), np.ones(1)) / MeV
    return float(out) if out.ndim == 0 else out


def _horner(coeffs, x):
    """Σ_k c_k x^k for each row of coeffs (n_iso, K) at every x (n,) → (n_iso, n)."""
    y = np.repeat(coeffs[:, -1:], x.size, axis=1)
    for k in range(coeffs.shape[1] - 2, -1, -1):
        y *= x
        y += coeffs[:, k : k + 1]
    return y


def _fission_mix(x, isotopes, weights):
    """Σ_i w_i dN_i/dx (per MeV per fission, x = E/MeV): one pass, each branch only where used."""
    table = _reactor_table()
    a = np.array([table[k][0] for k in isotopes])  # (n_iso, 6)
    b = np.array([table[k][1] for k in isotopes])  # (n_iso, 3)
    j = REACTOR_E_JOIN / MeV
    log_scale = a @ j ** np.arange(6) - b @ j ** np.arange(3)  # meet continuously at 2 MeV
    b = b + np.outer(log_scale, [1.0, 0.0, 0.0])
    x = np.asarray(x, dtype=float)
    flat = x.ravel()
    out = np.zeros(flat.shape)
    hi = (flat >= j) & (flat <= REACTOR_E_MAX / MeV)
    lo = (flat >= 0) & (flat < j)
    for mask, coeffs in ((hi, a), (lo, b)):
        if mask.all():
            out = weights @ np.exp(_horner(coeffs, flat))
        elif mask.any():
            out[mask] = weights @ np.exp(_horner(coeffs, flat[mask]))
    return out.reshape(x.shape)


def _check_fractions(fractions) -> dict:
    if fractions is None:
        fractions = DEFAULT_FRACTIONS
    if not isinstance(fractions, dict) or not fractions:
        raise ValueError(
            f"fractions must be a dict such as {DEFAULT_FRACTIONS!r}, got {fractions!r}"
        )
    fr = {}
    for k, v in fractions.items():
        check_choice("fractions key", k, set(FISSION_ISOTOPES))
        fr[k] = check_nonneg_scalar(f"fractions[{k!r}]", v)
    total = sum(fr.values())
    if total <= 0:
        raise ValueError(f"fractions must have a positive sum, got {fractions!r}")
    return {k: v / total for k, v in fr.items() if v > 0}


def _check_capture(capture_rate) -> float:
    if capture_rate is None:
        return U238_CAPTURES_PER_FISSION
    c = check_nonneg_scalar("capture_rate", capture_rate)
    if c > 2.0:
        raise ValueError(f"capture_rate must lie in [0, 2] captures per fission, got {c!r}")
    return c


def _per_fission_fn(fractions, capture_rate, low_scale=1.0):
    """dN/dE per fission (1/energy) of the mix, with capture ν̄; below 2 MeV × low_scale."""
    isotopes, weights = tuple(fractions), np.array(list(fractions.values()))

    def fn(E):
        x = E / MeV
        out = _fission_mix(x, isotopes, weights) / MeV + capture_rate * _capture(E)
        return np.where(E < REACTOR_E_JOIN, low_scale * out, out)

    return fn


def antineutrinos_per_fission(fractions=None, capture_rate=None, E_min=0.0):
    """ν̄_e per fission of the mix above E_min (fission ν̄ plus 2 × capture_rate capture ν̄).

    With the defaults: 5.51 from fission (Huber/Mueller + Vogel–Engel below 2 MeV) + 1.2 from
    captures = 6.71. For comparison, "about 6 ν̄ per fission" from fission (Bemporad, Gratta &
    Vogel, Rev. Mod. Phys. 74, 297 (2002)).

    >>> round(antineutrinos_per_fission(), 2), round(antineutrinos_per_fission(capture_rate=0), 2)
    (6.71, 5.51)
    """
    fr, cap = _check_fractions(fractions), _check_capture(capture_rate)
    lo = check_nonneg_scalar("E_min", E_min)
    if lo >= REACTOR_E_MAX:
        return 0.0
    fn = _per_fission_fn(fr, cap)
    return integrate(fn, lo, REACTOR_E_MAX, (Q_NP239, Q_U239, REACTOR_E_JOIN))


def mean_energy_per_fission(fractions=None) -> float:
    """Σ f_i e_i: energy released per fission of the mix (energy units), e_i of Kopeikin,
    Mikaelyan & Sinev, Phys. At. Nucl. 67, 1892 (2004): 201.92 (²³⁵U), 205.52 (²³⁸U), 209.99
    (²³⁹Pu), 213.60 (²⁴¹Pu) MeV.

    >>> from hepunits import MeV
    >>> round(mean_energy_per_fission() / MeV, 3)
    205.411
    """
    table = _reactor_table()
    return sum(f * table[k][2] for k, f in _check_fractions(fractions).items())


def reactor(power, distance, fractions=None, capture_rate=None, low_energy_scale=1.0):
    """Reactor ν̄_e at a distance from a core of given thermal power and fuel mix.

    Φ(E) = P / (Σ_i f_i e_i) · [Σ_i f_i dN_i/dE + c · dN_cap/dE] / (4π d²), with the fission
    spectra of :func:`fission_spectrum`, the capture ν̄ of :func:`capture_spectrum` (c captures on
    ²³⁸U per fission) and the energy per fission of :func:`mean_energy_per_fission`. Spectrum on
    0–10 MeV; no oscillation (negligible at tens of metres). One component, label "reactor".

    Parameters
    ----------
    power : thermal power (> 0), e.g. ``3 * GW`` (hepunits ``GW``)
    distance : length (> 0), e.g. ``13.9 * m``
    fractions : None or dict {"U235", "U238", "Pu239", "Pu241": fission fraction ≥ 0}
        Normalised to sum 1. None: :data:`DEFAULT_FRACTIONS`.
    capture_rate : None or float in [0, 2]   captures on ²³⁸U per fission (None:
        :data:`U238_CAPTURES_PER_FISSION` = 0.6; 0 leaves the capture ν̄ out)
    low_energy_scale : float ≥ 0   multiplies everything below 2 MeV (1: nominal; used by
        :func:`reactor_band`)

    GEMMA's geometry (3 GW, 13.9 m) gives 2.52e13 cm⁻² s⁻¹, 6.7 % below the 2.7e13 that GEMMA
    quotes (Beda et al., arXiv:1005.2736). 2.7e13 at 205.4 MeV per fission means 7.18 ν̄ per
    fission; here 5.51 (fission) + 1.20 (capture) = 6.71. The missing ≈ 0.47 ν̄ per fission lie
    below 2 MeV, where the fission part is the Vogel–Engel extrapolation (GEMMA used Kopeikin's
    summation spectra, not available to this work); :func:`reactor_band` covers 2.7e13.

    >>> from hepunits import GW, m, cm2, s
    >>> f"{reactor(3 * GW, 13.9 * m, capture_rate=0).total_flux * cm2 * s:.2e}"
    '2.07e+13'
    """
    P = check_positive_scalar("power", power, " (thermal power, e.g. 3 * GW)")
    d = check_positive_scalar("distance", distance, " (a length, e.g. 13.9 * m)")
    fr, cap = _check_fractions(fractions), _check_capture(capture_rate)
    low = check_nonneg_scalar("low_energy_scale", low_energy_scale)
    scale = P / mean_energy_per_fission(fr) / (4.0 * math.pi * d * d)
    per_fission = _per_fission_fn(fr, cap, low)

    def fn(E):
        return scale * per_fission(E)

    breaks = (Q_NP239, Q_U239, REACTOR_E_JOIN) if cap > 0 else (REACTOR_E_JOIN,)
    flux = integrate(fn, 0.0, REACTOR_E_MAX, breaks)
    return Source((spectrum(fn, 0.0, REACTOR_E_MAX, flux, "e", True, breaks, "reactor"),))


def reactor_band(power, distance, fractions=None, capture_rate=None, rel=None):
    """(low, nominal, high) reactor sources: everything below 2 MeV scaled by 1 − rel, 1, 1 + rel.

    ``rel`` (None: :data:`LOW_ENERGY_REL_UNCERTAINTY` = 0.25, an assumption, see there) stands
    for the uncertainty of the part of the spectrum that no fit covers: the Vogel–Engel
    extrapolation below 2 MeV and the capture ν̄. Every rate is linear in the source, so the
    magnetic-moment rate's band is the rate of ``low`` and of ``high``.

    >>> from hepunits import GW, m
    >>> lo, mid, hi = reactor_band(3 * GW, 13.9 * m)
    >>> round(lo.total_flux / mid.total_flux, 3), round(hi.total_flux / mid.total_flux, 3)
    (0.809, 1.191)
    """
    r = LOW_ENERGY_REL_UNCERTAINTY if rel is None else check_nonneg_scalar("rel", rel)
    if r > 1.0:
        raise ValueError(f"rel must lie in [0, 1], got {rel!r}")
    return tuple(
        reactor(power, distance, fractions, capture_rate, low_energy_scale=k)
        for k in (1.0 - r, 1.0, 1.0 + r)
    )
