"""A cold dashboard kernel, without a browser: where its start-up time and memory go.

Run: ``.venv/bin/python benchmarks/bench_kernel.py [--runs 3]``

Starts a fresh ``ipykernel`` (as Voila does, through ``jupyter_client``), then runs the dashboard
notebook's first cell in steps, timing each from this process: the kernel up to its first reply,
the imports, ``build_dashboard`` (widgets and the first renders). Then, inside the kernel: the
widget models the page will fetch (``len(Widget.widgets)``, by class), the comm messages the
first cell sent on IOPub, heavy modules that should not be there, and the kernel's resident memory
(RSS) once drawn. One kernel per run, one after another; medians over the runs. Design targets
(docs/design.md, "Performance targets"): a cold kernel shows its first plot ≤ 2.5 s after the page request (in the browser:
``make bench-class``), one kernel ≤ 100 MB resident.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from jupyter_client.manager import start_new_kernel

#: The dashboard notebook's first cell, split into steps timed one by one.
STEPS = {
    "imports": "from explorer.app import build_dashboard\n"
    "from explorer.app.control.page_request import wait_for_page_request",
    "build_dashboard": "dash = build_dashboard(query='')",
}

PROBE = """
import collections, json, os, sys, warnings
import ipywidgets
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _w = dict(ipywidgets.Widget.widgets)
_heavy = ("scipy", "matplotlib.pyplot", "pandas", "periodictable", "xraylib", "PIL.Image",
          "mpl_toolkits.mplot3d", "websockets", "jupyter_server", "tornado.web")
with open(f"/proc/{os.getpid()}/status") as _f:
    _rss = next(int(l.split()[1]) for l in _f if l.startswith("VmRSS:"))
print(json.dumps({
    "models": len(_w),
    "by_class": collections.Counter(type(w).__name__ for w in _w.values()).most_common(),
    "heavy": [m for m in _heavy if m in sys.modules],
    "modules": len(sys.modules),
    "rss_kb": _rss,
}))
"""


def run_code(kc, code: str, timeout: float = 120) -> tuple[float, list]:
    """Execute ``code``; seconds until the reply, and the IOPub messages it caused."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code, store_history=False)
    while kc.get_shell_msg(timeout=timeout)["parent_header"].get("msg_id") != msg_id:
        pass  # the execute_reply of this request
    elapsed = time.perf_counter() - t0
    msgs = []
    while True:  # IOPub until the kernel is idle again after this request
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        msgs.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return elapsed, msgs


def one_kernel(kernel: str) -> dict:
    t0 = time.perf_counter()
    km, kc = start_new_kernel(
        kernel_name="python3", cwd=os.getcwd(), env={**os.environ, "PYTHONWARNINGS": "ignore"}
    )
    out = {"kernel_start": time.perf_counter() - t0}
    try:
        for name, code in STEPS.items():
            out[name], msgs = run_code(kc, code)
            if name == "build_dashboard":
                kinds = [m["msg_type"] for m in msgs]
                out["comm_open"] = kinds.count("comm_open")
                out["comm_msg"] = kinds.count("comm_msg")
                out["iopub_bytes"] = sum(len(json.dumps(m["content"], default=str)) for m in msgs)
                errors = [m["content"] for m in msgs if m["msg_type"] == "error"]
                if errors:
                    raise RuntimeError(errors[0]["evalue"])
        out["first_cell"] = out["imports"] + out["build_dashboard"]
        _, msgs = run_code(kc, PROBE)
        text = "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream")
        out.update(json.loads(text))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--kernel",
        choices=("lean", "plain"),
        default="lean",
        help="lean: the standalone server's kernel (explorer.serving.use_lean_kernel, no "
        "debugger); plain: the ordinary python3 kernel (the Jupyter Server route)",
    )
    args = ap.parse_args(argv)
    if args.kernel == "lean":
        from explorer.serving import use_lean_kernel

        use_lean_kernel()
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
        f"{args.kernel} kernel"
    )
    runs = [one_kernel(args.kernel) for _ in range(args.runs)]
    med = {
        k: statistics.median(r[k] for r in runs) for k in runs[0] if k not in ("by_class", "heavy")
    }
    print(f"\nResults ({args.runs} cold kernels one after another; medians, each in brackets)")
    for key, what in [
        ("kernel_start", "kernel process up, first reply"),
        ("imports", "first cell: imports"),
        ("build_dashboard", "first cell: build_dashboard (widgets, first renders)"),
        ("first_cell", "first cell in all"),
    ]:
        each = ", ".join(f"{r[key]:.2f}" for r in runs)
        print(f"  {what:<52} {med[key]:>7.2f} s  ({each})")
    print(
        f"  {'kernel resident (RSS) after the first cell':<52} {med['rss_kb'] / 1024:>7.1f} MB  target ≤ 100 MB"
    )
    print(f"  {'widget models the page fetches':<52} {med['models']:>7.0f}")
    print(f"    by class: {runs[0]['by_class']}")
    print(
        f"  {'comm_open / comm_msg sent by the first cell':<52} {med['comm_open']:>3.0f} / {med['comm_msg']:.0f}"
    )
    print(f"  {'IOPub payload of the first cell':<52} {med['iopub_bytes'] / 1024:>7.1f} kB")
    print(f"  {'modules loaded':<52} {med['modules']:>7.0f}")
    print(f"  {'heavy modules loaded':<52} {runs[0]['heavy']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
