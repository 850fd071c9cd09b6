"""The moment-matrix mode (issue 22): from the μν model controls to the effective moment the
panels use, the rates with μ²_eff(L, Eν) under the Eν integral, and the readouts that say so.

A scattering experiment sees an *effective* magnetic moment (the paper, after eq. 8): it depends
on the flavour produced, the path to the detector and the 3×3 moment matrix in the mass basis
(Giunti & Studenikin, Rev. Mod. Phys. 87, 531 (2015), Sec. VI). The registry's ``mm_mode`` picks
one effective μν (``"single"``, the paper's view and the default), a Dirac matrix (diagonal μ₁₁,
μ₂₂, μ₃₃) or Majorana transition moments (|Λ₁|, |Λ₂|, |Λ₃| and the phase of Λ₂). With a matrix:

* the cross-section panels use μ_eff of a ν of the panel's flavour (and ν/ν̄) with the panel's Eν,
  produced at the rates panel's baseline (reactor, π-DAR) — or, with the solar source, the
  mass-state mixture at Eν (:func:`explorer.physics.moments.effective_moment`);
* the rates panel integrates μ²_eff(L, Eν) of each flavour component of its source under the Eν
  integral (:func:`explorer.physics.probes.dR_dT_with_moments`, :func:`~explorer.physics.probes.
  counts_with_moments`);
* the limits table compares each limit with the μ_eff its own probe sees
  (:data:`explorer.physics.probes.PROBES`).

All physics comes from :mod:`explorer.physics`; this module picks the inputs from the state.
The state's ``mu_eff`` calls :func:`.matrix.panel_moment` (the moment matrix a state stands
for, in :mod:`explorer.app.state.matrix`, which imports nothing of the app); this module re-exports it.

>>> from explorer.app.state import ExplorerState
>>> s = ExplorerState(mm_mode="dirac", mu11=1e-11, mu22=1e-11, mu33=1e-11)
>>> f"{s.mu_eff:.6g}"                      # equal diagonal moments: μ for every flavour (unitarity)
'1e-11'
>>> describe_source(ExplorerState(mm_mode="majorana"))
'ν̄ₑ of Eν = 1 MeV, 13.9 m from the reactor'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from hepunits import keV

from explorer.app.declare.channels import CHANNELS
from explorer.app.declare.fmt import neutrino_label, sci
from explorer.app.declare.params import PAGE, REGISTRY
from explorer.app.state.matrix import (
    DIRAC,
    MAJORANA,
    SINGLE,
    active,
    active_in,
    as_state,
    baseline,
    mix_of,
    moment_matrix,
    panel_moment,
)
from explorer.app.view.model import Readout
from explorer.physics import probes, rates
from explorer.physics.limits import LIMITS
from explorer.physics.moments import MomentMatrix

#: Parameters outside the matrix controls that the panels' μ_eff depends on in a matrix mode:
#: the flavour, ν/ν̄ and Eν of the cross-section panels, the rates panel's source and baseline.
SEEN_BY = frozenset({"E", "flavour", "anti", "r_source", "r_distance"})
#: The rates source and its baseline: what a pin of a matrix view records besides its panel's
#: own inputs (the μ_eff it was drawn with depends on them).
BASELINE = frozenset({"r_source", "r_distance"})
#: Pseudo-changes that mark what the cross sections' μ_eff feeds stale, from the registry's
#: dependency sets: ``E`` is a physics input of the two cross-section panels only, ``m_nu`` an
#: input of the page's readouts only (the rates integrate over Eν and do not depend on them).
_STALE = frozenset({"E", "m_nu"})
assert REGISTRY["E"].physics and REGISTRY["E"].affects == {
    c.name for c in CHANNELS.values() if c.has_recoil_axis
}
assert REGISTRY["m_nu"].affects == {PAGE}


def widen(changed: frozenset, state) -> frozenset:
    """``changed`` plus the pseudo-changes :data:`_STALE` (the cross-section panels and the page
    readout, not the rates) when, in a matrix mode, something the panels' effective moment
    depends on moved (Eν, flavour, ν/ν̄, the source or its baseline; :data:`SEEN_BY`)."""
    if active(state) and changed & SEEN_BY:
        return changed | _STALE
    return changed


def describe_source(state) -> str:
    """Which neutrino the cross-section panels' μ_eff is that of, in words."""
    nu = neutrino_label(state.flavour, state.anti)
    if state.r_source == "solar":
        return f"solar ν of Eν = {state.E:.4g} MeV (mass-state mixture at the Earth)"
    where = "the reactor" if state.r_source == "reactor" else "the π-DAR target"
    return f"{nu} of Eν = {state.E:.4g} MeV, {state.r_distance:.3g} m from {where}"


# ----------------------------------------------------------------------------------------------
# rates


@dataclass(frozen=True)
class MatrixRates:
    """The rates panel's physics with a moment matrix: dR/dT, the counts in the window, and μ̄,
    the single μν that gives the same magnetic counts (μ_B; 0 with no window)."""

    rate: rates.Rate
    counts: rates.Counts
    mu_bar: float


