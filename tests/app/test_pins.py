"""Pins (issue 11.1) and presentation mode (issue 11.3), checked against explorer.physics
directly and through the link, the CSV and the figure."""

import numpy as np
import pytest
from hepunits import MeV, cm2, keV

from explorer.app import build_dashboard
from explorer.app.declare import dom
from explorer.app.declare.params import PARAMS, REGISTRY
from explorer.app.state.pins import MAX_PINS
from explorer.app.state.urlstate import parse_query
from explorer.app.view.export import CSV_COLUMNS, curves_csv
from explorer.physics import Neutrino, electron, nucleus, target

XS = cm2 / keV


def _pinned_lines(dash, channel):
    f = dash.panels[channel].figure
    return [np.asarray(line.get_ydata()) for line in f.pin_lines if line.get_visible()]


def test_a_pin_keeps_the_curve_it_was_made_from_and_the_live_one_moves():
    dash = build_dashboard(query="target=Xe&E=1.5&mu=3e-11&channel=electron")
    dash.pin("electron")
    dash.state.mu = 1e-10  # the live view moves on; the pin stays
    T = np.asarray(dash.panels["electron"].figure.line_total.get_xdata())
    # the pinned total, computed here straight from the physics on the live grid
    nu = Neutrino("e", anti=True, mu=3e-11)
    pinned = electron.dsigma_dT(T * keV, 1.5 * MeV, nu, target("Xe")).total / XS
    (line,) = _pinned_lines(dash, "electron")
    np.testing.assert_allclose(line, np.where(pinned > 0, pinned, np.nan), rtol=1e-12)
    live = np.asarray(dash.panels["electron"].figure.line_total.get_ydata())
    # μν 3×10⁻¹¹ → 10⁻¹⁰: the total grows at most by (10/3)², reached where the EM term rules
    assert 0.98 * (10 / 3) ** 2 < np.nanmax(live / line) <= (10 / 3) ** 2 * (1 + 1e-12)
    legend = dash.panels["electron"].figure.legend.legend.labels
    assert "pin 1: μν = 3×10⁻¹¹ μB" in legend  # what differs from the live view (issue 23)
    assert "Pin 1" in dash.panels["electron"].readout.value
    assert "Xe, ν̄ₑ, Eν = 1.5 MeV, μν = 3×10⁻¹¹ μB" in dash.panels["electron"].readout.value


def test_a_cevns_pin_of_another_target_is_the_physics_of_that_target():
    dash = build_dashboard(query="target=Ge&E=10&mu=off&channel=nucleus")
    dash.pin("nucleus")
    dash.state.target = "Xe"
    T = np.asarray(dash.panels["nucleus"].figure.line_total.get_xdata())
    ge = nucleus.dsigma_dT(T * keV, 10 * MeV, Neutrino("e", anti=True), target("Ge")).total / XS
    (line,) = _pinned_lines(dash, "nucleus")
    np.testing.assert_allclose(line, np.where(ge > 0, ge, np.nan), rtol=1e-12)
    assert np.count_nonzero(ge > 0) < T.size  # Ge's Tmax lies inside Xe's axis: the pin ends


def test_pins_travel_in_the_link_and_the_csv():
    dash = build_dashboard(query="target=Xe&channel=electron")
    dash.pin("electron")
    dash.state.update(mu_on=False, E=2.0)
    dash.pin("electron")
    link = dash.link_text.value
    assert "pin_e=target:Xe,target:Xe;mu:off;E:2" in link
    other = build_dashboard(query=link)
    assert other.state.pins_e == dash.state.pins_e
    for a, b in zip(_pinned_lines(dash, "electron"), _pinned_lines(other, "electron"), strict=True):
        np.testing.assert_array_equal(a, b)
    views = {"electron": dash.panels["electron"].view}
    lines = curves_csv(dash.state.as_dict(), views).splitlines()
    header = lines.index(",".join(CSV_COLUMNS))
    rows = np.array(
        [[float(x) if x else np.nan for x in r.split(",")[1:]] for r in lines[header + 1 :]]
    )
    pins = views["electron"].pins
    np.testing.assert_allclose(rows[:, 4], pins[0].total, rtol=1e-8, atol=0)
    np.testing.assert_allclose(rows[:, 5], pins[1].total, rtol=1e-8, atol=0)
    assert np.isnan(rows[:, 6]).all()
    assert any("electron pin2: Xe, ν̄ₑ, Eν = 2 MeV, μν off" in line for line in lines[:header])


def test_at_most_three_pins_the_oldest_goes_and_each_can_be_removed():
    dash = build_dashboard(query="channel=electron")
    for E in (1.0, 2.0, 3.0, 4.0):
        dash.state.E = E
        dash.pin("electron")
    labels = [p.label for p in dash.panels["electron"].view.pins]
    assert len(labels) == MAX_PINS and "Eν = 2 MeV" in labels[0] and "Eν = 4 MeV" in labels[2]
    assert dash.panels["electron"].pin_button.disabled
    dash.panels["electron"].unpin_buttons[1].click()
    labels = [p.label for p in dash.panels["electron"].view.pins]
    assert len(labels) == 2 and "Eν = 2 MeV" in labels[0] and "Eν = 4 MeV" in labels[1]
    shown = [b.layout.display for b in dash.panels["electron"].unpin_buttons]
    assert shown == ["flex", "flex", "none"]
    assert not dash.panels["electron"].pin_button.disabled


