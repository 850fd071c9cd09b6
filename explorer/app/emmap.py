"""Where EM wins, in one picture: |EM|/SM over (T, μν) or (T, |qν|) for one channel.

How to call it (the dashboard, on every slider move while a map is shown)::

    from explorer.app.emmap import compute_map
    from explorer.app.mapfigure import MapFigure

    fig = MapFigure("electron", "mu")              # once per shown map: channel × axis
    data = compute_map("electron", state, "mu")    # state: an explorer.app.state.ExplorerState
    fig.update(data)                               # moves the artists (no figure rebuilt)
    png = fig.render()                             # PNG bytes for a widgets.Image

``channel`` is ``"electron"`` (ν–e per atom of ``state.target``, stepping or free electrons as
``state.binding``) or ``"nucleus"`` (CEvNS per atom, isotope sum, ``state.form_factor``);
``axis`` is ``"mu"`` (y = μν in μB over the μν slider's bounds) or ``"q"`` (y = |qν| in e over the
|qν| slider's bounds). Everything else — target, flavour, ν/ν̄, Eν, sin²θ_W, the other
electromagnetic parameters — is held at its current value in ``state`` (μν as used by the physics,
i.e. 0 when switched off; on the |qν| map the sign of qν is the state's, + when qν is off).
``mark_T`` (keV, optional) marks a clicked recoil energy on the current row.

What the map holds (:class:`MapData`): the ratio |EM|/SM on a grid of the panel's own T range
(:func:`explorer.app.compute.t_range`, fitted to T_max as the panel does) × the slider's y range,
with EM = total − SM as everywhere in the app (docs/design.md, "EM term and crossover"); NaN where nothing is detected
(SM = 0: beyond T_max, and below the first ionisation energy I₁ with stepping, eqs. 10–11). The
crossover line is T_cross(y) for every row by the panel readout's own definition: the upper edge
of the low-T region where |EM| ≥ SM, searched from I₁ (stepping) or 10⁻¹⁶ T_max up to T_max
(docs/design.md, "Crossover with stepping"), 0 where there is no such region and the top of the search where |EM| ≥ SM all
the way. It is not the contour ratio = 1: where the ratio crosses 1 again at higher T, the colours
show it and the line does not (as the readout).

How it is vectorised. At fixed T, μν enters only through the magnetic term, which adds
incoherently (eq. 8 for electrons, eq. 15 for nuclei): EM(T, μ) = EM(T, 0) + μ² M(T). qν enters
through a coupling shift linear in qν (g_V → g_V − (√2πα/G_F) qν/(m_e T) for electrons, Giunti &
Studenikin 2015; C_V shifted as in eq. 13 with the sign of docs/design.md, "Sign of eq. 13" for nuclei) that is squared
in the cross section, so EM(T, qν) = c₀(T) + c₁(T) qν + c₂(T) qν² exactly. So a few vectorised
calls of the public physics API on a T grid (μ = 0 and one μ_ref; qν = 0 and ±q_ref) give every
cell. The crossover rows are searched on the readout's own 257-point log grid and refined in each
row's bracket on sub-grids (vectorised over rows), then interpolated linearly in
(log T, log ratio), as :mod:`explorer.physics` does: the current row gets the readout's full
refinement (two rounds of 129 points), the other rows a cheaper one (enough for drawing).

Limits: on the μν map, the limits of :data:`~explorer.app.params.FEATURED_LIMITS`. On the |qν| map no
limit is drawn: the explorer has no cited qν limit in :mod:`explorer.physics` (the paper quotes
none), so the map says so rather than show an unchecked number.

>>> from explorer.app.state import ExplorerState
>>> d = compute_map("electron", ExplorerState(), "mu", n=50)
>>> d.ratio.shape, round(d.current_cross, 2)
((50, 50), 20.61)
>>> d.alt.split(". ")[-1]
'At the current μν = 2.9×10⁻¹¹ μB, |EM| ≥ SM below 20.6 keV.'

A view-only change needs no new map: ``dataclasses.replace(data, threshold=state.thr_e)``
(or ``thr_n``) moves the threshold line; ``mark_T`` likewise (``mark=(T, data.current)``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from hepunits import MeV, keV

from explorer.physics import Neutrino, electron, kinematics, nucleus, target
from explorer.physics.constants import ME
from explorer.physics.limits import LIMITS

from .compute import t_range
from .fmt import energy, neutrino_label, sci
from .params import FEATURED_LIMITS, REGISTRY
from .state import R2_UNIT

__all__ = ["AXES", "CHANNELS", "MapData", "compute_map"]

#: Channels and y axes of a map.
CHANNELS = ("electron", "nucleus")
AXES = ("mu", "q")

#: μν (μB) of the reference evaluation of the magnetic term M(T) = EM(μ_ref, qν = ⟨r²⟩ = 0)/μ_ref².
MU_REF = 1e-10
#: The search of the crossover as the physics does it (explorer.physics._crossing): a 257-point
#: log grid from the floor (I₁ with stepping, else 10⁻¹⁶ T_max) to T_max, refined in the bracket.
SEARCH_POINTS = 257
T_FLOOR_FRACTION = 1e-16
#: Refinement of the current row: two rounds of 129-point sub-grids (as the readout).
FULL_REFINE = (129, 2)
#: Refinement of the other rows (for drawing): one round of 5 points, then interpolation; within
#: 10⁻³ relative of the physics (a pixel of the map is ≈ 3 % in T). Rows whose bracket lies
#: outside the drawn T range are only interpolated (≈ 1 %): the axes clip them.
LINE_REFINE = (5, 1)


@dataclass(frozen=True)
class MapData:
    """One map: everything :class:`~explorer.app.mapfigure.MapFigure` draws (energies in keV).

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


