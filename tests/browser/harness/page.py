"""The page model: what a person sees and does on the dashboard, found through ipywidgets' own DOM
classes and the DOM contract of :mod:`explorer.app.declare.dom`."""

from __future__ import annotations

import hashlib
import re

from explorer.app.declare import dom

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
    if (img.offsetParent === null) continue;  // a hidden panel (e.g. rates while not shown)
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
# DOM hooks the dashboard sets with widget.add_class (the contract in explorer/app/declare/dom.py): the
# page, each channel panel (its image and its readout table), the notice / error boxes, the link
# to the current view; and the serving layer's session banner.
PAGE = "." + dom.DASHBOARD
PANEL = "." + dom.PANEL
READOUT = f".{dom.PANEL} .widget-html"
ERROR = "." + dom.ERROR
VIEW_LINK = "a." + dom.VIEW_LINK
BANNER = "." + dom.SESSION_BANNER
RELOAD = "." + dom.SESSION_RELOAD


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
        return self.page.eval_on_selector_all(
            PLOT, "els => els.filter(e => e.offsetParent !== null).map(e => e.src)"
        )

    def wait_images_change(self, old_srcs: list[str], timeout: float = 15.0) -> None:
        self.page.wait_for_function(
            "([sel, old]) => { const s = Array.from(document.querySelectorAll(sel))"
            ".filter(e => e.offsetParent !== null).map(e => e.src);"
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
        """The value the slider shows: in its label for a log slider ("Eν = 1.5 MeV", the
        state's value), else in its readout (its handle's aria value is rounded)."""
        label = self.label(slider)
        if "=" in label:
            return number(label.split("=", 1)[1])
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


# The serving layer's session watcher (explorer/page/session.js): its state and its banner.
_SESSION = """() => { const s = window.__nacSession; if (!s) return null;
  return {state: s.state, events: s.events.map(e => e[1]), reconnects: s.reconnects, unstuck: s.unstuck,
          endedBecause: s.endedBecause || null, readyAt: s.readyAt || null}; }"""

# ipywidgets marks a widget whose kernel connection is gone with this class and draws a
# broken-link icon in its ::before; count the icons that are actually drawn.
_BROKEN_ICONS = """() => Array.from(document.querySelectorAll('.jupyter-widgets-disconnected'))
  .filter(e => { const c = getComputedStyle(e, '::before');
                 return c.content !== 'none' && c.content !== 'normal' && c.display !== 'none'; })
  .length"""


def session(page) -> dict | None:
    """The page's session watcher: ``{'state': 'live'|'lost'|'ended'|…, 'events': [...], …}``."""
    return page.evaluate(_SESSION)


def wait_session(page, state: str, timeout: float = 15.0) -> None:
    """Wait until the session watcher is in ``state``; on a timeout, say where it is instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "([st]) => window.__nacSession && window.__nacSession.state === st",
            arg=[state],
            timeout=timeout * 1000,
            polling=100,
        )
    except PlaywrightTimeout:
        doc = page.evaluate(
            "() => [location.href, document.readyState, document.documentElement.outerHTML.length,"
            " document.title]"
        )
        raise AssertionError(
            f"the session is not {state!r} after {timeout} s: {session(page)}; the page "
            f"(address, readyState, HTML length, title): {doc}"
        ) from None


def broken_icons(page) -> int:
    """How many ipywidgets broken-link icons the page draws."""
    return page.evaluate(_BROKEN_ICONS)


def view_link(page) -> str:
    """The absolute address of the dashboard's "link to this view"."""
    return page.evaluate(
        "([sel]) => new URL(document.querySelector(sel).getAttribute('href'), location.href).href",
        [VIEW_LINK],
    )


def open_dashboard(browser, server, query: str, viewport=None, n_plots: int = 2, scale: float = 1):
    """A new logged-in browser context on ``server``'s page for ``query``, its plots drawn and
    settled: ``(context, Dashboard, Console)``; the caller closes the context."""
    from .browser import DESKTOP, Console

    ctx = browser.new_context(viewport=viewport or DESKTOP, device_scale_factor=scale)
    server.login(ctx)
    page = ctx.new_page()
    console = Console(page)
    page.goto(server.url(query), wait_until="commit", timeout=120_000)
    dash = Dashboard(page)
    dash.wait_ready(n_plots, timeout=120)
    dash.settle()
    return ctx, dash, console
