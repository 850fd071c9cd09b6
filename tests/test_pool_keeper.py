"""Which kernels the pool keeper lets Jupyter Server's idle culler shut down, and when it
lets the pool refill.

The keeper (``explorer.serving.install_pool_keeper``) wraps the kernel manager class that Voila's
factory builds; here the factory builds a stand-in whose ``cull_kernel_if_idle`` only records
that the culler was allowed through, so each rule is checked without starting a kernel.
CI once saw the page of a fresh server never draw: its kernel, warm in the pool for longer than
``cull_idle_timeout`` and handed to a page whose websocket was not yet open, was culled at once.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import voila.app
from traitlets.config import Config

from explorer import serving
from explorer.serving import pool


class _StandIn:
    """The parts of Voila's pre-heating kernel manager the keeper touches."""

    def __init__(self):
        self._kernel_connections = {}
        self._pools = {}
        self.culled = []
        self.next_kernel = "k-page"
        self.started = []
        self.pool_item = None
        self.config = None  # traitlets config (the keeper reads the Admission budget from it)
        self.running = []  # the ids list_kernel_ids() reports
        self.kernel_pools_config = {"default": {"pool_size": 1}}

    def list_kernel_ids(self):
        return list(self.running)

    async def cull_kernel_if_idle(self, kernel_id):
        self.culled.append(kernel_id)

    def notify_connect(self, kernel_id):
        self._kernel_connections[kernel_id] = self._kernel_connections.get(kernel_id, 0) + 1

    def notify_disconnect(self, kernel_id):
        self._kernel_connections[kernel_id] -= 1

    async def get_rendered_notebook(self, *args, **kwargs):
        kernel_id = self.next_kernel
        if self.pool_item is not None:  # the pooled kernel this page gets is still to start
            kernel_id = (await self.pool_item)["kernel_id"]
        self._kernel_connections[kernel_id] = 0
        return None, None, kernel_id

    def get_kernel(self, kernel_id):
        raise KeyError(kernel_id)

    def __contains__(self, kernel_id):
        return False

    async def _initialize(self, notebook_path, kernel_id=None, **kwargs):
        # a refill starting: recorded, and at once "warm" (its task done)
        self.started.append(asyncio.get_event_loop().time())
        task = asyncio.get_event_loop().create_future()
        task.set_result(None)
        return {"kernel_id": f"k-refill-{len(self.started)}", "task": task}


@pytest.fixture
def manager(monkeypatch):
    monkeypatch.setattr(voila.app, "voila_kernel_manager_factory", lambda *a, **k: _StandIn)
    serving.install_pool_keeper()
    return voila.app.voila_kernel_manager_factory()()


def _run(coro):
    # in a thread of its own: in the whole suite the browser tests' Playwright (sync API) keeps an
    # event loop running in the main thread, where asyncio.run() refuses to start
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_a_kernel_handed_to_a_page_is_not_culled_before_the_page_connects(manager):
    async def scenario():
        await manager.get_rendered_notebook("notebooks/dashboard.ipynb")
        await manager.cull_kernel_if_idle("k-page")  # page still loading: spared
        assert manager.culled == []
        # the websocket opens and closes again (a tab closed) before the culler looks: the
        # culler decides as usual from then on, without waiting out the start timeout
        manager.notify_connect("k-page")
        manager.notify_disconnect("k-page")
        await manager.cull_kernel_if_idle("k-page")
        assert manager.culled == ["k-page"]

    _run(scenario())


def test_a_page_that_never_connects_releases_its_kernel_after_the_start_timeout(
    manager, monkeypatch
):
    monkeypatch.setenv("EXPLORER_START_TIMEOUT", "0.05")

    async def scenario():
        await manager.get_rendered_notebook("notebooks/dashboard.ipynb")
        await manager.cull_kernel_if_idle("k-page")
        assert manager.culled == []
        await asyncio.sleep(0.1)
        await manager.cull_kernel_if_idle("k-page")
        assert manager.culled == ["k-page"]

    _run(scenario())


def test_kernels_never_handed_out_are_left_to_the_culler(manager):
    _run(manager.cull_kernel_if_idle("k-other"))
    assert manager.culled == ["k-other"]


def test_the_pool_refills_only_after_the_pages_handed_kernels_have_connected(manager, monkeypatch):
    # a class opening the link: the refills (~5 s of CPU each) wait until the pages are served
    manager.config = Config({"PoolKeeper": {"refill_quiet": 0.3}})

    async def scenario():
        loop = asyncio.get_event_loop()
        await manager.get_rendered_notebook("notebooks/dashboard.ipynb")
        refill = loop.create_task(manager._initialize("notebooks/dashboard.ipynb"))
        await asyncio.sleep(1.2)  # well past the quiet time: the page has not connected yet
        assert manager.started == []
        connected = loop.time()
        manager.notify_connect("k-page")
        await asyncio.wait_for(refill, 5)
        waited = manager.started[0] - connected
        assert 0.3 <= waited < 1.5, waited  # the quiet time after the connection, then it starts

    _run(scenario())


