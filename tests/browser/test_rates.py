"""The event-rates panel in a real browser, as a new user would try it: each set-up draws, moving
the threshold moves the counts and the sensitivity, and a link with the rates state opens that
view. Screenshots go to the git-ignored screenshots/ folder."""

import re
import time

import harness
import pytest

from explorer.app.state.presets import RATE_PRESETS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _threshold(dash):
    """The rates panel's threshold slider (not the ν–e or CEvNS threshold of the other panels)."""
    return next(s for s in dash.sliders() if dash.label(s).startswith("Threshold ="))


def _rates_text(dash) -> str:
    return dash.page.locator(".nac-panel-rates .nac-readout").inner_text()


def _wait_rates_text(dash, ok, timeout: float = 30.0) -> None:
    """Poll the rates readout until ``ok(text)`` (the assertions then say what it shows)."""
    deadline = time.monotonic() + timeout
    while not ok(_rates_text(dash)) and time.monotonic() < deadline:
        dash.page.wait_for_timeout(100)


def _sensitivity(text: str) -> float:
    m = re.search(r"μν excluded at 90 % CL\s+(\S+)", text)
    assert m, text
    return harness.number(m.group(1))


def test_each_set_up_draws_and_the_threshold_moves_counts_and_reach(
    open_dashboard, server, screenshot_dir
):
    dash, console = open_dashboard("channel=rates", n_plots=1)
    page = dash.page
    assert page.locator(".nac-panel-rates").is_visible()
    assert not page.locator(".nac-panel-electron").is_visible()
    # GEMMA-like is the panel's default: start with another so that every click changes the plot
    for key in ("coherent", "xenonnt", "conus", "gemma"):
        preset = RATE_PRESETS[key]
        srcs = dash.image_srcs()
        page.get_by_role("button", name=preset.label).click()
        dash.wait_images_change(srcs, timeout=60)
        dash.settle()
        # the readout and the set-up's text are other widgets than the image: their updates may
        # arrive after the new image (seen under load), so wait for them, then check
        _wait_rates_text(dash, lambda t: "Expected SM events" in t and "μν excluded" in t)
        page.wait_for_function(
            "(src) => document.querySelector('.nac-dashboard').innerText.includes(src)",
            arg=preset.source.split(",")[0],
            timeout=30_000,
        )
        text = _rates_text(dash)
        assert "Expected SM events" in text and "μν excluded" in text, (key, text)
        assert preset.source.split(",")[0] in page.locator(".nac-dashboard").inner_text()
        dash.screenshot(screenshot_dir / f"{server.route}-rates-{key}.png")
    # the threshold slider, by keyboard: counts and reach change
    thr = _threshold(dash)
    before = _rates_text(dash)
    srcs = dash.image_srcs()
    dash.press(thr, "Home")  # to the lowest threshold: counts and reach change visibly
    dash.wait_images_change(srcs)
    dash.settle()
    _wait_rates_text(dash, lambda t: t != before)
    after = _rates_text(dash)
    assert after != before
    assert _sensitivity(after) != _sensitivity(before)
    assert dash.error() == "" and console.errors == []


def test_a_rates_link_opens_that_view(open_dashboard):
    dash, console = open_dashboard(
        "channel=rates&src=pion-dar&mat=CsI&rch=nucleus&thr=5&win=60", n_plots=1
    )
    text = _rates_text(dash)
    # the window ends at the spectrum's end: ν̄μ/νₑ up to m_μ/2 = 52.83 MeV on ¹²⁷I
    # (M ≈ 118.2 GeV): 2E²/(2E + M) = 47.2 keV, by hand
    assert "5 keV – 47.2 keV" in text, text
    assert dash.label(_threshold(dash)) == "Threshold = 5 keV"
    link = harness.view_link(dash.page)
    for part in ("channel=rates", "src=pion-dar", "mat=CsI", "rch=nucleus", "thr=5", "win=60"):
        assert part in link, link
    assert console.errors == []
