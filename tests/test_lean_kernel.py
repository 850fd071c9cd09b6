"""The standalone server's lean kernel (explorer.serving.use_lean_kernel, issue 10): an ordinary
IPython kernel without debugpy and without the history database, found under the name
``python3`` once the server has put its spec first on JUPYTER_PATH."""

import json
import os
import sys

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel

from explorer.serving import lean_kernel_spec, use_lean_kernel


def test_spec_is_found_as_python3_and_runs_this_python():
    env = {}
    root = use_lean_kernel(env)
    assert env["JUPYTER_PATH"].split(os.pathsep)[0] == root
    ksm = KernelSpecManager(kernel_dirs=[os.path.join(root, "kernels")])
    spec = ksm.get_kernel_spec("python3")
    assert spec.argv[0] == sys.executable
    assert spec.argv == lean_kernel_spec()["argv"]


@pytest.mark.slow
def test_lean_kernel_runs_code_without_debugger_or_history(monkeypatch):
    """The kernel a page of the standalone server gets: what it leaves out, and that it works."""
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
    use_lean_kernel()
    km, kc = start_new_kernel(kernel_name="python3")
    try:
        assert "explorer.serving" in km.kernel_spec.argv
        msg_id = kc.execute(
            "import sys, json\n"
            "ip = get_ipython()\n"
            "trims = [f.__name__ for f in ip.events.callbacks['post_run_cell']]\n"
            "print(json.dumps([sys.modules.get('debugpy', 'absent'), ip.history_manager.enabled,"
            " '_trim_heap' in trims, sys.flags.optimize, 6 * 7]))"
        )
        out = ""
        while True:
            m = kc.get_iopub_msg(timeout=60)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "stream":
                out += m["content"]["text"]
            if m["msg_type"] == "error":
                pytest.fail(m["content"]["evalue"])
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
        # debugpy marked missing (None in sys.modules), no history, the heap trimmed after each
        # cell, -OO where its bytecode caches can be kept, and the kernel computes
        optimize = 2 if "-OO" in km.kernel_spec.argv else 0
        assert json.loads(out) == [None, False, True, optimize, 42]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.mark.slow
def test_lean_kernel_leaves_at_once_on_shutdown_without_python_exit(monkeypatch, tmp_path):
    """A shutdown request ends the process with status 0 and skips the interpreter's exit: an
    ``atexit`` handler registered in the kernel never runs (with Python's exit it would write its
    file), so neither do IPython's reset and the teardown it stands for."""
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
    use_lean_kernel()
    km, kc = start_new_kernel(kernel_name="python3")
    witness = tmp_path / "atexit-ran"
    try:
        kc.execute_interactive(
            f"import atexit\natexit.register(lambda: open({str(witness)!r}, 'w').close())",
            timeout=60,
        )
        process = km.provisioner.process
        km.shutdown_kernel(now=False)  # the page's way: a shutdown request, then a wait
        assert process.wait(10) == 0
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)
    assert not witness.exists()
