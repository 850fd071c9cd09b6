"""Static files compressed once and sent compressed: what a first visit costs the room's Wi-Fi.

A dashboard page loads ≈ 4.1 MB of Voila's JavaScript, CSS and fonts in 76 requests (measured in
Chromium, ``benchmarks/bench_students.py``), all of it sent uncompressed by Tornado's static file
handlers: thirty students ≈ 1 Gbit on a classroom's network. Compressing each response on the
fly (Tornado's ``compress_response``) would cost the server ≈ 0.1 s of CPU per visit, a third of
its whole budget per student; here each file is gzip-compressed once per server process and kept
(:data:`CACHE_BYTES` at most), so a visit costs a dictionary look-up. The first request for a
file compresses and hashes it in a worker thread, never on the event loop (:func:`_prepare`).

:func:`install_compressed_static` patches ``tornado.web.StaticFileHandler``, the base of every
static route of the page (Voila's ``/voila/static``, its template statics and Jupyter Server's
``/voila/labextensions``): for a client that accepts gzip, a text-like file (JavaScript, CSS,
JSON, SVG, HTML) of at least :data:`MIN_BYTES`, and no ``Range`` header, the body is the cached
gzip stream with ``Content-Encoding: gzip`` and ``Vary: Accept-Encoding``; everything else is
served as before. The files' ETags (a SHA-512 of the whole file, computed by Tornado on every
request) are cached by path, size and modification time as well.

Checked against Tornado 6.4–6.6 (``tests/test_static.py`` fails if the methods used here move).
"""

from __future__ import annotations

import asyncio
import gzip
import mimetypes
import os
import threading
from collections import OrderedDict

__all__ = ["CACHE_BYTES", "MIN_BYTES", "compressible", "install_compressed_static"]

#: Compressed bodies kept per server process, in bytes (Voila's page needs ≈ 1.2 MB of them).
CACHE_BYTES = 64 << 20
#: Files smaller than this go out as they are (gzip's header would eat the gain).
MIN_BYTES = 1024
_TYPES = ("application/javascript", "application/json", "image/svg+xml", "application/xml")


def compressible(content_type: str) -> bool:
    """Whether a static file of this type is worth compressing (text, not fonts or images).

    >>> compressible("application/javascript"), compressible("text/css; charset=utf-8")
    (True, True)
    >>> compressible("font/woff2"), compressible("image/png")
    (False, False)
    """
    kind = content_type.split(";")[0].strip().lower()
    return kind.startswith("text/") or kind in _TYPES


class _Cache:
    """(path, size, mtime) → value, least recently used out past ``limit`` bytes."""

    def __init__(self, limit: int):
        self.limit, self.used = limit, 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _key(path: str) -> tuple:
        st = os.stat(path)
        return (path, st.st_size, st.st_mtime_ns)

    def has(self, path: str) -> bool:
        key = self._key(path)
        with self._lock:
            return key in self._items

    def get(self, path: str, make):
        key = self._key(path)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make(path)
        with self._lock:
            self._items[key] = value
            self.used += len(value)
            while self.used > self.limit and len(self._items) > 1:
                _, old = self._items.popitem(last=False)
                self.used -= len(old)
        return value


_bodies = _Cache(CACHE_BYTES)
_etags = _Cache(1 << 20)


def _gzip(path: str) -> bytes:
    with open(path, "rb") as f:
        return gzip.compress(f.read(), compresslevel=6, mtime=0)


def _wants_gzip(handler) -> bool:
    accepted = handler.request.headers.get("Accept-Encoding", "")
    return "gzip" in accepted.lower() and "Range" not in handler.request.headers


def _sent_gzipped(handler, path: str, content_type: str) -> bool:
    """Whether the file at ``path`` goes out compressed to this request."""
    return (
        _wants_gzip(handler) and compressible(content_type) and os.path.getsize(path) >= MIN_BYTES
    )


async def _prepare(handler, url_path: str, version) -> None:
    """Compress and hash the file a request asks for, the first time, in a worker thread: zlib
    and hashlib let go of the GIL, so the event loop serves every other visitor meanwhile (the
    first page after a start needs ≈ 4 MB compressed: ≈ 0.15 s that the class's websockets
    would otherwise wait for). Anything odd is left to Tornado's own ``get``."""
    try:
        path = handler.get_absolute_path(handler.root, handler.parse_url_path(url_path))
        # a route's folder, or several (Jupyter Server's FileFindHandler: the first that has it)
        roots = handler.root if isinstance(handler.root, (tuple, list)) else (handler.root,)
        inside = any(os.path.abspath(path).startswith(os.path.join(os.path.abspath(r), ""))
                     for r in roots)  # fmt: skip
        if not (inside and os.path.isfile(path)):
            return  # outside the route's folders (Tornado refuses it) or not a file
        jobs = []
        if not _etags.has(path):
            jobs.append((_etags, version))
        kind = mimetypes.guess_type(path)[0] or ""  # as Tornado's get_content_type
        if _sent_gzipped(handler, path, kind) and not _bodies.has(path):
            jobs.append((_bodies, _gzip))
    except Exception:  # anything odd: Tornado's own get says what is wrong
        return
    loop = asyncio.get_running_loop()
    await asyncio.gather(*(loop.run_in_executor(None, c.get, path, make) for c, make in jobs))


def install_compressed_static() -> None:
    """Serve every static file of the process compressed and cached (idempotent)."""
    from tornado.web import StaticFileHandler as Handler

    if getattr(Handler, "_explorer_gzip", False):
        return
    original_get = Handler.get
    original_size, original_version = Handler.get_content_size, Handler.get_content_version

    def hashing(cls):
        """Tornado's own ETag of a file (a SHA-512 of all of it), for the cache to keep."""
        return lambda path: original_version.__func__(cls, path)

    async def get(self, path: str, include_body: bool = True) -> None:
        await _prepare(self, path, hashing(type(self)))
        await original_get(self, path, include_body)

    def get_content_size(self) -> int:
        path = self.absolute_path
        if not _sent_gzipped(self, path, self.get_content_type()):
            return original_size(self)
        body = _bodies.get(path, _gzip)
        self.set_header("Content-Encoding", "gzip")
        self.add_header("Vary", "Accept-Encoding")
        # Tornado reads the body through get_content(path, start, end) right after this: this
        # response's instance gets the compressed one (no Range: start and end are None)
        self.get_content = lambda *_args, **_kw: [body]
        return len(body)

    @classmethod
    def get_content_version(cls, abspath: str) -> str:
        return _etags.get(abspath, hashing(cls))

    Handler.get = get
    Handler.get_content_size = get_content_size
    Handler.get_content_version = get_content_version
    Handler._explorer_gzip = True
