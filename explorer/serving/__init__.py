"""Serving the dashboard: the Voila launcher behind ``make dashboard`` and its fixes.

What it adds to Voila 0.5, one module each (and docs/deploy.md, docs/security.md):

* kernel websocket frames checked before anything parses them, the legacy protocol refused,
  rates bounded (:mod:`explorer.serving.frames`, docs/security.md);
* static files sent gzip-compressed, compressed once (:mod:`explorer.serving.static`), the page
  and the kernel websocket compressed (:mod:`explorer.serving.wire`), and the page templates
  compiled once (:mod:`explorer.serving.templates`);
* a kernel budget (HTTP 503 past it) and a static page without a kernel for bots, probes and
  ``HEAD`` (:mod:`explorer.serving.admission`);
* the tab-close kernel shutdown that Voila's missing ``_xsrf`` cookie breaks (below;
  :mod:`explorer.serving.pages`);
* a pool of pre-heated kernels (``POOL=N``) that stays sound: never culled, never handing out a
  dead kernel, refilled a few kernels at a time at low CPU priority (:mod:`explorer.serving.pool`);
* a page script on every route (:mod:`explorer.serving.pages`): one banner when the session ends
  (kernel dead, connection lost) with a Reload to the current view, the start-up progress, and
  no requests to CDNs;
* previews (:mod:`explorer.serving.previews`, standalone server): the page's own first plots, drawn by
  this process for the page's query string and shown in place at once, until its kernel draws
  the live ones (a cold kernel, a class opening the link together);
* the memory a class leaves behind given back to the system (:mod:`explorer.serving.memory`);
* lighter kernels (:mod:`explorer.serving.kernel`): the standalone server's ``python3`` kernel is
  ipykernel without its debugger (debugpy costs every kernel 28 MB and 0.5 s at start, and a
  dashboard page never debugs) and without IPython's history database.

Why this package exists
-----------------------
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

import sys

from explorer.serving.admission import install_admission
from explorer.serving.frames import install_frame_guard
from explorer.serving.kernel import (
    LEAN_KERNEL_ARGS,
    kernel_main,
    lean_kernel_spec,
    use_lean_kernel,
)
from explorer.serving.pages import (
    PAGE_SCRIPTS,
    SESSION_CONFIG,
    install_page_script,
    install_xsrf_cookie,
    page_head,
    rewrite_page,
    set_xsrf_cookie,
    start_timeout,
)
from explorer.serving.pool import PoolKeeper, install_pool_keeper
from explorer.serving.previews import (
    PREVIEW_PATH,
    PREVIEWS_SETTING,
    Previews,
    install_previews,
    preview_html,
)
from explorer.serving.static import install_compressed_static
from explorer.serving.templates import install_template_cache
from explorer.serving.wire import wire_settings

#: The pool keeper's defaults (its settings are options of :class:`PoolKeeper`).
POOL_NICENESS = PoolKeeper.class_traits()["niceness"].default_value
POOL_REFILL_AT_ONCE = PoolKeeper.class_traits()["refill_at_once"].default_value
POOL_REFILL_QUIET = PoolKeeper.class_traits()["refill_quiet"].default_value

__all__ = [
    "LEAN_KERNEL_ARGS",
    "PAGE_SCRIPTS",
    "POOL_NICENESS",
    "POOL_REFILL_AT_ONCE",
    "POOL_REFILL_QUIET",
    "PREVIEWS_SETTING",
    "PREVIEW_PATH",
    "SESSION_CONFIG",
    "PoolKeeper",
    "Previews",
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
    "lean_kernel_spec",
    "main",
    "page_head",
    "preview_html",
    "rewrite_page",
    "set_xsrf_cookie",
    "start_timeout",
    "use_lean_kernel",
    "wire_settings",
]


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
    from explorer.serving import memory

    memory.limit_arenas()  # first: before any thread allocates (explorer/serving/memory.py)
    from traitlets.config import Config

    from explorer.serving.voila_internals import voila_class

    class CompressedVoila(voila_class("Voila")):
        """Voila whose application compresses the page and the kernel websocket (its
        ``tornado_settings`` come too late for ``compress_response``: Tornado reads that one
        when the application is built)."""

        def init_settings(self) -> dict:
            return {**super().init_settings(), **wire_settings()}

    install()
    use_lean_kernel()
    memory.start_giving_back()
    config = Config()
    config.VoilaConfiguration.preheat_kernel = True
    config.VoilaConfiguration.default_pool_size = 1
    CompressedVoila.launch_instance(argv=sys.argv[1:] if argv is None else argv, config=config)
