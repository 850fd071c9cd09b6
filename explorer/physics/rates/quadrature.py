"""The Eν integral of an event rate, ∫_{E ≥ E_min(T)} dΦ/dE · σ(T, E) dE, and the log-T nodes of
counts: the numerics of :mod:`explorer.physics.rates`, with no validation (the checked outer
functions of :mod:`~explorer.physics.rates.spectra` and :mod:`~explorer.physics.rates.counting`
validate).

E_min(T) = (T + √(T² + 2MT))/2 is the exact inverse of T_max = 2E²/(2E + M) (paper eq. 4;
M = m_e for ν–e, the nuclear mass of each isotope for CEvNS). The integral starts at E_min(T)
*exactly* for every T: the magnetic integrand does not vanish there, and a fixed Eν grid that
ignores E_min loses up to ~10⁻³ of the EM rate. Two equivalent routes:

* moments (:func:`spectral_many`): at fixed T every cross section here is a quadratic
  polynomial in 1/Eν, so ∫ dΦ/dE σ dE = Σ_k a_k(T) M_k(E_min(T)); the a_k are fitted exactly from
  the kernels at three energies per T (and checked at a fourth — otherwise the grid route is
  used), and the moments M_k = ∫_{E_min}^{E_hi} dΦ/dE E^{-k} dE come from cumulative sums over
  tabulation nodes plus the partial panel that starts at E_min(T). A 200-bin spectrum costs a few ms.
* grid (:func:`spectral_grid`): a per-T grid E = E_min(T) + (E_hi − E_min(T)) u on fixed
  Gauss–Legendre nodes u ∈ (0, 1), split at the spectrum's kinks (e.g. the reactor's 2 MeV join).

Both agree with adaptive quadrature to ~10⁻¹³–10⁻⁸ for the built-in spectra
(tests/physics/test_rates.py).
"""

from __future__ import annotations

import itertools

import numpy as np

from .._validate import check_finite_nonneg
from ..flux import gauss_legendre01

__all__ = [
    "e_min",
    "e_min_lite",
    "log_nodes",
    "moment_table",
    "moments",
    "spectral_grid",
    "spectral_many",
]


def e_min(T, mass):
    """E_min(T) = (T + √(T² + 2MT))/2: the smallest Eν that gives recoil T (inverse of eq. 4).

    T ≥ 0 and the target mass M in energy units; returns an energy.

    >>> from hepunits import keV, MeV
    >>> from explorer.physics.kinematics import t_max
    >>> from explorer.physics.constants import ME
    >>> E = e_min(300 * keV, ME)
    >>> round(t_max(E, ME) / keV, 9)
    300.0
    """
    T = check_finite_nonneg("T", T)
    out = e_min_lite(T, float(mass))
    return float(out) if out.ndim == 0 else out


def e_min_lite(T, M):
    """E_min(T) on arrays; no validation: :func:`e_min` validates."""
    return 0.5 * (T + np.sqrt(T * T + 2.0 * M * T))


def spectral_grid(T, comp, M, kernel, n_E):
    """(sm, em, total) of ∫ dΦ/dE σ(T, E) dE over E ≥ E_min(T, M): per-T mapped grid.

    ``kernel(T, E)`` returns (sm, em, total) cross sections; ``comp`` a spectral Component.
    """
    emin = e_min_lite(T, M)
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
        wphi = comp.density(E) * (length[:, None] * w)
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


def _weighted_moments(comp, lo, length, u, w):
    """Σ over nodes of φ E^{-k} × weight, k = 0, 1, 2, for panels [lo, lo + length]."""
    E = lo[:, None] + length[:, None] * u
    f = comp.density(E) * (length[:, None] * w)
    inv = 1.0 / E
    return np.stack((f.sum(1), (f * inv).sum(1), (f * inv * inv).sum(1)))


def moment_table(comp, n_E):
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
    per_panel = _weighted_moments(comp, edges[:-1], np.diff(edges), u, w)
    cum = np.zeros((3, len(edges)))
    cum[:, :-1] = np.cumsum(per_panel[:, ::-1], axis=1)[:, ::-1]
    return edges, cum


def moments(lo, comp, table):
    """M_k(lo) = ∫_{lo}^{E_hi} φ E^{-k} dE, k = 0, 1, 2, for an array of lower limits lo."""
    edges, cum = table
    j = np.clip(np.searchsorted(edges, lo, side="right") - 1, 0, len(edges) - 2)
    u, w = gauss_legendre01(_PARTIAL_ORDER)
    part = _weighted_moments(comp, lo, np.maximum(edges[j + 1] - lo, 0.0), u, w)
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


def spectral_many(T, comp, items, n_E, table):
    """Σ over (mass, kernel, weight) items of weight × ∫_{E ≥ E_min(T, M)} dΦ/dE σ dE.

    Every cross section here is, at fixed T, a quadratic polynomial in 1/E (eqs. 6, 8 with the
    qν/⟨r²⟩ shift of g_V; eqs. 13–15, whose (1 − T/T_max) = 1 − T/E − MT/2E²; binding and the
    Helm factor depend on T only). So the Eν integral is Σ_k a_k(T) E_min^k M_k(E_min(T)), with
    a_k fitted exactly from the kernel at three energies per T (and checked at a fourth) and the
    moments M_k taken from :func:`moment_table` plus the partial panel that starts at E_min(T)
    *exactly* (one call for all masses). If the check fails (a kernel that is not quadratic in
    1/E), the per-T mapped grid (:func:`spectral_grid`) is used for that mass.
    """
    total = [np.zeros_like(T) for _ in range(3)]
    pending = []
    for M, kernel, weight in items:
        emin = e_min_lite(T, M)
        lo = np.maximum(emin, comp.E_lo)
        active = (T > 0) & (lo < comp.E_hi)
        if not np.any(active):
            continue
        coeffs = _fit_quadratic(T[active], emin[active], kernel)
        if coeffs is None:
            for acc, part in zip(total, spectral_grid(T, comp, M, kernel, n_E), strict=True):
                acc += weight * part
            continue
        pending.append((active, emin[active], lo[active], coeffs, weight))
    if not pending:
        return tuple(total)
    mom = moments(np.concatenate([p[2] for p in pending]), comp, table)
    start = 0
    for active, emin, _, coeffs, weight in pending:
        n = emin.size
        m = mom[:, start : start + n] * np.stack((np.ones_like(emin), emin, emin * emin))
        start += n
        for acc, a in zip(total, coeffs, strict=True):
            acc[active] += weight * np.einsum("ik,ki->i", a, m)
    return tuple(total)


def log_nodes(lo, hi, breaks, n):
    """Gauss–Legendre nodes and weights in log T on [lo, hi], n per piece between the breaks."""
    pts = np.unique([lo, hi, *[b for b in breaks if lo < b < hi]])
    u, w = gauss_legendre01(n)
    la, lb = np.log(pts[:-1]), np.log(pts[1:])
    t = np.exp(la[:, None] + (lb - la)[:, None] * u)
    wt = t * ((lb - la)[:, None] * w)
    return t.ravel(), wt.ravel()
