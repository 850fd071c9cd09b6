"""JupyterHub for a class on one machine: each student logs in, gets a Jupyter server of their own
(a local process) and lands on the pre-heated dashboard at ``/user/<name>/dashboard/``.

Run as root from the repository root, after ``make env hub`` (or ``pip install '.[hub]'`` and
``npm install -g configurable-http-proxy``)::

    EXPLORER_HUB_ROSTER=students.txt EXPLORER_HUB_ADMINS=teacher \\
        .venv/bin/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

docs/deploy.md ("JupyterHub on one machine") gives the whole recipe. The end-to-end test
(tests/browser/test_hub.py) and ``make bench-hub`` load this very file and replace only what a test
needs replaced: the addresses, the state directory, the authenticator (DummyAuthenticator) and
the spawner (SimpleLocalProcessSpawner: no system accounts), plus short activity intervals.

Settings read from the environment (all optional):

* ``EXPLORER_HUB_URL``: where the hub listens (default ``http://:8000``, every interface; put
  TLS in front, or set ``JupyterHub.ssl_cert``/``ssl_key`` below);
* ``EXPLORER_HUB_STATE``: the hub's database, cookie secret and proxy pid file
  (default ``/srv/explorer-hub``);
* ``EXPLORER_HUB_ROSTER``: a file with one student user name per line (who may log in);
  ``EXPLORER_HUB_ADMINS``: comma-separated teachers (admins: see and stop every server);
* ``EXPLORER_HUB_CULL_TIMEOUT``: seconds without activity after which a student's server is
  stopped (default 3600);
* ``EXPLORER_HUB_SPAWNER``: ``local`` (default: LocalProcessSpawner, students are Unix accounts,
  no limits enforced) or ``systemd`` (SystemdSpawner, as in The Littlest JupyterHub: enforced
  memory and CPU limits, no accounts to create; ``pip install jupyterhub-systemdspawner``);
* ``EXPLORER_HUB_MEM_LIMIT`` / ``EXPLORER_HUB_CPU_LIMIT``: per-student limits (default ``1G`` and
  ``1``; docs/deploy.md sizes them from ``make bench-hub``);
* ``EXPLORER_DASHBOARD_POOL``: pre-heated dashboard kernels per student (default 1).
"""

import os
import sys
from pathlib import Path

from jupyterhub.proxy import ConfigurableHTTPProxy

c = get_config()  # noqa: F821 - injected by traitlets when it loads this file

ROOT = Path(__file__).resolve().parents[2]  # the repository: notebooks/, voila.json, …
BIN = Path(sys.executable).parent  # the environment the hub runs in (.venv/bin)

# -- the hub itself ----------------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("EXPLORER_HUB_URL", "http://:8000")
STATE = Path(os.environ.get("EXPLORER_HUB_STATE", "/srv/explorer-hub"))
STATE.mkdir(mode=0o700, parents=True, exist_ok=True)
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")


class _RestartableProxy(ConfigurableHTTPProxy):
    """The hub's configurable-http-proxy, restarted cleanly when it dies.

    When the proxy process dies the hub starts a new one (and restores every route), but JupyterHub
    6.1's ``ConfigurableHTTPProxy.start`` schedules a new periodic health check without stopping
    the previous one; at shutdown only the newest is stopped, and the stale one, finding the proxy
    terminated, starts yet another proxy that outlives the hub (found by tests/browser/test_hub.py,
    which kills the proxy). Stop the previous check before each start.
    """

    async def start(self):
        if self._check_running_callback is not None:
            self._check_running_callback.stop()
        await super().start()


c.JupyterHub.proxy_class = _RestartableProxy
# A dead proxy is found (a cheap check of its process) and replaced, routes and all, within a
# second instead of five: open pages reconnect their kernel websockets by themselves only if the
# routes are back before their reconnect attempts run out (explorer/page/session.js).
c.ConfigurableHTTPProxy.check_running_interval = 1
# c.JupyterHub.ssl_cert = "/etc/letsencrypt/live/hub.example.org/fullchain.pem"
# c.JupyterHub.ssl_key = "/etc/letsencrypt/live/hub.example.org/privkey.pem"

