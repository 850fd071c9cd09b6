"""Who gets a kernel: a memory budget for the server's kernels, and none for visitors that
will never open a websocket.

* **A full server says so.** Every dashboard page holds one kernel (≈ 95 MB resident, measured:
  README, "Performance"). Past :attr:`Admission.max_kernels` kernels (default: what
  :attr:`Admission.memory_fraction` of the memory holds — the machine's, or a hub user's or a
  container's limit, :func:`memory_bytes` — at
  :attr:`Admission.kernel_mb` each, never fewer than the pool plus one) a new page request gets
  HTTP 503 with ``Retry-After`` and a short page ("the server is full, try again in a minute")
  instead of a kernel, and the pool is not refilled beyond the budget: the machine never swaps,
  and the pages already open keep their speed. A page that finds a warm pre-heated kernel is
  always served (it adds no kernel).
* **Bots and probes take no kernel.** ``HEAD`` requests, chat apps' link-preview fetchers
  (Slack, Discord, WhatsApp, Telegram, Teams, Facebook, X, LinkedIn …), search crawlers and
  jupyter-server-proxy's readiness probe (aiohttp, a GET of "/") get a static page: the view's
  title and, on the standalone server, its preview pictures (also as ``og:image``, so a link
  pasted in a chat shows the plot). A real browser is never mistaken for one of these
  (:func:`is_bot`); a hostile client that pretends to be a bot only gets a static page.

Settings are traitlets options of :class:`Admission`, settable in ``voila.json`` (section
``"Admission"``) or on the command line (``--Admission.max_kernels=40``).
"""

from __future__ import annotations

import html
import os
import re

from traitlets import Float, Int, List, Unicode
from traitlets.config import LoggingConfigurable

__all__ = [
    "Admission",
    "has_room",
    "install_admission",
    "is_bot",
    "memory_bytes",
    "pool_size",
    "static_page",
]

#: User agents that fetch a page but never run it (case-insensitive substrings).
BOT_AGENTS = (
    "bot", "crawler", "spider", "slurp", "facebookexternalhit", "whatsapp", "slack",
    "discord", "telegram", "skypeuripreview", "teams", "linkedin", "embedly", "preview",
    "aiohttp", "curl/", "wget/",
)  # fmt: skip


class Admission(LoggingConfigurable):
    """The server's kernel budget and its bot filter (one per server process)."""

    max_kernels = Int(
        0,
        config=True,
        help="Kernels the server may hold at once, pre-heated ones included; past it a new "
        "page gets HTTP 503. 0: memory_fraction of the machine's memory / kernel_mb.",
    )
    kernel_mb = Float(
        110.0, config=True, help="Resident memory of one dashboard kernel, MB (≈ 95 measured)."
    )
    memory_fraction = Float(
        0.75, config=True, help="Share of the machine's memory the kernels may use."
    )
    retry_after = Int(60, config=True, help="Seconds a refused visitor is asked to wait.")
    bot_agents = List(
        Unicode(),
        list(BOT_AGENTS),
        config=True,
        help="User-agent substrings (case-insensitive) served a static page without a kernel.",
    )

    def budget(self, pool: int = 0) -> int:
        """The kernel budget: ``max_kernels`` or the memory rule, at least ``pool + 1``.

        >>> Admission(max_kernels=3).budget(pool=5), Admission().budget() > 10
        (6, True)
        """
        if self.max_kernels > 0:
            limit = self.max_kernels
        else:
            limit = int(self.memory_fraction * memory_bytes() / (self.kernel_mb * 1e6))
        return max(limit, pool + 1)

    def is_bot(self, user_agent: str) -> bool:
        return is_bot(user_agent, self.bot_agents)


