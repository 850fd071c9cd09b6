"""The moment matrix a dashboard state stands for (issue 22), and the effective moment μ_eff the
cross-section panels use: physics inputs picked from the state, nothing else.

Imports nothing of the app (the state's ``mu_eff`` calls :func:`panel_moment`), only
:mod:`explorer.physics`: :class:`~explorer.physics.moments.MomentMatrix`,
:func:`~explorer.physics.moments.effective_moment` (Giunti & Studenikin, Rev. Mod. Phys. 87, 531
(2015), Sec. VI) and the PDG 2022 mixing of :func:`explorer.physics.mixing.mixing`.

>>> from types import SimpleNamespace
>>> s = SimpleNamespace(mm_mode="dirac", mu11=1e-11, mu22=1e-11, mu33=1e-11, lam1=0, lam2=0,
...                     lam3=0, lam_phase=0, mu_on=True, E=1.0, flavour="e", anti=True,
...                     r_source="reactor", r_distance=13.9, ordering="normal")
>>> f"{panel_moment(s):.6g}"          # equal diagonal moments: μ for every flavour (unitarity)
'1e-11'
"""

from __future__ import annotations

import functools
import math
from types import SimpleNamespace

from hepunits import MeV, m

from explorer.physics.mixing import mixing
from explorer.physics.moments import MomentMatrix, effective_moment

#: The μν model choices of the registry's ``mm_mode``.
SINGLE, DIRAC, MAJORANA = "single", "dirac", "majorana"
#: The rates source and its baseline: what a pin of a matrix view records besides its panel's
#: own inputs (the μ_eff it was drawn with depends on them).
BASELINE = frozenset({"r_source", "r_distance"})


def active(state) -> bool:
    """Whether ``state`` uses a moment matrix (not the single effective μν)."""
    return state.mm_mode != SINGLE


def active_in(values: dict) -> bool:
    """:func:`active` for a parameter dict (a pin's values, an export's parameters)."""
    return values.get("mm_mode", SINGLE) != SINGLE


def as_state(values: dict) -> SimpleNamespace:
    """A parameter dict read as a state (attribute access) by the functions of this module."""
    return SimpleNamespace(**values)


def moment_matrix(state) -> MomentMatrix:
    """The :class:`~explorer.physics.moments.MomentMatrix` of the state's matrix controls
    (μ_B): Dirac diag(μ₁₁, μ₂₂, μ₃₃), or Majorana Λ = (|Λ₁|, |Λ₂| e^{iζ}, |Λ₃|), ζ in degrees."""
    return _matrix(state.mm_mode, *(float(getattr(state, n)) for n in _MATRIX_NAMES))


_MATRIX_NAMES = ("mu11", "mu22", "mu33", "lam1", "lam2", "lam3", "lam_phase")


@functools.lru_cache(maxsize=64)
def _matrix(mode, mu11, mu22, mu33, lam1, lam2, lam3, phase_deg):
    if mode == DIRAC:
        return MomentMatrix.dirac_diagonal(mu11, mu22, mu33)
    if mode == MAJORANA:
        zeta = math.radians(phase_deg)
        return MomentMatrix.majorana_from_lambda([lam1, lam2 * complex(math.cos(zeta),
                                                                       math.sin(zeta)), lam3])  # fmt: skip
    raise ValueError(f"mm_mode must be 'dirac' or 'majorana' for a matrix, got {mode!r}")


@functools.lru_cache(maxsize=2)
def mix_of(ordering: str):
    """The PDG 2022 mixing of ``ordering`` (:func:`explorer.physics.mixing.mixing`)."""
    return mixing(ordering)


def baseline(state):
    """The rates panel source's baseline: a length (reactor, π-DAR) or ``"solar"``."""
    return "solar" if state.r_source == "solar" else state.r_distance * m


def panel_moment(state) -> float:
    """μ_eff (μ_B) the cross-section panels use: the single μν, or with a matrix the effective
    moment of the panel's ν (flavour, ν/ν̄, Eν) at the rates source's baseline (solar: the
    mass-state mixture at Eν). 0 when the magnetic moment is switched off."""
    if not state.mu_on:
        return 0.0
    if not active(state):
        return state.mu
    mm, where = moment_matrix(state), baseline(state)
    return float(effective_moment(state.E * MeV, where, mm, state.flavour, state.anti,
                                  mix_of(state.ordering)))  # fmt: skip


__all__ = [
    "BASELINE",
    "DIRAC",
    "MAJORANA",
    "SINGLE",
    "active",
    "active_in",
    "as_state",
    "baseline",
    "mix_of",
    "moment_matrix",
    "panel_moment",
]
