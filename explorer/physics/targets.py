"""Detector targets: natural elements and single isotopes, with nuclear data and atomic subshells.

Data sources (see ``data/REFERENCE``):

* isotope masses and natural abundances: :mod:`periodictable` (AME2020 masses, IUPAC/CIAAW
  abundances); uranium's representative composition from CIAAW, which periodictable lacks;
* subshell occupancies and binding energies: :mod:`xraylib` (``ElectronConfig``, ``EdgeEnergy``);
  both read from ``data/elements.json``, a copy of exactly those library values made by
  ``tools/make_tables.py`` (kernels then import neither library; ``tests/physics/test_tables.py``
  checks the copy against the installed libraries);
* first ionisation energies: NIST Atomic Spectra Database (``data/ionization_energies.csv``).

The nuclear mass is the atomic mass less Z electron masses, M_N = m_atom − Z m_e (docs/design.md,
"CEvNS cross section and nuclear masses"; electron binding, at most ~0.8 MeV·10⁻³ for U, is
neglected).

Binding energies (docs/design.md, "Stepping and binding energies"): xraylib's outer-shell edges are
solid-state values that can lie below the free atom's first ionisation energy I₁ (Ge 4p: 2.3 eV
against I₁ = 7.90 eV) or be absent (Cs 6s). Every level below I₁, or without an edge, is placed at
I₁. Occupancies are made to sum to Z exactly (xraylib gives fractional j-splits such as 0.666667 +
1.333333 for a p², rounded here to multiples of 1/105, the common denominator of the p, d and f
splits).
"""

from __future__ import annotations

import csv
import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from hepunits import eV, keV

from .constants import ATOMIC_MASS_UNIT, ME

__all__ = ["Isotope", "Shell", "Target", "available_elements", "target"]

Z_MAX = 92

# CIAAW representative isotopic composition of uranium (amount fractions, %), which
# periodictable 2.x lists with zero abundance. CIAAW, "Atomic weight of uranium" (2013 revision).
_ABUNDANCE_OVERRIDE = {92: {234: 0.0054, 235: 0.7204, 238: 99.2742}}

_SHELL_NAMES = (
    "K L1 L2 L3 M1 M2 M3 M4 M5 N1 N2 N3 N4 N5 N6 N7 O1 O2 O3 O4 O5 O6 O7 P1 P2 P3 P4 P5 Q1 Q2 Q3"
).split()
# Spectroscopic names of the X-ray levels, for labels.
_ORBITALS = {
    "K": "1s",
    "L1": "2s",
    "L2": "2p1/2",
    "L3": "2p3/2",
    "M1": "3s",
    "M2": "3p1/2",
    "M3": "3p3/2",
    "M4": "3d3/2",
    "M5": "3d5/2",
    "N1": "4s",
    "N2": "4p1/2",
    "N3": "4p3/2",
    "N4": "4d3/2",
    "N5": "4d5/2",
    "N6": "4f5/2",
    "N7": "4f7/2",
    "O1": "5s",
    "O2": "5p1/2",
    "O3": "5p3/2",
    "O4": "5d3/2",
    "O5": "5d5/2",
    "O6": "5f5/2",
    "O7": "5f7/2",
    "P1": "6s",
    "P2": "6p1/2",
    "P3": "6p3/2",
    "P4": "6d3/2",
    "P5": "6d5/2",
    "Q1": "7s",
    "Q2": "7p1/2",
    "Q3": "7p3/2",
}


@dataclass(frozen=True)
class Shell:
    """One atomic subshell: X-ray name (``"K"``, ``"L3"``, …), orbital, occupancy and binding energy.

    ``binding`` is in energy units (hepunits); ``source`` says where it came from
    (``"xraylib"`` or ``"NIST I1"`` when raised to or set at the first ionisation energy).
    """

    name: str
    orbital: str
    occupancy: float
    binding: float
    source: str = "xraylib"

    def __repr__(self) -> str:
        return (
            f"Shell({self.name} {self.orbital}, n={self.occupancy:g}, I={self.binding / eV:.4g} eV)"
        )


@dataclass(frozen=True)
class Isotope:
    """One nuclide: Z, A, N, nuclear mass M_N (energy units) and its fraction in the target."""

    Z: int
    A: int
    mass: float
    fraction: float = 1.0

    @property
    def N(self) -> int:
        return self.A - self.Z


