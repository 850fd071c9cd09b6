"""The flux of a neutrino source at the detector as a sum of flavour components: the
:class:`Component` and :class:`Source` records, their quadrature, and the data-table reader.

The constructors (:func:`~explorer.physics.sources.line`, ``reactor``, ``solar``, …) live in
:mod:`explorer.physics.sources`, which re-exports these names; the solar and reactor spectra
(:mod:`~explorer.physics.solar_spectra`, :mod:`~explorer.physics.reactor_spectra`) build on them.
Units follow hepunits: ``src.total_flux / (1 / (cm2 * s))`` reads a flux in cm⁻² s⁻¹.
"""

from __future__ import annotations

import csv
import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import resources

import numpy as np
from hepunits import MeV, cm2, s

from ._validate import as_float_array, check_nonneg_scalar

__all__ = ["Component", "Source", "csv_rows", "gauss_legendre01", "integrate", "spectrum"]

# ----------------------------------------------------------------------------------------------
# quadrature (shared with the spectra and with rates)


@functools.lru_cache(maxsize=32)
def gauss_legendre01(n: int):
    """Gauss–Legendre nodes and weights on [0, 1] (n points), cached."""
    x, w = np.polynomial.legendre.leggauss(int(n))
    return 0.5 * (x + 1.0), 0.5 * w


def integrate(fn, a: float, b: float, breaks=(), panels: int = 48, order: int = 24) -> float:
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

    def density(self, E):
        """dΦ/dE at E inside [E_lo, E_hi]; no masking and no validation: :meth:`dphi_dE` does both."""
        return self.flux * self._shape(E)

    def dphi_dE(self, E):
        """dΦ/dE per area · time · energy at E (0 outside [E_lo, E_hi]; a line has no density)."""
        E = as_float_array("E", E)
        if self.is_line:
            out = np.zeros_like(E)
        else:
            inside = (E >= self.E_lo) & (E <= self.E_hi)
            Es = np.where(inside, E, 0.5 * (self.E_lo + self.E_hi))
            out = np.where(inside, self.density(Es), 0.0)
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
        f = check_nonneg_scalar("factor", factor)
        return Source(tuple(c.scaled(f) for c in self.components))

    __rmul__ = __mul__

    def __repr__(self) -> str:
        inner = ",\n  ".join(repr(c) for c in self.components)
        return f"Source(Φ={self.total_flux * cm2 * s:.4g} cm⁻²s⁻¹,\n  {inner})"


def spectrum(fn, E_lo, E_hi, flux, flavour, anti, breaks=(), label=""):
    """A spectral component with shape ``fn`` scaled so that ∫ dΦ/dE = flux."""
    norm = integrate(fn, E_lo, E_hi, breaks)
    if not norm > 0.0:
        raise ValueError(
            f"the spectrum of {label or 'the source'} integrates to {norm!r}; need > 0"
        )

    def shape(E, fn=fn, norm=norm):
        return fn(E) / norm

    return Component(
        flavour, anti, flux, None, float(E_lo), float(E_hi), tuple(breaks), label, shape
    )


def csv_rows(name):
    """Rows of ``data/<name>`` as dicts (lines starting with ``#`` are comments)."""
    text = resources.files(__package__).joinpath(f"data/{name}").read_text()
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