def test_a_page_that_never_connects_holds_the_refill_back_only_until_its_start_timeout(
    manager, monkeypatch
):
    manager.config = Config({"PoolKeeper": {"refill_quiet": 0.1}})
    monkeypatch.setenv("EXPLORER_START_TIMEOUT", "1.0")

    async def scenario():
        loop = asyncio.get_event_loop()
        await manager.get_rendered_notebook("notebooks/dashboard.ipynb")
        handed = loop.time()
        await asyncio.wait_for(manager._initialize("notebooks/dashboard.ipynb"), 5)
        waited = manager.started[0] - handed
        assert 1.0 <= waited < 2.0, waited

    _run(scenario())


def test_a_page_waiting_for_a_pooled_kernel_starts_its_refill_at_once(manager, monkeypatch):
    # more pages than the pool: the refill a page waits for is not held back by the others
    manager.config = Config({"PoolKeeper": {"refill_quiet": 0.3}})

    async def scenario():
        loop = asyncio.get_event_loop()
        await manager.get_rendered_notebook("notebooks/dashboard.ipynb")  # never connects
        manager.pool_item = loop.create_task(manager._initialize("notebooks/dashboard.ipynb"))
        await asyncio.sleep(1.0)
        assert manager.started == []  # deferred: a page is still loading
        asked = loop.time()
        _, _, kernel_id = await asyncio.wait_for(
            manager.get_rendered_notebook("notebooks/dashboard.ipynb"), 5
        )
        assert kernel_id == "k-refill-1"
        assert manager.started[0] - asked < 0.8  # one poll of the refill's wait, no quiet time

    _run(scenario())


def test_a_refill_waits_while_the_kernels_fill_the_budget(manager, monkeypatch):
    # the server's kernel budget (explorer.serving.admission): no refill beyond it
    manager.config = Config({"Admission": {"max_kernels": 3}, "PoolKeeper": {"refill_quiet": 0.0}})
    manager.running = ["a", "b", "c"]

    async def scenario():
        loop = asyncio.get_event_loop()
        refill = loop.create_task(manager._initialize("notebooks/dashboard.ipynb"))
        await asyncio.sleep(1.2)
        assert manager.started == []  # three kernels, a budget of three: it waits
        freed = loop.time()
        manager.running.pop()
        await asyncio.wait_for(refill, 5)
        assert manager.started[0] - freed < 0.8  # one poll of the refill's wait

    _run(scenario())


_THREADED = """
import sys, threading, time
for _ in range(3):
    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
print("ready", flush=True)
sys.stdin.read()
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="per-thread niceness: Linux")
def test_renice_sets_every_thread_of_a_kernel_not_only_its_main_thread():
    # a pooled kernel's threads (ZMQ I/O, IOPub, heartbeat, control) start at the pool's
    # niceness; a kernel handed to a page sends every message through them
    with subprocess.Popen(
        [sys.executable, "-c", _THREADED], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout.readline().strip() == "ready"
            tids = pool._threads(proc.pid)
            assert len(tids) >= 4
            mine = os.getpriority(os.PRIO_PROCESS, 0)
            target = min(mine + 7, 19)  # raising a niceness needs no privilege
            assert pool._renice(proc.pid, target)
            nice = {tid: os.getpriority(os.PRIO_PROCESS, tid) for tid in tids}
            assert nice == dict.fromkeys(tids, target)
        finally:
            proc.kill()


def test_the_keeper_settings_come_from_voila_json_and_the_command_line(tmp_path):
    from voila.app import Voila

    from explorer.serving.pool import PoolKeeper

    (tmp_path / "voila.json").write_text('{"PoolKeeper": {"refill_quiet": 2.5, "niceness": 10}}')
    app = Voila()
    app.load_config_file("voila", path=[str(tmp_path)])
    app.parse_command_line(["--PoolKeeper.refill_at_once=4", "notebooks/dashboard.ipynb"])
    keeper = PoolKeeper(config=app.config)
    assert (keeper.refill_quiet, keeper.niceness, keeper.refill_at_once) == (2.5, 10, 4)
    assert keeper.warmup_timeout == 120.0  # the default where nothing is set


def test_every_setting_has_help_and_is_listed_in_the_readme():
    from pathlib import Path

    from explorer.serving.admission import Admission
    from explorer.serving.pool import PoolKeeper

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    for cls in (PoolKeeper, Admission):
        for name, trait in cls.class_traits(config=True).items():
            if name in ("log",):
                continue
            assert len(trait.help) > 20, (cls.__name__, name)
            assert f"`{cls.__name__}.{name}`" in readme, (cls.__name__, name)
