"""Previews: the page's own first plots, drawn by the server for the page's query string and
shown in place until its kernel draws the live ones (a cold kernel; a class opening the link)."""

from __future__ import annotations

import asyncio
import html
import logging
import os
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

# ---- previews -----------------------------------------------------------------------------------
#: Where the previews live, under the server's base URL: ``<base>explorer/preview/<panel>.png?<the
#: page's query string>``.
PREVIEW_PATH = "explorer/preview"
#: The tornado settings key of the server's :class:`Previews` (absent: no previews on this route).
PREVIEWS_SETTING = "explorer_previews"
#: Entries kept in each of the previews' LRU caches (plans by query string; PNGs by panel and
#: normalised state: ~90 kB each).
PREVIEW_CACHE = 64
#: Seconds a page's HTML waits, at most, for its previews' plan (state and views, a few ms
#: once warm); past it the page goes out with an image for every panel (see
#: :meth:`Previews.page_html`).
PREVIEW_PAGE_WAIT = 0.25


def _plan(query: str):
    from explorer.app.render import preview

    return preview.plan(query)


def _render(channel: str, view) -> bytes:
    from explorer.app.render import preview

    return preview.render(channel, view)


def preview_html(base_url: str, query: str, alts: dict, size: tuple) -> str:
    """The previews' block, put right after a page's ``<body>``: a note that the page is
    starting, and one ``<img>`` per shown panel (``alts``: panel → alt text; ``size``: the live
    image's width and height in px). The page script (``session.js``) removes it once live.

    >>> out = preview_html("/user/a/dashboard/", 'target=Xe&x="<', {"electron": "A <plot>"}, (648, 540))
    >>> 'src="/user/a/dashboard/explorer/preview/electron.png?target=Xe&amp;x=&quot;&lt;"' in out
    True
    >>> 'alt="A &lt;plot&gt;"' in out, 'width="648" height="540"' in out, preview_html("/", "", {}, (1, 1))
    (True, True, '')
    """
    from explorer.app.declare import dom

    if not alts:
        return ""
    base = base_url if base_url.endswith("/") else base_url + "/"
    q = f"?{query}" if query else ""
    images = "".join(
        f'<img class="{dom.PREVIEW_IMAGE} {dom.PREVIEW_IMAGE}-{c}" '
        f'src="{html.escape(f"{base}{PREVIEW_PATH}/{c}.png{q}", quote=True)}" '
        f'alt="{html.escape(alt, quote=True)}" width="{size[0]}" height="{size[1]}">'
        for c, alt in alts.items()
    )
    return (
        f'<div class="{dom.PREVIEW}" role="status" aria-live="polite">'
        f'<p class="{dom.PREVIEW}-note"><b>Starting</b> \u2014 a picture of this view; the '
        "controls go live in a moment.</p>"
        f'<div class="{dom.PREVIEW}-plots">{images}</div></div>'
    )


