"""What one dashboard tab costs the browser, from the page request to both plots drawn.

Run: ``make bench-page`` or ``.venv/bin/python benchmarks/bench_page.py [--runs 5] [--traces 2]``.
One run, medians over ``--runs`` tabs opened one at a time, each from a pre-heated kernel (the
standalone server of ``make dashboard``, pool of one, refilled and quiet before every tab).

* per tab (no tracing): Chromium's own counters (DevTools Protocol ``Performance.getMetrics``)
  from the request until both plots show decoded pixels and the page has been quiet for a moment:
  main-thread task time, script, layout, style recalculation, the JS heap, DOM nodes; the
  kernel websocket's messages and bytes by type (Jupyter's v1 websocket protocol decoded here),
  the widget models the page builds (the states of ipywidgets' one ``update_states`` reply) and
  the HTTP requests and bytes of the page load;
* where the time goes (``--traces`` tabs with Chromium tracing, which itself slows the page): the
  renderer's main thread, split in three phases: *bundle* (request → the kernel websocket opens:
  HTML, CSS, Voila's JavaScript loaded, parsed and started), *widgets* (→ ipywidgets' states
  arrive → both plots drawn: models created, views rendered, laid out, images decoded) and
  *after* (late updates until quiet); in each, self time by kind (script, GC, style, layout,
  paint, HTML/CSS parsing, image decode on any thread); and the JavaScript self time by origin
  (Voila's bundle, the widget libraries, the page's own scripts, native) from the V8 sampler;
* kernel side, in this process: the comm messages that building the dashboard and applying a
  link's query send (on a pre-heated kernel both happen before the page connects; the server's
  notebook client still receives and parses each one).

Numbers are from one machine that others share: the load average is printed; compare runs made
one right after another.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import struct
import sys
import time

from _browser import FIRST_PLOT_INIT, harness, median

QUERY = "target=Xe&mu=3e-11"
METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "v8.execute",
    "v8",
    "disabled-by-default-v8.cpu_profiler",
    "blink.user_timing",
    "toplevel",
]

# performance.mark()s for the trace: the kernel websocket opens, ipywidgets' states arrive
# (Jupyter's v1 kernel websocket protocol: offsets, then channel, header, … content), both plots.
PHASE_MARKS = """
(() => {
  const WS = window.WebSocket;
  const dec = new TextDecoder();
  const part = (buf, i) => {
    const v = new DataView(buf), n = Number(v.getBigUint64(0, true));
    const a = Number(v.getBigUint64(8 * (i + 1), true));
    const b = i + 1 < n ? Number(v.getBigUint64(8 * (i + 2), true)) : buf.byteLength;
    return JSON.parse(dec.decode(new Uint8Array(buf, a, b - a)));
  };
  window.WebSocket = class extends WS {
    constructor(...args) {
      super(...args);
      if (!String(args[0]).includes('/channels')) return;
      this.addEventListener('open', () => performance.mark('bench:ws-open'));
      this.addEventListener('message', (e) => {
        if (!(e.data instanceof ArrayBuffer)) return;
        try {
          const c = part(e.data, 4);
          if (c.data && c.data.method === 'update_states') performance.mark('bench:states');
        } catch (err) { /* not a v1 frame */ }
      });
    }
  };
  const seen = setInterval(() => {
    if ((window.__firstPlots || []).length >= 2) { performance.mark('bench:plots'); clearInterval(seen); }
  }, 20);
})();
"""


# -- the kernel websocket ------------------------------------------------------------------------
def decode_frame(buf: bytes) -> tuple[str, dict]:
    """(msg_type with the comm method, content) of a v1 kernel websocket frame.

    >>> parts = [b"iopub", b'{"msg_type": "comm_msg"}', b"{}", b"{}", b'{"data": {"method": "update"}}']
    >>> offs, at = [], 8 * (len(parts) + 1)
    >>> for p in parts:
    ...     offs.append(at)
    ...     at += len(p)
    >>> frame = struct.pack(f"<{len(parts) + 1}Q", len(parts), *offs) + b"".join(parts)
    >>> decode_frame(frame)[0]
    'comm_msg:update'
    """
    n = struct.unpack_from("<Q", buf, 0)[0]
    offs = [*struct.unpack_from(f"<{n}Q", buf, 8), len(buf)]
    header = json.loads(buf[offs[1] : offs[2]])
    content = json.loads(buf[offs[4] : offs[5]])
    kind = header["msg_type"]
    if kind == "comm_msg":
        kind += ":" + str(content.get("data", {}).get("method", "?"))
    elif kind == "comm_open":
        kind += ":" + str(content.get("target_name", ""))
    return kind, content


class Wire:
    """Counts of the page's kernel websocket frames and HTTP responses."""

    def __init__(self, page):
        self.msgs: collections.Counter = collections.Counter()
        self.bytes: collections.Counter = collections.Counter()
        self.models = 0
        self.requests: list = []
        page.on("websocket", self._ws)
        page.on("requestfinished", lambda r: self.requests.append(r))

    def _ws(self, ws) -> None:
        ws.on("framereceived", lambda p: self._frame("in", p))
        ws.on("framesent", lambda p: self._frame("out", p))

    def _frame(self, way: str, payload) -> None:
        if isinstance(payload, str):
            kind, content = json.loads(payload)["header"]["msg_type"], {}
        else:
            kind, content = decode_frame(bytes(payload))
        self.msgs[f"{way} {kind}"] += 1
        self.bytes[f"{way} {kind}"] += len(payload)
        if kind == "comm_msg:update_states":
            self.models += len(content["data"].get("states", {}))

    def http(self) -> tuple[int, int]:
        sizes = [r.sizes() for r in self.requests if not r.url.startswith(("blob:", "data:"))]
        return len(sizes), sum(max(0, s["responseBodySize"]) for s in sizes)


