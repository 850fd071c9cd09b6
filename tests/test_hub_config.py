"""The hub configurations in deploy/jupyterhub/ say what docs/deploy.md says they do (the hub itself
runs in tests/browser/test_hub.py)."""

from __future__ import annotations

from pathlib import Path

import yaml
from traitlets.config.loader import PyFileConfigLoader

DEPLOY = Path(__file__).resolve().parents[1] / "deploy" / "jupyterhub"


def _load(tmp_path, monkeypatch, **env):
    monkeypatch.setenv("EXPLORER_HUB_STATE", str(tmp_path / "state"))
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


def test_one_machine_config(tmp_path, monkeypatch):
    roster = tmp_path / "students.txt"
    roster.write_text("# class of 2027\nada\n\nbo \n", encoding="utf-8")
    c = _load(
        tmp_path,
        monkeypatch,
        EXPLORER_HUB_ROSTER=str(roster),
        EXPLORER_HUB_ADMINS="teacher",
        EXPLORER_HUB_CULL_TIMEOUT="1800",
    )
    assert c.JupyterHub.authenticator_class == "firstuseauthenticator.FirstUseAuthenticator"
    assert c.Authenticator.allowed_users == {"ada", "bo"}
    assert c.Authenticator.admin_users == {"teacher"}
    assert c.FirstUseAuthenticator.create_users is False
    assert c.Spawner.default_url == "/dashboard/"
    assert any(
        a.startswith("--config=") and a.endswith("jupyter_server_config.py") for a in c.Spawner.args
    )
    assert c.JupyterHub.implicit_spawn_seconds > 0
    assert c.Spawner.environment["DASHBOARD_POOL"] == "1"
    assert c.Spawner.mem_limit == "1G" and c.Spawner.cpu_limit == 1.0
    assert c.JupyterHub.spawner_class == "jupyterhub.spawner.LocalProcessSpawner"
    (culler,) = c.JupyterHub.services
    assert "jupyterhub_idle_culler" in culler["command"] and "--timeout=1800" in culler["command"]
    (role,) = c.JupyterHub.load_roles
    assert role["services"] == ["idle-culler"] and "delete:servers" in role["scopes"]
    assert (tmp_path / "state").is_dir()
    # the proxy is replaced within a second when it dies, without a stale health check
    from jupyterhub.proxy import ConfigurableHTTPProxy

    assert issubclass(c.JupyterHub.proxy_class, ConfigurableHTTPProxy)
    assert c.ConfigurableHTTPProxy.check_running_interval == 1
    # the authenticator it names is installed with the hub extra
    from firstuseauthenticator import FirstUseAuthenticator  # noqa: F401


def test_systemd_spawner_enforces_the_limits(tmp_path, monkeypatch):
    c = _load(tmp_path, monkeypatch, EXPLORER_HUB_SPAWNER="systemd", EXPLORER_HUB_MEM_LIMIT="768M")
    assert c.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert c.SystemdSpawner.dynamic_users is True
    assert c.Spawner.mem_limit == "768M"


def test_zero_to_jupyterhub_values(tmp_path, monkeypatch):
    values = yaml.safe_load((DEPLOY / "z2jh-config.yaml").read_text(encoding="utf-8"))
    local = _load(tmp_path, monkeypatch)
    su = values["singleuser"]
    assert su["defaultUrl"] == local.Spawner.default_url == "/dashboard/"
    assert su["extraEnv"]["DASHBOARD_POOL"] == local.Spawner.environment["DASHBOARD_POOL"]
    assert su["storage"]["type"] == "none"  # the image's home holds the repository and ~/.jupyter
    hub = values["hub"]["config"]
    assert hub["JupyterHub"]["authenticator_class"] == local.JupyterHub.authenticator_class
    assert hub["JupyterHub"]["implicit_spawn_seconds"] > 0
    assert values["cull"]["enabled"] and values["cull"]["timeout"] == 3600
    assert values["prePuller"]["hook"]["enabled"] and values["prePuller"]["continuous"]["enabled"]
    assert values["scheduling"]["userPlaceholder"]["enabled"]
    assert values["scheduling"]["userPlaceholder"]["replicas"] >= 1
