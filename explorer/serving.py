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
  ``voila`` command with the hook installed (and the repository's ``voila.json`` read, as
  plain ``voila`` does from the working directory).
* Jupyter Server route (Binder, JupyterHub): the repository's ``jupyter_server_config.py``
  sets ``c.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie``.

The hook is incompatible with Voila's ``preheat_kernel`` option, which we do not use.
"""

from __future__ import annotations

import sys

__all__ = ["main", "set_xsrf_cookie"]


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


def main(argv: list[str] | None = None) -> None:
    """Run standalone Voila, exactly as the ``voila`` command does, with the hook installed."""
    from traitlets.config import Config
    from voila.app import Voila

    config = Config()
    config.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie
    Voila.launch_instance(argv=sys.argv[1:] if argv is None else argv, config=config)


if __name__ == "__main__":  # pragma: no cover - exercised by tests/browser through a subprocess
    main()
