"""A real JupyterHub on 127.0.0.1, started from the repository's own configuration.

:class:`Hub` writes a small test configuration that loads ``deploy/jupyterhub/jupyterhub_config.py``
(what a teacher runs) and replaces only what a test must: free ports on the loopback interface, a
temporary state directory, DummyAuthenticator (any name, any password), SimpleLocalProcessSpawner
(no Unix accounts; a temporary home per student), ``--allow-root`` for the servers when run as
root (CI), short activity intervals and cull timeout, and an admin service token for the REST API.
The proxy is configurable-http-proxy from npm (``make hub`` puts it in ``.venv/bin``).

Every process the hub starts (proxy, culler, single-user servers, dashboard servers, kernels) is
remembered as it is seen, so that :meth:`Hub.leftovers` can tell what still runs after the hub
stopped even when it has been re-parented.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

from .servers import ROOT, _is_kernel, free_port

HUB_CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
VENV_BIN = Path(sys.executable).parent
CHP = Path(os.environ.get("CONFIGURABLE_HTTP_PROXY", VENV_BIN / "configurable-http-proxy"))

_TEST_CONFIG = """\
c = get_config()
load_subconfig({deploy!r})
c.JupyterHub.bind_url = "http://127.0.0.1:{port}/"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {home!r} + "/{{username}}"
c.Spawner.args = list(c.Spawner.args) + {extra_args!r}
c.Spawner.environment.update({env!r})
c.JupyterHub.last_activity_interval = {activity}
c.JupyterHub.services.append({{"name": "test-admin", "api_token": {token!r}}})
c.JupyterHub.load_roles.append(
    {{"name": "test-admin", "scopes": ["admin:users", "admin:servers", "tokens", "list:users",
      "read:users", "read:servers", "access:servers"], "services": ["test-admin"]}}
)
"""


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
        return True
    return False


def _cmd(p: psutil.Process) -> str:
    try:
        return " ".join(p.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return ""


def _alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def kind(p: psutil.Process) -> str:
    """What a process under the hub is: proxy, culler, single-user, dashboard, kernel or other."""
    cmd = _cmd(p)
    if "configurable-http-proxy" in cmd:
        return "proxy"
    if "jupyterhub_idle_culler" in cmd:
        return "culler"
    if "jupyterhub-singleuser" in cmd:
        return "single-user"
    if _is_kernel(p):
        return "kernel"
    if "explorer.serving" in cmd:
        return "dashboard"
    return "other"


@dataclass
class Hub:
    """One JupyterHub in a subprocess, on free ports of 127.0.0.1."""

    cull_timeout: int = 3600
    activity_interval: int = 5
    pool: int = 1  # pre-heated dashboard kernels per student (EXPLORER_DASHBOARD_POOL)
    port: int = 0
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    proc: subprocess.Popen | None = None
    seen: dict = field(default_factory=dict)  # pid -> (kind, psutil.Process)
    left_running: list = field(default_factory=list)  # what stop() found still running (and killed)
    _tmp: tempfile.TemporaryDirectory | None = None
    _tmp_path: Path | None = None
    final_log: str = ""  # the log as it was when the hub stopped
    hub_port: int = 0

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self, timeout: float = 90.0) -> Hub:
        if not os.access(CHP, os.X_OK):
            raise FileNotFoundError(f"{CHP} not found: `make hub` installs configurable-http-proxy")
        self._tmp = tempfile.TemporaryDirectory(prefix="explorer-hub-")
        tmp = self._tmp_path = Path(self._tmp.name)
        (tmp / "home").mkdir()
        self.port = free_port()
        self.hub_port = free_port()
        extra = ["--allow-root"] if os.geteuid() == 0 else []
        env_su = {
            "JUPYTERHUB_ACTIVITY_INTERVAL": str(self.activity_interval),
        }
        config = tmp / "jupyterhub_test_config.py"
        config.write_text(
            _TEST_CONFIG.format(
                deploy=str(HUB_CONFIG),
                port=self.port,
                hub_port=self.hub_port,
                api_port=free_port(),
                chp=str(CHP),
                home=str(tmp / "home"),
                extra_args=extra,
                env=env_su,
                activity=self.activity_interval,
                token=self.token,
            )
        )
        env = dict(os.environ)
        env.pop("PYTHONWARNINGS", None)
        env.update(
            EXPLORER_HUB_STATE=str(tmp / "state"),
            EXPLORER_HUB_CULL_TIMEOUT=str(self.cull_timeout),
            EXPLORER_DASHBOARD_POOL=str(self.pool),
            JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"),
            JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"),
        )
        self.log_path = tmp / "hub.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [str(VENV_BIN / "jupyterhub"), "-f", str(config)],
                cwd=tmp,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = self.log()
                self.stop()
                raise RuntimeError(f"jupyterhub exited:\n{log}")
            if _listening(self.port):
                with contextlib.suppress(requests.RequestException):
                    if self.api("GET", "/").status_code == 200:
                        self.watch()
                        return self
            time.sleep(0.2)
        log = self.log()
        self.stop()
        raise RuntimeError(f"jupyterhub did not answer within {timeout} s:\n{log[-4000:]}")

    def stop(self) -> None:
        """Stop the hub (which stops the servers and the proxy), then anything left over."""
        if self.proc is not None and self.proc.poll() is None:
            self.watch()
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        for p in self.strays():  # e.g. a proxy started after the hub lost track of it
            self.seen.setdefault(p.pid, (kind(p), p))
        self.left_running = self.leftovers(wait=15)
        for p in self.left_running:
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()
        if self._tmp is not None:
            self.final_log = self.log()
            with contextlib.suppress(OSError):
                self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Hub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- addresses -----------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def api(self, method: str, path: str, **kw) -> requests.Response:
        """The hub's REST API (``/hub/api`` + path) with the admin service token."""
        kw.setdefault("timeout", 30)
        headers = kw.pop("headers", {})
        headers["Authorization"] = f"token {self.token}"
        return requests.request(method, f"{self.base}/hub/api{path}", headers=headers, **kw)

    def server_running(self, name: str) -> bool:
        r = self.api("GET", f"/users/{name}")
        return r.status_code == 200 and bool(r.json().get("servers", {}).get("", {}).get("ready"))

    # -- processes -----------------------------------------------------------------------------
    def watch(self) -> dict[str, list[psutil.Process]]:
        """Every process now under the hub, by kind; each one is remembered in :attr:`seen`."""
        out: dict[str, list[psutil.Process]] = {}
        if self.proc is None:
            return out
        try:
            root = psutil.Process(self.proc.pid)
            procs = root.children(recursive=True)
        except psutil.NoSuchProcess:
            return out
        for p in procs:
            k = kind(p)
            if k == "other":
                continue
            self.seen.setdefault(p.pid, (k, p))
            out.setdefault(k, []).append(p)
        return out

    def proxy(self) -> psutil.Process | None:
        ps = self.watch().get("proxy", [])
        return ps[0] if ps else None

    def user_procs(self, name: str) -> list[psutil.Process]:
        """The single-user server of ``name`` and everything under it."""
        for p in self.watch().get("single-user", []):
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                if p.environ().get("JUPYTERHUB_USER") == name:
                    return [p, *p.children(recursive=True)]
        return []

    def leftovers(self, wait: float = 0.0) -> list[psutil.Process]:
        """Processes seen under the hub that still run (after up to ``wait`` s), hub included."""
        procs = [p for _, p in self.seen.values()]
        if self.proc is not None:
            with contextlib.suppress(psutil.NoSuchProcess):
                procs.append(psutil.Process(self.proc.pid))
        alive = [p for p in procs if _alive(p)]
        if wait and alive:
            _, alive = psutil.wait_procs(alive, timeout=wait)
        return [p for p in alive if _alive(p)]

    def strays(self) -> list[psutil.Process]:
        """Processes of this hub found anywhere on the machine (also ones never seen under it,
        e.g. re-parented): the proxy on this hub's port, servers talking to this hub's API."""
        marks = (f"--port {self.port}", f"127.0.0.1:{self.hub_port}", str(self._tmp_path))
        out = []
        for p in psutil.process_iter():
            with contextlib.suppress(psutil.Error):
                if p.pid == os.getpid() or not _alive(p):
                    continue
                text = _cmd(p)
                if kind(p) in ("single-user", "dashboard", "kernel", "culler"):
                    text += " " + p.environ().get("JUPYTERHUB_API_URL", "")
                if any(m in text for m in marks):
                    out.append(p)
        return out

    def log(self) -> str:
        """The hub's log (its servers' logs too: local spawners share its output)."""
        if self._tmp is None:
            return self.final_log
        try:
            return self.log_path.read_text(errors="replace")
        except (OSError, AttributeError):
            return ""
