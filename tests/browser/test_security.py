"""What the page may not do: run code, read files, inject HTML or set values the controls forbid.

These run against the standalone server of ``make dashboard`` (the public face of the project).
The Jupyter Server route is a full Jupyter server behind its token, by design (Binder, JupyterHub).
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import harness
import pytest
from harness import student

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_execute_request_over_the_page_websocket_is_refused(standalone, tmp_path):
    """A second v1 websocket to the page's own kernel, as any visitor can open: a
    kernel_info_request is answered (the socket works), an execute_request is dropped."""
    marker = tmp_path / f"pwned-{uuid.uuid4().hex}"
    page = student.open_page(standalone.url(), timeout=120)
    ks = student.KernelSocket(page)
    try:
        assert ks.kernel_info()["implementation"] == "ipython"
        code = f"open({str(marker)!r}, 'w').write('ran')"
        exec_id = ks.send("shell", "execute_request", {
            "code": code, "silent": False, "store_history": False, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True,
        })  # fmt: skip
        with pytest.raises(TimeoutError):
            ks.receive_until(lambda c, m, b: m["parent_header"].get("msg_id") == exec_id, 3.0)
    finally:
        ks.close()
        student.shutdown(page)
    time.sleep(0.5)
    assert not marker.exists(), "an execute_request from the page ran code"
    assert "execute_request" in standalone.log() and "not allowed" in standalone.log()


PRIVATE = [
    "/api/kernels",
    "/api/kernels/",
    "/api/contents",
    "/api/contents/notebooks/dashboard.ipynb",
    "/api/sessions",
    "/api/terminals",
    "/api/kernelspecs",
    "/api/config/notebook",
    "/tree",
    "/lab",
    "/notebooks/dashboard.ipynb",
    "/files/notebooks/dashboard.ipynb",
    "/voila/files/notebooks/dashboard.ipynb",
    "/voila/files/voila.json",
    "/voila/files/pyproject.toml",
    "/voila/render/notebooks/dashboard.ipynb",
    "/voila/api/contents",
    "/voila/tree",
    "/notebooks/dashboard.ipynb?download=1",
    "/dashboard.ipynb",
    "/voila/files/%2e%2e/pyproject.toml",
    "/voila/static/../../voila.json",
]


@pytest.mark.parametrize("path", PRIVATE)
def test_standalone_server_serves_no_api_no_files_no_notebook(standalone, path):
    r = standalone.get(path)
    hops = 0
    while r.status_code in (301, 302, 303, 307, 308) and hops < 5:
        loc = r.headers["Location"]
        r = standalone.get(loc if loc.startswith("/") else "/" + loc.split("/", 3)[-1])
        hops += 1
    assert r.status_code in (403, 404, 405), (path, r.status_code, r.text[:200])
    for secret in (
        "nbformat",
        "build_dashboard",
        "explorer.app",
        "MappingKernelManager",
        '"kernels"',
        "last_activity",
    ):
        assert secret not in r.text, (path, secret)


_HOSTILE = {
    "target": '<img src=x onerror="window.__pwned=1">',
    "mu": "__import__('os').system('touch /tmp/explorer-pwned')",
    "E": "1e999",
    "r2": "nan",
    "channel": "<script>window.__pwned=2</script>",
    "colour": "</div><svg onload=window.__pwned=3>",
}


def test_hostile_query_string_is_clamped_or_ignored_with_a_visible_notice(browser, standalone):
    from urllib.parse import urlencode

    Path("/tmp/explorer-pwned").unlink(missing_ok=True)
    ctx = browser.new_context(viewport=harness.DESKTOP)
    try:
        page = ctx.new_page()
        page.goto(standalone.url(urlencode(_HOSTILE)))
        dash = harness.Dashboard(page)
        dash.wait_ready()
        dash.settle()
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator(".nac-dashboard img:not(.widget-image)").count() == 0
        assert page.locator(".nac-dashboard script, .nac-dashboard svg[onload]").count() == 0
        notice = page.locator(".nac-notice")
        assert notice.count() and notice.first.is_visible(), "no notice about the bad link"
        text = notice.first.inner_text()
        assert "<img" in text or "img src" in text or "target" in text, text  # shown as text
        e = dash.slider_value(dash.slider("Eν"))
        assert 0 < e <= 100, e
        assert dash.error() == ""
        assert not Path("/tmp/explorer-pwned").exists()
    finally:
        ctx.close()


def test_slider_readout_accepts_only_what_the_control_allows(browser, standalone):
    ctx = browser.new_context(viewport=harness.DESKTOP)
    try:
        page = ctx.new_page()
        page.goto(standalone.url())
        dash = harness.Dashboard(page)
        dash.wait_ready()
        dash.settle()
        # a linear slider keeps an editable readout (log sliders show the value in their label)
        r2 = dash.slider("⟨r²⟩")
        readout = r2.locator(".widget-readout")
        top = float(r2.locator(".noUi-handle").get_attribute("aria-valuemax"))

        text = dash.text()
        readout.click()
        page.keyboard.press("Control+A")
        page.keyboard.type("1e99")
        page.keyboard.press("Enter")
        dash.wait_text_change(text)
        dash.settle()
        assert harness.number(readout.inner_text()) == pytest.approx(top, rel=1e-6, abs=0)

        before = harness.number(readout.inner_text())
        readout.click()
        page.keyboard.press("Control+A")
        page.keyboard.type('<img src=x onerror="window.__pwned=1">')
        page.keyboard.press("Enter")
        time.sleep(1.0)
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator(".nac-dashboard img:not(.widget-image)").count() == 0
        assert harness.number(readout.inner_text()) == pytest.approx(before, rel=1e-6, abs=0)
        assert dash.error() == ""
        link = harness.view_link(page)
        assert "r2=50" in link, link
        json.dumps(link)  # plain text
    finally:
        ctx.close()
