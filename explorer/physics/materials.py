"""Detector materials: an element, an isotope or a compound formula, counted per unit mass.

A material is a list of atoms per formula unit, each a :class:`~explorer.physics.targets.Target`
(natural element or single isotope). Event rates are per kg of *detector material* (docs/design.md,
"Event rates per kg of material"): the number of formula units per unit mass is 1/M_f with the
formula mass M_f = Σ n_a m_a, and m_a the atomic mass of each atom (nuclear mass + Z m_e,
abundance-weighted for a natural element: AME2020 masses and IUPAC abundances via periodictable, as
in :mod:`~explorer.physics.targets`).

Names
-----
* ``"Ge"``, ``"xenon"``: a natural element;
* ``"Ge72"``, ``"Xe-136"``, ``"136Xe"``: one isotope. A single symbol followed by a number is
  read as an isotope when that isotope exists (so ``"H2"`` is deuterium, not H₂; hydrogen gas
  is the element ``"H"``, since a rate per kg does not depend on how atoms are grouped);
* a formula: ``"CsI"``, ``"NaI"``, ``"C3F8"``, ``"H2O"``, ``"CaWO4"``, ``"Ca(OH)2"``, ``"C9H12"``
  (element symbols with optional integer counts and parentheses).

>>> m = material("CsI")
>>> [(t.symbol, n) for t, n in m.atoms], round(m.formula_mass_u, 3)
([('Cs', 1), ('I', 1)], 259.81)
>>> material("H2O").atoms[0][1], material("Ge72").atoms[0][0].label
(2, '⁷²Ge')
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from hepunits import c_light

from .constants import ATOMIC_MASS_UNIT, ME
from .targets import Target
from .targets import target as _target

__all__ = ["Material", "material"]


@dataclass(frozen=True)
class Material:
    """Atoms per formula unit of a detector material.

    Attributes
    ----------
    name : str           the name it was built from
    atoms : tuple        ((Target, count), ...) with integer counts per formula unit
    """

    name: str
    atoms: tuple

    @property
    def formula_mass(self) -> float:
        """M_f = Σ n_a m_a (atomic masses), energy units (m c²)."""
        return sum(n * atomic_mass(t) for t, n in self.atoms)

    @property
    def formula_mass_u(self) -> float:
        """Formula mass in atomic mass units u (g/mol)."""
        return self.formula_mass / ATOMIC_MASS_UNIT

    @property
    def per_mass(self) -> float:
        """Formula units per unit mass (hepunits mass: read per kg with ``m.per_mass * kg``)."""
        return c_light**2 / self.formula_mass

    def __repr__(self) -> str:
        body = " ".join(f"{t.label}×{n}" for t, n in self.atoms)
        return f"Material({self.name}: {body}, M={self.formula_mass_u:.4f} u)"


def atomic_mass(target: Target) -> float:
    """Atomic mass m c² of a target (energy units): Σ_i f_i (M_N,i + Z m_e).

    Electron binding (≤ 1e-5 relative) is neglected, as in targets.py.
    """
    a = target.arrays
    return float(a["fraction"] @ (a["mass"] + target.Z * ME))


_TOKEN = re.compile(r"([A-Z][a-z]?)(\d*)|(\()|(\))(\d*)")


def _parse_formula(name: str) -> list:
    """[(symbol, count), ...] of a formula with parentheses; ValueError if malformed."""
    stack = [[]]
    pos = 0
    text = name.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ValueError(
                f"material {name!r} is not a formula: unexpected {text[pos:]!r} at position {pos} "
                "(write element symbols with counts, e.g. 'CsI', 'C3F8', 'Ca(OH)2')"
            )
        sym, count, opening, _closing, ccount = m.groups()
        if sym:
            n = int(count) if count else 1
            if n == 0:
                raise ValueError(f"material {name!r}: a count of 0 after {sym!r} is not allowed")
            stack[-1].append((sym, n))
        elif opening:
            stack.append([])
        else:
            if len(stack) == 1:
                raise ValueError(f"material {name!r}: unbalanced ')' at position {pos}")
            n = int(ccount) if ccount else 1
            if n == 0:
                raise ValueError(f"material {name!r}: a count of 0 after ')' is not allowed")
            group = stack.pop()
            stack[-1].extend((s, k * n) for s, k in group)
        pos = m.end()
    if len(stack) != 1:
        raise ValueError(f"material {name!r}: unbalanced '('")
    if not stack[0]:
        raise ValueError(f"material {name!r} is empty")
    return stack[0]


_ISOTOPE = re.compile(
    r"^\s*([A-Za-z]{1,2})\s*-\s*(\d{1,3})\s*$|^\s*(\d{1,3})\s*-?\s*([A-Za-z]{1,2})\s*$"
)
_SYMBOL_NUMBER = re.compile(r"^\s*([A-Z][a-z]?)(\d{1,3})\s*$")


@functools.lru_cache(maxsize=128)
def _material(name: str) -> Material:
    # "Xe-136", "136Xe": always an isotope
    if _ISOTOPE.match(name):
        return Material(name, ((_target(name), 1),))
    # "Ge72": an isotope if that isotope exists, else a formula ("O2" → two O atoms)
    m = _SYMBOL_NUMBER.match(name)
    if m:
        try:
            return Material(name, ((_target(name), 1),))
        except ValueError:
            pass
    # a bare element name or symbol ("Ge", "germanium", "xe")
    if re.fullmatch(r"\s*[A-Za-z]+\s*", name) and not re.search(r"[A-Z].*[A-Z]", name):
        try:
            return Material(name, ((_target(name), 1),))
        except ValueError:
            pass
    counts: dict = {}
    for sym, n in _parse_formula(name):
        try:
            tgt = _target(sym)
        except ValueError:
            raise ValueError(
                f"material {name!r}: unknown element {sym!r} (allowed: element symbols with "
                "Z = 1…92 and a natural composition, e.g. 'CsI', 'NaI', 'C3F8', 'H2O')"
            ) from None
        counts[tgt] = counts.get(tgt, 0) + n
    return Material(name, tuple(counts.items()))


def material(name) -> Material:
    """Build (and cache) a :class:`Material` from a name; a Material is returned unchanged.

    Raises ValueError for an unknown element, a malformed formula or a non-string.

    >>> material("NaI").formula_mass_u > 149.8
    True
    >>> material("Xx2O")
    Traceback (most recent call last):
    ...
    ValueError: material 'Xx2O': unknown element 'Xx' (allowed: element symbols with Z = 1…92 and a natural composition, e.g. 'CsI', 'NaI', 'C3F8', 'H2O')
    """
    if isinstance(name, Material):
        return name
    if isinstance(name, Target):
        return Material(name.key, ((name, 1),))
    if not isinstance(name, str) or not name.strip():
        raise ValueError(
            f"material must be an element ('Ge'), an isotope ('Ge72') or a formula ('CsI'), got {name!r}"
        )
    return _material(name)
