"""Pins: a panel's curves kept as a labelled reference beside the live ones (up to MAX_PINS).

A pin is the set of physics inputs of one panel at the moment it was pinned, written with the
link's own codecs as ``url:value`` pairs joined by ``;`` (``target:Xe;mu:off``). Only what differs
from the defaults is written, so a pin of the default view is the empty text ``""`` and is still
a pin. A panel's pins are one state parameter (``pins_e`` / ``pins_n`` in the registry), the pin
texts joined by ``,``, so that they travel in links (``?pin_e=mu:off,target:Xe``) and in the CSV
export like every other parameter. The pinned curves are recomputed on the live panel's recoil
grid, so that a pin can be compared point by point (and exported in the same CSV rows).

>>> spec = encode("electron", {**ExplorerState.defaults(), "target": "Xe", "mu_on": False})
>>> spec
'target:Xe;mu:off'
>>> values, notes = decode("electron", spec)
>>> values["target"], values["mu_on"], notes
('Xe', False, [])
>>> label("electron", values)
'Xe, ν̄ₑ, Eν = 1 MeV, μν off'
"""

from __future__ import annotations

from explorer.app.declare.channels import CHANNELS
from explorer.app.declare.fmt import neutrino_label, number
from explorer.app.declare.params import PHYSICS_INPUTS, REGISTRY
from explorer.app.state import matrix
from explorer.app.state.codecs import CODECS, Skip
from explorer.app.state.traits import ExplorerState

#: At most this many pins per panel.
MAX_PINS = 3

#: Separators: between pins, between a pin's fields, between a field's name and value.
_PINS, _FIELDS, _KV = ",", ";", ":"


def _pin_params(channel: str) -> tuple:
    """The registry entries a pin of ``channel`` records: the panel's physics inputs that have a
    URL name and are not axis settings (a pin is drawn on the live axes), the physics inputs
    its record adds (a threshold, for a panel whose physics depends on one), and a matrix's
    baseline (its μ_eff depends on it)."""
    names = PHYSICS_INPUTS[channel] | matrix.BASELINE
    own = CHANNELS[channel].physics_inputs
    return tuple(REGISTRY[n] for n in REGISTRY if n in names and REGISTRY[n].url
                 and (REGISTRY[n].group != "view" or n in own))  # fmt: skip


def split(pins: str) -> list:
    """The pin texts of a pins parameter (``""`` → no pins; ``"a,b"`` → two)."""
    return pins.split(_PINS) if pins else []


def join(specs) -> str:
    """The pins parameter for a list of pin texts (the empty pin is written as ``-``)."""
    return _PINS.join(s or "-" for s in specs)


def added(pins: str, spec: str) -> str:
    """The pins parameter with pin text ``spec`` added last (the oldest dropped beyond MAX_PINS).

    >>> added("E:2,E:3,E:4", "mu:off")
    'E:3,E:4,mu:off'
    """
    return join([*split(pins), spec][-MAX_PINS:])


def removed(pins: str, index: int) -> str:
    """The pins parameter without pin ``index`` (from 0).

    >>> removed("E:2,-,E:4", 0), removed("E:2", 0)
    ('-,E:4', '')
    """
    specs = split(pins)
    del specs[index]
    return join(specs)


def encode(channel: str, values: dict) -> str:
    """The pin text of ``channel`` for the state values ``values`` (a full parameter dict)."""
    defaults = ExplorerState.defaults()
    out = []
    for p in _pin_params(channel):
        if p.name in matrix.BASELINE and not matrix.active_in(values):
            continue  # single μν: the panels do not depend on the rates source
        text = CODECS[p.codec][1](p, values, defaults)
        if text is not None:
            out.append(f"{p.url}{_KV}{text}")
    return _FIELDS.join(out)


def decode(channel: str, spec: str) -> tuple[dict, list]:
    """``(values, notes)``: the full parameter dict a pin text stands for (defaults for what it
    does not say), and plain-text notes on the fields it could not use."""
    by_url = {p.url.lower(): p for p in _pin_params(channel)}
    values, notes = ExplorerState.defaults(), []
    for field in spec.split(_FIELDS) if spec not in ("", "-") else []:
        key, _, raw = field.partition(_KV)
        p = by_url.get(key.strip().lower())
        if p is None:
            notes.append(f"pin field {key!r} is not a physics input of the {CHANNELS[channel].short} "
                         "panel; ignored.")  # fmt: skip
            continue
        try:
            values.update(CODECS[p.codec][0](p, raw.strip(), notes))
        except Skip as why:
            notes.append(f"pin: {why}")
    return values, notes


def normalise(channel: str, pins: str) -> tuple[str, list]:
    """The pins parameter rewritten in canonical form (at most MAX_PINS), with notes."""
    notes, specs = [], []
    for spec in split(pins)[:MAX_PINS]:
        values, why = decode(channel, spec)
        notes += why
        specs.append(encode(channel, values))
    if len(split(pins)) > MAX_PINS:
        notes.append(f"at most {MAX_PINS} pins per panel; the rest are ignored.")
    return join(specs), notes


def short_label(channel: str, values: dict, live: dict) -> str:
    """What a pin shows that the live view ``live`` does not: the parts of its :func:`label`
    that differ (``"μν off"``), or "same inputs" when none do.

    >>> d = ExplorerState.defaults()
    >>> short_label("electron", {**d, "mu_on": False}, d), short_label("electron", d, d)
    ('μν off', 'same inputs')
    """
    mine, theirs = _parts(channel, values), set(_parts(channel, live))
    return ", ".join(p for p in mine if p not in theirs) or "same inputs"


def label(channel: str, values: dict) -> str:
    """A pin's legend text: target, ν (where the panel depends on the flavour), Eν (where it is
    a physics input of the panel), the EM properties that are on, and the physics inputs the
    panel's record adds (a threshold)."""
    return ", ".join(_parts(channel, values))


def _parts(channel: str, values: dict) -> list:
    parts = [values["target"]]
    if "flavour" in PHYSICS_INPUTS[channel]:  # the panel's physics depends on the flavour
        parts.append(neutrino_label(values["flavour"], values["anti"]))
    if "E" in PHYSICS_INPUTS[channel]:
        parts.append(f"Eν = {number(values['E'], '.4g')} MeV")
    if values["mu_on"] and matrix.active_in(values):
        mu = matrix.panel_moment(matrix.as_state(values))
        parts.append(f"μ_eff = {number(mu, '.2g')} μB ({values['mm_mode']})")
    else:
        parts.append(f"μν = {number(values['mu'], '.2g')} μB" if values["mu_on"] else "μν off")
    if values["q_sign"]:
        parts.append(f"qν = {number(values['q_sign'] * values['q'], '.2g')} e")
    if values["r2"]:
        parts.append(f"⟨r²⟩ = {number(values['r2'], '.3g')}×10⁻³² cm²")
    own = CHANNELS[channel].physics_inputs
    for p in _pin_params(channel):
        if p.name in own:
            v = values[p.name]
            text = (
                next((lb for lb, x in p.options if x == v), None) or f"{number(v, p.fmt)} {p.unit}"
            )
            parts.append(f"{p.label} = {text}".strip())
    return parts
