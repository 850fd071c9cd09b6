"""Fixtures for the end-to-end tests: servers for both routes and Debian's Chromium.

Plain Playwright sync API (no pytest-playwright plugin): the browser is Debian's
``/usr/bin/chromium``, never a browser that Playwright downloads. A missing browser FAILS the
run; ``make test`` installs it with apt first.
"""

from __future__ import annotations

import harness  # tests/browser is on pytest's pythonpath (pyproject.toml)
import pytest

ROUTES = ["standalone", "jupyter"]
SCREENSHOTS = harness.ROOT / "screenshots"


@pytest.fixture(scope="session")
def notebook():
    path = harness.ROOT / harness.notebook_path()
    if not path.exists():
        pytest.fail(f"{path} does not exist (set EXPLORER_NOTEBOOK to test another notebook)")
    return harness.notebook_path()


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    try:
        b = harness.launch_browser(playwright_instance)
    except FileNotFoundError as e:  # a missing browser is a failure, never a skip
        pytest.fail(str(e))
    yield b
    b.close()


_servers: dict[str, harness.Server] = {}


@pytest.fixture(scope="session")
def servers(notebook):
    """Lazily started, shared servers, one per route; stopped at the end of the session."""
    yield _servers
    for s in _servers.values():
        s.stop()
    _servers.clear()


@pytest.fixture(scope="module", params=ROUTES)
def server(request, servers, notebook) -> harness.Server:
    return harness.shared_server(servers, request.param, notebook)


@pytest.fixture
def standalone(servers, notebook) -> harness.Server:
    return harness.shared_server(servers, "standalone", notebook)


def close_tabs(ctx) -> None:
    """Close every tab as a person does (unload handlers run: the kernels shut down)."""
    for page in list(ctx.pages):
        page.close(run_before_unload=True)
    ctx.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=harness.DESKTOP, accept_downloads=True)
    yield ctx
    close_tabs(ctx)


@pytest.fixture(scope="module")
def shared(browser, server):
    """One tab per route and module, for tests whose checks are relative (before → after)."""
    ctx = browser.new_context(viewport=harness.DESKTOP, accept_downloads=True)
    server.login(ctx)
    page = ctx.new_page()
    console = harness.Console(page)
    # the session's first page may wait for the server's first pre-heated kernel to warm up
    page.goto(server.url(), wait_until="commit", timeout=120_000)
    dash = harness.Dashboard(page)
    dash.wait_ready(timeout=120)
    dash.settle()
    yield dash, console
    close_tabs(ctx)


@pytest.fixture
def open_dashboard(context, server):
    """Open the dashboard (optionally with a query string); returns (Dashboard, Console)."""
    server.login(context)

    def _open(query: str = "", viewport=None, n_plots: int = 2):
        page = context.new_page()
        if viewport:
            page.set_viewport_size(viewport)
        console = harness.Console(page)
        page.goto(server.url(query), wait_until="commit", timeout=120_000)
        dash = harness.Dashboard(page)
        dash.wait_ready(n_plots, timeout=120)
        dash.settle()
        return dash, console

    return _open


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
