"""From the state to the view model: physics first (only on physics changes), then the view.

Everything comes from the public :mod:`explorer.physics` API; this module only chooses the grid and
the units. Curves are dσ/dT in cm²/keV on a log grid of T in keV (``N_POINTS`` points).

* :data:`PHYSICS` maps a channel to ``f(state) → PanelPhysics`` (the 2000-point curves, the
  crossover, T_max, edges, target constants);
* :func:`view` turns a :class:`~explorer.app.view.model.PanelPhysics` and the view inputs into a
  :class:`~explorer.app.view.model.PanelView` (threshold readouts, decades), evaluating the physics at one point
  only.

>>> from explorer.app.state.traits import ExplorerState
>>> p = compute_electron(ExplorerState())
>>> p.curves.T.shape, round(p.crossover.value, 2), p.crossover.kind
((2000,), 20.61, 'edge')
"""

from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np
from hepunits import MeV, cm2, eV, keV

from explorer.app.declare.fmt import energy, neutrino_label
from explorer.app.declare.params import FIT_RANGE
from explorer.app.state import pins
from explorer.app.state.traits import ExplorerState
from explorer.app.view.model import (
    Crossover,
    Curves,
    PanelPhysics,
    PanelView,
    Pin,
    Readout,
    ThresholdFacts,
)
from explorer.app.view.readouts import panel_readouts
from explorer.physics import atomic, constants, electron, kinematics, nucleus, target
from explorer.physics.constants import ME

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


def t_range(state, channel: str, tmax_kev: float, t_lim: tuple | None = None) -> tuple:
    """The recoil axis in keV: fitted to Tmax (``axes="fit"``: up to the first of 1, 2, 5 × 10ⁿ
    above FIT_RANGE[1] · Tmax, over FIT_RANGE[0] decades, so that small Eν moves keep the axis),
    or the fixed ranges; ``t_lim`` (lo, hi), when given, wins (a pin drawn on the live axes)."""
    if t_lim is not None:
        return t_lim
    if state.axes == "fit":
        hi = nice_ceiling(FIT_RANGE[1] * tmax_kev)
        return hi / 10.0 ** FIT_RANGE[0], hi
    if channel == "electron":
        return state.Te_min, state.Te_max
    return state.TN_min, state.TN_max


def _crossings(T: np.ndarray, sm: np.ndarray, em: np.ndarray) -> tuple:
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
    at = _crossings(curves.T, curves.sm, curves.em)
    return Crossover(tc / keV, kind, sm_c, len(at), at)


def _curves(xs, T) -> Curves:
    return Curves(T, xs.sm / XS_UNIT, xs.em / XS_UNIT, xs.total / XS_UNIT)


def compute_electron(state, t_lim: tuple | None = None) -> PanelPhysics:
    """ν–e scattering per atom of ``state.target`` (stepping or free), eqs. 5–11; on the T range
    ``t_lim`` (keV) when given, else the state's (:func:`t_range`)."""
    nu, tgt, E = state.neutrino(), target(state.target), state.E * MeV
    kw = dict(binding=state.binding, sin2w=state.sin2w)
    tmax = kinematics.t_max(E, ME)
    lo, hi = t_range(state, "electron", tmax / keV, t_lim)
    T = _grid(lo, hi)
    curves = _curves(electron.dsigma_dT(T * keV, E, nu, tgt, **kw), T)
    tc = electron.crossover(E, nu, tgt, **kw)
    stepping = state.binding == "stepping"

    def at(t_kev: float) -> ThresholdFacts:
        x = electron.dsigma_dT(t_kev * keV, E, nu, tgt, **kw)
        n = atomic.step_factor(t_kev * keV, tgt) if stepping else float(tgt.Z)
        return ThresholdFacts(float(x.sm / XS_UNIT), float(x.em / XS_UNIT), float(n))

    how = "stepping" if stepping else "free electrons"
    return PanelPhysics(
        channel="electron",
        title=f"{neutrino_label(state.flavour, state.anti)}–e⁻ on {tgt.label} ({how})",
        energy_label=f"Eν = {state.E:.4g} MeV",
        curves=curves,
        crossover=_crossover(tc, tmax, lambda t: at(t / keV).sm, curves),
        estimate=electron.crossover_estimate(nu) / keV,
        tmax=tmax / keV,
        edges=tuple((s.name, s.binding / keV) for s in tgt.shells if lo <= s.binding / keV <= hi),
        Z=tgt.Z,
        ionisation=tgt.ionization_energy / keV,
        stepping=stepping,
        facts=(
            Readout("First ionisation energy I₁", energy(tgt.ionization_energy / keV),
                    "Below I₁ no electron can be freed (NIST ASD)."),
            Readout("Atomic-recoil scale 2Z⁴ᐟ³·E_h·mₑ/M_N", energy(atomic.recoil_scale(tgt) / keV),
                    "Where atomic recoil suppresses the steps (paper, after eq. 11; E_h = α²m_e = 27.2 eV, the Hartree energy)."),
        ),
        at=at,
    )  # fmt: skip


