"""Export of the current curves (CSV) and figures (PNG) as download links that work in Voila.

The links are ``<a download=… href="data:…;base64,…">``: the browser saves the payload without a
round trip to the server, so they work the same in Voila, Jupyter and Binder. They are made on
demand (a button), not on every slider move.

>>> import numpy as np
>>> link = data_link("curves.csv", "text/csv", b"a,b\\n", "CSV")
>>> link
'<a download="curves.csv" href="data:text/csv;base64,YSxiCg==">CSV</a>'
"""

from __future__ import annotations

import base64
import functools
import html
import io

import numpy as np

import explorer
from explorer.app.declare.channels import CHANNELS
from explorer.app.declare.fmt import energy, neutrino_label, number
from explorer.app.declare.params import PARAMS, REGISTRY, applies
from explorer.app.state.pins import MAX_PINS
from explorer.app.state.urlstate import to_query
from explorer.app.view import moments_mode
from explorer.app.view.model import PanelView, RatesView

CSV_COLUMNS = (
    "channel",
    "T_keV",
    "dsigma_dT_SM_cm2_per_keV",
    "dsigma_dT_EM_cm2_per_keV",
    "dsigma_dT_total_cm2_per_keV",
    *(f"pin{i}_total_cm2_per_keV" for i in range(1, MAX_PINS + 1)),
)


#: Short names in captions where the control's label is a sentence.
_SHORT = {"target": "target", "q": "qν", "form_factor": "F(q)", "binding": "binding"}


def caption_params(state, channel: str) -> tuple:
    """The registry entries a figure of ``channel`` depends on, for ``state``: the panel's physics
    inputs that travel in links (not the axis ranges) and apply to the state (no reactor power
    under the Sun), advanced ones only when moved from their default, then the threshold line."""
    defaults = state.defaults()
    out = [
        p for p in PARAMS
        if channel in p.affects and p.physics and p.url and p.group != "view"
        and applies(p, state)
        and not ((p.advanced or p.silent_default) and getattr(state, p.name) == defaults[p.name])
    ]  # fmt: skip
    threshold = CHANNELS[channel].threshold  # the view input the figure draws: its threshold line
    return (*out, *((REGISTRY[threshold],) if threshold else ()))


def _value_text(p, state) -> str:
    v = getattr(state, p.name)
    if p.codec == "switch":
        return number(v, p.fmt) + f" {p.unit}" if getattr(state, f"{p.name}_on") else "off"
    if p.codec == "signed":
        sign = getattr(state, f"{p.name}_sign")
        return number(sign * v, p.fmt) + f" {p.unit}" if sign else "off"
    if p.options:
        return next((label for label, value in p.options if value == v), str(v))
    if isinstance(v, float):
        if p.unit == "keV":
            return energy(v)
        if p.unit.startswith("10"):  # ⟨r²⟩ in 10⁻³² cm², protons in 10¹⁵/s
            return f"{number(v, p.fmt)}×{p.unit}" if v else "0"
        return f"{number(v, p.fmt)} {p.unit}".strip()
    return str(v)


def caption(state, channel: str = "electron") -> str:
    """One line that says what the figure of ``channel`` shows for ``state``: exactly the inputs
    of that figure (:func:`caption_params`), then the paper."""
    parts = []
    for p in caption_params(state, channel):
        if p.name == "anti":
            continue
        if p.name == "flavour":
            parts.append(neutrino_label(state.flavour, state.anti))
            continue
        parts.append(f"{_SHORT.get(p.name, p.label)} = {_value_text(p, state)}")
    parts += moments_mode.caption_parts(state, channel)
    return ", ".join(parts) + " — Kouzakov & Studenikin, arXiv:1603.02462"


def csv_params(params: dict) -> list:
    """The header lines of every CSV that restore the view: each parameter (display units,
    with its label), then the link."""
    lines = []
    for p in PARAMS:
        unit = f" [{p.unit}]" if p.unit else ""
        lines.append(f"# {p.name} = {params[p.name]!r}{unit}  ({p.label})")
    return [*lines, f"# link: ?{to_query(params)}"]


def csv_header(params: dict, what: str) -> list:
    """The header of a CSV that shows ``what``: the explorer's version and the paper, then
    :func:`csv_params`."""
    return [
        f"# explorer {explorer.__version__}: neutrino–atom collisions "
        f"(Kouzakov & Studenikin, arXiv:1603.02462); {what}",
        *csv_params(params),
    ]


