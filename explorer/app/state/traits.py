"""The one state model of the dashboard: every parameter of the registry, as traits.

The traits are generated from :data:`explorer.app.declare.params.PARAMS` (default, bounds, choices,
help). Widgets are linked to them; the query string, the presets and the tests set them too.
Whoever changes the state, the view sees exactly one notification per settled change: the
``revision`` counter, bumped once per assignment outside a batch and once per :meth:`batch`
(a preset that sets ten traits bumps it once). ``last_changed`` names the traits that changed.

Values are stored in display units (μB, e, 10⁻³² cm², MeV, keV, eV), so that a slider, a
query-string value and a readout agree; :meth:`ExplorerState.neutrino` converts to hepunits.
Out-of-range values are clamped by the validators (the query-string reader reports clamping to the
user before it gets here).

>>> s = ExplorerState()
>>> s.revision
0
>>> s.update(target="Xe", E=10.0, mu=1e-10)
>>> s.revision, sorted(s.last_changed)
(1, ['E', 'mu', 'target'])
>>> s.neutrino()
Neutrino(ν̄_e, μν=1e-10 μ_B, qν=0 e, ⟨r²⟩=0 cm²)
>>> ExplorerState(target="ge-72").target
'Ge72'
"""

from __future__ import annotations

import contextlib
import functools
import math

from hepunits import cm2
from traitlets import Bool, Enum, Float, HasTraits, Int, TraitError, Unicode, validate

from explorer.app.declare.params import AXIS_PAIRS, BOUNDS, NAMES, PARAMS
from explorer.app.state.matrix import panel_moment
from explorer.physics import Neutrino, available_elements, target

#: ⟨r²⟩ is entered in this unit.
R2_UNIT = 1e-32 * cm2


@functools.lru_cache(maxsize=1)
def elements() -> tuple:
    """Element symbols with data (natural composition), in order of Z."""
    return tuple(available_elements())


@functools.lru_cache(maxsize=256)
def normalise_target(name: str) -> str:
    """Canonical name of a target: an element symbol (``"xe"`` → ``"Xe"``) or an isotope
    (``"Ge-72"``, ``"72ge"`` → ``"Ge72"``). ValueError naming the value if there is none.

    >>> normalise_target(" xe "), normalise_target("GE"), normalise_target("136Xe")
    ('Xe', 'Ge', 'Xe136')
    """
    s = str(name).strip()
    for sym in elements():
        if sym.lower() == s.lower():
            return sym
    try:
        t = target(s)
    except ValueError:
        t = None
    if t is None or not t.single_isotope:
        raise ValueError(
            f"target must be one of the {len(elements())} elements with data or an isotope such "
            f"as 'Ge72', got {name!r}"
        )
    return f"{t.symbol}{t.isotopes[0].A}"


def isotopes_of(symbol: str) -> tuple:
    """Canonical names of the natural isotopes of an element (``("Ge70", "Ge72", …)``)."""
    return tuple(f"{symbol}{i.A}" for i in target(symbol).isotopes)


def _trait(p):
    """The traitlets trait of a registry entry."""
    if p.kind in ("log", "lin"):
        return Float(p.default, help=p.help)
    if p.kind == "check" or isinstance(p.default, bool):
        return Bool(p.default, help=p.help)
    if p.name == "target" or p.kind == "none":
        return Unicode(p.default, help=p.help)
    return Enum(p.values, default_value=p.default, help=p.help)


_Traits = type("_Traits", (HasTraits,), {p.name: _trait(p) for p in PARAMS})


class ExplorerState(_Traits):
    """Every parameter of the dashboard (display units; see the module docstring)."""

    #: bumped once per settled change (the view's one trigger)
    revision = Int(0)

    #: Names of the parameters, in the order used for links and CSV headers.
    PARAMS = NAMES

    def __init__(self, **kwargs):
        self._depth = 0
        self._pending: set = set()
        self.last_changed: frozenset = frozenset()
        super().__init__(**kwargs)
        self._pending.clear()
        self.observe(self._note, names=list(NAMES))

    # -- validation (clamping) -------------------------------------------------------------
    @validate(*BOUNDS)
    def _clamp(self, proposal):
        name = proposal["trait"].name
        lo, hi = BOUNDS[name]
        v = float(proposal["value"])
        if math.isnan(v):
            raise TraitError(f"{name} must be a finite number, got {proposal['value']!r}")
        for low, high, ratio in AXIS_PAIRS:  # keep every range at least `ratio` wide
            if name == low:  # room above for its upper end: at most the upper end's top / ratio
                hi = min(hi, BOUNDS[high][1] / ratio)
                v = min(v, getattr(self, high) / ratio)
            elif name == high:  # room below for its lower end
                lo = max(lo, BOUNDS[low][0] * ratio)
                v = max(v, getattr(self, low) * ratio)
        return min(max(v, lo), hi)

    @validate("target")
    def _valid_target(self, proposal):
        try:
            return normalise_target(proposal["value"])
        except ValueError as exc:
            raise TraitError(str(exc)) from None

    # -- batching --------------------------------------------------------------------------
    def _note(self, change):
        self._pending.add(change["name"])
        if self._depth == 0:
            self._flush()

    def _flush(self):
        if self._pending:
            self.last_changed = frozenset(self._pending)
            self._pending = set()
            self.revision += 1

    @contextlib.contextmanager
    def batch(self):
        """Set several traits with one ``revision`` bump (one recompute and redraw)."""
        self._depth += 1
        try:
            with self.hold_trait_notifications():
                yield self
        finally:
            self._depth -= 1
        if self._depth == 0:
            self._flush()

    def update(self, **values):
        """Set several parameters at once (one ``revision`` bump). Unknown names: ValueError.

        Cross-checks (an axis range at least a factor 10 wide) run on the final values.
        """
        unknown = set(values) - set(NAMES)
        if unknown:
            raise ValueError(f"unknown state parameter(s) {sorted(unknown)!r}; known: {NAMES!r}")
        with self.batch():
            for name in values:
                setattr(self, name, values[name])

    # -- derived quantities -----------------------------------------------------------------
    @property
    def mu_eff(self) -> float:
        """μν in μB as used by the physics (0 when switched off); with a moment matrix
        (``mm_mode``), the effective moment the panels see (:func:`explorer.app.state.matrix.panel_moment`)."""
        return panel_moment(self)

    @property
    def q_eff(self) -> float:
        """Signed qν in units of e as used by the physics (0 when switched off)."""
        return self.q_sign * self.q

    def neutrino(self) -> Neutrino:
        """The :class:`~explorer.physics.Neutrino` for the current state."""
        return Neutrino(
            self.flavour, anti=self.anti, mu=self.mu_eff, q=self.q_eff, r2=self.r2 * R2_UNIT
        )

    def as_dict(self) -> dict:
        """The parameters as a plain dict (display units)."""
        return {name: getattr(self, name) for name in NAMES}

    @staticmethod
    def defaults() -> dict:
        """The default value of every parameter."""
        return {p.name: p.default for p in PARAMS}
