"""The pool of pre-heated kernels: never culled, never handing out a dead kernel, refilled a
few kernels at a time at low CPU priority and never past the kernel budget."""

from __future__ import annotations

import asyncio
import os

from explorer.serving.admission import Admission, pool_size
from explorer.serving.pages import start_timeout

#: Pre-heated kernels warmed up at the same time, at most (Voila alone starts every missing kernel
#: at once: after a burst of twenty pages, twenty replacements starve the twenty open tabs).
POOL_REFILL_AT_ONCE = 2
#: Niceness of a kernel while it warms up in the pool (restored to the server's own when a page
#: takes it, where the operating system allows: as root, or with CAP_SYS_NICE). 19, the lowest
#: priority: a warming kernel gets ~1.5 % of a core's share next to one busy normal process
#: (Linux CFS weights 15 vs 1024; it was 10, weight 110), so it runs on the CPU the tabs leave.
POOL_NICENESS = 19
#: Seconds a warming kernel may hold a refill slot before the next one starts anyway.
POOL_WARMUP_TIMEOUT = 120.0
#: Refills wait until no page has taken a pooled kernel, and no page's websocket has connected,
#: for this many seconds, and until every kernel handed to a page has its page connected (at most
#: :func:`start_timeout`): during a burst of page requests the CPU goes to the tabs being
#: drawn, the pool refills after it (a kernel's warm-up costs ~5 s of CPU, more than a page).
POOL_REFILL_QUIET = 5.0


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
    :data:`POOL_NICENESS` (measured: the main thread back at 0, the 15 others at 19).

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


def _is_warm(kernel_id: str) -> bool:
    """Whether a pre-heated kernel has reached ``wait_for_page_request`` (it then connects to
    Voila's request-info websocket, :mod:`explorer.app.control.page_request`)."""
    from voila.request_info_handler import RequestInfoSocketHandler

    return kernel_id in RequestInfoSocketHandler._waiters


