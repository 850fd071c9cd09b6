"""Kernel websocket frames from an anonymous page, checked before anything parses them.

A dashboard link is unauthenticated by design, so every frame a page sends over its kernel
websocket is hostile input. Jupyter Server (2.x) and Voila (0.5) trust the frame layout: the v1
protocol's deserialiser builds a list of as many offsets as the first 8 bytes claim, and Voila's
outgoing filter reads every frame it sends, legacy ones included, as if it were v1. One frame
claiming 2⁶⁰ offsets, a 7-byte frame, or a legacy-protocol client asking for the widget states
(whose binary reply Voila then misreads) spun the server's event loop for good: every page of
every visitor stopped (issue 18).

What this module does, on every route that serves a kernel websocket (standalone Voila, the same
server behind Jupyter Server at ``/dashboard/``, and Jupyter Server's own ``/api/kernels`` used by
``/voila/render``), installed by :func:`install_frame_guard`:

* **Only the v1 protocol** (``v1.kernel.websocket.jupyter.org``) is served. Every browser that
  can run the page negotiates it (JupyterLab's services since 4.0, Voila 0.5's page); a client
  that does not offer it is refused before the upgrade (HTTP 400, the reason saying so). Why not serve the
  legacy protocol correctly: no page of ours speaks it, and a second, older parser is a second
  attack surface (its header is a big-endian count that Jupyter Server unpacks without bounds).
* **Every incoming frame is checked** (:func:`check_v1_frame`) before Jupyter Server parses it:
  binary, at most :data:`MAX_FRAME_BYTES` (Tornado refuses larger ones before buffering them,
  close code 1009), an offset count within :data:`MAX_OFFSETS`, offsets inside the frame and
  non-decreasing, a known channel, and header, parent header, metadata and content each a JSON
  object (the header with a string ``msg_type``). A frame that fails closes that one connection
  with code 1007 and the reason, logged with the kernel id; nothing else happens.
* **Rates are bounded** per connection (:class:`TokenBucket`): a page may send
  :data:`BURST_MESSAGES` frames at once and :data:`MESSAGES_PER_SECOND` on average (a slider
  dragged by hand sends ~30 per second); more closes the connection with code 1008.
* **Voila's outgoing filter** reads a frame's header with a bounded reader
  (:func:`v1_header`) instead of its unbounded one.
* **The request-info socket** (``/voila/query/<kernel id>``, where a pre-heated kernel waits for
  its page) accepts only ids of running kernels and, when closed, forgets only its own entry:
  Voila's ``on_close`` deletes whichever waiter its loop ended on, so a visitor who opened the
  same id twice and closed once could unhook another visitor's waiting kernel.

The checks were written against Jupyter Server 2.17–2.21, Voila 0.5.7–0.5.13 and Tornado 6.4–6.6;
``tests/test_frames.py`` fails loudly if the names patched here move.
"""

from __future__ import annotations

import json
import logging
import struct
import time
from itertools import pairwise

__all__ = [
    "BURST_MESSAGES",
    "CHANNELS",
    "MAX_BUFFERS",
    "MAX_FRAME_BYTES",
    "MAX_OFFSETS",
    "MESSAGES_PER_SECOND",
    "V1",
    "FrameError",
    "TokenBucket",
    "check_v1_frame",
    "install_frame_guard",
    "v1_header",
]

#: The kernel websocket subprotocol served (Jupyter Server's "v1"), the only one.
V1 = "v1.kernel.websocket.jupyter.org"
#: Largest frame a page may send, in bytes. A page sends widget updates of a few hundred bytes;
#: Tornado's own default is 10 MiB, buffered per connection before any check could run.
MAX_FRAME_BYTES = 1 << 20
#: Binary buffers a message may carry besides its four JSON parts (widgets send none or a few).
MAX_BUFFERS = 16
#: Offsets in a v1 frame: the channel's start and end, then the end of each part.
MIN_OFFSETS = 2 + 4
MAX_OFFSETS = MIN_OFFSETS + MAX_BUFFERS
#: The kernel's channels a page may address.
CHANNELS = frozenset({"shell", "control", "iopub", "stdin"})
#: Frames a page may send at once, and per second on average, before it is disconnected.
BURST_MESSAGES = 400
MESSAGES_PER_SECOND = 100.0

