"""The rates panel: what it plots and prints is what explorer.physics.rates gives for the state,
presets set the detector, links carry the view, and the threshold moves counts and sensitivity."""

import math

import numpy as np
import pytest
from hepunits import GW, cm2, day, keV, kg, m, s

from explorer.app import build_dashboard
from explorer.app.state.presets import RATE_PRESETS
from explorer.app.state.traits import ExplorerState
from explorer.app.view.rates import compute_rates, make_source
from explorer.physics import rates, sources

PER = 1 / (kg * day * keV)


def test_curves_and_counts_are_the_physics_for_the_state():
    dash = build_dashboard(query="channel=rates&mu=5e-11")
    v = dash.panels["rates"].view
    src = sources.reactor(3 * GW, 13.9 * m)  # the defaults: GEMMA-like reactor, Ge, e⁻ recoils
    r = rates.dR_dT(v.T * keV, src, "Ge", "electron", mu=5e-11)
    np.testing.assert_allclose(v.sm, r.sm / PER, rtol=1e-12)
    np.testing.assert_allclose(v.em, r.em / PER, rtol=1e-12)
    f = dash.panels["rates"].figure
    np.testing.assert_array_equal(f.sm.get_ydata(), v.sm)
    n = rates.counts(src, "Ge", 1.5 * kg * 365 * day, 2.8 * keV, 10 * keV, mu=5e-11)
    assert v.counts.sm == pytest.approx(n.sm, rel=1e-12, abs=0)
    assert v.counts.em == pytest.approx(n.em, rel=1e-12, abs=0)
    # background: 2.5 /(kg·day·keV) × 1.5 kg × 365 d × 7.2 keV, by hand
    assert v.n_background == pytest.approx(2.5 * 1.5 * 365 * 7.2, rel=1e-12, abs=0)
    text = dash.panels["rates"].readout.value
    assert "Expected EM events" in text and "μν excluded at 90 % CL" in text


def test_sensitivity_readout_is_where_em_counts_reach_the_poisson_limit():
    """At the μν the panel prints, the extra counts equal the 90 % CL Poisson upper limit on
    SM + background (classical limit, checked against the exact Poisson sum)."""
    v = compute_rates(ExplorerState(channel="rates", mu_on=False))
    b = v.counts.sm + v.n_background
    s = rates.poisson_upper_limit(b, 0.9)
    src = sources.reactor(3 * GW, 13.9 * m)
    n = rates.counts(src, "Ge", 1.5 * kg * 365 * day, 2.8 * keV, 10 * keV, mu=v.sensitivity)
    assert n.em == pytest.approx(s, rel=1e-6, abs=0)
    # the limit s itself: P(N ≤ b | b + s) = 0.1 for the (integer) median count n = b, by a sum
    k = math.floor(b)
    lam = b + s
    cdf = sum(math.exp(-lam + i * math.log(lam) - math.lgamma(i + 1)) for i in range(k + 1))
    assert cdf == pytest.approx(0.1, abs=0.02)


def test_threshold_moves_counts_and_sensitivity():
    dash = build_dashboard(query="channel=rates")
    before = dash.panels["rates"].view
    dash.state.r_threshold = 1.0
    after = dash.panels["rates"].view
    assert after.counts.sm > before.counts.sm and after.counts.em > before.counts.em
    assert after.sensitivity != before.sensitivity
    assert after.window == (1.0, 10.0)


@pytest.mark.parametrize("key", sorted(RATE_PRESETS))
def test_each_rate_preset_draws(key):
    dash = build_dashboard(query="")
    dash.page.rate_buttons[key].click()
    assert dash.state.channel == "rates"
    for name, value in RATE_PRESETS[key].changes.items():
        assert getattr(dash.state, name) == value
    v = dash.panels["rates"].view
    assert dash.error.value == ""
    assert v.counts.sm > 0 and np.all(np.isfinite(v.total)) and np.all(v.sm >= 0)
    assert RATE_PRESETS[key].source in dash.page.rate_info.value
    assert dash.panels["rates"].layout.display == "flex"
    assert dash.panels["electron"].layout.display == "none"
    # the view travels in its link
    again = build_dashboard(query=dash.link_text.value)
    assert again.state.as_dict() == dash.state.as_dict()


def test_bad_rates_values_in_a_link_are_clamped_with_a_notice():
    dash = build_dashboard(query="channel=rates&kg=-3&src=moon&bkg=1e9")
    assert dash.state.r_mass == 1e-3 and dash.state.r_background == 1e4
    assert dash.state.r_source == "reactor"
    for word in ("kg=-3", "src='moon'", "bkg=1e9"):
        assert word in dash.notice.value.replace("&#x27;", "'")


