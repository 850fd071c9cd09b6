"""The total cross section above the threshold against Eν: the fourth panel (issue 20, item 7).

For the recoils the state chooses (``x_recoil``: ν–e with the ν–e panel's binding model, or CEvNS
with its form factor, through that channel's record, :mod:`explorer.app.declare.channels`) and
that channel's detector threshold T_thr (``thr_e`` or ``thr_n``, keV),

    σ(Eν) = ∫ dσ/dT dT  over  T_thr ≤ T ≤ T_max(Eν),

per atom of the target, in cm², for SM, EM = total − SM and the total, and the EM share
EM/total (negative where the interference is destructive). dσ/dT is the channel's: eqs. 5–11
(free-electron formulas, eqs. 6–8 with the qν, ⟨r²⟩ shift of g_V; stepping, eqs. 10–11) or
eqs. 12–15 (CEvNS summed over the isotopes). T_max is eq. 4 with the recoiling body's mass: m_e,
or each isotope's own nuclear mass (a lighter isotope recoils further; the sum of the isotopes
is integrated up to the lightest one's T_max, with a break at each). σ = 0 below the Eν where
T_max = T_thr (the inverse of eq. 4).

The integral is composite Gauss–Legendre in ln T (dσ/dT ∝ 1/T and 1/T² terms are smooth in
ln T), split at every point where dσ/dT has a step or a kink: the binding energies (stepping)
and each isotope's T_max. Relative accuracy ≈ 1e-10 on the tests' cases
(``tests/app/test_total.py`` checks it against scipy's adaptive quadrature and the closed form
of the magnetic term).

>>> from explorer.app.state.traits import ExplorerState
>>> p = compute_total(ExplorerState(channel="total"))
>>> p.curves.T.shape, p.threshold, p.recoil
((160,), 2.8, 'electron')
"""

from __future__ import annotations

import html

import numpy as np
from hepunits import MeV, cm2, keV

from explorer.app.declare.channels import CHANNELS
from explorer.app.declare.fmt import energy, neutrino_label, sci
from explorer.app.declare.params import PHYSICS_INPUTS, REGISTRY
from explorer.app.view.compute import pin_curves
from explorer.app.view.export import csv_header, table_csv
from explorer.app.view.model import Curves, Readout, TotalPhysics, TotalView
from explorer.physics import kinematics, target
from explorer.physics.flux import gauss_legendre01
from explorer.physics.rates import e_min

#: Points of the Eν axis (log-spaced over the Eν slider's range).
N_E = 160
#: Gauss–Legendre panels per piece between breaks, and nodes per panel (in ln T).
PANELS, NODES = 6, 12
#: The cross sections are shown in this unit.
SIGMA_UNIT = cm2


def _breaks(ch, tgt, E, t_lo, t_hi):
    """(rows, k) points where the row's integrand has a step or a kink, clipped to its range."""
    fixed = [s.binding for s in tgt.shells] if "binding" in ch.model else []
    per_row = []
    if ch.refuse is not None:  # nuclei: each isotope's own T_max
        per_row = kinematics.t_max(E[:, None], tgt.arrays["mass"][None, :])
    cols = np.broadcast_to(np.asarray(fixed, float), (len(E), len(fixed)))
    pts = np.concatenate([t_lo, cols, np.atleast_2d(per_row).reshape(len(E), -1), t_hi], axis=1)
    return np.sort(np.clip(pts, t_lo, t_hi), axis=1)


def sigma_above(ch, state, tgt, nu, E, t_thr):
    """(SM, EM) of σ(T ≥ t_thr) per atom at each energy of ``E`` (arrays, hepunits) for the
    channel record ``ch``; see the module docstring."""
    kw = {k: getattr(state, k) for k in ch.model}
    t_hi = kinematics.t_max(E, ch.recoil_mass(tgt))[:, None]
    t_lo = np.full_like(t_hi, t_thr)
    pts = _breaks(ch, tgt, E, t_lo, np.maximum(t_hi, t_lo))
    u, w = gauss_legendre01(NODES)
    frac = np.arange(PANELS + 1) / PANELS
    la, lb = np.log(pts[:, :-1]), np.log(pts[:, 1:])  # (rows, pieces)
    edges = la[..., None] + (lb - la)[..., None] * frac  # (rows, pieces, panels + 1)
    lo, width = edges[..., :-1, None], np.diff(edges, axis=-1)[..., None]
    lnT = (lo + width * u).reshape(len(E), -1)  # (rows, nodes)
    weights = (width * w).reshape(len(E), -1)
    T = np.exp(lnT)
    xs = ch.dsigma(T, E[:, None], nu, tgt, **kw)
    return np.sum(xs.sm * T * weights, axis=1), np.sum(xs.em * T * weights, axis=1)


def _curves(E_mev, sm, em) -> Curves:
    return Curves(E_mev, sm / SIGMA_UNIT, em / SIGMA_UNIT, (sm + em) / SIGMA_UNIT)


