"""Serving the dashboard: the Voila launcher behind ``make dashboard`` and its one fix.

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
  the server extension, so the documented hook is enough there).
"""

from __future__ import annotations

import sys

__all__ = ["install_pool_keeper", "install_xsrf_cookie", "main", "set_xsrf_cookie"]


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


def install_pool_keeper() -> None:
    """Exempt pre-heated (pooled, not yet used) kernels from Voila's idle-kernel culling.

    Voila 0.5 removes a culled pooled kernel from its pool but never refills the pool, so after
    one ``cull_idle_timeout`` every later page would start a cold kernel. Kernels in use by a
    page are culled as before. Idempotent.
    """
    import voila.app

    factory = voila.app.voila_kernel_manager_factory
    if getattr(factory, "_keeps_pool", False):
        return

    def keeping_factory(*args, **kwargs):
        cls = factory(*args, **kwargs)

        class PoolKeepingKernelManager(cls):
            def _pooled_ids(self) -> set:
                ids = set()
                for pool in getattr(self, "_pools", {}).values():
                    for task in pool:
                        if task.done() and not task.cancelled() and task.exception() is None:
                            ids.add(task.result().get("kernel_id"))
                return ids

            async def cull_kernel_if_idle(self, kernel_id):
                if kernel_id in self._pooled_ids():
                    return None
                return await super().cull_kernel_if_idle(kernel_id)

        PoolKeepingKernelManager.__name__ = cls.__name__
        return PoolKeepingKernelManager

    keeping_factory._keeps_pool = True
    voila.app.voila_kernel_manager_factory = keeping_factory


def main(argv: list[str] | None = None) -> None:
    """Run standalone Voila as the ``voila`` command does, with pre-heated kernels and the fixes."""
    from traitlets.config import Config
    from voila.app import Voila

    install_xsrf_cookie()
    install_pool_keeper()
    config = Config()
    config.VoilaConfiguration.preheat_kernel = True
    config.VoilaConfiguration.default_pool_size = 1
    Voila.launch_instance(argv=sys.argv[1:] if argv is None else argv, config=config)


if __name__ == "__main__":  # pragma: no cover - exercised by tests/browser through a subprocess
    main()
