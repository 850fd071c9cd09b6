"""Ten students at once: ten tabs on one standalone server, sliders moving in all of them.

Run: ``.venv/bin/python benchmarks/bench_load.py [--sessions 10] [--rounds 10]``

* server: the standalone Voila of ``make dashboard`` on a free port of 127.0.0.1;
* each session (its own browser context: its own cookies, its own kernel) opens a different
  view by its link (target element and μν), all requested at once;
* each round presses a key on the μν slider in every tab without waiting, then collects each
  tab's key press → new pixels time (keydown to the decoded new plot, measured in the page), so
  that all kernels redraw at the same time;
* afterwards every tab must still show its own state: its target in the element menu and in the
  "link to this view" query string, and its own μν (start value moved by its key presses);
* memory: RSS of the server process and of every kernel, and their sum (PSS sum too: shared
  library pages counted once), with all the tabs open.

Loops are bounded (sessions × rounds key presses); everything stays on the loopback interface.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from urllib.parse import parse_qs, urlsplit

from _browser import harness, mb, median, percentile, pss

TARGETS = ["Ge", "Xe", "Si", "Ar", "Na", "Cs", "I", "O", "Ne", "Kr", "F", "C"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args(argv)
    n = min(args.sessions, len(TARGETS))
    from playwright.sync_api import sync_playwright

    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
        f"{n} sessions × {args.rounds} rounds"
    )
    with harness.Server("standalone") as server, sync_playwright() as p:
        browser = harness.launch_browser(p)
        try:
            sessions = []
            t0 = time.perf_counter()
            for i in range(n):
                ctx = browser.new_context(viewport=harness.DESKTOP)
                page = ctx.new_page()
                mu0 = 1e-11 * (1 + i)  # each tab its own μν and target
                page.goto(server.url(f"target={TARGETS[i]}&mu={mu0:g}"), wait_until="commit")
                sessions.append(
                    {"ctx": ctx, "page": page, "target": TARGETS[i], "mu0": mu0, "lat": []}
                )
            for s in sessions:
                s["dash"] = harness.Dashboard(s["page"])
                s["dash"].wait_ready(timeout=300)
            all_ready = time.perf_counter() - t0
            for s in sessions:
                s["dash"].settle(quiet_ms=500, timeout=120)
                s["slider"] = s["dash"].slider("μν")
                s["handle"] = s["slider"].locator(".noUi-handle").first
                s["mu_start"] = s["dash"].slider_value(s["slider"])
            server_rss, kernel_rss = server.rss()
            kernels = server.kernels()
            kernel_pss = [pss(k) for k in kernels]
            server_pss = pss(server.proc_info())

            for r in range(args.rounds):
                key = "ArrowRight" if r % 2 == 0 else "ArrowLeft"
                for s in sessions:
                    s["page"].evaluate(
                        "() => { window.__explorer.pixelsAt = []; window.__explorer.keyAt = null; }"
                    )
                    s["handle"].focus()
                for s in sessions:  # all tabs press before any answer is awaited
                    s["handle"].press(key)
                for s in sessions:
                    s["page"].wait_for_function(
                        "() => window.__explorer.pixelsAt.length > 0", timeout=60_000, polling="raf"
                    )
                    s["lat"].append(
                        s["page"].evaluate(
                            "() => window.__explorer.pixelsAt[0] - window.__explorer.keyAt"
                        )
                    )
                for s in sessions:
                    s["dash"].settle(quiet_ms=300, timeout=60)
            # one more press in tab i moves only tab i: i + 1 steps right from where it is
            for i, s in enumerate(sessions):
                for _ in range(i + 1):
                    s["handle"].press("ArrowRight")
            wrong = []
            for i, s in enumerate(sessions):
                d = s["dash"]
                d.settle(quiet_ms=500, timeout=60)
                rounds_net = (args.rounds + 1) // 2 - args.rounds // 2
                steps = rounds_net + i + 1
                want_mu = s["mu0"] * 10 ** (0.01 * steps)
                got_mu = d.slider_value(s["slider"])
                link = urlsplit(harness.view_link(s["page"])).query
                chosen = " ".join(
                    d.dropdown("element").locator("select option:checked").inner_text().split()
                )
                q = parse_qs(link.lstrip("?"))
                link_mu = float(q.get("mu", ["nan"])[0])  # the state, to 6 digits
                ok = (
                    chosen.startswith(s["target"] + " ")
                    and q.get("target", ["Ge"]) == [s["target"]]
                    # the first press may snap to the slider's 0.01-decade grid: ±1 step
                    and math.isclose(link_mu, want_mu, rel_tol=0.025)
                    # the slider's readout shows 2 significant digits (2.9e-11)
                    and math.isclose(got_mu, link_mu, rel_tol=0.05)
                )
                if not ok:
                    wrong.append((s["target"], chosen, got_mu, want_mu, link))
            for s in sessions:
                s["page"].close(run_before_unload=True)
                s["ctx"].close()
            left = server.wait_kernels(lambda ks: len(ks) <= 1, timeout=30)  # the pool keeps one
        finally:
            browser.close()

    lat = [x for s in sessions for x in s["lat"]]
    print("\nResults (one run)")
    print(f"  all {n} tabs showing both plots            {all_ready:8.1f} s after the {n} requests")
    print(
        f"  key press → new pixels, median            {median(lat):8.1f} ms  ({len(lat)} presses)"
    )
    print(f"  key press → new pixels, 95th percentile   {percentile(lat, 95):8.1f} ms")
    print(f"  key press → new pixels, max               {max(lat):8.1f} ms")
    print(f"  server process RSS                        {mb(server_rss):8.1f} MB")
    print(
        f"  {len(kernel_rss)} kernels RSS (median each)            {mb(median(kernel_rss)):8.1f} MB"
    )
    total = server_rss + sum(kernel_rss)
    print(f"  server + kernels RSS, total               {mb(total):8.1f} MB")
    print(
        f"  server + kernels PSS, total               {mb(server_pss + sum(kernel_pss)):8.1f} MB"
        "  (shared pages split among the processes)"
    )
    print(f"  every tab shows its own state             {'yes' if not wrong else 'NO'}")
    for w in wrong:
        print("    wrong:", w)
    print(f"  kernels left after closing the tabs       {len(left)} (the pool's pre-heated one)")
    return 0 if not wrong and len(left) <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