def test_bad_pins_in_a_link_give_notes_not_errors():
    values, notes = parse_query("pin_e=mu:banana;colour:red,E:2,E:3,E:4,E:5")
    assert values["pins_e"] == "-,E:2,E:3"  # the first pin lost its bad fields: the default view
    assert len(notes) == 3 and any("at most 3" in n for n in notes)
    dash = build_dashboard(query="pin_n=target:H")  # ¹H: CEvNS refused, the pin is empty
    assert "not" in dash.notice.value or dash.state.pins_n == "target:H"
    assert not dash.error.value


def test_set_ups_and_reset_keep_pins_and_presentation_mode():
    dash = build_dashboard(query="present=1&pin_e=mu:off")
    dash.apply_preset("xenon-pp")
    assert dash.state.present and dash.state.pins_e == "mu:off"
    dash.reset()
    assert dash.state.present and dash.state.pins_e == "mu:off"
    assert dash.state.target == REGISTRY["target"].default


def test_presentation_mode_folds_the_advanced_controls_and_heads_with_the_crossover():
    dash = build_dashboard(query="preset=gemma-ge&present=1")
    assert dom.PRESENT in dash._dom_classes
    folded = {n for n, w in dash.controls.widgets.items() if dom.ADVANCED in w._dom_classes}
    assert {"sin2w", "form_factor", "axes", "Te_min", "y_decades", "m_nu"} <= folded
    assert not folded & {"mu", "E", "target", "thr_e", "present"}
    head = dash.page.headline.value
    for ch in ("electron", "nucleus"):
        c = dash.panels[ch].view.physics.crossover
        assert c.kind == "edge"
    assert "20.5 keV" in head and "0.491 eV" in head  # the panels' own readouts
    assert "20.5 keV" in dash.panels["electron"].readout.value
    dash.state.present = False
    assert dom.PRESENT not in dash._dom_classes


@pytest.mark.parametrize("p", [p for p in PARAMS if p.kind != "none"], ids=lambda p: p.name)
def test_no_label_is_cut(p):
    """Issue 12.6: labels are whole words (no '…' in any label, help or option)."""
    for text in (p.label, p.help, *(str(label) for label, _ in p.options)):
        assert not text.rstrip().endswith("…"), text


def test_the_map_sits_under_each_plot_and_agrees_with_the_readout():
    """Issue 11.2 in the dashboard: map=mu draws a map under both plots; its current row's
    crossover is the panel's readout (the map's alt text and the readout say the same value)."""
    import io

    from PIL import Image

    dash = build_dashboard(query="preset=gemma-ge&map=mu")
    for ch in ("electron", "nucleus"):
        panel = dash.panels[ch]
        assert panel.map_image.layout.display == "flex"
        assert Image.open(io.BytesIO(panel.map_image.value)).size[0] > 300
        c = panel.view.physics.crossover
        value = next(r.value for r in panel.view.readouts if r.label.startswith("Crossover"))
        assert value.split(";")[0] in panel.map_alt, (value, panel.map_alt)
        assert c.kind == "edge"
    runs = dict(dash.physics_runs)
    before = bytes(dash.panels["electron"].map_image.value)
    dash.state.thr_e = 10.0  # a view input: the map's threshold line moves, no physics
    assert bytes(dash.panels["electron"].map_image.value) != before
    assert dash.physics_runs == runs
    assert "map=mu" in dash.link_text.value
    dash.state.map = "q"
    assert "|qν|" in dash.panels["nucleus"].map_alt
    dash.state.map = "off"
    assert all(dash.panels[ch].map_image.layout.display == "none" for ch in ("electron", "nucleus"))


def test_a_pin_wholly_off_the_dsigma_axis_is_named_in_the_legend_not_silently_lost():
    # μν = 10⁻⁸ on Ge: the EM term (∝ μν²) puts the curve ~10⁷ above the weak term; back at the
    # slider's floor the axis fits the weak curve, and the pinned curve lies wholly above it
    dash = build_dashboard(query="target=Ge&E=1.5&mu=1e-8")
    fig = dash.panels["electron"].figure
    dash.pin("electron")

    def legend():
        return fig.legend.legend.labels  # the legend is rebuilt when its entries change

    # just pinned: it lies on the live total, and says so (issue 23)
    assert fig.pin_lines[0].get_visible()
    assert "pin 1: same inputs (= total)" in legend()
    dash.state.mu = 1e-14
    T = np.asarray(fig.line_total.get_xdata())
    peak = electron.dsigma_dT(T * keV, 1.5 * MeV, Neutrino("e", True, mu=1e-8), target("Ge"))
    peak = float(peak.total.max() / XS)
    top = fig.ax.get_ylim()[1]
    assert peak > top and float(np.nanmin(fig.pin_lines[0].get_ydata())) > top  # wholly above
    assert not fig.pin_lines[0].get_visible()
    assert [t for t in legend() if "pin" in t] == ["pin 1: μν = 1×10⁻⁸ μB ▲ above the axis"]
    # back where it was pinned: drawn, and named plainly
    dash.state.mu = 1e-8
    assert fig.pin_lines[0].get_visible()
    assert [t for t in legend() if "pin" in t] == ["pin 1: same inputs (= total)"]
