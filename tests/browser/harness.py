"""Servers and a page model for the browser tests and the browser benchmarks.

Plain module (no pytest): ``tests/browser/conftest.py`` and ``benchmarks/bench_*.py`` load it.
Everything listens on 127.0.0.1 only, on ports the OS hands out.

Both serving routes of DESIGN §7 are started exactly as users start them:

* ``standalone``: ``python -m explorer.serving <notebook> …`` (what ``make dashboard`` runs),
  from the repository root, so that ``voila.json`` there is read;
* ``jupyter``: ``jupyter server --config=jupyter_server_config.py`` with the Voila extension,
  the page at ``/voila/render/<notebook>`` (the Binder / JupyterHub route).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = "notebooks/dashboard.ipynb"
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
VENV_BIN = Path(sys.executable).parent


def notebook_path() -> str:
    """The notebook under test: ``EXPLORER_NOTEBOOK`` or the real dashboard."""
    return os.environ.get("EXPLORER_NOTEBOOK", DASHBOARD)


def free_port() -> int:
    """A free TCP port on the loopback interface.

    >>> 1024 < free_port() < 65536
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _is_kernel(proc: psutil.Process) -> bool:
    try:
        return "ipykernel_launcher" in " ".join(proc.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


@dataclass
class Server:
    """One dashboard server in a subprocess, with its log, its kernels and its memory."""

    route: str  # "standalone" | "jupyter" | "plain-voila" (unpatched, for the control test)
    notebook: str = field(default_factory=notebook_path)
    extra_args: list[str] = field(default_factory=list)
    port: int = 0
    token: str = ""
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    _tmp: tempfile.TemporaryDirectory | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self, timeout: float = 60.0) -> Server:
        self.port = free_port()
        self._tmp = tempfile.TemporaryDirectory(prefix=f"explorer-{self.route}-")
        tmp = Path(self._tmp.name)
        self.log_path = tmp / "server.log"
        env = dict(os.environ)
        # Isolate from any ~/.jupyter of the person running the tests.
        env["JUPYTER_CONFIG_DIR"] = str(tmp / "config")
        env["JUPYTER_RUNTIME_DIR"] = str(tmp / "runtime")
        env.pop("PYTHONWARNINGS", None)
        common = ["--no-browser", f"--port={self.port}"]
        if self.route == "standalone":
            cmd = [
                sys.executable,
                "-m",
                "explorer.serving",
                self.notebook,
                *common,
                "--Voila.ip=127.0.0.1",
                f"--Voila.config_file_paths={ROOT}",
                "--Voila.port_retries=0",
            ]
        elif self.route == "plain-voila":
            cmd = [
                str(VENV_BIN / "voila"),
                self.notebook,
                *common,
                "--Voila.ip=127.0.0.1",
                f"--Voila.config_file_paths={ROOT}",
                "--Voila.port_retries=0",
            ]
        elif self.route == "jupyter":
            self.token = secrets.token_hex(16)
            cmd = [
                str(VENV_BIN / "jupyter"),
                "server",
                f"--config={ROOT / 'jupyter_server_config.py'}",
                *common,
                "--ServerApp.ip=127.0.0.1",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={ROOT}",
                "--ServerApp.port_retries=0",
            ]
            if os.geteuid() == 0:  # containers and CI run as root
                cmd.append("--allow-root")
        else:  # pragma: no cover - programming error
            raise ValueError(f"route={self.route!r}: expected standalone, jupyter or plain-voila")
        cmd += self.extra_args
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = self.log()
                self.stop()
                raise RuntimeError(f"{self.route} server exited:\n{log}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return self
            time.sleep(0.1)
        log = self.log()
        self.stop()
        raise RuntimeError(f"{self.route} server did not listen within {timeout} s:\n{log}")

    def stop(self) -> None:
        """Stop the server and every process it started (kernels included)."""
        if self.proc is not None and self.proc.poll() is None:
            procs = [self.proc_info(), *self.kernels()]
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            _, alive = psutil.wait_procs([p for p in procs if p is not None], timeout=5)
            for p in alive:
                with contextlib.suppress(psutil.NoSuchProcess):
                    p.kill()
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- addresses -----------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, query: str = "") -> str:
        """The page address; ``query`` without its leading ``?``."""
        path = "/" if self.route != "jupyter" else f"/voila/render/{self.notebook}"
        return self.base + path + (f"?{query}" if query else "")

    def login(self, context) -> None:
        """Jupyter route: authenticate a browser context once (the token sets a login cookie).

        Afterwards its pages use the cookie, as a Binder user's tab does, so that requests such
        as the tab-close beacon are cookie-authenticated and must pass the XSRF check.
        """
        if self.route == "jupyter":
            page = context.new_page()
            page.goto(f"{self.base}/api/status?token={self.token}")
            page.close()

    # -- processes -----------------------------------------------------------------------------
    def proc_info(self) -> psutil.Process | None:
        try:
            return psutil.Process(self.proc.pid) if self.proc else None
        except psutil.NoSuchProcess:
            return None

    def kernels(self) -> list[psutil.Process]:
        root = self.proc_info()
        if root is None:
            return []
        try:
            return [p for p in root.children(recursive=True) if _is_kernel(p)]
        except psutil.NoSuchProcess:
            return []

    def kernel(self, kernel_id: str) -> psutil.Process | None:
        """The kernel process with this id (its connection file ``kernel-<id>.json``), if alive."""
        for k in self.kernels():
            try:
                if kernel_id in " ".join(k.cmdline()):
                    return k
            except psutil.NoSuchProcess:
                continue
        return None

    def wait_kernel_gone(self, kernel_id: str, timeout: float = 20.0) -> bool:
        """Poll until the kernel with this id has exited; True if it did within ``timeout``."""
        deadline = time.monotonic() + timeout
        while self.kernel(kernel_id) is not None:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def wait_kernels(self, predicate, timeout: float = 15.0) -> list[psutil.Process]:
        """Poll the kernel list until ``predicate(kernels)`` holds; return the last list."""
        deadline = time.monotonic() + timeout
        ks = self.kernels()
        while not predicate(ks) and time.monotonic() < deadline:
            time.sleep(0.1)
            ks = self.kernels()
        return ks

    def rss(self) -> tuple[int, list[int]]:
        """Resident memory in bytes: (server process, [each kernel])."""
        root = self.proc_info()
        server = root.memory_info().rss if root else 0
        ks = []
        for k in self.kernels():
            with contextlib.suppress(psutil.NoSuchProcess):
                ks.append(k.memory_info().rss)
        return server, ks

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace") if self.log_path else ""
        except OSError:
            return ""

    def get(self, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 10)
        kw.setdefault("allow_redirects", False)
        return requests.get(self.base + path, **kw)


