"""Readouts: the lines under each panel (as :class:`~explorer.app.view.model.Readout` records) and their HTML.

Every number is formatted here; no user text enters the HTML unescaped. A readout that has no
meaning shows "—" and says why (a ratio above T_max, or below I₁ where nothing is ionised).
"""

from __future__ import annotations

import html
import traceback

from explorer.app.declare.channels import CHANNELS
from explorer.app.declare.fmt import energy, sci
from explorer.app.view.model import PanelPhysics, Readout, ThresholdFacts
from explorer.physics.limits import LIMITS
from explorer.physics.probes import PROBES


def crossover_text(p: PanelPhysics, crossings: bool = True) -> str:
    """The crossover in words, with its unit: ``'20.6 keV'``, or why there is none."""
    c = p.crossover
    if c.kind == "none":
        text = "none (|EM| < SM at every T)"
    elif c.kind == "all":
        text = f"|EM| ≥ SM up to Tmax = {energy(p.tmax)}"
    else:
        text = energy(c.value)
    if crossings:
        text += _other_crossings(p)
    return text


def _other_crossings(p: PanelPhysics) -> str:
    """Where else |EM| and SM cross, in words: each crossing below Tmax by its energy, those past
    the drawn Tmax (a natural element's lighter isotopes recoil further) as a range, so that no
    count names crossings the reader cannot find on the plot."""
    c = p.crossover
    others = [x for x in c.at if not (c.kind == "edge" and abs(x / c.value - 1) < 0.02)]
    below = [x for x in others if x < p.tmax]
    past = [x for x in others if x >= p.tmax]
    text = ""
    if below:
        text += "; |EM| = SM also at " + ", ".join(energy(x) for x in below[:3])
        text += f" and {len(below) - 3} more" if len(below) > 3 else ""
    if past:
        where = energy(past[0]) if len(past) == 1 else f"{energy(past[0])}–{energy(past[-1])}"
        times = "once more" if len(past) == 1 else f"{len(past)} more times"
        text += (f"; they cross {times} past the drawn Tmax = {energy(p.tmax)}, at {where} "
                 "(the lighter isotopes' tail)")  # fmt: skip
    return text


def _ratio(p: PanelPhysics, thr: float, facts: ThresholdFacts | None) -> str:
    if facts is None:
        return f"— (threshold {energy(thr)} is above Tmax = {energy(p.tmax)})"
    if p.stepping and thr < p.ionisation:
        return f"— (below I₁ = {energy(p.ionisation)} no electron is ionised)"
    if not facts.sm > 0:
        return "— (no SM events there)"
    return f"{sci(facts.em / facts.sm, 3)} at T = {energy(thr)}"


def panel_readouts(p: PanelPhysics, thr: float, facts: ThresholdFacts | None) -> tuple:
    """The readout lines of a panel, for its physics and a threshold ``thr`` in keV."""
    ch = CHANNELS[p.channel]
    eq = ch.estimate_eq
    rows = [
        Readout("Crossover |EM| = SM (exact)", crossover_text(p),
                "Edge of the low-T region where |EM| ≥ SM; EM = total − SM.", strong=True),
        Readout(f"{eq} scale (μν only)", energy(p.estimate) if p.estimate > 0 else "— (μν off)",
                f"The paper's order-of-magnitude estimate ({eq}), from the magnetic moment alone."),
        Readout("Tmax", energy(p.tmax), "Largest recoil energy, eq. 4."),
        Readout("EM/SM at threshold", _ratio(p, thr, facts),
                "Ratio of the electromagnetic to the weak term at the detector threshold."),
    ]  # fmt: skip
    if "binding" in ch.model:  # atomic binding: the electrons a recoil of T can free
        n = "—" if facts is None else f"{facts.electrons:g} of {p.Z}"
        how = " (stepping, eqs. 10–11)" if p.stepping else " (free: all)"
        rows.append(Readout("Electrons ionisable at threshold", n + how,
                            "Σ n_j over shells with binding energy I_j ≤ T (eqs. 10–11)."))  # fmt: skip
    return (*rows, *p.facts)


def readouts_html(readouts) -> str:
    """A readout table (HTML)."""
    body = "".join(
        f"<tr title='{html.escape(r.help, quote=True)}'><td class='nac-rlabel'>"
        f"{html.escape(r.label)}</td><td>{'<b>' if r.strong else ''}{html.escape(r.value)}"
        f"{'</b>' if r.strong else ''}</td></tr>"
        for r in readouts
    )
    return f"<table class='nac-readout'>{body}</table>"


