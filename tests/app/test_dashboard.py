"""Headless widget tests: every control changes the plotted data to what explorer.physics returns.

The widgets are driven as a user would (``widget.value = …``, ``button.click()``); the figures are
Agg figures, no browser involved. Expected curves come from ``explorer.physics`` directly
(tests/app/conftest.py), not through ``explorer.app.view.compute``.
"""

import math

import numpy as np
import pytest
from hepunits import MeV, eV, keV

from explorer.app import EXPERIMENTS, LIMITS, build_dashboard
from explorer.app.declare.fmt import sci
from explorer.app.state.presets import KEPT
from explorer.app.state.traits import ExplorerState
from explorer.physics import Neutrino, constants, electron, nucleus, target

# control → (new widget value, state set-up before the change, panels whose curves must change)
PHYSICS_CONTROLS = {
    "flavour": ("mu", {}, {"electron"}),
    "anti": (False, {}, {"electron"}),
    "mu_on": (False, {}, {"electron", "nucleus"}),
    "mu": (1e-10, {}, {"electron", "nucleus"}),
    "q_sign": (-1, {}, {"electron", "nucleus"}),
    "q": (1e-12, {"q_sign": 1}, {"electron", "nucleus"}),
    "r2": (5.0, {}, {"electron", "nucleus"}),
    "E": (3.0, {}, {"electron", "nucleus"}),
    "target": ("Xe", {}, {"electron", "nucleus"}),
    "binding": ("free", {}, {"electron"}),
    "form_factor": ("helm", {"E": 30.0, "TN_max": 100.0}, {"nucleus"}),
    "sin2w": (0.25, {}, {"electron", "nucleus"}),
    # at 1 MeV the fitted ν–e axis (1e-2…1e3 keV: 1.2 Tmax = 956 keV → 1000) is the fixed default
    "axes": ("fixed", {}, {"nucleus"}),
    "Te_min": (0.1, {"axes": "fixed"}, {"electron"}),
    "Te_max": (100.0, {"axes": "fixed"}, {"electron"}),
    "TN_min": (1e-4, {"axes": "fixed"}, {"nucleus"}),
    "TN_max": (1.0, {"axes": "fixed"}, {"nucleus"}),
}


CHANNELS = ("electron", "nucleus")


def _curves(dash, phys):
    return {ch: [a.copy() for a in phys.plotted(dash.panels[ch])] for ch in CHANNELS}


def _same(a, b):
    return all(
        x.shape == y.shape and np.array_equal(x, y, equal_nan=True)
        for x, y in zip(a, b, strict=True)
    )


@pytest.mark.parametrize("name", sorted(PHYSICS_CONTROLS))
def test_control_changes_plot_to_physics(name, phys):
    new, setup, changes = PHYSICS_CONTROLS[name]
    dash = build_dashboard(query="", **setup)
    for ch in CHANNELS:
        phys.assert_plots_physics(dash, ch)
    before = _curves(dash, phys)
    widget = dash.controls.widgets[name]
    assert widget.value != new
    n = dash.recomputes
    widget.value = new
    assert getattr(dash.state, name) == new
    assert dash.recomputes == n + 1
    after = _curves(dash, phys)
    for ch in CHANNELS:
        phys.assert_plots_physics(dash, ch)
        assert (not _same(before[ch], after[ch])) == (ch in changes), ch


def test_control_unrelated_to_a_panel_does_not_redraw_it(dash):
    draws = dash.panels["nucleus"].draws
    dash.controls.widgets["flavour"].value = "tau"
    assert dash.panels["nucleus"].draws == draws
    assert dash.panels["electron"].draws == 2


def test_y_decades_sets_the_y_range(dash):
    dash.state.axes = "fixed"
    dash.controls.widgets["y_decades"].value = 12.0
    for p in (dash.panels[ch] for ch in CHANNELS):
        lo, hi = p.figure.ax.get_ylim()
        assert math.log10(hi / lo) == pytest.approx(12.0)
        assert hi >= np.nanmax(p.view.curves.total)


