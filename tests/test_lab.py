"""The notebooks in JupyterLab: `make lab` serves them (issue 11, item 4), and the index notebook
00_start_here links every notebook and the dashboard views.

The server test starts JupyterLab from this environment (the `lab` extra, which the `test` extra
pulls in) the way `make lab` does, on a free loopback port with its own runtime and config
directories, and reads its REST API with the token."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import requests

from explorer.app.state.presets import EXPERIMENTS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
INDEX = NOTEBOOKS / "00_start_here.ipynb"
# written by another change; the index links it by this name
RATES_NOTEBOOK = "04_rates_and_thresholds.ipynb"


def _index_markdown():
    nb = nbformat.read(INDEX, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_index_links_every_notebook():
    links = set(re.findall(r"\]\(([^)\s]+\.ipynb)\)", _index_markdown()))
    expected = {p.name for p in NOTEBOOKS.glob("*.ipynb")} - {INDEX.name, "dashboard.ipynb"}
    assert expected | {RATES_NOTEBOOK} <= links
    assert len(expected | {RATES_NOTEBOOK}) >= 4


def test_index_links_every_preset_and_the_rates_panel():
    text = _index_markdown()
    for query in [f"?preset={key}" for key in EXPERIMENTS] + ["?channel=rates"]:
        # the view's query string (no server address: it works on every route, issue 23), with
        # one line on what the view shows
        row = next((ln for ln in text.splitlines() if f"`{query}`" in ln), "")
        assert row, query
        assert len(row.split("|")[-2].strip()) > 20, row
    # the links inside a Jupyter server come from the code cell (JupyterLab rewrites relative
    # links in markdown to /files/…, so they are built with the server's prefix instead)
    code = "\n".join(
        c.source for c in nbformat.read(INDEX, as_version=4).cells if c.cell_type == "code"
    )
    assert "voila/render/notebooks/dashboard.ipynb" in code and "JUPYTERHUB_SERVICE_PREFIX" in code


def test_make_lab_serves_notebooks_on_loopback():
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    # a clean make: no PORT/HOST, nor the variables of an outer `make test PORT=…`
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PORT", "HOST", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")
    }
    dry = subprocess.run(
        [make, "-n", "lab"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    line = next(ln for ln in dry.splitlines() if "-m jupyterlab" in ln)
    assert "--no-browser" in line and "--ServerApp.ip=127.0.0.1" in line
    assert "--ServerApp.port=8888" in line and "notebooks/00_start_here.ipynb" in line
    assert '-e ".[lab]"' in dry
    # HOST and PORT override, as for make dashboard
    dry = subprocess.run(
        [make, "-n", "lab", "HOST=0.0.0.0", "PORT=9123"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "--ServerApp.ip=0.0.0.0" in dry and "--ServerApp.port=9123" in dry


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab_server(tmp_path):
    """JupyterLab on the repository (as `make lab`); yields (base URL, token, log file); always
    stopped, with its kernels (its own process group)."""
    token = os.urandom(16).hex()
    runtime = tmp_path / "runtime"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "QUERY_STRING"))}
    env.update(
        JUPYTER_TOKEN=token,  # not on the command line
        JUPYTER_RUNTIME_DIR=str(runtime),
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_DATA_DIR=str(tmp_path / "data"),
        HOME=str(tmp_path),
    )
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={_free_port()}",
        "--ServerApp.port_retries=20",  # the port read back below is the one it got
        f"--ServerApp.root_dir={ROOT}",
        "--LabApp.default_url=/lab/tree/notebooks/00_start_here.ipynb",
        f"--config={ROOT / 'jupyter_server_config.py'}",
        "--allow-root",
    ]
    log = (tmp_path / "lab.log").open("w")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 180
        url = None
        while url is None:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited ({proc.returncode}):\n{_tail(tmp_path)}")
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start within 180 s:\n{_tail(tmp_path)}")
            info = [
                json.loads(p.read_text())
                for p in runtime.glob("jpserver-*.json")
                if p.stat().st_size
            ]
            if info:
                candidate = info[0]["url"].rstrip("/")
                try:
                    r = requests.get(f"{candidate}/api/status", params={"token": token}, timeout=5)
                    if r.status_code == 200:
                        url = candidate
                except requests.ConnectionError:
                    pass
            time.sleep(0.5)
        yield url, token, tmp_path / "lab.log"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
        log.close()


def _tail(tmp_path):
    return (tmp_path / "lab.log").read_text(errors="replace")[-3000:]


@pytest.mark.slow
def test_jupyterlab_lists_the_notebooks(lab_server):
    url, token, log = lab_server
    auth = {"Authorization": f"token {token}"}
    # the token is on: without it the API refuses
    assert requests.get(f"{url}/api/contents/notebooks", timeout=30).status_code == 403
    r = requests.get(f"{url}/api/contents/notebooks", headers=auth, timeout=30)
    assert r.status_code == 200, r.text[:500]
    listed = {item["name"] for item in r.json()["content"] if item["type"] == "notebook"}
    assert {p.name for p in NOTEBOOKS.glob("*.ipynb")} <= listed
    assert "00_start_here.ipynb" in listed
    # the index opens as a notebook
    r = requests.get(f"{url}/api/contents/notebooks/00_start_here.ipynb", headers=auth, timeout=30)
    assert r.status_code == 200 and r.json()["type"] == "notebook"
    # JupyterLab's page, and the course's start page, are served
    for path in ("/lab", "/lab/tree/notebooks/00_start_here.ipynb"):
        r = requests.get(f"{url}{path}", headers=auth, timeout=60)
        assert r.status_code == 200 and "jupyter-config-data" in r.text, path
    # the root sends the browser to the index notebook
    r = requests.get(f"{url}/", headers=auth, timeout=30, allow_redirects=False)
    assert r.status_code in (301, 302) and r.headers["Location"].split("?")[0].endswith(
        "/lab/tree/notebooks/00_start_here.ipynb"
    )
    # the Voila server extension that the index's in-server links rely on is loaded
    assert "voila.server_extension | extension was successfully loaded" in log.read_text()


def test_binder_environment_includes_jupyterlab():
    # …?urlpath=lab/tree/notebooks opens the course on Binder; tests/test_binder.py checks that
    # every pin equals the version tested here
    lines = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    assert any(re.fullmatch(r"jupyterlab==4\.[0-9.]+", ln.split("#")[0].strip()) for ln in lines)
