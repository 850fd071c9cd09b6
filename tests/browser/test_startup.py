"""No blank pages, no outside requests, no MathJax (issue 10): a page says it is starting and how far, a
dashboard that does not start says so with a Reload button, Voila's icons come from the server,
and the pre-heated pool warms up at a lower CPU priority than the tabs in use."""

from __future__ import annotations

import os

import harness
import pytest

from explorer.serving import POOL_NICENESS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Samples, every 100 ms from the first paint, what the page shows: the session banner, Voila's
# own "Executing k of n" spinner, the dashboard, or nothing.
_SAMPLER = """
(() => {
  const out = window.__shown = [];
  const t0 = performance.now();
  const vis = (e) => e && e.getBoundingClientRect().height > 0 &&
                     getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden';
  const tick = () => {
    const b = document.querySelector('.nac-session-banner');
    const l = document.getElementById('loading');
    const d = document.querySelector('.nac-dashboard img');
    out.push([Math.round(performance.now() - t0),
              vis(b) ? 'banner: ' + b.innerText : vis(l) ? 'loading: ' + l.innerText
              : vis(d) ? 'dashboard' : 'blank']);
    if (out.length < 1200) setTimeout(tick, 100);
  };
  document.addEventListener('DOMContentLoaded', tick);
})();
"""


def test_no_request_leaves_the_server_and_the_icon_font_is_served(browser, server):
    ctx = browser.new_context(viewport=harness.DESKTOP)
    try:
        server.login(ctx)
        page = ctx.new_page()
        outside, mathjax = [], []
        page.on(
            "request",
            lambda r: (
                None if r.url.startswith((server.base, "data:", "blob:")) else outside.append(r.url)
            ),
        )
        page.on("request", lambda r: mathjax.append(r.url) if harness.is_mathjax(r.url) else None)
        page.goto(server.url())
        harness.Dashboard(page).wait_ready()
        faces = page.evaluate(
            "async () => (await document.fonts.load('900 16px \"Font Awesome 5 Free\"')).length"
        )
        assert faces >= 1, "Font Awesome is not available from the page's own server"
        assert outside == [], outside
        # MathJax (~0.9 MB, ~0.2 s of script per tab) is not loaded by the standalone server
        # (also the Binder link's /dashboard/): no label holds TeX (voila.json's
        # Voila.mathjax_url stub). Only the typesetter plugin of Voila's bundle (chunk 3307,
        # 2.5 kB) comes, as it does with every page. The Jupyter route's /voila/render keeps
        # Voila's bundled MathJax (the stub there stopped the session watcher from seeing a
        # dropped websocket: test_session's reconnect test).
        if server.route == "standalone":
            assert [u for u in mathjax if "/3307." not in u] == [], mathjax
    finally:
        ctx.close()


def test_a_cold_kernel_page_is_never_blank_and_says_how_far_it_got(browser):
    with harness.Server(
        "standalone", extra_args=["--VoilaConfiguration.default_pool_size=0"]
    ) as srv:
        ctx = browser.new_context(viewport=harness.DESKTOP)
        try:
            ctx.add_init_script(_SAMPLER)
            page = ctx.new_page()
            page.goto(srv.url("target=Xe"))
            harness.Dashboard(page).wait_ready(timeout=120)
            harness.wait_session(page, "live", timeout=10)
            shown = page.evaluate("() => window.__shown")
        finally:
            ctx.close()
    blank_late = [(t, what) for t, what in shown if what == "blank" and t > 1500]
    assert blank_late == [], shown
    said = {what for _, what in shown}
    assert any(w.startswith(("loading:", "banner: Starting")) for w in said), said


def test_a_dashboard_that_does_not_start_says_so_with_a_reload_button(browser, tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("raise RuntimeError('no dashboard today')")]
    path = tmp_path / "broken.ipynb"
    nbformat.write(nb, path)
    with harness.Server(
        "standalone",
        notebook=str(path),
        extra_args=["--VoilaConfiguration.default_pool_size=0"],
        env={"EXPLORER_START_TIMEOUT": "4"},
    ) as srv:
        ctx = browser.new_context(viewport=harness.DESKTOP)
        try:
            page = ctx.new_page()
            page.goto(srv.url())
            harness.wait_session(page, "failed", timeout=30)
            banner = page.locator(harness.BANNER)
            assert banner.count() == 1
            assert "did not start" in banner.inner_text()
            assert page.locator(harness.RELOAD).is_visible()
        finally:
            ctx.close()


def _nice(proc) -> int | None:
    try:
        return proc.nice()
    except Exception:  # the process is gone
        return None


@pytest.mark.skipif(os.geteuid() != 0, reason="restoring a niceness needs root or CAP_SYS_NICE")
def test_pool_kernels_warm_up_niced_and_serve_at_normal_priority(browser):
    with harness.Server(
        "standalone", extra_args=["--VoilaConfiguration.default_pool_size=2"]
    ) as srv:
        ks = srv.wait_kernels(
            lambda ks: len(ks) >= 2 and all(_nice(k) == POOL_NICENESS for k in ks), 60
        )
        assert sorted(_nice(k) for k in ks) == [POOL_NICENESS] * 2
        ctx = browser.new_context(viewport=harness.DESKTOP)
        try:
            page = ctx.new_page()
            page.goto(srv.url(), wait_until="commit", timeout=120_000)
            dash = harness.Dashboard(page)
            dash.wait_ready(timeout=120)
            # every thread: the kernel's messages go out through its ZMQ I/O and IOPub threads
            mine_proc = srv.kernel(dash.kernel_id())
            threads = {t.id: os.getpriority(os.PRIO_PROCESS, t.id) for t in mine_proc.threads()}
            assert len(threads) > 1
            assert threads == dict.fromkeys(threads, os.getpriority(os.PRIO_PROCESS, 0))
            # the refill warms up niced
            mine = dash.kernel_id()
            others = srv.wait_kernels(
                lambda ks: any(
                    mine not in " ".join(k.cmdline()) and _nice(k) == POOL_NICENESS for k in ks
                ),
                timeout=30,
            )
            assert any(
                mine not in " ".join(k.cmdline()) and _nice(k) == POOL_NICENESS for k in others
            )
        finally:
            ctx.close()
