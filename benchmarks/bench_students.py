"""A class opens the link: N headless students against ``make dashboard POOL=N``.

Run: ``make bench-class [STUDENTS=30] [SPREAD=30]`` or
``.venv/bin/python benchmarks/bench_students.py [--students 30] [--spread 30] [--soak 600]``

Students' browsers run on their own laptops, so here each student is a thread that speaks the
page's protocol over the loopback (``harness.student``): GET the page with its own link
(``?target=…&mu=…``), open the kernel websocket (v1), ask the widget control comm for every
state (the widgets are live), check that the states are this student's own (element and μν),
move the μν slider three times and wait each time for the new image, then the page's shutdown
call. One real Chromium tab is opened in the middle of the burst (request → both live plots).

Rounds: all students at once (``--spread 0``) and arrivals spread at random over ``--spread``
seconds. Printed per phase: median, 95th percentile and max; errors; whether every student saw
its own state; CPU per student of the server and of the student's own kernel (read before its
shutdown; refills are counted apart); the server's and the kernels' memory; bytes received per
student (page and websocket) and the real tab's bytes on the wire. ``--soak S``: the students
stay for S seconds, each moving a slider every 2–10 s; then errors, the server's memory growth,
and whether the kernel count returns to the pool size once they leave.

Quiet machine first: the script waits for the pool to fill and the load to settle, and prints
the load average with the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import threading
import time
from dataclasses import dataclass, field

import psutil
from _browser import harness, mb, median, percentile
from harness import student

from explorer.serving.memory import GIVE_BACK_EVERY

TARGETS = ["Ge", "Xe", "Si", "Ar", "Na", "Cs", "I", "O", "Ne", "Kr", "F", "C"]


@dataclass
class Visit:
    """One student's visit: times from its page request, in seconds, and what it saw."""

    query: str
    target: str
    mu: float
    page: float = float("nan")  # page body received
    live: float = float("nan")  # widget states received
    moves: list = field(default_factory=list)  # slider → new image, each
    own_state: bool = False
    bytes_in: int = 0
    first_wire: int = 0  # page + websocket up to widgets live, as the network carried them
    kernel_cpu: float = float("nan")
    error: str = ""


def _own_state(states: dict, target: str, mu: float) -> bool:
    ok_target = ok_mu = False
    for entry in states.values():
        s = entry.get("state", {})
        if entry.get("model_name") == "DropdownModel" and "Element" in s.get("description", ""):
            labels = s.get("_options_labels", [])
            ok_target = s.get("index") is not None and labels[s["index"]].split()[0] == target
        if entry.get("model_name") == "FloatLogSliderModel" and "μν" in s.get("description", ""):
            ok_mu = abs(s.get("value", 0) / mu - 1) < 1e-6
    return ok_target and ok_mu


def _kernel_cpu(server, kernel_id: str, before: dict) -> float:
    proc = server.kernel(kernel_id)
    if proc is None:
        return float("nan")
    t = proc.cpu_times()
    return t.user + t.system - before.get(proc.pid, 0.0)


def visit(server, v: Visit, t0: float, cpu_before: dict, soak_until: float = 0.0) -> Visit:
    """One student's whole script; times relative to ``t0`` (its request)."""
    try:
        page = student.open_page(server.url(v.query), timeout=120)
        v.page, v.bytes_in = time.monotonic() - t0, page.html_bytes
        ks = student.KernelSocket(page)
        try:
            states = ks.request_states(timeout=120)
            v.live = time.monotonic() - t0
            v.first_wire = page.wire_bytes + ks.wire_in
            v.own_state = _own_state(states, v.target, v.mu)
            sliders, images = student.find_models(states)
            mu_model = next(m for label, (m, _) in sliders.items() if label.startswith("μν"))
            for k in range(3):
                t = time.monotonic()
                ks.set_value(mu_model, v.mu * 2 ** (k + 1), images)
                v.moves.append(ks.image_at - t if ks.image_at else float("nan"))
            rng = random.Random(v.query)
            while time.monotonic() < soak_until:  # the soak: a move every 2–10 s
                time.sleep(rng.uniform(2, 10))
                t = time.monotonic()
                if ks.set_value(mu_model, v.mu * rng.uniform(0.5, 4), images) is not None:
                    v.moves.append(ks.image_at - t)
            v.bytes_in += ks.bytes_in
            v.kernel_cpu = _kernel_cpu(server, page.kernel_id, cpu_before)
        finally:  # a student who failed leaves too: its kernel must not outlive the run
            ks.close()
            student.shutdown(page)
    except Exception as e:  # counted and printed, never hidden
        v.error = f"{type(e).__name__}: {e}"[:200]
    return v


