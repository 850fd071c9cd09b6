"""A class opens the link together: N tabs requested in the same second, each its own view.

Run: ``make bench-class [TABS=20] [POOL=20]`` or
``.venv/bin/python benchmarks/bench_class.py [--tabs 20] [--pool 20] [--rounds 5]``

* cold kernel: a standalone server with an empty pool (``default_pool_size=0``): page request →
  first preview (the server's picture of the view, explorer.serving) and page request → first
  live plot (drawn by the page's kernel), for one tab at a time (median of ``--cold`` loads), and
  one dashboard kernel's resident memory (RSS) once drawn;
* burst: the standalone server of ``make dashboard POOL=N`` (N pre-heated kernels, waited for
  until the pool is full), then every tab (its own browser context: own cookies, own kernel) is
  sent to its own link (target element and μν) within the same second: the time until every
  tab shows both plots, each tab's own time (request → both plots, median and max), and,
  separately, request → both previews shown (the server's pictures, before the kernel draws;
  never counted as plots), tabs that
  showed nothing or the start-up failure banner, and whether each tab shows its own state (its
  element in the menu and in its view link, its μν in the link);
* under that load (or, with ``--presses-after-refill``, once the pool has refilled and gone
  quiet): ``--rounds`` rounds of one key press on the μν slider in every tab at once,
  then ``--rounds`` rounds with the presses spread at random over ``--spread`` seconds,
  key press → new pixels (median, 95th percentile) across all tabs;
* CPU seconds spent from the requests until every tab drew, by the browser's processes, the
  server and its kernels (refills included), against the cores × seconds available: what a tab
  costs, and so what any burst target asks of the machine;
* memory with every tab open: the server's and the kernels' RSS, their total, and the PSS total
  (shared pages counted once).

Everything runs on the loopback interface; the browsers share the machine with the server, so
the numbers include their CPU (as on a teacher's laptop they would not): say so when quoting.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from urllib.parse import parse_qs, urlsplit

from _browser import (
    FIRST_PLOT_INIT,
    PREVIEW_INIT,
    cpu_ledger,
    cpu_spent,
    harness,
    mb,
    median,
    percentile,
    pss,
)

TARGETS = ["Ge", "Xe", "Si", "Ar", "Na", "Cs", "I", "O", "Ne", "Kr", "F", "C"]


def _pool_args(n: int) -> list[str]:
    return [f"--VoilaConfiguration.default_pool_size={n}"]


def wait_pool(server, n: int, timeout: float) -> float:
    """Seconds until Voila logs the pool as full (n kernels warm)."""
    t0 = time.perf_counter()
    needle = f"is filled with {n} kernel(s)"
    while needle not in server.log():
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError(f"pool of {n} not full within {timeout} s")
        time.sleep(0.5)
    # "filled" is logged when the kernels have started; wait until each one is warm (waiting for
    # its page request: its CPU goes quiet)
    wait_kernels_quiet(server, n, timeout - (time.perf_counter() - t0))
    return time.perf_counter() - t0


def wait_kernels_quiet(server, n: int, timeout: float) -> float:
    """Seconds until the server has at least ``n`` kernels and none is busy (or ``timeout``)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        ks = server.kernels()
        if len(ks) >= n and not any(k.cpu_percent(interval=0.2) > 20 for k in ks):
            break
        time.sleep(0.5)
    return time.perf_counter() - t0


def cold(browser, loads: int, env: dict) -> tuple[list[float], int, list[float], list[float]]:
    """First-plot times (s) of cold kernels, one drawn kernel's RSS (bytes), first-preview
    times (s; inf when no preview showed) and the load average at each load."""
    times, rss, previews, loads_avg = [], 0, [], []
    with harness.Server("standalone", extra_args=_pool_args(0), env=env) as server:
        for i in range(loads):
            ctx = browser.new_context(viewport=harness.DESKTOP)
            ctx.add_init_script(FIRST_PLOT_INIT)
            ctx.add_init_script(PREVIEW_INIT)
            page = ctx.new_page()
            loads_avg.append(os.getloadavg()[0])
            page.goto(server.url(f"target={TARGETS[i % len(TARGETS)]}"), wait_until="commit")
            page.wait_for_function(
                "() => window.__firstPlots && window.__firstPlots.length >= 1",
                timeout=120_000,
                polling=50,
            )
            times.append(min(page.evaluate("() => window.__firstPlots")) / 1000)
            shown = page.evaluate("() => window.__previewPlots || []")
            previews.append(min(shown) / 1000 if shown else math.inf)
            if i == loads - 1:
                dash = harness.Dashboard(page)
                dash.wait_ready()
                dash.settle(quiet_ms=800)
                rss = server.kernel(dash.kernel_id()).memory_info().rss
            page.close(run_before_unload=True)
            ctx.close()
            server.wait_kernels(lambda ks: len(ks) == 0, timeout=20)
    return times, rss, previews, loads_avg