class Previews:
    """The previews of one server: plans (a query string's state and views) and PNGs, made in
    two worker threads (off the event loop; one each, as matplotlib figures and the GIL give
    nothing to more), kept in LRU caches of :data:`PREVIEW_CACHE` entries. Any failure means no
    preview (the page waits for its live plots), never an error page.
    """

    def __init__(self, size: int = PREVIEW_CACHE):
        self.size = size
        self._lock = threading.Lock()
        self._plans: OrderedDict = OrderedDict()  # query string → Future[Plan]
        self._pngs: OrderedDict = OrderedDict()  # (panel, state key) → Future[bytes]
        self._planner = ThreadPoolExecutor(1, thread_name_prefix="explorer-preview-plan")
        self._renderer = ThreadPoolExecutor(1, thread_name_prefix="explorer-preview-render")

    def _cached(self, cache: OrderedDict, key, make) -> Future:
        with self._lock:
            fut = cache.get(key)
            if fut is None:
                fut = cache[key] = make()
                while len(cache) > self.size:
                    cache.popitem(last=False)
            else:
                cache.move_to_end(key)
            return fut

    def plan_future(self, query: str) -> Future:
        """The plan of ``query`` (:func:`explorer.app.render.preview.plan`), made once."""
        return self._cached(self._plans, query, lambda: self._planner.submit(_plan, query))

    def png_future(self, channel: str, plan) -> Future:
        """The PNG of ``channel`` for ``plan`` (a shown panel of it), rendered once per state."""
        return self._cached(
            self._pngs,
            (channel, plan.key),
            lambda: self._renderer.submit(_render, channel, plan.views[channel]),
        )

    def warm_up(self) -> None:
        """Import the app and draw the default view in the background (at server start)."""

        def then(fut: Future) -> None:
            if fut.exception() is None:
                for c in fut.result().views:
                    self.png_future(c, fut.result())

        self.plan_future("").add_done_callback(then)

    async def plan(self, query: str, timeout: float | None = None):
        """The plan of ``query``, or None (failed, or not ready within ``timeout`` s)."""
        fut = self.plan_future(query)
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(fut)), timeout)
        except asyncio.TimeoutError:
            return None
        except Exception as exc:
            log.warning("No preview for %r: %s", query[:200], exc)
            return None

    async def png(self, channel: str, query: str) -> bytes | None:
        """The PNG of panel ``channel`` for a page's ``query``; None if it shows no such panel
        or the rendering failed."""
        plan = await self.plan(query)
        if plan is None or channel not in plan.views:
            return None
        try:
            return await asyncio.wrap_future(self.png_future(channel, plan))
        except Exception as exc:
            log.warning("No %s preview for %r: %s", channel, query[:200], exc)
            return None

    async def page_html(self, base_url: str, query: str) -> str:
        """The previews' block of a page (:func:`preview_html`), its PNGs already started.

        When the plan is not ready within :data:`PREVIEW_PAGE_WAIT` seconds (a server still
        warming up) the page does not wait: it gets an image for every panel, titled, and the
        page script drops any that the server then refuses (a panel the view does not show)."""
        from explorer.app.declare.channels import CHANNELS
        from explorer.app.render import preview

        plan = await self.plan(query, PREVIEW_PAGE_WAIT)
        if plan is None:  # not planned yet (a server still warming up): every panel, in case
            alts = {
                c: f"Preview (the live plot follows): {CHANNELS[c].title}"
                for c in preview.PREVIEWED
            }
        else:
            for c in plan.views:
                self.png_future(c, plan)
            alts = {c: preview.alt_text(c, v) for c, v in plan.views.items()}
        return preview_html(base_url, query, alts, preview.SIZE)


log = logging.getLogger("explorer.serving")


def _preview_handler():
    import tornado.web
    from jupyter_server.base.handlers import JupyterHandler

    class PreviewHandler(JupyterHandler):
        """``GET <base>explorer/preview/<panel>.png?<query>``: the PNG, or 404 (no preview)."""

        @tornado.web.authenticated
        async def get(self, channel: str):
            previews = self.settings.get(PREVIEWS_SETTING)
            png = None if previews is None else await previews.png(channel, self.request.query)
            if png is None:
                self.set_status(404)
                self.set_header("Content-Type", "text/plain; charset=utf-8")
                self.finish("No preview of this view: the page shows its live plots when ready.")
                return
            self.set_header("Content-Type", "image/png")
            self.set_header("Cache-Control", "private, max-age=300")
            self.finish(png)

    return PreviewHandler


def install_previews() -> None:
    """Serve previews from the standalone Voila server (``python -m explorer.serving``, also
    behind Jupyter Server at ``/dashboard/``), and put them into its pages. Idempotent.

    Wraps ``Voila.init_handlers``: the preview route goes first (before the page's catch-all
    route), at the server's ``server_url`` (what the proxy forwards to), and the page's images
    point at its ``base_url`` (the address the browser sees). The Jupyter Server extension
    route (``/voila/render``) has no previews: its pages go out without them; nor has a server
    started with ``EXPLORER_PREVIEWS=0`` in its environment.
    """
    from jupyter_server.utils import url_path_join

    from explorer.serving.voila_internals import wrap

    def with_previews(original):
        def init_handlers(self):
            handlers = original(self)
            if os.environ.get("EXPLORER_PREVIEWS", "1") == "0":  # switched off (a before/after)
                return handlers
            previews = Previews()
            self.app.settings[PREVIEWS_SETTING] = previews
            previews.warm_up()
            route = url_path_join(self.server_url, PREVIEW_PATH, r"([a-z]+)\.png")
            return [(route, _preview_handler()), *handlers]

        return init_handlers

    wrap("Voila", "init_handlers", with_previews)
