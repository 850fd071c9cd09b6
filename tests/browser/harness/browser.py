"""Debian's Chromium through Playwright (never a browser that Playwright downloads), and the
console-error filter."""

from __future__ import annotations

import collections
import os
import time

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Flags for a root user in a closed network (see .library/env machines notes): no sandbox, no GPU,
# and none of Chromium's own background connections.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def launch_browser(playwright):
    """Debian's Chromium through Playwright; never a browser download of Playwright's own."""
    if not os.access(CHROMIUM, os.X_OK):
        raise FileNotFoundError(
            f"{CHROMIUM} not found: `apt-get install -y chromium` (make test does this)"
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# Voila 0.5.13's chunks of MathJax 3 (mathjax-full), loaded by @jupyterlab/mathjax-extension the
# first time a widget's label is typeset (its ensureMathDocument, chunk 3307); read from the
# bundle's chunk map (benchmarks/bench_page.py lists where a tab's script time goes by them).
MATHJAX_CHUNKS = {225, 614, 2121, 2296, 2772, 2829, 3307, 4371, 4486, 4875, 5992, 6074, 6305, 7245,
                  7259, 7393, 1996}  # fmt: skip


def is_mathjax(url: str) -> bool:
    """Whether ``url`` is one of Voila's MathJax 3 chunks.

    >>> is_mathjax("http://127.0.0.1:1/voila/static/3307.1a2b.voila.js?v=1"), is_mathjax("x/9.voila.js")
    (True, False)
    >>> is_mathjax("http://127.0.0.1:1/voila/static/voila.js")
    False
    """
    name = url.split("?")[0].rsplit("/", 1)[-1]
    stem = name.split(".")[0]
    return name.endswith(".voila.js") and stem.isdigit() and int(stem) in MATHJAX_CHUNKS


def is_ours(message_url: str, text: str) -> bool:
    """Whether a console error belongs to our page and not to an unreachable outside host.

    Voila's template links Font Awesome from a CDN; with no network that load fails, and that
    failure is not ours. Anything from 127.0.0.1 is.

    >>> is_ours("https://cdn.jsdelivr.net/npm/x.css", "Failed to load resource: net::ERR_NAME_NOT_RESOLVED")
    False
    >>> is_ours("http://127.0.0.1:8866/", "Uncaught TypeError: x is undefined")
    True
    """
    if "ERR_NAME_NOT_RESOLVED" in text or "ERR_INTERNET_DISCONNECTED" in text:
        return message_url.startswith("http://127.0.0.1")
    return True


class Console:
    """Console errors and uncaught exceptions of a page, with what is not ours filtered out;
    ``lines`` keeps the last 200 messages of any kind, timed, for a failing test to print."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.lines: collections.deque[str] = collections.deque(maxlen=200)
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _on_console(self, msg):
        self.lines.append(f"{time.strftime('%H:%M:%S')} {msg.type}: {msg.text[:300]}")
        if msg.type == "error":
            url = (msg.location or {}).get("url", "")
            if is_ours(url, msg.text):
                self.errors.append(f"{msg.text} @ {url}")
