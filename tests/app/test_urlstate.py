"""State in the URL: every parameter round-trips through the "link to this view" readout, and bad
or hostile query strings give a visible, escaped notice and clamped or ignored values."""

import base64
import html
import re
from html.parser import HTMLParser

import pytest

from explorer.app import build_dashboard
from explorer.app.declare.params import PARAMS as REGISTRY_PARAMS
from explorer.app.render.style import DPI, EXPORT_DPI, FIGSIZE
from explorer.app.state.traits import ExplorerState
from explorer.app.state.urlstate import parse_query, to_query

# one non-default value per URL parameter, and the state it must produce
PARAMS = {
    "channel": ("nucleus", {"channel": "nucleus"}),
    "target": ("Xe", {"target": "Xe"}),
    "flavour": ("tau", {"flavour": "tau"}),
    "anti": ("0", {"anti": False}),
    "mu": ("3e-11", {"mu": 3e-11, "mu_on": True}),
    "q": ("-2e-13", {"q": 2e-13, "q_sign": -1}),
    "r2": ("2.5", {"r2": 2.5}),
    "E": ("10", {"E": 10.0}),
    "binding": ("free", {"binding": "free"}),
    "ff": ("helm", {"form_factor": "helm"}),
    "sin2w": ("0.25", {"sin2w": 0.25}),
    "Te_min": ("0.5", {"Te_min": 0.5}),
    "Te_max": ("500", {"Te_max": 500.0}),
    "TN_min": ("1e-4", {"TN_min": 1e-4}),
    "TN_max": ("2", {"TN_max": 2.0}),
    "axes": ("fixed", {"axes": "fixed"}),
    "preset": ("xenon-pp", {"preset": "xenon-pp", "target": "Xe", "E": 0.42}),
    "ydec": ("12", {"y_decades": 12.0}),
    "thr_e": ("1.5", {"thr_e": 1.5}),
    "thr_n": ("0.005", {"thr_n": 0.005}),
    "m_nu": ("0.05", {"m_nu": 0.05}),
    "src": ("solar", {"r_source": "solar"}),
    "power": ("1.5", {"r_power": 1.5}),
    "pot": ("2", {"r_protons": 2.0}),
    "dist": ("25", {"r_distance": 25.0}),
    "mat": ("CsI", {"r_material": "CsI"}),
    "rch": ("nucleus", {"r_channel": "nucleus"}),
    "kg": ("10", {"r_mass": 10.0}),
    "days": ("100", {"r_days": 100.0}),
    "thr": ("1", {"r_threshold": 1.0}),
    "win": ("20", {"r_window": 20.0}),
    "bkg": ("0.5", {"r_background": 0.5}),
    "present": ("1", {"present": True}),
    "pin_e": ("target:Xe;mu:off,E:2", {"pins_e": "target:Xe;mu:off,E:2"}),
    "pin_n": ("ff:helm", {"pins_n": "ff:helm"}),
    "map": ("q", {"map": "q"}),
    "xrec": ("nucleus", {"x_recoil": "nucleus"}),
    "pin_t": ("thr_n:0.1;xrec:nucleus", {"pins_t": "thr_n:0.1;xrec:nucleus"}),
    # issue 22: the moment-matrix mode
    "mm": ("majorana", {"mm_mode": "majorana"}),
    "mu11": ("2e-11", {"mu11": 2e-11}),
    "mu22": ("5e-12", {"mu22": 5e-12}),
    "mu33": ("1e-10", {"mu33": 1e-10}),
    "lam1": ("4e-11", {"lam1": 4e-11}),
    "lam2": ("3e-12", {"lam2": 3e-12}),
    "lam3": ("7e-11", {"lam3": 7e-11}),
    "zeta": ("90", {"lam_phase": 90.0}),
    "order": ("inverted", {"ordering": "inverted"}),
}


def test_every_url_parameter_is_tested():
    urls = {p.url for p in REGISTRY_PARAMS if p.url}
    assert set(PARAMS) == urls
    # every control has a parameter (mu_on and q_sign ride on mu and q)
    carried = {p.name for p in REGISTRY_PARAMS if p.url is None}
    assert carried == {"mu_on", "q_sign"}


@pytest.mark.parametrize("url_name", sorted(PARAMS))
def test_parameter_round_trips_through_link_readout(url_name):
    raw, want = PARAMS[url_name]
    dash = build_dashboard(query=f"{url_name}={raw}")
    for k, v in want.items():
        assert getattr(dash.state, k) == v
    assert dash.notice.layout.display == "none"
    link = dash.link_text.value
    assert link.startswith("?") and f"{url_name}=" in link
    again = build_dashboard(query=link)
    assert again.state.as_dict() == dash.state.as_dict()
    assert again.link_text.value == link
    # the clickable link carries the same query, HTML-escaped
    href = re.search(r'href="([^"]*)"', dash.link.value).group(1)
    assert html.unescape(href) == link


