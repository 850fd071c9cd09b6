"""Neutrino sources: fluxes at the detector as sums of flavour components (DESIGN §4.16).

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

import csv
import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import resources

import numpy as np
from hepunits import MeV, cm2, s

from ._validate import as_float_array, check_choice
from .neutrino import FLAVOURS

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
# quadrature helpers (shared with rates)


@functools.lru_cache(maxsize=32)
def gauss_legendre01(n: int):
    """Gauss–Legendre nodes and weights on [0, 1] (n points), cached."""
    x, w = np.polynomial.legendre.leggauss(int(n))
    return 0.5 * (x + 1.0), 0.5 * w


def _integrate(fn, a: float, b: float, breaks=(), panels: int = 48, order: int = 24) -> float:
    """∫_a^b fn by composite Gauss–Legendre (panels per piece between breaks); no warnings."""
    pts = np.unique(np.clip(np.array([a, *breaks, b], dtype=float), a, b))
    u, w = gauss_legendre01(order)
    edges = np.concatenate(
        [np.linspace(lo, hi, panels + 1)[:-1] for lo, hi in itertools.pairwise(pts)] + [pts[-1:]]
    )
    lo, hi = edges[:-1], edges[1:]
    E = lo[:, None] + (hi - lo)[:, None] * u
    return float(np.sum(np.asarray(fn(E)) * ((hi - lo)[:, None] * w)))


# ----------------------------------------------------------------------------------------------
# components and sources


@dataclass(frozen=True)
class Component:
    """One flavour state of a source: a spectrum on [E_lo, E_hi] or a line at ``energy``.

    Attributes
    ----------
    flavour : {"e", "mu", "tau"}
    anti : bool
    flux : float        total flux of this component, per area · time
    energy : float or None   line energy (None for a spectrum)
    E_lo, E_hi : float  support of the spectrum (both equal ``energy`` for a line)
    breaks : tuple      energies where the spectrum has a kink (quadrature nodes split there)
    label : str
    """

    flavour: str
    anti: bool
    flux: float
    energy: float | None = None
    E_lo: float = 0.0
    E_hi: float = 0.0
    breaks: tuple = ()
    label: str = ""
    _shape: Callable | None = field(default=None, repr=False, compare=False)

    @property
    def is_line(self) -> bool:
        return self.energy is not None

    def _density(self, E):
        """Unchecked dΦ/dE at E inside [E_lo, E_hi] (no masking)."""
        return self.flux * self._shape(E)

    def dphi_dE(self, E):
        """dΦ/dE per area · time · energy at E (0 outside [E_lo, E_hi]; a line has no density)."""
        E = as_float_array("E", E)
        if self.is_line:
            out = np.zeros_like(E)
        else:
            inside = (E >= self.E_lo) & (E <= self.E_hi)
            Es = np.where(inside, E, 0.5 * (self.E_lo + self.E_hi))
            out = np.where(inside, self._density(Es), 0.0)
        return float(out) if out.ndim == 0 else out

    def scaled(self, factor: float) -> Component:
        return replace(self, flux=self.flux * factor)

    def __repr__(self) -> str:
        nu = ("ν̄" if self.anti else "ν") + "_" + {"e": "e", "mu": "μ", "tau": "τ"}[self.flavour]
        what = (
            f"line {self.energy / MeV:g} MeV"
            if self.is_line
            else f"{self.E_lo / MeV:g}–{self.E_hi / MeV:g} MeV"
        )
        return (
            f"Component({self.label or 'user'}: {nu}, {what}, Φ={self.flux * cm2 * s:.4g} cm⁻²s⁻¹)"
        )


@dataclass(frozen=True)
class Source:
    """A neutrino source at the detector: a sum of :class:`Component` s.

    ``a + b`` joins two sources; ``k * src`` scales every flux by k ≥ 0.
    """

    components: tuple

    @property
    def total_flux(self) -> float:
        """Σ of the components' fluxes, per area · time."""
        return float(sum(c.flux for c in self.components))

    @property
    def E_max(self) -> float:
        """The highest neutrino energy of any component."""
        return max(c.energy if c.is_line else c.E_hi for c in self.components)

    def dphi_dE(self, E, flavour=None, anti=None):
        """Σ of the spectral components' dΦ/dE (optionally of one flavour / ν or ν̄ only)."""
        E = as_float_array("E", E)
        out = np.zeros_like(E)
        for c in self.components:
            if (flavour is None or c.flavour == flavour) and (anti is None or c.anti == anti):
                out = out + c.dphi_dE(E)
        return float(out) if out.ndim == 0 else out

    def __add__(self, other) -> Source:
        if not isinstance(other, Source):
            return NotImplemented
        return Source(self.components + other.components)

    def __mul__(self, factor) -> Source:
        f = _nonneg_scalar("factor", factor)
        return Source(tuple(c.scaled(f) for c in self.components))

    __rmul__ = __mul__

    def __repr__(self) -> str:
        inner = ",\n  ".join(repr(c) for c in self.components)
        return f"Source(Φ={self.total_flux * cm2 * s:.4g} cm⁻²s⁻¹,\n  {inner})"