_JSON_PARTS = ("header", "parent_header", "metadata", "content")
_log = logging.getLogger("explorer.serving.frames")


class FrameError(ValueError):
    """A frame that breaks the v1 protocol; its message is the close reason (≤ 123 bytes)."""


def _offsets(frame: bytes) -> tuple[int, ...]:
    """The offset table of a v1 frame, checked: count, bounds, order."""
    if len(frame) < 8:
        raise FrameError(f"frame of {len(frame)} bytes is shorter than its 8-byte offset count")
    n = int.from_bytes(frame[:8], "little")
    if not MIN_OFFSETS <= n <= MAX_OFFSETS:
        raise FrameError(f"offset count {n} outside [{MIN_OFFSETS}, {MAX_OFFSETS}]")
    table = 8 * (n + 1)
    if len(frame) < table:
        raise FrameError(f"frame of {len(frame)} bytes cannot hold {n} offsets")
    offsets = struct.unpack_from(f"<{n}Q", frame, 8)
    if offsets[0] != table:
        raise FrameError(f"first offset {offsets[0]} is not the table's end {table}")
    if any(b < a for a, b in pairwise(offsets)):
        raise FrameError("offsets decrease")
    if offsets[-1] > len(frame):
        raise FrameError(f"last offset {offsets[-1]} beyond the frame's {len(frame)} bytes")
    return offsets


def _json_object(part: bytes, name: str) -> dict:
    try:
        value = json.loads(part)
    except (ValueError, RecursionError):
        raise FrameError(f"{name} is not valid JSON") from None
    if not isinstance(value, dict):
        raise FrameError(f"{name} is not a JSON object")
    return value


def check_v1_frame(frame) -> tuple[str, dict]:
    """Check one incoming kernel websocket frame of the v1 protocol; return (channel, header).

    Layout (Jupyter Server, ``serialize_msg_to_ws_v1``): an 8-byte little-endian count ``n``,
    ``n`` 8-byte little-endian offsets, the channel name, then header, parent header, metadata,
    content (JSON) and any binary buffers, each part from one offset to the next.

    Raises :class:`FrameError` (a ``ValueError``) naming what is wrong.

    >>> def frame(channel, *parts):
    ...     body = [channel.encode(), *parts]
    ...     offsets = [8 * (len(body) + 2)]
    ...     for p in body:
    ...         offsets.append(offsets[-1] + len(p))
    ...     return struct.pack(f"<{len(offsets) + 1}Q", len(offsets), *offsets) + b"".join(body)
    >>> ok = frame("shell", b'{"msg_type": "comm_msg"}', b"{}", b"{}", b"{}")
    >>> check_v1_frame(ok)
    ('shell', {'msg_type': 'comm_msg'})
    >>> for bad in (ok[:7], (2**60).to_bytes(8, "little") + ok[8:], ok.decode("latin-1"),
    ...             frame("files", b'{"msg_type": "x"}', b"{}", b"{}", b"{}"),
    ...             frame("shell", b"[]", b"{}", b"{}", b"{}")):
    ...     try:
    ...         check_v1_frame(bad)
    ...     except FrameError as e:
    ...         print(e)
    frame of 7 bytes is shorter than its 8-byte offset count
    offset count 1152921504606846976 outside [6, 22]
    a text frame on the v1 protocol (it carries binary frames only)
    unknown channel 'files'
    header is not a JSON object
    """
    if isinstance(frame, str):
        raise FrameError("a text frame on the v1 protocol (it carries binary frames only)")
    frame = bytes(frame)
    if len(frame) > MAX_FRAME_BYTES:
        raise FrameError(f"frame of {len(frame)} bytes exceeds {MAX_FRAME_BYTES}")
    offsets = _offsets(frame)
    try:
        channel = frame[offsets[0] : offsets[1]].decode("utf-8")
    except UnicodeDecodeError:
        raise FrameError("channel name is not UTF-8") from None
    if channel not in CHANNELS:
        raise FrameError(f"unknown channel {channel[:40]!r}")
    parts = [frame[a:b] for a, b in pairwise(offsets[1:])]
    header, *_ = (_json_object(p, name) for p, name in zip(parts, _JSON_PARTS, strict=False))
    if not isinstance(header.get("msg_type"), str):
        raise FrameError("header has no string msg_type")
    return channel, header