def data_link(filename: str, mime: str, payload: bytes, label: str) -> str:
    """An HTML anchor that downloads ``payload`` as ``filename`` (attribute values escaped)."""
    b64 = base64.b64encode(payload).decode("ascii")
    return (
        f'<a download="{html.escape(filename, quote=True)}" '
        f'href="data:{html.escape(mime, quote=True)};base64,{b64}">{html.escape(label)}</a>'
    )


def curves_csv(params: dict, views: dict) -> str:
    """The curves of ``views`` (channel → PanelView) as CSV text with a commented header.

    The header names the paper, the units, every parameter (display units, with its label) and
    the link that restores the view, and explains each panel's summary line; then one row per
    point: channel, T (keV), SM, EM (= total − SM, signed) and total dσ/dT per atom in cm²/keV.
    """
    out = io.StringIO()
    out.write(
        f"# explorer {explorer.__version__}: neutrino–atom collisions "
        "(Kouzakov & Studenikin, arXiv:1603.02462)\n"
    )
    out.write("# dσ/dT per atom of the target in cm^2/keV; T in keV; EM = total − SM (signed)\n")
    out.write(
        "# electron: ν–e scattering eqs. 5–11 (binding as given); nucleus: CEvNS eqs. 12–15\n"
    )
    out.write("\n".join(csv_params(params)) + "\n")
    out.write(moments_mode.csv_note(params))
    out.write(
        "# per panel: crossover_keV = edge of the low-T region where |EM| >= SM, with its kind "
        "(edge: a finite region; all: up to T_max; none: no region); estimate_keV = the paper's "
        "eq. 9 / eq. 16 scale; T_max_keV = kinematic end point (eq. 4)\n"
    )
    for name, v in views.items():
        p, c = v.physics, v.physics.crossover
        out.write(
            f"# {name}: crossover_keV={c.value:.6g} ({c.kind}); estimate_keV={p.estimate:.6g}; "
            f"T_max_keV={p.tmax:.6g}\n"
        )
        for i, pin in enumerate(v.pins, 1):
            out.write(f"# {name} pin{i}: {pin.label} (pinned inputs: {pin.spec or 'defaults'}); "
                      f"its total dσ/dT on the same T grid\n")  # fmt: skip
    out.write(",".join(CSV_COLUMNS) + "\n")
    for name, v in views.items():
        c = v.curves
        pins = [pin.total for pin in v.pins]
        block = np.column_stack([c.T, c.sm, c.em, c.total, *pins])
        empty = "," * (MAX_PINS - len(pins))
        for row in block:
            out.write(name + "," + ",".join(f"{x:.8e}" for x in row) + empty + "\n")
    return out.getvalue()


RATES_COLUMNS = ("T_keV", "dR_dT_SM_per_kg_day_keV", "dR_dT_EM_per_kg_day_keV",
                 "dR_dT_total_per_kg_day_keV")  # fmt: skip


def rates_csv(params: dict, v) -> str:
    """The rates panel (a RatesView) as CSV text: a header with every parameter, the link, the
    counts and the sensitivity, then dR/dT per (kg · day · keV) of detector material."""
    out = io.StringIO()
    out.write(f"# explorer {explorer.__version__}: event rates, {v.title}\n")
    out.write("# dR/dT per kg of detector material per day per keV; T in keV; EM = total − SM\n")
    out.write("\n".join(csv_params(params)) + "\n")
    out.write(moments_mode.csv_note(params))
    c = v.counts
    out.write(
        f"# window_keV = {v.window[0]:.6g} .. {v.window[1]:.6g}; events SM = {c.sm:.6g}, "
        f"EM = {c.em:.6g}, total = {c.total:.6g}, background = {v.n_background:.6g}; "
        f"mu_excluded_90CL_muB = {v.sensitivity:.6g}\n"
    )
    out.write(",".join(RATES_COLUMNS) + "\n")
    for row in np.column_stack([v.T, v.sm, v.em, v.total]):
        out.write(",".join(f"{x:.8e}" for x in row) + "\n")
    return out.getvalue()


@functools.singledispatch
def table_csv(view, params: dict, views: dict) -> str:
    """The CSV of the shown panels ``views`` (channel → view model), by the type of their first
    view model ``view``: each kind of view model registers its writer (``table_csv.register``)."""
    raise TypeError(f"no CSV writer for {type(view).__name__}")


@table_csv.register
def _(view: PanelView, params: dict, views: dict) -> str:
    return curves_csv(params, views)


@table_csv.register
def _(view: RatesView, params: dict, views: dict) -> str:
    return rates_csv(params, view)


def views_csv(params: dict, views: dict) -> str:
    """The CSV text of the shown panels ``views`` (channel → view model) for the state values
    ``params``: the one export path of the page (:func:`table_csv`)."""
    return table_csv(next(iter(views.values())), params, views)