def matrix_rates(state, src, mat, channel, T, window, exposure, kw) -> MatrixRates:
    """dR/dT at recoil energies ``T`` (energy) and the counts in ``window`` (lo, hi in keV; an
    empty window gives zero counts) for ``exposure``, with μ²_eff(L, Eν) of each component of
    ``src`` under the Eν integral. ``kw``: the rates keywords of the panel (its ``mu`` unused)."""
    mm, where, mix = moment_matrix(state), baseline(state), mix_of(state.ordering)
    if not state.mu_on:  # switched off: no magnetic term at all
        mm = MomentMatrix.dirac(np.zeros((3, 3)))
    opts = {k: kw[k] for k in ("binding", "form_factor", "sin2w")}
    q, r2 = kw["q"], kw["r2"]
    rate = probes.dR_dT_with_moments(T, src, mat, channel, mm, where, q, r2, mix, **opts)
    lo, hi = window
    if not lo < hi:
        return MatrixRates(rate, rates.Counts(0.0, 0.0, 0.0), 0.0)
    n = probes.counts_with_moments(src, mat, exposure, lo * keV, hi * keV, channel, mm, where,
                                   q, r2, mix, **opts)  # fmt: skip
    # μ̄² = MU_REF² · (magnetic counts of the matrix) / (magnetic counts at one μ = MU_REF)
    ref = rates.counts(src, mat, exposure, lo * keV, hi * keV, channel, probes.MU_REF, **opts)
    mag = probes.counts_with_moments(src, mat, exposure, lo * keV, hi * keV, channel, mm, where,
                                     0.0, 0.0, mix, **opts).em  # fmt: skip
    mu_bar = probes.MU_REF * math.sqrt(max(mag, 0.0) / ref.em) if ref.em > 0 else 0.0
    return MatrixRates(rate, n, mu_bar)


def rates_readouts(state, mr: MatrixRates) -> tuple:
    """The rates panel's readouts of the matrix mode."""
    where = ("the solar mass-state mixture" if state.r_source == "solar"
             else f"each flavour at {state.r_distance:.3g} m")  # fmt: skip
    return (
        Readout("Effective μν of the window", f"{sci(mr.mu_bar, 2)} μB" if mr.mu_bar else "—",
                "The one flavour-independent μν that would give the same magnetic counts: "
                f"μ²_eff(L, Eν) of {where} averaged over the spectrum in the window. The curves "
                "and counts integrate μ²_eff(L, Eν) under the Eν integral "
                "(explorer.physics.probes.dR_dT_with_moments); the reactor band uses this μν.",
                strong=True),
        Readout("μν excluded, with a matrix", "the reach on one flavour-independent μν",
                "The sensitivity readout is the reach on one effective μν, as in single mode: "
                "compare it with the effective μν of the window above."),
    )  # fmt: skip


# ----------------------------------------------------------------------------------------------
# readouts


def probe_moments(state) -> dict:
    """Limit key → the μ_eff (μ_B) that limit's probe sees for the state's matrix
    (:func:`explorer.physics.probes.probe_moment_squared`); empty in single mode."""
    if not active(state) or not state.mu_on:
        return {}
    mm, mix = moment_matrix(state), mix_of(state.ordering)
    return {k: math.sqrt(probes.probe_moment_squared(probes.PROBES[k], mm, mix)) for k in LIMITS}


def matrix_html(state) -> str:
    """The matrix mode's readout in the μν bar: the effective moment the panels use and what it
    is of; empty in single mode (HTML, escaped)."""
    import html

    if not active(state):
        return ""
    if not state.mu_on:
        return "<span class='nac-source'>μν model: matrix, magnetic moment off</span>"
    mu = panel_moment(state)
    what = html.escape(describe_source(state))
    kind = "Dirac matrix" if state.mm_mode == DIRAC else "Majorana Λ"
    return (
        f"<div class='nac-matrix-readout'>{kind}: effective moment <b>μ_eff = {sci(mu, 3)} μB</b>"
        f" for a {what}; it feeds the ν–e and CEvNS panels. The rates panel integrates "
        "μ²_eff(L, Eν) over its spectrum. <span class='nac-source'>(Giunti &amp; Studenikin, "
        f"RMP 87, 531, Sec. VI; {state.ordering} ordering, PDG 2022)</span></div>"
    )


def caption_parts(state, channel: str) -> list:
    """What a figure caption adds in a matrix mode: the μ_eff the cross sections used and whose
    it is, or how the rates used the matrix; nothing in single mode."""
    if not active(state) or not state.mu_on:
        return []
    if not CHANNELS[channel].has_recoil_axis:  # the rates panel
        return ["rates with μ²_eff(L, Eν) of each component under the Eν integral"]
    return [f"μ_eff = {sci(panel_moment(state), 3)} μB ({describe_source(state)})"]


def csv_note(params: dict) -> str:
    """A CSV header line (``# …\n``) naming the effective moment the cross-section panels used,
    for a parameter dict (:meth:`ExplorerState.as_dict`); empty in single mode."""
    state = as_state(params)
    if not active(state):
        return ""
    return (
        f"# mu_eff_muB = {panel_moment(state):.6g}  (moment matrix {state.mm_mode}, "
        f"{state.ordering} ordering: the effective moment of a {describe_source(state)}, used "
        "by the ν–e and CEvNS curves; rates integrate mu_eff^2(L, E_nu) over the spectrum)\n"
    )


__all__ = [
    "BASELINE",
    "DIRAC",
    "MAJORANA",
    "SEEN_BY",
    "SINGLE",
    "MatrixRates",
    "active",
    "active_in",
    "as_state",
    "baseline",
    "caption_parts",
    "csv_note",
    "describe_source",
    "matrix_html",
    "matrix_rates",
    "mix_of",
    "moment_matrix",
    "panel_moment",
    "probe_moments",
    "rates_readouts",
    "widen",
]
