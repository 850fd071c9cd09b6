"""Every visitor's link is parsed by ``set_from_query`` (the page's kernel and the server's
previews): fuzzed with arbitrary query strings built from the registry's URL names and hostile
values, it never raises, every numeric parameter stays inside its declared bounds, and the
notes are plain strings."""

from __future__ import annotations

import math
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.app.declare.params import AXIS_PAIRS, PARAMS
from explorer.app.state.traits import ExplorerState
from explorer.app.state.urlstate import set_from_query

NAMES = sorted({p.url for p in PARAMS if p.url} | {"preset", "x", "", "mu[]", "E%00"})
HOSTILE = ["nan", "inf", "-inf", "1e999", "-0", "1e-400", "off", "on", "", "<script>", "%",
           "Xe", "Ge72", "Xe-136", "0x10", "١٢", "1_000", "  3 ", "\x00", "e", "-", "+1e-11"]  # fmt: skip

values = st.one_of(
    st.sampled_from(HOSTILE),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=30),
)
pairs = st.lists(st.tuples(st.sampled_from(NAMES), values), max_size=12)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs, st.booleans())
def test_any_link_is_read_without_error_and_within_bounds(items, encode):
    query = "&".join(f"{k}={quote(v, safe='') if encode else v}" for k, v in items)
    state = ExplorerState()
    notes = set_from_query(state, query)
    assert all(isinstance(n, str) for n in notes)
    for p in PARAMS:
        if p.bounds is None or not hasattr(state, p.name):
            continue
        v = getattr(state, p.name)
        if isinstance(v, float):
            lo, hi = p.bounds
            assert math.isfinite(v) and lo <= v <= hi, (p.name, v, query)


# the ends of an axis range are moved further by the state to keep the range wide (AXIS_PAIRS)
PAIRED = {name for pair in AXIS_PAIRS for name in pair[:2]}
NUMBERS = [
    p for p in PARAMS
    if p.bounds and p.url and p.codec in ("number", "switch") and p.name not in PAIRED
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(NUMBERS), st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_a_number_alone_is_clamped_to_its_bounds(p, x):
    state = ExplorerState()
    notes = set_from_query(state, f"{p.url}={quote(repr(x), safe='')}")
    lo, hi = p.bounds
    expected = min(max(x, lo), hi)
    got = getattr(state, p.name)
    if got != expected:  # only a combination the validators refuse may leave the default
        assert any("default" in n.lower() or "refused" in n.lower() for n in notes), (
            p.name,
            x,
            got,
            notes,
        )
        assert got == ExplorerState.defaults()[p.name]
    assert (expected != x) == any(f"{p.url}=" in n and "outside" in n for n in notes)