# ---------------------------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------------------------

# JavaScript run in the page. The observer stamps performance.now() when any plot's src changes
# and its new bitmap has been decoded and a frame has been produced: "new pixels".
_INSTALL_OBSERVER = """
() => {
  if (window.__explorer) return;
  const st = window.__explorer = {keyAt: null, pixelsAt: [], changedAt: 0};
  document.addEventListener('keydown', () => { st.keyAt = performance.now(); }, true);
  const obs = new MutationObserver(muts => {
    for (const m of muts) {
      const img = m.target;
      if (img.tagName !== 'IMG') continue;
      st.changedAt = performance.now();
      img.decode().catch(() => {}).then(() => requestAnimationFrame(() =>
        st.pixelsAt.push(performance.now())));
    }
  });
  obs.observe(document.body, {attributes: true, attributeFilter: ['src'], subtree: true});
}
"""

_HASH_IMAGES = """
async (sel) => {
  const out = [];
  for (const img of document.querySelectorAll(sel)) {
    if (!img.src) { out.push(''); continue; }
    const buf = await (await fetch(img.src)).arrayBuffer();
    const h = await crypto.subtle.digest('SHA-256', buf);
    out.push(Array.from(new Uint8Array(h)).map(b => b.toString(16).padStart(2, '0')).join(''));
  }
  return out;
}
"""

_PAGE_TEXT = """() => Array.from(document.querySelectorAll('.widget-html, .widget-text input'))
  .map(e => e.tagName === 'INPUT' ? e.value : e.innerText).join('\\n')"""

PLOT = "img.widget-image"
SLIDER = ".widget-slider"
# DOM hooks the dashboard sets with widget.add_class (explorer/app): the page, each channel panel
# (its image and its readout table), and the notice / error boxes.
PAGE = ".nac-dashboard"
PANEL = ".nac-panel"
READOUT = ".nac-panel .widget-html"
ERROR = ".nac-error"


