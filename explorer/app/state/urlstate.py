"""State in the URL: read a query string into parameter values, write the state back as one.

Voila passes the page's query string to the kernel as the environment variable ``QUERY_STRING``.
Every parameter of the registry (:mod:`explorer.app.declare.params`) has a URL name and a *codec*, a reader and a
writer: ``number`` (clamped to the parameter's bounds), ``choice`` (from its options and their URL
spellings), ``bool``, ``target`` (an element or an isotope), ``switch`` (a number or ``off``,
which sets the companion ``<name>_on``) and ``signed`` (a signed number or ``off``, into
``<name>_sign`` and the magnitude). Values are parsed, never evaluated. Out-of-range numbers are
clamped, unknown names and bad values ignored, and each such case produces a plain-text note for
the page (the view escapes it).

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

from urllib.parse import parse_qsl, urlencode

from explorer.app.declare.params import PARAMS, REGISTRY
from explorer.app.state import pins
from explorer.app.state.codecs import CODECS as FIELD_CODECS
from explorer.app.state.codecs import Skip, short, write_plain
from explorer.app.state.presets import EXPERIMENTS
from explorer.app.state.traits import ExplorerState

#: Longest query string read (longer ones are ignored whole, with a note).
MAX_QUERY = 2048
#: Longest single value read (a pins value holds up to three views).
MAX_VALUE = 64
MAX_PINS_VALUE = 600

# lower-case URL name or alias → parameter
_BY_URL = {n.lower(): p for p in PARAMS if p.url for n in (p.url, *p.aliases)}


def _read_pins(p, raw, notes):
    channel = next(iter(p.affects))
    value, why = pins.normalise(channel, raw)
    notes += why
    return {p.name: value}


#: codec → (reader, writer): the field codecs (:mod:`.codecs`), the preset and the pins
CODECS = {
    **FIELD_CODECS,
    "preset": (None, write_plain),  # read in parse_query: it expands before the others
    "pins": (_read_pins, write_plain),
}


def _preset(raw: str) -> dict:
    exp = EXPERIMENTS.get(raw.lower())
    if exp is None:
        raise Skip(f"preset={short(raw)!r} is unknown (known: {', '.join(EXPERIMENTS)}); ignored.")
    return exp.values


def _pairs(query: str) -> list:
    if len(query) > MAX_QUERY:
        raise Skip(f"The link's query string is longer than {MAX_QUERY} characters; ignored.")
    try:
        return parse_qsl(query, keep_blank_values=True, max_num_fields=64)
    except ValueError:
        raise Skip("The link's query string has too many parameters; ignored.") from None


def parse_query(query: str | None) -> tuple[dict, list]:
    """Parse a query string (with or without the leading ``?``) into state values and notes.

    Returns ``(values, notes)``: ``values`` maps state trait names to clean values (ready for
    :meth:`ExplorerState.update`, a ``preset`` expanded first so that explicit parameters override
    it); ``notes`` are plain-text messages about everything that was clamped or ignored.
    """
    notes: list = []
    values: dict = {}
    preset: dict = {}
    try:
        pairs = _pairs((query or "").lstrip("?"))
    except Skip as why:
        return values, [str(why)]
    for key, raw in pairs:
        k, raw = key.strip().lower(), raw.strip()
        try:
            if k == "preset":
                preset = _preset(raw[:MAX_VALUE])
                continue
            p = _BY_URL.get(k)
            if p is None:
                raise Skip(f"Unknown parameter {short(key)!r}; ignored.")
            if len(raw) > (MAX_PINS_VALUE if p.codec == "pins" else MAX_VALUE):
                raise Skip(f"The value of {short(key)!r} is too long; ignored.")
            values.update(CODECS[p.codec][0](p, raw, notes))
        except Skip as why:
            notes.append(str(why))
    return preset | values, notes


def set_from_query(state, query: str | None) -> list:
    """Set ``state`` (an :class:`ExplorerState`) from a link's query string; return the notes.

    What the dashboard does with its page's link (:meth:`~explorer.app.control.dashboard.Dashboard.apply_query`)
    and what the server's previews of a page do (:mod:`explorer.app.render.preview`): :func:`parse_query`, then one
    update; a combination the validators refuse leaves the defaults, with a note.

    >>> s = ExplorerState()
    >>> set_from_query(s, "target=Xe&E=1e9"), s.target
    (['E=1e9 is outside 0.01…100 MeV; using 100.'], 'Xe')
    """
    notes: list = []
    if query:
        values, notes = parse_query(query)
        try:
            state.update(**values)
        except Exception as exc:  # a combination the validators refuse: keep the defaults
            notes.append(f"The link's values could not be applied ({exc}); showing the defaults.")
    return notes


def to_query(params: dict) -> str:
    """The query string for a parameter dict (as from :meth:`ExplorerState.as_dict`).

    Only parameters that differ from the defaults are written; the magnetic moment is written as
    ``mu=off`` when switched off, the millicharge with its sign (``q=-1e-13``) or ``q=off``.
    """
    defaults = ExplorerState.defaults()
    out = []
    for p in PARAMS:
        if p.url:
            text = CODECS[p.codec][1](p, params, defaults)
            if text is not None:
                out.append((p.url, text))
    return urlencode(out, safe=",:;")


__all__ = ["CODECS", "REGISTRY", "parse_query", "set_from_query", "to_query"]
