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


class ManyRoots(StaticFileHandler):
    """Several folders, the first that has the file (as Jupyter Server's FileFindHandler, which
    serves Voila's ``labextensions``): ``root`` is a tuple."""

    def initialize(self, path, default_filename=None):
        super().initialize(path=path[0], default_filename=default_filename)
        self.root = tuple(path)

    @classmethod
    def get_absolute_path(cls, roots, path):
        found = [os.path.join(r, path) for r in roots if os.path.isfile(os.path.join(r, path))]
        return os.path.abspath(found[0] if found else os.path.join(roots[0], path))

    def validate_absolute_path(self, root, absolute_path):
        return super().validate_absolute_path(os.path.dirname(absolute_path), absolute_path)


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
        app = Application(
            [
                (r"/s/(.*)", StaticFileHandler, {"path": str(root)}),
                (r"/m/(.*)", ManyRoots, {"path": [str(root / "none"), str(root)]}),
            ]
        )
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


def test_a_route_of_several_folders_serves_compressed_too(server):
    """A route whose ``root`` is a tuple of folders (Voila's labextensions): compressed, not 500."""
    base, _ = server
    code, headers, body = _get(base.replace("/s/", "/m/") + "a.js", **{"Accept-Encoding": "gzip"})
    assert code == 200 and headers["Content-Encoding"] == "gzip"
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


def test_a_first_compression_does_not_hold_other_visitors_back(server, monkeypatch):
    """The first request for a file compresses it in a worker thread: while that takes 0.8 s
    (slowed down here), another visitor's request is answered at once, and the first one gets
    the compressed file."""
    import time

    base, root = server
    (root / "big.js").write_bytes(SCRIPT * 3)
    compress = static._gzip
    monkeypatch.setattr(static, "_gzip", lambda path: (time.sleep(0.8), compress(path))[1])
    first: dict = {}
    slow = threading.Thread(
        target=lambda: first.update(r=_get(base + "big.js", **{"Accept-Encoding": "gzip"}))
    )
    slow.start()
    time.sleep(0.2)  # the compression has begun
    t = time.monotonic()
    code, _, body = _get(base + "tiny.js")
    waited = time.monotonic() - t
    slow.join(10)
    assert code == 200 and body == b"x=1"
    assert waited < 0.4, f"another visitor waited {waited:.2f} s for the first compression"
    code, headers, body = first["r"]
    assert code == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == SCRIPT * 3


def test_a_file_outside_the_folder_is_neither_served_nor_compressed(server):
    """``/s/%2E%2E/secret.js``: refused (by Tornado, before the handler runs), and nothing of it
    compressed; were a handler to ask for it, the compression step would leave it alone too."""
    import http.client
    from urllib.parse import urlsplit

    base, root = server
    secret = root.parent / "secret.js"
    secret.write_bytes(SCRIPT)
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        conn.request("GET", url.path + "%2E%2E/secret.js", headers={"Accept-Encoding": "gzip"})
        assert conn.getresponse().status in (403, 404)
    finally:
        conn.close()
    assert not static._bodies.has(str(secret)) and not static._etags.has(str(secret))

    class Handler:  # a route of ``root`` asked for ``../secret.js``
        request = type("Request", (), {"headers": {"Accept-Encoding": "gzip"}})()

        def __init__(self):
            self.root = str(root)

        def parse_url_path(self, path):
            return path

        def get_absolute_path(self, root, path):
            return os.path.abspath(os.path.join(root, path))

    # in a thread of its own: in the whole suite Playwright runs an event loop in this one
    check = threading.Thread(
        target=lambda: asyncio.run(static._prepare(Handler(), "../secret.js", lambda p: "etag"))
    )
    check.start()
    check.join(10)
    assert not static._bodies.has(str(secret)) and not static._etags.has(str(secret))


@pytest.mark.parametrize(
    "name",
    [
        "get",
        "get_content_size",
        "get_content",
        "get_content_version",
        "get_content_type",
        "get_absolute_path",
        "parse_url_path",
    ],
)
def test_the_tornado_methods_used_still_exist(name):
    assert hasattr(StaticFileHandler, name)
