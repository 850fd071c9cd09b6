"""Previews (explorer.app.render.preview, explorer.serving.Previews): the server's pictures of a link's
first plots are the pixels the dashboard itself draws first for that link.

The reference is the dashboard, built headless as the dashboard notebook builds it
(``build_dashboard(query="")``, then ``apply_query(<link>)``): its panels' ``Image`` widgets hold
what the page shows first. The previews come from :func:`explorer.app.render.preview.plan` and
:func:`~explorer.app.render.preview.render`, which share the dashboard's query parsing and figure code by
design; these tests check that sharing gives the same pixels and the same notes.
"""

from __future__ import annotations

import asyncio
import io
import threading

import numpy as np
import pytest
from PIL import Image

from explorer.app import build_dashboard
from explorer.app.render import preview
from explorer.serving import Previews, preview_html

LINKS = [
    "",
    "target=Xe&mu=3e-11&E=1",
    "preset=gemma&channel=electron",
    "target=Si&E=30&axes=fixed&TN_max=100&form_factor=helm&decades=6",
    "target=Ar&mu=off&q=-1e-13&thr_e=2",
    "target=Xe&pin_e=mu:off,target:Ge&pin_n=E:2",  # pinned curves
    "target=Xe&map=mu",  # the map under the plot is not previewed; the plot is
]


def pixels(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as im:
        return np.asarray(im.convert("RGB"))


def live_first_images(query: str) -> dict:
    """channel → the dashboard's first image for the link ``query``, for the shown panels."""
    dash = build_dashboard(query="")
    dash.apply_query(query)
    return {
        c: dash.panels[c].image.value
        for c in ("electron", "nucleus")
        if dash.panels[c].layout.display != "none"
    }, dash.notice.value


@pytest.mark.parametrize("query", LINKS)
def test_preview_pixels_are_the_dashboards_first_pixels(query):
    live, _ = live_first_images(query)
    plan = preview.plan(query)
    assert sorted(plan.views) == sorted(live)
    for channel, live_png in live.items():
        got = pixels(preview.render(channel, plan.views[channel]))
        want = pixels(live_png)
        assert got.shape == want.shape == (preview.SIZE[1], preview.SIZE[0], 3)
        np.testing.assert_array_equal(got, want)


def test_a_different_link_gives_a_different_picture_and_the_same_link_the_same():
    a = preview.render("electron", preview.plan("target=Xe").views["electron"])
    b = preview.render("electron", preview.plan("target=Ge").views["electron"])
    again = preview.render("electron", preview.plan("target=xe").views["electron"])
    assert not np.array_equal(pixels(a), pixels(b))
    np.testing.assert_array_equal(pixels(a), pixels(again))
    # the same state, spelled differently: one cache key
    assert preview.plan("target=xe&mu=3e-11").key == preview.plan("mu=3.0e-11&target=Xe").key


@pytest.mark.parametrize(
    "query",
    [
        "E=1e9&target=Zz&colour=red",
        "mu=abc",
        "E=-5&preset=nope&Te_min=100&Te_max=100&axes=fixed",
        "x" * 5000,
    ],
)
def test_bad_links_are_clamped_with_the_dashboards_notes(query):
    live, notice = live_first_images(query)
    plan = preview.plan(query)
    assert plan.notes, "a bad link gives notes"
    for note in plan.notes:  # the same notes as the live page shows (escaped there)
        assert note.split(";")[0][:20].replace("'", "&#x27;") in notice
    assert sorted(plan.views) == sorted(live)


def test_the_rates_panel_has_no_preview():
    assert preview.plan("channel=rates").views == {}
    assert sorted(preview.plan("channel=nucleus").views) == ["nucleus"]


def test_previews_render_off_the_event_loop_and_cache_by_state():
    threads = []
    real = preview.render

    def spy(channel, view):
        threads.append(threading.current_thread().name)
        return real(channel, view)

    previews = Previews(size=2)

    async def run():
        loop_thread = threading.current_thread().name
        orig = preview.render
        preview.render = spy
        try:
            a = await previews.png("electron", "target=Xe")
            a2 = await previews.png("electron", "target=xe")  # same state: cached
            rates = await previews.png("rates", "target=Xe")
            hidden = await previews.png("nucleus", "channel=electron")
            bad = await previews.png("electron", "%%%=&&E=nan")
            html = await previews.page_html("/p/", "target=Ge&channel=nucleus")  # starts it
            await previews.png("nucleus", "target=Ge&channel=nucleus")
        finally:
            preview.render = orig
        return loop_thread, a, a2, rates, hidden, bad, html

    loop_thread, a, a2, rates, hidden, bad, html = asyncio.run(run())
    assert a is a2 and pixels(a).shape == (540, 648, 3)
    assert rates is None and hidden is None
    assert bad is not None  # nothing usable in the link: the default view, with notes
    assert threads and all(t.startswith("explorer-preview-render") for t in threads)
    assert loop_thread not in threads
    assert len(threads) == 3  # Xe, the default view, Ge: each state rendered once
    assert 'src="/p/explorer/preview/nucleus.png?target=Ge&amp;channel=nucleus"' in html
    assert "electron.png" not in html
    assert len(previews._plans) <= 2 and len(previews._pngs) <= 2  # the LRU bound


def test_preview_html_is_empty_without_panels_and_escapes_everything():
    assert preview_html("/", "channel=rates", {}, preview.SIZE) == ""
    out = preview_html("/", "a=<script>", {"electron": '"><script>'}, preview.SIZE)
    assert "<script>" not in out
