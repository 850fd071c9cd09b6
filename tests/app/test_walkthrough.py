"""Issue 23: what a lecturer's walkthrough found (a set-up sets everything; honest captions,
legends, crossing counts and pins; no control that does nothing; notebook links that work)."""

import re
from pathlib import Path

import numpy as np
import pytest

from explorer.app import EXPERIMENTS, build_dashboard
from explorer.app.declare.params import REGISTRY
from explorer.app.state.presets import RATE_PRESETS
from explorer.physics.materials import material
from explorer.physics.targets import atomic_number

ROOT = Path(__file__).resolve().parents[2]

#: Each set-up's own source and recoils, from its description (not from the code under test).
SETUP_SOURCE = {
    "gemma-ge": ("reactor", "electron", "thr_e"),
    "coherent-csi": ("pion-dar", "nucleus", "thr_n"),
    "xenon-pp": ("solar", "electron", "thr_e"),
    "xenon-8b": ("solar", "nucleus", "thr_n"),
}


@pytest.mark.parametrize("key", sorted(EXPERIMENTS))
def test_a_setup_link_sets_the_rates_panel(key):
    """Item 1: ``?preset=…&channel=rates`` shows that experiment's source, material, recoils and
    threshold on the rates panel, and the note does not claim the controls changed."""
    dash = build_dashboard(query=f"preset={key}&channel=rates")
    s = dash.state
    src, recoils, thr = SETUP_SOURCE[key]
    assert (s.r_source, s.r_channel) == (src, recoils)
    z = atomic_number(re.match(r"[A-Z][a-z]?", s.target).group())
    assert z in {t.Z for t, _n in material(s.r_material).atoms}  # the set-up's target is in it
    assert s.r_threshold == getattr(s, thr)
    assert "changed since" not in dash.preset_info.value
    title = dash.panels["rates"].view.title
    assert s.r_material in title and ("solar" in title) == (src == "solar")


@pytest.mark.parametrize("key", sorted(EXPERIMENTS))
def test_a_setup_button_sets_the_rates_panel(key):
    dash = build_dashboard(query="channel=rates&src=pion-dar&mat=NaI")
    dash.page.preset_buttons[key].click()
    assert dash.state.r_source == SETUP_SOURCE[key][0]
    assert dash.state.channel == "rates"  # the set-up keeps the panel being looked at
    assert "changed since" not in dash.preset_info.value
    dash.state.r_mass = 7.0
    assert "changed since" in dash.preset_info.value


def test_every_rate_preset_of_a_setup_exists():
    assert {e.rates for e in EXPERIMENTS.values()} <= set(RATE_PRESETS)


def _caption_names(cap: str) -> list:
    """The quantities a caption names (``name = value`` parts before the citation)."""
    body = cap.rsplit(" — ", 1)[0]
    return [part.split(" = ")[0] for part in body.split(", ") if " = " in part]


def test_rates_caption_names_the_rates_inputs_only():
    """Item 2: the rates figure's caption names its source, detector and window — not Eν, not the
    CEvNS panel's threshold."""
    dash = build_dashboard(query="preset=xenon-pp&channel=rates")
    cap = dash.caption("rates")
    assert "Eν" not in cap and "CEvNS threshold" not in cap and "1 eV" not in cap
    assert "solar" in cap and "Xe" in cap and "Threshold = 1 keV" in cap
    assert "Window to = 30 keV" in cap
    assert "Reactor power" not in cap and "Distance" not in cap  # the Sun ignores them
    labels = {p.label for p in REGISTRY.values()} | {"target", "qν", "F(q)", "binding"}
    assert set(_caption_names(cap)) <= labels


@pytest.mark.parametrize("channel", ["electron", "nucleus"])
def test_panel_caption_names_its_own_threshold(channel):
    dash = build_dashboard(query="preset=xenon-pp")
    cap = dash.caption(channel)
    own, other = ("ν–e", "CEvNS") if channel == "electron" else ("CEvNS", "ν–e")
    assert f"{own} threshold" in cap and f"{other} threshold" not in cap
    assert ("νₑ" in cap) == (channel == "electron")  # CEvNS does not depend on the flavour


