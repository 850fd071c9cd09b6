"""Shared bits of the browser benchmarks: the test harness, timing hooks, memory in MB."""

from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path

_HARNESS = Path(__file__).resolve().parents[1] / "tests" / "browser" / "harness.py"


def harness():
    """tests/browser/harness.py (servers on 127.0.0.1, Debian Chromium, the page model)."""
    name = "explorer_browser_harness"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _HARNESS)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


# Stamps, relative to the navigation start (performance.now() = 0 when the page is requested),
# the moments the first and the second plot show decoded pixels.
FIRST_PLOT_INIT = """
(() => {
  const st = window.__firstPlots = [];
  const seen = new WeakSet();
  const check = () => {
    for (const img of document.querySelectorAll('img.widget-image')) {
      if (!img.src || seen.has(img)) continue;
      seen.add(img);
      img.decode().then(() => requestAnimationFrame(() => st.push(performance.now()))).catch(() => {});
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true,
                                                 attributes: true, attributeFilter: ['src']});
})();
"""


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