# ----------------------------------------------------------------------------------------------
# validation


def _positive_scalar(name, value, unit_hint="") -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number > 0{unit_hint}, got {value!r}") from None
    if not math.isfinite(v) or v <= 0.0:
        raise ValueError(f"{name} must be > 0 (allowed: 0 < {name} < ∞){unit_hint}, got {value!r}")
    return v


def _nonneg_scalar(name, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a real number ≥ 0, got {value!r}") from None
    if not math.isfinite(v) or v < 0.0:
        raise ValueError(f"{name} must be ≥ 0 (allowed: 0 ≤ {name} < ∞), got {value!r}")
    return v


def _flavour(flavour, anti):
    check_choice("flavour", flavour, set(FLAVOURS))
    if not isinstance(anti, bool):
        raise ValueError(f"anti must be True or False, got {anti!r}")


def _spectrum(fn, E_lo, E_hi, flux, flavour, anti, breaks=(), label=""):
    """A spectral component with shape ``fn`` scaled so that ∫ dΦ/dE = flux."""
    norm = _integrate(fn, E_lo, E_hi, breaks)
    if not norm > 0.0:
        raise ValueError(
            f"the spectrum of {label or 'the source'} integrates to {norm!r}; need > 0"
        )

    def shape(E, fn=fn, norm=norm):
        return fn(E) / norm

    return Component(
        flavour, anti, flux, None, float(E_lo), float(E_hi), tuple(breaks), label, shape
    )


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
    _flavour(flavour, anti)
    lo = float(as_float_array("E_min", E_min))
    hi = float(as_float_array("E_max", E_max))
    if lo < 0.0:
        raise ValueError(f"E_min must be ≥ 0, got {E_min!r}")
    if not hi > lo:
        raise ValueError(f"E_max must be > E_min = {lo!r}, got {E_max!r}")
    flux = _positive_scalar("flux", flux, " (per area per time, e.g. 1e10 / (cm2 * s))")
    if not callable(fn):
        raise ValueError(f"fn must be a callable fn(E) returning dΦ/dE's shape, got {fn!r}")
    probe = np.linspace(lo, hi, 1001)
    try:
        vals = np.broadcast_to(np.asarray(fn(probe), dtype=float), probe.shape)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"fn must accept an array of energies and return numbers: {exc}") from None
    _check_spectrum_values("fn(E)", vals, probe)
    return Source((_spectrum(fn, lo, hi, flux, flavour, anti, (), label),))


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
    _flavour(flavour, anti)
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
    target_flux = total if flux is None else _positive_scalar("flux", flux)
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
    _flavour(flavour, anti)
    e = _positive_scalar("E0", E0, " (energy, e.g. 0.8613 * MeV)")
    f = _positive_scalar("flux", flux, " (per area per time, e.g. 1e10 / (cm2 * s))")
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
    d = _positive_scalar("distance", distance, " (a length, e.g. 19.3 * m)")
    rate = _positive_scalar("proton_rate", proton_rate, " (protons per time, e.g. 5e15 / s)")
    r = _positive_scalar("nu_per_proton", nu_per_proton)
    flux = r * rate / (4.0 * math.pi * d * d)
    e_prompt = (M_PI**2 - M_MU**2) / (2.0 * M_PI)
    prompt = Component("mu", False, flux, e_prompt, e_prompt, e_prompt, (), "π⁺→μ⁺ν_μ (prompt)")
    nue = _spectrum(_michel_nue, 0.0, 0.5 * M_MU, flux, "e", False, (), "μ⁺ decay ν_e")
    numubar = _spectrum(_michel_numubar, 0.0, 0.5 * M_MU, flux, "mu", True, (), "μ⁺ decay ν̄_μ")
    return Source((prompt, nue, numubar))


# ----------------------------------------------------------------------------------------------
# data tables, and the solar and reactor sources (their own modules, re-exported here)


def _csv_rows(name):
    """Rows of ``data/<name>`` as dicts (lines starting with ``#`` are comments)."""
    text = resources.files(__package__).joinpath(f"data/{name}").read_text()
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


# solar_spectra and reactor_spectra import the core above from this module; explorer.physics
# always imports this module first, so the names they need exist when they load.
from .reactor_spectra import (  # noqa: E402
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
from .solar_spectra import (  # noqa: E402
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
