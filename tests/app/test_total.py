"""The fourth panel, σ above the threshold against Eν (issue 20, item 7): its CSV columns against
the physics called directly and integrated by a second route (scipy's adaptive quadrature), the
magnetic term against its closed form, its link and its pins."""

from __future__ import annotations

import base64
import itertools
import math
import re

import numpy as np
import pytest
from hepunits import MeV, cm2, keV
from scipy import constants as sc
from scipy.integrate import quad

from explorer.app import build_dashboard
from explorer.app.declare.channels import CHANNELS
from explorer.app.state.traits import ExplorerState
from explorer.app.state.urlstate import parse_query, to_query
from explorer.app.view.total import COLUMNS
from explorer.physics import Neutrino, electron, kinematics, nucleus, target
from explorer.physics.constants import ME

R2 = 1e-32 * cm2


def _csv(dash) -> tuple[list, np.ndarray]:
    dash.page.export_button.click()
    found = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"',
                            dash.export_links.value))  # fmt: skip
    text = base64.b64decode(found["neutrino_atom_sigma.csv"]).decode("utf-8")
    lines = text.splitlines()
    header = [line for line in lines if line.startswith("#")]
    rows = [line for line in lines if not line.startswith("#")]
    assert rows[0] == ",".join(COLUMNS)
    data = np.array([[float(x) if x else np.nan for x in r.split(",")] for r in rows[1:]])
    return header, data


def _nu(s) -> Neutrino:
    mu = s.mu if s.mu_on else 0.0
    return Neutrino(s.flavour, anti=s.anti, mu=mu, q=s.q_sign * s.q, r2=s.r2 * R2)


def _quad(dsigma, lo: float, hi: float, points) -> float:
    """∫_lo^hi dsigma(T) dT (T in keV, dσ/dT in cm²/keV), adaptive, in ln T, split at ``points``."""
    if not lo < hi:
        return 0.0
    cuts = sorted({lo, hi, *(p for p in points if lo < p < hi)})
    total = 0.0
    for a, b in itertools.pairwise(cuts):
        val, _err = quad(lambda u: dsigma(math.exp(u)) * math.exp(u), math.log(a), math.log(b),
                         epsabs=0.0, epsrel=1e-11, limit=400)  # fmt: skip
        total += val
    return total


ROWS = (20, 60, 100, 140, 159)  # Eν from ~0.05 to 100 MeV


@pytest.mark.parametrize(
    "query",
    [
        "channel=total&target=Xe&mu=3e-11&q=2e-13&r2=5",  # ν–e, stepping, all three EM terms
        "channel=total&target=Ge&binding=free&flavour=mu&anti=0&thr_e=0.5",
    ],
)
def test_the_electron_csv_columns_are_the_physics_integrated(query):
    dash = build_dashboard(query=query)
    s = dash.state
    _header, data = _csv(dash)
    tgt, nu = target(s.target), _nu(s)
    edges = [sh.binding / keV for sh in tgt.shells] if s.binding == "stepping" else []
    for i in ROWS:
        E = data[i, 0]
        t_max = kinematics.t_max(E * MeV, ME) / keV

        def part(name, E=E):
            return lambda t: float(getattr(electron.dsigma_dT(t * keV, E * MeV, nu, tgt,
                                   binding=s.binding, sin2w=s.sin2w), name) / (cm2 / keV))  # fmt: skip

        sm = _quad(part("sm"), s.thr_e, t_max, edges)
        em = _quad(part("em"), s.thr_e, t_max, edges)
        assert data[i, 1] == pytest.approx(sm, rel=1e-7, abs=0)
        assert data[i, 2] == pytest.approx(em, rel=1e-7, abs=0)
        assert data[i, 3] == pytest.approx(sm + em, rel=1e-7, abs=0)
        assert data[i, 4] == pytest.approx(em / (sm + em), rel=1e-6, abs=0)


def test_the_nucleus_csv_columns_are_the_physics_integrated_to_each_isotopes_tmax():
    dash = build_dashboard(query="channel=total&xrec=nucleus&target=Xe&ff=helm&thr_n=0.5&q=-1e-13")
    s = dash.state
    _header, data = _csv(dash)
    tgt, nu = target("Xe"), _nu(s)
    masses = tgt.arrays["mass"]
    for i in ROWS:
        E = data[i, 0]
        tmaxes = [kinematics.t_max(E * MeV, m) / keV for m in masses]  # each isotope's own

        def part(name, E=E):
            return lambda t: float(getattr(nucleus.dsigma_dT(t * keV, E * MeV, nu, tgt,
                                   form_factor="helm", sin2w=s.sin2w), name) / (cm2 / keV))  # fmt: skip

        if max(tmaxes) <= s.thr_n:  # no isotope recoils past the threshold
            assert data[i, 1] == data[i, 2] == 0.0
            continue
        sm = _quad(part("sm"), s.thr_n, max(tmaxes), tmaxes)
        em = _quad(part("em"), s.thr_n, max(tmaxes), tmaxes)
        assert sm > 0
        assert data[i, 1] == pytest.approx(sm, rel=1e-7, abs=0)
        assert data[i, 2] == pytest.approx(em, rel=1e-7, abs=0)


