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

__all__ = ["FIRST_PLOT_INIT", "PREVIEW_INIT", "harness", "mb", "median", "percentile", "pss"]


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
