"""The link codecs: how one registry parameter is read from a link's text and written back.

A codec is a (reader, writer) pair named by :attr:`~explorer.app.declare.params.Param.codec`:
``number`` (clamped to the parameter's bounds), ``choice`` (from its options and their URL
spellings), ``bool``, ``target`` (an element or an isotope), ``switch`` (a number or ``off``,
which sets the companion ``<name>_on``) and ``signed`` (a signed number or ``off``, into
``<name>_sign`` and the magnitude). Values are parsed, never evaluated; a value that cannot be
used raises :class:`Skip` with the note for the page. The link reader (:mod:`.urlstate`) and the
pins (:mod:`.pins`) both write their fields with these.

>>> from explorer.app.declare.params import REGISTRY
>>> notes = []
>>> CODECS["number"][0](REGISTRY["E"], "1e9", notes), notes
({'E': 100.0}, ['E=1e9 is outside 0.01…100 MeV; using 100.'])
"""

from __future__ import annotations

import math

from explorer.app.state.traits import normalise_target

_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f"}
_OFF = {"0", "off", "none", "false", "no"}


class Skip(Exception):
    """A value that cannot be used; its message is the note for the page."""


def short(value: str) -> str:
    """``value`` cut to 40 characters, for a note."""
    return value if len(value) <= 40 else value[:37] + "…"


def _number(p, raw: str, notes: list) -> float:
    """A finite float clamped to the parameter's bounds (a note when clamped)."""
    try:
        v = float(raw)
    except ValueError:
        raise Skip(f"{p.url}={short(raw)!r} is not a number; ignored.") from None
    if not math.isfinite(v):
        raise Skip(f"{p.url}={short(raw)!r} is not a finite number; ignored.")
    lo, hi = p.bounds
    c = min(max(v, lo), hi)
    if c != v:
        unit = f" {p.unit}" if p.unit else ""
        notes.append(f"{p.url}={short(raw)} is outside {lo:g}…{hi:g}{unit}; using {c:g}.")
    return c


def _read_number(p, raw, notes):
    return {p.name: _number(p, raw, notes)}


def _read_choice(p, raw, notes):
    spellings = {str(v).lower(): v for v in p.values} | p.value_aliases
    v = spellings.get(raw.lower())
    if v is None:
        raise Skip(
            f"{p.url}={short(raw)!r} is not one of {', '.join(map(str, p.values))}; ignored."
        )
    return {p.name: v}


def _read_bool(p, raw, notes):
    if raw.lower() in _TRUE:
        return {p.name: True}
    if raw.lower() in _FALSE:
        return {p.name: False}
    raise Skip(f"{p.url}={short(raw)!r} is not 1 or 0; ignored.")


def _read_target(p, raw, notes):
    try:
        return {p.name: normalise_target(raw)}
    except ValueError:
        raise Skip(
            f"{p.url}={short(raw)!r} is not an element or isotope with data; ignored."
        ) from None


def _read_switch(p, raw, notes):
    if raw.lower() in _OFF:
        return {f"{p.name}_on": False}
    return {f"{p.name}_on": True, p.name: _number(p, raw, notes)}


def _read_signed(p, raw, notes):
    if raw.lower() in _OFF:
        return {f"{p.name}_sign": 0}
    v = _number(p, raw.lstrip("+-"), notes)
    return {f"{p.name}_sign": -1 if raw.startswith("-") else 1, p.name: v}


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def write_plain(p, params, defaults):
    v, d = params[p.name], defaults[p.name]
    if isinstance(v, bool):
        return None if v == d else ("1" if v else "0")
    if isinstance(v, float):
        return None if _fmt(v) == _fmt(d) else _fmt(v)
    return None if v == d else str(v)


def _write_switch(p, params, defaults):
    on = f"{p.name}_on"
    if params[on] == defaults[on] and (not params[on] or params[p.name] == defaults[p.name]):
        return None
    return _fmt(params[p.name]) if params[on] else "off"


def _write_signed(p, params, defaults):
    sign = f"{p.name}_sign"
    if params[sign] == defaults[sign] and (not params[sign] or params[p.name] == defaults[p.name]):
        return None
    return _fmt(params[sign] * params[p.name]) if params[sign] else "off"


#: codec → (reader, writer)
CODECS = {
    "number": (_read_number, write_plain),
    "choice": (_read_choice, write_plain),
    "bool": (_read_bool, write_plain),
    "target": (_read_target, write_plain),
    "switch": (_read_switch, _write_switch),
    "signed": (_read_signed, _write_signed),
}

__all__ = ["CODECS", "Skip", "short", "write_plain"]
