"""A headless student: what a browser does with the dashboard page, spoken over the network.

GET the page (its own query string), open the page's kernel websocket with the v1 protocol, ask
the widget control comm for every widget's state, move a slider and wait for the new image, and
shut the kernel down as the page's tab-close beacon does. No browser, no JavaScript: the class
benchmark (``benchmarks/bench_class.py``) runs thirty of these on the server's cores while the
students' real browsers would run on their own laptops, and the security tests use the same
client to send frames no browser would.

The v1 frame layout is written here from Jupyter Server's protocol description, independently of
``explorer.serving.frames`` (which checks it).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import socket
import struct
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import pairwise
from urllib.parse import urlsplit

import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

V1 = "v1.kernel.websocket.jupyter.org"
_PARTS = ("header", "parent_header", "metadata", "content")
#: ipywidgets' widget control comm protocol (its major version must match the kernel's).
CONTROL_PROTOCOL = "1.0.0"
_CONFIG = re.compile(
    r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S
)
_SCRIPT = re.compile(r'<script src="([^"]+)"')


def encode_v1(channel: str, msg: dict, buffers: tuple[bytes, ...] = ()) -> bytes:
    """A v1 frame: count, offsets (8-byte little-endian), channel, four JSON parts, buffers."""
    parts = [channel.encode()] + [json.dumps(msg[k]).encode() for k in _PARTS]
    parts += list(buffers)
    offsets = [8 * (len(parts) + 2)]
    for p in parts:
        offsets.append(offsets[-1] + len(p))
    return struct.pack(f"<{len(offsets) + 1}Q", len(offsets), *offsets) + b"".join(parts)


def decode_v1(frame: bytes) -> tuple[str, dict, list[bytes]]:
    """(channel, message, buffers) of a v1 frame the server sent."""
    n = int.from_bytes(frame[:8], "little")
    offsets = struct.unpack_from(f"<{n}Q", frame, 8)  # the last is the end of the frame
    parts = [frame[a:b] for a, b in pairwise(offsets)]
    msg = {k: json.loads(p) for k, p in zip(_PARTS, parts[1:5], strict=True)}
    return parts[0].decode(), msg, parts[5:]


def message(msg_type: str, content: dict, session: str) -> dict:
    """A Jupyter message of ``msg_type`` (protocol 5.3), as the page's services build it."""
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "student",
            "session": session,
            "date": datetime.now(timezone.utc).isoformat(),
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
    }


@dataclass
class Page:
    """One page request: its kernel, cookies and the websocket address of that kernel."""

    base: str  # http://host:port
    prefix: str  # the server's base URL path ("/", "/dashboard/", "/user/a/dashboard/")
    kernel_id: str
    cookies: dict
    html_bytes: int  # the page's HTML, decompressed
    script: str  # the page's main script (a static file of the server)
    token: str = ""
    html: str = field(default="", repr=False)
    wire_bytes: int = 0  # the page's body as it came over the network (compressed or not)

    def ws_url(self) -> str:
        q = f"session_id={uuid.uuid4().hex}" + (f"&token={self.token}" if self.token else "")
        return (
            self.base.replace("http", "ws", 1)
            + f"{self.prefix}api/kernels/{self.kernel_id}/channels?{q}"
        )


def open_page(url: str, token: str = "", timeout: float = 60.0) -> Page:
    """GET a dashboard page and read its kernel id and base URL from the page's config."""
    session = requests.Session()
    if token:
        session.get(
            url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + f"/api/status?token={token}"
        )
    r = session.get(url, timeout=timeout)
    r.raise_for_status()
    m = _CONFIG.search(r.text)
    if m is None:
        raise RuntimeError(f"no page config in {url} ({r.status_code}, {len(r.content)} bytes)")
    config = json.loads(m.group(1))
    base = "/".join(url.split("/", 3)[:3])
    script = html.unescape(_SCRIPT.search(r.text).group(1))
    return Page(base, config["baseUrl"], config["kernelId"], session.cookies.get_dict(),
                len(r.content), script, token, r.text, r.raw.tell())  # fmt: skip


def served_within(page: Page, seconds: float = 1.0) -> float:
    """Time until another visitor's request for the page's main script gets its first bytes;
    raises if it does not within ``seconds``."""
    t0 = time.monotonic()
    url = page.script if page.script.startswith("http") else page.base + page.script
    with requests.get(url, stream=True, timeout=seconds) as r:
        r.raise_for_status()
        next(r.iter_content(1024))
    took = time.monotonic() - t0
    if took > seconds:
        raise TimeoutError(f"{url} took {took:.2f} s")
    return took


class _CountingSocket(socket.socket):
    """A TCP socket that counts the bytes it receives (what the network carried)."""

    received = 0

    def recv(self, n, *flags):
        data = super().recv(n, *flags)
        self.received += len(data)
        return data