class Dashboard:
    """What a person sees and does, found through ipywidgets' own DOM classes and our hooks.

    Plots are ``img.widget-image`` (ipywidgets' Image view), one per ``.nac-panel``; sliders are
    ``.widget-slider`` with a ``.widget-label`` and a keyboard-focusable ``.noUi-handle``; the
    target is the ``.widget-dropdown`` labelled "Element"; each panel's readout (crossover
    first) is a ``.widget-html`` inside ``.nac-panel``; downloads are ``a[download]`` links that
    the "Prepare downloads" button fills in.
    """

    def __init__(self, page):
        self.page = page

    def wait_ready(self, n_plots: int = 2, timeout: float = 60.0) -> None:
        self.page.wait_for_function(
            "([sel, n]) => Array.from(document.querySelectorAll(sel))"
            ".filter(i => i.src && i.complete && i.naturalWidth > 0).length >= n",
            arg=[PLOT, n_plots],
            timeout=timeout * 1000,
        )
        self.page.evaluate(_INSTALL_OBSERVER)

    def kernel_id(self) -> str:
        """The id of the page's kernel, from Voila's page configuration."""
        return self.page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
        )

    def image_hashes(self) -> list[str]:
        return self.page.evaluate(_HASH_IMAGES, PLOT)

    def image_srcs(self) -> list[str]:
        return self.page.eval_on_selector_all(PLOT, "els => els.map(e => e.src)")

    def wait_images_change(self, old_srcs: list[str], timeout: float = 15.0) -> None:
        self.page.wait_for_function(
            "([sel, old]) => { const s = Array.from(document.querySelectorAll(sel)).map(e => e.src);"
            " return s.length && s.some((v, i) => v && v !== old[i]); }",
            arg=[PLOT, old_srcs],
            timeout=timeout * 1000,
        )

    def settle(self, quiet_ms: int = 400, timeout: float = 15.0) -> None:
        """Wait until no plot has changed for ``quiet_ms`` (the kernel finished redrawing)."""
        self.page.wait_for_function(
            "([q]) => { const st = window.__explorer; const t = Math.max(st.changedAt, st.pixelsAt.length"
            " ? st.pixelsAt[st.pixelsAt.length - 1] : 0); return performance.now() - t > q; }",
            arg=[quiet_ms],
            timeout=timeout * 1000,
            polling=100,
        )

    def screenshot(self, path, max_height: int = 8000) -> None:
        """The whole page, also what lies below the fold.

        Voila scrolls an inner element, not the document, so Playwright's ``full_page`` stops at
        the viewport: stretch the viewport to the tallest scrolling content first.
        """
        vp = self.page.viewport_size
        tall = self.page.evaluate(
            "() => Math.max(...Array.from(document.querySelectorAll('*')).map(e => e.scrollHeight))"
        )
        self.page.set_viewport_size(
            {"width": vp["width"], "height": min(max_height, max(vp["height"], tall))}
        )
        self.page.wait_for_timeout(300)
        self.page.screenshot(path=path, full_page=True)
        self.page.set_viewport_size(vp)

    def sliders(self) -> list:
        loc = self.page.locator(SLIDER)
        return [loc.nth(i) for i in range(loc.count()) if loc.nth(i).is_visible()]

    @staticmethod
    def label(widget) -> str:
        lab = widget.locator(".widget-label")
        return lab.first.inner_text().strip() if lab.count() else ""

    def slider(self, *names: str):
        """The first visible slider whose label contains one of ``names`` (case-insensitive)."""
        for s in self.sliders():
            lab = self.label(s).lower()
            if any(n.lower() in lab for n in names):
                return s
        raise LookupError(
            f"no slider labelled like {names}; have {[self.label(s) for s in self.sliders()]}"
        )

    def _labelled(self, selector: str, names):
        loc = self.page.locator(selector)
        for i in range(loc.count()):
            d = loc.nth(i)
            lab = self.label(d).lower()
            if d.is_visible() and any(n.lower() in lab for n in names):
                return d
        raise LookupError(f"no {selector} labelled like {names}")

    def dropdown(self, *names: str):
        return self._labelled(".widget-dropdown", names)

    def toggle(self, *names: str):
        return self._labelled(".widget-toggle-buttons", names)

    def readout(self) -> str:
        """Text of the panels' readouts (the crossover, its estimate, T_max, …)."""
        loc = self.page.locator(READOUT)
        if loc.count():
            return "\n".join(loc.nth(i).inner_text() for i in range(loc.count()))
        return self.page.evaluate(
            "() => Array.from(document.querySelectorAll('.widget-html'))"
            ".map(e => e.innerText).filter(t => /crossover/i.test(t)).join('\\n')"
        )

    def crossovers(self) -> list[str]:
        """Each panel's crossover line, e.g. ``'Crossover |EM| = SM (exact)\t20.6 keV'``."""
        return [ln for ln in self.readout().splitlines() if "crossover" in ln.lower()]

    def text(self) -> str:
        """What the kernel last wrote on the page: every HTML widget's text and every text box.

        A slider's own readout is left out (the browser changes it before the kernel answers).
        """
        return self.page.evaluate(_PAGE_TEXT)

    def wait_text_change(self, old: str, timeout: float = 15.0) -> None:
        self.page.wait_for_function(
            f"([old]) => ({_PAGE_TEXT})() !== old", arg=[old], timeout=timeout * 1000
        )

    def error(self) -> str:
        """Text of a visible error box of the dashboard ('' when there is none)."""
        loc = self.page.locator(ERROR)
        return "\n".join(
            loc.nth(i).inner_text() for i in range(loc.count()) if loc.nth(i).is_visible()
        )

    def slider_value(self, slider) -> float:
        """The value the slider shows in its readout (its handle's aria value is rounded)."""
        return number(slider.locator(".widget-readout").inner_text())

    def press(self, slider, key: str = "ArrowRight") -> None:
        handle = slider.locator(".noUi-handle").first
        handle.focus()
        handle.press(key)

    def nudge(self, slider) -> str:
        """Move a slider one keyboard step, away from the end it sits at; return the key used."""
        h = slider.locator(".noUi-handle").first
        now, top = float(h.get_attribute("aria-valuenow")), float(h.get_attribute("aria-valuemax"))
        key = "ArrowLeft" if now >= top else "ArrowRight"
        self.press(slider, key)
        return key

    def key_to_pixels_ms(self, slider, timeout: float = 15.0) -> float:
        """Press a key on ``slider`` and return ms from the keydown to the first new plot pixels."""
        self.page.evaluate(
            "() => { window.__explorer.pixelsAt = []; window.__explorer.keyAt = null; }"
        )
        self.nudge(slider)
        self.page.wait_for_function(
            "() => window.__explorer.pixelsAt.length > 0", timeout=timeout * 1000, polling="raf"
        )
        return self.page.evaluate("() => window.__explorer.pixelsAt[0] - window.__explorer.keyAt")