def _refused(state, tgt, E, why: str, t_lim=None) -> PanelPhysics:
    """A CEvNS panel with nothing computed, saying why (¹H: docs/design.md, "Hydrogen and odd-A nuclei")."""
    tmax = kinematics.t_max(E, float(tgt.arrays["mass"].min())) / keV
    T = _grid(*t_range(state, "nucleus", tmax, t_lim))
    zero = np.zeros_like(T)
    return PanelPhysics(
        channel="nucleus", title=f"CEvNS on {tgt.label}: not available",
        energy_label=f"Eν = {state.E:.4g} MeV", curves=Curves(T, zero, zero, zero),
        crossover=Crossover(0.0, "none", 0.0, 0), estimate=0.0, tmax=tmax, edges=(), Z=tgt.Z,
        ionisation=0.0, stepping=False,
        facts=(Readout("Why no curve", "¹H is a free proton: " + why.split(": ", 1)[-1]),),
        at=lambda _t: ThresholdFacts(0.0, 0.0),
        notice="¹H is a free proton: CEvNS (eq. 14) does not apply\n(its axial current "
        "dominates); use the ν–e panel",
    )  # fmt: skip


def compute_nucleus(state, t_lim: tuple | None = None) -> PanelPhysics:
    """CEvNS per atom of ``state.target`` (isotope sum), eqs. 12–16, on the T range ``t_lim``
    (keV) when given; refused on ¹H."""
    nu, tgt, E = state.neutrino(), target(state.target), state.E * MeV
    try:
        nucleus.check_target(tgt)
    except ValueError as exc:
        return _refused(state, tgt, E, str(exc), t_lim)
    kw = dict(form_factor=state.form_factor, sin2w=state.sin2w)
    t_light = kinematics.t_max(E, float(tgt.arrays["mass"].min()))
    T = _grid(*t_range(state, "nucleus", t_light / keV, t_lim))
    curves = _curves(nucleus.dsigma_dT(T * keV, E, nu, tgt, **kw), T)
    tc = nucleus.crossover(E, nu, tgt, **kw)

    def at(t_kev: float) -> ThresholdFacts:
        x = nucleus.dsigma_dT(t_kev * keV, E, nu, tgt, **kw)
        return ThresholdFacts(float(x.sm / XS_UNIT), float(x.em / XS_UNIT))

    ff = "Helm F(q)" if state.form_factor == "helm" else "F = 1"
    cv = nucleus.weak_charge(tgt, sin2w=state.sin2w)
    mass = "M_N" if tgt.single_isotope else "M_N (isotope mean)"
    return PanelPhysics(
        channel="nucleus",
        title=f"CEvNS on {tgt.label} ({ff})",
        energy_label=f"Eν = {state.E:.4g} MeV",
        curves=curves,
        crossover=_crossover(tc, t_light, lambda t: at(t / keV).sm, curves),
        estimate=nucleus.crossover_estimate(nu, tgt, sin2w=state.sin2w) / keV,
        tmax=kinematics.t_max(E, tgt.mass) / keV,
        edges=(),
        Z=tgt.Z,
        ionisation=0.0,
        stepping=False,
        facts=(
            Readout("Weak charge C_V", f"{cv:.2f} (Z = {tgt.Z}, N̄ = {tgt.N:.2f})",
                    "C_V = [Z(1 − 4 sin²θ_W) − N]/2 (after eq. 12)."),
            Readout(f"Nuclear mass {mass}", f"{tgt.mass / (1e3 * MeV):.2f} GeV",
                    "Atomic mass minus Z electron masses (AME2020 via periodictable)."),
        ),
        at=at,
    )  # fmt: skip


