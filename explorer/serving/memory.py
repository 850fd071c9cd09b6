"""The server gives back the memory a class leaves behind.

Measured (issue 18, ``make bench-class`` and a soak): a class of thirty arriving together adds
≈ 22 MB to what the server's ``malloc`` holds in use for a few seconds (pages, widget states
and images in flight between thirty kernels and thirty websockets), all of it freed once the
pages are live. glibc's allocator keeps freed memory for reuse instead of returning it to the
system, in as many arenas as threads have asked for (up to eight per core), so the server's
resident memory stayed 30–60 MB above its warm-pool size after every class, though Python's
objects (tracemalloc) and ``malloc``'s bytes in use had not grown. Two remedies, both glibc's
own interfaces, measured on classes of thirty in a row (server RSS above the warm pool after
each, the pool refilled; 2026-12-03): as shipped before, +48 then +57 MB; with at most
:data:`ARENAS` arenas and :func:`give_back` every :data:`GIVE_BACK_EVERY` seconds, +10, +22,
+18 MB (what stays is fragmentation around live objects; it does not add up from class to
class). A class that stays while the pool refills under it (``make bench-class SOAK=600``)
scatters the replacement kernels' objects over memory it used for a moment: that ended
+42.5 MB until the server kept ≈ 0.3 MB instead of ≈ 1.2 MB for each pre-heated kernel
(``voila.json``'s ``VoilaExecutor.store_widget_state``, :mod:`explorer.serving.templates`);
now +3.7 MB (peak +17 MB with the class connected; 2026-12-04, ``docs/deploy.md``).

* :func:`limit_arenas` — at most :data:`ARENAS` ``malloc`` arenas (``mallopt(M_ARENA_MAX)``,
  what ``MALLOC_ARENA_MAX`` sets): the server has one busy thread (its event loop) and ZMQ's
  I/O thread; the other threads (executors) allocate little. Called first thing in
  :func:`explorer.serving.main`, before any thread exists: glibc fixes the limit when a thread
  first needs an arena of its own.
* :func:`give_back` — ``malloc_trim(0)``: every arena's free pages back to the system
  (≈ 0.4–7 ms, measured); :func:`start_giving_back` runs it every :data:`GIVE_BACK_EVERY`
  seconds from a daemon thread (it holds each arena's lock in turn, never the GIL).

Elsewhere (macOS, musl) both are no-ops that say so by returning False.

Tests: ``tests/test_memory.py`` (threads in a subprocess make arenas; with the limit they make
no more than :data:`ARENAS`; a freed burst is given back).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import threading
import time

__all__ = ["ARENAS", "GIVE_BACK_EVERY", "arena_count", "give_back", "limit_arenas"]

#: ``malloc`` arenas the server may use, at most (glibc's default: eight per core).
ARENAS = 2
#: Seconds between two :func:`give_back` calls of the server's memory thread.
GIVE_BACK_EVERY = 10.0
#: glibc's ``mallopt`` parameter number of ``M_ARENA_MAX`` (``<malloc.h>``).
_M_ARENA_MAX = -8


@functools.cache
def _glibc():
    """The C library if it is glibc (it has ``malloc_trim``), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None)
    except OSError:
        return None
    if not all(hasattr(libc, f) for f in ("malloc_trim", "mallopt", "gnu_get_libc_version")):
        return None
    return libc


def limit_arenas(arenas: int = ARENAS) -> bool:
    """At most ``arenas`` ``malloc`` arenas for this process's threads from now on (glibc
    ``mallopt(M_ARENA_MAX)``); True if glibc took it. Effective only before a second thread
    allocates (glibc fixes the limit then)."""
    if arenas < 1:
        raise ValueError(f"arenas={arenas!r}: expected an integer ≥ 1")
    libc = _glibc()
    return bool(libc is not None and libc.mallopt(_M_ARENA_MAX, int(arenas)) == 1)


def give_back() -> bool:
    """Return every arena's free memory to the system (glibc ``malloc_trim(0)``); True if glibc
    did and released some."""
    libc = _glibc()
    return bool(libc is not None and libc.malloc_trim(0))


def arena_count() -> int | None:
    """How many ``malloc`` arenas the process has (glibc ``malloc_info``; None elsewhere)."""
    libc = _glibc()
    if libc is None or not hasattr(libc, "open_memstream"):
        return None
    buf, size = ctypes.c_char_p(), ctypes.c_size_t()
    libc.open_memstream.restype = ctypes.c_void_p
    stream = libc.open_memstream(ctypes.byref(buf), ctypes.byref(size))
    try:
        libc.malloc_info(0, ctypes.c_void_p(stream))
    finally:
        libc.fclose(ctypes.c_void_p(stream))
    xml = ctypes.string_at(buf, size.value).decode()
    libc.free(buf)
    return xml.count("<heap nr=")


def start_giving_back(every: float = GIVE_BACK_EVERY) -> threading.Thread | None:
    """A daemon thread that calls :func:`give_back` every ``every`` seconds (None: not glibc)."""
    if _glibc() is None:
        return None

    def loop() -> None:
        while True:
            time.sleep(every)
            give_back()

    thread = threading.Thread(target=loop, name="explorer-give-back", daemon=True)
    thread.start()
    return thread
