"""Browser test harness: servers for each serving route, Debian's Chromium, the page model.

A plain package (no pytest): ``tests/browser`` is on pytest's ``pythonpath`` (pyproject.toml) and
the browser benchmarks put it on ``sys.path``, so both ``import harness``.
"""

from .browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    Console,
    is_mathjax,
    is_ours,
    launch_browser,
)
from .page import (
    BANNER,
    ERROR,
    PAGE,
    PANEL,
    PLOT,
    READOUT,
    RELOAD,
    SLIDER,
    VIEW_LINK,
    Dashboard,
    broken_icons,
    number,
    session,
    sha256,
    view_link,
    wait_session,
)
from .servers import (
    DASHBOARD,
    ROOT,
    ROUTES,
    Route,
    Server,
    free_port,
    notebook_path,
    shared_server,
)

__all__ = [
    "BANNER",
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "DASHBOARD",
    "DESKTOP",
    "ERROR",
    "PAGE",
    "PANEL",
    "PHONE",
    "PLOT",
    "READOUT",
    "RELOAD",
    "ROOT",
    "ROUTES",
    "SLIDER",
    "VIEW_LINK",
    "Console",
    "Dashboard",
    "Route",
    "Server",
    "broken_icons",
    "free_port",
    "is_mathjax",
    "is_ours",
    "launch_browser",
    "notebook_path",
    "number",
    "session",
    "sha256",
    "shared_server",
    "view_link",
    "wait_session",
]
