"""State in the URL: read a query string into parameter values, write the state back as one.

Voila passes the page's query string to the kernel as the environment variable ``QUERY_STRING``.
Every control has a parameter (names below). Values are parsed, never evaluated: numbers with
``float``, choices from fixed lists. Out-of-range numbers are clamped, unknown names and bad values
are ignored, and each such case produces a plain-text note for the page (the view escapes it).

>>> values, notes = parse_query("target=xe&mu=3e-11&E=1&channel=electron")
>>> values["target"], values["mu"], values["mu_on"], values["E"], values["channel"], notes
('Xe', 3e-11, True, 1.0, 'electron', [])
>>> values, notes = parse_query("mu=1&E=abc&colour=red")
>>> values, len(notes)
({'mu_on': True, 'mu': 1e-08}, 3)
>>> to_query({**ExplorerState.defaults(), "target": "Xe", "mu": 3e-11})
'target=Xe&mu=3e-11'
"""

from __future__ import annotations

import math
from urllib.parse import parse_qsl, urlencode

from .presets import EXPERIMENTS
from .state import BINDINGS, BOUNDS, FORM_FACTORS, UNITS, ExplorerState, normalise_element

#: Longest query string read (longer ones are ignored whole, with a note).
MAX_QUERY = 2048
#: Longest single value read.
MAX_VALUE = 64

#: Query-string names of the parameters, in link order (state trait → URL name).
URL_NAMES = {
    "channel": "channel",
    "target": "target",
    "flavour": "flavour",
    "anti": "anti",
    "mu": "mu",
    "q": "q",
    "r2": "r2",
    "E": "E",
    "binding": "binding",
    "form_factor": "ff",
    "sin2w": "sin2w",
    "Te_min": "Te_min",
    "Te_max": "Te_max",
    "TN_min": "TN_min",
    "TN_max": "TN_max",
    "y_decades": "ydec",
    "thr_e": "thr_e",
    "thr_n": "thr_n",
    "m_nu": "m_nu",
}

_ALIASES = {
    "channel": {
        "both": "both",
        "all": "both",
        "electron": "electron",
        "e": "electron",
        "nucleus": "nucleus",
        "nuclear": "nucleus",
        "cevns": "nucleus",
        "n": "nucleus",
    },
    "flavour": {
        "e": "e",
        "electron": "e",
        "nue": "e",
        "mu": "mu",
        "muon": "mu",
        "μ": "mu",
        "numu": "mu",
        "tau": "tau",
        "τ": "tau",
        "nutau": "tau",
    },
    "binding": {b: b for b in BINDINGS} | {"step": "stepping", "bound": "stepping"},
    "form_factor": {f: f for f in FORM_FACTORS} | {"1": "none", "off": "none", "f1": "none"},
}
_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f"}
_OFF = {"0", "off", "none", "false", "no"}

# lower-case URL name (and a few aliases) → state trait
_BY_URL = {v.lower(): k for k, v in URL_NAMES.items()} | {
    "flavor": "flavour",
    "form_factor": "form_factor",
    "y_decades": "y_decades",
    "enu": "E",
    "e_nu": "E",
}


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "…"


def _number(name: str, raw: str, notes: list):
    """A finite float clamped to BOUNDS[name], or None (with a note) if unusable."""
    try:
        v = float(raw)
    except ValueError:
        notes.append(f"{URL_NAMES[name]}={_short(raw)!r} is not a number; ignored.")
        return None
    if not math.isfinite(v):
        notes.append(f"{URL_NAMES[name]}={_short(raw)!r} is not a finite number; ignored.")
        return None
    lo, hi = BOUNDS[name]
    c = min(max(v, lo), hi)
    if c != v:
        unit = (" " + UNITS[name]) if UNITS[name] else ""
        notes.append(
            f"{URL_NAMES[name]}={_short(raw)} is outside {lo:g}…{hi:g}{unit}; using {c:g}."
        )
    return c


