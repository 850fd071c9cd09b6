"""Neutrino sources: fluxes at the detector as sums of flavour components (DESIGN §4.16).

A :class:`Source` is a sum of :class:`Component` s. Each component is one flavour state
(flavour "e" | "mu" | "tau", ν or ν̄) with either

* a spectrum dΦ/dE on [E_lo, E_hi] (per area · time · energy, hepunits; vectorised), or
* a line: energy E0 and flux Φ (per area · time).

Units follow hepunits: ``src.total_flux / (1 / (cm2 * s))`` reads a flux in cm⁻² s⁻¹.

Constructors
------------
:func:`from_function`, :func:`tabulated` (a user's own spectrum), :func:`line`,
:func:`pion_dar` (π⁺ decay at rest), :func:`solar` (B16-GS98 standard solar model),
:func:`reactor` (Huber/Mueller fission spectra). Data tables live in ``data/`` with a REFERENCE note.

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
from hepunits import MeV, cm2, cm3, eV, s

from ._validate import as_float_array, check_choice
from .constants import ALPHA, G_FERMI, HBARC, ME
from .neutrino import FLAVOURS
from .targets import atomic_mass

__all__ = [
    "LMA",
    "M_MU",
    "M_PI",
    "SOLAR_FLUXES",
    "Component",
    "Source",
    "from_function",
    "line",
    "lma_survival",
    "pion_dar",
    "reactor",
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
# the Sun


def _csv_rows(name):
    text = resources.files(__package__).joinpath(f"data/{name}").read_text()
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


@functools.cache
def _solar_fluxes() -> dict:
    return {
        r["source"]: float(r["flux_cm2_s"]) / (cm2 * s) for r in _csv_rows("solar_b16_gs98.csv")
    }


#: B16-GS98 fluxes (Vinyoles et al., ApJ 835, 202 (2017)), per area · time, from data/.
SOLAR_FLUXES = _solar_fluxes()

#: ⁷Be lines (energy, branching): Bahcall, "Neutrino Astrophysics" (1989); DESIGN §4.16.
BE7_LINES = ((0.8613 * MeV, 0.897), (0.3843 * MeV, 0.103))
#: pep line energy (Bahcall 1989): 2M(¹H) − M(²H) = 1.442 MeV.
PEP_ENERGY = 1.442 * MeV
#: ⁸B effective endpoint of the allowed-shape approximation (see :func:`solar`).
B8_Q_EFF = 13.0102 * MeV


def _mass(symbol, A):
    return atomic_mass(symbol, A)


#: pp endpoint: Q = 2M(¹H) − M(²H) − 2m_e = 0.420 MeV (atomic masses, AME2020 via periodictable).
PP_Q = 2.0 * _mass("H", 1) - _mass("H", 2) - 2.0 * ME


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


def solar(components=("pp", "7Be", "pep", "8B"), p_ee=None):
    """Solar neutrinos at the Earth, B16-GS98 standard solar model (Vinyoles et al., ApJ 835,
    202 (2017)): pp 5.98e10, ⁷Be 4.93e9, pep 1.44e8, ⁸B 5.46e6 cm⁻² s⁻¹.

    Shapes:

    * pp: allowed β⁺ spectrum with the Fermi function (daughter ²H, Z = 1), endpoint
      Q = 2M(¹H) − M(²H) − 2m_e = 0.420 MeV (mean 0.2647 MeV; Bahcall's 0.2668 MeV includes
      thermal and recoil effects);
    * ⁷Be: lines at 0.8613 MeV (89.7 %) and 0.3843 MeV (10.3 %); pep: line at 1.442 MeV;
    * ⁸B: **approximation** — an allowed β⁺ shape (daughter ⁸Be, Z = 4) with an effective endpoint
      Q_eff = 13.01 MeV chosen so that the mean energy equals 6.735 MeV, the mean of the
      measured-data spectrum of Bahcall et al., Phys. Rev. C 54, 411 (1996). It ignores the
      width of the ⁸Be 3 MeV final state, so the tail above ~13 MeV is missing; for precision
      work pass the tabulated spectrum of Winter et al., Phys. Rev. C 73, 025503 (2006) to
      :func:`tabulated`.

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
    if p_ee is not None:
        try:
            p = float(p_ee)
        except (TypeError, ValueError):
            raise ValueError(
                f"p_ee must be None (LMA) or a number in [0, 1], got {p_ee!r}"
            ) from None
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p_ee must lie in [0, 1] (or be None for LMA), got {p_ee!r}")

        def prob(E, p=p):
            return np.full(np.shape(E), p)
    else:

        def prob(E):
            return lma_survival(E)

    fl = SOLAR_FLUXES
    out = []

    def split_line(E0, flux, label):
        pe = float(prob(np.asarray(E0)))
        for flavour, f in (("e", pe), ("mu", 1.0 - pe)):
            if f > 0.0:
                out.append(Component(flavour, False, flux * f, E0, E0, E0, (), label))

    def split_spectrum(shape, E_hi, flux, label):
        norm = _integrate(shape, 0.0, E_hi)
        for flavour, weight in (("e", prob), ("mu", lambda E: 1.0 - prob(E))):

            def fn(E, weight=weight):
                return flux / norm * shape(E) * weight(E)

            f = _integrate(fn, 0.0, E_hi)
            if f > 0.0:
                out.append(_spectrum(fn, 0.0, E_hi, f, flavour, False, (), label))

    for name in components:
        if name == "pp":
            split_spectrum(lambda E: _allowed_beta_plus(E, PP_Q, 1), PP_Q, fl["pp"], "pp")
        elif name == "8B":
            split_spectrum(lambda E: _allowed_beta_plus(E, B8_Q_EFF, 4), B8_Q_EFF, fl["8B"], "⁸B")
        elif name == "pep":
            split_line(PEP_ENERGY, fl["pep"], "pep")
        else:
            for E0, br in BE7_LINES:
                split_line(E0, fl["7Be"] * br, f"⁷Be {E0 / MeV * 1000:.1f} keV")
    return Source(tuple(out))