@dataclass
class KernelSocket:
    """A v1 kernel websocket of one page, with a message loop that collects what it hears."""

    page: Page
    subprotocols: tuple[str, ...] = (V1,)
    session: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self):
        cookie = "; ".join(f"{k}={v}" for k, v in self.page.cookies.items())
        headers = {"Cookie": cookie} if cookie else {}
        self.bytes_in = 0  # bytes of the frames received so far (decompressed)
        self._stack = contextlib.ExitStack()
        url = urlsplit(self.page.ws_url())
        self._sock = _CountingSocket(
            fileno=socket.create_connection((url.hostname, url.port), timeout=30).detach()
        )
        self.ws = self._stack.enter_context(
            connect(
                self.page.ws_url(),
                sock=self._sock,
                subprotocols=list(self.subprotocols) or None,
                additional_headers=headers,
                max_size=None,
                open_timeout=30,
            )
        )

    @property
    def wire_in(self) -> int:
        """Bytes received on the socket so far, as they came (handshake and compressed frames)."""
        return self._sock.received

    def close(self) -> None:
        with contextlib.suppress(ConnectionClosed):  # the server may drop it first
            self._stack.close()

    def send(self, channel: str, msg_type: str, content: dict, buffers=(), metadata=None) -> str:
        msg = message(msg_type, content, self.session)
        msg["metadata"] = metadata or {}
        self.ws.send(encode_v1(channel, msg, tuple(buffers)))
        return msg["header"]["msg_id"]

    def receive_until(self, predicate, timeout: float):
        """Read frames until ``predicate(channel, msg, buffers)`` is true; return that frame."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching message within the timeout")
            frame = self.ws.recv(timeout=left)
            self.bytes_in += len(frame)
            if isinstance(frame, str):
                continue
            got = decode_v1(frame)
            if predicate(*got):
                return got

    def kernel_info(self, timeout: float = 10.0) -> dict:
        mid = self.send("shell", "kernel_info_request", {})
        _, msg, _ = self.receive_until(
            lambda c, m, b: (
                m["parent_header"].get("msg_id") == mid
                and m["header"]["msg_type"] == "kernel_info_reply"
            ),
            timeout,
        )
        return msg["content"]

    def request_states(self, timeout: float = 60.0) -> dict:
        """The widget control comm's ``update_states`` reply: model id → state."""
        comm = uuid.uuid4().hex
        self.send("shell", "comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
                  metadata={"version": CONTROL_PROTOCOL})  # fmt: skip
        self.send("shell", "comm_msg", {"comm_id": comm, "data": {"method": "request_states"}})
        _, msg, _ = self.receive_until(
            lambda c, m, b: (
                m["header"]["msg_type"] == "comm_msg"
                and m["content"].get("comm_id") == comm
                and m["content"]["data"].get("method") == "update_states"
            ),
            timeout,
        )
        return msg["content"]["data"]["states"]

    def set_value(self, model_id: str, value, images: set[str], timeout: float = 30.0):
        """Set a widget's value as the page does; wait until the kernel has finished with the
        change (its idle status for this request: every panel's new image has arrived, so the
        next change starts from a quiet socket). Returns the first new image's bytes, or None
        if the change redrew nothing (a value the slider's step rounds to the current one);
        ``image_at`` is when that image arrived."""
        mid = self.send("shell", "comm_msg", {
            "comm_id": model_id,
            "data": {"method": "update", "state": {"value": value}, "buffer_paths": []},
        })  # fmt: skip
        first = None
        self.image_at = None
        while True:
            _, m, b = self.receive_until(
                lambda c, m, b: m["parent_header"].get("msg_id") == mid, timeout
            )
            kind = m["header"]["msg_type"]
            if first is None and kind == "comm_msg" and m["content"].get("comm_id") in images and b:
                first, self.image_at = b[0], time.monotonic()
            if kind == "status" and m["content"].get("execution_state") == "idle":
                return first


def find_models(states: dict) -> tuple[dict, set[str]]:
    """(slider label → (model id, state), image model ids) of a dashboard's widget states."""
    sliders, images = {}, set()
    for mid, entry in states.items():
        state, name = entry.get("state", {}), entry.get("model_name", "")
        if name == "ImageModel":
            images.add(mid)
        elif name in ("FloatLogSliderModel", "FloatSliderModel"):
            sliders[state.get("description", "")] = (mid, state)
    return sliders, images


def shutdown(page: Page, timeout: float = 10.0) -> int:
    """The page's tab-close call: POST ``<base>voila/api/shutdown/<kernel>`` with its XSRF token."""
    xsrf = page.cookies.get("_xsrf", "")
    r = requests.post(
        f"{page.base}{page.prefix}voila/api/shutdown/{page.kernel_id}",
        data={"_xsrf": xsrf},
        cookies=page.cookies,
        timeout=timeout,
    )
    return r.status_code