def compute_total(state, x_lim: tuple | None = None) -> TotalPhysics:
    """The panel's physics for ``state``: σ above the threshold on the Eν axis (MeV), or on
    ``x_lim`` (lo, hi) in MeV when given (a pin drawn on the live axes)."""
    ch = CHANNELS[state.x_recoil]
    tgt, nu, thr = target(state.target), state.neutrino(), getattr(state, ch.threshold)
    lo, hi = x_lim if x_lim is not None else REGISTRY["E"].bounds
    E = np.geomspace(lo, hi, N_E)
    e_thr = float(e_min(thr * keV, ch.recoil_mass(tgt))) / MeV
    why = ch.refused(tgt)
    title = f"σ(T ≥ {energy(thr)}), {ch.short} on {tgt.label} ({ch.model_label(state)})"
    if why:
        zero = np.zeros_like(E)
        return TotalPhysics("total", ch.name, f"{ch.short} on {tgt.label}: not available",
                            Curves(E, zero, zero, zero), thr, e_thr, lambda _e: (0.0, 0.0),
                            notice="¹H is a free proton: CEvNS (eq. 14) does not apply")  # fmt: skip
    sm, em = sigma_above(ch, state, tgt, nu, E * MeV, thr * keV)

    def at(e_mev: float) -> tuple:
        s, m = sigma_above(ch, state, tgt, nu, np.array([e_mev * MeV]), thr * keV)
        return float(s[0] / SIGMA_UNIT), float(m[0] / SIGMA_UNIT)

    if "flavour" in PHYSICS_INPUTS[ch.name]:  # ν–e depends on the flavour, CEvNS does not
        title = f"{neutrino_label(state.flavour, state.anti)}: {title}"
    return TotalPhysics("total", ch.name, title, _curves(E, sm, em), thr, e_thr, at)


def total_view(ch, physics: TotalPhysics, state, maps: bool = True) -> TotalView:
    """The view step: σ at the current Eν (readouts, headline) and the pins."""
    E = state.E
    sm, em = physics.at(E) if E >= physics.e_threshold else (0.0, 0.0)
    share = em / (sm + em) if sm + em > 0 else float("nan")
    pinned = pin_curves(ch.name, getattr(state, ch.pins), physics.curves.T, state.as_dict())
    rows = (
        Readout("σ_SM at Eν", f"{sci(sm, 3)} cm²", "Weak cross section above the threshold, per atom."),
        Readout("σ_EM at Eν", f"{sci(em, 3)} cm²", "EM = total − SM above the threshold (negative if destructive)."),
        Readout("EM share at Eν", "—" if share != share else f"{share:.3g}",
                "EM/total: the fraction of the events above the threshold that the EM properties add.", strong=True),
        Readout("Eν threshold", energy(physics.e_threshold * 1e3),
                "Below this Eν no recoil reaches the threshold (inverse of eq. 4)."),
        *(Readout(f"Pin {i}", p.label, "A pinned reference view (its total σ).") for i, p in enumerate(pinned, 1)),
    )  # fmt: skip
    what = "—" if share != share else f"{share:.3g}"
    headline = (f"<b>σ above threshold</b>, {html.escape(physics.title)}: at Eν = {E:.4g} MeV "
                f"<b>{sci(sm + em, 3)} cm²</b>, EM share <b>{what}</b>")  # fmt: skip
    alt = (f"{physics.title}: σ against Eν from {physics.curves.T[0]:.3g} to "
           f"{physics.curves.T[-1]:.3g} MeV; at Eν = {E:.4g} MeV the EM share is {what}.")  # fmt: skip
    return TotalView(physics, E, rows, alt, pinned, headline)


COLUMNS = ("Enu_MeV", "sigma_SM_cm2", "sigma_EM_cm2", "sigma_total_cm2", "EM_share",
           "pin1_total_cm2", "pin2_total_cm2", "pin3_total_cm2")  # fmt: skip


@table_csv.register
def _(view: TotalView, params: dict, views: dict) -> str:
    p = view.physics
    lines = csv_header(params, f"σ above the threshold against Eν: {p.title}")
    lines.append(f"# sigma per atom of the target in cm^2 over T >= {p.threshold:.6g} keV "
                 f"({p.recoil} recoils); EM = total − SM; EM_share = EM/total")  # fmt: skip
    c = p.curves
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(c.total > 0, c.em / c.total, np.nan)
    pins = [pin.total for pin in view.pins]
    block = np.column_stack([c.T, c.sm, c.em, c.total, share, *pins])
    empty = "," * (3 - len(pins))
    rows = [",".join(f"{x:.8e}" for x in row) + empty for row in block]
    return "\n".join([*lines, ",".join(COLUMNS), *rows]) + "\n"


__all__ = ["COLUMNS", "N_E", "compute_total", "sigma_above", "total_view"]
