"""The course on a real JupyterHub, end to end (issue 19).

One hub for the module, started from ``deploy/jupyterhub/jupyterhub_config.py`` with the test
overrides of :mod:`harness.hub` (DummyAuthenticator, SimpleLocalProcessSpawner, free ports on
127.0.0.1, a short cull timeout). Three students in Chromium each follow a teacher's shared link
``/hub/user-redirect/dashboard/?…`` with a different view: the hub asks them to log in, starts
their server, and the pre-heated dashboard behind it opens that view under ``/user/<name>/``.
The tests run in file order on the same hub: state, a slider press, the hub's proxy restarting,
the idle culler, and nothing left running at the end.

``EXPLORER_HUB_SHOTS=/tmp/dir`` also saves the hub's login page and a student's dashboard at
1366 px there (to look at; never in git).
"""

from __future__ import annotations

import collections
import contextlib
import math
import os
import time
from urllib.parse import parse_qs, urlsplit

import harness
import pytest
from harness.hub import Hub
from playwright.sync_api import Error as PlaywrightError

from explorer.serving.frames import _offsets, v1_header

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CULL_TIMEOUT = 45  # seconds; the deployed configuration's default is 3600
# Each student's shared link (the part after /hub/user-redirect/) and what their page must show:
# the element in the menu and μν (units of μ_B) on the slider and in the view link.
STUDENTS = {
    "alice": ("dashboard/?preset=xenon-pp&mu=5e-12", "Xe", 5e-12),
    "bob": ("dashboard/?target=Ge&mu=3e-11&E=1", "Ge", 3e-11),
    "carol": ("dashboard/?target=Si&mu=8e-11", "Si", 8e-11),
}
SHOTS = os.environ.get("EXPLORER_HUB_SHOTS")


@pytest.fixture(scope="module")
def hub():
    h = Hub(cull_timeout=CULL_TIMEOUT, activity_interval=5).start()
    yield h
    h.stop()


