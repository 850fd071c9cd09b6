"""Wait for the page request in a pre-heated Voila kernel, without importing Voila.

``make dashboard`` serves with pre-heated kernels (see :mod:`explorer.serving`): a kernel runs the
dashboard notebook up to this call before anyone asks for the page, so the imports and the first
drawing are done in advance. When a page is requested, Voila sends that request's CGI-style
variables (``QUERY_STRING``, ``SCRIPT_NAME``, …) to the kernel over a websocket at
``<server>/voila/query/<kernel id>``; this module receives them into ``os.environ``.

Voila ships ``voila.utils.wait_for_request`` for the same purpose, but importing ``voila.utils``
pulls Jupyter Server, Tornado and JupyterLab Server into the kernel (+70 MB resident, measured
here), which would push one dashboard kernel past the 150 MB budget. This needs only
``websockets``, already a dependency of Voila (+11 MB).
"""

from __future__ import annotations

import json
import os

__all__ = ["is_preheated", "query_url", "wait_for_page_request"]


def query_url(env=None) -> str | None:
    """The websocket address on which Voila will send this kernel its page request, or None.

    None means the kernel is not pre-heated (plain Voila, the Jupyter Server route, nbclient,
    a notebook in JupyterLab): the request variables are already in the environment.

    >>> query_url({})
    >>> query_url({"VOILA_PREHEAT": "True", "VOILA_KERNEL_ID": "k1", "VOILA_APP_PORT": "8866",
    ...            "VOILA_SERVER_URL": "/"})
    'ws://127.0.0.1:8866/voila/query/k1'
    """
    env = os.environ if env is None else env
    if env.get("VOILA_PREHEAT", "False") != "True" or not env.get("VOILA_KERNEL_ID"):
        return None
    protocol = env.get("VOILA_WS_PROTOCOL", "ws")
    host = env.get("VOILA_APP_IP", "127.0.0.1")
    port = env.get("VOILA_APP_PORT", "8866")
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    if not base.endswith("/"):
        base += "/"
    return f"{protocol}://{host}:{port}{base}voila/query/{env['VOILA_KERNEL_ID']}"


def is_preheated(env=None) -> bool:
    """Whether this kernel runs before its page is requested (Voila's pre-heated pool): then the
    page's query string arrives later (:func:`wait_for_page_request`); otherwise it is already in
    ``QUERY_STRING``, and the dashboard can be built for it at once (drawn once, not twice).

    >>> is_preheated({}), is_preheated({"VOILA_PREHEAT": "True", "VOILA_KERNEL_ID": "k1"})
    (False, True)
    """
    return query_url(env) is not None


def wait_for_page_request(url: str | None = None, open_timeout: float = 5.0) -> bool:
    """Block until the page request arrives; put its variables into ``os.environ``.

    Returns False at once when the kernel is not pre-heated (see :func:`query_url`), True once the
    request's variables are set. If the server cannot be reached, returns False and leaves the
    environment as it is (the dashboard then shows its default view).
    """
    url = url or query_url()
    if url is None:
        return False
    from websockets.sync.client import connect

    try:
        with connect(url, open_timeout=open_timeout) as ws:
            message = ws.recv()
    except (OSError, TimeoutError):
        return False
    info = json.loads(message)
    os.environ.update({str(k): str(v) for k, v in info.items()})
    return True
