"""Widget models per page (issue 10): widgets that look the same share one Layout / Style model,
and sharing never lets one widget's change reach another.

The counts are structural (how many comm models the page fetches), not timings.
"""

import comm
import ipywidgets as widgets
import pytest

from explorer.app import EXPERIMENTS, build_dashboard
from explorer.app.declare.params import REGISTRY
from explorer.app.state.presets import RATE_PRESETS
from explorer.app.widgets.controls import _tree, share_models, shared


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
    with the pin buttons, the map images and the pixel-ratio field (each toggled: own Layout;
    148 is also what ipywidgets' ``update_states`` reply carried in benchmarks/bench_page.py)."""
    dash = build_dashboard(query="")
    models = _models(dash)
    layouts = [m for m in models.values() if isinstance(m, widgets.Layout)]
    # issue 23: + the rates panel's ⁸B set-up button, and own Layouts for the source's controls
    # (power, proton rate, distance: hidden when the source ignores them), and the background
    # slider's wider label style (its label was cut)
    # issue 22: + the moment-matrix mode's nine controls (μν model, μ₁₁ μ₂₂ μ₃₃, |Λ₁| |Λ₂| |Λ₃|,
    # arg Λ₂, ordering) and its readout; the controls shown in the same case share one Layout
    # (which also merged the five "fixed axes" ones), and the allowed-region figure is built
    # only when a matrix mode is first shown
    assert len(models) <= 163
    assert len(layouts) <= 32  # 29 + the three source controls (issue 23)
    # every model of the page is open (a closed one would be missing in the browser)
    assert all(m.comm is not None for m in models.values())


@pytest.fixture
def comm_messages(monkeypatch):
    """Every comm message the widgets send (msg_type, or ``comm_msg:<method>``), in order."""
    sent = []

    def publish(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        method = (data or {}).get("method")
        sent.append(f"{msg_type}:{method}" if msg_type == "comm_msg" else msg_type)

    monkeypatch.setattr(comm.DummyComm, "publish_msg", publish)
    return sent


def test_build_opens_each_model_once_and_closes_none(comm_messages):
    """The shared Layouts and Styles are given at construction: no model is opened, replaced and
    closed (before: 238 opens, 90 closes and 195 updates for 148 models, benchmarks/bench_page.py
    on 2026-12-01), and the controls are built with the state's values (no update to repeat them).
    The updates left are the first drawing: the images, readouts, link and the panels' display."""
    dash = build_dashboard(query="")
    # (shared models made by an earlier dashboard in this process are reused, not opened again)
    assert comm_messages.count("comm_open") <= len(_models(dash))
    assert comm_messages.count("comm_close") == 0
    assert comm_messages.count("comm_msg:update") <= 25
    assert share_models(dash, own_layout=dash._toggled()) == 0  # nothing left to share
    del comm_messages[:]
    dash.apply_query("target=Xe&mu=3e-11")  # a pre-heated kernel's page request
    assert comm_messages.count("comm_open") == 0
    assert comm_messages.count("comm_msg:update") <= 12


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
