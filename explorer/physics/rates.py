"""Event rates, counts and counting-experiment sensitivity (DESIGN §4.15; paper eq. 9 made
quantitative).

dR/dT = N_T Σ_components Σ_atoms ∫_{E ≥ E_min(T)} dE dΦ/dE · dσ/dT(T, E),

with N_T the number of formula units per unit mass of *detector material* (formula mass from
atomic masses, :mod:`~explorer.physics.materials`), and E_min(T) = (T + √(T² + 2MT))/2 the
exact inverse of T_max = 2E²/(2E + M) (M = m_e for ν–e, the nuclear mass of each isotope for
CEvNS). Lines add N_T Φ dσ/dT(T, E₀) directly.

The cross sections are those of :mod:`~explorer.physics.electron` (eqs. 5–11, per atom with the
stepping approximation or Z free electrons) and :mod:`~explorer.physics.nucleus` (eqs. 13–15,
per isotope, weighted by abundance). μν, qν and ⟨r²⟩ are *effective, flavour-independent*
parameters: every flavour component is scattered with the same values (for ν̄ the sign
conventions of DESIGN §4.13 apply, as in :class:`~explorer.physics.Neutrino`).

Numerics
--------
The Eν integral starts at E_min(T) *exactly* for every T (the magnetic integrand does not
vanish there: a fixed Eν grid that ignores E_min loses up to ~10⁻³ of the EM rate). Two
equivalent routes (``method=``):

* ``"moments"`` (default): at fixed T every cross section here is a quadratic polynomial in
  1/Eν, so ∫ dΦ/dE σ dE = Σ_k a_k(T) M_k(E_min(T)); the a_k are fitted exactly from the kernels
  at three energies per T (and checked at a fourth — otherwise the grid route is used), and the
  moments M_k = ∫_{E_min}^{E_hi} dΦ/dE E^{-k} dE come from cumulative sums over n_E tabulation
  nodes plus the partial panel that starts at E_min(T). A 200-bin spectrum costs a few ms.
* ``"grid"``: a per-T grid E = E_min(T) + (E_hi − E_min(T)) u on n_E fixed Gauss–Legendre
  nodes u ∈ (0, 1), split at the spectrum's kinks (e.g. the reactor's 2 MeV join).

Both agree with adaptive quadrature to ~10⁻¹³–10⁻⁸ for the built-in spectra
(tests/physics/test_rates.py).
Counts integrate dR/dT in log T with Gauss–Legendre nodes between break points (T_max of every
line, spectrum end and kink, for every target mass; the binding edges of the stepping model).

CEvNS and hydrogen: eq. 14 is the coherent vector formula of a spin-0 nucleus and is wrong for
¹H (axial current dominates, DESIGN §4.12). In the nucleus channel the hydrogen atoms of a
compound (H₂O, C₉H₁₂, …) are **skipped** (their ν–p elastic scattering is not CEvNS, and
their recoils are far above the keV window of the heavy nuclei); a material made of hydrogen
only raises ValueError.

Detector response (optional): nuclear-recoil quenching with the Lindhard model (J. Lindhard et
al., Mat. Fys. Medd. Dan. Vid. Selsk. 33, no. 10 (1963)) so that thresholds can be given in
electron-equivalent energy (keVee), and an efficiency curve of the observed energy.

>>> from hepunits import GW, m, kg, day, keV
>>> from explorer.physics import sources
>>> src = sources.reactor(3 * GW, 13.9 * m)
>>> r = dR_dT(10 * keV, src, "Ge", "electron", mu=2.9e-11)
>>> r.em > 0 and r.sm > 0
True
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from hepunits import cm2, keV

from . import electron as _electron
from . import nucleus as _nucleus
from ._validate import as_float_array, check_choice, check_finite_nonneg, check_sin2w
from .atomic import _step
from .constants import ME, SIN2W_DEFAULT
from .kinematics import _t_max
from .materials import Material
from .materials import material as _material
from .neutrino import Q_MAX, R2_MAX, Neutrino
from .sources import Source, gauss_legendre01
from .targets import target as _target

__all__ = [
    "Counts",
    "Rate",
    "Sensitivity",
    "counts",
    "dR_dT",
    "e_min",
    "lindhard_k",
    "lindhard_quenching",
    "sensitivity",
    "sensitivity_curve",
]

CHANNELS = ("electron", "nucleus")
PARAMETERS = ("mu", "q", "r2")
#: default Gauss–Legendre nodes per T for the Eν integral (split among the spectrum's pieces)
N_E_DEFAULT = 2000
#: default Gauss–Legendre nodes per piece of the log-T integral in :func:`counts`
N_T_DEFAULT = 24


@dataclass(frozen=True)
class Rate:
    """dR/dT split into SM, EM (= total − SM) and total, per (mass · time · energy).

    Read with units by dividing: ``r.total / (1 / (kg * day * keV))``.
    """

    sm: np.ndarray
    em: np.ndarray
    total: np.ndarray

    def __truediv__(self, unit: float) -> Rate:
        return Rate(self.sm / unit, self.em / unit, self.total / unit)


@dataclass(frozen=True)
class Counts:
    """Expected numbers of events: SM, EM (= total − SM) and total (dimensionless)."""

    sm: float
    em: float
    total: float


# ----------------------------------------------------------------------------------------------
# checks


def _scalar(name, value, allowed, lo=None, lo_open=True):
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number ({allowed}), got {value!r}") from None
    if not math.isfinite(v) or (lo is not None and (v <= lo if lo_open else v < lo)):
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    return v


def _check_source(src):
    # duck-typed: doctests under --import-mode=importlib import sources.py a second time
    if not isinstance(src, Source) and not hasattr(src, "components"):
        raise ValueError(f"src must be an explorer.physics.sources.Source, got {src!r}")
    return src


def _atoms(mat: Material, channel: str):
    """[(count per formula unit × abundance, Target)]: atoms (electron) or isotopes (nucleus)."""
    if channel == "electron":
        return [(float(n), t) for t, n in mat.atoms]
    out = []
    for t, n in mat.atoms:
        if t.Z == 1:  # eq. 14 does not describe ν–p/ν–d scattering: skipped (module docstring)
            continue
        for iso in t.isotopes:
            one = t if t.single_isotope else _target(f"{t.symbol}{iso.A}")
            out.append((n * iso.fraction, one))
    if not out:
        raise ValueError(
            f"material {mat.name!r} has no nucleus for CEvNS: eq. 14 does not apply to hydrogen "
            "(allowed: materials with at least one atom of Z ≥ 2, e.g. 'H2O', 'C3F8')"
        )
    return out


def e_min(T, mass):
    """E_min(T) = (T + √(T² + 2MT))/2: the smallest Eν that gives recoil T (inverse of eq. 4).

    >>> from hepunits import keV, MeV
    >>> from explorer.physics.kinematics import t_max
    >>> from explorer.physics.constants import ME
    >>> E = e_min(300 * keV, ME)
    >>> round(t_max(E, ME) / keV, 9)
    300.0
    """
    T = check_finite_nonneg("T", T)
    out = _e_min(T, float(mass))
    return float(out) if out.ndim == 0 else out


def _e_min(T, M):
    return 0.5 * (T + np.sqrt(T * T + 2.0 * M * T))


# ----------------------------------------------------------------------------------------------
# the Eν integral on a per-T grid starting at E_min(T)


def _spectral_grid(T, comp, M, kernel, n_E):
    """(sm, em, total) of ∫ dΦ/dE σ(T, E) dE over E ≥ E_min(T, M): per-T mapped grid."""
    emin = _e_min(T, M)
    pts = [comp.E_lo, *comp.breaks, comp.E_hi]
    n = max(8, n_E // (len(pts) - 1))
    u, w = gauss_legendre01(n)
    sm = em = tot = 0.0
    for a, b in itertools.pairwise(pts):
        lo = np.maximum(a, emin)
        length = np.maximum(b - lo, 0.0)
        if not np.any(length > 0):
            continue
        E = np.minimum(lo[:, None] + length[:, None] * u, b)
        wphi = comp._density(E) * (length[:, None] * w)
        s, e, t = kernel(T[:, None], E)
        sm = sm + np.einsum("ij,ij->i", wphi, s)
        em = em + np.einsum("ij,ij->i", wphi, e)
        tot = tot + np.einsum("ij,ij->i", wphi, t)
    return sm, em, tot


# Sample points u = E_min/E of the quadratic in 1/E (three to fit, one to check)
_U_FIT = np.array([0.8, 0.5, 0.25])
_U_CHECK = 0.625
_U_ALL = np.append(_U_FIT, _U_CHECK)
_V_INV = np.linalg.inv(np.vander(_U_FIT, 3, increasing=True))
_PANEL_ORDER = 8
_PARTIAL_ORDER = 5  # the partial panel [E_min(T), next edge] spans ≤ 6 % in E: 5 nodes suffice


def _moment_table(comp, n_E):
    """Panels over the spectrum and the cumulative moments C_k[j] = ∫_{e_j}^{E_hi} φ E^{-k} dE.

    Panels: a third log-spaced from max(E_lo, 10⁻⁶ E_hi) up, a third linear, a third log-spaced
    towards E_hi (spectra that end like √(E_hi − E)), plus the kinks; ``_PANEL_ORDER``
    Gauss–Legendre nodes each, about n_E nodes in all.
    """
    top, base = comp.E_hi, comp.E_lo
    bottom = max(base, 1e-6 * top)
    n_panels = max(24, n_E // _PANEL_ORDER) // 3
    width = top - base
    edges = np.concatenate(
        (
            np.geomspace(bottom, top, n_panels + 1),  # fine near small E_min(T)
            np.linspace(base, top, n_panels + 1),  # the bulk of the spectrum
            top - np.geomspace(1e-6 * width, width, n_panels + 1),  # an end point like √(Q − E)
            comp.breaks,
        )
    )
    edges = np.unique(edges)
    edges = edges[(edges >= comp.E_lo) & (edges <= top)]
    u, w = gauss_legendre01(_PANEL_ORDER)
    lo, hi = edges[:-1], edges[1:]
    E = lo[:, None] + (hi - lo)[:, None] * u
    f = comp._density(E) * ((hi - lo)[:, None] * w)
    inv = 1.0 / E
    per_panel = np.stack((f.sum(1), (f * inv).sum(1), (f * inv * inv).sum(1)))
    cum = np.zeros((3, len(edges)))
    cum[:, :-1] = np.cumsum(per_panel[:, ::-1], axis=1)[:, ::-1]
    return edges, cum


def _moments(lo, comp, table):
    """M_k(lo) = ∫_{lo}^{E_hi} φ E^{-k} dE, k = 0, 1, 2, for an array of lower limits lo."""
    edges, cum = table
    j = np.clip(np.searchsorted(edges, lo, side="right") - 1, 0, len(edges) - 2)
    b = edges[j + 1]
    u, w = gauss_legendre01(_PARTIAL_ORDER)
    length = np.maximum(b - lo, 0.0)
    E = lo[:, None] + length[:, None] * u
    f = comp._density(E) * (length[:, None] * w)
    inv = 1.0 / E
    part = np.stack((f.sum(1), (f * inv).sum(1), (f * inv * inv).sum(1)))
    return cum[:, j + 1] + part


def _fit_quadratic(T, emin, kernel):
    """Coefficients (a0, a1, a2) of each part in u = E_min/E, or None if not quadratic."""
    E4 = emin[:, None] / _U_ALL
    P = np.stack([np.broadcast_to(p, E4.shape) for p in kernel(T[:, None], E4)])  # (3, n, 4)
    a = P[..., :3] @ _V_INV.T  # a0 + a1 u + a2 u², u = E_min/E
    pred = a[..., 0] + _U_CHECK * (a[..., 1] + _U_CHECK * a[..., 2])
    if np.any(np.abs(pred - P[..., 3]) > 1e-9 * np.abs(a).sum(-1)):
        return None
    return a


def _spectral_many(T, comp, items, n_E, table):
    """Σ over (mass, kernel, weight) items of weight × ∫_{E ≥ E_min(T, M)} dΦ/dE σ dE.

    Every cross section here is, at fixed T, a quadratic polynomial in 1/E (eqs. 6, 8 with the
    qν/⟨r²⟩ shift of g_V; eqs. 13–15, whose (1 − T/T_max) = 1 − T/E − MT/2E²; binding and the
    Helm factor depend on T only). So the Eν integral is Σ_k a_k(T) E_min^k M_k(E_min(T)), with
    a_k fitted exactly from the kernel at three energies per T (and checked at a fourth) and the
    moments M_k = ∫_{E_min(T)}^{E_hi} dΦ/dE E^{-k} dE taken from cumulative panel sums plus the
    partial panel that starts at E_min(T) *exactly* (one call for all masses). If the check fails
    (a kernel that is not quadratic in 1/E), the per-T mapped grid is used for that mass.
    """
    total = [np.zeros_like(T) for _ in range(3)]
    pending = []
    for M, kernel, weight in items:
        emin = _e_min(T, M)
        lo = np.maximum(emin, comp.E_lo)
        active = (T > 0) & (lo < comp.E_hi)
        if not np.any(active):
            continue
        coeffs = _fit_quadratic(T[active], emin[active], kernel)
        if coeffs is None:
            for acc, part in zip(total, _spectral_grid(T, comp, M, kernel, n_E), strict=True):
                acc += weight * part
            continue
        pending.append((active, emin[active], lo[active], coeffs, weight))
    if not pending:
        return tuple(total)
    mom = _moments(np.concatenate([p[2] for p in pending]), comp, table)
    start = 0
    for active, emin, _, coeffs, weight in pending:
        n = emin.size
        m = mom[:, start : start + n] * np.stack((np.ones_like(emin), emin, emin * emin))
        start += n
        for acc, a in zip(total, coeffs, strict=True):
            acc[active] += weight * np.einsum("ik,ki->i", a, m)
    return tuple(total)


def _parts(
    T, src, mat, channel, mu, q, r2, binding, helm, sin2w, n_E, atoms=None, method="moments"
):
    """Unchecked dR/dT per unit mass (sm, em, total) on a 1-D array T (all positive)."""
    n_t = mat.per_mass
    sm, em, tot = (np.zeros_like(T) for _ in range(3))

    def spectral(c, items):
        if method == "grid":
            out = [np.zeros_like(T) for _ in range(3)]
            for M, kernel, weight in items:
                for acc, part in zip(out, _spectral_grid(T, c, M, kernel, n_E), strict=True):
                    acc += weight * part
            return out
        return _spectral_many(T, c, items, n_E, _moment_table(c, n_E))

    def line(c, items):
        out = [np.zeros_like(T) for _ in range(3)]
        for _, kernel, weight in items:
            for acc, part in zip(out, kernel(T, c.energy), strict=True):
                acc += (weight * c.flux) * part
        return out

    if channel == "electron":
        if binding == "stepping":
            factor = sum(n * _step(T, t) for n, t in _atoms(mat, channel))
        else:
            factor = sum(n * float(t.Z) for n, t in _atoms(mat, channel))
        for c in src.components:
            gv, ga = _electron.couplings(Neutrino(c.flavour, anti=c.anti), sin2w)

            def kernel(Tg, E, gv=gv, ga=ga):
                return _electron._free(Tg, E, gv, ga, mu, q, r2)

            items = [(ME, kernel, 1.0)]
            s, e, t = line(c, items) if c.is_line else spectral(c, items)
            sm, em, tot = sm + s, em + e, tot + t
        return n_t * factor * sm, n_t * factor * em, n_t * factor * tot
    # CEvNS is the same for every flavour and for ν̄ at this order (nucleus.py): one kernel per
    # isotope, weighted by count × abundance
    items = []
    for weight, iso in atoms if atoms is not None else _atoms(mat, channel):

        def kernel(Tg, E, iso=iso):
            return _nucleus._kernel(Tg, E, iso, mu, q, r2, sin2w, helm)

        items.append((iso.mass, kernel, weight))
    for c in src.components:
        s, e, t = line(c, items) if c.is_line else spectral(c, items)
        sm, em, tot = sm + s, em + e, tot + t
    return n_t * sm, n_t * em, n_t * tot


def _common(src, mat, channel, mu, q, r2, binding, form_factor, sin2w):
    _check_source(src)
    mat = _material(mat)
    check_choice("channel", channel, set(CHANNELS))
    check_choice("binding", binding, {"stepping", "free"})
    Neutrino("e", mu=mu, q=q, r2=r2)  # validates μν, qν, ⟨r²⟩ (ValueError naming them)
    helm = _nucleus._check_ff(form_factor)
    sin2w = check_sin2w(sin2w)
    if channel == "nucleus":
        _atoms(mat, channel)
    return mat, float(mu), float(q), float(r2), helm, sin2w


def _check_n(name, n):
    if not isinstance(n, (int, np.integer)) or not 8 <= n <= 100000:
        raise ValueError(f"{name} must be an integer in [8, 100000], got {n!r}")
    return int(n)


def dR_dT(
    T,
    src,
    material,
    channel,
    mu=0.0,
    q=0.0,
    r2=0.0,
    binding="stepping",
    form_factor=None,
    sin2w=SIN2W_DEFAULT,
    n_E=N_E_DEFAULT,
    method="moments",
):
    """Differential event rate dR/dT per (mass of detector material · time · recoil energy).

    Parameters
    ----------
    T : float or array, energy units, T ≥ 0   (electron recoil or nuclear recoil energy)
    src : sources.Source
    material : str or Material  element ("Ge"), isotope ("Ge72") or formula ("CsI", "C3F8")
    channel : {"electron", "nucleus"}
    mu, q, r2 : effective μν [μ_B], qν [e], ⟨r²⟩ [area] (flavour-independent)
    binding : {"stepping", "free"}   (electron channel, eqs. 10–11)
    form_factor : None, "none" or "helm"   (nucleus channel)
    sin2w : float in (0, 1)
    n_E : int   Eν nodes: tabulation nodes per spectrum ("moments") or per T ("grid")
    method : {"moments", "grid"}   two exact-E_min routes for the Eν integral (module docstring)

    Returns
    -------
    Rate with ``.sm``, ``.em``, ``.total`` in 1/(mass · time · energy); 0 where no neutrino of
    the source can give recoil T (and at T = 0).

    Examples
    --------
    A line of 10¹⁰ ν_e cm⁻² s⁻¹ at 1 MeV on free electrons of Ge (32 per atom):

    >>> from hepunits import MeV, keV, kg, day, cm2, s
    >>> from explorer.physics import sources, electron, Neutrino
    >>> src = sources.line(1 * MeV, 1e10 / (cm2 * s))
    >>> r = dR_dT(100 * keV, src, "Ge", "electron", binding="free")
    >>> xs = electron.dsigma_dT(100 * keV, 1 * MeV, Neutrino("e"), "Ge", binding="free")
    >>> from explorer.physics.materials import material
    >>> bool(abs(r.sm / (material("Ge").per_mass * 1e10 / (cm2 * s) * xs.sm) - 1) < 1e-12)
    True
    """
    mat, mu, q, r2, helm, sin2w = _common(
        src, material, channel, mu, q, r2, binding, form_factor, sin2w
    )
    n_E = _check_n("n_E", n_E)
    check_choice("method", method, {"moments", "grid"})
    T = check_finite_nonneg("T", T)
    flat = T.ravel()
    sm, em, tot = _parts(
        flat, src, mat, channel, mu, q, r2, binding, helm, sin2w, n_E, None, method
    )
    shape = T.shape
    sm, em, tot = (np.asarray(x, dtype=float).reshape(shape) for x in (sm, em, tot))
    if T.ndim == 0:
        sm, em, tot = float(sm), float(em), float(tot)
    return Rate(sm, em, tot)


# ----------------------------------------------------------------------------------------------
# detector response


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
    k = _scalar("k", k, "a number > 0 (Lindhard k, e.g. 0.157 for Ge)", 0.0)
    out = _lindhard(T, Z, k)
    return float(out) if out.ndim == 0 else out


def _lindhard(T, Z, k):
    eps = 11.5 * Z ** (-7.0 / 3.0) * (T / keV)
    g = 3.0 * eps**0.15 + 0.7 * eps**0.6 + eps
    return k * g / (1.0 + k * g)


def _nr_from_ee(T_ee, Z, k):
    """Nuclear-recoil energy whose quenched energy is T_ee (Q(T) T is increasing)."""
    if T_ee <= 0:
        return 0.0
    hi = T_ee
    while _lindhard(np.asarray(hi), Z, k) * hi < T_ee:
        hi *= 4.0
    from scipy.optimize import brentq  # lazily: the dashboard kernel stays light

    return brentq(
        lambda t: float(_lindhard(np.asarray(t), Z, k)) * t - T_ee,
        T_ee,
        hi,
        xtol=1e-300,
        rtol=1e-13,
    )


def _efficiency_fn(efficiency):
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


# ----------------------------------------------------------------------------------------------
# counts


def _kinematic_end(src, masses):
    return max(
        float(_t_max(c.energy if c.is_line else c.E_hi, min(masses))) for c in src.components
    )


def _breaks(src, masses, mat, channel, binding):
    pts = []
    for c in src.components:
        energies = [c.energy] if c.is_line else [c.E_lo, *c.breaks, c.E_hi]
        for M in masses:
            pts.extend(float(_t_max(E, M)) for E in energies if E > 0)
    if channel == "electron" and binding == "stepping":
        for t, _ in mat.atoms:
            pts.extend(float(x) for x in t.arrays["edge"])
    return pts


def _log_nodes(lo, hi, breaks, n):
    pts = np.unique([lo, hi, *[b for b in breaks if lo < b < hi]])
    u, w = gauss_legendre01(n)
    la, lb = np.log(pts[:-1]), np.log(pts[1:])
    t = np.exp(la[:, None] + (lb - la)[:, None] * u)
    wt = t * ((lb - la)[:, None] * w)
    return t.ravel(), wt.ravel()


def _counts(src, mat, channel, mu, q, r2, binding, helm, sin2w, lo, hi, quench, eff, n_E, n_T):
    """Unchecked counts per unit exposure in the observed window [lo, hi] (sm, em, total)."""
    if channel == "electron" or quench is None:
        masses = [ME] if channel == "electron" else [iso.mass for _, iso in _atoms(mat, channel)]
        hi_eff = min(hi, _kinematic_end(src, masses))
        if not hi_eff > lo:
            return 0.0, 0.0, 0.0
        t, w = _log_nodes(lo, hi_eff, _breaks(src, masses, mat, channel, binding), n_T)
        if eff is not None:
            w = w * eff(t)
        s, e, tt = _parts(t, src, mat, channel, mu, q, r2, binding, helm, sin2w, n_E)
        return float(w @ s), float(w @ e), float(w @ tt)
    # quenched nuclear recoils: each element has its own recoil window
    k_user = quench
    out = np.zeros(3)
    for tgt, n in mat.atoms:
        if tgt.Z == 1:
            continue
        A = float(tgt.arrays["N"] @ tgt.arrays["fraction"]) + tgt.Z
        k = lindhard_k(tgt.Z, A) if k_user == "lindhard" else k_user
        isos = [(w_, iso) for w_, iso in _atoms(Material(mat.name, ((tgt, n),)), channel)]
        masses = [iso.mass for _, iso in isos]
        t_lo = _nr_from_ee(lo, tgt.Z, k)
        t_hi = min(_nr_from_ee(hi, tgt.Z, k), _kinematic_end(src, masses))
        if not t_hi > t_lo:
            continue
        t, w = _log_nodes(t_lo, t_hi, _breaks(src, masses, mat, channel, binding), n_T)
        if eff is not None:
            w = w * eff(_lindhard(t, tgt.Z, k) * t)
        s, e, tt = _parts(t, src, mat, channel, mu, q, r2, binding, helm, sin2w, n_E, atoms=isos)
        out += (float(w @ s), float(w @ e), float(w @ tt))
    return tuple(out)


def _check_window(T_min, T_max):
    lo = _scalar("T_min", T_min, "a recoil energy > 0 (e.g. 1 * keV)", 0.0)
    if T_max is None:
        return lo, math.inf
    hi = _scalar("T_max", T_max, "an energy > 0 or None (the kinematic end)", 0.0)
    if not hi > lo:
        raise ValueError(f"T_max must be > T_min = {lo!r} (allowed: T_min < T_max), got {T_max!r}")
    return lo, hi


def _check_quenching(quenching, k, channel):
    if quenching is None:
        if k is not None:
            raise ValueError("k is used only with quenching='lindhard'")
        return None
    check_choice("quenching", quenching, {"lindhard"})
    if channel != "nucleus":
        raise ValueError("quenching applies to nuclear recoils only (channel='nucleus')")
    if k is None:
        return "lindhard"
    return _scalar("k", k, "a number > 0 (Lindhard k, e.g. 0.157 for Ge)", 0.0)


def counts(
    src,
    material,
    exposure,
    T_min,
    T_max=None,
    channel="electron",
    mu=0.0,
    q=0.0,
    r2=0.0,
    binding="stepping",
    form_factor=None,
    sin2w=SIN2W_DEFAULT,
    quenching=None,
    k=None,
    efficiency=None,
    n_E=N_E_DEFAULT,
    n_T=N_T_DEFAULT,
):
    """Expected events in the window [T_min, T_max] for an exposure (mass · time).

    Parameters
    ----------
    src, material, channel, mu, q, r2, binding, form_factor, sin2w : as in :func:`dR_dT`
    exposure : mass × time (> 0), e.g. ``14.6 * kg * 308.1 * day``
    T_min : energy (> 0); T_max : energy (> T_min) or None (the kinematic end)
        Recoil energies — electron-equivalent (keVee) when ``quenching`` is given.
    quenching : None or "lindhard"   (nucleus channel) observed energy = Q(T) T, Lindhard Q
    k : None or float   Lindhard k for every element (None: 0.133 Z^{2/3} A^{-1/2} per element,
        0.157 for Ge)
    efficiency : None, callable eff(E_obs) or table (E_obs, eff)  values in [0, 1], of the
        observed energy (keVee when quenched); it multiplies the neutrino events (SM and EM)
    n_E, n_T : quadrature nodes (Eν per T; log T per piece)

    Returns
    -------
    Counts with ``.sm``, ``.em``, ``.total`` (events detected: efficiency applied).

    >>> from hepunits import MeV, keV, kg, day, cm2, s
    >>> from explorer.physics import sources
    >>> src = sources.line(1 * MeV, 1e10 / (cm2 * s))
    >>> n = counts(src, "Ge", 1 * kg * 365 * day, 1 * keV, mu=1e-10)
    >>> n.em > 0, n.total == n.sm + n.em
    (True, True)
    """
    mat, mu, q, r2, helm, sin2w = _common(
        src, material, channel, mu, q, r2, binding, form_factor, sin2w
    )
    exp_ = _scalar("exposure", exposure, "> 0 (mass × time, e.g. 1 * kg * 365 * day)", 0.0)
    lo, hi = _check_window(T_min, T_max)
    quench = _check_quenching(quenching, k, channel)
    eff = _efficiency_fn(efficiency)
    n_E, n_T = _check_n("n_E", n_E), _check_n("n_T", n_T)
    s, e, _ = _counts(
        src, mat, channel, mu, q, r2, binding, helm, sin2w, lo, hi, quench, eff, n_E, n_T
    )
    s, e = s * exp_, e * exp_
    return Counts(s, e, s + e)


# ----------------------------------------------------------------------------------------------
# sensitivity


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
    b = _scalar("background", b, "≥ 0 (expected events)", 0.0, lo_open=False)
    cl = _check_cl(cl)
    from scipy.special import gammainccinv  # lazily: the dashboard kernel stays light

    return float(gammainccinv(b + 1.0, 1.0 - cl) - b)


def _check_cl(cl):
    c = _scalar("cl", cl, "a confidence level in the open interval (0, 1)", None)
    if not 0.0 < c < 1.0:
        raise ValueError(f"cl must lie in the open interval (0, 1), got {cl!r}")
    return c


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


_REF = {"mu": 1e-10, "q": 1e-13, "r2": 1e-32 * cm2}  # where N_EM is sampled (exact scaling)
_LIMITS = {"q": Q_MAX, "r2": R2_MAX}


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
        cand = [qv / b] + ([-rhs / qv] if qv != 0 else [])
        roots.extend(cand)
    pos = [r for r in roots if r > 0 and math.isfinite(r)]
    return min(pos) if pos else math.inf


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
    binding="stepping",
    form_factor=None,
    sin2w=SIN2W_DEFAULT,
    quenching=None,
    k=None,
    efficiency=None,
    n_E=N_E_DEFAULT,
    n_T=N_T_DEFAULT,
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
    experiment's own window instead (the rates panel's set-ups do). The parameter is excluded when its extra counts |N_EM| exceed the classical
    Poisson upper limit s = :func:`poisson_upper_limit` (b, cl). One parameter at a time (the
    others 0). N_EM = μν² N₁ exactly (eq. 8 adds incoherently), so μν = √(s/N₁); for qν and ⟨r²⟩
    N_EM = a x + b x² exactly (the shift of g_V or C_V is linear in x and the cross section
    quadratic in it) and the smallest x > 0 with |a x + b x²| = s is returned (a deficit counts
    like an excess: a symmetric approximation). ``sign=-1`` scans negative qν or ⟨r²⟩.

    Parameters
    ----------
    src, material, channel, binding, form_factor, sin2w, quenching, k, efficiency : as in
        :func:`counts`
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
    mat, _, _, _, helm, sin2w = _common(
        src, material, channel, 0.0, 0.0, 0.0, binding, form_factor, sin2w
    )
    check_choice("parameter", parameter, set(PARAMETERS))
    exp_ = _scalar("exposure", exposure, "> 0 (mass × time, e.g. 1 * kg * 365 * day)", 0.0)
    lo, hi = _check_window(threshold, T_max)
    bkg = _scalar(
        "background", background, "≥ 0 (events per mass · time · energy)", 0.0, lo_open=False
    )
    cl = _check_cl(cl)
    if sign not in (1, -1):
        raise ValueError(f"sign must be +1 or -1, got {sign!r}")
    quench = _check_quenching(quenching, k, channel)
    eff = _efficiency_fn(efficiency)
    n_E, n_T = _check_n("n_E", n_E), _check_n("n_T", n_T)
    return _sensitivity(
        src,
        mat,
        channel,
        binding,
        helm,
        sin2w,
        exp_,
        lo,
        hi,
        bkg,
        parameter,
        cl,
        sign,
        quench,
        eff,
        n_E,
        n_T,
    )


def _sensitivity(
    src,
    mat,
    channel,
    binding,
    helm,
    sin2w,
    exp_,
    lo,
    hi,
    bkg,
    parameter,
    cl,
    sign,
    quench,
    eff,
    n_E,
    n_T,
):
    def em_counts(x):
        kw = {"mu": 0.0, "q": 0.0, "r2": 0.0}
        kw[parameter] = x
        return (
            exp_
            * _counts(
                src,
                mat,
                channel,
                kw["mu"],
                kw["q"],
                kw["r2"],
                binding,
                helm,
                sin2w,
                lo,
                hi,
                quench,
                eff,
                n_E,
                n_T,
            )[1]
        )

    n_sm = (
        exp_
        * _counts(
            src, mat, channel, 0.0, 0.0, 0.0, binding, helm, sin2w, lo, hi, quench, eff, n_E, n_T
        )[0]
    )
    if math.isinf(hi):
        masses = [ME] if channel == "electron" else [iso.mass for _, iso in _atoms(mat, channel)]
        end = _kinematic_end(src, masses)
        if quench is not None:
            end = max(
                float(
                    _lindhard(
                        np.asarray(end),
                        t.Z,
                        lindhard_k(t.Z, t.Z + t.N) if quench == "lindhard" else quench,
                    )
                )
                * end
                for t, _ in mat.atoms
                if t.Z > 1
            )
        width = max(end - lo, 0.0)
    else:
        width = hi - lo
    n_b = bkg * exp_ * width
    s = poisson_upper_limit(n_sm + n_b, cl)
    if parameter == "mu":
        ref = _REF["mu"]
        n1 = em_counts(ref) / ref**2
        value = math.sqrt(s / n1) if n1 > 0 else math.inf
    else:
        x0 = sign * _REF[parameter]
        value = math.inf
        for _ in range(3):  # refit the exact quadratic near the answer (rounding only)
            up, down = em_counts(x0), em_counts(-x0)
            a = (up - down) / (2.0 * abs(x0))
            b = (up + down) / (2.0 * x0 * x0)
            value = _smallest_root(a, b, s)
            if not math.isfinite(value) or abs(value / abs(x0) - 1.0) < 1e-3:
                break
            x0 = sign * min(value, _LIMITS[parameter])
        value = sign * value if math.isfinite(value) else math.inf
    return Sensitivity(value, parameter, s, n_sm, n_b, cl)


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
        w = _scalar("window", window, "a number > 1 (T_max = window × threshold)", 1.0)
        if "T_max" in kwargs:
            raise ValueError("give either window or T_max, not both")
    out = []
    for t in th.ravel():
        if window is not None:
            kwargs["T_max"] = w * t
        out.append(float(sensitivity(src, material, exposure, t, background, channel, **kwargs)))
    out = np.array(out).reshape(th.shape)
    return float(out) if out.ndim == 0 else out
