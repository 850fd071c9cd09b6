"""The page: the session watcher in every page's head, no CDN links, and the tab-close
kernel shutdown that Voila's missing ``_xsrf`` cookie breaks (see the package docstring)."""

from __future__ import annotations

import asyncio
import json
import os
import re
from functools import cache
from importlib.resources import files

from explorer.serving.previews import PREVIEWS_SETTING, log

#: Timings of the page's session watcher (``explorer/page/session.js``), in seconds: how long a
#: page may take to draw before it says it failed (``EXPLORER_START_TIMEOUT`` in the server's
#: environment overrides it), how long a lost connection may take to come back before the
#: session counts as ended. The page does not reconnect by itself: Voila's kernel client
#: (@jupyterlab/services) does, and when its check of the kernel (``GET /api/kernels/<id>``)
#: meets a network error it tries again only after a random 10–30 s, then reopens the socket
#: after up to 1–3 s more. A network drop of a few seconds can so take ≈ 35 s to heal:
#: ``reconnectTimeout`` waits for that, with a margin for a busy server.
SESSION_CONFIG = {
    "startTimeout": 90,
    "startNoticeAfter": 1.5,
    "reconnectTimeout": 60,
    # after a reconnection, the controls wait this long at most for the widgets' states
    "resyncTimeout": 10,
    "lostNoticeAfter": 1.0,
    "maxFailedOpens": 4,
    "reconnectedFor": 4,
}

# Voila 0.5's page template links Font Awesome from a CDN; Voila's own bundle already carries the
# same Font Awesome 5 CSS and fonts (served from its static directory), so the links only cost a
# failing request (and a console error) without internet.
_CDN_LINK = re.compile(
    r"<link[^>]*href=\"https://cdn\.jsdelivr\.net/npm/@fortawesome/[^\"]*\"[^>]*>\s*"
)
_HEAD = re.compile(r"<head[^>]*>", re.IGNORECASE)
_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)


def start_timeout() -> float:
    """Seconds a page may take to draw before it says it failed: ``SESSION_CONFIG``'s, or
    ``EXPLORER_START_TIMEOUT`` from the server's environment (a slow machine, a test of the
    banner).

    >>> start_timeout() == SESSION_CONFIG["startTimeout"] or "EXPLORER_START_TIMEOUT" in os.environ
    True
    """
    override = os.environ.get("EXPLORER_START_TIMEOUT")
    return float(override) if override else float(SESSION_CONFIG["startTimeout"])


def set_xsrf_cookie(req_handler, notebook=None, cwd=None):
    """Voila ``prelaunch_hook``: make the page response set the ``_xsrf`` cookie.

    Returns ``None`` so that Voila keeps the notebook as it is.

    >>> class FakeHandler:
    ...     touched = False
    ...     @property
    ...     def xsrf_token(self):
    ...         FakeHandler.touched = True
    ...         return b"2|token"
    >>> set_xsrf_cookie(FakeHandler(), notebook={}, cwd=".") is None, FakeHandler.touched
    (True, True)
    """
    # Tornado's RequestHandler.xsrf_token property sets the cookie as a side effect.
    req_handler.xsrf_token  # noqa: B018
    return None


