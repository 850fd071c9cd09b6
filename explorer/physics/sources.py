"""Neutrino sources: fluxes at the detector as sums of flavour components (docs/design.md, "Sources
and effective moments").

A :class:`Source` is a sum of :class:`Component` s. Each component is one flavour state
(flavour "e" | "mu" | "tau", ν or ν̄) with either

* a spectrum dΦ/dE on [E_lo, E_hi] (per area · time · energy, hepunits; vectorised), or
* a line: energy E0 and flux Φ (per area · time).

Units follow hepunits: ``src.total_flux / (1 / (cm2 * s))`` reads a flux in cm⁻² s⁻¹.

Constructors
------------
:func:`from_function`, :func:`tabulated` (a user's own spectrum), :func:`line`,
:func:`pion_dar` (π⁺ decay at rest), :func:`solar` (B16-GS98 standard solar model, the measured
⁸B spectrum; code in :mod:`~explorer.physics.solar_spectra`), :func:`reactor` (Huber/Mueller
fission spectra and ²³⁸U capture ν̄; code in :mod:`~explorer.physics.reactor_spectra`). Data
tables live in ``data/`` with a REFERENCE note.

In event rates (:mod:`explorer.physics.rates`) μν, qν and ⟨r²⟩ are *effective*,
flavour-independent parameters: every component is scattered with the same values.

>>> from hepunits import MeV, cm2, s
>>> src = line(1 * MeV, 1e10 / (cm2 * s)) + line(2 * MeV, 1e10 / (cm2 * s), flavour="mu")
>>> f"{src.total_flux * cm2 * s:.1e}", len(src.components)
('2.0e+10', 2)
"""

from __future__ import annotations

import math

import numpy as np
from hepunits import MeV

from ._validate import as_float_array, check_flavour, check_positive_scalar
from .flux import Component, Source, spectrum
from .neutrino import FLAVOURS
from .reactor_spectra import (
    DEFAULT_FRACTIONS,
    FISSION_ISOTOPES,
    LOW_ENERGY_REL_UNCERTAINTY,
    REACTOR_E_JOIN,
    REACTOR_E_MAX,
    U238_CAPTURES_PER_FISSION,
    antineutrinos_per_fission,
    capture_spectrum,
    fission_spectrum,
    mean_energy_per_fission,
    reactor,
    reactor_band,
)
from .solar_spectra import (
    B8_Q_EFF,
    B8_SHAPES,
    BE7_LINES,
    LMA,
    PEP_ENERGY,
    PP_Q,
    SOLAR_CORE_NE,
    SOLAR_FLUXES,
    b8_spectrum,
    lma_survival,
    solar,
)

__all__ = [
    "B8_Q_EFF",
    "B8_SHAPES",
    "BE7_LINES",
    "DEFAULT_FRACTIONS",
    "FISSION_ISOTOPES",
    "LMA",
    "LOW_ENERGY_REL_UNCERTAINTY",
    "M_MU",
    "M_PI",
    "PEP_ENERGY",
    "PP_Q",
    "REACTOR_E_JOIN",
    "REACTOR_E_MAX",
    "SOLAR_CORE_NE",
    "SOLAR_FLUXES",
    "U238_CAPTURES_PER_FISSION",
    "Component",
    "Source",
    "antineutrinos_per_fission",
    "b8_spectrum",
    "capture_spectrum",
    "fission_spectrum",
    "from_function",
    "line",
    "lma_survival",
    "mean_energy_per_fission",
    "pion_dar",
    "reactor",
    "reactor_band",
    "solar",
    "tabulated",
]

#: Charged-pion and muon masses (PDG 2022, Review of Particle Physics), energy units.
M_PI = 139.57039 * MeV
M_MU = 105.6583755 * MeV

# ----------------------------------------------------------------------------------------------
# generic constructors