class Student:
    """One student's browser context and dashboard tab, and what they first saw."""

    def __init__(self, browser, name: str):
        self.name = name
        self.link, self.element, self.mu = STUDENTS[name]
        self.ctx = browser.new_context(viewport=harness.DESKTOP)
        self.page = self.ctx.new_page()
        self.console = harness.Console(self.page)
        self.failed: list[str] = []
        self.page.on(
            "response",
            lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        self.dash = harness.Dashboard(self.page)
        # the kernel websockets' frames (time, direction, message type), for a failure to show
        self.frames: collections.deque = collections.deque(maxlen=40)
        self.page.on("websocket", self._watch_socket)
        self.ready_at: float | None = None
        self.first: dict = {}
        self.last_press = 0.0

    def _watch_socket(self, ws) -> None:
        name = ws.url.rsplit("/api/kernels/", 1)[-1][:8]
        self.frames.append(f"{time.strftime('%H:%M:%S')} {name} open")

        def seen(direction):
            def on_frame(payload):
                header = v1_header(payload) if isinstance(payload, bytes) else None
                what = header.get("msg_type") if header else f"{len(payload)} B"
                if what in ("stream", "error"):  # what the kernel printed: the content itself
                    offsets = _offsets(payload)
                    what += " " + payload[offsets[4] : offsets[5]].decode("utf-8", "replace")[:600]
                self.frames.append(f"{time.strftime('%H:%M:%S')} {name} {direction} {what}")

            return on_frame

        ws.on("framesent", seen("→"))
        ws.on("framereceived", seen("←"))
        ws.on("close", lambda _ws: self.frames.append(f"{time.strftime('%H:%M:%S')} {name} closed"))

    def follow_link_and_log_in(self, hub: Hub, shots: str | None = None) -> None:
        self.page.goto(hub.url(f"/hub/user-redirect/{self.link}"), wait_until="load")
        # not logged in: the hub's login page, which remembers where the link was going
        assert urlsplit(self.page.url).path == "/hub/login", self.page.url
        assert "next=" in self.page.url
        self.page.locator("#username_input").fill(self.name)
        self.page.locator("#password_input").fill("any password")
        if shots:
            self.page.screenshot(path=f"{shots}/hub-login.png")
        self.page.locator("#login_submit").click(no_wait_after=True)

    def is_ready(self) -> bool:
        """Both live plots drawn (False while the hub's pages lead here: login, spawn, …)."""
        if not urlsplit(self.page.url).path.endswith("/dashboard/"):
            return False
        try:
            return self.page.evaluate(
                "([sel]) => Array.from(document.querySelectorAll(sel))"
                ".filter(i => i.src && i.complete && i.naturalWidth > 0).length >= 2",
                [harness.PLOT],
            )
        except PlaywrightError:  # the page navigated meanwhile
            return False

    def record(self) -> None:
        """What the page shows once live (before anyone moves a control)."""
        self.dash.wait_ready()
        self.dash.settle()
        harness.wait_session(self.page, "live", timeout=30)
        link = harness.view_link(self.page)
        self.first = {
            "url": self.page.url,
            "view_link": link,
            "element": self.dash.dropdown("Element").locator("select").input_value(),
            "mu": self.dash.slider_value(self.dash.slider("μν")),
            "kernel": self.dash.kernel_id(),
            "hashes": self.dash.image_hashes(),
        }

    def at_work(self, every: float = 10.0) -> None:
        """A student at work moves the μν slider now and then (activity the culler sees)."""
        if self.first and time.monotonic() - self.last_press > every:
            self.dash.nudge(self.dash.slider("μν"))
            self.last_press = time.monotonic()

    def close(self) -> None:
        for p in list(self.ctx.pages):
            p.close(run_before_unload=True)
        self.ctx.close()


@pytest.fixture(scope="module")
def students(browser, hub):
    group = {name: Student(browser, name) for name in STUDENTS}
    for i, s in enumerate(group.values()):
        s.follow_link_and_log_in(hub, SHOTS if i == 0 else None)
    t0 = time.monotonic()
    # the three servers start together; whoever is live first goes on working meanwhile
    while any(s.ready_at is None for s in group.values()):
        assert time.monotonic() - t0 < 300, {n: s.page.url for n, s in group.items()}
        for s in group.values():
            if s.ready_at is None and s.is_ready():
                s.record()
                s.ready_at = time.monotonic() - t0
            else:
                s.at_work()
        # (not time.sleep: Playwright's sync API takes in the pages' events only while it runs)
        next(iter(group.values())).page.wait_for_timeout(500)
    print({n: f"{s.ready_at:.1f} s" for n, s in group.items()}, "link → live plots")
    yield group
    for s in group.values():
        with contextlib.suppress(Exception):  # already closed by a test
            s.close()


def test_each_student_opens_their_own_view_through_a_hub_link(students, hub):
    kernels = set()
    for name, s in students.items():
        got = s.first
        # the link led through login and spawn to the student's own dashboard, query intact
        assert urlsplit(got["url"]).path == f"/user/{name}/dashboard/", got["url"]
        link = urlsplit(got["view_link"])
        assert link.path == f"/user/{name}/dashboard/", got["view_link"]
        assert got["element"].split()[0] == s.element, (name, got)  # "Xe (Z = 54)"
        assert math.isclose(got["mu"], s.mu, rel_tol=0.02), (name, got)
        assert math.isclose(float(parse_qs(link.query)["mu"][0]), s.mu, rel_tol=1e-6), got
        kernels.add(got["kernel"])
        # every URL the page, its scripts and its previews used carried the /user/<name>/ prefix
        assert not s.failed, (name, s.failed)
        assert not s.console.errors, (name, s.console.errors)
        png = s.page.request.get(
            hub.url(f"/user/{name}/dashboard/explorer/preview/electron.png?target=Ge")
        )
        assert png.status == 200 and png.body()[:4] == b"\x89PNG", (name, png.status)
        assert hub.server_running(name)
    assert len(kernels) == 3, "each student has a kernel of their own"
    # each student's own server, dashboard server and kernel(s), as separate processes
    for name in STUDENTS:
        kinds = [harness.hub.kind(p) for p in hub.user_procs(name)]
        assert kinds.count("single-user") == 1 and "dashboard" in kinds and "kernel" in kinds, (
            name,
            kinds,
        )
    # a student cannot open another student's server
    other = students["alice"].page.request.get(
        hub.url("/user/bob/dashboard/"), fail_on_status_code=False
    )
    assert other.status == 403, (other.status, other.url)
    if SHOTS:
        students["alice"].dash.screenshot(f"{SHOTS}/hub-student-dashboard-1366.png")


def test_a_slider_press_redraws_each_students_plots(students):
    for s in students.values():
        before = s.dash.image_srcs()
        s.dash.nudge(s.dash.slider("μν"))
        s.last_press = time.monotonic()
        s.dash.wait_images_change(before, timeout=30)


def test_pages_survive_the_hub_proxy_restarting(students, hub):
    old = hub.proxy()
    assert old is not None
    old.kill()
    deadline = time.monotonic() + 60
    while (new := hub.proxy()) is None or new.pid == old.pid:
        assert time.monotonic() < deadline, (
            "the hub did not restart its proxy:\n" + hub.log()[-3000:]
        )
        time.sleep(0.2)
    for name, s in students.items():
        # the kernel websocket dropped with the proxy and came back on its own: same kernel,
        # same page, no reload
        try:
            s.page.wait_for_function(
                "() => window.__nacSession && window.__nacSession.reconnects >= 1"
                " && window.__nacSession.state === 'live'",
                timeout=60_000,
                polling=200,
            )
        except PlaywrightError:
            raise AssertionError(
                f"{name}'s page did not come back after the proxy restart: "
                f"{harness.session(s.page)}\nproxy lines of the hub log:\n"
                + "\n".join(ln for ln in hub.log().splitlines() if "roxy" in ln)[-3000:]
            ) from None
        assert s.dash.kernel_id() == s.first["kernel"], name
        assert s.page.url == s.first["url"], name
        before = s.dash.image_srcs()
        s.dash.nudge(s.dash.slider("μν"))
        s.last_press = time.monotonic()
        try:
            s.dash.wait_images_change(before, timeout=30)
        except PlaywrightError:
            sliders = s.page.evaluate(
                "() => Array.from(document.querySelectorAll('.noUi-handle')).map(h => "
                "[h.getAttribute('aria-valuenow'), h.getAttribute('aria-valuemax'), "
                "h.offsetParent !== null, !!h.closest('[inert]'), h === document.activeElement])"
            )
            s.dash.nudge(s.dash.slider("μν"))
            s.page.wait_for_timeout(3000)
            raise AssertionError(
                f"slider handles (now, max, visible, inert, focused): {sliders}\n"
                f"{name}'s page came back but a key press did not redraw: "
                f"{harness.session(s.page)}\nframes: {list(s.frames)}\n"
                f"console: {list(s.console.lines)[-12:]}\nthe hub log's"
                f" lines on websockets and on kernel {s.first['kernel']}:\n"
                + "\n".join(
                    ln
                    for ln in hub.log().splitlines()
                    if s.first["kernel"] in ln or "ebsocket" in ln or "onnection" in ln
                )[-6000:]
            ) from None
        assert not s.page.locator(harness.BANNER + "[data-state=ended]").count(), name


def test_a_student_who_leaves_is_culled(students, hub):
    leaver = students["carol"]
    procs = hub.user_procs("carol")
    assert procs
    leaver.close()
    t0 = time.monotonic()
    while hub.server_running("carol"):
        assert time.monotonic() - t0 < CULL_TIMEOUT + 90, "carol's server was not culled"
        for s in (students["alice"], students["bob"]):
            s.at_work(every=8)
        students["alice"].page.wait_for_timeout(1000)
    print(f"culled {time.monotonic() - t0:.0f} s after the tab closed (timeout {CULL_TIMEOUT} s)")
    deadline = time.monotonic() + 30
    while alive := [p for p in procs if p.is_running()]:
        assert time.monotonic() < deadline, [harness.hub.kind(p) for p in alive]
        time.sleep(0.5)
    # the two at work were kept, and still draw
    for s in (students["alice"], students["bob"]):
        assert hub.server_running(s.name)
        before = s.dash.image_srcs()
        s.dash.nudge(s.dash.slider("μν"))
        s.dash.wait_images_change(before, timeout=30)


def test_nothing_is_left_running_once_the_hub_stops(students, hub):
    for name in ("alice", "bob"):
        students[name].close()
    seen = {k for k, _ in hub.seen.values()}
    assert {"proxy", "culler", "single-user", "dashboard", "kernel"} <= seen, seen
    hub.stop()
    left = [(harness.hub.kind(p), p.pid) for p in hub.left_running]
    assert not left, f"still running after the hub stopped: {left}"
