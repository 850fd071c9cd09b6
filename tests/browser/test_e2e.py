"""The dashboard in Debian's Chromium, through both routes (standalone Voila and Jupyter Server).

Each test opens its own tab (its own kernel) on a server shared by the session.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import harness
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Sliders of neutrino and model parameters: moving one redraws both panels and moves the crossover
# readout. The other sliders (axis ranges, thresholds, m_ν for eq. 1) must change the page too.
PHYSICS = ("μν", "qν", "⟨r²⟩", "Eν", "sin²θ")


def test_page_loads_with_both_plots_and_no_errors(shared, server, screenshot_dir):
    dash, console = shared
    dash.screenshot(screenshot_dir / f"{server.route}-desktop.png")
    overflow = dash.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the desktop page scrolls sideways by {overflow}px"
    sizes = dash.page.eval_on_selector_all(
        "img.widget-image",
        "els => els.filter(e => e.offsetParent !== null)"
        ".map(e => [e.naturalWidth, e.naturalHeight])",
    )
    assert len(sizes) >= 2, f"expected two plots, found {sizes}"
    assert all(w > 100 and h > 100 for w, h in sizes), sizes
    assert len(dash.crossovers()) == 2, dash.readout()
    assert dash.error() == ""
    assert console.errors == []


def _snapshot(dash):
    return dash.image_hashes(), dash.crossovers(), dash.text(), dash.image_srcs()


def test_each_slider_moves_by_keyboard_and_changes_the_view(shared):
    dash, console = shared
    # switch the millicharge on, so that its magnitude slider has something to change
    plus = dash.toggle("millicharge").locator("button", has_text="+")
    if plus.count():
        before = dash.image_srcs()
        plus.first.click()
        dash.wait_images_change(before)
        dash.settle()
    sliders = dash.sliders()
    assert len(sliders) >= 5, [dash.label(s) for s in sliders]
    moved = []
    for s in sliders:
        label = dash.label(s)
        physics = any(p in label for p in PHYSICS)
        imgs, cross, text, srcs = _snapshot(dash)
        readout = dash.readout()
        value_before = dash.slider_value(s)
        if physics:  # a whole range: a change the 3-digit readout must show
            handle = s.locator(".noUi-handle")
            at_min = float(handle.get_attribute("aria-valuenow")) <= float(
                handle.get_attribute("aria-valuemin")
            )
            dash.press(s, "End" if at_min else "Home")
        else:
            dash.nudge(s)
        dash.wait_text_change(text)
        # a log slider's label shows the state's value: it changes once the kernel has answered
        for _ in range(50):
            if dash.slider_value(s) != value_before:
                break
            dash.page.wait_for_timeout(200)
        assert dash.slider_value(s) != value_before, f"slider {label!r} did not move by keyboard"
        if physics:
            dash.wait_images_change(srcs)
        dash.settle()
        new_imgs, new_cross, new_text, _ = _snapshot(dash)
        assert new_text != text or new_imgs != imgs, f"slider {label!r} changed nothing"
        if physics:
            assert new_imgs != imgs, f"{label!r}: no panel was redrawn"
            assert dash.readout() != readout, f"{label!r} left the panel readouts unchanged"
        if "μν" in label:  # the headline: the crossover itself moves
            assert new_cross != cross, f"{label!r} left the crossover readout at {cross}"
        assert dash.error() == "", f"{label!r}: {dash.error()}"
        moved.append(label)
    assert sum(any(p in m for p in PHYSICS) for m in moved) >= 4, moved
    assert console.errors == []


def _select_other_target(dash):
    dd = dash.dropdown("target", "element")
    select = dd.locator("select")
    current = select.input_value()
    options = select.locator("option").all_inner_texts()
    new = (
        next(o for o in options if o.strip() and o != current and "Xe" in o)
        if any("Xe" in o and o != current for o in options)
        else next(o for o in options if o.strip() and o != current)
    )
    select.select_option(label=new)
    return current, new


def test_changing_the_target_changes_the_curves(shared):
    dash, console = shared
    before_imgs, before_text, before_srcs = dash.image_hashes(), dash.readout(), dash.image_srcs()
    current, new = _select_other_target(dash)
    dash.wait_images_change(before_srcs)
    dash.settle()
    after = dash.image_hashes()
    assert after[0] != before_imgs[0] and after[1] != before_imgs[1], (
        f"target {current}→{new} did not redraw both panels"
    )
    assert dash.readout() != before_text
    assert console.errors == []


def test_query_string_opens_the_view_it_names(open_dashboard):
    dash, console = open_dashboard("target=Xe&mu=5e-11&E=2&channel=electron", n_plots=1)
    select = dash.dropdown("target", "element").locator("select")
    chosen = select.locator("option:checked").inner_text()
    assert "Xe" in chosen, chosen
    mu = dash.slider("μν", "mu")
    # a log slider's label shows the state's value exactly, not the slider's rounding
    assert dash.label(mu) == "μν = 5×10⁻¹¹ μB", dash.label(mu)
    assert dash.label(dash.slider("Eν")) == "Eν = 2 MeV"
    assert "of 54" in dash.readout(), dash.readout()  # Z = 54 electrons: xenon's readout
    assert not dash.page.locator(".nac-panel-nucleus").is_visible(), "channel=electron not applied"
    assert console.errors == []


def _download(dash, link):
    with dash.page.expect_download() as info:
        link.click()
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def test_csv_and_png_downloads_arrive_and_parse(shared):
    dash, console = shared
    prepare = dash.page.locator("button", has_text="download")
    if prepare.count():
        prepare.first.click()
    links = dash.page.locator("a[download]")
    links.first.wait_for(timeout=15000)
    assert links.count() >= 2, "expected CSV and PNG download links"
    got = {}
    for i in range(links.count()):
        name, data = _download(dash, links.nth(i))
        got.setdefault(name.rsplit(".", 1)[-1].lower(), []).append((name, data))
    assert {"csv", "png"} <= set(got), sorted(got)

    for name, data in got["csv"]:
        text = data.decode("utf-8")
        assert re.search(r"keV|MeV|cm", text[:3000]), f"{name}: the header names no units"
        lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
        rows = list(csv.reader(io.StringIO("\n".join(lines))))
        header, body = rows[0], rows[1:]
        assert len(header) >= 3 and len(body) >= 100, (name, header, len(body))
        numeric_cols = [j for j, v in enumerate(body[0]) if re.fullmatch(r"[-+0-9.eE]+", v)]
        assert len(numeric_cols) >= 2, (header, body[0])
        for r in body:
            assert len(r) == len(header)
            [float(r[j]) for j in numeric_cols]

    from PIL import Image

    for name, data in got["png"]:
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        img = Image.open(io.BytesIO(data))
        img.load()
        assert img.width >= 300 and img.height >= 200, (name, img.size)
    assert console.errors == []


def test_phone_layout_wraps_and_keeps_the_plots_readable(open_dashboard, server, screenshot_dir):
    width, viewport = "phone", harness.PHONE
    dash, console = open_dashboard(viewport=viewport)
    path = screenshot_dir / f"{server.route}-{width}.png"
    dash.screenshot(path)
    assert path.stat().st_size > 10_000
    overflow = dash.page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"page scrolls sideways by {overflow}px at {viewport['width']}px"
    widths = dash.page.eval_on_selector_all(
        "img.widget-image",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().width)",
    )
    # Readable: each plot is shown at least 80 % as wide as the narrower of the viewport or
    # its own bitmap, and never wider than the viewport.
    natural = dash.page.eval_on_selector_all(
        "img.widget-image",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.naturalWidth)",
    )
    for w, n in zip(widths, natural, strict=True):
        assert w <= viewport["width"] + 1, (w, viewport)
        assert w >= 0.8 * min(n, viewport["width"] - 40), (w, n, viewport)
    assert console.errors == []