@pytest.mark.parametrize(
    "channel, name, value", [("electron", "thr_e", 10.0), ("nucleus", "thr_n", 3e-3)]
)
def test_threshold_moves_line_and_readout(dash, channel, name, value):
    dash.controls.widgets[name].value = value
    panel = dash.panels[channel]
    assert list(panel.figure.vline_thr.get_xdata()) == [value, value]
    s = dash.state
    nu = Neutrino(s.flavour, anti=s.anti, mu=s.mu)
    if channel == "electron":
        xs = electron.dsigma_dT(value * keV, s.E * MeV, nu)
    else:
        xs = nucleus.dsigma_dT(value * keV, s.E * MeV, nu, target(s.target))
    assert panel.view.ratio_at_threshold == pytest.approx(xs.em / xs.sm, rel=1e-12, abs=0)
    assert sci(xs.em / xs.sm, 3) in panel.readout.value


def test_neutrino_mass_readout_is_eq1(dash):
    dash.controls.widgets["m_nu"].value = 1.0
    assert sci(constants.dirac_magnetic_moment(1.0 * eV)) in dash.page.global_readout.value
    assert "3.2×10⁻¹⁹" in dash.page.global_readout.value  # the paper's number for 1 eV


def test_channel_focus_hides_and_shows_panels(dash):
    w = dash.controls.widgets["channel"]
    w.value = "electron"
    assert dash.panels["nucleus"].layout.display == "none"
    assert dash.panels["electron"].layout.display == "flex"
    dash.state.mu = 1e-10  # hidden panel is not redrawn …
    draws = dash.panels["nucleus"].draws
    w.value = "nucleus"  # … until it is shown, then it is up to date
    assert dash.panels["nucleus"].draws == draws + 1
    assert dash.panels["electron"].layout.display == "none"


def test_crossover_marker_and_lines_match_physics(dash, phys):
    s = dash.state
    nu = phys.neutrino_of(s)
    E = s.E * MeV
    for ch, tc, est in (
        (
            "electron",
            electron.crossover(E, nu, target(s.target), binding=s.binding),
            electron.crossover_estimate(nu),
        ),
        (
            "nucleus",
            nucleus.crossover(E, nu, target(s.target)),
            nucleus.crossover_estimate(nu, s.target),
        ),
    ):
        f = dash.panels[ch].figure
        assert f.marker_cross.get_visible()
        assert f.marker_cross.get_xdata()[0] == pytest.approx(tc / keV, rel=1e-12)
        assert f.vline_est.get_xdata()[0] == pytest.approx(est / keV, rel=1e-12)
        assert f.vline_tmax.get_xdata()[0] == pytest.approx(phys.expected_tmax(s, ch), rel=1e-12)
        # the readout prints the crossover with its unit
        text = dash.panels[ch].readout.value
        assert ("keV" in text) if ch == "electron" else ("eV" in text)


def test_shading_covers_exactly_where_em_dominates(dash, phys):
    dash.state.update(q_sign=1, q=3e-13, mu_on=False)  # interference: EM changes sign
    for ch in CHANNELS:
        panel = dash.panels[ch]
        T, xs = phys.expected(dash.state, ch)
        dom = (np.abs(xs.em) >= xs.sm) & (xs.sm > 0)
        bands = panel.figure.shade.get_paths()
        inside = np.zeros_like(dom)
        for path in bands:
            x0, x1 = path.vertices[:, 0].min(), path.vertices[:, 0].max()
            inside |= (T >= x0) & (T <= x1)
        np.testing.assert_array_equal(inside, dom)
    assert np.isfinite(phys.plotted(dash.panels["electron"])[3]).any()  # a dashed EM < 0 part