@dataclass(frozen=True)
class Target:
    """A detector target: a natural element (isotopic mix) or a single isotope.

    Attributes
    ----------
    symbol : str          element symbol, e.g. ``"Ge"``
    Z : int               atomic number
    isotopes : tuple      :class:`Isotope` entries whose fractions sum to 1
    shells : tuple        :class:`Shell` entries whose occupancies sum to Z
    ionization_energy : float   first ionisation energy I₁ (NIST ASD), energy units

    ``N`` and ``mass`` are abundance-weighted means over the isotopes (``mass`` is the nuclear
    mass M_N); for a single isotope they are its own.

    Examples
    --------
    >>> ge = target("Ge")
    >>> ge.Z, round(ge.N, 3), len(ge.isotopes)
    (32, 40.708, 5)
    >>> from hepunits import GeV
    >>> round(target("Ge72").mass / GeV, 4)
    66.9786
    """

    symbol: str
    Z: int
    isotopes: tuple
    shells: tuple
    ionization_energy: float
    name: str = ""
    single_isotope: bool = False
    _cache: dict = field(default_factory=dict, repr=False, compare=False, hash=False)

    @property
    def label(self) -> str:
        """``"Ge"`` for the natural element, ``"⁷²Ge"`` for an isotope."""
        if not self.single_isotope:
            return self.symbol
        sup = str(self.isotopes[0].A).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
        return sup + self.symbol

    @property
    def key(self) -> str:
        """The string that :func:`target` accepts for this target (``"Ge"``, ``"Ge72"``)."""
        return self.symbol + (str(self.isotopes[0].A) if self.single_isotope else "")

    @property
    def N(self) -> float:
        return float(self.arrays["N"] @ self.arrays["fraction"])

    @property
    def mass(self) -> float:
        return float(self.arrays["mass"] @ self.arrays["fraction"])

    @property
    def arrays(self) -> dict:
        """Numpy views used by the vectorised kernels (isotope and shell columns), cached."""
        if not self._cache:
            order = np.argsort([s.binding for s in self.shells], kind="stable")
            binding = np.array([self.shells[i].binding for i in order])
            occ = np.array([self.shells[i].occupancy for i in order])
            self._cache.update(
                mass=np.array([i.mass for i in self.isotopes]),
                N=np.array([i.N for i in self.isotopes], dtype=float),
                fraction=np.array([i.fraction for i in self.isotopes]),
                edge=binding,
                # step[k] = occupancy of all levels with I_j ≤ edge[k]; step before the first edge is 0
                step=np.concatenate(([0.0], np.cumsum(occ))),
            )
        return self._cache

    def __repr__(self) -> str:
        return (
            f"Target({self.label}, Z={self.Z}, N={self.N:.3f}, M_N={self.mass / 1000:.4f} GeV, "
            f"{len(self.isotopes)} isotope(s), {len(self.shells)} shells)"
        )

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other) -> bool:
        return isinstance(other, Target) and other.key == self.key


@dataclass(frozen=True)
class _Element:
    """One element's entry of ``data/elements.json``: ``isotopes`` maps A → (atomic mass in u,
    natural abundance in %); ``shells`` lists (xraylib shell index, occupancy, edge in keV or
    None) as xraylib gives them."""

    number: int
    symbol: str
    name: str
    isotopes: dict
    shells: tuple


@functools.cache
def _elements() -> dict:
    """Z → :class:`_Element` for Z = 1…92 (periodictable and xraylib values, see the module)."""
    text = resources.files(__package__).joinpath("data/elements.json").read_text("utf-8")
    return {
        int(z): _Element(
            int(z),
            r["symbol"],
            r["name"],
            {int(A): (m, ab) for A, (m, ab) in r["isotopes"].items()},
            tuple((idx, occ, edge) for idx, occ, edge in r["shells"]),
        )
        for z, r in json.loads(text)["elements"].items()
    }


def atomic_number(symbol: str) -> int:
    """Z of an element symbol or name (as :func:`target` accepts them).

    >>> atomic_number("Xe"), atomic_number("germanium")
    (54, 32)
    """
    return _element(symbol).number


def atomic_mass(symbol: str, A: int) -> float:
    """Atomic mass of the isotope ``A`` of ``symbol`` (energy units; AME2020 via periodictable).

    >>> from hepunits import MeV
    >>> round(atomic_mass("H", 1) / MeV, 3)
    938.783
    """
    return _element(symbol).isotopes[A][0] * ATOMIC_MASS_UNIT


@functools.cache
def _ionization_energies() -> dict:
    text = resources.files(__package__).joinpath("data/ionization_energies.csv").read_text()
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {int(r["Z"]): float(r["first_ionization_eV"]) * eV for r in rows}


