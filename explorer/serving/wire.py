"""What a first visit costs the room's network beyond the static files: the page's HTML and the
kernel websocket, compressed.

Measured in Chromium on the standalone server before this module (``make bench-class``'s real tab,
2026-12-03): 1.29 MB of HTTP (the static files already gzip-compressed by
:mod:`explorer.serving.static`; the page's own HTML, 47 kB, sent as it is) and 323 kB of websocket
frames, of which the widget states' JSON is most: ≈ 1.6 MB a first visit, over the 1.5 MB a
student may cost a classroom's Wi-Fi (issue 18).

* The page: Tornado's ``compress_response`` gzips a text response on the fly unless it already
  names a ``Content-Encoding`` (the static files do). Voila streams the page while its kernel runs
  (the "Executing k of n" progress); Tornado's gzip transform flushes at each of Voila's flushes,
  so the page still arrives piece by piece.
* The kernel websocket: the permessage-deflate extension (RFC 7692) with the options below. Every
  browser that runs the dashboard offers it; a client that does not gets plain frames. The
  compressor keeps its window between messages, so the JSON of a redraw compresses against the
  last one. The PNG images inside the frames barely shrink: a low level keeps their cost small.

Both are Tornado application settings (``compress_response``, ``websocket_compression_options``
as Jupyter Server's kernel websocket handler reads it); :func:`wire_settings` gives them for both
routes: the standalone server adds them to Voila's application settings, ``jupyter_server_config.py``
to ``ServerApp.tornado_settings``.
"""

from __future__ import annotations

__all__ = ["WEBSOCKET_COMPRESSION", "wire_settings"]

#: permessage-deflate options for the kernel websocket (Tornado's names): zlib level 1–9 and the
#: compressor's memory level 1–9 (memory ≈ 2^(mem_level+9) bytes a connection and direction).
WEBSOCKET_COMPRESSION = {"compression_level": 5, "mem_level": 5}


def wire_settings() -> dict:
    """The Tornado application settings that compress the page and the kernel websocket.

    >>> sorted(wire_settings())
    ['compress_response', 'websocket_compression_options']
    """
    return {
        "compress_response": True,
        "websocket_compression_options": dict(WEBSOCKET_COMPRESSION),
    }