def test_binding_edges_are_the_shells_in_range(dash):
    f = dash.panels["electron"].figure
    xs = sorted(seg[0][0] for seg in f.edges.get_segments())
    shells = sorted(
        s.binding / keV
        for s in target("Ge").shells
        if dash.state.Te_min <= s.binding / keV <= dash.state.Te_max
    )
    assert xs == pytest.approx(shells)
    labels = {t.get_text() for t in f.edge_labels if t.get_visible()}
    assert {"K", "L1", "M1"} <= labels


@pytest.mark.parametrize("key", sorted(EXPERIMENTS))
def test_preset_sets_every_control_with_one_recompute(dash, phys, key):
    n = dash.recomputes
    draws = {ch: dash.panels[ch].draws for ch in CHANNELS}
    buttons = [b for b in dash.children[4].children if b.description == EXPERIMENTS[key].label]
    buttons[0].click()
    assert dash.recomputes == n + 1
    assert all(dash.panels[ch].draws == draws[ch] + 1 for ch in CHANNELS)
    kept = {k: v for k, v in dash.state.as_dict().items() if k not in KEPT}
    assert kept == EXPERIMENTS[key].values
    for name, w in dash.controls.widgets.items():
        assert w.value == getattr(dash.state, name), name
    for ch in CHANNELS:
        phys.assert_plots_physics(dash, ch)
    assert EXPERIMENTS[key].description in dash.preset_info.value


def test_experiment_set_ups_cover_the_issue():
    v = {k: e.values for k, e in EXPERIMENTS.items()}
    assert (
        v["gemma-ge"]["target"] == "Ge" and v["gemma-ge"]["anti"] and 1 <= v["gemma-ge"]["E"] <= 2
    )
    assert v["coherent-csi"]["target"] in ("Cs", "I") and v["coherent-csi"]["E"] == pytest.approx(
        30, abs=1
    )
    assert v["xenon-pp"]["target"] == "Xe" and v["xenon-pp"]["E"] < 0.5
    assert v["xenon-8b"]["target"] == "Xe" and v["xenon-8b"]["E"] >= 5


def test_reset_restores_defaults(dash):
    dash.state.update(target="Xe", mu=1e-9, channel="nucleus")
    reset = next(b for b in dash.children[4].children if b.description == "Reset")
    reset.click()
    assert dash.state.as_dict() == ExplorerState.defaults()


def test_quick_target_buttons(dash, phys):
    for b in dash.controls.target_buttons:
        b.click()
        assert dash.state.target == b.description
        assert dash.controls.widgets["target"].value == b.description
    phys.assert_plots_physics(dash, "nucleus")


def test_limit_buttons_set_mu_and_limits_are_cited(dash):
    # the paper's two (refs. 15, 16) and the later ones (tests/physics/test_limits.py)
    assert {lim.value for lim in LIMITS.values()} == {
        2.9e-11, 3e-12, 1.2e-12, 4.5e-12, 7.4e-11, 2.8e-11, 7.5e-11, 6.4e-12, 1.1e-11,
    }  # fmt: skip
    for lim in LIMITS.values():
        assert lim.source in dash.page.global_readout.value.replace("&#x27;", "'")
    # buttons: the paper's two, Borexino and the best of each kind, computed from the table
    assert list(dash.page.limit_buttons) == [
        "gemma", "red-giant", "red-giant-2020", "borexino", "xenonnt",
    ]  # fmt: skip
    featured = [LIMITS[k] for k in dash.page.limit_buttons]
    for b, lim in zip(dash.page.limit_buttons.values(), featured, strict=True):
        dash.state.mu_on = False
        b.click()
        assert dash.state.mu_on and dash.state.mu == lim.value


def test_slider_echo_within_half_a_step_is_ignored(dash):
    """A browser slider sends back its value rounded to the step: that must not move the state."""
    dash.state.E = 1.5
    w = dash.controls.widgets["E"]
    n = dash.recomputes
    w.value = 10 ** round(math.log10(1.5), 2)  # what the front end sends back (1.5136…)
    assert dash.state.E == 1.5 and dash.recomputes == n
    w.value = 10 ** (round(math.log10(1.5), 2) + 0.01)  # one step: a real move
    assert dash.state.E == w.value and dash.recomputes == n + 1


