"""Solar neutrinos at the Earth: B16-GS98 fluxes, spectral shapes and the LMA survival probability.

Re-exported by :mod:`explorer.physics.sources` (``sources.solar``, ``sources.lma_survival``, …),
which is the public home of these names (docs/design.md, "Physics API"). Data tables:
``data/solar_b16_gs98.csv`` (fluxes) and ``data/b8_winter2006.csv`` (the measured ⁸B spectrum), each
named in ``data/REFERENCE``.

>>> from hepunits import cm2, s, MeV
>>> src = solar(("8B",), p_ee=1.0)
>>> f"{src.total_flux * cm2 * s:.3e}", round(src.E_max / MeV, 1)
('5.460e+06', 15.3)
"""

from __future__ import annotations

import functools
import math

import numpy as np
from hepunits import MeV, cm2, cm3, eV, s

from ._validate import as_float_array, check_choice
from .constants import ALPHA, G_FERMI, HBARC, ME
from .flux import Component, Source, csv_rows, integrate, spectrum
from .targets import atomic_mass

__all__ = [
    "B8_SHAPES",
    "LMA",
    "SOLAR_FLUXES",
    "b8_spectrum",
    "lma_survival",
    "solar",
]


@functools.cache
def _solar_fluxes() -> dict:
    return {r["source"]: float(r["flux_cm2_s"]) / (cm2 * s) for r in csv_rows("solar_b16_gs98.csv")}


#: B16-GS98 fluxes (Vinyoles et al., ApJ 835, 202 (2017)), per area · time, from data/.
SOLAR_FLUXES = _solar_fluxes()

#: ⁷Be lines (energy, branching): Bahcall, "Neutrino Astrophysics" (1989); docs/design.md, "Sources
#: and effective moments".
BE7_LINES = ((0.8613 * MeV, 0.897), (0.3843 * MeV, 0.103))
#: pep line energy (Bahcall 1989): 2M(¹H) − M(²H) = 1.442 MeV.
PEP_ENERGY = 1.442 * MeV
#: ⁸B effective endpoint of the allowed-shape approximation (``b8_shape="allowed"``).
B8_Q_EFF = 13.0102 * MeV
#: pp endpoint: Q = 2M(¹H) − M(²H) − 2m_e = 0.420 MeV (atomic masses, AME2020 via periodictable).
PP_Q = 2.0 * atomic_mass("H", 1) - atomic_mass("H", 2) - 2.0 * ME
#: The ⁸B shapes of :func:`solar`: the measured spectrum (default) and the old approximation.
B8_SHAPES = ("winter2006", "allowed")


def _allowed_beta_plus(E, Q, Z):
    """Allowed β⁺ neutrino spectrum (unnormalised): E² p W F(−Z, W), W = Q + m_e − E.

    Nuclear recoil neglected; F is the non-relativistic Fermi function 2πη/(1 − e^{−2πη}) with
    η = −Zα W/p for a positron and daughter charge Z (e.g. Bahcall, "Neutrino Astrophysics",
    Cambridge 1989, ch. 6).
    """
    W = np.maximum(Q + ME - E, ME)
    p = np.sqrt(np.maximum(W * W - ME * ME, 0.0))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        eta = -Z * ALPHA * W / p
        fermi = np.where(p > 0, 2.0 * math.pi * eta / (-np.expm1(-2.0 * math.pi * eta)), 0.0)
    return np.where((E >= 0) & (E < Q), E * E * p * W * fermi, 0.0)


@functools.cache
def _b8_table():
    """(E, P) of data/b8_winter2006.csv with the node (0, 0) prepended; E in energy units, P per
    energy normalised to 1 (the table's own trapezoid integral)."""
    rows = csv_rows("b8_winter2006.csv")
    E = np.array([0.0] + [float(r["E_MeV"]) for r in rows]) * MeV
    P = np.array([0.0] + [float(r["P_per_MeV"]) for r in rows])
    P = P / float(np.sum(0.5 * (P[1:] + P[:-1]) * np.diff(E)))
    return E, P


