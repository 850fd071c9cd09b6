"""The pool of pre-heated kernels: never culled, never handing out a dead kernel, refilled a
few kernels at a time at low CPU priority and never past the kernel budget.

:class:`PoolKeeper` decides; :func:`explorer.serving.voila_internals.install_kernel_manager_hooks`
makes Voila's kernel manager consult it. Its settings are traitlets options, settable in
``voila.json`` (section ``"PoolKeeper"``) or on the command line
(``--PoolKeeper.refill_at_once=4``); the README lists them.
"""

from __future__ import annotations

import asyncio
import os

from traitlets import Float, Int
from traitlets.config import LoggingConfigurable

from explorer.serving import voila_internals as internals
from explorer.serving.admission import Admission, pool_size
from explorer.serving.pages import start_timeout

__all__ = ["PoolKeeper", "install_pool_keeper", "keeper_of"]


class PoolKeeper(LoggingConfigurable):
    """Keep Voila's pre-heated kernel pool sound, and refill it gently (one per kernel manager).

    * Pooled kernels (started, not yet given to a page) are exempt from idle culling: Voila 0.5
      removes a culled pooled kernel from its pool but never refills it, so after one
      ``cull_idle_timeout`` every later page would start a cold kernel.
    * A kernel handed to a page is exempt until the page's websocket connects, for at most
      :func:`~explorer.serving.pages.start_timeout` seconds (after which the page shows its
      failure notice): its last activity dates from its warm-up in the pool, and under load a
      tab can take longer than ``cull_idle_timeout`` to load Voila's scripts, so the culler
      would otherwise shut the kernel down under the page that is still loading.
    * A kernel that dies (the restarter finds its process gone; with ``restart_limit = 0`` in
      ``voila.json`` it is not restarted) leaves the kernel manager, and if it was waiting in
      the pool it leaves the pool, which is refilled: no page is ever given a dead kernel.
    * Refills start once no page has taken a pooled kernel or connected to it for
      :attr:`refill_quiet` seconds and every page handed a kernel has connected (or given up
      after its start timeout) — at once while a page waits for a pooled kernel not yet started
      (more pages than the pool) — run at most :attr:`refill_at_once` at a time, each until its
      kernel is warm (waiting for its page request), and at niceness :attr:`niceness` until a
      page takes the kernel: the tabs already open keep the CPU.
    """

    refill_at_once = Int(
        2,
        config=True,
        help="Pre-heated kernels warmed up at the same time, at most (Voila alone starts every "
        "missing kernel at once: after a burst of twenty pages, twenty replacements starve the "
        "twenty open tabs).",
    )
    niceness = Int(
        19,
        config=True,
        help="Niceness of a kernel while it warms up in the pool (restored to the server's own "
        "when a page takes it, where the operating system allows: as root, or with "
        "CAP_SYS_NICE). 19, the lowest priority: a warming kernel runs on the CPU the tabs leave.",
    )
    warmup_timeout = Float(
        120.0,
        config=True,
        help="Seconds a warming kernel may hold a refill slot before the next one starts anyway.",
    )
    refill_quiet = Float(
        5.0,
        config=True,
        help="Refills wait until no page has taken a pooled kernel, and no page's websocket has "
        "connected, for this many seconds, and until every kernel handed to a page has its page "
        "connected (at most the page's start timeout): the CPU goes to the tabs being drawn.",
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.handed: dict = {}  # kernel id → when a page took it (until the page connects)
        self.waiting = 0  # pages waiting for a pooled kernel now
        self.last_page = -1e9  # when a page last took a kernel or connected
        self._slots: asyncio.Semaphore | None = None
        self._admission: Admission | None = None

    # -- culling ------------------------------------------------------------------------------
    def awaits_its_page(self, kernel_id) -> bool:
        """A kernel handed to a page whose websocket has not connected, within the page's start
        timeout (after it the page shows its notice)."""
        if kernel_id not in self.handed:
            return False
        if _now() - self.handed[kernel_id] > start_timeout():
            del self.handed[kernel_id]
            return False
        return True

    def exempt_from_culling(self, manager, kernel_id) -> bool:
        return kernel_id in internals.pooled_kernel_ids(manager) or self.awaits_its_page(kernel_id)

    def page_connected(self, kernel_id) -> None:
        """The page's websocket is open: from now on the culler decides as usual."""
        if self.handed.pop(kernel_id, None) is not None:
            self.last_page = _now()

    def pooled_kernel_died(self, manager, kernel_id, notebook) -> None:
        self.log.warning("Pre-heated kernel %s died; refilling the pool", kernel_id)
        manager.fill_if_needed(delay=0, notebook_name=notebook)

    def has_warm_kernel(self, manager) -> bool:
        """A pooled kernel already waiting for its page, more than pages now asking."""
        warm = sum(
            internals.kernel_waits_for_its_page(k) for k in internals.pooled_kernel_ids(manager)
        )
        return warm > self.waiting

    # -- gentle refills -----------------------------------------------------------------------
    def pages_loading(self) -> bool:
        """A page took a kernel or connected to it lately, or one still awaits its page; but a
        page waiting for a pooled kernel that has not started gets it now."""
        if self.waiting:
            return False
        if _now() - self.last_page < self.refill_quiet:
            return True
        return any(self.awaits_its_page(k) for k in list(self.handed))

    def over_budget(self, manager) -> bool:
        """The server's kernel budget (:mod:`explorer.serving.admission`) is full."""
        if self._admission is None:
            self._admission = Admission(config=manager.config)
        return len(manager.list_kernel_ids()) >= self._admission.budget(pool_size(manager))

    async def refill(self, manager, start):
        """Start a pooled kernel (``start()``: Voila's own start) when the pages allow."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.refill_at_once)
        while self.pages_loading() or self.over_budget(manager):
            await asyncio.sleep(0.5)
        await self._slots.acquire()
        try:
            content = await start()
        except BaseException:
            self._slots.release()
            raise
        _renice(_kernel_pid(manager, content["kernel_id"]), self.niceness)
        asyncio.get_event_loop().create_task(self._release_when_warm(manager, content))
        return content

    async def _release_when_warm(self, manager, content) -> None:
        deadline = _now() + self.warmup_timeout
        kid = content["kernel_id"]
        try:
            while (
                not internals.kernel_waits_for_its_page(kid)
                and not content["task"].done()
                and kid in manager
                and _now() < deadline
            ):
                await asyncio.sleep(0.2)
        finally:
            self._slots.release()

    async def hand_out(self, manager, take):
        """A page takes a kernel (``take()``: Voila's own); it runs at normal priority again."""
        self.last_page = _now()
        self.waiting += 1
        try:
            render_task, cache, kid = await take()
        finally:
            self.waiting -= 1
        self.handed[kid] = _now()
        _renice(_kernel_pid(manager, kid), os.getpriority(os.PRIO_PROCESS, 0))
        return render_task, cache, kid


def _now() -> float:
    return asyncio.get_event_loop().time()


def keeper_of(manager) -> PoolKeeper:
    """The pool keeper of a kernel manager (made on first use, from the manager's config)."""
    keeper = getattr(manager, "explorer_pool_keeper", None)
    if keeper is None:
        keeper = manager.explorer_pool_keeper = PoolKeeper(config=manager.config)
    return keeper


def install_pool_keeper() -> None:
    """Make Voila's kernel managers keep their pools with a :class:`PoolKeeper`. Idempotent."""
    internals.install_kernel_manager_hooks(keeper_of)


def _kernel_pid(manager, kernel_id: str) -> int | None:
    try:
        km = manager.get_kernel(kernel_id)
        process = getattr(km.provisioner, "process", None)
        return process.pid if process is not None else None
    except Exception:  # no such kernel, or a provisioner without a local process
        return None


def _threads(pid: int) -> list[int]:
    """A process's thread ids (Linux ``/proc/<pid>/task``); elsewhere the process id alone."""
    try:
        return [int(tid) for tid in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        return [pid]


def _renice(pid: int | None, niceness: int) -> bool:
    """Set the niceness of every thread of a process; False where the OS refuses (lowering it
    needs privileges).

    On Linux a niceness belongs to a thread (``setpriority(PRIO_PROCESS, pid)`` sets the main
    thread's only), and a thread starts with its creator's: a kernel reniced while it starts up
    has its ZMQ I/O, IOPub, heartbeat and control threads at that niceness too, so all of them are
    set, or a kernel handed to a page sends every message through threads still at
    :attr:`PoolKeeper.niceness` (measured: the main thread back at 0, the 15 others at 19).

    Test: ``tests/test_pool_keeper.py`` (a process with threads, every one reniced).
    """

    if pid is None or not hasattr(os, "setpriority"):
        return False
    done = False
    for tid in _threads(pid):
        try:
            os.setpriority(os.PRIO_PROCESS, tid, niceness)
        except ProcessLookupError:  # the thread ended meanwhile
            continue
        except OSError:
            return False
        done = True
    return done