def from_function(fn, E_min, E_max, flux, flavour="e", anti=False, label="user"):
    """A source whose spectrum has the shape ``fn(E)``, normalised so that ∫ dΦ/dE dE = flux.

    Parameters
    ----------
    fn : callable, vectorised: E (array, energy units) → non-negative finite values
        Shape of dΦ/dE; only its shape matters.
    E_min, E_max : float, energy units, 0 ≤ E_min < E_max
    flux : float, per area · time, > 0   (e.g. ``1e10 / (cm2 * s)``)
    flavour : {"e", "mu", "tau"};  anti : bool

    The normalisation integral uses composite Gauss–Legendre quadrature (48 × 24 nodes),
    exact to rounding for smooth shapes. ``fn`` is checked on 1001 points: a negative or
    non-finite value raises ValueError.

    >>> from hepunits import MeV, cm2, s
    >>> src = from_function(lambda E: E**2, 0, 2 * MeV, 3e6 / (cm2 * s))
    >>> c = src.components[0]
    >>> round(c.dphi_dE(1 * MeV) * cm2 * s * MeV)      # 3e6 × E²/(8/3) at 1 MeV
    1125000
    """
    check_flavour(flavour, anti, FLAVOURS)
    lo = float(as_float_array("E_min", E_min))
    hi = float(as_float_array("E_max", E_max))
    if lo < 0.0:
        raise ValueError(f"E_min must be ≥ 0, got {E_min!r}")
    if not hi > lo:
        raise ValueError(f"E_max must be > E_min = {lo!r}, got {E_max!r}")
    flux = check_positive_scalar("flux", flux, " (per area per time, e.g. 1e10 / (cm2 * s))")
    if not callable(fn):
        raise ValueError(f"fn must be a callable fn(E) returning dΦ/dE's shape, got {fn!r}")
    probe = np.linspace(lo, hi, 1001)
    try:
        vals = np.broadcast_to(np.asarray(fn(probe), dtype=float), probe.shape)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"fn must accept an array of energies and return numbers: {exc}") from None
    _check_spectrum_values("fn(E)", vals, probe)
    return Source((spectrum(fn, lo, hi, flux, flavour, anti, (), label),))


def _check_spectrum_values(name, vals, E):
    bad = ~np.isfinite(vals)
    if np.any(bad):
        i = int(np.argmax(bad))
        raise ValueError(f"{name} must be finite, got {vals[i]!r} at E = {E[i] / MeV:g} MeV")
    if np.any(vals < 0):
        i = int(np.argmin(vals))
        raise ValueError(f"{name} must be ≥ 0, got {vals[i]!r} at E = {E[i] / MeV:g} MeV")
    if not np.any(vals > 0):
        raise ValueError(f"{name} is zero everywhere on [{E[0] / MeV:g}, {E[-1] / MeV:g}] MeV")


def tabulated(E, dphi_dE, flavour="e", anti=False, flux=None, label="table"):
    """A user's own spectrum from a table, linearly interpolated (0 outside the table).

    Parameters
    ----------
    E : array, energy units, strictly increasing, ≥ 2 points, E ≥ 0
    dphi_dE : array, per area · time · energy, ≥ 0 and finite
    flux : None or float   None: the table's own normalisation (trapezoid integral, exact for
        the linear interpolant); a number: rescale the table to this total flux.

    >>> from hepunits import MeV, cm2, s
    >>> import numpy as np
    >>> t = tabulated(np.array([1, 2, 3]) * MeV, np.array([0, 2e6, 0]) / (cm2 * s * MeV))
    >>> f"{t.total_flux * cm2 * s:.3g}"
    '2e+06'
    """
    check_flavour(flavour, anti, FLAVOURS)
    E = as_float_array("E", E).ravel()
    y = np.asarray(dphi_dE, dtype=float).ravel()
    if E.size < 2 or y.shape != E.shape:
        raise ValueError(
            f"E and dphi_dE must be 1-D arrays of the same length ≥ 2, got {E.size} and {y.size}"
        )
    if E[0] < 0 or np.any(np.diff(E) <= 0):
        raise ValueError("E must be ≥ 0 and strictly increasing")
    _check_spectrum_values("dphi_dE", y, E)
    total = float(np.sum(0.5 * (y[1:] + y[:-1]) * np.diff(E)))
    target_flux = total if flux is None else check_positive_scalar("flux", flux)
    xp, fp = E.copy(), y / total

    def shape(e, xp=xp, fp=fp):
        return np.interp(e, xp, fp)

    # split the quadrature at the table's nodes (kinks of the interpolant) when there are few
    breaks = tuple(E[1:-1]) if E.size <= 65 else ()
    comp = Component(
        flavour, anti, target_flux, None, float(E[0]), float(E[-1]), breaks, label, shape
    )
    return Source((comp,))


