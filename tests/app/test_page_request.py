"""The pre-heated kernel's wait for its page request (explorer.app.control.page_request)."""

import json
import os
import threading

from websockets.sync.server import serve

from explorer.app.control.page_request import query_url, wait_for_page_request


def test_not_preheated_returns_at_once(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    assert query_url() is None
    assert wait_for_page_request() is False


def test_receives_the_request_variables(monkeypatch):
    # A stand-in for Voila's RequestInfoSocketHandler: on connection it sends the page's
    # request variables as one JSON message, as Voila 0.5 does.
    seen = {}

    def handler(ws):
        seen["path"] = ws.request.path
        ws.send(json.dumps({"QUERY_STRING": "target=Xe&mu=3e-11", "SCRIPT_NAME": "/"}))

    with serve(handler, "127.0.0.1", 0) as server:
        port = server.socket.getsockname()[1]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setenv("VOILA_KERNEL_ID", "abc-123")
        monkeypatch.setenv("VOILA_APP_PORT", str(port))
        monkeypatch.setenv("VOILA_SERVER_URL", "/")
        monkeypatch.delenv("QUERY_STRING", raising=False)
        assert wait_for_page_request() is True
        server.shutdown()
    assert seen["path"] == "/voila/query/abc-123"
    assert os.environ["QUERY_STRING"] == "target=Xe&mu=3e-11"
    monkeypatch.delenv("QUERY_STRING")


def test_unreachable_server_keeps_defaults(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    monkeypatch.setenv("VOILA_APP_PORT", "1")  # nothing listens on port 1
    assert wait_for_page_request(open_timeout=1) is False
