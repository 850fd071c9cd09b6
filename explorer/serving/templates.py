"""Voila's page templates compiled once per server, not once per page.

Voila renders every page with a new nbconvert exporter, and every exporter makes a new Jinja
environment that parses and compiles the page's templates (``index.html.j2``, ``base.html.j2``,
nbconvert's ``display_priority.j2`` …) from source: 38 % of the server's active samples in a
class burst (py-spy, 8 students, previews off). :func:`install_template_cache` gives every
Voila exporter's environment one shared in-memory Jinja bytecode cache, so a page only runs the
compiled code.

The cache keeps the compiled *code objects* themselves, not their marshalled bytes: a code
object is immutable, so every environment can run the same one, where unmarshalling gave each
pre-heated kernel's exporter its own copy (≈ 0.26 MB a kernel in the server, tracemalloc,
2026-12-04 — memory that a pool refilled amid a class leaves scattered; see
:mod:`explorer.serving.memory`).

Jinja keys its bytecode by template name and checks the source's checksum on load (a changed
template is compiled anew, here as in Jinja's own caches); compiled code also depends on the
environment's options, so the key here adds whether the environment is asynchronous and its
extensions.

Checked against nbconvert 7.16 and Voila 0.5.7–0.5.13: the wrapped method,
``VoilaExporter._create_environment``, is reached through
:mod:`explorer.serving.voila_internals` (``tests/test_voila_internals.py`` fails if it moves).
"""

from __future__ import annotations

import threading

from jinja2 import BytecodeCache

__all__ = ["MemoryBytecodeCache", "install_template_cache"]


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates (code objects, with their source's checksum) in a dictionary, for
    environments of the same configuration."""

    def __init__(self):
        self._code: dict = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(bucket) -> tuple:
        env = bucket.environment
        return (bucket.key, env.is_async, tuple(sorted(env.extensions)))

    def load_bytecode(self, bucket) -> None:
        with self._lock:
            checksum, code = self._code.get(self._key(bucket), (None, None))
        if code is not None and checksum == bucket.checksum:  # else Jinja compiles the source
            bucket.code = code

    def dump_bytecode(self, bucket) -> None:
        with self._lock:
            self._code[self._key(bucket)] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        with self._lock:
            self._code.clear()

    def __len__(self) -> int:
        return len(self._code)


#: The server's one cache (all Voila exporters of the process).
CACHE = MemoryBytecodeCache()


def install_template_cache() -> None:
    """Give every Voila exporter's Jinja environment :data:`CACHE` (idempotent)."""
    from explorer.serving.voila_internals import wrap

    def cached(original):
        def create_environment(self):
            environment = original(self)
            environment.bytecode_cache = CACHE
            return environment

        return create_environment

    wrap("VoilaExporter", "_create_environment", cached)
