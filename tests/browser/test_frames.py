"""Hostile kernel websocket frames close one connection and nothing else (issue 18).

Before ``explorer.serving.frames`` each of the three messages below stopped the whole server:
its event loop spun on a list of ~10¹⁸ offsets and no other visitor was answered again. Here,
on every route that serves a kernel websocket, the server answers another visitor within 1 s
after each, and the attacker's own kernel still serves a well-behaved client. No browser is
needed: the attacker is a few lines of Python (``harness.student``), as it would be.
"""

from __future__ import annotations

import json
import random
import struct
import time
import uuid

import harness
import pytest
from harness import student
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROUTES = ["standalone", "jupyter", "proxy"]
FUZZ_CASES = 40  # per route; each a connection of its own


#: How the attacker's connection ends, by route. jupyter-server-proxy (the ``proxy`` route) closes
#: its client without the status its backend sent (1005) and accepts any handshake before it
#: connects to the backend, so there the backend's log is what names the refusal.
DIRECT = {"refused": "refused 400", "malformed": (1007, 1009), "flood": (1008,)}
PROXIED = {"refused": "accepted", "malformed": (1005,), "flood": (1005, None)}


@pytest.fixture(scope="module", params=ROUTES)
def server(request, servers, notebook) -> harness.Server:
    return harness.shared_server(servers, request.param, notebook)


@pytest.fixture(scope="module")
def victim(server) -> student.Page:
    """A page of the route (its kernel is the attacker's own), once the server is up."""
    return student.open_page(server.url("target=Xe"), token=server.token, timeout=180)


@pytest.fixture(scope="module")
def expect(server) -> dict:
    return PROXIED if server.route == "proxy" else DIRECT


