"""Expected numbers of events in a recoil-energy window: ∫ dR/dT dT × exposure.

Counts integrate dR/dT (:mod:`~explorer.physics.rates.spectra`) in log T with Gauss–Legendre nodes
between break points (T_max of every line, spectrum end and kink, for every target mass; the
binding edges of the stepping model). With quenching the window is given in observed
(electron-equivalent) energy and each element has its own nuclear-recoil window
(:mod:`~explorer.physics.rates.response`); the efficiency multiplies the neutrino events.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._validate import check_positive_scalar, check_scalar
from ..constants import ME, SIN2W_DEFAULT
from ..kinematics import t_max_lite
from ..materials import Material
from .quadrature import log_nodes
from .response import check_efficiency, check_quenching, lindhard_k, lindhard_lite, nr_from_ee
from .spectra import N_E_DEFAULT, RateInput, atoms_of, check_n, check_rate_input, rate_parts

__all__ = [
    "N_T_DEFAULT",
    "OPTIONS",
    "Counts",
    "Window",
    "check_counting",
    "check_window",
    "counts",
    "counts_lite",
    "kinematic_end",
    "observed_end",
    "takes_options",
]

#: default Gauss–Legendre nodes per piece of the log-T integral in :func:`counts`
N_T_DEFAULT = 24
EXPOSURE_HINT = " (mass × time, e.g. 1 * kg * 365 * day)"


@dataclass(frozen=True)
class Counts:
    """Expected numbers of events: SM, EM (= total − SM) and total (dimensionless)."""

    sm: float
    em: float
    total: float


@dataclass(frozen=True)
class Window:
    """A checked counting window: the rate's inputs, the observed-energy window [lo, hi]
    (hi = inf: the kinematic end), the quenching (None, "lindhard" or a Lindhard k), the
    efficiency (None or a checked callable) and the log-T nodes per piece n_T."""

    rate: RateInput
    lo: float
    hi: float
    quench: str | float | None = None
    efficiency: Callable | None = None
    n_T: int = N_T_DEFAULT


def check_window(T_min, T_max):
    """(lo, hi) of a window: T_min > 0, T_max > T_min or None (hi = inf)."""
    lo = check_scalar("T_min", T_min, "a recoil energy > 0 (e.g. 1 * keV)", 0.0)
    if T_max is None:
        return lo, math.inf
    hi = check_scalar("T_max", T_max, "an energy > 0 or None (the kinematic end)", 0.0)
    if not hi > lo:
        raise ValueError(f"T_max must be > T_min = {lo!r} (allowed: T_min < T_max), got {T_max!r}")
    return lo, hi


def kinematic_end(src, masses):
    """The largest recoil any component of ``src`` gives on the lightest of ``masses``."""
    return max(
        float(t_max_lite(c.energy if c.is_line else c.E_hi, min(masses))) for c in src.components
    )


def _masses(inp: RateInput):
    if inp.channel == "electron":
        return [ME]
    return [iso.mass for _, iso in atoms_of(inp.material, inp.channel)]


def observed_end(w: Window):
    """The largest observed energy of the window's recoils (quenched for nuclear recoils)."""
    end = kinematic_end(w.rate.src, _masses(w.rate))
    if w.quench is None:
        return end
    return max(
        float(lindhard_lite(np.asarray(end), t.Z, _k(w.quench, t))) * end
        for t, _ in w.rate.material.atoms
        if t.Z > 1
    )


def _k(quench, tgt):
    return lindhard_k(tgt.Z, tgt.Z + tgt.N) if quench == "lindhard" else quench


def _breaks(src, masses, mat, channel, binding):
    pts = []
    for c in src.components:
        energies = [c.energy] if c.is_line else [c.E_lo, *c.breaks, c.E_hi]
        for M in masses:
            pts.extend(float(t_max_lite(E, M)) for E in energies if E > 0)
    if channel == "electron" and binding == "stepping":
        for t, _ in mat.atoms:
            pts.extend(float(x) for x in t.arrays["edge"])
    return pts


def _piece(w: Window, inp, mu, q, r2, t_lo, t_hi, masses, observed, atoms=None):
    """(sm, em, total) counts per exposure of recoils in [t_lo, t_hi]; ``observed(t)`` the
    observed energy the efficiency is read at."""
    hi_eff = min(t_hi, kinematic_end(inp.src, masses))
    if not hi_eff > t_lo:
        return np.zeros(3)
    t, wt = log_nodes(t_lo, hi_eff, _breaks(inp.src, masses, inp.material, inp.channel,
                                             inp.binding), w.n_T)  # fmt: skip
    if w.efficiency is not None:
        wt = wt * w.efficiency(observed(t))
    s, e, tt = rate_parts(t, inp, mu, q, r2, atoms=atoms)
    return np.array([float(wt @ s), float(wt @ e), float(wt @ tt)])