def parse_query(query: str | None) -> tuple[dict, list]:
    """Parse a query string (with or without the leading ``?``) into state values and notes.

    Returns ``(values, notes)``: ``values`` maps state trait names to clean values (ready for
    :meth:`ExplorerState.update`, a ``preset`` expanded first so that explicit parameters override
    it); ``notes`` are plain-text messages about everything that was clamped or ignored.
    """
    notes: list = []
    values: dict = {}
    if not query:
        return values, notes
    query = query.lstrip("?")
    if len(query) > MAX_QUERY:
        return values, [f"The link's query string is longer than {MAX_QUERY} characters; ignored."]
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=64)
    except ValueError:
        return values, ["The link's query string has too many parameters; ignored."]
    preset: dict = {}
    for key, raw in pairs:
        k = key.strip().lower()
        raw = raw.strip()
        if len(raw) > MAX_VALUE:
            notes.append(f"The value of {_short(key)!r} is too long; ignored.")
            continue
        if k == "preset":
            exp = EXPERIMENTS.get(raw.lower())
            if exp is None:
                notes.append(
                    f"preset={_short(raw)!r} is unknown (known: {', '.join(EXPERIMENTS)}); ignored."
                )
            else:
                preset = dict(exp.values)
            continue
        name = _BY_URL.get(k)
        if name is None:
            notes.append(f"Unknown parameter {_short(key)!r}; ignored.")
            continue
        if name in _ALIASES:
            v = _ALIASES[name].get(raw.lower())
            if v is None:
                allowed = ", ".join(sorted(set(_ALIASES[name].values())))
                notes.append(f"{URL_NAMES[name]}={_short(raw)!r} is not one of {allowed}; ignored.")
            else:
                values[name] = v
        elif name == "target":
            try:
                values[name] = normalise_element(raw)
            except ValueError:
                notes.append(f"target={_short(raw)!r} is not an element with data; ignored.")
        elif name == "anti":
            if raw.lower() in _TRUE:
                values[name] = True
            elif raw.lower() in _FALSE:
                values[name] = False
            else:
                notes.append(f"anti={_short(raw)!r} is not 1 or 0; ignored.")
        elif name == "mu":
            if raw.lower() in _OFF:
                values["mu_on"] = False
            else:
                v = _number("mu", raw, notes)
                if v is not None:
                    values["mu_on"], values["mu"] = True, v
        elif name == "q":
            if raw.lower() in _OFF:
                values["q_sign"] = 0
            else:
                try:
                    sign = math.copysign(1.0, float(raw))
                except ValueError:
                    sign = 1.0
                v = _number("q", raw.lstrip("+-"), notes)
                if v is not None:
                    values["q_sign"], values["q"] = int(sign), v
        else:
            v = _number(name, raw, notes)
            if v is not None:
                values[name] = v
    return preset | values, notes


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def to_query(params: dict) -> str:
    """The query string for a parameter dict (as from :meth:`ExplorerState.as_dict`).

    Only parameters that differ from the defaults are written; the magnetic moment is written as
    ``mu=off`` when switched off, the millicharge with its sign (``q=-1e-13``) or ``q=off``.
    """
    d = ExplorerState.defaults()
    out = []
    for name, url in URL_NAMES.items():
        if name == "mu":
            if params["mu_on"] != d["mu_on"] or (params["mu_on"] and params["mu"] != d["mu"]):
                out.append((url, _fmt(params["mu"]) if params["mu_on"] else "off"))
        elif name == "q":
            if params["q_sign"] != d["q_sign"] or (params["q_sign"] and params["q"] != d["q"]):
                out.append(
                    (url, _fmt(params["q_sign"] * params["q"]) if params["q_sign"] else "off")
                )
        elif params[name] != d[name]:
            v = params[name]
            if isinstance(v, float) and _fmt(v) == _fmt(d[name]):
                continue
            if isinstance(v, bool):
                out.append((url, "1" if v else "0"))
            elif isinstance(v, float):
                out.append((url, _fmt(v)))
            else:
                out.append((url, str(v)))
    return urlencode(out, safe=",")


def round_trip_values(params: dict) -> dict:
    """The parameter values a link made from ``params`` restores (for tests and the readout)."""
    values, _ = parse_query(to_query(params))
    return {**ExplorerState.defaults(), **values}
