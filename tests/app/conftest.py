"""Shared helpers: the dashboard built headless, and the physics it should plot, computed here
independently from ``explorer.physics`` (not through ``explorer.app.view.compute``)."""

import numpy as np
import pytest
from hepunits import MeV, cm2, keV

from explorer.app import build_dashboard
from explorer.physics import Neutrino, electron, kinematics, nucleus, target
from explorer.physics.constants import ME

N = 2000


@pytest.fixture
def dash():
    return build_dashboard(query="")


def neutrino_of(s):
    return Neutrino(
        s.flavour, anti=s.anti, mu=s.mu if s.mu_on else 0.0, q=s.q_sign * s.q, r2=s.r2 * 1e-32 * cm2
    )


def t_axis(s, channel):
    """The recoil grid in keV: 2000 log points over the fixed range, or in "fit" axes over five
    decades up to the first of 1, 2, 5 × 10ⁿ at or above 1.2 Tmax (Tmax of the lightest isotope
    for CEvNS), with eq. 4 written out here."""
    E = s.E * MeV
    if s.axes == "fit":
        M = ME if channel == "electron" else float(target(s.target).arrays["mass"].min())
        tmax = 2 * E**2 / (2 * E + M) / keV
        hi = min(
            v
            for v in (m * 10.0**k for k in range(-12, 8) for m in (1, 2, 5))
            if v >= 1.2 * tmax * (1 - 1e-12)
        )
        return np.geomspace(hi / 1e5, hi, N)
    if channel == "electron":
        return np.geomspace(s.Te_min, s.Te_max, N)
    return np.geomspace(s.TN_min, s.TN_max, N)


def expected(s, channel):
    """(T in keV, CrossSection in cm²/keV) that the panel ``channel`` must show for state ``s``."""
    nu = neutrino_of(s)
    T = t_axis(s, channel)
    if channel == "electron":
        xs = electron.dsigma_dT(
            T * keV, s.E * MeV, nu, target(s.target), binding=s.binding, sin2w=s.sin2w
        )
    else:
        xs = nucleus.dsigma_dT(
            T * keV, s.E * MeV, nu, target(s.target), form_factor=s.form_factor, sin2w=s.sin2w
        )
    return T, xs / (cm2 / keV)


def expected_tmax(s, channel):
    mass = ME if channel == "electron" else target(s.target).mass
    return kinematics.t_max(s.E * MeV, mass) / keV


def plotted(panel):
    """The plotted arrays of a panel's figure: T, SM, |EM| (EM > 0), |EM| (EM < 0), total."""
    f = panel.figure
    T = np.asarray(f.line_sm.get_xdata())
    return (
        T,
        np.asarray(f.line_sm.get_ydata()),
        np.asarray(f.line_em_pos.get_ydata()),
        np.asarray(f.line_em_neg.get_ydata()),
        np.asarray(f.line_total.get_ydata()),
    )


def assert_plots_physics(dash, channel):
    """The panel's curves equal explorer.physics for the dashboard's current state, exactly."""
    T, sm, pos, neg, total = plotted(dash.panels[channel])
    Te, xs = expected(dash.state, channel)
    np.testing.assert_array_equal(T, Te)
    np.testing.assert_array_equal(sm, xs.sm)
    np.testing.assert_array_equal(total, xs.total)
    np.testing.assert_array_equal(pos, np.where(xs.em > 0, xs.em, np.nan))
    np.testing.assert_array_equal(neg, np.where(xs.em < 0, -xs.em, np.nan))


@pytest.fixture
def phys():
    """The helpers above as a fixture (test modules cannot import conftest in importlib mode)."""
    from types import SimpleNamespace

    return SimpleNamespace(
        expected=expected,
        expected_tmax=expected_tmax,
        plotted=plotted,
        assert_plots_physics=assert_plots_physics,
        neutrino_of=neutrino_of,
    )
