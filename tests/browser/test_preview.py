"""Previews: a page whose kernel is cold shows the server's pictures of its own view at once, over
the page, and drops them when the live plots are drawn (explorer.serving, explorer.app.render.preview).

Preview images carry ``nac-preview-image``, the live plots ipywidgets' ``widget-image``: the
sampler tells them apart by class."""

from __future__ import annotations

import time

import harness
import pytest
import requests

from explorer.app.declare import dom

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PREVIEW = "." + dom.PREVIEW
PREVIEW_IMG = "img." + dom.PREVIEW_IMAGE

# Every 50 ms from the start of the document: preview images drawn (loaded, visible, on top at
# their centre), live plots drawn, and whether the preview block is still in the page.
_SAMPLER = (
    """
(() => {
  const out = window.__previewSamples = [];
  const drawn = (sel) => Array.from(document.querySelectorAll(sel)).filter(i =>
      i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().height > 0);
  const onTop = (img) => { const r = img.getBoundingClientRect();
      return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === img; };
  const tick = () => {
    const previews = drawn('PREVIEW_IMG');
    out.push({t: Math.round(performance.now()), previews: previews.length,
              previewsOnTop: previews.filter(onTop).length,
              live: drawn('LIVE_IMG').length, block: !!document.querySelector('PREVIEW_BLOCK')});
    if (out.length < 3000) setTimeout(tick, 50);
  };
  tick();
})();
""".replace("PREVIEW_IMG", PREVIEW_IMG)
    .replace("LIVE_IMG", harness.PLOT)
    .replace("PREVIEW_BLOCK", PREVIEW)
)

QUERY = "target=Xe&E=2&mu=5e-11"


def test_a_cold_kernel_page_shows_its_own_preview_first_and_drops_it_when_live(browser):
    with harness.Server(
        "standalone", extra_args=["--VoilaConfiguration.default_pool_size=0"]
    ) as srv:
        # the server draws the view's pictures first (as for the class's second student): this
        # test is about the page (previews on top before the live plots, dropped when live);
        # how soon a fresh server draws them under load is bench_class's to measure (on a loaded
        # CI machine its first renders could come after the cold kernel's plots)
        for channel in ("electron", "nucleus"):
            warm = srv.get(f"/explorer/preview/{channel}.png?{QUERY}", timeout=120)
            assert warm.status_code == 200, warm.status_code
        ctx = browser.new_context(viewport=harness.DESKTOP)
        try:
            ctx.add_init_script(_SAMPLER)
            page = ctx.new_page()
            page.goto(srv.url(QUERY), wait_until="commit", timeout=120_000)
            page.locator(PREVIEW_IMG).first.wait_for(state="attached", timeout=60_000)
            srcs = page.eval_on_selector_all(PREVIEW_IMG, "els => els.map(e => e.src)")
            alts = page.eval_on_selector_all(PREVIEW_IMG, "els => els.map(e => e.alt)")
            dash = harness.Dashboard(page)
            dash.wait_ready(timeout=120)
            harness.wait_session(page, "live", timeout=30)
            page.wait_for_function(f"() => !document.querySelector('{PREVIEW}')", timeout=5000)
            page.wait_for_timeout(200)  # one more sampler tick (50 ms) after the block went
            samples = page.evaluate("() => window.__previewSamples")
            live_hashes = dash.image_hashes()
            session = harness.session(page)
        finally:
            ctx.close()
        # the previews are the view's own: its query string, both panels, described
        assert [s.split("/explorer/preview/")[1] for s in srcs] == [
            f"electron.png?{QUERY}",
            f"nucleus.png?{QUERY}",
        ]
        assert all("Xe" in a and "Eν = 2 MeV" in a for a in alts), alts
        # ... and the same pixels as the live plots (a desktop screen: scale 1)
        previews = [harness.sha256(requests.get(s, timeout=30).content) for s in srcs]
        assert previews == live_hashes
    # shown, on top of the page, before any live plot; gone once live
    first_preview = next(s["t"] for s in samples if s["previews"] == 2 and s["previewsOnTop"] == 2)
    first_live = next(s["t"] for s in samples if s["live"] >= 2)
    assert first_preview < first_live, samples
    assert not samples[-1]["block"] and samples[-1]["previews"] == 0
    assert "preview shown" in session["events"] and "preview removed: live" in session["events"]
    print(f"cold kernel: preview at {first_preview} ms, live plots at {first_live} ms")


def test_previews_on_the_standalone_server(standalone):
    """The route: PNGs for shown panels, 404 (never 500) for anything else."""
    ok = standalone.get("/explorer/preview/electron.png?target=Ge&E=3", timeout=60)
    assert ok.status_code == 200 and ok.headers["Content-Type"] == "image/png"
    assert ok.content[:8] == b"\x89PNG\r\n\x1a\n"
    for path in (
        "/explorer/preview/rates.png?target=Ge",
        "/explorer/preview/nucleus.png?channel=electron",
        "/explorer/preview/map.png",
    ):
        assert standalone.get(path, timeout=60).status_code == 404, path
    bad = standalone.get("/explorer/preview/nucleus.png?E=nan&target=%00&mu=1e99", timeout=60)
    assert bad.status_code == 200  # clamped and ignored, as the dashboard does


def test_a_page_served_by_a_warm_kernel_draws_no_preview(standalone):
    """Previews cost the server ≈ 0.2 s of CPU per distinct link (most of its CPU in a class
    burst, py-spy): a page that gets a warm pre-heated kernel goes live within a second and has
    none; the page of a cold kernel has them (the test above)."""
    from harness import student

    deadline = time.monotonic() + 120
    while "is filled with" not in standalone.log():
        assert time.monotonic() < deadline, standalone.log()[-2000:]
        time.sleep(0.2)
    time.sleep(3.0)  # the pooled kernel waits for its page (warm)
    page = student.open_page(standalone.url("target=Kr&mu=7.1e-11"))
    assert f"Using pre-heated kernel: {page.kernel_id}" in standalone.log()
    assert f'class="{dom.PREVIEW}"' not in page.html
    student.shutdown(page)
