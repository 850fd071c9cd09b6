"""What a first visit costs the network (issue 18): the page's HTML goes out gzip-compressed on
both routes that render it, and the kernel websocket offers permessage-deflate
(explorer/serving/wire.py; the static files: tests/test_static.py; a deflate bomb:
tests/browser/test_frames.py)."""

from __future__ import annotations

import harness
import pytest
from harness import student

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module", params=["standalone", "jupyter"])
def server(request, servers, notebook) -> harness.Server:
    return harness.shared_server(servers, request.param, notebook)


def test_the_page_goes_out_compressed_and_the_websocket_compresses(server):
    page = student.open_page(server.url("target=Xe"), token=server.token, timeout=180)
    try:
        assert page.wire_bytes < page.html_bytes / 2, (page.wire_bytes, page.html_bytes)
        ks = student.KernelSocket(page)
        try:
            states = ks.request_states()
            offered = ks.ws.response.headers.get("Sec-WebSocket-Extensions", "")
            assert "permessage-deflate" in offered, offered
            # the widget states' JSON shrinks; the PNG images in them barely do
            assert ks.wire_in < 0.7 * ks.bytes_in, (ks.wire_in, ks.bytes_in)
            assert len(states) > 50
        finally:
            ks.close()
    finally:
        student.shutdown(page)
