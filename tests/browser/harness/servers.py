"""Dashboard servers in subprocesses, one per serving route (docs/design.md, "Serving"), started as users start them.

Everything listens on 127.0.0.1 only, on ports the OS hands out. :data:`ROUTES` is the table of
routes: how each is started and where its page lives.

* ``standalone``: ``python -m explorer.serving <notebook> …`` (what ``make dashboard`` runs),
  from the repository root, so that ``voila.json`` there is read;
* ``jupyter``: ``jupyter server --config=jupyter_server_config.py`` with the Voila extension,
  the page at ``/voila/render/<notebook>`` (the Binder / JupyterHub route);
* ``proxy``: the same Jupyter Server, the page at ``/dashboard/``: the standalone pre-heated
  server started by jupyter-server-proxy (the Binder route of the README);
* ``plain-voila``: the unpatched ``voila`` command (the control of the lifecycle tests).
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[3]
DASHBOARD = "notebooks/dashboard.ipynb"
VENV_BIN = Path(sys.executable).parent


def notebook_path() -> str:
    """The notebook under test: ``EXPLORER_NOTEBOOK`` or the real dashboard."""
    return os.environ.get("EXPLORER_NOTEBOOK", DASHBOARD)


def free_port() -> int:
    """A free TCP port on the loopback interface.

    >>> 1024 < free_port() < 65536
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _is_kernel(proc: psutil.Process) -> bool:
    """An IPython kernel: the ordinary one, or the standalone server's lean one
    (``python -m explorer.serving kernel``, explorer.serving.lean_kernel_spec)."""
    try:
        cmd = " ".join(proc.cmdline())
        return "ipykernel_launcher" in cmd or "explorer.serving kernel" in cmd
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


@dataclass
class Server:
    """One dashboard server in a subprocess, with its log, its kernels and its memory."""

    route: str  # a key of ROUTES
    notebook: str = field(default_factory=notebook_path)
    extra_args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)  # added to the server's environment
    port: int = 0
    token: str = ""
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    _tmp: tempfile.TemporaryDirectory | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self, timeout: float = 60.0) -> Server:
        if self.route not in ROUTES:
            raise ValueError(f"route={self.route!r}: expected one of {sorted(ROUTES)}")
        self.port = free_port()
        self._tmp = tempfile.TemporaryDirectory(prefix=f"explorer-{self.route}-")
        tmp = Path(self._tmp.name)
        self.log_path = tmp / "server.log"
        env = dict(os.environ)
        # Isolate from any ~/.jupyter of the person running the tests.
        env["JUPYTER_CONFIG_DIR"] = str(tmp / "config")
        env["JUPYTER_RUNTIME_DIR"] = str(tmp / "runtime")
        env.pop("PYTHONWARNINGS", None)
        env.update(self.env)
        route = ROUTES[self.route]
        self.token = secrets.token_hex(16) if route.token else ""
        cmd = route.command(self)
        cmd += self.extra_args
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = self.log()
                self.stop()
                raise RuntimeError(f"{self.route} server exited:\n{log}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return self
            time.sleep(0.1)
        log = self.log()
        self.stop()
        raise RuntimeError(f"{self.route} server did not listen within {timeout} s:\n{log}")

    def stop(self) -> None:
        """Stop the server and every process it started (kernels included)."""
        if self.proc is not None and self.proc.poll() is None:
            procs = [self.proc_info(), *self.kernels()]
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
            _, alive = psutil.wait_procs([p for p in procs if p is not None], timeout=5)
            for p in alive:
                with contextlib.suppress(psutil.NoSuchProcess):
                    p.kill()
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- addresses -----------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, query: str = "") -> str:
        """The page address; ``query`` without its leading ``?``."""
        return self.base + ROUTES[self.route].page(self) + (f"?{query}" if query else "")

    def login(self, context) -> None:
        """Jupyter route: authenticate a browser context once (the token sets a login cookie).

        Afterwards its pages use the cookie, as a Binder user's tab does, so that requests such
        as the tab-close beacon are cookie-authenticated and must pass the XSRF check.
        """
        if ROUTES[self.route].token:
            page = context.new_page()
            page.goto(f"{self.base}/api/status?token={self.token}")
            page.close()

    # -- processes -----------------------------------------------------------------------------
    def proc_info(self) -> psutil.Process | None:
        try:
            return psutil.Process(self.proc.pid) if self.proc else None
        except psutil.NoSuchProcess:
            return None

    def kernels(self) -> list[psutil.Process]:
        root = self.proc_info()
        if root is None:
            return []
        try:
            return [p for p in root.children(recursive=True) if _is_kernel(p)]
        except psutil.NoSuchProcess:
            return []

    def kernel(self, kernel_id: str) -> psutil.Process | None:
        """The kernel process with this id (its connection file ``kernel-<id>.json``), if alive."""
        for k in self.kernels():
            try:
                if kernel_id in " ".join(k.cmdline()):
                    return k
            except psutil.NoSuchProcess:
                continue
        return None

    def wait_kernel_gone(self, kernel_id: str, timeout: float = 20.0) -> bool:
        """Poll until the kernel with this id has exited; True if it did within ``timeout``."""
        deadline = time.monotonic() + timeout
        while self.kernel(kernel_id) is not None:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def wait_kernels(self, predicate, timeout: float = 15.0) -> list[psutil.Process]:
        """Poll the kernel list until ``predicate(kernels)`` holds; return the last list."""
        deadline = time.monotonic() + timeout
        ks = self.kernels()
        while not predicate(ks) and time.monotonic() < deadline:
            time.sleep(0.1)
            ks = self.kernels()
        return ks

    def rss(self) -> tuple[int, list[int]]:
        """Resident memory in bytes: (server process, [each kernel])."""
        root = self.proc_info()
        server = root.memory_info().rss if root else 0
        ks = []
        for k in self.kernels():
            with contextlib.suppress(psutil.NoSuchProcess):
                ks.append(k.memory_info().rss)
        return server, ks

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace") if self.log_path else ""
        except OSError:
            return ""

    def get(self, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 10)
        kw.setdefault("allow_redirects", False)
        return requests.get(self.base + path, **kw)