def test_exported_caption_is_never_cut():
    """Item 12: the caption is wrapped to the figure's width (a strip above the figure)."""
    from explorer.app.render.style import caption_lines

    dash = build_dashboard(query="preset=coherent-csi&channel=rates")
    lines = caption_lines(dash.caption("rates"), 8.4)
    assert len(lines) >= 2 and "arXiv:1603.02462" in lines[-1]
    assert max(map(len, lines)) <= 8.4 * 72 / (0.6 * 8)


def _legend_texts(fig) -> list:
    from explorer.app.render.legend import EntryLegend

    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    own = [a for a in fig.artists if isinstance(a, EntryLegend)]  # the panels' own legends
    return [t.get_text() for lg in legends for t in lg.get_texts()] + [
        label for lg in own for label in lg.labels
    ]


@pytest.mark.parametrize(
    "query,negative",
    [("", False), ("q=-3e-12", True), ("preset=xenon-pp", False), ("mu=off&q=-1e-12", True)],
)
def test_every_legend_lists_only_drawn_artists(query, negative):
    """Item 3: "|EM|, EM < 0" appears in a panel's legend only when its curve has EM < 0; in
    the rates figure every legend entry is an artist drawn with data."""
    dash = build_dashboard(query=query + "&channel=rates")
    rates = dash.panels["rates"]
    v = rates.view
    assert ("|EM|, EM < 0" in _legend_texts(rates.figure.figure)) == bool((v.em < 0).any())
    for ax in rates.figure.figure.axes:
        lg = ax.get_legend()
        for text in lg.get_texts():
            label = text.get_text()
            drawn = [a for a in (*ax.lines, *ax.patches) if a.get_label() == label]
            assert drawn and all(a.get_visible() for a in drawn), label
            for a in drawn:
                if hasattr(a, "get_ydata"):
                    assert np.isfinite(np.asarray(a.get_ydata(), float)).any(), label
    if not negative:
        assert not (v.em < 0).any()


def test_sun_shows_no_reactor_or_accelerator_controls():
    """Item 10: with the Sun as source, power, proton rate and distance are hidden; each shows
    again with the source that uses it."""
    dash = build_dashboard(query="channel=rates&src=solar")
    w = dash.controls.widgets
    hidden = {n for n in ("r_power", "r_protons", "r_distance") if w[n].layout.display == "none"}
    assert hidden == {"r_power", "r_protons", "r_distance"}
    dash.state.r_source = "reactor"
    assert w["r_power"].layout.display != "none" and w["r_distance"].layout.display != "none"
    assert w["r_protons"].layout.display == "none"
    dash.state.r_source = "pion-dar"
    assert w["r_protons"].layout.display != "none" and w["r_power"].layout.display == "none"


@pytest.mark.parametrize("query", ["", "preset=gemma-ge", "preset=xenon-pp"])
def test_crossing_count_says_where_the_crossings_are(query):
    """Item 4: no "cross 4 times in the plotted range" beside a plot that shows one crossing: the
    readout names each further crossing, and those past the drawn Tmax as such."""
    from explorer.app.state.traits import ExplorerState
    from explorer.app.state.urlstate import parse_query
    from explorer.app.view.compute import compute_view
    from explorer.app.view.readouts import crossover_text

    s = ExplorerState(**parse_query(query)[0])
    p = compute_view("nucleus", s).physics
    text = crossover_text(p)
    assert "times in the plotted range" not in text
    # the curves computed here, independently: sign changes of |EM| − SM where SM > 0
    c = p.curves
    ok = c.sm > 0
    wins = (np.abs(c.em) >= c.sm)[ok]
    changes = np.nonzero(wins[1:] != wins[:-1])[0]
    past = int(np.count_nonzero(c.T[ok][changes + 1] > p.tmax))
    assert past > 0 or query == "preset=coherent-csi"
    assert ("past the drawn Tmax" in text) == (past > 0)
    assert (f"{past} more times" in text) or (past == 1 and "once more" in text)


def test_headline_says_no_crossover_in_words():
    """Item 14: not "|EM| = SM at none (|EM| < SM at every T)"."""
    dash = build_dashboard(query="mu=off")
    text = re.sub(r"<[^>]+>", "", dash.page.headline.value)
    assert "at none" not in text and "|EM| &lt; SM at every T" in text


