"""The state model: defaults, batching (one revision per settled change), clamping, conversion."""

import math

import pytest
from hepunits import cm2
from traitlets import TraitError

from explorer.app.declare.params import BOUNDS, REGISTRY
from explorer.app.state.traits import ExplorerState
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


def test_legend_renders_every_row_whole():
    """The legend as a notebook renders it (mistune, as nbconvert/JupyterLab-like markdown with
    tables): one row per control with its label and unit and the help text whole, then the other
    rows; a '|' inside a label (|qν|) must not split a cell."""
    from html.parser import HTMLParser

    import mistune

    from explorer.app.declare.legend import OTHERS, legend_markdown
    from explorer.app.declare.params import PARAMS

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self._cell = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self._cell = ""

        def handle_data(self, data):
            if self._cell is not None:
                self._cell += data

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self.rows[-1].append(self._cell.strip())
                self._cell = None

    parser = Rows()
    parser.feed(mistune.create_markdown(plugins=["table"])(legend_markdown()))
    body = parser.rows[1:]
    assert len(body) == len(PARAMS) + len(OTHERS)
    for row, p in zip(body, PARAMS, strict=False):
        assert row == [p.label + p.unit_suffix, p.help]
    for row, (label, text) in zip(body[len(PARAMS) :], OTHERS.items(), strict=True):
        assert row == [label, text]
    assert ["|qν| (e)", REGISTRY["q"].help] in body


def test_widgets_are_labelled_from_the_registry():
    from explorer.app import build_dashboard

    dash = build_dashboard(query="")
    # every parameter has its widget, except the set-up note (set by its buttons)
    assert set(dash.controls.widgets) == {n for n, p in REGISTRY.items() if p.kind != "none"}
    for name, w in dash.controls.widgets.items():
        p = REGISTRY[name]
        if p.kind == "log":  # the label carries the value: "Eν = 1 MeV"
            assert w.description.startswith(p.label + " = ") and w.description.endswith(p.unit)
        else:
            assert w.description == p.label + p.unit_suffix
        assert p.help and (
            w.tooltip == p.help or getattr(w, "tooltips", None) == [p.help] * len(p.options)
        )


def test_conditional_controls_hide_alone():
    """Fixed-range controls show only with axes=fixed, rates controls only with the rates panel;
    hiding them must not hide any other control (a conditional widget's Layout is shared only
    with controls shown in the same case, the same ``only_when``; the others may share one,
    explorer.app.widgets.controls.share_models)."""
    from explorer.app import build_dashboard
    from explorer.app.declare.params import PARAMS
    from explorer.app.widgets.controls import _tree

    dash = build_dashboard(query="")
    w = dash.controls.widgets
    layouts = [id(x.layout) for x in _tree(dash) if hasattr(x, "layout")]
    conditional = [p.name for p in PARAMS if p.only_when]
    assert {"Te_min", "y_decades"} <= set(conditional)
    when = {p.name: p.only_when for p in PARAMS}
    for name in conditional:
        same_case = [n for n in w if when[n] == when[name]]
        sharing = [n for n in w if w[n].layout is w[name].layout]
        assert set(sharing) <= set(same_case), name
        assert layouts.count(id(w[name].layout)) == len(sharing), name  # no other widget
    assert w["Te_min"].layout.display == "none" and w["y_decades"].layout.display == "none"
    for name in ("mu", "E", "r2", "sin2w", "thr_e", "m_nu"):
        assert w[name].layout.display != "none", name
    assert dash.groups["rates"].layout.display == "none"
    dash.state.axes = "fixed"
    assert w["Te_min"].layout.display == "flex" and w["y_decades"].layout.display == "flex"
    dash.state.channel = "rates"
    assert dash.groups["rates"].layout.display == "flex"
