"""The view models: everything a panel shows, as plain typed records (no state, no widgets).

The one home of every view model of the app. :func:`explorer.app.view.compute.compute_view` fills
them from the state: for the dσ/dT panels in two steps, :class:`PanelPhysics` (what the physics
gives for the physics inputs: curves, crossover, T_max, edges, constants of the target) and
:class:`PanelView` (what the view inputs add: threshold readouts, y range, pins, the map);
:class:`RatesView` for the event rates; :class:`MapData` for a map of |EM|/SM;
:class:`RegionView` for the allowed regions of the moment-matrix mode. Figures and
readouts take a view model only, so they can be tested with a hand-made one, and a view-only
change (threshold, decades) needs no physics recomputed.

Energies are in keV, cross sections in cm²/keV per atom, rates per (kg · day · keV).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from explorer.app.declare.fmt import energy, sci


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
    map: MapData | None = None  # the |EM|/SM map under the plot, when one is shown
    headline: str = ""  # the crossover in one line above the plots (HTML)

    # shortcuts, so that views read as the panel reads
    @property
    def channel(self) -> str:
        return self.physics.channel

    @property
    def curves(self) -> Curves:
        return self.physics.curves


@dataclass(frozen=True)
class RatesView:
    """Everything the rates panel shows. Energies in keV, rates per (kg·day·keV)."""

    title: str
    T: np.ndarray
    sm: np.ndarray
    em: np.ndarray
    total: np.ndarray
    background: float
    window: tuple  # (threshold, upper end) in keV
    t_end: float  # kinematic end of the recoil spectrum, keV
    counts: object  # explorer.physics.rates.Counts: sm, em, total events in the window
    n_background: float
    sensitivity: float  # μν in μB excluded at 90 % CL (inf: none)
    thresholds: np.ndarray  # keV, for the sensitivity curve
    sens_curve: np.ndarray  # μν in μB
    readouts: tuple
    #: reactor only: (low, high) of the EM counts and of the μν reach when everything below
    #: 2 MeV moves by ∓/± LOW_ENERGY_REL_UNCERTAINTY (sources.reactor_band); None otherwise
    em_band: tuple | None = None
    sens_band: tuple | None = None
    headline: str = ""  # counts and reach in one line above the plots (HTML)
    pins: tuple = ()  # the rates panel has no pins
    map: MapData | None = None  # nor maps


@dataclass(frozen=True)
class MapData:
    """One map: everything :class:`~explorer.app.render.mapfigure.MapFigure` draws (energies in keV).

    ``ratio[i, j]`` is |EM|/SM at ``y[i]``, ``T[j]`` (NaN where SM = 0). ``cross[i]`` is the
    crossover T of row i (0: no region where |EM| ≥ SM; ``t_top``: |EM| ≥ SM up to the end of the
    search). ``scale[i]`` is eq. 9 (ν–e) or eq. 16 (CEvNS) for row i's μν on the μν map, and for
    the current μν on every row of the |qν| map (it is a magnetic-moment scale). ``current`` is the
    y of the live plot (None when that parameter is switched off), ``current_cross`` its crossover
    (the panel readout's value). ``limits`` are (short label, value) pairs.
    """

    channel: str
    axis: str
    T: np.ndarray
    y: np.ndarray
    ratio: np.ndarray
    cross: np.ndarray
    t_top: float
    scale: np.ndarray
    threshold: float
    tmax: float
    floor: float  # I₁ with stepping (keV), else 0
    limits: tuple
    current: float | None
    current_cross: float
    mark: tuple | None  # (T keV, y) of a clicked point
    title: str
    held: str
    notice: str = ""

    @property
    def alt(self) -> str:
        """A description of the map for the image's alt text (what it shows, where the current
        value's crossover is)."""
        what = "μν" if self.axis == "mu" else "|qν|"
        unit = "μB" if self.axis == "mu" else "e"
        text = (f"{self.title}: map of |EM|/SM against the recoil energy T and {what} "
                f"({sci(self.y[0])} to {sci(self.y[-1])} {unit}), held {self.held}.")  # fmt: skip
        if self.current is None:
            return text + f" {what} is switched off."
        c = self.current_cross
        if c == 0.0:
            where = "nowhere"
        elif c >= self.t_top * (1 - 1e-9):
            where = "everywhere up to Tmax"
        else:
            where = f"below {energy(c)}"
        return text + f" At the current {what} = {sci(self.current)} {unit}, |EM| ≥ SM {where}."


@dataclass(frozen=True)
class TotalPhysics:
    """σ above the threshold against Eν (the fourth panel): ``curves.T`` is Eν in MeV and its
    sm, em, total are σ per atom in cm² over T ≥ ``threshold`` (keV) for the ``recoil`` channel.
    ``at(Eν in MeV)`` gives (SM, EM) at one energy; ``e_threshold`` (MeV) is where T_max reaches
    the threshold."""

    channel: str
    recoil: str
    title: str
    curves: Curves
    threshold: float
    e_threshold: float
    at: Callable[[float], tuple]
    notice: str = ""


@dataclass(frozen=True)
class TotalView:
    """Everything the σ-above-threshold panel shows: its physics, the current Eν (MeV)."""

    physics: TotalPhysics
    E: float
    readouts: tuple
    alt_text: str
    pins: tuple = ()
    headline: str = ""
    map: MapData | None = None

    @property
    def curves(self) -> Curves:
        return self.physics.curves


@dataclass(frozen=True)
class RegionCurve:
    """One limit's region in a plane of two moments: μ_eff on the grid (μ_B), the limit, its
    legend label, and whether nothing of the plotted plane is allowed."""

    key: str
    mu_eff: np.ndarray
    limit: float
    label: str
    empty: bool


@dataclass(frozen=True)
class RegionView:
    """Everything the allowed-region figure shows (issue 22): the grid (μ_B), each limit's region,
    the current point (μ_B), the axis labels, the fixed moment in words, and a text alternative."""

    mode: str
    x: np.ndarray
    y: np.ndarray
    curves: tuple
    point: tuple
    labels: tuple
    fixed: str
    alt: str