# -- the trace -------------------------------------------------------------------------------------
_KIND = {
    "GC": ("GC", "V8.GC", "MinorGC", "MajorGC", "BlinkGC"),
    "style": ("UpdateLayoutTree", "RecalculateStyles", "ScheduleStyleRecalculation"),
    "layout": ("Layout", "UpdateLayout"),
    "paint": ("Paint", "PrePaint", "Layerize", "Commit", "UpdateLayer", "CompositeLayers"),
    "parse HTML/CSS": ("ParseHTML", "ParseAuthorStyleSheet"),
    "image decode": ("Decode Image", "ImageDecodeTask", "Decode LazyPixelRef"),
    "script": ("FunctionCall", "EvaluateScript", "v8.", "V8.", "RunMicrotasks", "TimerFire",
               "EventDispatch", "FireAnimationFrame", "XHR", "v8.compile"),
}  # fmt: skip
KINDS = ["script", "GC", "style", "layout", "paint", "parse HTML/CSS", "image decode", "other"]
PHASES = ["bundle", "widgets", "after"]


def _kind(name: str) -> str | None:
    for kind, prefixes in _KIND.items():
        if name.startswith(prefixes):
            return kind
    return None


def _origin(url: str, page_url: str) -> str:
    if harness.is_mathjax(url):
        return "MathJax (Voila's bundle)"
    if not url:
        return "native, compile, GC"
    if "/labextensions/@jupyter-widgets/" in url or "widgets-manager" in url:
        return "widget libraries (ipywidgets)"
    if "/labextensions/" in url:
        return "other lab extensions"
    if "voila" in url.split("?")[0].rsplit("/", 1)[-1] or "/voila/static/" in url:
        return "Voila's bundle (JupyterLab parts)"
    if url.split("?")[0] == page_url.split("?")[0]:
        return "the page's own scripts"
    return "other"


