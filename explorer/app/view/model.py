"""The view model: everything a panel shows, as plain typed records (no state, no widgets).

:mod:`explorer.app.view.compute` fills these from the state in two steps: :class:`PanelPhysics` holds what the
physics gives for the physics inputs (curves, crossover, T_max, edges, constants of the target),
and :class:`PanelView` adds what the view inputs decide (threshold readouts, y range). Figures and
readouts take a :class:`PanelView` only, so they can be tested with a hand-made one and a
view-only change (threshold, decades) needs no physics recomputed.

Energies are in keV, cross sections in cm²/keV per atom.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Curves:
    """dσ/dT on the panel's grid: T (keV) and SM, EM (= total − SM, signed), total (cm²/keV)."""

    T: np.ndarray
    sm: np.ndarray
    em: np.ndarray
    total: np.ndarray


@dataclass(frozen=True)
class Crossover:
    """Where |EM| = SM: the edge of the low-T region where |EM| ≥ SM (docs/design.md, "EM term and crossover").

    ``kind`` is ``"edge"`` (a finite region below ``value``), ``"none"`` (no such region) or
    ``"all"`` (|EM| ≥ SM up to T_max). ``sm_at`` is SM at the crossover (for the marker);
    ``crossings`` counts the sign changes of |EM| − SM along the plotted curve, and ``at``
    says where they are (keV), so that a readout can say which lie past T_max.
    """

    value: float
    kind: str
    sm_at: float
    crossings: int
    at: tuple = ()


@dataclass(frozen=True)
class Readout:
    """One line of a panel's readout table: a label, its value as text, and a help text."""

    label: str
    value: str
    help: str = ""
    strong: bool = False


@dataclass(frozen=True)
class ThresholdFacts:
    """Physics at one recoil energy (for the threshold readouts): SM and EM in cm²/keV per atom,
    and the number of electrons that can be ionised there (ν–e panel; None for CEvNS)."""

    sm: float
    em: float
    electrons: float | None = None


@dataclass(frozen=True)
class PanelPhysics:
    """What the physics inputs determine for one panel.

    ``at`` evaluates the physics at one recoil energy in keV (a scalar evaluation, for view inputs
    such as the threshold); ``facts`` are readouts fixed by the target and model.
    """

    channel: str
    title: str
    energy_label: str
    curves: Curves
    crossover: Crossover
    estimate: float  # eq. 9 / eq. 16 scale in keV (0 when μν is off)
    tmax: float  # keV
    edges: tuple  # ((name, keV), ...) binding edges inside the T range
    Z: int
    ionisation: float  # first ionisation energy I₁ in keV (ν–e; 0 for CEvNS)
    stepping: bool
    facts: tuple  # (Readout, ...)
    at: Callable[[float], ThresholdFacts]
    notice: str = ""  # why nothing is plotted (e.g. CEvNS refused on ¹H), shown on the plot


@dataclass(frozen=True)
class Pin:
    """A pinned reference curve: its legend label, its pin text and its total dσ/dT (cm²/keV
    per atom) on the live panel's T grid."""

    label: str
    spec: str
    total: np.ndarray
    #: what differs from the live view ("μν off"), for the legend
    short: str = ""
    #: the live curve it coincides with ("SM", "total"), or "": said in the legend, since a pin
    #: drawn under a live curve cannot be seen
    same_as: str = ""


@dataclass(frozen=True)
class PanelView:
    """Everything one panel shows: the physics plus the view inputs, resolved."""

    physics: PanelPhysics
    threshold: float  # keV
    ratio_at_threshold: float  # EM/SM there; NaN where it has no meaning (see the readout)
    y_decades: float
    readouts: tuple  # (Readout, ...)
    alt_text: str
    y_fit: bool = False  # the dσ/dT axis spans the curves (else y_decades below the top)
    pins: tuple = ()  # (Pin, ...) drawn faintly beside the live curves

    # shortcuts, so that views read as the panel reads
    @property
    def channel(self) -> str:
        return self.physics.channel

    @property
    def curves(self) -> Curves:
        return self.physics.curves
