"""The state model: defaults, batching (one revision per settled change), clamping, conversion."""

import math

import pytest
from hepunits import cm2
from traitlets import TraitError

from explorer.app.state import BOUNDS, ExplorerState
from explorer.physics import Neutrino


def test_single_assignment_bumps_revision_once():
    s = ExplorerState()
    s.mu = 1e-10
    assert s.revision == 1
    assert s.last_changed == {"mu"}
    s.mu = 1e-10  # same value: no change, no revision
    assert s.revision == 1


def test_update_of_many_traits_bumps_once():
    s = ExplorerState()
    s.update(
        target="Xe",
        E=10.0,
        mu=1e-10,
        anti=False,
        flavour="mu",
        r2=3.0,
        q_sign=1,
        binding="free",
        form_factor="helm",
        sin2w=0.25,
    )
    assert s.revision == 1
    assert s.last_changed == {
        "target",
        "E",
        "mu",
        "anti",
        "flavour",
        "r2",
        "q_sign",
        "binding",
        "form_factor",
        "sin2w",
    }


def test_nested_batches_bump_once():
    s = ExplorerState()
    with s.batch():
        s.E = 2.0
        with s.batch():
            s.target = "Si"
        s.mu = 1e-12
    assert s.revision == 1


def test_unknown_parameter_is_refused():
    with pytest.raises(ValueError, match="unknown state parameter"):
        ExplorerState().update(colour="red")


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_numbers_are_clamped_to_bounds(name):
    s = ExplorerState()
    lo, hi = BOUNDS[name]
    setattr(s, name, hi * 10 + 1)
    assert getattr(s, name) <= hi
    setattr(s, name, lo - abs(lo) * 10 - 1)
    assert getattr(s, name) >= lo


def test_nan_is_refused():
    with pytest.raises(TraitError):
        ExplorerState().E = math.nan


def test_axis_ranges_stay_at_least_a_decade_wide():
    s = ExplorerState()
    s.Te_min = 5e3
    assert s.Te_min == pytest.approx(s.Te_max / 10)
    s.TN_max = 1e-7
    assert s.TN_max >= 10 * s.TN_min


def test_target_is_normalised_and_checked():
    s = ExplorerState()
    s.target = "xe"
    assert s.target == "Xe"
    with pytest.raises(TraitError):
        s.target = "Tc"  # no natural composition: not offered
    with pytest.raises(TraitError):
        s.target = "<b>"


def test_neutrino_conversion():
    s = ExplorerState()
    s.update(flavour="tau", anti=False, mu_on=False, q_sign=-1, q=2e-13, r2=4.0)
    assert s.neutrino() == Neutrino("tau", anti=False, mu=0.0, q=-2e-13, r2=4e-32 * cm2)
    s.update(mu_on=True, q_sign=0)
    assert s.neutrino() == Neutrino("tau", anti=False, mu=s.mu, q=0.0, r2=4e-32 * cm2)


def test_defaults_cover_every_parameter():
    d = ExplorerState.defaults()
    assert set(d) == set(ExplorerState.PARAMS)
    assert ExplorerState().as_dict() == d


def test_legend_covers_every_control():
    from explorer.app import build_dashboard
    from explorer.app.legend import CONTROLS, legend_markdown

    dash = build_dashboard(query="")
    assert set(CONTROLS) == set(dash.controls.widgets)
    for name, (label, _text) in CONTROLS.items():
        desc = getattr(dash.controls.widgets[name], "description", "")
        assert not desc or desc.split(" (")[0] in label, (name, desc, label)
    assert legend_markdown().count("\n") >= len(CONTROLS) + 1