def counts_lite(w: Window, mu, q, r2):
    """Counts per unit exposure in the window (sm, em, total); no validation: :func:`counts`
    validates."""
    inp = w.rate
    if inp.channel == "electron" or w.quench is None:
        out = _piece(w, inp, mu, q, r2, w.lo, w.hi, _masses(inp), lambda t: t)
        return tuple(float(x) for x in out)
    # quenched nuclear recoils: each element has its own recoil window
    out = np.zeros(3)
    for tgt, n in inp.material.atoms:
        if tgt.Z == 1:
            continue
        A = float(tgt.arrays["N"] @ tgt.arrays["fraction"]) + tgt.Z
        k = lindhard_k(tgt.Z, A) if w.quench == "lindhard" else w.quench
        isos = atoms_of(Material(inp.material.name, ((tgt, n),)), inp.channel)
        t_lo, t_hi = nr_from_ee(w.lo, tgt.Z, k), nr_from_ee(w.hi, tgt.Z, k)
        masses = [iso.mass for _, iso in isos]

        def observed(t, Z=tgt.Z, k=k):
            return lindhard_lite(t, Z, k) * t

        out += _piece(w, inp, mu, q, r2, t_lo, t_hi, masses, observed, atoms=isos)
    return tuple(float(x) for x in out)


#: The detector and quadrature options of :func:`counts` and
#: :func:`~explorer.physics.rates.sensitivity`, declared once: name → default.
OPTIONS = {
    "binding": "stepping",
    "form_factor": None,
    "sin2w": SIN2W_DEFAULT,
    "quenching": None,
    "k": None,
    "efficiency": None,
    "n_E": N_E_DEFAULT,
    "n_T": N_T_DEFAULT,
}


def takes_options(fn):
    """Show :data:`OPTIONS` as keyword-only parameters of ``fn`` (which takes them as
    ``**options``): help() and inspect.signature list them; :func:`check_counting` refuses any
    other keyword."""
    sig = inspect.signature(fn)
    fixed = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
    kw = inspect.Parameter.KEYWORD_ONLY
    extra = [inspect.Parameter(name, kw, default=d) for name, d in OPTIONS.items()]
    fn.__signature__ = sig.replace(parameters=fixed + extra)
    return fn


def check_counting(src, material, channel, T_min, T_max, *, mu=0.0, q=0.0, r2=0.0, **options):
    """Validate the arguments of a counting experiment (``options``: the keywords of
    :data:`OPTIONS`); returns (Window, mu, q, r2)."""
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TypeError(f"unexpected keyword {unknown[0]!r} (allowed: {sorted(OPTIONS)})")
    o = OPTIONS | options
    inp, mu, q, r2 = check_rate_input(
        src, material, channel, mu, q, r2, o["binding"], o["form_factor"], o["sin2w"], o["n_E"]
    )
    lo, hi = check_window(T_min, T_max)
    quench = check_quenching(o["quenching"], o["k"], channel)
    eff = check_efficiency(o["efficiency"])
    return Window(inp, lo, hi, quench, eff, check_n("n_T", o["n_T"])), mu, q, r2


@takes_options
def counts(
    src, material, exposure, T_min, T_max=None, channel="electron", mu=0.0, q=0.0, r2=0.0, **options
):
    """Expected events in the window [T_min, T_max] for an exposure (mass · time).

    Parameters
    ----------
    src, material, channel, mu, q, r2, binding, form_factor, sin2w : as in
        :func:`~explorer.physics.rates.dR_dT`
    exposure : mass × time (> 0), e.g. ``14.6 * kg * 308.1 * day``
    T_min : energy (> 0); T_max : energy (> T_min) or None (the kinematic end)
        Recoil energies — electron-equivalent (keVee) when ``quenching`` is given.
    quenching : None or "lindhard"   (nucleus channel) observed energy = Q(T) T, Lindhard Q
    k : None or float   Lindhard k for every element (None: 0.133 Z^{2/3} A^{-1/2} per element,
        0.157 for Ge)
    efficiency : None, callable eff(E_obs) or table (E_obs, eff)  values in [0, 1], of the
        observed energy (keVee when quenched); it multiplies the neutrino events (SM and EM)
    n_E, n_T : quadrature nodes (Eν per T; log T per piece)

    Returns
    -------
    Counts with ``.sm``, ``.em``, ``.total`` (events detected: efficiency applied).

    >>> from hepunits import MeV, keV, kg, day, cm2, s
    >>> from explorer.physics import sources
    >>> src = sources.line(1 * MeV, 1e10 / (cm2 * s))
    >>> n = counts(src, "Ge", 1 * kg * 365 * day, 1 * keV, mu=1e-10)
    >>> n.em > 0, n.total == n.sm + n.em
    (True, True)
    """
    w, mu, q, r2 = check_counting(
        src, material, channel, T_min, T_max, mu=mu, q=q, r2=r2, **options
    )
    exp_ = check_positive_scalar("exposure", exposure, EXPOSURE_HINT)
    s, e, _ = counts_lite(w, mu, q, r2)
    s, e = s * exp_, e * exp_
    return Counts(s, e, s + e)