def analyse_trace(events: list, page_url: str) -> dict:
    """Main-thread self time (ms) by phase and kind, and sampled JS self time by origin."""
    marks = {e["name"]: e["ts"] for e in events if str(e.get("name", "")).startswith("bench:")}
    nav = max(
        e["ts"]
        for e in events
        if e.get("name") == "navigationStart"
        and e.get("args", {}).get("data", {}).get("documentLoaderURL", "").startswith("http")
    )
    ends = [marks.get("bench:ws-open", nav), marks.get("bench:plots", nav), float("inf")]

    def phase(ts):
        return next(PHASES[i] for i, end in enumerate(ends) if ts < end or i == len(ends) - 1)

    threads = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
               if e.get("ph") == "M" and e.get("name") == "thread_name"}  # fmt: skip
    busy = collections.Counter()
    for e in events:
        if e.get("ph") == "X" and e.get("name") == "RunTask" and e["ts"] >= nav:
            busy[(e["pid"], e["tid"])] += e.get("dur", 0)
    mains = [k for k, v in threads.items() if v == "CrRendererMain"]
    main = max(mains, key=lambda k: busy[k])
    table = {p: collections.Counter() for p in PHASES}
    xs = sorted(
        (e for e in events
         if e.get("ph") == "X" and "dur" in e and e["ts"] >= nav and (e["pid"], e["tid"]) == main),
        key=lambda e: (e["ts"], -e["dur"]),
    )  # fmt: skip
    stack: list = []  # (end, kind)
    for e in xs:
        while stack and stack[-1][0] <= e["ts"]:
            stack.pop()
        kind = _kind(e["name"]) or (stack[-1][1] if stack else "other")
        if stack:  # its time is no longer its parent's own
            table[phase(e["ts"])][stack[-1][1]] -= e["dur"]
        table[phase(e["ts"])][kind] += e["dur"]
        stack.append((e["ts"] + e["dur"], kind))
    for e in events:  # image decoding runs on raster threads too
        if e.get("ph") == "X" and _kind(e.get("name", "")) == "image decode" and e["ts"] >= nav:
            if (e["pid"], e["tid"]) != main:
                table[phase(e["ts"])]["image decode"] += e.get("dur", 0)
    # the V8 sampler: self time by the script it runs in
    nodes, samples = {}, []
    for e in events:
        if e.get("name") != "ProfileChunk" or e["pid"] != main[0]:
            continue
        data = e["args"]["data"]
        for n in data.get("cpuProfile", {}).get("nodes", []):
            nodes[(e["id"], n["id"])] = n["callFrame"]
        ids = data.get("cpuProfile", {}).get("samples", [])
        samples += [
            ((e["id"], i), dt) for i, dt in zip(ids, data.get("timeDeltas", []), strict=False)
        ]
    origins = collections.Counter()
    for key, dt in samples:
        frame = nodes.get(key)
        if frame is None or frame.get("functionName") in ("(idle)", "(root)"):
            continue
        origins[_origin(frame.get("url", ""), page_url)] += dt
    ms = {p: {k: v / 1000 for k, v in c.items()} for p, c in table.items()}
    times = {"ws open": ends[0], "plots": ends[1]}
    return {
        "phases": ms,
        "origins": {k: v / 1000 for k, v in origins.items()},
        "at": {k: (v - nav) / 1000 for k, v in times.items()},
    }


