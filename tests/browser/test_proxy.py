"""The pre-heated standalone server behind Jupyter Server at /dashboard/ (jupyter-server-proxy):
the route the README's Binder link opens. One Jupyter Server for the module; /voila/render keeps
working beside it."""

from __future__ import annotations

import time

import harness
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def proxy(notebook):
    srv = harness.Server("proxy", notebook).start()
    yield srv
    srv.stop()


def _open(ctx, server, query="", timeout=60.0):
    page = ctx.new_page()
    page.goto(server.url(query), wait_until="commit", timeout=timeout * 1000)
    dash = harness.Dashboard(page)
    dash.wait_ready(timeout=timeout)
    dash.settle()
    harness.wait_session(page, "live", timeout=30)
    return dash


def test_dashboard_behind_jupyter_server_uses_pre_heated_kernels(browser, proxy):
    ctx = browser.new_context(viewport=harness.DESKTOP)
    try:
        proxy.login(ctx)
        # the first request starts the standalone server and its pool (once per Jupyter Server)
        first = _open(ctx, proxy, "target=Xe&mu=3e-11", timeout=180)
        kid = first.kernel_id()
        deadline = time.monotonic() + 120
        while "Kernel pool of" not in proxy.log() or "is filled" not in proxy.log():
            assert time.monotonic() < deadline, proxy.log()[-3000:]
            time.sleep(0.5)
        t0 = time.monotonic()
        second = _open(ctx, proxy, "target=Ge&mu=5e-11")
        seconds = time.monotonic() - t0
        assert f"Using pre-heated kernel: {second.kernel_id()}" in proxy.log()
        # each tab shows its own state, and a key press redraws
        assert "Xe" in first.dropdown("Element").inner_text()
        assert "Ge" in second.dropdown("Element").inner_text()
        before = second.image_srcs()
        second.nudge(second.slider("μν"))
        second.wait_images_change(before)
        # closing a tab shuts its kernel down through the proxy (the XSRF cookie fix)
        first.page.close(run_before_unload=True)
        assert proxy.wait_kernel_gone(kid), "the closed tab's kernel is still running"
        # a killed kernel gives the session banner here too
        victim = second.kernel_id()
        proxy.kernel(victim).kill()
        second.page.locator(harness.BANNER).wait_for(state="visible", timeout=5000)
        assert harness.session(second.page)["state"] == "ended"
        print(f"pre-heated page through the proxy: {seconds:.1f} s to both plots")
    finally:
        ctx.close()
    assert "'_xsrf' argument missing" not in proxy.log()


def test_voila_render_keeps_working_beside_the_proxy(browser, proxy, notebook):
    ctx = browser.new_context(viewport=harness.DESKTOP)
    try:
        proxy.login(ctx)
        page = ctx.new_page()
        page.goto(f"{proxy.base}/voila/render/{notebook}?target=Si", wait_until="commit")
        dash = harness.Dashboard(page)
        dash.wait_ready(timeout=120)
        assert "Si" in dash.dropdown("Element").inner_text()
    finally:
        ctx.close()


def test_previews_through_the_proxy_use_its_prefix(proxy):
    """The page's preview images point under /dashboard/ and the proxy serves them (PNG).

    A page gets previews only when no pre-heated kernel is free to answer it at once
    (explorer/serving/previews.py): the pages below take the pool's kernels until one gets them.
    """
    import re

    import requests
    from harness import student

    from explorer.app.declare import dom

    auth = {"Authorization": f"token {proxy.token}"}
    pages, srcs = [], []
    try:
        while not srcs and len(pages) < 6:
            pages.append(student.open_page(proxy.url("target=Si&E=5"), proxy.token, 180))
            srcs = re.findall(
                rf'<img class="{dom.PREVIEW_IMAGE}[^"]*" src="([^"]+)"', pages[-1].html
            )
    finally:
        for page in pages:
            student.shutdown(page)
    assert [s.replace("&amp;", "&") for s in srcs] == [
        "/dashboard/explorer/preview/electron.png?target=Si&E=5",
        "/dashboard/explorer/preview/nucleus.png?target=Si&E=5",
    ], len(pages)
    png = requests.get(proxy.base + srcs[0].replace("&amp;", "&"), headers=auth, timeout=60)
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
