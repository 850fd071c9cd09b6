"""The frame checks of ``explorer.serving.frames`` without a server: fuzzed, against Jupyter
Server's own deserialiser, and the Voila/Jupyter Server names they patch (which must not move
unnoticed). The same checks against live servers: ``tests/browser/test_frames.py``."""

from __future__ import annotations

import struct
import time
import types
import uuid

import pytest
from harness.student import decode_v1, encode_v1, message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.serving import frames
from explorer.serving.frames import FrameError, check_v1_frame

_FRAME = encode_v1(
    "shell",
    message("comm_msg", {"comm_id": "a", "data": {"method": "update"}}, uuid.uuid4().hex),
    (b"\x00\x01",),
)


def test_a_page_frame_is_accepted_as_jupyter_server_reads_it():
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    channel, header = check_v1_frame(_FRAME)
    theirs, parts = deserialize_msg_from_ws_v1(_FRAME)
    ours, msg, buffers = decode_v1(_FRAME)
    assert channel == theirs == ours == "shell"
    assert header == msg["header"] and header["msg_type"] == "comm_msg"
    assert len(parts) == 5 and buffers == [b"\x00\x01"]


def _mutants():
    n = int.from_bytes(_FRAME[:8], "little")
    return st.one_of(
        st.binary(max_size=200),
        st.integers(0, 2**64 - 1).map(lambda c: c.to_bytes(8, "little") + _FRAME[8:]),
        st.tuples(st.integers(0, n - 1), st.integers(0, 2**64 - 1)).map(
            lambda t: (
                _FRAME[: 8 * (t[0] + 1)] + t[1].to_bytes(8, "little") + _FRAME[8 * (t[0] + 2) :]
            )
        ),
        st.integers(0, len(_FRAME)).map(lambda k: _FRAME[:k]),
        st.lists(st.tuples(st.integers(0, len(_FRAME) - 1), st.integers(0, 255)), max_size=8).map(
            lambda flips: bytes(_flip(bytearray(_FRAME), flips))
        ),
        st.text(max_size=100),
    )


def _flip(b: bytearray, flips) -> bytearray:
    for at, value in flips:
        b[at] = value
    return b


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_mutants())
def test_any_frame_is_refused_fast_or_parses_as_jupyter_server_reads_it(frame):
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    t0 = time.process_time()
    try:
        channel, _ = check_v1_frame(frame)
    except FrameError as e:
        assert len(str(e).encode()) <= 123 - len("malformed frame: ")  # a websocket close reason
        assert time.process_time() - t0 < 0.5
        return
    # accepted: Jupyter Server's parser, which trusts the layout, reads the same channel
    theirs, parts = deserialize_msg_from_ws_v1(frame)
    assert theirs == channel and len(parts) >= 4


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (_FRAME[:7], "shorter than its 8-byte offset count"),
        ((2**60).to_bytes(8, "little") + _FRAME[8:], "outside [6, 22]"),
        (b"\x06" + b"\x00" * 7 + b"\x00" * 20, "cannot hold 6 offsets"),
        (_FRAME.decode("latin-1"), "binary frames only"),
        (_FRAME + b"\x00" * (frames.MAX_FRAME_BYTES), "exceeds"),
    ],
)
def test_each_way_to_break_the_layout_is_named(frame, reason):
    with pytest.raises(FrameError, match=reason.replace("[", r"\[")):
        check_v1_frame(frame)


def test_offsets_must_increase_and_stay_inside_the_frame():
    n = int.from_bytes(_FRAME[:8], "little")
    offsets = list(struct.unpack_from(f"<{n}Q", _FRAME, 8))
    swapped = [*offsets[:2], offsets[3], offsets[2], *offsets[4:]]
    beyond = [*offsets[:-1], len(_FRAME) + 1]
    for bad, reason in ((swapped, "offsets decrease"), (beyond, "beyond the frame")):
        frame = struct.pack(f"<{n + 1}Q", n, *bad) + _FRAME[8 * (n + 1) :]
        with pytest.raises(FrameError, match=reason):
            check_v1_frame(frame)


def test_the_token_bucket_allows_a_burst_then_the_rate():
    clock = types.SimpleNamespace(t=0.0)
    bucket = frames.TokenBucket(rate=10.0, burst=5, clock=lambda: clock.t)
    assert sum(bucket.take() for _ in range(20)) == 5
    clock.t = 1.0  # ten more tokens, capped at the burst
    assert sum(bucket.take() for _ in range(20)) == 5
    clock.t = 1.25
    assert sum(bucket.take() for _ in range(20)) == 2


def test_the_names_patched_still_exist_in_jupyter_server_and_voila():
    """Fails loudly when an upgrade moves what explorer.serving.frames patches."""
    import voila.tornado.kernel_websocket_handler as voila_ws
    from jupyter_server.services.kernels.websocket import KernelWebsocketHandler
    from voila.request_info_handler import RequestInfoSocketHandler

    for name in ("get", "open", "on_message", "max_message_size", "selected_subprotocol"):
        assert hasattr(KernelWebsocketHandler, name), name
    assert issubclass(voila_ws.VoilaKernelWebsocketHandler, KernelWebsocketHandler)
    assert callable(voila_ws.read_header_from_binary_message)
    for name in ("_waiters", "_cache", "open", "on_close", "send_updates"):
        assert hasattr(RequestInfoSocketHandler, name), name
    frames.install_frame_guard()
    assert voila_ws.read_header_from_binary_message is frames.v1_header
    assert KernelWebsocketHandler._explorer_guarded


def test_a_closed_request_info_socket_forgets_only_its_own_waiter():
    """Voila's own on_close deleted whichever waiter its loop ended on."""
    from voila.request_info_handler import RequestInfoSocketHandler as Info

    frames.install_frame_guard()
    mine, other, stale = (types.SimpleNamespace(_explorer_kernel_id=k) for k in "abc")
    saved = dict(Info._waiters)
    try:
        Info._waiters.clear()
        Info._waiters.update(a=mine, b=other)
        Info.on_close(stale)  # opened "c" earlier, replaced since: nothing of others goes
        assert Info._waiters == {"a": mine, "b": other}
        Info.on_close(mine)
        assert Info._waiters == {"b": other}
    finally:
        Info._waiters.clear()
        Info._waiters.update(saved)