def _grid_axis(axis: str, n: int) -> np.ndarray:
    lo, hi = REGISTRY[axis].bounds
    return np.geomspace(lo, hi, n)


class _Model:
    """EM(T, y) = a(T) + b(T) y + c(T) y² and SM(T) from a few public physics calls.

    For the μν map: a = EM(μ = 0), b = 0, c = M(T) (the magnetic term per μ²). For the |qν| map
    (y = |qν|, signed by ``sign``): c₀, c₁·sign, c₂ from qν = 0, ±q_ref. ``held`` is the other
    parameters: (flavour, anti, r2 in area units, μν for the |qν| map or qν for the μν map, sign
    of qν, binding, form factor, sin²θ_W).
    """

    def __init__(self, channel, axis, tgt, E, held):
        fl, anti, r2, other, sign, binding, form_factor, sin2w = held
        self.axis, self.sign = axis, sign
        if axis == "mu":
            self.nus = (Neutrino(fl, anti, mu=0.0, q=other, r2=r2), Neutrino(fl, anti, mu=MU_REF))
        else:
            lo, hi = REGISTRY["q"].bounds
            self.q_ref = math.sqrt(lo * hi)
            qs = (0.0, self.q_ref, -self.q_ref)
            self.nus = tuple(Neutrino(fl, anti, mu=other, q=q, r2=r2) for q in qs)
        if channel == "electron":
            kw = dict(target=tgt, binding=binding, sin2w=sin2w)
            self._xs = lambda T, nu: electron.dsigma_dT(T, E, nu, **kw)
        else:
            kw = dict(form_factor=form_factor, sin2w=sin2w)
            self._xs = lambda T, nu: nucleus.dsigma_dT(T, E, nu, tgt, **kw)

    def coefficients(self, T):
        """(SM, a, b, c) on the array T (energy units), each of T's shape."""
        if self.axis == "mu":
            base = self._xs(T, self.nus[0])
            mag = self._xs(T, self.nus[1]).em / MU_REF**2
            return base.sm, base.em, 0.0, mag
        x0, xp, xm = (self._xs(T, nu) for nu in self.nus)
        q = self.q_ref
        b = (xp.em - xm.em) / (2.0 * q) * self.sign
        c = (xp.em + xm.em - 2.0 * x0.em) / (2.0 * q * q)
        return x0.sm, x0.em, b, c


