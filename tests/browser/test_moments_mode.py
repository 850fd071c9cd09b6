"""The moment-matrix mode (issue 22) in Chromium: switching the μν model shows the matrix
controls, the effective-moment readout and the allowed-region figure; a slider of the matrix moves
the plots; the view's link reopens the mode. Screenshots (whole page, and the region figure) go to
the git-ignored screenshots/ folder."""

from __future__ import annotations

import harness
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REGION = ".nac-region"


def _open(browser, server, query, n_plots=2):
    return harness.open_dashboard(browser, server, query, n_plots=n_plots)


def _region_drawn(page) -> None:
    page.wait_for_function(
        "(sel) => { const i = document.querySelector(sel + ' img.widget-image');"
        " return i && i.offsetParent !== null && i.complete && i.naturalWidth > 0; }",
        arg=REGION,
        timeout=30_000,
    )


def _labels(dash) -> list[str]:
    return [dash.label(s) for s in dash.sliders()]


def test_switching_to_the_dirac_matrix_shows_its_controls_and_moves_the_plots(
    browser, standalone, screenshot_dir
):
    ctx, dash, console = _open(browser, standalone, "channel=electron", n_plots=1)
    page = dash.page
    assert not page.locator(REGION).count() or not page.locator(REGION).is_visible()
    assert any(x.startswith("μν =") for x in _labels(dash))
    assert not any(x.startswith("μ₁₁") for x in _labels(dash))
    old = dash.image_srcs()
    page.get_by_role("button", name="Dirac matrix").click()
    dash.wait_images_change(old, timeout=30)
    _region_drawn(page)
    dash.settle()
    labels = _labels(dash)
    assert any(x.startswith("μ₁₁ = 3×10⁻¹¹ μB") for x in labels), labels
    assert not any(x.startswith("μν =") for x in labels), labels
    text = dash.text()
    assert "Dirac matrix: effective moment μ_eff = 2.53×10⁻¹¹ μB" in text, text[:2000]
    assert "13.9 m from the reactor" in text
    assert "mm=dirac" in harness.view_link(page)
    # a matrix slider redraws the ν–e plot (the effective moment moved)
    old = dash.image_srcs()
    dash.press(dash.slider("μ₁₁"), "PageUp")
    dash.wait_images_change(old, timeout=30)
    dash.settle()
    assert "mu11=" in harness.view_link(page)
    dash.screenshot(screenshot_dir / "standalone-moment-matrix-dirac.png")
    assert dash.error() == ""
    assert console.errors == []
    ctx.close()


def test_a_majorana_link_opens_the_mode_and_its_allowed_regions(
    browser, standalone, screenshot_dir
):
    query = "mm=majorana&lam1=3e-11&lam2=1e-11&lam3=5e-12&zeta=90"  # in the link's own order
    ctx, dash, console = _open(browser, standalone, query, n_plots=3)
    page = dash.page
    _region_drawn(page)
    labels = _labels(dash)
    for want in ("|Λ₁| = 3×10⁻¹¹ μB", "|Λ₂| = 1×10⁻¹¹ μB", "|Λ₃| = 5×10⁻¹² μB"):
        assert any(x.startswith(want) for x in labels), (want, labels)
    assert any(x.startswith("arg Λ₂") for x in labels), labels
    pressed = page.locator(".widget-toggle-buttons button.mod-active").all_inner_texts()
    assert "Majorana Λ" in pressed and "normal" in pressed, pressed
    text = dash.text()
    assert "Majorana Λ: effective moment" in text
    assert "bounds: solar: mass-state mixture" in text  # the limits table, from physics.probes
    assert "its μ_eff = " in text
    assert harness.view_link(page).endswith("?" + query), harness.view_link(page)
    region = page.locator(REGION)
    region.scroll_into_view_if_needed()
    region.screenshot(path=screenshot_dir / "standalone-allowed-region-majorana.png")
    dash.screenshot(screenshot_dir / "standalone-moment-matrix-majorana.png")
    assert dash.error() == ""
    assert console.errors == []
    ctx.close()