def b8_spectrum(E, shape="winter2006"):
    """The ⁸B neutrino spectrum at production, normalised to 1: dN/dE (1/energy).

    * ``"winter2006"`` (default): the measured spectrum of W. T. Winter et al., Phys. Rev. C 73,
      025503 (2006), Table IV (0.1 MeV steps), linearly interpolated, 0 at E = 0 and from
      15.3 MeV up (data/REFERENCE); mean energy 6.770 MeV.
    * ``"allowed"``: an **approximation** — an allowed β⁺ shape (daughter ⁸Be, Z = 4) with an
      effective endpoint Q_eff = 13.01 MeV that gives the mean energy 6.735 MeV of Bahcall et
      al., Phys. Rev. C 54, 411 (1996). It ignores the width of the ⁸Be 3 MeV final state, so the
      tail above 13 MeV is missing (for CEvNS on xenon above ~2.5 keV that is most of the rate).

    E in energy units (≥ 0); returns per energy (read with ``* MeV``).

    >>> from hepunits import MeV
    >>> round(b8_spectrum(6.5 * MeV) * MeV, 5)                # 131.134/1000 over 0.99999
    0.13114
    """
    check_choice("shape", shape, set(B8_SHAPES))
    E = as_float_array("E", E)
    out = _b8_shape(shape)[0](E)
    return float(out) if out.ndim == 0 else out


@functools.cache
def _pp_density():
    """The pp allowed shape normalised to 1 (per energy)."""
    norm = integrate(lambda E: _allowed_beta_plus(E, PP_Q, 1), 0.0, PP_Q)
    return lambda E: _allowed_beta_plus(E, PP_Q, 1) / norm


@functools.cache
def _b8_shape(shape):
    """(normalised density fn(E), E_hi) of a ⁸B shape."""
    if shape == "allowed":
        norm = integrate(lambda E: _allowed_beta_plus(E, B8_Q_EFF, 4), 0.0, B8_Q_EFF)
        return (lambda E: _allowed_beta_plus(E, B8_Q_EFF, 4) / norm), B8_Q_EFF
    E_tab, P_tab = _b8_table()
    return (lambda E: np.interp(E, E_tab, P_tab, left=0.0, right=0.0)), float(E_tab[-1])


#: Mixing parameters for the LMA survival probability: PDG 2022 (R. L. Workman et al.,
#: PTEP 2022, 083C01), "Neutrino masses, mixing and oscillations" summary.
LMA = {"sin2_theta12": 0.307, "sin2_theta13": 0.0220, "dm2_21": 7.53e-5 * eV**2}
#: Electron density at neutrino production, n_e = 100 N_A cm⁻³ (solar core, Bahcall &
#: Pinsonneault SSMs); one value for every solar source (an approximation, see lma_survival).
SOLAR_CORE_NE = 100.0 * 6.02214076e23 / cm3


def lma_survival(E, n_e=SOLAR_CORE_NE):
    """Adiabatic MSW-LMA ν_e survival probability at the Earth (day, oscillations averaged).

    P_ee = cos⁴θ₁₃ (½ + ½ cos2θ₁₂ᵐ cos2θ₁₂) + sin⁴θ₁₃, with
    cos2θ₁₂ᵐ = (cos2θ₁₂ − β)/√((cos2θ₁₂ − β)² + sin²2θ₁₂),
    β = 2√2 G_F n_e E cos²θ₁₃ / Δm²₂₁ (e.g. PDG 2022 review "Neutrino masses, mixing and
    oscillations", solar section; Maltoni & Smirnov, Eur. Phys. J. A 52, 87 (2016)).
    Mixing parameters: :data:`LMA` (PDG 2022). n_e in number per volume (hepunits, per mm³);
    default 100 N_A cm⁻³ for every source (production-region averaging ignored: a few % on P_ee
    for ⁸B). Limits: ≈ 0.55 at low E (vacuum averaged), → ≈ sin²θ₁₂ cos⁴θ₁₃ at high E.

    >>> from hepunits import keV, MeV
    >>> round(float(lma_survival(1 * keV)), 3), round(float(lma_survival(10 * MeV)), 3)
    (0.55, 0.319)
    """
    E = as_float_array("E", E)
    s12, s13 = LMA["sin2_theta12"], LMA["sin2_theta13"]
    c2 = 1.0 - 2.0 * s12
    sin2_2 = 4.0 * s12 * (1.0 - s12)
    c13sq = 1.0 - s13
    # √2 G_F n_e: G_F in MeV⁻², n_e per mm³ → × (ħc)³ (MeV·mm)³ gives MeV
    v = math.sqrt(2.0) * G_FERMI * n_e * HBARC**3
    beta = 2.0 * v * E * c13sq / LMA["dm2_21"]
    c2m = (c2 - beta) / np.sqrt((c2 - beta) ** 2 + sin2_2)
    out = c13sq**2 * (0.5 + 0.5 * c2m * c2) + s13 * s13
    return float(out) if out.ndim == 0 else out