def test_the_issue_example_link():
    dash = build_dashboard(query="?target=Xe&mu=3e-11&E=1&channel=electron")
    s = dash.state
    assert (s.target, s.mu, s.E, s.channel) == ("Xe", 3e-11, 1.0, "electron")
    assert dash.panels["nucleus"].layout.display == "none"
    assert (
        parse_query(dash.link_text.value)[0]
        == parse_query("target=Xe&mu=3e-11&channel=electron")[0]
    )


def test_query_string_is_read_from_voila_environment(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "target=Si&E=2")
    dash = build_dashboard()
    assert dash.state.target == "Si" and dash.state.E == 2.0


def test_preset_parameter_then_overrides():
    dash = build_dashboard(query="preset=coherent-csi&target=I")
    assert dash.state.E == 29.8 and dash.state.target == "I" and dash.state.flavour == "mu"
    assert dash.recomputes == 1


def test_switched_off_properties_round_trip():
    dash = build_dashboard(query="mu=off&q=off")
    assert not dash.state.mu_on and dash.state.q_sign == 0
    assert "mu=off" in dash.link_text.value
    assert build_dashboard(query=dash.link_text.value).state.as_dict() == dash.state.as_dict()


def _tags(markup):
    found = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    P().feed(markup)
    return found


HOSTILE = [
    ("mu=1", {"mu": 1e-8}, "outside"),
    ("E=-5", {"E": 0.01}, "outside"),
    ("E=1e400", {}, "not a finite"),
    ("E=nan", {}, "not a finite"),
    ("sin2w=abc", {}, "not a number"),
    ("target=<script>alert(1)</script>", {"target": "Ge"}, "not an element"),
    ("<img src=x onerror=alert(1)>=1", {}, "Unknown parameter"),
    ('channel="><svg onload=alert(1)>', {"channel": "both"}, "not one of"),
    ("anti=maybe", {"anti": True}, "not 1 or 0"),
    ("preset=__import__('os')", {}, "unknown"),
    ("r2=" + "9" * 100, {"r2": 0.0}, "too long"),
    ("E=" + "1" * 5000, {"E": 1.0}, "longer than"),
    ("%ff%fe=%00", {}, "Unknown parameter"),
]


@pytest.mark.parametrize("query, want, phrase", HOSTILE)
def test_bad_query_gives_escaped_notice_and_safe_state(query, want, phrase):
    dash = build_dashboard(query=query)
    assert dash.notice.layout.display == "block"
    assert phrase in html.unescape(dash.notice.value)
    tags = _tags(dash.notice.value)  # user text only appears escaped: no tag or handler of its own
    assert {t for t, _ in tags} <= {"div", "b", "ul", "li"}
    assert not [a for _, attrs in tags for a, _v in attrs if a.startswith("on")]
    for k, v in want.items():
        assert getattr(dash.state, k) == v
    assert dash.error.value == ""  # no traceback, the page drew
    assert bytes(dash.panels["electron"].image.value[:4]) == b"\x89PNG"


def test_many_parameters_are_refused():
    values, notes = parse_query("&".join(f"a{i}=1" for i in range(100)))
    assert values == {} and notes


def test_to_query_writes_only_non_defaults():
    assert to_query(ExplorerState.defaults()) == ""