def test_threshold_above_the_spectrum_says_why():
    dash = build_dashboard(query="channel=rates&src=solar&mat=Xe&rch=nucleus&thr=50&win=100")
    v = dash.panels["rates"].view
    assert v.counts.total == 0 and math.isinf(v.sensitivity)
    assert "above the end of the spectrum" in dash.panels["rates"].readout.value


def test_rates_export_carries_the_state_counts_and_curve():
    import base64
    import re

    dash = build_dashboard(query="channel=rates&kg=10")
    dash.page.export_button.click()
    hrefs = dict(
        (name, base64.b64decode(data))
        for name, data in re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"',
                                     dash.export_links.value)
    )  # fmt: skip
    text = hrefs["neutrino_atom_rates.csv"].decode("utf-8")
    assert hrefs["neutrino_atom_rates.png"][:8] == b"\x89PNG\r\n\x1a\n"
    assert "# r_mass = 10.0 [kg]" in text and "# link: ?channel=rates&kg=10" in text
    rows = [r for r in text.splitlines() if not r.startswith("#")]
    assert rows[0].startswith("T_keV,") and len(rows) == 1 + 200
    v = dash.panels["rates"].view
    assert float(rows[1].split(",")[1]) == pytest.approx(v.sm[0], rel=1e-8, abs=0)


def test_rate_presets_take_their_numbers_from_the_papers():
    # COHERENT 2017 (Akimov et al., Science 357, 1123): 1.76e23 POT in 308.1 days →
    # 1.76e23 / 2.661984e7 s = 6.6116e15 p/s (hand), kept to 3 digits
    coherent = RATE_PRESETS["coherent"]
    assert coherent.changes["r_protons"] == 6.61 and coherent.changes["r_days"] == 308.1
    assert coherent.changes["r_protons"] == pytest.approx(1.76e23 / (308.1 * 86400) / 1e15, 1e-3)
    # flux per flavour 0.08 × 6.61e15 / (4π × 1930²) = 5.288e14 / 4.68088e7 = 1.129702e7 (hand)
    dar = make_source("pion-dar", 3.0, 6.61, 19.3)
    assert dar.components[0].flux * cm2 * s == pytest.approx(1.129702e7, rel=1e-5, abs=0)
    # GEMMA geometry: 3 GW at 13.9 m; GEMMA quotes 2.7e13 (Beda et al., arXiv:1005.2736), the
    # model here 2.52e13 (6.7 % low, sources.reactor docstring)
    g = RATE_PRESETS["gemma"].changes
    flux = make_source("reactor", g["r_power"], 5.0, g["r_distance"]).total_flux * cm2 * s
    assert flux == pytest.approx(2.7e13, rel=0.07, abs=0)
    # XENONnT 2022: 15.8 events/(t·yr·keV) = 15.8 / (1000 kg × 365.25 d) per (kg·day·keV)
    x = RATE_PRESETS["xenonnt"].changes
    assert x["r_background"] == pytest.approx(15.8 / 365250, rel=1e-4, abs=0)
    for key, preset in RATE_PRESETS.items():
        note = preset.note
        assert preset.description in note and "Numbers:" in note, key
        for quantity, value, where in preset.numbers:
            assert f"{quantity} {value} ({where})" in note, key
        # the counting window is the experiment's own, never the kinematic end
        assert preset.changes["r_window"] > preset.changes["r_threshold"], key


def test_rate_preset_note_is_shown_and_window_is_the_experiments():
    dash = build_dashboard(query="")
    dash.page.rate_buttons["gemma"].click()
    assert "Beda et al. 2012" in dash.page.rate_info.value
    v = dash.panels["rates"].view
    assert v.window == (2.8, 10.0)
    # the sensitivity counts the background over 2.8–10 keV only
    assert v.n_background == pytest.approx(2.5 * 1.5 * 365 * 7.2, rel=1e-12, abs=0)


def test_reactor_band_on_the_magnetic_moment_rate():
    # EM counts are linear in the source: the band's ends are the counts of reactor_band's low
    # and high sources; the readouts print them beside the nominal value
    v = compute_rates(ExplorerState(channel="rates"))
    lo, _, hi = sources.reactor_band(3 * GW, 13.9 * m)
    exposure = 1.5 * kg * 365 * day
    for src, got in zip((lo, hi), v.em_band, strict=True):
        n = rates.counts(src, "Ge", exposure, 2.8 * keV, 10 * keV, mu=2.9e-11)
        assert got == pytest.approx(n.em, rel=1e-12, abs=0)
    assert v.em_band[0] < v.counts.em < v.em_band[1]
    assert v.sens_band[0] < v.sensitivity < v.sens_band[1]
    text = {r.label: r.value for r in v.readouts}
    assert "–" in text["Expected EM events"] and "–" in text["μν excluded at 90 % CL"]
    # no band for a source without a reactor's low-energy extrapolation
    solar = compute_rates(ExplorerState(channel="rates", r_source="solar", r_material="Xe"))
    assert solar.em_band is None and solar.sens_band is None
