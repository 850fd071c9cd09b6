"""The physics of the dσ/dT panels: from the state to a :class:`~explorer.app.view.model.PanelPhysics`.

Everything comes from the public :mod:`explorer.physics` API, through the channel's record
(:mod:`explorer.app.declare.channels`: its dσ/dT, crossover and scale functions, its model
keywords, its refusal rule, its recoiling mass); this module only chooses the grid and the units.
Curves are dσ/dT in cm²/keV on a log grid of T in keV (``N_POINTS`` points). What differs between
the channels — the readouts fixed by the target, the binding edges, the electrons ionisable at a
threshold — is in :func:`compute_electron` and :func:`compute_nucleus`, each the channel's
physics call.

>>> from explorer.app.state.traits import ExplorerState
>>> p = compute_electron(ExplorerState())
>>> p.curves.T.shape, round(p.crossover.value, 2), p.crossover.kind
((2000,), 20.61, 'edge')
"""

from __future__ import annotations

import functools
import math

import numpy as np
from hepunits import MeV, cm2, keV

from explorer.app.declare.channels import CHANNELS, channel
from explorer.app.declare.fmt import energy, neutrino_label
from explorer.app.declare.params import FIT_RANGE
from explorer.app.view.model import Crossover, Curves, PanelPhysics, Readout, ThresholdFacts
from explorer.physics import atomic, kinematics, nucleus, target

#: Points per curve (docs/design.md, "Performance targets": 2000 points per panel).
N_POINTS = 2000

#: dσ/dT is shown in this unit.
XS_UNIT = cm2 / keV


@functools.lru_cache(maxsize=16)
def _grid(t_min_kev: float, t_max_kev: float) -> np.ndarray:
    g = np.geomspace(t_min_kev, t_max_kev, N_POINTS)
    g.flags.writeable = False
    return g


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 2, 5 × 10ⁿ that is ≥ x (x > 0).

    >>> nice_ceiling(796.5), nice_ceiling(1.2), nice_ceiling(0.0443)
    (1000.0, 2.0, 0.05)
    """
    e = math.floor(math.log10(x))
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * 10.0**e >= x * (1 - 1e-12):
            return m * 10.0**e
    return 10.0 ** (e + 1)


def t_range(state, ch, tmax_kev: float, t_lim: tuple | None = None) -> tuple:
    """The recoil axis of channel ``ch`` (a record or its name) in keV: fitted to Tmax
    (``axes="fit"``: up to the first of 1, 2, 5 × 10ⁿ above FIT_RANGE[1] · Tmax, over
    FIT_RANGE[0] decades, so that small Eν moves keep the axis), or the channel's fixed range;
    ``t_lim`` (lo, hi), when given, wins (a pin drawn on the live axes)."""
    if t_lim is not None:
        return t_lim
    if state.axes == "fit":
        hi = nice_ceiling(FIT_RANGE[1] * tmax_kev)
        return hi / 10.0 ** FIT_RANGE[0], hi
    lo, hi = channel(ch).t_range
    return getattr(state, lo), getattr(state, hi)


def crossings(T: np.ndarray, sm: np.ndarray, em: np.ndarray) -> tuple:
    """Where |EM| − SM changes sign along the curve, where there are events (SM > 0): the
    geometric midpoints of the grid steps, in keV."""
    ok = sm > 0
    wins, t = (np.abs(em) >= sm)[ok], T[ok]
    i = np.nonzero(wins[1:] != wins[:-1])[0]
    return tuple(float(x) for x in np.sqrt(t[i] * t[i + 1]))


def _crossover(tc: float, tmax: float, sm_at, curves: Curves) -> Crossover:
    if tc <= 0.0:
        kind = "none"
    elif tc >= tmax * (1.0 - 1e-9):
        kind = "all"
    else:
        kind = "edge"
    sm_c = sm_at(tc) if kind == "edge" else 0.0
    at = crossings(curves.T, curves.sm, curves.em)
    return Crossover(tc / keV, kind, sm_c, len(at), at)


class _Setup:
    """What every dσ/dT panel computes the same way, from the channel's record: the neutrino,
    the target, Eν, the model keywords, T_max of the lightest recoiling body, the grid, the
    curves and the crossover."""

    def __init__(self, ch, state, t_lim):
        self.ch, self.state = ch, state
        self.nu, self.tgt, self.E = state.neutrino(), target(state.target), state.E * MeV
        self.kw = {k: getattr(state, k) for k in ch.model}
        self.t_light = kinematics.t_max(self.E, ch.recoil_mass(self.tgt))
        self.lo, self.hi = t_range(state, ch, self.t_light / keV, t_lim)
        self.T = _grid(self.lo, self.hi)

    def xs(self, t_kev):
        return self.ch.dsigma(t_kev * keV, self.E, self.nu, self.tgt, **self.kw)

    def curves(self) -> Curves:
        xs = self.xs(self.T)
        return Curves(self.T, xs.sm / XS_UNIT, xs.em / XS_UNIT, xs.total / XS_UNIT)

    def crossover(self, curves: Curves, sm_at) -> Crossover:
        tc = self.ch.crossover(self.E, self.nu, self.tgt, **self.kw)
        return _crossover(tc, self.t_light, lambda t: sm_at(t / keV), curves)

    def estimate(self) -> float:
        return self.ch.estimate(self.nu, self.tgt, self.state.sin2w) / keV

    def energy_label(self) -> str:
        return f"Eν = {self.state.E:.4g} MeV"

    def panel(self, at, **fields) -> PanelPhysics:
        """The panel's physics: the curves, the crossover, the scale, with the channel's own
        ``fields`` (title, T_max shown, edges, I₁, facts …) and its point evaluation ``at``."""
        curves = self.curves()
        return PanelPhysics(
            channel=self.ch.name, energy_label=self.energy_label(), curves=curves,
            crossover=self.crossover(curves, lambda t: at(t).sm), estimate=self.estimate(),
            Z=self.tgt.Z, at=at, **fields,
        )  # fmt: skip


def compute_electron(state, t_lim: tuple | None = None) -> PanelPhysics:
    """ν–e scattering per atom of ``state.target`` (stepping or free), eqs. 5–11; on the T range
    ``t_lim`` (keV) when given, else the state's (:func:`t_range`)."""
    s = _Setup(CHANNELS["electron"], state, t_lim)
    tgt, stepping = s.tgt, state.binding == "stepping"

    def at(t_kev: float) -> ThresholdFacts:
        x = s.xs(t_kev)
        n = atomic.step_factor(t_kev * keV, tgt) if stepping else float(tgt.Z)
        return ThresholdFacts(float(x.sm / XS_UNIT), float(x.em / XS_UNIT), float(n))

    return s.panel(
        at,
        title=f"{neutrino_label(state.flavour, state.anti)}–e⁻ on {tgt.label} ({s.ch.model_label(state)})",
        tmax=s.t_light / keV,
        edges=tuple((sh.name, sh.binding / keV) for sh in tgt.shells
                    if s.lo <= sh.binding / keV <= s.hi),
        ionisation=tgt.ionization_energy / keV,
        stepping=stepping,
        facts=(
            Readout("First ionisation energy I₁", energy(tgt.ionization_energy / keV),
                    "Below I₁ no electron can be freed (NIST ASD)."),
            Readout("Atomic-recoil scale 2Z⁴ᐟ³·E_h·mₑ/M_N", energy(atomic.recoil_scale(tgt) / keV),
                    "Where atomic recoil suppresses the steps (paper, after eq. 11; E_h = α²m_e = 27.2 eV, the Hartree energy)."),
        ),
    )  # fmt: skip