_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺−", "0123456789-+-")


def number(text: str) -> float:
    """A number as a readout shows it: ``5.01e-11``, ``5×10⁻¹¹``, ``−3·10⁻¹⁴``, ``12.3``.

    >>> [round(number(t) / v, 12) for t, v in
    ...  [("5.01e-11", 5.01e-11), ("5×10⁻¹¹", 5e-11), ("−3·10⁻¹⁴", -3e-14), ("12.3 keV", 12.3)]]
    [1.0, 1.0, 1.0, 1.0]
    """
    t = text.translate(_SUPERSCRIPT).replace(" ", "")
    m = re.search(r"(-?\d+(?:\.\d*)?)(?:[×x·*]10(-?\d+)|[eE]([-+]?\d+))?", t)
    if not m:
        raise ValueError(f"no number in {text!r}")
    exp = m.group(2) or m.group(3)
    return float(m.group(1)) * (10.0 ** int(exp) if exp else 1.0)


def sha256(data: bytes) -> str:
    """Hex digest, for comparing downloads and images.

    >>> sha256(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def launch_browser(playwright):
    """Debian's Chromium through Playwright; never a browser download of Playwright's own."""
    if not os.access(CHROMIUM, os.X_OK):
        raise FileNotFoundError(
            f"{CHROMIUM} not found: `apt-get install -y chromium` (make test does this)"
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


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
