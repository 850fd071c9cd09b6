"""Kernels live as long as their tab: reload or close shuts them down; lost tabs are culled.

Voila 0.5 posts the shutdown with ``navigator.sendBeacon`` on ``beforeunload``; without the
``_xsrf`` cookie that ``explorer.serving.set_xsrf_cookie`` makes the page set, that POST fails
its XSRF check and the kernel (~110 MB) stays. ``test_unpatched_voila_leaks_a_kernel_on_reload``
keeps the upstream bug in view: when it starts failing, Voila has fixed it.
"""

from __future__ import annotations

import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _open(context, server, H):
    page = context.new_page()
    page.goto(server.url())
    H.Dashboard(page).wait_ready()
    return page


def test_reload_then_close_shuts_each_kernel_of_the_tab_down(browser, server, H):
    ctx = browser.new_context(viewport=H.DESKTOP)
    try:
        server.login(ctx)
        before = {k.pid for k in server.kernels()}
        page = _open(ctx, server, H)
        first = {
            k.pid for k in server.wait_kernels(lambda ks: {k.pid for k in ks} - before)
        } - before
        assert len(first) == 1, (before, first)

        page.reload()
        H.Dashboard(page).wait_ready()
        ks = server.wait_kernels(lambda ks: not (first & {k.pid for k in ks}), timeout=20)
        assert not (first & {k.pid for k in ks}), "reload: the old kernel was not shut down"
        second = {k.pid for k in ks} - before
        assert len(second) == 1, "reload: expected exactly one kernel for the reloaded page"

        page.close(run_before_unload=True)
        ks = server.wait_kernels(lambda ks: not (second & {k.pid for k in ks}), timeout=20)
        assert not (second & {k.pid for k in ks}), "close: the tab's kernel was not shut down"
    finally:
        ctx.close()
    assert "'_xsrf' argument missing" not in server.log()


def test_unpatched_voila_leaks_a_kernel_on_reload(browser, H, notebook):
    """Control: the plain ``voila`` command (no hook) keeps the old kernel after a reload."""
    with H.Server("plain-voila", notebook) as srv:
        ctx = browser.new_context(viewport=H.DESKTOP)
        try:
            page = _open(ctx, srv, H)
            first = {k.pid for k in srv.wait_kernels(lambda ks: len(ks) == 1)}
            page.reload()
            H.Dashboard(page).wait_ready()
            ks = srv.wait_kernels(lambda ks: len(ks) >= 2, timeout=10)
            time.sleep(2)
            assert first <= {k.pid for k in srv.kernels()}, "unpatched Voila shut the kernel down"
            assert "'_xsrf' argument missing" in srv.log()
            assert len(ks) == 2
        finally:
            ctx.close()


def test_idle_disconnected_kernels_are_culled_and_open_tabs_kept(browser, H, notebook):
    """Short timeouts on the command line; the culling settings otherwise come from voila.json."""
    args = ["--MappingKernelManager.cull_idle_timeout=4", "--MappingKernelManager.cull_interval=1"]
    with H.Server("standalone", notebook, extra_args=args) as srv:
        ctx = browser.new_context(viewport=H.DESKTOP)
        try:
            kept = _open(ctx, srv, H)
            (a,) = srv.wait_kernels(lambda ks: len(ks) == 1)
            lost = _open(ctx, srv, H)
            ks = srv.wait_kernels(lambda ks: len(ks) == 2)
            (b,) = [k for k in ks if k.pid != a.pid]
            # A tab that vanishes without its unload handlers (a crash, a phone killing the
            # browser): no shutdown request, only the websocket closes.
            lost.close(run_before_unload=False)
            ks = srv.wait_kernels(lambda ks: b.pid not in {k.pid for k in ks}, timeout=30)
            assert b.pid not in {k.pid for k in ks}, "idle, disconnected kernel was not culled"
            assert "Culling" in srv.log()
            time.sleep(5)  # longer than the idle timeout: the open tab's kernel stays
            assert a.pid in {k.pid for k in srv.kernels()}, "the open tab's kernel was culled"
            assert kept.locator("img.widget-image").count() >= 2
        finally:
            ctx.close()
        log = srv.log()
    assert "Culling kernels with idle durations > 4 seconds at 1 second intervals" in log


def test_both_routes_read_the_culling_settings_from_the_repository(server):
    """The repository's voila.json (standalone) and jupyter_server_config.py (Jupyter route)."""
    assert (
        "Culling kernels with idle durations > 900 seconds at 60 second intervals" in server.log()
    )
