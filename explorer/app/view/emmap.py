"""Where EM wins, in one picture: |EM|/SM over (T, μν) or (T, |qν|) for one channel.

How to call it (the view step of a channel with maps, :func:`explorer.app.view.compute.panel_view`,
on every change while a map is shown; the panel draws it)::

    from explorer.app.view.emmap import compute_map
    from explorer.app.render.mapfigure import MapFigure

    fig = MapFigure("electron", "mu")              # once per shown map: channel × axis
    data = compute_map("electron", state, "mu")    # state: an explorer.app.state.traits.ExplorerState
    fig.update(data)                               # moves the artists (no figure rebuilt)
    png = fig.render()                             # PNG bytes for a widgets.Image

``channel`` is a channel whose record has maps (:mod:`explorer.app.declare.channels`): ν–e per
atom of ``state.target`` (stepping or free electrons as ``state.binding``) or CEvNS per atom
(isotope sum, ``state.form_factor``), through the record's physics functions;
``axis`` is ``"mu"`` (y = μν in μB over the μν slider's bounds) or ``"q"`` (y = |qν| in e over the
|qν| slider's bounds). Everything else — target, flavour, ν/ν̄, Eν, sin²θ_W, the other
electromagnetic parameters — is held at its current value in ``state`` (μν as used by the physics,
i.e. 0 when switched off; on the |qν| map the sign of qν is the state's, + when qν is off).
``mark_T`` (keV, optional) marks a clicked recoil energy on the current row.

What the map holds (:class:`~explorer.app.view.model.MapData`): the ratio |EM|/SM on a grid of the panel's own T range
(:func:`explorer.app.view.spectra.t_range`, fitted to T_max as the panel does) × the slider's y range,
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
cell. The crossover rows are searched with the physics' own search
(:mod:`explorer.physics.crossing`: its 257-point log grid, its first bracket, its refinement
vectorised over rows and its interpolation in (log T, log ratio)); the current row is the
channel's ``crossover`` itself (the readout's value), the other rows get a cheaper refinement
(one round of 5 points, enough for drawing).

Limits: on the μν map, the limits of :data:`~explorer.app.declare.params.FEATURED_LIMITS`. On the |qν| map no
limit is drawn: the explorer has no cited qν limit in :mod:`explorer.physics` (the paper quotes
none), so the map says so rather than show an unchecked number.

>>> from explorer.app.state.traits import ExplorerState
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

import numpy as np
from hepunits import MeV, keV

from explorer.app.declare.channels import channel as as_channel
from explorer.app.declare.fmt import neutrino_label, sci
from explorer.app.declare.params import FEATURED_LIMITS, PHYSICS_INPUTS, REGISTRY
from explorer.app.state.traits import R2_UNIT
from explorer.app.view.model import MapData
from explorer.app.view.spectra import t_range
from explorer.physics import Neutrino, crossing, kinematics, target
from explorer.physics.limits import LIMITS

__all__ = ["AXES", "MapData", "compute_map"]

#: The y axes of a map (the channels with maps: those whose record says ``map``).
AXES = ("mu", "q")

#: μν (μB) of the reference evaluation of the magnetic term M(T) = EM(μ_ref, qν = ⟨r²⟩ = 0)/μ_ref².
MU_REF = 1e-10
#: Refinement of the rows other than the current one: one round of 5 points, then interpolation;
#: within 10⁻³ relative of the physics (a pixel of the map is ≈ 3 % in T). Rows whose bracket
#: lies outside the drawn T range are only interpolated (≈ 1 %): the axes clip them.
LINE_REFINE = (5, 1)


def _grid_axis(axis: str, n: int) -> np.ndarray:
    lo, hi = REGISTRY[axis].bounds
    return np.geomspace(lo, hi, n)


class _Model:
    """EM(T, y) = a(T) + b(T) y + c(T) y² and SM(T) from a few public physics calls.

    For the μν map: a = EM(μ = 0), b = 0, c = M(T) (the magnetic term per μ²). For the |qν| map
    (y = |qν|, signed by ``sign``): c₀, c₁·sign, c₂ from qν = 0, ±q_ref. ``held`` is the other
    parameters: (flavour, anti, r2 in area units, μν for the |qν| map or qν for the μν map, sign
    of qν, and the channel's model keywords as (name, value) pairs).
    """

    def __init__(self, ch, axis, tgt, E, held):
        fl, anti, r2, other, sign, model = held
        self.axis, self.sign = axis, sign
        if axis == "mu":
            self.nus = (Neutrino(fl, anti, mu=0.0, q=other, r2=r2), Neutrino(fl, anti, mu=MU_REF))
        else:
            lo, hi = REGISTRY["q"].bounds
            self.q_ref = math.sqrt(lo * hi)
            qs = (0.0, self.q_ref, -self.q_ref)
            self.nus = tuple(Neutrino(fl, anti, mu=other, q=q, r2=r2) for q in qs)
        kw = dict(model)
        self._xs = lambda T, nu: ch.dsigma(T, E, nu, tgt, **kw)

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


def _edges(model, G, coef, y, shown):
    """T_cross (energy units) for each y: the readout's low-T edge (see the module docstring),
    by the physics' search (:mod:`explorer.physics.crossing`) on its grid ``G`` (from the floor
    to the top of the search; ``coef``: the model's coefficients on it). ``shown``: (T_lo, T_hi)
    of the drawn range; rows whose first bracket lies outside it are only interpolated in it."""
    y = np.asarray(y, dtype=float)
    f = _log_ratio(*coef, y[:, None])  # (rows, points)
    i, anyneg = crossing.first_below(f)
    out = np.where(anyneg, 0.0, G[-1])  # never below 1: "all"; below 1 at the floor: "none"
    found = anyneg & (i > 0)
    rough = found & ((G[i] < shown[0]) | (G[np.maximum(i - 1, 0)] > shown[1]))
    k = np.flatnonzero(rough)
    out[k] = crossing.interpolate_root(G[i[k] - 1], G[i[k]], f[k, i[k] - 1], f[k, i[k]])
    rows = np.flatnonzero(found & ~rough)
    if rows.size:
        j = i[rows]
        ys = y[rows]
        out[rows] = crossing.refine_rows(
            lambda sub, live: _log_ratio(*model.coefficients(sub), ys[live][:, None]),
            G[j - 1], G[j], f[rows, j - 1], f[rows, j], *LINE_REFINE,
        )  # fmt: skip
    return out


def _short(label: str) -> str:
    """A limit's short name: ``"GEMMA (reactor ν̄ₑ on Ge)"`` → ``"GEMMA"``."""
    return label.split(" (")[0]


def _check(ch, axis, n) -> None:
    if not ch.map:
        raise ValueError(f"channel {ch.name!r} has no map")
    if axis not in AXES:
        raise ValueError(f"axis must be one of {AXES}, got {axis!r}")
    if not isinstance(n, int | np.integer) or n < 2:
        raise ValueError(f"n must be an integer ≥ 2, got {n!r}")


def compute_map(channel, state, axis: str, n: int = 200, mark_T: float | None = None) -> MapData:
    """The map of |EM|/SM for ``channel`` (a record or its name) over (T, ``axis``) at ``state``.

    ``n`` points on each axis (T log-spaced over the panel's T range, y over the slider's bounds).
    ``mark_T``: a clicked recoil energy in keV to mark on the current row. ValueError for a
    channel without maps, an unknown axis or a non-positive ``n``.
    """
    ch = as_channel(channel)
    _check(ch, axis, n)
    tgt, E, y = target(state.target), state.E * MeV, _grid_axis(axis, n)
    # the μν the physics uses: the slider's, or the moment matrix's effective one (issue 22)
    current = state.mu_eff if axis == "mu" else state.q
    on = state.mu_eff > 0 if axis == "mu" else state.q_sign != 0
    title = f"where |EM| ≥ SM: {ch.short} on {tgt.label}, Eν = {state.E:.4g} MeV"
    threshold = getattr(state, ch.threshold)
    tmax = kinematics.t_max(E, ch.recoil_mass(tgt))
    common = dict(channel=ch.name, axis=axis, y=y, threshold=threshold,
                  current=current if on else None, title=title, held=_held(state, axis, ch))  # fmt: skip
    if ch.refused(tgt):
        T = np.geomspace(*t_range(state, ch, tmax / keV), n)
        nan = np.full((n, n), np.nan)
        return MapData(T=T, ratio=nan, cross=np.zeros(n), t_top=tmax / keV, scale=np.zeros(n),
                       tmax=tmax / keV, floor=0.0, limits=(), current_cross=0.0, mark=None,
                       notice="¹H is a free proton: CEvNS (eq. 14) does not apply",
                       **common)  # fmt: skip
    model = tuple((k, getattr(state, k)) for k in ch.model)
    t_lo, t_top = ch.search_range(E, tgt, **dict(model))  # the readout's search
    floor = 0.0 if t_lo == t_top * crossing.T_FLOOR_FRACTION else t_lo  # I₁ with stepping
    lo, hi = t_range(state, ch, tmax / keV)
    sign = 1.0 if state.q_sign >= 0 else -1.0
    other = state.q_eff if axis == "mu" else state.mu_eff
    held_key = (state.flavour, state.anti, state.r2 * R2_UNIT, other, sign, model)
    T, ratio, cross = _surface(ch.name, axis, n, state.target, state.E, lo, hi, t_lo, t_top,
                               held_key)  # fmt: skip
    current_cross = 0.0  # 0 where the search is empty, and for a value switched off
    if on and t_lo < t_top:
        current_cross = ch.crossover(E, state.neutrino(), tgt, **dict(model)) / keV
    limits = tuple((_short(LIMITS[k].label), LIMITS[k].value) for k in FEATURED_LIMITS)
    mark = (float(mark_T), current) if (mark_T is not None and on) else None
    return MapData(T=T, ratio=ratio, cross=cross, t_top=t_top / keV,
                   scale=_scale(ch, state.neutrino(), tgt, state.sin2w, axis, y),
                   tmax=tmax / keV, floor=floor / keV, limits=limits if axis == "mu" else (),
                   current_cross=current_cross, mark=mark, **common)  # fmt: skip


@functools.lru_cache(maxsize=8)
def _surface(name, axis, n, target_name, E_mev, lo, hi, t_lo, t_top, held):
    """The map itself (cached): T grid (keV), |EM|/SM (NaN where SM = 0) and the crossover row by
    row (keV).

    Everything but the map's own parameter is in the key, so moving the slider of that
    parameter (μν on the μν map) costs only the current row's search.
    """
    y = _grid_axis(axis, n)
    T = np.geomspace(lo, hi, n)
    G = crossing.search_grid(t_lo, max(t_top, t_lo))  # the readout's crossover search
    model = _Model(as_channel(name), axis, target(target_name), E_mev * MeV, held)
    # one set of physics calls for the image's T grid and the search grid together
    coef = model.coefficients(np.concatenate((T * keV, G)))
    sm, a, b, c = (np.broadcast_to(x, (n + len(G),))[:n] for x in coef)
    coef_g = tuple(np.broadcast_to(x, (n + len(G),))[n:] for x in coef)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.abs(a + (b + c * y[:, None]) * y[:, None]) / sm
    ratio = np.where(sm > 0, ratio, np.nan)
    cross = np.zeros(n)
    if t_lo < t_top:
        cross = _edges(model, G, coef_g, y, (lo * keV, hi * keV)) / keV
    for x in (T, ratio, cross):
        x.flags.writeable = False  # shared by every MapData made from this cache entry
    return T, ratio, cross


def _scale(ch, nu_now, tgt, sin2w, axis, y):
    """The channel's scale (eq. 9 / eq. 16) in keV for each row (∝ μν²; the current μν on the
    |qν| map)."""
    if axis == "mu":
        return ch.estimate(Neutrino(mu=MU_REF), tgt, sin2w) * (y / MU_REF) ** 2 / keV
    return np.full(y.shape, ch.estimate(nu_now, tgt, sin2w) / keV)


def _held(state, axis, ch) -> str:
    """The parameters held at their current values, as one line."""
    flavour = "flavour" in PHYSICS_INPUTS[ch.name]
    parts = [neutrino_label(state.flavour, state.anti)] if flavour else []
    if axis == "mu":
        parts.append(f"qν = {sci(state.q_eff)} e")
    else:
        mu = f"{sci(state.mu_eff)} μB" if state.mu_eff else "0 (off)"
        parts.append(f"μν = {mu}, qν {'<' if state.q_sign < 0 else '>'} 0")
    parts.append(f"⟨r²⟩ = {state.r2:.3g}×10⁻³² cm²" if state.r2 else "⟨r²⟩ = 0")
    parts.append(ch.model_label(state))
    return ", ".join(parts)
