"""Serving the dashboard: the Voila launcher behind ``make dashboard`` and its fixes.

What it adds to Voila 0.5 (each part below, and docs/deploy.md):

* kernel websocket frames checked before anything parses them, the legacy protocol refused,
  rates bounded (:mod:`explorer.serving.frames`, docs/security.md);
* static files sent gzip-compressed, compressed once (:mod:`explorer.serving.static`), and the
  page templates compiled once (:mod:`explorer.serving.templates`);
* a kernel budget (HTTP 503 past it) and a static page without a kernel for bots, probes and
  ``HEAD`` (:mod:`explorer.serving.admission`);
* the tab-close kernel shutdown that Voila's missing ``_xsrf`` cookie breaks (this docstring);
* a pool of pre-heated kernels (``POOL=N``) that stays sound: never culled, never handing out a
  dead kernel, refilled a few kernels at a time at low CPU priority (:func:`install_pool_keeper`);
* a page script on every route (:func:`install_page_script`): one banner when the session ends
  (kernel dead, connection lost) with a Reload to the current view, the start-up progress, and
  no requests to CDNs;
* previews (:func:`install_previews`, standalone server): the page's own first plots, drawn by
  this process for the page's query string and shown in place at once, until its kernel draws
  the live ones (a cold kernel, a class opening the link together);
* lighter kernels (:func:`use_lean_kernel`): the standalone server's ``python3`` kernel is
  ipykernel without its debugger (debugpy costs every kernel 28 MB and 0.5 s at start, and a
  dashboard page never debugs) and without IPython's history database.

Why this module exists
----------------------
Voila 0.5 shuts a page's kernel down when the tab is closed or reloaded: on ``beforeunload``
the page posts ``/voila/api/shutdown/<kernel id>`` with ``navigator.sendBeacon``, copying the
``_xsrf`` cookie into the form. But no Voila page handler ever asks Tornado for
``xsrf_token``, so that cookie is never set, the POST fails its XSRF check with
``403 '_xsrf' argument missing from POST`` (voila-dashboards/voila#1458) and the kernel,
~110 MB, lives on until the culler finds it.

The fix is to let the page set the cookie. :func:`set_xsrf_cookie` is a Voila
``prelaunch_hook``: it runs inside the page request, before the first byte is flushed, and
reading ``handler.xsrf_token`` makes Tornado send ``Set-Cookie: _xsrf=…``. The beacon then
carries a matching token and the shutdown goes through. XSRF protection stays on everywhere.

* Standalone route: ``python -m explorer.serving notebooks/dashboard.ipynb …`` is the
  ``voila`` command (reading the repository's ``voila.json`` from the working directory, as
  plain ``voila`` does) with *pre-heated kernels*: one kernel per notebook is started, has run
  the dashboard notebook up to ``wait_for_page_request()`` (imports, building and drawing the
  dashboard), and waits for the next page request, which then only applies its query string.
  That cuts page request → first plot from ~7.6 s to the time of one redraw plus the page's own
  loading. Voila refuses ``prelaunch_hook`` together with pre-heating, so here the same cookie
  fix is installed on the page handler itself (:func:`install_xsrf_cookie`), and pooled
  kernels, which have no connection and would otherwise be culled as idle and never replaced,
  are exempt from culling (:func:`install_pool_keeper`).
* Jupyter Server route (Binder, JupyterHub): the repository's ``jupyter_server_config.py``
  sets ``c.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie`` (Voila has no kernel pool in
  the server extension, so the documented hook is enough there), installs the page script, and
  runs this standalone server behind Jupyter Server at ``/dashboard/`` (jupyter-server-proxy).
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import re
import sys
import tempfile
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from importlib.resources import files

from explorer.serving.admission import Admission, install_admission, pool_size
from explorer.serving.frames import install_frame_guard
from explorer.serving.static import install_compressed_static
from explorer.serving.templates import install_template_cache

__all__ = [
    "SESSION_CONFIG",
    "install",
    "install_admission",
    "install_compressed_static",
    "install_frame_guard",
    "install_page_script",
    "install_pool_keeper",
    "install_previews",
    "install_template_cache",
    "install_xsrf_cookie",
    "kernel_main",
    "main",
    "page_head",
    "preview_html",
    "rewrite_page",
    "set_xsrf_cookie",
    "use_lean_kernel",
]

#: Timings of the page's session watcher (``explorer/page/session.js``), in seconds: how long a
#: page may take to draw before it says it failed (``EXPLORER_START_TIMEOUT`` in the server's
#: environment overrides it), how long a lost connection may take to come back before the
#: session counts as ended.
SESSION_CONFIG = {
    "startTimeout": 90,
    "startNoticeAfter": 1.5,
    "reconnectTimeout": 30,
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

    from voila.handler import VoilaHandler

    if getattr(VoilaHandler.prepare, "_sets_xsrf_cookie", False):
        return
    original = VoilaHandler.prepare

    async def prepare(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        set_xsrf_cookie(self)
        return result

    prepare._sets_xsrf_cookie = True
    VoilaHandler.prepare = prepare


#: Pre-heated kernels warmed up at the same time, at most (Voila alone starts every missing kernel
#: at once: after a burst of twenty pages, twenty replacements starve the twenty open tabs).
POOL_REFILL_AT_ONCE = 2
#: Niceness of a kernel while it warms up in the pool (restored to the server's own when a page
#: takes it, where the operating system allows: as root, or with CAP_SYS_NICE). 19, the lowest
#: priority: a warming kernel gets ~1.5 % of a core's share next to one busy normal process
#: (Linux CFS weights 15 vs 1024; it was 10, weight 110), so it runs on the CPU the tabs leave.
POOL_NICENESS = 19
#: Seconds a warming kernel may hold a refill slot before the next one starts anyway.
POOL_WARMUP_TIMEOUT = 120.0
#: Refills wait until no page has taken a pooled kernel, and no page's websocket has connected,
#: for this many seconds, and until every kernel handed to a page has its page connected (at most
#: :func:`start_timeout`): during a burst of page requests the CPU goes to the tabs being
#: drawn, the pool refills after it (a kernel's warm-up costs ~5 s of CPU, more than a page).
POOL_REFILL_QUIET = 5.0


def _kernel_pid(manager, kernel_id: str) -> int | None:
    try:
        km = manager.get_kernel(kernel_id)
        process = getattr(km.provisioner, "process", None)
        return process.pid if process is not None else None
    except Exception:  # no such kernel, or a provisioner without a local process
        return None


def _threads(pid: int) -> list[int]:
    """A process's thread ids (Linux ``/proc/<pid>/task``); elsewhere the process id alone."""
    try:
        return [int(tid) for tid in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        return [pid]


def _renice(pid: int | None, niceness: int) -> bool:
    """Set the niceness of every thread of a process; False where the OS refuses (lowering it
    needs privileges).

    On Linux a niceness belongs to a thread (``setpriority(PRIO_PROCESS, pid)`` sets the main
    thread's only), and a thread starts with its creator's: a kernel reniced while it starts up
    has its ZMQ I/O, IOPub, heartbeat and control threads at that niceness too, so all of them are
    set, or a kernel handed to a page sends every message through threads still at
    :data:`POOL_NICENESS` (measured: the main thread back at 0, the 15 others at 19).

    Test: ``tests/test_pool_keeper.py`` (a process with threads, every one reniced).
    """

    if pid is None or not hasattr(os, "setpriority"):
        return False
    done = False
    for tid in _threads(pid):
        try:
            os.setpriority(os.PRIO_PROCESS, tid, niceness)
        except ProcessLookupError:  # the thread ended meanwhile
            continue
        except OSError:
            return False
        done = True
    return done


def _is_warm(kernel_id: str) -> bool:
    """Whether a pre-heated kernel has reached ``wait_for_page_request`` (it then connects to
    Voila's request-info websocket, :mod:`explorer.app.page_request`)."""
    from voila.request_info_handler import RequestInfoSocketHandler

    return kernel_id in RequestInfoSocketHandler._waiters


def install_pool_keeper() -> None:
    """Keep Voila's pre-heated kernel pool sound, and refill it gently. Idempotent.

    * Pooled kernels (started, not yet given to a page) are exempt from idle culling: Voila 0.5
      removes a culled pooled kernel from its pool but never refills it, so after one
      ``cull_idle_timeout`` every later page would start a cold kernel.
    * A kernel handed to a page is exempt until the page's websocket connects, for at most
      :func:`start_timeout` seconds (after which the page shows its failure notice): its last
      activity dates from its warm-up in the pool, and under load a tab can take longer than
      ``cull_idle_timeout`` to load Voila's scripts, so the culler would otherwise shut the
      kernel down under the page that is still loading.
    * A kernel that dies (the restarter finds its process gone; with ``restart_limit = 0`` in
      ``voila.json`` it is not restarted) leaves the kernel manager, and if it was waiting in the
      pool it leaves the pool, which is refilled: no page is ever given a dead kernel.
    * Refills start once no page has taken a pooled kernel or connected to it for
      :data:`POOL_REFILL_QUIET` seconds and every page handed a kernel has connected (or given
      up after :func:`start_timeout`) — at once while a page waits for a pooled kernel not yet
      started (more pages than the pool) — run at most :data:`POOL_REFILL_AT_ONCE` at a time,
      each until its kernel is warm (waiting for its page request), and at niceness
      :data:`POOL_NICENESS` until a page takes the kernel: the tabs already open keep the CPU.
    """
    import asyncio

    import voila.app

    factory = voila.app.voila_kernel_manager_factory
    if getattr(factory, "_keeps_pool", False):
        return

    def keeping_factory(*args, **kwargs):
        cls = factory(*args, **kwargs)

        class PoolKeepingKernelManager(cls):
            def pooled_ids(self) -> set:
                ids = set()
                for pool in getattr(self, "_pools", {}).values():
                    for task in pool:
                        if task.done() and not task.cancelled() and task.exception() is None:
                            ids.add(task.result().get("kernel_id"))
                return ids

            def has_warm_kernel(self) -> bool:
                # a pooled kernel already waiting for its page, more than pages now asking
                warm = sum(_is_warm(k) for k in self.pooled_ids())
                return warm > getattr(self, "_explorer_waiting", 0)

            def _awaits_its_page(self, kernel_id) -> bool:
                # the grace is the page's own start timeout: after it the page shows its notice
                handed = getattr(self, "_explorer_handed", {})
                if kernel_id not in handed:
                    return False
                if asyncio.get_event_loop().time() - handed[kernel_id] > start_timeout():
                    del handed[kernel_id]
                    return False
                return True

            def notify_connect(self, kernel_id):
                # the page's websocket is open: from now on the culler decides as usual
                if getattr(self, "_explorer_handed", {}).pop(kernel_id, None) is not None:
                    self._explorer_last_page = asyncio.get_event_loop().time()
                return super().notify_connect(kernel_id)

            def _pages_loading(self) -> bool:
                # a page took a kernel or connected to it lately, or one still awaits its page;
                # but a page waiting for a pooled kernel that has not started gets it now
                if getattr(self, "_explorer_waiting", 0):
                    return False
                now = asyncio.get_event_loop().time()
                if now - getattr(self, "_explorer_last_page", -1e9) < POOL_REFILL_QUIET:
                    return True
                return any(
                    self._awaits_its_page(k) for k in list(getattr(self, "_explorer_handed", {}))
                )

            async def cull_kernel_if_idle(self, kernel_id):
                if kernel_id in self.pooled_ids() or self._awaits_its_page(kernel_id):
                    return None
                return await super().cull_kernel_if_idle(kernel_id)

            def _handle_kernel_died(self, kernel_id):
                notebook = None
                for name, pool in getattr(self, "_pools", {}).items():
                    for task in list(pool):
                        if (
                            task.done()
                            and not task.cancelled()
                            and task.exception() is None
                            and task.result().get("kernel_id") == kernel_id
                        ):
                            pool.remove(task)
                            notebook = name
                for data in getattr(self, "notebook_data", {}).values():
                    data.get("kernel_ids", set()).discard(kernel_id)
                super()._handle_kernel_died(kernel_id)
                if notebook is not None:
                    self.log.warning("Pre-heated kernel %s died; refilling the pool", kernel_id)
                    self.fill_if_needed(delay=0, notebook_name=notebook)

            # -- gentle refills (pre-heating kernel managers only) ---------------------------
            def _over_budget(self) -> bool:
                # the server's kernel budget (admission.py): a refill waits for a kernel to go
                if getattr(self, "_explorer_admission", None) is None:
                    self._explorer_admission = Admission(config=self.config)
                budget = self._explorer_admission.budget(pool_size(self))
                return len(self.list_kernel_ids()) >= budget

            def _refill_slots(self) -> asyncio.Semaphore:
                if getattr(self, "_explorer_slots", None) is None:
                    self._explorer_slots = asyncio.Semaphore(POOL_REFILL_AT_ONCE)
                return self._explorer_slots

            async def _initialize(self, notebook_path, kernel_id=None, **kwargs):
                if kernel_id is not None:  # a restart of a known kernel: as Voila does it
                    return await super()._initialize(notebook_path, kernel_id, **kwargs)
                slots = self._refill_slots()
                while self._pages_loading() or self._over_budget():
                    await asyncio.sleep(0.5)
                await slots.acquire()
                try:
                    content = await super()._initialize(notebook_path, None, **kwargs)
                except BaseException:
                    slots.release()
                    raise
                kid = content["kernel_id"]
                _renice(_kernel_pid(self, kid), POOL_NICENESS)
                asyncio.get_event_loop().create_task(self._release_when_warm(slots, content))
                return content

            async def _release_when_warm(self, slots, content):
                loop = asyncio.get_event_loop()
                deadline = loop.time() + POOL_WARMUP_TIMEOUT
                kid = content["kernel_id"]
                try:
                    while (
                        not _is_warm(kid)
                        and not content["task"].done()
                        and kid in self
                        and loop.time() < deadline
                    ):
                        await asyncio.sleep(0.2)
                finally:
                    slots.release()

            async def get_rendered_notebook(self, *args, **kwargs):
                self._explorer_last_page = asyncio.get_event_loop().time()
                self._explorer_waiting = getattr(self, "_explorer_waiting", 0) + 1
                try:
                    render_task, cache, kid = await super().get_rendered_notebook(*args, **kwargs)
                finally:
                    self._explorer_waiting -= 1
                if not hasattr(self, "_explorer_handed"):
                    self._explorer_handed = {}
                self._explorer_handed[kid] = asyncio.get_event_loop().time()

                _renice(_kernel_pid(self, kid), os.getpriority(os.PRIO_PROCESS, 0))
                return render_task, cache, kid

        if not hasattr(cls, "get_rendered_notebook"):  # no pre-heating: no pool to refill
            del PoolKeepingKernelManager._initialize
            del PoolKeepingKernelManager.get_rendered_notebook

        PoolKeepingKernelManager.__name__ = cls.__name__
        return PoolKeepingKernelManager

    keeping_factory._keeps_pool = True
    voila.app.voila_kernel_manager_factory = keeping_factory


#: The page scripts (explorer/page/), in order: the session watcher, the pixel-ratio reporter.
PAGE_SCRIPTS = ("session.js", "pixels.js")


@cache
def page_head() -> str:
    """The ``<script>`` put at the top of every dashboard page's ``<head>``.

    The session watcher (``explorer/page/session.js``) and the pixel-ratio reporter
    (``pixels.js``) with their configuration: the CSS class names of :mod:`explorer.app.dom` and
    :data:`SESSION_CONFIG`. It must run before Voila's own scripts
    (it watches the kernel websocket they open).

    >>> head = page_head()
    >>> head.startswith("<script>") and "nac-view-link" in head and "__nacSession" in head
    True
    """
    from explorer.app import dom

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
        _log().warning("No previews for this page: %s", exc)
        return ""


def install_page_script() -> None:
    """Put the session watcher into every Voila page and drop its CDN links (both routes).

    Wraps ``VoilaHandler.get_generator``, the one source of a page's HTML chunks for plain
    Voila, pre-heated kernels and the Jupyter Server extension alike. Idempotent.
    """
    from voila.handler import VoilaHandler

    if getattr(VoilaHandler.get_generator, "_explorer_page", False):
        return
    original = VoilaHandler.get_generator

    async def get_generator(self, *args, **kwargs):
        head_done = False
        previews = self.settings.get(PREVIEWS_SETTING)
        preview = None
        warm = getattr(self.kernel_manager, "has_warm_kernel", lambda: False)()
        if previews is not None and not warm:  # a kernel to wait for: plan the previews
            preview = asyncio.ensure_future(previews.page_html(self.base_url, self.request.query))
        held = ""  # the start of a <body> tag whose end is in a later chunk (Jinja streams)
        async for snippet in original(self, *args, **kwargs):
            if isinstance(snippet, str):
                snippet, head_done = rewrite_page(snippet, head_done)
                if preview is not None and head_done:
                    snippet, held = held + snippet, ""
                    ours = snippet.find(page_head())  # after our script (it says "body" too)
                    at = snippet.lower().find("<body", 0 if ours < 0 else ours + len(page_head()))
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

    get_generator._explorer_page = True
    VoilaHandler.get_generator = get_generator


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
    from explorer.app import preview

    return preview.plan(query)


def _render(channel: str, view) -> bytes:
    from explorer.app import preview

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
    from explorer.app import dom

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
        """The plan of ``query`` (:func:`explorer.app.preview.plan`), made once."""
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
            _log().warning("No preview for %r: %s", query[:200], exc)
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
            _log().warning("No %s preview for %r: %s", channel, query[:200], exc)
            return None

    async def page_html(self, base_url: str, query: str) -> str:
        """The previews' block of a page (:func:`preview_html`), its PNGs already started.

        When the plan is not ready within :data:`PREVIEW_PAGE_WAIT` seconds (a server still
        warming up) the page does not wait: it gets an image for every panel, titled, and the
        page script drops any that the server then refuses (a panel the view does not show)."""
        from explorer.app import preview
        from explorer.app.panels import TITLES

        plan = await self.plan(query, PREVIEW_PAGE_WAIT)
        if plan is None:  # not planned yet (a server still warming up): every panel, in case
            alts = {c: f"Preview (the live plot follows): {TITLES[c]}" for c in preview.CHANNELS}
        else:
            for c in plan.views:
                self.png_future(c, plan)
            alts = {c: preview.alt_text(c, v) for c, v in plan.views.items()}
        return preview_html(base_url, query, alts, preview.SIZE)


def _log():
    import logging

    return logging.getLogger("explorer.serving")


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
    from voila.app import Voila

    if getattr(Voila.init_handlers, "_explorer_previews", False):
        return
    original = Voila.init_handlers

    def init_handlers(self):
        handlers = original(self)
        if os.environ.get("EXPLORER_PREVIEWS", "1") == "0":  # switched off (a before/after)
            return handlers
        previews = Previews()
        self.app.settings[PREVIEWS_SETTING] = previews
        previews.warm_up()
        route = url_path_join(self.server_url, PREVIEW_PATH, r"([a-z]+)\.png")
        return [(route, _preview_handler()), *handlers]

    init_handlers._explorer_previews = True
    Voila.init_handlers = init_handlers


#: Options of the dashboard's kernel (IPKernelApp command line): no IPython history database
#: (a page's kernel runs two cells; the history would cost a thread and an SQLite file).
LEAN_KERNEL_ARGS = ("--HistoryManager.enabled=False",)


def _trim_heap(*_args) -> None:
    """Give the C heap's free pages back to the operating system (glibc ``malloc_trim``).

    Building the dashboard frees a few MB of temporary C allocations (matplotlib, numpy) that
    glibc would otherwise keep resident: 5–6 MB per kernel, measured here. Elsewhere a no-op.
    """
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)  # the C library already loaded in this process
    except (OSError, AttributeError):  # not glibc
        pass


