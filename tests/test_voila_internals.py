"""Voila's internals that the server touches, all through ``explorer/serving/voila_internals.py``:
each is checked against the installed Voila, so that an upgrade that moves one fails here, loudly
and by name, instead of silently in production (a pool that stops refilling, a page without its
script)."""

from __future__ import annotations

import inspect

import pytest

from explorer.serving import voila_internals as internals


def _version(text: str) -> tuple:
    return tuple(int(x) for x in text.split("."))


def test_the_installed_voila_is_one_the_internals_were_checked_against():
    lo, hi = (_version(v) for v in internals.CHECKED_VOILA)
    have = internals.voila_version()
    assert lo <= have <= hi, (
        f"Voila {'.'.join(map(str, have))} is outside the versions explorer/serving/"
        f"voila_internals.py was checked against ({' to '.join(internals.CHECKED_VOILA)}): "
        "re-check every internal it names, then widen CHECKED_VOILA"
    )


@pytest.mark.parametrize(
    "name, method", [(c, m) for c, methods in internals.WRAPPED.items() for m in methods]
)
def test_every_wrapped_method_exists(name, method):
    cls = internals.voila_class(name)
    assert callable(getattr(cls, method, None)), f"{name}.{method} is gone from Voila"


def test_the_private_structures_are_where_they_were():
    import voila.app
    import voila.voila_kernel_manager as vkm
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager

    info = internals.voila_class("RequestInfoSocketHandler")
    assert isinstance(info._waiters, dict) and isinstance(info._cache, dict)
    module = __import__(internals.WEBSOCKET_MODULE, fromlist=["x"])
    assert callable(module.read_header_from_binary_message)
    assert callable(voila.app.voila_kernel_manager_factory)
    source = inspect.getsource(vkm.voila_kernel_manager_factory)
    for name in ("self._pools", "self.notebook_data", "async def _initialize",
                 "def fill_if_needed", "async def get_rendered_notebook"):  # fmt: skip
        assert name in source, f"Voila's pre-heating kernel manager has no {name!r} any more"
    for name in ("_handle_kernel_died", "cull_kernel_if_idle", "notify_connect"):
        assert callable(getattr(MappingKernelManager, name, None)), name


def test_the_pool_keeper_hooks_wrap_a_real_voila_kernel_manager():
    import voila.app
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    from explorer.serving import install_pool_keeper

    install_pool_keeper()
    cls = voila.app.voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    for name in ("_initialize", "get_rendered_notebook", "_handle_kernel_died",
                 "cull_kernel_if_idle", "notify_connect", "has_warm_kernel"):  # fmt: skip
        assert name in vars(cls), name
    assert cls.__mro__[1].__name__ == cls.__name__  # Voila's class, subclassed


def test_wrapping_is_idempotent(monkeypatch):
    cls = internals.voila_class("VoilaExporter")
    monkeypatch.setattr(cls, "_create_environment", cls._create_environment)
    calls = []

    def make(original):
        calls.append(original)
        return lambda self: original(self)

    assert internals.wrap("VoilaExporter", "_create_environment", make)
    assert not internals.wrap("VoilaExporter", "_create_environment", make)
    assert len(calls) == 1