# ----------------------------------------------------------------------------------------------
# reactors


@functools.cache
def _reactor_table() -> dict:
    out = {}
    for r in _csv_rows("reactor_fits.csv"):
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


def fission_spectrum(E, isotope):
    """ν̄_e per fission per energy of one fission isotope: dN/dE (1/energy), E in energy units.

    E ≥ 2 MeV: exp(Σ_k a_k E^k), E in MeV — Huber, Phys. Rev. C 84, 024617 (2011) (²³⁵U, ²³⁹Pu,
    ²⁴¹Pu) and Mueller et al., Phys. Rev. C 83, 054615 (2011) (²³⁸U); fitted over 2–8 MeV and
    extrapolated to 10 MeV.
    E < 2 MeV: the Vogel–Engel exp-quadratic (Phys. Rev. D 39, 3378 (1989)), multiplied by a
    constant so that it meets the Huber/Mueller value at 2 MeV (factors 0.996–1.10), extended to
    E = 0. This is a *stated extrapolation*: below ~1 MeV reactor spectra are uncertain at the tens
    of % level, and the ν̄ from neutron capture on ²³⁸U (²³⁹U and ²³⁹Np β decays, E < 1.3 MeV)
    are not included. It matters for the magnetic term: at T ≪ Eν the magnetic rate counts every
    ν̄ above E_min(T).

    >>> from hepunits import MeV
    >>> round(fission_spectrum(3 * MeV, "U235") * MeV, 4)      # exp(Σ a_k 3^k)
    0.6558
    """
    check_choice("isotope", isotope, set(FISSION_ISOTOPES))
    E = as_float_array("E", E)
    out = _fission(E / MeV, isotope) / MeV
    return float(out) if out.ndim == 0 else out


def _fission(x, isotope):
    return _fission_mix(x, (isotope,), np.ones(1))


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


def reactor(power, distance, fractions=None):
    """Reactor ν̄_e at a distance from a core of given thermal power and fuel mix.

    Φ(E) = P / (Σ_i f_i e_i) · Σ_i f_i dN_i/dE / (4π d²), with the fission spectra of
    :func:`fission_spectrum` (Huber 2011 / Mueller 2011 above 2 MeV; Vogel–Engel 1989 shape
    below, joined continuously — a stated extrapolation, see there) and the energy per fission
    e_i of Kopeikin, Mikaelyan & Sinev, Phys. At. Nucl. 67, 1892 (2004): 201.92 (²³⁵U),
    205.52 (²³⁸U), 209.99 (²³⁹Pu), 213.60 (²⁴¹Pu) MeV. Spectrum on 0–10 MeV; no oscillation
    (negligible at reactor–detector distances of tens of metres).

    Parameters
    ----------
    power : thermal power (> 0), e.g. ``3 * GW`` (hepunits ``GW``)
    distance : length (> 0), e.g. ``13.9 * m``
    fractions : None or dict {"U235", "U238", "Pu239", "Pu241": fission fraction ≥ 0}
        Normalised to sum 1. None: :data:`DEFAULT_FRACTIONS`.

    >>> from hepunits import GW, m, cm2, s
    >>> f"{reactor(3 * GW, 13.9 * m).total_flux * cm2 * s:.2e}"
    '2.07e+13'
    """
    P = _positive_scalar("power", power, " (thermal power, e.g. 3 * GW)")
    d = _positive_scalar("distance", distance, " (a length, e.g. 13.9 * m)")
    if fractions is None:
        fractions = DEFAULT_FRACTIONS
    if not isinstance(fractions, dict) or not fractions:
        raise ValueError(
            f"fractions must be a dict such as {DEFAULT_FRACTIONS!r}, got {fractions!r}"
        )
    fr = {}
    for k, v in fractions.items():
        check_choice("fractions key", k, set(FISSION_ISOTOPES))
        fr[k] = _nonneg_scalar(f"fractions[{k!r}]", v)
    total = sum(fr.values())
    if total <= 0:
        raise ValueError(f"fractions must have a positive sum, got {fractions!r}")
    fr = {k: v / total for k, v in fr.items() if v > 0}
    table = _reactor_table()
    e_per_fission = sum(f * table[k][2] for k, f in fr.items())
    fission_rate = P / e_per_fission
    scale = fission_rate / (4.0 * math.pi * d * d)

    isotopes, weights = tuple(fr), np.array(list(fr.values()))

    def fn(E, isotopes=isotopes, weights=weights, scale=scale):
        return scale * _fission_mix(E / MeV, isotopes, weights) / MeV

    flux = _integrate(fn, 0.0, REACTOR_E_MAX, (REACTOR_E_JOIN,))
    return Source(
        (_spectrum(fn, 0.0, REACTOR_E_MAX, flux, "e", True, (REACTOR_E_JOIN,), "reactor"),)
    )