def test_errors_in_the_redraw_are_shown_on_the_page(dash, monkeypatch):
    real = dash.physics

    def boom(name, state):
        if name == "electron":
            raise RuntimeError("kaboom <b>")
        return real(name, state)

    monkeypatch.setattr(dash, "physics", boom)
    dash.state.mu = 1e-10  # must not raise
    assert dash.error.layout.display == "block"
    assert "kaboom &lt;b&gt;" in dash.error.value and '<b>"' not in dash.error.value
    monkeypatch.undo()
    dash.state.mu = 2e-10
    assert dash.error.value == "" and dash.error.layout.display == "none"


def test_button_errors_are_shown_on_the_page(dash, monkeypatch):
    from explorer.app.control import dashboard as mod

    monkeypatch.setattr(mod, "views_csv", lambda *a: 1 / 0)
    dash.page.export_button.click()
    assert "ZeroDivisionError" in dash.error.value


def test_no_figure_is_rebuilt_and_artists_persist(dash):
    f = dash.panels["electron"].figure
    ids = (id(f.figure), id(f.line_sm), id(f.shade), len(f.ax.lines), len(f.ax.collections))
    for mu in (1e-12, 1e-11, 1e-10):
        dash.state.mu = mu
    assert (id(f.figure), id(f.line_sm), id(f.shade), len(f.ax.lines), len(f.ax.collections)) == ids
    assert bytes(dash.panels["electron"].image.value[:8]) == b"\x89PNG\r\n\x1a\n"


def test_weak_moment_with_stepping_has_no_region_below_first_ionisation(dash):
    """An |EM| ≥ SM edge below I₁ (Ge: 7.9 eV) is no region with stepping, but is with free e⁻."""
    dash.state.update(mu=3e-13, Te_min=1e-3)
    p = dash.panels["electron"]
    assert p.view.physics.crossover.kind == "none" and not p.figure.marker_cross.get_visible()
    assert "none" in p.readout.value
    dash.state.binding = "free"
    assert p.view.physics.crossover.kind == "edge"
    assert p.view.physics.crossover.value * 1e3 == pytest.approx(
        2.162, abs=1e-3
    )  # eV, physics doctest value


def test_apply_query_after_building_matches_building_with_the_query(monkeypatch):
    # The dashboard notebook builds with defaults before the page request (pre-heated kernel)
    # and applies QUERY_STRING afterwards: the result must be the same view, in one recompute.
    from explorer.app import build_dashboard

    direct = build_dashboard(query="target=Xe&mu=5e-11&E=2&channel=electron")
    late = build_dashboard(query="")
    before = late.recomputes
    monkeypatch.setenv("QUERY_STRING", "target=Xe&mu=5e-11&E=2&channel=electron")
    late.apply_query()
    assert late.recomputes == before + 1
    assert late.link_text.value == direct.link_text.value
    assert late.state.target == "Xe" and late.state.mu == 5e-11


@pytest.mark.parametrize(
    "query",
    [f"preset={k}" for k in EXPERIMENTS] + ["target=Xe&thr_e=0.005", "E=0.417&mu=6.45e-12"],
)
def test_slider_labels_show_the_value_the_physics_uses(query):
    """A log slider's label reads the state's value (not the slider's rounding to its step):
    the xenon-pp preset's Eν = 0.42 MeV must not read 0.417 (10^-0.38), nor μν 6.4e-12 read
    6.5e-12, after the browser's echo of the snapped value."""
    from explorer.app.declare.fmt import number
    from explorer.app.declare.params import REGISTRY

    dash = build_dashboard(query=query)
    for name, w in dash.controls.widgets.items():
        p = REGISTRY[name]
        if p.kind != "log":
            continue
        # the browser sends back the value snapped to the slider's step: ignored, label unchanged
        snapped = 10 ** (round(math.log10(w.value) / p.step) * p.step)
        w.value = snapped
        value = getattr(dash.state, name)
        assert (
            w.description == f"{p.label} = {number(value, p.fmt)}{' ' + p.unit if p.unit else ''}"
        )
    if "xenon-pp" in query:
        assert dash.controls.widgets["E"].description == "Eν = 0.42 MeV"
        assert dash.controls.widgets["mu"].description == "μν = 6.4×10⁻¹² μB"
        assert "Eν = 0.42 MeV" in dash.panels["electron"].view.physics.energy_label


