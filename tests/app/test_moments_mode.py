"""The moment-matrix mode of the dashboard (issue 22): its link round-trips, the single-μν mode is
unchanged, and the effective moment the panels use is the one written by hand here (PDG 2022
literals for the mixing, the incoherent sum of diagonal Dirac moments), never recomputed through
the app's own code; atol = 0 for small numbers."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from explorer.app import build_dashboard
from explorer.app.state.traits import ExplorerState
from explorer.app.state.urlstate import parse_query, to_query
from explorer.app.view.export import caption, curves_csv
from explorer.app.view.rates import compute_rates
from explorer.app.view.region import REGION_LIMITS, region_view
from explorer.app.view.spectra import compute_electron, compute_nucleus
from explorer.physics.limits import LIMITS
from explorer.physics.probes import PROBES

#: |U_e1|², |U_e2|², |U_e3|² from PDG 2022: c12² c13², s12² c13², s13² (sin²θ12 = 0.307,
#: sin²θ13 = 0.0220).
UE2 = ((1 - 0.307) * (1 - 0.0220), 0.307 * (1 - 0.0220), 0.0220)

MATRIX = dict(mm_mode="majorana", lam1=4e-11, lam2=3e-12, lam3=7e-11, lam_phase=90.0,
              ordering="inverted", mu11=2e-11, mu22=5e-12, mu33=1e-10)  # fmt: skip


def test_link_round_trips_the_matrix_state():
    s = ExplorerState(**MATRIX, E=3.0, r_distance=30.0)
    query = to_query(s.as_dict())
    assert "mm=majorana" in query and "zeta=90" in query and "order=inverted" in query
    values, notes = parse_query(query)
    assert notes == []
    back = ExplorerState(**values)
    assert back.as_dict() == s.as_dict()
    # and the dashboard opened on that link shows it
    dash = build_dashboard(query=query)
    assert dash.state.as_dict() == s.as_dict()
    assert dash.link_text.value == "?" + query
    assert dash.region.layout.display == "flex"
    assert "Majorana Λ: effective moment" in dash.matrix_readout.value


def test_single_mode_is_unchanged_and_writes_no_new_names():
    dash = build_dashboard(query="target=Xe&mu=3e-11")
    assert dash.link_text.value == "?target=Xe&mu=3e-11"
    assert dash.state.mu_eff == 3e-11
    assert dash.region is None and dash.matrix_readout.value == ""
    assert dash.controls.widgets["mu"].layout.display != "none"
    for name in ("mu11", "lam1", "lam_phase", "ordering"):
        assert dash.controls.widgets[name].layout.display == "none", name
    # the matrix sliders, moved while in single mode, change nothing the panels show
    before = dash.panels["electron"].view.physics.curves.em.copy()
    dash.state.update(mu11=1e-9, lam2=1e-9)
    assert_allclose(dash.panels["electron"].view.physics.curves.em, before, rtol=0, atol=0)
    # and back from a matrix mode, the μν slider is used again
    dash.state.mm_mode = "dirac"
    assert dash.controls.widgets["mu"].layout.display == "none"
    dash.state.mm_mode = "single"
    assert dash.state.mu_eff == 3e-11
    assert_allclose(dash.panels["electron"].view.physics.curves.em, before, rtol=0, atol=0)


def test_dirac_moment_seen_by_the_panels_is_the_incoherent_sum_by_hand():
    # diagonal Dirac moments do not interfere: μ²_eff = Σ_k |U_ek|² μ_kk² at any baseline and Eν
    mus = (3e-11, 1e-11, 2e-12)
    want = math.sqrt(sum(w * m * m for w, m in zip(UE2, mus, strict=True)))
    for E, dist in ((1.0, 13.9), (0.05, 1e4), (30.0, 20.0)):
        s = ExplorerState(mm_mode="dirac", mu11=mus[0], mu22=mus[1], mu33=mus[2], E=E,
                          r_distance=dist, flavour="e", anti=True)  # fmt: skip
        assert s.mu_eff == pytest.approx(want, rel=1e-3, abs=0)  # PDG literals to 3 digits
    # the curves are those of the single mode with that μν
    s = ExplorerState(mm_mode="dirac", mu11=mus[0], mu22=mus[1], mu33=mus[2])
    single = ExplorerState(mu=s.mu_eff)
    for compute in (compute_electron, compute_nucleus):
        assert_allclose(compute(s).curves.em, compute(single).curves.em, rtol=1e-12, atol=0)
    # switched off: no magnetic moment at all
    s.mu_on = False
    assert s.mu_eff == 0.0


def test_equal_diagonal_moments_give_the_single_mode_rates():
    mu = 2e-11
    for src in ("reactor", "solar", "pion-dar"):
        kw = dict(channel="rates", r_source=src, r_threshold=1.0, r_window=10.0)
        matrix = compute_rates(ExplorerState(mm_mode="dirac", mu11=mu, mu22=mu, mu33=mu, **kw))
        single = compute_rates(ExplorerState(mu=mu, **kw))
        assert matrix.counts.em == pytest.approx(single.counts.em, rel=1e-9, abs=0), src
        assert_allclose(matrix.em, single.em, rtol=1e-9, atol=0)
        shown = {r.label: r.value for r in matrix.readouts}
        assert shown["Effective μν of the window"] == "2×10⁻¹¹ μB", src


def test_limits_table_says_what_each_limit_bounds_from_the_probes():
    dash = build_dashboard(query="")
    text = dash.page.global_readout.value
    for key, probe in PROBES.items():
        if key in LIMITS:
            assert probe.description.replace("&", "&amp;") in text, key
    assert "its μ_eff" not in text
    dash.state.update(mm_mode="majorana", lam1=1e-11, lam2=1e-14, lam3=1e-14)
    text = dash.page.global_readout.value
    # stars see |Λ|² (each Majorana pair once): μ_eff = |Λ₁| (the others 10⁻¹⁴, negligible)
    assert "μ_eff/limit = " in text
    rg = LIMITS["red-giant-2020"].value
    assert f"μ_eff/limit = {1e-11 / rg:.2g}" in text


def test_limit_button_returns_to_single_mode():
    dash = build_dashboard(query="mm=dirac")
    dash.page.limit_buttons["borexino"].click()
    assert dash.state.mm_mode == "single" and dash.state.mu == LIMITS["borexino"].value


def test_eν_and_the_baseline_move_the_matrix_moment_but_not_the_region():
    dash = build_dashboard(query="mm=majorana&lam2=3e-11&zeta=90&dist=1000&E=3")
    runs, draws = dict(dash.physics_runs), dash.region.draws
    mu = dash.state.mu_eff
    dash.state.r_distance = 2000.0  # the rates panel's baseline: the ν–e panel follows
    assert dash.physics_runs["electron"] == runs["electron"] + 1
    assert dash.state.mu_eff != mu
    assert dash.region.draws == draws  # the plane depends on neither
    dash.state.lam_phase = 0.0
    assert dash.region.draws == draws + 1
    # the flavour moves the CEvNS panel's μ_eff too; the rates (Eν-integrated) are not redone
    runs = dict(dash.physics_runs)
    dash.state.update(flavour="mu", anti=False)
    assert dash.physics_runs["nucleus"] == runs["nucleus"] + 1
    dash.state.update(channel="rates")
    runs = dict(dash.physics_runs)
    dash.state.E = 10.0
    assert dash.physics_runs["rates"] == runs["rates"]


def test_region_view_marks_the_current_point_and_names_each_probe():
    v = region_view(ExplorerState(mm_mode="dirac", mu11=1e-11, mu22=1e-11, mu33=1e-12))
    assert [c.key for c in v.curves] == list(REGION_LIMITS)
    assert v.point == (1e-11, 1e-11)
    for c in v.curves:
        assert PROBES[c.key].description in c.label
    # the reactor curve at (μ11, μ22) = (x, 0) with μ33 fixed: the incoherent sum by hand
    gemma = v.curves[0]
    j = 40
    want = math.sqrt(UE2[0] * v.x[j] ** 2 + UE2[2] * 1e-24)
    assert gemma.mu_eff[0, j] == pytest.approx(want, rel=1e-3, abs=0)
    assert "allowed by GEMMA, Borexino" in v.alt
    assert region_view(ExplorerState()) is None


def test_csv_header_names_the_effective_moment_used():
    dash = build_dashboard(query="mm=dirac&mu11=2e-11&mu22=2e-11&mu33=2e-11&channel=electron")
    views = {"electron": dash.panels["electron"].view}
    text = curves_csv(dash.state.as_dict(), views)
    assert "# mm_mode = 'dirac'" in text
    line = next(x for x in text.splitlines() if x.startswith("# mu_eff_muB = "))
    assert float(line.split()[3]) == pytest.approx(2e-11, rel=1e-12, abs=0)
    assert "mu_eff_muB" not in curves_csv(ExplorerState().as_dict(), views)
    assert np.isfinite(views["electron"].physics.curves.em).all()


def test_a_pin_of_a_matrix_view_keeps_its_baseline_and_says_its_moment():
    # a Majorana matrix with a phase: a reactor ν̄ₑ beam's μ_eff depends on the baseline
    dash = build_dashboard(query="mm=majorana&lam2=3e-11&zeta=90&dist=1000&E=3&channel=electron")
    mu_then = dash.state.mu_eff
    dash.pin("electron")
    assert dash.state.pins_e == "mm:majorana;lam2:3e-11;zeta:90;E:3;dist:1000"
    dash.state.r_distance = 3000.0
    assert dash.state.mu_eff != pytest.approx(mu_then, rel=1e-3, abs=0)
    pin = dash.panels["electron"].view.readouts[-1].value
    assert f"μ_eff = {mu_then:.2g}".replace("e-11", "×10⁻¹¹") in pin, pin
    # the pinned curve is the one drawn at 1000 m
    then = ExplorerState(mm_mode="majorana", lam2=3e-11, lam_phase=90.0, r_distance=1000.0, E=3.0)
    pinned = dash.panels["electron"].view.pins[0].total
    assert_allclose(pinned, compute_electron(then, t_lim=_t_lim(dash)).curves.total, rtol=1e-12,
                    atol=0)  # fmt: skip
    # a single-μν pin never records the rates source
    single = build_dashboard(query="dist=1000&channel=electron")
    single.pin("electron")
    assert single.state.pins_e == "-"


def _t_lim(dash):
    T = dash.panels["electron"].view.physics.curves.T
    return float(T[0]), float(T[-1])


def test_a_caption_names_the_effective_moment_and_whose_it_is():
    s = ExplorerState(mm_mode="dirac", mu11=2e-11, mu22=2e-11, mu33=2e-11, r_distance=20.0)
    text = caption(s, "electron")
    assert "μ_eff = 2×10⁻¹¹ μB (ν̄ₑ of Eν = 1 MeV, 20 m from the reactor)" in text, text
    assert "μν =" not in text and "μ₁₁ = 2×10⁻¹¹ μB" in text
    assert "under the Eν integral" in caption(s, "rates")
    assert "μ_eff" not in caption(ExplorerState(), "electron")
