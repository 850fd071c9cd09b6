"""Shared bits of the browser benchmarks: timing hooks, memory in MB, percentiles.

Importing this module puts ``tests/browser`` on ``sys.path``, as pytest's ``pythonpath`` does for
the tests, and re-exports ``harness``: the benchmarks use ``from _browser import harness`` (servers, Debian Chromium, the page model).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

_TESTS_BROWSER = str(Path(__file__).resolve().parents[1] / "tests" / "browser")
if _TESTS_BROWSER not in sys.path:
    sys.path.insert(0, _TESTS_BROWSER)

import harness  # noqa: E402 - needs the path above

__all__ = [
    "FIRST_PLOT_INIT",
    "PREVIEW_INIT",
    "cpu_ledger",
    "cpu_spent",
    "harness",
    "mb",
    "median",
    "percentile",
    "pss",
]


# Stamps, relative to the navigation start (performance.now() = 0 when the page is requested),
# the moments the first and the second plot show decoded pixels. Live plots only
# (ipywidgets' img.widget-image), never the server's previews (PREVIEW_INIT).
_STAMP_INIT = """
(() => {
  const st = window.%(name)s = [];
  const seen = new WeakSet();
  const check = () => {
    for (const img of document.querySelectorAll('%(selector)s')) {
      if (!img.src || seen.has(img)) continue;
      seen.add(img);
      img.decode().then(() => requestAnimationFrame(() => st.push(performance.now()))).catch(() => {});
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true,
                                                 attributes: true, attributeFilter: ['src']});
})();
"""
FIRST_PLOT_INIT = _STAMP_INIT % {"name": "__firstPlots", "selector": "img.widget-image"}
# The same stamps for the server's previews (explorer.serving: img.nac-preview-image, shown
# before the kernel draws): window.__previewPlots.
PREVIEW_INIT = _STAMP_INIT % {"name": "__previewPlots", "selector": "img.nac-preview-image"}


def mb(n_bytes: float) -> float:
    return n_bytes / 2**20


def pss(proc) -> int:
    """Proportional set size (shared pages split among their users), falling back to RSS."""
    try:
        return proc.memory_full_info().pss
    except Exception:  # pragma: no cover - /proc/<pid>/smaps_rollup missing
        return proc.memory_info().rss


def cpu_ledger(server) -> dict:
    """CPU seconds (user + system) used so far by each process of a run, by pid: the browser's
    processes (this script's Chromium children), the server and its kernels, as
    ``{pid: (group, seconds)}``. Subtract two ledgers with :func:`cpu_spent`."""
    import psutil

    procs = [("browser", p) for p in psutil.Process().children(recursive=True)]
    procs += [("server", server.proc_info()), *(("kernels", k) for k in server.kernels())]
    out = {}
    for group, p in procs:
        try:
            if group == "browser" and not any(w in p.name().lower() for w in ("chrom", "headless")):
                continue  # not Chromium (the server, its kernels, Playwright's driver)
            t = p.cpu_times()
        except (psutil.Error, AttributeError):  # gone meanwhile; no server process
            continue
        out[p.pid] = (group, t.user + t.system)
    return out


def cpu_spent(before: dict, after: dict) -> dict:
    """CPU seconds spent by group between two :func:`cpu_ledger` readings (a process started in
    between counts whole; one that ended in between is lost: short-lived helpers are missed).

    >>> cpu_spent({1: ("server", 2.0)}, {1: ("server", 5.0), 7: ("kernels", 1.5)})
    {'server': 3.0, 'kernels': 1.5}
    """
    spent: dict = {}
    for pid, (group, t) in after.items():
        spent[group] = spent.get(group, 0.0) + t - before.get(pid, (group, 0.0))[1]
    return spent


def percentile(xs, q: float) -> float:
    """Nearest-rank percentile.

    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)
    10
    >>> percentile([3, 1, 2], 50)
    2
    """
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))
    return s[k]


def median(xs) -> float:
    return statistics.median(xs)