def _log_ratio(sm, a, b, c, y):
    """log|EM| − log SM with EM = a + b y + c y² (−inf where EM = 0); broadcasts."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(np.abs(a + (b + c * y) * y)) - np.log(sm)


def _edges(model, G, coef, y, refine, shown=None):
    """T_cross (energy units) for each y: the readout's low-T edge (see the module docstring).

    ``G`` is the search grid (from the floor to the top of the search) and ``coef`` the model's
    coefficients on it; ``refine`` = (points, rounds) of the refinement. ``shown``: (T_lo, T_hi)
    of the drawn range; rows whose first bracket lies outside it are not refined (interpolated
    in their 257-grid bracket only).
    """
    y = np.asarray(y, dtype=float)
    f = _log_ratio(*coef, y[:, None])  # (rows, points)
    neg = f < 0
    anyneg = neg.any(axis=1)
    i = np.argmax(neg, axis=1)
    out = np.where(anyneg, 0.0, G[-1])  # never below 1: "all"; below 1 at the floor: "none"
    found = anyneg & (i > 0)
    if shown is not None:
        rough = found & ((G[i] < shown[0]) | (G[np.maximum(i - 1, 0)] > shown[1]))
        k = np.flatnonzero(rough)
        out[k] = _interpolate(G[i[k] - 1], G[i[k]], f[k, i[k] - 1], f[k, i[k]])
        found &= ~rough
    rows = np.flatnonzero(found)
    if rows.size:
        out[rows] = _refine(model, y[rows], G, f[rows], i[rows], *refine)
    return out


def _refine(model, y, G, f, i, points, rounds):
    """The crossing in each row's bracket [G[i − 1], G[i]]: ``rounds`` log-spaced sub-grids of
    ``points`` points (vectorised over rows), then interpolation, as explorer.physics does."""
    k = np.arange(len(y))
    a, b, fa, fb = G[i - 1], G[i], f[k, i - 1], f[k, i]
    frac = np.linspace(0.0, 1.0, points)
    for _ in range(rounds):
        sub = a[:, None] * (b / a)[:, None] ** frac  # (rows, points), log-spaced in [a, b]
        fs = _log_ratio(*model.coefficients(sub), y[:, None])
        j = np.maximum(np.argmax(fs < 0, axis=1), 1)  # fs[:, -1] < 0 (the bracket's end)
        a, b, fa, fb = sub[k, j - 1], sub[k, j], fs[k, j - 1], fs[k, j]
    return _interpolate(a, b, fa, fb)


def _interpolate(a, b, fa, fb):
    """The root of the log ratio in [a, b], linear in (log T, log ratio), as the physics does."""
    with np.errstate(invalid="ignore", divide="ignore"):
        la, lb = np.log(a), np.log(b)
        t = np.exp(la + (lb - la) * fa / (fa - fb))
    return np.where(np.isfinite(fa) & np.isfinite(fb), t, np.where(np.isfinite(fb), b, a))


def _short(label: str) -> str:
    """A limit's short name: ``"GEMMA (reactor ν̄ₑ on Ge)"`` → ``"GEMMA"``."""
    return label.split(" (")[0]


def compute_map(channel: str, state, axis: str, n: int = 200, mark_T: float | None = None):
    """The map of |EM|/SM for ``channel`` over (T, ``axis``) at ``state``: a :class:`MapData`.

    ``n`` points on each axis (T log-spaced over the panel's T range, y over the slider's bounds).
    ``mark_T``: a clicked recoil energy in keV to mark on the current row. ValueError for an
    unknown channel, axis or a non-positive ``n``.
    """
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}, got {channel!r}")
    if axis not in AXES:
        raise ValueError(f"axis must be one of {AXES}, got {axis!r}")
    if not isinstance(n, int | np.integer) or n < 2:
        raise ValueError(f"n must be an integer ≥ 2, got {n!r}")
    tgt = target(state.target)
    E = state.E * MeV
    y = _grid_axis(axis, n)
    # the μν the physics uses: the slider's, or the moment matrix's effective one (issue 22)
    current = state.mu_eff if axis == "mu" else state.q
    on = state.mu_eff > 0 if axis == "mu" else state.q_sign != 0
    nu_now = state.neutrino()
    nuc = channel == "nucleus"
    name = "CEvNS" if nuc else "ν–e"
    title = f"where |EM| ≥ SM: {name} on {tgt.label}, Eν = {state.E:.4g} MeV"
    held = _held(state, axis, nuc)
    if nuc:
        masses = tgt.arrays["mass"]
        try:
            nucleus.check_target(tgt)
        except ValueError:
            tmax = kinematics.t_max(E, float(masses.min())) / keV
            T = np.geomspace(*t_range(state, channel, tmax), n)
            nan = np.full((n, n), np.nan)
            return MapData(channel, axis, T, y, nan, np.zeros(n), tmax, np.zeros(n),
                           state.thr_n, tmax, 0.0, (), current if on else None, 0.0, None,
                           title, held, notice="¹H is a free proton: CEvNS (eq. 14) does not "
                           "apply")  # fmt: skip
        tmax_display = kinematics.t_max(E, float(masses.min()))
        # the readout's search ends just below the lightest isotope's T_max (nucleus.crossover)
        t_top = tmax_display * (1 - 1e-12)
        t_lo = t_top * T_FLOOR_FRACTION
        floor = 0.0
        threshold = state.thr_n
    else:
        tmax_display = t_top = kinematics.t_max(E, ME)
        stepping = state.binding == "stepping"
        floor = min(s.binding for s in tgt.shells) if stepping else 0.0
        t_lo = floor if stepping else t_top * T_FLOOR_FRACTION
        threshold = state.thr_e
    lo, hi = t_range(state, channel, tmax_display / keV)
    sign = 1.0 if state.q_sign >= 0 else -1.0
    other = state.q_eff if axis == "mu" else state.mu_eff
    held_key = (state.flavour, state.anti, state.r2 * R2_UNIT, other, sign, state.binding,
                state.form_factor, state.sin2w)  # fmt: skip
    surface = _surface(channel, axis, n, state.target, state.E, lo, hi, t_lo, t_top, held_key)
    T, ratio, cross, model, G, coef_g = surface
    # the current value, refined as the readout (0 where the search is empty, I₁ above T_max,
    # and for a current value that is switched off: not on this map)
    current_cross = 0.0
    if on and t_lo < t_top:
        current_cross = float(_edges(model, G, coef_g, [current], FULL_REFINE)[0]) / keV
    scale = _scale(channel, nu_now, tgt, state.sin2w, axis, y)
    limits = (
        tuple((_short(LIMITS[k].label), LIMITS[k].value) for k in FEATURED_LIMITS)
        if axis == "mu"
        else ()
    )
    mark = (float(mark_T), current) if (mark_T is not None and on) else None
    return MapData(channel, axis, T, y, ratio, cross, t_top / keV, scale, threshold,
                   tmax_display / keV, floor / keV, limits, current if on else None,
                   current_cross, mark, title, held)  # fmt: skip