def test_export_links_have_csv_with_header_and_png():
    dash = build_dashboard(query="target=Xe&mu=3e-11")
    assert dash.export_links.value == ""
    dash.page.export_button.click()
    hrefs = re.findall(
        r'download="([^"]+)" href="data:([^;]+);base64,([^"]+)"', dash.export_links.value
    )
    names = {h[0]: (h[1], base64.b64decode(h[2])) for h in hrefs}
    mime, csv = names["neutrino_atom_curves.csv"]
    assert mime == "text/csv"
    text = csv.decode("utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any("cm^2/keV" in line for line in header)
    assert any(line.startswith("# target = 'Xe'") for line in header)
    assert any(line.startswith("# mu = 3e-11 [μB]") for line in header)
    assert any("link: ?target=Xe&mu=3e-11" in line for line in header)
    rows = [line for line in text.splitlines() if not line.startswith("#")]
    assert rows[0].startswith("channel,T_keV,")
    assert len(rows) == 1 + 2 * 2000
    first = rows[1].split(",")
    # fit axes: Tmax = 2E²/(2E + m_e) = 796.5 keV at 1 MeV; 1.2 Tmax → 1000 keV; five decades
    assert first[0] == "electron" and float(first[1]) == pytest.approx(1e-2, rel=1e-8, abs=0)
    # 9 significant digits written: the value read back is within 5e-9 relative
    assert float(first[2]) == pytest.approx(
        dash.panels["electron"].view.curves.sm[0], rel=1e-8, abs=0
    )
    for ch in ("electron", "nucleus"):
        mime, png = names[f"neutrino_atom_{ch}.png"]
        assert mime == "image/png" and png[:8] == b"\x89PNG\r\n\x1a\n"
    dash.state.E = 2.0  # stale links are withdrawn
    assert dash.export_links.value == ""


@pytest.mark.parametrize(
    "raw, name", [("Ge72", "Ge72"), ("ge-72", "Ge72"), ("136Xe", "Xe136"), ("Xe-136", "Xe136")]
)
def test_isotope_targets_from_links(raw, name):
    """The target picker offers single isotopes beside the natural elements; links carry them."""
    dash = build_dashboard(query=f"target={raw}")
    assert dash.state.target == name and dash.notice.layout.display == "none"
    assert dash.controls.widgets["target"].value == name
    assert dash.link_text.value == f"?target={name}"
    # one isotope: its own nuclear mass, no abundance average (AME2020 via periodictable)
    from explorer.physics import target

    t = target(name)
    assert t.single_isotope and len(t.isotopes) == 1
    assert f"CEvNS on {t.label} " in dash.panels["nucleus"].view.physics.title


def test_isotope_changes_the_cevns_curve_as_the_physics_says():
    """¹³⁶Xe against natural Xe: CEvNS at T → 0 scales as M_N C_V² (eq. 14), here by hand from
    Z = 54, N = 82 and the mean N̄ = 77.2 of natural xenon (IUPAC abundances)."""
    nat = build_dashboard(query="target=Xe&channel=nucleus&mu=off")
    iso = build_dashboard(query="target=Xe136&channel=nucleus&mu=off")
    a = nat.panels["nucleus"].view.curves.sm[0]
    b = iso.panels["nucleus"].view.curves.sm[0]
    s2w = 0.23867
    cv136 = (54 * (1 - 4 * s2w) - 82) / 2
    # natural Xe: Σ f_i M_i C_V,i² / (M_136 C_V,136²), with M ∝ A (true to a few 1e-4 here)
    from explorer.physics import target

    nat_sum = sum(
        i.fraction * i.A * ((54 * (1 - 4 * s2w) - (i.A - 54)) / 2) ** 2
        for i in target("Xe").isotopes
    )
    assert b / a == pytest.approx(136 * cv136**2 / nat_sum, rel=1e-3, abs=0)
    assert b / a > 1.05  # the heaviest isotope: visibly above the natural mix


def test_unknown_isotope_is_refused_with_a_notice():
    dash = build_dashboard(query="target=Ge99")
    assert dash.state.target == "Ge"
    assert "Ge99" in dash.notice.value and dash.notice.layout.display == "block"


def test_exported_png_is_slide_quality_with_a_caption():
    """Exported figures: 200 dpi (1280 × 920 px for a 6.4 × 4.6 in figure) and a caption line
    naming the view; the live figure keeps its size and pixels afterwards."""
    import io

    from PIL import Image

    dash = build_dashboard(query="target=Xe&mu=3e-11&thr_e=1.5")
    live = bytes(dash.panels["electron"].image.value)
    dash.page.export_button.click()
    pngs = dict(
        (name, base64.b64decode(data))
        for name, data in re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"',
                                     dash.export_links.value)
    )  # fmt: skip
    img = Image.open(io.BytesIO(pngs["neutrino_atom_electron.png"]))
    # the figure at 200 dpi under a caption strip (issue 23: a caption is never cut, never on
    # the figure's title)
    assert img.size[0] == round(FIGSIZE[0] * EXPORT_DPI)
    assert round(FIGSIZE[1] * EXPORT_DPI) < img.size[1] < 1.2 * FIGSIZE[1] * EXPORT_DPI
    cap = dash.caption()
    for part in ("Xe", "ν̄ₑ", "Eν = 1 MeV", "μν = 3×10⁻¹¹ μB", "qν = off",
                 "ν–e threshold = 1.5 keV"):  # fmt: skip
        assert part in cap, part
    dash.state.mu = 3.1e-11
    dash.state.mu = 3e-11
    assert bytes(dash.panels["electron"].image.value) == live
    assert Image.open(io.BytesIO(live)).size == tuple(round(x * DPI) for x in FIGSIZE)
