"""From the state to the numbers a panel shows: curves, crossover, estimate, T_max, edges, readouts.

Everything comes from the public :mod:`explorer.physics` API; this module only chooses the grid and
the units. Curves are dσ/dT in cm²/keV on a log grid of T in keV (``N_POINTS`` points).

>>> from explorer.app.state import ExplorerState
>>> d = compute_electron(ExplorerState())
>>> d.T.shape, round(d.crossover, 2), d.crossover_kind
((2000,), 20.61, 'edge')
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np
from hepunits import MeV, cm2, eV, keV

from explorer.physics import atomic, constants, electron, kinematics, nucleus, target
from explorer.physics.constants import ME

#: Points per curve (DESIGN §8: 2000 points per panel).
N_POINTS = 2000

#: dσ/dT is shown in this unit.
XS_UNIT = cm2 / keV


@functools.lru_cache(maxsize=16)
def _grid(t_min_kev: float, t_max_kev: float) -> np.ndarray:
    g = np.geomspace(t_min_kev, t_max_kev, N_POINTS)
    g.flags.writeable = False
    return g


@dataclass
class PanelData:
    """What one panel shows. Energies in keV, cross sections in cm²/keV (per atom).

    ``crossover_kind`` is ``"edge"`` (a finite region 0 < T < crossover where |EM| ≥ SM),
    ``"none"`` (no such region) or ``"all"`` (|EM| ≥ SM up to T_max).
    """

    channel: str
    T: np.ndarray
    sm: np.ndarray
    em: np.ndarray
    total: np.ndarray
    crossover: float
    crossover_kind: str
    sm_at_crossover: float
    estimate: float
    tmax: float
    threshold: float
    ratio_at_threshold: float  # EM/SM at the threshold; NaN above T_max or with no SM events
    edges: tuple = field(default_factory=tuple)  # ((name, keV), ...) inside the T range
    extra: dict = field(default_factory=dict)  # channel-specific readouts


def _crossover_kind(tc: float, tmax: float) -> str:
    if tc <= 0.0:
        return "none"
    if tc >= tmax * (1.0 - 1e-9):
        return "all"
    return "edge"


def _ratio(sm: float, em: float) -> float:
    return em / sm if sm > 0 else math.nan


def compute_electron(state) -> PanelData:
    """ν–e scattering per atom of ``state.target`` (stepping or free), eqs. 5–11."""
    nu = state.neutrino()
    tgt = target(state.target)
    E = state.E * MeV
    T = _grid(state.Te_min, state.Te_max)
    xs = electron.dsigma_dT(T * keV, E, nu, tgt, binding=state.binding, sin2w=state.sin2w) / XS_UNIT
    tmax = kinematics.t_max(E, ME)
    tc = electron.crossover(E, nu, tgt, binding=state.binding, sin2w=state.sin2w)
    kind = _crossover_kind(tc, tmax)
    sm_c = 0.0
    if kind == "edge":
        sm_c = (
            electron.dsigma_dT(tc, E, nu, tgt, binding=state.binding, sin2w=state.sin2w).sm
            / XS_UNIT
        )
    thr = state.thr_e * keV
    # binding multiplies SM and EM alike (eqs. 10–11), so the ratio is the free-electron one
    x_thr = electron.dsigma_dT(thr, E, nu, None, sin2w=state.sin2w)
    lo, hi = state.Te_min, state.Te_max
    edges = tuple((s.name, s.binding / keV) for s in tgt.shells if lo <= s.binding / keV <= hi)
    return PanelData(
        channel="electron",
        T=T,
        sm=xs.sm,
        em=xs.em,
        total=xs.total,
        crossover=tc / keV,
        crossover_kind=kind,
        sm_at_crossover=sm_c,
        estimate=electron.crossover_estimate(nu) / keV,
        tmax=tmax / keV,
        threshold=state.thr_e,
        ratio_at_threshold=_ratio(x_thr.sm, x_thr.em),
        edges=edges,
        extra={
            "ionisation": tgt.ionization_energy / keV,
            "electrons_at_threshold": atomic.step_factor(thr, tgt)
            if state.binding == "stepping"
            else float(tgt.Z),
            "recoil_scale": atomic.recoil_scale(tgt) / keV,
            "Z": tgt.Z,
        },
    )


def compute_nucleus(state) -> PanelData:
    """CEvNS per atom of ``state.target`` (isotope sum), eqs. 12–16."""
    nu = state.neutrino()
    tgt = target(state.target)
    E = state.E * MeV
    ff = state.form_factor
    T = _grid(state.TN_min, state.TN_max)
    xs = nucleus.dsigma_dT(T * keV, E, nu, tgt, form_factor=ff, sin2w=state.sin2w) / XS_UNIT
    tmax = kinematics.t_max(E, tgt.mass)
    t_light = kinematics.t_max(E, float(tgt.arrays["mass"].min()))
    tc = nucleus.crossover(E, nu, tgt, form_factor=ff, sin2w=state.sin2w)
    kind = _crossover_kind(tc, t_light)
    sm_c = 0.0
    if kind == "edge":
        sm_c = nucleus.dsigma_dT(tc, E, nu, tgt, form_factor=ff, sin2w=state.sin2w).sm / XS_UNIT
    x_thr = nucleus.dsigma_dT(state.thr_n * keV, E, nu, tgt, form_factor=ff, sin2w=state.sin2w)
    return PanelData(
        channel="nucleus",
        T=T,
        sm=xs.sm,
        em=xs.em,
        total=xs.total,
        crossover=tc / keV,
        crossover_kind=kind,
        sm_at_crossover=sm_c,
        estimate=nucleus.crossover_estimate(nu, tgt, sin2w=state.sin2w) / keV,
        tmax=tmax / keV,
        threshold=state.thr_n,
        ratio_at_threshold=_ratio(x_thr.sm, x_thr.em),
        extra={
            "weak_charge": nucleus.weak_charge(tgt, sin2w=state.sin2w),
            "Z": tgt.Z,
            "N": tgt.N,
            "mass_GeV": tgt.mass / (1e3 * MeV),
        },
    )


def dirac_moment(m_nu_ev: float) -> float:
    """μν of a Dirac neutrino of mass ``m_nu_ev`` eV in the minimally extended SM (eq. 1), in μ_B.

    >>> f"{dirac_moment(1.0):.3e}"
    '3.203e-19'
    """
    return constants.dirac_magnetic_moment(m_nu_ev * eV)


COMPUTE = {"electron": compute_electron, "nucleus": compute_nucleus}

#: The state parameters each panel depends on (the others leave its curves unchanged).
_SHARED = frozenset({"mu_on", "mu", "q_sign", "q", "r2", "E", "target", "sin2w", "y_decades"})
DEPENDS = {
    "electron": _SHARED | {"flavour", "anti", "binding", "Te_min", "Te_max", "thr_e"},
    # CEvNS is the same for every flavour and for ν̄ at this order (explorer.physics.nucleus)
    "nucleus": _SHARED | {"form_factor", "TN_min", "TN_max", "thr_n"},
}
