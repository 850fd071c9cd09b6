"""Widget models per page (issue 10): widgets that look the same share one Layout / Style model,
and sharing never lets one widget's change reach another.

The counts are structural (how many comm models the page fetches), not timings.
"""

import ipywidgets as widgets

from explorer.app import EXPERIMENTS, build_dashboard
from explorer.app.controls import _tree, share_models, shared
from explorer.app.params import REGISTRY
from explorer.app.presets import RATE_PRESETS


def _models(dash):
    """Every widget model of the page: the widgets, their layouts and styles."""
    out = {}
    for w in _tree(dash):
        out[id(w)] = w
        for attr in ("layout", "style"):
            m = getattr(w, attr, None)
            if isinstance(m, widgets.Widget):
                out[id(m)] = m
    return out


def test_page_has_few_models():
    """264 models before sharing (ipywidgets 8: one Layout per widget, one Style per most),
    measured by benchmarks/bench_kernel.py on 2026-12-01; now one per distinct look: 122, and 148
    with the pin buttons, the map images and the pixel-ratio field (each toggled: own Layout)."""
    dash = build_dashboard(query="")
    models = _models(dash)
    layouts = [m for m in models.values() if isinstance(m, widgets.Layout)]
    assert len(models) <= 150
    assert len(layouts) <= 40
    # every model of the page is open (a closed one would be missing in the browser)
    assert all(m.comm is not None for m in models.values())


def test_shared_models_never_change():
    """Walk the page through every channel, both axes modes, notes, an error, every set-up: no
    Layout or Style used by two widgets changes, so no change meant for one reaches another."""
    dash = build_dashboard(query="")
    users: dict = {}
    for w in _tree(dash):
        for attr in ("layout", "style"):
            m = getattr(w, attr, None)
            if isinstance(m, widgets.Widget):
                users.setdefault(id(m), (m, []))[1].append(w)
    shared_models = {k: (m, m.get_state()) for k, (m, ws) in users.items() if len(ws) > 1}
    assert len(shared_models) >= 5

    for _, value in REGISTRY["channel"].options:
        dash.state.channel = value
        for _, axes in REGISTRY["axes"].options:
            dash.state.axes = axes
    dash.set_notes(["a note"])
    dash._set_error(ValueError("shown"))
    dash._set_error(None)
    dash.set_notes([])
    for key in EXPERIMENTS:
        dash.apply_preset(key)
    for key in RATE_PRESETS:
        dash.apply_rate_preset(key)
    for m, before in shared_models.values():
        assert m.get_state() == before, type(m).__name__


def test_share_models_keeps_own_layouts_and_closes_the_rest():
    a, b, c = (widgets.HTML(layout=widgets.Layout(width="auto")) for _ in range(3))
    box = widgets.VBox([a, b, c])
    spare_b, spare_c = b.layout, c.layout
    closed = share_models(box, own_layout=[c])
    assert a.layout is b.layout and c.layout is spare_c
    assert spare_b.comm is None and spare_c.comm is not None
    assert a.style is b.style is c.style
    assert closed == 1 + 2  # b's layout, b's and c's styles
    assert shared(widgets.Layout, width="9em") is shared(widgets.Layout, width="9em")
