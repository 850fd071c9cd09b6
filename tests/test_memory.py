"""The server's memory remedies (explorer/serving/memory.py), each in a fresh interpreter: the
arena limit is fixed by glibc when a second thread first allocates, so it cannot be undone or
retried inside the test process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from explorer.serving import memory

pytestmark = pytest.mark.skipif(memory.arena_count() is None, reason="glibc only")


def _run(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


THREADS_ALLOCATE = """
    import threading
    from explorer.serving import memory
    {before}
    barrier = threading.Barrier(6)
    def work():
        block = bytearray(200_000)  # malloc in this thread: its own arena, up to the limit
        barrier.wait()
    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads: t.start()
    for t in threads: t.join()
    print(memory.arena_count())
"""


def test_threads_make_arenas_without_the_limit():
    """The premise: six threads at once get arenas of their own (glibc: up to 8 per core)."""
    assert int(_run(THREADS_ALLOCATE.format(before=""))) >= 4


def test_the_limit_holds_the_arenas_to_its_count():
    before = "assert memory.limit_arenas(), 'glibc refused the limit'"
    assert int(_run(THREADS_ALLOCATE.format(before=before))) <= memory.ARENAS


def test_give_back_returns_a_freed_burst_to_the_system():
    """Sixty thousand 1 kB blocks, all freed but every hundredth (they pin the heap's top, as a
    server's surviving objects do): glibc keeps the rest; give_back returns most of it."""
    out = _run("""
        from explorer.serving import memory
        def rss_mb():
            for line in open("/proc/self/status"):
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        memory.limit_arenas()
        burst = [bytearray(1000) for _ in range(60_000)]
        kept = burst[::100]
        del burst
        before = rss_mb()
        assert memory.give_back()
        print(before, rss_mb())
    """)
    before, after = map(float, out.split())
    assert before - after > 30, (before, after)  # of ≈ 59 MB freed


def test_a_limit_below_one_arena_is_refused():
    with pytest.raises(ValueError, match="arenas=0"):
        memory.limit_arenas(0)
