"""Static files go out gzip-compressed, once compressed per process (explorer.serving.static):
on a Tornado StaticFileHandler, as Voila's and Jupyter Server's static routes are."""

from __future__ import annotations

import gzip
import os

import pytest
from tornado.testing import AsyncHTTPTestCase
from tornado.web import Application, StaticFileHandler

from explorer.serving import static

SCRIPT = ("/* a page script */\n" + "const x = 1;\n" * 2000).encode()


class StaticRoute(AsyncHTTPTestCase):
    def get_app(self):
        static.install_compressed_static()
        self.root = self.enterContext(_tmpdir())
        for name, body in (("a.js", SCRIPT), ("tiny.js", b"x=1"), ("f.woff2", os.urandom(4096))):
            with open(os.path.join(self.root, name), "wb") as f:
                f.write(body)
        return Application([(r"/s/(.*)", StaticFileHandler, {"path": self.root})])

    def fetch_(self, path, **headers):
        return self.fetch(path, headers=headers, decompress_response=False)

    def test_a_script_goes_out_compressed_to_a_client_that_accepts_gzip(self):
        r = self.fetch_("/s/a.js", **{"Accept-Encoding": "gzip, deflate, br"})
        assert r.code == 200 and r.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in r.headers["Vary"]
        assert int(r.headers["Content-Length"]) == len(r.body) < len(SCRIPT) / 10
        assert gzip.decompress(r.body) == SCRIPT

    def test_everything_else_goes_out_as_it_is(self):
        plain = self.fetch_("/s/a.js")
        ranged = self.fetch_("/s/a.js", **{"Accept-Encoding": "gzip", "Range": "bytes=0-9"})
        tiny = self.fetch_("/s/tiny.js", **{"Accept-Encoding": "gzip"})
        font = self.fetch_("/s/f.woff2", **{"Accept-Encoding": "gzip"})
        assert plain.body == SCRIPT and "Content-Encoding" not in plain.headers
        assert ranged.code == 206 and ranged.body == SCRIPT[:10]
        assert tiny.body == b"x=1" and "Content-Encoding" not in font.headers

    def test_a_revisit_with_the_etag_gets_304(self):
        first = self.fetch_("/s/a.js", **{"Accept-Encoding": "gzip"})
        again = self.fetch_(
            "/s/a.js", **{"Accept-Encoding": "gzip", "If-None-Match": first.headers["Etag"]}
        )
        assert again.code == 304 and again.body == b""

    def test_a_changed_file_is_compressed_anew(self):
        self.fetch_("/s/a.js", **{"Accept-Encoding": "gzip"})
        changed = SCRIPT.replace(b"x = 1", b"y = 2")
        path = os.path.join(self.root, "a.js")
        with open(path, "wb") as f:
            f.write(changed)
        os.utime(path, ns=(1, 1))
        r = self.fetch_("/s/a.js", **{"Accept-Encoding": "gzip"})
        assert gzip.decompress(r.body) == changed


def _tmpdir():
    import tempfile

    return tempfile.TemporaryDirectory()


@pytest.mark.parametrize(
    "name", ["get", "get_content_size", "get_content", "get_content_version", "get_content_type"]
)
def test_the_tornado_methods_used_still_exist(name):
    assert hasattr(StaticFileHandler, name)
