"""Static files go out gzip-compressed, once compressed per process (explorer.serving.static):
on a Tornado StaticFileHandler, as Voila's and Jupyter Server's static routes are, served from
a thread of its own (in the whole suite Playwright keeps an event loop in the main thread)."""

from __future__ import annotations

import asyncio
import gzip
import os
import socket
import threading

import pytest
import requests
from tornado.web import Application, StaticFileHandler

from explorer.serving import static

SCRIPT = ("/* a page script */\n" + "const x = 1;\n" * 2000).encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    static.install_compressed_static()
    root = tmp_path_factory.mktemp("static")
    for name, body in (("a.js", SCRIPT), ("tiny.js", b"x=1"), ("f.woff2", os.urandom(4096))):
        (root / name).write_bytes(body)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def serve():
        asyncio.set_event_loop(loop)
        app = Application([(r"/s/(.*)", StaticFileHandler, {"path": str(root)})])
        app.listen(port, "127.0.0.1")
        loop.call_soon(ready.set)
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(10)
    yield f"http://127.0.0.1:{port}/s/", root
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def _get(url, **headers):
    """(status, headers, body as sent on the wire: not decompressed)."""
    headers.setdefault("Accept-Encoding", "identity")
    with requests.get(url, headers=headers, stream=True, timeout=10) as r:
        return r.status_code, r.headers, r.raw.read(decode_content=False)


def test_a_script_goes_out_compressed_to_a_client_that_accepts_gzip(server):
    base, _ = server
    code, headers, body = _get(base + "a.js", **{"Accept-Encoding": "gzip, deflate, br"})
    assert code == 200 and headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert int(headers["Content-Length"]) == len(body) < len(SCRIPT) / 10
    assert gzip.decompress(body) == SCRIPT


def test_everything_else_goes_out_as_it_is(server):
    base, _ = server
    plain = _get(base + "a.js")
    ranged = _get(base + "a.js", **{"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
    tiny = _get(base + "tiny.js", **{"Accept-Encoding": "gzip"})
    font = _get(base + "f.woff2", **{"Accept-Encoding": "gzip"})
    assert plain[2] == SCRIPT and "Content-Encoding" not in plain[1]
    assert ranged[0] == 206 and ranged[2] == SCRIPT[:10]
    assert tiny[2] == b"x=1" and "Content-Encoding" not in font[1]


def test_a_revisit_with_the_etag_gets_304(server):
    base, _ = server
    _, headers, _ = _get(base + "a.js", **{"Accept-Encoding": "gzip"})
    code, _, body = _get(
        base + "a.js", **{"Accept-Encoding": "gzip", "If-None-Match": headers["Etag"]}
    )
    assert code == 304 and body == b""


def test_a_changed_file_is_compressed_anew(server):
    base, root = server
    _get(base + "a.js", **{"Accept-Encoding": "gzip"})
    changed = SCRIPT.replace(b"x = 1", b"y = 2")
    (root / "a.js").write_bytes(changed)
    os.utime(root / "a.js", ns=(1, 1))
    _, _, body = _get(base + "a.js", **{"Accept-Encoding": "gzip"})
    assert gzip.decompress(body) == changed


@pytest.mark.parametrize(
    "name", ["get", "get_content_size", "get_content", "get_content_version", "get_content_type"]
)
def test_the_tornado_methods_used_still_exist(name):
    assert hasattr(StaticFileHandler, name)