def line(E0, flux, flavour="e", anti=False, label="line"):
    """A monoenergetic source: energy E0 (> 0), flux per area · time (> 0).

    >>> from hepunits import MeV, cm2, s
    >>> line(0.8613 * MeV, 4.4e9 / (cm2 * s)).components[0].energy / MeV
    0.8613
    """
    check_flavour(flavour, anti, FLAVOURS)
    e = check_positive_scalar("E0", E0, " (energy, e.g. 0.8613 * MeV)")
    f = check_positive_scalar("flux", flux, " (per area per time, e.g. 1e10 / (cm2 * s))")
    return Source((Component(flavour, anti, f, e, e, e, (), label, None),))


# ----------------------------------------------------------------------------------------------
# pion decay at rest


def _michel_nue(E):
    """ν_e from μ⁺ → e⁺ ν_e ν̄_μ at rest: (192/m_μ) x² (1/2 − x), x = E/m_μ ≤ 1/2 (norm 1)."""
    x = E / M_MU
    return (192.0 / M_MU) * x * x * (0.5 - x)


def _michel_numubar(E):
    """ν̄_μ from μ⁺ decay at rest: (64/m_μ) x² (3/4 − x), x = E/m_μ ≤ 1/2 (norm 1)."""
    x = E / M_MU
    return (64.0 / M_MU) * x * x * (0.75 - x)


def pion_dar(distance, proton_rate, nu_per_proton=0.08):
    """π⁺ decay at rest (a spallation source such as the SNS of COHERENT): three components.

    * prompt ν_μ line from π⁺ → μ⁺ ν_μ at E = (m_π² − m_μ²)/(2 m_π) = 29.79 MeV (PDG 2022 masses);
    * delayed ν_e and ν̄_μ from μ⁺ → e⁺ ν_e ν̄_μ, Michel spectra (V−A, no radiative corrections;
      e.g. Louis, Los Alamos Science 25 (1997); COHERENT, Science 357, 1123 (2017), Fig. 1):
      ν_e: (192/m_μ) x²(½ − x), ν̄_μ: (64/m_μ) x²(¾ − x), x = E/m_μ ∈ [0, ½], each normalised to 1.

    Each flavour has flux r · proton_rate / (4π d²), isotropic.

    Parameters
    ----------
    distance : length (> 0), e.g. ``19.3 * m``
    proton_rate : protons on target per time (> 0), e.g. ``1.76e23 / (308.1 * day)``
    nu_per_proton : r, neutrinos of each flavour per proton (> 0; 0.08 for the SNS, COHERENT 2017)

    >>> from hepunits import m, s, MeV
    >>> src = pion_dar(20 * m, 5e15 / s)
    >>> round(src.components[0].energy / MeV, 3), len(src.components)
    (29.792, 3)
    """
    d = check_positive_scalar("distance", distance, " (a length, e.g. 19.3 * m)")
    rate = check_positive_scalar("proton_rate", proton_rate, " (protons per time, e.g. 5e15 / s)")
    r = check_positive_scalar("nu_per_proton", nu_per_proton)
    flux = r * rate / (4.0 * math.pi * d * d)
    e_prompt = (M_PI**2 - M_MU**2) / (2.0 * M_PI)
    prompt = Component("mu", False, flux, e_prompt, e_prompt, e_prompt, (), "π⁺→μ⁺ν_μ (prompt)")
    nue = spectrum(_michel_nue, 0.0, 0.5 * M_MU, flux, "e", False, (), "μ⁺ decay ν_e")
    numubar = spectrum(_michel_numubar, 0.0, 0.5 * M_MU, flux, "mu", True, (), "μ⁺ decay ν̄_μ")
    return Source((prompt, nue, numubar))
