"""Differential event rates dR/dT (paper eq. 9 made quantitative; docs/design.md, "Event rates per
kg of material" and "Sources and effective moments").

dR/dT = N_T Σ_components Σ_atoms ∫_{E ≥ E_min(T)} dE dΦ/dE · dσ/dT(T, E),

with N_T the number of formula units per unit mass of *detector material* (formula mass from
atomic masses, :mod:`~explorer.physics.materials`): a rate is per kg of material, not per kg of
nuclei. Lines add N_T Φ dσ/dT(T, E₀) directly. The cross sections are those of
:mod:`~explorer.physics.electron` (eqs. 5–11, per atom with the stepping approximation or Z free
electrons) and :mod:`~explorer.physics.nucleus` (eqs. 13–15, per isotope, weighted by abundance),
called through their public fast inner functions. The Eν integral is
:mod:`~explorer.physics.rates.quadrature`.

CEvNS and hydrogen: eq. 14 is the coherent vector formula of a spin-0 nucleus and is wrong for
¹H (the axial current dominates). In the nucleus channel the hydrogen atoms of a compound
(H₂O, C₉H₁₂, …) are **skipped** (their ν–p elastic scattering is not CEvNS, and their recoils are
far above the keV window of the heavy nuclei); a material made of hydrogen only raises ValueError.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import electron, nucleus
from .._validate import check_choice, check_finite_nonneg, check_int_range, check_sin2w
from ..atomic import step_factor_lite
from ..constants import ME, SIN2W_DEFAULT
from ..flux import Source
from ..materials import Material, material
from ..neutrino import Neutrino
from ..targets import target as _target
from .quadrature import moment_table, spectral_grid, spectral_many

__all__ = [
    "CHANNELS",
    "N_E_DEFAULT",
    "Rate",
    "RateInput",
    "atoms_of",
    "check_rate_input",
    "dR_dT",
    "rate_parts",
]

CHANNELS = ("electron", "nucleus")
#: default Gauss–Legendre nodes per T for the Eν integral (split among the spectrum's pieces)
N_E_DEFAULT = 2000


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
class RateInput:
    """The checked inputs of a rate, all but the neutrino's μν, qν, ⟨r²⟩ (:func:`check_rate_input`
    builds it): source, material, channel ("electron" | "nucleus"), binding ("stepping" | "free"),
    helm (Helm form factor or F = 1), sin2w, n_E (Eν nodes), method ("moments" | "grid")."""

    src: Source
    material: Material
    channel: str
    binding: str = "stepping"
    helm: bool = False
    sin2w: float = SIN2W_DEFAULT
    n_E: int = N_E_DEFAULT
    method: str = "moments"


def check_source(src):
    """``src`` must be a Source (duck-typed: doctests under --import-mode=importlib import the
    package a second time)."""
    if not isinstance(src, Source) and not hasattr(src, "components"):
        raise ValueError(f"src must be an explorer.physics.sources.Source, got {src!r}")
    return src


def check_n(name, n):
    """A number of quadrature nodes: an integer in [8, 100000]."""
    return check_int_range(name, n, 8, 100000)


def atoms_of(mat: Material, channel: str):
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


def check_rate_input(
    src, mat, channel, mu, q, r2, binding, form_factor, sin2w, n_E=N_E_DEFAULT, method="moments"
):
    """Validate the arguments every rate function shares; returns (RateInput, mu, q, r2)."""
    check_source(src)
    mat = material(mat)
    check_choice("channel", channel, set(CHANNELS))
    check_choice("binding", binding, {"stepping", "free"})
    Neutrino("e", mu=mu, q=q, r2=r2)  # validates μν, qν, ⟨r²⟩ (ValueError naming them)
    helm = nucleus.check_form_factor(form_factor)
    sin2w = check_sin2w(sin2w)
    n_E = check_n("n_E", n_E)
    check_choice("method", method, {"moments", "grid"})
    if channel == "nucleus":
        atoms_of(mat, channel)
    inp = RateInput(src, mat, channel, binding, helm, sin2w, n_E, method)
    return inp, float(mu), float(q), float(r2)


def _component(T, c, inp, items):
    """(sm, em, total) of one component: the Eν integral of the (mass, kernel, weight) items."""
    out = [np.zeros_like(T) for _ in range(3)]
    if c.is_line:
        for _, kernel, weight in items:
            for acc, part in zip(out, kernel(T, c.energy), strict=True):
                acc += (weight * c.flux) * part
    elif inp.method == "grid":
        for M, kernel, weight in items:
            for acc, part in zip(out, spectral_grid(T, c, M, kernel, inp.n_E), strict=True):
                acc += weight * part
    else:
        return spectral_many(T, c, items, inp.n_E, moment_table(c, inp.n_E))
    return out


def _electron_parts(T, inp, mu, q, r2):
    """ν–e: one kernel per flavour component (g_V, g_A differ); returns (electrons per formula
    unit at T, (sm, em, total) per electron)."""
    atoms = atoms_of(inp.material, "electron")
    if inp.binding == "stepping":
        factor = sum(n * step_factor_lite(T, t) for n, t in atoms)
    else:
        factor = sum(n * float(t.Z) for n, t in atoms)
    sm, em, tot = (np.zeros_like(T) for _ in range(3))
    for c in inp.src.components:
        gv, ga = electron.couplings(Neutrino(c.flavour, anti=c.anti), inp.sin2w)

        def kernel(Tg, E, gv=gv, ga=ga):
            return electron.dsigma_dT_free_lite(Tg, E, gv, ga, mu, q, r2)

        s, e, t = _component(T, c, inp, [(ME, kernel, 1.0)])
        sm, em, tot = sm + s, em + e, tot + t
    return factor, (sm, em, tot)


def rate_parts(T, inp: RateInput, mu, q, r2, atoms=None):
    """dR/dT per unit mass (sm, em, total) on a 1-D array T (all positive). No validation:
    :func:`dR_dT` validates. ``atoms``: the (weight, isotope) list of the nucleus channel
    (default all of the material's, :func:`atoms_of`)."""
    n_t = inp.material.per_mass
    if inp.channel == "electron":
        factor, (sm, em, tot) = _electron_parts(T, inp, mu, q, r2)
        return n_t * factor * sm, n_t * factor * em, n_t * factor * tot
    # CEvNS is the same for every flavour and for ν̄ at this order (nucleus.py): one kernel per
    # isotope, weighted by count × abundance
    items = []
    for weight, iso in atoms if atoms is not None else atoms_of(inp.material, "nucleus"):

        def kernel(Tg, E, iso=iso):
            return nucleus.dsigma_dT_lite(Tg, E, iso, mu, q, r2, inp.sin2w, inp.helm)

        items.append((iso.mass, kernel, weight))
    sm, em, tot = (np.zeros_like(T) for _ in range(3))
    for c in inp.src.components:
        s, e, t = _component(T, c, inp, items)
        sm, em, tot = sm + s, em + e, tot + t
    return n_t * sm, n_t * em, n_t * tot


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
    method : {"moments", "grid"}   two exact-E_min routes for the Eν integral
        (:mod:`~explorer.physics.rates.quadrature`)

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
    inp, mu, q, r2 = check_rate_input(
        src, material, channel, mu, q, r2, binding, form_factor, sin2w, n_E, method
    )
    T = check_finite_nonneg("T", T)
    sm, em, tot = rate_parts(T.ravel(), inp, mu, q, r2)
    sm, em, tot = (np.asarray(x, dtype=float).reshape(T.shape) for x in (sm, em, tot))
    if T.ndim == 0:
        sm, em, tot = float(sm), float(em), float(tot)
    return Rate(sm, em, tot)
