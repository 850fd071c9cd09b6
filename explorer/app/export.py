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
import html
import io

import numpy as np

import explorer

from .urlstate import to_query

CSV_COLUMNS = (
    "channel",
    "T_keV",
    "dsigma_dT_SM_cm2_per_keV",
    "dsigma_dT_EM_cm2_per_keV",
    "dsigma_dT_total_cm2_per_keV",
)


def data_link(filename: str, mime: str, payload: bytes, label: str) -> str:
    """An HTML anchor that downloads ``payload`` as ``filename`` (attribute values escaped)."""
    b64 = base64.b64encode(payload).decode("ascii")
    return (
        f'<a download="{html.escape(filename, quote=True)}" '
        f'href="data:{html.escape(mime, quote=True)};base64,{b64}">{html.escape(label)}</a>'
    )


def curves_csv(params: dict, panels: dict) -> str:
    """The curves of ``panels`` (channel → PanelData) as CSV text with a commented header.

    The header names the paper, the units, every parameter (display units) and the link that
    restores the view; then one row per point: channel, T (keV), SM, EM (= total − SM, signed) and
    total dσ/dT per atom in cm²/keV.
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
    units = {
        "mu": "mu_B",
        "q": "e",
        "r2": "1e-32 cm^2",
        "E": "MeV",
        "Te_min": "keV",
        "Te_max": "keV",
        "TN_min": "keV",
        "TN_max": "keV",
        "thr_e": "keV",
        "thr_n": "keV",
        "m_nu": "eV",
    }
    for name, value in params.items():
        unit = f" [{units[name]}]" if name in units else ""
        out.write(f"# {name} = {value!r}{unit}\n")
    out.write(f"# link: ?{to_query(params)}\n")
    for name, d in panels.items():
        extra = (
            f"crossover_keV={d.crossover:.6g} ({d.crossover_kind}); estimate_keV={d.estimate:.6g}; "
        )
        out.write(f"# {name}: {extra}T_max_keV={d.tmax:.6g}\n")
    out.write(",".join(CSV_COLUMNS) + "\n")
    for name, d in panels.items():
        block = np.column_stack([d.T, d.sm, d.em, d.total])
        for row in block:
            out.write(name + "," + ",".join(f"{x:.8e}" for x in row) + "\n")
    return out.getvalue()