def real_tab(server, query: str, out: dict, ready: threading.Event, go: threading.Event) -> None:
    """One Chromium tab: request → both live plots, and the bytes it received. The browser is
    started and its tab opened (blank) before the class arrives (``ready``): a student's browser
    is running before the link is clicked, so only the page counts (``go``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = harness.launch_browser(p)
        try:
            page = browser.new_page(viewport=harness.DESKTOP)
            ready.set()
            go.wait()
            t = time.monotonic()
            page.goto(server.url(query), wait_until="commit", timeout=120_000)
            harness.Dashboard(page).wait_ready(timeout=120)
            out["live"] = time.monotonic() - t
            out["bytes"], out["static_bytes"] = page.evaluate(
                "() => { const s = performance.getEntriesByType('resource').reduce((a, e) => "
                "a + (e.transferSize || 0), 0); return [s + (performance.getEntriesByType("
                "'navigation')[0].transferSize || 0), s]; }"
            )
            page.close(run_before_unload=True)
        finally:
            ready.set()  # a browser that failed to start does not hold the class back
            browser.close()


def _cpu(procs) -> dict:
    out = {}
    for p in procs:
        try:
            t = p.cpu_times()
            out[p.pid] = t.user + t.system
        except psutil.Error:
            continue
    return out


def wait_quiet(server, pool: int, load: float = 1.0, timeout: float = 600.0) -> None:
    """Until the pool holds ``pool`` warm kernels (every kernel process idle: a kernel still
    running the dashboard's notebook spends CPU) and the 1-min load average is below ``load``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kernels = server.kernels()
        if server.log().count("is filled with") >= 1 and len(kernels) >= pool:
            before = _cpu(kernels)
            time.sleep(2)
            after = _cpu(kernels)
            idle = all(after.get(pid, 0.0) - t < 0.05 for pid, t in before.items())
            if idle and os.getloadavg()[0] < load:
                return
        time.sleep(2)
    print(f"  (not quiet after {timeout:.0f} s: load {os.getloadavg()[0]:.2f})")


def run_round(server, n: int, spread: float, soak: float, tab: bool, seed: int) -> dict:
    rng = random.Random(seed)
    visits = []
    for i in range(n):
        target = TARGETS[i % len(TARGETS)]
        mu = round(rng.uniform(1, 9), 3) * 1e-11
        visits.append(Visit(f"target={target}&mu={mu:.4g}", target, float(f"{mu:.4g}")))
    kernels_before = _cpu(server.kernels())
    server_before = _cpu([server.proc_info()])
    delays = sorted(rng.uniform(0, spread) for _ in range(n)) if spread else [0.0] * n

    def go(v, delay):
        time.sleep(delay)
        visit(server, v, time.monotonic(), kernels_before, soak_until)

    threads = [
        threading.Thread(target=go, args=(v, d)) for v, d in zip(visits, delays, strict=True)
    ]
    tab_out: dict = {}
    tab_ready, tab_go = threading.Event(), threading.Event()
    tab_thread = threading.Thread(
        target=real_tab, args=(server, "target=Xe&mu=3e-11", tab_out, tab_ready, tab_go)
    )
    if tab:
        tab_thread.start()
        tab_ready.wait(120)
    start = time.monotonic()
    soak_until = start + spread + soak if soak else 0.0
    for t in threads:
        t.start()
    if tab:
        time.sleep(min(1.0, spread / 2))
        tab_go.set()
        tab_thread.join()
    for t in threads:
        t.join()
    server_cpu = sum(_cpu([server.proc_info()]).values()) - sum(server_before.values())
    return {
        "visits": visits,
        "tab": tab_out,
        "server_cpu": server_cpu,
        "wall": time.monotonic() - start,
    }


def _stats(xs) -> str:
    xs = [x for x in xs if x == x]
    if not xs:
        return "—"
    return f"{median(xs):.2f} / {percentile(xs, 95):.2f} / {max(xs):.2f}"


def report(label: str, r: dict, server, pool: int) -> None:
    vs = r["visits"]
    ok = [v for v in vs if not v.error]
    moves = [m for v in ok for m in v.moves]
    print(f"\n{label}: {len(vs)} students, {len(vs) - len(ok)} errors, wall {r['wall']:.1f} s, "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
    for v in vs:
        if v.error:
            print(f"  error: {v.query}: {v.error}")
    print(f"  page body received, s (median / p95 / max): {_stats([v.page for v in ok])}")
    print(f"  widgets live, s:                             {_stats([v.live for v in ok])}")
    print(f"  μν change → new image, ms:                   {_stats([1e3 * m for m in moves])}")
    print(f"  every student saw its own state:             {all(v.own_state for v in ok)} "
          f"({sum(v.own_state for v in ok)}/{len(ok)})")  # fmt: skip
    print(f"  CPU per student: server {r['server_cpu'] / len(vs):.3f} s, its kernel "
          f"{median([v.kernel_cpu for v in ok]):.3f} s (median; max "
          f"{max(v.kernel_cpu for v in ok):.3f})")  # fmt: skip
    print(
        f"  bytes received per student (page + websocket): {mb(median([v.bytes_in for v in ok])):.2f} MB"
    )
    if r["tab"]:
        print(f"  real Chromium tab amid the class: live plots {r['tab']['live']:.2f} s, "
              f"{mb(r['tab']['bytes']):.2f} MB of HTTP on the wire")  # fmt: skip
        page_ws = median([v.first_wire for v in ok])
        print(f"  a first visit on the wire: page + websocket until live {page_ws / 1e3:.0f} kB "
              f"(median of the students) + static files {r['tab']['static_bytes'] / 1e3:.0f} kB "
              f"(the tab's) = {(page_ws + r['tab']['static_bytes']) / 1e6:.2f} MB")  # fmt: skip
    rss = server.rss()
    print(f"  memory now: server {mb(rss[0]):.0f} MB, {len(rss[1])} kernels "
          f"{mb(sum(rss[1])):.0f} MB (pool {pool})")  # fmt: skip


def soak(server, args, pool: int) -> None:
    """The students stay ``args.soak`` seconds, each moving a slider every 2–10 s. The server's
    resident memory is sampled every 30 s: its growth over the whole run, and over the soak
    alone (from the first sample after every student arrived, when the one-time costs of the
    first pages are paid), says whether anything accumulates."""
    rss0 = server.rss()[0]
    samples: list = []
    done = threading.Event()

    def sample():
        t0 = time.monotonic()
        while not done.wait(30):
            samples.append((time.monotonic() - t0, server.rss()[0]))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    r = run_round(server, args.students, args.spread, args.soak, False, 3)
    done.set()
    report(f"soak, {args.soak:.0f} s", r, server, pool)
    time.sleep(10)
    ks = server.wait_kernels(lambda k: len(k) <= pool, timeout=300)
    # the server gives freed memory back every GIVE_BACK_EVERY s: read after the next time
    time.sleep(GIVE_BACK_EVERY + 2)
    end = server.rss()[0]
    settled = [rss for t, rss in samples if t > args.spread + 30]
    print(f"  server RSS growth {mb(end - rss0):+.1f} MB from the warm pool before the first "
          f"page; {mb(end - settled[0]) if settled else float('nan'):+.1f} MB from the soak's "
          f"first minute after the last arrival to the end; samples (s, MB): "
          f"{[(round(t), round(mb(x))) for t, x in samples]}")  # fmt: skip
    print(f"  kernels after the students left: {len(ks)} (pool {pool})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--spread", type=float, default=30.0, help="seconds over which arrivals spread")
    ap.add_argument("--soak", type=float, default=0.0, help="seconds the students stay (soak mode)")
    ap.add_argument(
        "--pool", type=int, default=None, help="pre-heated kernels (default: every visitor's)"
    )
    ap.add_argument("--no-tab", action="store_true", help="no real Chromium tab")
    ap.add_argument(
        "--max-load",
        type=float,
        default=1.0,
        help="start when the 1-min load average is below this (a soak counts errors, memory "
        "and kernels, not times: it may start on a busier machine)",
    )
    ap.add_argument(
        "--no-previews", action="store_true", help="server without previews (a before/after)"
    )
    args = ap.parse_args()
    # the real tab is one more visitor: the pool holds a kernel for it too
    pool = args.pool if args.pool is not None else args.students + (not args.no_tab)
    extra = [f"--VoilaConfiguration.default_pool_size={pool}"]
    env = {"EXPLORER_PREVIEWS": "0"} if args.no_previews else {}
    with harness.Server("standalone", extra_args=extra, env=env) as server:
        print(f"server up; waiting for {pool} warm kernels and a quiet machine …")
        wait_quiet(server, pool, args.max_load)
        if args.soak:
            soak(server, args, pool)
            return
        r = run_round(server, args.students, 0.0, 0.0, not args.no_tab, 1)
        report("all at once", r, server, pool)
        if args.spread:
            print("\nwaiting for the pool to refill and the machine to settle …")
            time.sleep(10)
            wait_quiet(server, pool, args.max_load)
            r = run_round(server, args.students, args.spread, 0.0, not args.no_tab, 2)
            report(f"spread over {args.spread:.0f} s", r, server, pool)


if __name__ == "__main__":
    main()