def install_pool_keeper() -> None:
    """Keep Voila's pre-heated kernel pool sound, and refill it gently. Idempotent.

    * Pooled kernels (started, not yet given to a page) are exempt from idle culling: Voila 0.5
      removes a culled pooled kernel from its pool but never refills it, so after one
      ``cull_idle_timeout`` every later page would start a cold kernel.
    * A kernel handed to a page is exempt until the page's websocket connects, for at most
      :func:`start_timeout` seconds (after which the page shows its failure notice): its last
      activity dates from its warm-up in the pool, and under load a tab can take longer than
      ``cull_idle_timeout`` to load Voila's scripts, so the culler would otherwise shut the
      kernel down under the page that is still loading.
    * A kernel that dies (the restarter finds its process gone; with ``restart_limit = 0`` in
      ``voila.json`` it is not restarted) leaves the kernel manager, and if it was waiting in the
      pool it leaves the pool, which is refilled: no page is ever given a dead kernel.
    * Refills start once no page has taken a pooled kernel or connected to it for
      :data:`POOL_REFILL_QUIET` seconds and every page handed a kernel has connected (or given
      up after :func:`start_timeout`) — at once while a page waits for a pooled kernel not yet
      started (more pages than the pool) — run at most :data:`POOL_REFILL_AT_ONCE` at a time,
      each until its kernel is warm (waiting for its page request), and at niceness
      :data:`POOL_NICENESS` until a page takes the kernel: the tabs already open keep the CPU.
    """
    import asyncio

    import voila.app

    factory = voila.app.voila_kernel_manager_factory
    if getattr(factory, "_keeps_pool", False):
        return

    def keeping_factory(*args, **kwargs):
        cls = factory(*args, **kwargs)

        class PoolKeepingKernelManager(cls):
            def pooled_ids(self) -> set:
                ids = set()
                for pool in getattr(self, "_pools", {}).values():
                    for task in pool:
                        if task.done() and not task.cancelled() and task.exception() is None:
                            ids.add(task.result().get("kernel_id"))
                return ids

            def has_warm_kernel(self) -> bool:
                # a pooled kernel already waiting for its page, more than pages now asking
                warm = sum(_is_warm(k) for k in self.pooled_ids())
                return warm > getattr(self, "_explorer_waiting", 0)

            def _awaits_its_page(self, kernel_id) -> bool:
                # the grace is the page's own start timeout: after it the page shows its notice
                handed = getattr(self, "_explorer_handed", {})
                if kernel_id not in handed:
                    return False
                if asyncio.get_event_loop().time() - handed[kernel_id] > start_timeout():
                    del handed[kernel_id]
                    return False
                return True

            def notify_connect(self, kernel_id):
                # the page's websocket is open: from now on the culler decides as usual
                if getattr(self, "_explorer_handed", {}).pop(kernel_id, None) is not None:
                    self._explorer_last_page = asyncio.get_event_loop().time()
                return super().notify_connect(kernel_id)

            def _pages_loading(self) -> bool:
                # a page took a kernel or connected to it lately, or one still awaits its page;
                # but a page waiting for a pooled kernel that has not started gets it now
                if getattr(self, "_explorer_waiting", 0):
                    return False
                now = asyncio.get_event_loop().time()
                if now - getattr(self, "_explorer_last_page", -1e9) < POOL_REFILL_QUIET:
                    return True
                return any(
                    self._awaits_its_page(k) for k in list(getattr(self, "_explorer_handed", {}))
                )

            async def cull_kernel_if_idle(self, kernel_id):
                if kernel_id in self.pooled_ids() or self._awaits_its_page(kernel_id):
                    return None
                return await super().cull_kernel_if_idle(kernel_id)

            def _handle_kernel_died(self, kernel_id):
                notebook = None
                for name, pool in getattr(self, "_pools", {}).items():
                    for task in list(pool):
                        if (
                            task.done()
                            and not task.cancelled()
                            and task.exception() is None
                            and task.result().get("kernel_id") == kernel_id
                        ):
                            pool.remove(task)
                            notebook = name
                for data in getattr(self, "notebook_data", {}).values():
                    data.get("kernel_ids", set()).discard(kernel_id)
                super()._handle_kernel_died(kernel_id)
                if notebook is not None:
                    self.log.warning("Pre-heated kernel %s died; refilling the pool", kernel_id)
                    self.fill_if_needed(delay=0, notebook_name=notebook)

            # -- gentle refills (pre-heating kernel managers only) ---------------------------
            def _over_budget(self) -> bool:
                # the server's kernel budget (admission.py): a refill waits for a kernel to go
                if getattr(self, "_explorer_admission", None) is None:
                    self._explorer_admission = Admission(config=self.config)
                budget = self._explorer_admission.budget(pool_size(self))
                return len(self.list_kernel_ids()) >= budget

            def _refill_slots(self) -> asyncio.Semaphore:
                if getattr(self, "_explorer_slots", None) is None:
                    self._explorer_slots = asyncio.Semaphore(POOL_REFILL_AT_ONCE)
                return self._explorer_slots

            async def _initialize(self, notebook_path, kernel_id=None, **kwargs):
                if kernel_id is not None:  # a restart of a known kernel: as Voila does it
                    return await super()._initialize(notebook_path, kernel_id, **kwargs)
                slots = self._refill_slots()
                while self._pages_loading() or self._over_budget():
                    await asyncio.sleep(0.5)
                await slots.acquire()
                try:
                    content = await super()._initialize(notebook_path, None, **kwargs)
                except BaseException:
                    slots.release()
                    raise
                kid = content["kernel_id"]
                _renice(_kernel_pid(self, kid), POOL_NICENESS)
                asyncio.get_event_loop().create_task(self._release_when_warm(slots, content))
                return content

            async def _release_when_warm(self, slots, content):
                loop = asyncio.get_event_loop()
                deadline = loop.time() + POOL_WARMUP_TIMEOUT
                kid = content["kernel_id"]
                try:
                    while (
                        not _is_warm(kid)
                        and not content["task"].done()
                        and kid in self
                        and loop.time() < deadline
                    ):
                        await asyncio.sleep(0.2)
                finally:
                    slots.release()

            async def get_rendered_notebook(self, *args, **kwargs):
                self._explorer_last_page = asyncio.get_event_loop().time()
                self._explorer_waiting = getattr(self, "_explorer_waiting", 0) + 1
                try:
                    render_task, cache, kid = await super().get_rendered_notebook(*args, **kwargs)
                finally:
                    self._explorer_waiting -= 1
                if not hasattr(self, "_explorer_handed"):
                    self._explorer_handed = {}
                self._explorer_handed[kid] = asyncio.get_event_loop().time()

                _renice(_kernel_pid(self, kid), os.getpriority(os.PRIO_PROCESS, 0))
                return render_task, cache, kid

        if not hasattr(cls, "get_rendered_notebook"):  # no pre-heating: no pool to refill
            del PoolKeepingKernelManager._initialize
            del PoolKeepingKernelManager.get_rendered_notebook

        PoolKeepingKernelManager.__name__ = cls.__name__
        return PoolKeepingKernelManager

    keeping_factory._keeps_pool = True
    voila.app.voila_kernel_manager_factory = keeping_factory