def test_pin_note_names_the_panel():
    dash = build_dashboard(query="pin_e=zz:1")
    assert "is not a electron" not in dash.notice.value and "ν–e panel" in dash.notice.value


def test_mu_down_and_back_by_keyboard_lands_on_the_limit():
    """Item 14: one keyboard step down and one up (the browser snaps to the slider's grid) comes
    back to the GEMMA limit, not 2.8×10⁻¹¹."""
    import math

    dash = build_dashboard(query="")
    w = dash.controls.widgets["mu"]
    grid = lambda x: 10 ** (round((math.log10(x) - w.min) / w.step) * w.step + w.min)  # noqa: E731
    w.value = grid(10 ** (math.log10(dash.state.mu) - w.step))
    assert dash.state.mu < 2.85e-11
    w.value = grid(10 ** (math.log10(dash.state.mu) + w.step))
    assert dash.state.mu == 2.9e-11 and "2.9×10⁻¹¹" in w.description


def test_coherent_counts_say_they_are_for_an_ideal_detector():
    """Item 6: 706.6 SM events beside the 2017 paper's 134 observed / 173 predicted, with no word
    about efficiency or quenching: the panel says its detector is ideal, the set-up's note gives
    the paper's numbers."""
    dash = build_dashboard(query="channel=rates")
    dash.page.rate_buttons["coherent"].click()
    text = dash.panels["rates"].readout.value
    assert "efficiency" in text and "quenching" in text
    assert "173" in dash.page.rate_info.value and "134" in dash.page.rate_info.value


def test_mu_off_slider_says_off():
    """Item 6: with μν off the slider does not read "μν = 2.9×10⁻¹¹ μB" as if active."""
    dash = build_dashboard(query="mu=off")
    w = dash.controls.widgets["mu"]
    assert "off" in w.description and not w.description.startswith("μν = ")
    dash.state.mu_on = True
    assert w.description.startswith("μν = 2.9×10⁻¹¹")


def test_a_pin_under_a_live_curve_says_so_and_what_it_is():
    """Item 5: the start page's "weak term vs GEMMA μν, pinned" link puts the pin exactly under
    the live SM line: its legend says what it shows (not only "pin 1") and that it lies on SM."""
    dash = build_dashboard(query="preset=gemma-ge&pin_e=E:1.5;mu:off,target:Xe;E:1.5")
    texts = _legend_texts(dash.panels["electron"].figure.figure)
    assert "pin 1: μν off (= SM)" in texts, texts
    assert "pin 2: Xe" in texts, texts
    # the physics, independently: with μν off the total is the weak term
    from explorer.app.view.compute import compute_view

    v = compute_view("electron", dash.state)
    np.testing.assert_allclose(v.pins[0].total, v.curves.sm, rtol=1e-9, atol=0)
    assert "lies on the live SM curve" in dash.panels["electron"].readout.value


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
_LINK = re.compile(r"\]\(([^)\s]+)\)|href=[\"']([^\"']+)[\"']")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_links_are_relative(path):
    """Item 13: no notebook links to http://127.0.0.1:8866 (not running under ``make lab`` or on
    Binder); a relative link to a file names a file that exists."""
    import json

    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"])
        for m in _LINK.finditer(text):
            target = m.group(1) or m.group(2)
            assert not re.match(r"https?://(127\.|localhost)", target), (path.name, target)
            if not re.match(r"[a-z]+:|#|\{", target):  # relative: a file of the course
                assert (path.parent / target.split("?")[0].split("#")[0]).exists(), target


def test_readme_is_for_a_lecturer_first():
    """Item 13: the README says which link for which lesson before anything else, its "two
    commands" are two, and the benchmark details live in docs/performance.md."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    heads = re.findall(r"^## (.+)$", readme, flags=re.M)
    assert heads[0].lower().startswith("for a lecturer"), heads
    assert "?preset=gemma-ge" in readme.split("\n## ", 2)[1]
    block = readme.split("## Two commands", 1)[1].split("```")[1]
    assert sum(line.startswith("make ") for line in block.splitlines()) == 2, block
    assert "| `make bench`" not in readme and "(docs/performance.md)" in readme
    assert (ROOT / "docs" / "performance.md").exists()
