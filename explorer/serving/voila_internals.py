"""The one module of the server that touches Voila's internals.

Voila 0.5 offers no hooks for what the server needs (a pool that stays sound, a page script, the
previews, compiled templates, the admission budget, the frame guard), so the server wraps a few
of Voila's methods and reads a few of its private structures. Every such access is here, and
only here: no other module of :mod:`explorer.serving` imports ``voila``
(``tests/test_layout.py``), and ``tests/test_voila_internals.py`` checks each name below against
the installed Voila and fails loudly, naming what moved, when an upgrade changes them.

Checked against Voila 0.5.7–0.5.13 (:data:`CHECKED_VOILA`) on Jupyter Server 2.17–2.21.

What is touched, and why:

* **wrapped methods** (:func:`wrap`, idempotent): ``Voila.init_handlers`` (the preview route),
  ``VoilaHandler.prepare`` (the ``_xsrf`` cookie), ``VoilaHandler.get_generator`` (the page
  script and previews), ``TornadoVoilaHandler.get`` and ``head`` (admission),
  ``VoilaExporter._create_environment`` (the template cache),
  ``RequestInfoSocketHandler.open`` and ``on_close`` (the frame guard);
* **a replaced module function**: ``voila.tornado.kernel_websocket_handler.
  read_header_from_binary_message`` (:func:`replace_binary_header_reader`: the v1 frame check);
* **private structures**: ``RequestInfoSocketHandler._waiters`` and ``_cache`` (which kernels
  wait for their page: :func:`kernel_waits_for_its_page`, :func:`forget_request_info`), the
  pre-heating kernel manager's ``_pools`` and ``notebook_data`` (:func:`pooled_kernel_ids`,
  :func:`leave_pools`);
* **the kernel manager factory** ``voila.app.voila_kernel_manager_factory``, whose classes get
  the pool keeper's hooks around their private ``_initialize`` and Jupyter Server's
  ``_handle_kernel_died`` (:func:`install_kernel_manager_hooks`).
"""

from __future__ import annotations

import functools
import importlib

#: The Voila releases these internals were checked against (inclusive range).
CHECKED_VOILA = ("0.5.7", "0.5.13")

#: The Voila classes the server wraps: name → (module, attribute).
CLASSES = {
    "Voila": ("voila.app", "Voila"),
    "VoilaHandler": ("voila.handler", "VoilaHandler"),
    "TornadoVoilaHandler": ("voila.tornado.handler", "TornadoVoilaHandler"),
    "VoilaExporter": ("voila.exporter", "VoilaExporter"),
    "RequestInfoSocketHandler": ("voila.request_info_handler", "RequestInfoSocketHandler"),
}
#: The methods wrapped, per class (what the test checks).
WRAPPED = {
    "Voila": ("init_handlers",),
    "VoilaHandler": ("prepare", "get_generator"),
    "TornadoVoilaHandler": ("get",),
    "VoilaExporter": ("_create_environment",),
    "RequestInfoSocketHandler": ("open", "on_close"),
}
#: The module whose binary-header reader the frame guard replaces.
WEBSOCKET_MODULE = "voila.tornado.kernel_websocket_handler"

__all__ = [
    "CHECKED_VOILA",
    "install_kernel_manager_hooks",
    "kernel_waits_for_its_page",
    "leave_pools",
    "pooled_kernel_ids",
    "replace_binary_header_reader",
    "voila_class",
    "voila_version",
    "wrap",
]


def voila_version() -> tuple:
    """The installed Voila's version as a tuple of ints (``(0, 5, 13)``)."""
    from voila._version import __version__

    return tuple(int(x) for x in __version__.split(".")[:3] if x.isdigit())


def voila_class(name: str):
    """One of the Voila classes of :data:`CLASSES`."""
    module, attribute = CLASSES[name]
    return getattr(importlib.import_module(module), attribute)


def wrap(name: str, method: str, make) -> bool:
    """Replace ``method`` of the Voila class ``name`` by ``make(original)``, once (idempotent:
    False when it is already wrapped)."""
    cls = voila_class(name)
    original = getattr(cls, method)
    if getattr(original, "_explorer_wrapped", False):
        return False
    new = make(original)
    new._explorer_wrapped = True
    setattr(cls, method, new)
    return True