def install_xsrf_cookie() -> None:
    """Make every Voila page response set the ``_xsrf`` cookie (as :func:`set_xsrf_cookie`).

    Wraps ``VoilaHandler.prepare``, which runs before any byte of the page is written, so the
    fix also covers pages served from a pre-heated kernel. Idempotent.
    """
    import inspect

    from explorer.serving.voila_internals import wrap

    def setting_the_cookie(original):
        async def prepare(self, *args, **kwargs):
            result = original(self, *args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            set_xsrf_cookie(self)
            return result

        return prepare

    wrap("VoilaHandler", "prepare", setting_the_cookie)


#: The page scripts (explorer/page/), in order: the session watcher, the pixel-ratio reporter.
PAGE_SCRIPTS = ("session.js", "pixels.js")


@cache
def page_head() -> str:
    """The ``<script>`` put at the top of every dashboard page's ``<head>``.

    The session watcher (``explorer/page/session.js``) and the pixel-ratio reporter
    (``pixels.js``) with their configuration: the CSS class names of :mod:`explorer.app.declare.dom` and
    :data:`SESSION_CONFIG`. It must run before Voila's own scripts
    (it watches the kernel websocket they open).

    >>> head = page_head()
    >>> head.startswith("<script>") and "nac-view-link" in head and "__nacSession" in head
    True
    """
    from explorer.app.declare import dom

    timings = dict(SESSION_CONFIG, startTimeout=start_timeout())
    config = {
        "dashboard": dom.DASHBOARD,
        "panel": dom.PANEL,
        "viewLink": dom.VIEW_LINK,
        "banner": dom.SESSION_BANNER,
        "reload": dom.SESSION_RELOAD,
        "pixelRatio": dom.PIXEL_RATIO,
        "preview": dom.PREVIEW,
        "previewImage": dom.PREVIEW_IMAGE,
        **timings,
    }
    page = files("explorer.page")
    script = "\n".join(page.joinpath(f).read_text(encoding="utf-8") for f in PAGE_SCRIPTS)
    # "</" cannot end the script element early: JSON and the script never contain "</script".
    assert "</script" not in script.lower()
    return f"<script>window.__nacSessionConfig = {json.dumps(config)};\n{script}</script>"


def rewrite_page(snippet: str, head_done: bool) -> tuple[str, bool]:
    r"""One chunk of a Voila page, as sent: the session script after ``<head>``, no CDN links.

    Returns the chunk and whether the ``<head>`` tag has been seen (by now).

    >>> out, done = rewrite_page('<html><head><meta charset="utf-8">', False)
    >>> done, out.index("<script>") == len("<html><head>")
    (True, True)
    >>> rewrite_page('<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/'
    ...              'fontawesome-free@^5/css/all.min.css" type="text/css" />\n<p>', True)
    ('<p>', True)
    """
    snippet = _CDN_LINK.sub("", snippet)
    if not head_done:
        m = _HEAD.search(snippet)
        if m:
            snippet = snippet[: m.end()] + page_head() + snippet[m.end() :]
            head_done = True
    return snippet, head_done


async def _or_nothing(task) -> str:
    """The previews' HTML of a page, or ``""`` if making it failed (the page goes out anyway)."""
    try:
        return await task
    except Exception as exc:
        log.warning("No previews for this page: %s", exc)
        return ""


def install_page_script() -> None:
    """Put the session watcher into every Voila page and drop its CDN links (both routes).

    Wraps ``VoilaHandler.get_generator``, the one source of a page's HTML chunks for plain
    Voila, pre-heated kernels and the Jupyter Server extension alike. Idempotent.
    """
    from explorer.serving.voila_internals import wrap

    def with_page_script(original):
        async def get_generator(self, *args, **kwargs):
            head_done = False
            previews = self.settings.get(PREVIEWS_SETTING)
            preview = None
            warm = getattr(self.kernel_manager, "has_warm_kernel", lambda: False)()
            if previews is not None and not warm:  # a kernel to wait for: plan the previews
                preview = asyncio.ensure_future(
                    previews.page_html(self.base_url, self.request.query)
                )
            held = ""  # the start of a <body> tag whose end is in a later chunk (Jinja streams)
            async for snippet in original(self, *args, **kwargs):
                if isinstance(snippet, str):
                    snippet, head_done = rewrite_page(snippet, head_done)
                    if preview is not None and head_done:
                        snippet, held = held + snippet, ""
                        ours = snippet.find(page_head())  # after our script (it says "body" too)
                        at = snippet.lower().find(
                            "<body", 0 if ours < 0 else ours + len(page_head())
                        )
                        m = _BODY.match(snippet, at) if at >= 0 else None
                        if m:
                            snippet = (
                                snippet[: m.end()] + await _or_nothing(preview) + snippet[m.end() :]
                            )
                            preview = None
                        elif at >= 0 and len(snippet) - at < 4096:
                            held = snippet
                            continue
                yield snippet
            if held:
                yield held

        return get_generator

    wrap("VoilaHandler", "get_generator", with_page_script)
