"""The event-rates panel: from a source and a detector to dR/dT, counts and the μν sensitivity.

Physics through :mod:`explorer.physics.sources` and :mod:`explorer.physics.rates` only
(docs/design.md, "Event rates per kg of material"); this module chooses the grid and the units and makes the view model, which the figure
(:mod:`explorer.app.render.ratefigure`) and the readouts take alone. Rates are per kg of detector material.

>>> from explorer.app.state.traits import ExplorerState
>>> v = compute_rates(ExplorerState(channel="rates"))
>>> v.T.shape, v.counts.em > 0, v.sensitivity < 1e-9
((200,), True, True)
"""

from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np
from hepunits import GW, day, keV, kg, m, s

from explorer.app.declare.channels import CHANNELS
from explorer.app.declare.fmt import energy, sci
from explorer.app.state.traits import R2_UNIT
from explorer.app.view import moments_mode
from explorer.app.view.model import RatesView, Readout
from explorer.app.view.readouts import rates_headline_html
from explorer.physics import kinematics, rates, sources
from explorer.physics.materials import material

#: Recoil bins of the dR/dT curve and thresholds of the sensitivity curve.
N_BINS = 200
N_SENS = 16
#: dR/dT is shown per (kg · day · keV).
RATE_UNIT = 1.0 / (kg * day * keV)
#: The proton rate parameter is in this unit.
PROTONS = 1e15 / s


def make_source(kind: str, power_gw: float, protons: float, distance_m: float):
    """The source of the panel (cached: the tables are built once per set of values)."""
    return _source(kind, float(power_gw), float(protons), float(distance_m))


@functools.lru_cache(maxsize=16)
def _source(kind, power_gw, protons, distance_m):
    if kind == "reactor":
        return sources.reactor(power_gw * GW, distance_m * m)
    if kind == "pion-dar":
        return sources.pion_dar(distance_m * m, protons * PROTONS)
    if kind == "solar":
        return sources.solar()
    raise ValueError(f"source must be reactor, pion-dar or solar, got {kind!r}")


def _t_end(src, mat, channel: str) -> float:
    """Largest recoil energy of the source on the material (eq. 4), in keV: the lightest body
    that recoils in ``channel`` (its record's recoil mass) among the atoms the channel does not
    refuse (¹H takes no part in CEvNS: explorer.physics.rates)."""
    ch = CHANNELS[channel]
    lightest = min(ch.recoil_mass(t) for t, _n in mat.atoms if not ch.refused(t))
    return kinematics.t_max(src.E_max, lightest) / keV


def _physics_kw(state) -> dict:
    return dict(
        mu=state.mu_eff,
        q=state.q_eff,
        r2=state.r2 * R2_UNIT,
        binding=state.binding,
        form_factor=state.form_factor,
        sin2w=state.sin2w,
    )


@functools.lru_cache(maxsize=16)
def _band_sources(power_gw: float, distance_m: float) -> tuple:
    """(low, high) reactor sources of :func:`explorer.physics.sources.reactor_band`."""
    lo, _, hi = sources.reactor_band(power_gw * GW, distance_m * m)
    return lo, hi


def _reactor_band(state, mat, channel, exposure, bkg, window, kw):
    """((EM counts low, high), (μν reach low, high)) of the reactor's low-energy band."""
    lo_w, hi_w = window
    bands = []
    for src in _band_sources(float(state.r_power), float(state.r_distance)):
        n = rates.counts(src, mat, exposure, lo_w * keV, hi_w * keV, channel=channel, **kw)
        sens_kw = {k: kw[k] for k in ("binding", "form_factor", "sin2w")}
        res = rates.sensitivity(src, mat, exposure, lo_w * keV, bkg, channel, T_max=hi_w * keV,
                                **sens_kw)  # fmt: skip
        bands.append((n.em, float(res.value)))
    (em_lo, s_lo), (em_hi, s_hi) = bands
    return (em_lo, em_hi), (min(s_lo, s_hi), max(s_lo, s_hi))


@functools.lru_cache(maxsize=8)
def _sens_curve(key, thresholds: tuple, window_hi: float) -> np.ndarray:
    src_args, mat, exposure, bkg, channel, kw = key
    src = _source(*src_args)
    out = []
    for t in thresholds:
        if t >= window_hi:
            out.append(math.inf)
            continue
        res = rates.sensitivity(
            src, mat, exposure, t * keV, bkg, channel, T_max=window_hi * keV, **dict(kw)
        )
        out.append(float(res.value))
    return np.array(out)