def _shells(Z: int) -> tuple:
    i1 = _ionization_energies()[Z]
    levels = []
    for idx, occ, edge_kev in _elements()[Z].shells:  # xraylib ElectronConfig > 0, EdgeEnergy
        name = _SHELL_NAMES[idx]
        # xraylib writes the j-splits of p, d, f shells (thirds, fifths, sevenths) to 6 digits
        occ = round(occ * 105.0) / 105.0
        edge = 0.0 if edge_kev is None else edge_kev * keV
        source = "xraylib"
        if edge < i1:
            edge, source = i1, "NIST I1"
        levels.append([name, occ, edge, source])
    deficit = Z - sum(lv[1] for lv in levels)
    levels[-1][1] += deficit  # rounding residue (≤ 1e-5) or a level xraylib omits: outermost shell
    return tuple(Shell(n, _ORBITALS[n], o, e, s) for n, o, e, s in levels)


def _nuclear_mass(element, A: int) -> float:
    return element.isotopes[A][0] * ATOMIC_MASS_UNIT - element.number * ME


_ISOTOPE_RE = re.compile(
    r"^\s*([A-Za-z]{1,2})\s*-?\s*(\d{1,3})\s*$|^\s*(\d{1,3})\s*-?\s*([A-Za-z]{1,2})\s*$"
)


def available_elements() -> list:
    """Symbols of the elements that have a natural isotopic composition in the data (Z ≤ 92).

    >>> els = available_elements(); len(els), els[:3], "Tc" in els
    (84, ['H', 'He', 'Li'], False)
    """
    out = []
    for Z in range(1, Z_MAX + 1):
        el = _elements()[Z]
        if Z in _ABUNDANCE_OVERRIDE or any(ab for _, ab in el.isotopes.values()):
            out.append(el.symbol)
    return out


def _element(sym: str):
    s = sym.strip()
    for el in _elements().values():
        if el.symbol.lower() == s.lower() or el.name == s.lower():
            return el
    raise ValueError(
        f"target must name an element with Z = 1…{Z_MAX} (symbol such as 'Ge' or 'Xe', or an "
        f"isotope such as 'Ge72' / 'Ge-72'), got {sym!r}"
    )


@functools.lru_cache(maxsize=256)
def _target(name: str) -> Target:
    m = _ISOTOPE_RE.match(name)
    if m:
        sym, A = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        el = _element(sym)
        A = int(A)
        if A not in el.isotopes:
            known = sorted(el.isotopes)
            raise ValueError(
                f"target {name!r}: {el.symbol} has no isotope with A = {A} in the data "
                f"(known: A = {known[0]}…{known[-1]})"
            )
        isotopes = (Isotope(el.number, A, _nuclear_mass(el, A), 1.0),)
        single = True
    else:
        el = _element(name)
        abund = _ABUNDANCE_OVERRIDE.get(el.number) or {
            A: ab for A, (_, ab) in el.isotopes.items() if ab
        }
        if not abund:
            raise ValueError(
                f"target {name!r}: {el.symbol} has no natural isotopic composition; name one isotope "
                f"instead, e.g. '{el.symbol}{max(el.isotopes, key=lambda a: el.isotopes[a][0])}'"
            )
        total = sum(abund.values())
        isotopes = tuple(
            Isotope(el.number, A, _nuclear_mass(el, A), p / total) for A, p in sorted(abund.items())
        )
        single = False
    return Target(
        symbol=el.symbol,
        Z=el.number,
        isotopes=isotopes,
        shells=_shells(el.number),
        ionization_energy=_ionization_energies()[el.number],
        name=el.name,
        single_isotope=single,
    )


def target(name) -> Target:
    """Build (and cache) a target from a name.

    Parameters
    ----------
    name : str or Target
        ``"Ge"`` (natural element, case-insensitive; also ``"germanium"``), ``"Ge72"``, ``"Ge-72"``
        or ``"72Ge"`` (one isotope). A :class:`Target` is returned unchanged.

    Raises
    ------
    ValueError
        Unknown element, Z > 92, unknown isotope, or an element with no natural composition.

    Examples
    --------
    >>> target("Xe").Z, len(target("Xe").isotopes)
    (54, 9)
    >>> sum(s.occupancy for s in target("Cs").shells)
    55.0
    >>> target("Kr-84").label
    '⁸⁴Kr'
    >>> target("Unobtainium")
    Traceback (most recent call last):
    ...
    ValueError: target must name an element with Z = 1…92 (symbol such as 'Ge' or 'Xe', or an isotope such as 'Ge72' / 'Ge-72'), got 'Unobtainium'
    """
    if isinstance(name, Target):
        return name
    if not isinstance(name, str):
        raise ValueError(f"target must be a string such as 'Ge' or 'Ge72', got {name!r}")
    return _target(name)
