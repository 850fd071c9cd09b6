"""The lean kernel of the standalone server: ipykernel without its debugger and history."""

from __future__ import annotations

import json
import os
import sys
import tempfile

#: Options of the dashboard's kernel (IPKernelApp command line): no IPython history database
#: (a page's kernel runs two cells; the history would cost a thread and an SQLite file).
LEAN_KERNEL_ARGS = ("--HistoryManager.enabled=False",)


def _trim_heap(*_args) -> None:
    """Give the C heap's free pages back to the operating system after a cell
    (:func:`explorer.serving.memory.give_back`, glibc ``malloc_trim``).

    Building the dashboard frees a few MB of temporary C allocations (matplotlib, numpy) that
    glibc would otherwise keep resident: 5–6 MB per kernel, measured here. Elsewhere a no-op.
    """
    from explorer.serving.memory import give_back

    give_back()


def kernel_main(argv: list[str] | None = None) -> None:
    """Run an IPython kernel without its debugger (``python -m explorer.serving kernel -f …``).

    ipykernel imports debugpy when it is installed (it is one of ipykernel's own dependencies),
    to serve JupyterLab's debugger: +28 MB resident and ≈ 0.5 s at every kernel start, measured
    here (ipykernel 7.4, debugpy in the same environment). Voila pages never debug: with
    ``debugpy`` marked missing, ipykernel starts without the debugger, the rest unchanged.
    After each cell (a page runs two) the heap's free pages are returned (:func:`_trim_heap`).

    When its loop ends (the page's shutdown request) the process leaves at once, without
    Python's exit: IPython's ``atexit`` reset (a namespace clear and a garbage collection) and
    the interpreter's teardown of every module and figure cost a kernel ≈ 0.15 s of CPU that
    nobody needs — nothing is saved (no history database) and the kernel manager, not the
    kernel, removes the connection file. Thirty students leaving a class together paid ≈ 4–5 s
    of CPU for it while the others were still moving their sliders (issue 18).
    """
    sys.modules.setdefault("debugpy", None)  # "import debugpy" now raises ImportError
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(sys.argv[1:] if argv is None else argv)
    app.shell.events.register("post_run_cell", _trim_heap)
    app.start()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _optimized_bytecode_ok() -> bool:
    """Whether ``python -OO`` finds (or can write) its bytecode caches for the big packages.

    Without them every kernel would compile matplotlib, numpy and ipykernel from source: seconds.
    With ``PYTHONDONTWRITEBYTECODE`` set (``sys.dont_write_bytecode``) nothing is ever written, so
    only caches already there count (``make env`` writes them, at both levels, with compileall).
    """
    from importlib.util import cache_from_source, find_spec

    for name in ("matplotlib", "numpy", "ipykernel", "ipywidgets"):
        spec = find_spec(name)
        if spec is None or not spec.origin:
            return False
        cached = cache_from_source(spec.origin, optimization=2)
        folder = os.path.dirname(cached)
        writable = not sys.dont_write_bytecode and os.access(
            folder if os.path.isdir(folder) else os.path.dirname(folder), os.W_OK
        )
        if not (os.path.exists(cached) or writable):
            return False
    return True


def lean_kernel_spec() -> dict:
    """The ``python3`` kernel spec of the standalone server: :func:`kernel_main`, this Python.

    ``-OO`` (no docstrings, no asserts: a page's kernel needs neither) saves ≈ 9 MB per kernel,
    measured here; it is left out where its bytecode caches could not be kept
    (:func:`_optimized_bytecode_ok`, e.g. a read-only site-packages without them).

    >>> spec = lean_kernel_spec()
    >>> spec["argv"][-4:-2], spec["metadata"]
    (['kernel', '-f'], {'debugger': False})
    """
    optimize = ["-OO"] if _optimized_bytecode_ok() else []
    return {
        "argv": [
            sys.executable,
            *optimize,
            *("-m", "explorer.serving", "kernel", "-f", "{connection_file}"),
            *LEAN_KERNEL_ARGS,
        ],
        "display_name": "Python 3 (dashboard)",
        "language": "python",
        "metadata": {"debugger": False},
    }


def use_lean_kernel(env=None) -> str:
    """Make ``python3`` kernels started from here on (by this process and its children) the lean
    kernel of :func:`lean_kernel_spec`: writes the spec into a new directory and puts that first
    on ``JUPYTER_PATH`` in ``env`` (default ``os.environ``). Returns the directory.

    Only the standalone server does this (:func:`main`); the Jupyter Server route keeps the
    ordinary ``python3`` kernel, with its debugger, for notebooks in JupyterLab.
    """
    import atexit
    import shutil

    env = os.environ if env is None else env
    root = tempfile.mkdtemp(prefix="explorer-kernels-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    spec_dir = os.path.join(root, "kernels", "python3")
    os.makedirs(spec_dir)
    with open(os.path.join(spec_dir, "kernel.json"), "w", encoding="utf-8") as f:
        json.dump(lean_kernel_spec(), f, indent=1)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (root, env.get("JUPYTER_PATH")) if p)
    return root
