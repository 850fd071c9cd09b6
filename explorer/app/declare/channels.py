"""The channels: one record per panel of the dashboard, holding every fact about it.

A panel is a :class:`Channel`: what it is called (title, short name, equations), which state
parameters are its own (threshold, pins, fixed axis range, extra physics inputs), which physics it
calls (the dσ/dT, crossover and scale functions of :mod:`explorer.physics`, the keywords of its
model, the rule that refuses a target, the recoiling body's mass for T_max), and where its
computation, its view step and its figure live. Code elsewhere never tests a channel's *name*; it
asks the record (``channel.has_recoil_axis``, ``channel.pins``, ``channel.map`` …).

The computation, view step and figure are named as ``"module:attribute"`` references, resolved
on first use (:func:`resolve`), so that this module (the lowest layer) imports none of the layers
that implement them; ``tests/test_layout.py`` checks that each reference lies in its layer
(``compute`` and ``present`` in :mod:`explorer.app.view`, ``figure`` in
:mod:`explorer.app.render`). Adding a panel is one record here, its physics call, its figure and
its tests (docs/design.md, "The application").

>>> CHANNELS["nucleus"].short, CHANNELS["nucleus"].threshold, CHANNELS["rates"].has_recoil_axis
('CEvNS', 'thr_n', False)
>>> [c.name for c in CHANNELS.values() if c.map]
['electron', 'nucleus']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from explorer.physics import electron, nucleus
from explorer.physics.constants import ME


@dataclass(frozen=True)
class Channel:
    """One panel of the dashboard and everything that is particular to it.

    Energies for the physics callables are in hepunits (MeV); ``recoil_mass(target)`` is the
    mass of the lightest body the channel's recoils can be (the electron; the lightest isotope of
    a nucleus), which sets the T_max the recoil axis is fitted to (eq. 4).
    """

    name: str  # the key: the state's ``channel`` value, the DOM class, the CSV's channel column
    title: str  # the panel's heading
    short: str  # in headlines, notes and the channel toggle: "ν–e"
    compute: str  # "module:function": state (, x_lim) → the physics of the panel (view layer)
    present: str  # "module:function": (channel, physics, state) → the view model (view layer)
    figure: str  # "module:Class": the panel's figure, made with the record (render layer)
    aliases: tuple = ()  # more URL spellings of ``name`` for ``channel=``
    recoil: str = ""  # the recoil axis: "electron" / "nuclear" recoil energy; "" for none
    recoils: str = ""  # the recoils in titles: "e⁻", "nuclear"
    threshold: str = ""  # the view parameter of the detector threshold on the recoil axis
    pins: str = ""  # the state parameter of the panel's pins ("" : no pins)
    t_range: tuple = ()  # the (lower, upper) parameters of the recoil axis in "fixed" axes
    inputs: frozenset = frozenset()  # physics inputs besides those the registry names for it
    dsigma: Callable | None = None  # dσ/dT(T, E, nu, target, **model) of explorer.physics
    crossover: Callable | None = None  # crossover(E, nu, target, **model)
    search_range: Callable | None = None  # (E, target, **model) → where crossover searches
    estimate: Callable | None = None  # (nu, target, sin2w) → the paper's crossover scale
    estimate_eq: str = ""  # the equation of that scale: "eq. 9"
    model: tuple = ()  # state parameters passed to the physics as keywords
    model_label: Callable | None = None  # state → the model in words ("stepping", "F = 1")
    refuse: Callable | None = None  # target → None, or ValueError when the physics does not apply
    recoil_mass: Callable | None = None  # target → mass of the lightest recoiling body (MeV)
    map: bool = False  # |EM|/SM maps of the channel can be shown under the panel
    preview: bool = False  # the server draws the panel's first plot while the kernel starts
    controls: str = ""  # a control group shown only with this panel
    width: str = "1 1 45%"  # the panel's share of a row (CSS flex)
    csv: tuple = ("neutrino_atom_curves.csv", "Curves (CSV)")  # download name and link text

    @property
    def has_recoil_axis(self) -> bool:
        """Whether the panel plots against a recoil energy (and has a threshold on it)."""
        return bool(self.recoil)

    def refused(self, target) -> str:
        """Why the channel's physics does not apply to ``target`` ("" when it does)."""
        if self.refuse is None:
            return ""
        try:
            self.refuse(target)
        except ValueError as exc:
            return str(exc)
        return ""


