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

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Sent from inside the page, over a second websocket to the page's own kernel: a
# kernel_info_request (allowed, proves the socket works) and an execute_request (must be dropped).
_WS_PROBE = """
async ([kernelId, code]) => {
  const url = location.origin.replace(/^http/, 'ws') + '/api/kernels/' + kernelId +
              '/channels?session_id=' + crypto.randomUUID();
  const ws = new WebSocket(url);
  const got = [];
  ws.onmessage = ev => { try { const m = JSON.parse(ev.data);
      got.push({type: m.header.msg_type, parent: (m.parent_header || {}).msg_id || null,
                channel: m.channel}); } catch (e) {} };
  await new Promise((ok, bad) => { ws.onopen = ok; ws.onerror = bad; });
  const msg = (type, content) => ({header: {msg_id: crypto.randomUUID(), msg_type: type,
      username: 'attacker', session: crypto.randomUUID(), date: new Date().toISOString(),
      version: '5.3'}, parent_header: {}, metadata: {}, content, channel: 'shell', buffers: []});
  const info = msg('kernel_info_request', {});
  const exec = msg('execute_request', {code, silent: false, store_history: false,
      user_expressions: {}, allow_stdin: false, stop_on_error: true});
  ws.send(JSON.stringify(info));
  ws.send(JSON.stringify(exec));
  await new Promise(r => setTimeout(r, 3000));
  ws.close();
  return {info: info.header.msg_id, exec: exec.header.msg_id, got};
}
"""


def _kernel_id(page) -> str:
    return page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def test_execute_request_over_the_page_websocket_is_refused(browser, standalone, tmp_path):
    marker = tmp_path / f"pwned-{uuid.uuid4().hex}"
    code = f"open({str(marker)!r}, 'w').write('ran')"
    ctx = browser.new_context(viewport=harness.DESKTOP)
    try:
        page = ctx.new_page()
        page.goto(standalone.url())
        harness.Dashboard(page).wait_ready()
        result = page.evaluate(_WS_PROBE, [_kernel_id(page), code])
    finally:
        ctx.close()
    replies = [m for m in result["got"] if m["parent"] == result["info"]]
    assert any(m["type"] == "kernel_info_reply" for m in replies), result["got"]
    assert [m for m in result["got"] if m["parent"] == result["exec"]] == [], (
        "the kernel answered an execute_request from the page"
    )
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