def v1_header(frame: bytes) -> dict | None:
    """The header of a v1 frame the server is about to send, or None if it is not one.

    Bounded replacement of Voila's ``read_header_from_binary_message``, which trusts the count.

    >>> v1_header(b"\\x00" * 7) is None, v1_header((2**62).to_bytes(8, "little")) is None
    (True, True)
    """
    try:
        offsets = _offsets(frame)
        return _json_object(frame[offsets[1] : offsets[2]], "header")
    except FrameError:
        return None


class TokenBucket:
    """At most ``burst`` events at once and ``rate`` per second on average.

    >>> bucket = TokenBucket(rate=1.0, burst=2, clock=iter([0.0, 0.0, 0.0, 1.5]).__next__)
    >>> [bucket.take() for _ in range(4)]
    [True, True, False, True]
    """

    def __init__(self, rate: float, burst: int, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens = float(burst)
        self.stamp = None

    def take(self) -> bool:
        now = self.clock()
        if self.stamp is not None:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


def _close(handler, code: int, reason: str) -> None:
    kernel = getattr(handler, "kernel_id", "?")
    _log.warning("Closing the websocket of kernel %s (%d): %s", kernel, code, reason)
    handler.close(code, reason.encode("utf-8")[:123].decode("utf-8", "ignore"))


def _guard_kernel_websocket() -> None:
    """Wrap Jupyter Server's kernel websocket handler (Voila's subclasses it)."""
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler as Handler
    from tornado import web

    original_get, original_open = Handler.get, Handler.open
    original_on_message = Handler.on_message

    async def get(self, *args, **kwargs):
        offered = self.request.headers.get("Sec-WebSocket-Protocol", "")
        if V1 not in (p.strip() for p in offered.split(",")):
            _log.warning("Kernel websocket without the %s protocol refused", V1)
            raise web.HTTPError(400, reason=f"this server speaks only the {V1} protocol")
        return await original_get(self, *args, **kwargs)

    async def open(self, *args, **kwargs):
        self._explorer_bucket = TokenBucket(MESSAGES_PER_SECOND, BURST_MESSAGES)
        return await original_open(self, *args, **kwargs)

    def on_message(self, message):
        if getattr(self, "_explorer_closing", False):
            return None
        reason = None
        bucket = getattr(self, "_explorer_bucket", None)
        if self.selected_subprotocol != V1:
            code, reason = 1002, f"this server speaks only the {V1} protocol"
        elif bucket is not None and not bucket.take():
            code, reason = 1008, f"more than {MESSAGES_PER_SECOND:g} messages per second"
        else:
            try:
                check_v1_frame(message)
            except FrameError as e:
                code, reason = 1007, f"malformed frame: {e}"
        if reason is not None:
            self._explorer_closing = True
            _close(self, code, reason)
            return None
        return original_on_message(self, message)

    Handler.get, Handler.open, Handler.on_message = get, open, on_message
    Handler.max_message_size = property(lambda self: MAX_FRAME_BYTES)


def _guard_voila() -> None:
    """Voila's outgoing filter and its request-info socket (standalone Voila only)."""
    from explorer.serving import voila_internals as internals

    internals.replace_binary_header_reader(v1_header)

    def checked_open(original_open):
        def open(self, kernel_id: str):
            manager = self.settings.get("kernel_manager")
            if manager is None or kernel_id not in manager:
                _log.warning("Request-info socket for unknown kernel %s refused", kernel_id[:40])
                self.close(1008, "no such kernel")
                return None
            self._explorer_kernel_id = kernel_id
            return original_open(self, kernel_id)

        return open

    def on_close(self) -> None:
        internals.forget_request_info(getattr(self, "_explorer_kernel_id", None), self)

    internals.wrap("RequestInfoSocketHandler", "open", checked_open)
    internals.wrap("RequestInfoSocketHandler", "on_close", lambda _original: on_close)


def install_frame_guard() -> None:
    """Install every check of this module (idempotent). Call before the server starts."""
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler

    if getattr(KernelWebsocketHandler, "_explorer_guarded", False):
        return
    _guard_kernel_websocket()
    try:
        _guard_voila()
    except ImportError:  # a Jupyter Server without Voila: its kernel websocket is guarded
        pass
    KernelWebsocketHandler._explorer_guarded = True