def replace_binary_header_reader(reader) -> None:
    """Voila's reader of a binary websocket frame's header (used on kernel → page frames)."""
    module = importlib.import_module(WEBSOCKET_MODULE)
    module.read_header_from_binary_message = reader


def binary_header_reader():
    """The reader now in place (for the tests)."""
    return importlib.import_module(WEBSOCKET_MODULE).read_header_from_binary_message


def kernel_waits_for_its_page(kernel_id: str) -> bool:
    """Whether a pre-heated kernel has reached ``wait_for_page_request`` (it is connected to
    Voila's request-info websocket, :mod:`explorer.app.control.page_request`)."""
    return kernel_id in voila_class("RequestInfoSocketHandler")._waiters


def forget_request_info(kernel_id, handler) -> None:
    """What Voila's request-info socket keeps for ``kernel_id``, when ``handler`` is the one
    registered for it (Voila's own ``on_close`` deleted whichever waiter its loop ended on)."""
    info = voila_class("RequestInfoSocketHandler")
    if info._waiters.get(kernel_id) is handler:
        del info._waiters[kernel_id]
    info._cache.pop(kernel_id, None)


def _started(task) -> bool:
    return task.done() and not task.cancelled() and task.exception() is None


def pooled_kernel_ids(manager) -> set:
    """The ids of the kernels waiting in a pre-heating kernel manager's pools (started)."""
    return {
        task.result().get("kernel_id")
        for pool in getattr(manager, "_pools", {}).values()
        for task in pool
        if _started(task)
    }


def leave_pools(manager, kernel_id) -> str | None:
    """Take ``kernel_id`` out of the manager's pools and notebook records; the notebook whose
    pool it was in (None when it was not pooled)."""
    notebook = None
    for name, pool in getattr(manager, "_pools", {}).items():
        for task in list(pool):
            if _started(task) and task.result().get("kernel_id") == kernel_id:
                pool.remove(task)
                notebook = name
    for data in getattr(manager, "notebook_data", {}).values():
        data.get("kernel_ids", set()).discard(kernel_id)
    return notebook


def _hooked(cls, hooks_of):
    """A subclass of Voila's kernel manager class ``cls`` that consults ``hooks_of(manager)``
    (the pool keeper, :class:`explorer.serving.pool.PoolKeeper`) around Voila's steps."""

    class Hooked(cls):
        def has_warm_kernel(self) -> bool:
            return hooks_of(self).has_warm_kernel(self)

        async def cull_kernel_if_idle(self, kernel_id):
            if hooks_of(self).exempt_from_culling(self, kernel_id):
                return None
            return await super().cull_kernel_if_idle(kernel_id)

        def notify_connect(self, kernel_id):
            hooks_of(self).page_connected(kernel_id)
            return super().notify_connect(kernel_id)

        def _handle_kernel_died(self, kernel_id):
            notebook = leave_pools(self, kernel_id)
            super()._handle_kernel_died(kernel_id)
            if notebook is not None:
                hooks_of(self).pooled_kernel_died(self, kernel_id, notebook)

        async def _initialize(self, notebook_path, kernel_id=None, **kwargs):
            start = functools.partial(super()._initialize, notebook_path, kernel_id, **kwargs)
            if kernel_id is not None:  # a restart of a known kernel: as Voila does it
                return await start()
            return await hooks_of(self).refill(self, start)

        async def get_rendered_notebook(self, *args, **kwargs):
            take = functools.partial(super().get_rendered_notebook, *args, **kwargs)
            return await hooks_of(self).hand_out(self, take)

    if not hasattr(cls, "get_rendered_notebook"):  # no pre-heating: no pool to refill
        del Hooked._initialize
        del Hooked.get_rendered_notebook
    Hooked.__name__ = cls.__name__
    return Hooked


def install_kernel_manager_hooks(hooks_of) -> None:
    """Make every kernel manager class Voila builds consult ``hooks_of(manager)`` (idempotent)."""
    import voila.app

    factory = voila.app.voila_kernel_manager_factory
    if getattr(factory, "_explorer_wrapped", False):
        return

    def hooked_factory(*args, **kwargs):
        return _hooked(factory(*args, **kwargs), hooks_of)

    hooked_factory._explorer_wrapped = True
    voila.app.voila_kernel_manager_factory = hooked_factory
