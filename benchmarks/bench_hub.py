"""What a student costs on a JupyterHub: N headless students through a real hub on 127.0.0.1.

Run: ``make bench-hub [HUB_STUDENTS=10]`` or
``.venv/bin/python benchmarks/bench_hub.py [--students 10] [--pool 1] [--spread 0]``

The hub is the repository's own configuration (``deploy/jupyterhub/jupyterhub_config.py``) with the
test overrides of ``tests/browser/harness/hub.py`` (DummyAuthenticator, SimpleLocalProcessSpawner,
free loopback ports, an admin service token). Every student, in a thread of its own, all starting
within ``--spread`` seconds (default 0: a class told "log in now"), goes through three phases:

* **login**: the hub's login form (GET ``/hub/login`` for its XSRF cookie, POST name and password):
  the student now holds the hub's cookie;
* **server started**: the hub's REST API (admin token) starts the student's server
  (``POST /hub/api/users/<name>/server``) and is polled until the server is ready;
* **dashboard live**: the page protocol with the student's cookie, as a browser does it but without
  one: GET ``/user/<name>/dashboard/?<their link>`` (the OAuth round trip with the hub, then
  jupyter-server-proxy starts the dashboard server behind it and hands the page a pre-heated
  kernel), then the kernel websocket (Jupyter's v1 binary protocol), ipywidgets' control comm
  and ``request_states`` until the states hold both plots (image models with their bytes) and
  the element of the student's link in the element menu.

Per phase: median and 95th percentile over the students, and errors. Then, with every student's
websocket still open (as open tabs) and the pools refilled and quiet: resident memory (RSS, and
PSS, shared pages counted once) per student: their single-user server + dashboard server +
kernels, and the hub and its proxy. The load average is printed at the start and the end: the
machine is shared, say so when quoting.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import struct
import sys
import threading
import time
import uuid

import requests
from _browser import mb, median, percentile, pss
from bench_class import TARGETS, wait_kernels_quiet
from bench_page import decode_frame
from harness.hub import Hub, kind

PROTOCOL = "v1.kernel.websocket.jupyter.org"


# -- the kernel websocket, v1 binary protocol ------------------------------------------------------
def encode(channel: str, msg_type: str, content: dict, session: str, metadata=None) -> bytes:
    """One v1 kernel websocket frame (jupyter_server's ``v1.kernel.websocket.jupyter.org``): the
    number of offsets, the offsets, then channel, header, parent header, metadata, content.

    >>> frame = encode("shell", "comm_msg", {"data": {"method": "update"}}, "s")
    >>> decode_frame(frame)[0]
    'comm_msg:update'
    """
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "username": "student",
        "session": session,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "version": "5.3",
    }
    parts = [
        channel.encode(),
        json.dumps(header).encode(),
        b"{}",
        json.dumps(metadata or {}).encode(),
        json.dumps(content).encode(),
    ]
    # the first number counts the offsets; the last offset is the frame's end
    offsets, at = [], 8 * (len(parts) + 2)
    for p in parts:
        offsets.append(at)
        at += len(p)
    offsets.append(at)
    return struct.pack(f"<{len(offsets) + 1}Q", len(offsets), *offsets) + b"".join(parts)


def buffer_sizes(frame: bytes) -> list[int]:
    """Sizes of the binary buffers after the content of a v1 frame."""
    n = struct.unpack_from("<Q", frame, 0)[0]  # offsets, the last one the frame's end
    offs = struct.unpack_from(f"<{n}Q", frame, 8)
    return [offs[i + 1] - offs[i] for i in range(5, n - 1)]


def live_state(content: dict, sizes: list[int], element: str) -> bool:
    """Both plots have their image bytes and the element menu shows the link's element."""
    data = content["data"]
    states = data["states"]
    images = [mid for mid, s in states.items() if s["model_name"] == "ImageModel"]
    with_bytes = set()
    for path, size in zip(data.get("buffer_paths", []), sizes, strict=False):
        if path and path[0] in images and size > 0:
            with_bytes.add(path[0])
    menu_ok = False
    for s in states.values():
        st = s["state"]
        if s["model_name"] == "DropdownModel" and "Element" in str(st.get("description", "")):
            labels, index = st.get("_options_labels", []), st.get("index")
            menu_ok = index is not None and labels[index].split()[0] == element
    return len(with_bytes) >= 2 and menu_ok


# -- one student ---------------------------------------------------------------------------------
class Student(threading.Thread):
    def __init__(self, hub: Hub, name: str, query: str, element: str, delay: float, timeout: float):
        super().__init__(daemon=True)
        self.hub, self.name, self.query, self.element = hub, name, query, element
        self.delay, self.timeout = delay, timeout
        self.times: dict[str, float] = {}
        self.error: str | None = None
        self.ws = None
        self.http = requests.Session()

    def run(self) -> None:
        time.sleep(self.delay)
        try:
            t0 = time.perf_counter()
            self.login()
            t1 = time.perf_counter()
            self.start_server()
            t2 = time.perf_counter()
            page_s = self.open_dashboard()
            t3 = time.perf_counter()
            self.times = {"login": t1 - t0, "server": t2 - t1, "dashboard": t3 - t2}
            self.times["page"] = page_s
            self.times["total"] = t3 - t0
        except Exception as e:
            self.error = f"{type(e).__name__}: {e}"

    def login(self) -> None:
        r = self.http.get(self.hub.url("/hub/login"), timeout=60)
        r.raise_for_status()
        xsrf = self.http.cookies.get("_xsrf", path="/hub/")
        r = self.http.post(
            self.hub.url("/hub/login"),
            data={"username": self.name, "password": "any", "_xsrf": xsrf},
            allow_redirects=False,
            timeout=60,
        )
        if r.status_code != 302:
            raise RuntimeError(f"login: {r.status_code}")

    def start_server(self) -> None:
        r = self.hub.api("POST", f"/users/{self.name}/server")
        if r.status_code not in (201, 202):
            raise RuntimeError(f"start: {r.status_code} {r.text[:200]}")
        deadline = time.monotonic() + self.timeout
        while not self.hub.server_running(self.name):
            if time.monotonic() > deadline:
                raise TimeoutError("server did not start")
            time.sleep(0.2)

    def open_dashboard(self) -> float:
        from websockets.sync.client import connect

        t0 = time.perf_counter()
        page = self.http.get(
            self.hub.url(f"/user/{self.name}/dashboard/?{self.query}"), timeout=self.timeout
        )
        page.raise_for_status()
        page_s = time.perf_counter() - t0
        m = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page.text)
        if not m:
            raise RuntimeError("no kernel id in the page")
        session = uuid.uuid4().hex
        url = self.hub.url(
            f"/user/{self.name}/dashboard/api/kernels/{m.group(1)}/channels?session_id={session}"
        ).replace("http://", "ws://")
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        self.ws = connect(
            url,
            subprotocols=[PROTOCOL],
            additional_headers={"Cookie": cookie, "Origin": self.hub.base},
            max_size=None,
            open_timeout=60,
        ).__enter__()  # kept open, as a tab is, until the memory is measured
        comm = uuid.uuid4().hex
        self.ws.send(encode("shell", "kernel_info_request", {}, session))
        self.ws.send(
            encode(
                "shell",
                "comm_open",
                {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
                session,
                {"version": "1.0.0"},
            )
        )
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            self.ws.send(
                encode(
                    "shell",
                    "comm_msg",
                    {"comm_id": comm, "data": {"method": "request_states"}},
                    session,
                    {"version": "1.0.0"},
                )
            )
            asked = time.monotonic()
            while time.monotonic() - asked < 5:
                try:
                    frame = self.ws.recv(timeout=1)
                except TimeoutError:
                    continue
                if isinstance(frame, str):
                    continue
                kind_, content = decode_frame(frame)
                if kind_ == "comm_msg:update_states":
                    if live_state(content, buffer_sizes(frame), self.element):
                        return page_s
                    break  # not drawn yet: ask again
            time.sleep(0.3)
        raise TimeoutError("dashboard not live")


# -- memory --------------------------------------------------------------------------------------
def memory(hub: Hub, names: list[str]) -> dict:
    per_student, by_kind = [], {"single-user": [], "dashboard": [], "kernel": []}
    per_student_pss = []
    kernels_per_student = []
    for name in names:
        rss = pss_sum = 0
        nk = 0
        for p in hub.user_procs(name):
            k = kind(p)
            if k not in by_kind:
                continue
            try:
                r = p.memory_info().rss
                rss += r
                pss_sum += pss(p)
            except Exception:
                continue
            by_kind[k].append(r)
            nk += k == "kernel"
        per_student.append(rss)
        per_student_pss.append(pss_sum)
        kernels_per_student.append(nk)
    procs = hub.watch()
    hub_rss = 0
    for p in [*procs.get("proxy", []), *procs.get("culler", [])]:
        hub_rss += p.memory_info().rss
    import psutil

    hub_rss += psutil.Process(hub.proc.pid).memory_info().rss
    return {
        "per_student": per_student,
        "per_student_pss": per_student_pss,
        "by_kind": by_kind,
        "kernels": kernels_per_student,
        "hub": hub_rss,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, default=10)
    ap.add_argument("--pool", type=int, default=1, help="pre-heated kernels per student")
    ap.add_argument("--spread", type=float, default=0.0, help="arrivals spread over s")
    ap.add_argument("--timeout", type=float, default=600.0)
    args = ap.parse_args(argv)

    load0 = os.getloadavg()
    print(f"load average at start: {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f} "
          f"({os.cpu_count()} cores, shared with other jobs)")  # fmt: skip
    hub = Hub(pool=args.pool, activity_interval=60).start()
    students: list[Student] = []
    try:
        names = [f"student{i:02d}" for i in range(args.students)]
        for i, name in enumerate(names):
            el = TARGETS[i % len(TARGETS)]
            q = f"target={el}&mu={(i + 1) * 1e-11:.0e}"
            delay = args.spread * i / max(1, args.students - 1)
            students.append(Student(hub, name, q, el, delay, args.timeout))
        t0 = time.perf_counter()
        for s in students:
            s.start()
        for s in students:
            s.join(args.timeout + 60)
            hub.watch()
        wall = time.perf_counter() - t0
        load1 = os.getloadavg()
        ok = [s for s in students if s.error is None and s.times]
        errors = [f"{s.name}: {s.error or 'no result'}" for s in students if s not in ok]
        print(f"\n{len(ok)} of {len(students)} students live, {len(errors)} errors; "
              f"all live {wall:.1f} s after the first login (pool {args.pool} per student)")  # fmt: skip
        for e in errors:
            print("  error:", e)
        if ok:
            print(f"\n{'phase':<44}{'p50':>9}{'p95':>9}{'max':>9}")
            rows = [
                ("login (hub login form)", "login"),
                ("server started (REST API → ready)", "server"),
                ("dashboard live (page + kernel websocket)", "dashboard"),
                ("  of which the page's HTML", "page"),
                ("login → dashboard live", "total"),
            ]
            for label, key in rows:
                xs = [s.times[key] for s in ok]
                print(f"{label:<44}{median(xs):>8.1f}s{percentile(xs, 95):>8.1f}s{max(xs):>8.1f}s")
        # memory with every websocket open, once the refills are done and quiet
        kernels_wanted = len(ok) * (1 + args.pool)
        quiet = wait_kernels_quiet_hub(hub, kernels_wanted, timeout=240)
        mem = memory(hub, names)
        print(f"\nmemory with {len(ok)} dashboards open, pools refilled ({quiet:.0f} s later):")
        ps = mem["per_student"]
        print(f"  per student (single-user + dashboard server + kernels): median "
              f"{mb(median(ps)):.0f} MB RSS (min {mb(min(ps)):.0f}, max {mb(max(ps)):.0f}), "
              f"{mb(median(mem['per_student_pss'])):.0f} MB PSS; "
              f"kernels per student {sorted(set(mem['kernels']))}")  # fmt: skip
        for k, xs in mem["by_kind"].items():
            if xs:
                print(f"  {k:<12} median {mb(median(xs)):.0f} MB RSS ({len(xs)} processes)")
        print(f"  hub + proxy + culler: {mb(mem['hub']):.0f} MB RSS")
        print(f"  all students: {mb(sum(ps)) / 1024:.2f} GB RSS, "
              f"{mb(sum(mem['per_student_pss'])) / 1024:.2f} GB PSS")  # fmt: skip
        load2 = os.getloadavg()
        print(f"\nload average: start {load0[0]:.2f}, when all were live {load1[0]:.2f}, "
              f"at the end {load2[0]:.2f} (1-min)")  # fmt: skip
        for s in students:
            if s.ws is not None:
                s.ws.close()
        return 0 if not errors else 1
    finally:
        hub.stop()
        failed = [s.name for s in students if s.error]
        if failed:  # what the servers logged about it
            lines = [
                ln
                for ln in hub.log().splitlines()
                if any(n in ln for n in failed)
                or "Traceback" in ln
                or "ERROR" in ln
                or " 500 " in ln
            ]
            print("\nlog lines about the errors:\n" + "\n".join(ln[:300] for ln in lines[-60:]))
        if hub.left_running:
            print("left running after the hub stopped (killed):", hub.left_running)


def wait_kernels_quiet_hub(hub: Hub, n: int, timeout: float) -> float:
    """Seconds until the hub's servers hold ``n`` kernels and none is busy (or ``timeout``)."""

    class _All:
        def kernels(self):
            return hub.watch().get("kernel", [])

    return wait_kernels_quiet(_All(), n, timeout)


if __name__ == "__main__":
    sys.exit(main())