def refused(state, ch, why: str, t_lim=None) -> PanelPhysics:
    """A panel with nothing computed, saying why (¹H in CEvNS: docs/design.md, "Hydrogen and
    odd-A nuclei")."""
    s = _Setup(ch, state, t_lim)
    zero = np.zeros_like(s.T)
    return PanelPhysics(
        channel=ch.name, title=f"{ch.short} on {s.tgt.label}: not available",
        energy_label=s.energy_label(), curves=Curves(s.T, zero, zero, zero),
        crossover=Crossover(0.0, "none", 0.0, 0), estimate=0.0, tmax=s.t_light / keV, edges=(),
        Z=s.tgt.Z, ionisation=0.0, stepping=False,
        facts=(Readout("Why no curve", "¹H is a free proton: " + why.split(": ", 1)[-1]),),
        at=lambda _t: ThresholdFacts(0.0, 0.0),
        notice="¹H is a free proton: CEvNS (eq. 14) does not apply\n(its axial current "
        "dominates); use the ν–e panel",
    )  # fmt: skip


def compute_nucleus(state, t_lim: tuple | None = None) -> PanelPhysics:
    """CEvNS per atom of ``state.target`` (isotope sum), eqs. 12–16, on the T range ``t_lim``
    (keV) when given; refused on ¹H."""
    ch = CHANNELS["nucleus"]
    why = ch.refused(target(state.target))
    if why:
        return refused(state, ch, why, t_lim)
    s = _Setup(ch, state, t_lim)
    tgt = s.tgt

    def at(t_kev: float) -> ThresholdFacts:
        x = s.xs(t_kev)
        return ThresholdFacts(float(x.sm / XS_UNIT), float(x.em / XS_UNIT))

    cv = nucleus.weak_charge(tgt, sin2w=state.sin2w)
    mass = "M_N" if tgt.single_isotope else "M_N (isotope mean)"
    return s.panel(
        at,
        title=f"CEvNS on {tgt.label} ({ch.model_label(state)})",
        tmax=kinematics.t_max(s.E, tgt.mass) / keV,
        edges=(),
        ionisation=0.0,
        stepping=False,
        facts=(
            Readout("Weak charge C_V", f"{cv:.2f} (Z = {tgt.Z}, N̄ = {tgt.N:.2f})",
                    "C_V = [Z(1 − 4 sin²θ_W) − N]/2 (after eq. 12)."),
            Readout(f"Nuclear mass {mass}", f"{tgt.mass / (1e3 * MeV):.2f} GeV",
                    "Atomic mass minus Z electron masses (AME2020 via periodictable)."),
        ),
    )  # fmt: skip


__all__ = ["N_POINTS", "XS_UNIT", "compute_electron", "compute_nucleus", "nice_ceiling", "t_range"]