def burst(
    browser,
    tabs: int,
    pool: int,
    rounds: int,
    timeout: float,
    env: dict,
    spread: float = 0.0,
    after_refill: bool = False,
) -> dict:
    out: dict = {}
    with harness.Server("standalone", extra_args=_pool_args(pool), env=env) as server:
        out["pool_fill_s"] = wait_pool(server, pool, timeout=900) if pool else 0.0
        sessions = []
        for i in range(tabs):
            ctx = browser.new_context(viewport=harness.DESKTOP)
            ctx.add_init_script(FIRST_PLOT_INIT)
            ctx.add_init_script(PREVIEW_INIT)
            page = ctx.new_page()
            mu0 = 1e-11 * (1 + 0.5 * i)
            target = TARGETS[i % len(TARGETS)]
            url = server.url(f"target={target}&mu={mu0:.3g}")
            sessions.append({"ctx": ctx, "page": page, "target": target, "mu0": mu0, "url": url})
        load0 = os.getloadavg()[0]
        ledger0 = cpu_ledger(server)
        t0, t0_epoch = time.perf_counter(), time.time()
        for s in sessions:  # navigation starts without waiting: all requests within ~0.1 s
            s["page"].evaluate("(u) => { location.href = u; }", s["url"])
        out["requests_spread_s"] = time.perf_counter() - t0
        pending = set(range(tabs))
        while pending and time.perf_counter() - t0 < timeout:
            for i in list(pending):
                page = sessions[i]["page"]
                try:
                    n = page.evaluate("() => (window.__firstPlots || []).length")
                except Exception:  # the page is still navigating
                    continue
                if n >= 2:
                    stamps = sorted(page.evaluate("() => window.__firstPlots"))
                    sessions[i]["own"] = stamps[1] / 1000  # since this tab's own request
                    # since the first request, from the page's own clock (not this poll's)
                    origin = page.evaluate("() => performance.timeOrigin") / 1000
                    sessions[i]["wall"] = origin + stamps[1] / 1000 - t0_epoch
                    shown = sorted(page.evaluate("() => window.__previewPlots || []"))
                    if len(shown) >= 2:  # both previews drawn (before or after the live plots)
                        sessions[i]["preview"] = shown[1] / 1000
                    pending.discard(i)
            # once a second: each poll interrupts 20 busy renderers (the times above come from
            # the pages' own stamps, so the poll's period does not blur them)
            time.sleep(1.0)
        out["cpu"] = cpu_spent(ledger0, cpu_ledger(server))
        out["cpu_wall"] = time.perf_counter() - t0
        out["load_before"] = load0
        out["all_ready_s"] = max((s.get("wall", math.inf) for s in sessions), default=0)
        out["own_s"] = [s["own"] for s in sessions if "own" in s]
        out["preview_s"] = [s["preview"] for s in sessions if "preview" in s]
        out["preview_first"] = sum(1 for s in sessions if s.get("preview", math.inf) < s["own"])
        out["load_after"] = os.getloadavg()[0]
        out["not_ready"] = []
        for i in sorted(pending):
            page = sessions[i]["page"]
            st = harness.session(page) or {}
            shown = page.evaluate(
                "() => (document.querySelector('.nac-session-banner') || {}).innerText || "
                "(document.getElementById('loading') || {}).innerText || ''"
            )
            out["not_ready"].append((sessions[i]["target"], st.get("state"), shown[:120]))
        ready = [s for s in sessions if "own" in s]
        slowest = max(ready, key=lambda s: s["own"], default=None)
        out["slowest_events"] = (
            slowest["page"].evaluate("() => window.__nacSession && window.__nacSession.events")
            if slowest
            else None
        )
        wrong = []
        for s in ready:
            d = s["dash"] = harness.Dashboard(s["page"])
            d.wait_ready(timeout=60)
            d.settle(quiet_ms=500, timeout=120)
            link = harness.view_link(s["page"])
            q = parse_qs(urlsplit(link).query)
            chosen = " ".join(
                d.dropdown("element").locator("select option:checked").inner_text().split()
            )
            ok = (
                chosen.startswith(s["target"] + " ")
                and q.get("target", ["Ge"]) == [s["target"]]  # Ge, the default, is left out
                and math.isclose(float(q.get("mu", ["nan"])[0]), s["mu0"], rel_tol=0.02)
            )
            if not ok:
                wrong.append((s["target"], chosen, link))
        out["wrong"] = wrong
        out["refill_wait_s"] = None
        if after_refill:  # the presses of a class at work once the pool is whole again
            out["refill_wait_s"] = wait_kernels_quiet(server, len(ready) + pool, timeout=900)
        for s in ready:
            s["handle"] = s["dash"].slider("μν").locator(".noUi-handle").first

        def press_round(r: int, offsets: list[float]) -> list[float]:
            """Tab i presses at ``offsets[i]`` s after the round starts; key → pixels (ms) each."""
            key = "ArrowRight" if r % 2 == 0 else "ArrowLeft"
            start = time.perf_counter()
            for off, s in sorted(zip(offsets, ready, strict=True), key=lambda p: p[0]):
                time.sleep(max(0.0, start + off - time.perf_counter()))
                s["page"].evaluate(
                    "() => { window.__explorer.pixelsAt = []; window.__explorer.keyAt = null; }"
                )
                s["handle"].focus()
                s["handle"].press(key)
            out_ms = []
            for s in ready:
                s["page"].wait_for_function(
                    "() => window.__explorer.pixelsAt.length > 0", timeout=60_000, polling="raf"
                )
                out_ms.append(
                    s["page"].evaluate(
                        "() => window.__explorer.pixelsAt[0] - window.__explorer.keyAt"
                    )
                )
            for s in ready:
                s["dash"].settle(quiet_ms=300, timeout=60)
            return out_ms

        # every tab at once (the worst case), then spread over ``spread`` seconds at random
        # (a class at work: each student presses when they like)
        lat, lat_spread = [], []
        rng = random.Random(1)
        ledger, t_press = cpu_ledger(server), time.perf_counter()
        for r in range(rounds):
            lat += press_round(r, [0.0] * len(ready))
        for r in range(rounds if spread > 0 else 0):
            lat_spread += press_round(r, [rng.uniform(0.0, spread) for _ in ready])
        out["press_cpu"] = cpu_spent(ledger, cpu_ledger(server))
        out["press_wall"] = time.perf_counter() - t_press
        out["press_pool"] = len(server.kernels()) - len(ready)  # pooled again by the end
        out["lat_spread"] = lat_spread
        out["lat"] = lat
        server_rss, kernel_rss = server.rss()
        kernels = server.kernels()
        out["server_rss"], out["kernel_rss"] = server_rss, kernel_rss
        out["pss_total"] = pss(server.proc_info()) + sum(pss(k) for k in kernels)
        for s in sessions:
            s["page"].close(run_before_unload=True)
            s["ctx"].close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tabs", type=int, default=20)
    ap.add_argument("--pool", type=int, default=None, help="pre-heated kernels (default: tabs)")
    ap.add_argument("--rounds", type=int, default=5, help="key presses per tab under load")
    ap.add_argument(
        "--spread",
        type=float,
        default=5.0,
        help="seconds over which the tabs' presses are spread in the second set of rounds "
        "(0: only the all-at-once rounds)",
    )
    ap.add_argument("--cold", type=int, default=3, help="cold-kernel loads (0: skip)")
    ap.add_argument(
        "--presses-after-refill",
        action="store_true",
        help="press only once the pool has refilled and gone quiet (default: right after the "
        "burst, while the pool refills)",
    )
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for the tabs")
    ap.add_argument(
        "--no-previews",
        action="store_true",
        help="serve without the server's previews (EXPLORER_PREVIEWS=0), for a before/after",
    )
    args = ap.parse_args(argv)
    pool = args.tabs if args.pool is None else args.pool
    from playwright.sync_api import sync_playwright

    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
        f"{args.tabs} tabs, pool {pool}, {args.rounds} rounds, "
        f"previews {'off' if args.no_previews else 'on'}"
    )
    env = {"EXPLORER_PREVIEWS": "0"} if args.no_previews else {}
    with sync_playwright() as p:
        browser = harness.launch_browser(p)
        try:
            cold_s, kernel_rss, cold_preview, cold_load = (
                cold(browser, args.cold, env) if args.cold else ([], 0, [], [])
            )
            b = (
                burst(
                    browser,
                    args.tabs,
                    pool,
                    args.rounds,
                    args.timeout,
                    env,
                    args.spread,
                    args.presses_after_refill,
                )
                if args.tabs
                else None
            )
        finally:
            browser.close()

    def row(what, value, unit, target=None):
        goal = ""
        if target is not None:
            goal = f"target ≤ {target:g} {unit}: {'met' if value <= target else 'NOT met'}"
        print(f"  {what:<48} {value:>9.2f} {unit:<3} {goal}")

    print("\nResults (one run; the browsers share the CPU with the server)")
    if cold_s:
        row("cold kernel: page request → first preview (median)", median(cold_preview), "s")
        print(f"  {'  each':<48} " + ", ".join(f"{x:.2f}" for x in cold_preview) + " s")
        row("cold kernel: page request → first live plot (median)", median(cold_s), "s", 2.5)
        print(f"  {'  each':<48} " + ", ".join(f"{x:.2f}" for x in cold_s) + " s")
        print(f"  {'  load average at each load':<48} " + ", ".join(f"{x:.2f}" for x in cold_load))
        row("one dashboard kernel, resident (RSS)", mb(kernel_rss), "MB", 100)
    if b is None:
        return 0
    print(f"  {'pool filled and warm after':<48} {b['pool_fill_s']:>9.1f} s")
    print(f"  {'requests sent within':<48} {b['requests_spread_s']:>9.2f} s")
    print(
        f"  {'load average before / after the burst':<48} "
        f"{b['load_before']:>9.2f} / {b['load_after']:.2f}"
    )
    if b["preview_s"]:
        row("  per tab, request → both previews (median)", median(b["preview_s"]), "s")
        row("  per tab, request → both previews (max)", max(b["preview_s"]), "s")
        print(f"  {'  each':<48} " + ", ".join(f"{x:.1f}" for x in sorted(b["preview_s"])) + " s")
    label = "tabs that showed previews before live plots"
    print(f"  {label:<48} {b['preview_first']:>9d} of {args.tabs}")
    row(f"all {args.tabs} tabs show both plots", b["all_ready_s"], "s", 30)
    if b["own_s"]:
        row("  per tab, request → both plots (median)", median(b["own_s"]), "s")
        row("  per tab, request → both plots (max)", max(b["own_s"]), "s")
        print(f"  {'  each':<48} " + ", ".join(f"{x:.1f}" for x in sorted(b["own_s"])) + " s")
        print(f"  {'  slowest tab: its session events (ms)':<48} {b['slowest_events']}")
    cpu, wall = b["cpu"], b["cpu_wall"]
    print(
        f"  {'CPU used, requests → all drawn (s)':<48} "
        + ", ".join(f"{g} {cpu.get(g, 0.0):.1f}" for g in ("browser", "server", "kernels"))
        + f"; total {sum(cpu.values()):.1f} of {os.cpu_count() * wall:.1f} available"
        + (f"; per tab {sum(cpu.values()) / args.tabs:.2f}" if args.tabs else "")
    )
    print(f"  {'tabs without plots after the timeout':<48} {len(b['not_ready']):>9d}")
    for nr in b["not_ready"]:
        print("    not ready:", nr)
    print(f"  {'every tab shows its own state':<48} {'yes' if not b['wrong'] else 'NO':>9}")
    for w in b["wrong"]:
        print("    wrong:", w)
    if b["refill_wait_s"] is not None:
        print(f"  {'presses after the pool refilled, waited':<48} {b['refill_wait_s']:>9.1f} s")
    if b["lat"]:
        row("key press → new pixels under load (median)", median(b["lat"]), "ms")
        row("key press → new pixels under load (95th pct)", percentile(b["lat"], 95), "ms", 300)
    if b.get("lat_spread"):
        rate = args.tabs / args.spread
        row(f"… presses spread over {args.spread:g} s ({rate:.1f}/s): median",
            median(b["lat_spread"]), "ms")  # fmt: skip
        row(f"… presses spread over {args.spread:g} s (95th pct)",
            percentile(b["lat_spread"], 95), "ms", 300)  # fmt: skip
    if b["lat"] or b.get("lat_spread"):
        cpu, wall = b["press_cpu"], b["press_wall"]
        print(
            f"  {'CPU used during the presses (s)':<48} "
            + ", ".join(f"{g} {cpu.get(g, 0.0):.1f}" for g in ("browser", "server", "kernels"))
            + f"; total {sum(cpu.values()):.1f} of {os.cpu_count() * wall:.1f} available"
            + f"; kernels outside the tabs by then {b['press_pool']} (the pool refilling)"
        )
    total = b["server_rss"] + sum(b["kernel_rss"])
    print(f"  {'server process RSS':<48} {mb(b['server_rss']):>9.1f} MB")
    each = mb(median(b["kernel_rss"])) if b["kernel_rss"] else 0.0
    label = f"{len(b['kernel_rss'])} kernels RSS, median each"
    print(f"  {label:<48} {each:>9.1f} MB")
    print(f"  {'server + kernels RSS, total':<48} {mb(total):>9.1f} MB")
    print(f"  {'server + kernels PSS, total':<48} {mb(b['pss_total']):>9.1f} MB")
    return 0 if not b["not_ready"] and not b["wrong"] else 1


if __name__ == "__main__":
    sys.exit(main())