def kernel_main(argv: list[str] | None = None) -> None:
    """Run an IPython kernel without its debugger (``python -m explorer.serving kernel -f …``).

    ipykernel imports debugpy when it is installed (it is one of ipykernel's own dependencies),
    to serve JupyterLab's debugger: +28 MB resident and ≈ 0.5 s at every kernel start, measured
    here (ipykernel 7.4, debugpy in the same environment). Voila pages never debug: with
    ``debugpy`` marked missing, ipykernel starts without the debugger, the rest unchanged.
    After each cell (a page runs two) the heap's free pages are returned (:func:`_trim_heap`).
    """
    sys.modules.setdefault("debugpy", None)  # "import debugpy" now raises ImportError
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(sys.argv[1:] if argv is None else argv)
    app.shell.events.register("post_run_cell", _trim_heap)
    app.start()


def _optimized_bytecode_ok() -> bool:
    """Whether ``python -OO`` finds (or can write) its bytecode caches for the big packages.

    Without them every kernel would compile matplotlib, numpy and ipykernel from source: seconds.
    With ``PYTHONDONTWRITEBYTECODE`` set (``sys.dont_write_bytecode``) nothing is ever written, so
    only caches already there count (``make env`` writes them, at both levels, with compileall).
    """
    from importlib.util import cache_from_source, find_spec

    for name in ("matplotlib", "numpy", "ipykernel", "ipywidgets"):
        spec = find_spec(name)
        if spec is None or not spec.origin:
            return False
        cached = cache_from_source(spec.origin, optimization=2)
        folder = os.path.dirname(cached)
        writable = not sys.dont_write_bytecode and os.access(
            folder if os.path.isdir(folder) else os.path.dirname(folder), os.W_OK
        )
        if not (os.path.exists(cached) or writable):
            return False
    return True


