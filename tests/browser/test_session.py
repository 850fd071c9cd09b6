"""When a session ends the page says so (issue 13), on both routes.

The page's kernel is killed by its process id (as the out-of-memory killer or a crash would) or
its websocket is dropped with the kernel alive (a short network drop). The serving layer's
session watcher (explorer/page/session.js, injected by explorer.serving) shows one banner,
freezes the controls and offers a Reload that opens the current view's link; the server
(voila.json: ``KernelRestarter.restart_limit = 0``) removes the dead kernel and keeps its
pre-heated pool full.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import harness
import pytest

from explorer.serving.pages import SESSION_CONFIG

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ENDED_TEXT = "This session has ended — the plots no longer follow the controls."


def _open(context, server, query: str = ""):
    page = context.new_page()
    page.goto(server.url(query))
    dash = harness.Dashboard(page)
    dash.wait_ready()
    dash.settle()
    harness.wait_session(page, "live", timeout=30)
    return dash


def _kill(server, dash) -> str:
    kid = dash.kernel_id()
    proc = server.kernel(kid)
    assert proc is not None, f"no process for kernel {kid}"
    proc.kill()
    return kid


def _frozen_state(dash):
    mu = dash.slider("μν")
    return dash.slider_value(mu), dash.text(), dash.image_srcs()


def test_killed_kernel_one_banner_frozen_controls_and_reload_to_the_view(
    context, server, screenshot_dir
):
    server.login(context)
    dash = _open(context, server, "target=Xe&mu=3e-11")
    page = dash.page
    # move μν once, so that the view's link (not the address the page was opened with) is the
    # view a reload must restore
    before = dash.image_srcs()
    dash.press(dash.slider("μν"), "ArrowRight")
    dash.wait_images_change(before)
    dash.settle()
    link = harness.view_link(page)
    link_mu = float(parse_qs(urlsplit(link).query)["mu"][0])
    assert abs(link_mu / 3e-11 - 1) > 1e-3, link

    kid = _kill(server, dash)
    t0 = time.monotonic()
    banner = page.locator(harness.BANNER)
    banner.wait_for(state="visible", timeout=5000)
    seen_after = time.monotonic() - t0
    assert seen_after <= 5.0, seen_after
    assert banner.count() == 1
    assert ENDED_TEXT in banner.inner_text()
    assert harness.session(page)["state"] == "ended"
    assert page.locator(harness.RELOAD).is_visible()
    time.sleep(1.0)  # let ipywidgets mark its views disconnected
    assert harness.broken_icons(page) == 0

    # no control changes anything: keys on a slider, a click on a toggle, a dropdown pick
    state = _frozen_state(dash)
    handle = dash.slider("μν").locator(".noUi-handle").first
    handle.focus()
    page.keyboard.press("ArrowRight")
    dash.toggle("millicharge").locator("button").first.click(force=True, timeout=2000)
    dash.slider("Eν").locator(".noUi-handle").first.click(force=True, timeout=2000)
    page.keyboard.press("End")
    time.sleep(1.0)
    assert _frozen_state(dash) == state
    assert page.evaluate("([sel]) => document.querySelector(sel).inert", [harness.PAGE])

    # pictures of the banner for people to look at
    page.screenshot(path=screenshot_dir / f"session-ended-{server.route}-desktop.png")
    page.set_viewport_size(harness.PHONE)
    page.wait_for_timeout(300)
    page.screenshot(path=screenshot_dir / f"session-ended-{server.route}-phone.png")
    page.set_viewport_size(harness.DESKTOP)

    # the server removed the dead kernel from its kernel manager
    deadline = time.monotonic() + 10
    while f"Kernel {kid} died, removing from map" not in server.log():
        assert time.monotonic() < deadline, server.log()[-3000:]
        time.sleep(0.2)
    if server.route == "jupyter":
        ids = [k["id"] for k in server.get("/api/kernels", params={"token": server.token}).json()]
        assert kid not in ids

    # Reload opens the view's link: the same view, from a new kernel that works
    page.locator(harness.RELOAD).click()
    page.wait_for_url(link, timeout=15000)
    fresh = harness.Dashboard(page)
    fresh.wait_ready()
    fresh.settle()
    assert fresh.kernel_id() != kid
    harness.wait_session(page, "live", timeout=5)
    assert fresh.slider_value(fresh.slider("μν")) == pytest.approx(link_mu, rel=0.02, abs=0)
    assert harness.view_link(page) == link
    assert page.locator(harness.BANNER).count() == 0
    before = fresh.image_srcs()
    fresh.nudge(fresh.slider("μν"))
    fresh.wait_images_change(before)


def test_dropped_websocket_with_the_kernel_alive_reconnects_by_itself(context, server):
    server.login(context)
    dash = _open(context, server)
    page = dash.page
    kid = dash.kernel_id()
    context.set_offline(True)
    page.evaluate(
        "() => window.__nacSession.sockets.filter(ws => ws.readyState === 1)"
        ".forEach(ws => ws.close())"
    )
    time.sleep(3.0)
    assert harness.session(page)["state"] == "lost"
    context.set_offline(False)
    # Voila's kernel client checks the kernel again only 10–30 s after a check met the network
    # error (explorer.serving.pages.SESSION_CONFIG): the page must wait that long, and no longer
    harness.wait_session(page, "live", timeout=SESSION_CONFIG["reconnectTimeout"] + 10)
    assert server.kernel(kid) is not None
    s = harness.session(page)
    assert s["events"].count("reconnected") == 1, s
    # the controls were unfrozen by the widgets' states coming back, not by the fallback timer
    assert "resynced: widget states" in s["events"], s
    assert s["state"] == "live" and s["endedBecause"] is None, s
    # the page works again: a key press redraws, from the same kernel
    dash.page.evaluate("() => {}")
    before = dash.image_srcs()
    dash.nudge(dash.slider("μν"))
    dash.wait_images_change(before, timeout=20)
    assert dash.kernel_id() == kid
    assert harness.broken_icons(page) == 0
    banner = page.locator(harness.BANNER)
    assert banner.count() == 0 or "Reconnected" in banner.inner_text()


# Every slider model of the page waits for the kernel's answer to its last change, as when that
# answer was lost with a dying proxy (ipywidgets then sends the model's changes no more).
_STICK_SLIDERS = """async () => {
  const models = await Promise.all(Object.values(window.jupyterapp.widgetManager._models));
  let n = 0;
  for (const m of models) {
    if (m && /Slider/.test(m.get("_model_name"))) { m._pending_msgs = 1; n += 1; }
  }
  return n;
}"""


_STILL_WAITING = """async () => (await Promise.all(Object.values(window.jupyterapp.widgetManager._models)))
  .filter(m => m && /Slider/.test(m.get("_model_name")) && m._pending_msgs > 0).length"""


_HELD_BACK = """async () => (await Promise.all(Object.values(window.jupyterapp.widgetManager._models)))
  .filter(m => m && m._msg_buffer).length"""


def _wait_link_moves(page, link: str, timeout: float) -> bool:
    """Whether the view link, which the kernel writes, changes from ``link`` within ``timeout``
    seconds: whether the kernel received a change."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if harness.view_link(page) != link:
            return True
        page.wait_for_timeout(200)
    return False