def test_the_magnetic_term_matches_its_closed_form():
    """Free electrons, μν only: EM = Z πα²(ħc)²/m_e² μ² [ln(T_max/T_thr) − (T_max − T_thr)/E],
    eq. 8 integrated by hand, with CODATA constants from scipy (not the package's)."""
    dash = build_dashboard(query="channel=total&target=Ar&binding=free&mu=1e-10&thr_e=1")
    _header, data = _csv(dash)
    alpha = sc.fine_structure
    me = sc.physical_constants["electron mass energy equivalent in MeV"][0] * 1e3  # keV
    hbarc = sc.hbar * sc.c / sc.e * 1e-3 * 1e2  # keV·cm
    k = math.pi * alpha**2 * hbarc**2 / me**2  # cm² (μν in μB)
    for i in ROWS:
        E = data[i, 0] * 1e3  # keV
        t_max = 2 * E**2 / (2 * E + me)
        em = 18 * k * 1e-20 * (math.log(t_max / 1.0) - (t_max - 1.0) / E)
        assert data[i, 2] == pytest.approx(em, rel=1e-6, abs=0)


def test_nothing_below_the_energy_where_tmax_reaches_the_threshold():
    dash = build_dashboard(query="channel=total&xrec=nucleus&target=Ge&thr_n=1")
    p = dash.panels["total"].view.physics
    tmax = kinematics.t_max(p.e_threshold * MeV, float(target("Ge").arrays["mass"].min())) / keV
    assert tmax == pytest.approx(1.0, rel=1e-9, abs=0)  # the inverse of eq. 4
    below = p.curves.T < p.e_threshold
    assert below.any() and (p.curves.total[below] == 0).all()
    assert (p.curves.sm[~below] > 0).all()


def test_hydrogen_is_refused_with_the_reason_not_an_error():
    dash = build_dashboard(query="channel=total&xrec=nucleus&target=H")
    assert dash.error.value == ""
    v = dash.panels["total"].view
    assert (v.curves.total == 0).all() and "free proton" in v.physics.notice


def test_the_link_round_trips():
    s = ExplorerState()
    s.update(channel="total", x_recoil="nucleus", thr_n=0.05, target="Xe", pins_t="xrec:nucleus")
    query = to_query(s.as_dict())
    assert "channel=total" in query and "xrec=nucleus" in query and "pin_t=" in query
    values, notes = parse_query(query)
    assert notes == []
    back = ExplorerState()
    back.update(**values)
    assert back.as_dict() == s.as_dict()
    dash = build_dashboard(query=query)
    assert dash.state.as_dict() == s.as_dict()
    label = dash.panels["total"].view.pins[0].label  # the pin says what it holds: defaults but
    assert label.startswith("Ge, ") and "recoils = nuclei" in label  # the recoils it names


def test_a_pin_of_the_live_view_lies_on_the_live_total_and_names_what_differs():
    dash = build_dashboard(query="channel=total&target=Ge")
    dash.pin("total")
    v = dash.panels["total"].view
    np.testing.assert_allclose(v.pins[0].total, v.curves.total, rtol=1e-12, atol=0)
    dash.state.thr_e = 10.0  # a physics input of this panel (its record's): recomputed
    v = dash.panels["total"].view
    assert "ν–e threshold = 2.8 keV" in v.pins[0].short
    assert (v.curves.total <= v.pins[0].total).all()  # a higher threshold counts fewer


def test_only_the_current_eν_moves_without_recomputing():
    dash = build_dashboard(query="channel=total")
    runs = dash.physics_runs["total"]
    dash.state.E = 5.0
    assert dash.physics_runs["total"] == runs  # Eν is a view input of this panel
    assert dash.panels["total"].figure.now.get_xdata()[0] == 5.0
    dash.state.mu = 1e-10
    assert dash.physics_runs["total"] == runs + 1


def test_the_panel_is_one_record():
    ch = CHANNELS["total"]
    assert ch.pins == "pins_t" and not ch.has_recoil_axis and not ch.map