def lean_kernel_spec() -> dict:
    """The ``python3`` kernel spec of the standalone server: :func:`kernel_main`, this Python.

    ``-OO`` (no docstrings, no asserts: a page's kernel needs neither) saves ≈ 9 MB per kernel,
    measured here; it is left out where its bytecode caches could not be kept
    (:func:`_optimized_bytecode_ok`, e.g. a read-only site-packages without them).

    >>> spec = lean_kernel_spec()
    >>> spec["argv"][-4:-2], spec["metadata"]
    (['kernel', '-f'], {'debugger': False})
    """
    optimize = ["-OO"] if _optimized_bytecode_ok() else []
    return {
        "argv": [
            sys.executable,
            *optimize,
            *("-m", "explorer.serving", "kernel", "-f", "{connection_file}"),
            *LEAN_KERNEL_ARGS,
        ],
        "display_name": "Python 3 (dashboard)",
        "language": "python",
        "metadata": {"debugger": False},
    }


def use_lean_kernel(env=None) -> str:
    """Make ``python3`` kernels started from here on (by this process and its children) the lean
    kernel of :func:`lean_kernel_spec`: writes the spec into a new directory and puts that first
    on ``JUPYTER_PATH`` in ``env`` (default ``os.environ``). Returns the directory.

    Only the standalone server does this (:func:`main`); the Jupyter Server route keeps the
    ordinary ``python3`` kernel, with its debugger, for notebooks in JupyterLab.
    """
    import atexit
    import shutil

    env = os.environ if env is None else env
    root = tempfile.mkdtemp(prefix="explorer-kernels-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    spec_dir = os.path.join(root, "kernels", "python3")
    os.makedirs(spec_dir)
    with open(os.path.join(spec_dir, "kernel.json"), "w", encoding="utf-8") as f:
        json.dump(lean_kernel_spec(), f, indent=1)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (root, env.get("JUPYTER_PATH")) if p)
    return root


def install() -> None:
    """Every fix of this package for the standalone server."""
    install_frame_guard()
    install_admission()
    install_compressed_static()
    install_template_cache()
    install_xsrf_cookie()
    install_page_script()
    install_pool_keeper()
    install_previews()


def main(argv: list[str] | None = None) -> None:
    """Run standalone Voila as the ``voila`` command does, with pre-heated kernels and the fixes."""
    from traitlets.config import Config
    from voila.app import Voila

    install()
    use_lean_kernel()
    config = Config()
    config.VoilaConfiguration.preheat_kernel = True
    config.VoilaConfiguration.default_pool_size = 1
    Voila.launch_instance(argv=sys.argv[1:] if argv is None else argv, config=config)