def _lightest_isotope(target) -> float:
    return float(target.arrays["mass"].min())


CHANNELS: dict[str, Channel] = {
    c.name: c
    for c in (
        Channel(
            "electron", "ν–e scattering on an atom (eqs. 5–11)", "ν–e",
            compute="explorer.app.view.spectra:compute_electron",
            present="explorer.app.view.compute:panel_view",
            figure="explorer.app.render.figures:PanelFigure",
            aliases=("e",), recoil="electron", recoils="e⁻", threshold="thr_e", pins="pins_e",
            t_range=("Te_min", "Te_max"), dsigma=electron.dsigma_dT,
            crossover=electron.crossover,
            search_range=lambda E, target, binding, sin2w: electron.crossover_range(
                E, target, binding
            ),
            estimate=lambda nu, target, sin2w: electron.crossover_estimate(nu),
            estimate_eq="eq. 9", model=("binding", "sin2w"),
            model_label=lambda s: "stepping" if s.binding == "stepping" else "free electrons",
            recoil_mass=lambda target: ME, map=True, preview=True,
        ),
        Channel(
            "nucleus", "Coherent elastic ν–nucleus scattering, CEvNS (eqs. 12–16)", "CEvNS",
            compute="explorer.app.view.spectra:compute_nucleus",
            present="explorer.app.view.compute:panel_view",
            figure="explorer.app.render.figures:PanelFigure",
            aliases=("nuclear", "cevns", "n"), recoil="nuclear", recoils="nuclear",
            threshold="thr_n", pins="pins_n", t_range=("TN_min", "TN_max"),
            dsigma=nucleus.dsigma_dT, crossover=nucleus.crossover,
            search_range=lambda E, target, form_factor, sin2w: nucleus.crossover_range(E, target),
            estimate=lambda nu, target, sin2w: nucleus.crossover_estimate(nu, target, sin2w=sin2w),
            estimate_eq="eq. 16", model=("form_factor", "sin2w"),
            model_label=lambda s: "Helm F(q)" if s.form_factor == "helm" else "F = 1",
            refuse=nucleus.check_target, recoil_mass=_lightest_isotope, map=True, preview=True,
        ),
        Channel(
            "rates",
            "Event rates in a detector: counts and the μν it can exclude (eq. 9 made "
            "quantitative)",
            "event rates",
            compute="explorer.app.view.rates:compute_rates",
            present="explorer.app.view.compute:as_computed",
            figure="explorer.app.render.ratefigure:RatesFigure",
            aliases=("rate", "counts"), controls="rates", width="1 1 95%",
            csv=("neutrino_atom_rates.csv", "Rates (CSV)"),
        ),
    )
}  # fmt: skip

#: What each value of the state's ``channel`` shows: both cross-section panels, or one panel.
SHOWN: dict[str, tuple] = {
    "both": tuple(c.name for c in CHANNELS.values() if c.map),
    **{name: (name,) for name in CHANNELS},
}


def channel(name_or_record) -> Channel:
    """The record of a channel given by name (or the record itself). ValueError for an unknown
    name."""
    if isinstance(name_or_record, Channel):
        return name_or_record
    try:
        return CHANNELS[name_or_record]
    except KeyError:
        raise ValueError(
            f"channel must be one of {tuple(CHANNELS)}, got {name_or_record!r}"
        ) from None


_RESOLVED: dict = {}


def resolve(reference: str):
    """The object a ``"module:attribute"`` reference of a record names (imported once)."""
    obj = _RESOLVED.get(reference)
    if obj is None:
        module, _, attr = reference.partition(":")
        obj = _RESOLVED[reference] = getattr(importlib.import_module(module), attr)
    return obj


__all__ = ["CHANNELS", "SHOWN", "Channel", "channel", "resolve"]
