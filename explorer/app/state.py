"""The one state model of the dashboard: every parameter the user can change, as traits.

Widgets are linked to these traits; the query string, the presets and the tests set them too.
Whoever changes the state, the view sees exactly one notification per settled change: the
``revision`` counter, bumped once per assignment outside a batch and once per :meth:`batch`
(a preset that sets ten traits bumps it once). ``last_changed`` names the traits that changed.

Values are stored in display units (μ_B, e, 10⁻³² cm², MeV, keV, eV), so that a slider, a
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
"""

from __future__ import annotations

import contextlib
import functools

from hepunits import cm2
from traitlets import Bool, Enum, Float, HasTraits, Int, TraitError, Unicode, validate

from explorer.physics import Neutrino, available_elements
from explorer.physics.constants import SIN2W_DEFAULT

#: ⟨r²⟩ is entered in this unit.
R2_UNIT = 1e-32 * cm2

#: Allowed range (inclusive) of every numeric parameter, in its display unit.
BOUNDS = {
    "mu": (1e-14, 1e-8),  # μ_B, magnitude (the "on" switch is ``mu_on``)
    "q": (1e-16, 1e-10),  # e, magnitude (the sign, or off, is ``q_sign``)
    "r2": (-50.0, 50.0),  # 10⁻³² cm²
    "E": (0.01, 100.0),  # MeV
    "sin2w": (0.20, 0.26),
    "Te_min": (1e-4, 1e4),  # keV
    "Te_max": (1e-4, 1e4),
    "TN_min": (1e-7, 1e3),  # keV
    "TN_max": (1e-7, 1e3),
    "y_decades": (2.0, 20.0),
    "thr_e": (1e-4, 1e4),  # keV
    "thr_n": (1e-7, 1e3),  # keV
    "m_nu": (1e-3, 10.0),  # eV
}

#: Units of the numeric parameters, for labels and notices.
UNITS = {
    "mu": "μ_B",
    "q": "e",
    "r2": "10⁻³² cm²",
    "E": "MeV",
    "sin2w": "",
    "Te_min": "keV",
    "Te_max": "keV",
    "TN_min": "keV",
    "TN_max": "keV",
    "y_decades": "decades",
    "thr_e": "keV",
    "thr_n": "keV",
    "m_nu": "eV",
}

FLAVOURS = ("e", "mu", "tau")
CHANNELS = ("both", "electron", "nucleus")
BINDINGS = ("stepping", "free")
FORM_FACTORS = ("none", "helm")


@functools.lru_cache(maxsize=1)
def elements() -> tuple:
    """Element symbols with data (natural composition), in order of Z."""
    return tuple(available_elements())


def normalise_element(name: str) -> str:
    """Canonical symbol for an element name in any case (``"xe"`` → ``"Xe"``); ValueError if none.

    >>> normalise_element(" xe "), normalise_element("GE")
    ('Xe', 'Ge')
    """
    s = str(name).strip().lower()
    for sym in elements():
        if sym.lower() == s:
            return sym
    raise ValueError(
        f"target must be one of the {len(elements())} elements with data, got {name!r}"
    )


class ExplorerState(HasTraits):
    """Every parameter of the dashboard (display units; see the module docstring)."""

    # the neutrino
    flavour = Enum(FLAVOURS, default_value="e", help="flavour at the detector")
    anti = Bool(True, help="antineutrino")
    mu_on = Bool(True, help="magnetic moment switched on")
    mu = Float(2.9e-11, help="μν in μ_B (magnitude on the log slider)")
    q_sign = Enum((-1, 0, 1), default_value=0, help="sign of qν; 0 switches the millicharge off")
    q = Float(1e-13, help="|qν| in units of e")
    r2 = Float(0.0, help="⟨r²⟩ in 10⁻³² cm²")
    E = Float(1.0, help="neutrino energy Eν in MeV")
    # the target and the model
    target = Unicode("Ge", help="element symbol (natural isotopic composition)")
    binding = Enum(BINDINGS, default_value="stepping", help="atomic binding in ν–e scattering")
    form_factor = Enum(FORM_FACTORS, default_value="none", help="nuclear form factor in CEvNS")
    sin2w = Float(SIN2W_DEFAULT, help="sin²θ_W")
    # the view
    channel = Enum(CHANNELS, default_value="both", help="which panel(s) to show")
    Te_min = Float(1e-2, help="electron panel: lowest T in keV")
    Te_max = Float(1e3, help="electron panel: highest T in keV")
    TN_min = Float(1e-5, help="CEvNS panel: lowest T_N in keV")
    TN_max = Float(10.0, help="CEvNS panel: highest T_N in keV")
    y_decades = Float(8.0, help="decades shown on the dσ/dT axis below the highest curve")
    thr_e = Float(2.8, help="electron recoil threshold in keV for the EM/SM readout")
    thr_n = Float(1e-2, help="nuclear recoil threshold in keV for the EM/SM readout")
    m_nu = Float(0.1, help="neutrino mass in eV for the eq. 1 readout")

    # notification
    revision = Int(0, help="bumped once per settled change (the view's one trigger)")

    #: Names of the parameters, in the order used for links and CSV headers.
    PARAMS = (
        "channel",
        "target",
        "flavour",
        "anti",
        "mu_on",
        "mu",
        "q_sign",
        "q",
        "r2",
        "E",
        "binding",
        "form_factor",
        "sin2w",
        "Te_min",
        "Te_max",
        "TN_min",
        "TN_max",
        "y_decades",
        "thr_e",
        "thr_n",
        "m_nu",
    )

    def __init__(self, **kwargs):
        self._depth = 0
        self._pending: set = set()
        self.last_changed: frozenset = frozenset()
        super().__init__(**kwargs)
        self._pending.clear()
        self.observe(self._note, names=list(self.PARAMS))

    # -- validation (clamping) -------------------------------------------------------------
    @validate(*BOUNDS)
    def _clamp(self, proposal):
        name = proposal["trait"].name
        lo, hi = BOUNDS[name]
        v = float(proposal["value"])
        if v != v:  # NaN
            raise TraitError(f"{name} must be a finite number, got {proposal['value']!r}")
        v = min(max(v, lo), hi)
        # keep every axis range at least a factor 10 wide
        if name in ("Te_min", "TN_min"):
            v = min(v, getattr(self, name[:-4] + "_max") / 10.0)
        elif name in ("Te_max", "TN_max"):
            v = max(v, getattr(self, name[:-4] + "_min") * 10.0)
        return v

    @validate("target")
    def _valid_target(self, proposal):
        try:
            return normalise_element(proposal["value"])
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
        unknown = set(values) - set(self.PARAMS)
        if unknown:
            raise ValueError(
                f"unknown state parameter(s) {sorted(unknown)!r}; known: {self.PARAMS!r}"
            )
        with self.batch():
            for name in values:
                setattr(self, name, values[name])

    # -- derived quantities -----------------------------------------------------------------
    @property
    def mu_eff(self) -> float:
        """μν in μ_B as used by the physics (0 when switched off)."""
        return self.mu if self.mu_on else 0.0

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
        return {name: getattr(self, name) for name in self.PARAMS}

    @classmethod
    def defaults(cls) -> dict:
        """The default value of every parameter."""
        return {name: cls.class_traits()[name].default() for name in cls.PARAMS}
