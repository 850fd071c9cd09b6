"""Binder: binder/ pins the tested versions, and an environment built from binder/ alone runs the
dashboard notebook (fresh venv with uv from PyPI, the repository copied as Binder clones it)."""

import os
import re
import shutil
import subprocess
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"


def _pins():
    pins = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if m:
            pins[m.group(1)] = m.group(2)
    return pins


def test_binder_pins_the_tested_versions():
    pins = _pins()
    assert {"voila", "ipywidgets", "matplotlib", "numpy", "scipy", "ipykernel"} <= set(pins)
    for name, pinned in pins.items():
        assert version(name) == pinned, (
            f"{name}: binder pins {pinned}, tests ran with {version(name)}"
        )


def test_binder_installs_the_package_itself():
    lines = [ln.strip() for ln in (BINDER / "requirements.txt").read_text().splitlines()]
    assert "-e ." in lines
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}"
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK) and post.read_text().startswith("#!")


def _uv():
    for cand in (Path(sys.executable).parent / "uv", shutil.which("uv")):
        if cand and Path(cand).exists():
            return str(cand)
    pytest.fail("uv not found next to the test interpreter nor on PATH (make env installs it)")


RUN_DASHBOARD = textwrap.dedent(
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read("notebooks/dashboard.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": "notebooks"}}).execute()
    out = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in out if o["output_type"] == "error"], out
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in out), out
    import explorer, voila
    print("OK", explorer.__file__, voila.__version__)
    """
)


@pytest.mark.slow
def test_environment_from_binder_alone_runs_the_dashboard(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(
        ROOT,
        repo,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "__pycache__",
            ".pytest_cache",
            ".hypothesis",
            "*.egg-info",
            "build",
            "dist",
            "screenshots",
            "artifacts",
            ".ruff_cache",
            ".benchmarks",
        ),
    )
    venv = tmp_path / "venv"
    uv = _uv()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VIRTUAL_ENV", "PYTHON", "QUERY_STRING"))
    }
    subprocess.run(
        [uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True, env=env
    )
    py = venv / "bin" / "python"
    # as repo2docker does: pip install -r binder/requirements.txt from the repository root
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(py), "-r", "binder/requirements.txt"],
        cwd=repo,
        check=True,
        env=env,
    )
    env_run = {
        **env,
        "PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
        "HOME": str(tmp_path / "home"),
    }
    (tmp_path / "home").mkdir()
    subprocess.run(["bash", "binder/postBuild"], cwd=repo, check=True, env=env_run)
    linked = tmp_path / "home" / ".jupyter" / "jupyter_server_config.py"
    assert linked.resolve() == (repo / "jupyter_server_config.py").resolve()
    res = subprocess.run(
        [str(py), "-c", RUN_DASHBOARD],
        cwd=repo,
        env=env_run,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert "OK" in res.stdout and str(repo / "explorer") in res.stdout
    # the Voila route Binder uses (…?urlpath=voila/render/…) needs the server extension enabled
    ext = subprocess.run(
        [str(venv / "bin" / "jupyter"), "server", "extension", "list"],
        cwd=repo,
        env=env_run,
        capture_output=True,
        text=True,
        timeout=300,
    )
    listing = re.sub(r"\x1b\[[0-9;]*m", "", ext.stdout + ext.stderr)  # drop colour codes
    assert re.search(r"voila\S*\s+enabled", listing), listing[-2000:]
    # and Jupyter Server reads the repository's serving settings through the postBuild link
    shown = subprocess.run(
        [str(venv / "bin" / "jupyter"), "server", "--show-config"],
        cwd=repo,
        env=env_run,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "set_xsrf_cookie" in shown.stdout + shown.stderr, (shown.stdout + shown.stderr)[-2000:]
    # the Binder link's route: the pre-heated standalone server behind Jupyter Server at
    # /dashboard/ (jupyter-server-proxy), tried in Chromium as a new user would
    assert "jupyter_server_proxy" in listing and "'dashboard'" in shown.stdout + shown.stderr
    _first_plot_through_the_proxy(repo, venv, env_run)


# Run in its own interpreter: the browser tests of the same pytest session hold Playwright's sync
# API already (it cannot be started twice in one thread).
PROXY_PAGE = textwrap.dedent(
    """
    import sys
    import harness
    from playwright.sync_api import sync_playwright

    base, token = sys.argv[1], sys.argv[2]
    with sync_playwright() as p:
        browser = harness.launch_browser(p)
        page = browser.new_page(viewport=harness.DESKTOP)
        page.goto(f"{base}/api/status?token={token}")
        page.goto(f"{base}/dashboard/?target=Xe", wait_until="commit", timeout=240_000)
        dash = harness.Dashboard(page)
        dash.wait_ready(timeout=240)
        assert "Xe" in dash.dropdown("Element").inner_text()
        print("KERNEL", dash.kernel_id())
        browser.close()
    """
)


def _first_plot_through_the_proxy(repo, venv, env_run):
    import secrets
    import socket
    import time

    import psutil

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    log_path = repo.parent / "jupyter.log"
    cmd = [
        str(venv / "bin" / "jupyter"),
        "server",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        "--ServerApp.port_retries=0",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=repo, env=env_run, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                assert proc.poll() is None, log_path.read_text()[-3000:]
                assert time.monotonic() < deadline, log_path.read_text()[-3000:]
                time.sleep(0.3)
        # the browser runs from the tested environment (Playwright is a test tool, not in binder/)
        res = subprocess.run(
            [sys.executable, "-c", PROXY_PAGE, f"http://127.0.0.1:{port}", token],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT / "tests" / "browser")},
            capture_output=True,
            text=True,
            timeout=400,
        )
        assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-3000:]
        kid = res.stdout.split("KERNEL", 1)[1].split()[0]
        assert f"Using pre-heated kernel: {kid}" in log_path.read_text()
    finally:
        procs = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        proc.terminate()
        _, alive = psutil.wait_procs(procs, timeout=15)
        for q in alive:
            q.kill()
        proc.wait(timeout=10)  # reap it (else a ResourceWarning, an error under pytest's config)
