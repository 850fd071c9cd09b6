"""The one path from the state to a view model: :func:`compute_view`.

The live page (:meth:`explorer.app.control.dashboard.Dashboard.refresh`), the server's previews
(:mod:`explorer.app.render.preview`), the export and the tests all go through it. It takes two
steps, each named by the channel's record (:mod:`explorer.app.declare.channels`):

1. **physics** (:func:`physics_of`): the record's ``compute`` — the channel's physics call — for
   the physics inputs; the controller keeps the result while only view inputs change;
2. **view** (the record's ``present``): the view model from that physics and the view inputs —
   :func:`panel_view` for the dσ/dT panels (threshold readouts, decades, pins, the |EM|/SM map),
   :func:`as_computed` where the physics step already gives the whole view model (rates).

>>> from explorer.app.state.traits import ExplorerState
>>> v = compute_view("electron", ExplorerState())
>>> v.curves.T.shape, round(v.physics.crossover.value, 2), v.map is None
((2000,), 20.61, True)
"""

from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np
from hepunits import eV

from explorer.app.declare.channels import CHANNELS, channel, resolve
from explorer.app.declare.fmt import energy
from explorer.app.state import pins
from explorer.app.state.traits import ExplorerState
from explorer.app.view.emmap import compute_map
from explorer.app.view.model import Curves, PanelPhysics, PanelView, Pin, Readout
from explorer.app.view.readouts import headline, panel_readouts
from explorer.physics import constants


def physics_of(name: str, state, x_lim: tuple | None = None):
    """The physics step of channel ``name`` for ``state`` (its record's ``compute``); on the x
    range ``x_lim`` when given (a pin drawn on the live axes)."""
    compute = resolve(CHANNELS[name].compute)
    return compute(state) if x_lim is None else compute(state, x_lim)


def compute_view(name: str, state, physics=None, maps: bool = True):
    """The view model of channel ``name`` for ``state``: the one state → view path.

    ``physics``: the channel's physics step for this state when the caller already has it (the
    controller, after a view-only change); ``maps=False`` leaves the |EM|/SM map out (a preview
    shows none).
    """
    ch = CHANNELS[name]
    if physics is None:
        physics = physics_of(name, state)
    return resolve(ch.present)(ch, physics, state, maps)


def as_computed(ch, physics, state, maps=True):
    """The view step of a channel whose physics step gives the whole view model."""
    return physics


@functools.lru_cache(maxsize=32)
def _pin(name: str, spec: str, lo: float, hi: float) -> Pin:
    values, _notes = pins.decode(name, spec)
    physics = physics_of(name, ExplorerState(**values), (lo, hi))
    return Pin(pins.label(name, values), spec, physics.curves.total)


def pin_curves(name: str, pins_param: str, T: np.ndarray, live: dict | None = None) -> tuple:
    """The pins of a panel (its pins parameter, :mod:`explorer.app.state.pins`) computed on the
    live grid ``T``; with the live state's values ``live``, each says what differs from it
    (``Pin.short``)."""
    lo, hi = float(T[0]), float(T[-1])
    out = []
    for spec in pins.split(pins_param):
        pin = _pin(name, spec, lo, hi)
        if live is not None:
            short = pins.short_label(name, pins.decode(name, spec)[0], live)
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


def panel_view(ch, physics: PanelPhysics, state, maps: bool = True) -> PanelView:
    """The view step of a dσ/dT panel: its threshold, decades, pins and map from ``state``."""
    pinned = ()
    if ch.pins:
        pinned = pin_curves(ch.name, getattr(state, ch.pins), physics.curves.T, state.as_dict())
    data = None
    if maps and ch.map and state.map != "off":
        data = compute_map(ch, state, state.map)
    return view(physics, getattr(state, ch.threshold), state.y_decades, state.axes == "fit",
                pinned, data)  # fmt: skip


def view(
    physics: PanelPhysics, threshold: float, y_decades: float, y_fit=False, pinned=(), data=None
) -> PanelView:
    """The panel's view model from its physics and the view inputs (threshold in keV, decades;
    ``y_fit``: the dσ/dT axis spans the curves instead of ``y_decades`` below the top; ``pinned``:
    :class:`~explorer.app.view.model.Pin` records from :func:`pin_curves`; ``data``: the map)."""
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
    return PanelView(physics, threshold, ratio, y_decades, readouts, alt, y_fit, pinned, data,
                     headline(physics))  # fmt: skip


def dirac_moment(m_nu_ev: float) -> float:
    """μν of a Dirac neutrino of mass ``m_nu_ev`` eV in the minimally extended SM (eq. 1), in μB.

    >>> f"{dirac_moment(1.0):.3e}"
    '3.203e-19'
    """
    return constants.dirac_magnetic_moment(m_nu_ev * eV)


__all__ = ["as_computed", "channel", "compute_view", "panel_view", "physics_of", "pin_curves"]