def shared_server(servers: dict, route: str, notebook: str) -> Server:
    """The server of ``route`` in ``servers`` (a test session's shared servers), started on first
    use."""
    if route not in servers:
        servers[route] = Server(route, notebook).start()
    return servers[route]


# ---------------------------------------------------------------------------------------------
# The routes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """How one serving route is started and where its dashboard page lives."""

    command: Callable[[Server], list[str]]
    page: Callable[[Server], str]
    token: bool = False  # a Jupyter Server behind a token: log the browser context in first


def _voila_args(srv: Server) -> list[str]:
    return [
        srv.notebook,
        "--no-browser",
        f"--port={srv.port}",
        "--Voila.ip=127.0.0.1",
        f"--Voila.config_file_paths={ROOT}",
        "--Voila.port_retries=0",
    ]


def _jupyter_command(srv: Server) -> list[str]:
    cmd = [
        str(VENV_BIN / "jupyter"),
        "server",
        f"--config={ROOT / 'jupyter_server_config.py'}",
        "--no-browser",
        f"--port={srv.port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={srv.token}",
        f"--ServerApp.root_dir={ROOT}",
        "--ServerApp.port_retries=0",
    ]
    if os.geteuid() == 0:  # containers and CI run as root
        cmd.append("--allow-root")
    return cmd


ROUTES: dict[str, Route] = {
    "standalone": Route(
        command=lambda s: [sys.executable, "-m", "explorer.serving", *_voila_args(s)],
        page=lambda s: "/",
    ),
    "plain-voila": Route(
        command=lambda s: [str(VENV_BIN / "voila"), *_voila_args(s)],
        page=lambda s: "/",
    ),
    "jupyter": Route(
        command=_jupyter_command,
        page=lambda s: f"/voila/render/{s.notebook}",
        token=True,
    ),
    # the pre-heated standalone server behind Jupyter Server (jupyter-server-proxy, Binder)
    "proxy": Route(command=_jupyter_command, page=lambda s: "/dashboard/", token=True),
}