#: Where a container or a systemd unit states its memory limit (cgroup v2, then v1).
CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def memory_bytes(env=None, cgroup_files=CGROUP_LIMITS) -> int:
    """The memory this server's kernels live in: the machine's, or less where a limit is set —
    JupyterHub's ``MEM_LIMIT`` (bytes; every spawner sets it for a user with a limit) or the
    cgroup's limit (a Kubernetes pod, a TLJH systemd unit). On a hub every student's own
    dashboard server counts against that student's limit, not the machine's.

    >>> memory_bytes({"MEM_LIMIT": "1073741824"}) == min(1 << 30, memory_bytes({}))
    True
    """
    env = os.environ if env is None else env
    limits = [os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")]
    if env.get("MEM_LIMIT", "").isdigit() and int(env["MEM_LIMIT"]) > 0:
        limits.append(int(env["MEM_LIMIT"]))
    for path in cgroup_files:
        try:
            with open(path, encoding="ascii") as f:
                text = f.read().strip()
        except OSError:
            continue
        if text.isdigit():  # "max": no limit
            limits.append(int(text))
    return min(limits)


def is_bot(user_agent: str, patterns=BOT_AGENTS) -> bool:
    """Whether a user agent fetches pages without running them (chat previews, crawlers, probes).

    >>> is_bot("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")
    True
    >>> is_bot("Python/3.11 aiohttp/3.9.5"), is_bot("")
    (True, True)
    >>> is_bot("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    ...        "Chrome/131.0.0.0 Safari/537.36")
    False
    >>> is_bot("python-requests/2.32.3")  # the class benchmark's headless students
    False
    """
    agent = user_agent.lower()
    return not agent.strip() or any(p.lower() in agent for p in patterns)


def static_page(title: str, body: str, image: str = "", status_note: str = "") -> str:
    """A page without scripts: the title, an ``og:image`` if given, ``body`` (trusted HTML).

    >>> page = static_page("A <view>", "<p>x</p>", image="/p.png?a=1&b=2")
    >>> "<title>A &lt;view&gt;</title>" in page, 'content="/p.png?a=1&amp;b=2"' in page
    (True, True)
    """
    t = html.escape(title)
    og = f'<meta property="og:image" content="{html.escape(image, quote=True)}">' if image else ""
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{t}</title>'
        f'<meta property="og:title" content="{t}">{og}'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
        f"<body><h1>{t}</h1>{status_note}{body}</body></html>"
    )


TITLE = "Neutrino–atom collisions explorer"
_PNG = re.compile(r'src="([^"]+\.png[^"]*)"')


async def _bot_page(handler) -> None:
    from explorer.serving.previews import PREVIEWS_SETTING

    previews = handler.settings.get(PREVIEWS_SETTING)
    block = ""
    if previews is not None:
        block = await previews.page_html(handler.base_url, handler.request.query)
    m = _PNG.search(block)
    image = html.unescape(m.group(1)) if m else ""
    note = "<p>Open this link in a web browser to use the interactive dashboard.</p>"
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    handler.set_header("Cache-Control", "public, max-age=300")
    if handler.request.method != "HEAD":
        handler.write(static_page(TITLE, block, image, note))
    handler.finish()


def _full_page(handler, admission: Admission) -> None:
    handler.set_status(503)
    handler.set_header("Retry-After", str(admission.retry_after))
    handler.set_header("Content-Type", "text/html; charset=utf-8")
    note = (
        f"<p><b>The server is full</b>: every place for a dashboard is taken. Please try "
        f"again in a minute (this page reloads itself in {admission.retry_after} s).</p>"
        f'<meta http-equiv="refresh" content="{admission.retry_after}">'
    )
    handler.finish(static_page(TITLE, "", status_note=note))


def _admission(handler) -> Admission:
    admission = handler.settings.get("explorer_admission")
    if admission is None:
        config = getattr(handler, "traitlet_config", None)
        admission = handler.settings["explorer_admission"] = Admission(config=config)
    return admission


def has_room(kernel_manager, admission: Admission) -> bool:
    """Whether a new page may have a kernel: a warm pooled one is free, or the kernels are
    fewer than the budget."""
    from explorer.serving.voila_internals import pooled_kernel_ids

    if pooled_kernel_ids(kernel_manager):
        return True
    return len(kernel_manager.list_kernel_ids()) < admission.budget(pool_size(kernel_manager))


def pool_size(kernel_manager) -> int:
    """The configured size of a pre-heating kernel manager's pool (0 without pre-heating)."""
    pools = getattr(kernel_manager, "kernel_pools_config", None) or {}
    return int(pools.get("default", {}).get("pool_size", 0)) if pools else 0


def install_admission() -> None:
    """Wrap Voila's page handler (both routes): bots get a static page, a full server 503.
    Idempotent."""
    import tornado.web

    from explorer.serving.voila_internals import wrap

    def wrap_get(original):
        @tornado.web.authenticated
        async def get(self, path=None):
            admission = _admission(self)
            if admission.is_bot(self.request.headers.get("User-Agent", "")):
                return await _bot_page(self)
            if not has_room(self.kernel_manager, admission):
                self.log.warning("Server full (%d kernels): page refused", len(self.kernel_manager))
                return _full_page(self, admission)
            return await original(self, path)

        return get

    @tornado.web.authenticated
    async def head(self, path=None):
        return await _bot_page(self)

    if wrap("TornadoVoilaHandler", "get", wrap_get):
        wrap("TornadoVoilaHandler", "head", lambda _original: head)
