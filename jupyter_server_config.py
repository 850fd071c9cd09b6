"""Jupyter Server settings for the Binder / JupyterHub routes (``/voila/render/notebooks/…`` and
the pre-heated standalone server behind ``/dashboard/``).

Jupyter Server does not read configuration from the working directory: pass this file with
``jupyter server --config=jupyter_server_config.py`` or link it into a Jupyter config directory
(``binder/postBuild`` does). See docs/deploy.md.

The Voila extension itself reads ``voila.json`` from the working directory, so the
``VoilaConfiguration`` there applies on this route too; the kernel culling and the kernel
restarter settings below are taken from the same file, so both routes treat kernels alike.
"""

import json
import os
import sys
from pathlib import Path

from explorer.serving import (
    install_admission,
    install_compressed_static,
    install_frame_guard,
    install_page_script,
    install_template_cache,
    set_xsrf_cookie,
    wire_settings,
)

_ROOT = Path(__file__).resolve().parent

c = get_config()  # noqa: F821 - injected by traitlets when it loads this file

# Every kernel websocket frame is checked before Jupyter Server parses it; only the v1 protocol
# (docs/security.md, explorer/serving/frames.py).
install_frame_guard()
# A kernel budget (HTTP 503 past it); bots and probes get a static page without a kernel.
install_admission()
# Static files (Voila's 4 MB of JavaScript) sent gzip-compressed, each compressed once.
install_compressed_static()
# Voila's page templates compiled once per server, not once per page.
install_template_cache()
# Tab close / reload shuts the page's kernel down (see explorer/serving/).
c.VoilaConfiguration.prelaunch_hook = set_xsrf_cookie
# The session banner (kernel death, lost connection, start-up progress) and no CDN links.
install_page_script()
# Without these two settings Voila's page config names MathJax on a public CDN (standalone Voila
# passes None: the page then uses the MathJax bundled with Voila, nothing leaves the server).
# The page and the kernel websocket compressed (explorer/serving/wire.py; Jupyter Server sets
# the websocket's option from its own trait, over tornado_settings).
_wire = wire_settings()
c.ServerApp.websocket_compression_options = _wire.pop("websocket_compression_options")
c.ServerApp.tornado_settings = {"mathjax_url": None, "mathjax_config": None, **_wire}

_voila = json.loads((_ROOT / "voila.json").read_text(encoding="utf-8"))
for _section in ("MappingKernelManager", "KernelRestarter", "VoilaExecutor"):
    for _name, _value in _voila[_section].items():
        setattr(c[_section], _name, _value)

# The pre-heated standalone server (what `make dashboard` runs) behind this Jupyter Server at
# <base_url>dashboard/, started by jupyter-server-proxy on the first request (binder/ installs it).
# Voila serves its routes at / (the proxy strips the prefix) and writes links for the prefix.
# DASHBOARD_POOL sets the number of pre-heated kernels (default 2: one page and one reload).
c.ServerProxy.servers = {
    "dashboard": {
        "command": [
            sys.executable,
            "-m",
            "explorer.serving",
            str(_ROOT / "notebooks" / "dashboard.ipynb"),
            "--no-browser",
            "--port={port}",
            "--Voila.ip=127.0.0.1",
            "--Voila.port_retries=0",
            "--Voila.base_url={base_url}dashboard/",
            "--Voila.server_url=/",
            f"--Voila.config_file_paths={_ROOT}",
            # the proxy forwards the Host header, so by default Voila would read (and clear, as
            # not its own) this server's login cookie: a cookie name of its own
            "--IdentityProvider.cookie_name=explorer-dashboard-login",
            f"--VoilaConfiguration.default_pool_size={int(os.environ.get('DASHBOARD_POOL', '2'))}",
        ],
        "absolute_url": False,
        "timeout": 120,
        "launcher_entry": {"title": "Neutrino-atom dashboard", "enabled": True},
        "new_browser_tab": True,
    }
}
