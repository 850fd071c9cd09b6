"""The fourth panel, σ above the threshold against Eν, in Chromium on both routes: a link opens
it, its plot and readout draw, switching the recoils to nuclei redraws it, and its view link
keeps it. Screenshots go to the git-ignored screenshots/ folder."""

import harness
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _panel_text(dash) -> str:
    return dash.page.locator(".nac-panel-total .nac-readout").inner_text()


def test_the_sigma_panel_draws_switches_recoils_and_keeps_its_link(
    open_dashboard, server, screenshot_dir
):
    dash, console = open_dashboard("channel=total&target=Xe&mu=3e-11", n_plots=1)
    page = dash.page
    assert page.locator(".nac-panel-total").is_visible()
    assert not page.locator(".nac-panel-electron").is_visible()
    text = _panel_text(dash)
    assert "σ_SM at Eν" in text and "EM share at Eν" in text, text
    assert "ν–e on Xe" in page.locator(".nac-headline").inner_text()
    dash.screenshot(screenshot_dir / f"{server.route}-total-electron.png")
    srcs = dash.image_srcs()
    dash.toggle("σ above threshold: recoils").get_by_role("button", name="nuclei").click()
    dash.wait_images_change(srcs, timeout=60)
    dash.settle()
    page.wait_for_function(
        "() => document.querySelector('.nac-headline').innerText.includes('CEvNS on Xe')",
        timeout=30_000,
    )
    dash.screenshot(screenshot_dir / f"{server.route}-total-nucleus.png")
    link = harness.view_link(page)
    for part in ("channel=total", "target=Xe", "xrec=nucleus"):
        assert part in link, link
    assert dash.error() == "" and console.errors == []