def test_cevns_on_hydrogen_is_refused_with_a_notice_not_an_error():
    """docs/design.md, "Hydrogen and odd-A nuclei": eq. 14 does not describe a free proton (g_A²/C_V² ≈ 800); the CEvNS panel
    says so, the ν–e panel works, and no error box appears."""
    dash = build_dashboard(query="target=H")
    assert dash.error.value == ""
    p = dash.panels["nucleus"]
    assert "free proton" in p.figure.message.get_text() and p.figure.message.get_visible()
    assert "g_A²/C_V² ≈ 800" in p.readout.value
    assert (p.view.curves.sm == 0).all()
    assert dash.panels["electron"].view.curves.sm.max() > 0
    dash.state.target = "H2"  # deuterium is a nucleus: CEvNS applies
    assert p.view.curves.sm.max() > 0 and not p.figure.message.get_visible()


def test_plot_images_describe_the_view():
    """Each plot is described in words (a visually hidden note before its readout) naming
    target, Eν and crossover. (ipywidgets' Image has no alt attribute, and its tooltip trait
    breaks the image view in Voila 0.5's front end.)"""
    dash = build_dashboard(query="preset=gemma-ge")
    alt = dash.panels["electron"].readout.value.split("</span>")[0]
    assert "nac-alt" in alt and "Ge" in alt and "Eν = 1.5 MeV" in alt and "20.5 keV" in alt
    dash.state.mu_on = False
    assert "nowhere" in dash.panels["electron"].readout.value.split("</span>")[0]
    assert dash.panels["electron"].image.tooltip is None


def test_a_set_up_note_travels_with_its_link_and_survives_slider_moves():
    """Issue: the GEMMA-like note ("Eν ≈ 1.5 MeV stands for the fission spectrum") vanished on
    the first slider move and was missing when the view was opened from a link."""
    dash = build_dashboard(query="")
    dash.apply_preset("gemma-ge")
    assert "fission spectrum" in dash.preset_info.value
    dash.controls.widgets["mu"].value = 1e-10
    assert "fission spectrum" in dash.preset_info.value
    assert "changed since" in dash.preset_info.value
    link = dash.link_text.value
    assert link.startswith("?preset=gemma-ge&")
    again = build_dashboard(query=link)
    assert again.preset_info.value == dash.preset_info.value
    again.page.reset.click()
    assert again.preset_info.value == "" and again.link_text.value == "?"


@pytest.mark.parametrize("link", ["target=Na&E=0.8", "E=0.3", "target=Xe&E=0.42&mu=6.4e-12"])
def test_a_links_first_view_is_the_same_in_a_cold_and_a_preheated_kernel(link):
    # a cold kernel builds the dashboard for the link; a pre-heated one draws the defaults first
    # and applies the link later. With these links the dσ/dT axis's hysteresis (kept while the
    # curves stay in its top decades) would keep the defaults' axis: checked on the figure.
    cold = build_dashboard(query=link)
    warm = build_dashboard(query="")
    warm.apply_query(link)
    for name in ("electron", "nucleus"):
        a, b = cold.panels[name].figure, warm.panels[name].figure
        assert a.ax.get_ylim() == b.ax.get_ylim(), name
        assert a.render() == b.render(), name
    # a link that changes nothing leaves the hysteresis in place for the next slider move
    warm.apply_query(link)
    assert not warm.panels["electron"].figure._fresh_limits