def _survival(p_ee):
    """The survival probability P_ee(E) of :func:`solar`: LMA (None) or a constant in [0, 1]."""
    if p_ee is None:
        return lma_survival
    try:
        p = float(p_ee)
    except (TypeError, ValueError):
        raise ValueError(f"p_ee must be None (LMA) or a number in [0, 1], got {p_ee!r}") from None
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p_ee must lie in [0, 1] (or be None for LMA), got {p_ee!r}")
    return lambda E: np.full(np.shape(E), p)


def _split_line(out, prob, E0, flux, label):
    """A line as a ν_e part (P_ee) and a ν_μ part (1 − P_ee), appended to ``out``."""
    pe = float(prob(np.asarray(E0)))
    for flavour, f in (("e", pe), ("mu", 1.0 - pe)):
        if f > 0.0:
            out.append(Component(flavour, False, flux * f, E0, E0, E0, (), label))


def _split_spectrum(out, prob, density, E_hi, flux, label, kinks=()):
    """A normalised spectrum × flux as a ν_e part and a ν_μ part, appended to ``out``.

    ``kinks`` split the quadrature of each part's flux (so that the parts add up to ``flux`` to
    rounding) but are not handed on as the components' breaks: a tabulated spectrum's many nodes
    would multiply the work of every rate, for a change below 1e-7.
    """
    for flavour, weight in (("e", prob), ("mu", lambda E: 1.0 - prob(E))):

        def fn(E, weight=weight):
            return flux * density(E) * weight(E)

        f = integrate(fn, 0.0, E_hi, kinks, panels=8 if kinks else 48)
        if f > 0.0:
            out.append(spectrum(fn, 0.0, E_hi, f, flavour, False, (), label))


def solar(components=("pp", "7Be", "pep", "8B"), p_ee=None, b8_shape="winter2006"):
    """Solar neutrinos at the Earth, B16-GS98 standard solar model (Vinyoles et al., ApJ 835,
    202 (2017)): pp 5.98e10, ⁷Be 4.93e9, pep 1.44e8, ⁸B 5.46e6 cm⁻² s⁻¹.

    Shapes:

    * pp: allowed β⁺ spectrum with the Fermi function (daughter ²H, Z = 1), endpoint
      Q = 2M(¹H) − M(²H) − 2m_e = 0.420 MeV (mean 0.2647 MeV; Bahcall's 0.2668 MeV includes
      thermal and recoil effects);
    * ⁷Be: lines at 0.8613 MeV (89.7 %) and 0.3843 MeV (10.3 %); pep: line at 1.442 MeV;
    * ⁸B: ``b8_shape="winter2006"`` (default), the measured spectrum of Winter et al., Phys. Rev.
      C 73, 025503 (2006), normalised to the B16-GS98 flux; ``"allowed"`` the allowed-shape
      approximation kept for comparison (see :func:`b8_spectrum`).

    Flavour at the detector: ``p_ee=None`` uses the adiabatic LMA survival probability
    :func:`lma_survival` (PDG 2022 mixing); a number in [0, 1] is a constant P_ee. The ν_e
    component carries P_ee, and the rest (ν_μ and ν_τ, which scatter alike at this order) is one
    "mu" component carrying 1 − P_ee.

    >>> from hepunits import cm2, s
    >>> f"{solar(('pp',)).total_flux * cm2 * s:.3e}"
    '5.980e+10'
    """
    if isinstance(components, str):
        components = (components,)
    for c in components:
        check_choice("components", c, {"pp", "7Be", "pep", "8B"})
    if not components:
        raise ValueError("components must name at least one of 'pp', '7Be', 'pep', '8B'")
    check_choice("b8_shape", b8_shape, set(B8_SHAPES))
    prob, fl, out = _survival(p_ee), SOLAR_FLUXES, []
    for name in components:
        if name == "pp":
            _split_spectrum(out, prob, _pp_density(), PP_Q, fl["pp"], "pp")
        elif name == "8B":
            density, E_hi = _b8_shape(b8_shape)
            kinks = tuple(_b8_table()[0][1:-1]) if b8_shape == "winter2006" else ()
            _split_spectrum(out, prob, density, E_hi, fl["8B"], "⁸B", kinks)
        elif name == "pep":
            _split_line(out, prob, PEP_ENERGY, fl["pep"], "pep")
        else:
            for E0, br in BE7_LINES:
                _split_line(out, prob, E0, fl["7Be"] * br, f"⁷Be {E0 / MeV * 1000:.1f} keV")
    return Source(tuple(out))