@functools.lru_cache(maxsize=32)
def _pin(channel: str, spec: str, lo: float, hi: float) -> Pin:
    values, _notes = pins.decode(channel, spec)
    physics = PHYSICS[channel](ExplorerState(**values), t_lim=(lo, hi))
    return Pin(pins.label(channel, values), spec, physics.curves.total)


def pin_curves(channel: str, pins_param: str, T: np.ndarray, live: dict | None = None) -> tuple:
    """The pins of a panel (its pins parameter, :mod:`explorer.app.state.pins`) computed on the live grid ``T``;
    with the live state's values ``live``, each says what differs from it (``Pin.short``)."""
    lo, hi = float(T[0]), float(T[-1])
    out = []
    for spec in pins.split(pins_param):
        pin = _pin(channel, spec, lo, hi)
        if live is not None:
            short = pins.short_label(channel, pins.decode(channel, spec)[0], live)
            pin = dataclasses.replace(pin, short=short)
        out.append(pin)
    return tuple(out)


def _coincides(pin: np.ndarray, curves: Curves) -> str:
    """The live curve ("SM" or "total") that the pinned total lies on (within 0.5 % wherever
    either is drawn), or ""."""
    for name in ("total", "sm"):
        live = getattr(curves, name)
        drawn = (pin > 0) | (live > 0)
        if drawn.any() and np.allclose(pin[drawn], live[drawn], rtol=5e-3, atol=0):
            return "SM" if name == "sm" else "total"
    return ""


def view(
    physics: PanelPhysics, threshold: float, y_decades: float, y_fit=False, pinned=()
) -> PanelView:
    """The panel's view model from its physics and the view inputs (threshold in keV, decades;
    ``y_fit``: the dσ/dT axis spans the curves instead of ``y_decades`` below the top; ``pinned``:
    :class:`~explorer.app.view.model.Pin` records from :func:`pin_curves`)."""
    pinned = tuple(dataclasses.replace(p, same_as=_coincides(p.total, physics.curves))
                   for p in pinned)  # fmt: skip
    facts = physics.at(threshold) if threshold <= physics.tmax else None
    readouts = panel_readouts(physics, threshold, facts) + tuple(
        Readout(
            f"Pin {i}",
            pin.label + (f" (lies on the live {pin.same_as} curve)" if pin.same_as else ""),
            "A pinned reference view, drawn faintly (its total dσ/dT).",
        )
        for i, pin in enumerate(pinned, 1)
    )
    c = physics.crossover
    where = {"edge": energy(c.value), "all": "everywhere up to Tmax", "none": "nowhere"}[c.kind]
    alt = (
        f"{physics.title}, {physics.energy_label}: dσ/dT against recoil energy; "
        f"|EM| ≥ SM {'below ' if c.kind == 'edge' else ''}{where}."
    )
    meaningful = (
        facts is not None
        and facts.sm > 0
        and not (physics.stepping and threshold < physics.ionisation)
    )
    ratio = facts.em / facts.sm if meaningful else math.nan
    if pinned:
        alt += " Pinned for comparison: " + "; ".join(p.label for p in pinned) + "."
    return PanelView(physics, threshold, ratio, y_decades, readouts, alt, y_fit, tuple(pinned))


def dirac_moment(m_nu_ev: float) -> float:
    """μν of a Dirac neutrino of mass ``m_nu_ev`` eV in the minimally extended SM (eq. 1), in μB.

    >>> f"{dirac_moment(1.0):.3e}"
    '3.203e-19'
    """
    return constants.dirac_magnetic_moment(m_nu_ev * eV)


#: channel → physics step
PHYSICS = {"electron": compute_electron, "nucleus": compute_nucleus}
#: channel → (threshold parameter) for the view step
THRESHOLD = {"electron": "thr_e", "nucleus": "thr_n"}


def compute_view(channel: str, state) -> PanelView:
    """Both steps at once (tests, export): the view model of ``channel`` for ``state``."""
    physics = PHYSICS[channel](state)
    return view(
        physics,
        getattr(state, THRESHOLD[channel]),
        state.y_decades,
        state.axes == "fit",
        pin_curves(channel, getattr(state, pins.PIN_PARAM[channel]), physics.curves.T,
                   state.as_dict()),
    )  # fmt: skip