# -- who may log in ----------------------------------------------------------------------------
# FirstUseAuthenticator: the teacher lists the class; each student sets a password the first time
# they log in (and only they can use it afterwards). No identity provider, no e-mail, no sign-up
# form to approve: what a course on one machine usually wants. A university with single sign-on
# would name its OAuthenticator here instead (e.g. "generic-oauth"); DummyAuthenticator (any
# name, any password) is for the tests only, which set it in their own configuration.
c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
c.FirstUseAuthenticator.create_users = False  # only names on the roster, no strangers
c.FirstUseAuthenticator.min_password_length = 8
_roster = os.environ.get("EXPLORER_HUB_ROSTER")
if _roster:
    c.Authenticator.allowed_users = {
        name.strip()
        for name in Path(_roster).read_text(encoding="utf-8").splitlines()
        if name.strip() and not name.lstrip().startswith("#")
    }
c.Authenticator.admin_users = {
    n.strip() for n in os.environ.get("EXPLORER_HUB_ADMINS", "").split(",") if n.strip()
}

# -- each student's server ---------------------------------------------------------------------
# jupyterhub-singleuser from the hub's own environment: the same packages as `make dashboard`
# (explorer, Voila, jupyter-server-proxy), with the repository's serving settings (kernel culling,
# the tab-close shutdown hook, the /dashboard/ route to the pre-heated server).
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.args = [f"--config={ROOT / 'jupyter_server_config.py'}"]
# Where a student lands after logging in: the pre-heated dashboard (jupyter-server-proxy starts it
# on the first request). Teachers share views as /hub/user-redirect/dashboard/?preset=… links.
c.Spawner.default_url = "/dashboard/"
c.Spawner.environment = {
    # one pre-heated kernel per student: their first page does not wait for a cold kernel twice
    # (docs/deploy.md, "What a student costs on a hub")
    "DASHBOARD_POOL": os.environ.get("EXPLORER_DASHBOARD_POOL", "1"),
}
# The first page starts the student's server and then the dashboard server behind it.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60
# A link to a server that is not running (…/user/<name>/…, reached through user-redirect) starts
# it without a "Launch server" click: a shared view link opens the view.
c.JupyterHub.implicit_spawn_seconds = 0.5

# Limits per student. LocalProcessSpawner does NOT enforce them (it only passes MEM_LIMIT and
# CPU_LIMIT to the server's environment); SystemdSpawner (The Littlest JupyterHub's spawner) does,
# through the student's systemd unit. On Kubernetes, z2jh-config.yaml sets them per pod.
c.Spawner.mem_limit = os.environ.get("EXPLORER_HUB_MEM_LIMIT", "1G")
c.Spawner.cpu_limit = float(os.environ.get("EXPLORER_HUB_CPU_LIMIT", "1"))
if os.environ.get("EXPLORER_HUB_SPAWNER", "local") == "systemd":
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.dynamic_users = True  # a transient Unix user per student, no useradd
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.isolate_devices = True
else:
    # students are Unix accounts on this machine (docs/deploy.md: useradd from the roster)
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"

# -- stop what students leave behind -------------------------------------------------------------
# jupyterhub-idle-culler as a hub service: a student's whole server (and the dashboard server
# and kernels under it) stops after EXPLORER_HUB_CULL_TIMEOUT seconds without activity; an open
# tab whose student moves a slider counts as activity (jupyter-server-proxy reports it).
# Inside a server, jupyter_server_config.py already culls the kernels of closed tabs.
CULL_TIMEOUT = int(os.environ.get("EXPLORER_HUB_CULL_TIMEOUT", "3600"))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            f"--cull-every={max(5, CULL_TIMEOUT // 6)}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
# The hub reads the proxy's per-route activity this often (default 300 s); with the servers'
# own reports (every 300 s) this bounds how late the culler sees a student's last action.
c.JupyterHub.last_activity_interval = min(300, max(5, CULL_TIMEOUT // 6))