def page_html(mu_eff: float, m_nu: float, mu_dirac: float, seen: dict | None = None) -> str:
    """Eq. 1 for ``m_nu`` eV and the experimental limits beside the current μν (HTML). Each
    limit says what it bounds (:data:`explorer.physics.probes.PROBES`, the one home of that fact);
    ``seen`` (limit key → μ_B, the moment-matrix mode) is the μ_eff each limit's probe sees,
    compared with the limit instead of the one μν."""
    comp = (
        f" — {sci(mu_eff / mu_dirac)} times below the current μν = {sci(mu_eff)} μB"
        if mu_eff > 0
        else ""
    )
    rows = []
    for lim in LIMITS.values():
        if seen:
            ratio = f"its μ_eff = {sci(seen[lim.key])} μB, μ_eff/limit = {seen[lim.key] / lim.value:.2g}"
        else:
            ratio = f"μν/limit = {mu_eff / lim.value:.2g}" if mu_eff > 0 else "μν/limit = —"
        tip = html.escape(lim.caveats or lim.source, quote=True)
        rows.append(
            f"<tr title='{tip}'><td>{html.escape(lim.label)}, {lim.year} ({lim.kind})</td>"
            f"<td>{sci(lim.value)} μB ({html.escape(lim.cl)})</td>"
            f"<td>bounds: {html.escape(PROBES[lim.key].description)}</td>"
            f"<td>{ratio}</td>"
            f"<td class='nac-source'>{html.escape(lim.source)}</td></tr>"
        )
    return (
        f"<div>Eq. 1 (minimally extended SM, Dirac ν): mν = {sci(m_nu)} eV gives "
        f"μν = <b>{sci(mu_dirac)} μB</b>{comp}.</div>"
        # the table scrolls sideways on a phone instead of being cut at the screen's edge
        f"<div style='overflow-x:auto;max-width:calc(100vw - 32px)'>"
        f"<table class='nac-readout nac-limits'>{''.join(rows)}</table></div>"
        "<div class='nac-source'>Each experiment bounds its own effective moment (reactor ν̄ₑ, the "
        "solar flavour mixture, or a sum over all states for stars): μν/limit is an "
        "order-of-magnitude comparison."
        + (
            " With the moment matrix, each row compares the limit with the effective moment its "
            "own source sees (explorer.physics.probes); below 1 the matrix is allowed by it."
            if seen
            else ""
        )
        + "</div>"
    )


def headline(p: PanelPhysics) -> str:
    """A dσ/dT panel's crossover in one line (HTML; large in presentation mode)."""
    short = CHANNELS[p.channel].short
    return f"<b>{short}</b> on {html.escape(p.title.split(' on ', 1)[-1])}: " + _headline_crossover(
        p
    )


def headline_html(views) -> str:
    """The headlines of the shown panels' view models, in one line."""
    return " &nbsp;·&nbsp; ".join(v.headline for v in views)


def rates_headline_html(v) -> str:
    """The rates panel's answer in one line (large in presentation mode): counts in the window
    and the μν the detector would exclude. ``v`` is a :class:`~explorer.app.view.rates.RatesView`."""
    lo, hi = v.window
    if not lo < hi:
        return f"<b>Event rates</b>: no recoils above the threshold {html.escape(energy(lo))}"
    sens = f"{sci(v.sensitivity, 2)} μB" if v.sensitivity < float("inf") else "—"
    return (
        f"<b>Event rates</b>, {html.escape(v.title)}: <b>{sci(v.counts.sm, 3)}</b> SM and "
        f"<b>{sci(v.counts.em, 3)}</b> EM events in {html.escape(energy(lo))}–"
        f"{html.escape(energy(hi))} (ideal detector); μν excluded above <b>{sens}</b>"
    )


def _headline_crossover(p: PanelPhysics) -> str:
    """The crossover as a sentence: "|EM| = SM at 20.6 keV", "|EM| < SM at every T", …"""
    c = p.crossover
    if c.kind == "none":
        return "<b>|EM| &lt; SM at every T</b>"
    if c.kind == "all":
        return f"<b>|EM| ≥ SM up to Tmax = {html.escape(energy(p.tmax))}</b>"
    return f"|EM| = SM at <b>{html.escape(energy(c.value))}</b>"


def notes_html(notes: list) -> str:
    """The page's notice about a link's parameters (plain-text notes, escaped); '' for none."""
    if not notes:
        return ""
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return (
        f"<div class='nac-notice' role='status'><b>Some link parameters were adjusted:</b>"
        f"<ul style='margin:0'>{items}</ul></div>"
    )


def error_html(exc: BaseException) -> str:
    """The page's error box for an exception: its type and message, the traceback folded."""
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return (
        f"<div class='nac-error' role='alert'><b>Could not redraw:</b> "
        f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}"
        f"<details><summary>Details</summary><pre style='white-space:pre-wrap'>"
        f"{html.escape(tb)}</pre></details></div>"
    )