def _logged(server, text: str, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while text not in server.log():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _closed_with(ws, timeout: float = 5.0) -> int | None:
    """The close code the server sent, or None if the connection stayed open."""
    try:
        while True:
            ws.recv(timeout=timeout)
    except ConnectionClosed as e:
        return e.rcvd.code if e.rcvd else None
    except TimeoutError:
        return None


def _kernel_still_serves(page: student.Page) -> None:
    ks = student.KernelSocket(page)
    try:
        assert ks.kernel_info(timeout=15)["implementation"] == "ipython"
    finally:
        ks.close()


def _legacy_request_states(page: student.Page) -> str:
    """Connect without the v1 subprotocol (the legacy protocol) and ask for the widget states,
    whose reply carries binary buffers. Returns how the server answered."""
    cookie = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
    try:
        with connect(page.ws_url(), open_timeout=10, additional_headers={"Cookie": cookie}) as ws:
            return _legacy_request_states_on(ws)
    except InvalidStatus as e:
        return f"refused {e.response.status_code}: {e.response.reason_phrase}"


def _legacy_request_states_on(ws) -> str:
    comm, session = uuid.uuid4().hex, uuid.uuid4().hex
    for msg_type, content, meta in (
        ("comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
         {"version": student.CONTROL_PROTOCOL}),
        ("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}}, {}),
    ):  # fmt: skip
        msg = student.message(msg_type, content, session)
        msg.update(metadata=meta, channel="shell", buffers=[])
        try:
            ws.send(json.dumps(msg))
        except ConnectionClosed:
            return "accepted, then dropped"
    return f"accepted, then closed with {_closed_with(ws, timeout=3.0)}"


def test_legacy_protocol_is_refused_and_cannot_freeze_the_server(server, victim, expect):
    answer = _legacy_request_states(victim)
    student.served_within(victim, 1.0)
    assert answer.startswith(expect["refused"]), answer
    assert _logged(server, "Kernel websocket without the v1.kernel.websocket.jupyter.org")
    _kernel_still_serves(victim)


def _send_raw(page: student.Page, frame) -> int | None:
    ks = student.KernelSocket(page)
    try:
        ks.kernel_info()
        ks.ws.send(frame)
        return _closed_with(ks.ws)
    finally:
        ks.close()


def _valid_frame() -> bytes:
    msg = student.message("kernel_info_request", {}, uuid.uuid4().hex)
    return student.encode_v1("shell", msg)


@pytest.mark.parametrize(
    "name",
    ["offset count 2**60", "seven bytes", "text frame", "too big", "unknown channel", "not json"],
)
def test_malformed_v1_frame_closes_that_connection_only(server, victim, expect, name):
    frame = _valid_frame()
    n = int.from_bytes(frame[:8], "little")
    bad = {
        "offset count 2**60": (2**60).to_bytes(8, "little") + frame[8:],
        "seven bytes": frame[:7],
        "text frame": frame.decode("latin-1"),
        "too big": frame + b"\0" * (1 << 20),
        "unknown channel": frame.replace(b"shell", b"xxxxx", 1),
        "not json": frame[: 8 * (n + 1) + 5] + b"?" + frame[8 * (n + 1) + 6 :],
    }[name]
    code = _send_raw(victim, bad)
    student.served_within(victim, 1.0)
    assert code in expect["malformed"], code  # 1009: Tornado's own size limit
    if name != "too big":
        assert _logged(server, "malformed frame")
    _kernel_still_serves(victim)


def test_a_compressed_frame_that_inflates_past_the_limit_closes_that_connection(
    server, victim, expect
):
    """The kernel websocket speaks permessage-deflate (explorer/serving/wire.py): 8 MiB of
    zeros cross the network as ≈ 8 kB, and the server must stop inflating at its 1 MiB limit
    instead of building the whole message (a "zip bomb")."""
    ks = student.KernelSocket(victim)
    try:
        ks.kernel_info()
        offered = ks.ws.response.headers.get("Sec-WebSocket-Extensions", "")
        if server.route == "proxy":
            # jupyter-server-proxy does not compress its side: nothing there inflates (its
            # backend, the standalone server, is the first case); "too big" covers the size
            assert "permessage-deflate" not in offered, offered
            return
        assert "permessage-deflate" in offered, offered
        sent_before = ks.wire_in
        ks.ws.send(b"\0" * (8 << 20))  # under Tornado's own default limit, 10 MiB
        code = _closed_with(ks.ws, timeout=10)
    finally:
        ks.close()
    student.served_within(victim, 1.0)
    assert code == 1009, code  # "message too big", from the inflater: not 1007, which a whole
    # inflated message of zeros would get from the frame checks
    assert ks.wire_in - sent_before < 4096  # nothing came back but the close
    _kernel_still_serves(victim)


def test_a_flood_of_messages_closes_that_connection(server, victim, expect):
    ks = student.KernelSocket(victim)
    try:
        frame = _valid_frame()
        try:
            for _ in range(2000):
                ks.ws.send(frame)
        except ConnectionClosed as e:  # closed by the server before the flood was all sent
            code = e.rcvd.code if e.rcvd else None
        else:
            code = _closed_with(ks.ws, timeout=10)
    finally:
        ks.close()
    student.served_within(victim, 1.0)
    assert code in expect["flood"], code
    assert _logged(server, "more than 100 messages per second")
    _kernel_still_serves(victim)


def _mutant(rng: random.Random, frame: bytes):
    """One malformed (or, by chance, harmless) frame: a bounded generator of the ways a v1
    frame can be wrong."""
    n = int.from_bytes(frame[:8], "little")
    kind = rng.randrange(7)
    if kind == 0:  # random bytes
        return rng.randbytes(rng.randrange(0, 80))
    if kind == 1:  # any count
        return rng.getrandbits(64).to_bytes(8, "little") + frame[8:]
    if kind == 2:  # one offset anywhere
        i = rng.randrange(n)
        return (
            frame[: 8 * (i + 1)] + rng.getrandbits(64).to_bytes(8, "little") + frame[8 * (i + 2) :]
        )
    if kind == 3:  # truncated
        return frame[: rng.randrange(len(frame))]
    if kind == 4:  # flipped bytes
        b = bytearray(frame)
        for _ in range(rng.randrange(1, 9)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if kind == 5:  # text
        return "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randrange(0, 60)))
    depth = rng.randrange(1, 5000)  # deeply nested JSON as the content
    start = 8 * (n + 1)
    body = frame[start:]
    offsets = struct.unpack_from(f"<{n}Q", frame, 8)
    nested = ("[" * depth + "]" * depth).encode()
    content_at = offsets[-2] - start
    body = body[:content_at] + nested
    new_offsets = [*offsets[:-1], offsets[-2] + len(nested)]
    return struct.pack(f"<{n + 1}Q", n, *new_offsets) + body


def test_fuzzed_frames_of_both_protocols_never_stop_the_server(victim, expect):
    rng = random.Random(18)
    frame = _valid_frame()
    codes = []
    for case in range(FUZZ_CASES):
        if case % 8 == 7:  # the legacy protocol, with a random message
            assert _legacy_request_states(victim).startswith(expect["refused"])
        else:
            codes.append(_send_raw(victim, _mutant(rng, frame)))
        student.served_within(victim, 1.0)
        if case % 10 == 9:
            _kernel_still_serves(victim)
    assert all(c in (None, *expect["malformed"]) for c in codes), codes
    assert sum(c is not None for c in codes) >= len(codes) // 2, codes