def test_an_answer_lost_with_the_connection_leaves_no_control_stuck(context, server):
    server.login(context)
    dash = _open(context, server)
    page = dash.page
    stuck = page.evaluate(_STICK_SLIDERS)
    assert stuck >= 3, stuck
    link = harness.view_link(page)
    dash.nudge(dash.slider("μν"))
    # the premise: the waiting model holds the change back, and the kernel never gets it
    assert page.evaluate(_HELD_BACK) >= 1
    assert not _wait_link_moves(page, link, 3.0)
    context.set_offline(True)
    page.evaluate(
        "() => window.__nacSession.sockets.filter(ws => ws.readyState === 1)"
        ".forEach(ws => ws.close())"
    )
    time.sleep(3.0)
    context.set_offline(False)
    harness.wait_session(page, "live", timeout=SESSION_CONFIG["reconnectTimeout"] + 10)
    # the slider sends again: a key press reaches the kernel and redraws
    link, before = harness.view_link(page), dash.image_srcs()
    dash.nudge(dash.slider("μν"))
    assert _wait_link_moves(page, link, 20.0), harness.session(page)
    dash.wait_images_change(before, timeout=20)
    # every slider answered or freed: none waits for a reply any more (some may have been freed
    # by ipywidgets' own restore, so the page's count of those it freed is at least one)
    deadline = time.monotonic() + 5
    while page.evaluate(_STILL_WAITING) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    s = harness.session(page)
    assert page.evaluate(_STILL_WAITING) == 0, s
    assert s["unstuck"] >= 1, s


def test_three_kernel_deaths_in_a_row_then_a_new_page_works(context, server):
    server.login(context)
    dead = []
    for _ in range(3):
        dash = _open(context, server)
        dead.append(_kill(server, dash))
        harness.wait_session(dash.page, "ended", timeout=5)
        dash.page.close()
    for kid in dead:
        assert server.wait_kernel_gone(kid, timeout=10)
    deadline = time.monotonic() + 10
    while not all(f"Kernel {k} died, removing from map" in server.log() for k in dead):
        assert time.monotonic() < deadline, server.log()[-3000:]
        time.sleep(0.2)
    t0 = time.monotonic()
    dash = _open(context, server)
    first_plot_s = time.monotonic() - t0
    assert first_plot_s < 60, first_plot_s
    before = dash.image_srcs()
    dash.nudge(dash.slider("μν"))
    dash.wait_images_change(before)
    assert dash.kernel_id() not in dead


def test_a_dead_pre_heated_kernel_leaves_the_pool_and_is_replaced(browser, standalone):
    """A pooled kernel killed before any page takes it is never handed to a page."""
    ctx = browser.new_context(viewport=harness.DESKTOP)
    try:
        dash = _open(ctx, standalone)  # takes the pooled kernel; the pool refills
        used = dash.kernel_id()
        pooled = standalone.wait_kernels(
            lambda ks: any(used not in " ".join(k.cmdline()) for k in ks), timeout=30
        )
        victims = [k for k in pooled if used not in " ".join(k.cmdline())]
        assert victims, "the pool was not refilled"
        victim_ids = [
            a.split("kernel-")[1].removesuffix(".json")
            for v in victims
            for a in v.cmdline()
            if "kernel-" in a
        ]
        for v in victims:
            v.kill()
        deadline = time.monotonic() + 10
        while not all(f"Kernel {k} died" in standalone.log() for k in victim_ids):
            assert time.monotonic() < deadline, standalone.log()[-3000:]
            time.sleep(0.2)
        fresh = _open(ctx, standalone)
        assert fresh.kernel_id() not in victim_ids
        before = fresh.image_srcs()
        fresh.nudge(fresh.slider("μν"))
        fresh.wait_images_change(before)
    finally:
        ctx.close()
