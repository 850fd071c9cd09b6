"""Screenshots of the dashboard in Chromium at the widths a class uses, for people to look at.

    .venv/bin/python tools/screenshots.py [OUT_DIR] [--only NAME ...]

Serves the dashboard (standalone route, a pool of one), opens each view of VIEWS at each width of
WIDTHS and writes ``OUT_DIR/<view>-<width>.png`` (default ``/tmp/explorer-shots``; never in the
repository): the whole page, and the first screen only (``…-screen.png``), which is what a
projector shows. It also prints, for each shot, the on-screen size in CSS pixels of the smallest
plot text (``MIN_FONT`` pt of the figure, scaled by how wide the image is shown; the windows have
pixel ratio 1, so the plots are rendered at ``DPI``).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from harness.browser import launch_browser  # noqa: E402
from harness.page import Dashboard  # noqa: E402
from harness.servers import Server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from explorer.app.render.style import DPI, MIN_FONT  # noqa: E402

#: (name, query string, plots expected)
VIEWS = (
    ("default", "", 2),
    ("gemma", "preset=gemma-ge", 2),
    ("xenon-pp", "preset=xenon-pp", 2),
    ("xenon-8b", "preset=xenon-8b", 2),
    ("coherent", "preset=coherent-csi", 2),
    ("xe-thr5ev", "target=Xe&thr_e=0.005", 2),
    ("present", "preset=gemma-ge&present=1", 2),
    ("pins", "preset=gemma-ge&pin_e=E:1.5;mu:off,target:Xe;E:1.5&pin_n=E:1.5;mu:off", 2),
    ("rates", "channel=rates", 1),
    # issue 23: a set-up's rates, the rates headline on a projector, one panel, the map
    ("xenon-pp-rates", "preset=xenon-pp&channel=rates", 1),
    ("present-rates", "preset=coherent-csi&channel=rates&present=1", 1),
    ("electron-only", "channel=electron", 1),
    ("map", "preset=gemma-ge&map=mu", 2),
)
#: (width, height) of the browser window.
WIDTHS = ((1366, 768), (1400, 900), (390, 844))


def smallest_text_px(page) -> list:
    """On-screen CSS pixels of MIN_FONT pt in each visible plot."""
    widths = page.eval_on_selector_all(
        "img.widget-image",
        "els => els.filter(e => e.offsetParent !== null).map(e => [e.clientWidth, e.naturalWidth])",
    )
    # a pt is 1/72 in of the figure; at pixel ratio 1 the image is DPI pixels per inch
    return [round(MIN_FONT * cw / (72 * nat / DPI), 1) for cw, nat in widths if nat]


def main(argv: list) -> int:
    out = Path(argv[0]) if argv and not argv[0].startswith("--") else Path("/tmp/explorer-shots")
    only = set(argv[argv.index("--only") + 1 :]) if "--only" in argv else None
    out.mkdir(parents=True, exist_ok=True)
    with Server("standalone") as server, sync_playwright() as pw:
        browser = launch_browser(pw)
        for name, query, n in VIEWS:
            if only and name not in only:
                continue
            for w, h in WIDTHS:
                page = browser.new_page(viewport={"width": w, "height": h})
                page.goto(server.url(query))
                dash = Dashboard(page)
                dash.wait_ready(n_plots=n, timeout=120)
                dash.settle()
                page.screenshot(path=out / f"{name}-{w}-screen.png")
                dash.screenshot(out / f"{name}-{w}.png")
                print(f"{name:10s} {w:5d}px  smallest plot text {smallest_text_px(page)} px")
                page.close()
        browser.close()
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