@functools.lru_cache(maxsize=8)
def _surface(channel, axis, n, target_name, E_mev, lo, hi, t_lo, t_top, held):
    """The map itself (cached): T grid (keV), |EM|/SM (NaN where SM = 0), the crossover row by
    row (keV), and what the current row's search needs (model, search grid, coefficients).

    Everything but the map's own parameter is in the key, so moving the slider of that
    parameter (μν on the μν map) costs only the current row's search.
    """
    y = _grid_axis(axis, n)
    T = np.geomspace(lo, hi, n)
    G = np.geomspace(t_lo, max(t_top, t_lo), SEARCH_POINTS)  # the readout's crossover search
    model = _Model(channel, axis, target(target_name), E_mev * MeV, held)
    # one set of physics calls for the image's T grid and the search grid together
    coef = model.coefficients(np.concatenate((T * keV, G)))
    sm, a, b, c = (np.broadcast_to(x, (n + len(G),))[:n] for x in coef)
    coef_g = tuple(np.broadcast_to(x, (n + len(G),))[n:] for x in coef)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.abs(a + (b + c * y[:, None]) * y[:, None]) / sm
    ratio = np.where(sm > 0, ratio, np.nan)
    cross = np.zeros(n)
    if t_lo < t_top:
        cross = _edges(model, G, coef_g, y, LINE_REFINE, (lo * keV, hi * keV)) / keV
    for x in (T, ratio, cross):
        x.flags.writeable = False  # shared by every MapData made from this cache entry
    return T, ratio, cross, model, G, coef_g


def _scale(channel, nu_now, tgt, sin2w, axis, y):
    """eq. 9 / eq. 16 in keV for each row (∝ μν²; the current μν on the |qν| map)."""
    if channel == "electron":
        est = lambda nu: electron.crossover_estimate(nu)  # noqa: E731
    else:
        est = lambda nu: nucleus.crossover_estimate(nu, tgt, sin2w=sin2w)  # noqa: E731
    if axis == "mu":
        return est(Neutrino(mu=MU_REF)) * (y / MU_REF) ** 2 / keV
    return np.full(y.shape, est(nu_now) / keV)


def _held(state, axis, nuc) -> str:
    """The parameters held at their current values, as one line."""
    parts = [] if nuc else [neutrino_label(state.flavour, state.anti)]
    if axis == "mu":
        parts.append(f"qν = {sci(state.q_eff)} e")
    else:
        mu = f"{sci(state.mu_eff)} μB" if state.mu_eff else "0 (off)"
        parts.append(f"μν = {mu}, qν {'<' if state.q_sign < 0 else '>'} 0")
    parts.append(f"⟨r²⟩ = {state.r2:.3g}×10⁻³² cm²" if state.r2 else "⟨r²⟩ = 0")
    if nuc:
        parts.append("Helm F(q)" if state.form_factor == "helm" else "F = 1")
    else:
        parts.append("stepping" if state.binding == "stepping" else "free electrons")
    return ", ".join(parts)