def compute_rates(state) -> RatesView:
    """The rates panel's view model for ``state`` (display units in, view units out)."""
    src_args = (state.r_source, state.r_power, state.r_protons, state.r_distance)
    src, mat, channel = _source(*src_args), material(state.r_material), state.r_channel
    kw = _physics_kw(state)
    t_end = _t_end(src, mat, channel)
    lo_w, hi_w = state.r_threshold, min(state.r_window, t_end)
    T = np.geomspace(t_end * 1e-5, t_end, N_BINS)
    exposure = state.r_mass * kg * state.r_days * day
    bkg = state.r_background * RATE_UNIT
    open_window = lo_w < hi_w
    matrix = None
    if moments_mode.active(state):  # μ²_eff(L, Eν) under the Eν integral (issue 22)
        matrix = moments_mode.matrix_rates(state, src, mat, channel, T * keV, (lo_w, hi_w),
                                           exposure, kw)  # fmt: skip
        r, n, kw = matrix.rate, matrix.counts, {**kw, "mu": matrix.mu_bar}
    else:
        r = rates.dR_dT(T * keV, src, mat, channel, **kw)
        if open_window:
            n = rates.counts(src, mat, exposure, lo_w * keV, hi_w * keV, channel=channel, **kw)
        else:
            n = rates.Counts(0.0, 0.0, 0.0)
    n_bkg = state.r_background * state.r_mass * state.r_days * max(hi_w - lo_w, 0.0)
    sens_kw = tuple(
        sorted((k, v) for k, v in kw.items() if k in ("binding", "form_factor", "sin2w"))
    )
    key = (src_args, state.r_material, exposure, bkg, channel, sens_kw)
    thresholds = np.geomspace(hi_w * 1e-4, hi_w * 0.9, N_SENS)
    curve = _sens_curve(key, tuple(thresholds), hi_w)
    sens = float(_sens_curve(key, (lo_w,), hi_w)[0]) if open_window else math.inf
    title = f"{src_label(state)} on {state.r_material} ({CHANNELS[channel].recoils} recoils)"
    em_band = sens_band = None
    if state.r_source == "reactor" and open_window:
        em_band, sens_band = _reactor_band(state, mat, channel, exposure, bkg, (lo_w, hi_w), kw)
    readouts = _readouts(n, n_bkg, sens, (lo_w, hi_w), t_end, open_window, em_band, sens_band)
    if matrix is not None:
        readouts += moments_mode.rates_readouts(state, matrix)
    v = RatesView(
        title, T, r.sm / RATE_UNIT, r.em / RATE_UNIT, r.total / RATE_UNIT, state.r_background,
        (lo_w, hi_w), t_end, n, n_bkg, sens, thresholds, curve, readouts, em_band, sens_band,
    )  # fmt: skip
    return dataclasses.replace(v, headline=rates_headline_html(v))


def src_label(state) -> str:
    """A short description of the source: ``reactor 3 GW at 13.9 m``."""
    if state.r_source == "reactor":
        return f"reactor {state.r_power:.3g} GW at {state.r_distance:.3g} m"
    if state.r_source == "pion-dar":
        return f"π-DAR {state.r_protons:.3g}×10¹⁵ p/s at {state.r_distance:.3g} m"
    return "solar ν (B16-GS98, LMA)"


_BAND_HELP = (
    " In brackets: the band when the reactor spectrum below 2 MeV (the Vogel–Engel "
    "extrapolation and the ²³⁸U capture ν̄, where no fit reaches) moves by ±25 % "
    "(explorer.physics.sources.reactor_band, a stated assumption)."
)


def _band(value: str, band, fmt) -> str:
    return value if band is None else f"{value} ({fmt(band[0])} – {fmt(band[1])})"


def _readouts(n, n_bkg, sens, window, t_end, open_window, em_band=None, sens_band=None) -> tuple:
    lo, hi = window
    if not open_window:
        why = f"— (threshold {energy(lo)} is above the end of the spectrum, {energy(t_end)})"
        return (Readout("Counts in the window", why, "No recoils above the threshold."),)
    band_help = _BAND_HELP if em_band is not None else ""
    sens_text = f"{sci(sens, 2)} μB" if math.isfinite(sens) else "—"
    if sens_band is not None and math.isfinite(sens):
        sens_text = _band(sens_text, sens_band, lambda x: sci(x, 2))
    return (
        Readout("Counting window", f"{energy(lo)} – {energy(hi)}",
                "Threshold to the window's upper end (at most the spectrum's end)."),
        Readout("Expected SM events", sci(n.sm, 3), "Weak-interaction events in the window."),
        Readout("Expected EM events", _band(sci(n.em, 3), em_band, lambda x: sci(x, 3)),
                "Extra events from μν, qν, ⟨r²⟩ (EM = total − SM; negative if destructive)."
                + band_help),
        Readout("Total neutrino events", sci(n.total, 3), "SM + EM."),
        Readout("Background events", sci(n_bkg, 3), "Flat background × exposure × window width."),
        Readout("Detector", "ideal: 100 % efficiency, no quenching, true recoil energy",
                "The counts are what reaches the detector; a real one sees fewer (COHERENT 2017 "
                "predicted 173 events after its efficiency, where an ideal CsI counts ≈ 700)."),
        Readout("μν excluded at 90 % CL", sens_text,
                "Smallest μν whose extra events exceed the Poisson upper limit on SM + background "
                "(explorer.physics.rates.sensitivity)." + band_help, strong=True),
    )  # fmt: skip


__all__ = ["RatesView", "compute_rates", "make_source", "src_label"]