# -- the browser ---------------------------------------------------------------------------------
def wait_pool_warm(server, timeout: float = 120.0) -> None:
    """Until the server holds exactly one kernel (the pool's) and it has gone quiet."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        ks = server.kernels()
        if len(ks) == 1:
            try:
                quiet = quiet + 1 if ks[0].cpu_percent(interval=0.5) < 5 else 0
            except Exception:
                quiet = 0
            if quiet >= 3:
                return
        else:
            quiet = 0
            time.sleep(0.3)
    raise TimeoutError("the pool's kernel did not go quiet")


def one_tab(browser, server, trace: bool) -> dict:
    ctx = browser.new_context(viewport=harness.DESKTOP)
    ctx.add_init_script(FIRST_PLOT_INIT)
    ctx.add_init_script(PHASE_MARKS)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Performance.enable")
    wire = Wire(page)
    if trace:
        browser.start_tracing(page=page, categories=CATEGORIES)
    url = server.url(QUERY)
    page.goto(url, wait_until="commit")
    page.wait_for_function(
        "() => window.__firstPlots && window.__firstPlots.length >= 2", timeout=120_000, polling=50
    )
    plots = sorted(page.evaluate("() => window.__firstPlots"))
    dash = harness.Dashboard(page)
    dash.wait_ready()
    dash.settle(quiet_ms=1000)
    got = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    out = {k: got[k] * 1000 for k in METRICS}
    out["heap MB"] = got["JSHeapUsedSize"] / 2**20
    out["DOM nodes"] = got["Nodes"]
    out["plots ms"] = plots[1]
    out["views"] = page.evaluate("() => document.querySelectorAll('.jupyter-widgets').length")
    out["models"] = wire.models
    out["msgs"], out["bytes"] = dict(wire.msgs), dict(wire.bytes)
    out["http requests"], out["http bytes"] = wire.http()
    if trace:
        raw = browser.stop_tracing()
        if os.environ.get("BENCH_PAGE_TRACE"):  # keep the last trace (chrome://tracing, Perfetto)
            with open(os.environ["BENCH_PAGE_TRACE"], "wb") as f:
                f.write(raw)
        events = json.loads(raw)
        out["trace"] = analyse_trace(events.get("traceEvents", events), url)
    page.close(run_before_unload=True)
    ctx.close()
    return out


# -- the kernel side -----------------------------------------------------------------------------
def kernel_side() -> dict:
    """Comm messages sent while building the dashboard and while applying a link's query."""
    from comm import DummyComm as BaseComm

    from explorer.app import build_dashboard

    counts: collections.Counter = collections.Counter()
    sizes: collections.Counter = collections.Counter()
    phase = ["build"]
    original = BaseComm.publish_msg

    def publish(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        kind = msg_type + (":" + data.get("method", "") if msg_type == "comm_msg" else "")
        counts[(phase[0], kind)] += 1
        sizes[phase[0]] += len(json.dumps(data, default=str)) + sum(len(b) for b in buffers or ())
        return original(self, msg_type, data, metadata, buffers, **keys)

    BaseComm.publish_msg = publish
    try:
        dash = build_dashboard(query="")
        phase[0] = "query"
        dash.apply_query(QUERY)
    finally:
        BaseComm.publish_msg = original
    return {"counts": counts, "bytes": sizes}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="tabs measured with counters only")
    ap.add_argument("--traces", type=int, default=2, help="tabs traced (phases, origins)")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
        f"{args.runs} tabs + {args.traces} traced, one at a time, query ?{QUERY}"
    )
    runs, traced = [], []
    with harness.Server("standalone") as server, sync_playwright() as p:
        browser = harness.launch_browser(p)
        try:
            for i in range(args.runs + args.traces):
                wait_pool_warm(server)
                (traced if i >= args.runs else runs).append(
                    one_tab(browser, server, i >= args.runs)
                )
        finally:
            browser.close()
    load = os.getloadavg()[0]

    def med(rows, key):
        return median([r[key] for r in rows])

    print(f"\nResults (one run, medians of {len(runs)} tabs; load average now {load:.2f})")
    print(f"  {'request → both plots drawn':<40} {med(runs, 'plots ms'):>9.0f} ms")
    for k in METRICS:
        print(f"  {'browser ' + k:<40} {med(runs, k):>9.0f} ms")
    for k in ("heap MB", "DOM nodes", "views", "models", "http requests"):
        print(f"  {k:<40} {med(runs, k):>9.1f}")
    print(f"  {'http bytes (bodies)':<40} {med(runs, 'http bytes') / 1e3:>9.0f} kB")
    kinds = sorted({k for r in runs for k in r["msgs"]})
    print("  kernel websocket (messages, kB):")
    for k in kinds:
        n = median([r["msgs"].get(k, 0) for r in runs])
        b = median([r["bytes"].get(k, 0) for r in runs])
        print(f"    {k:<38} {n:>6.0f} {b / 1e3:>9.1f} kB")
    if traced:
        print(
            f"\nMain thread self time (ms, median of {len(traced)} traced tabs; tracing slows it)"
        )
        print(f"  {'':<16}" + "".join(f"{p:>10}" for p in PHASES) + f"{'total':>10}")
        for kind in KINDS:
            vals = [median([t["trace"]["phases"][p].get(kind, 0) for t in traced]) for p in PHASES]
            print(f"  {kind:<16}" + "".join(f"{v:>10.0f}" for v in vals) + f"{sum(vals):>10.0f}")
        tot = [median([sum(t["trace"]["phases"][p].values()) for t in traced]) for p in PHASES]
        print(f"  {'all':<16}" + "".join(f"{v:>10.0f}" for v in tot) + f"{sum(tot):>10.0f}")
        at = {k: median([t["trace"]["at"][k] for t in traced]) for k in ("ws open", "plots")}
        print(f"  phases end at: websocket open {at['ws open']:.0f} ms, plots {at['plots']:.0f} ms")
        print("  JavaScript self time by origin (V8 sampler, ms):")
        names = sorted({k for t in traced for k in t["trace"]["origins"]})
        for o in sorted(
            names, key=lambda k: -median([t["trace"]["origins"].get(k, 0) for t in traced])
        ):
            print(f"    {o:<38} {median([t['trace']['origins'].get(o, 0) for t in traced]):>9.0f}")
    ks = kernel_side()
    print("\nKernel side (in this process): comm messages sent")
    for (ph, kind), n in sorted(ks["counts"].items()):
        print(f"  {ph:<6} {kind:<28} {n:>6}")
    for ph, b in ks["bytes"].items():
        print(f"  {ph:<6} {'bytes (JSON + buffers)':<28} {b / 1e3:>6.0f} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
