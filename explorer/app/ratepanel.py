"""The event-rates panel: from a source and a detector to dR/dT, counts and the μν sensitivity.

Physics through :mod:`explorer.physics.sources` and :mod:`explorer.physics.rates` only (DESIGN
§4.15–16); this module chooses the grid and the units and makes the view model, which the figure
(:mod:`.ratefigure`) and the readouts take alone. Rates are per kg of detector material.

>>> from explorer.app.state import ExplorerState
>>> v = compute_rates(ExplorerState(channel="rates"))
>>> v.T.shape, v.counts.em > 0, v.sensitivity < 1e-9
((200,), True, True)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from hepunits import GW, day, keV, kg, m, s

from explorer.physics import kinematics, rates, sources
from explorer.physics.constants import ME
from explorer.physics.materials import material

from .fmt import energy, sci
from .model import Readout
from .state import R2_UNIT

#: Recoil bins of the dR/dT curve and thresholds of the sensitivity curve.
N_BINS = 200
N_SENS = 16
#: dR/dT is shown per (kg · day · keV).
RATE_UNIT = 1.0 / (kg * day * keV)
#: The proton rate parameter is in this unit.
PROTONS = 1e15 / s


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
    counts: rates.Counts
    n_background: float
    sensitivity: float  # μν in μB excluded at 90 % CL (inf: none)
    thresholds: np.ndarray  # keV, for the sensitivity curve
    sens_curve: np.ndarray  # μν in μB
    readouts: tuple


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
    """Largest recoil energy of the source on the material (eq. 4), in keV."""
    if channel == "electron":
        lightest = ME
    else:  # ¹H takes no part in CEvNS (explorer.physics.rates)
        lightest = min(float(t.arrays["mass"].min()) for t, _n in mat.atoms if t.Z > 1)
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
    r = rates.dR_dT(T * keV, src, mat, channel, **kw)
    exposure = state.r_mass * kg * state.r_days * day
    bkg = state.r_background * RATE_UNIT
    open_window = lo_w < hi_w
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
    title = f"{src_label(state)} on {state.r_material} ({'e⁻' if channel == 'electron' else 'nuclear'} recoils)"
    readouts = _readouts(n, n_bkg, sens, (lo_w, hi_w), t_end, open_window)
    return RatesView(
        title, T, r.sm / RATE_UNIT, r.em / RATE_UNIT, r.total / RATE_UNIT, state.r_background,
        (lo_w, hi_w), t_end, n, n_bkg, sens, thresholds, curve, readouts,
    )  # fmt: skip


def src_label(state) -> str:
    """A short description of the source: ``reactor 3 GW at 13.9 m``."""
    if state.r_source == "reactor":
        return f"reactor {state.r_power:.3g} GW at {state.r_distance:.3g} m"
    if state.r_source == "pion-dar":
        return f"π-DAR {state.r_protons:.3g}×10¹⁵ p/s at {state.r_distance:.3g} m"
    return "solar ν (B16-GS98, LMA)"


def _readouts(n, n_bkg, sens, window, t_end, open_window) -> tuple:
    lo, hi = window
    if not open_window:
        why = f"— (threshold {energy(lo)} is above the end of the spectrum, {energy(t_end)})"
        return (Readout("Counts in the window", why, "No recoils above the threshold."),)
    return (
        Readout("Counting window", f"{energy(lo)} – {energy(hi)}",
                "Threshold to the window's upper end (at most the spectrum's end)."),
        Readout("Expected SM events", sci(n.sm, 3), "Weak-interaction events in the window."),
        Readout("Expected EM events", sci(n.em, 3),
                "Extra events from μν, qν, ⟨r²⟩ (EM = total − SM; negative if destructive)."),
        Readout("Total neutrino events", sci(n.total, 3), "SM + EM."),
        Readout("Background events", sci(n_bkg, 3), "Flat background × exposure × window width."),
        Readout("μν excluded at 90 % CL", f"{sci(sens, 2)} μB" if math.isfinite(sens) else "—",
                "Smallest μν whose extra events exceed the Poisson upper limit on SM + background "
                "(explorer.physics.rates.sensitivity).", strong=True),
    )  # fmt: skip


__all__ = ["RatesView", "compute_rates", "make_source", "src_label"]
